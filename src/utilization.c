/*-------------------------------------------------------------------------
 *
 * utilization.c
 *	  The `utilization` aggregate: one pass over a member's allocations
 *	  gives the totals, the most recent allocation and the whole eligibility
 *	  verdict of utilization_check, with constant-size state that combines
 *	  across parallel workers.
 *
 * The verdict is not computed here: the final function hands the totals to
 * ap_utilization_evaluate (hdratio.c), the same code utilization_check
 * runs, so the two can never disagree.
 *
 * Per row, the work is integer arithmetic: a block's size is a power of two,
 * sums are APCounts, and a `used` numeric below 2^31 is converted through
 * numeric_int4_opt_error and numeric_min_scale (no text round trip); larger
 * or invalid values take the exact, slower path of ap_numeric_split.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(utilization_transfn);
PG_FUNCTION_INFO_V1(utilization_method_transfn);
PG_FUNCTION_INFO_V1(utilization_combinefn);
PG_FUNCTION_INFO_V1(utilization_serialfn);
PG_FUNCTION_INFO_V1(utilization_deserialfn);
PG_FUNCTION_INFO_V1(utilization_finalfn);

/*
 * The state of one group.  It exists only once a row with a block has been
 * seen, so allocations >= 1 and the most recent allocation is always set.
 */
typedef struct UtilState
{
	int64		allocations;	/* rows with a non-NULL block */
	APMethod	method;
	APCount		total_allocated;
	APCount		total_used;
	/* the most recent allocation so far; recent_block.family is the group's */
	bool		recent_date_null;
	DateADT		recent_date;
	APBlock		recent_block;
	APCount		recent_used;
} UtilState;

/* the byte format of a serialized state */
#define UTIL_STATE_FORMAT 1

static const char *
method_name(APMethod m)
{
	switch (m)
	{
		case AP_METHOD_HD:
			return "hd";
		case AP_METHOD_TABLE:
			return "table";
		case AP_METHOD_FIXED:
			return "fixed";
	}
	return "?";					/* keep compiler quiet */
}

/*
 * The method named by a text value, read without copying it; unknown names
 * get ap_parse_method's error.
 */
static APMethod
method_from_text(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len == 2 && memcmp(s, "hd", 2) == 0)
		return AP_METHOD_HD;
	if (len == 5 && memcmp(s, "table", 5) == 0)
		return AP_METHOD_TABLE;
	if (len == 5 && memcmp(s, "fixed", 5) == 0)
		return AP_METHOD_FIXED;
	return ap_parse_method(text_to_cstring(t));
}

static char *
block_cstring(const APBlock *b)
{
	return DatumGetCString(DirectFunctionCall1(cidr_out,
											   InetPGetDatum(ap_make_inet(b->family, b->bits, b->addr))));
}

/* the number of addresses of a block, 2^(width - bits) */
static void
block_size(const APBlock *b, APCount *out)
{
	out->hi = 0;
	out->lo = 0;
	ap_count_add_pow2(out, ap_family_bits(b->family) - b->bits);
}

/*
 * used_count - a row's `used` as an exact count, checked against its block:
 * a whole number from 0 to the block's size.
 */
static void
used_count(Numeric used, const APBlock *b, APCount *out)
{
	int			exp = ap_family_bits(b->family) - b->bits;
	bool		err;
	int32		v;
	uint128		n;
	bool		overflow,
				has_frac;
	APNumClass	cls;
	APCount		size;

	out->hi = 0;

	/*
	 * The common case: a whole number below 2^31.  The conversion rounds, so
	 * min_scale (the digits a value needs after the point) is checked too.
	 * Neither allocates more than a digit buffer; neither prints the value.
	 */
	v = numeric_int4_opt_error(used, &err);
	if (!err && v >= 0 &&
		DatumGetInt32(DirectFunctionCall1(numeric_min_scale,
										  NumericGetDatum(used))) == 0)
	{
		if (exp < 31 && (uint32) v > ((uint32) 1 << exp))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("used %d exceeds the %u addresses of block %s",
							(int) v, (unsigned) 1 << exp, block_cstring(b))));
		out->lo = (uint128) v;
		return;
	}

	/* everything else, exactly */
	cls = ap_numeric_split(used, &n, &overflow, &has_frac);
	if (cls == AP_NUM_NAN || cls == AP_NUM_POS_INF || cls == AP_NUM_NEG_INF)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("used must be a finite number of addresses, got %s for block %s",
						ap_num_cstring(used), block_cstring(b))));
	if (cls == AP_NUM_NEGATIVE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("used cannot be negative, got %s for block %s",
						ap_num_cstring(used), block_cstring(b))));
	if (has_frac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("used must be a whole number of addresses, got %s for block %s",
						ap_num_cstring(used), block_cstring(b))));
	if (overflow)
	{
		/* at least 2^128: only ::/0 holds that many, and exactly 2^128 */
		if (exp == 128 && ap_numeric_cmp(used, ap_pow2_numeric(128)) == 0)
		{
			out->hi = 1;
			out->lo = 0;
			return;
		}
	}
	else
	{
		out->lo = n;
		block_size(b, &size);
		if (ap_count_cmp(out, &size) <= 0)
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("used %s exceeds the %s addresses of block %s",
					ap_num_cstring(used),
					ap_num_cstring(ap_pow2_numeric(exp)),
					block_cstring(b))));
}

/*
 * recent_wins - does allocation a count as more recent than allocation b?
 * A later date wins and a NULL date loses to any date; on the same date the
 * larger block (shorter prefix), then the higher address, then the larger
 * `used` (the same block twice on one day).  A total order, so the result
 * never depends on the order of rows or how workers split them.
 */
static bool
recent_wins(bool a_date_null, DateADT a_date, const APBlock *a_block,
			const APCount *a_used,
			bool b_date_null, DateADT b_date, const APBlock *b_block,
			const APCount *b_used)
{
	if (a_date_null != b_date_null)
		return b_date_null;
	if (!a_date_null && a_date != b_date)
		return a_date > b_date;
	if (a_block->bits != b_block->bits)
		return a_block->bits < b_block->bits;
	if (a_block->addr != b_block->addr)
		return a_block->addr > b_block->addr;
	return ap_count_cmp(a_used, b_used) > 0;
}

static void
check_same_family(int have, int got)
{
	if (have != got)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot summarize IPv%d and IPv%d allocations together",
						ap_family_number(have), ap_family_number(got)),
				 errhint("Group by family(block) as well, e.g. GROUP BY member_id, family(block).")));
}

static void
check_same_method(APMethod have, APMethod got)
{
	if (have != got)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("utilization method changes within a group: '%s' and '%s'",
						method_name(have), method_name(got)),
				 errhint("Pass the same method for every row of a group, usually a constant.")));
}

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return aggcontext;
}

/*
 * The shared body of both transition functions: add one row.
 */
static Datum
util_accum(FunctionCallInfo fcinfo, APMethod method, const char *fname)
{
	MemoryContext aggcontext = aggregate_context(fcinfo, fname);
	UtilState  *st = PG_ARGISNULL(0) ? NULL : (UtilState *) PG_GETARG_POINTER(0);
	APBlock		b;
	APCount		used,
				size;
	bool		date_null = PG_ARGISNULL(3);
	DateADT		date = date_null ? 0 : PG_GETARG_DATEADT(3);

	/* rows without a block are not allocations */
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}

	ap_inet_to_block(PG_GETARG_INET_PP(1), &b);
	if (PG_ARGISNULL(2))
	{
		used.hi = 0;
		used.lo = 0;
	}
	else
		used_count(PG_GETARG_NUMERIC(2), &b, &used);
	block_size(&b, &size);

	if (st == NULL)
	{
		st = (UtilState *) MemoryContextAllocZero(aggcontext, sizeof(UtilState));
		st->method = method;
		st->allocations = 1;
		st->total_allocated = size;
		st->total_used = used;
		st->recent_date_null = date_null;
		st->recent_date = date;
		st->recent_block = b;
		st->recent_used = used;
		PG_RETURN_POINTER(st);
	}

	check_same_family(st->recent_block.family, b.family);
	check_same_method(st->method, method);
	st->allocations++;
	ap_count_add(&st->total_allocated, &size);
	ap_count_add(&st->total_used, &used);
	if (recent_wins(date_null, date, &b, &used,
					st->recent_date_null, st->recent_date, &st->recent_block,
					&st->recent_used))
	{
		st->recent_date_null = date_null;
		st->recent_date = date;
		st->recent_block = b;
		st->recent_used = used;
	}
	PG_RETURN_POINTER(st);
}

/*
 * utilization_transfn(internal, block inet, used numeric, allocated_on date)
 * The method is 'hd'.  Not strict: NULLs have meanings (see util_accum).
 */
Datum
utilization_transfn(PG_FUNCTION_ARGS)
{
	return util_accum(fcinfo, AP_METHOD_HD, "utilization_transfn");
}

/*
 * utilization_method_transfn(internal, block inet, used numeric,
 *		allocated_on date, method text)
 * A NULL method means 'hd', as a NULL policy parameter of utilization_check
 * means its default.  Rows without a block are skipped, method and all.
 */
Datum
utilization_method_transfn(PG_FUNCTION_ARGS)
{
	APMethod	method = AP_METHOD_HD;

	if (!PG_ARGISNULL(1) && !PG_ARGISNULL(4))
		method = method_from_text(PG_GETARG_TEXT_PP(4));
	return util_accum(fcinfo, method, "utilization_method_transfn");
}

/*
 * utilization_combinefn(internal, internal) - merge two groups' states.
 * Not strict: either side may be NULL (no allocations yet).
 */
Datum
utilization_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_context(fcinfo, "utilization_combinefn");
	UtilState  *a = PG_ARGISNULL(0) ? NULL : (UtilState *) PG_GETARG_POINTER(0);
	UtilState  *b = PG_ARGISNULL(1) ? NULL : (UtilState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = (UtilState *) MemoryContextAlloc(aggcontext, sizeof(UtilState));
		memcpy(a, b, sizeof(UtilState));
		PG_RETURN_POINTER(a);
	}

	check_same_family(a->recent_block.family, b->recent_block.family);
	check_same_method(a->method, b->method);
	a->allocations += b->allocations;
	ap_count_add(&a->total_allocated, &b->total_allocated);
	ap_count_add(&a->total_used, &b->total_used);
	if (recent_wins(b->recent_date_null, b->recent_date, &b->recent_block,
					&b->recent_used,
					a->recent_date_null, a->recent_date, &a->recent_block,
					&a->recent_used))
	{
		a->recent_date_null = b->recent_date_null;
		a->recent_date = b->recent_date;
		a->recent_block = b->recent_block;
		a->recent_used = b->recent_used;
	}
	PG_RETURN_POINTER(a);
}

/*
 * The byte format (all integers big-endian, as pq_send writes them):
 *	 int8	format (1)
 *	 int64	allocations
 *	 int8	family (4 or 6)
 *	 int8	method (0 hd, 1 table, 2 fixed)
 *	 3 x int64	total_allocated (hi, then lo as high and low 64 bits)
 *	 3 x int64	total_used
 *	 int8	recent date is NULL (0 or 1)
 *	 int32	recent date (days since 2000-01-01, as DateADT)
 *	 int8	recent prefix length
 *	 2 x int64	recent network address (high, low 64 bits)
 *	 3 x int64	recent used
 */
static void
send_u128(StringInfo buf, uint128 v)
{
	pq_sendint64(buf, (uint64) (v >> 64));
	pq_sendint64(buf, (uint64) v);
}

static uint128
get_u128(StringInfo buf)
{
	uint128		hi = (uint64) pq_getmsgint64(buf);

	return (hi << 64) | (uint64) pq_getmsgint64(buf);
}

static void
send_count(StringInfo buf, const APCount *c)
{
	pq_sendint64(buf, c->hi);
	send_u128(buf, c->lo);
}

static void
get_count(StringInfo buf, APCount *c)
{
	c->hi = (uint64) pq_getmsgint64(buf);
	c->lo = get_u128(buf);
}

/*
 * utilization_serialfn(internal) returns bytea
 */
Datum
utilization_serialfn(PG_FUNCTION_ARGS)
{
	UtilState  *st = (UtilState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) aggregate_context(fcinfo, "utilization_serialfn");
	pq_begintypsend(&buf);
	pq_sendint8(&buf, UTIL_STATE_FORMAT);
	pq_sendint64(&buf, st->allocations);
	pq_sendint8(&buf, ap_family_number(st->recent_block.family));
	pq_sendint8(&buf, (int8) st->method);
	send_count(&buf, &st->total_allocated);
	send_count(&buf, &st->total_used);
	pq_sendint8(&buf, st->recent_date_null ? 1 : 0);
	pq_sendint32(&buf, st->recent_date);
	pq_sendint8(&buf, st->recent_block.bits);
	send_u128(&buf, st->recent_block.addr);
	send_count(&buf, &st->recent_used);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
corrupt_state(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized utilization state: %s", what)));
}

/*
 * utilization_deserialfn(bytea, internal) returns internal
 */
Datum
utilization_deserialfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_context(fcinfo, "utilization_deserialfn");
	bytea	   *sstate = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	UtilState  *st;
	int			family,
				method,
				date_null,
				bits,
				width;
	APCount		size;

#if PG_VERSION_NUM >= 160000
	initReadOnlyStringInfo(&buf, VARDATA_ANY(sstate), VARSIZE_ANY_EXHDR(sstate));
#else
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(sstate), VARSIZE_ANY_EXHDR(sstate));
#endif
	if (pq_getmsgint(&buf, 1) != UTIL_STATE_FORMAT)
		corrupt_state("unknown format");
	st = (UtilState *) MemoryContextAllocZero(aggcontext, sizeof(UtilState));
	st->allocations = pq_getmsgint64(&buf);
	family = pq_getmsgint(&buf, 1);
	method = pq_getmsgint(&buf, 1);
	get_count(&buf, &st->total_allocated);
	get_count(&buf, &st->total_used);
	date_null = pq_getmsgint(&buf, 1);
	st->recent_date = (DateADT) pq_getmsgint(&buf, 4);
	bits = pq_getmsgint(&buf, 1);
	st->recent_block.addr = get_u128(&buf);
	get_count(&buf, &st->recent_used);
	pq_getmsgend(&buf);

	if (st->allocations < 1)
		corrupt_state("no allocations");
	if (family != 4 && family != 6)
		corrupt_state("bad family");
	st->recent_block.family = ap_family_from_int(family);
	width = ap_family_bits(st->recent_block.family);
	if (method < AP_METHOD_HD || method > AP_METHOD_FIXED)
		corrupt_state("bad method");
	st->method = (APMethod) method;
	if (date_null != 0 && date_null != 1)
		corrupt_state("bad date flag");
	st->recent_date_null = date_null == 1;
	if (bits > width)
		corrupt_state("bad prefix length");
	st->recent_block.bits = bits;
	if ((st->recent_block.addr & ap_host_mask(width, bits)) != 0 ||
		(width < 128 && (st->recent_block.addr >> width) != 0))
		corrupt_state("bad network address");
	block_size(&st->recent_block, &size);
	if (ap_count_cmp(&st->recent_used, &size) > 0 ||
		ap_count_cmp(&size, &st->total_allocated) > 0 ||
		ap_count_cmp(&st->recent_used, &st->total_used) > 0 ||
		ap_count_cmp(&st->total_used, &st->total_allocated) > 0)
		corrupt_state("inconsistent counts");
	PG_RETURN_POINTER(st);
}

/*
 * What the final function keeps for the whole query: the default policy
 * (parsed once) and the result's tuple descriptor.
 */
typedef struct UtilFinalCache
{
	APPolicy	policy;
	TupleDesc	tupdesc;
} UtilFinalCache;

/*
 * utilization_finalfn(internal) returns utilization_summary
 *
 * NULL when the group had no row with a block.  eligible, the required
 * counts, the HD ratios and the reason are ap_utilization_evaluate's, for
 * the group's totals and its most recent allocation.
 */
Datum
utilization_finalfn(PG_FUNCTION_ARGS)
{
	UtilState  *st;
	UtilFinalCache *cache = (UtilFinalCache *) fcinfo->flinfo->fn_extra;
	APPolicy	policy;
	APUtilResult r;
	APCount		size;
	Numeric		total_allocated,
				total_used,
				recent_allocated,
				recent_used;
	Datum		values[12];
	bool		nulls[12];

	(void) aggregate_context(fcinfo, "utilization_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (UtilState *) PG_GETARG_POINTER(0);

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc;

		cache = (UtilFinalCache *) palloc0(sizeof(UtilFinalCache));
		ap_policy_defaults(&cache->policy);
		ap_policy_check(&cache->policy);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		cache->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}

	policy = cache->policy;
	policy.method = st->method;
	block_size(&st->recent_block, &size);
	total_allocated = ap_count_to_numeric(&st->total_allocated);
	total_used = ap_count_to_numeric(&st->total_used);
	recent_allocated = ap_count_to_numeric(&size);
	recent_used = ap_count_to_numeric(&st->recent_used);

	ap_utilization_evaluate(total_used, total_allocated,
							recent_used, recent_allocated, &policy, &r);

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(st->allocations);
	values[1] = NumericGetDatum(total_allocated);
	values[2] = NumericGetDatum(total_used);
	values[3] = InetPGetDatum(ap_make_inet(st->recent_block.family,
										   st->recent_block.bits,
										   st->recent_block.addr));
	values[4] = NumericGetDatum(recent_allocated);
	values[5] = NumericGetDatum(recent_used);
	values[6] = Float8GetDatum(r.total_hd);
	nulls[6] = r.total_hd_null;
	values[7] = Float8GetDatum(r.recent_hd);
	nulls[7] = r.recent_hd_null;
	values[8] = BoolGetDatum(r.eligible);
	values[9] = r.total_required ? NumericGetDatum(r.total_required) : (Datum) 0;
	nulls[9] = r.total_required == NULL;
	values[10] = r.recent_required ? NumericGetDatum(r.recent_required) : (Datum) 0;
	nulls[10] = r.recent_required == NULL;
	values[11] = r.reason ? CStringGetTextDatum(r.reason) : (Datum) 0;
	nulls[11] = r.reason == NULL;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->tupdesc,
													  values, nulls)));
}
