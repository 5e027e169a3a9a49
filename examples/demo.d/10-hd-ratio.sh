#!/usr/bin/env bash
# The HD-ratio basics: a few blocks, their thresholds, and one member checked.
# Counts are printed with thousands separators (psql's numericlocale, under a
# fixed locale, so that every run prints the same; demo.grouped() for the
# counts inside utilization_check's reasons).
set -euo pipefail
psql() { LC_ALL=C.UTF-8 command psql -X -q -v ON_ERROR_STOP=1 -P numericlocale=on -P footer=off -d "$AP_DEMO_DB" "$@"; }
# One member under each method: the table of what each asks, then the
# reasons of those that refuse.  Arguments: total used, total allocated,
# recent used, recent allocated.
by_method() {
	psql -v tu="$1" -v ta="$2" -v ru="$3" -v ra="$4" <<'SQL'
CREATE TEMP VIEW checked AS
SELECT m.n, m.method, c.*
FROM (VALUES (1, 'hd'), (2, 'table'), (3, 'fixed')) AS m(n, method)
CROSS JOIN LATERAL utilization_check(total_used => :tu, total_allocated => :ta,
                                     recent_used => :ru, recent_allocated => :ra,
                                     method => m.method) AS c;
SELECT method,
       CASE WHEN eligible THEN 'yes' ELSE 'no' END AS eligible,
       total_required  AS "needed of all",
       recent_required AS "needed of the most recent"
FROM checked ORDER BY n;
\pset tuples_only on
\pset format unaligned
SELECT pg_catalog.format('why not, %s: %s', method, demo.grouped(reason))
FROM checked WHERE reason IS NOT NULL ORDER BY n;
SQL
}
cat <<'EOT'
== HD ratio: how many addresses must be used before a member may receive more ==
The HD (host density) ratio of a block is log(used) / log(addresses).  The 2005 ARIN proposal
"Adding an HD ratio choice for new IPv4 allocations" lets a member whose IPv4 allocations total
a /20 (4,096 addresses) or more elect, instead of the fixed 80% utilization, an HD ratio of at
least 0.966 over all its allocations and 0.930 over the most recent one, or the proposal's
simplified table: a percentage by size for the total, another for the most recent allocation.
What each asks of a member's space, as addresses used.  Over all its allocations, when they add up
to the block's size (HD 0.966, or the simplified table for the total):
EOT
psql <<'SQL'
SELECT b.block,
       addr_count(b.block)                                          AS addresses,
       hd_required(b.block)                                         AS "needed at HD 0.966",
       round(100 * hd_required(b.block) / addr_count(b.block), 1)   AS "as %",
       hd_table_pct(addr_count(b.block), 'total')                   AS "simplified table, total %"
FROM (VALUES ('10.16.0.0/20'::cidr), ('10.0.0.0/16'), ('10.0.0.0/12'), ('10.0.0.0/8')) AS b(block);
\echo 'Over its most recent allocation, when that is the block (HD 0.930, or the simplified table for'
\echo 'the most recent allocation):'
SELECT b.block,
       addr_count(b.block)                                          AS addresses,
       hd_required(b.block, 0.930)                                  AS "needed at HD 0.930",
       round(100 * hd_required(b.block, 0.930) / addr_count(b.block), 1) AS "as %",
       hd_table_pct(addr_count(b.block), 'recent')                  AS "simplified table, most recent %"
FROM (VALUES ('10.16.0.0/20'::cidr), ('10.0.0.0/16'), ('10.0.0.0/12'), ('10.0.0.0/8')) AS b(block);
SQL
cat <<'EOT'
(HD 0.966 of a /20: 4,096^0.966 = 3,087.02, so 3,088 addresses; 0.930: 4,096^0.930 = 2,288.20, so
2,289.  The tables give whole percentages for ranges of sizes: 75% for a total of at least a /20
and less than a /18, 56% for a most recent allocation smaller than a /19.)

A member holding less than a /20 in all cannot elect either HD method: here one that holds only
198.51.100.0/24 and uses 210 of its 256 addresses, as utilization_check judges it by each method:
EOT
by_method 210 256 210 256
cat <<'EOT'

(The fixed method asks 80% of both: ceil(0.8 * 256) = 205 <= 210.)

A member holding a /18 in all (16,384 addresses, 13,000 used) whose most recent allocation is a
/19 (8,192 addresses, 5,500 used): HD 0.9762 over all, 0.9558 of the most recent.
EOT
by_method 13000 16384 5500 8192
cat <<'EOT'

(16,384^0.966 = 11,779.58 and 8,192^0.930 = 4,359.66, so 11,780 and 4,360; the table asks 70% of
a /18 in all, ceil(11,468.8) = 11,469, and 51% of a /19, ceil(4,177.92) = 4,178; 80% is 13,108 and
6,554.)

EOT
