#!/usr/bin/env bash
# scripts/dev-check.sh [SUITE ...] — a developer's quick loop that needs no
# root and never touches the installed extension: builds, installs into
# ./.destdir, and in a throw-away cluster whose extension_destdir (a Debian
# PostgreSQL setting) points at ./.destdir runs the named pg_regress suites
# (all of them when neither suites nor AP_CHECKS are given), then the
# harnesses named in $AP_CHECKS (AP_CHECKS="sets freespace": test/sets and
# test/freespace, with AP_QUICK=1).  A failing harness prints
# "FAILED: test/NAME/check.sh"; the last line is `checks: N passed, N failed`
# (scripts/in-cluster.sh dev).  Several worktrees can run it at once.
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
export PG_CONFIG AP_DEV=1 AP_SUITES="$*" AP_CHECKS="${AP_CHECKS:-}"
exec bash scripts/in-cluster.sh around dev -v "$major" -o "extension_destdir=$dest"
