#!/usr/bin/env bash
# test/rir/check.sh — examples/rir-stats on real data.  Runs inside a
# throw-away cluster (PGHOST etc. set).
#
# 1. The regression suite's expected output (expected/rir_stats.out) against
#    Python (verify_expected.py).
# 2. load.sql with a path holding a space and a quote.
# 3. The whole shipped AFRINIC snapshot: load it, run the report, compare
#    every table with model.py's computation from the raw file (compare.py).
# 4. The same for LACNIC's snapshot (about 72,000 address records, shipped
#    in examples/rir-stats/data/ with its source), with the load time.
# Quick and full mode are the same (about 20 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 test/rir/verify_expected.py

db=ap_rir_$$
tmp=$(mktemp -d)
createdb "$db"
trap 'dropdb --if-exists --force "$db"; rm -rf "$tmp"' EXIT

mkdir "$tmp/a dir"
cp test/rir/delegated-lacnic-excerpt "$tmp/a dir/lacnic's excerpt"
out=$(psql -X -q -d "$db" -v file="$tmp/a dir/lacnic's excerpt" -f examples/rir-stats/load.sql)
echo "$out" | grep -q '^ lacnic   | 20230323 |      4 |       5 |' \
	|| { echo "FAIL: loading a path with a space and a quote"; echo "$out"; exit 1; }
echo "a path with a space and a quote loads"

python3 test/rir/compare.py "$db" examples/rir-stats/data/delegated-afrinic-extended-20230323

python3 test/rir/compare.py "$db" examples/rir-stats/data/delegated-lacnic-extended-20230323
