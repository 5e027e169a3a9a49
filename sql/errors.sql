--
-- errors: every error path of every function of the extension, one line
-- each, with the SQLSTATE it raises (\set VERBOSITY sqlstate).  The audit
-- reads each ereport in src/*.c; a path is listed under its file and
-- function.  The comment after each statement is the SQLSTATE and message
-- that path raises: test/errors/check.sh runs every line again and checks
-- both (a comment ending in "..." gives the start of a long message), so a
-- line that reaches another path than the one named fails there.
--
-- Paths SQL cannot reach are listed as comments, with the reason.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY sqlstate

-- common.c ap_family_from_int
SELECT prefix_size(24, 5);  -- 22023 invalid address family 5
SELECT prefix_at_most(1000, 0);  -- 22023 invalid address family 0

-- cidr_math.c ap_check_masklen
SELECT prefix_size(33);  -- 22023 invalid prefix length 33 for IPv4
SELECT prefix_size(-1, 6);  -- 22023 invalid prefix length -1 for IPv6
SELECT prefix_size(129, 6);  -- 22023 invalid prefix length 129 for IPv6
-- cidr_math.c classify_addresses: NaN, then negative
SELECT prefix_at_most('NaN');  -- 22023 address count cannot be NaN
SELECT prefix_at_least('NaN', 6);  -- 22023 address count cannot be NaN
SELECT prefix_at_most(-1);  -- 22003 address count cannot be negative
SELECT prefix_at_least('-Infinity');  -- 22003 address count cannot be negative
-- cidr_math.c ap_prefix_at_most: below one address
SELECT prefix_at_most(0);  -- 22003 no CIDR block holds at most 0 addresses
SELECT prefix_at_most(0.5, 6);  -- 22003 no CIDR block holds at most 0.5 addresses
-- cidr_math.c ap_prefix_at_least: beyond the family's space
SELECT prefix_at_least(4294967297);  -- 22003 no IPv4 block holds 4294967297 addresses
SELECT prefix_at_least('Infinity', 6);  -- 22003 no IPv6 block holds Infinity addresses
SELECT prefix_at_least(340282366920938463463374607431768211457, 6);  -- 22003 no IPv6 block holds 340282366920938463463374607431768211457 addresses
-- cidr_math.c addr_count(inet), usable_hosts(inet): no error path

-- hdratio.c whole_count (total of hd_required; the figures and min_total of
-- utilization_check): not finite, negative, fractional, beyond 2^128
SELECT hd_required('NaN'::numeric);  -- 22023 total must be a finite number
SELECT hd_required('Infinity', 0.9);  -- 22023 total must be a finite number
SELECT hd_required(-1);  -- 22003 total cannot be negative
SELECT hd_required(4096.5);  -- 22023 total must be a whole number of addresses
SELECT hd_required(340282366920938463463374607431768211457);  -- 22003 total 340282366920938463463374607431768211457 exceeds 2^128, the size of the IPv6 space
-- hdratio.c hd_fraction: a threshold outside [0, 1]
SELECT hd_required(4096, 1.5);  -- 22023 HD-ratio threshold 1.5 is not between 0 and 1
SELECT hd_required(4096, -0.1);  -- 22023 HD-ratio threshold -0.1 is not between 0 and 1
SELECT hd_required(4096, 'NaN');  -- 22023 HD-ratio threshold NaN is not between 0 and 1
SELECT hd_required(4096, 'Infinity');  -- 22023 HD-ratio threshold Infinity is not between 0 and 1
-- hdratio.c ap_hd_required: a power within 10^-940 of a whole number
SELECT hd_required(4, ('0.5' || repeat('0', 998) || '1')::numeric);  -- 54000 cannot resolve 4^0.5000...
-- hdratio.c ap_hd_ratio
SELECT hd_ratio('NaN', 10);  -- 22023 HD ratio of NaN is undefined
SELECT hd_ratio(1, 'Infinity');  -- 22023 HD ratio of an infinite count is undefined
SELECT hd_ratio(0, 1);  -- 22023 HD ratio needs a total greater than 1, got 1
SELECT hd_ratio(1, '10.0.0.0/32'::inet);  -- 22023 HD ratio needs a total greater than 1, got 1
SELECT hd_ratio(-1, 10);  -- 22003 used addresses cannot be negative, got -1
SELECT hd_ratio(11, 10);  -- 22003 used 11 exceeds the total 10
-- hdratio.c block_total: the unit prefix length
SELECT hd_ratio(1, '2001:db8::/32'::inet, 129);  -- 22023 invalid unit prefix length 129 for IPv6
SELECT hd_required('10.0.0.0/8'::inet, 0.94, 33);  -- 22023 invalid unit prefix length 33 for IPv4
SELECT hd_ratio(1, '2001:db8::/48'::inet, 32);  -- 22023 unit /32 is larger than the block /48
SELECT hd_required('2001:db8::/48'::inet, 0.94, 32);  -- 22023 unit /32 is larger than the block /48
-- hdratio.c table_lookup, table_by_name
SELECT hd_table_pct('NaN', 'total');  -- 22023 address count NaN is not a valid table index
SELECT hd_table_pct(-1, 'recent');  -- 22003 address count -1 is not a valid table index
SELECT hd_table_pct('-Infinity', 'total');  -- 22003 address count -Infinity is not a valid table index
SELECT hd_table_pct(4096, 'other');  -- 22023 unknown HD table "other"
-- hdratio.c ap_parse_method
SELECT utilization_check(0, 4096, 0, 4096, 'other');  -- 22023 unknown utilization method "other"
-- hdratio.c ap_policy_check: thresholds, cap, min_total
SELECT utilization_check(0, 4096, 0, 4096, 'hd', 1.5);  -- 22023 total_hd 1.5 is not between 0 and 1
SELECT utilization_check(0, 4096, 0, 4096, 'hd', 0.966, -1);  -- 22023 recent_hd -1 is not between 0 and 1
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 0);  -- 22023 cap 0 is not greater than 0 and at most 1
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 1.01);  -- 22023 cap 1.01 is not greater than 0 and at most 1
SELECT utilization_check(0, 4096, 0, 4096, 'fixed', NULL, NULL, 'NaN');  -- 22023 cap NaN is not greater than 0 and at most 1
SELECT utilization_check(0, 4096, 0, 4096, 'hd', NULL, NULL, NULL, -1);  -- 22003 min_total cannot be negative
SELECT utilization_check(0, 4096, 0, 4096, 'hd', NULL, NULL, NULL, 0.5);  -- 22023 min_total must be a whole number of addresses
-- hdratio.c ap_utilization_evaluate: each figure, then their order
SELECT utilization_check('NaN', 4096, 0, 4096);  -- 22023 total_used must be a finite number
SELECT utilization_check(0, -4096, 0, 4096);  -- 22003 total_allocated cannot be negative
SELECT utilization_check(0, 4096, 0.5, 4096);  -- 22023 recent_used must be a whole number of addresses
SELECT utilization_check(0, 4096, 0, 340282366920938463463374607431768211457);  -- 22003 recent_allocated 340282366920938463463374607431768211457 exceeds 2^128, the size of the IPv6 space
SELECT utilization_check(4097, 4096, 0, 4096);  -- 22023 total_used 4097 exceeds total_allocated 4096
SELECT utilization_check(0, 8192, 4097, 4096);  -- 22023 recent_used 4097 exceeds recent_allocated 4096
SELECT utilization_check(0, 4096, 0, 8192);  -- 22023 recent_allocated 8192 exceeds total_allocated 4096
SELECT utilization_check(10, 8192, 11, 4096);  -- 22023 recent_used 11 exceeds total_used 10
-- hdratio.c utilization_check: "return type must be a row type" (elog) is
-- unreachable: the declaration has OUT parameters.

-- allocation.c check_pool: not finite, not positive, fractional, too big
SELECT max_allocation('NaN'::numeric);  -- 22023 free pool must be a finite number of addresses
SELECT allocation_unit('Infinity');  -- 22023 pool must be a finite number of addresses
SELECT max_allocation(0);  -- 22003 free pool must be positive
SELECT allocation_unit(-1);  -- 22003 pool must be positive
SELECT max_allocation(1024.5);  -- 22023 free pool must be a whole number of addresses
SELECT max_allocation(4294967297);  -- 22003 free pool exceeds the IPv4 address space
SELECT max_allocation(340282366920938463463374607431768211457, 48, 4, 6);  -- 22003 free pool exceeds the IPv6 address space
SELECT * FROM allocation_schedule(4294967297, '2021-03-01');  -- 22003 pool exceeds the IPv4 address space
-- allocation.c check_share
SELECT max_allocation(1024, 24, 'NaN');  -- 22023 share must be a finite number
SELECT max_allocation(1024, 24, 0.5);  -- 22023 share must be at least 1
-- allocation.c check_recipients
SELECT allocation_unit(1024, 0);  -- 22023 recipients must be at least 1
SELECT * FROM allocation_schedule(1024, '2021-03-01', 0);  -- 22023 recipients must be at least 1
-- allocation.c: minimum_masklen (ap_check_masklen)
SELECT max_allocation(1024, 33);  -- 22023 invalid minimum_masklen 33 for IPv4
SELECT allocation_unit(1024, 5, -1, 6);  -- 22023 invalid minimum_masklen -1 for IPv6
SELECT * FROM allocation_schedule(1024, '2021-03-01', 5, 33);  -- 22023 invalid minimum_masklen 33 for IPv4
-- allocation.c max_allocation_blocks: mixed families, no block
SELECT max_allocation('{10.0.0.0/8,2001:db8::/32}'::cidr[]);  -- 22023 cannot mix IPv4 and IPv6 blocks in one free pool
SELECT max_allocation('{}'::cidr[]);  -- 22003 free pool must be positive
SELECT max_allocation('{NULL}'::cidr[]);  -- 22003 free pool must be positive
-- allocation.c blocks_addr_count: "function addr_count(cidr[]) does not
-- exist" (42883) is reachable only in a database whose extension lacks
-- the CIDR-set functions; "cache lookup failed for namespace" (elog) is
-- unreachable: the namespace of the function being called exists.
-- allocation.c supply_months
SELECT supply_months(-1);  -- 22003 count of unallocated /8s cannot be negative
SELECT supply_months(257);  -- 22003 count of unallocated /8s cannot exceed 256
-- allocation.c period_bounds: infinite dates, periods beyond the date range
SELECT allocation_period('infinity');  -- 22008 no allocation period contains infinity
SELECT allocation_period('-infinity');  -- 22008 no allocation period contains -infinity
SELECT allocation_period('5874897-12-31');  -- 22008 allocation period containing 5874897-12-31 is out of range
SELECT allocation_period('4714-11-24 BC');  -- 22008 allocation period containing 4714-11-24 BC is out of range
SELECT * FROM allocation_schedule(1024, 'infinity');  -- 22008 no allocation period contains infinity
SELECT count(*) FROM allocation_schedule(4294967295, '5874890-03-01', 1, 32);  -- 22008 allocation period containing 5874897-09-01 is out of range

-- utilization.c used_count: not finite, negative, fractional, beyond the block
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 'NaN'::numeric, '2020-01-01'::date)) v(b, u, d);  -- 22023 used must be a finite number of addresses, got NaN for block 10.0.0.0/24
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, -1::numeric, '2020-01-01'::date)) v(b, u, d);  -- 22003 used cannot be negative, got -1 for block 10.0.0.0/24
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 0.5::numeric, '2020-01-01'::date)) v(b, u, d);  -- 22023 used must be a whole number of addresses, got 0.5 for block 10.0.0.0/24
SELECT utilization(b, u, d) FROM (VALUES ('10.0.0.0/24'::inet, 257::numeric, '2020-01-01'::date)) v(b, u, d);  -- 22003 used 257 exceeds the 256 addresses of block 10.0.0.0/24
SELECT utilization(b, u, d) FROM (VALUES ('::/0'::inet, 340282366920938463463374607431768211457::numeric, '2020-01-01'::date)) v(b, u, d);  -- 22003 used 340282366920938463463374607431768211457 exceeds the 340282366920938463463374607431768211456 addresses of block ::/0
-- utilization.c check_same_family, check_same_method, method_from_text
SELECT utilization(b, 0, NULL) FROM (VALUES ('10.0.0.0/24'::inet), ('2001:db8::/48')) v(b);  -- 22023 cannot summarize IPv4 and IPv6 allocations together
SELECT utilization(b, 0, NULL, m) FROM (VALUES ('10.0.0.0/24'::inet, 'hd'), ('10.1.0.0/24', 'fixed')) v(b, m);  -- 22023 utilization method changes within a group: 'hd' and 'fixed'
SELECT utilization(b, 0, NULL, m) FROM (VALUES ('10.0.0.0/24'::inet, 'other')) v(b, m);  -- 22023 unknown utilization method "other"
-- utilization.c utilization_finalfn (through ap_utilization_evaluate): a
-- group whose allocations add up to more than 2^128 addresses
SELECT utilization(b, 0, NULL) FROM (VALUES ('::/0'::inet), ('::/0')) v(b);  -- 22003 total_allocated 680564733841876926926749214863536422912 exceeds 2^128, the size of the IPv6 space
-- utilization.c, unreachable from SQL: "called in non-aggregate context"
-- (elog; the support functions take internal, which SQL cannot pass),
-- "invalid serialized utilization state" (22P03; the executor deserializes
-- only what the serial function wrote), "return type must be a row type"
-- (elog; the aggregate returns utilization_summary).
