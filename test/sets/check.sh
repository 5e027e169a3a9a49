#!/usr/bin/env bash
# test/sets/check.sh — CIDR sets beyond pg_regress: the Python check of the
# expected outputs (every value of expected/sets.out and aggregates.out
# recomputed with ipaddress: verify_expected.py), then the property test
# (props.py: thousands of random sets against ipaddress, serial and
# parallel).  AP_QUICK=1: 3,000 cases; otherwise 20,000.  AP_SEED=N: another
# seed.
. "$(dirname "$0")/../lib/harness.sh"
python3 "$ap_here/verify_expected.py"
db=$(ap_dbname)
ap_extdb "$db"
PGDATABASE=$db python3 "$ap_here/props.py"
