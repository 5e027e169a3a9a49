-- examples/registry/views.sql — the views a reporting job reads.
-- Load after schema.sql (it sets the search_path to registry and the
-- extension's schema).
--
--   registry.allocation_usage    one row per allocation: its addresses, the
--                                distinct addresses assigned inside it, and
--                                for IPv6 the same in /56 end-site units
--   registry.member_utilization  one row per member: the HD-ratio rule by
--                                each method, with the reason, and IPv6 in
--                                /56 units
--   registry.pool_status         one row per family of the free pool
--   registry.free_blocks_by_size the free pool's fragmentation profile

-- Assignments nest (a /24 inside a /22 inside the allocation), so they are
-- merged before they are counted: addr_count(cidr_merge(...)) counts each
-- address once.  IPv6 policies count end sites, not addresses: a /56 is one
-- unit, and an assigned /64 occupies ("touches") the /56 it lies in.
CREATE VIEW registry.allocation_usage AS
SELECT a.id,
	   a.member,
	   a.block,
	   family(a.block) AS family,
	   a.allocated_on,
	   a.source,
	   addr_count(a.block) AS addresses,
	   coalesce(addr_count(s.merged), 0) AS used,
	   CASE family(a.block) WHEN 6 THEN unit_count(ARRAY[a.block], 56) END AS units56,
	   CASE family(a.block) WHEN 6 THEN coalesce(unit_count(s.merged, 56, 'touched'), 0) END AS used56,
	   -- the HD ratio of the block: in addresses for IPv4, in /56 units for
	   -- IPv6 (hd_ratio's unit_masklen)
	   CASE family(a.block)
		   WHEN 4 THEN hd_ratio(coalesce(addr_count(s.merged), 0), a.block)
		   ELSE hd_ratio(coalesce(unit_count(s.merged, 56, 'touched'), 0), a.block, 56)
	   END AS hd
FROM registry.allocation a
CROSS JOIN LATERAL (SELECT cidr_merge(x.block) AS merged
					FROM registry.assignment x
					WHERE x.member = a.member AND x.block <<= a.block) s;
COMMENT ON VIEW registry.allocation_usage IS
'each allocation with the distinct addresses assigned inside it (and, for IPv6, /56 units) and its HD ratio';

-- The HD-ratio rule of the 2005 ARIN proposal over each member's IPv4
-- allocations, by the three methods of utilization_check, in one GROUP BY:
-- the utilization aggregate takes the total of all allocations and the most
-- recent one (latest date; ties to the larger block) from the rows.
-- Transfers count: the rule speaks of "all previous allocations".
-- IPv6: /56 units, HD ratio threshold 0.94 (the RIRs' IPv6 policies; not one
-- of the policy texts shipped with addrpolicy).
CREATE VIEW registry.member_utilization AS
SELECT m.id AS member,
	   m.name,
	   m.joined,
	   coalesce((v4.hd).allocations, 0) AS allocations,
	   coalesce((v4.hd).total_allocated, 0) AS held,
	   coalesce((v4.hd).total_used, 0) AS used,
	   (v4.hd).total_hd,
	   (v4.hd).recent_block,
	   (v4.hd).recent_allocated,
	   (v4.hd).recent_used,
	   (v4.hd).recent_hd,
	   (v4.hd).total_required AS hd_total_required,
	   (v4.hd).recent_required AS hd_recent_required,
	   (v4.hd).eligible AS hd_eligible,
	   (v4.hd).reason AS hd_reason,
	   -- addresses to spare (>= 0) or missing (< 0) on the tighter of the
	   -- two HD tests; NULL when the method cannot be elected
	   least((v4.hd).total_used - (v4.hd).total_required,
			 (v4.hd).recent_used - (v4.hd).recent_required) AS hd_margin,
	   (v4.tbl).eligible AS table_eligible,
	   (v4.tbl).reason AS table_reason,
	   (v4.fixed).eligible AS fixed_eligible,
	   (v4.fixed).reason AS fixed_reason,
	   coalesce(v6.allocations, 0) AS v6_allocations,
	   v6.units56 AS v6_units56,
	   v6.used56 AS v6_used56,
	   CASE WHEN v6.units56 > 1 THEN hd_ratio(v6.used56, v6.units56) END AS v6_hd,
	   CASE WHEN v6.units56 > 1 THEN hd_required(v6.units56, 0.94) END AS v6_required56,
	   CASE WHEN v6.units56 > 1 THEN v6.used56 >= hd_required(v6.units56, 0.94) END AS v6_eligible
FROM registry.member m
LEFT JOIN (SELECT u.member,
				  utilization(u.block, u.used, u.allocated_on) AS hd,
				  utilization(u.block, u.used, u.allocated_on, 'table') AS tbl,
				  utilization(u.block, u.used, u.allocated_on, 'fixed') AS fixed
		   FROM registry.allocation_usage u
		   WHERE u.family = 4
		   GROUP BY u.member) v4 ON v4.member = m.id
LEFT JOIN (SELECT u.member,
				  count(*) AS allocations,
				  sum(u.units56) AS units56,
				  sum(u.used56) AS used56
		   FROM registry.allocation_usage u
		   WHERE u.family = 6
		   GROUP BY u.member) v6 ON v6.member = m.id;
COMMENT ON VIEW registry.member_utilization IS
'per member: IPv4 addresses held and used, the HD-ratio rule by each method (hd, table, fixed) with the reason, and IPv6 utilization in /56 units';

-- The free pool, per family.  max_allocation is 2009-8's (IPv4 only: the
-- policy is IPv4's).  iana_allocation_unit is what the IANA post-exhaustion
-- policy would give each of the five RIRs if this pool were the Recovered
-- IPv4 Pool ("1/5 of Recovered IPv4 pool, rounded down to the next CIDR
-- (power-of-2) boundary"; NULL when that is smaller than a /24).
CREATE VIEW registry.pool_status AS
SELECT p.family,
	   p.free_blocks,
	   addr_count(p.blocks) AS free_addresses,
	   (SELECT b FROM unnest(p.blocks) b ORDER BY masklen(b), b LIMIT 1) AS largest_free_block,
	   CASE p.family WHEN 4 THEN max_allocation(p.blocks) END AS max_allocation,
	   CASE p.family WHEN 4 THEN prefix_size(max_allocation(p.blocks)) END AS max_allocation_addresses,
	   CASE p.family WHEN 4 THEN allocation_unit(addr_count(p.blocks)) END AS iana_allocation_unit,
	   (SELECT string_agg(pg_catalog.format('/%s: %s', c.masklen, c.blocks), ', ' ORDER BY c.masklen)
		FROM free_block_counts(p.blocks, '{}') c) AS blocks_by_size
FROM (SELECT family(f.block) AS family,
			 count(*) AS free_blocks,
			 array_agg(f.block ORDER BY f.block) AS blocks
	  FROM registry.free_pool f
	  GROUP BY family(f.block)) p;
COMMENT ON VIEW registry.pool_status IS
'per family: free addresses, the largest free block, the maximum allocation (IPv4), the IANA-style allocation unit of the pool as a recovered pool (IPv4), free blocks by size';

CREATE VIEW registry.free_blocks_by_size AS
SELECT p.family, c.masklen, c.blocks,
	   c.blocks * prefix_size(c.masklen, p.family) AS addresses
FROM (SELECT family(f.block) AS family, array_agg(f.block) AS blocks
	  FROM registry.free_pool f
	  GROUP BY family(f.block)) p
CROSS JOIN LATERAL free_block_counts(p.blocks, '{}') c;
COMMENT ON VIEW registry.free_blocks_by_size IS
'the free pool''s maximal free CIDR blocks counted by prefix length (free_block_counts), per family';
