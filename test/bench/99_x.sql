SET max_parallel_workers_per_gather = 0;
EXPLAIN (ANALYZE) SELECT member, addr_count(cidr_merge(block)) FROM bench.blocks GROUP BY member;
