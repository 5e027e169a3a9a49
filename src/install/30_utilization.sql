
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
