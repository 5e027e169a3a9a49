#!/usr/bin/env bash
# Real registry data: AFRINIC's delegated-extended statistics of 2023-03-23
# (shipped in examples/rir-stats/data/), loaded with examples/rir-stats/load.sql
# (doc/rir-stats.md) and summed up for a DBA: what was loaded and what was
# skipped, the free pool under the run-out rules (IPv4 only), the largest
# holders.  examples/rir-stats/report.sql prints the full report.
set -euo pipefail
psql() { LC_ALL=C.UTF-8 command psql -X -q -v ON_ERROR_STOP=1 -P numericlocale=on -P footer=off -d "$AP_DEMO_DB" "$@"; }
file=examples/rir-stats/data/delegated-afrinic-extended-20230323
# the file's summary lines (registry|*|type|*|count|summary), as SQL VALUES
# (their order in the file, the type, the count)
summary=$(awk -F'|' '$6 == "summary" { printf "%s(%d, %s, %d)", sep, ++n, "'\''" $3 "'\''", $5; sep = ", " }' "$file")
echo "== Real data: AFRINIC's delegated-extended statistics, $(basename "$file") =="
echo "\$ psql -v file=$file -f examples/rir-stats/load.sql"
psql -v file="$file" -f examples/rir-stats/load.sql
psql -v summary="$summary" <<'SQL'
SELECT pg_catalog.format(E'The file announces its records by type (its summary lines; the version line gives the total);\nload.sql checks every count and loads the IPv4 and IPv6 records.  AS numbers are not address\nspace: their records are counted, not loaded.  An IPv4 record need not be a CIDR block (any count\nof addresses from any start): it is loaded as its minimal list of CIDR blocks, so %s IPv4\nrecords make %s blocks.',
						 to_char((SELECT count(*) FROM rir_delegation WHERE registry = 'afrinic' AND family = 4), 'FM999,999'),
						 to_char((SELECT count(*) FROM rir_block WHERE registry = 'afrinic' AND family = 4), 'FM999,999'))
\g (format=unaligned tuples_only=on)
SELECT type, records AS "records in the file", loaded, records - loaded AS skipped
FROM (SELECT s.n, s.type, s.records, coalesce(l.loaded, 0) AS loaded
	  FROM (VALUES :summary) AS s(n, type, records)
	  LEFT JOIN (SELECT CASE family WHEN 4 THEN 'ipv4' ELSE 'ipv6' END AS type, count(*) AS loaded
				 FROM rir_delegation WHERE registry = 'afrinic' GROUP BY family) l USING (type)
	  UNION ALL
	  SELECT 1000, 'all', f.records, (SELECT count(*) FROM rir_delegation WHERE registry = 'afrinic')
	  FROM rir_file f WHERE f.registry = 'afrinic') t
ORDER BY n;

\echo '== AFRINIC''s free pool (status available), merged into CIDR blocks =='
\echo 'IPv4, with the ARIN 2009-8 maximum allocation (a quarter of the pool, at least a /24) and the IANA'
\echo 'post-exhaustion allocation unit (a fifth, none below a /24) a pool of that size gives:'
WITH pool AS (
	SELECT cidr_merge(block) AS pool FROM rir_block
	WHERE registry = 'afrinic' AND family = 4 AND status = 'available'
)
SELECT cardinality(pool) AS blocks, addr_count(pool) AS addresses,
	   (SELECT b FROM unnest(pool) b ORDER BY masklen(b), b LIMIT 1) AS "largest block",
	   '/' || max_allocation(pool) AS "maximum allocation",
	   prefix_size(max_allocation(pool)) AS addresses,
	   coalesce('/' || allocation_unit(addr_count(pool)), 'none') AS "IANA unit",
	   prefix_size(allocation_unit(addr_count(pool))) AS addresses
FROM pool;
SELECT string_agg(pg_catalog.format('/%s: %s', c.masklen, c.blocks), ', ' ORDER BY c.masklen) AS sizes
FROM (SELECT cidr_merge(block) AS pool FROM rir_block
	  WHERE registry = 'afrinic' AND family = 4 AND status = 'available') p,
	 LATERAL free_block_counts(p.pool, '{}') c \gset
\echo 'IPv4 free blocks by size:' :sizes
\echo
\echo 'IPv6, in /32 equivalents (2009-8 and the IANA policy are IPv4 policies: neither applies here):'
WITH pool AS (
	SELECT cidr_merge(block) AS pool FROM rir_block
	WHERE registry = 'afrinic' AND family = 6 AND status = 'available'
)
SELECT cardinality(pool) AS blocks,
	   round(addr_count(pool) / prefix_size(32, 6), 4) AS "/32 equivalents",
	   (SELECT b FROM unnest(pool) b ORDER BY masklen(b), b LIMIT 1) AS "largest block"
FROM pool;

\echo '== The ten largest IPv4 holders (allocated or assigned, by opaque-id), by distinct addresses =='
SELECT org, addresses, blocks, first, latest
FROM (SELECT org, addr_count(cidr_merge(block)) AS addresses, count(*) AS blocks,
			 min(allocated_on) AS first, max(allocated_on) AS latest
	  FROM rir_block
	  WHERE registry = 'afrinic' AND family = 4 AND status IN ('allocated', 'assigned')
		AND org IS NOT NULL
	  GROUP BY org) h
ORDER BY addresses DESC, org
LIMIT 10;
SQL
cat <<'EOT'
The full report (both families' fragmentation, the twenty largest holders of each, what was
allocated each year), for every registry loaded:  psql -f examples/rir-stats/report.sql
EOT
