#!/usr/bin/env bash
# Real registry data: AFRINIC's delegated-extended statistics of 2023-03-23
# (shipped in examples/rir-stats/data/), loaded and reported on with the
# two scripts of examples/rir-stats/ (doc/rir-stats.md).
set -euo pipefail
psql() { command psql -X -q -v ON_ERROR_STOP=1 -d "$AP_DEMO_DB" "$@"; }
file=examples/rir-stats/data/delegated-afrinic-extended-20230323
echo
echo "== Real data: AFRINIC's delegated-extended statistics, $(basename "$file") =="
echo "psql -v file=$file -f examples/rir-stats/load.sql"
psql -v file="$file" -f examples/rir-stats/load.sql
echo "psql -f examples/rir-stats/report.sql"
psql -f examples/rir-stats/report.sql
