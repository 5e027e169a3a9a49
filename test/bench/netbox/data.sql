-- test/bench/netbox/data.sql — a NetBox-shaped IPAM database for the
-- benchmark of test/bench/netbox.sh, in the tables of test/netbox/schema.sql
-- (loaded before), deterministic for given sizes (setseed, serial plans):
--   :prefixes   prefixes   (1,000,000)
--   :addresses  addresses  (10,000,000)
--   :ranges     IP ranges  (50,000)
--
-- Layout, as a large NetBox holds it: IPv4 /16 containers, each cut into
-- 16 /20s (container or active), /24s under them (62% of the prefixes:
-- mostly active, some reserved, deprecated, pools, marked utilized,
-- containers), and /26../32 leaves inside random /24s (12%); IPv6 /48
-- containers of 50 /64s each (the rest).  Each /16 or /48 tree belongs to
-- one VRF (the global table and 9 VRFs, in turn).  Addresses: 90% IPv4
-- hosts of random /24s (stored mostly with the /24 mask, some /32 or /16),
-- 10% IPv6 hosts of random /64s; duplicates happen as they come.  Ranges:
-- inside random /24s, half of them mark_utilized.

SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.16) \g /dev/null

SELECT round(:prefixes * 0.62)::bigint AS n24 \gset
SELECT (:n24 + 255) / 256 AS n16 \gset
SELECT :n16 * 16 AS n20, round(:prefixes * 0.12)::bigint AS nleaf \gset
SELECT greatest(1, (:prefixes - :n24 - :n16 - :n20 - :nleaf) / 51) AS n48 \gset
SELECT :prefixes - :n24 - :n16 - :n20 - :nleaf - :n48 AS n64 \gset

-- the VRF of tree g (a /16 or a /48): the global table, then VRFs 1..9
CREATE FUNCTION pg_temp.vrf(g bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
RETURN CASE WHEN g % 10 = 0 THEN NULL ELSE g % 10 END;
-- IPv4 /16 number g: 16.0.0.0/16 + g; /24 slot j lies in /16 j / 256
CREATE FUNCTION pg_temp.v4(j bigint, shift int) RETURNS inet LANGUAGE sql IMMUTABLE
RETURN '16.0.0.0'::inet + (j << shift);
CREATE FUNCTION pg_temp.v6(c bigint, s bigint) RETURNS inet LANGUAGE sql IMMUTABLE
RETURN format('2a00:%s:%s:%s::', to_hex(c >> 16), to_hex(c & 65535), to_hex(s))::inet;

CREATE TEMP SEQUENCE ids;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'), set_masklen(pg_temp.v4(g, 16), 16)::cidr, 'container', false, NULL,
       pg_temp.vrf(g), false
FROM generate_series(0, :n16 - 1) g;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'), set_masklen(pg_temp.v4(k, 12), 20)::cidr,
       CASE WHEN random() < 0.5 THEN 'container' ELSE 'active' END, false, NULL,
       pg_temp.vrf(k / 16), false
FROM generate_series(0, :n20 - 1) k;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'), set_masklen(pg_temp.v4(j, 8), 24)::cidr,
       CASE WHEN r < 0.70 THEN 'active' WHEN r < 0.80 THEN 'reserved'
            WHEN r < 0.90 THEN 'deprecated' ELSE 'container' END,
       random() < 0.10, NULL, pg_temp.vrf(j / 256), random() < 0.03
FROM (SELECT j, random() AS r FROM generate_series(0, :n24 - 1) j) s;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'),
       set_masklen(pg_temp.v4(j, 8) + ((floor(r2 * (1 << (len - 24)))::bigint) << (32 - len)), len)::cidr,
       CASE WHEN r2 < 0.8 THEN 'active' ELSE 'reserved' END, false, NULL,
       pg_temp.vrf(j / 256), false
FROM (SELECT floor(random() * :n24)::bigint AS j, 26 + floor(random() * 7)::int AS len,
             random() AS r2
      FROM generate_series(1, :nleaf)) s;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'), set_masklen(pg_temp.v6(c, 0), 48)::cidr, 'container', false, NULL,
       pg_temp.vrf(c), false
FROM generate_series(0, :n48 - 1) c;

INSERT INTO public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized)
SELECT nextval('ids'), set_masklen(pg_temp.v6(k / 50, k % 50), 64)::cidr,
       'active', false, NULL, pg_temp.vrf(k / 50), random() < 0.03
FROM generate_series(0, :n64 - 1) k;

-- addresses
INSERT INTO public.ipam_ipaddress (id, address, status, vrf_id)
SELECT i,
       CASE WHEN r < 0.9
            THEN set_masklen(pg_temp.v4(j, 8) + (1 + floor(h * 254)::bigint),
                             CASE WHEN m < 0.9 THEN 24 WHEN m < 0.95 THEN 32 ELSE 16 END)
            ELSE set_masklen(pg_temp.v6(k / 50, k % 50) + floor(h * 65536)::bigint, 64) END,
       'active',
       CASE WHEN r < 0.9 THEN pg_temp.vrf(j / 256) ELSE pg_temp.vrf(k / 50) END
FROM (SELECT i, random() AS r, floor(random() * :n24)::bigint AS j,
             floor(random() * greatest(:n64, 1))::bigint AS k, random() AS h, random() AS m
      FROM generate_series(1, :addresses) i) s;

-- ranges, inside /24s, up to 100 addresses
INSERT INTO public.ipam_iprange (id, start_address, end_address, size, status, vrf_id, mark_utilized)
SELECT i, pg_temp.v4(j, 8) + a, pg_temp.v4(j, 8) + b, (b - a + 1)::int, 'active',
       pg_temp.vrf(j / 256), u < 0.5
FROM (SELECT i, j, a, least(254, a + 4 + floor(l * 96)::bigint) AS b, u
      FROM (SELECT i, floor(random() * :n24)::bigint AS j, 10 + floor(random() * 140)::bigint AS a,
                   random() AS l, random() AS u
            FROM generate_series(1, :ranges) i) s0) s;
UPDATE public.ipam_iprange SET start_address = set_masklen(start_address, 24),
                               end_address = set_masklen(end_address, 24);

INSERT INTO public.ipam_rir VALUES (1, 'ARIN', 'arin', false), (2, 'RIPE NCC', 'ripe-ncc', false);
INSERT INTO public.ipam_aggregate VALUES (1, '16.0.0.0/4', '2015-03-01', 1, NULL),
                                         (2, '2a00::/12', '2018-09-01', 2, NULL);
RESET client_min_messages;
