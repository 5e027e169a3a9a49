#!/usr/bin/env bash
# test/bench/netbox.sh — netbox_prefix_utilization() for every prefix of a
# large NetBox against what NetBox does for one prefix at a time (issue 16):
#
#   ours  SELECT ... FROM netbox_prefix_utilization(): every prefix, timed
#         whole (best of AP_BENCH_REPS, at most 3);
#   (a)   the queries NetBox's Prefix.get_utilization issues for a prefix
#         (NetBox 4.6's ip.py, the SQL its ORM writes: the child prefixes of
#         a container; the mark_utilized ranges and the addresses of the
#         others, each with NetBox's default ORDER BY), run from PL/pgSQL
#         with EXECUTE (planned each time, as Django's queries are) for a
#         sample of prefixes, rows fetched; per prefix, then extrapolated;
#   (b)   NetBox's Python algorithm (netaddr IPSets built from those rows,
#         their sizes, the percentage) over the same sample, the rows
#         fetched beforehand and not timed; per prefix, then extrapolated;
#   (c)   plain SQL with addrpolicy's older functions and no new C: one
#         statement, a correlated cidr_merge per prefix over the same rows
#         (a prefix's addresses as /32 or /128 blocks, ranges through
#         range_to_cidrs); the same sample, extrapolated.  Its address test
#         is written host(address)::inet BETWEEN the prefix's first and last
#         address: PostgreSQL turns x <<= prefix into a range scan of the
#         btree index on host(address)::inet only when prefix is a constant
#         (network_subset_support), never for a correlated column, so the
#         test NetBox writes would read every address for every prefix.
#
# Its own database; deterministic data (netbox/data.sql).  Sizes:
#   AP_BENCH_NETBOX_PREFIXES (1000000), AP_BENCH_NETBOX_ADDRESSES
#   (10000000), AP_BENCH_NETBOX_RANGES (50000), AP_BENCH_NETBOX_SAMPLE
#   (2000 prefixes for (a), (b) and (c)).
# Runs inside the throw-away cluster of `make bench` (test/bench/run.sh) or
# alone in one: pg_virtualenv -t bash test/bench/netbox.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefixes=${AP_BENCH_NETBOX_PREFIXES:-1000000}
addresses=${AP_BENCH_NETBOX_ADDRESSES:-10000000}
ranges=${AP_BENCH_NETBOX_RANGES:-50000}
sample=${AP_BENCH_NETBOX_SAMPLE:-2000}
reps=${AP_BENCH_REPS:-3}
[ "$reps" -gt 3 ] && reps=3
db=ap_bench_netbox_$$
psql() { command psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d "$db" "$@"; }
py=
for c in python3 /usr/bin/python3; do
	if command -v "$c" >/dev/null && "$c" -c 'import netaddr' 2>/dev/null; then py=$c; break; fi
done
[ -n "$py" ] || { echo "netbox bench: needs python3 with netaddr (python3-netaddr)" >&2; exit 1; }

createdb "$db"
trap 'dropdb --if-exists "$db"' EXIT
t0=$(date +%s)
psql -f "$root/test/netbox/schema.sql"
psql -v prefixes="$prefixes" -v addresses="$addresses" -v ranges="$ranges" \
	-f "$here/netbox/data.sql"
psql -f "$root/test/netbox/indexes.sql"
psql -c "VACUUM (ANALYZE) public.ipam_prefix, public.ipam_ipaddress, public.ipam_iprange" -c CHECKPOINT
psql -c "CREATE EXTENSION addrpolicy_netbox CASCADE" 2>/dev/null
echo "data: $(command psql -X -A -t -d "$db" -c "SELECT format('%s prefixes (%s containers, %s IPv6), %s addresses, %s ranges (%s mark_utilized); %s', (SELECT count(*) FROM ipam_prefix), (SELECT count(*) FROM ipam_prefix WHERE status = 'container'), (SELECT count(*) FROM ipam_prefix WHERE family(prefix) = 6), (SELECT count(*) FROM ipam_ipaddress), (SELECT count(*) FROM ipam_iprange), (SELECT count(*) FROM ipam_iprange WHERE mark_utilized), pg_size_pretty(pg_database_size(current_database())))"), built in $(( $(date +%s) - t0 )) s"

psql <<SQL
SET jit = off;
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION pg_temp.sched_cpu() RETURNS bigint LANGUAGE plpgsql AS \$\$
BEGIN
    RETURN (string_to_array(trim(pg_read_file('/proc/self/schedstat')), ' '))[1]::bigint;
EXCEPTION WHEN OTHERS THEN RETURN NULL;
END \$\$;

-- ours: every prefix, best of $reps (after one warm-up run)
CREATE TABLE public.bench_ours (run int, wall_ms numeric, cpu_ms numeric, n bigint);
DO \$\$
DECLARE
    t timestamptz; c bigint; n bigint;
BEGIN
    FOR i IN 0 .. $reps LOOP
        c := pg_temp.sched_cpu(); t := clock_timestamp();
        SELECT count(*) INTO n FROM (SELECT * FROM netbox_prefix_utilization()) s;
        INSERT INTO public.bench_ours VALUES (i, extract(epoch FROM clock_timestamp() - t) * 1000,
                                   (pg_temp.sched_cpu() - c) / 1e6, n);
    END LOOP;
END \$\$;

-- this backend's peak resident memory so far (Linux VmHWM, shared buffers it
-- touched included): the session began with the runs above
SELECT coalesce((regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+) kB'))[1]::bigint / 1024, -1)
       AS ours_peak_mb \gset

-- the sample: every k-th prefix by id (the same for (a), (b) and (c))
CREATE TABLE public.bench_sample AS
SELECT x.id, x.prefix, x.vrf_id, x.status, x.is_pool, x.mark_utilized
FROM public.ipam_prefix x
WHERE x.id % greatest(1, (SELECT count(*) FROM public.ipam_prefix) / $sample) = 0;
ANALYZE public.bench_sample;

-- (a) NetBox's queries, one prefix at a time
CREATE FUNCTION pg_temp.netbox_get_utilization_queries() RETURNS TABLE (prefixes int, queries int, fetched bigint)
LANGUAGE plpgsql AS \$\$
DECLARE
    p record; r record; vrf text; q int := 0; f bigint := 0; n int := 0;
BEGIN
    FOR p IN SELECT * FROM public.bench_sample ORDER BY id LOOP
        n := n + 1;
        CONTINUE WHEN p.mark_utilized;          -- return 100 before any query
        vrf := CASE WHEN p.vrf_id IS NULL THEN 'IS NULL' ELSE '= ' || p.vrf_id END;
        IF p.status = 'container' THEN
            FOR r IN EXECUTE format('SELECT * FROM public.ipam_prefix WHERE prefix << %L AND vrf_id %s ORDER BY vrf_id ASC NULLS FIRST, prefix ASC, id ASC', p.prefix, vrf) LOOP
                f := f + 1;
            END LOOP;
            q := q + 1;
        ELSE
            FOR r IN EXECUTE format('SELECT * FROM public.ipam_iprange WHERE vrf_id %s AND CAST(HOST(start_address) AS INET) <<= %L AND CAST(HOST(end_address) AS INET) <<= %L AND mark_utilized ORDER BY vrf_id ASC NULLS FIRST, start_address ASC, id ASC', vrf, p.prefix, p.prefix) LOOP
                f := f + 1;
            END LOOP;
            FOR r IN EXECUTE format('SELECT * FROM public.ipam_ipaddress WHERE CAST(HOST(address) AS INET) <<= %L AND vrf_id %s ORDER BY address ASC, id ASC', p.prefix, vrf) LOOP
                f := f + 1;
            END LOOP;
            q := q + 2;
        END IF;
    END LOOP;
    RETURN QUERY SELECT n, q, f;
END \$\$;

-- (c) plain SQL with addrpolicy's older functions
CREATE FUNCTION pg_temp.plain_sql() RETURNS numeric LANGUAGE sql AS \$q\$
SELECT sum(used) FROM (
SELECT s.id,
       CASE WHEN s.status = 'container' THEN
            (SELECT addr_count(cidr_merge(c.prefix)) FROM public.ipam_prefix c
             WHERE c.prefix << s.prefix AND c.vrf_id IS NOT DISTINCT FROM s.vrf_id)
       ELSE
            (SELECT addr_count(cidr_merge(b)) FROM (
                SELECT set_masklen(host(a.address)::inet, CASE family(a.address) WHEN 4 THEN 32 ELSE 128 END)::cidr AS b
                FROM public.ipam_ipaddress a
                WHERE host(a.address)::inet BETWEEN host(network(s.prefix))::inet AND host(broadcast(s.prefix))::inet AND a.vrf_id IS NOT DISTINCT FROM s.vrf_id
                UNION ALL
                SELECT range_to_cidrs(r.start_address, r.end_address)
                FROM public.ipam_iprange r
                WHERE r.mark_utilized AND r.vrf_id IS NOT DISTINCT FROM s.vrf_id
                  AND host(r.start_address)::inet BETWEEN host(network(s.prefix))::inet AND host(broadcast(s.prefix))::inet AND host(r.end_address)::inet <<= s.prefix) u)
       END AS used
FROM public.bench_sample s) t
\$q\$;

CREATE TEMP TABLE t_a (run int, wall_ms numeric, cpu_ms numeric, prefixes int, queries int, fetched bigint);
CREATE TEMP TABLE t_c (run int, wall_ms numeric, cpu_ms numeric);
DO \$\$
DECLARE
    t timestamptz; c bigint; r record; n numeric;
BEGIN
    FOR i IN 0 .. $reps LOOP
        c := pg_temp.sched_cpu(); t := clock_timestamp();
        SELECT * INTO r FROM pg_temp.netbox_get_utilization_queries();
        INSERT INTO t_a VALUES (i, extract(epoch FROM clock_timestamp() - t) * 1000,
                                (pg_temp.sched_cpu() - c) / 1e6, r.prefixes, r.queries, r.fetched);
        c := pg_temp.sched_cpu(); t := clock_timestamp();
        n := pg_temp.plain_sql();
        INSERT INTO t_c VALUES (i, extract(epoch FROM clock_timestamp() - t) * 1000,
                                (pg_temp.sched_cpu() - c) / 1e6);
    END LOOP;
END \$\$;

\pset footer off
\echo '== netbox_prefix_utilization() for every prefix against NetBox''s way, one prefix at a time'
\echo '   (best of the timed runs after a warm-up, wall clock and CPU time of this backend; per prefix and'
\echo '    ratios from CPU time, which the machine''s other load does not inflate; (a), (b), (c) measured'
\echo '    on a sample of prefixes and extrapolated to all of them)'
WITH o AS (SELECT min(wall_ms) w, min(cpu_ms) c, max(n) n FROM public.bench_ours WHERE run > 0),
     a AS (SELECT min(wall_ms) w, min(cpu_ms) c, max(prefixes) s, max(queries) q, max(fetched) f FROM t_a WHERE run > 0),
     c AS (SELECT min(wall_ms) w, min(cpu_ms) c FROM t_c WHERE run > 0)
\echo 'peak memory of the backend after netbox_prefix_utilization() (VmHWM, its shared buffers included):' :ours_peak_mb 'MB'
SELECT 'ours: netbox_prefix_utilization()' AS "what",
       to_char(o.n, 'FM9,999,999') AS prefixes,
       round(o.w / 1000, 2) AS "wall s", round(o.c / 1000, 2) AS "cpu s",
       round(o.c * 1000 / o.n, 2) AS "cpu us per prefix", NULL::numeric AS "all prefixes, cpu s (extrapolated)",
       NULL::numeric AS "x slower than ours"
FROM o
UNION ALL
SELECT format('(a) NetBox''s queries (%s queries, %s rows)', a.q, a.f), to_char(a.s, 'FM9,999,999'),
       round(a.w / 1000, 2), round(a.c / 1000, 2), round(a.c * 1000 / a.s, 2),
       round(a.c / a.s * o.n / 1000, 1), round((a.c / a.s) / (o.c / o.n), 0)
FROM a, o
UNION ALL
SELECT '(c) plain SQL, older addrpolicy functions', to_char(a.s, 'FM9,999,999'),
       round(c.w / 1000, 2), round(c.c / 1000, 2), round(c.c * 1000 / a.s, 2),
       round(c.c / a.s * o.n / 1000, 1), round((c.c / a.s) / (o.c / o.n), 0)
FROM c, a, o;
SQL

# (b) NetBox's Python algorithm over the same sample's rows
"$py" "$here/netbox/python_algorithm.py" "$db"
