#!/usr/bin/env bash
# test/freespace/check.sh — free space and unit counts beyond pg_regress: the
# Python check of expected/freespace.out (every value recomputed with
# ipaddress), then the property test (thousands of random pools, used sets
# and unit sets against brute force).  Runs inside a throw-away cluster
# (PGHOST etc. set); AP_QUICK=1 for the quick size.
set -euo pipefail
cd "$(dirname "$0")"
python3 verify_expected.py
db=ap_freespace_$$
createdb "$db"
trap 'dropdb --if-exists --force "$db"' EXIT
psql -X -q -d "$db" -c 'CREATE EXTENSION addrpolicy'
python3 props.py "$db"
