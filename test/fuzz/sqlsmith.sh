#!/usr/bin/env bash
# test/fuzz/sqlsmith.sh — sqlsmith (random SQL from the catalog) against a
# database with the extension and sample data (inet, cidr, cidr[], numeric,
# date columns), bounded in queries and seconds.  Fails when the server
# crashed (an assertion in an assert-enabled build aborts the backend too) or
# when an error has SQLSTATE class XX or 58 not documented in internal_ok.txt.
#
# Focus: sqlsmith reads the functions it may call from an unqualified
# `pg_proc`; the fuzzing role's search_path puts a view of that name first
# that shows the extension's functions and aggregates plus the immutable
# core functions on the same types (so that it composes them), instead of
# all ~3,000 core functions.  The role is not a superuser: sqlsmith calls
# whatever it sees.
#
# Crash detection: a sentinel session sleeps through the run; a backend crash
# makes the postmaster terminate every session, the sentinel included.
#
# Environment: AP_EXT_DESTDIR, AP_SMITH_QUERIES (default 300), AP_SMITH_SECONDS (default 20),
# AP_SEED (default 1).  Part of test/fuzz (check.sh runs it): its databases
# and role are named ap_fuzz_smith*_<pid>.
. "$(dirname "$0")/../lib/harness.sh"
queries=${AP_SMITH_QUERIES:-300}
seconds=${AP_SMITH_SECONDS:-20}
seed=${AP_SEED:-1}
db=$(ap_dbname smith)
logdb=$(ap_dbname smithlog)
role=$(ap_dbname smith_role)
ap_tmpdir work
sentinel_pid=""
stop_sentinel() { [ -z "$sentinel_pid" ] || kill "$sentinel_pid" 2>/dev/null || true; }

command -v sqlsmith >/dev/null \
	|| ap_fail "sqlsmith is not installed (test/fuzz/packages lists it; scripts/run.sh installs it)"

ap_createrole "$role"
ap_createdb "$db"
ap_createdb "$logdb"
ap_defer stop_sentinel
# AP_EXT_DESTDIR: load another build of the extension (check.sh's
# assert-enabled one) in this database, for every role
if [ -n "${AP_EXT_DESTDIR:-}" ]; then
	ap_psql -d postgres -c "ALTER DATABASE $db SET extension_destdir = '$AP_EXT_DESTDIR'"
fi
ap_psql -d "$db" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
-- sample data: both families, /0 /32 /128, host bits, NULLs, big and odd numbers
CREATE TABLE alloc (
  id integer, member text, block cidr, addr inet, used numeric,
  allocated numeric, day date, method text, pool cidr[], fam integer,
  masklen integer, transfer boolean);
INSERT INTO alloc
SELECT g,
       'm' || (g % 7),
       CASE g % 9
         WHEN 0 THEN NULL
         WHEN 1 THEN '0.0.0.0/0'
         WHEN 2 THEN '::/0'
         WHEN 3 THEN ('2001:db8:' || to_hex(g) || '::/48')::cidr
         WHEN 4 THEN '255.255.255.255/32'
         WHEN 5 THEN 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'
         ELSE set_masklen(('10.' || (g % 256) || '.' || (g * 7 % 256) || '.0')::inet, 16 + g % 17)::cidr
       END,
       CASE g % 5
         WHEN 0 THEN NULL
         WHEN 1 THEN ('10.1.2.' || (g % 256) || '/8')::inet
         WHEN 2 THEN ('2001:db8::' || to_hex(g) || '/32')::inet
         ELSE ('192.168.' || (g % 256) || '.1/' || (g % 33))::inet
       END,
       CASE g % 8
         WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN -1 WHEN 3 THEN 'NaN'
         WHEN 4 THEN 340282366920938463463374607431768211456 WHEN 5 THEN 0.5
         ELSE g * 37 END,
       CASE g % 6
         WHEN 0 THEN NULL WHEN 1 THEN 4096 WHEN 2 THEN 'Infinity'
         WHEN 3 THEN 2 ^ 32 ELSE 2 ^ (g % 40) END,
       CASE g % 7
         WHEN 0 THEN NULL WHEN 1 THEN 'infinity' WHEN 2 THEN '-infinity'
         WHEN 3 THEN '4714-11-24 BC' WHEN 4 THEN '5874897-12-31'
         ELSE date '2011-02-03' + g * 17 END,
       (ARRAY['hd', 'table', 'fixed', 'other', NULL])[1 + g % 5],
       CASE g % 6
         WHEN 0 THEN NULL WHEN 1 THEN '{}' WHEN 2 THEN '{NULL}'
         WHEN 3 THEN '{10.0.0.0/8,10.0.0.0/9,2001:db8::/32}'
         WHEN 4 THEN '{{10.0.0.0/8},{11.0.0.0/8}}'
         ELSE ARRAY[('10.' || (g % 256) || '.0.0/16')::cidr, '10.0.0.0/8'] END,
       (ARRAY[4, 6, 0, -1, NULL])[1 + g % 5],
       (ARRAY[0, 24, 32, 33, 128, 129, -1, NULL])[1 + g % 8],
       g % 3 = 0
FROM generate_series(1, 400) g;
CREATE TABLE pools (name text, blocks cidr[]);
INSERT INTO pools VALUES ('v4', '{10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}'),
  ('v6', '{2001:db8::/32,fc00::/7}'), ('mixed', '{10.0.0.0/8,::/0}'),
  ('empty', '{}'), ('null', NULL);
ANALYZE alloc; ANALYZE pools;

CREATE SCHEMA fz;
-- only the columns sqlsmith reads: its queries stay off catalog types
CREATE VIEW fz.pg_proc AS
SELECT p.oid, p.proname, p.pronamespace, p.prorettype, p.proretset,
       p.prokind, p.proargtypes, p.pronargs
FROM pg_catalog.pg_proc p
WHERE p.oid IN (SELECT d.objid FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                WHERE e.extname = 'addrpolicy' AND d.deptype = 'e'
                  AND d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass)
   OR (p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
       AND p.provolatile = 'i' AND p.prokind IN ('f', 'a')
       AND p.proretset = false
       -- core's own inet/cidr functions, and a few numeric, date and
       -- aggregate ones to compose with
       AND (('{inet,cidr,_cidr}'::pg_catalog.regtype[]::pg_catalog.oid[]
             && (p.proargtypes::pg_catalog.oid[] || p.prorettype))
            OR p.proname IN ('round', 'trunc', 'abs', 'power', 'ceil', 'floor',
                             'ln', 'numeric', 'date_trunc', 'make_date',
                             'count', 'sum', 'min', 'max', 'array_agg',
                             'array_length', 'cardinality', 'coalesce', 'lower', 'upper',
                             'isfinite'))
       AND p.prorettype <> 'daterange'::pg_catalog.regtype
       AND p.proargtypes::pg_catalog.oid[] <@ '{inet,cidr,numeric,int4,int8,text,bool,date,_cidr,float8,daterange}'::pg_catalog.regtype[]::pg_catalog.oid[]
       AND p.prorettype = ANY ('{inet,cidr,numeric,int4,int8,text,bool,date,_cidr,float8,daterange}'::pg_catalog.regtype[]));
GRANT USAGE ON SCHEMA fz TO $role;
GRANT SELECT ON fz.pg_proc, alloc, pools TO $role;
ALTER ROLE $role IN DATABASE $db SET search_path = fz, pg_catalog, public;
SQL
n_ext=$(ap_val -d "$db" -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy' WHERE d.deptype = 'e' AND d.classid = 'pg_proc'::regclass")
n_view=$(ap_val -d "$db" -c "SELECT count(*) FROM fz.pg_proc")

# sqlsmith's own error log (--log-to): every error it meets, with SQLSTATE
ap_psql -d "$logdb" <<SQL
CREATE TABLE instance (id bigserial PRIMARY KEY, rev text, target text,
  hostname text, version text, seed text, t timestamptz DEFAULT now());
CREATE TABLE error (id bigint, msg text, query text, sqlstate text,
  t timestamptz DEFAULT now());
CREATE TABLE stat (id bigint, generated text, level text, nodes text,
  updated timestamptz, retries text, impedance text);
GRANT ALL ON ALL TABLES IN SCHEMA public TO $role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO $role;
SQL

# the sentinel
ap_psql -d postgres \
	-c "SET application_name = 'ap_sentinel_$$'" \
	-c "SELECT pg_sleep($seconds + 600)" >"$work/sentinel.out" 2>&1 &
sentinel_pid=$!
# wait until it is seen running (up to 60 s on a loaded machine), or fail:
# without it a crash restart could go unnoticed
seen=
for _ in $(seq 600); do
	n=$(ap_val -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ap_sentinel_$$' AND state = 'active'")
	[ "$n" = 1 ] && { seen=1; break; }
	sleep 0.1
done
[ -n "$seen" ] || ap_fail "sqlsmith's sentinel session was not seen active within 60 s"

conn() { echo "host=${PGHOST:-localhost} port=${PGPORT:-5432} user=$role password=pw dbname=$1"; }
start=$(date +%s)
set +e
timeout --kill-after=10 "$seconds" sqlsmith --target="$(conn "$db")" --log-to="$(conn "$logdb")" \
	--seed="$seed" --max-queries="$queries" --exclude-catalog --verbose --dump-all-queries \
	>"$work/queries.sql" 2>"$work/sqlsmith.err"
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))

# is the sentinel still there?  cancel it and read how it ended
ap_val -d postgres -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ap_sentinel_$$'" >/dev/null 2>&1 || true
wait "$sentinel_pid" 2>/dev/null || true
sentinel_pid=""
fail=0
if ! grep -q 'canceling statement due to user request' "$work/sentinel.out"; then
	echo "FAIL: the server crashed during the sqlsmith run (the sentinel session ended with:)"
	sed 's/^/    /' "$work/sentinel.out"
	fail=1
fi
# rc 124: the time bound stopped it, which is fine
if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
	if grep -q -i -E 'broken|connection' "$work/sqlsmith.err"; then
		echo "FAIL: sqlsmith lost its connection (rc $rc):"
		grep -i -E 'broken|connection' "$work/sqlsmith.err" | head -5 | sed 's/^/    /'
		fail=1
	else
		echo "note: sqlsmith ended with rc $rc:"; tail -n 3 "$work/sqlsmith.err" | sed 's/^/    /'
	fi
fi

# errors by SQLSTATE; internal ones fail unless documented
ap_val -F $'\t' -d "$logdb" -c "SELECT sqlstate, msg, query FROM error WHERE sqlstate ~ '^(XX|58)'" >"$work/internal.tsv"
bad=0
while IFS=$'\t' read -r state msg query; do
	[ -n "$state" ] || continue
	if python3 - "$ap_here/internal_ok.txt" "$msg" <<'PY'
import re, sys
path, msg = sys.argv[1], sys.argv[2]
for line in open(path):
    if line.strip() and not line.startswith("#"):
        parts = line.rstrip("\n").split("\t")
        if re.search(parts[1], msg):
            sys.exit(0)
sys.exit(1)
PY
	then continue; fi
	echo "FAIL: $state (internal error) from a sqlsmith query: $msg"
	echo "    ${query:0:1500}"
	bad=$((bad + 1))
done <"$work/internal.tsv"
[ $bad -eq 0 ] || fail=1

n_queries=$(grep -c ';$' "$work/queries.sql" || true)
# sqlsmith failing to start (or dying early: it aborts on a catalog it cannot
# model) must not pass as a clean run: fewer than a tenth of the bound, not
# stopped by the time bound, fails
if [ "$n_queries" -lt $(( (queries + 9) / 10 )) ] && [ $rc -ne 124 ]; then
	echo "FAIL: sqlsmith ran only $n_queries of $queries queries (rc $rc):"
	tail -n 3 "$work/sqlsmith.err" | sed 's/^/    /'
	fail=1
fi
names=$(ap_val -d "$db" -c "SELECT string_agg(DISTINCT p.proname, '|') FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'")
n_using=$(grep -c -E "[.]($names)[(]" "$work/queries.sql" || true)
echo "sqlsmith: seed $seed, $n_queries queries in ${elapsed}s (bound $queries queries, ${seconds}s); functions offered: $n_view ($n_ext of the extension)"
echo "  query lines calling an extension function: $n_using"
echo "  errors by SQLSTATE (top 8):"
ap_val -F ' ' -d "$logdb" -c "SELECT '    ' || coalesce(sqlstate, '?'), count(*), left(split_part(min(msg), E'\\n', 1), 90) FROM error GROUP BY sqlstate ORDER BY 2 DESC LIMIT 8"
if [ $fail -ne 0 ]; then
	echo "sqlsmith: FAILED (queries kept in the output above; seed $seed reproduces the run)"
	cp "$work/queries.sql" "/tmp/ap_sqlsmith_queries.$$.sql" 2>/dev/null && echo "  all queries: /tmp/ap_sqlsmith_queries.$$.sql"
	exit 1
fi
echo "sqlsmith: no crash, no internal error"
