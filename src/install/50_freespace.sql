
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
