--
-- utilization_check: the whole eligibility rule of the 2005 proposal.
--
-- Every `want` literal below was computed independently in Python
-- (test/foundation/ref.py implements the rule from the issue and the policy
-- text, with exact integers and fractions); `python3
-- test/foundation/regress_values.py util_cases` reprints the VALUES list.
-- The arithmetic of the requirements is also given by hand next to each
-- group of cases (in regress_values.py and below).
--
-- Readings (the issue's): 'hd' and 'table' need total allocations of at
-- least min_total (a /20 = 4096) or the member is not eligible under them
-- (required NULL, the reason names 'fixed'); the cap ("In no case will an
-- organization be required to show greater than 80% utilization of their
-- most recent allocation") lowers the recent requirement to
-- ceil(cap * recent_allocated) whenever it is higher, in every method; a
-- NULL policy parameter means its default; NULL figures give a NULL row.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse

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

-- Declared immutable and parallel safe, not strict (NULL policy parameters
-- mean defaults), with a comment.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel,
       p.proisstrict, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p WHERE p.proname = 'utilization_check';

CREATE TEMP TABLE cases AS
SELECT * FROM (VALUES
  ('hd pass at both requirements', 3088, 4096, 2289, 4096, 'hd', NULL, NULL, NULL, NULL, true, 3088, 2289, '0.9660380864390067', '0.9300418122963072'),
  ('hd total one short', 3087, 4096, 2289, 4096, 'hd', NULL, NULL, NULL, NULL, false, 3088, 2289, '0.9659991473012604', '0.9300418122963072'),
  ('hd recent one short', 3088, 4096, 2288, 4096, 'hd', NULL, NULL, NULL, NULL, false, 3088, 2289, '0.9660380864390067', '0.9299892780648658'),
  ('hd both fail', 3087, 4096, 2288, 4096, 'hd', NULL, NULL, NULL, NULL, false, 3088, 2289, '0.9659991473012604', '0.9299892780648658'),
  ('hd nothing used', 0, 4096, 0, 4096, 'hd', NULL, NULL, NULL, NULL, false, 3088, 2289, '-Infinity', '-Infinity'),
  ('hd everything used', 4096, 4096, 4096, 4096, 'hd', NULL, NULL, NULL, NULL, true, 3088, 2289, '1.0', '1.0'),
  ('hd /16 total, /18 recent pass', 44949, 65536, 8307, 16384, 'hd', NULL, NULL, NULL, NULL, true, 44949, 8307, '0.9660000874612895', '0.9300079885062918'),
  ('hd /16 total, /18 recent fail', 44948, 65536, 8306, 16384, 'hd', NULL, NULL, NULL, NULL, false, 44949, 8307, '0.965998081422377', '0.9299955826017711'),
  ('hd cap binds (16-address recent) pass', 6031, 8192, 13, 16, 'hd', NULL, NULL, NULL, NULL, true, 6031, 13, '0.966013963066156', '0.925109929535273'),
  ('hd cap binds (16-address recent) fail', 6031, 8192, 12, 16, 'hd', NULL, NULL, NULL, NULL, false, 6031, 13, '0.966013963066156', '0.896240625180289'),
  ('hd cap binds (recent_hd 0.99) pass', 3400, 4096, 3277, 4096, 'hd', NULL, 0.99, NULL, NULL, true, 3088, 3277, '0.9776099192520886', '0.9731799964618967'),
  ('hd cap binds (recent_hd 0.99) fail', 3400, 4096, 3276, 4096, 'hd', NULL, 0.99, NULL, NULL, false, 3088, 3277, '0.9776099192520886', '0.973143303470084'),
  ('hd cap 0.5 binds', 3088, 4096, 2048, 4096, 'hd', NULL, NULL, 0.5, NULL, true, 3088, 2048, '0.9660380864390067', '0.9166666666666666'),
  ('hd cap 0.5 binds, fail', 3088, 4096, 2047, 4096, 'hd', NULL, NULL, 0.5, NULL, false, 3088, 2048, '0.9660380864390067', '0.9166079489186175'),
  ('hd cap not binding (/24 recent)', 6031, 8192, 174, 256, 'hd', NULL, NULL, NULL, NULL, true, 6031, 174, '0.966013963066156', '0.930367936981091'),
  ('hd below a /20: not elected', 4095, 4095, 4095, 4095, 'hd', NULL, NULL, NULL, NULL, false, NULL, NULL, '1.0', '1.0'),
  ('table below a /20: not elected', 4000, 4095, 4000, 4095, 'table', NULL, NULL, NULL, NULL, false, NULL, NULL, '0.9971779628360923', '0.9971779628360923'),
  ('hd with min_total 0, a /24', 213, 256, 174, 256, 'hd', NULL, NULL, NULL, 0, true, 213, 174, '0.9668387025282298', '0.930367936981091'),
  ('hd with min_total 0, a /24, fail', 212, 256, 174, 256, 'hd', NULL, NULL, NULL, 0, false, 213, 174, '0.9659900568203998', '0.930367936981091'),
  ('hd with min_total 8192, a /20', 4096, 4096, 4096, 4096, 'hd', NULL, NULL, NULL, 8192, false, NULL, NULL, '1.0', '1.0'),
  ('hd thresholds 0.8/0.8 on 32', 16, 32, 16, 32, 'hd', 0.8, 0.8, NULL, 0, true, 16, 16, '0.8', '0.8'),
  ('hd thresholds 0.8/0.8 on 32, fail', 15, 32, 15, 32, 'hd', 0.8, 0.8, NULL, 0, false, 16, 16, '0.7813781191217037', '0.7813781191217037'),
  ('table /18 total, /19 recent pass', 11469, 16384, 4178, 8192, 'table', NULL, NULL, NULL, NULL, true, 11469, 4178, '0.9632465703968432', '0.9252766751590084'),
  ('table /18 total one short', 11468, 16384, 4178, 8192, 'table', NULL, NULL, NULL, NULL, false, 11469, 4178, '0.9632375849457517', '0.9252766751590084'),
  ('table /19 recent one short', 11469, 16384, 4177, 8192, 'table', NULL, NULL, NULL, NULL, false, 11469, 4178, '0.9632465703968432', '0.9252501098586764'),
  ('table /20 pass', 3072, 4096, 2294, 4096, 'table', NULL, NULL, NULL, NULL, true, 3072, 2294, '0.965413541726763', '0.9303041396679854'),
  ('table /20 both fail', 3071, 4096, 2293, 4096, 'table', NULL, NULL, NULL, NULL, false, 3072, 2294, '0.9653743997479896', '0.9302517199650662'),
  ('table >= /10 total, >= /14 recent', 2306868, 4194304, 104858, 262144, 'table', NULL, NULL, NULL, NULL, true, 2306868, 104858, '0.9607956374574097', '0.9265598560303872'),
  ('table < /20 total with min_total 0', 820, 1024, 287, 512, 'table', NULL, NULL, NULL, 0, true, 820, 287, '0.9679480099505446', '0.9072118807417431'),
  ('fixed /22 pass', 820, 1024, 205, 256, 'fixed', NULL, NULL, NULL, NULL, true, 820, 205, '0.9679480099505446', '0.9599350124381808'),
  ('fixed /22 total fail', 819, 1024, 205, 256, 'fixed', NULL, NULL, NULL, NULL, false, 820, 205, '0.9677719641641008', '0.9599350124381808'),
  ('fixed /22 recent fail', 820, 1024, 204, 256, 'fixed', NULL, NULL, NULL, NULL, false, 820, 205, '0.9679480099505446', '0.9590531677464369'),
  ('fixed cap 0.75', 768, 1024, 192, 256, 'fixed', NULL, NULL, 0.75, NULL, true, 768, 192, '0.9584962500721156', '0.9481203125901445'),
  ('fixed cap 1', 1023, 1024, 256, 256, 'fixed', NULL, NULL, 1, NULL, false, 1024, 256, '0.9998590429745329', '1.0'),
  ('fixed nothing allocated', 0, 0, 0, 0, 'fixed', NULL, NULL, NULL, NULL, true, 0, 0, NULL, NULL),
  ('hd recent of one address, used', 3088, 4096, 1, 1, 'hd', NULL, NULL, NULL, NULL, true, 3088, 1, '0.9660380864390067', NULL),
  ('hd recent of one address, unused', 3088, 4096, 0, 1, 'hd', NULL, 0.966, NULL, NULL, false, 3088, 1, '0.9660380864390067', NULL),
  ('hd recent of nothing', 3088, 4096, 0, 0, 'hd', NULL, NULL, NULL, NULL, true, 3088, 0, '0.9660380864390067', NULL),
  ('hd 2^128 total', 170141183460469231731687303715884105728, 340282366920938463463374607431768211456, 85070591730234615865843651857942052864, 170141183460469231731687303715884105728, 'hd', NULL, NULL, NULL, NULL, true, 16663142328188667481494392430120128952, 358635096450817234679016382508370170, '0.9921875', '0.9921259842519685'),
  ('all policy parameters NULL', 3088, 4096, 2289, 4096, NULL, NULL, NULL, NULL, NULL, true, 3088, 2289, '0.9660380864390067', '0.9300418122963072')
) v(label, tu, ta, ru, ra, method, thd, rhd, cap, min_total,
    want_eligible, want_treq, want_rreq, want_thd, want_rhd);

-- Each case: the result, and ok when eligible, both requirements and both
-- HD ratios (within 2e-15) are the Python values and the reason is NULL
-- exactly when eligible.  The HD ratios are shown rounded to 8 decimals.
SELECT c.label, r.eligible, r.total_required AS treq, r.recent_required AS rreq,
       round(r.total_hd::numeric, 8) AS total_hd, round(r.recent_hd::numeric, 8) AS recent_hd,
       r.eligible = c.want_eligible
       AND r.total_required IS NOT DISTINCT FROM c.want_treq::numeric
       AND r.recent_required IS NOT DISTINCT FROM c.want_rreq::numeric
       AND (r.total_hd IS NULL) = (c.want_thd IS NULL)
       AND coalesce(r.total_hd = c.want_thd::float8
                    OR abs(r.total_hd - c.want_thd::float8) <= 2e-15 * abs(c.want_thd::float8), true)
       AND (r.recent_hd IS NULL) = (c.want_rhd IS NULL)
       AND coalesce(r.recent_hd = c.want_rhd::float8
                    OR abs(r.recent_hd - c.want_rhd::float8) <= 2e-15 * abs(c.want_rhd::float8), true)
       AND (r.reason IS NULL) = r.eligible AS ok
  FROM cases c,
       LATERAL utilization_check(c.tu, c.ta, c.ru, c.ra, c.method, c.thd, c.rhd,
                                 c.cap, c.min_total) r;

-- The reasons of the failing cases.  Checked by hand against the row
-- above: each names the failed test(s), used, allocated and required; the
-- percentages are truncated (3275/4096 = 79.95% reads 79.9%), HD ratios
-- truncated to 4 decimals (3087 of 4096: 0.965999.. reads 0.9659).
SELECT c.label, r.reason
  FROM cases c,
       LATERAL utilization_check(c.tu, c.ta, c.ru, c.ra, c.method, c.thd, c.rhd,
                                 c.cap, c.min_total) r
 WHERE NOT r.eligible;
-- fixed, by hand: 0.8 * 4096 = 3276.8 -> 3277 required; 3275/4096 = 79.95%
SELECT reason FROM utilization_check(3275, 4096, 0, 4096, 'fixed');

-- Agreement with hd_required, exactly: for allocations of a /20 to a /8
-- (total) and a /24 to the total (recent), used = required - 1 and
-- required under the defaults, eligible exactly when
-- total_used >= hd_required(total, 0.966) and recent_used >=
-- least(hd_required(recent, 0.930), ceil(0.8 * recent)).
WITH a AS (
  SELECT 2::numeric ^ tb AS ta, 2::numeric ^ rb AS ra
    FROM generate_series(12, 24) tb, generate_series(8, 24) rb WHERE rb <= tb
), q AS (
  SELECT ta, ra, hd_required(ta, 0.966) AS treq,
         least(hd_required(ra, 0.930), ceil(0.8 * ra)) AS rreq FROM a
), m AS (
  SELECT ta, ra, treq, rreq, tu, ru
    FROM q, LATERAL (VALUES (treq - 1, rreq - 1), (treq - 1, rreq),
                            (treq, rreq - 1), (treq, rreq)) u(tu, ru)
   WHERE ru <= tu
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE r.eligible = (m.tu >= m.treq AND m.ru >= m.rreq)
                          AND r.total_required = m.treq
                          AND r.recent_required = m.rreq) AS agree,
       count(*) FILTER (WHERE r.eligible) AS eligible
  FROM m, LATERAL utilization_check(m.tu, m.ta, m.ru, m.ra) r;

--
-- Default arguments, NULL policy parameters and named parameters give the
-- same row as the defaults written out.
SELECT utilization_check(3088, 4096, 2289, 4096)
         = utilization_check(3088, 4096, 2289, 4096, 'hd', 0.966, 0.930, 0.80, 4096) AS defaults,
       utilization_check(3088, 4096, 2289, 4096, NULL, NULL, NULL, NULL, NULL)
         = utilization_check(3088, 4096, 2289, 4096, 'hd', 0.966, 0.930, 0.80, 4096) AS all_null,
       utilization_check(3072, 4096, 2294, 4096, 'table', NULL, NULL, NULL, NULL)
         = utilization_check(3072, 4096, 2294, 4096, 'table') AS table_nulls,
       utilization_check(4000, 4095, 4000, 4095, 'hd', min_total => NULL)
         = utilization_check(4000, 4095, 4000, 4095) AS min_total_null,
       utilization_check(3400, 4096, 3276, 4096, recent_hd => 0.99, cap => NULL)
         = utilization_check(3400, 4096, 3276, 4096, 'hd', 0.966, 0.99, 0.80, 4096) AS cap_null;
-- each parameter NULL on its own, on a member that passes 'hd' narrowly
SELECT n AS null_parameter, r.eligible, r.total_required, r.recent_required
  FROM (VALUES ('method'), ('total_hd'), ('recent_hd'), ('cap'), ('min_total')) p(n),
       LATERAL utilization_check(3088, 4096, 2289, 4096,
                                 CASE WHEN n = 'method' THEN NULL ELSE 'hd' END,
                                 CASE WHEN n = 'total_hd' THEN NULL ELSE 0.966 END,
                                 CASE WHEN n = 'recent_hd' THEN NULL ELSE 0.930 END,
                                 CASE WHEN n = 'cap' THEN NULL ELSE 0.80 END,
                                 CASE WHEN n = 'min_total' THEN NULL ELSE 4096 END) r;

-- NULL figures: a NULL row (every column NULL)
SELECT r.*, r IS NULL AS all_null
  FROM (VALUES (NULL::numeric, 4096::numeric, 0::numeric, 4096::numeric),
               (0, NULL, 0, 4096), (0, 4096, NULL, 4096), (0, 4096, 0, NULL)) v(a, b, c, d),
       LATERAL utilization_check(v.a, v.b, v.c, v.d) r;

--
-- Errors: each with its SQLSTATE and message.
SELECT q, pg_temp.err(q) FROM (VALUES
  ('SELECT utilization_check(4097, 4096, 0, 4096)'),
  ('SELECT utilization_check(100, 4096, 101, 4096)'),
  ('SELECT utilization_check(0, 4096, 4097, 4096)'),
  ('SELECT utilization_check(0, 4096, 0, 8192)'),
  ('SELECT utilization_check(-1, 4096, 0, 4096)'),
  ('SELECT utilization_check(0, 4096.5, 0, 4096)'),
  ('SELECT utilization_check(''NaN'', 4096, 0, 4096)'),
  ('SELECT utilization_check(0, ''Infinity'', 0, 4096)'),
  ('SELECT utilization_check(0, 2::numeric ^ 128 + 1, 0, 4096)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''HD'')'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''percent'')'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''hd'', 1.5)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''hd'', 0.966, -0.93)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''hd'', ''NaN'')'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''fixed'', cap => 0)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''fixed'', cap => 1.01)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, ''fixed'', cap => ''NaN'')'),
  ('SELECT utilization_check(0, 4096, 0, 4096, min_total => -1)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, min_total => 4095.5)'),
  ('SELECT utilization_check(0, 4096, 0, 4096, min_total => ''Infinity'')')
) v(q);
-- the same as psql shows one
SELECT utilization_check(4097, 4096, 0, 4096);

-- The cap in a reason is its exact decimal: 0.7999999 reads 79.99999% (1.0
-- formatted it with %g and printed "80%").  Most recent: hd_required(16,
-- 0.930) = ceil(16^0.93) = ceil(13.18) = 14; the cap: ceil(0.7999999 * 16)
-- = ceil(12.7999984) = 13 < 14, so 13 is required, and 0 used fails it.
SELECT eligible, recent_required, reason
FROM utilization_check(total_used => 4096, total_allocated => 4096,
                       recent_used => 0, recent_allocated => 16, cap => 0.7999999);
