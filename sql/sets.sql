-- sets: cidr[] as a set of addresses (addr_count, cidr_union,
-- cidr_intersect, cidr_except, range_to_cidrs).
--
-- Every result is checked by test/sets/verify_expected.py: the "-- py:"
-- comment over a query is a Python expression (ipaddress: collapse_addresses,
-- summarize_address_range, address_exclude) whose value the query's output
-- in expected/sets.out must equal.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

--
-- addr_count(cidr[]): distinct addresses, overlaps once
--
-- py: count('10.0.0.0/24 10.0.0.0/25 10.0.1.0/24 10.0.0.128/32')
SELECT addr_count('{10.0.0.0/24,10.0.0.0/25,10.0.1.0/24,10.0.0.128/32}'::cidr[]);
-- py: count('')
SELECT addr_count('{}'::cidr[]);
-- py: count('')
SELECT addr_count('{NULL,NULL}'::cidr[]);
-- py: None
SELECT addr_count(NULL::cidr[]);
-- py: count('0.0.0.0/0 10.0.0.0/8 255.255.255.255/32')
SELECT addr_count('{0.0.0.0/0,10.0.0.0/8,255.255.255.255/32}'::cidr[]);
-- py: count('10.1.2.3/32')
SELECT addr_count('{10.1.2.3/32}'::cidr[]);
-- py: count('::/0 ::/1 2001:db8::/32 ::1/128')
SELECT addr_count('{::/0,::/1,2001:db8::/32,::1/128}'::cidr[]);
-- py: count('::1/128')
SELECT addr_count('{::1/128}'::cidr[]);
-- py: count('2001:db8::/48 2001:db8:0:1::/64 2001:db8:1::/48')
SELECT addr_count('{2001:db8::/48,2001:db8:0:1::/64,2001:db8:1::/48}'::cidr[]);
-- a multi-dimensional array is a flat list of its elements
-- py: count('10.0.0.0/24 10.0.1.0/24 10.0.2.0/24')
SELECT addr_count('{{10.0.0.0/24,10.0.1.0/24},{10.0.2.0/24,NULL}}'::cidr[]);
-- py: Err('cannot mix IPv4 and IPv6 addresses')
SELECT addr_count('{10.0.0.0/8,::/0}'::cidr[]);

--
-- cidr_union: normalized (sorted, IPv4 first, overlaps and neighbours joined)
--
-- nested, duplicate and adjacent blocks
-- py: union('10.0.0.0/24 10.0.1.0/24 10.0.0.0/25 10.0.0.0/24 10.0.2.0/23', '')
SELECT cidr_union('{10.0.0.0/24,10.0.1.0/24,10.0.0.0/25,10.0.0.0/24,10.0.2.0/23}', '{}');
-- neighbours that do not make one block stay two
-- py: union('10.0.1.0/24 10.0.2.0/24', '')
SELECT cidr_union('{10.0.2.0/24}', '{10.0.1.0/24}');
-- IPv4 before IPv6, whatever the input order
-- py: union('2001:db8::/32 10.0.0.0/8 ::/128 192.0.2.0/24', '')
SELECT cidr_union('{2001:db8::/32,10.0.0.0/8}', '{::/128,192.0.2.0/24}');
-- py: union('0.0.0.0/1 128.0.0.0/1', '')
SELECT cidr_union('{0.0.0.0/1}', '{128.0.0.0/1}');
-- py: union('::/1 8000::/1', '')
SELECT cidr_union('{8000::/1}', '{::/1}');
-- /32 and /128 neighbours at the ends of the spaces
-- py: union('0.0.0.0/32 0.0.0.1/32 255.255.255.254/32 255.255.255.255/32', '')
SELECT cidr_union('{255.255.255.255/32,0.0.0.1/32}', '{0.0.0.0/32,255.255.255.254/32}');
-- py: union('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 ::/128 ::1/128', '')
SELECT cidr_union('{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128,::1/128}', '{ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128,::/128}');
-- py: union('', '')
SELECT cidr_union('{}', '{}');
-- NULL elements are ignored, NULL arrays give NULL
-- py: union('10.0.0.0/25 10.0.0.128/25', '')
SELECT cidr_union('{NULL,10.0.0.0/25}', '{10.0.0.128/25,NULL}');
-- py: None
SELECT cidr_union(NULL, '{10.0.0.0/8}');
-- py: union('10.0.0.0/25 10.0.0.128/25 10.0.1.0/24', '')
SELECT cidr_union('{{10.0.0.0/25,10.0.0.128/25},{NULL,10.0.1.0/24}}', '{}');

--
-- cidr_intersect
--
-- py: intersect('10.0.0.0/8', '10.1.0.0/16 11.0.0.0/8')
SELECT cidr_intersect('{10.0.0.0/8}', '{10.1.0.0/16,11.0.0.0/8}');
-- py: intersect('10.0.0.0/24', '10.0.1.0/24')
SELECT cidr_intersect('{10.0.0.0/24}', '{10.0.1.0/24}');
-- ranges that overlap in part
-- py: intersect('10.0.0.0/24 10.0.1.0/24', '10.0.0.128/25 10.0.1.0/25')
SELECT cidr_intersect('{10.0.0.0/24,10.0.1.0/24}', '{10.0.0.128/25,10.0.1.0/25}');
-- py: intersect('10.0.0.0/8 ::/0', '10.0.0.0/9 2001:db8::/32 192.0.2.0/24')
SELECT cidr_intersect('{10.0.0.0/8,::/0}', '{10.0.0.0/9,2001:db8::/32,192.0.2.0/24}');
-- the families share no address
-- py: intersect('0.0.0.0/0', '::/0')
SELECT cidr_intersect('{0.0.0.0/0}', '{::/0}');
-- py: intersect('0.0.0.0/0', '')
SELECT cidr_intersect('{0.0.0.0/0}', '{}');
-- py: intersect('::/0', '::/0')
SELECT cidr_intersect('{::/0}', '{::/0}');

--
-- cidr_except
--
-- a pool less what is allocated
-- py: except_('10.0.0.0/22', '10.0.1.0/24')
SELECT cidr_except('{10.0.0.0/22}', '{10.0.1.0/24}');
-- py: except_('192.0.2.0/24', '192.0.2.77/32')
SELECT cidr_except('{192.0.2.0/24}', '{192.0.2.77/32}');
-- py: except_('0.0.0.0/0', '0.0.0.0/0')
SELECT cidr_except('{0.0.0.0/0}', '{0.0.0.0/0}');
-- py: except_('10.0.0.0/24', '10.0.0.0/8')
SELECT cidr_except('{10.0.0.0/24}', '{10.0.0.0/8}');
-- py: except_('10.0.0.0/8', '::/0')
SELECT cidr_except('{10.0.0.0/8}', '{::/0}');
-- py: except_('2001:db8::/32', '2001:db8::/48')
SELECT cidr_except('{2001:db8::/32}', '{2001:db8::/48}');
-- py: except_('0.0.0.0/0 ::/0', '0.0.0.0/1 ::/0 10.0.0.0/8')
SELECT cidr_except('{0.0.0.0/0,::/0}', '{0.0.0.0/1,::/0,10.0.0.0/8}');
-- py: except_('10.0.0.0/16 10.2.0.0/16', '10.0.128.0/17 10.1.0.0/16 10.2.0.0/24 10.2.1.0/24')
SELECT cidr_except('{10.0.0.0/16,10.2.0.0/16}', '{10.0.128.0/17,10.1.0.0/16,10.2.0.0/24,10.2.1.0/24}');
-- py: except_('', '10.0.0.0/8')
SELECT cidr_except('{}', '{10.0.0.0/8}');
-- py: None
SELECT cidr_except('{10.0.0.0/8}', NULL);

--
-- range_to_cidrs: the minimal CIDR list of [first, last]
--
-- py: Rows(summarize('10.0.0.1', '10.0.0.254'))
SELECT * FROM range_to_cidrs('10.0.0.1', '10.0.0.254');
-- py: Rows(summarize('10.0.0.7', '10.0.0.7'))
SELECT * FROM range_to_cidrs('10.0.0.7', '10.0.0.7');
-- py: Rows(summarize('0.0.0.0', '255.255.255.255'))
SELECT * FROM range_to_cidrs('0.0.0.0', '255.255.255.255');
-- py: Rows(summarize('255.255.255.255', '255.255.255.255'))
SELECT * FROM range_to_cidrs('255.255.255.255', '255.255.255.255');
-- py: Rows(summarize('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))
SELECT * FROM range_to_cidrs('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
-- py: Rows(summarize('::1', '::1'))
SELECT * FROM range_to_cidrs('::1', '::1');
-- py: Rows(summarize('2001:db8::ff', '2001:db8::1:0'))
SELECT * FROM range_to_cidrs('2001:db8::ff', '2001:db8::1:0');
-- only the addresses of first and last count, not their prefix lengths
-- py: Rows(summarize('10.0.0.0', '10.0.0.5'))
SELECT * FROM range_to_cidrs('10.0.0.0/8', '10.0.0.5/30');
-- the longest list, 2 * 128 - 2 blocks, comes one row at a time
-- py: len(summarize('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))
SELECT count(*) FROM range_to_cidrs('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe');
-- py: summarize('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe')[:3]
SELECT array_agg(c) FROM (SELECT c FROM range_to_cidrs('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe') c LIMIT 3) s;
-- py: Rows([])
SELECT * FROM range_to_cidrs(NULL, '10.0.0.1');
-- py: Err('first and last must be of the same address family')
SELECT * FROM range_to_cidrs('10.0.0.1', '::1');
-- py: Err('first address is after last address')
SELECT * FROM range_to_cidrs('10.0.0.2', '10.0.0.1');
-- py: Err('first address is after last address')
SELECT * FROM range_to_cidrs('2001:db8::1', '2001:db8::');
