#!/usr/bin/env bash
# test/netbox/check.sh — addrpolicy_netbox against NetBox's own algorithm
# (oracle.py: NetBox 4.6's ip.py re-implemented with netaddr), row by row,
# for all five functions, on two databases:
#
#   1. NetBox's demo database (examples/netbox/data), loaded as NetBox's
#      dump asks: CREATE ROLE netbox first (dropped afterwards only if this
#      script created it), the dump's empty search_path;
#   2. a generated NetBox-shaped database that hits every trap of the rules
#      (generate.py, schema.sql), installed the hard way: by a role that is
#      not a superuser (the extensions are trusted), addrpolicy in schema ap
#      and addrpolicy_netbox in schema nb, with a hostile search_path
#      (traps shadowing what the functions call) while the oracle runs: no
#      trap may fire, and the answers must equal the oracle's.
#
# Then the errors (an unknown prefix id, a masklen outside the family, a
# database without NetBox's tables: each with its SQLSTATE and the missing
# table named) and the catalogue (STABLE, PARALLEL SAFE, search_path set,
# commented).  AP_QUICK=1 (make test): one generated database; without it
# (make test-long) three seeds, four times the trees.
. "$(dirname "$0")/../lib/harness.sh"
here=$ap_here
root=$ap_root
demo=$(ap_dbname demo)
gen=$(ap_dbname gen)
bare=$(ap_dbname bare)
owner=$(ap_dbname owner)
ap_tmpdir work

# Debian's python3 has python3-netaddr; a python3 of another installation
# first on PATH may not
py=
for c in python3 /usr/bin/python3; do
	if command -v "$c" >/dev/null && "$c" -c 'import netaddr' 2>/dev/null; then py=$c; break; fi
done
if [ -z "$py" ]; then
	ap_fail "no python3 with netaddr (Debian: apt-get install python3-netaddr)"
fi

# 1. the demo database
if [ "$(ap_val -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'netbox'")" = 0 ]; then
	ap_defer ap_drop role netbox
	ap_psql -d postgres -c "CREATE ROLE netbox"
fi
ap_createdb "$demo"
gzip -dc "$root/examples/netbox/data/netbox-demo-v4.2.sql.gz" | ap_psql -d "$demo" >/dev/null
ap_psql -d "$demo" -c "CREATE EXTENSION addrpolicy_netbox CASCADE"
PGDATABASE=$demo "$py" "$here/oracle.py" --label "NetBox demo database v4.2"

# 2. generated databases, installed by a non-superuser in schemas of their
# own, run under a hostile search_path
ap_createrole "$owner"
if ap_quick; then seeds="16"; trees=24; else seeds="16 17 18"; trees=96; fi
ap_defer ap_drop database "$gen"
for seed in $seeds; do
	ap_drop database "$gen"
	ap_psql -d postgres -c "CREATE DATABASE $gen OWNER $owner"
	(
		export PGUSER=$owner PGPASSWORD=pw
		ap_psql -d "$gen" -f "$here/schema.sql"
		"$py" "$here/generate.py" --seed "$seed" --trees "$trees" | ap_psql -d "$gen" >/dev/null
		ap_psql -d "$gen" -f "$here/indexes.sql"
		ap_psql -d "$gen" <<'SQL'
CREATE SCHEMA ap;
CREATE SCHEMA nb;
CREATE SCHEMA evil;
CREATE TABLE evil.hits (what text);
DO $$
DECLARE
  sig text;
BEGIN
  FOREACH sig IN ARRAY ARRAY[
    'family(inet)', 'masklen(inet)', 'broadcast(inet)', 'host(inet)', 'unnest(anyarray)',
    'to_regclass(text)', 'quote_ident(text)', 'current_database()', 'format(text)',
    'addr_count(inet)', 'addr_count(cidr[])', 'cidr_except(cidr[], cidr[])',
    'cidr_first_free(cidr[], cidr[], integer)', 'array_length(anyarray, integer)']
  LOOP
    EXECUTE format($f$CREATE FUNCTION evil.%s RETURNS integer LANGUAGE sql AS
                    $b$ INSERT INTO evil.hits VALUES (%L) RETURNING 0 $b$ $f$, sig, sig);
  END LOOP;
END $$;
CREATE FUNCTION evil.trap_text(text, text) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO evil.hits VALUES ('text operator') RETURNING true $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.trap_text);
CREATE FUNCTION evil.trap_inet(inet, inet) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO evil.hits VALUES ('inet operator') RETURNING true $$;
CREATE OPERATOR evil.<< (LEFTARG = inet, RIGHTARG = inet, FUNCTION = evil.trap_inet);
SET search_path = evil, public, pg_catalog;
CREATE EXTENSION addrpolicy SCHEMA ap;
CREATE EXTENSION addrpolicy_netbox SCHEMA nb;
SQL
		PGDATABASE=$gen PGOPTIONS="-c search_path=evil,public,pg_catalog" \
			"$py" "$here/oracle.py" --schema nb \
			--label "generated, seed $seed, addrpolicy in schema ap, hostile search_path"
		hits=$(ap_val -d "$gen" -c "SELECT count(*) FROM evil.hits")
		if [ "$hits" != 0 ]; then
			ap_fail "search_path traps were called: $(ap_val -d "$gen" -c "SELECT string_agg(what || ' x' || n, ', ') FROM (SELECT what, count(*) n FROM evil.hits GROUP BY 1) h")"
		fi
		# negative control: the traps do fire for an unqualified call
		ctl=$(ap_val -d "$gen" -c "SET search_path = evil, public, pg_catalog; SELECT masklen('10.0.0.0/8'::inet); SELECT count(*) FROM evil.hits" | tail -n 1)
		[ "$ctl" = 1 ] || ap_fail "negative control: the traps did not fire ($ctl)"
	)
done

# 3. errors, each with its SQLSTATE
ap_createdb "$bare"
ap_psql -d "$bare" -c "CREATE EXTENSION addrpolicy_netbox CASCADE"
errs=$work/errs
: > "$errs"
expect_error() {  # DB SQLSTATE TEXT SQL
	local out
	out=$(ap_psql -d "$1" -v ON_ERROR_STOP=0 -v VERBOSITY=verbose -c "$4" 2>&1 || true)
	if ! grep -q "ERROR:  $2: " <<<"$out" || ! grep -qF "$3" <<<"$out"; then
		ap_fail "$4: expected $2 and \"$3\", got: $out"
	fi
	echo "$2 $3" >> "$errs"
}
expect_error "$bare" 42P01 "Table public.ipam_prefix does not exist" "SELECT * FROM netbox_prefix_utilization()"
expect_error "$bare" 42P01 "Table public.ipam_aggregate does not exist" "SELECT * FROM netbox_aggregate_utilization()"
expect_error "$bare" 42P01 "Table public.ipam_prefix does not exist" "SELECT * FROM netbox_available_prefixes(1)"
expect_error "$bare" 42P01 "Table public.ipam_aggregate does not exist" "SELECT * FROM netbox_rir_eligibility()"
ap_psql -d "$bare" -c "CREATE TABLE public.ipam_prefix (id bigint, prefix cidr, status varchar(50), is_pool bool, vrf_id bigint, mark_utilized bool)"
expect_error "$bare" 42P01 "Table public.ipam_ipaddress does not exist" "SELECT * FROM netbox_prefix_utilization()"
expect_error "$demo" 22023 "No row of public.ipam_prefix has id 999999" "SELECT * FROM netbox_available_prefixes(999999)"
expect_error "$demo" 22023 "No row of public.ipam_prefix has id -1" "SELECT netbox_first_available_prefix(-1, 24)"
expect_error "$demo" 22023 'The value of "masklen" is 33; a prefix length of IPv4 is between 0 and 32' "SELECT netbox_first_available_prefix(1, 33)"
expect_error "$demo" 22023 'The value of "masklen" is -1' "SELECT netbox_first_available_prefix(1, -1)"
v6=$(ap_val -d "$gen" -c "SELECT id FROM public.ipam_prefix WHERE family(prefix) = 6 ORDER BY id LIMIT 1")
expect_error "$gen" 22023 'The value of "masklen" is 129; a prefix length of IPv6 is between 0 and 128' "SELECT nb.netbox_first_available_prefix($v6, 129)"
# NULL in, NULL (or no row) out: the functions of one prefix are STRICT
nulls=$(ap_val -d "$demo" -c "SELECT netbox_first_available_prefix(NULL, 24) IS NULL, netbox_first_available_prefix(1, NULL) IS NULL, (SELECT count(*) FROM netbox_available_prefixes(NULL))")
[ "$nulls" = "t|t|0" ] || ap_fail "NULL arguments: $nulls"

# 4. the catalogue: functions only, each STABLE, PARALLEL SAFE, not SECURITY
# DEFINER, with search_path set and a comment; nothing but functions
bad=$(ap_val -d "$demo" <<'SQL'
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ': ' ||
       concat_ws(', ',
         CASE WHEN d.classid <> 'pg_proc'::regclass THEN 'not a function' END,
         CASE WHEN p.prosecdef THEN 'SECURITY DEFINER' END,
         CASE WHEN p.provolatile <> 's' THEN 'not STABLE' END,
         CASE WHEN p.proparallel <> 's' THEN 'not PARALLEL SAFE' END,
         CASE WHEN NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
              THEN 'search_path not set' END,
         CASE WHEN obj_description(p.oid, 'pg_proc') IS NULL THEN 'no COMMENT' END)
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy_netbox'
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.deptype = 'e'
  AND (d.classid <> 'pg_proc'::regclass OR p.prosecdef OR p.provolatile <> 's'
       OR p.proparallel <> 's' OR obj_description(p.oid, 'pg_proc') IS NULL
       OR NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false));
SQL
)
if [ -n "$bad" ]; then
	ap_fail "objects of addrpolicy_netbox break the rules: $bad"
fi
nf=$(ap_val -d "$demo" -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy_netbox' WHERE d.deptype = 'e'")
ap_say "errors $(wc -l < "$errs") cases with their SQLSTATE (42P01 names the missing table, 22023 for an unknown id or masklen);" \
	"catalogue: $nf objects, all functions, STABLE, PARALLEL SAFE, search_path set, commented; installed by a non-superuser in schemas ap/nb"
