--
-- utilization(block inet, used numeric, allocated_on date [, method text])
-- -> utilization_summary: one member's totals, most recent allocation and
-- the verdict of utilization_check, in one aggregate.
--
-- Hand arithmetic used below (checked with Python's decimal at 80 digits):
--   total HD requirement  t^0.966:  5120 -> 3829.61 -> 3830,
--     4112 -> 3098.67 -> 3099,  4096 -> 3087.02 -> 3088,  4352 -> 3273.21 -> 3274
--   recent HD requirement r^0.930:  1024 -> 630.35 -> 631,  2048 -> 1200.98 -> 1201,
--     16 -> 13.18 -> 14
--   80% cap: ceil(0.8 r):  1024 -> 820,  2048 -> 1639,  16 -> 13 (so 13 < 14: capped)
--   the election: 'hd' and 'table' need a total of at least 4096 (a /20)
--   tables: total 5120 (>= /20, < /18) -> 75% -> 3840;  recent 1024 (< /19) -> 56%
--     -> ceil(573.44) = 574;  'fixed': ceil(0.8 * 5120) = 4096, recent 820
--   HD ratios are log2(used) / log2(total), shown rounded to 10 places.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

CREATE TEMP TABLE ut (member text, block inet, used numeric, allocated_on date);
INSERT INTO ut VALUES
  -- a_pass: total 4096 + 1024 = 5120, used 4000 + 900 = 4900 >= 3830;
  --   most recent 10.0.16.0/22 (2021-06-01): 900 >= min(631, 820) = 631 -> eligible
  ('a_pass', '10.0.0.0/20', 4000, '2020-01-01'),
  ('a_pass', '10.0.16.0/22', 900, '2021-06-01'),
  -- b_total: total used 2000 + 1000 = 3000 < 3830 fails; recent 1000 >= 631
  ('b_total', '10.2.0.0/20', 2000, '2019-01-01'),
  ('b_total', '10.3.0.0/22', 1000, '2020-01-01'),
  -- c_recent: total used 4096 + 600 = 4696 >= 3830; recent 600 < 631 fails
  ('c_recent', '10.4.0.0/20', 4096, '2019-01-01'),
  ('c_recent', '10.5.0.0/22', 600, '2020-01-01'),
  -- d_cap_pass: total 4112, used 4013 >= 3099; recent /28: 16^0.93 needs 14,
  --   the cap ceil(12.8) = 13 wins, and 13 >= 13 -> eligible
  ('d_cap_pass', '10.6.0.0/20', 4000, '2019-03-01'),
  ('d_cap_pass', '10.7.0.0/28', 13, '2020-03-01'),
  -- e_cap_fail: the same with 12 used in the /28: 12 < 13 (capped) fails
  ('e_cap_fail', '10.8.0.0/20', 4000, '2019-03-01'),
  ('e_cap_fail', '10.9.0.0/28', 12, '2020-03-01'),
  -- f_small: total 2048 < 4096: 'hd' cannot be elected (NULL requirements)
  ('f_small', '10.10.0.0/21', 2000, '2020-01-01'),
  -- g_exact20: total 2048 + 2048 = 4096, exactly a /20: elected; used 3900 >= 3088;
  --   recent 10.11.8.0/21 (2020-02-01): 1900 >= min(1201, 1639) = 1201 -> eligible
  ('g_exact20', '10.11.0.0/21', 2000, '2020-01-01'),
  ('g_exact20', '10.11.8.0/21', 1900, '2020-02-01'),
  -- h_tie: three allocations on 2021-01-01; the /21 is larger but older.
  --   Among the /22, /24, /22 of the latest date the /22s are larger, and of
  --   those 10.13.0.0/22 has the higher address: recent = 10.13.0.0/22, used 50.
  --   total 1024 + 256 + 1024 + 2048 = 4352, used 2350 < 3274; 50 < 631
  ('h_tie', '10.12.0.0/22', 100, '2021-01-01'),
  ('h_tie', '10.12.4.0/24', 200, '2021-01-01'),
  ('h_tie', '10.13.0.0/22', 50, '2021-01-01'),
  ('h_tie', '10.12.8.0/21', 2000, '2020-12-31'),
  -- i_dup: the same block twice on one day: the larger used is the recent one
  --   (20); both count in the totals: 512 allocated, 30 used
  ('i_dup', '10.14.0.0/24', 10, '2021-01-01'),
  ('i_dup', '10.14.0.0/24', 20, '2021-01-01'),
  -- j_nulls: the NULL block is skipped (used and date too); NULL used counts
  --   0; the row without a date never becomes the most recent while another
  --   has one: recent = 10.15.0.0/24 with 0 used (HD -Infinity).
  --   2 allocations, total 512, used 0 + 100 = 100
  ('j_nulls', NULL, 99, '2022-01-01'),
  ('j_nulls', '10.15.0.0/24', NULL, '2020-01-01'),
  ('j_nulls', '10.15.1.0/24', 100, NULL),
  -- k_nodates: no dates at all: the larger blocks (/23), then the higher
  --   address: 10.16.4.0/23 with 7 used; total 256 + 512 + 512 = 1280, used 18
  ('k_nodates', '10.16.0.0/24', 5, NULL),
  ('k_nodates', '10.16.2.0/23', 6, NULL),
  ('k_nodates', '10.16.4.0/23', 7, NULL),
  -- l_noblocks: no row has a block: the summary is NULL
  ('l_noblocks', NULL, 5, '2020-01-01');

-- The figures.
SELECT member, (u).allocations, (u).total_allocated, (u).total_used,
       (u).recent_block, (u).recent_allocated, (u).recent_used,
       round((u).total_hd::numeric, 10) AS total_hd,
       round((u).recent_hd::numeric, 10) AS recent_hd
FROM (SELECT member, utilization(block, used, allocated_on) AS u
      FROM ut GROUP BY member) s
ORDER BY member;

-- The verdicts (method 'hd').
SELECT member, (u).eligible, (u).total_required, (u).recent_required, (u).reason
FROM (SELECT member, utilization(block, used, allocated_on) AS u
      FROM ut GROUP BY member) s
ORDER BY member;

-- The methods.  a_pass: 'table' needs 3840 and 574, 'fixed' 4096 and 820:
-- eligible under all three.  b_total fails the total under each (3000 <
-- 3830, 3840, 4096).  c_recent fails 'hd' (600 < 631) and 'fixed' (600 <
-- 820) but passes 'table' (600 >= 574).  f_small: 'table' cannot be elected
-- either; 'fixed' needs ceil(0.8 * 2048) = 1639 of all and of the recent
-- block, and 2000 >= 1639.  A NULL method means 'hd'.
SELECT member, m AS method, (u).eligible, (u).total_required, (u).recent_required, (u).reason
FROM (SELECT member, m, utilization(block, used, allocated_on, m) AS u
      FROM ut CROSS JOIN (VALUES ('hd'), ('table'), ('fixed'), (NULL)) AS v(m)
      WHERE member IN ('a_pass', 'b_total', 'c_recent', 'f_small')
      GROUP BY member, m) s
ORDER BY member, m NULLS LAST;

-- eligible, the requirements, the HD ratios and the reason are exactly
-- utilization_check's for the same totals, by every method: the totals by
-- sum(), the most recent row by DISTINCT ON with the tie rule spelled out.
WITH totals AS (
  SELECT member, sum(addr_count(block)) AS ta, sum(coalesce(used, 0)) AS tu
  FROM ut WHERE block IS NOT NULL GROUP BY member),
recent AS (
  SELECT DISTINCT ON (member) member, addr_count(block) AS ra, coalesce(used, 0) AS ru
  FROM ut WHERE block IS NOT NULL
  ORDER BY member, allocated_on DESC NULLS LAST, masklen(block), block DESC,
           coalesce(used, 0) DESC),
agg AS (
  SELECT member, m, utilization(block, used, allocated_on, m) AS u
  FROM ut CROSS JOIN (VALUES ('hd'), ('table'), ('fixed')) AS v(m)
  GROUP BY member, m)
SELECT count(*) AS compared,
       count(*) FILTER (WHERE ((u).eligible, (u).total_required, (u).recent_required,
                               (u).total_hd, (u).recent_hd, (u).reason)
                              IS DISTINCT FROM
                              (c.eligible, c.total_required, c.recent_required,
                               c.total_hd, c.recent_hd, c.reason)) AS differ
FROM agg JOIN totals USING (member) JOIN recent USING (member),
     LATERAL utilization_check(tu, ta, ru, ra, m) AS c;

-- The order of rows never matters: h_tie in every order gives the same.
SELECT (utilization(block, used, allocated_on ORDER BY used))::text
     = (utilization(block, used, allocated_on ORDER BY used DESC))::text AS same_by_used,
       (utilization(block, used, allocated_on ORDER BY block))::text
     = (utilization(block, used, allocated_on ORDER BY block DESC))::text AS same_by_block
FROM ut WHERE member = 'h_tie';

-- As a window function: the final function leaves the state as it is, so
-- a running summary works.  a_pass after its first allocation: 4000 of 4096
-- (>= 3088), and the same /20 is the most recent: 4000 >= ceil(4096^0.93) =
-- ceil(2288.20) = 2289 (below the cap 3277); after the second, as above.
SELECT block, allocated_on, (u).allocations, (u).total_allocated, (u).recent_block,
       (u).eligible, (u).total_required, (u).recent_required
FROM (SELECT block, allocated_on,
             utilization(block, used, allocated_on) OVER (ORDER BY allocated_on) AS u
      FROM ut WHERE member = 'a_pass') s
ORDER BY allocated_on;

-- No rows at all: NULL, like sum().
SELECT utilization(block, used, allocated_on) IS NULL AS no_rows FROM ut WHERE false;

---------------------------------------------------------------------------
-- Edges
---------------------------------------------------------------------------

-- A single address: total 1 has no HD ratio (log 1 = 0), so both ratios are
-- NULL; 'hd' cannot be elected; 'fixed' needs ceil(0.8 * 1) = 1 and 1 is used.
SELECT (u).allocations, (u).total_allocated, (u).recent_block, (u).total_hd, (u).recent_hd,
       (u).eligible, (u).total_required, (u).recent_required
FROM (SELECT utilization('192.0.2.1/32', 1, '2020-01-01') AS u
      UNION ALL
      SELECT utilization('192.0.2.1/32', 1, '2020-01-01', 'fixed')) s;
-- The whole IPv4 space, fully used: 2^32 = 4294967296 addresses (a value
-- that does not fit 32 bits); (2^32)^0.966 = 2^30.912 = 2020408681.6 -> 2020408682,
-- (2^32)^0.93 = 909185856.4 -> 909185857 (below the cap 3435973837)
SELECT (u).total_allocated, (u).total_used, (u).recent_block, (u).total_hd, (u).recent_hd,
       (u).eligible, (u).total_required, (u).recent_required
FROM (SELECT utilization('0.0.0.0/0', 4294967296, '2020-01-01') AS u) s;
-- The whole IPv6 space, fully used: 2^128 addresses, exactly.
-- ceil((2^128)^0.966) = 16663142328188667481494392430120128952 and
-- ceil((2^128)^0.93) = 683298840622401851249655346865734776 (Python decimal, 80 digits)
SELECT (u).total_allocated, (u).total_used, (u).recent_block, (u).total_hd,
       (u).eligible, (u).total_required, (u).recent_required
FROM (SELECT utilization('::/0', 340282366920938463463374607431768211456, '2020-01-01') AS u) s;
-- IPv6 /128 and a /64 half used: 1 + 2^64 = 18446744073709551617 addresses,
-- 1 + 2^63 = 9223372036854775809 used; the /64 (larger, same date) is the recent one
SELECT (u).allocations, (u).total_allocated, (u).total_used, (u).recent_block, (u).recent_used
FROM (SELECT utilization(b, n, '2020-01-01') AS u
      FROM (VALUES ('2001:db8::1/128'::inet, 1::numeric),
                   ('2001:db8:1::/64', 9223372036854775808)) AS v(b, n)) s;
-- An inet with host bits set counts as its network block; used written as
-- 5.000 and 1e2 are whole numbers: total 256 + 256, used 105
SELECT (u).allocations, (u).total_allocated, (u).total_used, (u).recent_block, (u).recent_used
FROM (SELECT utilization(b, n, d) AS u
      FROM (VALUES ('10.0.0.5/24'::inet, 5.000::numeric, '2020-01-01'::date),
                   ('10.0.1.0/24', 1e2, '2019-01-01')) AS v(b, n, d)) s;
-- Dates at the ends of time: infinity is the latest; -infinity still beats no date.
SELECT (utilization(b, 0, d)).recent_block
FROM (VALUES ('10.0.0.0/24'::inet, '2020-01-01'::date), ('10.0.1.0/24', 'infinity'),
             ('10.0.2.0/16', NULL)) AS v(b, d);
SELECT (utilization(b, 0, d)).recent_block
FROM (VALUES ('10.0.0.0/24'::inet, '-infinity'::date), ('10.0.1.0/16', NULL)) AS v(b, d);
-- Two ::/0 hold 2^129 addresses: more than utilization_check accepts
SELECT utilization(b, 0, '2020-01-01')
FROM (VALUES ('::/0'::inet), ('::/0')) AS v(b);

---------------------------------------------------------------------------
-- Errors
---------------------------------------------------------------------------

-- used beyond the block, negative, fractional, not a number
SELECT utilization('192.0.2.0/24', 257, '2020-01-01');
SELECT utilization('192.0.2.7/24', 1000000, '2020-01-01');
SELECT utilization('0.0.0.0/0', 4294967297, '2020-01-01');
SELECT utilization('::/0', 340282366920938463463374607431768211457, '2020-01-01');
SELECT utilization('2001:db8::/64', 100000000000000000000, '2020-01-01');
SELECT utilization('192.0.2.0/24', -1, '2020-01-01');
SELECT utilization('192.0.2.0/24', -0.5, '2020-01-01');
SELECT utilization('192.0.2.0/24', 2.5, '2020-01-01');
SELECT utilization('192.0.2.0/24', 'NaN', '2020-01-01');
SELECT utilization('192.0.2.0/24', 'Infinity', '2020-01-01');
-- IPv4 and IPv6 in one group
SELECT utilization(b, 1, '2020-01-01')
FROM (VALUES ('192.0.2.0/24'::inet), ('2001:db8::/32')) AS v(b);
-- ... which grouping by family() resolves
SELECT family(b), (utilization(b, 1, '2020-01-01')).total_allocated
FROM (VALUES ('192.0.2.0/24'::inet), ('2001:db8::/120')) AS v(b)
GROUP BY 1 ORDER BY 1;
-- the method changes within a group; an unknown method
SELECT utilization(b, 1, '2020-01-01', m)
FROM (VALUES ('192.0.2.0/24'::inet, 'hd'), ('198.51.100.0/24', 'fixed')) AS v(b, m);
SELECT utilization('192.0.2.0/24', 1, '2020-01-01', 'percent');

---------------------------------------------------------------------------
-- Parallel aggregation gives the serial answer
---------------------------------------------------------------------------

-- An ordinary table (temporary tables are never scanned in parallel):
-- 60,000 rows for 97 members, with NULL blocks, NULL used, NULL dates, many
-- ties on the date (50 distinct dates) and the first 10,000 rows without a
-- block, so some workers may see none.
CREATE TABLE ut_par AS
SELECT g.i % 97 AS member,
       CASE WHEN g.i <= 10000 OR g.i % 101 = 0 THEN NULL
            ELSE network(set_masklen('10.0.0.0'::inet + ((g.i::bigint * 7919) % 16777216) * 16,
                                     20 + (g.i * 13) % 9))::cidr END AS block,
       CASE WHEN g.i % 103 = 0 THEN NULL
            ELSE ((g.i::bigint * 104729) % ((1::bigint << (12 - (g.i * 13) % 9)) + 1))::numeric END AS used,
       CASE WHEN g.i % 107 = 0 THEN NULL
            ELSE DATE '2020-01-01' + g.i % 50 END AS allocated_on
FROM generate_series(1, 60000) AS g(i);
ANALYZE ut_par;

-- The same two queries run serially, then in parallel; each result is
-- reduced to a row count and an md5 of all its text.
\set q_all 'SELECT utilization(block, used, allocated_on)::text AS u FROM ut_par'
\set q_grouped 'SELECT count(*) AS n, md5(string_agg(member || \':\' || u || \':\' || ut, \';\' ORDER BY member)) AS h FROM (SELECT member, utilization(block, used, allocated_on)::text AS u, utilization(block, used, allocated_on, \'table\')::text AS ut FROM ut_par GROUP BY member) p'
SET max_parallel_workers_per_gather = 0;
:q_all \gset serial_
:q_grouped \gset serial_

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;	-- every row goes through a worker's state
SET enable_sort = off;
EXPLAIN (COSTS OFF) :q_all;
:q_all \gset parallel_
SELECT :'parallel_u' = :'serial_u' AS parallel_equals_serial;
EXPLAIN (COSTS OFF) :q_grouped;
:q_grouped \gset parallel_
SELECT :parallel_n AS members, :'parallel_h' = :'serial_h' AS parallel_equals_serial;

RESET enable_sort;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE ut_par;
