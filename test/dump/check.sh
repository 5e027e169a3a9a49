#!/usr/bin/env bash
# test/dump/check.sh — a database whose CHECK constraints, index and views
# use the extension survives pg_dump and restores into a fresh database
# without error (pg_dump restores with an empty search_path).  The same in
# quick and full mode.
. "$(dirname "$0")/../lib/harness.sh"
src=$(ap_dbname src)
dst=$(ap_dbname dst)
ap_tmpdir tmp
dump=$tmp/dump.sql
ap_createdb "$src"; ap_createdb "$dst"
ap_psql -d "$src" <<'SQL'
CREATE EXTENSION addrpolicy;
CREATE TABLE allocation (
  id serial PRIMARY KEY,
  block cidr NOT NULL CHECK (addr_count(block) >= prefix_size(24)),
  used numeric NOT NULL CHECK (used <= usable_hosts(block)),
  CHECK (prefix_at_least(used) >= masklen(block))
);
CREATE INDEX allocation_size ON allocation ((addr_count(block)));
INSERT INTO allocation (block, used) VALUES ('10.0.0.0/20', 3500), ('10.1.0.0/24', 200);
CREATE VIEW allocation_hd AS
  SELECT id, block, hd_ratio(used, block) AS hd, hd_required(block) AS required,
         (utilization_check(used, addr_count(block), used, addr_count(block), 'fixed')).eligible
  FROM allocation;
SQL
# optional parts of the schema, as the features that provide them exist
for f in test/dump/*.sql; do
	[ -f "$f" ] && ap_psql -d "$src" -f "$f"
done
pg_dump -d "$src" > "$dump"
ap_psql -d "$dst" -f "$dump" >/dev/null
if ! diff <(ap_val -d "$src" -c "SELECT * FROM allocation_hd ORDER BY id") \
          <(ap_val -d "$dst" -c "SELECT * FROM allocation_hd ORDER BY id"); then
	ap_fail "the restored view gives other rows"
fi
# the restored constraint still guards the table
if ap_psql -d "$dst" -c "INSERT INTO allocation (block, used) VALUES ('10.2.0.0/28', 1)" 2>/dev/null; then
	ap_fail "the restored CHECK constraint let a /28 in"
fi
# the restored registry (test/dump/registry.sql): its trigger with a WHEN
# clause fires for an IPv4 /20 (4096 >= 4096) and not for a /24
if [ -f test/dump/registry.sql ]; then
	got=$(ap_val -d "$dst" -c "
		SELECT registry.allocate(1, 20, '2030-01-01'), registry.allocate(1, 24, '2030-06-01');
		SELECT count(*) FROM registry.large_allocation")
	# before: member 1's /20 (2019-01-10), member 2's /18 and the transfer
	# 172.16.0.0/20 (not the /21, nor the IPv6 /40); after: one more
	if [ "$(echo "$got" | tail -1)" != 4 ]; then
		ap_fail "the restored WHEN trigger counted $(echo "$got" | tail -1) large allocations, not 4"
	fi
fi
ap_say "pg_dump of a schema using addrpolicy in CHECK, index and view restores without error"
