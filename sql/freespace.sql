-- freespace: the free space of a pool (cidr_first_free, cidr_free_blocks,
-- free_block_counts) and the size of a set in /n units (unit_count).
--
-- Every result is checked by test/freespace/verify_expected.py: the
-- "-- py:" comment over a query is a Python expression (test/freespace/
-- model.py: ipaddress collapse_addresses, address_exclude, subnets,
-- supernet) whose value the query's output in expected/freespace.out must
-- equal.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

-- the declarations: immutable, parallel safe, strict, commented
-- py: Rows([('cidr_first_free', 'i', 's', True, True), ('cidr_free_blocks', 'i', 's', True, True), ('free_block_counts', 'i', 's', True, True), ('unit_count', 'i', 's', True, True)])
SELECT proname, provolatile, proparallel, proisstrict,
       obj_description(oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc
WHERE proname IN ('cidr_first_free', 'cidr_free_blocks', 'free_block_counts', 'unit_count')
ORDER BY proname;

--
-- cidr_first_free: the lowest aligned free block
--
-- free: 10.0.1.0/25, 10.0.2.0/23
-- py: first_free('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25', 24)
SELECT cidr_first_free('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25}', 24);
-- py: first_free('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25', 25)
SELECT cidr_first_free('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25}', 25);
-- py: first_free('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25', 23)
SELECT cidr_first_free('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25}', 23);
-- nothing of that size is free
-- py: first_free('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25', 22)
SELECT cidr_first_free('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25}', 22);
-- a block larger than the pool never fits
-- py: first_free('10.0.0.0/24', '', 16)
SELECT cidr_first_free('{10.0.0.0/24}', '{}', 16);
-- the pool is a set: adjacent blocks join, so a /23 fits 10.0.0.0/24 +
-- 10.0.1.0/24 ...
-- py: first_free('10.0.1.0/24 10.0.0.0/24', '', 23)
SELECT cidr_first_free('{10.0.1.0/24,10.0.0.0/24}', '{}', 23);
-- ... but not 10.0.1.0/24 + 10.0.2.0/24 (a /23 must be aligned)
-- py: first_free('10.0.1.0/24 10.0.2.0/24', '', 23)
SELECT cidr_first_free('{10.0.1.0/24,10.0.2.0/24}', '{}', 23);
-- unsorted, overlapping and NULL elements, a multi-dimensional pool
-- py: first_free('10.0.4.0/22 10.0.0.0/22 10.0.5.0/24 10.0.0.0/23', '10.0.0.0/23 10.0.2.0/24 10.0.0.0/24 10.0.3.0/25', 24)
SELECT cidr_first_free('{{10.0.4.0/22,10.0.0.0/22},{NULL,10.0.5.0/24},{10.0.0.0/23,NULL}}',
                       '{10.0.0.0/23,NULL,10.0.2.0/24,10.0.0.0/24,10.0.3.0/25}', 24);
-- used blocks outside the pool, or of the other family, do not matter
-- py: first_free('192.0.2.0/24', '10.0.0.0/8 ::/0 192.0.2.0/26 198.51.100.0/24', 26)
SELECT cidr_first_free('{192.0.2.0/24}', '{10.0.0.0/8,::/0,192.0.2.0/26,198.51.100.0/24}', 26);
-- a used block that holds the whole pool
-- py: first_free('192.0.2.0/24', '192.0.0.0/16', 32)
SELECT cidr_first_free('{192.0.2.0/24}', '{192.0.0.0/16}', 32);
-- many used blocks: every /24 of a /16 but 10.0.200.0/24
-- py: first_free('10.0.0.0/16', [f'10.0.{i}.0/24' for i in range(256) if i != 200], 24)
SELECT cidr_first_free('{10.0.0.0/16}',
                       ARRAY(SELECT format('10.0.%s.0/24', i)::cidr
                             FROM generate_series(255, 0, -1) i WHERE i <> 200), 24);
-- the ends of the IPv4 space: /0, /32, 0.0.0.0 and 255.255.255.255
-- py: first_free('0.0.0.0/0', '', 0)
SELECT cidr_first_free('{0.0.0.0/0}', '{}', 0);
-- py: first_free('0.0.0.0/0', '255.255.255.255/32', 0)
SELECT cidr_first_free('{0.0.0.0/0}', '{255.255.255.255/32}', 0);
-- py: first_free('0.0.0.0/0', '0.0.0.0/32', 1)
SELECT cidr_first_free('{0.0.0.0/0}', '{0.0.0.0/32}', 1);
-- py: first_free('0.0.0.0/0', '0.0.0.0/31', 32)
SELECT cidr_first_free('{0.0.0.0/0}', '{0.0.0.0/31}', 32);
-- py: first_free('255.255.255.0/24', '255.255.255.0/25 255.255.255.128/26 255.255.255.192/27 255.255.255.224/28 255.255.255.240/29 255.255.255.248/30 255.255.255.252/31', 32)
SELECT cidr_first_free('{255.255.255.0/24}', '{255.255.255.0/25,255.255.255.128/26,255.255.255.192/27,255.255.255.224/28,255.255.255.240/29,255.255.255.248/30,255.255.255.252/31}', 32);
-- py: first_free('255.255.255.255/32', '', 32)
SELECT cidr_first_free('{255.255.255.255/32}', '{}', 32);
-- py: first_free('255.255.255.255/32', '255.255.255.255/32', 32)
SELECT cidr_first_free('{255.255.255.255/32}', '{255.255.255.255/32}', 32);
-- IPv6: the whole space, /0 and /128
-- py: first_free('::/0', '', 0)
SELECT cidr_first_free('{::/0}', '{}', 0);
-- py: first_free('::/0', '::/128', 0)
SELECT cidr_first_free('{::/0}', '{::/128}', 0);
-- py: first_free('::/0', '::/128', 1)
SELECT cidr_first_free('{::/0}', '{::/128}', 1);
-- py: first_free('::/0', '::/127', 128)
SELECT cidr_first_free('{::/0}', '{::/127}', 128);
-- py: first_free('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/121 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff80/122', 122)
SELECT cidr_first_free('{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120}', '{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/121,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff80/122}', 122);
-- an end site out of a /32 whose first /48s are taken
-- py: first_free('2001:db8::/32', '2001:db8::/47 2001:db8:2::/56', 48)
SELECT cidr_first_free('{2001:db8::/32}', '{2001:db8::/47,2001:db8:2::/56}', 48);
-- py: first_free('2001:db8::/32', '2001:db8::/47 2001:db8:2::/56', 56)
SELECT cidr_first_free('{2001:db8::/32}', '{2001:db8::/47,2001:db8:2::/56}', 56);

--
-- best fit next to first fit.  Free: 10.0.0.0/23, 10.0.5.0/24, 10.0.8.0/21
--
-- first fit cuts into the /23; best fit takes the /24 hole
-- py: Rows([(N('10.0.0.0/24'), N('10.0.5.0/24'))])
SELECT cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 24) AS first_fit,
       cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 24, 'best_fit') AS best_fit;
-- py: (first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 24), first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 24, 'best_fit'))
SELECT cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 24),
       cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 24, strategy => 'best_fit');
-- a /23 fits the /23 exactly; a /22 only the /21
-- py: (first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 23, 'best_fit'), first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 22, 'best_fit'))
SELECT cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 23, 'best_fit'),
       cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 22, 'best_fit');
-- a /26 goes into the smallest free block that holds one: the /24 hole
-- py: (first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 26), first_free('10.0.0.0/20', '10.0.2.0/23 10.0.4.0/24 10.0.6.0/23', 26, 'best_fit'))
SELECT cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 26, 'first_fit'),
       cidr_first_free('{10.0.0.0/20}', '{10.0.2.0/23,10.0.4.0/24,10.0.6.0/23}', 26, 'best_fit');
-- ties between free blocks of one size: the lowest.  Free: 10.0.1.0/24,
-- 10.0.3.0/24, 10.0.4.0/22
-- py: first_free('10.0.0.0/21', '10.0.0.0/24 10.0.2.0/24', 24, 'best_fit')
SELECT cidr_first_free('{10.0.0.0/21}', '{10.0.2.0/24,10.0.0.0/24}', 24, 'best_fit');
-- a free range that is not one block: 10.0.1.0 - 10.0.3.255 is
-- 10.0.1.0/24 + 10.0.2.0/23; a /25 goes into the /24
-- py: first_free('10.0.0.0/22', '10.0.0.0/24', 25, 'best_fit')
SELECT cidr_first_free('{10.0.0.0/22}', '{10.0.0.0/24}', 25, 'best_fit');
-- nothing fits: NULL for both strategies
-- py: (None, None)
SELECT cidr_first_free('{10.0.0.0/24}', '{10.0.0.128/25}', 24, 'first_fit'),
       cidr_first_free('{10.0.0.0/24}', '{10.0.0.128/25}', 24, 'best_fit');
-- IPv6: a /56 from the smallest hole
-- py: first_free('2001:db8::/44', '2001:db8::/48 2001:db8:1:100::/56 2001:db8:1:200::/55 2001:db8:1:400::/54 2001:db8:1:800::/53 2001:db8:2::/47 2001:db8:4::/46 2001:db8:8::/46 2001:db8:c::/47 2001:db8:e::/48 2001:db8:f:1::/64', 56, 'best_fit')
SELECT cidr_first_free('{2001:db8::/44}', '{2001:db8::/48,2001:db8:1:100::/56,2001:db8:1:200::/55,2001:db8:1:400::/54,2001:db8:1:800::/53,2001:db8:2::/47,2001:db8:4::/46,2001:db8:8::/46,2001:db8:c::/47,2001:db8:e::/48,2001:db8:f:1::/64}', 56, 'best_fit');
-- py: first_free('::/0', '::/128', 0, 'best_fit')
SELECT cidr_first_free('{::/0}', '{::/128}', 0, 'best_fit');
-- py: first_free('::/0', '::/1', 128, 'best_fit')
SELECT cidr_first_free('{::/0}', '{::/1}', 128, 'best_fit');
-- py: first_free('0.0.0.0/0', '0.0.0.0/32', 32, 'best_fit')
SELECT cidr_first_free('{0.0.0.0/0}', '{0.0.0.0/32}', 32, 'best_fit');

--
-- cidr_first_free: empty pools, NULLs and errors
--
-- py: None
SELECT cidr_first_free('{}', '{}', 24);
-- py: None
SELECT cidr_first_free('{NULL}', '{10.0.0.0/8}', 64);
-- py: None
SELECT cidr_first_free(NULL, '{}', 24);
-- py: None
SELECT cidr_first_free('{10.0.0.0/8}', NULL, 24);
-- py: None
SELECT cidr_first_free('{10.0.0.0/8}', '{}', NULL);
-- py: None
SELECT cidr_first_free('{10.0.0.0/8}', '{}', 24, NULL);
-- py: first_free('10.0.0.0/8 ::/0', '', 8)
SELECT cidr_first_free('{10.0.0.0/8,::/0}', '{}', 8);
-- the pool's family decides, even when none of it is free
-- py: first_free('10.0.0.0/8 2001:db8::/32', '10.0.0.0/8', 48)
SELECT cidr_first_free('{10.0.0.0/8,2001:db8::/32}', '{10.0.0.0/8}', 48);
-- py: first_free('10.0.0.0/8', '10.0.0.0/8', 33)
SELECT cidr_first_free('{10.0.0.0/8}', '{10.0.0.0/8}', 33);
-- py: first_free('10.0.0.0/8', '', -1)
SELECT cidr_first_free('{10.0.0.0/8}', '{}', -1);
-- py: first_free('::/0', '', 129)
SELECT cidr_first_free('{::/0}', '{}', 129);
-- an empty pool has no family: any prefix length of some family is fine
-- py: first_free('', '', 129)
SELECT cidr_first_free('{}', '{}', 129);
-- py: first_free('', '', -2147483648)
SELECT cidr_first_free('{}', '{}', -2147483648);
-- py: first_free('10.0.0.0/8', '', 8, 'worst_fit')
SELECT cidr_first_free('{10.0.0.0/8}', '{}', 8, 'worst_fit');
-- py: first_free('', '', 8, 'Best_Fit')
SELECT cidr_first_free('{}', '{}', 8, 'Best_Fit');

--
-- cidr_free_blocks: every free aligned block, in address order
--
-- py: free_blocks('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25', 25)
SELECT cidr_free_blocks('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25}', 25);
-- in FROM, with ordinality (a function scan: the whole result is stored first; see below for a bound)
-- py: Rows([(1, N('10.0.1.0/24')), (2, N('10.0.3.0/24')), (3, N('10.0.5.0/24'))])
SELECT n, b FROM cidr_free_blocks('{10.0.0.0/21}', '{10.0.0.0/24,10.0.2.0/24,10.0.4.0/24,10.0.6.0/23}', 24)
     WITH ORDINALITY AS t(b, n);
-- py: free_blocks('10.0.0.0/21', '10.0.0.0/24 10.0.2.0/24 10.0.4.0/24 10.0.6.0/23', 24)
SELECT * FROM cidr_free_blocks('{10.0.0.0/21}', '{10.0.0.0/24,10.0.2.0/24,10.0.4.0/24,10.0.6.0/23}', 24);
-- a free range that starts and ends off the /28 grid
-- py: free_blocks('192.0.2.0/24', '192.0.2.0/27 192.0.2.32/32 192.0.2.79/32 192.0.2.128/25', 28)
SELECT cidr_free_blocks('{192.0.2.0/24}', '{192.0.2.0/27,192.0.2.32/32,192.0.2.79/32,192.0.2.128/25}', 28);
-- py: Rows()
SELECT cidr_free_blocks('{10.0.0.0/24}', '{10.0.0.0/24}', 32);
-- py: Rows()
SELECT cidr_free_blocks('{}', '{}', 32);
-- py: free_blocks('0.0.0.0/0', '', 1)
SELECT cidr_free_blocks('{0.0.0.0/0}', '{}', 1);
-- py: free_blocks('0.0.0.0/0', '', 0)
SELECT cidr_free_blocks('{0.0.0.0/0}', '{}', 0);
-- py: free_blocks('::/0', '', 0)
SELECT cidr_free_blocks('{::/0}', '{}', 0);
-- py: free_blocks('::/0', '::/2', 2)
SELECT cidr_free_blocks('{::/0}', '{::/2}', 2);
-- the last blocks of each space (no wrap-around past the top)
-- py: free_blocks('255.255.255.248/29', '255.255.255.250/31', 32)
SELECT cidr_free_blocks('{255.255.255.248/29}', '{255.255.255.250/31}', 32);
-- py: free_blocks('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff8/125', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffa/127', 128)
SELECT cidr_free_blocks('{ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff8/125}', '{ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffa/127}', 128);
-- IPv6 /64s of a /60 with some taken
-- py: free_blocks('2001:db8:0:10::/60', '2001:db8:0:10::/63 2001:db8:0:13::/64 2001:db8:0:18::/62 2001:db8:0:1e::/64', 64)
SELECT cidr_free_blocks('{2001:db8:0:10::/60}', '{2001:db8:0:10::/63,2001:db8:0:13::/64,2001:db8:0:18::/62,2001:db8:0:1e::/64}', 64);
-- streamed: the first rows of 2^128 come at once in the select list
-- py: Rows([N('::/128'), N('::1/128'), N('::2/128')])
SELECT cidr_free_blocks('{::/0}', '{}', 128) LIMIT 3;
-- In FROM, PostgreSQL runs a set-returning function to its end and stores
-- every row before returning the first (a function scan), so LIMIT cannot
-- stop SELECT * FROM cidr_free_blocks('{::/0}', '{}', 128) LIMIT 3: it
-- would run until memory or disk ran out.  A subquery over the select-list
-- form stops after its rows; the timeout is only a guard (without the
-- subquery these queries would run into it).
SET statement_timeout = '60s';
-- py: Rows([N('::/128'), N('::1/128'), N('::2/128')])
SELECT b FROM (SELECT cidr_free_blocks('{::/0}', '{}', 128) AS b LIMIT 3) f;
-- per row of a table: LATERAL over the select-list form
-- py: Rows([(1, N('10.0.0.0/32')), (1, N('10.0.0.1/32')), (2, N('::/128')), (2, N('::1/128'))])
SELECT p.id, f.b
FROM (VALUES (1, '{10.0.0.0/8}'::cidr[], 32), (2, '{::/0}', 128)) p(id, pool, len),
     LATERAL (SELECT cidr_free_blocks(p.pool, '{}', p.len) AS b LIMIT 2) f
ORDER BY p.id, f.b;
RESET statement_timeout;
-- a count over many rows: a /12 minus 10.0.0.0/16 in /32s
-- py: len(free_blocks('10.0.0.0/12', '10.0.0.0/16', 16)) * 2 ** 16
SELECT count(*) FROM (SELECT cidr_free_blocks('{10.0.0.0/12}', '{10.0.0.0/16}', 32)) s;
-- interruptible: statement_timeout stops it
SET statement_timeout = '200ms';
-- py: Err('canceling statement due to statement timeout')
SELECT count(*) FROM (SELECT cidr_free_blocks('{::/0}', '{}', 128)) s;
RESET statement_timeout;
-- py: free_blocks('10.0.0.0/8 ::/0', '', 8)
SELECT cidr_free_blocks('{10.0.0.0/8,::/0}', '{}', 8);
-- py: free_blocks('10.0.0.0/8', '', 33)
SELECT cidr_free_blocks('{10.0.0.0/8}', '{}', 33);
-- py: free_blocks('', '', 129)
SELECT cidr_free_blocks('{}', '{}', 129);
-- py: Rows()
SELECT cidr_free_blocks(NULL, '{}', 24);

--
-- free_block_counts: the maximal free blocks by prefix length
--
-- free: 10.0.1.0/25, 10.0.2.0/24, 10.0.3.0 - 10.0.3.2 and 10.0.3.4 - .255
-- py: block_counts('10.0.0.0/22', '10.0.0.0/24 10.0.1.128/25 10.0.3.3/32')
SELECT * FROM free_block_counts('{10.0.0.0/22}', '{10.0.0.0/24,10.0.1.128/25,10.0.3.3/32}');
-- a /16 pool with every fourth /24 used and a few holes punched
-- py: block_counts('10.1.0.0/16', [f'10.1.{i}.0/24' for i in range(0, 256, 4)] + ['10.1.1.0/26', '10.1.2.17/32', '10.1.128.0/20'])
SELECT * FROM free_block_counts('{10.1.0.0/16}',
    ARRAY(SELECT format('10.1.%s.0/24', i)::cidr FROM generate_series(0, 255, 4) i)
    || '{10.1.1.0/26,10.1.2.17/32,10.1.128.0/20}'::cidr[]);
-- py: block_counts('0.0.0.0/0', '')
SELECT * FROM free_block_counts('{0.0.0.0/0}', '{}');
-- py: block_counts('0.0.0.0/0', '0.0.0.0/32')
SELECT * FROM free_block_counts('{0.0.0.0/0}', '{0.0.0.0/32}');
-- py: block_counts('::/0', '')
SELECT * FROM free_block_counts('{::/0}', '{}');
-- py: block_counts('::/0', '::1/128 8000::/1')
SELECT * FROM free_block_counts('{::/0}', '{::1/128,8000::/1}');
-- IPv6 pool with used IPv4 blocks (ignored)
-- py: block_counts('2001:db8::/32', '2001:db8::/48 2001:db8:1::/56 10.0.0.0/8')
SELECT * FROM free_block_counts('{2001:db8::/32}', '{2001:db8::/48,2001:db8:1::/56,10.0.0.0/8}');
-- nothing free, no pool: no rows
-- py: Rows()
SELECT * FROM free_block_counts('{10.0.0.0/24}', '{10.0.0.0/23}');
-- py: Rows()
SELECT * FROM free_block_counts('{}', '{10.0.0.0/23}');
-- py: Rows()
SELECT * FROM free_block_counts('{NULL}', '{}');
-- py: Rows()
SELECT * FROM free_block_counts('{10.0.0.0/24}', NULL);
-- py: block_counts('10.0.0.0/8 2001:db8::/32', '')
SELECT * FROM free_block_counts('{10.0.0.0/8,2001:db8::/32}', '{}');
-- the free addresses are the sum of the profile
-- py: 2 ** 24 - 2 ** 16 - 256 - 1
SELECT sum(blocks * 2 ^ (32 - masklen))::numeric(20, 0)
FROM free_block_counts('{10.0.0.0/8}', '{10.1.0.0/16,10.2.3.0/24,10.255.255.255/32}');

--
-- unit_count: a set's size in /n units
--
-- an assigned /64 touches one /56 and covers none
-- py: (unit_count('2001:db8::/64', 56, 'touched'), unit_count('2001:db8::/64', 56, 'covered'), unit_count('2001:db8::/64', 56))
SELECT unit_count('{2001:db8::/64}', 56, 'touched'), unit_count('{2001:db8::/64}', 56, 'covered'),
       unit_count('{2001:db8::/64}', 56);
-- a /48 is 256 /56s either way
-- py: (unit_count('2001:db8::/48', 56, 'touched'), unit_count('2001:db8::/48', 56))
SELECT unit_count('{2001:db8::/48}', 56, 'touched'), unit_count('{2001:db8::/48}', 56);
-- two /64s in one /56 touch it once; in two /56s, twice
-- py: (unit_count('2001:db8::/64 2001:db8:0:ff::/64', 56, 'touched'), unit_count('2001:db8:0:ff::/64 2001:db8:0:100::/64', 56, 'touched'))
SELECT unit_count('{2001:db8::/64,2001:db8:0:ff::/64}', 56, 'touched'),
       unit_count('{2001:db8:0:ff::/64,2001:db8:0:100::/64}', 56, 'touched');
-- half-units that join cover the unit; three quarters do not
-- py: (unit_count('2001:db8::/57 2001:db8:0:80::/57', 56), unit_count('2001:db8::/57 2001:db8:0:80::/58', 56), unit_count('2001:db8::/57 2001:db8:0:80::/58', 56, 'touched'))
SELECT unit_count('{2001:db8::/57,2001:db8:0:80::/57}', 56),
       unit_count('{2001:db8::/57,2001:db8:0:80::/58}', 56),
       unit_count('{2001:db8::/57,2001:db8:0:80::/58}', 56, 'touched');
-- a run across units, partial at both ends: 2001:db8:0:80:: - 2001:db8:3:7f::
-- py: (unit_count(list(ip.summarize_address_range(ip.ip_address('2001:db8:0:80::'), ip.ip_address('2001:db8:3:7f:ffff:ffff:ffff:ffff'))), 48), unit_count(list(ip.summarize_address_range(ip.ip_address('2001:db8:0:80::'), ip.ip_address('2001:db8:3:7f:ffff:ffff:ffff:ffff'))), 48, 'touched'), unit_count(list(ip.summarize_address_range(ip.ip_address('2001:db8:0:80::'), ip.ip_address('2001:db8:3:7f:ffff:ffff:ffff:ffff'))), 56))
SELECT unit_count(ARRAY(SELECT range_to_cidrs('2001:db8:0:80::', '2001:db8:3:7f:ffff:ffff:ffff:ffff')), 48),
       unit_count(ARRAY(SELECT range_to_cidrs('2001:db8:0:80::', '2001:db8:3:7f:ffff:ffff:ffff:ffff')), 48, 'touched'),
       unit_count(ARRAY(SELECT range_to_cidrs('2001:db8:0:80::', '2001:db8:3:7f:ffff:ffff:ffff:ffff')), 56);
-- overlaps count once
-- py: (unit_count('2001:db8::/56 2001:db8::/64 2001:db8::/56', 56), unit_count('2001:db8::/56 2001:db8::/64 2001:db8::/56', 64, 'touched'))
SELECT unit_count('{2001:db8::/56,2001:db8::/64,2001:db8::/56}', 56),
       unit_count('{2001:db8::/56,2001:db8::/64,2001:db8::/56}', 64, 'touched');
-- exact at the ends: ::/0 holds 2^128 /128s, 2^64 /64s, one /0
-- py: (unit_count('::/0', 128), unit_count('::/0', 128, 'touched'), unit_count('::/0', 64), unit_count('::/0', 0), unit_count('::/0', 0, 'touched'))
SELECT unit_count('{::/0}', 128), unit_count('{::/0}', 128, 'touched'), unit_count('{::/0}', 64),
       unit_count('{::/0}', 0), unit_count('{::/0}', 0, 'touched');
-- py: (unit_count('::/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 0), unit_count('::/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 0, 'touched'), unit_count('::/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 1, 'touched'), unit_count('::/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 128))
SELECT unit_count('{::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128}', 0),
       unit_count('{::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128}', 0, 'touched'),
       unit_count('{::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128}', 1, 'touched'),
       unit_count('{::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128}', 128);
-- all but the last address: 2^128 - 1 /128s, 2^64 - 1 whole /64s, 2^64 touched
-- py: (unit_count('::/1 8000::/2 c000::/3 e000::/4 f000::/5 f800::/6 fc00::/7 fe00::/8', 64), unit_count(list(ip.summarize_address_range(ip.ip_address('::'), ip.ip_address('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))), 128), unit_count(list(ip.summarize_address_range(ip.ip_address('::'), ip.ip_address('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))), 64), unit_count(list(ip.summarize_address_range(ip.ip_address('::'), ip.ip_address('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))), 64, 'touched'))
SELECT unit_count('{::/1,8000::/2,c000::/3,e000::/4,f000::/5,f800::/6,fc00::/7,fe00::/8}', 64),
       unit_count(ARRAY(SELECT range_to_cidrs('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe')), 128),
       unit_count(ARRAY(SELECT range_to_cidrs('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe')), 64),
       unit_count(ARRAY(SELECT range_to_cidrs('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe')), 64, 'touched');
-- IPv4: /24 units
-- py: (unit_count('10.0.0.0/23 10.0.2.0/25 10.0.3.7/32', 24), unit_count('10.0.0.0/23 10.0.2.0/25 10.0.3.7/32', 24, 'touched'), unit_count('0.0.0.0/0', 32), unit_count('10.0.0.0/8', 0), unit_count('10.0.0.0/8', 0, 'touched'))
SELECT unit_count('{10.0.0.0/23,10.0.2.0/25,10.0.3.7/32}', 24),
       unit_count('{10.0.0.0/23,10.0.2.0/25,10.0.3.7/32}', 24, 'touched'),
       unit_count('{0.0.0.0/0}', 32), unit_count('{10.0.0.0/8}', 0), unit_count('{10.0.0.0/8}', 0, 'touched');
-- empty sets, NULLs
-- py: (unit_count('', 56), unit_count('', 56, 'touched'), unit_count('', 0))
SELECT unit_count('{}', 56), unit_count('{NULL}', 56, 'touched'), unit_count('{}', 0);
-- py: (None, None, None)
SELECT unit_count(NULL, 56), unit_count('{::/0}', NULL), unit_count('{::/0}', 56, NULL);
-- errors
-- py: unit_count('10.0.0.0/8 ::/0', 24)
SELECT unit_count('{10.0.0.0/8,::/0}', 24);
-- py: unit_count('10.0.0.0/8', 33)
SELECT unit_count('{10.0.0.0/8}', 33);
-- py: unit_count('::/0', -1, 'touched')
SELECT unit_count('{::/0}', -1, 'touched');
-- py: unit_count('', 129)
SELECT unit_count('{}', 129);
-- py: unit_count('::/0', 56, 'partial')
SELECT unit_count('{::/0}', 56, 'partial');

--
-- composition: the example registry's calls
--
-- IPv6 utilization of a /48 in /56 end sites: 16 of 256 touched -> 0.5
-- py: math.log(unit_count([f'2001:db8:0:{i:x}00::/64' for i in range(16)], 56, 'touched')) / math.log(256)
SELECT hd_ratio(unit_count(ARRAY(SELECT format('2001:db8:0:%s00::/64', to_hex(i))::cidr
                                 FROM generate_series(0, 15) i), 56, 'touched'),
                '2001:db8::/48'::cidr, 56);
-- allocate by best fit from the free pool (free: 2001:db8:1::/48,
-- 2001:db8:2::/47, 2001:db8:8::/45), then again from what is left
-- py: (first_free('2001:db8::/44', '2001:db8::/48 2001:db8:4::/46', 48, 'best_fit'), first_free('2001:db8::/44', '2001:db8::/48 2001:db8:4::/46 2001:db8:1::/48', 48, 'best_fit'))
WITH pick AS (
    SELECT cidr_first_free('{2001:db8::/44}', '{2001:db8::/48,2001:db8:4::/46}', 48, 'best_fit') AS b
)
SELECT b, cidr_first_free('{2001:db8::/44}', '{2001:db8::/48,2001:db8:4::/46}'::cidr[] || b, 48, 'best_fit')
FROM pick;
