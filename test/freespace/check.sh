#!/usr/bin/env bash
# test/freespace/check.sh — free space and unit counts beyond pg_regress: the
# Python check of expected/freespace.out (every value recomputed with
# ipaddress: verify_expected.py), then the property test (props.py:
# thousands of random pools, used sets and unit sets against brute force).
# AP_QUICK=1: 3,000 cases; otherwise 20,000.  AP_SEED=N: another seed.
. "$(dirname "$0")/../lib/harness.sh"
python3 "$ap_here/verify_expected.py"
db=$(ap_dbname)
ap_extdb "$db"
PGDATABASE=$db python3 "$ap_here/props.py"
