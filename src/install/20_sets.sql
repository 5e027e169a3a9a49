
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
