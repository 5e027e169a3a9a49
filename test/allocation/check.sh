#!/usr/bin/env bash
# test/allocation/check.sh — property test of the run-out allocation
# functions (max_allocation, allocation_unit, allocation_schedule,
# allocation_period, supply_months) against the independent Python model in
# model.py.  Runs inside a cluster (PGHOST etc. set); creates and drops its
# own database.  AP_QUICK=1: 2,000 cases per function; otherwise 20,000.
# AP_SEED overrides the default seed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=ap_allocation_$$
cases=20000
[ "${AP_QUICK:-0}" = 1 ] && cases=2000

createdb "$db"
trap 'dropdb --if-exists --force "$db"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION addrpolicy'

python3 "$here/model.py" >/dev/null
python3 "$here/property.py" --dbname "$db" --cases "$cases" \
	${AP_SEED:+--seed "$AP_SEED"}
