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
