/* addrpolicy--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION addrpolicy" to load this file. \quit

/*
 * Every object is created in the extension's schema (@extschema@); the
 * script names pg_catalog types explicitly, so it is safe under any
 * search_path.  Every function is IMMUTABLE and PARALLEL SAFE: usable in
 * CHECK constraints, indexes and parallel plans.
 */

---------------------------------------------------------------------------
-- CIDR arithmetic (src/cidr_math.c)
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.addr_count(block pg_catalog.inet)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'addr_count_inet'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_count(pg_catalog.inet) IS
'addresses in the block: 2^(32-masklen) for IPv4, 2^(128-masklen) for IPv6; an inet with host bits set counts as its network block';

CREATE FUNCTION @extschema@.prefix_size(masklen pg_catalog.int4, family pg_catalog.int4 DEFAULT 4)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'prefix_size'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prefix_size(pg_catalog.int4, pg_catalog.int4) IS
'addresses in a /masklen of the family (4 or 6)';

CREATE FUNCTION @extschema@.prefix_at_most(addresses pg_catalog.numeric, family pg_catalog.int4 DEFAULT 4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'prefix_at_most'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prefix_at_most(pg_catalog.numeric, pg_catalog.int4) IS
'CIDR rounding down: prefix length of the largest power-of-two block holding at most this many addresses (1000 -> 23); 0 when the whole space fits; error below 1';

CREATE FUNCTION @extschema@.prefix_at_least(addresses pg_catalog.numeric, family pg_catalog.int4 DEFAULT 4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'prefix_at_least'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prefix_at_least(pg_catalog.numeric, pg_catalog.int4) IS
'CIDR rounding up: prefix length of the smallest block holding at least this many addresses (1000 -> 22, 0 and 1 -> 32); error beyond the whole space';

CREATE FUNCTION @extschema@.usable_hosts(block pg_catalog.inet)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'usable_hosts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.usable_hosts(pg_catalog.inet) IS
'host addresses of the block: IPv4 size - 2 (network and broadcast), a /31 gives 2 (RFC 3021), a /32 gives 1; IPv6 the whole size';

---------------------------------------------------------------------------
-- HD ratio (src/hdratio.c)
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.hd_ratio(used pg_catalog.numeric, total pg_catalog.numeric)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'hd_ratio_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hd_ratio(pg_catalog.numeric, pg_catalog.numeric) IS
'HD ratio (RFC 3194): log(used)/log(total); -Infinity when used = 0; error when total <= 1, used < 0 or used > total';

CREATE FUNCTION @extschema@.hd_ratio(used pg_catalog.numeric, block pg_catalog.inet, unit_masklen pg_catalog.int4 DEFAULT NULL)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'hd_ratio_block'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hd_ratio(pg_catalog.numeric, pg_catalog.inet, pg_catalog.int4) IS
'HD ratio of a block: total = its addresses, or its number of /unit_masklen units (IPv6 end sites: 56 or 48); used counts the same things; NULL used or block gives NULL';

CREATE FUNCTION @extschema@.hd_required(total pg_catalog.numeric, hd pg_catalog.numeric DEFAULT 0.966)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'hd_required_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hd_required(pg_catalog.numeric, pg_catalog.numeric) IS
'the smallest whole number used with used >= total^hd, exactly (hd is an exact decimal: 0.94 = 94/100); a member passes the HD test exactly when used >= this';

CREATE FUNCTION @extschema@.hd_required(block pg_catalog.inet, hd pg_catalog.numeric DEFAULT 0.966, unit_masklen pg_catalog.int4 DEFAULT NULL)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'hd_required_block'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hd_required(pg_catalog.inet, pg_catalog.numeric, pg_catalog.int4) IS
'hd_required for a block: its addresses, or its /unit_masklen units when unit_masklen is given';

CREATE FUNCTION @extschema@.hd_table_pct(addresses pg_catalog.numeric, which pg_catalog.text)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'hd_table_pct'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hd_table_pct(pg_catalog.numeric, pg_catalog.text) IS
'the 2005 policy''s simplified HD tables as a percentage: which = ''total'' (by the sum of all allocations: < /20 80 ... >= /10 55) or ''recent'' (by the most recent allocation: < /19 56 ... >= /14 40)';

CREATE FUNCTION @extschema@.utilization_check(
    total_used pg_catalog.numeric,
    total_allocated pg_catalog.numeric,
    recent_used pg_catalog.numeric,
    recent_allocated pg_catalog.numeric,
    method pg_catalog.text DEFAULT 'hd',
    total_hd pg_catalog.numeric DEFAULT 0.966,
    recent_hd pg_catalog.numeric DEFAULT 0.930,
    cap pg_catalog.numeric DEFAULT 0.80,
    min_total pg_catalog.numeric DEFAULT 4096,
    OUT eligible pg_catalog.bool,
    OUT total_required pg_catalog.numeric,
    OUT recent_required pg_catalog.numeric,
    OUT total_hd pg_catalog.float8,
    OUT recent_hd pg_catalog.float8,
    OUT reason pg_catalog.text)
RETURNS record
AS 'MODULE_PATHNAME', 'utilization_check'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_check(pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.text, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric, pg_catalog.numeric) IS
'the whole eligibility rule for additional space: method ''hd'' (total HD >= total_hd and recent HD >= recent_hd, the recent requirement capped at cap of the block), ''table'' (the simplified tables) or ''fixed'' (cap of all and of the most recent); ''hd'' and ''table'' need total allocations >= min_total (a /20). NULL figures give NULL; a NULL policy parameter means its default';

---------------------------------------------------------------------------
-- Run-out allocation policies (src/allocation.c): ARIN Draft Policy 2009-8
-- "Equitable IPv4 Run-Out" and the IANA "Global Policy for Post Exhaustion
-- IPv4 Allocation Mechanisms".  doc/allocation.md has the rules they
-- implement and worked examples.
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.max_allocation(
    free_pool pg_catalog.numeric,
    minimum_masklen pg_catalog.int4 DEFAULT 24,
    share pg_catalog.numeric DEFAULT 4,
    family pg_catalog.int4 DEFAULT 4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'max_allocation_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_allocation(pg_catalog.numeric, pg_catalog.int4, pg_catalog.numeric, pg_catalog.int4) IS
'2009-8 maximum allocation, as a prefix length: the largest CIDR block of at most free_pool / share addresses (share 4: one quarter), but no longer a prefix than minimum_masklen (least(prefix_at_most(free_pool / share), minimum_masklen)); a pool too small for that gives minimum_masklen. Error for a pool that is not a whole number between 1 and the family''s size, or share < 1';

CREATE FUNCTION @extschema@.supply_months(
    iana_free_slash8 pg_catalog.int4,
    transfer pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'supply_months'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.supply_months(pg_catalog.int4, pg_catalog.bool) IS
'2009-8 length of supply in months a subscriber member of at least one year may request: 12; 6 when IANA has 20 or fewer unallocated /8s; 3 at 10 or fewer; a transfer under NRPM 8.3 keeps 12. Error outside 0..256';

CREATE FUNCTION @extschema@.allocation_unit(
    pool pg_catalog.numeric,
    recipients pg_catalog.int4 DEFAULT 5,
    minimum_masklen pg_catalog.int4 DEFAULT 24,
    family pg_catalog.int4 DEFAULT 4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'allocation_unit'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocation_unit(pg_catalog.numeric, pg_catalog.int4, pg_catalog.int4, pg_catalog.int4) IS
'IANA IPv4 allocation unit, as a prefix length: 1/recipients of the Recovered IPv4 Pool rounded down to a CIDR block; NULL when that is smaller than a /minimum_masklen (nothing is distributed that period)';

CREATE FUNCTION @extschema@.allocation_period(d pg_catalog.date)
RETURNS pg_catalog.daterange
AS 'MODULE_PATHNAME', 'allocation_period'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocation_period(pg_catalog.date) IS
'the IANA six-month allocation period containing d: [YYYY-03-01, YYYY-09-01) or [YYYY-09-01, (YYYY+1)-03-01), January and February belonging to the period begun the September before; error for infinity or a period beyond the date range';

CREATE FUNCTION @extschema@.allocation_schedule(
    pool pg_catalog.numeric,
    first_day pg_catalog.date,
    recipients pg_catalog.int4 DEFAULT 5,
    minimum_masklen pg_catalog.int4 DEFAULT 24)
RETURNS TABLE(
    period pg_catalog.daterange,
    unit_masklen pg_catalog.int4,
    unit_addresses pg_catalog.numeric,
    distributed pg_catalog.numeric,
    remaining pg_catalog.numeric)
AS 'MODULE_PATHNAME', 'allocation_schedule'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 33;
COMMENT ON FUNCTION @extschema@.allocation_schedule(pg_catalog.numeric, pg_catalog.date, pg_catalog.int4, pg_catalog.int4) IS
'run-down of an IPv4 Recovered Pool activated on first_day: from the period containing first_day, each period every recipient receives one unit computed from what remains at its start; the last row is the first period that distributes nothing (unit NULL, distributed 0). At most 33 rows';

---------------------------------------------------------------------------
-- CIDR sets (src/sets.c, src/rangeset.c)
--
-- A cidr[] is a set of addresses.  Results are normalized: sorted, IPv4
-- before IPv6, no overlaps, adjacent blocks joined (the minimal CIDR list).
-- Inputs may be any cidr[]: NULL elements are ignored, several dimensions
-- are read as one flat list, NULL arrays give NULL.
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.addr_count(blocks pg_catalog.cidr[])
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'addr_count_cidr_array'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_count(pg_catalog.cidr[]) IS
'distinct addresses covered by the blocks, overlaps counted once; 0 for an empty array; error when IPv4 and IPv6 are mixed (group by family())';

CREATE FUNCTION @extschema@.cidr_union(a pg_catalog.cidr[], b pg_catalog.cidr[])
RETURNS pg_catalog.cidr[]
AS 'MODULE_PATHNAME', 'cidr_union'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_union(pg_catalog.cidr[], pg_catalog.cidr[]) IS
'the addresses in a or b as a normalized set (the minimal CIDR list, IPv4 before IPv6); cidr_union(a, ''{}'') normalizes a';

CREATE FUNCTION @extschema@.cidr_intersect(a pg_catalog.cidr[], b pg_catalog.cidr[])
RETURNS pg_catalog.cidr[]
AS 'MODULE_PATHNAME', 'cidr_intersect'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_intersect(pg_catalog.cidr[], pg_catalog.cidr[]) IS
'the addresses in both a and b as a normalized set';

CREATE FUNCTION @extschema@.cidr_except(a pg_catalog.cidr[], b pg_catalog.cidr[])
RETURNS pg_catalog.cidr[]
AS 'MODULE_PATHNAME', 'cidr_except'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_except(pg_catalog.cidr[], pg_catalog.cidr[]) IS
'the addresses in a and not in b as a normalized set (e.g. the free part of a pool)';

CREATE FUNCTION @extschema@.range_to_cidrs(first pg_catalog.inet, last pg_catalog.inet)
RETURNS SETOF pg_catalog.cidr
AS 'MODULE_PATHNAME', 'range_to_cidrs'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 8;
COMMENT ON FUNCTION @extschema@.range_to_cidrs(pg_catalog.inet, pg_catalog.inet) IS
'the minimal CIDR list covering exactly the addresses first..last, lowest first (prefix lengths of first and last are ignored); error when the families differ or first > last';

---------------------------------------------------------------------------
-- Aggregates (src/aggregates.c): parallel, with combine and serialize
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.addr_sum_transfn(pg_catalog.internal, pg_catalog.inet)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'addr_sum_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_sum_transfn(pg_catalog.internal, pg_catalog.inet) IS
'transition function of addr_sum: adds the addresses of one block';

CREATE FUNCTION @extschema@.addr_sum_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'addr_sum_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_sum_combine(pg_catalog.internal, pg_catalog.internal) IS
'combine function of addr_sum: adds two partial sums';

CREATE FUNCTION @extschema@.addr_sum_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'addr_sum_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_sum_serialize(pg_catalog.internal) IS
'serialize function of addr_sum';

CREATE FUNCTION @extschema@.addr_sum_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'addr_sum_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_sum_deserialize(pg_catalog.bytea, pg_catalog.internal) IS
'deserialize function of addr_sum';

CREATE FUNCTION @extschema@.addr_sum_final(pg_catalog.internal)
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'addr_sum_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.addr_sum_final(pg_catalog.internal) IS
'final function of addr_sum: the exact sum as numeric';

CREATE AGGREGATE @extschema@.addr_sum(pg_catalog.inet) (
    SFUNC = @extschema@.addr_sum_transfn,
    STYPE = pg_catalog.internal,
    SSPACE = 48,
    FINALFUNC = @extschema@.addr_sum_final,
    COMBINEFUNC = @extschema@.addr_sum_combine,
    SERIALFUNC = @extschema@.addr_sum_serialize,
    DESERIALFUNC = @extschema@.addr_sum_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.addr_sum(pg_catalog.inet) IS
'sum of the addresses of the blocks, exactly (beyond 2^128), duplicates and overlaps counted each time; NULL rows skipped, NULL when no row; error when IPv4 and IPv6 are mixed (group by family())';

CREATE FUNCTION @extschema@.cidr_merge_transfn(pg_catalog.internal, pg_catalog.inet)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cidr_merge_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_transfn(pg_catalog.internal, pg_catalog.inet) IS
'transition function of cidr_merge(inet): adds one block to the set';

CREATE FUNCTION @extschema@.cidr_merge_transfn(pg_catalog.internal, pg_catalog.cidr[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cidr_merge_array_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_transfn(pg_catalog.internal, pg_catalog.cidr[]) IS
'transition function of cidr_merge(cidr[]): adds the blocks of a set';

CREATE FUNCTION @extschema@.cidr_merge_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cidr_merge_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_combine(pg_catalog.internal, pg_catalog.internal) IS
'combine function of cidr_merge: the union of two partial sets';

CREATE FUNCTION @extschema@.cidr_merge_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'cidr_merge_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_serialize(pg_catalog.internal) IS
'serialize function of cidr_merge';

CREATE FUNCTION @extschema@.cidr_merge_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cidr_merge_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_deserialize(pg_catalog.bytea, pg_catalog.internal) IS
'deserialize function of cidr_merge';

CREATE FUNCTION @extschema@.cidr_merge_final(pg_catalog.internal)
RETURNS pg_catalog.cidr[]
AS 'MODULE_PATHNAME', 'cidr_merge_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_merge_final(pg_catalog.internal) IS
'final function of cidr_merge: the minimal CIDR list of the union';

CREATE AGGREGATE @extschema@.cidr_merge(pg_catalog.inet) (
    SFUNC = @extschema@.cidr_merge_transfn,
    STYPE = pg_catalog.internal,
    SSPACE = 256,
    FINALFUNC = @extschema@.cidr_merge_final,
    COMBINEFUNC = @extschema@.cidr_merge_combine,
    SERIALFUNC = @extschema@.cidr_merge_serialize,
    DESERIALFUNC = @extschema@.cidr_merge_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cidr_merge(pg_catalog.inet) IS
'the minimal CIDR list covering the union of the blocks (sorted, IPv4 before IPv6, overlaps and adjacent blocks joined); NULL rows skipped, NULL when no row';

CREATE AGGREGATE @extschema@.cidr_merge(pg_catalog.cidr[]) (
    SFUNC = @extschema@.cidr_merge_transfn,
    STYPE = pg_catalog.internal,
    SSPACE = 256,
    FINALFUNC = @extschema@.cidr_merge_final,
    COMBINEFUNC = @extschema@.cidr_merge_combine,
    SERIALFUNC = @extschema@.cidr_merge_serialize,
    DESERIALFUNC = @extschema@.cidr_merge_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cidr_merge(pg_catalog.cidr[]) IS
'the union of sets as one minimal CIDR list: merges results of cidr_merge(inet) from partitions or shards; NULL arrays and elements skipped, NULL when no row';

---------------------------------------------------------------------------
-- The utilization aggregate (src/utilization.c)
---------------------------------------------------------------------------

CREATE TYPE @extschema@.utilization_summary AS (
    allocations pg_catalog.int8,
    total_allocated pg_catalog.numeric,
    total_used pg_catalog.numeric,
    recent_block pg_catalog.cidr,
    recent_allocated pg_catalog.numeric,
    recent_used pg_catalog.numeric,
    total_hd pg_catalog.float8,
    recent_hd pg_catalog.float8,
    eligible pg_catalog.bool,
    total_required pg_catalog.numeric,
    recent_required pg_catalog.numeric,
    reason pg_catalog.text);
COMMENT ON TYPE @extschema@.utilization_summary IS
'one member''s figures and verdict from the utilization aggregate: totals over all allocations, the most recent allocation, and what utilization_check returns for them';

-- Support functions.  Not STRICT where NULL has a meaning: a NULL block
-- skips the row, a NULL used counts as 0, a NULL date is the oldest, a NULL
-- method means 'hd', a NULL state means "no allocation yet".

CREATE FUNCTION @extschema@.utilization_transfn(
    pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'utilization_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_transfn(pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date) IS
'transition function of utilization(inet, numeric, date)';

CREATE FUNCTION @extschema@.utilization_method_transfn(
    pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'utilization_method_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_method_transfn(pg_catalog.internal, pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text) IS
'transition function of utilization(inet, numeric, date, text)';

CREATE FUNCTION @extschema@.utilization_combinefn(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'utilization_combinefn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_combinefn(pg_catalog.internal, pg_catalog.internal) IS
'combine function of the utilization aggregates: merges two partial states';

CREATE FUNCTION @extschema@.utilization_serialfn(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'utilization_serialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_serialfn(pg_catalog.internal) IS
'serialization function of the utilization aggregates';

CREATE FUNCTION @extschema@.utilization_deserialfn(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'utilization_deserialfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_deserialfn(pg_catalog.bytea, pg_catalog.internal) IS
'deserialization function of the utilization aggregates (checks the bytes)';

CREATE FUNCTION @extschema@.utilization_finalfn(pg_catalog.internal)
RETURNS @extschema@.utilization_summary
AS 'MODULE_PATHNAME', 'utilization_finalfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.utilization_finalfn(pg_catalog.internal) IS
'final function of the utilization aggregates: the totals and utilization_check''s verdict';

CREATE AGGREGATE @extschema@.utilization(
    block pg_catalog.inet, used pg_catalog.numeric, allocated_on pg_catalog.date) (
    SFUNC = @extschema@.utilization_transfn,
    STYPE = pg_catalog.internal,
    FINALFUNC = @extschema@.utilization_finalfn,
    COMBINEFUNC = @extschema@.utilization_combinefn,
    SERIALFUNC = @extschema@.utilization_serialfn,
    DESERIALFUNC = @extschema@.utilization_deserialfn,
    SSPACE = 128,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.utilization(pg_catalog.inet, pg_catalog.numeric, pg_catalog.date) IS
'one member''s utilization in one pass: total and most recent allocation (latest date; ties to the larger block, then the higher address) and utilization_check''s verdict by the HD-ratio method with its default policy; rows with a NULL block are skipped, a NULL used counts as 0';

CREATE AGGREGATE @extschema@.utilization(
    block pg_catalog.inet, used pg_catalog.numeric, allocated_on pg_catalog.date,
    method pg_catalog.text) (
    SFUNC = @extschema@.utilization_method_transfn,
    STYPE = pg_catalog.internal,
    FINALFUNC = @extschema@.utilization_finalfn,
    COMBINEFUNC = @extschema@.utilization_combinefn,
    SERIALFUNC = @extschema@.utilization_serialfn,
    DESERIALFUNC = @extschema@.utilization_deserialfn,
    SSPACE = 128,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.utilization(pg_catalog.inet, pg_catalog.numeric, pg_catalog.date, pg_catalog.text) IS
'utilization(block, used, allocated_on) by a chosen method of utilization_check: ''hd'', ''table'' or ''fixed'' (NULL means ''hd''); the method must be the same on every row of a group';

---------------------------------------------------------------------------
-- Maximum allocation from a free pool given as blocks (src/allocation.c).
-- It counts the pool as addr_count(cidr[]) does: overlaps once (the
-- range-set core, src/rangeset.c).
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.max_allocation(
    free_pool pg_catalog.cidr[],
    minimum_masklen pg_catalog.int4 DEFAULT 24,
    share pg_catalog.numeric DEFAULT 4)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'max_allocation_blocks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_allocation(pg_catalog.cidr[], pg_catalog.int4, pg_catalog.numeric) IS
'2009-8 maximum allocation from a free pool given as blocks: max_allocation(addr_count(free_pool), minimum_masklen, share, family of the blocks); overlapping blocks count once, NULL elements are skipped; error for mixed families or no blocks';

---------------------------------------------------------------------------
-- Free space and unit counts (src/freespace.c)
--
-- The free space of a pool is pool minus used, both read as sets (NULL
-- elements ignored, any order, overlaps allowed).  Used blocks outside the
-- pool, or of the other family, do not count.  A prefix length only means
-- one block size within a family: a pool (or a counted set) holding both
-- IPv4 and IPv6 is an error.
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cidr_first_free(pool pg_catalog.cidr[], used pg_catalog.cidr[], masklen pg_catalog.int4, strategy pg_catalog.text DEFAULT 'first_fit')
RETURNS pg_catalog.cidr
AS 'MODULE_PATHNAME', 'cidr_first_free'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_first_free(pg_catalog.cidr[], pg_catalog.cidr[], pg_catalog.int4, pg_catalog.text) IS
'a free aligned /masklen block of the pool (inside pool, overlapping nothing in used), NULL when none fits; strategy ''first_fit'' (default): the lowest one; ''best_fit'': the lowest /masklen of the smallest maximal free CIDR block that can hold it (ties: lowest address); error when the pool mixes IPv4 and IPv6 or masklen is not a prefix length of its family';

CREATE FUNCTION @extschema@.cidr_free_blocks(pool pg_catalog.cidr[], used pg_catalog.cidr[], masklen pg_catalog.int4)
RETURNS SETOF pg_catalog.cidr
AS 'MODULE_PATHNAME', 'cidr_free_blocks'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_free_blocks(pg_catalog.cidr[], pg_catalog.cidr[], pg_catalog.int4) IS
'every free aligned /masklen block of the pool, in address order, one row at a time (streamed from the free ranges, never built in memory); error when the pool mixes IPv4 and IPv6 or masklen is not a prefix length of its family';

CREATE FUNCTION @extschema@.free_block_counts(pool pg_catalog.cidr[], used pg_catalog.cidr[])
RETURNS TABLE (masklen pg_catalog.int4, blocks pg_catalog.numeric)
AS 'MODULE_PATHNAME', 'free_block_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 16;
COMMENT ON FUNCTION @extschema@.free_block_counts(pg_catalog.cidr[], pg_catalog.cidr[]) IS
'the fragmentation profile of a pool: the free space (pool minus used) as its minimal CIDR list, and how many of those maximal free blocks have each prefix length, by masklen; no rows when nothing is free; error when the pool mixes IPv4 and IPv6';

CREATE FUNCTION @extschema@.unit_count(blocks pg_catalog.cidr[], unit_masklen pg_catalog.int4, mode pg_catalog.text DEFAULT 'covered')
RETURNS pg_catalog.numeric
AS 'MODULE_PATHNAME', 'unit_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.unit_count(pg_catalog.cidr[], pg_catalog.int4, pg_catalog.text) IS
'the size of a set in aligned /unit_masklen units, exactly (up to 2^128): mode ''covered'' (default) counts units wholly inside the set, ''touched'' units the set overlaps at all (an assigned /64 touches one /56); overlaps count once; 0 for an empty set; error when IPv4 and IPv6 are mixed or unit_masklen is not a prefix length of the family';
