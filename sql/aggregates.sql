-- aggregates: addr_sum(inet), cidr_merge(inet), cidr_merge(cidr[]), and
-- their parallel plans.
--
-- Every result is checked by test/sets/verify_expected.py: the "-- py:"
-- comment over a query is a Python expression (ipaddress and integers)
-- whose value the query's output in expected/aggregates.out must equal.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

--
-- addr_sum: the addresses of the blocks, duplicates counted each time
--
-- py: addr_sum('10.0.0.0/24 10.0.0.0/24 10.0.1.0/25 10.0.0.7/32')
SELECT addr_sum(b) FROM (VALUES ('10.0.0.0/24'::inet), ('10.0.0.0/24'), ('10.0.1.0/25'), ('10.0.0.7/32')) v(b);
-- NULL rows are skipped; no row, or only NULLs, gives NULL
-- py: addr_sum('10.0.0.0/31')
SELECT addr_sum(b) FROM (VALUES ('10.0.0.0/31'::inet), (NULL)) v(b);
-- py: None
SELECT addr_sum(b) FROM (VALUES (NULL::inet), (NULL)) v(b);
-- py: None
SELECT addr_sum(b) FROM (VALUES ('10.0.0.0/8'::inet)) v(b) WHERE false;
-- an inet with host bits set counts as its network block
-- py: addr_sum('10.0.0.5/24')
SELECT addr_sum('10.0.0.5/24'::inet);
-- /0 and /32
-- py: addr_sum('0.0.0.0/0 0.0.0.0/0 1.2.3.4/32')
SELECT addr_sum(b) FROM (VALUES ('0.0.0.0/0'::cidr), ('0.0.0.0/0'), ('1.2.3.4/32')) v(b);
-- exact beyond 2^128: three ::/0 and a /128
-- py: addr_sum('::/0 ::/0 ::/0 ::1/128')
SELECT addr_sum(b) FROM (VALUES ('::/0'::cidr), ('::/0'), ('::/0'), ('::1/128')) v(b);
-- py: addr_sum('2001:db8::/32 2001:db8::/48')
SELECT addr_sum(b) FROM (VALUES ('2001:db8::/32'::cidr), ('2001:db8::/48')) v(b);
-- a million /0s: 2^148 and more, still exact
-- py: 1000000 * 2**128
SELECT addr_sum('::/0'::cidr) FROM generate_series(1, 1000000);
-- mixing the families in one group is an error ...
-- py: Err('cannot mix IPv4 and IPv6 addresses')
SELECT addr_sum(b) FROM (VALUES ('10.0.0.0/8'::inet), ('::/0')) v(b);
-- ... that GROUP BY family() avoids
-- py: Rows([(4, addr_sum('10.0.0.0/8 10.0.0.0/8')), (6, addr_sum('::/64'))])
SELECT family(b), addr_sum(b) FROM (VALUES ('10.0.0.0/8'::inet), ('::/64'), ('10.0.0.0/8')) v(b)
GROUP BY 1 ORDER BY 1;

--
-- cidr_merge(inet): the minimal CIDR list of the union
--
-- nested, duplicate and adjacent blocks
-- py: merge('10.0.0.0/24 10.0.0.0/25 10.0.1.0/24 10.0.1.0/24 10.0.2.0/24')
SELECT cidr_merge(b) FROM (VALUES ('10.0.0.0/24'::inet), ('10.0.0.0/25'), ('10.0.1.0/24'), ('10.0.1.0/24'), ('10.0.2.0/24')) v(b);
-- both families in one set, IPv4 first; host bits set count as the block
-- py: merge('2001:db8::/33 192.0.2.77/24 2001:db8:8000::/33 ::1/128 0.0.0.0/32')
SELECT cidr_merge(b) FROM (VALUES ('2001:db8::/33'::inet), ('192.0.2.77/24'), ('2001:db8:8000::/33'), ('::1/128'), ('0.0.0.0/32')) v(b);
-- /0 swallows everything of its family
-- py: merge('10.0.0.0/8 0.0.0.0/0 255.255.255.255/32 ::/0 ::1/128')
SELECT cidr_merge(b) FROM (VALUES ('10.0.0.0/8'::inet), ('0.0.0.0/0'), ('255.255.255.255/32'), ('::/0'), ('::1/128')) v(b);
-- NULL rows skipped; no row gives NULL
-- py: merge('10.0.0.1/32')
SELECT cidr_merge(b) FROM (VALUES (NULL::inet), ('10.0.0.1/32')) v(b);
-- py: None
SELECT cidr_merge(b) FROM (VALUES (NULL::inet)) v(b);
-- many rows, the buffer compacted many times: 100,000 /32s in shuffled order
-- py: norm([N(str(ip.ip_address('10.0.0.0') + g * 7919 % 100000)) for g in range(100000)])
SELECT cidr_merge('10.0.0.0'::inet + (g * 7919) % 100000) FROM generate_series(0, 99999) g;
-- addr_count(cidr_merge(..)) counts every address once
-- py: count('10.0.0.0/24 10.0.0.0/25 10.0.1.0/24 10.0.1.0/24 10.0.2.0/24')
SELECT addr_count(cidr_merge(b)) FROM (VALUES ('10.0.0.0/24'::inet), ('10.0.0.0/25'), ('10.0.1.0/24'), ('10.0.1.0/24'), ('10.0.2.0/24')) v(b);
-- a running union (the final function leaves the state usable)
-- py: Rows([(1, merge('10.0.2.0/24')), (2, merge('10.0.2.0/24 10.0.0.0/24')), (3, merge('10.0.2.0/24 10.0.0.0/24 10.0.1.0/24')), (4, merge('10.0.2.0/24 10.0.0.0/24 10.0.1.0/24 10.0.3.0/24'))])
SELECT i, cidr_merge(b) OVER (ORDER BY i) FROM (VALUES (1, '10.0.2.0/24'::inet), (2, '10.0.0.0/24'), (3, '10.0.1.0/24'), (4, '10.0.3.0/24')) v(i, b);

--
-- cidr_merge(cidr[]): sets merged, e.g. the results of partitions
--
-- py: merge('10.0.0.0/24 10.0.1.0/24 ::/1 8000::/1 192.0.2.0/24')
SELECT cidr_merge(s) FROM (VALUES ('{10.0.0.0/24}'::cidr[]), ('{10.0.1.0/24,::/1}'), ('{8000::/1,NULL,192.0.2.0/24}'), (NULL)) v(s);
-- multi-dimensional arrays are flat lists; empty sets give an empty set
-- py: merge('10.0.0.0/25 10.0.0.128/25 10.0.1.0/24')
SELECT cidr_merge(s) FROM (VALUES ('{{10.0.0.0/25,10.0.0.128/25},{10.0.1.0/24,NULL}}'::cidr[]), ('{}')) v(s);
-- py: merge('')
SELECT cidr_merge(s) FROM (VALUES ('{}'::cidr[]), ('{NULL}')) v(s);
-- py: None
SELECT cidr_merge(s) FROM (VALUES (NULL::cidr[])) v(s);
-- two levels give the same set as one
CREATE TABLE agg_two (part int, block cidr);
INSERT INTO agg_two
SELECT g % 7, set_masklen('10.0.0.0'::inet + ((g * 7919) % 4096) * 256, 20 + g % 5)::cidr
FROM generate_series(1, 3000) g;
-- py: True
SELECT (SELECT cidr_merge(s) FROM (SELECT cidr_merge(block) s FROM agg_two GROUP BY part) p)
     = (SELECT cidr_merge(block) FROM agg_two);
-- py: norm([N(f"{ip.ip_address('10.0.0.0') + (g * 7919 % 4096) * 256}/{20 + g % 5}") for g in range(1, 3001)])
SELECT cidr_merge(block) FROM agg_two;
DROP TABLE agg_two;

--
-- parallel plans: partial aggregates in the workers, combined in the leader
--
CREATE TABLE agg_par (member int, fam int, block cidr);
INSERT INTO agg_par
SELECT g % 40, 4, set_masklen('10.0.0.0'::inet + ((g * 7919) % 65536) * 256, 16 + g % 9)::cidr
FROM generate_series(1, 30000) g
UNION ALL
SELECT g % 40, 6, set_masklen('2001:db8::'::inet + ((g * 7919) % 65536)::bigint * 65536, 96 + g % 17)::cidr
FROM generate_series(1, 10000) g;
ANALYZE agg_par;
CREATE TEMP TABLE agg_serial AS
SELECT member, fam, addr_sum(block) AS s, cidr_merge(block) AS m,
       addr_count(cidr_merge(block)) AS c
FROM agg_par GROUP BY 1, 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_sort = off;
-- py: skip (plan shape)
EXPLAIN (COSTS OFF)
SELECT addr_sum(block), cidr_merge(block) FROM agg_par WHERE fam = 4;
-- with GROUP BY: partial aggregates pay once tuples cost something to pass
SET parallel_tuple_cost = 0.1;
-- py: skip (plan shape)
EXPLAIN (COSTS OFF)
SELECT member, fam, addr_sum(block), cidr_merge(block) FROM agg_par GROUP BY 1, 2;
-- the parallel answers are the serial ones
-- py: 0
SELECT count(*) FROM (
    SELECT member, fam, addr_sum(block) AS s, cidr_merge(block) AS m,
           addr_count(cidr_merge(block)) AS c
    FROM agg_par GROUP BY 1, 2) par
FULL JOIN agg_serial ser USING (member, fam)
WHERE par.s IS DISTINCT FROM ser.s OR par.m IS DISTINCT FROM ser.m OR par.c IS DISTINCT FROM ser.c;
SET parallel_tuple_cost = 0;
-- py: (sum(2 ** (32 - (16 + g % 9)) for g in range(1, 30001)), norm([N(f"{ip.ip_address('10.0.0.0') + (g * 7919 % 65536) * 256}/{16 + g % 9}") for g in range(1, 30001)]))
SELECT addr_sum(block), cidr_merge(block) FROM agg_par WHERE fam = 4;
-- py: (sum(2 ** (128 - (96 + g % 17)) for g in range(1, 10001)), count(' '.join(f"{ip.ip_address('2001:db8::') + (g * 7919 % 65536) * 65536}/{96 + g % 17}" for g in range(1, 10001))))
SELECT addr_sum(block), addr_count(cidr_merge(block)) FROM agg_par WHERE fam = 6;
-- py: 80
SELECT count(*) FROM agg_serial;
RESET enable_sort;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE agg_par;
