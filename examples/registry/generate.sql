-- examples/registry/generate.sql — a deterministic, realistic registry.
--
-- Load schema.sql (and views.sql) first, into an empty registry.  Everything
-- is drawn from random() after setseed(), in an order that does not depend on
-- query plans (loops in member order, single-table scans), so every run
-- builds the same registry.  The data are synthetic: the prefixes are real
-- IPv4 and IPv6 space, the members and their holdings are invented.
--
-- What it builds:
--   * a free pool of three IPv4 /8s and two fragments, 51.1 million
--     addresses (and 2600::/12 of IPv6);
--   * 3,000 members who joined between 1998 and 2021, holding from a /24 to
--     a /12 each (many small, few large), received in one to five free-pool
--     allocations that double in size (a /20 holder: /22, /22, /21), at
--     least 100 days apart;
--   * every allocation goes through registry.allocate(), so through the
--     run-out trigger: when a request exceeds the maximum allocation of the
--     (shrinking) pool, the member asks for the maximum instead; late in the
--     history the pool runs low and the maximum falls;
--   * 5% of members also receive a transfer (from 147.0.0.0/8, which is not
--     in the free pool), 2% close and return everything to the free pool
--     (later allocations reuse the returned blocks: best fit), and half of
--     the /21-or-larger holders get an IPv6 /29, /32 or /36;
--   * assignments inside every allocation: the utilization of each block is
--     drawn as an HD ratio (older allocations better used than the most
--     recent one; one member in ten uses little), laid out as aligned
--     blocks at the start or at the end of the allocation, with nested
--     reassignments inside the large ones; IPv6 allocations get regional
--     blocks and /56 end sites, and a few /60s and /64s.
-- It takes a few seconds; it prints nothing but a one-line summary.

SET client_min_messages = warning;

CREATE TEMP TABLE gen_member (
	id			int PRIMARY KEY,
	masklen		int NOT NULL,		-- the holding it grows to: a /masklen
	hoarder		boolean NOT NULL	-- uses little of what it holds
);
CREATE TEMP TABLE gen_event (
	seq			serial PRIMARY KEY,
	on_date		date NOT NULL,
	member		int NOT NULL,
	kind		text NOT NULL,		-- alloc4, alloc6, transfer, close
	masklen		int
);
CREATE TEMP TABLE gen_target (
	block		cidr PRIMARY KEY,
	h_old		float8 NOT NULL,	-- HD ratio of the block if not the most recent
	h_recent	float8 NOT NULL,	-- ... if it is
	from_end	boolean NOT NULL	-- assignments laid out from the end
);

DO $gen$
DECLARE
	n_members	constant int := 3000;
	last_day	constant date := '2024-12-31';
	-- the size classes: /24 .. /12 holders, in per mille
	weights		constant int[] := ARRAY[300, 150, 150, 100, 100, 60, 50, 30, 25, 15, 10, 6, 4];
	pfx			constant text[] := ARRAY['Blue', 'North', 'Metro', 'Alpine', 'Coastal', 'Prairie',
		'Summit', 'Harbor', 'Cedar', 'Granite', 'River', 'Lakeside', 'Valley', 'Pioneer',
		'Atlas', 'Beacon', 'Orbit', 'Delta', 'Evergreen', 'Frontier'];
	sfx			constant text[] := ARRAY['Networks', 'Telecom', 'Fiber', 'Broadband', 'Hosting',
		'Cloud', 'Data', 'Wireless', 'Internet', 'Communications'];
	r			float8;
	acc			int;
	m			int;
	k			int;
	i			int;
	joined		date;
	d			date;
	ev			record;
	max_len		int;
	largest		int;
	len			int;
	got			cidr;
	transfers	cidr[] := '{}';
	hoard		boolean;
BEGIN
	PERFORM setseed(0.2024);

	INSERT INTO registry.free_pool (block)
	SELECT unnest(cidr_merge(b)) FROM unnest(ARRAY[
		'23.0.0.0/8', '45.0.0.0/8', '63.0.0.0/8', '104.0.0.0/13', '107.160.0.0/14',
		'2600::/12']::cidr[]) b GROUP BY family(b);

	-- members, and the events of their history
	FOR i IN 1 .. n_members LOOP
		joined := date '1998-01-01' + floor(random() * (date '2021-12-31' - date '1998-01-01'))::int;
		r := random() * 1000;
		acc := 0;
		m := 12;
		FOR k IN 1 .. 13 LOOP
			acc := acc + weights[k];
			IF r < acc THEN m := 25 - k; EXIT; END IF;
		END LOOP;
		hoard := random() < 0.1;
		INSERT INTO registry.member (id, name, joined)
		VALUES (i, pg_catalog.format('%s %s %s', pfx[1 + i % 20], sfx[1 + (i / 20) % 10], i), joined);
		INSERT INTO gen_member VALUES (i, m, hoard);

		-- k allocations: a /m in one, else /(m+k-1) twice, then doubling
		-- up to /(m+1): they add up to a /m
		k := least(5, 1 + floor(random() * (25 - m))::int);
		d := joined + floor(random() * 90)::int;
		FOR j IN 1 .. k LOOP
			EXIT WHEN d > last_day;
			INSERT INTO gen_event (on_date, member, kind, masklen)
			VALUES (d, i, 'alloc4', CASE WHEN k = 1 THEN m
										 ELSE m + k - greatest(j, 2) + 1 END);
			d := d + 100 + floor(random() * 900)::int;
		END LOOP;

		r := random();
		IF r < 0.05 THEN
			d := joined + floor(random() * 3000)::int;
			IF d <= last_day THEN
				INSERT INTO gen_event (on_date, member, kind, masklen)
				VALUES (d, i, 'transfer', 18 + floor(random() * 7)::int);
			END IF;
		END IF;
		r := random();
		IF r < 0.02 THEN
			d := joined + 365 + floor(random() * 4000)::int;
			IF d <= last_day THEN
				INSERT INTO gen_event (on_date, member, kind) VALUES (d, i, 'close');
			END IF;
		END IF;
		r := random();
		IF m <= 21 AND r < 0.5 THEN
			d := greatest(joined, date '2008-01-01') + floor(random() * 2500)::int;
			IF d <= last_day THEN
				INSERT INTO gen_event (on_date, member, kind, masklen)
				VALUES (d, i, 'alloc6', CASE WHEN m <= 14 THEN 29 WHEN m <= 18 THEN 32 ELSE 36 END);
			END IF;
		END IF;
	END LOOP;

	-- the history, in date order (with fresh statistics now and then, for
	-- the plans of the triggers' queries)
	ANALYZE registry.member;
	FOR ev IN SELECT * FROM gen_event ORDER BY on_date, member, seq LOOP
		IF ev.seq % 1000 = 0 THEN
			ANALYZE registry.allocation;
			ANALYZE registry.free_pool;
		END IF;
		CONTINUE WHEN NOT EXISTS (SELECT 1 FROM registry.member WHERE id = ev.member);
		IF ev.kind = 'close' THEN
			DELETE FROM gen_target t USING registry.allocation a
			WHERE a.member = ev.member AND t.block = a.block;
			DELETE FROM registry.allocation WHERE member = ev.member;
			DELETE FROM registry.member WHERE id = ev.member;
			CONTINUE;
		END IF;
		IF ev.kind = 'transfer' THEN
			got := cidr_first_free('{147.0.0.0/8}', transfers, ev.masklen);
			INSERT INTO registry.allocation (member, block, allocated_on, source)
			VALUES (ev.member, got, ev.on_date, 'transfer');
			transfers := transfers || got;
		ELSE
			len := ev.masklen;
			IF ev.kind = 'alloc4' THEN
				-- ask for no more than the maximum allocation and the
				-- largest free block
				SELECT max_allocation(array_agg(f.block)), min(masklen(f.block))
				INTO max_len, largest
				FROM registry.free_pool f WHERE family(f.block) = 4;
				CONTINUE WHEN largest IS NULL OR largest > 24;
				len := greatest(len, max_len, largest);
			END IF;
			got := registry.allocate(ev.member, len, ev.on_date,
									 CASE ev.kind WHEN 'alloc6' THEN 6 ELSE 4 END);
		END IF;
		SELECT hoarder INTO hoard FROM gen_member WHERE id = ev.member;
		INSERT INTO gen_target VALUES (got,
			CASE WHEN hoard THEN 0.80 + 0.10 * random() ELSE 1 - 0.04 * random() ^ 2 END,
			CASE WHEN hoard THEN 0.75 + 0.10 * random() ELSE 0.89 + 0.11 * random() END,
			random() < 0.5);
	END LOOP;
END
$gen$;

-- Pure helpers for IPv6 blocks at /64 or coarser: the top 64 bits of the
-- address as a bigint (all of 2600::/12 is below 2^63), and back.
CREATE FUNCTION pg_temp.v6_top64(a inet) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
	-- inet_send: family, bits, is_cidr, length, then the address bytes
	SELECT ('x' || encode(substring(inet_send(a) FROM 5 FOR 8), 'hex'))::bit(64)::bigint
$$;
CREATE FUNCTION pg_temp.v6_block(top64 bigint, len int) RETURNS cidr
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT set_masklen(pg_catalog.format('%s:%s:%s:%s::',
		to_hex((top64 >> 48) & 65535), to_hex((top64 >> 32) & 65535),
		to_hex((top64 >> 16) & 65535), to_hex(top64 & 65535))::inet, len)::cidr
$$;

-- IPv4 assignments.  Used addresses: size ^ h, in units of 1/256 of the
-- block (at least one address), written as a sum of powers of two; each
-- power is one aligned block, the largest first (from the start of the
-- allocation, or from its end).  Blocks of a /22 or more hold a nested
-- reassignment of their first quarter.
INSERT INTO registry.assignment (member, block, assigned_on, customer)
WITH a AS (
	SELECT al.id, al.member, al.block, al.allocated_on, t.from_end,
		   32 - masklen(al.block) AS bits,
		   greatest(0, 32 - masklen(al.block) - 8) AS gbits,
		   CASE WHEN row_number() OVER (PARTITION BY al.member
										ORDER BY al.allocated_on DESC, masklen(al.block), al.block DESC) = 1
				THEN t.h_recent ELSE t.h_old END AS h
	FROM registry.allocation al
	JOIN gen_target t ON t.block = al.block
	WHERE family(al.block) = 4
), u AS (
	SELECT a.*, floor(power(2::float8 ^ bits, h) / 2::float8 ^ gbits)::bigint AS units
	FROM a
), blk AS (
	SELECT u.id, u.member, u.allocated_on, j,
		   set_masklen(host(u.block)::inet
					   + (CASE WHEN u.from_end
							   THEN (1::bigint << (u.bits - u.gbits)) - ((u.units >> (j + 1)) << (j + 1)) - (1::bigint << j)
							   ELSE (u.units >> (j + 1)) << (j + 1) END) * (1::bigint << u.gbits),
					   32 - u.gbits - j)::cidr AS block
	FROM u CROSS JOIN LATERAL generate_series(0, u.bits - u.gbits) j
	WHERE (u.units >> j) & 1 = 1
)
SELECT member, block, least(allocated_on + ((id * 7 + j * 31) % 400)::int, date '2024-12-31'),
	   pg_catalog.format('customer %s.%s', id, j)
FROM blk
UNION ALL
SELECT member, set_masklen(block, masklen(block) + 2)::cidr, least(allocated_on + ((id * 7 + j * 31) % 400)::int + 30, date '2024-12-31'),
	   pg_catalog.format('customer %s.%s.1', id, j)
FROM blk WHERE masklen(block) <= 22;

-- IPv6 assignments, in /56 units: regional blocks (a sum of powers of two
-- of 1/4096 of the allocation, from the start) with a nested /48 each, then
-- end sites right after them: 20 to 59 /56s, a /60, and three /64s in one
-- /56 (one unit touched).
INSERT INTO registry.assignment (member, block, assigned_on, customer)
WITH a AS (
	SELECT al.id, al.member, al.block, al.allocated_on,
		   pg_temp.v6_top64(al.block) AS top,
		   56 - masklen(al.block) AS bits,
		   greatest(0, 56 - masklen(al.block) - 12) AS gbits,
		   t.h_recent AS h
	FROM registry.allocation al
	JOIN gen_target t ON t.block = al.block
	WHERE family(al.block) = 6
), u AS (
	SELECT a.*, least(floor(power(2::float8 ^ bits, h) / 2::float8 ^ gbits)::bigint,
					  (1::bigint << (bits - gbits)) - 1) AS units
	FROM a
), blk AS (
	SELECT u.id, u.member, u.allocated_on, j,
		   pg_temp.v6_block(u.top + ((u.units >> (j + 1)) << (j + 1)) * (256::bigint << u.gbits),
							56 - u.gbits - j) AS block
	FROM u CROSS JOIN LATERAL generate_series(0, u.bits - u.gbits) j
	WHERE (u.units >> j) & 1 = 1
), sites AS (
	-- the first unit after the regional blocks, and how many end sites
	SELECT u.id, u.member, u.allocated_on, u.top + (u.units << u.gbits) * 256 AS first,
		   20 + (u.id * 13) % 40 AS n
	FROM u
)
SELECT member, block, least(allocated_on + ((id * 7 + j * 31) % 400)::int, date '2024-12-31'),
	   pg_catalog.format('region %s.%s', id, j)
FROM blk
UNION ALL
SELECT member, pg_temp.v6_block(pg_temp.v6_top64(block), 48), least(allocated_on + ((id * 7 + j * 31) % 400)::int + 30, date '2024-12-31'),
	   pg_catalog.format('region %s.%s.1', id, j)
FROM blk WHERE masklen(block) < 48
UNION ALL
SELECT s.member, pg_temp.v6_block(s.first + e * 256, 56), least(s.allocated_on + ((s.id + e * 11) % 700)::int, date '2024-12-31'),
	   pg_catalog.format('site %s.%s', s.id, e)
FROM sites s CROSS JOIN LATERAL generate_series(0, s.n - 1) e
UNION ALL
SELECT s.member, pg_temp.v6_block(s.first + s.n * 256, 60), least(s.allocated_on + 45, date '2024-12-31'),
	   pg_catalog.format('site %s.%s', s.id, s.n)
FROM sites s
UNION ALL
SELECT s.member, pg_temp.v6_block(s.first + (s.n + 1) * 256 + x, 64), least(s.allocated_on + 60 + x, date '2024-12-31'),
	   pg_catalog.format('site %s.%s.%s', s.id, s.n + 1, x)
FROM sites s CROSS JOIN generate_series(0, 2) x;

DROP FUNCTION pg_temp.v6_top64(inet);
DROP FUNCTION pg_temp.v6_block(bigint, int);
DROP TABLE gen_member, gen_event, gen_target;
RESET client_min_messages;

ANALYZE registry.member;
ANALYZE registry.allocation;
ANALYZE registry.assignment;
ANALYZE registry.free_pool;

SELECT (SELECT count(*) FROM registry.member) AS members,
	   (SELECT count(*) FROM registry.allocation) AS allocations,
	   (SELECT count(*) FROM registry.assignment) AS assignments,
	   (SELECT count(*) FROM registry.free_pool) AS free_blocks;
