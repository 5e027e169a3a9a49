#!/usr/bin/env bash
# test/cancel/check.sh — statement_timeout and pg_cancel_backend (what psql
# sends on Ctrl-C) stop every long-running path of the extension with
# SQLSTATE 57014 within a bound: the named paths of issue 6 (big
# range_to_cidrs, huge cidr_merge/addr_sum aggregates, allocation schedules,
# the utilization aggregate ...; those whose functions do not exist yet are
# skipped with a message) and a catalog sweep of every aggregate and every
# function taking cidr[] (million-block arrays), so later functions are
# covered too.  Runs inside a cluster (PGHOST etc. set); creates and drops
# its own database.  AP_QUICK=1: arrays of 300,000 blocks; otherwise 2
# million and a longer timeout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=ap_cancel_$$
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
if [ "${AP_QUICK:-0}" = 1 ]; then
	python3 "$here/cancel.py" --dbname "$db" --timeout-ms 300 --bound 2 --blocks 300000
else
	python3 "$here/cancel.py" --dbname "$db" --timeout-ms 1000 --bound 2 --blocks 2000000
fi
