#!/usr/bin/env bash
# test/rules/check.sh — issue 14: the sizing functions against an
# independent Python model (props.py), and the rule catalogue's dump
# behaviour: pg_dump keeps a row a user added to ipv4_request_rules and not
# the shipped rows (CREATE EXTENSION makes those), so a restore has each row
# once.  AP_QUICK=1: a few hundred cases of each function (else thousands).
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
dst=$(ap_dbname dst)
ap_tmpdir work
ap_extdb "$db"
PGDATABASE=$db python3 "$ap_here/props.py"

# the configuration table: a user's row survives dump and restore, once
ap_psql -d "$db" -c "INSERT INTO ipv4_request_rules
	(registry, rule, section, in_force_from, smallest_block, largest_block, max_total, source)
	VALUES ('EXAMPLE', 'example-1', 'a local rule', '2030-01-01', 24, 23, 1024, 'test/rules')"
pg_dump -d "$db" > "$work/dump.sql"
ap_createdb "$dst"
ap_psql -d "$dst" -f "$work/dump.sql" >/dev/null
count="SELECT count(*) FILTER (WHERE shipped), count(*) FILTER (WHERE NOT shipped), count(DISTINCT (rule, in_force_from)) FROM ipv4_request_rules"
got=$(ap_val -d "$dst" -c "$count")
want=$(ap_val -d "$db" -c "$count")
if [ "$got" != "$want" ] || [ "$(echo "$got" | cut -d'|' -f2)" != 1 ]; then
	ap_fail "after dump and restore the catalogue has (shipped, added, distinct) = $got, before $want"
fi
ap_val -d "$dst" -c "SELECT allowed FROM request_check('example-1', '2030-01-01', 0, 0, 23, NULL)" | grep -qx t \
	|| ap_fail "the restored user rule does not answer"
ap_say "the catalogue restores with each row once ($got shipped|added|distinct), the added rule answers"
