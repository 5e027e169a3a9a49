#!/bin/bash
# doc/plots/plots.sh: draws the README's two pictures from the extension's own
# output.
#
#   doc/img/hd-threshold.png  the HD-ratio thresholds as a share of the block,
#                             with the simplified tables and the 80% cap
#   doc/img/iana-rundown.png  the IANA Recovered IPv4 Pool run-down computed by
#                             allocation_schedule
#
# Run it where PGHOST/PGPORT/PGUSER reach a server with addrpolicy installed,
# e.g. in a throw-away cluster:
#
#   pg_virtualenv -t -v 15 bash doc/plots/plots.sh
#
# It creates its own database (addrpolicy_plots; it stops if one of that name
# exists) and drops it again, writes
# the query results to a temporary directory, runs gnuplot (package
# gnuplot-nox; the pngcairo terminal, else png) and writes doc/img/*.png (or
# into $PLOTS_OUT). Every figure comes from psql: nothing is computed here or
# in gnuplot except where the points go. The same input gives byte-identical
# PNGs (no date or random value goes into them). doc/plots/README.md explains
# the pictures and gives the queries.
#
# The IANA pool. The Recovered IPv4 Pool was activated on 20 May 2014, when
# LACNIC was the first RIR to fall below a /9, and that day each RIR received
# the equivalent of a /11 (RIPE NCC announcement, 21 May 2014:
# https://ripe.net/ripe/mail/archives/ripe-list/2014-May/000828.html ;
# APNIC and RIPE NCC's /11s also in The Register, 22 May 2014:
# https://www.theregister.com/2014/05/22/iana_starts_handing_out_recovered_ipv4_addresses/ ;
# the registry itself: https://www.iana.org/assignments/ipv4-recovered-address-space).
# Those announcements give no total for the pool, so this
# picture runs the repository's own model of that run-down, the one
# doc/allocation.md and sql/allocation.sql document ("a recovered /8
# activated on 20 May 2014"): 16,777,216 addresses from 2014-05-20, five
# recipients, a /24 minimum. Its first unit is the /11 each RIR really
# received. The model receives nothing more; the real pool also takes in
# space returned after activation, so IANA's later units differ from these
# (one announcement reports units of "the equivalent of a /18", a size this
# run-down never reaches:
# https://dig.watch/updates/iana-allocates-recovered-ipv4-addresses-regional-registries ;
# see doc/plots/README.md).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${PLOTS_OUT:-$(cd "$here/.." && pwd)/img}
db=addrpolicy_plots
pool=16777216
first_day=2014-05-20

# one locale and one output format whatever the caller's settings
export LC_ALL=C.UTF-8
export PGOPTIONS='-c DateStyle=ISO,YMD -c extra_float_digits=0 -c client_min_messages=warning'
export PGDATABASE=postgres

command -v gnuplot >/dev/null || { echo "plots.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
if gnuplot -e 'set terminal' 2>&1 | grep -qw pngcairo; then
	terminal='pngcairo size 900,540 enhanced font "DejaVu Sans,10" linewidth 1.2'
else
	terminal='png size 900,540 enhanced font "DejaVu Sans,10"'
fi

tmp=$(mktemp -d)
created=
cleanup() {
	[ -z "$created" ] || dropdb "$db" || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# a database of that name that is not ours is left alone: createdb fails
createdb "$db"
created=1
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" -A -t -F $'\t' "$@"; }
q -c 'CREATE EXTENSION addrpolicy'
mkdir -p "$out"

# ---------------------------------------------------------------------------
# 1. HD-ratio thresholds as a share of the block
# ---------------------------------------------------------------------------

# The total of all allocations can be any count, so its curve is sampled
# between the prefixes too: 2^(k/8), eight sizes per doubling, from a /24 (256
# addresses) to a /8 (16,777,216), plus the whole prefixes below a /24 (under
# 256 addresses the rounding up to a whole address makes the share jump
# between neighbouring counts). Columns: addresses, % required (HD 0.966), %
# of the simplified 'total' table.
q > "$tmp/total.tsv" <<'SQL'
WITH s AS (
    SELECT prefix_size(m) AS size FROM generate_series(25, 28) m
    UNION
    SELECT CASE WHEN k % 8 = 0 THEN prefix_size(32 - k / 8)
                ELSE round(power(2::numeric, k / 8.0)) END
    FROM generate_series(64, 192) k)
SELECT size,
       round(100 * hd_required(size) / size, 4),
       hd_table_pct(size, 'total')
FROM s ORDER BY size;
SQL

# The most recent allocation is one block, so a whole prefix: /28 to /8.
# Columns: masklen, addresses, % required by HD 0.930 alone, % that
# utilization_check requires of it (the 80% cap applied; the total is given
# as at least a /20 so that the HD method may be elected), % of the
# simplified 'recent' table, and the total's % at the same size (markers).
q > "$tmp/recent.tsv" <<'SQL'
SELECT m, prefix_size(m),
       round(100 * hd_required(prefix_size(m), 0.930) / prefix_size(m), 4),
       round(100 * u.recent_required / prefix_size(m), 4),
       hd_table_pct(prefix_size(m), 'recent'),
       round(100 * hd_required(prefix_size(m)) / prefix_size(m), 4)
FROM generate_series(8, 28) m CROSS JOIN LATERAL
     utilization_check(greatest(prefix_size(m), 4096), greatest(prefix_size(m), 4096),
                       0, prefix_size(m)) u
ORDER BY m DESC;
SQL

# x tics: the prefix lengths below, the address counts on top
xtics=$(q -c "SELECT string_agg(format('\"/%s\" %s', m, prefix_size(m)), ', ' ORDER BY m DESC)
              FROM generate_series(8, 28) m")
x2tics=$(q -c "SELECT string_agg(format('\"%s\" %s', to_char(prefix_size(m), 'FM999,999,999'),
                                        prefix_size(m)), ', ' ORDER BY m DESC)
               FROM unnest(ARRAY[28, 24, 20, 16, 12, 8]) m")
# the cap and the election's minimum total: utilization_check's defaults
cap=$(q -c "SELECT 100 * substring(pg_get_function_arguments(p.oid) FROM 'cap numeric DEFAULT ([0-9.]+)')::numeric
            FROM pg_proc p WHERE p.proname = 'utilization_check'")
min_total=$(q -c "SELECT substring(pg_get_function_arguments(p.oid) FROM 'min_total numeric DEFAULT ([0-9]+)')
                  FROM pg_proc p WHERE p.proname = 'utilization_check'")
[ "$cap" = "80.00" ] && [ "$min_total" = "4096" ] ||
	{ echo "plots.sh: utilization_check's defaults changed (cap $cap%, min_total $min_total): check the labels" >&2; exit 1; }

gnuplot <<GP
set terminal $terminal
set output "$out/hd-threshold.png"
set encoding utf8
set datafile separator "\t"
set title "How much of a block must be in use: the HD-ratio rule (ARIN proposal, 2005) as addrpolicy computes it" font ",11"
set logscale x 2
set xrange [14:19000000]
set logscale x2 2
set x2range [14:19000000]
set yrange [10:100]
set y2range [10:100]
set xtics ($xtics) nomirror font ",9"
set x2tics ($x2tics) font ",9"
set xlabel "size of the block (prefix length): all allocations together (blue), or the most recent allocation (red)"
set x2label "addresses in the block"
set ylabel "required utilization (% of the block's addresses in use)"
set ytics 20, 10 nomirror
set y2tics 20, 10
set grid xtics ytics lc rgb "#e0e0e0" lt 1
set bmargin 4
set key bottom left box opaque samplen 3 spacing 1.15 font ",9" width -2
set style line 1 lc rgb "#1f5fbf" lw 2.2 pt 7 ps 0.6
set style line 2 lc rgb "#c0392b" lw 2.2 pt 7 ps 0.6
set style line 3 lc rgb "#1f5fbf" lw 1.6 dt (6,4)
set style line 4 lc rgb "#c0392b" lw 1.6 dt (6,4)
set style line 5 lc rgb "#c0392b" lw 1.4 dt (2,3) pt 6 ps 0.8
set style line 6 lc rgb "#555555" lw 1.4 dt (10,4,2,4)

# the election: the HD method needs total allocations of a /20 or more
set arrow 1 from $min_total, graph 0 to $min_total, graph 1 nohead lc rgb "#888888" dt (3,3) lw 1.2 back
set label 1 "→ a total of a /20 or more may elect the HD method\n   (below it utilization\\\\_check answers: use the 'fixed' method)" at 4600, 96 font ",8" tc rgb "#555555"
set label 2 "80% cap: never more than 80% of the most recent allocation" at 24000, $cap + 1.8 font ",8" tc rgb "#555555"

plot "$tmp/total.tsv" using 1:2 with lines ls 1 title "all allocations: HD ratio ≥ 0.966 — hd_required(size)" noenhanced, \
     "$tmp/recent.tsv" using 2:6 with points ls 1 notitle, \
     "$tmp/total.tsv" using 1:3 with steps ls 3 title "all allocations: simplified table — hd_table_pct(size, 'total')" noenhanced, \
     "$tmp/recent.tsv" using 2:4 with linespoints ls 2 title "most recent: HD ratio ≥ 0.930, cap applied — utilization_check" noenhanced, \
     "$tmp/recent.tsv" using 2:(\$3 > $cap ? \$3 : NaN) with linespoints ls 5 title "most recent: HD ratio ≥ 0.930 without the cap — hd_required(size, 0.930)" noenhanced, \
     "$tmp/recent.tsv" using 2:5 with steps ls 4 title "most recent: simplified table — hd_table_pct(size, 'recent')" noenhanced, \
     $cap with lines ls 6 notitle
GP

# ---------------------------------------------------------------------------
# 2. The IANA Recovered IPv4 Pool run-down
# ---------------------------------------------------------------------------

# One row per allocation period: when that period's units went out (the
# activation day in the first period, else the period's first day), the
# period's bounds, the unit per RIR (NaN when nothing is distributed), its
# prefix as a label, the pool before and after, and a label for the pool.
q -v pool="$pool" -v first_day="$first_day" > "$tmp/schedule.tsv" <<'SQL'
SELECT greatest(lower(period), :'first_day'::date),
       lower(period), upper(period),
       coalesce(unit_addresses::text, 'NaN'),
       coalesce('/' || unit_masklen, 'nothing'),
       lag(remaining, 1, :'pool'::numeric) OVER (ORDER BY lower(period)),
       remaining,
       to_char(remaining, 'FM999,999,999')
FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)
ORDER BY lower(period);
SQL

# the pool as a step line: its size at activation, then after each period
q -v pool="$pool" -v first_day="$first_day" > "$tmp/pool.tsv" <<'SQL'
SELECT d, n FROM (
    SELECT 0 AS o, :'first_day'::date AS d, :'pool'::numeric AS n
    UNION ALL
    SELECT 1, greatest(lower(period), :'first_day'::date), remaining
    FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)
    UNION ALL
    SELECT 2, max(upper(period)), min(remaining)
    FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)) s
ORDER BY o, d;
SQL

xmin=$(q -v first_day="$first_day" <<< "SELECT lower(allocation_period(:'first_day'::date))")
xmax=$(q -v pool="$pool" -v first_day="$first_day" \
	<<< "SELECT max(upper(period)) FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)")
# period boundaries (1 March and 1 September) as tics
xtics=$(q -v pool="$pool" -v first_day="$first_day" <<< "
	SELECT string_agg(format('\"%s\" \"%s\"', to_char(d, 'FMDD Mon\nYYYY'), d), ', ' ORDER BY d)
	FROM (SELECT lower(period) d FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)
	      UNION SELECT max(upper(period)) FROM allocation_schedule(:'pool'::numeric, :'first_day'::date)) s")
# right axis: prefix lengths at their sizes
y2tics=$(q -c "SELECT string_agg(format('\"/%s\" %s', m, prefix_size(m)), ', ' ORDER BY m)
               FROM generate_series(8, 24, 2) m")
floor=$(q -c "SELECT 5 * prefix_size(24)")   # below it 1/5 of the pool is under a /24
floor_txt=$(q -c "SELECT to_char(5 * prefix_size(24), 'FM999,999')")
last=$(q -v pool="$pool" -v first_day="$first_day" <<< "
	SELECT format('%s: %s left, 1/5 = %s is under a /24: nothing more is distributed',
	              to_char(lower(period), 'FMMon YYYY'), remaining, round(remaining / 5.0, 1))
	FROM allocation_schedule(:'pool'::numeric, :'first_day'::date) WHERE distributed = 0")
activation=$(q -v pool="$pool" -v first_day="$first_day" <<< "
	SELECT format('activated %s with %s addresses', to_char(:'first_day'::date, 'FMDD Mon YYYY'),
	              to_char(:'pool'::numeric, 'FM999,999,999'))")

gnuplot <<GP
set terminal $terminal
set output "$out/iana-rundown.png"
set encoding utf8
set datafile separator "\t"
set title "IANA Recovered IPv4 Pool run-down (global policy, 2011) as allocation_schedule($pool, '$first_day') computes it:\nfive RIRs, one unit each per period, the unit = 1/5 of the pool rounded down to a CIDR block, at least a /24" font ",10" noenhanced
set xdata time
set timefmt "%Y-%m-%d"
set xrange ["$xmin":"$xmax"]
set xtics ($xtics) nomirror font ",8"
set xlabel "IPv4 allocation period (six months from 1 March or 1 September; the unit is recomputed at the start of each)" offset 0,-0.4
set bmargin 5
set logscale y 10
set yrange [50:40000000]
set ytics ("100" 100, "1,000" 1000, "10,000" 10000, "100,000" 100000, "1 million" 1000000, "10 million" 10000000) nomirror
set ylabel "addresses (log scale)"
set logscale y2 10
set y2range [50:40000000]
set y2tics ($y2tics)
set y2label "the same sizes as prefix lengths"
set grid xtics ytics lc rgb "#e0e0e0" lt 1
set key top right box opaque samplen 3 font ",9"
set style line 1 lc rgb "#1f5fbf" lw 2.4 pt 7 ps 0.8
set style line 2 lc rgb "#d35400" lw 6
set style line 3 lc rgb "#555555" lw 1.4 dt (10,4,2,4)

set label 1 "$activation" at "$first_day", $pool offset 1,0 font ",8" tc rgb "#1f5fbf"
set label 2 "$last" at "$xmax", 256 * 0.42 right offset -0.5,0 font ",8" tc rgb "#555555"
set label 3 "5 × /24 = $floor_txt addresses: below this, 1/5 of the pool is under a /24" at "$xmin", $floor * 1.3 offset 0.5,0 font ",8" tc rgb "#555555"

plot "$tmp/schedule.tsv" using 1:4:(timecolumn(3,"%Y-%m-%d") - timecolumn(1,"%Y-%m-%d")):(0) with vectors nohead ls 2 title "allocation unit (each RIR, per period)", \
     "$tmp/schedule.tsv" using (timecolumn(1,"%Y-%m-%d") + (timecolumn(3,"%Y-%m-%d") - timecolumn(1,"%Y-%m-%d")) / 2):4:5 with labels offset 0,-0.9 font ",9" tc rgb "#d35400" notitle, \
     "$tmp/pool.tsv" using 1:2 with steps ls 1 title "pool remaining after the period", \
     "$tmp/schedule.tsv" using 1:7 with points ls 1 notitle, \
     "$tmp/pool.tsv" using 1:(\$2 == $pool ? \$2 : NaN) with points ls 1 pt 6 notitle, \
     "$tmp/schedule.tsv" using 1:7:8 with labels offset 0.6,0.7 left font ",8" tc rgb "#1f5fbf" notitle, \
     $floor with lines ls 3 notitle
GP

ls -l "$out/hd-threshold.png" "$out/iana-rundown.png"
