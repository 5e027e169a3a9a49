#!/usr/bin/env bash
# scripts/in-cluster.sh MODE — runs inside pg_virtualenv (PGHOST, PGPORT,
# PGUSER, PGPASSWORD point at the throw-away cluster).
#
# test, test-long, dev: the checks, counted.  Each pg_regress suite is one
# check (pg_regress's own report, suite by suite), each test/*/check.sh
# another; the count is the line `checks: N passed, N failed`, printed last
# or, when AP_SUMMARY names a file, written there.
#
# scripts/in-cluster.sh around MODE [pg_virtualenv options] — what
# scripts/run.sh and scripts/dev-check.sh run: pg_virtualenv -t with those
# options around this script in MODE, then the count, so that it is the last
# line of the output, after pg_virtualenv's "Dropping cluster"; the exit
# status is the run's (no count, as when the cluster did not start:
# `checks: 0 passed, 1 failed`).
#   test       every suite, then every harness with AP_QUICK=1
#   test-long  the same at full size (AP_QUICK unset)
#   dev        scripts/dev-check.sh's selection, AP_QUICK=1: the suites in
#              AP_SUITES (all when it is empty and AP_CHECKS is too), then
#              the harnesses in AP_CHECKS
set -uo pipefail
mode=${1:-test}
cd "$(dirname "$0")/.."

if [ "$mode" = around ]; then
	mode=$2
	shift 2
	summary=$(mktemp)
	trap 'rm -f "$summary"' EXIT
	rc=0
	AP_SUMMARY=$summary pg_virtualenv -t "$@" bash scripts/in-cluster.sh "$mode" || rc=$?
	if [ -s "$summary" ]; then
		cat "$summary"
	else
		echo "checks: 0 passed, 1 failed"
		[ "$rc" -ne 0 ] || rc=1
	fi
	exit "$rc"
fi

passed=0
failed=0

# regress [SUITE ...]: make installcheck (every suite when none is named)
regress() {
	local log ok bad rc=0
	log=$(mktemp)
	echo "==> pg_regress suites"
	make -s PG_CONFIG="$PG_CONFIG" installcheck ${1:+REGRESS="$*"} 2>&1 | tee "$log" || rc=$?
	# PostgreSQL 15: "test NAME ... ok"; 16 and later: "ok N - NAME"
	ok=$(grep -cE '^(test +[^ ]+ +\.\.\. ok|ok [0-9]+ )' "$log")
	bad=$(grep -cE '^(test +[^ ]+ +\.\.\. FAILED|not ok [0-9]+ )' "$log")
	rm -f "$log"
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1	# pg_regress itself failed (no suite reported)
	elif [ "$rc" -eq 0 ] && [ "$ok" -eq 0 ]; then
		ok=1	# a report this script cannot read: one check
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] && [ -f regression.diffs ]; then
		head -n 300 regression.diffs
	fi
}

# harness NAME QUICK: test/NAME/check.sh with AP_QUICK=QUICK
harness() {
	local check=test/$1/check.sh
	echo "==> $1"
	if [ ! -f "$check" ]; then
		echo "FAILED: $check: no such harness"
		failed=$((failed + 1))
	elif AP_QUICK=$2 bash "$check"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $check"
		failed=$((failed + 1))
	fi
}

summary() {
	local line="checks: $passed passed, $failed failed"
	if [ -n "${AP_SUMMARY:-}" ]; then
		echo "$line" >"$AP_SUMMARY"
	else
		echo "$line"
	fi
	[ "$failed" -eq 0 ]
}

case "$mode" in
test | test-long)
	# make test: every harness in its quick form; make test-long: full size
	quick=1
	[ "$mode" = test-long ] && quick=
	regress
	for check in test/*/check.sh; do
		[ -f "$check" ] || continue
		harness "$(basename "$(dirname "$check")")" "$quick"
	done
	summary
	;;
dev)
	if [ -n "${AP_SUITES:-}" ] || [ -z "${AP_CHECKS:-}" ]; then
		# shellcheck disable=SC2086
		regress ${AP_SUITES:-}
	fi
	for name in ${AP_CHECKS:-}; do
		harness "$name" 1
	done
	summary
	;;
demo)
	exec bash examples/demo.sh
	;;
bench)
	exec bash test/bench/run.sh
	;;
fuzz)
	# the long run: AP_QUICK unset
	exec env -u AP_QUICK bash test/fuzz/check.sh
	;;
valgrind)
	exec bash test/valgrind/run.sh
	;;
plots)
	exec bash doc/plots/plots.sh
	;;
*)
	echo "unknown mode $mode" >&2
	exit 2
	;;
esac
