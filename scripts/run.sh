#!/usr/bin/env bash
# scripts/run.sh MODE — what `make test`, `make test-long`, `make demo`,
# `make bench`, `make fuzz`, `make valgrind` and `make plots` run.
#
# 1. Installs what is missing (scripts/deps.sh: the server headers for the
#    installed server's major version, a C compiler, python3, and the extra
#    Debian packages of the harnesses MODE runs), with apt-get, as root or
#    through sudo.
# 2. Builds every object as the calling user (a compiler warning in any file
#    is a failure), then installs as root: `make install` only copies, so no
#    root-owned file is left in the checkout.
# 3. Starts a throw-away cluster with `pg_virtualenv -t` (a temporary
#    directory even as root, so the user's own clusters are never touched and
#    an interrupted run leaves nothing behind) and runs MODE inside it:
#    scripts/in-cluster.sh.  For test and test-long the last line of the
#    output is the count of checks, `checks: N passed, N failed`, printed
#    after pg_virtualenv has dropped the cluster (scripts/in-cluster.sh
#    around).
set -euo pipefail
mode=${1:-test}
cd "$(dirname "$0")/.."
. scripts/deps.sh

ap_find_server
ap_install_deps "$mode"

say "building against PostgreSQL $major"
ap_build
say "installing into PostgreSQL $major"
as_root make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

export PG_CONFIG AP_MAJOR=$major
say "starting a throw-away cluster (pg_virtualenv -t)"
case "$mode" in
test | test-long) exec bash scripts/in-cluster.sh around "$mode" -v "$major" ;;
*) exec pg_virtualenv -t -v "$major" bash scripts/in-cluster.sh "$mode" ;;
esac
