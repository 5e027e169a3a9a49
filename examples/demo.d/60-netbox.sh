#!/usr/bin/env bash
# NetBox: NetBox's own demo database (examples/netbox/data, NetBox v4.2,
# MIT) loaded into a database of its own, addrpolicy_netbox installed in it,
# and NetBox's questions answered from its tables in one query each
# (doc/netbox.md): the ten fullest prefixes, the aggregates, the first free
# /24 of a container, and whether each RIR's holder may ask for more.  The
# role netbox the dump's objects belong to is created if missing and dropped
# afterwards only if this part created it.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=${AP_DEMO_DB}_netbox
psql() { LC_ALL=C.UTF-8 command psql -X -q -v ON_ERROR_STOP=1 -P numericlocale=on -P footer=off -d "$db" "$@"; }
created_role=
if [ "$(command psql -X -A -t -d "$AP_DEMO_DB" -c "SELECT count(*) FROM pg_roles WHERE rolname = 'netbox'")" = 0 ]; then
	command psql -X -q -d "$AP_DEMO_DB" -c "CREATE ROLE netbox"
	created_role=1
fi
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1 || true
	if [ -n "$created_role" ]; then
		command psql -X -q -d "$AP_DEMO_DB" -c "DROP ROLE IF EXISTS netbox" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
dropdb --if-exists "$db" >/dev/null 2>&1 || true
createdb "$db"

echo "== NetBox: its own demo database, and NetBox's questions answered from its tables in SQL =="
echo "\$ gzip -dc examples/netbox/data/netbox-demo-v4.2.sql.gz | psql -q -d $db"
start=$(date +%s%N)
gzip -dc examples/netbox/data/netbox-demo-v4.2.sql.gz | command psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "\$ psql -d $db -c 'CREATE EXTENSION addrpolicy_netbox CASCADE'"
command psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION addrpolicy_netbox CASCADE"
psql <<SQL
SELECT format('(loaded in %s.%s s: %s prefixes, %s IP addresses, %s IP ranges, %s aggregates of %s RIRs; NetBox %s)',
			  $ms / 1000, $ms % 1000 / 100,
			  (SELECT count(*) FROM public.ipam_prefix), (SELECT count(*) FROM public.ipam_ipaddress),
			  (SELECT count(*) FROM public.ipam_iprange), (SELECT count(*) FROM public.ipam_aggregate),
			  (SELECT count(DISTINCT rir_id) FROM public.ipam_aggregate), 'v4.2')
\g (format=unaligned tuples_only=on)
SQL

psql <<'SQL'
SET search_path = public;
-- counts inside a sentence, with thousands separators
CREATE FUNCTION pg_temp.grouped(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN coalesce((SELECT string_agg(CASE WHEN r.m[1] ~ '^[0-9]{4,}$'
					THEN to_char(r.m[1]::numeric, 'FM999,999,999,999,999,999,999,999,999,999,999,999,999')
					ELSE r.m[1] END, '' ORDER BY r.n)
				 FROM regexp_matches(t, '([0-9]+(?:[.][0-9]+)*|[^0-9]+)', 'g') WITH ORDINALITY AS r(m, n)), '');

\echo
\echo '== The ten fullest prefixes: NetBox''s utilization of every prefix in one query =='
\echo 'SELECT * FROM netbox_prefix_utilization() ORDER BY utilization DESC, id LIMIT 10;'
\echo '(a container counts the prefixes inside it, any other prefix its IP addresses and its ranges'
\echo 'marked utilized; an IPv4 prefix that is not a pool has 2 addresses fewer to use)'
SELECT u.id, u.prefix, coalesce(v.name, 'global') AS vrf, p.status, u.used, u.size,
	   round(u.utilization::numeric, 1) AS "utilization %"
FROM netbox_prefix_utilization() u
JOIN public.ipam_prefix p ON p.id = u.id
LEFT JOIN public.ipam_vrf v ON v.id = u.vrf_id
ORDER BY u.utilization DESC, u.id
LIMIT 10;

\echo '== The aggregates: the prefixes inside each, in any VRF =='
SELECT id, prefix, rir, used, size, round(utilization::numeric, 2) AS "utilization %"
FROM netbox_aggregate_utilization();

\echo '== A container''s free space, and the first free /24 NetBox would allocate from it =='
SELECT p.id, p.prefix AS container, coalesce(v.name, 'global') AS vrf,
	   (SELECT count(*) FROM public.ipam_prefix c
		WHERE c.prefix << p.prefix AND c.vrf_id IS NOT DISTINCT FROM p.vrf_id) AS "prefixes inside",
	   (SELECT string_agg(a::text, ', ') FROM netbox_available_prefixes(p.id) a) AS "available prefixes",
	   netbox_first_available_prefix(p.id, 24) AS "first free /24"
FROM public.ipam_prefix p LEFT JOIN public.ipam_vrf v ON v.id = p.vrf_id
WHERE p.id IN (75, 1)
ORDER BY p.id DESC;

\echo '== May each RIR''s holder go back for more?  The aggregates as allocations, the active prefixes'
\echo 'inside them as used, judged by the 2005 HD-ratio policy per RIR, tenant and family =='
SELECT rir, coalesce(tenant_id::text, 'none') AS tenant, family, allocations,
	   total_allocated, total_used, recent_block, eligible
FROM netbox_rir_eligibility();
SELECT format('%s: %s', rir, pg_temp.grouped(reason))
FROM netbox_rir_eligibility() WHERE NOT eligible
\g (format=unaligned tuples_only=on)
SQL
echo
echo "The demo's aggregates carry no date_added (every one counts as the oldest allocation, the"
echo "larger block then wins as the most recent) and RFC 1918 space is no RIR's: the verdicts show the"
echo "rule at work, not a real request.  doc/netbox.md: every function, NetBox's rules and versions."
echo
