#!/usr/bin/env bash
# test/rules/check.sh — issue 14: the sizing functions against an
# independent Python model (props.py), and the rule catalogue's dump
# behaviour: pg_dump keeps a row a user added to ipv4_request_rules and not
# the shipped rows (CREATE EXTENSION makes those), so a restore has each row
# once.  Runs inside the throw-away cluster (PGHOST etc. set); creates and
# drops its own databases.
set -euo pipefail
cd "$(dirname "$0")"
db=ap_rules_$$
dst=ap_rules_dst_$$
dump=$(mktemp)
trap 'dropdb --if-exists --force "$db" >/dev/null 2>&1 || true; dropdb --if-exists --force "$dst" >/dev/null 2>&1 || true; rm -f "$dump"' EXIT
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION addrpolicy"
python3 props.py "$db"

# the configuration table: a user's row survives dump and restore, once
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "INSERT INTO ipv4_request_rules
	(registry, rule, section, in_force_from, smallest_block, largest_block, max_total, source)
	VALUES ('EXAMPLE', 'example-1', 'a local rule', '2030-01-01', 24, 23, 1024, 'test/rules')"
pg_dump -d "$db" > "$dump"
createdb "$dst"
psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$dump" >/dev/null
got=$(psql -X -A -t -d "$dst" -c "SELECT count(*) FILTER (WHERE shipped), count(*) FILTER (WHERE NOT shipped), count(DISTINCT (rule, in_force_from)) FROM ipv4_request_rules")
want=$(psql -X -A -t -d "$db" -c "SELECT count(*) FILTER (WHERE shipped), count(*) FILTER (WHERE NOT shipped), count(DISTINCT (rule, in_force_from)) FROM ipv4_request_rules")
if [ "$got" != "$want" ] || [ "$(echo "$got" | cut -d'|' -f2)" != 1 ]; then
	echo "FAIL: after dump and restore the catalogue has (shipped, added, distinct) = $got, before $want"
	exit 1
fi
psql -X -A -t -v ON_ERROR_STOP=1 -d "$dst" -c "SELECT allowed FROM request_check('example-1', '2030-01-01', 0, 0, 23, NULL)" | grep -qx t \
	|| { echo "FAIL: the restored user rule does not answer"; exit 1; }
echo "rules: the catalogue restores with each row once ($got shipped|added|distinct), the added rule answers"
