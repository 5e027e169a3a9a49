#!/usr/bin/env bash
# test/rir/check.sh — examples/rir-stats on real data.
#
# 1. The regression suite's expected output (expected/rir_stats.out) against
#    Python (verify_expected.py).
# 2. load.sql with a path holding a space and a quote.
# 3. The whole shipped AFRINIC snapshot: load it, run the report, compare
#    every table with model.py's computation from the raw file (compare.py).
# 4. The same for LACNIC's snapshot (about 72,000 address records, shipped
#    in examples/rir-stats/data/ with its source), with the load time.
# Quick and full mode are the same (about 20 s).
. "$(dirname "$0")/../lib/harness.sh"
python3 test/rir/verify_expected.py

db=$(ap_dbname)
ap_tmpdir tmp
ap_createdb "$db"

mkdir "$tmp/a dir"
cp test/rir/delegated-lacnic-excerpt "$tmp/a dir/lacnic's excerpt"
out=$(ap_psql -d "$db" -v file="$tmp/a dir/lacnic's excerpt" -f examples/rir-stats/load.sql)
echo "$out" | grep -q '^ lacnic   | 20230323 |      4 |       5 |' \
	|| { echo "$out"; ap_fail "loading a path with a space and a quote"; }
ap_say "a path with a space and a quote loads"

PGDATABASE=$db python3 test/rir/compare.py examples/rir-stats/data/delegated-afrinic-extended-20230323

PGDATABASE=$db python3 test/rir/compare.py examples/rir-stats/data/delegated-lacnic-extended-20230323
