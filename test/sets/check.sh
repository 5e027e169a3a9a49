#!/usr/bin/env bash
# test/sets/check.sh — CIDR sets beyond pg_regress: the Python check of the
# expected outputs (every value of expected/sets.out and aggregates.out
# recomputed with ipaddress), then the property test (thousands of random
# sets against ipaddress, serial and parallel).  Runs inside a throw-away
# cluster (PGHOST etc. set); AP_QUICK=1 for the quick size.
set -euo pipefail
cd "$(dirname "$0")"
python3 verify_expected.py
db=ap_sets_$$
createdb "$db"
trap 'dropdb --if-exists --force "$db"' EXIT
psql -X -q -d "$db" -c 'CREATE EXTENSION addrpolicy'
python3 props.py "$db"
