--
-- errors: every error path of the extension's C code (each ereport and
-- elog(ERROR) in src/*.c), reached once, one line each: the statement, then
-- \echo :SQLSTATE, so the expected output shows the message (VERBOSITY
-- terse) and the SQLSTATE under it.  Paths are grouped by file and
-- function.  Paths SQL cannot reach are listed as comments, with the
-- reason; test/errors/check.sh fails when an error message of src/*.c is
-- neither in expected/errors.out nor named in such a comment.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse
SET datestyle = ISO;  -- the messages print dates in DateStyle

-- common.c ap_family_from_int
SELECT prefix_size(24, 5); \echo :SQLSTATE
SELECT prefix_at_most(1000, 0); \echo :SQLSTATE

-- cidr_math.c ap_check_masklen
SELECT prefix_size(33); \echo :SQLSTATE
SELECT prefix_size(-1, 6); \echo :SQLSTATE
SELECT prefix_size(129, 6); \echo :SQLSTATE
-- cidr_math.c classify_addresses: NaN, then negative
SELECT prefix_at_most('NaN'); \echo :SQLSTATE
SELECT prefix_at_least('NaN', 6); \echo :SQLSTATE
SELECT prefix_at_most(-1); \echo :SQLSTATE
SELECT prefix_at_least('-Infinity'); \echo :SQLSTATE
-- cidr_math.c ap_prefix_at_most: below one address
SELECT prefix_at_most(0); \echo :SQLSTATE
SELECT prefix_at_most(0.5, 6); \echo :SQLSTATE
-- cidr_math.c ap_prefix_at_least: beyond the family's space
SELECT prefix_at_least(4294967297); \echo :SQLSTATE
SELECT prefix_at_least('Infinity', 6); \echo :SQLSTATE
SELECT prefix_at_least(340282366920938463463374607431768211457, 6); \echo :SQLSTATE
-- cidr_math.c addr_count(inet), usable_hosts(inet): no error path

-- hdratio.c whole_count (total of hd_required; the figures and min_total of
-- utilization_check): not finite, negative, fractional, beyond 2^128
SELECT hd_required('NaN'::numeric); \echo :SQLSTATE
SELECT hd_required('Infinity', 0.9); \echo :SQLSTATE
SELECT hd_required(-1); \echo :SQLSTATE
SELECT hd_required(4096.5); \echo :SQLSTATE
SELECT hd_required(340282366920938463463374607431768211457); \echo :SQLSTATE
-- hdratio.c hd_fraction: a threshold outside [0, 1]
SELECT hd_required(4096, 1.5); \echo :SQLSTATE
SELECT hd_required(4096, -0.1); \echo :SQLSTATE
SELECT hd_required(4096, 'NaN'); \echo :SQLSTATE
SELECT hd_required(4096, 'Infinity'); \echo :SQLSTATE
-- hdratio.c ap_hd_required: a power within 10^-940 of a whole number
SELECT hd_required(4, ('0.5' || repeat('0', 998) || '1')::numeric); \echo :SQLSTATE
-- hdratio.c ap_hd_ratio
SELECT hd_ratio('NaN', 10); \echo :SQLSTATE
SELECT hd_ratio(1, 'Infinity'); \echo :SQLSTATE
SELECT hd_ratio(0, 1); \echo :SQLSTATE
SELECT hd_ratio(1, '10.0.0.0/32'::inet); \echo :SQLSTATE
SELECT hd_ratio(-1, 10); \echo :SQLSTATE
SELECT hd_ratio(11, 10); \echo :SQLSTATE
-- counts are whole everywhere: 1.0 answered hd_ratio(0.5, 2) with -1
SELECT hd_ratio(0.5, 2); \echo :SQLSTATE
SELECT hd_ratio(1, 2.5); \echo :SQLSTATE
-- hdratio.c block_total: the unit prefix length
SELECT hd_ratio(1, '2001:db8::/32'::inet, 129); \echo :SQLSTATE
SELECT hd_required('10.0.0.0/8'::inet, 0.94, 33); \echo :SQLSTATE
SELECT hd_ratio(1, '2001:db8::/48'::inet, 32); \echo :SQLSTATE
SELECT hd_required('2001:db8::/48'::inet, 0.94, 32); \echo :SQLSTATE
-- hdratio.c table_lookup, table_by_name
SELECT hd_table_pct('NaN', 'total'); \echo :SQLSTATE
SELECT hd_table_pct(-1, 'recent'); \echo :SQLSTATE
SELECT hd_table_pct('-Infinity', 'total'); \echo :SQLSTATE
-- 1.0 answered the last row (40) for Infinity, and 66 for 65536.5
SELECT hd_table_pct('Infinity', 'total'); \echo :SQLSTATE
SELECT hd_table_pct(65536.5, 'recent'); \echo :SQLSTATE
SELECT hd_table_pct(4096, 'other'); \echo :SQLSTATE
-- hdratio.c ap_parse_method
SELECT utilization_check(0, 4096, 0, 4096, 'other'); \echo :SQLSTATE
-- hdratio.c ap_policy_check: thresholds, cap, min_total
SELECT utilization_check(0, 4096, 0, 4096, 'hd', 1.5); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'hd', 0.966, -1); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 0); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 1.01); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 'NaN'); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'hd', NULL, NULL, NULL, -1); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 4096, 'hd', NULL, NULL, NULL, 0.5); \echo :SQLSTATE
-- hdratio.c ap_utilization_evaluate: each figure, then their order
SELECT utilization_check('NaN', 4096, 0, 4096); \echo :SQLSTATE
SELECT utilization_check(0, -4096, 0, 4096); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0.5, 4096); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 340282366920938463463374607431768211457); \echo :SQLSTATE
SELECT utilization_check(4097, 4096, 0, 4096); \echo :SQLSTATE
SELECT utilization_check(0, 8192, 4097, 4096); \echo :SQLSTATE
SELECT utilization_check(0, 4096, 0, 8192); \echo :SQLSTATE
SELECT utilization_check(10, 8192, 11, 4096); \echo :SQLSTATE
-- hdratio.c utilization_check: "return type must be a row type" (elog) is
-- unreachable: the declaration has OUT parameters.

-- allocation.c check_pool: not finite, not positive, fractional, too big
SELECT max_allocation('NaN'::numeric); \echo :SQLSTATE
SELECT allocation_unit('Infinity'); \echo :SQLSTATE
SELECT max_allocation(0); \echo :SQLSTATE
SELECT allocation_unit(-1); \echo :SQLSTATE
SELECT max_allocation(1024.5); \echo :SQLSTATE
SELECT max_allocation(4294967297); \echo :SQLSTATE
SELECT max_allocation(340282366920938463463374607431768211457, 48, 4, 6); \echo :SQLSTATE
SELECT * FROM allocation_schedule(4294967297, '2021-03-01'); \echo :SQLSTATE
-- allocation.c check_share
SELECT max_allocation(1024, 24, 'NaN'); \echo :SQLSTATE
SELECT max_allocation(1024, 24, 0.5); \echo :SQLSTATE
-- allocation.c check_recipients
SELECT allocation_unit(1024, 0); \echo :SQLSTATE
SELECT * FROM allocation_schedule(1024, '2021-03-01', 0); \echo :SQLSTATE
-- allocation.c: minimum_masklen (ap_check_masklen)
SELECT max_allocation(1024, 33); \echo :SQLSTATE
SELECT allocation_unit(1024, 5, -1, 6); \echo :SQLSTATE
SELECT * FROM allocation_schedule(1024, '2021-03-01', 5, 33); \echo :SQLSTATE
-- allocation.c max_allocation_blocks: mixed families, no block
SELECT max_allocation('{10.0.0.0/8,2001:db8::/32}'::cidr[]); \echo :SQLSTATE
SELECT max_allocation('{}'::cidr[]); \echo :SQLSTATE
SELECT max_allocation('{NULL}'::cidr[]); \echo :SQLSTATE
-- allocation.c supply_months
SELECT supply_months(-1); \echo :SQLSTATE
SELECT supply_months(257); \echo :SQLSTATE
-- allocation.c period_bounds: infinite dates, periods beyond the date range
SELECT allocation_period('infinity'); \echo :SQLSTATE
SELECT allocation_period('-infinity'); \echo :SQLSTATE
SELECT allocation_period('5874897-12-31'); \echo :SQLSTATE
SELECT allocation_period('4714-11-24 BC'); \echo :SQLSTATE
SELECT * FROM allocation_schedule(1024, 'infinity'); \echo :SQLSTATE
SELECT count(*) FROM allocation_schedule(4294967295, '5874890-03-01', 1, 32); \echo :SQLSTATE

-- utilization.c used_count: not finite, negative, fractional, beyond the block
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 'NaN'::numeric, '2020-01-01'::date)) v(b, u, d); \echo :SQLSTATE
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, -1::numeric, '2020-01-01'::date)) v(b, u, d); \echo :SQLSTATE
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 0.5::numeric, '2020-01-01'::date)) v(b, u, d); \echo :SQLSTATE
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 257::numeric, '2020-01-01'::date)) v(b, u, d); \echo :SQLSTATE
SELECT utilization(b, u, d) FROM (VALUES ('::/0'::inet, 340282366920938463463374607431768211457::numeric, '2020-01-01'::date)) v(b, u, d); \echo :SQLSTATE
-- utilization.c check_same_family, check_same_method, method_from_text
SELECT utilization(b, 0, NULL) FROM (VALUES ('10.0.0.0/24'::inet), ('2001:db8::/48')) v(b); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, m) FROM (VALUES ('10.0.0.0/24'::inet, 'hd'), ('10.1.0.0/24', 'fixed')) v(b, m); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, m) FROM (VALUES ('10.0.0.0/24'::inet, 'other')) v(b, m); \echo :SQLSTATE
-- utilization.c utilization_finalfn (through ap_utilization_evaluate): a
-- group whose allocations add up to more than 2^128 addresses
SELECT utilization(b, 0, NULL) FROM (VALUES ('::/0'::inet), ('::/0')) v(b); \echo :SQLSTATE
-- utilization.c, unreachable from SQL: "called in non-aggregate context"
-- (elog; the support functions take internal, which SQL cannot pass),
-- "invalid serialized utilization state" (22P03; the executor deserializes
-- only what the serial function wrote), "return type must be a row type"
-- (elog; the aggregate returns utilization_summary).

-- sets.c addr_count(cidr[]): both families
SELECT addr_count('{10.0.0.0/8,2001:db8::/32}'::cidr[]); \echo :SQLSTATE
-- sets.c range_to_cidrs: families differ, bounds reversed
SELECT * FROM range_to_cidrs('10.0.0.0', '2001:db8::'); \echo :SQLSTATE
SELECT * FROM range_to_cidrs('10.0.0.2', '10.0.0.1'); \echo :SQLSTATE
-- sets.c cidr_union, cidr_intersect, cidr_except: no error path of their
-- own; rangeset.c's below.
-- rangeset.c ap_cidr_array_measure: a result of more blocks than a cidr
-- array can hold (1 GB: 44.7 million IPv6 blocks of 24 bytes).  ::/0 minus
-- the pairs of addresses k * 2^110 - 1 and k * 2^110, k = 1 .. 210000, is
-- 210,001 ranges of about 218 blocks each (45.8 million): the measure fails
-- before anything is allocated (1.4 s)
SELECT cardinality(cidr_except('{::/0}', array(SELECT h FROM generate_series(1, 210000) k, LATERAL (SELECT format('%s:%s::', to_hex(k >> 2), to_hex((k & 3) << 14))::inet a) x, LATERAL (VALUES (a::cidr), (set_masklen(a - 1, 128)::cidr)) v(h)))); \echo :SQLSTATE
-- rangeset.c ap_buffer_reserve: "address set is too large" (54000) guards
-- the size arithmetic against MaxAllocHugeSize (2^63 bytes): an input would
-- need 2^63 / 32 ranges; the 1 GB limit of one value and "out of memory"
-- come first.  Unreachable.
-- rangeset.c ap_array_reader_init: "expected an array of cidr or inet, got
-- type N" (elog) is unreachable: every caller is declared with cidr[]
-- arguments.

-- aggregates.c addr_sum: both families (in one call, and across workers'
-- partial states: the combine function raises the same error)
SELECT addr_sum(b) FROM (VALUES ('10.0.0.0/8'::inet), ('2001:db8::/32')) v(b); \echo :SQLSTATE
-- aggregates.c cidr_merge (buffer_grow): "aggregate state is too large"
-- (54000) guards against MaxAllocHugeSize (2^63 bytes), like
-- ap_buffer_reserve: "out of memory" comes first, unreachable;
-- "invalid aggregate state" (22P03) is unreachable (the
-- executor deserializes only what the serial function wrote); "called in
-- non-aggregate context" (elog) is unreachable (the support functions take
-- internal, which SQL cannot pass).

-- freespace.c free_space: a pool of both families; the prefix length
SELECT cidr_first_free('{10.0.0.0/8,2001:db8::/32}', '{}', 24); \echo :SQLSTATE
SELECT cidr_free_blocks('{10.0.0.0/8,2001:db8::/32}', '{}', 24); \echo :SQLSTATE
SELECT free_block_counts('{10.0.0.0/8,2001:db8::/32}', '{}'); \echo :SQLSTATE
SELECT cidr_first_free('{10.0.0.0/8}', '{}', 33); \echo :SQLSTATE
SELECT cidr_free_blocks('{2001:db8::/32}', '{}', -1); \echo :SQLSTATE
-- freespace.c check_masklen: an empty pool has no family
SELECT cidr_first_free('{}', '{}', 129); \echo :SQLSTATE
-- freespace.c parse_strategy, unit count mode
SELECT cidr_first_free('{10.0.0.0/8}', '{}', 24, 'worst_fit'); \echo :SQLSTATE
SELECT unit_count('{2001:db8::/32}', 48, 'partial'); \echo :SQLSTATE
-- freespace.c unit_count: both families, the unit prefix length
SELECT unit_count('{10.0.0.0/8,2001:db8::/32}', 24); \echo :SQLSTATE
SELECT unit_count('{2001:db8::/32}', 129); \echo :SQLSTATE
SELECT unit_count('{}', -1); \echo :SQLSTATE
-- freespace.c free_block_counts: "free_block_counts must return a composite
-- type" (elog) is unreachable: the declaration has OUT parameters.

-- rules.c (1.1) check_step: a step that does not divide the width
SELECT prefix_at_most(1000, 4, 3); \echo :SQLSTATE
SELECT prefix_at_least(1000, 6, 0); \echo :SQLSTATE
-- rules.c check_count, and sizes beyond the IPv6 space
SELECT ipv6_end_user_block(0); \echo :SQLSTATE
SELECT ipv6_isp_allocation(0, 1); \echo :SQLSTATE
SELECT ipv6_isp_allocation(9223372036854775807, 9223372036854775807); \echo :SQLSTATE
SELECT ipv6_end_user_block(9223372036854775807); \echo :SQLSTATE
SELECT ipv6_isp_allocation(1, 1, 48, 32, 36); \echo :SQLSTATE
SELECT ipv6_isp_allocation(1, 1, 129); \echo :SQLSTATE
-- rules.c ipv6_isp_subsequent: counts, their order, shares
SELECT ipv6_isp_subsequent(-1, 0); \echo :SQLSTATE
SELECT ipv6_isp_subsequent(10, 0.5); \echo :SQLSTATE
SELECT ipv6_isp_subsequent(10, 11); \echo :SQLSTATE
SELECT ipv6_isp_subsequent(10, 1, 5, 6); \echo :SQLSTATE
SELECT ipv6_isp_subsequent(10, 1, NULL, NULL, 1.5); \echo :SQLSTATE
SELECT ipv6_isp_subsequent(10, 1, NULL, NULL, 0.75, 'NaN'); \echo :SQLSTATE
-- rules.c hd_table: rounding, prefix lengths
SELECT hd_table(0.94, 56, 32, 30, 'round'); \echo :SQLSTATE
SELECT hd_table(0.94, 56, 30, 32); \echo :SQLSTATE
SELECT hd_table(0.94, 56, 57, 32); \echo :SQLSTATE
SELECT hd_table(0.94, 129, 32, 30); \echo :SQLSTATE
-- rules.c ipv6_isp_allocation, ipv6_isp_subsequent: "return type must be a
-- row type" (elog) is unreachable: the declarations have OUT parameters.
-- hdratio.c ap_hd_rounded: "cannot round the threshold to the nearest
-- whole number" needs a threshold of about a thousand decimals that brings
-- units^hd within 10^-940 of a half: log_4(2.5) to 1,000 digits, 4 units
SELECT hd_table(ln(2.5::numeric(1000, 998)) / ln(4::numeric(1000, 998)), 2, 0, 0, 'nearest'); \echo :SQLSTATE
-- utilization.c (1.1) the unit-counting aggregate: used beyond the block's
-- units, a unit larger than a block, a unit or threshold that changes in a
-- group, a threshold the state cannot keep or outside [0, 1]
SELECT utilization(b, 257, NULL, 'hd_total', 56, 0.94) FROM (VALUES ('2001:db8::/48'::inet)) v(b); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, 'hd_total', 24, 0.94) FROM (VALUES ('2001:db8::/32'::inet)) v(b); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, 'hd_total', 129, 0.94) FROM (VALUES ('2001:db8::/32'::inet)) v(b); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, 'hd_total', u, 0.94) FROM (VALUES ('2001:db8::/32'::inet, 56), ('2001:db9::/32', 48)) v(b, u); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, 'hd_total', 56, 0.1234567890123456) FROM (VALUES ('2001:db8::/32'::inet)) v(b); \echo :SQLSTATE
SELECT utilization(b, 0, NULL, 'hd_total', 56, 1.5) FROM (VALUES ('2001:db8::/32'::inet)) v(b); \echo :SQLSTATE

-- Values are in the detail, never in the primary message, and a long one
-- is cut to its first 20 characters and its number of digits (1.0 printed
-- a 1,000-digit input whole).
\set VERBOSITY default
SELECT hd_required(repeat('9', 1000)::numeric); \echo :SQLSTATE
SELECT max_allocation(repeat('9', 1000)::numeric); \echo :SQLSTATE
\set VERBOSITY terse

-- treeusage.c cidr_tree_usage: range bounds that do not pair up, a range
-- of two families, a reversed range
SELECT * FROM cidr_tree_usage('{10.0.0.0/8}', NULL, '{10.0.0.1}', '{10.0.0.2,10.0.0.3}'); \echo :SQLSTATE
SELECT * FROM cidr_tree_usage('{10.0.0.0/8}', NULL, '{10.0.0.1}', NULL); \echo :SQLSTATE
SELECT * FROM cidr_tree_usage('{10.0.0.0/8}', NULL, '{10.0.0.1}', '{2001:db8::1}'); \echo :SQLSTATE
SELECT * FROM cidr_tree_usage('{10.0.0.0/8}', NULL, '{10.0.0.9}', '{10.0.0.1}'); \echo :SQLSTATE
-- treeusage.c, unreachable from SQL: "address set is too large" (54000,
-- tu_alloc) guards MaxAllocHugeSize, after which "out of memory" comes
-- first; "expected an array of cidr, got type N", "expected an array of
-- inet or cidr, got type N" and "expected arrays of inet or cidr" (elog)
-- cannot happen: the function is declared with cidr[] and inet[].
