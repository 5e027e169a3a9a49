-- test/bench/00_data.sql — the shared data set and timing helpers of the
-- benchmarks (schema bench), deterministic for given sizes (setseed).
--
-- A registry-like table bench.blocks(member, block): each member holds
-- allocations (a tenth of its rows), laid out one per slot so that they
-- never overlap across members but a member's consecutive full-slot
-- allocations touch (and merge); the other rows are assignments nested at
-- random inside the member's allocations (they overlap each other, repeat,
-- and sometimes cover a whole allocation).  :v6pct percent of the
-- allocations are IPv6 (/32../34 with /36../56 assignments); IPv4
-- allocations are one slot (/20 or /21) or smaller, assignments 1..8 bits
-- longer.  Rows are stored in random order.

SET client_min_messages = warning;
CREATE SCHEMA bench;

SELECT greatest(1, :rows / :members / 10) AS apm \gset
SELECT :members * :apm AS nalloc, :rows - :members * :apm AS nasg,
       least(12, 31 - ceil(log(2, :members * :apm))::int) AS slotbits \gset

SELECT setseed(0.2024) \g /dev/null

CREATE TABLE bench.alloc AS
SELECT id, id / :apm AS member, v6,
       CASE WHEN v6 THEN 32 + floor(random() * 3)::int
            ELSE 32 - :slotbits + floor(random() * 4)::int END AS len
FROM (SELECT id, random() * 100 < :v6pct AS v6
      FROM generate_series(0, :nalloc - 1) id) a;

ALTER TABLE bench.alloc ADD COLUMN block pg_catalog.cidr;
UPDATE bench.alloc SET block = CASE WHEN v6
    THEN format('%s:%s::/%s', to_hex(8192 + (id >> 16)), to_hex(id & 65535), len)::cidr
    ELSE set_masklen('1.0.0.0'::inet + (id::bigint << :slotbits), len)::cidr END;

CREATE TABLE bench.asg AS
WITH pick AS (
    SELECT j, j % :members AS member,
           (j % :members) * :apm + floor(random() * :apm)::bigint AS aid,
           random() AS r1, random() AS r2
    FROM generate_series(0, :nasg - 1) j
), sized AS (
    SELECT p.member, a.id AS aid, a.v6, a.block AS ablock, a.len AS alen,
           CASE WHEN a.v6 THEN a.len + 4 + floor(p.r1 * 21)::int
                ELSE least(32, a.len + 1 + floor(p.r1 * 8)::int) END AS len,
           p.r2
    FROM pick p JOIN bench.alloc a ON a.id = p.aid
), placed AS (
    SELECT member, aid, v6, ablock, len,
           floor(r2 * (2::numeric ^ (len - alen)))::bigint AS k
    FROM sized
)
SELECT member, CASE WHEN v6
    THEN format('%s:%s:%s:%s::/%s', to_hex(8192 + (aid >> 16)), to_hex(aid & 65535),
                to_hex((k << (64 - len)) >> 16), to_hex((k << (64 - len)) & 65535), len)::cidr
    ELSE set_masklen(ablock + (k << (32 - len)), len)::cidr END AS block
FROM placed;

CREATE TABLE bench.blocks AS
SELECT member, block FROM (
    SELECT member::int, block, random() AS o FROM bench.alloc
    UNION ALL
    SELECT member::int, block, random() FROM bench.asg) u
ORDER BY o;
DROP TABLE bench.alloc, bench.asg;
VACUUM ANALYZE bench.blocks;
-- write the new table out now, not while the first timings run
CHECKPOINT;

-- this backend's CPU time and run-queue wait so far, in ns (Linux
-- /proc/self/schedstat; NULLs where it cannot be read)
CREATE FUNCTION bench.sched(OUT cpu_ns bigint, OUT wait_ns bigint)
LANGUAGE plpgsql AS $$
DECLARE
    f text[];
BEGIN
    f := string_to_array(trim(pg_read_file('/proc/self/schedstat')), ' ');
    cpu_ns := f[1]::bigint;
    wait_ns := f[2]::bigint;
EXCEPTION WHEN OTHERS THEN
    cpu_ns := NULL;
    wait_ns := NULL;
END $$;

-- a query run reps times after one warm-up: the best wall time, the best
-- CPU time of this backend (what the machine's other load does not change;
-- serial plans only: workers are other processes), and the run-queue wait
-- during the best wall-time run (time this backend was ready to run but
-- another process had the CPU: the noise in the wall time), all in ms
CREATE FUNCTION bench.timing(q text, reps int,
    OUT wall_ms numeric, OUT cpu_ms numeric, OUT wait_ms numeric)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    s0 record;
    s1 record;
    w numeric;
BEGIN
    EXECUTE q;
    wall_ms := 'Infinity';
    FOR i IN 1 .. reps LOOP
        s0 := bench.sched();
        t0 := clock_timestamp();
        EXECUTE q;
        w := extract(epoch FROM clock_timestamp() - t0) * 1000;
        s1 := bench.sched();
        IF w < wall_ms THEN
            wall_ms := w;
            wait_ms := round((s1.wait_ns - s0.wait_ns) / 1e6, 1);
        END IF;
        cpu_ms := least(cpu_ms, (s1.cpu_ns - s0.cpu_ns) / 1e6);
    END LOOP;
    wall_ms := round(wall_ms, 1);
    cpu_ms := round(cpu_ms, 1);
END $$;

-- best-of-reps wall time of a query, in ms, after one warm-up run
CREATE FUNCTION bench.time_ms(q text, reps int) RETURNS numeric
LANGUAGE sql AS $$ SELECT (bench.timing(q, reps)).wall_ms $$;

-- workers launched by the Gather of a query (0 when serial)
CREATE FUNCTION bench.workers(q text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || q INTO plan;
    RETURN coalesce((SELECT sum((m[1])::int) FROM
        regexp_matches(plan::text, '"Workers Launched": (\d+)', 'g') m), 0);
END $$;

-- execution time (ms) and peak HashAggregate memory (kB) of one run
CREATE FUNCTION bench.hashagg(q text, OUT ms numeric, OUT kb bigint)
LANGUAGE plpgsql AS $$
DECLARE
    plan text;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || q INTO plan;
    ms := round((regexp_match(plan, '"Execution Time": ([0-9.]+)'))[1]::numeric, 1);
    kb := (regexp_match(plan, '"Peak Memory Usage": (\d+)'))[1]::bigint;
END $$;

RESET client_min_messages;
SELECT count(*) AS blocks, count(DISTINCT member) AS members,
       count(*) FILTER (WHERE family(block) = 6) AS ipv6_blocks,
       pg_size_pretty(pg_table_size('bench.blocks')) AS table_size
FROM bench.blocks;
