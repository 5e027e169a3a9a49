#!/usr/bin/env bash
# The example registry (examples/registry/): schema, generated data, and the
# report a registry would run: the free pool, the members closest to the
# HD-ratio threshold, who is eligible under each method and why not.
set -euo pipefail
cd "$(dirname "$0")/../.."
psql() { command psql -X -q -v ON_ERROR_STOP=1 -d "$AP_DEMO_DB" "$@"; }

echo
echo "== The example registry: loading schema, views and generated data =="
start=$(date +%s%N)
psql -f examples/registry/schema.sql -f examples/registry/views.sql
psql -P footer=off -f examples/registry/generate.sql
ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '(loaded in %d.%d s; every allocation went through registry.allocate() and the run-out trigger)\n' \
	$((ms / 1000)) $((ms % 1000 / 100))

psql -P footer=off <<'SQL'
SET search_path = registry, public;
-- one pass over the members for the whole report
CREATE TEMP TABLE mu AS SELECT * FROM registry.member_utilization;
-- the ten members closest to the HD-ratio threshold: the smallest margin
-- (addresses to spare or missing on the tighter test) relative to what the
-- test requires
CREATE TEMP TABLE closest AS
SELECT row_number() OVER (ORDER BY abs(hd_margin) / least(hd_total_required, hd_recent_required), member) AS rank,
	   member
FROM mu WHERE hd_margin IS NOT NULL
ORDER BY rank LIMIT 10;

\echo
\echo '== The free pool (2009-8: the maximum allocation is the largest CIDR block of at most a quarter of it, at least a /24) =='
SELECT CASE family WHEN 4 THEN 'IPv4' ELSE 'IPv6' END AS pool,
	   free_blocks AS "free blocks",
	   CASE family WHEN 4 THEN to_char(free_addresses, 'FM999,999,999') || ' addresses'
		   ELSE to_char(unit_count(ARRAY(SELECT block FROM registry.free_pool
										 WHERE family(block) = 6), 32), 'FM999,999,999') || ' /32s' END
		   AS "free",
	   largest_free_block AS "largest free block",
	   '/' || max_allocation || ' (' || to_char(max_allocation_addresses, 'FM999,999,999') || ')'
		   AS "max allocation",
	   '/' || iana_allocation_unit AS "IANA unit, as a recovered pool"
FROM registry.pool_status ORDER BY family;
SELECT blocks_by_size FROM registry.pool_status WHERE family = 4 \gset
\echo 'IPv4 free blocks by size:' :blocks_by_size

\echo
\echo '== Ten members closest to the HD-ratio threshold (all allocations >= 0.966, the most recent >= 0.930) =='
SELECT member, name,
	   to_char(held, '9,999,999') AS held,
	   to_char(used, '9,999,999') AS used,
	   round(total_hd::numeric, 4) AS "total HD",
	   recent_block AS "most recent",
	   round(recent_hd::numeric, 4) AS "its HD",
	   CASE WHEN hd_eligible THEN 'eligible' ELSE 'not eligible' END AS "HD method",
	   CASE WHEN hd_margin >= 0 THEN to_char(hd_margin, 'FM999,999') || ' to spare'
			ELSE to_char(-hd_margin, 'FM999,999') || ' short' END AS "addresses"
FROM closest JOIN mu USING (member)
ORDER BY rank;

\echo
\echo '== Who is eligible, by method (members holding IPv4; utilization_check over each member''s figures) =='
SELECT m.method,
	   count(*) FILTER (WHERE c.eligible) AS eligible,
	   count(*) FILTER (WHERE c.total_required IS NULL) AS "below a /20: cannot elect",
	   count(*) FILTER (WHERE mu.used < c.total_required AND mu.recent_used >= c.recent_required)
		   AS "fails the total",
	   count(*) FILTER (WHERE mu.used >= c.total_required AND mu.recent_used < c.recent_required)
		   AS "fails the most recent",
	   count(*) FILTER (WHERE mu.used < c.total_required AND mu.recent_used < c.recent_required)
		   AS "fails both"
FROM mu
CROSS JOIN (VALUES (1, 'hd'), (2, 'table'), (3, 'fixed')) m(n, method)
CROSS JOIN LATERAL utilization_check(mu.used, mu.held, mu.recent_used, mu.recent_allocated, m.method) c
WHERE mu.allocations > 0
GROUP BY m.n, m.method ORDER BY m.n;

\echo
\echo '== Why not: the same ten members under each method =='
\pset format unaligned
\pset tuples_only on
SELECT pg_catalog.format(E'%s (%s): holds %s, uses %s\n  hd:    %s\n  table: %s\n  fixed: %s',
						 member, name, to_char(held, 'FM999,999,999'), to_char(used, 'FM999,999,999'),
						 coalesce(hd_reason, 'eligible'), coalesce(table_reason, 'eligible'),
						 coalesce(fixed_reason, 'eligible'))
FROM closest JOIN mu USING (member)
ORDER BY rank;
\pset format aligned
\pset tuples_only off

\echo
\echo '== IPv6, counted in /56 end sites (HD ratio 0.94 of the /56 units) =='
SELECT count(*) AS "members with IPv6",
	   count(*) FILTER (WHERE v6_eligible) AS "at or above 0.94",
	   to_char(sum(v6_used56), '99,999,999,999') AS "/56s in use",
	   to_char(sum(v6_units56), '99,999,999,999') AS "/56s held"
FROM mu WHERE v6_allocations > 0;
SELECT a.member, a.block, to_char(a.units56, '999,999,999') AS "/56s",
	   to_char(a.used56, '999,999,999') AS "in use",
	   round(a.hd::numeric, 4) AS "HD in /56s",
	   to_char(hd_required(a.block, 0.94, 56), '999,999,999') AS "needed at 0.94"
FROM registry.allocation_usage a
WHERE a.family = 6
ORDER BY abs(a.hd - 0.94), a.id
LIMIT 5;
SQL
