#!/usr/bin/env bash
# test/foundation/check.sh — property test of issue 2's functions
# (props.py).  AP_QUICK=1: a few thousand seeded cases per function;
# otherwise ten times as many.  AP_SEED=N: another seed.  Extra arguments go
# to props.py (--seed N, --scale X).
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
ap_createdb "$db"
PGDATABASE=$db python3 "$ap_here/props.py" "$@"
