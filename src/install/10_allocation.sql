
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
