-- examples/rir-stats/report.sql — policy questions asked of the RIR
-- statistics that load.sql put in rir_delegation and rir_block.
--
--   psql -f examples/rir-stats/report.sql                   every registry loaded
--   psql -v registry=afrinic -f examples/rir-stats/report.sql   one of them
--
-- 1. the free pool (status 'available') as a merged set: its CIDR blocks,
--    addresses, largest block, the ARIN 2009-8 maximum allocation and the
--    IANA post-exhaustion allocation unit it would give;
-- 2. its fragmentation profile: the free blocks by prefix length;
-- 3. the 20 largest holders (allocated or assigned, by opaque-id) of IPv4,
--    by distinct addresses, and of IPv6, in /32 equivalents;
-- 4. what was allocated or assigned each year.
-- The script changes no setting of the session.

\if :{?registry}
\else
\set registry ''
\endif

\echo
\echo '== Files loaded'
SELECT registry, version, serial, records, start_date, end_date, utc_offset
FROM rir_file
WHERE :'registry' IN ('', registry)
ORDER BY registry;

\echo '== IPv4 free pool (status available), merged: its minimal CIDR blocks, addresses, largest block;'
\echo '   the ARIN 2009-8 maximum allocation (a quarter of the pool, at least a /24) and the IANA'
\echo '   post-exhaustion allocation unit (a fifth, none below a /24) a pool of that size gives'
WITH pool AS (
	SELECT registry, cidr_merge(block) AS pool
	FROM rir_block
	WHERE status = 'available' AND family = 4 AND :'registry' IN ('', registry)
	GROUP BY registry
)
SELECT registry, cardinality(pool) AS blocks, addr_count(pool) AS addresses,
	   (SELECT b FROM unnest(pool) b ORDER BY masklen(b), b LIMIT 1) AS largest_block,
	   '/' || max_allocation(pool) AS max_allocation,
	   coalesce('/' || allocation_unit(addr_count(pool)), 'none') AS allocation_unit
FROM pool
ORDER BY registry;

\echo '== IPv6 free pool, in /32 equivalents (rounded to 6 decimals); the two run-out rules'
\echo '   above are IPv4 policies and are not applied to it'
WITH pool AS (
	SELECT registry, cidr_merge(block) AS pool
	FROM rir_block
	WHERE status = 'available' AND family = 6 AND :'registry' IN ('', registry)
	GROUP BY registry
)
SELECT registry, cardinality(pool) AS blocks,
	   trim_scale(round(addr_count(pool) / prefix_size(32, 6), 6)) AS slash32s,
	   (SELECT b FROM unnest(pool) b ORDER BY masklen(b), b LIMIT 1) AS largest_block
FROM pool
ORDER BY registry;

\echo '== Fragmentation of the IPv4 free pool: its maximal free CIDR blocks by prefix length'
SELECT p.registry, '/' || c.masklen AS prefix, c.blocks,
	   c.blocks * prefix_size(c.masklen) AS addresses
FROM (SELECT registry, cidr_merge(block) AS pool
	  FROM rir_block
	  WHERE status = 'available' AND family = 4 AND :'registry' IN ('', registry)
	  GROUP BY registry) p,
	 LATERAL free_block_counts(p.pool, '{}') c
ORDER BY p.registry, c.masklen;

\echo '== Fragmentation of the IPv6 free pool, in /32 equivalents (rounded to 6 decimals)'
SELECT p.registry, '/' || c.masklen AS prefix, c.blocks,
	   trim_scale(round(c.blocks * prefix_size(c.masklen, 6) / prefix_size(32, 6), 6)) AS slash32s
FROM (SELECT registry, cidr_merge(block) AS pool
	  FROM rir_block
	  WHERE status = 'available' AND family = 6 AND :'registry' IN ('', registry)
	  GROUP BY registry) p,
	 LATERAL free_block_counts(p.pool, '{}') c
ORDER BY p.registry, c.masklen;

\echo '== The 20 largest IPv4 holders (allocated or assigned, by opaque-id), by distinct addresses'
SELECT registry, rank, org, addresses, blocks, first, latest
FROM (SELECT registry, org, addr_count(cidr_merge(block)) AS addresses,
			 count(*) AS blocks, min(allocated_on) AS first, max(allocated_on) AS latest,
			 row_number() OVER (PARTITION BY registry
								ORDER BY addr_count(cidr_merge(block)) DESC, org) AS rank
	  FROM rir_block
	  WHERE family = 4 AND status IN ('allocated', 'assigned') AND org IS NOT NULL
		AND :'registry' IN ('', registry)
	  GROUP BY registry, org) h
WHERE rank <= 20
ORDER BY registry, rank;

\echo '== The 20 largest IPv6 holders, in /32 equivalents (rounded to 6 decimals)'
SELECT registry, rank, org, slash32s, blocks, first, latest
FROM (SELECT registry, org,
			 trim_scale(round(addr_count(cidr_merge(block)) / prefix_size(32, 6), 6)) AS slash32s,
			 count(*) AS blocks, min(allocated_on) AS first, max(allocated_on) AS latest,
			 row_number() OVER (PARTITION BY registry
								ORDER BY addr_count(cidr_merge(block)) DESC, org) AS rank
	  FROM rir_block
	  WHERE family = 6 AND status IN ('allocated', 'assigned') AND org IS NOT NULL
		AND :'registry' IN ('', registry)
	  GROUP BY registry, org) h
WHERE rank <= 20
ORDER BY registry, rank;

\echo '== Allocated or assigned per year: records, IPv4 addresses, IPv6 /32 equivalents'
SELECT registry, year, ipv4_records, ipv4_addresses, ipv6_records, ipv6_slash32s
FROM (SELECT registry, extract(year FROM allocated_on)::int AS year,
			 count(*) FILTER (WHERE family = 4) AS ipv4_records,
			 count(*) FILTER (WHERE family = 6) AS ipv6_records
	  FROM rir_delegation
	  WHERE status IN ('allocated', 'assigned') AND allocated_on IS NOT NULL
		AND :'registry' IN ('', registry)
	  GROUP BY 1, 2) r
JOIN (SELECT registry, extract(year FROM allocated_on)::int AS year,
			 coalesce(addr_count(cidr_merge(block) FILTER (WHERE family = 4)), 0) AS ipv4_addresses,
			 coalesce(trim_scale(round(addr_count(cidr_merge(block) FILTER (WHERE family = 6))
									   / prefix_size(32, 6), 6)), 0) AS ipv6_slash32s
	  FROM rir_block
	  WHERE status IN ('allocated', 'assigned') AND allocated_on IS NOT NULL
		AND :'registry' IN ('', registry)
	  GROUP BY 1, 2) b USING (registry, year)
ORDER BY registry, year;
