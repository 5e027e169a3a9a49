-- test/bench/10_sets.sql — addr_sum and addr_count(cidr_merge(..)) against
-- the plain-SQL ways of getting the same per-member figures, serial, on the
-- same GROUP BY; count(*) is the floor (what scanning and grouping cost).
-- With IPv6 in the data the comparison runs on the IPv4 rows (int8range
-- cannot hold IPv6 addresses) and a second table covers both families.

SET max_parallel_workers_per_gather = 0;
SELECT CASE WHEN :v6pct > 0 THEN 'WHERE family(block) = 4' ELSE '' END AS w \gset

CREATE TEMP TABLE q(ord int, label text, sql text);
INSERT INTO q VALUES
 (1, 'count(*)                         [floor]',
  format('SELECT member, count(*) FROM bench.blocks %s GROUP BY member', :'w')),
 (2, 'sum(2::numeric ^ (32 - masklen)) [plain SQL]',
  format('SELECT member, sum(2::numeric ^ (32 - masklen(block))) FROM bench.blocks %s GROUP BY member', :'w')),
 (3, 'addr_sum(block)',
  format('SELECT member, addr_sum(block) FROM bench.blocks %s GROUP BY member', :'w')),
 (4, 'range_agg(int8range) union       [plain SQL]',
  format('SELECT member, (SELECT sum(upper(r) - lower(r)) FROM unnest(range_agg(int8range(block - ''0.0.0.0''::inet, broadcast(block) - ''0.0.0.0''::inet + 1))) r) FROM bench.blocks %s GROUP BY member', :'w')),
 (5, 'addr_count(cidr_merge(block))',
  format('SELECT member, addr_count(cidr_merge(block)) FROM bench.blocks %s GROUP BY member', :'w')),
 (6, 'cidr_merge(block)',
  format('SELECT member, cidr_merge(block) FROM bench.blocks %s GROUP BY member', :'w')),
 -- the floor again, last: the lower of the two is the floor (the first runs
 -- of a session can meet background writes of the freshly loaded table)
 (7, 'count(*) again                   [floor]',
  format('SELECT member, count(*) FROM bench.blocks %s GROUP BY member', :'w'));

\echo 'same answers (mismatching members, must be 0):'
SELECT (SELECT count(*) FROM
          (SELECT member, addr_sum(block) a, sum(2::numeric ^ (32 - masklen(block))) b
           FROM bench.blocks WHERE family(block) = 4 GROUP BY member) s
        WHERE a <> b) AS addr_sum_vs_numeric,
       (SELECT count(*) FROM
          (SELECT member, addr_count(cidr_merge(block)) a,
                  (SELECT sum(upper(r) - lower(r)) FROM unnest(range_agg(int8range(
                      block - '0.0.0.0'::inet, broadcast(block) - '0.0.0.0'::inet + 1))) r) b
           FROM bench.blocks WHERE family(block) = 4 GROUP BY member) s
        WHERE a <> b) AS union_vs_range_agg;

CREATE TEMP TABLE t AS SELECT ord, label, (bench.timing(sql, :reps)).* FROM q;

\echo serial timings, best of :reps runs: wall clock and the CPU time of this backend in ms
\echo (x count(*): against the lower of the two count(*) rows)
\echo (waited: run-queue wait during the best run, time the other load took from this backend)
SELECT t.label AS query, t.wall_ms AS wall, t.cpu_ms AS cpu, t.wait_ms AS waited,
       round(t.cpu_ms / f.cpu_ms, 2) AS "x count(*) cpu",
       round(t.wall_ms / f.wall_ms, 2) AS "x count(*) wall",
       CASE t.ord WHEN 3 THEN round(p2.cpu_ms / t.cpu_ms, 1)
                  WHEN 5 THEN round(p4.cpu_ms / t.cpu_ms, 1) END AS "faster than plain SQL (cpu)"
FROM t, t p2, t p4,
     (SELECT min(wall_ms) AS wall_ms, min(cpu_ms) AS cpu_ms FROM t WHERE ord IN (1, 7)) f
WHERE p2.ord = 2 AND p4.ord = 4
ORDER BY t.ord;

SELECT :v6pct > 0 AS has_v6 \gset
\if :has_v6
\echo 'both families, GROUP BY member, family(block):'
-- (a record-returning call per VALUES row is not expandable: the same
-- temporary-table form as above)
CREATE TEMP TABLE t2 AS SELECT ord, label, (bench.timing(sql, :reps)).* FROM (VALUES
 (1, 'count(*)', 'SELECT member, family(block), count(*) FROM bench.blocks GROUP BY 1, 2'),
 (2, 'addr_sum(block)', 'SELECT member, family(block), addr_sum(block) FROM bench.blocks GROUP BY 1, 2'),
 (3, 'addr_count(cidr_merge(block))', 'SELECT member, family(block), addr_count(cidr_merge(block)) FROM bench.blocks GROUP BY 1, 2')
) v(ord, label, sql);
SELECT t2.label AS query, t2.wall_ms AS wall, t2.cpu_ms AS cpu, t2.wait_ms AS waited,
       round(t2.cpu_ms / f.cpu_ms, 2) AS "x count(*) cpu"
FROM t2, t2 f WHERE f.ord = 1 ORDER BY t2.ord;
\endif
