/*-------------------------------------------------------------------------
 *
 * rules.c
 *	  Today's registry rules as arithmetic (1.1): CIDR rounding on nibble
 *	  (or any step) boundaries, ARIN's IPv6 sizing rules (NRPM 6.5.2.1,
 *	  6.5.3 and 6.5.8.2) and the published HD tables, each registry's
 *	  rounding.  doc/rules.md cites the text of each rule.
 *
 * The counts here are of sites and units, so they fit 64 bits; the sizes
 * they are compared with are powers of two up to 2^128, compared in 128-bit
 * integers, never in floating point.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(prefix_at_most_step);
PG_FUNCTION_INFO_V1(prefix_at_least_step);
PG_FUNCTION_INFO_V1(ipv6_isp_allocation);
PG_FUNCTION_INFO_V1(ipv6_end_user_block);
PG_FUNCTION_INFO_V1(ipv6_isp_subsequent);
PG_FUNCTION_INFO_V1(hd_table);

/*
 * A step of prefix lengths: at least 1 and a divisor of the family's width,
 * so that the family's own width (a single address) is a multiple of it.
 */
static void
check_step(int32 step, int width)
{
	if (step < 1 || step > width || width % step != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid prefix length step"),
				 errdetail("The step given is %d; it must divide %d, the width of IPv%d.",
						   step, width, width == AP_V4_BITS ? 4 : 6),
				 errhint("Use 4 for nibble boundaries, 1 for every prefix length.")));
}

/*
 * prefix_at_most(addresses numeric, family int, step int) - CIDR rounding
 * down on step boundaries: the largest block of a prefix length that is a
 * multiple of step holding at most `addresses` (1000, 4, 4 -> 24).
 */
Datum
prefix_at_most_step(PG_FUNCTION_ARGS)
{
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(1)));
	int32		step = PG_GETARG_INT32(2);
	int			p;

	check_step(step, width);
	p = ap_prefix_at_most(PG_GETARG_NUMERIC(0), width);
	/* a smaller block: the next multiple of step up (width is one) */
	PG_RETURN_INT32((p + step - 1) / step * step);
}

/*
 * prefix_at_least(addresses numeric, family int, step int) - CIDR rounding
 * up on step boundaries: the smallest block of a prefix length that is a
 * multiple of step holding at least `addresses` (1000, 4, 4 -> 20).
 */
Datum
prefix_at_least_step(PG_FUNCTION_ARGS)
{
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(1)));
	int32		step = PG_GETARG_INT32(2);
	int			p;

	check_step(step, width);
	p = ap_prefix_at_least(PG_GETARG_NUMERIC(0), width);
	/* a larger block: the multiple of step at or below (0 is one) */
	PG_RETURN_INT32(p / step * step);
}

static void
check_count(int64 n, const char *param)
{
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site count must be at least 1"),
				 errdetail("The value of \"%s\" is " INT64_FORMAT ".", param, n)));
}

/*
 * The bits of a nibble-aligned block in which n things use no more than
 * `share` of the places: the smallest multiple of 4, x, with
 * n <= share * 2^x, share = num/den (4 * n <= 3 * 2^x for 75%).
 * n <= 2^63 and den <= 100, so x <= 72 and the products fit 128 bits.
 */
static int
nibble_bits(int64 n, uint64 num, uint64 den)
{
	int			x = 0;

	while ((uint128) den * (uint128) n > (uint128) num << x)
		x += 4;
	return x;
}

/*
 * ipv6_isp_allocation(serving_sites bigint, largest_site_end_sites bigint,
 *		end_site_masklen int DEFAULT 48, longest_masklen int DEFAULT 32,
 *		shortest_masklen int DEFAULT NULL)
 *	RETURNS TABLE(allocation_masklen int, serving_site_masklen int)
 *
 * ARIN NRPM 6.5.2.1 (c): the smallest nibble-aligned block that gives every
 * serving site an equal nibble-aligned block, each large enough for the
 * largest serving site, using no more than 75% of the addresses at each
 * level: /N = P - (X + Y).  The allocation is no longer than
 * longest_masklen (the /32 of 6.5.2.1 (b), or the /36 or /40 requested)
 * and, when shortest_masklen is given, no shorter than it.  Not strict: a
 * NULL shortest_masklen means no bound.
 */
Datum
ipv6_isp_allocation(PG_FUNCTION_ARGS)
{
	int64		serving,
				end_sites;
	int32		p,
				longest;
	int			x,
				y,
				n;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	serving = PG_GETARG_INT64(0);
	end_sites = PG_GETARG_INT64(1);
	p = PG_GETARG_INT32(2);
	longest = PG_GETARG_INT32(3);
	check_count(serving, "serving_sites");
	check_count(end_sites, "largest_site_end_sites");
	ap_check_masklen(p, AP_V6_BITS, "end_site_masklen");
	ap_check_masklen(longest, AP_V6_BITS, "longest_masklen");

	x = nibble_bits(serving, 3, 4);
	y = nibble_bits(end_sites, 3, 4);
	n = p - (x + y);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("allocation exceeds the IPv6 space"),
				 errdetail("The serving sites need %d bits and their end sites %d bits above a /%d.",
						   x, y, p)));
	values[1] = Int32GetDatum(p - y);
	if (n > longest)
		n = longest;
	if (!PG_ARGISNULL(4))
	{
		int32		shortest = PG_GETARG_INT32(4);

		ap_check_masklen(shortest, AP_V6_BITS, "shortest_masklen");
		if (shortest > longest)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("shortest prefix length is longer than the longest"),
					 errdetail("shortest_masklen is %d, longest_masklen is %d.",
							   shortest, longest)));
		if (n < shortest)
			n = shortest;
	}
	values[0] = Int32GetDatum(n);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * ipv6_end_user_block(sites bigint, end_site_masklen int DEFAULT 48,
 *		step int DEFAULT 4) RETURNS int
 *
 * ARIN NRPM 6.5.8.2: a /48 per site; an organization qualifies for the
 * next larger nibble when its sites exceed 75% of the /48s of a prefix
 * (2-12 sites: /44, 13-192: /40, ...); one site gets a /48, as the
 * section's examples say.
 */
Datum
ipv6_end_user_block(PG_FUNCTION_ARGS)
{
	int64		sites = PG_GETARG_INT64(0);
	int32		p = PG_GETARG_INT32(1);
	int			x;

	check_count(sites, "sites");
	ap_check_masklen(p, AP_V6_BITS, "end_site_masklen");
	if (sites == 1)
		PG_RETURN_INT32(p);
	x = nibble_bits(sites, 3, 4);
	if (x > p)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("allocation exceeds the IPv6 space"),
				 errdetail("The sites need %d bits above a /%d.", x, p)));
	PG_RETURN_INT32(p - x);
}

/*
 * A count of units for a rule: whole, not negative (numeric, as every count
 * of the extension).
 */
static void
check_units(Numeric n, const char *param)
{
	uint128		v;
	bool		overflow,
				has_frac;
	APNumClass	cls = ap_numeric_split(n, &v, &overflow, &has_frac);

	if (cls != AP_NUM_OK || has_frac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit count must be a whole number, not negative"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(n))));
}

/*
 * ipv6_isp_subsequent(total_units numeric, used_units numeric,
 *		site_units numeric, busiest_site_used numeric,
 *		total_share numeric DEFAULT 0.75, site_share numeric DEFAULT 0.90)
 *	RETURNS TABLE(eligible boolean, total_required numeric,
 *		site_required numeric, reason text)
 *
 * ARIN NRPM 6.5.3 (b), its two arithmetic criteria: utilization of 75% or
 * more of the total address space, or of more than 90% of any serving
 * site, counted in provider allocation units (2.16: a unit assigned to an
 * end site is fully used).  total_required is ceil(0.75 * total);
 * site_required the smallest count above 0.90 * a site: floor(0.9 * s) + 1.
 * Not strict: NULL site figures test the total only.
 */
Datum
ipv6_isp_subsequent(PG_FUNCTION_ARGS)
{
	Numeric		total,
				used,
				total_share,
				site_share,
				total_req,
				site_req = NULL;
	bool		ok;
	char	   *reason = NULL;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	total = PG_GETARG_NUMERIC(0);
	used = PG_GETARG_NUMERIC(1);
	total_share = PG_GETARG_NUMERIC(4);
	site_share = PG_GETARG_NUMERIC(5);
	check_units(total, "total_units");
	check_units(used, "used_units");
	if (ap_numeric_cmp(used, total) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("used units exceed the total"),
				 errdetail("used_units is %s, total_units is %s.",
						   ap_num_message(used), ap_num_message(total))));
	for (int i = 0; i < 2; i++)
	{
		Numeric		share = i == 0 ? total_share : site_share;

		if (numeric_is_nan(share) || numeric_is_inf(share) ||
			ap_numeric_cmp(share, ap_int_numeric(0)) < 0 ||
			ap_numeric_cmp(share, ap_int_numeric(1)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("share must be between 0 and 1"),
					 errdetail("The value of \"%s\" is %s.",
							   i == 0 ? "total_share" : "site_share",
							   ap_num_message(share))));
	}

	total_req = ap_num_ceil(ap_num_mul(total_share, total));
	ok = ap_numeric_cmp(used, total_req) >= 0;
	if (!PG_ARGISNULL(2) && !PG_ARGISNULL(3))
	{
		Numeric		site = PG_GETARG_NUMERIC(2);
		Numeric		site_used = PG_GETARG_NUMERIC(3);

		check_units(site, "site_units");
		check_units(site_used, "busiest_site_used");
		if (ap_numeric_cmp(site_used, site) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("used units exceed the total"),
					 errdetail("busiest_site_used is %s, site_units is %s.",
							   ap_num_message(site_used), ap_num_message(site))));
		site_req = ap_num_add(ap_num_floor(ap_num_mul(site_share, site)),
							  ap_int_numeric(1));
		if (ap_numeric_cmp(site_req, site) > 0)
			site_req = NULL;	/* no count of the site is "more than" all */
		else if (ap_numeric_cmp(site_used, site_req) >= 0)
			ok = true;
		if (!ok)
			reason = psprintf("%s of %s units are used and %s are required, and the busiest serving site uses %s of its %s units, not more than %s of them",
							  ap_num_cstring(used), ap_num_cstring(total),
							  ap_num_cstring(total_req),
							  ap_num_cstring(site_used), ap_num_cstring(site),
							  ap_num_cstring(DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale,
																				 NumericGetDatum(ap_num_mul(site_share, site))))));
	}
	else if (!ok)
		reason = psprintf("%s of %s units are used and %s are required",
						  ap_num_cstring(used), ap_num_cstring(total),
						  ap_num_cstring(total_req));

	values[0] = BoolGetDatum(ok);
	values[1] = NumericGetDatum(total_req);
	values[2] = site_req ? NumericGetDatum(site_req) : (Datum) 0;
	nulls[2] = site_req == NULL;
	values[3] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	nulls[3] = reason == NULL;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static APRounding
parse_rounding(const char *s)
{
	if (strcmp(s, "ceil") == 0)
		return AP_ROUND_CEIL;
	if (strcmp(s, "nearest") == 0)
		return AP_ROUND_NEAREST;
	if (strcmp(s, "floor") == 0)
		return AP_ROUND_FLOOR;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown rounding"),
			 errdetail("The rounding given is \"%s\".", s),
			 errhint("Use 'ceil' (the formula's exact answer), 'nearest' (APNIC, LACNIC) or 'floor' (ARIN 2004).")));
	return AP_ROUND_CEIL;		/* keep compiler quiet */
}

/*
 * hd_table(hd numeric, unit_masklen int, longest int, shortest int,
 *		rounding text DEFAULT 'ceil')
 *	RETURNS TABLE(masklen int, units numeric, required numeric,
 *		utilization_pct numeric)
 *
 * One row per prefix length from longest to shortest: the block's number
 * of /unit_masklen units, the units a registry's table requires at HD hd
 * (units^hd rounded its way), and that as a share of the block in percent,
 * two decimals.  Prefix lengths are relative to the unit, so one table
 * serves either family (up to /128: 2^128 units).
 */
Datum
hd_table(PG_FUNCTION_ARGS)
{
	Numeric		hd = PG_GETARG_NUMERIC(0);
	int32		unit = PG_GETARG_INT32(1);
	int32		longest = PG_GETARG_INT32(2);
	int32		shortest = PG_GETARG_INT32(3);
	APRounding	mode = parse_rounding(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	ap_check_masklen(unit, AP_V6_BITS, "unit_masklen");
	ap_check_masklen(longest, unit, "longest");
	ap_check_masklen(shortest, unit, "shortest");
	if (shortest > longest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("shortest prefix length is longer than the longest"),
				 errdetail("shortest is %d, longest is %d.", shortest, longest)));

	InitMaterializedSRF(fcinfo, 0);
	for (int m = longest; m >= shortest; m--)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		Numeric		units = ap_pow2_numeric(unit - m);
		Numeric		required;
		Numeric		pct;

		CHECK_FOR_INTERRUPTS();
		required = ap_hd_rounded(units, hd, mode);
		pct = ap_num_div(ap_num_mul(required, ap_int_numeric(100)), units);
		pct = DatumGetNumeric(DirectFunctionCall2(numeric_round,
												  NumericGetDatum(pct),
												  Int32GetDatum(2)));
		values[0] = Int32GetDatum(m);
		values[1] = NumericGetDatum(units);
		values[2] = NumericGetDatum(required);
		values[3] = NumericGetDatum(pct);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
