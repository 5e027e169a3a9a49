#!/usr/bin/env bash
# The HD-ratio basics: a few blocks, their thresholds, and one member checked.
set -euo pipefail
psql() { command psql -X -q -v ON_ERROR_STOP=1 -d "$AP_DEMO_DB" "$@"; }
echo "== HD ratio: how many addresses must be used before a block counts as full =="
psql <<'SQL'
SELECT block,
       addr_count(block)                 AS addresses,
       hd_required(block)                AS "needed at HD 0.966",
       round(100 * hd_required(block) / addr_count(block), 1) AS "as %",
       hd_table_pct(addr_count(block), 'total') AS "table %",
       hd_required(block, 0.930)         AS "recent at 0.930"
FROM (VALUES ('198.51.100.0/24'::cidr), ('10.16.0.0/20'), ('10.0.0.0/16'),
             ('10.0.0.0/12'), ('10.0.0.0/8')) AS b(block);

SELECT 'member with a /18 in all, a /19 most recently' AS who, c.*
FROM utilization_check(total_used => 13000, total_allocated => 16384,
                       recent_used => 5500, recent_allocated => 8192) AS c;
SQL
