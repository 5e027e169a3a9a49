#!/usr/bin/env bash
# test/distributed/check.sh — the aggregates on a sharded registry built from
# PostgreSQL's own parts: a coordinator whose allocation table is partitioned
# by hash of member into postgres_fdw foreign tables on two shards.
#
# Starts three private clusters (initdb into a temporary directory, pg_ctl on
# free loopback ports, sockets in that directory; as root the servers run as
# the postgres user), installs addrpolicy on all three, loads deterministic
# rows on the shards and all of them into one local table on the coordinator
# (the single-cluster reference), and checks:
#   1. with enable_partitionwise_aggregate the per-member report
#      (report.sql: addr_sum, cidr_merge, addr_count, hd_ratio, utilization)
#      runs on the shards: EXPLAIN
#      VERBOSE shows the aggregates in each Remote SQL and no aggregation on
#      the coordinator; its rows equal the single-cluster report;
#   2. the pool-wide set by the two-level merge (cidr_merge(block) on each
#      shard, then cidr_merge(cidr[]) of the arrays on the coordinator) is
#      computed on the shards and equals the single-cluster cidr_merge;
#   3. negative control: through foreign servers without the `extensions`
#      option the Remote SQL only fetches rows and the coordinator
#      aggregates (same answer, rows pulled).
# The cluster of `make test` (PGPORT) is only asked where the extension is
# installed (its extension_destdir); nothing is created in it.  Always stops
# its servers and removes its directory, on failure and on Ctrl-C too.
# AP_QUICK=1: 300 members (about 4,000 rows); otherwise 4,000 members.
# AP_DIST_OUT=DIR: also keep the plans and the output of examples.sql there.
# (Its databases are in its own clusters: it makes none in the surrounding
# one, and names them as doc/scaling.md does.)
. "$(dirname "$0")/../lib/harness.sh"
here=$ap_here
if ap_quick; then members=300; else members=4000; fi

# --- where the extension is installed ------------------------------------
# dev-check installs into ./.destdir and points extension_destdir at it;
# `make test` installs system-wide.  Use what the surrounding cluster uses
# (a stale ./.destdir must not shadow a fresh system-wide install); with no
# surrounding cluster, ./.destdir when it exists.  When there is one, the
# answer is required: a slow connection on a loaded machine (it once had 5 s)
# must not quietly fall back to another build.
destdir=""
if [ -n "${AP_DEV:-}" ]; then
	destdir=$PWD/.destdir
elif [ -n "${PGPORT:-}${PGHOST:-}" ]; then
	destdir=$(PGCONNECT_TIMEOUT=60 ap_val -c "SHOW extension_destdir") \
		|| ap_fail "cannot ask the surrounding cluster (PGHOST/PGPORT) for its extension_destdir (AP_DEV=1: use ./.destdir)"
elif [ -d "$PWD/.destdir" ]; then
	destdir=$PWD/.destdir
fi

# --- binaries --------------------------------------------------------------
bindir=""
if [ -n "${PG_CONFIG:-}" ] && [ -x "$PG_CONFIG" ]; then
	bindir=$("$PG_CONFIG" --bindir)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
	bindir=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -n 1)/bin
fi
[ -x "$bindir/postgres" ] || ap_fail "no PostgreSQL server binaries found"
sharedir=$("$bindir/pg_config" --sharedir 2>/dev/null || echo "")
if [ -n "$sharedir" ] && [ ! -f "$sharedir/extension/postgres_fdw.control" ]; then
	ap_fail "postgres_fdw is not installed ($sharedir/extension): install postgresql-contrib"
fi

# From here on only our own clusters are spoken to.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGOPTIONS \
	PGPASSFILE PGSSLMODE PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS

# The servers refuse to run as root: as root they run as postgres.
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || ap_fail "running as root needs a postgres user to run the servers"
	as_pg() { runuser -u postgres -- "$@"; }
else
	as_pg() { "$@"; }
fi

# --- the clusters, and the clean-up that always runs -----------------------
# In /tmp, not $TMPDIR: the postgres user must reach it, and socket paths
# must stay short.
tmp=$(mktemp -d /tmp/ap_dist.XXXXXX)
started=()
stop_clusters() {
	local d pid
	for d in "${started[@]}"; do
		if ! as_pg "$bindir/pg_ctl" -D "$d" stop -m immediate -w -t 20 >/dev/null 2>&1; then
			pid=$(head -n 1 "$d/postmaster.pid" 2>/dev/null || true)
			[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
}
ap_defer stop_clusters
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp"
sock=$tmp/sock
as_pg mkdir "$sock"

# Like psql, on one of our clusters, database registry.
q() {
	local port=$1; shift
	PGOPTIONS="-c statement_timeout=60s" ap_psql \
		-h "$sock" -p "$port" -U postgres -d registry "$@"
}

# A port the kernel has free on loopback (its ephemeral range), never 5432.
free_port() {
	python3 -c 'import socket
while True:
	s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
	if p != 5432:
		print(p); break'
}

# One initdb, copied: the three clusters are alike.
as_pg env -i PATH="$PATH" "$bindir/initdb" -D "$tmp/template" -U postgres --auth=trust \
	--no-sync --locale=C --encoding=UTF8 >"$tmp/initdb.log" 2>&1 \
	|| { cat "$tmp/initdb.log"; ap_fail "initdb failed"; }

# start NAME: a copy of the template on a free port; sets port_NAME.
start() {
	local name=$1 dir=$tmp/$1 port try opts
	as_pg cp -a "$tmp/template" "$dir"
	for try in 1 2 3 4 5; do
		port=$(free_port)
		opts="-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off"
		opts+=" -c shared_buffers=16MB -c max_connections=20 -c autovacuum=off"
		[ -n "$destdir" ] && opts+=" -c extension_destdir=$destdir"
		started+=("$dir")
		if as_pg env -i PATH="$PATH" "$bindir/pg_ctl" -D "$dir" -l "$tmp/$name.log" \
			-o "$opts" -w -t 30 start >/dev/null 2>&1; then
			printf -v "port_$name" '%s' "$port"
			return 0
		fi
		unset 'started[${#started[@]}-1]'
		grep -q 'could not bind\|already in use' "$tmp/$name.log" 2>/dev/null \
			|| { tail -n 20 "$tmp/$name.log" 2>/dev/null; ap_fail "$name did not start"; }
	done
	ap_fail "$name: no free port after 5 tries"
}
start coord
start shard1
start shard2
ap_say "clusters on 127.0.0.1: coordinator $port_coord, shards $port_shard1 and $port_shard2"

for p in "$port_coord" "$port_shard1" "$port_shard2"; do
	PGOPTIONS= ap_psql -h "$sock" -p "$p" -U postgres -d postgres \
		-c "CREATE DATABASE registry"
done

# The aggregates the check needs (and a clear message when one is missing).
q "$port_coord" -c "CREATE EXTENSION addrpolicy; CREATE EXTENSION postgres_fdw"
for agg in 'addr_sum(inet)' 'cidr_merge(inet)' 'cidr_merge(cidr[])' 'addr_count(cidr[])' \
	'utilization(inet, numeric, date)' 'utilization(inet, numeric, date, text)'; do
	[ "$(q "$port_coord" -A -t -c "SELECT to_regprocedure('$agg') IS NOT NULL")" = t ] \
		|| ap_fail "the extension has no $agg"
done

# --- the coordinator: partitioned table over foreign partitions -----------
q "$port_coord" <<SQL
-- with the extensions option: our functions may be shipped to the shards
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '127.0.0.1', port '$port_shard1', dbname 'registry', extensions 'addrpolicy');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '127.0.0.1', port '$port_shard2', dbname 'registry', extensions 'addrpolicy');
-- the negative control: the same shards, without it
CREATE SERVER shard1_plain FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '127.0.0.1', port '$port_shard1', dbname 'registry');
CREATE SERVER shard2_plain FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '127.0.0.1', port '$port_shard2', dbname 'registry');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1_plain OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2_plain OPTIONS (user 'postgres');

CREATE TABLE allocation (
	member int NOT NULL,
	kind text NOT NULL,
	block cidr,
	used numeric,
	allocated_on date
) PARTITION BY HASH (member);
CREATE FOREIGN TABLE allocation_p0 PARTITION OF allocation
	FOR VALUES WITH (MODULUS 2, REMAINDER 0)
	SERVER shard1 OPTIONS (schema_name 'public', table_name 'allocation');
CREATE FOREIGN TABLE allocation_p1 PARTITION OF allocation
	FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	SERVER shard2 OPTIONS (schema_name 'public', table_name 'allocation');

CREATE TABLE allocation_plain (LIKE allocation) PARTITION BY HASH (member);
CREATE FOREIGN TABLE allocation_plain_p0 PARTITION OF allocation_plain
	FOR VALUES WITH (MODULUS 2, REMAINDER 0)
	SERVER shard1_plain OPTIONS (schema_name 'public', table_name 'allocation');
CREATE FOREIGN TABLE allocation_plain_p1 PARTITION OF allocation_plain
	FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	SERVER shard2_plain OPTIONS (schema_name 'public', table_name 'allocation');

-- The planner's estimate of the groups on a partition: without it,
-- (member, family(block)) looks nearly unique, shipping the GROUP BY seems
-- to save nothing, and with an ORDER BY on top it pulls sorted rows instead.
CREATE STATISTICS allocation_p0_groups (ndistinct) ON member, family(block) FROM allocation_p0;
CREATE STATISTICS allocation_p1_groups (ndistinct) ON member, family(block) FROM allocation_p1;
CREATE STATISTICS allocation_plain_p0_groups (ndistinct) ON member, family(block) FROM allocation_plain_p0;
CREATE STATISTICS allocation_plain_p1_groups (ndistinct) ON member, family(block) FROM allocation_plain_p1;

-- the single-cluster reference
CREATE TABLE allocation_single (LIKE allocation);
SQL

# --- the data: each shard gets the members its partition holds ------------
members_of() {
	q "$port_coord" -A -t -c "SELECT '{' || coalesce(string_agg(m::text, ','), '') || '}'
		FROM generate_series(1, $members) AS m
		WHERE satisfies_hash_partition('allocation'::regclass, 2, $1, m)"
}
all_members=$(q "$port_coord" -A -t -c "SELECT array_agg(m)::text FROM generate_series(1, $members) AS m")
for shard in 1 2; do
	port_var=port_shard$shard
	q "${!port_var}" -c "CREATE EXTENSION addrpolicy" -c "CREATE TABLE allocation (
		member int NOT NULL, kind text NOT NULL, block cidr, used numeric, allocated_on date)"
	q "${!port_var}" -v target=allocation -v members="$(members_of $((shard - 1)))" -f "$here/data.sql"
	q "${!port_var}" -c "ANALYZE allocation" \
		-c "CREATE VIEW allocation_m AS SELECT *, 'table'::text AS method FROM allocation"
done
# the rows with a method column (for utilization's four-argument form)
q "$port_coord" <<'SQL'
CREATE TABLE allocation_m (LIKE allocation, method text) PARTITION BY HASH (member);
CREATE FOREIGN TABLE allocation_m_p0 PARTITION OF allocation_m
	FOR VALUES WITH (MODULUS 2, REMAINDER 0)
	SERVER shard1 OPTIONS (schema_name 'public', table_name 'allocation_m');
CREATE FOREIGN TABLE allocation_m_p1 PARTITION OF allocation_m
	FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	SERVER shard2 OPTIONS (schema_name 'public', table_name 'allocation_m');
CREATE STATISTICS allocation_m_p0_groups (ndistinct) ON member, family(block) FROM allocation_m_p0;
CREATE STATISTICS allocation_m_p1_groups (ndistinct) ON member, family(block) FROM allocation_m_p1;
ANALYZE allocation_m;
SQL
q "$port_coord" -v target=allocation_single -v members="$all_members" -f "$here/data.sql"
q "$port_coord" -c "ANALYZE allocation_single" -c "ANALYZE allocation" -c "ANALYZE allocation_plain"
counts=$(q "$port_coord" -A -t -F ' ' -c "SELECT (SELECT count(*) FROM allocation_p0),
	(SELECT count(*) FROM allocation_p1), (SELECT count(*) FROM allocation_single)")
read -r n0 n1 nall <<<"$counts"
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ $((n0 + n1)) -eq "$nall" ] \
	|| ap_fail "the shards hold $n0 + $n1 rows, the single table $nall"
ap_say "$members members: $n0 rows on shard 1, $n1 on shard 2, $nall in the single-cluster table"

# run TABLE FILE [EXPLAIN]: the report of FILE over TABLE on the coordinator,
# with partitionwise aggregation on (EXPLAIN: its plan instead).
run() {
	{
		echo "SET enable_partitionwise_aggregate = on;"
		[ -n "${3:-}" ] && echo "EXPLAIN (VERBOSE, COSTS OFF)"
		cat "$2"
		echo ";"
	} | q "$port_coord" -A -t -v tbl="$1"
}
# aggregate nodes of a plan (not the "Relations: Aggregate on" lines)
agg_nodes() { grep -cE '^\s*(->\s+)?((Partial|Finalize) )?(Hash|Group|Mixed)?Aggregate( |$)' "$1" || true; }
# Remote SQL lines of a plan that match a grep pattern (grep options first)
remote_with() { local f=$1; shift; grep 'Remote SQL:' "$f" | grep -c "$@" || true; }

# --- 1. the per-member report is computed on the shards -------------------
run allocation "$here/report.sql" explain >"$tmp/plan.txt"
run allocation "$here/report.sql" >"$tmp/dist.txt"
run allocation_single "$here/report.sql" >"$tmp/single.txt"
aggs="addr_sum cidr_merge addr_count hd_ratio utilization"
for f in $aggs; do
	ap_expect "Remote SQL with public.$f(, pushed report" 2 \
		"$(remote_with "$tmp/plan.txt" "public\.$f(")"
done
ap_expect "Remote SQL with GROUP BY, pushed report" 2 "$(remote_with "$tmp/plan.txt" 'GROUP BY')"
ap_expect "aggregate nodes on the coordinator, pushed report" 0 "$(agg_nodes "$tmp/plan.txt")"
groups=$(wc -l <"$tmp/single.txt")
if ! diff -q "$tmp/single.txt" "$tmp/dist.txt" >/dev/null; then
	diff "$tmp/single.txt" "$tmp/dist.txt" | head -n 20 >&2
	ap_fail "the report through the shards differs from the single-cluster report"
fi
[ "$groups" -gt "$members" ] || ap_fail "the report has $groups rows for $members members"
ap_say "per-member report: aggregates in the Remote SQL of both shards ($aggs), $groups rows equal to the single cluster's"

# --- 2. pool-wide totals, two levels: per shard, then merged ---------------
cat >"$tmp/pool.sql" <<'SQL'
SELECT cidr_merge(part)
FROM (SELECT cidr_merge(block) AS part FROM allocation_p0
	UNION ALL
	SELECT cidr_merge(block) FROM allocation_p1) AS per_shard
SQL
cat >"$tmp/pool_single.sql" <<'SQL'
SELECT cidr_merge(block) FROM allocation_single
SQL
# the distinct addresses of each family, by the same two levels
cat >"$tmp/family.sql" <<'SQL'
SELECT af, addr_count(cidr_merge(part))
FROM (SELECT family(block) AS af, cidr_merge(block) AS part FROM allocation_p0 GROUP BY 1
	UNION ALL
	SELECT family(block), cidr_merge(block) FROM allocation_p1 GROUP BY 1) AS per_shard
WHERE af IS NOT NULL
GROUP BY af ORDER BY af
SQL
cat >"$tmp/family_single.sql" <<'SQL'
SELECT family(block) AS af, addr_count(cidr_merge(block)) FROM allocation_single
WHERE block IS NOT NULL
GROUP BY af ORDER BY af
SQL
run allocation "$tmp/pool.sql" explain >"$tmp/pool_plan.txt"
ap_expect "Remote SQL with public.cidr_merge(block), pool per shard" 2 \
	"$(remote_with "$tmp/pool_plan.txt" 'SELECT public\.cidr_merge(block) FROM public\.allocation')"
ap_expect "aggregate nodes on the coordinator, pool (the merge of the arrays)" 1 \
	"$(agg_nodes "$tmp/pool_plan.txt")"
run allocation "$tmp/pool.sql" >"$tmp/pool.txt"
run allocation_single "$tmp/pool_single.sql" >"$tmp/pool_single.txt"
if ! diff -q "$tmp/pool_single.txt" "$tmp/pool.txt" >/dev/null; then
	diff "$tmp/pool_single.txt" "$tmp/pool.txt" | head -c 2000 >&2
	ap_fail "the two-level pool-wide cidr_merge differs from the single-cluster cidr_merge"
fi
run allocation "$tmp/family.sql" >"$tmp/family.txt"
run allocation_single "$tmp/family_single.sql" >"$tmp/family_single.txt"
diff "$tmp/family_single.txt" "$tmp/family.txt" >&2 \
	|| ap_fail "the two-level distinct addresses per family differ from the single cluster's"
ap_say "pool-wide: cidr_merge on each shard, cidr_merge(cidr[]) of the two arrays on the coordinator: $(grep -o '[^{},]*/' "$tmp/pool.txt" | wc -l) blocks, equal to the single cluster's; per family $(tr '\n|' ' =' <"$tmp/family.txt")addresses"

# --- the figures themselves, recomputed from the shards' rows in Python ----
q "$port_coord" -A -t -c "SELECT member, kind, block FROM allocation" >"$tmp/rows.txt"
python3 "$here/verify.py" "$tmp/rows.txt" "$tmp/dist.txt" "$tmp/pool.txt" \
	|| ap_fail "the report or the pool differs from Python's ipaddress"

# --- 3. utilization with a method: a column is shipped, a literal is not --
cat >"$tmp/method.sql" <<'SQL'
SELECT member, family(block) AS af, count(*) AS n,
	utilization(block, used, allocated_on, :method) FILTER (WHERE kind = 'allocation') AS u
FROM :tbl
GROUP BY member, family(block)
ORDER BY member, af
SQL
method() { # method TABLE METHOD [EXPLAIN]
	sed "s/:method/$2/" "$tmp/method.sql" >"$tmp/method_$2.sql"
	run "$1" "$tmp/method_$2.sql" ${3:-}
}
method allocation_m method explain >"$tmp/method_col_plan.txt"
method allocation "'table'" explain >"$tmp/method_lit_plan.txt"
ap_expect "Remote SQL with utilization(..., method), method column" 2 \
	"$(remote_with "$tmp/method_col_plan.txt" 'public\.utilization(block, used, allocated_on, method)')"
ap_expect "aggregate nodes on the coordinator, method column" 0 \
	"$(agg_nodes "$tmp/method_col_plan.txt")"
ap_expect "Remote SQL with utilization(, literal method" 0 \
	"$(remote_with "$tmp/method_lit_plan.txt" 'utilization(')"
ap_expect "aggregate nodes on the coordinator, literal method" 2 \
	"$(agg_nodes "$tmp/method_lit_plan.txt")"
method allocation_m method >"$tmp/method_col.txt"
method allocation "'table'" >"$tmp/method_lit.txt"
method allocation_single "'table'" >"$tmp/method_single.txt"
[ -s "$tmp/method_single.txt" ] || ap_fail "no rows from utilization(..., 'table')"
diff -q "$tmp/method_single.txt" "$tmp/method_col.txt" >/dev/null \
	|| ap_fail "utilization(..., method) through the shards differs from the single cluster's"
diff -q "$tmp/method_single.txt" "$tmp/method_lit.txt" >/dev/null \
	|| ap_fail "utilization(..., 'table') over the partitioned table differs from the single cluster's"
ap_say "utilization with a method: shipped when the method is a column, aggregated on the coordinator when it is a literal; $(wc -l <"$tmp/method_single.txt") rows equal to the single cluster's"

# --- 4. negative control: without `extensions` the rows come over ---------
run allocation_plain "$here/report.sql" explain >"$tmp/plain_plan.txt"
run allocation_plain "$here/report.sql" >"$tmp/plain.txt"
for f in $aggs; do
	ap_expect "Remote SQL with public.$f(, no extensions option" 0 \
		"$(remote_with "$tmp/plain_plan.txt" "public\.$f(")"
done
ap_expect "Remote SQL fetching rows, no extensions option" 2 \
	"$(remote_with "$tmp/plain_plan.txt" -E 'SELECT member, kind, block, used, allocated_on FROM public\.allocation( ORDER BY .*)?$')"
ap_expect "Remote SQL with GROUP BY, no extensions option" 0 \
	"$(remote_with "$tmp/plain_plan.txt" 'GROUP BY')"
n=$(agg_nodes "$tmp/plain_plan.txt")
ap_expect "aggregate nodes on the coordinator, no extensions option: at least one" yes \
	"$([ "$n" -ge 1 ] && echo yes || echo "$n")"
diff -q "$tmp/single.txt" "$tmp/plain.txt" >/dev/null \
	|| ap_fail "the report through servers without the extensions option differs"
ap_say "negative control: without the extensions option the Remote SQL fetches the rows and the coordinator aggregates (same answer)"

# AP_DIST_OUT=DIR: keep the plans and reports, and run the examples of
# doc/scaling.md (examples.sql) into DIR/examples.out, to refresh the doc.
if [ -n "${AP_DIST_OUT:-}" ]; then
	mkdir -p "$AP_DIST_OUT"
	cp "$tmp"/*.txt "$AP_DIST_OUT"/
	q "$port_coord" -f "$here/examples.sql" >"$AP_DIST_OUT/examples.out" 2>&1 \
		|| ap_say "examples.sql failed: see $AP_DIST_OUT/examples.out"
	ap_say "plans, reports and examples.out in $AP_DIST_OUT"
fi

if ap_failed; then
	{ echo "--- plan, pushed report"; cat "$tmp/plan.txt"; echo "--- plan, pool"; cat "$tmp/pool_plan.txt"
	  echo "--- plan, method column"; cat "$tmp/method_col_plan.txt"
	  echo "--- plan, literal method"; cat "$tmp/method_lit_plan.txt"
	  echo "--- plan, no extensions option"; cat "$tmp/plain_plan.txt"; } >&2
fi
ap_finish "the sharded report, the two-level pool and the method column agree with one cluster's"
