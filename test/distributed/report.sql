-- test/distributed/report.sql — the per-member report over the table :tbl,
-- one row per (member, address family): rows, addresses allocated (addr_sum),
-- addresses assigned with and without overlaps (addr_sum, and addr_count of
-- the cidr_merge set), the assigned set itself, and the HD ratio of the
-- distinct assigned addresses over the allocated ones, and the utilization
-- aggregate's summary of the allocations (its four-argument form, with a
-- method, has its own check in check.sh: a literal method is not shipped).
--
-- Every grouping column is the partition key or an expression of the row
-- (family(block)), so with enable_partitionwise_aggregate each partition
-- computes its groups completely, and postgres_fdw can ship the aggregates.
SELECT member,
	pg_catalog.family(block) AS af,
	pg_catalog.count(*) AS n,
	addr_sum(block) FILTER (WHERE kind = 'allocation') AS allocated,
	addr_sum(block) FILTER (WHERE kind = 'assignment') AS assigned_gross,
	addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')) AS assigned,
	hd_ratio(addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')),
		addr_sum(block) FILTER (WHERE kind = 'allocation')) AS hd,
	cidr_merge(block) FILTER (WHERE kind = 'assignment') AS assigned_set
	, utilization(block, used, allocated_on) FILTER (WHERE kind = 'allocation') AS util
FROM :tbl
GROUP BY member, pg_catalog.family(block)
ORDER BY member, af
