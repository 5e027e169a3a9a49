-- test/distributed/data.sql — loads the deterministic registry rows of the
-- members listed in :'members' (a text such as '{1,4,5}') into the table
-- :target.  Run on each shard for the members its partition holds, and on
-- the coordinator for all members into the single-cluster reference table.
--
-- Per member m (1 <= m <= 4095):
--   IPv4  allocation 10.0.0.0/8 + m * 4096, a /20, used 100 + (37 m mod 3900)
--         every third member also a /22 at 100.64.0.0 + m * 1024
--         assignments: 2 + m mod 5 /24s inside the /20 (offset 7k + m mod 16,
--         all distinct), a /26 nested in the first /24, a /25 that repeats
--         half of the second /24 (even members), and in the /22 a /23 with a
--         /24 nested in it
--   IPv6  allocation 2a00:<m>::/32, used (m mod 97 + 1) * 2^80
--         assignments: 1 + m mod 4 /48s 2a00:<m>:<13k+1>::/48, a /56 and a
--         /64 nested in the first /48
--   every 50th member one reservation with a NULL block (a NULL family group)
-- So every (member, family) group has assignments that overlap, and the
-- assignments lie inside the allocations (the HD ratio is defined).
INSERT INTO :target (member, kind, block, used, allocated_on)
SELECT r.member, r.kind, r.block, r.used, r.allocated_on
FROM pg_catalog.unnest(:'members'::pg_catalog.int4[]) AS m(id),
LATERAL (
	-- IPv4 allocations
	SELECT m.id, 'allocation',
		pg_catalog.set_masklen(('10.0.0.0'::pg_catalog.inet + m.id * 4096)::pg_catalog.cidr, 20),
		(100 + (37 * m.id) % 3900)::pg_catalog.numeric,
		DATE '2015-01-01' + (m.id * 7) % 2000
	UNION ALL
	SELECT m.id, 'allocation',
		pg_catalog.set_masklen(('100.64.0.0'::pg_catalog.inet + m.id * 1024)::pg_catalog.cidr, 22),
		(1 + (13 * m.id) % 1000)::pg_catalog.numeric,
		DATE '2019-06-01' + (m.id * 3) % 900
	WHERE m.id % 3 = 0
	-- IPv4 assignments
	UNION ALL
	SELECT m.id, 'assignment',
		pg_catalog.set_masklen(('10.0.0.0'::pg_catalog.inet + m.id * 4096
			+ ((7 * k + m.id) % 16) * 256)::pg_catalog.cidr, 24),
		NULL, NULL
	FROM pg_catalog.generate_series(0, 1 + m.id % 5) AS k
	UNION ALL
	SELECT m.id, 'assignment',
		pg_catalog.set_masklen(('10.0.0.0'::pg_catalog.inet + m.id * 4096
			+ (m.id % 16) * 256 + (m.id % 4) * 64)::pg_catalog.cidr, 26),
		NULL, NULL
	UNION ALL
	SELECT m.id, 'assignment',
		pg_catalog.set_masklen(('10.0.0.0'::pg_catalog.inet + m.id * 4096
			+ ((7 + m.id) % 16) * 256 + 128)::pg_catalog.cidr, 25),
		NULL, NULL
	WHERE m.id % 2 = 0
	UNION ALL
	SELECT m.id, 'assignment',
		pg_catalog.set_masklen(('100.64.0.0'::pg_catalog.inet + m.id * 1024 + 512)::pg_catalog.cidr, 23),
		NULL, NULL
	WHERE m.id % 3 = 0
	UNION ALL
	SELECT m.id, 'assignment',
		pg_catalog.set_masklen(('100.64.0.0'::pg_catalog.inet + m.id * 1024 + 768)::pg_catalog.cidr, 24),
		NULL, NULL
	WHERE m.id % 3 = 0
	-- IPv6 allocation and assignments
	UNION ALL
	SELECT m.id, 'allocation',
		('2a00:' || pg_catalog.to_hex(m.id) || '::/32')::pg_catalog.cidr,
		(m.id % 97 + 1) * 2::pg_catalog.numeric ^ 80,
		DATE '2012-01-01' + (m.id * 11) % 3000
	UNION ALL
	SELECT m.id, 'assignment',
		('2a00:' || pg_catalog.to_hex(m.id) || ':' || pg_catalog.to_hex(13 * k + 1) || '::/48')::pg_catalog.cidr,
		NULL, NULL
	FROM pg_catalog.generate_series(0, m.id % 4) AS k
	UNION ALL
	SELECT m.id, 'assignment',
		('2a00:' || pg_catalog.to_hex(m.id) || ':1:100::/56')::pg_catalog.cidr,
		NULL, NULL
	UNION ALL
	SELECT m.id, 'assignment',
		('2a00:' || pg_catalog.to_hex(m.id) || ':1:1ff::/64')::pg_catalog.cidr,
		NULL, NULL
	-- a reservation without a block yet
	UNION ALL
	SELECT m.id, 'reservation', NULL, NULL, NULL
	WHERE m.id % 50 = 0
) AS r(member, kind, block, used, allocated_on);
