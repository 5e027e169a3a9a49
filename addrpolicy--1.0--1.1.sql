/* addrpolicy--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION addrpolicy UPDATE TO '1.1'" to load this file. \quit

/*
 * 1.1: the control file no longer fixes the schema (1.0 said schema =
 * public), so CREATE EXTENSION addrpolicy SCHEMA ipam installs into a
 * registry's own schema.  A fresh 1.1 is the 1.0 script followed by this one
 * (CREATE EXTENSION walks the chain), so both ways give the same objects;
 * test/upgrade checks it.
 */

-- cidr_free_blocks streams only from the select list: in FROM, PostgreSQL's
-- function scan runs a set-returning function to its end and stores every
-- row before the first one is returned, so LIMIT cannot stop it there.  The
-- comment says so, and how to bound it in FROM.
COMMENT ON FUNCTION @extschema@.cidr_free_blocks(pg_catalog.cidr[], pg_catalog.cidr[], pg_catalog.int4) IS
'every free aligned /masklen block of the pool, in address order, one row at a time: in the select list it streams (SELECT cidr_free_blocks(p, u, 24) ... LIMIT n reads n blocks); in FROM, PostgreSQL stores the whole result before the first row, so bound it with a subquery over the select-list form: FROM (SELECT cidr_free_blocks(p, u, 24) AS block LIMIT n) f, or LATERAL (...) per row; error when the pool mixes IPv4 and IPv6 or masklen is not a prefix length of its family';

---------------------------------------------------------------------------
-- Issue 14: today's registry rules (src/rules.c, doc/rules.md).  Appended
-- as one section; nothing above is changed.
---------------------------------------------------------------------------

-- CIDR rounding on step boundaries (4: nibbles).  step has no default, so
-- every call of the two-argument forms resolves as before.
CREATE FUNCTION @extschema@.prefix_at_most(addresses pg_catalog.numeric, family pg_catalog.int4, step pg_catalog.int4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'prefix_at_most_step'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prefix_at_most(pg_catalog.numeric, pg_catalog.int4, pg_catalog.int4) IS
'CIDR rounding down on step boundaries: prefix length, a multiple of step, of the largest block holding at most this many addresses (1000, 4, 4 -> 24; step 1 is prefix_at_most(addresses, family)); step must divide the family''s width';

CREATE FUNCTION @extschema@.prefix_at_least(addresses pg_catalog.numeric, family pg_catalog.int4, step pg_catalog.int4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'prefix_at_least_step'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prefix_at_least(pg_catalog.numeric, pg_catalog.int4, pg_catalog.int4) IS
'CIDR rounding up on step boundaries: prefix length, a multiple of step, of the smallest block holding at least this many addresses (1000, 4, 4 -> 20; step 1 is prefix_at_least(addresses, family)); step must divide the family''s width';

-- ARIN IPv6 sizing (NRPM 6.5.2.1, 6.5.8.2, 6.5.3)
CREATE FUNCTION @extschema@.ipv6_isp_allocation(
    serving_sites pg_catalog.int8,
    largest_site_end_sites pg_catalog.int8,
    end_site_masklen pg_catalog.int4 DEFAULT 48,
    longest_masklen pg_catalog.int4 DEFAULT 32,
    shortest_masklen pg_catalog.int4 DEFAULT NULL)
RETURNS TABLE(allocation_masklen pg_catalog.int4, serving_site_masklen pg_catalog.int4)
AS 'MODULE_PATHNAME', 'ipv6_isp_allocation'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.ipv6_isp_allocation(pg_catalog.int8, pg_catalog.int8, pg_catalog.int4, pg_catalog.int4, pg_catalog.int4) IS
'ARIN NRPM 6.5.2.1 (c), the largest initial IPv6 allocation of an ISP: /N = P - (X + Y), P the end-site prefix length, X and Y the smallest multiples of 4 with serving sites, and end sites of the largest serving site, using no more than 75% of 2^X and 2^Y; the allocation no longer than longest_masklen (/32; /36 or /40 on request) nor, when given, shorter than shortest_masklen; serving_site_masklen is P - Y. 11 serving sites, 200 end sites, /48: /32 and /36';

CREATE FUNCTION @extschema@.ipv6_end_user_block(
    sites pg_catalog.int8,
    end_site_masklen pg_catalog.int4 DEFAULT 48)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'ipv6_end_user_block'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ipv6_end_user_block(pg_catalog.int8, pg_catalog.int4) IS
'ARIN NRPM 6.5.8.2, the initial IPv6 block of an end user: a /48 for one site; the next larger nibble whenever the sites exceed 75% of the /48s of a prefix (2-12 sites: /44, 13-192: /40, 193-3,072: /36, 3,073-49,152: /32)';

CREATE FUNCTION @extschema@.ipv6_isp_subsequent(
    total_units pg_catalog.numeric,
    used_units pg_catalog.numeric,
    site_units pg_catalog.numeric DEFAULT NULL,
    busiest_site_used pg_catalog.numeric DEFAULT NULL,
    total_share pg_catalog.numeric DEFAULT 0.75,
    site_share pg_catalog.numeric DEFAULT 0.90)
RETURNS TABLE(eligible pg_catalog.bool, total_required pg_catalog.numeric,
              site_required pg_catalog.numeric, reason pg_catalog.text)
AS 'MODULE_PATHNAME', 'ipv6_isp_subsequent'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.ipv6_isp_subsequent(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric) IS
'ARIN NRPM 6.5.3 (b), its two arithmetic criteria for a subsequent IPv6 allocation, in provider allocation units: used_units >= ceil(total_share * total_units) (75% or more of the total), or the busiest serving site more than site_share (90%) used; NULL site figures test the total only';

-- Published HD tables, each registry's rounding
CREATE FUNCTION @extschema@.hd_table(
    hd pg_catalog.numeric,
    unit_masklen pg_catalog.int4,
    longest pg_catalog.int4,
    shortest pg_catalog.int4,
    rounding pg_catalog.text DEFAULT 'ceil')
RETURNS TABLE(masklen pg_catalog.int4, units pg_catalog.numeric,
              required pg_catalog.numeric, utilization_pct pg_catalog.numeric)
AS 'MODULE_PATHNAME', 'hd_table'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 16;
COMMENT ON FUNCTION @extschema@.hd_table(pg_catalog.numeric, pg_catalog.int4, pg_catalog.int4, pg_catalog.int4, pg_catalog.text) IS
'an HD-ratio table as a registry publishes it: for each prefix length from longest to shortest, its /unit_masklen units, the units required at HD hd (units^hd rounded ''ceil'' as hd_required, ''nearest'' half up as the APNIC and LACNIC IPv6 tables, or ''floor'' as ARIN''s 2004 IPv4 table) and that share in percent (two decimals). hd_table(0.94, 56, 32, 30, ''nearest''): /32 6183533 ... /30 22760044';

-- The RIPE NCC and APNIC IPv6 subsequent-allocation rule (HD >= 0.94 over
-- all allocations, in /56 units) through the released functions: a new
-- method value, 'hd_total', which utilization_check and the utilization
-- aggregates accept (every call that worked before answers the same), and
-- a new six-argument utilization aggregate that counts in units and takes
-- the threshold.  No released signature changes and no new overload of
-- utilization_check: any new one would share an arity with the released
-- form and make a call with untyped arguments ambiguous.
COMMENT ON FUNCTION @extschema@.utilization_check(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.text, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric) IS
'the whole eligibility rule for additional space: method ''hd'' (total HD >= total_hd and recent HD >= recent_hd, the recent requirement capped at cap of the block), ''table'' (the simplified tables), ''fixed'' (cap of all and of the most recent), or ''hd_total'' (1.1: total HD >= total_hd only, the RIPE NCC and APNIC IPv6 rule with total_hd 0.94 and counts in /56 units, e.g. total_allocated => unit_count(blocks, 56); recent figures may be NULL); ''hd'' and ''table'' need total allocations >= min_total (a /20). NULL figures give NULL; a NULL policy parameter means its default';

CREATE FUNCTION @extschema@.utilization_units_transfn(
    pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date,
    pg_catalog.text, pg_catalog.int4, pg_catalog.numeric)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'utilization_units_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_units_transfn(pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
'transition function of utilization(inet, numeric, date, text, int, numeric)';

CREATE AGGREGATE @extschema@.utilization(
    block pg_catalog.inet, used pg_catalog.numeric, allocated_on pg_catalog.date,
    method pg_catalog.text, unit_masklen pg_catalog.int4, total_hd pg_catalog.numeric) (
    SFUNC = @extschema@.utilization_units_transfn,
    STYPE = pg_catalog.internal,
    FINALFUNC = @extschema@.utilization_finalfn,
    COMBINEFUNC = @extschema@.utilization_combinefn,
    SERIALFUNC = @extschema@.utilization_serialfn,
    DESERIALFUNC = @extschema@.utilization_deserialfn,
    SSPACE = 128,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.utilization(pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text, pg_catalog.int4, pg_catalog.numeric) IS
'utilization by a method, counting /unit_masklen units: used is each row''s units in use, and the allocations are counted in the same units (the allocated columns of the result too); total_hd is the total threshold (NULL: its default). The RIPE NCC and APNIC IPv6 rule: utilization(block, used_56s, allocated_on, ''hd_total'', 56, 0.94). Method, unit and threshold must be the same on every row of a group';

COMMENT ON AGGREGATE @extschema@.utilization(pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text) IS
'utilization(block, used, allocated_on) by a chosen method of utilization_check: ''hd'', ''table'', ''fixed'' or ''hd_total'' (1.1) (NULL means ''hd''); the method must be the same on every row of a group';

-- A dated catalogue of today's IPv4 limits, one row per rule and period.
-- A configuration table: pg_dump keeps the rows users add (shipped is
-- false for them) and not the shipped rows, which CREATE EXTENSION makes
-- again, so a restore has each row once.
CREATE TABLE @extschema@.ipv4_request_rules (
    registry pg_catalog.text NOT NULL,
    rule pg_catalog.text NOT NULL,
    section pg_catalog.text NOT NULL,
    in_force_from pg_catalog.date NOT NULL,
    in_force_until pg_catalog.date,
    smallest_block pg_catalog.int4 NOT NULL,
    largest_block pg_catalog.int4 NOT NULL,
    max_holdings pg_catalog.numeric,
    max_total pg_catalog.numeric,
    min_utilization pg_catalog.numeric,
    min_interval pg_catalog.interval,
    planning_window pg_catalog.interval,
    source pg_catalog.text NOT NULL,
    shipped pg_catalog.bool NOT NULL DEFAULT false,
    PRIMARY KEY (rule, in_force_from),
    CHECK (in_force_until IS NULL OR in_force_until > in_force_from),
    CHECK (largest_block BETWEEN 0 AND 32 AND smallest_block BETWEEN largest_block AND 32),
    CHECK (max_holdings >= 0 AND max_total >= 0),
    CHECK (min_utilization > 0 AND min_utilization <= 1));
COMMENT ON TABLE @extschema@.ipv4_request_rules IS
'the IPv4 request limits of the registries, dated: one row per rule and the period it is in force ([in_force_from, in_force_until), until NULL: still in force); read by request_check. Rows users add are kept by pg_dump (a configuration table); the shipped rows (shipped = true) are made by CREATE EXTENSION';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.registry IS 'the registry: ARIN, APNIC, RIPE NCC, LACNIC, AFRINIC';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.rule IS 'the rule''s name for request_check, e.g. arin-4.1.8';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.section IS 'the section of the registry''s policy text';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.in_force_from IS 'the first day the rule is in force';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.in_force_until IS 'the first day it is no longer in force; NULL: still in force';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.smallest_block IS 'prefix length of the smallest block a request may ask for (24: a /24)';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.largest_block IS 'prefix length of the largest block one request may receive (22: a /22)';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.max_holdings IS 'the most addresses an organization may hold and still request (before the request); NULL: no limit';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.max_total IS 'the most addresses it may hold with the request granted (holdings + request); NULL: no limit';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.min_utilization IS 'the share of its holdings that must be in use to request more; NULL: no test';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.min_interval IS 'the time that must pass after a receipt before the next request; NULL: none';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.planning_window IS 'the period of need a request is sized for (informational; request_check does not use it)';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.source IS 'where the rule and its dates are published';
COMMENT ON COLUMN @extschema@.ipv4_request_rules.shipped IS 'true for the rows the extension ships (not dumped); false for rows users add (dumped)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ipv4_request_rules', 'WHERE NOT shipped');
GRANT SELECT ON @extschema@.ipv4_request_rules TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON @extschema@.ipv4_request_rules TO @extowner@;

-- Every threshold below is quoted in doc/rules.md with its source.
INSERT INTO @extschema@.ipv4_request_rules
    (registry, rule, section, in_force_from, in_force_until, smallest_block, largest_block,
     max_holdings, max_total, min_utilization, min_interval, planning_window, source, shipped)
VALUES
    ('ARIN', 'arin-4.1.8', 'NRPM 4.1.8 ARIN Waitlist', '2020-09-22', NULL, 24, 22,
     4096, NULL, NULL, '90 days', NULL,
     'NRPM 4.1.8 as quoted in ARIN-prop-327 (26 October 2023); the holdings sentence by ARIN-edit-2020-1, implemented 22 September 2020 (https://www.arin.net/participate/policy/drafts/ARIN_edit_2020_1/)', true),
    ('APNIC', 'apnic-6.1', 'APNIC-127 6.1 Minimum and maximum IPv4 delegations', '2019-04-04', NULL, 24, 23,
     NULL, 512, NULL, NULL, NULL,
     'APNIC-127 6.1 as quoted in prop-141 (sig-policy, 16 February 2022); prop-127 implemented 4 April 2019 (prop-168-v001, https://www.apnic.net/wp-content/uploads/2025/12/prop-168-v001.txt)', true),
    ('RIPE NCC', 'ripe-5.1', 'ripe-733 5.1 Allocations made by the RIPE NCC to LIRs (the waiting list)', '2019-11-25', NULL, 24, 24,
     NULL, 256, NULL, NULL, NULL,
     'ripe-725/ripe-733 5.1; in force from the RIPE NCC''s final /22 on 25 November 2019 (RIPE NCC announcement, quoted by computing.co.uk)', true),
    ('LACNIC', 'lacnic-11.1', 'LACNIC Policy Manual 11.1 Special IPv4 Allocations/Assignments Reserved for New Members', '2017-02-15', NULL, 24, 22,
     0, NULL, NULL, NULL, NULL,
     'LACNIC Policy Manual 11.1 (http://www.lacnic.org/en/politicas/manual11.html); phase 3 started 15 February 2017 (LACNIC, IPv4 Depletion Phases)', true),
    ('AFRINIC', 'afrinic-5.4.3.2', 'CPM 5.4.3.2 Exhaustion Phase 2 (with 5.4.5, 5.4.6.1)', '2020-01-13', NULL, 24, 22,
     NULL, NULL, 0.90, NULL, '8 months',
     'AFRINIC, AFRINIC Enters IPv4 Exhaustion Phase 2, 13 January 2020 (https://afrinic.net/20200113-afrinic-enters-ipv4-exhaustion-phase-2)', true);

CREATE FUNCTION @extschema@.request_check(
    rule pg_catalog.text,
    as_of pg_catalog.date,
    holdings pg_catalog.numeric,
    used pg_catalog.numeric,
    requested_masklen pg_catalog.int4,
    last_received pg_catalog.date)
RETURNS TABLE(allowed pg_catalog.bool, largest_masklen pg_catalog.int4,
              next_request_on pg_catalog.date, reason pg_catalog.text)
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r @extschema@.ipv4_request_rules;
    periods text;
    why text[] := '{}';
    size numeric;
    room numeric;
    largest int;
    next_on date;
BEGIN
    IF request_check.rule IS NULL OR as_of IS NULL OR holdings IS NULL
       OR used IS NULL OR requested_masklen IS NULL THEN
        RETURN;
    END IF;
    IF holdings < 0 OR holdings <> trunc(holdings) OR used < 0 OR used <> trunc(used)
       OR used > holdings THEN
        RAISE EXCEPTION 'invalid holdings or used count'
            USING ERRCODE = '22023',
                  DETAIL = format('holdings is %s, used is %s; both are whole numbers of addresses, used at most holdings.', holdings, used);
    END IF;
    IF requested_masklen < 0 OR requested_masklen > 32 THEN
        RAISE EXCEPTION 'invalid prefix length'
            USING ERRCODE = '22023',
                  DETAIL = format('The value of "requested_masklen" is %s; a prefix length of IPv4 is between 0 and 32.', requested_masklen);
    END IF;

    SELECT * INTO r FROM @extschema@.ipv4_request_rules t
    WHERE t.rule = request_check.rule AND t.in_force_from <= as_of
      AND (t.in_force_until IS NULL OR as_of < t.in_force_until);
    IF NOT FOUND THEN
        SELECT string_agg('from ' || to_char(t.in_force_from, 'YYYY-MM-DD')
                          || CASE WHEN t.in_force_until IS NULL THEN ' on'
                                  ELSE ' until ' || to_char(t.in_force_until, 'YYYY-MM-DD') END,
                          ', ' ORDER BY t.in_force_from)
          INTO periods
          FROM @extschema@.ipv4_request_rules t WHERE t.rule = request_check.rule;
        IF periods IS NULL THEN
            RAISE EXCEPTION 'unknown request rule'
                USING ERRCODE = '22023',
                      DETAIL = format('No rule "%s" is in the catalogue.', request_check.rule),
                      HINT = 'SELECT rule, in_force_from, in_force_until FROM ipv4_request_rules lists them.';
        END IF;
        RAISE EXCEPTION 'request rule is not in force on that date'
            USING ERRCODE = '22023',
                  DETAIL = format('Rule "%s" is not in force on %s; it is in force %s (until: the first day it no longer is).',
                                  request_check.rule, to_char(as_of, 'YYYY-MM-DD'), periods);
    END IF;

    size := @extschema@.prefix_size(requested_masklen);

    -- the largest block the holdings allow, whatever the date
    largest := r.largest_block;
    IF r.max_holdings IS NOT NULL AND holdings > r.max_holdings THEN
        largest := NULL;
    END IF;
    IF r.min_utilization IS NOT NULL AND used < ceil(r.min_utilization * holdings) THEN
        largest := NULL;
    END IF;
    IF largest IS NOT NULL AND r.max_total IS NOT NULL THEN
        room := r.max_total - holdings;
        IF room < @extschema@.prefix_size(r.smallest_block) THEN
            largest := NULL;
        ELSE
            largest := greatest(r.largest_block, @extschema@.prefix_at_most(room));
        END IF;
    END IF;

    IF requested_masklen < r.largest_block THEN
        why := why || format('a /%s is larger than the largest block of the rule, a /%s', requested_masklen, r.largest_block);
    ELSIF requested_masklen > r.smallest_block THEN
        why := why || format('a /%s is smaller than the smallest block of the rule, a /%s', requested_masklen, r.smallest_block);
    END IF;
    IF r.max_holdings IS NOT NULL AND holdings > r.max_holdings THEN
        why := why || format('the organization holds %s addresses, and the rule allows a requester at most %s', holdings, r.max_holdings);
    END IF;
    IF r.max_total IS NOT NULL AND holdings + size > r.max_total THEN
        why := why || format('%s held and %s requested make %s, more than the %s the rule allows in total', holdings, size, holdings + size, r.max_total);
    END IF;
    IF r.min_utilization IS NOT NULL AND used < ceil(r.min_utilization * holdings) THEN
        why := why || format('%s of %s held addresses are used and %s are required (%s%%)', used, holdings,
                             ceil(r.min_utilization * holdings), trim_scale(r.min_utilization * 100));
    END IF;
    IF r.min_interval IS NOT NULL AND last_received IS NOT NULL THEN
        next_on := (last_received + r.min_interval)::date;
        IF as_of < next_on THEN
            why := why || format('the last receipt was on %s, and the next request may be made on %s',
                                 to_char(last_received, 'YYYY-MM-DD'), to_char(next_on, 'YYYY-MM-DD'));
        END IF;
    END IF;

    allowed := cardinality(why) = 0;
    largest_masklen := largest;
    next_request_on := next_on;
    reason := CASE WHEN allowed THEN NULL ELSE array_to_string(why, '; and ') END;
    RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION @extschema@.request_check(pg_catalog.text, pg_catalog.date, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.int4, pg_catalog.date) IS
'whether an IPv4 request passes a rule of ipv4_request_rules in force on as_of: the block size (smallest_block .. largest_block), the holdings before (max_holdings) and with it (max_total), the share used (min_utilization) and the time since the last receipt (min_interval); allowed, the largest block the holdings allow (NULL: none), the day the next request may be made, and why not in one sentence. STABLE: it reads the catalogue. A rule not in force on as_of is an error naming the dates it is';

---------------------------------------------------------------------------
-- 1.1, issue 16 (appended): the usage of every block of a tree of CIDR
-- blocks in one pass (src/treeusage.c), in the two ways IPAMs measure it.
-- addrpolicy_netbox computes NetBox's utilization of every prefix with it.
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cidr_tree_usage(
    blocks pg_catalog.cidr[],
    hosts pg_catalog.inet[] DEFAULT NULL,
    range_first pg_catalog.inet[] DEFAULT NULL,
    range_last pg_catalog.inet[] DEFAULT NULL)
RETURNS TABLE (
    n pg_catalog.int8,
    block pg_catalog.cidr,
    subblock_addresses pg_catalog.numeric,
    used_addresses pg_catalog.numeric)
AS 'MODULE_PATHNAME', 'cidr_tree_usage'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_tree_usage(pg_catalog.cidr[], pg_catalog.inet[], pg_catalog.inet[], pg_catalog.inet[]) IS
'one row per element of blocks, in array order (n = its position, as WITH ORDINALITY numbers unnest): the block, subblock_addresses = distinct addresses covered by the other blocks strictly inside it (a duplicate is not inside), used_addresses = distinct addresses of the hosts inside it (each host''s own address: its prefix length is ignored) together with the ranges range_first[i]..range_last[i] that lie wholly inside it; families never mix (an IPv4 host is in no IPv6 block); NULL hosts or ranges mean none, a range with a NULL bound is skipped, a NULL block gives a row of NULLs; error when the range arrays differ in length or a range is reversed or mixes families';
