#!/usr/bin/env bash
# test/upgrade/check.sh — installing the first release and walking the
# upgrade chain (ALTER EXTENSION addrpolicy UPDATE) gives exactly the objects
# of a fresh install of the current version.  The same in quick and full
# mode.
. "$(dirname "$0")/../lib/harness.sh"
a=$(ap_dbname a)
b=$(ap_dbname b)
ap_tmpdir tmp
ap_createdb "$a"; ap_createdb "$b"
current=$(sed -nE "s/^default_version *= *'([^']+)'.*/\1/p" addrpolicy.control)
first=1.0
ap_psql -d "$a" -c "CREATE EXTENSION addrpolicy VERSION '$first'"
ap_psql -d "$a" -c "ALTER EXTENSION addrpolicy UPDATE"
ap_psql -d "$b" -c "CREATE EXTENSION addrpolicy"
objects() {
	ap_val -d "$1" <<'SQL'
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
	ap_fail "$first updated to $current differs from a fresh $current (diff above)"
fi
n=$(wc -l < "$tmp/b")
ap_say "$first -> $current by ALTER EXTENSION UPDATE equals a fresh install ($n catalogue lines compared)"
