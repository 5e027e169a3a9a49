#!/usr/bin/env bash
# scripts/dev-check.sh [SUITE ...] — a developer's quick loop that needs no
# root and never touches the installed extension: builds, installs into
# ./.destdir, and runs the named pg_regress suites (all when none are named)
# and then every test/*/check.sh (or only those in $AP_CHECKS, e.g.
# AP_CHECKS="sets alloc") in a throw-away cluster whose extension_destdir (a
# Debian PostgreSQL setting) points at ./.destdir.  Several worktrees can run
# it at once.
# It installs nothing but what the build lacks (scripts/deps.sh: the server
# headers are tested by postgres.h, not pgxs.mk).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ap_find_server
ap_install_deps build
dest=$PWD/.destdir
ap_build
rm -rf "$dest"
make -s PG_CONFIG="$PG_CONFIG" DESTDIR="$dest" install >/dev/null
suites="$*"
export PG_CONFIG AP_DEV=1
exec pg_virtualenv -t -v "$major" -o "extension_destdir=$dest" bash -c '
	rc=0
	if [ -n "'"$suites"'" ]; then
		make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="'"$suites"'" || rc=1
	elif [ -z "${AP_CHECKS:-}" ]; then
		make -s PG_CONFIG="$PG_CONFIG" installcheck || rc=1
	fi
	[ $rc -eq 0 ] || { [ -f regression.diffs ] && head -n 200 regression.diffs; }
	for c in ${AP_CHECKS:-}; do
		echo "==> test/$c/check.sh"
		AP_QUICK=1 bash test/$c/check.sh || { echo "FAILED: test/$c/check.sh"; rc=1; }
	done
	exit $rc'
