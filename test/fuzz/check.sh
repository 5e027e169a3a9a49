#!/usr/bin/env bash
# test/fuzz/check.sh — fuzzing the extension: our own targeted fuzzer
# (fuzz.py: every function and aggregate, found in the catalog, called with
# edge values) and sqlsmith (random SQL over sample data), both against an
# assert-enabled build of the extension, so that a failed Assert() aborts the
# backend and is caught as a crash.
#
# AP_QUICK=1 (make test): a bounded run, well under 30 s.  Otherwise (make
# fuzz): ~20x the cases, 20,000 sqlsmith queries, 10 minutes each at most.
# AP_SEED=N repeats a run (the long mode takes a new seed each time and
# prints it).  AP_FUZZ_ASSERT=0 fuzzes the installed build instead.
# AP_FUZZ_SELFTEST=0 skips the negative control (an injected crash, XX000
# error and malformed cidr that the fuzzer must catch).
# Creates and drops its databases.
. "$(dirname "$0")/../lib/harness.sh"
: "${PG_CONFIG:=pg_config}"
if ap_quick; then
	seed=${AP_SEED:-1}
	scale=0.25 budget=8 timeout_ms=5000
	smith_queries=${AP_SMITH_QUERIES:-600} smith_seconds=${AP_SMITH_SECONDS:-8}
else
	seed=${AP_SEED:-$(( $(date +%s) % 100000 ))}
	scale=${AP_FUZZ_SCALE:-6} budget=${AP_FUZZ_SECONDS:-600} timeout_ms=30000
	smith_queries=${AP_SMITH_QUERIES:-20000} smith_seconds=${AP_SMITH_SECONDS:-600}
fi
db=$(ap_dbname)
ap_tmpdir work

# an assert-enabled build of the extension (test/assert/build.sh, shared with
# test/assert: every object compiled afresh, -Werror, each object with an
# Assert() checked to reference ExceptionalCondition), loaded through
# extension_destdir (a Debian PostgreSQL setting) in the fuzzing databases only
dest=""
if [ "${AP_FUZZ_ASSERT:-1}" = 1 ]; then
	bash test/assert/build.sh "$work/build" with_llvm=no || ap_fail "the assert-enabled build failed"
	dest=$work/build/dest
	chmod a+rx "$work"
fi
ap_createdb "$db"
if [ -n "$dest" ]; then
	ap_psql -d "$db" -c "ALTER DATABASE $db SET extension_destdir = '$dest'"
	ap_say "against an assert-enabled build of the extension"
fi

rc=0
if [ "${AP_FUZZ_SELFTEST:-1}" = 1 ]; then
	sdb=$(ap_dbname self)
	ap_createdb "$sdb"
	[ -n "$dest" ] && ap_psql -d "$sdb" -c "ALTER DATABASE $sdb SET extension_destdir = '$dest'"
	PGDATABASE=$sdb python3 "$ap_here/fuzz.py" --seed "$seed" --scale 0.05 --self-test \
		| grep -v '^  CRASH in case' || rc=1
	ap_drop database "$sdb"
fi
PGDATABASE=$db python3 "$ap_here/fuzz.py" --seed "$seed" --scale "$scale" \
	--budget "$budget" --timeout-ms "$timeout_ms" || rc=1
AP_EXT_DESTDIR=$dest AP_SEED=$seed AP_SMITH_QUERIES=$smith_queries AP_SMITH_SECONDS=$smith_seconds \
	bash "$ap_here/sqlsmith.sh" || rc=1
if [ $rc -ne 0 ]; then
	echo "fuzz: FAILED (seed $seed)"
	exit 1
fi
ap_say "seed $seed: no crash, no internal error, in our fuzzer and in sqlsmith"
