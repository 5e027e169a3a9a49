# shellcheck shell=bash
# test/lib/harness.sh — the shell half of the harness library, sourced by
# every test/<name>/check.sh (and the scripts they run) first thing:
#
#     . "$(dirname "$0")/../lib/harness.sh"
#
# The convention it implements is in test/lib/README.md.  Sourcing it sets
# `set -euo pipefail`, changes to the top of the tree, installs the one EXIT
# trap (INT and TERM exit through it too), and defines:
#
#   ap_name            the harness: the name of its directory (test/<name>)
#   ap_here, ap_root   the harness's directory, the top of the tree
#   ap_quick           true when AP_QUICK=1 (make test, dev-check), false
#                      otherwise (make test-long): `if ap_quick; then ...`
#   ap_psql ARGS       psql -X -q -v ON_ERROR_STOP=1 ARGS
#   ap_val ARGS        ap_psql -A -t ARGS: values, unaligned, no headers
#   ap_dbname [TAG]    prints ap_<name>[_TAG]_<pid>: the name of each database
#                      (and role) a harness makes in the surrounding cluster
#   ap_createdb DB [createdb options]   creates DB, dropped (--force) at exit
#   ap_extdb DB        ap_createdb DB, then CREATE EXTENSION addrpolicy in it
#   ap_createrole ROLE   a LOGIN role with password pw and no privileges,
#                      dropped at exit
#   ap_drop database|role NAME   drops it now (a database --force), if it
#                      exists; for a database made by another program:
#                      `ap_defer ap_drop database NAME`
#   ap_tmpdir VAR      a new temporary directory in VAR, removed at exit
#   ap_defer CMD [ARG ...]   runs CMD at exit: the last deferred runs first;
#                      a failing clean-up is reported, never changes the
#                      exit status
#   ap_say MSG         prints "<name>: MSG"
#   ap_fail MSG        prints "FAIL (<name>): MSG" on stderr, exits 1
#   ap_expect WHAT WANT GOT   one check that does not stop the harness:
#                      prints "  ok: WHAT" or "  FAIL: WHAT: expected WANT,
#                      got GOT" and counts it
#   ap_failed          true when an ap_expect has failed
#   ap_finish MSG      the last line: "<name>: FAILED (N of M checks)" and
#                      exit 1 when an ap_expect failed, else "<name>: MSG"
#                      and exit 0
set -euo pipefail
ap_here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
ap_name=$(basename "$ap_here")
ap_root=$(cd "$ap_here/../.." && pwd)
cd "$ap_root"

ap_quick() { [ "${AP_QUICK:-}" = 1 ]; }

ap_psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
ap_val() { ap_psql -A -t "$@"; }

ap_dbname() { echo "ap_${ap_name}${1:+_$1}_$$"; }

ap__deferred=()
ap_defer() { ap__deferred+=("$(printf '%q ' "$@")"); }
ap__exit() {
	local rc=$? i
	trap - EXIT INT TERM
	set +e
	for ((i = ${#ap__deferred[@]} - 1; i >= 0; i--)); do
		eval "${ap__deferred[i]}"
	done
	exit "$rc"
}
trap ap__exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ap_drop() {
	local out
	if [ "$1" = database ]; then
		out=$(dropdb --if-exists --force "$2" 2>&1)
	else
		out=$(command psql -X -q -d postgres -c "DROP ROLE IF EXISTS $2" 2>&1)
	fi || echo "$ap_name: warning: could not drop $1 $2: $out" >&2
}
ap_createdb() {
	ap_defer ap_drop database "$1"
	createdb "${@:2}" "$1"
}
ap_extdb() {
	ap_createdb "$1"
	ap_psql -d "$1" -c 'CREATE EXTENSION addrpolicy'
}
ap_createrole() {
	ap_defer ap_drop role "$1"
	ap_psql -d postgres -c "CREATE ROLE $1 LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE"
}
ap_tmpdir() {
	local d
	d=$(mktemp -d)
	ap_defer rm -rf "$d"
	printf -v "$1" '%s' "$d"
}

ap_say() { printf '%s: %s\n' "$ap_name" "$*"; }
ap_fail() { printf 'FAIL (%s): %s\n' "$ap_name" "$*" >&2; exit 1; }

ap__checks=0
ap__failed=0
ap_expect() { # ap_expect WHAT WANT GOT
	ap__checks=$((ap__checks + 1))
	if [ "$2" = "$3" ]; then
		echo "  ok: $1"
	else
		echo "  FAIL: $1: expected $2, got $3"
		ap__failed=$((ap__failed + 1))
	fi
}
ap_failed() { [ "$ap__failed" -ne 0 ]; }
ap_finish() {
	if [ "$ap__failed" -ne 0 ]; then
		echo "$ap_name: FAILED ($ap__failed of $ap__checks checks)"
		exit 1
	fi
	ap_say "$*"
	exit 0
}
