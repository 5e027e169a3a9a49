#!/usr/bin/env bash
# test/utilization/check.sh — property test of the utilization aggregate:
# thousands of random members checked against figures computed in Python
# and against utilization_check over totals computed in SQL (see
# property.py).  Runs inside the throw-away cluster (PGHOST etc. set);
# AP_QUICK=1 keeps it small, AP_SEED=N picks another random history.
set -euo pipefail
cd "$(dirname "$0")"
db=ap_utilization_$$
trap 'dropdb --if-exists --force "$db" >/dev/null 2>&1 || true' EXIT
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION addrpolicy"
python3 property.py "$db"
