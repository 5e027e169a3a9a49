-- tree_usage: cidr_tree_usage, the usage of every block of a tree of CIDR
-- blocks in one pass: the addresses its sub-blocks cover and the distinct
-- addresses in use inside it (hosts, masks ignored, and ranges wholly
-- inside).  Every figure is worked out by hand in the comment above its
-- query (and again by test/netbox, against NetBox's own algorithm).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

-- the declaration: immutable, parallel safe, not strict (a NULL host or
-- range array means none), commented
SELECT proname, provolatile, proparallel, proisstrict,
       obj_description(oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc WHERE proname = 'cidr_tree_usage';

-- A tree: 10/8 > 10.0/16 (twice) > 10.0.0/24, 10.0.1/24; 10.1/16; a NULL.
-- subblock_addresses: 10/8's direct children are 10.0/16 (its duplicate
--   counts once) and 10.1/16: 2 * 65536 = 131072; 10.0/16's are the two
--   /24s: 512; a /24 has none; a duplicate is not inside its twin.
-- used_addresses: hosts 10.0.0.1 (twice, once as /8: the mask is ignored),
--   10.0.0.2, 10.0.5.5, 10.9.9.9; ranges .10-.30 and .20-.40 (union
--   10.0.0.10-10.0.0.40: 31) and 10.0.1.250-10.0.2.5 (6 + 6 = 12).
--   10/8: 4 hosts + 31 + 12 = 47; 10.0/16: 3 hosts (not 10.9.9.9) + 43 =
--   46; 10.0.0/24: 2 hosts + 31 = 33 (the third range crosses its edge);
--   10.0.1/24: 0 (the range straddles it, no host); 10.1/16: 0.
-- 2001:db8::/32 > 2001:db8::/48 (2^80 = 1208925819614629174706176):
--   host ::1 (/64 mask ignored) and range ::5-::9 (5): 6 in both; the IPv4
--   host 192.0.2.1 is in no block.
SELECT * FROM cidr_tree_usage(
    '{10.0.0.0/8,10.0.0.0/16,10.0.0.0/24,10.0.1.0/24,10.0.0.0/16,NULL,10.1.0.0/16,2001:db8::/32,2001:db8::/48}',
    '{10.0.0.1/8,10.0.0.1/32,10.0.0.2/24,10.0.5.5/24,10.9.9.9/8,2001:db8::1/64,192.0.2.1/24}',
    '{10.0.0.10,10.0.0.20,10.0.1.250,2001:db8::5}',
    '{10.0.0.30,10.0.0.40,10.0.2.5,2001:db8::9}');

-- The whole spaces.  0.0.0.0/0 with both /1s: 2 * 2^31 = 4294967296;
-- ::/0 with both /1s: 2^128 = 340282366920938463463374607431768211456,
-- and the range of every IPv6 address lies inside ::/0: 2^128 in use
-- (inside each /1 it is not: it crosses both).  0.0.0.0/0 holds the hosts
-- 0.0.0.0 and 255.255.255.255 (/32 masks): 2, one in each /1.
SELECT * FROM cidr_tree_usage(
    '{0.0.0.0/0,0.0.0.0/1,128.0.0.0/1,::/0,::/1,8000::/1}',
    '{0.0.0.0/32,255.255.255.255/32}',
    '{::}', '{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}');

-- Single-address blocks and their neighbours.  10.0.0.4/31 holds .4 and
-- .5: hosts .4 (twice) and .5 -> 2; 10.0.0.4/32 -> 1 (.4), 10.0.0.5/32 ->
-- 1; the /31's sub-blocks are the two /32s: 2.  A range .4-.5 lies inside
-- the /31 (2, the hosts already in it) but in neither /32.  An IPv6 /127
-- and /128: host 2001:db8::1 is in both, the range ::0-::1 only in the
-- /127: 2 and 1; the /127's sub-block is the /128: 1.
SELECT * FROM cidr_tree_usage(
    '{10.0.0.4/31,10.0.0.4/32,10.0.0.5/32,2001:db8::/127,2001:db8::1/128}',
    '{10.0.0.4/24,10.0.0.4/31,10.0.0.5/32,2001:db8::1/64}',
    '{10.0.0.4,2001:db8::}', '{10.0.0.5,2001:db8::1}');

-- Adjacent and nested ranges join; hosts inside a range count once.
-- 192.0.2.0/24 with ranges .1-.5, .6-.9 (adjacent: .1-.9, 9), .3-.4
-- (nested), .200-.210 (11) and hosts .2, .4 (inside the ranges), .100,
-- .255: 9 + 11 + 2 = 22.  The range .250-192.0.3.5 crosses the edge: out.
SELECT * FROM cidr_tree_usage(
    '{192.0.2.0/24}',
    '{192.0.2.2/24,192.0.2.4/24,192.0.2.100/24,192.0.2.255/24}',
    '{192.0.2.1,192.0.2.6,192.0.2.3,192.0.2.200,192.0.2.250}',
    '{192.0.2.5,192.0.2.9,192.0.2.4,192.0.2.210,192.0.3.5}');

-- NULLs: no blocks, no rows; no hosts and no ranges, zeros; a range with a
-- NULL bound is skipped (10.0.0.0/30 holds only the range .1-.2: 2).
SELECT * FROM cidr_tree_usage(NULL);
SELECT * FROM cidr_tree_usage('{}', '{10.0.0.1}');
SELECT * FROM cidr_tree_usage('{10.0.0.0/30}');
SELECT * FROM cidr_tree_usage('{10.0.0.0/30}', NULL, '{10.0.0.1,NULL,10.0.0.3}',
                              '{10.0.0.2,10.0.0.3,NULL}');

-- n is the position in the array, as WITH ORDINALITY numbers unnest, so
-- rows join back to the arrays' other columns (10.0.0.0/24 holds 10.0.0.7:
-- 1; 10.0.0.0/25 too; 10.0.0.128/25 nothing; the /24's sub-blocks: 256)
SELECT u.n, t.name, u.block, u.subblock_addresses, u.used_addresses
FROM (VALUES (ARRAY['10.0.0.128/25', '10.0.0.0/24', '10.0.0.0/25']::cidr[],
              ARRAY['upper', 'whole', 'lower'])) v(blocks, names)
CROSS JOIN LATERAL cidr_tree_usage(v.blocks, '{10.0.0.7}') u
JOIN LATERAL unnest(v.names) WITH ORDINALITY t(name, n) ON t.n = u.n
ORDER BY u.n;
