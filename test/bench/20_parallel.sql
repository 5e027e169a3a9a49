-- test/bench/20_parallel.sql — the same GROUP BY member queries with 0, 1
-- and 2 parallel workers (the leader takes part too), on the whole table.
-- The planner's parallel costs are zeroed so that it takes exactly the
-- number of workers asked for; "workers" shows how many it launched.

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
ALTER TABLE bench.blocks SET (parallel_workers = 2);
SELECT CASE WHEN :v6pct > 0 THEN ', family(block)' ELSE '' END AS g \gset

CREATE FUNCTION pg_temp.timed(q text, reps int, w int,
    OUT ms numeric, OUT waited numeric, OUT workers int)
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', w::text, false);
    t := bench.timing(q, reps);
    ms := t.wall_ms;
    waited := t.wait_ms;
    workers := bench.workers(q);
END $$;

CREATE TEMP TABLE pq(ord int, label text, sql text);
INSERT INTO pq VALUES
 (1, 'count(*)', format('SELECT member%1$s, count(*) FROM bench.blocks GROUP BY member%1$s', :'g')),
 (2, 'addr_sum(block)', format('SELECT member%1$s, addr_sum(block) FROM bench.blocks GROUP BY member%1$s', :'g')),
 (3, 'addr_count(cidr_merge(block))', format('SELECT member%1$s, addr_count(cidr_merge(block)) FROM bench.blocks GROUP BY member%1$s', :'g')),
 (4, 'addr_sum(block), one group', 'SELECT addr_sum(block) FROM bench.blocks WHERE family(block) = 4'),
 (5, 'addr_count(cidr_merge(block)), one group', 'SELECT addr_count(cidr_merge(block)) FROM bench.blocks WHERE family(block) = 4');

CREATE TEMP TABLE pt AS
SELECT ord, label, w, (pg_temp.timed(sql, :reps, w)).*
FROM pq, generate_series(0, 2) w;

\echo parallel wall-clock timings in ms, best of :reps runs (workers launched; the run-queue wait of the leader in that run)
SELECT p0.label AS query,
       p0.ms || ' (' || p0.workers || '; ' || p0.waited || ')' AS "0 workers",
       p1.ms || ' (' || p1.workers || '; ' || p1.waited || ')' AS "1 worker",
       p2.ms || ' (' || p2.workers || '; ' || p2.waited || ')' AS "2 workers",
       round(p0.ms / p1.ms, 2) AS "speed-up 1",
       round(p0.ms / p2.ms, 2) AS "speed-up 2"
FROM pt p0 JOIN pt p1 USING (ord) JOIN pt p2 USING (ord)
WHERE p0.w = 0 AND p1.w = 1 AND p2.w = 2
ORDER BY ord;

\echo same answers serial and parallel (mismatching groups, must be 0):
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT member, family(block) f, addr_sum(block) s, cidr_merge(block) m FROM bench.blocks GROUP BY 1, 2;
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE par AS
SELECT member, family(block) f, addr_sum(block) s, cidr_merge(block) m FROM bench.blocks GROUP BY 1, 2;
SELECT count(*) AS mismatches FROM serial FULL JOIN par USING (member, f)
WHERE serial.s IS DISTINCT FROM par.s OR serial.m IS DISTINCT FROM par.m;
ALTER TABLE bench.blocks RESET (parallel_workers);
