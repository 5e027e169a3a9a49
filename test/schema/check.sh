#!/usr/bin/env bash
# test/schema/check.sh — CREATE EXTENSION addrpolicy SCHEMA s (issue 13):
# registries keep such things in a schema of their own.
#
# 1. An unprivileged database owner (the extension is trusted) installs it
#    into schema ipam: every object of the extension is in ipam, none in
#    public.
# 2. With search_path empty, the functions and aggregates answer when called
#    schema-qualified (the install script qualifies everything itself).
# 3. 1.0 installed into ipam and updated to the current version gives the
#    same objects, still in ipam.
# 4. Without SCHEMA, the extension goes where CREATE EXTENSION puts any
#    extension with no fixed schema: the first schema of search_path.
# Creates and drops its own database and role; the same in quick and full
# mode.
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
role=$(ap_dbname owner)
current=$(sed -nE "s/^default_version *= *'([^']+)'.*/\1/p" addrpolicy.control)

ap_createrole "$role"
ap_createdb "$db" -O "$role"
as_owner() { PGUSER=$role PGPASSWORD=pw ap_val -d "$db" "$@"; }

# where each object of the extension lives: schema, count
placement() {
	as_owner <<'SQL'
SELECT coalesce(n.nspname, '?') || ' ' || count(*)
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
LEFT JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE d.deptype = 'e' AND d.classid = 'pg_proc'::regclass
GROUP BY n.nspname ORDER BY n.nspname;
SQL
}

# 1. into ipam, as the unprivileged owner
as_owner -c "CREATE SCHEMA ipam; CREATE EXTENSION addrpolicy SCHEMA ipam"
got=$(as_owner -c "SELECT extnamespace::regnamespace || ' ' || extversion FROM pg_extension WHERE extname = 'addrpolicy'")
[ "$got" = "ipam $current" ] || ap_fail "extension recorded as '$got', not 'ipam $current'"
where=$(placement)
case "$where" in
"ipam "[0-9]*) ;;
*) ap_fail "functions and aggregates not all in ipam: $where" ;;
esac
[ "$(echo "$where" | wc -l)" -eq 1 ] || ap_fail "objects in more than one schema: $where"
nfun=${where#ipam }

# 2. calls with an empty search_path, schema-qualified (values as in the
#    suites: hd_required(4096) = 3088 since 4096^0.966 = 3087.02; a /20 and
#    its two /21 halves merge to one /20 of 4096 addresses)
out=$(as_owner <<'SQL'
SET search_path = '';
SELECT ipam.hd_required(4096::numeric);
SELECT ipam.prefix_at_least(1000::numeric);
SELECT ipam.addr_count(ipam.cidr_merge(b)) FROM (VALUES ('10.0.0.0/21'::pg_catalog.cidr), ('10.0.8.0/21'), ('10.0.0.0/20')) v(b);
SELECT eligible FROM ipam.utilization_check(total_used => 13000, total_allocated => 16384, recent_used => 5500, recent_allocated => 8192);
SQL
)
expected=$'3088\n22\n4096\nt'
[ "$out" = "$expected" ] || ap_fail "calls in schema ipam with search_path '' gave:
$out
expected:
$expected"
[ -z "$(as_owner -c "SELECT 1 FROM pg_proc WHERE pronamespace = 'public'::regnamespace LIMIT 1")" ] \
	|| ap_fail "something of the extension went to public"
as_owner -c "DROP EXTENSION addrpolicy"

# 3. 1.0 into ipam, then the upgrade chain
as_owner -c "CREATE EXTENSION addrpolicy VERSION '1.0' SCHEMA ipam; ALTER EXTENSION addrpolicy UPDATE"
got=$(as_owner -c "SELECT extnamespace::regnamespace || ' ' || extversion FROM pg_extension WHERE extname = 'addrpolicy'")
[ "$got" = "ipam $current" ] || ap_fail "1.0 in ipam updated: recorded as '$got'"
[ "$(placement)" = "ipam $nfun" ] || ap_fail "1.0 in ipam updated: $(placement), expected ipam $nfun"
as_owner -c "DROP EXTENSION addrpolicy"

# 4. without SCHEMA: the first schema of search_path
as_owner -c "SET search_path = ipam, public; CREATE EXTENSION addrpolicy"
got=$(as_owner -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'addrpolicy'")
[ "$got" = "ipam" ] || ap_fail "without SCHEMA and search_path ipam, public: installed in '$got'"

ap_say "CREATE EXTENSION addrpolicy SCHEMA ipam by a non-superuser: $nfun functions in ipam, none in public; calls with search_path ''; 1.0 -> $current in ipam; default placement by search_path"
