-- test/bench/utilization.sql — the utilization aggregate against count(*)
-- on the same GROUP BY (the floor of what a scan and a hash aggregate
-- cost), and against the plain-SQL way of getting the same answer (sums,
-- DISTINCT ON for the most recent allocation, utilization_check per
-- member).  Target (issue 8): utilization within 2x of count(*), serial.
--
-- Self-contained: creates its own table, prints timings (median and best of
-- several runs alternating with count(*), milliseconds, measured with
-- clock_timestamp() in one session) and the ratios, and drops what it
-- created.
--   psql -X -f test/bench/utilization.sql   (in any database)
--
-- Data: 1,000,000 IPv4 allocations of 10,000 members (100 each), /16 to
-- /24, deterministic (no random()): the same on every run and machine.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
DROP TABLE IF EXISTS bench_util_allocation;
RESET client_min_messages;

CREATE TABLE bench_util_allocation AS
SELECT g.i % 10000 AS member_id,
       network(set_masklen('0.0.0.0'::inet + ((g.i::bigint * 7919) % 16777216) * 256,
                           16 + (g.i * 13) % 9))::cidr AS block,
       ((g.i::bigint * 104729) % ((1::bigint << (16 - (g.i * 13) % 9)) + 1))::numeric AS used,
       DATE '2000-01-01' + (g.i * 31) % 8000 AS allocated_on
FROM generate_series(1, 1000000) AS g(i);
VACUUM ANALYZE bench_util_allocation;

-- Wall times of two queries, run alternately `runs` times each after a
-- warm-up (so that a busy neighbour or a cache effect hits both alike), with
-- `workers` parallel workers per gather (0 = serial): the median and the
-- best of each, in ms.
CREATE FUNCTION pg_temp.bench_pair(query_a text, query_b text, runs int, workers int,
                                   OUT a_median float8, OUT b_median float8,
                                   OUT a_best float8, OUT b_best float8)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  ta float8[] := '{}';
  tb float8[] := '{}';
BEGIN
  PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
  PERFORM set_config('jit', 'off', true);
  EXECUTE query_a;                        -- warm-up (buffers, catalog caches)
  EXECUTE query_b;
  FOR i IN 1..runs LOOP
    t0 := clock_timestamp();
    EXECUTE query_a;
    ta := ta || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
    t0 := clock_timestamp();
    EXECUTE query_b;
    tb := tb || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
  END LOOP;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO a_median, a_best
    FROM unnest(ta) t;
  SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY t), min(t) INTO b_median, b_best
    FROM unnest(tb) t;
END $$;

-- Each query consumes its aggregate's result (count(u) needs every u), so
-- the planner cannot drop the aggregate as an unused output.
\set q_count 'SELECT count(c) FROM (SELECT member_id, count(*) AS c FROM bench_util_allocation GROUP BY member_id) s'
\set q_util 'SELECT count(u) FROM (SELECT member_id, utilization(block, used, allocated_on) AS u FROM bench_util_allocation GROUP BY member_id) s'
\set q_util_table 'SELECT count(u) FROM (SELECT member_id, utilization(block, used, allocated_on, \'table\') AS u FROM bench_util_allocation GROUP BY member_id) s'
\set q_plain 'SELECT count(c) FROM (SELECT t.member_id, utilization_check(t.tu, t.ta, r.ru, addr_count(r.block)) AS c FROM (SELECT member_id, sum(addr_count(block)) AS ta, sum(coalesce(used, 0)) AS tu FROM bench_util_allocation GROUP BY member_id) t JOIN (SELECT DISTINCT ON (member_id) member_id, block, coalesce(used, 0) AS ru FROM bench_util_allocation ORDER BY member_id, allocated_on DESC NULLS LAST, masklen(block), block DESC, coalesce(used, 0) DESC) r USING (member_id)) s'

\echo
\echo 'utilization aggregate: 1,000,000 rows, 10,000 groups; ms, median (best) of runs alternating with count(*)'
-- (separate statements: a query that writes, like CREATE TABLE AS, would
-- keep the timed queries from running in parallel)
SELECT a_median AS c0, b_median AS u0, a_best AS c0b, b_best AS u0b
FROM pg_temp.bench_pair(:'q_count', :'q_util', 11, 0) \gset
SELECT a_median AS c0t, b_median AS t0, a_best AS c0tb, b_best AS t0b
FROM pg_temp.bench_pair(:'q_count', :'q_util_table', 5, 0) \gset
SELECT a_median AS c0p, b_median AS p0, a_best AS c0pb, b_best AS p0b
FROM pg_temp.bench_pair(:'q_count', :'q_plain', 3, 0) \gset
SELECT a_median AS c2, b_median AS u2, a_best AS c2b, b_best AS u2b
FROM pg_temp.bench_pair(:'q_count', :'q_util', 9, 2) \gset

SELECT query, workers,
       format('%s (%s)', round(count_ms::numeric, 1), round(count_best::numeric, 1)) AS "count(*) ms",
       format('%s (%s)', round(ms::numeric, 1), round(best::numeric, 1)) AS "query ms",
       round((ms / count_ms)::numeric, 2) AS "ratio (medians)",
       round((best / count_best)::numeric, 2) AS "ratio (bests)"
FROM (VALUES ('utilization(block, used, allocated_on)', 0, :c0::float8, :c0b::float8, :u0::float8, :u0b::float8),
             ('utilization(..., ''table'')', 0, :c0t, :c0tb, :t0, :t0b),
             ('plain SQL: sum + DISTINCT ON + utilization_check', 0, :c0p, :c0pb, :p0, :p0b),
             ('utilization(block, used, allocated_on)', 2, :c2, :c2b, :u2, :u2b))
     AS r(query, workers, count_ms, count_best, ms, best);

-- The verdict takes the best runs: on a shared machine other load only
-- ever adds time, so the best of alternating runs is the fairest estimate
-- of what each query costs; the medians are printed above as well.
SELECT CASE WHEN :u0b <= 2 * :c0b THEN 'target met' ELSE 'TARGET MISSED' END
       || format(': serial utilization is %sx count(*) on the same GROUP BY (best runs; medians %sx; target: within 2x)',
                 round((:u0b / :c0b)::numeric, 2), round((:u0 / :c0)::numeric, 2)) AS verdict;

-- the answers agree with the plain-SQL way (a benchmark of wrong answers
-- would be worthless)
SELECT count(*) AS members,
       count(*) FILTER (WHERE (a.u).eligible IS DISTINCT FROM p.eligible
                           OR (a.u).reason IS DISTINCT FROM p.reason) AS differ_from_plain_sql
FROM (SELECT member_id, utilization(block, used, allocated_on) AS u
      FROM bench_util_allocation GROUP BY member_id) a
JOIN (SELECT t.member_id, (utilization_check(t.tu, t.ta, r.ru, addr_count(r.block))).*
      FROM (SELECT member_id, sum(addr_count(block)) AS ta, sum(coalesce(used, 0)) AS tu
            FROM bench_util_allocation GROUP BY member_id) t
      JOIN (SELECT DISTINCT ON (member_id) member_id, block, coalesce(used, 0) AS ru
            FROM bench_util_allocation
            ORDER BY member_id, allocated_on DESC NULLS LAST, masklen(block), block DESC,
                     coalesce(used, 0) DESC) r USING (member_id)) p USING (member_id);

DROP FUNCTION pg_temp.bench_pair(text, text, int, int);
DROP TABLE bench_util_allocation;
