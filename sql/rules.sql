--
-- rules: issue 14, today's registry rules (doc/rules.md cites each text).
-- Every expected value is checked by hand in the comment above it or by
-- test/rules/props.py's model; every threshold is quoted from its source.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

-- 1. CIDR rounding on nibble boundaries.  1000 addresses: prefix_at_most
-- is /23 (512), the next multiple of 4 up is /24 (256 <= 1000); prefix_at_least
-- is /22 (1024), the multiple of 4 at or below is /20 (4096 >= 1000).
SELECT prefix_at_most(1000, 4, 4), prefix_at_least(1000, 4, 4);
-- step 1 is the two-argument form: 23 and 22
SELECT prefix_at_most(1000, 4, 1), prefix_at_least(1000, 4, 1);
-- IPv6: 2^80 addresses is a /48 exactly, on a nibble: 48 both ways;
-- 2^80 + 1: at most /48, at least /47 -> /44 on nibbles
SELECT prefix_at_most(2::numeric ^ 80, 6, 4), prefix_at_least(2::numeric ^ 80, 6, 4),
       prefix_at_most(2::numeric ^ 80 + 1, 6, 4), prefix_at_least(2::numeric ^ 80 + 1, 6, 4);
-- edges: 1 address at most/at least is /32 (32 is a multiple of 4, 8, 16,
-- 32); the whole space is /0 in every step
SELECT prefix_at_most(1, 4, 8), prefix_at_least(1, 4, 32), prefix_at_most(2::numeric ^ 128, 6, 128), prefix_at_least(2::numeric ^ 128, 6, 64);

-- 2. ARIN NRPM 6.5.2.1 (c): "the smallest nibble-boundary aligned block that
-- can provide an equally sized nibble-boundary aligned block to each of the
-- requesters serving sites large enough to satisfy the needs of the
-- requesters largest single serving site using no more than 75% of the
-- available addresses" (quoted on arin-ppml, 2 July 2025).  The issue's
-- worked example: 11 serving sites, 200 end sites at the largest, /48 end
-- sites.  4/3 * 11 = 14.7 <= 16 = 2^4: X = 4; 4/3 * 200 = 266.7 > 256, <=
-- 4096 = 2^12: Y = 12; N = 48 - 16 = 32; a serving site gets 48 - 12 = /36.
SELECT * FROM ipv6_isp_allocation(11, 200);
-- "no more than 75%": 12 serving sites use 12 of 16 = 75% of a nibble, so
-- X = 4; 13 need X = 8.  12 sites, 12 end sites: 48 - (4 + 4) = /40
-- (serving /44) with a /40 requested (longest_masklen 40); 13 sites: 48 -
-- (8 + 4) = /36; with the default longest_masklen, /40 is raised to /32.
SELECT * FROM ipv6_isp_allocation(12, 12, 48, 40);
SELECT * FROM ipv6_isp_allocation(13, 12, 48, 40);
SELECT * FROM ipv6_isp_allocation(12, 12);
-- a large ISP: 3,000 serving sites (4/3 * 3000 = 4000 <= 4096: X = 12),
-- 50,000 end sites (66,667 <= 2^20: Y = 20): 48 - 32 = /16, serving /28;
-- 3,073 serving sites (4,097.3 > 4,096: X = 16) and 49,152 end sites
-- (65,536 <= 2^16: Y = 16): 48 - 32 = /16, serving /32
SELECT * FROM ipv6_isp_allocation(3000, 50000);
SELECT * FROM ipv6_isp_allocation(3073, 49152);
-- the same, bounded by a shortest_masklen of 20: /20
SELECT * FROM ipv6_isp_allocation(3073, 49152, 48, 32, 20);
-- NULL figures give NULL
SELECT * FROM ipv6_isp_allocation(NULL, 1);

-- ARIN NRPM 6.5.8.2: "An organization qualifies for an assignment on the
-- next larger nibble boundary when their sites exceed 75% of the /48s
-- available in a prefix. For example: More than 1 but less than or equal to
-- 12 sites justified, receives a /44 assignment" (quoted in ARIN-prop-346,
-- 19 May 2025); one site a /48 (the examples; ARIN-2025-7).  75% of 16, 256,
-- 4096, 65536 /48s: 12, 192, 3,072, 49,152; each boundary and one past it.
SELECT s, ipv6_end_user_block(s)
FROM unnest(ARRAY[1, 2, 12, 13, 192, 193, 3072, 3073, 49152, 49153]::bigint[]) s;
-- end sites of /56: one site is a /56, 2 are a /52
SELECT ipv6_end_user_block(1, 56), ipv6_end_user_block(2, 56);

-- ARIN NRPM 6.5.3 (b): "Shows utilization of 75% or more of their total
-- address space; Shows utilization of more than 90% of any serving site"
-- (the text of ARIN-2012-2, 26 September 2012, which calls both existing
-- policy).  In /48 units of a /36 (4,096): 75% is 3,072, one less fails;
-- a serving site of 4,096: more than 3,686.4 is 3,687, 3,686 fails.
SELECT * FROM ipv6_isp_subsequent(4096, 3072);
SELECT * FROM ipv6_isp_subsequent(4096, 3071);
SELECT * FROM ipv6_isp_subsequent(4096, 3071, 4096, 3687);
SELECT * FROM ipv6_isp_subsequent(4096, 3071, 4096, 3686);
-- a site of 10 units: more than 9 is 10 (floor(9) + 1)
SELECT site_required FROM ipv6_isp_subsequent(100, 0, 10, 10);

-- 3. Published HD tables.  APNIC's guidelines print, "based on the HD ratio
-- table" of HD 0.94 in /56 units (draft-ipv6-guidelines-v002, 2017):
-- /32 6,183,533, /31 11,863,283, /30 22,760,044, /24 1,134,964,479.
-- 2^24^0.94 = 6183533.275, 2^25^0.94 = 11863283.203, 2^26^0.94 =
-- 22760043.828, 2^32^0.94 = 1134964478.873 (Python decimal, 80 digits):
-- half up gives all four.  The /29 row: 2^27^0.94 = 43665786.797 ->
-- 43,665,787 (APNIC's page prints 43,655,787, digits transposed).
SELECT * FROM hd_table(0.94, 56, 32, 29, 'nearest');
SELECT * FROM hd_table(0.94, 56, 24, 24, 'nearest');
-- the formula's exact answer rounds up: 6183534 at /32, 22760044 at /30
SELECT masklen, required FROM hd_table(0.94, 56, 32, 30);
-- ARIN's 2004 IPv4 table truncates: a /20 at 0.966: 4096^0.966 = 3087.02
-- -> 3087 (doc/foundation.md); the formula asks 3088
SELECT f.masklen, f.units, f.required AS floor, c.required AS ceil
FROM hd_table(0.966, 32, 20, 20, 'floor') f, hd_table(0.966, 32, 20, 20, 'ceil') c;
-- a whole units^hd is itself in every rounding: (2^50)^0.94 = 2^47
SELECT r, (SELECT required FROM hd_table(0.94, 56, 6, 6, r)) FROM unnest(ARRAY['ceil', 'nearest', 'floor']) r;

-- The RIPE NCC and APNIC IPv6 subsequent-allocation rule: HD >= 0.94 over
-- all allocations, counted in /56 units.  With the released utilization_check
-- and method 'hd_total' (recent figures NULL), a /32 of 2^24 /56s needs
-- hd_required(2^24, 0.94) = 6183534: one less fails.
SELECT eligible, total_required, recent_required, reason
FROM utilization_check(6183534, unit_count('{2001:db8::/32}', 56), NULL, NULL, 'hd_total', 0.94);
SELECT eligible, total_required, reason
FROM utilization_check(6183533, unit_count('{2001:db8::/32}', 56), NULL, NULL, 'hd_total', 0.94);
-- the unit-counting aggregate: a /32 and a /31 (2^24 + 2^25 = 50331648
-- /56s; 50331648^0.94 = 17367235.03 (Python decimal) and the smallest u
-- with u^50 >= 50331648^47 is 17367236 (Python integers)): 6,000,000 +
-- 11,367,236 used pass, one fewer fails
SELECT (u).allocations, (u).total_allocated, (u).total_used, (u).recent_block,
       (u).recent_allocated, (u).eligible, (u).total_required, (u).recent_required
FROM (SELECT utilization(b, used, d, 'hd_total', 56, 0.94) u
      FROM (VALUES ('2001:db8::/32'::cidr, 6000000, '2019-01-01'::date),
                   ('2001:dba::/31', 11367236, '2021-06-01')) v(b, used, d)) s;
SELECT (u).total_used, (u).eligible, (u).reason
FROM (SELECT utilization(b, used, d, 'hd_total', 56, 0.94) u
      FROM (VALUES ('2001:db8::/32'::cidr, 6000000, '2019-01-01'::date),
                   ('2001:dba::/31', 11367235, '2021-06-01')) v(b, used, d)) s;
-- NULL unit counts addresses and a NULL threshold is the default (0.966):
-- the same as the four-argument form
SELECT utilization(b, u, d, 'hd', NULL, NULL) = utilization(b, u, d, 'hd') AS same
FROM (VALUES ('10.0.0.0/18'::cidr, 16000, '2025-01-10'::date), ('10.1.0.0/19', 6000, '2026-06-01')) v(b, u, d);
-- 'hd_total' in the four-argument aggregate: addresses, threshold 0.966:
-- hd_required(24576) = 17428 (hdratio's reference), 22000 pass
SELECT (utilization(b, u, d, 'hd_total')).eligible, (utilization(b, u, d, 'hd_total')).total_required
FROM (VALUES ('10.0.0.0/18'::cidr, 16000, '2025-01-10'::date), ('10.1.0.0/19', 6000, '2026-06-01')) v(b, u, d);

-- 4. The catalogue of today's IPv4 limits (doc/rules.md quotes each).
SELECT registry, rule, in_force_from, in_force_until, smallest_block, largest_block,
       max_holdings, max_total, min_utilization, min_interval, planning_window, shipped
FROM ipv4_request_rules ORDER BY registry, rule;

-- ARIN 4.1.8 (in force from 22 September 2020, ARIN-edit-2020-1): "The
-- maximum size aggregate that an organization may qualify for at any one
-- time is a /22. Organizations will be able to elect a smaller block size
-- than they qualify for down to a /24. Organizations which hold more than a
-- /20 equivalent of IPv4 space in aggregate ... are not eligible to apply
-- ... must wait 90 days after receiving a distribution".
-- the day before and on the date
SELECT * FROM request_check('arin-4.1.8', '2020-09-21', 0, 0, 24, NULL);
SELECT * FROM request_check('arin-4.1.8', '2020-09-22', 0, 0, 24, NULL);
-- holdings at the /20 (4,096) and one address more
SELECT * FROM request_check('arin-4.1.8', '2024-06-01', 4096, 4096, 22, NULL);
SELECT * FROM request_check('arin-4.1.8', '2024-06-01', 4097, 4097, 22, NULL);
-- block sizes: /22 and /24 pass, /21 and /25 do not
SELECT m, allowed, reason FROM generate_series(21, 25) m, request_check('arin-4.1.8', '2024-06-01', 0, 0, m, NULL);
-- 90 days after a receipt on 2024-01-01 is 2024-03-31 (30 + 29 + 31 days):
-- the day before and on it
SELECT * FROM request_check('arin-4.1.8', '2024-03-30', 1024, 1024, 22, '2024-01-01');
SELECT * FROM request_check('arin-4.1.8', '2024-03-31', 1024, 1024, 22, '2024-01-01');

-- APNIC 6.1 (prop-127, implemented 4 April 2019): "the current minimum
-- delegation size for IPv4 is 256 (/24) addresses and each APNIC account
-- holder is only eligible to receive IPv4 address delegations totaling a
-- maximum 512 (/23) addresses".  A /24 with 256 held makes 512: at the
-- limit; 257 held make 513.
SELECT * FROM request_check('apnic-6.1', '2019-04-03', 0, 0, 24, NULL);
SELECT * FROM request_check('apnic-6.1', '2019-04-04', 0, 0, 24, NULL);
SELECT * FROM request_check('apnic-6.1', '2025-01-01', 256, 0, 24, NULL);
SELECT * FROM request_check('apnic-6.1', '2025-01-01', 257, 0, 24, NULL);
-- "change maximum delegation size ... to a /23" (prop-127): a /23 with
-- nothing held is 512, at the limit; a /22 is larger than the rule's block
SELECT * FROM request_check('apnic-6.1', '2025-01-01', 0, 0, 23, NULL);
SELECT * FROM request_check('apnic-6.1', '2025-01-01', 0, 0, 22, NULL);

-- RIPE NCC 5.1 (ripe-725, the waiting list, from the final /22 on 25
-- November 2019): "The size of the allocation made will be exactly one
-- /24. The sum of all allocations made to a single LIR by the RIPE NCC is
-- limited to a maximum of 256 IPv4 addresses (a single /24)."
SELECT * FROM request_check('ripe-5.1', '2019-11-24', 0, 0, 24, NULL);
SELECT * FROM request_check('ripe-5.1', '2019-11-25', 0, 0, 24, NULL);
SELECT * FROM request_check('ripe-5.1', '2025-01-01', 1, 0, 24, NULL);
SELECT * FROM request_check('ripe-5.1', '2025-01-01', 0, 0, 23, NULL);

-- LACNIC 11.1 (phase 3, from 15 February 2017): "Only allocations larger
-- than or equal to a /24 and smaller than or equal to a /22 will be made.
-- No allocations will be made to organizations that already have IPv4
-- addresses allocated by LACNIC".  Holdings 0 and 1.
SELECT * FROM request_check('lacnic-11.1', '2017-02-14', 0, 0, 22, NULL);
SELECT * FROM request_check('lacnic-11.1', '2017-02-15', 0, 0, 22, NULL);
SELECT * FROM request_check('lacnic-11.1', '2025-01-01', 1, 1, 24, NULL);
SELECT * FROM request_check('lacnic-11.1', '2025-01-01', 0, 0, 21, NULL);

-- AFRINIC 5.4.3.2 (Exhaustion Phase 2 from 13 January 2020): "Minimum IPv4
-- Allocation or Assignment shall be /24 ... Maximum ... /22 ... 90%
-- efficient usage of all resources".  Of 1,024 held, 90% is 921.6: 922
-- pass, 921 do not.
SELECT * FROM request_check('afrinic-5.4.3.2', '2020-01-12', 0, 0, 22, NULL);
SELECT * FROM request_check('afrinic-5.4.3.2', '2020-01-13', 0, 0, 22, NULL);
SELECT * FROM request_check('afrinic-5.4.3.2', '2025-01-01', 1024, 922, 22, NULL);
SELECT * FROM request_check('afrinic-5.4.3.2', '2025-01-01', 1024, 921, 22, NULL);
-- NULL figures give no row
SELECT count(*) FROM request_check('afrinic-5.4.3.2', NULL, 0, 0, 22, NULL);

-- a rule the user adds, dated: before, inside and after its period
BEGIN;
INSERT INTO ipv4_request_rules (registry, rule, section, in_force_from, in_force_until,
                                smallest_block, largest_block, max_total, source)
VALUES ('EXAMPLE', 'example-1', 'a local rule', '2030-01-01', '2031-01-01', 24, 23, 1024, 'sql/rules.sql');
SELECT * FROM request_check('example-1', '2030-12-31', 512, 0, 23, NULL);
SELECT * FROM request_check('example-1', '2030-12-31', 513, 0, 23, NULL);
SELECT * FROM request_check('example-1', '2031-01-01', 0, 0, 24, NULL);
ROLLBACK;

-- request_check's errors
SELECT * FROM request_check('no-such-rule', '2025-01-01', 0, 0, 24, NULL);
SELECT * FROM request_check('arin-4.1.8', '2025-01-01', -1, 0, 24, NULL);
SELECT * FROM request_check('arin-4.1.8', '2025-01-01', 10, 11, 24, NULL);
SELECT * FROM request_check('arin-4.1.8', '2025-01-01', 0.5, 0, 24, NULL);
SELECT * FROM request_check('arin-4.1.8', '2025-01-01', 0, 0, 33, NULL);
\set VERBOSITY default
SELECT * FROM request_check('ripe-5.1', '2019-01-01', 0, 0, 24, NULL);
\set VERBOSITY terse
