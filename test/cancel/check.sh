#!/usr/bin/env bash
# test/cancel/check.sh — statement_timeout and pg_cancel_backend (what psql
# sends on Ctrl-C) stop every long-running path of the extension with
# SQLSTATE 57014 within a bound: the named paths of issue 6 (big
# range_to_cidrs, huge cidr_merge/addr_sum aggregates, allocation schedules,
# the utilization aggregate ...; those whose functions do not exist yet are
# skipped with a message) and a catalog sweep of every aggregate and every
# function taking cidr[] (million-block arrays), so later functions are
# covered too.  No case depends on winning a race: each named query is sized
# to run for minutes, and a cancel is sent only once pg_stat_activity shows
# the backend running that statement (see cancel.py).  AP_QUICK=1: arrays
# of 300,000 blocks, cancel requests for the named paths only; otherwise 2
# million, a longer timeout, and the sweep cancelled too.
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
ap_createdb "$db"
if ap_quick; then
	PGDATABASE=$db python3 "$ap_here/cancel.py" --timeout-ms 300 --bound 2 --blocks 300000 --quick
else
	PGDATABASE=$db python3 "$ap_here/cancel.py" --timeout-ms 1000 --bound 2 --blocks 2000000
fi
