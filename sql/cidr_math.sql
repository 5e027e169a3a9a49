--
-- cidr_math: addr_count, prefix_size, prefix_at_most, prefix_at_least,
-- usable_hosts.
--
-- Every `want` literal below was computed independently in Python (exact
-- integers and fractions): test/foundation/regress_values.py prints each
-- VALUES list under the section name given in the comment above it, so
-- `python3 test/foundation/regress_values.py SECTION` reproduces it.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

-- try helpers: the result as text, or E<SQLSTATE> when the call raises
CREATE FUNCTION pg_temp.t_most(x numeric, fam int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN prefix_at_most(x, fam)::text;
EXCEPTION WHEN OTHERS THEN
  RETURN 'E' || SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.t_least(x numeric, fam int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN prefix_at_least(x, fam)::text;
EXCEPTION WHEN OTHERS THEN
  RETURN 'E' || SQLSTATE;
END $$;
-- err(q): the SQLSTATE, message, detail and hint of the error q raises
CREATE FUNCTION pg_temp.err(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r text; m text; d text; h text;
BEGIN
  EXECUTE q INTO r;
  RETURN 'no error: ' || coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL,
                          h = PG_EXCEPTION_HINT;
  RETURN SQLSTATE || ': ' || m
         || CASE WHEN d <> '' THEN ' | DETAIL: ' || d ELSE '' END
         || CASE WHEN h <> '' THEN ' | HINT: ' || h ELSE '' END;
END $$;

-- The declarations: immutable, parallel safe, strict, commented.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel,
       p.proisstrict, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p
 WHERE p.oid IN ('addr_count(inet)'::regprocedure,
                 'prefix_size(int, int)'::regprocedure,
                 'prefix_at_most(numeric, int)'::regprocedure,
                 'prefix_at_least(numeric, int)'::regprocedure,
                 'usable_hosts(inet)'::regprocedure)
 ORDER BY p.oid::regprocedure::text;

--
-- addr_count(inet): every IPv4 masklen 0-32; the address has host bits set
-- (192.0.2.77), which must count as its network block.  want = 2^(32-m).
-- section addr_count_v4
CREATE TEMP TABLE sizes_v4 (m, want) AS VALUES
  (0, 4294967296),
  (1, 2147483648),
  (2, 1073741824),
  (3, 536870912),
  (4, 268435456),
  (5, 134217728),
  (6, 67108864),
  (7, 33554432),
  (8, 16777216),
  (9, 8388608),
  (10, 4194304),
  (11, 2097152),
  (12, 1048576),
  (13, 524288),
  (14, 262144),
  (15, 131072),
  (16, 65536),
  (17, 32768),
  (18, 16384),
  (19, 8192),
  (20, 4096),
  (21, 2048),
  (22, 1024),
  (23, 512),
  (24, 256),
  (25, 128),
  (26, 64),
  (27, 32),
  (28, 16),
  (29, 8),
  (30, 4),
  (31, 2),
  (32, 1);
SELECT v.m, addr_count(set_masklen('192.0.2.77'::inet, v.m)) AS got,
       addr_count(set_masklen('192.0.2.77'::inet, v.m)) = v.want AS ok
  FROM sizes_v4 v
 ORDER BY v.m;

-- IPv6, a spread of 0-128.  want = 2^(128-m).  section addr_count_v6
CREATE TEMP TABLE sizes_v6 (m, want) AS VALUES
  (0, 340282366920938463463374607431768211456),
  (1, 170141183460469231731687303715884105728),
  (2, 85070591730234615865843651857942052864),
  (8, 1329227995784915872903807060280344576),
  (16, 5192296858534827628530496329220096),
  (31, 158456325028528675187087900672),
  (32, 79228162514264337593543950336),
  (33, 39614081257132168796771975168),
  (48, 1208925819614629174706176),
  (56, 4722366482869645213696),
  (63, 36893488147419103232),
  (64, 18446744073709551616),
  (65, 9223372036854775808),
  (96, 4294967296),
  (112, 65536),
  (120, 256),
  (126, 4),
  (127, 2),
  (128, 1);
SELECT v.m, addr_count(set_masklen('2001:db8:1234:5678:9abc:def0:1234:5678'::inet, v.m)) AS got,
       addr_count(set_masklen('2001:db8:1234:5678:9abc:def0:1234:5678'::inet, v.m)) = v.want AS ok
  FROM sizes_v6 v
 ORDER BY v.m;

-- cidr arguments, by hand: /8 = 2^24 = 16777216, /0 = 2^32, ::/0 = 2^128,
-- a bare inet is a /32 or /128 = 1
SELECT addr_count('10.0.0.0/8'::cidr) AS "10/8",
       addr_count('0.0.0.0/0'::cidr) AS "0/0",
       addr_count('::/0'::cidr) AS "::/0",
       addr_count('192.0.2.1'::inet) AS "v4 host",
       addr_count('2001:db8::1'::inet) AS "v6 host";

--
-- prefix_size(masklen, family): equals addr_count of a /masklen, every IPv4
-- length (with the default family 4 and with 4 given) and the IPv6 spread.
-- section addr_count_v4 / addr_count_v6 (the same tables)
SELECT count(*) AS v4_lengths,
       count(*) FILTER (WHERE prefix_size(v.m) = v.want
                          AND prefix_size(v.m, 4) = v.want) AS v4_ok
  FROM sizes_v4 v;
SELECT v.m, prefix_size(v.m, 6) AS got, prefix_size(v.m, 6) = v.want AS ok
  FROM sizes_v6 v
 ORDER BY v.m;

--
-- prefix_at_most / prefix_at_least at and around every power of two:
-- each row k tests 2^k - 1, 2^k - 0.5, 2^k, 2^k + 0.5, 2^k + 1.
-- at_most = 32 - floor(log2(x)) (the largest block holding at most x),
-- 0 from 2^32 on, E22003 below 1; at_least = 32 - ceil(log2(x)), 32 for
-- x <= 1, E22003 above 2^32.  section at_most_v4
SELECT v.k, g.*, ROW(g.*) = ROW(v.w1, v.w2, v.w3, v.w4, v.w5) AS ok
  FROM (VALUES
  (0, 'E22003', 'E22003', '32', '32', '31'),
  (1, '32', '32', '31', '31', '31'),
  (2, '31', '31', '30', '30', '30'),
  (3, '30', '30', '29', '29', '29'),
  (4, '29', '29', '28', '28', '28'),
  (5, '28', '28', '27', '27', '27'),
  (6, '27', '27', '26', '26', '26'),
  (7, '26', '26', '25', '25', '25'),
  (8, '25', '25', '24', '24', '24'),
  (9, '24', '24', '23', '23', '23'),
  (10, '23', '23', '22', '22', '22'),
  (11, '22', '22', '21', '21', '21'),
  (12, '21', '21', '20', '20', '20'),
  (13, '20', '20', '19', '19', '19'),
  (14, '19', '19', '18', '18', '18'),
  (15, '18', '18', '17', '17', '17'),
  (16, '17', '17', '16', '16', '16'),
  (17, '16', '16', '15', '15', '15'),
  (18, '15', '15', '14', '14', '14'),
  (19, '14', '14', '13', '13', '13'),
  (20, '13', '13', '12', '12', '12'),
  (21, '12', '12', '11', '11', '11'),
  (22, '11', '11', '10', '10', '10'),
  (23, '10', '10', '9', '9', '9'),
  (24, '9', '9', '8', '8', '8'),
  (25, '8', '8', '7', '7', '7'),
  (26, '7', '7', '6', '6', '6'),
  (27, '6', '6', '5', '5', '5'),
  (28, '5', '5', '4', '4', '4'),
  (29, '4', '4', '3', '3', '3'),
  (30, '3', '3', '2', '2', '2'),
  (31, '2', '2', '1', '1', '1'),
  (32, '1', '1', '0', '0', '0'),
  (33, '0', '0', '0', '0', '0')
       ) v(k, w1, w2, w3, w4, w5),
       LATERAL (SELECT pg_temp.t_most(2::numeric ^ v.k - 1, 4) AS "2^k-1",
                       pg_temp.t_most(2::numeric ^ v.k - 0.5, 4) AS "2^k-0.5",
                       pg_temp.t_most(2::numeric ^ v.k, 4) AS "2^k",
                       pg_temp.t_most(2::numeric ^ v.k + 0.5, 4) AS "2^k+0.5",
                       pg_temp.t_most(2::numeric ^ v.k + 1, 4) AS "2^k+1") g
 ORDER BY v.k;
-- section at_least_v4
SELECT v.k, g.*, ROW(g.*) = ROW(v.w1, v.w2, v.w3, v.w4, v.w5) AS ok
  FROM (VALUES
  (0, '32', '32', '32', '31', '31'),
  (1, '32', '31', '31', '30', '30'),
  (2, '30', '30', '30', '29', '29'),
  (3, '29', '29', '29', '28', '28'),
  (4, '28', '28', '28', '27', '27'),
  (5, '27', '27', '27', '26', '26'),
  (6, '26', '26', '26', '25', '25'),
  (7, '25', '25', '25', '24', '24'),
  (8, '24', '24', '24', '23', '23'),
  (9, '23', '23', '23', '22', '22'),
  (10, '22', '22', '22', '21', '21'),
  (11, '21', '21', '21', '20', '20'),
  (12, '20', '20', '20', '19', '19'),
  (13, '19', '19', '19', '18', '18'),
  (14, '18', '18', '18', '17', '17'),
  (15, '17', '17', '17', '16', '16'),
  (16, '16', '16', '16', '15', '15'),
  (17, '15', '15', '15', '14', '14'),
  (18, '14', '14', '14', '13', '13'),
  (19, '13', '13', '13', '12', '12'),
  (20, '12', '12', '12', '11', '11'),
  (21, '11', '11', '11', '10', '10'),
  (22, '10', '10', '10', '9', '9'),
  (23, '9', '9', '9', '8', '8'),
  (24, '8', '8', '8', '7', '7'),
  (25, '7', '7', '7', '6', '6'),
  (26, '6', '6', '6', '5', '5'),
  (27, '5', '5', '5', '4', '4'),
  (28, '4', '4', '4', '3', '3'),
  (29, '3', '3', '3', '2', '2'),
  (30, '2', '2', '2', '1', '1'),
  (31, '1', '1', '1', '0', '0'),
  (32, '0', '0', '0', 'E22003', 'E22003'),
  (33, 'E22003', 'E22003', 'E22003', 'E22003', 'E22003')
       ) v(k, w1, w2, w3, w4, w5),
       LATERAL (SELECT pg_temp.t_least(2::numeric ^ v.k - 1, 4) AS "2^k-1",
                       pg_temp.t_least(2::numeric ^ v.k - 0.5, 4) AS "2^k-0.5",
                       pg_temp.t_least(2::numeric ^ v.k, 4) AS "2^k",
                       pg_temp.t_least(2::numeric ^ v.k + 0.5, 4) AS "2^k+0.5",
                       pg_temp.t_least(2::numeric ^ v.k + 1, 4) AS "2^k+1") g
 ORDER BY v.k;
-- IPv6 (width 128), a spread of k up to 129.  section at_most_v6
SELECT v.k, g.*, ROW(g.*) = ROW(v.w1, v.w2, v.w3, v.w4, v.w5) AS ok
  FROM (VALUES
  (0, 'E22003', 'E22003', '128', '128', '127'),
  (1, '128', '128', '127', '127', '127'),
  (2, '127', '127', '126', '126', '126'),
  (31, '98', '98', '97', '97', '97'),
  (32, '97', '97', '96', '96', '96'),
  (33, '96', '96', '95', '95', '95'),
  (52, '77', '77', '76', '76', '76'),
  (53, '76', '76', '75', '75', '75'),
  (54, '75', '75', '74', '74', '74'),
  (63, '66', '66', '65', '65', '65'),
  (64, '65', '65', '64', '64', '64'),
  (65, '64', '64', '63', '63', '63'),
  (100, '29', '29', '28', '28', '28'),
  (126, '3', '3', '2', '2', '2'),
  (127, '2', '2', '1', '1', '1'),
  (128, '1', '1', '0', '0', '0'),
  (129, '0', '0', '0', '0', '0')
       ) v(k, w1, w2, w3, w4, w5),
       LATERAL (SELECT pg_temp.t_most(2::numeric ^ v.k - 1, 6) AS "2^k-1",
                       pg_temp.t_most(2::numeric ^ v.k - 0.5, 6) AS "2^k-0.5",
                       pg_temp.t_most(2::numeric ^ v.k, 6) AS "2^k",
                       pg_temp.t_most(2::numeric ^ v.k + 0.5, 6) AS "2^k+0.5",
                       pg_temp.t_most(2::numeric ^ v.k + 1, 6) AS "2^k+1") g
 ORDER BY v.k;
-- section at_least_v6 (2^128 itself fits ::/0: 0; above it E22003)
SELECT v.k, g.*, ROW(g.*) = ROW(v.w1, v.w2, v.w3, v.w4, v.w5) AS ok
  FROM (VALUES
  (0, '128', '128', '128', '127', '127'),
  (1, '128', '127', '127', '126', '126'),
  (2, '126', '126', '126', '125', '125'),
  (31, '97', '97', '97', '96', '96'),
  (32, '96', '96', '96', '95', '95'),
  (33, '95', '95', '95', '94', '94'),
  (52, '76', '76', '76', '75', '75'),
  (53, '75', '75', '75', '74', '74'),
  (54, '74', '74', '74', '73', '73'),
  (63, '65', '65', '65', '64', '64'),
  (64, '64', '64', '64', '63', '63'),
  (65, '63', '63', '63', '62', '62'),
  (100, '28', '28', '28', '27', '27'),
  (126, '2', '2', '2', '1', '1'),
  (127, '1', '1', '1', '0', '0'),
  (128, '0', '0', '0', 'E22003', 'E22003'),
  (129, 'E22003', 'E22003', 'E22003', 'E22003', 'E22003')
       ) v(k, w1, w2, w3, w4, w5),
       LATERAL (SELECT pg_temp.t_least(2::numeric ^ v.k - 1, 6) AS "2^k-1",
                       pg_temp.t_least(2::numeric ^ v.k - 0.5, 6) AS "2^k-0.5",
                       pg_temp.t_least(2::numeric ^ v.k, 6) AS "2^k",
                       pg_temp.t_least(2::numeric ^ v.k + 0.5, 6) AS "2^k+0.5",
                       pg_temp.t_least(2::numeric ^ v.k + 1, 6) AS "2^k+1") g
 ORDER BY v.k;

-- The issue's examples, by hand: 1000 -> 23 (2^9 = 512 <= 1000 < 1024),
-- 1024 -> 22; prefix_at_least 1000 -> 22 (1024 >= 1000 > 512), 1 -> 32,
-- 0 -> 32.
SELECT prefix_at_most(1000) AS "most 1000", prefix_at_most(1024) AS "most 1024",
       prefix_at_least(1000) AS "least 1000", prefix_at_least(1) AS "least 1",
       prefix_at_least(0) AS "least 0";

-- Fractional and odd inputs, both families.  section fractional
-- (columns: at_most v4, at_most v6, at_least v4, at_least v6)
SELECT v.x, g.*, ROW(g.*) = ROW(v.w1, v.w2, v.w3, v.w4) AS ok
  FROM (VALUES
  ('0', 'E22003', 'E22003', '32', '128'),
  ('0.5', 'E22003', 'E22003', '32', '128'),
  ('0.999', 'E22003', 'E22003', '32', '128'),
  ('1', '32', '128', '32', '128'),
  ('1.0001', '32', '128', '31', '127'),
  ('1.5', '32', '128', '31', '127'),
  ('2', '31', '127', '31', '127'),
  ('2.5', '31', '127', '30', '126'),
  ('3', '31', '127', '30', '126'),
  ('1000', '23', '119', '22', '118'),
  ('1000.5', '23', '119', '22', '118'),
  ('1023.999', '23', '119', '22', '118'),
  ('1024', '22', '118', '22', '118'),
  ('1024.001', '22', '118', '21', '117'),
  ('4294967295.5', '1', '97', '0', '96'),
  ('4294967296', '0', '96', '0', '96'),
  ('4294967296.5', '0', '96', 'E22003', '95'),
  ('1e30', '0', '29', 'E22003', '28'),
  ('340282366920938463463374607431768211455.5', '0', '1', 'E22003', '0'),
  ('340282366920938463463374607431768211456', '0', '0', 'E22003', '0'),
  ('340282366920938463463374607431768211456.5', '0', '0', 'E22003', 'E22003')
       ) v(x, w1, w2, w3, w4),
       LATERAL (SELECT pg_temp.t_most(v.x::numeric, 4) AS most4,
                       pg_temp.t_most(v.x::numeric, 6) AS most6,
                       pg_temp.t_least(v.x::numeric, 4) AS least4,
                       pg_temp.t_least(v.x::numeric, 6) AS least6) g;

-- The laws of the issue over 1..70000 and 2^k +- 1 (k <= 127), in SQL:
-- prefix_size(p) <= n < prefix_size(p - 1) for p = prefix_at_most(n) > 0,
-- prefix_size(p) >= n > prefix_size(p + 1) for p = prefix_at_least(n) < width.
WITH n AS (
  SELECT g::numeric AS n FROM generate_series(1, 70000) g
  UNION ALL
  SELECT 2::numeric ^ k + d FROM generate_series(1, 127) k, (VALUES (-1), (1)) d(d)
), v AS (
  SELECT n, f, w, prefix_at_most(n, f) AS pm, prefix_at_least(n, f) AS pl
    FROM n, (VALUES (4, 32), (6, 128)) fw(f, w)
   WHERE n <= 2::numeric ^ w
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE NOT (prefix_size(pm, f) <= n
                        AND (pm = 0 OR n < prefix_size(pm - 1, f)))) AS at_most_violations,
       count(*) FILTER (WHERE NOT (prefix_size(pl, f) >= n
                        AND (pl = w OR n > prefix_size(pl + 1, f)))) AS at_least_violations
  FROM v;

--
-- usable_hosts: IPv4 size - 2, /31 -> 2 (RFC 3021), /32 -> 1; IPv6 size.
-- section usable_v4
SELECT v.m, usable_hosts(set_masklen('198.51.100.9'::inet, v.m)) AS got,
       usable_hosts(set_masklen('198.51.100.9'::inet, v.m)) = v.want AS ok
  FROM (VALUES
  (0, 4294967294),
  (1, 2147483646),
  (2, 1073741822),
  (3, 536870910),
  (4, 268435454),
  (5, 134217726),
  (6, 67108862),
  (7, 33554430),
  (8, 16777214),
  (9, 8388606),
  (10, 4194302),
  (11, 2097150),
  (12, 1048574),
  (13, 524286),
  (14, 262142),
  (15, 131070),
  (16, 65534),
  (17, 32766),
  (18, 16382),
  (19, 8190),
  (20, 4094),
  (21, 2046),
  (22, 1022),
  (23, 510),
  (24, 254),
  (25, 126),
  (26, 62),
  (27, 30),
  (28, 14),
  (29, 6),
  (30, 2),
  (31, 2),
  (32, 1)
       ) v(m, want)
 ORDER BY v.m;
-- section usable_v6
SELECT v.m, usable_hosts(set_masklen('2001:db8::9'::inet, v.m)) AS got,
       usable_hosts(set_masklen('2001:db8::9'::inet, v.m)) = v.want AS ok
  FROM (VALUES
  (0, 340282366920938463463374607431768211456),
  (1, 170141183460469231731687303715884105728),
  (2, 85070591730234615865843651857942052864),
  (8, 1329227995784915872903807060280344576),
  (16, 5192296858534827628530496329220096),
  (31, 158456325028528675187087900672),
  (32, 79228162514264337593543950336),
  (33, 39614081257132168796771975168),
  (48, 1208925819614629174706176),
  (56, 4722366482869645213696),
  (63, 36893488147419103232),
  (64, 18446744073709551616),
  (65, 9223372036854775808),
  (96, 4294967296),
  (112, 65536),
  (120, 256),
  (126, 4),
  (127, 2),
  (128, 1)
       ) v(m, want)
 ORDER BY v.m;

--
-- NULL in, NULL out (all five are strict)
SELECT addr_count(NULL::inet) IS NULL AS a, prefix_size(NULL) IS NULL AS b,
       prefix_size(24, NULL) IS NULL AS c, prefix_at_most(NULL) IS NULL AS d,
       prefix_at_most(1000, NULL) IS NULL AS e, prefix_at_least(NULL) IS NULL AS f,
       prefix_at_least(1000, NULL) IS NULL AS g, usable_hosts(NULL) IS NULL AS h;

--
-- Errors: each with its SQLSTATE and message.
SELECT q, pg_temp.err(q) FROM (VALUES
  ('SELECT prefix_size(-1)'),
  ('SELECT prefix_size(33)'),
  ('SELECT prefix_size(129, 6)'),
  ('SELECT prefix_size(24, 5)'),
  ('SELECT prefix_size(24, 0)'),
  ('SELECT prefix_at_most(0.5)'),
  ('SELECT prefix_at_most(0)'),
  ('SELECT prefix_at_most(-1)'),
  ('SELECT prefix_at_most(''-Infinity'')'),
  ('SELECT prefix_at_most(''NaN'')'),
  ('SELECT prefix_at_most(1000, 5)'),
  ('SELECT prefix_at_least(4294967296.5)'),
  ('SELECT prefix_at_least(4294967297)'),
  ('SELECT prefix_at_least(2::numeric ^ 128 + 1, 6)'),
  ('SELECT prefix_at_least(''Infinity'', 6)'),
  ('SELECT prefix_at_least(-0.5)'),
  ('SELECT prefix_at_least(''NaN'', 6)'),
  ('SELECT prefix_at_least(1, -4)')
) v(q);
-- the same errors as psql shows them
SELECT prefix_size(33);
SELECT prefix_at_most(0.5);
SELECT prefix_at_least(4294967297);
-- at the edges that do not raise: whole space, Infinity rounds down to /0
SELECT prefix_at_most('Infinity') AS inf4, prefix_at_most(1e300, 6) AS huge6,
       prefix_at_least(2::numeric ^ 128, 6) AS all6, prefix_at_least(2::numeric ^ 32) AS all4;
