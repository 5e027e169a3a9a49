--
-- Run-out allocation policies: ARIN Draft Policy 2009-8 "Equitable IPv4
-- Run-Out" and the IANA "Global Policy for Post Exhaustion IPv4 Allocation
-- Mechanisms" (doc/policy/).  The arithmetic behind every expected
-- value is in the comments; test/allocation/ checks the same laws on
-- thousands of random cases against an independent Python model.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse
SET DateStyle = 'ISO, YMD';

-- err(statement): the SQLSTATE and message a statement raises
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

---------------------------------------------------------------------------
-- max_allocation: "the next whole CIDR prefix less than or equal to one
-- quarter (1/4) of the total ARIN free pool ..., but no longer than the
-- applicable minimum allocation"
---------------------------------------------------------------------------

-- 16,777,216 (a /8): 1/4 = 4,194,304 = 2^22 exactly -> /(32-22) = /10
-- 1,000,000: 1/4 = 250,000; 2^17 = 131,072 <= 250,000 < 262,144 = 2^18 -> /15
-- 262,144 = 4 * 2^16: 1/4 = 65,536 = 2^16 -> /16
-- 262,143: 1/4 = 65,535.75, less than 2^16; 2^15 = 32,768 -> /17
-- 1,024: 1/4 = 256 = 2^8 -> /24, the minimum itself
-- 4,294,967,296 (all of IPv4): 1/4 = 2^30 -> /2
SELECT pool, max_allocation(pool) AS masklen,
       prefix_size(max_allocation(pool)) AS addresses
FROM (VALUES (16777216), (1000000), (262144), (262143), (1024),
             (4294967296)) v(pool);

-- a tiny pool clamps to the minimum allocation (a /24): "no longer than the
-- applicable minimum allocation", even when a quarter is below one address
-- 1,023: 1/4 = 255.75 -> /25, longer than /24 -> 24
-- 300: 1/4 = 75 -> 2^6 = 64 -> /26 -> 24
-- 3: 1/4 = 0.75, less than one address -> 24
-- 1: 1/4 = 0.25 -> 24
SELECT pool, max_allocation(pool) AS masklen
FROM (VALUES (1023), (300), (3), (1)) v(pool);

-- A free pool smaller than the minimum allocation itself (100 < 256) still
-- gives the minimum: the rule caps what one organization may receive, and
-- the cap is never below the minimum; whether the pool can fill a request
-- is a separate question (prefix_size(max_allocation(p)) <= p).
SELECT max_allocation(100) AS masklen,
       prefix_size(max_allocation(100)) <= 100 AS pool_can_fill_it,
       prefix_size(max_allocation(1024)) <= 1024 AS pool_1024_can_fill_it;

-- another minimum: ARIN's /20 for ISPs
-- 16,777,216 -> /10 (as above, shorter than /20)
-- 10,000: 1/4 = 2,500 -> 2^11 = 2,048 -> /21, longer than /20 -> 20
-- 16,384 = 4 * 2^12: 1/4 = 4,096 = 2^12 -> /20 exactly
SELECT pool, max_allocation(pool, 20) AS masklen
FROM (VALUES (16777216), (10000), (16384)) v(pool);

-- minimum /32 (a single address) and /0 (the whole space)
-- 7: 1/4 = 1.75 -> 2^0 -> /32;  3: 0.75, below one address -> 32
-- 2^32 with minimum /0: /2 is longer than /0 -> 0
SELECT max_allocation(7, 32) AS p7, max_allocation(3, 32) AS p3,
       max_allocation(4294967296, 0) AS whole_min0;

-- other shares, as the text discusses ("one half (1/2) or one eighth (1/8)")
-- 1,000,000 / 2 = 500,000 -> 2^18 = 262,144 -> /14
-- 1,000,000 / 8 = 125,000 -> 2^16 = 65,536 -> /16
-- 1,000,000 / 2.5 = 400,000 -> 2^18 -> /14
-- 1,000,000 / 3 = 333,333.3 -> 2^18 -> /14
-- 1,000,000 / 1 = 1,000,000 -> 2^19 = 524,288 -> /13
-- 2^32 / 1 = 2^32 -> /0
SELECT max_allocation(1000000, 24, 2) AS half,
       max_allocation(1000000, 24, 8) AS eighth,
       max_allocation(1000000, 24, 2.5) AS share_2_5,
       max_allocation(1000000, 24, 3) AS third,
       max_allocation(1000000, 24, 1) AS whole,
       max_allocation(4294967296, 24, 1) AS all_of_ipv4;

-- the division is exact: 1,000,000 / 262,144 = 15625/4096 = 3.814697265625,
-- so with that share the quotient is exactly 2^18 -> /14; a share larger by
-- 10^-13 gives a quotient just below 2^18 -> /15
SELECT max_allocation(1000000, 24, 3.814697265625) AS exact,
       max_allocation(1000000, 24, 3.8146972656251) AS just_below;

-- IPv6 (family 6): the policy is IPv4's, but the arithmetic is the same
-- 2^96 (a /32): 1/4 = 2^94 -> /34
-- 2^64 (a /64) with minimum /48: 1/4 = 2^62 -> /66, longer than /48 -> 48
-- 2^128 (all of IPv6): 1/4 = 2^126 -> /2
SELECT max_allocation(prefix_size(32, 6), 48, 4, 6) AS v6_slash32,
       max_allocation(prefix_size(64, 6), 48, 4, 6) AS v6_slash64,
       max_allocation(340282366920938463463374607431768211456, 48, 4, 6) AS v6_all;

-- NULL in, NULL out (a bare NULL is ambiguous between the numeric and the
-- cidr[] overloads: cast it)
SELECT max_allocation(NULL::numeric) IS NULL AS pool_null,
       max_allocation(1000, NULL) IS NULL AS min_null,
       max_allocation(1000, 24, NULL) IS NULL AS share_null,
       max_allocation(1000, 24, 4, NULL) IS NULL AS family_null;

-- errors
SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT max_allocation(0)'),
    ('SELECT max_allocation(-1)'),
    ('SELECT max_allocation(1000.5)'),
    ('SELECT max_allocation(''NaN''::numeric)'),
    ('SELECT max_allocation(''Infinity''::numeric)'),
    ('SELECT max_allocation(''-Infinity''::numeric)'),
    ('SELECT max_allocation(4294967297)'),
    -- exactly 2^128 is beyond IPv4 too (1.0 accepted it and answered 0)
    ('SELECT max_allocation(2::numeric ^ 128)'),
    ('SELECT max_allocation(340282366920938463463374607431768211457, 48, 4, 6)'),
    ('SELECT max_allocation(1000, 24, 0)'),
    ('SELECT max_allocation(1000, 24, -4)'),
    ('SELECT max_allocation(1000, 24, 0.5)'),
    ('SELECT max_allocation(1000, 24, ''NaN'')'),
    ('SELECT max_allocation(1000, 24, ''Infinity'')'),
    ('SELECT max_allocation(1000, -1)'),
    ('SELECT max_allocation(1000, 33)'),
    ('SELECT max_allocation(1000, 129, 4, 6)'),
    ('SELECT max_allocation(1000, 24, 4, 5)')
) v(q);

---------------------------------------------------------------------------
-- supply_months: "up to a 12 month supply"; "When IANA reaches 20 or fewer
-- unallocated /8s, ... up to a 6 month supply"; "When IANA reaches 10 or
-- fewer unallocated /8s, ... up to a 3 month supply"; "An organization
-- receiving a transfer under section 8.3 may continue to request up to a
-- 12 month supply"
---------------------------------------------------------------------------
SELECT n AS iana_free_slash8, supply_months(n) AS months,
       supply_months(n, true) AS transfer_months
FROM (VALUES (256), (21), (20), (11), (10), (1), (0)) v(n);

SELECT supply_months(NULL) IS NULL AS count_null,
       supply_months(5, NULL) IS NULL AS transfer_null;

SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT supply_months(-1)'),
    ('SELECT supply_months(-1, true)'),
    ('SELECT supply_months(257)')
) v(q);

---------------------------------------------------------------------------
-- allocation_unit: "IPv4 allocation unit = 1/5 of Recovered IPv4 pool,
-- rounded down to the next CIDR (power-of-2) boundary"; "If the calculation
-- ... results in a block smaller than a /24, the IANA will not distribute
-- any addresses in that IPv4 allocation period"
---------------------------------------------------------------------------

-- 5 * 2^20 = 5,242,880: 1/5 = 2^20 exactly -> /12
-- 5 * 2^20 - 1 = 5,242,879: 1/5 = 1,048,575.8, below 2^20 -> 2^19 -> /13
-- 1,280 = 5 * 256: 1/5 = 256 -> /24, the smallest unit
-- 1,279: 1/5 = 255.8, below 256 -> NULL, nothing is distributed
-- 16,777,216: 1/5 = 3,355,443.2 -> 2^21 = 2,097,152 -> /11
-- 4,294,967,296: 1/5 = 858,993,459.2 -> 2^29 = 536,870,912 -> /3
-- 4: 1/5 = 0.8, below one address -> NULL
SELECT pool, allocation_unit(pool) AS unit_masklen,
       prefix_size(allocation_unit(pool)) AS unit_addresses
FROM (VALUES (5242880), (5242879), (1280), (1279), (16777216),
             (4294967296), (4)) v(pool);

-- other recipients and minimums
-- 1,279 to 1 recipient: 2^10 = 1,024 <= 1,279 < 2,048 -> /22
-- 2^32 to 1 recipient: /0
-- 2^32 to 2,147,483,647 recipients: 1/n = 2.000000001 -> 2^1 -> /31,
--   smaller than /24 -> NULL; with minimum /32 -> 31
-- 1,279 with minimum /25: 255.8 -> 2^7 = 128 -> /25
-- 1,280 with minimum /23: /24 is smaller than /23 -> NULL
SELECT allocation_unit(1279, 1) AS one_recipient,
       allocation_unit(4294967296, 1) AS all_to_one,
       allocation_unit(4294967296, 2147483647) AS many,
       allocation_unit(4294967296, 2147483647, 32) AS many_min32,
       allocation_unit(1279, 5, 25) AS min25,
       allocation_unit(1280, 5, 23) AS min23;

-- IPv6: 2^128 / 5 = 6.8e37; 2^125 = 4.25e37 <= 6.8e37 < 2^126 -> /3
-- a /32 to 5 RIRs with minimum /48: 2^96 / 5 -> 2^93 -> /35
SELECT allocation_unit(340282366920938463463374607431768211456, 5, 48, 6) AS v6_all,
       allocation_unit(prefix_size(32, 6), 5, 48, 6) AS v6_slash32;

SELECT allocation_unit(NULL) IS NULL AS pool_null,
       allocation_unit(1280, NULL) IS NULL AS recipients_null,
       allocation_unit(1280, 5, NULL) IS NULL AS min_null,
       allocation_unit(1280, 5, 24, NULL) IS NULL AS family_null;

SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT allocation_unit(0)'),
    ('SELECT allocation_unit(-5242880)'),
    ('SELECT allocation_unit(1280.5)'),
    ('SELECT allocation_unit(''NaN'')'),
    ('SELECT allocation_unit(''Infinity'')'),
    ('SELECT allocation_unit(4294967297)'),
    ('SELECT allocation_unit(2::numeric ^ 128)'),
    ('SELECT allocation_unit(1280, 0)'),
    ('SELECT allocation_unit(1280, -5)'),
    ('SELECT allocation_unit(1280, 5, 33)'),
    ('SELECT allocation_unit(1280, 5, -1)'),
    ('SELECT allocation_unit(1280, 5, 24, 0)')
) v(q);

---------------------------------------------------------------------------
-- allocation_period: "An IPv4 allocation period is defined as a 6-month
-- period following 1 March or 1 September in each year"
---------------------------------------------------------------------------

-- 28 Feb and 29 Feb belong to the period begun the September before; 1 Mar
-- and 31 Aug to [Mar, Sep); 1 Sep and 31 Dec to [Sep, next Mar); 2100 is
-- not a leap year, 2000 and 2012 are
SELECT d, allocation_period(d) AS period
FROM (VALUES (date '2011-02-28'), ('2012-02-28'), ('2012-02-29'),
             ('2012-03-01'), ('2012-08-31'), ('2012-09-01'), ('2012-12-31'),
             ('2013-01-01'), ('2000-02-29'), ('2100-02-28'), ('2100-03-01'))
     v(d);

-- every day of 2011-2016 lies in its period; periods tile the calendar
-- (each one's end is the next one's start); [Mar, Sep) has 31+30+31+30+31+31
-- = 184 days, [Sep, Mar) 30+31+30+31+31 + 28 = 181, or 182 before a leap
-- February (2011-09 and 2015-09)
SELECT count(*) AS days,
       count(*) FILTER (WHERE NOT allocation_period(d) @> d) AS outside,
       count(*) FILTER (WHERE lower(allocation_period(upper(allocation_period(d))))
                              <> upper(allocation_period(d))) AS gaps,
       count(DISTINCT allocation_period(d)) AS periods
FROM generate_series(date '2011-01-01', date '2016-12-31', '1 day') g(t),
     LATERAL (SELECT t::date) v(d);

SELECT upper(p) - lower(p) AS days, count(*) AS periods,
       string_agg(to_char(lower(p), 'YYYY-MM'), ' ' ORDER BY p) AS starting
FROM (SELECT DISTINCT allocation_period(t::date) p
      FROM generate_series(date '2011-03-01', date '2017-02-28', '1 day') g(t)) s
GROUP BY 1 ORDER BY 1;

-- across the era: 1 AD follows 1 BC (no year 0); the earliest and latest
-- periods PostgreSQL can represent
SELECT d, allocation_period(d) AS period
FROM (VALUES (date '0001-01-15'), ('0001-01-15 BC'), ('0001-10-01 BC'),
             ('4713-03-01 BC'), ('4713-08-31 BC'), ('5874897-08-31'))
     v(d);

SELECT allocation_period(NULL) IS NULL AS null_date;

SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT allocation_period(''infinity'')'),
    ('SELECT allocation_period(''-infinity'')'),
    ('SELECT allocation_period(''4714-11-24 BC'')'),
    ('SELECT allocation_period(''4713-02-28 BC'')'),
    ('SELECT allocation_period(''5874897-09-01'')'),
    ('SELECT allocation_period(''5874897-12-31'')')
) v(q);

---------------------------------------------------------------------------
-- allocation_schedule: "In each IPv4 allocation period, each RIR will
-- receive a single IPv4 allocation unit"; the unit is calculated "When the
-- Recovered IPv4 Pool is first activated" and "At the beginning of each
-- IPv4 allocation period"
---------------------------------------------------------------------------

-- 5 * 2^20 activated 2011-05-20: the first period is the one containing
-- that day, [2011-03-01, 2011-09-01); unit 2^20 (/12), 5 units = 5,242,880
-- distributed, nothing remains; the next period distributes nothing
SELECT * FROM allocation_schedule(5242880, '2011-05-20');

-- ends exactly at the /24 boundary: 5 * 2^20 + 5 * 256 = 5,244,160
-- 1/5 = 1,048,832 -> 2^20 (/12): 5,242,880 out, 1,280 left
-- 1/5 = 256 -> /24: 1,280 out, 0 left; then nothing
SELECT * FROM allocation_schedule(5244160, '2011-05-20');

-- 1,280 = 5 * 256: one /24 each, then nothing; 1,279: nothing at all
SELECT * FROM allocation_schedule(1280, '2012-09-01');
SELECT * FROM allocation_schedule(1279, '2012-09-01');

-- activated in February: the first period began the September before
-- 2,560 = 5 * 512: 1/5 = 512 -> /23, nothing left
SELECT * FROM allocation_schedule(2560, '2016-02-29');

-- a recovered /8 (16,777,216) from 1 March 2014; by hand:
--  16,777,216 / 5 = 3,355,443.2 -> 2^21 /11: 10,485,760 out, 6,291,456 left
--   6,291,456 / 5 = 1,258,291.2 -> 2^20 /12:  5,242,880 out, 1,048,576 left
--   1,048,576 / 5 =   209,715.2 -> 2^17 /15:    655,360 out,   393,216 left
--     393,216 / 5 =    78,643.2 -> 2^16 /16:    327,680 out,    65,536 left
--      65,536 / 5 =    13,107.2 -> 2^13 /19:     40,960 out,    24,576 left
--      24,576 / 5 =     4,915.2 -> 2^12 /20:     20,480 out,     4,096 left
--       4,096 / 5 =       819.2 -> 2^9  /23:      2,560 out,     1,536 left
--       1,536 / 5 =       307.2 -> 2^8  /24:      1,280 out,       256 left
--         256 / 5 =        51.2 -> below a /24: nothing, 256 stay
SELECT * FROM allocation_schedule(16777216, '2014-03-01');

-- the same pool with a /20 minimum stops after the /20 row with 4,096 left
SELECT * FROM allocation_schedule(16777216, '2014-03-01', 5, 20);

-- a schedule never hands out more than the pool: distributed in total plus
-- what finally remains is the pool.  The longest run-down: 2^32 - 1 (32 one
-- bits) to one recipient with a /32 minimum takes the highest bit each
-- period: 32 periods (16 years) then one that distributes nothing
SELECT count(*) AS rows, sum(distributed) AS distributed,
       min(remaining) AS left_over, min(lower(period)) AS first,
       max(lower(period)) AS last
FROM allocation_schedule(4294967295, '2020-03-01', 1, 32);

SELECT pool, count(*) AS rows,
       sum(distributed) + min(remaining) = pool AS balanced,
       bool_and(distributed = 5 * coalesce(unit_addresses, 0)) AS five_units
FROM (VALUES (4294967296), (16777216), (1000000), (5244160), (1279), (1))
     v(pool), allocation_schedule(pool, '2011-05-20')
GROUP BY pool ORDER BY pool;

-- NULL arguments give no rows
SELECT count(*) AS null_rows FROM (
    SELECT * FROM allocation_schedule(NULL, '2011-05-20')
    UNION ALL SELECT * FROM allocation_schedule(1280, NULL)
    UNION ALL SELECT * FROM allocation_schedule(1280, '2011-05-20', NULL)
    UNION ALL SELECT * FROM allocation_schedule(1280, '2011-05-20', 5, NULL)) s;

-- errors; a schedule that would run past the last date PostgreSQL has
-- (5874897-12-31) fails rather than stopping short: 2^32 needs 13 periods,
-- the third from 5874897-01-01 already ends in 5874898
SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT allocation_schedule(0, ''2011-05-20'')'),
    ('SELECT allocation_schedule(-1280, ''2011-05-20'')'),
    ('SELECT allocation_schedule(1280.5, ''2011-05-20'')'),
    ('SELECT allocation_schedule(''NaN'', ''2011-05-20'')'),
    ('SELECT allocation_schedule(4294967297, ''2011-05-20'')'),
    ('SELECT allocation_schedule(2::numeric ^ 128, ''2026-01-01'')'),
    ('SELECT allocation_schedule(1280, ''2011-05-20'', 0)'),
    ('SELECT allocation_schedule(1280, ''2011-05-20'', 5, 33)'),
    ('SELECT allocation_schedule(1280, ''infinity'')'),
    ('SELECT allocation_schedule(4294967296, ''5874897-01-01'')')
) v(q);

---------------------------------------------------------------------------
-- The 3-month window of 2009-8: "the total of all allocations received
-- within the last three (3) month period and the current request, cannot
-- exceed the current maximum allocation size".  A rule over rows: this is
-- the query of doc/allocation.md.  The free pool is 1,000,000 addresses,
-- so the maximum allocation is a /15 = 131,072 addresses.
---------------------------------------------------------------------------
CREATE TEMP TABLE allocations (org text, block cidr, allocated_on date);
INSERT INTO allocations VALUES
    ('A', '198.51.0.0/16', '2011-04-10'),
    ('A', '203.0.0.0/17',  '2011-06-01'),
    ('B', '192.0.0.0/15',  '2011-01-05');
CREATE TEMP TABLE requests (org text, masklen int, requested_on date,
                            free_pool numeric);
INSERT INTO requests VALUES
    ('A', 17, '2011-07-01', 1000000),   -- 65,536 + 32,768 + 32,768 = 131,072: allowed
    ('A', 16, '2011-07-01', 1000000),   -- 65,536 + 32,768 + 65,536 = 163,840: refused
    ('A', 16, '2011-07-10', 1000000),   -- 10 April is exactly 3 months back: still counts, refused
    ('A', 16, '2011-07-11', 1000000),   -- 10 April has left the window: 32,768 + 65,536 = 98,304, allowed
    ('B', 15, '2011-04-06', 1000000),   -- 5 January left the window on 6 April: 131,072, allowed
    ('C', 14, '2011-07-01', 1000000);   -- 262,144 alone exceeds 131,072: refused

SELECT r.org, '/' || r.masklen AS request, r.requested_on,
       coalesce(sum(addr_count(a.block)), 0) AS last_3_months,
       prefix_size(max_allocation(r.free_pool)) AS maximum,
       coalesce(sum(addr_count(a.block)), 0) + prefix_size(r.masklen)
           <= prefix_size(max_allocation(r.free_pool)) AS allowed
FROM requests r
LEFT JOIN allocations a
       ON a.org = r.org
      AND a.allocated_on >= (r.requested_on - interval '3 months')::date
      AND a.allocated_on <= r.requested_on
GROUP BY r.org, r.masklen, r.requested_on, r.free_pool
ORDER BY r.org, r.requested_on, r.masklen DESC;

---------------------------------------------------------------------------
-- every function of the suite is IMMUTABLE, PARALLEL SAFE and commented
---------------------------------------------------------------------------
SELECT p.oid::regprocedure::text AS function, p.provolatile, p.proparallel,
       p.proisstrict, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.proname IN ('max_allocation', 'supply_months', 'allocation_unit',
                    'allocation_period', 'allocation_schedule')
ORDER BY 1;
