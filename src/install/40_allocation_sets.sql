
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
