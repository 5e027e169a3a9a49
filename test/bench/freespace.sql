-- test/bench/freespace.sql — "the first free /22 in this pool": the classic
-- PL/pgSQL candidate-probing loop against cidr_first_free, and a plain-SQL
-- probe of every candidate against cidr_free_blocks, side by side in one
-- session.  Target (issue 7): cidr_first_free at least 100x faster than the
-- probing loop.
--
-- Self-contained: creates its own tables, prints timings and ratios, and
-- drops what it created.  Runs from test/bench/run.sh (which passes :reps)
-- or alone:  psql -X -f test/bench/freespace.sql   (in any database)
--
-- Timings: each pair of queries runs alternately :reps times (default 5)
-- after one warm-up of each, so that the machine's other load hits both
-- alike; wall clock (clock_timestamp()) and the CPU time of this backend
-- (Linux /proc/self/schedstat; NULL where it cannot be read) of one
-- execution, in ms, the median and the best of each (a run repeats a fast
-- query to last about 100 ms: see bench_pair).  All plans are serial.
--
-- Data: a fragmented 10.0.0.0/8 with 100,000 used blocks, deterministic
-- (arithmetic, no random()): the pool is filled from the bottom in /25
-- slots, each slot holding one used block of /25 to /29 at an aligned
-- offset, so every /22 of the first 12,800,000 addresses holds a used
-- block and the free space is 100,000 small holes plus the free top of the
-- pool.  The first free /22 is therefore candidate number 12,501 of 16,384
-- (10.195.80.0/22), the first free /24 candidate 50,001 of 65,536.  The
-- used table has a GiST index, so each probe is one index lookup: the
-- probing loop at its best.

\set ON_ERROR_STOP 1
\if :{?reps}
\else
\set reps 5
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
DROP TABLE IF EXISTS bench_fs_used, bench_fs_pool;
RESET client_min_messages;
SET jit = off;
SET max_parallel_workers_per_gather = 0;

CREATE TABLE bench_fs_used AS
SELECT set_masklen('10.0.0.0'::inet + (k::bigint << 7)
                   + (((k::bigint * 104729) % (1 << (len - 25))) << (32 - len)), len)::cidr AS block
FROM (SELECT k, 25 + (k * 7919) % 5 AS len FROM generate_series(0, 99999) k) s
ORDER BY (k::bigint * 48271) % 100003;       -- stored out of address order
CREATE INDEX ON bench_fs_used USING gist (block inet_ops);
CREATE INDEX ON bench_fs_used (block);
VACUUM ANALYZE bench_fs_used;

-- Layout B (issue 15): 100,000 blocks of /24 to /30 at scrambled places of
-- the same /8 (the /24 from an md5 of k, so some /24s get several blocks
-- and about a fifth none: e^-1.53), so that the first free /24 comes early (its
-- candidate number is printed below) and the first free /22 later.  Same
-- deterministic arithmetic, no random().
DROP TABLE IF EXISTS bench_fs_used_b, bench_fs_pool_b;
CREATE TABLE bench_fs_used_b AS
SELECT set_masklen('10.0.0.0'::inet + ((('x' || substr(md5(k::text), 1, 8))::bit(32)::bigint % 65536) << 8)
                   + (((k::bigint * 104729) % (1 << (len - 24))) << (32 - len)), len)::cidr AS block
FROM (SELECT k, 24 + (k * 7919) % 7 AS len FROM generate_series(0, 99999) k) s
ORDER BY (k::bigint * 48271) % 100003;
CREATE INDEX ON bench_fs_used_b USING gist (block inet_ops);
CREATE INDEX ON bench_fs_used_b (block);
VACUUM ANALYZE bench_fs_used_b;
-- the used set stored both ways: normalized (a cidr_merge result, in
-- address order) and as the table's rows come (not in order)
CREATE TABLE bench_fs_pool_b AS
SELECT '{10.0.0.0/8}'::cidr[] AS pool,
       (SELECT cidr_merge(block) FROM bench_fs_used_b) AS used,
       (SELECT array_agg(block) FROM bench_fs_used_b) AS used_unsorted;

-- The pool as an IPAM keeps it: its blocks, and its used set maintained
-- (by a trigger, or refreshed) as one normalized cidr[].
CREATE TABLE bench_fs_pool AS
SELECT '{10.0.0.0/8}'::cidr[] AS pool, (SELECT cidr_merge(block) FROM bench_fs_used) AS used;

-- The usual answer: probe each aligned candidate of the pool in address
-- order, each with an index lookup, and stop at the first that overlaps
-- nothing used.  One function per used table (first_free_probe for layout
-- A, first_free_probe_b for B), made from one text so that each has static
-- SQL, planned once, as a hand-written loop would.
DO $do$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('first_free_probe', 'bench_fs_used'),
                                 ('first_free_probe_b', 'bench_fs_used_b')) v(fn, tbl) LOOP
    EXECUTE format($f$
CREATE FUNCTION pg_temp.%I(pool cidr, masklen int) RETURNS cidr
LANGUAGE plpgsql STABLE AS $$
DECLARE
  step bigint := 1::bigint << (32 - masklen);
  n bigint := 1::bigint << (masklen - masklen(pool));
  candidate cidr;
BEGIN
  FOR i IN 0 .. n - 1 LOOP
    candidate := set_masklen(network(pool) + i * step, masklen)::cidr;
    IF NOT EXISTS (SELECT 1 FROM %I WHERE block && candidate) THEN
      RETURN candidate;
    END IF;
  END LOOP;
  RETURN NULL;
END $$ $f$, t.fn, t.tbl);
  END LOOP;
END $do$;

-- The best plain SQL for a first fit (issue 15): one pass over the used
-- blocks in index order (a btree on block), with the highest address used
-- so far (a running max, as blocks may overlap) and the next block's start;
-- the first aligned candidate after the one and ending before the other is
-- free, and LIMIT 1 stops the scan there.  A row standing for "before the
-- first used block" comes first.  Addresses are offsets from the pool's
-- start (bigint), as inet comparisons would weigh the prefix length.  It needs the used blocks as indexed rows,
-- which is how an IPAM keeps them.
CREATE FUNCTION pg_temp.first_free_window(tbl regclass, pool cidr, masklen int) RETURNS cidr
LANGUAGE plpgsql STABLE AS $$
DECLARE
  step bigint := 1::bigint << (32 - masklen);
  result cidr;
BEGIN
  EXECUTE format($q$
    WITH u AS (
      SELECT max(broadcast(block) - network($1)) OVER (ORDER BY block ROWS UNBOUNDED PRECEDING) AS hi_so_far,
             lead(network(block) - network($1)) OVER (ORDER BY block) AS next_lo
      FROM %1$s WHERE block <<= $1
    ), gaps AS (
      SELECT -1::bigint AS hi_so_far,
             (SELECT network(block) - network($1) FROM %1$s WHERE block <<= $1
              ORDER BY block LIMIT 1) AS next_lo
      UNION ALL
      SELECT hi_so_far, next_lo FROM u
    )
    SELECT set_masklen(network($1) + c, $2)::cidr
    FROM gaps, LATERAL (SELECT ((hi_so_far + 1 + $3 - 1) / $3) * $3 AS c) x
    WHERE c + $3 - 1 <= broadcast($1) - network($1)
      AND (next_lo IS NULL OR c + $3 - 1 < next_lo)
    LIMIT 1 $q$, tbl)
  INTO result USING pool, masklen, step;
  RETURN result;
END $$;

-- this backend's CPU time so far, in ns (NULL where it cannot be read)
CREATE FUNCTION pg_temp.cpu_ns() RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  RETURN split_part(trim(pg_read_file('/proc/self/schedstat')), ' ', 1)::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $$;

-- Two queries run alternately `runs` times each after a warm-up: the median
-- and the best wall and CPU times of one execution of each, in ms.  The CPU
-- clock of schedstat only moves at scheduler ticks (4 ms at HZ=250), so a
-- run executes its query often enough to take about 100 ms (as the warm-up
-- measured it) and is divided by that count.
CREATE FUNCTION pg_temp.bench_pair(query_a text, query_b text, runs int,
    OUT a_wall float8, OUT b_wall float8, OUT a_wall_best float8, OUT b_wall_best float8,
    OUT a_cpu float8, OUT b_cpu float8, OUT a_cpu_best float8, OUT b_cpu_best float8,
    OUT a_n int, OUT b_n int)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  c0 bigint;
  wa float8[] := '{}';
  wb float8[] := '{}';
  ca float8[] := '{}';
  cb float8[] := '{}';
BEGIN
  t0 := clock_timestamp();
  EXECUTE query_a;
  a_n := greatest(1, ceil(100 / (extract(epoch FROM clock_timestamp() - t0) * 1000)))::int;
  t0 := clock_timestamp();
  EXECUTE query_b;
  b_n := greatest(1, ceil(100 / (extract(epoch FROM clock_timestamp() - t0) * 1000)))::int;
  FOR i IN 1..runs LOOP
    c0 := pg_temp.cpu_ns();
    t0 := clock_timestamp();
    FOR j IN 1..a_n LOOP
      EXECUTE query_a;
    END LOOP;
    wa := wa || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000 / a_n;
    ca := ca || (pg_temp.cpu_ns() - c0) / 1e6::float8 / a_n;
    c0 := pg_temp.cpu_ns();
    t0 := clock_timestamp();
    FOR j IN 1..b_n LOOP
      EXECUTE query_b;
    END LOOP;
    wb := wb || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000 / b_n;
    cb := cb || (pg_temp.cpu_ns() - c0) / 1e6::float8 / b_n;
  END LOOP;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO a_wall, a_wall_best FROM unnest(wa) t;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO b_wall, b_wall_best FROM unnest(wb) t;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO a_cpu, a_cpu_best FROM unnest(ca) t;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO b_cpu, b_cpu_best FROM unnest(cb) t;
END $$;

CREATE TEMP TABLE bench_fs_q(ord int, way text, plain_way text, plain text, ext text);
-- layout A (first free /22 far up: candidate 12,501), then layout B (early)
INSERT INTO bench_fs_q VALUES
 (1, 'cidr_first_free(pool, array_agg(block), 22) FROM used', 'probing loop /22',
  'SELECT pg_temp.first_free_probe(''10.0.0.0/8'', 22)',
  'SELECT cidr_first_free(''{10.0.0.0/8}'', array_agg(block), 22) FROM bench_fs_used'),
 (2, 'cidr_first_free(pool, used_set, 22), a stored set', 'probing loop /22',
  'SELECT pg_temp.first_free_probe(''10.0.0.0/8'', 22)',
  'SELECT cidr_first_free(pool, used, 22) FROM bench_fs_pool'),
 (3, 'cidr_first_free(pool, used_set, 24), a stored set', 'probing loop /24',
  'SELECT pg_temp.first_free_probe(''10.0.0.0/8'', 24)',
  'SELECT cidr_first_free(pool, used, 24) FROM bench_fs_pool'),
 (4, 'cidr_first_free(.., 22, ''best_fit''), a stored set', 'probing loop /22 (first fit)',
  'SELECT pg_temp.first_free_probe(''10.0.0.0/8'', 22)',
  'SELECT cidr_first_free(pool, used, 22, ''best_fit'') FROM bench_fs_pool'),
 (5, 'count(*) FROM cidr_free_blocks(pool, used_set, 22)', 'SQL: every /22, NOT EXISTS',
  'SELECT count(*) FROM generate_series(0, 16383) i WHERE NOT EXISTS (SELECT 1 FROM bench_fs_used WHERE block && set_masklen(''10.0.0.0''::inet + i * 1024, 22)::cidr)',
  'SELECT count(*) FROM bench_fs_pool, cidr_free_blocks(pool, used, 22)'),
 (6, 'cidr_first_free(pool, used_set, 22), a stored set', 'SQL: index-order window, LIMIT 1, /22',
  'SELECT pg_temp.first_free_window(''bench_fs_used'', ''10.0.0.0/8'', 22)',
  'SELECT cidr_first_free(pool, used, 22) FROM bench_fs_pool'),
 (7, 'cidr_first_free(pool, used_set, 24), a stored set', 'SQL: index-order window, LIMIT 1, /24',
  'SELECT pg_temp.first_free_window(''bench_fs_used'', ''10.0.0.0/8'', 24)',
  'SELECT cidr_first_free(pool, used, 24) FROM bench_fs_pool'),
 (11, 'B: cidr_first_free(pool, used_set, 24), a stored set', 'probing loop /24',
  'SELECT pg_temp.first_free_probe_b(''10.0.0.0/8'', 24)',
  'SELECT cidr_first_free(pool, used, 24) FROM bench_fs_pool_b'),
 (12, 'B: cidr_first_free(pool, used_set, 24), a stored set', 'SQL: index-order window, LIMIT 1, /24',
  'SELECT pg_temp.first_free_window(''bench_fs_used_b'', ''10.0.0.0/8'', 24)',
  'SELECT cidr_first_free(pool, used, 24) FROM bench_fs_pool_b'),
 (13, 'B: cidr_first_free(pool, unsorted array, 24), stored', 'SQL: index-order window, LIMIT 1, /24',
  'SELECT pg_temp.first_free_window(''bench_fs_used_b'', ''10.0.0.0/8'', 24)',
  'SELECT cidr_first_free(pool, used_unsorted, 24) FROM bench_fs_pool_b'),
 (14, 'B: cidr_first_free(pool, used_set, 22), a stored set', 'SQL: index-order window, LIMIT 1, /22',
  'SELECT pg_temp.first_free_window(''bench_fs_used_b'', ''10.0.0.0/8'', 22)',
  'SELECT cidr_first_free(pool, used, 22) FROM bench_fs_pool_b');

\echo
\echo 'the data: used blocks, free space by size (free_block_counts)'
SELECT count(*) AS used_blocks, min(block) AS lowest, max(block) AS highest,
       array_length((SELECT used FROM bench_fs_pool), 1) AS used_set_blocks
FROM bench_fs_used;
SELECT * FROM free_block_counts('{10.0.0.0/8}', (SELECT used FROM bench_fs_pool));

\echo 'the same answer both ways in every pair (a benchmark of different answers would be worthless):'
DO $$
DECLARE
  q record;
  a text;
  b text;
BEGIN
  FOR q IN SELECT * FROM bench_fs_q ORDER BY ord LOOP
    EXECUTE q.plain INTO a;
    EXECUTE q.ext INTO b;
    RAISE NOTICE '%: % | %', q.ord, a, b;
    IF a IS DISTINCT FROM b THEN
      RAISE EXCEPTION 'pair % answers differently: % against %', q.ord, a, b;
    END IF;
  END LOOP;
END $$;

CREATE TEMP TABLE bench_fs_t AS
SELECT q.ord, q.way, q.plain_way, t.*
FROM bench_fs_q q, LATERAL pg_temp.bench_pair(q.plain, q.ext, :reps) t;

\echo 'layout B: where the first free /24 and /22 are (candidate numbers)'
SELECT masklen(c) AS masklen, c AS first_free,
       ((c - '10.0.0.0'::inet) >> (32 - masklen(c))) + 1 AS candidate
FROM bench_fs_pool_b, LATERAL (VALUES (cidr_first_free(pool, used, 24)), (cidr_first_free(pool, used, 22))) v(c);

\echo
\echo 'a fragmented /8 with 100,000 used blocks (A: first free far up; B: first free early): ms per execution, median (best) of' :reps 'runs alternating with the plain way; CPU = this backend; n = executions per run'
SELECT way, plain_way AS "plain way", format('%s/%s', a_n, b_n) AS n,
       format('%s (%s)', round(a_wall::numeric, 1), round(a_wall_best::numeric, 1)) AS "plain wall",
       format('%s (%s)', round(b_wall::numeric, 2), round(b_wall_best::numeric, 2)) AS "this wall",
       format('%s (%s)', round(a_cpu::numeric, 1), round(a_cpu_best::numeric, 1)) AS "plain cpu",
       format('%s (%s)', round(b_cpu::numeric, 2), round(b_cpu_best::numeric, 2)) AS "this cpu",
       round((a_wall / b_wall)::numeric, 0) AS "x wall",
       round((a_cpu / b_cpu)::numeric, 0) AS "x cpu",
       round((a_cpu_best / b_cpu_best)::numeric, 0) AS "x cpu best"
FROM bench_fs_t ORDER BY ord;

SELECT CASE WHEN min(a_cpu / b_cpu) >= 100 THEN 'target met' ELSE 'TARGET MISSED' END
       || format(': cidr_first_free against the probing loop, median CPU times: %sx from the table (array_agg), %sx from a stored set (/22), %sx for a /24 (target: 100x)',
                 round(max(a_cpu / b_cpu) FILTER (WHERE ord = 1)::numeric, 0),
                 round(max(a_cpu / b_cpu) FILTER (WHERE ord = 2)::numeric, 0),
                 round(max(a_cpu / b_cpu) FILTER (WHERE ord = 3)::numeric, 0)) AS verdict
FROM bench_fs_t WHERE ord <= 3;
SELECT format('against the best plain SQL (an index-order window query with LIMIT 1 over the used table): layout A /22 %sx, /24 %sx; layout B /24 %sx (stored set), %sx (unsorted array), /22 %sx; against the probing loop in layout B /24: %sx (median CPU; below 1 the plain way is faster)',
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 6)::numeric, 2),
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 7)::numeric, 2),
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 12)::numeric, 2),
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 13)::numeric, 2),
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 14)::numeric, 2),
              round(max(a_cpu / b_cpu) FILTER (WHERE ord = 11)::numeric, 2)) AS "where each way wins"
FROM bench_fs_t;

DROP TABLE bench_fs_t, bench_fs_q;
DROP FUNCTION pg_temp.bench_pair(text, text, int);
DROP FUNCTION pg_temp.cpu_ns();
DROP FUNCTION pg_temp.first_free_probe(cidr, int);
DROP FUNCTION pg_temp.first_free_probe_b(cidr, int);
DROP FUNCTION pg_temp.first_free_window(regclass, cidr, int);
DROP TABLE bench_fs_used, bench_fs_pool, bench_fs_used_b, bench_fs_pool_b;
