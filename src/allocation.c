/*-------------------------------------------------------------------------
 *
 * allocation.c
 *	  The two IPv4 run-out policies: ARIN Draft Policy 2009-8 "Equitable
 *	  IPv4 Run-Out" (the maximum allocation, a quarter of the free pool
 *	  rounded down to a CIDR block, and the length of supply an organization
 *	  may request as the IANA free pool shrinks) and the "Global Policy for
 *	  Post Exhaustion IPv4 Allocation Mechanisms by the IANA" (the allocation
 *	  unit, 1/5 of the Recovered IPv4 Pool rounded down to a CIDR block, the
 *	  six-month allocation periods, and the run-down of a recovered pool).
 *
 * Address counts are exact: the pools are whole numbers of addresses and
 * every division is an exact integer division (numeric div), so a pool of
 * 4 * 2^k - 1 addresses never rounds up to a quarter of 2^k.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"
#include "rangeset.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(max_allocation_numeric);
PG_FUNCTION_INFO_V1(max_allocation_blocks);
PG_FUNCTION_INFO_V1(supply_months);
PG_FUNCTION_INFO_V1(allocation_unit);
PG_FUNCTION_INFO_V1(allocation_period);
PG_FUNCTION_INFO_V1(allocation_schedule);

/* IPv4 holds 256 /8s: the most IANA can have unallocated */
#define AP_SLASH8_COUNT 256

/*
 * check_pool - raise an error unless a pool is a whole, positive number of
 * addresses that fits a width-bit family; param is the SQL parameter's
 * name, for the messages' detail
 */
static void
check_pool(Numeric pool, int width, const char *param)
{
	uint128		v;
	bool		overflow,
				has_frac;
	APNumClass	cls = ap_numeric_split(pool, &v, &overflow, &has_frac);
	int			family = width == AP_V4_BITS ? 4 : 6;

	if (cls == AP_NUM_NAN || cls == AP_NUM_POS_INF || cls == AP_NUM_NEG_INF)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pool must be a finite number of addresses"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(pool))));
	if (cls == AP_NUM_NEGATIVE || (v == 0 && !overflow && !has_frac))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pool must be positive"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(pool))));
	if (has_frac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pool must be a whole number of addresses"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(pool))));
	/*
	 * Beyond 128 bits (overflow) only IPv6 has room, for exactly 2^128; an
	 * IPv4 pool of any such size is beyond its 2^32.
	 */
	if (overflow ?
		(width < AP_V6_BITS || ap_numeric_cmp(pool, ap_pow2_numeric(AP_V6_BITS)) > 0) :
		(width < AP_V6_BITS && v > ((uint128) 1) << width))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("pool exceeds the address space"),
				 errdetail("The value of \"%s\" is %s addresses; IPv%d has 2^%d.",
						   param, ap_num_message(pool), family, width)));
}

/*
 * check_share - the divisor of the free pool in the maximum allocation: a
 * finite number of at least 1 (a share below 1 would allow more than the
 * whole pool)
 */
static void
check_share(Numeric share)
{
	if (numeric_is_nan(share) || numeric_is_inf(share))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("share must be a finite number"),
				 errdetail("The share given is %s.", ap_num_message(share))));
	if (ap_numeric_cmp(share, ap_int_numeric(1)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("share must be at least 1"),
				 errdetail("The share given is %s.", ap_num_message(share)),
				 errhint("The maximum allocation is at most the free pool divided by share: 4 for one quarter (the policy), 2 for one half, 8 for one eighth.")));
}

static void
check_recipients(int32 recipients)
{
	if (recipients < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recipients must be at least 1"),
				 errdetail("The number of recipients given is %d.", recipients),
				 errhint("The IANA policy has one recipient per RIR: 5.")));
}

/*
 * share_prefix - the prefix length of the largest CIDR block holding at most
 * pool / divisor addresses (the quotient taken exactly, then rounded down to
 * a power of two); -1 when that share is less than one address
 */
static int
share_prefix(Numeric pool, Numeric divisor, int width)
{
	Numeric		q = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
														NumericGetDatum(pool),
														NumericGetDatum(divisor)));

	if (ap_numeric_cmp(q, ap_int_numeric(0)) == 0)
		return -1;
	return ap_prefix_at_most(q, width);
}

/*
 * max_allocation_internal - 2009-8's maximum allocation: the largest CIDR
 * block of at most free_pool / share addresses, but never a longer prefix
 * than the minimum allocation (so a pool whose share is below a /minimum,
 * even below one address, gives the minimum allocation)
 */
static int
max_allocation_internal(Numeric free_pool, int32 minimum_masklen,
						Numeric share, int width)
{
	int			p;

	ap_check_masklen(minimum_masklen, width, "minimum_masklen");
	check_pool(free_pool, width, "free_pool");
	check_share(share);
	p = share_prefix(free_pool, share, width);
	if (p < 0 || p > minimum_masklen)
		return minimum_masklen;
	return p;
}

/*
 * max_allocation(free_pool numeric, minimum_masklen, share, family) - the
 * prefix length of the maximum allocation or assignment from a free pool of
 * that many addresses
 */
Datum
max_allocation_numeric(PG_FUNCTION_ARGS)
{
	Numeric		free_pool = PG_GETARG_NUMERIC(0);
	int32		minimum_masklen = PG_GETARG_INT32(1);
	Numeric		share = PG_GETARG_NUMERIC(2);
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(3)));

	PG_RETURN_INT32(max_allocation_internal(free_pool, minimum_masklen,
											share, width));
}

/*
 * max_allocation(free_pool cidr[], minimum_masklen, share) - the maximum
 * allocation from a free pool given as blocks: overlapping blocks count
 * once, the family is the blocks' (one family only), NULL elements are
 * skipped
 */
Datum
max_allocation_blocks(PG_FUNCTION_ARGS)
{
	ArrayType  *pool = PG_GETARG_ARRAYTYPE_P(0);
	int32		minimum_masklen = PG_GETARG_INT32(1);
	Numeric		share = PG_GETARG_NUMERIC(2);
	APSet		set;
	int			families;
	APCount		count;

	ap_set_from_array(&set, pool);
	families = ap_set_families(&set);
	if (families == (AP_HAS_V4 | AP_HAS_V6))
		ap_mixed_families_error("A free pool is of one family.");
	if (families == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("free pool must be positive"),
				 errdetail("The free pool given holds no blocks.")));

	ap_set_count(&set, &count);
	PG_RETURN_INT32(max_allocation_internal(ap_count_to_numeric(&count),
											minimum_masklen, share,
											families == AP_HAS_V4 ? AP_V4_BITS : AP_V6_BITS));
}

/*
 * supply_months(iana_free_slash8, transfer) - 2009-8's length of supply, in
 * months, that an organization (a subscriber member of at least one year)
 * may request, by the number of /8s IANA has left unallocated; a transfer
 * under NRPM section 8.3 keeps the full 12 months
 */
Datum
supply_months(PG_FUNCTION_ARGS)
{
	int32		free_slash8 = PG_GETARG_INT32(0);
	bool		transfer = PG_GETARG_BOOL(1);

	if (free_slash8 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count of unallocated /8s cannot be negative"),
				 errdetail("The count given is %d.", free_slash8)));
	if (free_slash8 > AP_SLASH8_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count of unallocated /8s cannot exceed the /8s of IPv4"),
				 errdetail("The count given is %d; IPv4 has %d /8s.",
						   free_slash8, AP_SLASH8_COUNT)));
	if (transfer)
		PG_RETURN_INT32(12);
	if (free_slash8 <= 10)
		PG_RETURN_INT32(3);
	if (free_slash8 <= 20)
		PG_RETURN_INT32(6);
	PG_RETURN_INT32(12);
}

/*
 * allocation_unit(pool, recipients, minimum_masklen, family) - the IANA
 * "IPv4 allocation unit": 1/recipients of the Recovered IPv4 Pool rounded
 * down to a CIDR block, as a prefix length; NULL when that block is smaller
 * than a /minimum_masklen (nothing is distributed that period)
 */
Datum
allocation_unit(PG_FUNCTION_ARGS)
{
	Numeric		pool = PG_GETARG_NUMERIC(0);
	int32		recipients = PG_GETARG_INT32(1);
	int32		minimum_masklen = PG_GETARG_INT32(2);
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(3)));
	int			p;

	ap_check_masklen(minimum_masklen, width, "minimum_masklen");
	check_pool(pool, width, "pool");
	check_recipients(recipients);
	p = share_prefix(pool, ap_int_numeric(recipients), width);
	if (p < 0 || p > minimum_masklen)
		PG_RETURN_NULL();
	PG_RETURN_INT32(p);
}

static char *
date_cstring(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/*
 * period_bounds - the IANA allocation period holding d, [*lo, *hi): from 1
 * March to 1 September, or from 1 September to 1 March of the next year
 * (January and February belong to the period that began the September
 * before).  Infinite dates, and dates whose period does not fit PostgreSQL's
 * date range, raise an error.
 */
static void
period_bounds(DateADT d, DateADT *lo, DateADT *hi)
{
	int			y,
				m,
				day;
	int			ly,
				lm,
				hy,
				hm;

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("no allocation period contains an infinite date"),
				 errdetail("The date given is %s; allocation periods are finite: 1 March to 1 September, 1 September to 1 March.",
						   date_cstring(d))));

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (m >= 3 && m < 9)
	{
		ly = y, lm = 3;
		hy = y, hm = 9;
	}
	else if (m >= 9)
	{
		ly = y, lm = 9;
		hy = y + 1, hm = 3;
	}
	else
	{
		ly = y - 1, lm = 9;
		hy = y, hm = 3;
	}

	if (IS_VALID_JULIAN(ly, lm, 1) && IS_VALID_JULIAN(hy, hm, 1))
	{
		*lo = date2j(ly, lm, 1) - POSTGRES_EPOCH_JDATE;
		*hi = date2j(hy, hm, 1) - POSTGRES_EPOCH_JDATE;
		if (IS_VALID_DATE(*lo) && IS_VALID_DATE(*hi))
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("allocation period is out of range"),
			 errdetail("The period containing %s would begin or end beyond the dates PostgreSQL can represent.",
					   date_cstring(d))));
}

/*
 * make_daterange - the daterange [lo, hi)
 */
static Datum
make_daterange(DateADT lo, DateADT hi)
{
	TypeCacheEntry *typcache = lookup_type_cache(DATERANGEOID,
												 TYPECACHE_RANGE_INFO);
	RangeBound	lower;
	RangeBound	upper;

	lower.val = DateADTGetDatum(lo);
	lower.infinite = false;
	lower.inclusive = true;
	lower.lower = true;
	upper.val = DateADTGetDatum(hi);
	upper.infinite = false;
	upper.inclusive = false;
	upper.lower = false;

	return RangeTypePGetDatum(ap_make_range(typcache, &lower, &upper, false));
}

/*
 * allocation_period(d) - the IANA allocation period containing d
 */
Datum
allocation_period(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	DateADT		lo,
				hi;

	period_bounds(d, &lo, &hi);
	PG_RETURN_DATUM(make_daterange(lo, hi));
}

/*
 * allocation_schedule(pool, first_day, recipients, minimum_masklen) - the
 * run-down of an IPv4 Recovered Pool that is activated on first_day and
 * receives nothing more: in the period containing first_day and in each
 * period after it, the unit is computed from what remains at the start and
 * every recipient receives one unit.  The last row is the first period in
 * which the unit would be smaller than a /minimum_masklen: it distributes
 * nothing (unit_masklen and unit_addresses NULL, distributed 0) and shows
 * what is left for good.
 *
 * Each period hands out more than half of what remains (recipients times a
 * unit of more than remaining / (2 * recipients)): after k periods that
 * distribute, less than 2^(32-k) remains, so a pool of at most 2^32 addresses
 * has at most 32 such periods and the schedule at most 33 rows (2^32 - 1 to
 * one recipient down to /32 takes all 33).
 */
Datum
allocation_schedule(PG_FUNCTION_ARGS)
{
	Numeric		pool = PG_GETARG_NUMERIC(0);
	DateADT		first_day = PG_GETARG_DATEADT(1);
	int32		recipients = PG_GETARG_INT32(2);
	int32		minimum_masklen = PG_GETARG_INT32(3);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Numeric		divisor;
	uint128		remaining;
	bool		overflow,
				has_frac;
	DateADT		lo,
				hi;

	ap_check_masklen(minimum_masklen, AP_V4_BITS, "minimum_masklen");
	check_pool(pool, AP_V4_BITS, "pool");
	check_recipients(recipients);
	period_bounds(first_day, &lo, &hi);

	InitMaterializedSRF(fcinfo, 0);

	(void) ap_numeric_split(pool, &remaining, &overflow, &has_frac);
	divisor = ap_int_numeric(recipients);

	for (;;)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		int			p;
		uint128		unit,
					distributed;

		CHECK_FOR_INTERRUPTS();

		p = share_prefix(ap_u128_to_numeric(remaining), divisor, AP_V4_BITS);
		values[0] = make_daterange(lo, hi);
		if (p < 0 || p > minimum_masklen)
		{
			nulls[1] = nulls[2] = true;
			values[3] = NumericGetDatum(ap_int_numeric(0));
			values[4] = NumericGetDatum(ap_u128_to_numeric(remaining));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
								 values, nulls);
			break;
		}

		/* unit <= remaining / recipients: no overflow, no underflow */
		unit = ((uint128) 1) << (AP_V4_BITS - p);
		distributed = unit * (uint128) recipients;
		Assert(distributed <= remaining);
		remaining -= distributed;

		values[1] = Int32GetDatum(p);
		values[2] = NumericGetDatum(ap_u128_to_numeric(unit));
		values[3] = NumericGetDatum(ap_u128_to_numeric(distributed));
		values[4] = NumericGetDatum(ap_u128_to_numeric(remaining));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
							 values, nulls);

		/* the next period begins where this one ends */
		period_bounds(hi, &lo, &hi);
	}

	return (Datum) 0;
}
