#!/usr/bin/env bash
# test/registry/check.sh — the example registry beyond pg_regress.
#
#  1. The Python check of expected/registry.out (verify_expected.py).
#  2. Concurrency: many sessions (pgbench, else parallel psql) allocate to
#     the same four members at once through registry.allocate() (random
#     sizes, random and back-dated days, some returns), first in READ
#     COMMITTED, then in SERIALIZABLE (serialization failures retried).
#     Afterwards: no two allocations overlap, the free pool and the
#     free-pool allocations are exactly the original pool (cidr_union; and
#     disjoint), the free pool is its own minimal CIDR list, and the
#     three-month rule holds for every member at every allocation date
#     against the maximum recorded then (and the check sees a planted
#     violation).  Then pg_dump of that database restores with the same
#     views and working triggers.
#  3. The generator and the views: generate.sql once, then sanity checks
#     (no NULL where a value must be, the views agree with utilization_check
#     and with a second way of counting, the pool is conserved, the rules
#     hold over the generated history); with AP_QUICK unset, a second run
#     must produce the same registry.
#
# AP_QUICK=1: 8 clients of 40 transactions each, one generated registry;
# otherwise 16 clients of 400 and the generator run twice.
. "$(dirname "$0")/../lib/harness.sh"
python3 test/registry/verify_expected.py

bindir=$("${PG_CONFIG:-pg_config}" --bindir)
pgbench=$bindir/pgbench
db=$(ap_dbname)
gen=$(ap_dbname gen)
gen2=$(ap_dbname gen2)
restored=$(ap_dbname restored)
ap_tmpdir work

# Free-pool allocations that break the three-month rule (or their maximum):
# at each one's date, the member's free-pool allocations of the three months
# up to it (inclusive) against the maximum recorded with it.
window_violations="
		SELECT count(*) FROM registry.allocation x
		WHERE x.source = 'free_pool' AND family(x.block) = 4
		  AND (x.max_allocation IS NULL
			   OR masklen(x.block) < x.max_allocation
			   OR (SELECT sum(addr_count(a.block)) FROM registry.allocation a
				   WHERE a.member = x.member AND a.source = 'free_pool' AND family(a.block) = 4
					 AND a.allocated_on BETWEEN (x.allocated_on - interval '3 months')::date
											AND x.allocated_on)
				  > prefix_size(x.max_allocation))"

# The invariants, as one query each (0 = holds).  $1: the original pool.
invariants() {
	local dbname=$1 pool=$2
	ap_expect "no two allocations overlap" 0 "$(ap_val -d "$dbname" -c "
		SELECT count(*) FROM registry.allocation a JOIN registry.allocation b
		  ON a.id < b.id AND a.block && b.block")"
	ap_expect "free pool + free-pool allocations = the original pool" t "$(ap_val -d "$dbname" -c "
		SELECT cidr_union(coalesce((SELECT array_agg(block) FROM registry.free_pool), '{}'),
						  coalesce((SELECT array_agg(block) FROM registry.allocation
									WHERE source = 'free_pool'), '{}'))
			   = cidr_union('$pool'::cidr[], '{}')")"
	ap_expect "free pool and allocations are disjoint" 0 "$(ap_val -d "$dbname" -c "
		SELECT addr_count(cidr_intersect(
			coalesce((SELECT array_agg(block) FROM registry.free_pool WHERE family(block) = 4), '{}'),
			coalesce((SELECT array_agg(block) FROM registry.allocation WHERE family(block) = 4), '{}')))
		  + addr_count(cidr_intersect(
			coalesce((SELECT array_agg(block) FROM registry.free_pool WHERE family(block) = 6), '{}'),
			coalesce((SELECT array_agg(block) FROM registry.allocation WHERE family(block) = 6), '{}')))")"
	ap_expect "the free pool is its own minimal CIDR list" t "$(ap_val -d "$dbname" -c "
		SELECT coalesce(array_agg(block ORDER BY block), '{}')
			   = cidr_union(coalesce(array_agg(block), '{}'), '{}')
		FROM registry.free_pool")"
	ap_expect "three-month rule at every allocation date (and each within its maximum)" 0 \
		"$(ap_val -d "$dbname" -c "$window_violations")"
}


echo "== concurrency: many sessions allocating to the same members at once"
ap_createdb "$db"
ap_psql -d "$db" -c 'CREATE EXTENSION addrpolicy' -f examples/registry/schema.sql -f examples/registry/views.sql
pool='{10.0.0.0/12,10.16.0.0/16,10.17.0.0/20,10.18.0.0/23,2001:db8::/32}'
ap_psql -d "$db" <<SQL
INSERT INTO registry.member (id, name, joined)
SELECT i, 'member ' || i, '2000-01-01' FROM generate_series(1, 4) i;
INSERT INTO registry.free_pool SELECT unnest('$pool'::cidr[]);
CREATE SCHEMA regtest;
CREATE TABLE regtest.outcome (kind text NOT NULL);
-- allocate, and record what happened (a refusal is an expected outcome)
CREATE FUNCTION regtest.try_allocate(m int, len int, d date, fam int DEFAULT 4)
RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
	PERFORM registry.allocate(m, len, d, fam);
	INSERT INTO regtest.outcome VALUES ('allocated');
	RETURN 'allocated';
EXCEPTION WHEN check_violation THEN
	INSERT INTO regtest.outcome VALUES (CASE
		WHEN SQLERRM LIKE '%within three months%' OR SQLERRM LIKE '%in the three months up to%'
			THEN 'refused: three-month window'
		WHEN SQLERRM LIKE '%exceeds the maximum allocation%' THEN 'refused: above the maximum'
		WHEN SQLERRM LIKE '%has no free%' THEN 'refused: no free block'
		ELSE 'refused: ' || SQLERRM END);
	RETURN 'refused';
END
\$\$;
SQL
cat > "$work/alloc.sql" <<'EOF'
\set m random(1, 4)
\set len random(14, 24)
\set day random(0, 200)
SELECT regtest.try_allocate(:m, :len, date '2024-01-01' + :day);
EOF
cat > "$work/alloc6.sql" <<'EOF'
\set m random(1, 4)
\set len random(36, 48)
SELECT regtest.try_allocate(:m, :len, date '2024-01-01', 6);
EOF
cat > "$work/return.sql" <<'EOF'
\set m random(1, 4)
\set k random(0, 3)
DELETE FROM registry.allocation
WHERE id = (SELECT id FROM registry.allocation WHERE member = :m ORDER BY id OFFSET :k LIMIT 1);
EOF
# the same, each in a SERIALIZABLE transaction
for f in alloc alloc6 return; do
	{ grep '^\\' "$work/$f.sql"; echo 'BEGIN ISOLATION LEVEL SERIALIZABLE;';
	  grep -v '^\\' "$work/$f.sql"; echo 'END;'; } > "$work/${f}_ser.sql"
done
# a fixed amount of work per client (not a time box), so the checks after it
# hold however loaded the machine is
if ap_quick; then txns=40; clients=8; else txns=400; clients=16; fi
# Without pgbench: the same mix from parallel psql sessions, one statement
# (one transaction) at a time; serialization failures roll back and count
# as retried, any other error is a failure.
psql_bench() {	# psql_bench SUFFIX
	local c i
	for c in $(seq "$clients"); do
		{
			for i in $(seq 150); do
				local m=$((RANDOM % 4 + 1)) day=$((RANDOM % 201))
				local sql
				case $((RANDOM % 15)) in
				0) sql="DELETE FROM registry.allocation WHERE id = (SELECT id FROM registry.allocation WHERE member = $m ORDER BY id OFFSET $((RANDOM % 4)) LIMIT 1);" ;;
				1 | 2) sql="SELECT regtest.try_allocate($m, $((RANDOM % 13 + 36)), date '2024-01-01', 6);" ;;
				*) sql="SELECT regtest.try_allocate($m, $((RANDOM % 11 + 14)), date '2024-01-01' + $day);" ;;
				esac
				if [ "$1" = _ser ]; then
					echo "BEGIN ISOLATION LEVEL SERIALIZABLE; $sql COMMIT;"
				else
					echo "$sql"
				fi
			done
		} > "$work/session$c.sql"
		# every statement, whatever the one before did
		ap_val -v ON_ERROR_STOP=0 -v VERBOSITY=sqlstate -d "$db" -f "$work/session$c.sql" > "$work/session$c.out" 2>&1 &
	done
	wait
	cat "$work"/session*.out | grep -E '^(psql:|ERROR)' | grep -v -E '40001|25P02' || return 0
	return 1
}

for mode in "read committed:" "serializable:_ser"; do
	name=${mode%%:*}; suffix=${mode#*:}
	if [ -x "$pgbench" ]; then
		echo "-- $name: $clients pgbench clients, $txns transactions each"
		rc=0
		"$pgbench" -n -c "$clients" -j 2 -t "$txns" --max-tries=50 \
			-f "$work/alloc$suffix.sql@12" -f "$work/alloc6$suffix.sql@2" -f "$work/return$suffix.sql@1" \
			"$db" > "$work/pgbench.out" 2>&1 || rc=$?
		[ "$rc" -eq 0 ] || cat "$work/pgbench.out"
		ap_expect "pgbench reports no error (its exit status)" 0 "$rc"
		grep -E '^number of (transactions actually processed|failed transactions|transactions retried)' \
			"$work/pgbench.out" | sed 's/^/  /'
	else
		echo "-- $name: $clients psql sessions of 150 statements (no pgbench here)"
		rc=0; psql_bench "$suffix" || rc=$?
		ap_expect "no session reports an unexpected error" 0 "$rc"
	fi
	ap_val -d "$db" -F ': ' -c "SELECT kind, count(*) FROM regtest.outcome GROUP BY kind ORDER BY kind" | sed 's/^/  /'
	ap_psql -d "$db" -c "TRUNCATE regtest.outcome"
	invariants "$db" "$pool"
done
ap_expect "allocations were made" t "$(ap_val -d "$db" -c "SELECT count(*) > 20 FROM registry.allocation")"
# the check itself catches a violation: a /16 slipped in past the trigger,
# on the date of an existing allocation, recorded under a /16 maximum
ap_expect "the three-month check sees a planted violation" t "$(ap_val -q -d "$db" <<SQL
BEGIN;
ALTER TABLE registry.allocation DISABLE TRIGGER allocation_insert;
INSERT INTO registry.allocation (member, block, allocated_on, max_allocation)
SELECT member, '10.255.0.0/16', allocated_on, 16 FROM registry.allocation
WHERE source = 'free_pool' AND family(block) = 4 ORDER BY id LIMIT 1;
SELECT ($window_violations) > 0;
ROLLBACK;
SQL
)"

echo "== pg_dump of the registry restores with the same views and working triggers"
ap_createdb "$restored"
pg_dump -d "$db" > "$work/dump.sql"
ap_psql -d "$restored" -f "$work/dump.sql" > /dev/null
views="SELECT * FROM registry.member_utilization ORDER BY member;
	SELECT * FROM registry.allocation_usage ORDER BY id;
	SELECT * FROM registry.pool_status ORDER BY family;
	SELECT * FROM registry.free_blocks_by_size ORDER BY family, masklen"
ap_expect "the restored views give the same rows" "$(ap_val -d "$db" -c "$views" | md5sum)" \
	"$(ap_val -d "$restored" -c "$views" | md5sum)"
out=$(ap_val -d "$restored" -c "INSERT INTO registry.allocation (member, block, allocated_on)
	VALUES (1, '192.0.2.0/24', '2030-01-01')" 2>&1 || true)
ap_expect "the restored trigger still refuses a block outside the free pool" \
	"ERROR:  block 192.0.2.0/24 is not in the free pool" "$(echo "$out" | head -1)"
ap_expect "the restored allocate() still allocates" t "$(ap_val -d "$restored" -c "
	SELECT regtest.try_allocate(1, 48, '2030-01-01', 6) = 'allocated'")"
out=$(ap_val -d "$restored" -c "SELECT registry.allocate(1, 24, 'infinity')" 2>&1 || true)
ap_expect "the restored CHECK still refuses an allocation dated infinity" \
	'ERROR:  new row for relation "allocation" violates check constraint "allocation_date_finite"' \
	"$(echo "$out" | head -1)"
# an allocated block added to the free pool from a trigger on another table
out=$(ap_val -d "$restored" 2>&1 <<'SQL' || true
CREATE TABLE regtest.request (block cidr NOT NULL);
CREATE FUNCTION regtest.request_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO registry.free_pool (block) VALUES (NEW.block); RETURN NULL; END $$;
CREATE TRIGGER request_insert AFTER INSERT ON regtest.request
	FOR EACH ROW EXECUTE FUNCTION regtest.request_insert();
INSERT INTO regtest.request SELECT block FROM registry.allocation ORDER BY id LIMIT 1;
SQL
)
ap_expect "the restored free-pool check still holds inside a trigger" "ERROR:  free block" \
	"$(echo "$out" | grep -o '^ERROR:  free block' | head -1)"

echo "== the generator and the views"
ap_createdb "$gen"
ap_psql -d "$gen" -c 'CREATE EXTENSION addrpolicy' -f examples/registry/schema.sql -f examples/registry/views.sql
start=$(date +%s%N)
ap_psql -d "$gen" -f examples/registry/generate.sql > "$work/gen.out"
echo "  generated in $(( ($(date +%s%N) - start) / 1000000 )) ms:" $(tail -n +3 "$work/gen.out" | head -1)
genpool='{23.0.0.0/8,45.0.0.0/8,63.0.0.0/8,104.0.0.0/13,107.160.0.0/14,2600::/12}'
invariants "$gen" "$genpool"
ap_psql -d "$gen" -c "CREATE TABLE mu AS SELECT * FROM registry.member_utilization"
ap_expect "a few thousand members, each with a name and a date" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FILTER (WHERE name IS NULL OR joined IS NULL)
		   + CASE WHEN count(*) BETWEEN 2000 AND 5000 THEN 0 ELSE 1 END FROM mu")"
ap_expect "members with IPv4: every figure and verdict present" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM mu WHERE allocations > 0 AND (
		held IS NULL OR used IS NULL OR total_hd IS NULL OR recent_block IS NULL
		OR recent_allocated IS NULL OR recent_used IS NULL OR recent_hd IS NULL
		OR hd_eligible IS NULL OR table_eligible IS NULL OR fixed_eligible IS NULL
		OR fixed_reason IS NULL <> fixed_eligible OR hd_reason IS NULL <> hd_eligible
		OR table_reason IS NULL <> table_eligible
		OR (hd_total_required IS NULL) <> (held < 4096) OR (hd_margin IS NULL) <> (held < 4096)
		OR used > held OR recent_used > recent_allocated)")"
ap_expect "members without IPv4: zeros and no verdict" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM mu WHERE allocations = 0
	  AND (held <> 0 OR used <> 0 OR hd_eligible IS NOT NULL OR fixed_reason IS NOT NULL)")"
ap_expect "members with IPv6: /56 figures present" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM mu WHERE v6_allocations > 0
	  AND (v6_units56 IS NULL OR v6_used56 IS NULL OR v6_hd IS NULL OR v6_eligible IS NULL
		   OR v6_used56 > v6_units56 OR v6_eligible <> (v6_used56 >= v6_required56))")"
ap_expect "the view's verdicts are utilization_check's for the same figures" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM mu
	CROSS JOIN LATERAL utilization_check(used, held, recent_used, recent_allocated, 'hd') h
	CROSS JOIN LATERAL utilization_check(used, held, recent_used, recent_allocated, 'table') t
	CROSS JOIN LATERAL utilization_check(used, held, recent_used, recent_allocated, 'fixed') f
	WHERE allocations > 0
	  AND ((h.eligible, h.reason, h.total_required, h.recent_required)
			 IS DISTINCT FROM (hd_eligible, hd_reason, hd_total_required, hd_recent_required)
		   OR (t.eligible, t.reason) IS DISTINCT FROM (table_eligible, table_reason)
		   OR (f.eligible, f.reason) IS DISTINCT FROM (fixed_eligible, fixed_reason))")"
# used, counted a second way: the assignments no other assignment of the
# member contains (the generator nests blocks exactly, never partly)
ap_expect "used per allocation = the outermost assignments, summed" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM registry.allocation_usage u
	WHERE u.family = 4 AND u.used IS DISTINCT FROM (
		SELECT coalesce(sum(addr_count(o.block)), 0)
		FROM (SELECT DISTINCT s.block FROM registry.assignment s
			  WHERE s.member = u.member AND s.block <<= u.block
				AND NOT EXISTS (SELECT 1 FROM registry.assignment t
								WHERE t.member = s.member AND t.block >> s.block)) o)")"
ap_expect "every assignment lies in an allocation of its member" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM registry.assignment s WHERE NOT EXISTS (
		SELECT 1 FROM registry.allocation a WHERE a.member = s.member AND s.block <<= a.block)")"
ap_expect "pool_status: free addresses, largest block, maximum and unit" 0 "$(ap_val -d "$gen" -c "
	SELECT count(*) FROM registry.pool_status p
	WHERE p.free_addresses <> (SELECT sum(addr_count(block)) FROM registry.free_pool
							   WHERE family(block) = p.family)
	   OR p.largest_free_block IS NULL OR p.blocks_by_size IS NULL
	   OR p.free_blocks <> (SELECT sum(blocks) FROM registry.free_blocks_by_size b
							WHERE b.family = p.family)
	   OR (p.family = 4 AND (p.max_allocation IS NULL OR NOT (
			-- 2009-8: the largest block of at most a quarter, but at least a /24
			(p.max_allocation = 24 AND p.free_addresses / 4 < 512)
			OR (prefix_size(p.max_allocation) <= p.free_addresses / 4
				AND p.free_addresses / 4 < prefix_size(p.max_allocation - 1)))))")"
ap_expect "pool_status has both families" 2 "$(ap_val -d "$gen" -c "SELECT count(*) FROM registry.pool_status")"
if ! ap_quick; then
	ap_createdb "$gen2"
	ap_psql -d "$gen2" -c 'CREATE EXTENSION addrpolicy' -f examples/registry/schema.sql \
		-f examples/registry/views.sql -f examples/registry/generate.sql > /dev/null
	digest="SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
		SELECT format('%s %s %s %s %s %s', id, member, block, allocated_on, source, max_allocation) t
		FROM registry.allocation
		UNION ALL SELECT format('%s %s %s %s', member, block, assigned_on, customer) FROM registry.assignment
		UNION ALL SELECT block::text FROM registry.free_pool
		UNION ALL SELECT format('%s %s %s', id, name, joined) FROM registry.member) x"
	ap_expect "the generator is deterministic" "$(ap_val -d "$gen" -c "$digest")" "$(ap_val -d "$gen2" -c "$digest")"
fi

ap_finish "the rules held under concurrent allocation, and the generated registry is sane"
