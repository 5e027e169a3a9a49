-- test/distributed/examples.sql — the queries and plans doc/scaling.md
-- shows, run on the coordinator of test/distributed/check.sh when
-- AP_DIST_OUT names a directory (their output goes to examples.out there).
-- Not a check: the check's own assertions are in check.sh.
\pset footer off

\echo '--- partitionwise aggregation off: the coordinator aggregates'
SET enable_partitionwise_aggregate = off;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, addr_sum(block) FROM allocation GROUP BY member;

SET enable_partitionwise_aggregate = on;

\echo '--- the per-member report, pushed'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, family(block) AS af,
       addr_sum(block) FILTER (WHERE kind = 'allocation') AS allocated,
       addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')) AS assigned,
       hd_ratio(addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')),
                addr_sum(block) FILTER (WHERE kind = 'allocation')) AS hd
FROM allocation
GROUP BY member, family(block)
ORDER BY member, af;

\echo '--- its first rows'
SELECT member, family(block) AS af,
       addr_sum(block) FILTER (WHERE kind = 'allocation') AS allocated,
       addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')) AS assigned,
       hd_ratio(addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')),
                addr_sum(block) FILTER (WHERE kind = 'allocation')) AS hd
FROM allocation
GROUP BY member, family(block)
ORDER BY member, af
LIMIT 6;

\echo '--- utilization: a field of its summary'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, (utilization(block, used, allocated_on)).eligible
FROM allocation
WHERE kind = 'allocation' AND family(block) = 4
GROUP BY member;

\echo '--- utilization with a literal method'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, family(block) AS af,
       utilization(block, used, allocated_on, 'table') FILTER (WHERE kind = 'allocation')
FROM allocation
GROUP BY member, family(block);

\echo '--- utilization with the method from a column of the shards'' rows'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, family(block) AS af,
       utilization(block, used, allocated_on, method) FILTER (WHERE kind = 'allocation')
FROM allocation_m
GROUP BY member, family(block);

\echo '--- a pool-wide total in one level: partial aggregation, rows fetched'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT cidr_merge(block) FROM allocation;

\echo '--- the pool-wide total in two levels, per shard'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT cidr_merge(part)
FROM (SELECT cidr_merge(block) AS part FROM allocation_p0
      UNION ALL
      SELECT cidr_merge(block) FROM allocation_p1) AS per_shard;

\echo '--- the pool-wide total in two levels, per member'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT cidr_merge(per_member)
FROM (SELECT member, cidr_merge(block) AS per_member FROM allocation GROUP BY member) AS m;

\echo '--- addr_sum per family in two levels, per member'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT af, sum(s)
FROM (SELECT member, family(block) AS af, addr_sum(block) AS s
      FROM allocation WHERE block IS NOT NULL GROUP BY member, family(block)) AS m
GROUP BY af ORDER BY af;

SELECT af, sum(s)
FROM (SELECT member, family(block) AS af, addr_sum(block) AS s
      FROM allocation WHERE block IS NOT NULL GROUP BY member, family(block)) AS m
GROUP BY af ORDER BY af;

\echo '--- distinct addresses per family in two levels'
SELECT af, addr_count(cidr_merge(part))
FROM (SELECT family(block) AS af, cidr_merge(block) AS part FROM allocation_p0 GROUP BY 1
      UNION ALL
      SELECT family(block), cidr_merge(block) FROM allocation_p1 GROUP BY 1) AS per_shard
WHERE af IS NOT NULL
GROUP BY af ORDER BY af;

\echo '--- negative control: the report through servers without extensions'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT member, family(block) AS af,
       addr_sum(block) FILTER (WHERE kind = 'allocation') AS allocated,
       addr_count(cidr_merge(block) FILTER (WHERE kind = 'assignment')) AS assigned
FROM allocation_plain
GROUP BY member, family(block)
ORDER BY member, af;
