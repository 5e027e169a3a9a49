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

-- best-of-reps wall time of a query, in ms, after one warm-up run
CREATE FUNCTION bench.time_ms(q text, reps int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best numeric := 'Infinity';
BEGIN
    EXECUTE q;
    FOR i IN 1 .. reps LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN round(best, 1);
END $$;

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
