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
