#!/usr/bin/env bash
# test/upgrade/check.sh — installing the first release and walking the
# upgrade chain (ALTER EXTENSION addrpolicy UPDATE) gives exactly the objects
# of a fresh install of the current version.
set -euo pipefail
cd "$(dirname "$0")/../.."
a=ap_upgrade_a_$$
b=ap_upgrade_b_$$
tmp=$(mktemp -d)
trap 'dropdb --if-exists --force $a; dropdb --if-exists --force $b; rm -rf "$tmp"' EXIT
createdb "$a"; createdb "$b"
current=$(sed -nE "s/^default_version *= *'([^']+)'.*/\1/p" addrpolicy.control)
first=1.0
psql -X -q -v ON_ERROR_STOP=1 -d "$a" -c "CREATE EXTENSION addrpolicy VERSION '$first'"
psql -X -q -v ON_ERROR_STOP=1 -d "$a" -c "ALTER EXTENSION addrpolicy UPDATE"
psql -X -q -v ON_ERROR_STOP=1 -d "$b" -c "CREATE EXTENSION addrpolicy"
objects() {
	psql -X -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT pg_describe_object(classid, objid, objsubid)
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE e.extname = 'addrpolicy' AND d.deptype = 'e'
ORDER BY 1;
SELECT 'version ' || extversion FROM pg_extension WHERE extname = 'addrpolicy';
-- signatures, volatility, strictness, parallel safety and comments too
SELECT p.oid::regprocedure::text || ' ' || p.provolatile::text || p.proisstrict::text || p.proparallel::text
       || ' ' || coalesce(obj_description(p.oid, 'pg_proc'), '-')
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
ORDER BY 1;
SQL
}
objects "$a" > "$tmp/a"; objects "$b" > "$tmp/b"
if ! diff "$tmp/a" "$tmp/b"; then
	echo "FAIL: $first updated to $current differs from a fresh $current (diff above)"
	exit 1
fi
n=$(wc -l < "$tmp/b")
echo "upgrade: $first -> $current by ALTER EXTENSION UPDATE equals a fresh install ($n catalogue lines compared)"
