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
 * sums are APCounts, and a whole `used` is read from the numeric's digits
 * without a copy (ap_numeric_whole_fast, numeric_read.c); fractions,
 * negatives, NaN and huge values take the exact path of ap_numeric_split.
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
PG_FUNCTION_INFO_V1(utilization_units_transfn);
PG_FUNCTION_INFO_V1(utilization_combinefn);
PG_FUNCTION_INFO_V1(utilization_serialfn);
PG_FUNCTION_INFO_V1(utilization_deserialfn);
PG_FUNCTION_INFO_V1(utilization_finalfn);

/*
 * An allocation as a candidate for "the most recent": what the tie rule
 * looks at, and its used count.
 */
typedef struct RecentAlloc
{
	APCount		used;
	uint128		addr;			/* network address */
	DateADT		date;
	bool		date_null;
	unsigned char bits;			/* prefix length */
} RecentAlloc;

/*
 * The state of one group.  It exists only once a row with a block has been
 * seen, so allocations >= 1 and the most recent allocation is always set.
 * It fits one 128-byte allocator chunk, and the aggregates declare
 * SSPACE = 128 so that the planner sizes hash tables right.
 */
typedef struct UtilState
{
	APCount		total_allocated;
	APCount		total_used;
	RecentAlloc recent;			/* the most recent allocation so far */
	int64		allocations;	/* rows with a non-NULL block */
	int64		hd_digits;		/* total_hd = hd_digits / 10^hd_scale, */
	unsigned char hd_scale;		/* or the default when hd_digits < 0 */
	unsigned char family;		/* PGSQL_AF_* of every block of the group */
	unsigned char method;		/* an APMethod */
	unsigned char unit;			/* used counts /unit units; AP_NO_UNIT: addresses */
} UtilState;

/* the unit of a state that counts addresses */
#define AP_NO_UNIT 255

/* at most this many decimals in a threshold the state keeps */
#define AP_HD_MAX_SCALE 15

StaticAssertDecl(sizeof(UtilState) <= 128, "UtilState fits one 128-byte chunk");

/* the byte format of a serialized state (2: unit and threshold, 1.1) */
#define UTIL_STATE_FORMAT 2

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
		case AP_METHOD_HD_TOTAL:
			return "hd_total";
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
	if (len == 8 && memcmp(s, "hd_total", 8) == 0)
		return AP_METHOD_HD_TOTAL;
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
used_count(Datum used_datum, const APBlock *b, int unit, APCount *out)
{
	int			exp = (unit == AP_NO_UNIT ? ap_family_bits(b->family) : unit) - b->bits;
	Numeric		used;
	uint128		n;
	bool		overflow,
				has_frac;
	APNumClass	cls;
	APCount		size;

	out->hi = 0;
	if (ap_numeric_whole_fast(used_datum, &n) &&
		(exp >= 120 || n <= ((uint128) 1) << exp))
	{
		out->lo = n;
		return;
	}

	/* everything else, exactly, and every error */
	used = DatumGetNumeric(used_datum);
	cls = ap_numeric_split(used, &n, &overflow, &has_frac);
	if (cls == AP_NUM_NAN || cls == AP_NUM_POS_INF || cls == AP_NUM_NEG_INF)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("used must be a finite number of addresses"),
				 errdetail("The row of block %s has used = %s.",
						   block_cstring(b), ap_num_message(used))));
	if (cls == AP_NUM_NEGATIVE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("used cannot be negative"),
				 errdetail("The row of block %s has used = %s.",
						   block_cstring(b), ap_num_message(used))));
	if (has_frac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("used must be a whole number of addresses"),
				 errdetail("The row of block %s has used = %s.",
						   block_cstring(b), ap_num_message(used))));
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
		size.hi = 0;
		size.lo = 0;
		ap_count_add_pow2(&size, exp);
		if (ap_count_cmp(out, &size) <= 0)
			return;
	}
	if (unit != AP_NO_UNIT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("used exceeds the units of the block"),
				 errdetail("The row of block %s (%s units of /%d) has used = %s.",
						   block_cstring(b), ap_num_cstring(ap_pow2_numeric(exp)),
						   unit, ap_num_message(used))));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("used exceeds the addresses of the block"),
			 errdetail("The row of block %s (%s addresses) has used = %s.",
					   block_cstring(b), ap_num_cstring(ap_pow2_numeric(exp)),
					   ap_num_message(used))));
}

/*
 * recent_wins - is allocation a more recent than allocation b?  A later
 * date wins and a NULL date loses to any date; on the same date the larger
 * block (shorter prefix), then the higher address, then the larger `used`
 * (the same block twice on one day).  A total order, so the result never
 * depends on the order of rows or how workers split them.
 */
static bool
recent_wins(const RecentAlloc *a, const RecentAlloc *b)
{
	if (a->date_null != b->date_null)
		return b->date_null;
	if (!a->date_null && a->date != b->date)
		return a->date > b->date;
	if (a->bits != b->bits)
		return a->bits < b->bits;
	if (a->addr != b->addr)
		return a->addr > b->addr;
	return ap_count_cmp(&a->used, &b->used) > 0;
}

static void
check_same_family(int have, int got)
{
	if (have != got)
		ap_mixed_families_error("A group's allocations are summarized in one family.");
}

static void
check_same_method(APMethod have, APMethod got)
{
	if (have != got)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("utilization method changes within a group"),
				 errdetail("The group has rows with method '%s' and rows with '%s'.",
						   method_name(have), method_name(got)),
				 errhint("Pass the same method for every row of a group, usually a constant.")));
}

/*
 * The unit and the threshold are the group's, as the method is: the same on
 * every row.
 */
static void
check_same_policy(const UtilState *st, int unit, int64 hd_digits, int hd_scale)
{
	if (st->unit != unit || st->hd_digits != hd_digits ||
		(hd_digits >= 0 && st->hd_scale != hd_scale))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("utilization unit or threshold changes within a group"),
				 errhint("Pass the same unit_masklen and total_hd for every row of a group, usually constants.")));
}

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return aggcontext;
}

static void
recent_block(const UtilState *st, APBlock *out)
{
	out->family = st->family;
	out->bits = st->recent.bits;
	out->addr = st->recent.addr;
}

/*
 * accumulate - add allocations to a group's state: one row, or the whole
 * state of a part of the group (combine).  The one place the group's
 * figures change.
 */
static void
accumulate(UtilState *st, int family, APMethod method, int unit,
		   int64 hd_digits, int hd_scale, int64 allocations,
		   const APCount *allocated, const APCount *used,
		   const RecentAlloc *recent)
{
	check_same_family(st->family, family);
	check_same_method((APMethod) st->method, method);
	check_same_policy(st, unit, hd_digits, hd_scale);
	st->allocations += allocations;
	ap_count_add(&st->total_allocated, allocated);
	ap_count_add(&st->total_used, used);
	if (recent_wins(recent, &st->recent))
		st->recent = *recent;
}

/*
 * The shared body of both transition functions: add one row.
 */
static Datum
util_accum(FunctionCallInfo fcinfo, APMethod method, int unit,
		   int64 hd_digits, int hd_scale, const char *fname)
{
	UtilState  *st = PG_ARGISNULL(0) ? NULL : (UtilState *) PG_GETARG_POINTER(0);
	RecentAlloc row;
	APBlock		b;
	APCount		size;

	/* rows without a block are not allocations */
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}

	ap_inet_to_block(PG_GETARG_INET_PP(1), &b);
	block_size(&b, &size);
	if (unit != AP_NO_UNIT)
	{
		ap_check_masklen(unit, ap_family_bits(b.family), "unit_masklen");
		if (unit < b.bits)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit is larger than a block of the group"),
					 errdetail("The unit is a /%d, the block %s a /%d.", unit,
							   block_cstring(&b), b.bits),
					 errhint("Count units no larger than the smallest allocation.")));
	}
	if (PG_ARGISNULL(2))
	{
		row.used.hi = 0;
		row.used.lo = 0;
	}
	else
		used_count(PG_GETARG_DATUM(2), &b, unit, &row.used);
	row.addr = b.addr;
	row.bits = b.bits;
	row.date_null = PG_ARGISNULL(3);
	row.date = row.date_null ? 0 : PG_GETARG_DATEADT(3);

	if (st == NULL)
	{
		MemoryContext aggcontext = aggregate_context(fcinfo, fname);

		st = (UtilState *) MemoryContextAllocZero(aggcontext, sizeof(UtilState));
		st->family = b.family;
		st->method = (unsigned char) method;
		st->unit = (unsigned char) unit;
		st->hd_digits = hd_digits;
		st->hd_scale = (unsigned char) hd_scale;
		st->allocations = 1;
		st->total_allocated = size;
		st->total_used = row.used;
		st->recent = row;
	}
	else
		accumulate(st, b.family, method, unit, hd_digits, hd_scale, 1,
				   &size, &row.used, &row);
	PG_RETURN_POINTER(st);
}

/*
 * utilization_transfn(internal, block inet, used numeric, allocated_on date)
 * The method is 'hd'.  Not strict: NULLs have meanings (see util_accum).
 */
Datum
utilization_transfn(PG_FUNCTION_ARGS)
{
	return util_accum(fcinfo, AP_METHOD_HD, AP_NO_UNIT, -1, 0,
					  "utilization_transfn");
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
	return util_accum(fcinfo, method, AP_NO_UNIT, -1, 0,
					  "utilization_method_transfn");
}

/*
 * A threshold as digits / 10^scale, exactly, for the fixed-size state: at
 * most AP_HD_MAX_SCALE decimals, between 0 and 1.
 */
static void
hd_digits_of(Numeric hd, int64 *digits, int *scale)
{
	char	   *s;
	char	   *dot;
	int64		v = 0;
	int			k = 0;

	ap_check_hd(hd, "total_hd");
	s = ap_num_cstring(DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale,
														   NumericGetDatum(hd))));
	dot = strchr(s, '.');
	if (dot != NULL && (int) strlen(dot + 1) > AP_HD_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("HD-ratio threshold has too many decimals for the aggregate"),
				 errdetail("The value of \"total_hd\" is %s; the aggregate keeps at most %d decimals.",
						   ap_num_message(hd), AP_HD_MAX_SCALE)));
	for (const char *p = s; *p; p++)
	{
		if (*p == '.')
			continue;
		v = v * 10 + (*p - '0');
		if (dot != NULL && p > dot)
			k++;
	}
	*digits = v;
	*scale = k;
}

/* the threshold of a state, as numeric */
static Numeric
hd_of_state(const UtilState *st)
{
	char		buf[48];

	snprintf(buf, sizeof(buf), INT64_FORMAT "e-%d", st->hd_digits,
			 (int) st->hd_scale);
	return ap_numeric_from_cstring(buf);
}

/*
 * utilization_units_transfn(internal, block inet, used numeric,
 *		allocated_on date, method text, unit_masklen int, total_hd numeric)
 * used counts /unit_masklen units (the IPv6 rules count /56s or /48s), and
 * the group's allocations are counted in the same units; a NULL unit counts
 * addresses, a NULL method means 'hd', a NULL total_hd its default.
 */
Datum
utilization_units_transfn(PG_FUNCTION_ARGS)
{
	APMethod	method = AP_METHOD_HD;
	int			unit = AP_NO_UNIT;
	int64		hd_digits = -1;
	int			hd_scale = 0;

	if (!PG_ARGISNULL(1))
	{
		if (!PG_ARGISNULL(4))
			method = method_from_text(PG_GETARG_TEXT_PP(4));
		if (!PG_ARGISNULL(5))
		{
			int32		u = PG_GETARG_INT32(5);

			ap_check_masklen(u, AP_V6_BITS, "unit_masklen");
			unit = u;
		}
		if (!PG_ARGISNULL(6))
			hd_digits_of(PG_GETARG_NUMERIC(6), &hd_digits, &hd_scale);
	}
	return util_accum(fcinfo, method, unit, hd_digits, hd_scale,
					  "utilization_units_transfn");
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
	accumulate(a, b->family, (APMethod) b->method, b->unit, b->hd_digits,
			   b->hd_scale, b->allocations,
			   &b->total_allocated, &b->total_used, &b->recent);
	PG_RETURN_POINTER(a);
}

/*
 * The byte format (all integers big-endian, as pq_send writes them):
 *	 int8	format (1)
 *	 int64	allocations
 *	 int8	family (4 or 6)
 *	 int8	method (0 hd, 1 table, 2 fixed, 3 hd_total)
 *	 int8	unit (a prefix length, or 255: addresses)
 *	 int64	threshold digits (-1: the default)
 *	 int8	threshold scale
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
	pq_sendint8(&buf, ap_family_number(st->family));
	pq_sendint8(&buf, st->method);
	pq_sendint8(&buf, st->unit);
	pq_sendint64(&buf, st->hd_digits);
	pq_sendint8(&buf, st->hd_scale);
	send_count(&buf, &st->total_allocated);
	send_count(&buf, &st->total_used);
	pq_sendint8(&buf, st->recent.date_null ? 1 : 0);
	pq_sendint32(&buf, st->recent.date);
	pq_sendint8(&buf, st->recent.bits);
	send_u128(&buf, st->recent.addr);
	send_count(&buf, &st->recent.used);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
corrupt_state(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid aggregate state"),
			 errdetail_internal("The serialized utilization state is invalid: %s.", what)));
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
				unit,
				hd_scale,
				date_null,
				bits,
				width;
	APBlock		block;
	APCount		size;

	initReadOnlyStringInfo(&buf, VARDATA_ANY(sstate), VARSIZE_ANY_EXHDR(sstate));
	if (pq_getmsgint(&buf, 1) != UTIL_STATE_FORMAT)
		corrupt_state("unknown format");
	st = (UtilState *) MemoryContextAllocZero(aggcontext, sizeof(UtilState));
	st->allocations = pq_getmsgint64(&buf);
	family = pq_getmsgint(&buf, 1);
	method = pq_getmsgint(&buf, 1);
	unit = pq_getmsgint(&buf, 1);
	st->hd_digits = pq_getmsgint64(&buf);
	hd_scale = pq_getmsgint(&buf, 1);
	get_count(&buf, &st->total_allocated);
	get_count(&buf, &st->total_used);
	date_null = pq_getmsgint(&buf, 1);
	st->recent.date = (DateADT) pq_getmsgint(&buf, 4);
	bits = pq_getmsgint(&buf, 1);
	st->recent.addr = get_u128(&buf);
	get_count(&buf, &st->recent.used);
	pq_getmsgend(&buf);

	if (st->allocations < 1)
		corrupt_state("no allocations");
	if (family != 4 && family != 6)
		corrupt_state("bad family");
	st->family = ap_family_from_int(family);
	width = ap_family_bits(st->family);
	if (method < AP_METHOD_HD || method > AP_METHOD_HD_TOTAL)
		corrupt_state("bad method");
	st->method = (unsigned char) method;
	if (unit != AP_NO_UNIT && unit > width)
		corrupt_state("bad unit");
	st->unit = (unsigned char) unit;
	if (st->hd_digits < -1 || hd_scale > AP_HD_MAX_SCALE)
		corrupt_state("bad threshold");
	st->hd_scale = (unsigned char) hd_scale;
	if (date_null != 0 && date_null != 1)
		corrupt_state("bad date flag");
	st->recent.date_null = date_null == 1;
	if (bits > width || (unit != AP_NO_UNIT && bits > unit))
		corrupt_state("bad prefix length");
	st->recent.bits = bits;
	if ((st->recent.addr & ap_host_mask(width, bits)) != 0 ||
		(width < 128 && (st->recent.addr >> width) != 0))
		corrupt_state("bad network address");
	recent_block(st, &block);
	block_size(&block, &size);
	if (ap_count_cmp(&st->recent.used, &size) > 0 ||
		ap_count_cmp(&size, &st->total_allocated) > 0 ||
		ap_count_cmp(&st->recent.used, &st->total_used) > 0 ||
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
	APBlock		block;
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
	policy.method = (APMethod) st->method;
	recent_block(st, &block);
	block_size(&block, &size);
	total_allocated = ap_count_to_numeric(&st->total_allocated);
	total_used = ap_count_to_numeric(&st->total_used);
	recent_allocated = ap_count_to_numeric(&size);
	recent_used = ap_count_to_numeric(&st->recent.used);

	/* counted in units: every block holds a whole number of them */
	if (st->unit != AP_NO_UNIT)
	{
		Numeric		per_unit = ap_pow2_numeric(ap_family_bits(st->family) - st->unit);

		total_allocated = ap_num_div(total_allocated, per_unit);
		total_allocated = ap_num_floor(total_allocated);
		recent_allocated = ap_num_floor(ap_num_div(recent_allocated, per_unit));
	}
	if (st->hd_digits >= 0)
	{
		policy.total_hd = hd_of_state(st);
		ap_policy_check(&policy);
	}

	ap_utilization_evaluate(total_used, total_allocated,
							recent_used, recent_allocated, &policy, &r);

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int64GetDatum(st->allocations);
	values[1] = NumericGetDatum(total_allocated);
	values[2] = NumericGetDatum(total_used);
	values[3] = InetPGetDatum(ap_make_inet(block.family, block.bits,
										   block.addr));
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
