-- test/bench/30_memory.sql — one group of :bigrows rows: time and the peak
-- memory of the aggregate (the HashAggregate's own accounting, which holds
-- the transition states; GROUP BY a constant-false expression makes one
-- group and a hashed plan).  Then statement_timeout stops a long merge.

SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;

CREATE TEMP TABLE mq(ord int, label text, sql text);
INSERT INTO mq VALUES
 (1, 'count(*), /24s in 10.0.0.0/8 (the floor)',
  format('SELECT count(*) FROM generate_series(1::bigint, %s) i GROUP BY i < 0', :bigrows)),
 (2, 'addr_sum, /24s in 10.0.0.0/8',
  format('SELECT addr_sum(set_masklen(''10.0.0.0''::inet + (((i * 40503) %% 65536) << 8), 24)) FROM generate_series(1::bigint, %s) i GROUP BY i < 0', :bigrows)),
 (3, 'cidr_merge, /24s in 10.0.0.0/8 (union: 1 block)',
  format('SELECT array_length(cidr_merge(set_masklen(''10.0.0.0''::inet + (((i * 40503) %% 65536) << 8), 24)), 1) FROM generate_series(1::bigint, %s) i GROUP BY i < 0', :bigrows)),
 (4, 'cidr_merge, disjoint /32s, address order (union: all rows)',
  format('SELECT array_length(cidr_merge(''1.0.0.0''::inet + 2 * i), 1) FROM generate_series(1::bigint, %s) i GROUP BY i < 0', :bigrows)),
 (5, 'cidr_merge, disjoint /32s, random order (union: all rows)',
  format('SELECT array_length(cidr_merge(''1.0.0.0''::inet + 2 * ((i * 2654435761) %% 16777216)), 1) FROM generate_series(1::bigint, %s) i GROUP BY i < 0', :bigrows)),
 (6, 'cidr_merge, the whole bench table (IPv4)',
  'SELECT array_length(cidr_merge(block), 1) FROM bench.blocks WHERE family(block) = 4 GROUP BY family(block) < 0');

\echo one group of :bigrows rows (the bench table: all its IPv4 rows):
SELECT label AS query, (h).ms, pg_size_pretty((h).kb * 1024) AS "peak aggregate memory"
FROM (SELECT ord, label, bench.hashagg(sql) h FROM mq) s ORDER BY ord;

\echo statement_timeout stops a long merge:
SET statement_timeout = '500ms';
\set VERBOSITY terse
\set ON_ERROR_STOP 0
-- the rows stream from a subquery: generate_series in FROM is materialized
-- before its first row (10 million: about 0.45 s), so the timeout would stop
-- the series being written, not the merge
SELECT addr_count(cidr_merge('1.0.0.0'::inet + 2 * ((i * 2654435761) % 16777216)))
FROM (SELECT generate_series(1::bigint, :bigrows) AS i) s;
\set ON_ERROR_STOP 1
RESET statement_timeout;

-- ---------------------------------------------------------------------------
-- The set functions (issue 15): peak memory of the backend that runs one
-- call, against the size of its input arrays.  Each call runs in a fresh
-- backend (\c), and the figure is that backend's peak resident size
-- (VmHWM of /proc/self/status, read by the superuser with pg_read_file)
-- less its peak before the call, both without the shared memory it has
-- touched (RssShmem: the shared buffers it read the arrays through, which
-- are not the function's memory).  a: :bigrows disjoint IPv4 /32s in a
-- scrambled order (so the functions must sort); b: as many, half of them
-- in a.  The arrays are stored uncompressed (STORAGE EXTERNAL), so reading
-- one costs exactly its size.  Target: at most 2x the input arrays' size.
--
-- Before and after the one engine (measured 2026-12-02, 10,000,000 blocks,
-- 114 MB an array, PostgreSQL 15, the same script against each build):
--   call                  before (1.0: 48-byte ranges)   after (packed)
--   addr_count(a)         499 MB  4.36x                  194 MB  1.70x
--   cidr_union(a, a)     1109 MB  4.85x                  309 MB  1.35x
--   cidr_union(a, b)     1167 MB  5.10x                  327 MB  1.43x
--   cidr_intersect(a, b) 1243 MB  5.43x                  270 MB  1.18x
--   cidr_except(a, b)    1243 MB  5.43x                  271 MB  1.18x
-- ---------------------------------------------------------------------------
\echo set functions: peak backend memory against the input arrays (:bigrows IPv4 blocks each)
CREATE OR REPLACE FUNCTION bench.vm_hwm_kb() RETURNS bigint
LANGUAGE sql AS $$
  SELECT substring(s FROM 'VmHWM:\s+(\d+) kB')::bigint
         - substring(s FROM 'RssShmem:\s+(\d+) kB')::bigint
  FROM pg_read_file('/proc/self/status') s
$$;
DROP TABLE IF EXISTS bench.setmem;
CREATE TABLE bench.setmem (name text PRIMARY KEY, a cidr[]);
ALTER TABLE bench.setmem ALTER COLUMN a SET STORAGE EXTERNAL;
INSERT INTO bench.setmem
SELECT 'a', array_agg(('1.0.0.0'::inet + 2 * ((i * 2654435761) % :bigrows))::cidr)
FROM generate_series(0::bigint, :bigrows - 1) i;
INSERT INTO bench.setmem
SELECT 'b', array_agg(('1.0.0.0'::inet + 2 * ((i * 2654435761) % :bigrows) + :bigrows)::cidr)
FROM generate_series(0::bigint, :bigrows - 1) i;
DROP TABLE IF EXISTS bench.setmem_q;
CREATE TABLE bench.setmem_q(ord int PRIMARY KEY, label text, sql text, input_bytes bigint, peak_kb bigint);
INSERT INTO bench.setmem_q VALUES
 (1, 'addr_count(a)', 'SELECT addr_count(a) FROM bench.setmem WHERE name = ''a''', NULL),
 (2, 'cidr_union(a, a)', 'SELECT cardinality(cidr_union(x.a, x.a)) FROM bench.setmem x WHERE name = ''a''', NULL),
 (3, 'cidr_union(a, b)', 'SELECT cardinality(cidr_union(x.a, y.a)) FROM bench.setmem x, bench.setmem y WHERE x.name = ''a'' AND y.name = ''b''', NULL),
 (4, 'cidr_intersect(a, b)', 'SELECT cardinality(cidr_intersect(x.a, y.a)) FROM bench.setmem x, bench.setmem y WHERE x.name = ''a'' AND y.name = ''b''', NULL),
 (5, 'cidr_except(a, b)', 'SELECT cardinality(cidr_except(x.a, y.a)) FROM bench.setmem x, bench.setmem y WHERE x.name = ''a'' AND y.name = ''b''', NULL);
-- one array's size; a function of two arrays reads two
SELECT pg_column_size(a) AS one_array FROM bench.setmem WHERE name = 'a' \gset
UPDATE bench.setmem_q SET input_bytes = :one_array * CASE WHEN ord = 1 THEN 1 ELSE 2 END;
-- a script that runs each call in a fresh backend and records its peak
SELECT md5(random()::text) AS setmem_tag \gset
\set setmem_script /tmp/addrpolicy_setmem_ :setmem_tag .sql
\o :setmem_script
\pset tuples_only on
\pset format unaligned
SELECT format(E'\\c\nSELECT bench.vm_hwm_kb() AS before_kb \\gset\n%s \\g /dev/null\nUPDATE bench.setmem_q SET peak_kb = bench.vm_hwm_kb() - :before_kb WHERE ord = %s;',
              sql, ord)
FROM bench.setmem_q ORDER BY ord;
\o
\pset tuples_only off
\pset format aligned
\i :setmem_script
\! rm -f :setmem_script
SELECT label AS call, pg_size_pretty(input_bytes) AS input,
       pg_size_pretty(peak_kb * 1024) AS "peak memory",
       round(peak_kb * 1024.0 / input_bytes, 2) AS "x input"
FROM bench.setmem_q ORDER BY ord;
DROP TABLE bench.setmem, bench.setmem_q;
