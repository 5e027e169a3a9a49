#!/usr/bin/env bash
# test/valgrind/run.sh — the pg_regress suites against a server running
# under Valgrind memcheck (`make valgrind`; slow: many minutes).
#
# A private cluster is created in a temporary directory and its postmaster
# started through a wrapper that execs valgrind (--trace-children=yes, our
# own suppressions in addrpolicy.supp, one XML report per process).  Every
# backend and parallel worker is a fork of the postmaster, so all of them run
# under memcheck.  Then the suites run (all of sql/, or the names given as
# arguments), the server stops, and the reports are read: the run fails if
# any valgrind error has a stack frame in addrpolicy.so.  Errors with no
# frame of ours (core noise not yet suppressed) are counted and listed, not
# failed.
#
# What memcheck can see here: Debian's PostgreSQL is not built with
# USE_VALGRIND, so memory handed out by palloc is not marked per chunk;
# memcheck still reports the use of uninitialised values (in our C code or in
# core functions our results flow into, such as an output function or a
# serialized aggregate state written to a worker's queue), reads and writes
# outside malloc'd blocks, and invalid frees.
#
# Runs as root (the server as the postgres user) or as an ordinary user.
# Inside pg_virtualenv (make valgrind) the extension is the installed one;
# AP_EXT_DESTDIR (or the enclosing cluster's extension_destdir) points the
# private cluster at another build, as scripts/dev-check.sh does.
. "$(dirname "$0")/../lib/harness.sh"
: "${PG_CONFIG:=pg_config}"
bindir=$("$PG_CONFIG" --bindir)
command -v valgrind >/dev/null || ap_fail "valgrind is not installed (test/valgrind/packages)"

python3 test/valgrind/scan.py --self-test >/dev/null \
	|| { python3 test/valgrind/scan.py --self-test; exit 1; }
work=$(mktemp -d /tmp/ap_valgrind.XXXXXX)
port=$(( 20000 + $$ % 20000 ))
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() { as_pg "$bindir/pg_ctl" -D "$work/data" -m fast -t 600 stop >/dev/null 2>&1 || true; }
cleanup() { stop; [ -n "${AP_VALGRIND_KEEP:-}" ] || rm -rf "$work"; }
ap_defer cleanup
mkdir -p "$work/vg"
cp test/valgrind/addrpolicy.supp "$work/"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$work"

# the extension build to load: AP_EXT_DESTDIR, else the enclosing cluster's
dest=${AP_EXT_DESTDIR:-}
if [ -z "$dest" ] && [ -n "${PGHOST:-}" ]; then
	dest=$(ap_val -d postgres -c "SHOW extension_destdir" 2>/dev/null || true)
fi

cat >"$work/postgres-vg" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --trace-children=yes --error-limit=no \\
	--num-callers=40 --track-origins=yes --leak-check=no \\
	--suppressions=$work/addrpolicy.supp --gen-suppressions=all \\
	--log-file=$work/vg/%p.log \\
	$bindir/postgres "\$@"
EOF
chmod a+rx "$work/postgres-vg"

echo "valgrind: initdb in $work"
as_pg "$bindir/initdb" -D "$work/data" -U postgres -A trust --no-sync >"$work/initdb.log" 2>&1 \
	|| { cat "$work/initdb.log"; exit 1; }
opts="-p $port -k $work -c listen_addresses='' -c fsync=off -c autovacuum=off"
opts="$opts -c max_connections=20 -c shared_buffers=32MB -c log_min_messages=warning"
[ -n "$dest" ] && opts="$opts -c extension_destdir=$dest"
echo "valgrind: starting the postmaster under memcheck (port $port)"
as_pg "$bindir/pg_ctl" -D "$work/data" -p "$work/postgres-vg" -l "$work/server.log" \
	-o "$opts" -w -t 600 start >/dev/null \
	|| { tail -n 50 "$work/server.log"; exit 1; }

suites=${*:-$(ls sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | sort | tr '\n' ' ')}
echo "valgrind: running $suites"
start=$(date +%s)
rc=0
env -u PGPASSWORD -u PGSERVICE -u PGOPTIONS PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres \
	make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="$suites" \
	REGRESS_OPTS="--inputdir=. --dbname=ap_valgrind" >"$work/regress.log" 2>&1 || rc=$?
grep -E '^(test|ok|not ok| *[0-9]+ of|=)' "$work/regress.log" | sed 's/^/  /' || true
[ $rc -eq 0 ] || { echo "FAIL: the suites fail under valgrind"; [ -f regression.diffs ] && head -n 60 regression.diffs; }
stop
echo "valgrind: suites took $(( $(date +%s) - start )) s; reading $(ls "$work/vg"/*.log 2>/dev/null | wc -l) process logs"

libdir=$("$PG_CONFIG" --pkglibdir)
so=$dest$libdir/addrpolicy.so
[ -f "$so" ] || so=$libdir/addrpolicy.so
python3 test/valgrind/scan.py "$work/vg" "$so" src/*.c || rc=1
if [ $rc -ne 0 ]; then
	echo "valgrind: FAILED (AP_VALGRIND_KEEP=1 keeps $work for the full reports)"
	exit 1
fi
echo "valgrind: the suites pass under memcheck with no error from addrpolicy.so"
