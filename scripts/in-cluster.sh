#!/usr/bin/env bash
# scripts/in-cluster.sh MODE — runs inside pg_virtualenv (PGHOST, PGPORT,
# PGUSER, PGPASSWORD point at the throw-away cluster).
set -uo pipefail
mode=${1:-test}
cd "$(dirname "$0")/.."

case "$mode" in
test | test-long)
	# make test: every harness in its quick form; make test-long: full size
	quick=1
	[ "$mode" = test-long ] && quick=
	passed=0; failed=0
	echo "==> pg_regress suites"
	if make -s PG_CONFIG="$PG_CONFIG" installcheck; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		[ -f regression.diffs ] && head -n 300 regression.diffs
	fi
	# every other harness: test/*/check.sh, each in its own database
	for check in test/*/check.sh; do
		[ -f "$check" ] || continue
		name=$(basename "$(dirname "$check")")
		echo "==> $name"
		if AP_QUICK=$quick bash "$check"; then
			passed=$((passed + 1))
		else
			echo "FAILED: $check"
			failed=$((failed + 1))
		fi
	done
	echo "checks: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
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
