#!/usr/bin/env bash
# test/bench/run.sh — the benchmarks (`make bench`; never part of `make test`).
#
# Runs inside a throw-away cluster (scripts/in-cluster.sh sets PGHOST etc.).
# Creates one database, then runs every test/bench/*.sql part in name order,
# each in its own psql session with the size parameters as psql variables:
#   :rows     blocks to generate           (AP_BENCH_ROWS, default 1000000)
#   :members  groups (registry members)    (AP_BENCH_MEMBERS, default 10000)
#   :v6pct    percent of IPv6 blocks       (AP_BENCH_V6PCT, default 0)
#   :reps     timed repetitions, best kept (AP_BENCH_REPS, default 5)
#   :bigrows  rows of the single-group memory test (AP_BENCH_BIGROWS, 10000000)
# AP_BENCH=big sets 10,000,000 blocks, 100,000 members, 20% IPv6.
# AP_BENCH_PARTS="10_sets 20_parallel" runs only those parts (00_data always).
# AP_BENCH_NICE=-10 (as root) renices the throw-away cluster's postmaster, so
# that its backends and parallel workers, forked afterwards, take the CPU
# before the machine's other jobs: for measuring on a shared machine.
# 00_data.sql builds the shared data set and the bench.* timing helpers;
# a new part is just a new file here.  netbox.sh (issue 16: NetBox's
# utilization of a million prefixes, in a database of its own, with Python
# beside it) runs after the SQL parts; AP_BENCH_PARTS names it "netbox".
. "$(dirname "$0")/../lib/harness.sh"
cd "$ap_here"

if [ "${AP_BENCH:-}" = big ]; then
	: "${AP_BENCH_ROWS:=10000000}" "${AP_BENCH_MEMBERS:=100000}" "${AP_BENCH_V6PCT:=20}"
fi
rows=${AP_BENCH_ROWS:-1000000}
members=${AP_BENCH_MEMBERS:-10000}
v6pct=${AP_BENCH_V6PCT:-0}
reps=${AP_BENCH_REPS:-5}
bigrows=${AP_BENCH_BIGROWS:-10000000}
db=$(ap_dbname)

echo "== addrpolicy benchmarks"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'))," \
	"$(free -g | awk '/^Mem:/ {print $2}') GB RAM; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $(ap_val -d postgres -c 'SHOW server_version')"
echo "data: $rows blocks, $members members, ${v6pct}% IPv6; best of $reps runs"
echo

if [ -n "${AP_BENCH_NICE:-}" ]; then
	pm=$(head -n 1 "$(ap_val -d postgres -c 'SHOW data_directory')/postmaster.pid")
	renice -n "$AP_BENCH_NICE" -p "$pm" >/dev/null && echo "postmaster $pm reniced to $AP_BENCH_NICE"
fi
ap_extdb "$db"

for part in *.sql; do
	name=${part%.sql}
	if [ "$name" != 00_data ] && [ -n "${AP_BENCH_PARTS:-}" ] \
		&& [[ " $AP_BENCH_PARTS " != *" $name "* ]]; then
		continue
	fi
	echo "== $name (load average: $(cut -d" " -f1-3 /proc/loadavg))"
	ap_psql -P pager=off -d "$db" \
		-v rows="$rows" -v members="$members" -v v6pct="$v6pct" \
		-v reps="$reps" -v bigrows="$bigrows" -f "$part"
	echo
done

if [ -z "${AP_BENCH_PARTS:-}" ] || [[ " $AP_BENCH_PARTS " == *" netbox "* ]]; then
	echo "== netbox (load average: $(cut -d" " -f1-3 /proc/loadavg))"
	bash netbox.sh
	echo
fi
