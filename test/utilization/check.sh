#!/usr/bin/env bash
# test/utilization/check.sh — property test of the utilization aggregate
# (property.py): thousands of random members checked against figures
# computed in Python and against utilization_check over totals computed in
# SQL.  AP_QUICK=1: 2,500 members; otherwise 25,000.  AP_SEED=N: another
# random history.
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
ap_extdb "$db"
PGDATABASE=$db python3 "$ap_here/property.py"
