#!/usr/bin/env bash
# The example registry (examples/registry/): schema, generated data, the
# run-out rules at work (the trigger refusing a request, allocate() granting
# one), and the report a registry would run: the free pool, the members
# closest to the HD-ratio threshold, who is eligible under each method and
# why not, IPv6 in /56 end sites.
set -euo pipefail
cd "$(dirname "$0")/../.."
psql() { LC_ALL=C.UTF-8 command psql -X -q -v ON_ERROR_STOP=1 -P numericlocale=on -P footer=off -d "$AP_DEMO_DB" "$@"; }

echo "== The example registry: loading schema, views and generated data =="
start=$(date +%s%N)
psql -f examples/registry/schema.sql -f examples/registry/views.sql
psql -f examples/registry/generate.sql
ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '(loaded in %d.%d s; every allocation went through registry.allocate() and the run-out trigger)\n' \
	$((ms / 1000)) $((ms % 1000 / 100))

# (psql ends each aligned table with an empty line: the sections after one
# start without their own)
psql <<'SQL'
SET search_path = registry, public;

\echo
\echo '== The free pool =='
\echo 'IPv4: ARIN 2009-8 sets the maximum allocation to the largest CIDR block of at most a quarter of the'
\echo 'free pool (never smaller than a /24); the IANA post-exhaustion policy would give each of five'
\echo 'registries a fifth of a recovered pool of this size, rounded down to a CIDR block.'
SELECT free_blocks AS "free blocks",
	   free_addresses AS "free addresses",
	   largest_free_block AS "largest free block",
	   '/' || max_allocation AS "maximum allocation",
	   max_allocation_addresses AS addresses,
	   coalesce('/' || iana_allocation_unit, 'none') AS "IANA unit",
	   prefix_size(iana_allocation_unit) AS addresses
FROM registry.pool_status WHERE family = 4;
SELECT blocks_by_size FROM registry.pool_status WHERE family = 4 \gset
\echo 'IPv4 free blocks by size:' :blocks_by_size
\echo
\echo 'IPv6, in /32 equivalents (both rules above are IPv4 policies: none applies to IPv6):'
SELECT free_blocks AS "free blocks",
	   round(free_addresses / prefix_size(32, 6), 4) AS "/32 equivalents",
	   largest_free_block AS "largest free block"
FROM registry.pool_status WHERE family = 6;

-- The rules at work, on the day after the generated history (it ends in
-- December 2024).  The member: the one whose free-pool allocations of the
-- three months up to that day add up to the most, up to half the maximum
-- (latest allocation first on ties), so that a request for the maximum
-- breaks the three-month rule and one for half of it does not.
SELECT p.max_allocation AS max_len, p.max_allocation_addresses AS max_addresses,
	   p.free_addresses AS free_addresses
FROM registry.pool_status p WHERE p.family = 4 \gset
SELECT w.member, m.name, w.received, w.since, w.on_date,
	   pg_catalog.format('SELECT registry.allocate(%s, %s, %L)', w.member, :max_len, w.on_date) AS refused_sql,
	   pg_catalog.format('SELECT registry.allocate(%s, %s, %L) AS allocated', w.member, :max_len + 1, w.on_date) AS granted_sql,
	   pg_catalog.format('%s addresses = %s + %s', to_char(w.received + :max_addresses, 'FM999,999,999'),
						 to_char(w.received, 'FM999,999,999'), to_char(:max_addresses, 'FM999,999,999')) AS refused_sum,
	   pg_catalog.format('%s addresses = %s + %s', to_char(w.received + :max_addresses / 2, 'FM999,999,999'),
						 to_char(w.received, 'FM999,999,999'), to_char(:max_addresses / 2, 'FM999,999,999')) AS granted_sum
FROM (SELECT a.member, sum(addr_count(a.block)) AS received, max(a.allocated_on) AS latest,
			 d.on_date, (d.on_date - interval '3 months')::date AS since
	  FROM registry.allocation a
	  CROSS JOIN (SELECT date '2025-01-06' AS on_date) d
	  WHERE a.source = 'free_pool' AND family(a.block) = 4
		AND a.allocated_on BETWEEN (d.on_date - interval '3 months')::date AND d.on_date
	  GROUP BY a.member, d.on_date) w
JOIN registry.member m ON m.id = w.member
WHERE w.received <= :max_addresses / 2
ORDER BY w.received DESC, w.latest DESC, w.member
LIMIT 1 \gset
\echo '== The run-out rules at work: the trigger refuses a request, registry.allocate() grants one =='
SELECT pg_catalog.format(E'"The total of all allocations received within the last three (3) month period and the current\nrequest, cannot exceed the current maximum allocation size" (2009-8): here a /%s, %s addresses.\nMember %s (%s) received from the free pool in the three months up to %s:',
						 :max_len, to_char(:max_addresses, 'FM999,999,999'), :member, :'name', :'on_date') \g (format=unaligned tuples_only=on)
SELECT a.block, a.allocated_on AS "allocated on", addr_count(a.block) AS addresses
FROM registry.allocation a
WHERE a.member = :member AND a.source = 'free_pool' AND family(a.block) = 4
  AND a.allocated_on BETWEEN :'since' AND :'on_date'
ORDER BY a.allocated_on, a.id;
SELECT pg_catalog.format(E'It asks for the maximum, a /%s: %s, more than %s.\nallocate() picks a free block and inserts it; the allocation trigger refuses it (SQLSTATE 23514,\ncheck_violation; the demo catches the error and goes on):\n=> %s;',
						 :max_len, :'refused_sum', to_char(:max_addresses, 'FM999,999,999'), :'refused_sql')
\g (format=unaligned tuples_only=on)
SELECT demo.attempt(:'refused_sql') \g (format=unaligned tuples_only=on)
SELECT pg_catalog.format(E'\nHalf of it, a /%s: %s, within %s.\nallocate() takes it by best fit: a /%s of the smallest free block that holds one, %s.\n=> %s;',
						 :max_len + 1, :'granted_sum', to_char(:max_addresses, 'FM999,999,999'), :max_len + 1,
						 (SELECT f.block FROM registry.free_pool f
						  WHERE family(f.block) = 4 AND masklen(f.block) <= :max_len + 1
						  ORDER BY masklen(f.block) DESC, f.block LIMIT 1),
						 :'granted_sql')
\g (format=unaligned tuples_only=on)
BEGIN;
:granted_sql;
SELECT pg_catalog.format(E'The free pool now holds %s addresses (it held %s): the maximum allocation is a /%s.\n(Rolled back: the report below reads the registry as generated.)',
						 to_char(free_addresses, 'FM999,999,999'), to_char(:free_addresses, 'FM999,999,999'),
						 max_allocation)
FROM registry.pool_status WHERE family = 4 \g (format=unaligned tuples_only=on)
ROLLBACK;

-- one pass over the members for the whole report
CREATE TEMP TABLE mu AS SELECT * FROM registry.member_utilization;
-- the ten members closest to the HD-ratio threshold: the margin is used
-- minus needed on the tighter of the two tests (the smaller one; the view's
-- hd_margin), ranked by its size relative to what that test needs
CREATE TEMP TABLE closest AS
SELECT row_number() OVER (ORDER BY abs(t.margin) / t.needed, t.member) AS rank, t.*
FROM (SELECT member, hd_margin AS margin,
			 CASE WHEN used - hd_total_required <= recent_used - hd_recent_required
				  THEN 'all' ELSE 'most recent' END AS tighter,
			 CASE WHEN used - hd_total_required <= recent_used - hd_recent_required
				  THEN hd_total_required ELSE hd_recent_required END AS needed
	  FROM mu WHERE hd_margin IS NOT NULL) t
ORDER BY rank LIMIT 10;

\echo
\echo '== Ten members closest to the HD-ratio threshold (0.966 over all allocations, 0.930 over the most recent) =='
\echo 'margin = used - needed on the tighter of the two tests (negative: short); ranked by the margin'
\echo 'as a share of what that test needs, closest first'
SELECT c.member::text AS member,
	   mu.held, mu.used,
	   round(mu.total_hd::numeric, 4) AS "HD, all",
	   mu.recent_block AS "most recent",
	   round(mu.recent_hd::numeric, 4) AS "its HD",
	   c.tighter AS "tighter test",
	   c.needed,
	   c.margin,
	   round(100 * c.margin / c.needed, 3) AS "margin %"
FROM closest c JOIN mu USING (member)
ORDER BY c.rank;

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

\echo '== Why not: the same ten members under each method (utilization_check''s reasons) =='
\pset format unaligned
\pset tuples_only on
SELECT pg_catalog.format(E'%s (%s): holds %s, uses %s; most recent %s: %s of %s used\n  hd:    %s\n  table: %s\n  fixed: %s',
						 member, name, to_char(held, 'FM999,999,999'), to_char(used, 'FM999,999,999'),
						 recent_block, to_char(recent_used, 'FM999,999,999'),
						 to_char(recent_allocated, 'FM999,999,999'),
						 coalesce(demo.grouped(hd_reason), 'eligible'),
						 coalesce(demo.grouped(table_reason), 'eligible'),
						 coalesce(demo.grouped(fixed_reason), 'eligible'))
FROM closest JOIN mu USING (member)
ORDER BY rank;
\pset format aligned
\pset tuples_only off

\echo
\echo '== IPv6, counted in /56 end sites: an HD ratio of at least 0.94 of the /56s held =='
SELECT count(*) AS "members with IPv6",
	   count(*) FILTER (WHERE v6_eligible) AS "at or above 0.94",
	   sum(v6_used56) AS "/56s in use",
	   sum(v6_units56) AS "/56s held"
FROM mu WHERE v6_allocations > 0;
\echo 'The five IPv6 allocations closest to 0.94 (smallest difference between their HD ratio and 0.94):'
SELECT a.member::text AS member, a.block, a.units56 AS "/56s",
	   a.used56 AS "in use",
	   round(a.hd::numeric, 4) AS "HD in /56s",
	   hd_required(a.block, 0.94, 56) AS "needed at 0.94",
	   a.used56 - hd_required(a.block, 0.94, 56) AS margin
FROM registry.allocation_usage a
WHERE a.family = 6
ORDER BY abs(a.hd - 0.94), a.id
LIMIT 5;
SQL
