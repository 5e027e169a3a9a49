#!/usr/bin/env bash
# test/allocation/check.sh — property test of the run-out allocation
# functions (max_allocation, allocation_unit, allocation_schedule,
# allocation_period, supply_months) against the independent Python model in
# model.py (property.py).  AP_QUICK=1: 2,000 cases per function; otherwise
# 20,000.  AP_SEED=N: another seed.
. "$(dirname "$0")/../lib/harness.sh"
if ap_quick; then cases=2000; else cases=20000; fi
db=$(ap_dbname)
ap_extdb "$db"

python3 "$ap_here/model.py" >/dev/null
PGDATABASE=$db python3 "$ap_here/property.py" --cases "$cases"
