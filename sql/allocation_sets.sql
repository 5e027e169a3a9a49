--
-- max_allocation(free_pool cidr[], minimum_masklen, share): the 2009-8
-- maximum allocation from a free pool given as blocks.  It counts the pool
-- with addr_count(cidr[]) of the CIDR-set functions (overlapping blocks
-- count once), so this suite needs them installed.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

-- err(statement): the SQLSTATE and message a statement raises
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- one /8: 2^24 addresses, 1/4 = 2^22 -> /10
SELECT max_allocation('{10.0.0.0/8}'::cidr[]) AS slash8;

-- 1,000,000 addresses as seven disjoint blocks:
-- 2^19 + 2^18 + 2^17 + 2^16 + 2^14 + 2^9 + 2^6
--   = 524,288 + 262,144 + 131,072 + 65,536 + 16,384 + 512 + 64 = 1,000,000
-- 1/4 = 250,000 -> 2^17 = 131,072 -> /15, as max_allocation(1000000)
SELECT max_allocation('{10.0.0.0/13, 10.8.0.0/14, 10.12.0.0/15, 10.14.0.0/16,
                        10.15.0.0/18, 10.15.64.0/23, 10.15.66.0/26}'::cidr[]) AS blocks,
       max_allocation(1000000) AS count;

-- overlapping blocks count once
-- the same /9 twice: 2^23, not 2^24: 1/4 = 2^21 -> /11 (a sum would give /10)
-- a /8 and both its /9 halves: 2^24, not 2^25: /10 (a sum would give /9)
-- a /16 inside a /12 inside a /8: 2^24 -> /10
SELECT max_allocation('{10.0.0.0/9, 10.0.0.0/9}'::cidr[]) AS same_twice,
       max_allocation('{10.0.0.0/8, 10.0.0.0/9, 10.128.0.0/9}'::cidr[]) AS halves,
       max_allocation('{10.0.0.0/8, 10.16.0.0/12, 10.17.0.0/16}'::cidr[]) AS nested;

-- a small pool clamps to the minimum: three /24s = 768, 1/4 = 192 -> /25,
-- longer than /24 -> 24; a single /32 -> 24 (1/4 of one address)
SELECT max_allocation('{192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24}'::cidr[]) AS three_24s,
       max_allocation('{192.0.2.1/32}'::cidr[]) AS one_address;

-- minimum and share: 10.0.0.0/8 with a /20 minimum -> /10; with share 8:
-- 2^24 / 8 = 2^21 -> /11; with share 1 -> /8; all of IPv4 -> /2
SELECT max_allocation('{10.0.0.0/8}'::cidr[], 20) AS min20,
       max_allocation('{10.0.0.0/8}'::cidr[], 24, 8) AS eighth,
       max_allocation('{10.0.0.0/8}'::cidr[], 24, 1) AS whole,
       max_allocation('{0.0.0.0/0}'::cidr[]) AS all_of_ipv4;

-- IPv6 takes its family from the blocks; its minimum must be given (the
-- default 24 is IPv4's): a /32 = 2^96, 1/4 = 2^94 -> /34; a /64 with
-- minimum /48 -> 48; all of IPv6 -> /2
SELECT max_allocation('{2001:db8::/32}'::cidr[], 48) AS v6_slash32,
       max_allocation('{2001:db8::/64}'::cidr[], 48) AS v6_slash64,
       max_allocation('{::/0}'::cidr[], 48) AS v6_all;

-- NULL elements are skipped; a NULL array or parameter gives NULL
SELECT max_allocation('{10.0.0.0/9, NULL}'::cidr[]) AS with_null_element,
       max_allocation(NULL::cidr[]) IS NULL AS null_pool,
       max_allocation('{10.0.0.0/8}'::cidr[], NULL) IS NULL AS null_min,
       max_allocation('{10.0.0.0/8}'::cidr[], 24, NULL) IS NULL AS null_share;

-- over a table: the free pool as rows, one answer per family, and the same
-- as the count overload (the blocks are disjoint)
CREATE TEMP TABLE free_pool (block cidr);
INSERT INTO free_pool VALUES
    ('23.0.0.0/12'), ('23.16.0.0/13'), ('100.64.0.0/20'), ('198.18.0.0/15'),
    ('2001:db8::/40'), ('2001:db8:100::/40');
-- IPv4: 2^20 + 2^19 + 2^12 + 2^17 = 1,048,576 + 524,288 + 4,096 + 131,072
--   = 1,708,032; 1/4 = 427,008; 2^18 = 262,144 <= 427,008 < 2^19 -> /14
-- IPv6: 2 * 2^88 = 2^89, 1/4 = 2^87 -> /41 (minimum /48)
SELECT family(block) AS family,
       max_allocation(array_agg(block), CASE family(block) WHEN 4 THEN 24 ELSE 48 END) AS blocks,
       max_allocation(sum(addr_count(block)), CASE family(block) WHEN 4 THEN 24 ELSE 48 END,
                      4, family(block)) AS count
FROM free_pool GROUP BY family(block) ORDER BY 1;

-- errors
SELECT q, pg_temp.err(q) FROM (VALUES
    ('SELECT max_allocation(''{10.0.0.0/8, 2001:db8::/32}''::cidr[])'),
    ('SELECT max_allocation(''{}''::cidr[])'),
    ('SELECT max_allocation(''{NULL}''::cidr[])'),
    ('SELECT max_allocation(''{10.0.0.0/8}''::cidr[], 33)'),
    ('SELECT max_allocation(''{2001:db8::/32}''::cidr[], 129)'),
    ('SELECT max_allocation(''{10.0.0.0/8}''::cidr[], -1)'),
    ('SELECT max_allocation(''{10.0.0.0/8}''::cidr[], 24, 0)'),
    ('SELECT max_allocation(''{10.0.0.0/8}''::cidr[], 24, ''NaN'')')
) v(q);

SELECT p.oid::regprocedure::text AS function, p.provolatile, p.proparallel,
       p.proisstrict, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
WHERE p.proname = 'max_allocation' AND p.proargtypes[0] = 'cidr[]'::regtype;
