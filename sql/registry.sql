--
-- The example registry (examples/registry/): its schema, triggers, allocate()
-- and views over a small FIXED registry built here step by step.
--
-- Every figure below is worked out by hand in the comments, and
-- test/registry/verify_expected.py recomputes each result marked
-- "-- verify: NAME" with Python (ipaddress for the sets, exact integers and
-- fractions for the HD ratio, the tables and the 80% rule) from its own copy
-- of this registry.
--
-- Hand arithmetic used below (t^h rounded up; u >= t^h is checked in Python
-- with integers, u^1000 >= t^966):
--   total HD 0.966:   6144 -> 4567.14 -> 4568,  49152 -> 34043.08 -> 34044,
--                     5120 -> 3829.61 -> 3830,  114688 -> 77178.15 -> 77179
--   recent HD 0.930:  2048 -> 1200.98 -> 1201,  32768 -> 15825.90 -> 15826,
--                     1024 -> 630.35 -> 631,  65536 -> 30152.71 -> 30153
--   80% cap: ceil(0.8 r): 2048 -> 1639, 32768 -> 26215, 1024 -> 820,
--                     65536 -> 52429 (never lower than the HD figure here)
--   IPv6 /56 units at 0.94: 65536 -> 33689.23 -> 33690, 4096 -> 2486.67 -> 2487
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse
SET DateStyle = 'ISO, YMD';

-- The registry's own files, as a user loads them (psql runs in the directory
-- make runs in, the top of the tree).  schema.sql sets the search_path to
-- "registry, public".
\set ECHO none
\i examples/registry/schema.sql
\i examples/registry/views.sql
\set ECHO all
SHOW search_path;

-- Error messages with their DETAIL and HINT, without the PL/pgSQL context
-- (its line numbers would tie this file to the layout of schema.sql).
\set VERBOSITY default
\set SHOW_CONTEXT never

---------------------------------------------------------------------------
-- The fixed registry
---------------------------------------------------------------------------

INSERT INTO registry.member (id, name, joined) VALUES
	(1, 'Alpha Net', '2015-01-01'),
	(2, 'Beta Telecom', '2016-06-01'),
	(3, 'Gamma Hosting', '2018-03-15'),
	(4, 'Delta Fiber', '2020-01-01'),
	(5, 'Epsilon Labs', '2021-01-01');

-- The free pool: 262144 + 65536 = 327680 IPv4 addresses; one IPv6 /32.
INSERT INTO registry.free_pool (block) VALUES
	('10.0.0.0/14'), ('10.8.0.0/16'), ('2001:db8::/32');

-- Allocations, in date order, through allocate() (best fit: a /n of the
-- smallest free block that can hold it).  The maximum allocation in force
-- is recorded with each IPv4 one:
--   327680 / 4 = 81920, 2^16 <= 81920 < 2^17: /16   (and it stays /16:
--   the pool never falls below 4 * 65536 = 262144 here)
-- 1: member 1, /20: the /16 is the smallest block holding a /20 -> 10.8.0.0/20;
--    free: 10.0.0.0/14, 10.8.16.0/20, 10.8.32.0/19, 10.8.64.0/18, 10.8.128.0/17
SELECT registry.allocate(1, 20, '2019-01-10');
-- 2: member 2, /18: 10.8.64.0/18 exactly
SELECT registry.allocate(2, 18, '2019-02-01');
-- 3: member 3, /22: the smallest holding it is 10.8.16.0/20 -> 10.8.16.0/22;
--    leaves 10.8.20.0/22 and 10.8.24.0/21
SELECT registry.allocate(3, 22, '2019-03-01');
-- IPv6: member 1, /40 of 2001:db8::/32 -> 2001:db8::/40
SELECT registry.allocate(1, 40, '2019-05-01', 6);
-- 4: member 1, /21: 10.8.24.0/21 exactly (its window, 2019-03-01 .. 2019-06-01,
--    holds nothing of member 1's: 2048 <= 65536)
SELECT registry.allocate(1, 21, '2019-06-01');
-- IPv6: member 2, /44: the smallest free block holding it is
-- 2001:db8:100::/40 (the /32 minus the /40 leaves /40, /39, ..., /33)
SELECT registry.allocate(2, 44, '2019-09-01', 6);
-- 5: member 2, /17: 10.8.128.0/17 exactly
SELECT registry.allocate(2, 17, '2020-01-05');
-- 6: member 4, /24: the smallest holding it is 10.8.20.0/22 -> 10.8.20.0/24
SELECT registry.allocate(4, 24, '2020-02-01');
-- 7: member 4, /23: 10.8.22.0/23 exactly
SELECT registry.allocate(4, 23, '2020-06-01');
-- a transfer to member 3 (NRPM 8.3; not from the free pool, no run-out rule)
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (3, '172.16.0.0/20', '2018-06-01', 'transfer');

-- verify: allocations
SELECT id, member, block, allocated_on, source, max_allocation
FROM registry.allocation ORDER BY id;

-- Assignments (they nest: a /24 inside a /21 counts once).
INSERT INTO registry.assignment (member, block, assigned_on, customer) VALUES
	-- member 1, in 10.8.0.0/20: 2048 + 1024 + 512 = 3584 (the /24 is inside the /21)
	(1, '10.8.0.0/21', '2019-02-01', 'a1'), (1, '10.8.0.0/24', '2019-02-02', 'a1 sub'),
	(1, '10.8.8.0/22', '2019-03-01', 'a2'), (1, '10.8.12.0/23', '2019-04-01', 'a3'),
	-- member 1, in 10.8.24.0/21: 1024 + 256 = 1280 (the /25 is inside the /24)
	(1, '10.8.24.0/22', '2019-07-01', 'a4'), (1, '10.8.28.0/24', '2019-08-01', 'a5'),
	(1, '10.8.28.128/25', '2019-08-02', 'a5 sub'),
	-- member 2, in 10.8.64.0/18: 8192 + 4096 + 1024 = 13312
	(2, '10.8.64.0/19', '2019-03-01', 'b1'), (2, '10.8.96.0/20', '2019-04-01', 'b2'),
	(2, '10.8.112.0/22', '2019-05-01', 'b3'),
	-- member 2, in 10.8.128.0/17: 16384 + 2048 = 18432
	(2, '10.8.128.0/18', '2020-02-01', 'b4'), (2, '10.8.192.0/21', '2020-03-01', 'b5'),
	-- member 3, in the transfer 172.16.0.0/20: 2048 + 1024 + 512 = 3584
	(3, '172.16.0.0/21', '2018-07-01', 'c1'), (3, '172.16.8.0/22', '2018-08-01', 'c2'),
	(3, '172.16.12.0/23', '2018-09-01', 'c3'),
	-- member 3, in 10.8.16.0/22: 512 + 64 + 16 + 8 = 600
	(3, '10.8.16.0/23', '2019-04-01', 'c4'), (3, '10.8.18.0/26', '2019-05-01', 'c5'),
	(3, '10.8.18.64/28', '2019-05-02', 'c6'), (3, '10.8.18.80/29', '2019-05-03', 'c7'),
	-- member 4, in 10.8.20.0/24: 256
	(4, '10.8.20.0/24', '2020-03-01', 'd1'),
	-- member 4, in 10.8.22.0/23: 256 + 128 + 32 = 416
	(4, '10.8.22.0/24', '2020-07-01', 'd2'), (4, '10.8.23.0/25', '2020-08-01', 'd3'),
	(4, '10.8.23.128/27', '2020-09-01', 'd4'),
	-- member 1, IPv6 in 2001:db8::/40 (65536 /56 units): a /44 (4096 units),
	-- a /48 (256), two /56 end sites, two /64s in one /56 (one unit touched)
	-- and a /60 (one unit touched): 4096 + 256 + 2 + 1 + 1 = 4356 touched
	(1, '2001:db8::/44', '2019-06-01', 'e1'), (1, '2001:db8:10::/48', '2019-06-02', 'e2'),
	(1, '2001:db8:11::/56', '2019-06-03', 'e3'), (1, '2001:db8:11:100::/56', '2019-06-04', 'e4'),
	(1, '2001:db8:12::/64', '2019-06-05', 'e5'), (1, '2001:db8:12:1::/64', '2019-06-06', 'e6'),
	(1, '2001:db8:13::/60', '2019-06-07', 'e7'),
	-- member 2, IPv6 in 2001:db8:100::/44 (4096 units): 2048 + 1024 + 256 = 3328
	(2, '2001:db8:100::/45', '2019-10-01', 'f1'), (2, '2001:db8:108::/46', '2019-10-02', 'f2'),
	(2, '2001:db8:10c::/48', '2019-10-03', 'f3');

---------------------------------------------------------------------------
-- The views
---------------------------------------------------------------------------

-- Per allocation: used = distinct assigned addresses inside it; IPv6 in /56
-- units ('touched': a /64 occupies its /56).  HD = log(used) / log(size):
--   10.8.0.0/20: 3584 of 4096 -> 0.98394...; 10.8.24.0/21: 1280 of 2048 -> 0.93835...
--   IPv6: 4356 of 65536 units -> 0.75555...; 3328 of 4096 -> 0.97503...
-- verify: allocation_usage
SELECT id, member, block, family, source, addresses, used, units56, used56,
	   round(hd::numeric, 10) AS hd
FROM registry.allocation_usage ORDER BY id;

-- Per member, the figures (IPv4):
--   1: held 4096 + 2048 = 6144, used 3584 + 1280 = 4864, recent 10.8.24.0/21
--      (2019-06-01), 1280 of 2048; required 4568 and 1201: eligible,
--      margin min(4864 - 4568, 1280 - 1201) = min(296, 79) = 79
--   2: held 16384 + 32768 = 49152, used 13312 + 18432 = 31744 < 34044: fails
--      the total; recent 10.8.128.0/17: 18432 >= 15826; margin 31744 - 34044 = -2300
--   3: held 4096 (transfer, 2018-06-01) + 1024 (2019-03-01) = 5120, used
--      3584 + 600 = 4184 >= 3830; recent 10.8.16.0/22: 600 < 631: fails the
--      most recent; margin min(354, -31) = -31
--   4: held 256 + 512 = 768 < 4096: cannot elect the HD ratio; margin NULL
--   5: no allocation: zeros and NULLs
-- verify: member_figures
SELECT member, name, allocations, held, used, round(total_hd::numeric, 10) AS total_hd,
	   recent_block, recent_allocated, recent_used, round(recent_hd::numeric, 10) AS recent_hd,
	   hd_total_required, hd_recent_required, hd_margin
FROM registry.member_utilization ORDER BY member;

-- By each method, with the reason:
--   'table': 1: 6144 is ">= /20 and < /18": 75% -> 4608 <= 4864; recent 2048
--      "< /19": 56% -> ceil(1146.88) = 1147 <= 1280: eligible.
--      2: 49152 ">= /18 and < /16": 70% -> ceil(34406.4) = 34407 > 31744 (64.5%);
--      recent 32768 ">= /17 and < /16": 46% -> ceil(15073.28) = 15074 <= 18432.
--      3: 5120: 75% -> 3840 <= 4184; recent 1024 "< /19": 56% -> ceil(573.44)
--      = 574 <= 600: eligible.  4: below a /20: cannot elect.
--   'fixed' (80% of both): 1: ceil(4915.2) = 4916 > 4864 (79.1%), ceil(1638.4)
--      = 1639 > 1280 (62.5%).  2: ceil(39321.6) = 39322 > 31744 (64.5%), 26215 >
--      18432 (56.2%).  3: 4184 >= 4096 passes the total; 820 > 600 (58.5%).
--      4: ceil(614.4) = 615 <= 672 (87.5%); ceil(409.6) = 410 <= 416: eligible.
-- verify: member_methods
SELECT member, hd_eligible, hd_reason, table_eligible, table_reason,
	   fixed_eligible, fixed_reason
FROM registry.member_utilization ORDER BY member;

-- IPv6: 1: 4356 of 65536 units, 4356 < 33690; 2: 3328 of 4096, >= 2487.
-- verify: member_v6
SELECT member, v6_allocations, v6_units56, v6_used56, round(v6_hd::numeric, 10) AS v6_hd,
	   v6_required56, v6_eligible
FROM registry.member_utilization ORDER BY member;

-- The free pool after the seven IPv4 and two IPv6 allocations:
--   IPv4: 10.0.0.0/14, 10.8.21.0/24, 10.8.32.0/19: 262144 + 256 + 8192 = 270592;
--     max_allocation: 270592 / 4 = 67648 -> /16 (65536); IANA unit:
--     270592 / 5 = 54118.4 -> 2^15 = 32768, a /17
--   IPv6: the /32 minus the /40 and the /44: 2001:db8:110::/44, :120::/43,
--     :140::/42, :180::/41, :200::/39, :400::/38, :800::/37, :1000::/36,
--     :2000::/35, :4000::/34, :8000::/33 (11 blocks); 2^96 - 2^88 - 2^84
--     addresses; no max_allocation or IANA unit (IPv4 policies)
-- verify: pool_status
SELECT * FROM registry.pool_status ORDER BY family;
-- verify: free_blocks_by_size
SELECT * FROM registry.free_blocks_by_size ORDER BY family, masklen;
-- verify: free_pool
SELECT block FROM registry.free_pool ORDER BY block;

---------------------------------------------------------------------------
-- The trigger rejects each kind of bad allocation
---------------------------------------------------------------------------

-- Outside the free pool: nothing of 10.9.0.0/24 is free (nor allocated).
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.9.0.0/24', '2021-01-01');
-- IPv6 alike: nothing of 2001:db9::/32 is free, and its 2^96 addresses print
-- in full, grouped by thousands.
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '2001:db9::/32', '2021-01-01');
-- Half of it free: 10.0.0.0/13 = 10.0.0.0/14 (free, 262144) + 10.4.0.0/14 (not).
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.0.0.0/13', '2021-01-01');
-- Too big: a /15 (131072) > the maximum allocation, a /16 (65536); best fit
-- found 10.0.0.0/15 inside 10.0.0.0/14.
SELECT registry.allocate(3, 15, '2021-01-01');
-- The three-month window: member 2 received 10.8.128.0/17 (32768) on
-- 2020-01-05; on 2020-03-01 the window is 2019-12-01 .. 2020-03-01:
-- 32768 + 65536 = 98304 > 65536.
SELECT registry.allocate(2, 16, '2020-03-01');
-- The window is inclusive: on 2020-04-05 (2020-01-05 .. 2020-04-05) the /17
-- still counts.
SELECT registry.allocate(2, 16, '2020-04-05');
-- A back-dated allocation: member 1, a /16 on 2019-05-01.  Its own window
-- (2019-02-01 .. 2019-05-01) holds nothing, 65536 <= 65536; but it falls in
-- the window of member 1's 10.8.24.0/21 of 2019-06-01 (2019-03-01 ..
-- 2019-06-01, maximum then /16): 2048 + 65536 = 67584 > 65536.
SELECT registry.allocate(1, 16, '2019-05-01');
-- Overlapping an allocation (member 2's 10.8.64.0/18), from the pool or by transfer:
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (3, '10.8.64.0/20', '2021-01-01');
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (3, '10.8.0.0/16', '2021-01-01', 'transfer');
-- A transfer cannot take free-pool space.
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (3, '10.1.0.0/16', '2021-01-01', 'transfer');
-- Prefix lengths outside the policy bounds: IPv4 /8 .. /24, IPv6 /20 .. /48
-- (CHECK constraints; terse: their DETAIL shows the row with its identity).
\set VERBOSITY terse
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.0.0.0/25', '2021-01-01');
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '2001:db8:8000::/56', '2021-01-01');
SELECT registry.allocate(1, 25, '2021-01-01');
-- An unknown source; a date before the member joined (member 5, 2021-01-01).
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (1, '10.1.0.0/24', '2021-01-01', 'gift');
\set VERBOSITY default
SELECT registry.allocate(5, 24, '2020-12-31');
-- No member; no free block of that size (the largest free IPv6 block is a /33).
SELECT registry.allocate(99, 24, '2021-01-01');
SELECT registry.allocate(1, 24, '2021-01-01', 6);
SELECT registry.allocate(1, NULL, '2021-01-01');
-- Allocations are not edited; one with assignments is not deleted.
UPDATE registry.allocation SET block = '10.0.0.0/20' WHERE id = 1;
DELETE FROM registry.allocation WHERE id = 1;
-- REPEATABLE READ would check against a snapshot older than the locks.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT registry.allocate(5, 24, '2021-06-01');
ROLLBACK;

-- The free pool stays disjoint from itself and from the allocations.
INSERT INTO registry.free_pool VALUES ('10.8.64.0/24');
INSERT INTO registry.free_pool VALUES ('10.1.0.0/16');
-- ... at every trigger depth (issue 15, defect 4: the overlap check ran only
-- at pg_trigger_depth() = 0, so a block added from a trigger went unchecked).
-- A clerk who may add free blocks, and nothing else in the registry, adds
-- member 2's allocation 10.8.64.0/18 directly and then from a trigger on a
-- table of the clerk's own: both refused, with the same message (the check
-- reads the allocations with the registry owner's rights, so a clerk without
-- SELECT on them is refused for the overlap, not for a missing privilege).
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_registry_clerk;
RESET client_min_messages;
CREATE ROLE regress_registry_clerk;
GRANT USAGE ON SCHEMA registry TO regress_registry_clerk;
GRANT INSERT ON registry.free_pool TO regress_registry_clerk;
CREATE SCHEMA regress_clerk AUTHORIZATION regress_registry_clerk;
SET ROLE regress_registry_clerk;
CREATE TABLE regress_clerk.request (block cidr NOT NULL);
CREATE FUNCTION regress_clerk.request_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO registry.free_pool (block) VALUES (NEW.block);
	RETURN NULL;
END
$$;
CREATE TRIGGER request_insert AFTER INSERT ON regress_clerk.request
	FOR EACH ROW EXECUTE FUNCTION regress_clerk.request_insert();
INSERT INTO registry.free_pool (block) VALUES ('10.8.64.0/18');
INSERT INTO regress_clerk.request (block) VALUES ('10.8.64.0/18');
RESET ROLE;
-- The same for an UPDATE from a trigger: the free 10.8.21.0/24 moved onto
-- member 4's allocation 10.8.20.0/24.
CREATE TABLE regress_clerk.move (old cidr NOT NULL, new cidr NOT NULL);
CREATE FUNCTION regress_clerk.move_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE registry.free_pool SET block = NEW.new WHERE block = NEW.old;
	RETURN NULL;
END
$$;
CREATE TRIGGER move_insert AFTER INSERT ON regress_clerk.move
	FOR EACH ROW EXECUTE FUNCTION regress_clerk.move_insert();
INSERT INTO regress_clerk.move VALUES ('10.8.21.0/24', '10.8.20.0/24');
-- (free_pool_unchanged below shows that neither block reached the pool)
SET client_min_messages = warning;
DROP SCHEMA regress_clerk CASCADE;
REVOKE ALL ON registry.free_pool FROM regress_registry_clerk;
REVOKE ALL ON SCHEMA registry FROM regress_registry_clerk;
DROP ROLE regress_registry_clerk;
RESET client_min_messages;

-- Assignments lie inside an allocation of the same member.
-- Nowhere allocated:
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (1, '10.9.0.0/24', '2021-01-01');
-- In another member's allocation (member 2's 10.8.64.0/18):
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (1, '10.8.64.0/24', '2021-01-01');
-- Larger than the member's own allocation (10.8.0.0/19 holds member 1's /20 and more):
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (1, '10.8.0.0/19', '2021-01-01');
-- In the free pool:
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (1, '10.1.0.0/24', '2021-01-01');
-- One bad row spoils the statement (the check is set-based, per statement):
INSERT INTO registry.assignment (member, block, assigned_on) VALUES
	(1, '10.8.13.0/24', '2021-01-01'), (4, '10.8.21.0/24', '2021-01-01');
-- Moving an assignment out of its allocation:
UPDATE registry.assignment SET block = '10.8.32.0/24' WHERE customer = 'd1';
-- IPv6 assignment smaller than a /64:
\set VERBOSITY terse
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (1, '2001:db8:14::/80', '2021-01-01');
\set VERBOSITY default

-- Nothing of the above changed anything.
-- verify: free_pool_unchanged
SELECT block FROM registry.free_pool ORDER BY block;
SELECT count(*) AS allocations FROM registry.allocation;
SELECT count(*) AS assignments FROM registry.assignment;

---------------------------------------------------------------------------
-- ... and accepts a good one
---------------------------------------------------------------------------

-- The day after the window: on 2020-04-06 (2020-01-06 .. 2020-04-06) member 2
-- has received nothing; a /16 is exactly the maximum.  Best fit: the only
-- free block holding a /16 is 10.0.0.0/14 -> 10.0.0.0/16.
SELECT registry.allocate(2, 16, '2020-04-06');
-- Free: 270592 - 65536 = 205056; a quarter is 51264: the maximum is now a /17.
-- verify: pool_after
SELECT family, free_blocks, free_addresses, largest_free_block, max_allocation,
	   max_allocation_addresses, iana_allocation_unit, blocks_by_size
FROM registry.pool_status WHERE family = 4;
-- Member 2's most recent allocation is now the unused /16: 0 of 65536 used,
-- so its HD ratio is -Infinity (it needs 30153), and the total
-- 49152 + 65536 = 114688 needs 77179 > 31744.
-- verify: member2_after
SELECT member, allocations, held, used, recent_block, recent_used, recent_hd,
	   hd_total_required, hd_recent_required, hd_eligible
FROM registry.member_utilization WHERE member = 2;
-- A transfer of space outside the pool, and an assignment in it.
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (5, '192.0.2.0/24', '2021-02-01', 'transfer');
INSERT INTO registry.assignment (member, block, assigned_on) VALUES (5, '192.0.2.0/25', '2021-02-02');
SELECT member, block, source, max_allocation FROM registry.allocation WHERE member = 5;

-- Deleting an allocation (without assignments) returns it to the pool, merged:
-- 10.0.0.0/16 joins 10.1.0.0/16 and 10.2.0.0/15 into 10.0.0.0/14 again.
DELETE FROM registry.allocation WHERE block = '10.0.0.0/16';
-- verify: free_pool_returned
SELECT block FROM registry.free_pool WHERE family(block) = 4 ORDER BY block;
-- A deleted transfer leaves the registry (it does not join the pool).
DELETE FROM registry.assignment WHERE member = 5;
DELETE FROM registry.allocation WHERE member = 5;
SELECT count(*) AS free_v4_blocks FROM registry.free_pool WHERE family(block) = 4;

---------------------------------------------------------------------------
-- Dates are finite (issue 15, defect 3)
---------------------------------------------------------------------------

-- An allocation dated 'infinity' escaped every three-month window: its own
-- runs from infinity - 3 months = infinity to infinity and holds nothing,
-- and it lies in no finite allocation's window.
-- Member 1 receives a /16 on 2025-01-01 (its window, 2024-10-01 ..
-- 2025-01-01, holds nothing; the pool is 10.0.0.0/14, 10.8.21.0/24,
-- 10.8.32.0/19 = 270592 again, a quarter 67648: the maximum is a /16).  Best
-- fit: only 10.0.0.0/14 holds a /16 -> 10.0.0.0/16.  The pool is then
-- 270592 - 65536 = 205056, a quarter 51264 -> 2^15: the maximum is a /17.
SELECT registry.allocate(1, 16, '2025-01-01');
-- A /17 the day after (10.2.0.0/17 is inside the free 10.2.0.0/15): the
-- window 2024-10-02 .. 2025-01-02 holds the /16: 65536 + 32768 = 98304 > 32768.
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.2.0.0/17', '2025-01-02');
-- The same /17 dated 'infinity': refused too (a CHECK constraint; terse: its
-- DETAIL shows the row with its identity).  '-infinity' is refused by the
-- trigger first (it is before the day member 1 joined).
\set VERBOSITY terse
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.2.0.0/17', 'infinity');
INSERT INTO registry.allocation (member, block, allocated_on)
VALUES (1, '10.2.0.0/17', '-infinity');
SELECT registry.allocate(1, 24, 'infinity');
-- The schema's other dates: when a member joined, when a block was assigned.
INSERT INTO registry.member (id, name, joined) VALUES (6, 'Zeta Transit', 'infinity');
INSERT INTO registry.member (id, name, joined) VALUES (6, 'Zeta Transit', '-infinity');
UPDATE registry.member SET joined = '-infinity' WHERE id = 5;
INSERT INTO registry.assignment (member, block, assigned_on)
VALUES (1, '10.0.0.0/24', 'infinity');
UPDATE registry.assignment SET assigned_on = '-infinity' WHERE customer = 'a1';
\set VERBOSITY default
-- Nothing of that was stored: member 1 holds its three allocations of
-- 2019 and the /16; five members, none with a date that is not finite.
SELECT block, allocated_on, source, max_allocation
FROM registry.allocation WHERE member = 1 ORDER BY allocated_on;
SELECT count(*) AS members, count(*) FILTER (WHERE NOT isfinite(joined)) AS not_finite
FROM registry.member;
SELECT count(*) FILTER (WHERE NOT isfinite(assigned_on)) AS assignments_not_finite
FROM registry.assignment;
-- The /16 returns to the pool (merged into 10.0.0.0/14 again).
DELETE FROM registry.allocation WHERE member = 1 AND allocated_on = '2025-01-01';
SELECT block FROM registry.free_pool WHERE family(block) = 4 ORDER BY block;

-- The invariant the trigger keeps: the free pool and the free-pool
-- allocations together are exactly the pool the registry started with.
SELECT cidr_union(array_agg(block) FILTER (WHERE src = 'pool'),
				  coalesce(array_agg(block) FILTER (WHERE src = 'free_pool'), '{}'))
	   = '{10.0.0.0/14,10.8.0.0/16,2001:db8::/32}'::cidr[] AS pool_conserved
FROM (SELECT block, 'pool' AS src FROM registry.free_pool
	  UNION ALL
	  SELECT block, source FROM registry.allocation) s;

\set VERBOSITY terse
\set SHOW_CONTEXT errors
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA registry CASCADE;
RESET client_min_messages;
