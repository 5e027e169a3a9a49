/*-------------------------------------------------------------------------
 *
 * aggregates.c
 *	  Parallel aggregates over blocks: addr_sum (the exact total of the
 *	  blocks' addresses, duplicates counted each time) and cidr_merge (the
 *	  minimal CIDR list of their union, from inet rows or from cidr[] sets).
 *
 * Both keep their state in the aggregate's memory context, combine partial
 * states from parallel workers, and serialize them to an explicit byte
 * format.  Per row they only read the inet bytes and do integer
 * arithmetic; numeric values are built once per group, at the end.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(addr_sum_transfn);
PG_FUNCTION_INFO_V1(addr_sum_combine);
PG_FUNCTION_INFO_V1(addr_sum_serialize);
PG_FUNCTION_INFO_V1(addr_sum_deserialize);
PG_FUNCTION_INFO_V1(addr_sum_final);
PG_FUNCTION_INFO_V1(cidr_merge_transfn);
PG_FUNCTION_INFO_V1(cidr_merge_array_transfn);
PG_FUNCTION_INFO_V1(cidr_merge_combine);
PG_FUNCTION_INFO_V1(cidr_merge_serialize);
PG_FUNCTION_INFO_V1(cidr_merge_deserialize);
PG_FUNCTION_INFO_V1(cidr_merge_final);

/* the aggregate memory context, or an error outside an aggregate */
static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return aggctx;
}

/* a read-only StringInfo over a bytea, without copying it */
static void
bytea_reader(bytea *b, StringInfo buf)
{
	buf->data = VARDATA_ANY(b);
	buf->len = VARSIZE_ANY_EXHDR(b);
	buf->maxlen = buf->len + 1;
	buf->cursor = 0;
}

static void
corrupt_state(const char *agg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s aggregate state", agg),
			 errdetail("%s", detail)));
}

/* ------------------------------------------------------------------------
 * addr_sum(inet)
 * ------------------------------------------------------------------------
 */

typedef struct SumState
{
	unsigned char family;		/* PGSQL_AF_INET or PGSQL_AF_INET6 */
	APCount		sum;
} SumState;

static void
sum_mixed_families(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("addr_sum cannot add IPv4 and IPv6 addresses"),
			 errhint("Sum each family on its own, e.g. GROUP BY family(block).")));
}

/*
 * addr_sum_transfn(state, block) - add the block's address count
 */
Datum
addr_sum_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "addr_sum_transfn");
	SumState   *s = PG_ARGISNULL(0) ? NULL : (SumState *) PG_GETARG_POINTER(0);
	inet	   *block;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	block = PG_GETARG_INET_PP(1);
	if (s == NULL)
	{
		s = (SumState *) MemoryContextAllocZero(aggctx, sizeof(SumState));
		s->family = ip_family(block);
	}
	else if (s->family != ip_family(block))
		sum_mixed_families();
	ap_count_add_pow2(&s->sum, ip_maxbits(block) - ip_bits(block));
	PG_RETURN_POINTER(s);
}

/*
 * addr_sum_combine(state, state) - the sum of two partial sums
 */
Datum
addr_sum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "addr_sum_combine");
	SumState   *a = PG_ARGISNULL(0) ? NULL : (SumState *) PG_GETARG_POINTER(0);
	SumState   *b = PG_ARGISNULL(1) ? NULL : (SumState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = (SumState *) MemoryContextAlloc(aggctx, sizeof(SumState));
		*a = *b;
		PG_RETURN_POINTER(a);
	}
	if (a->family != b->family)
		sum_mixed_families();
	ap_count_add(&a->sum, &b->sum);
	PG_RETURN_POINTER(a);
}

/*
 * addr_sum_serialize(state) - bytes: family (int8: 4 or 6), then the sum as
 * three int64: the multiple of 2^128, and the high and low 64 bits of the
 * rest
 */
Datum
addr_sum_serialize(PG_FUNCTION_ARGS)
{
	SumState   *s = (SumState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ap_family_number(s->family));
	pq_sendint64(&buf, s->sum.hi);
	pq_sendint64(&buf, (uint64) (s->sum.lo >> 64));
	pq_sendint64(&buf, (uint64) s->sum.lo);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
addr_sum_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "addr_sum_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	SumState   *s;
	int			family;
	uint64		hi,
				lo_hi,
				lo_lo;

	bytea_reader(bytes, &buf);
	if (buf.len != 1 + 3 * 8)
		corrupt_state("addr_sum", "The state has a wrong size.");
	family = pq_getmsgbyte(&buf);
	if (family != 4 && family != 6)
		corrupt_state("addr_sum", "The state has an invalid address family.");
	hi = (uint64) pq_getmsgint64(&buf);
	lo_hi = (uint64) pq_getmsgint64(&buf);
	lo_lo = (uint64) pq_getmsgint64(&buf);
	pq_getmsgend(&buf);

	s = (SumState *) MemoryContextAlloc(aggctx, sizeof(SumState));
	s->family = ap_family_from_int(family);
	s->sum.hi = hi;
	s->sum.lo = (((uint128) lo_hi) << 64) | lo_lo;
	PG_RETURN_POINTER(s);
}

/*
 * addr_sum_final(state) - the sum as numeric; NULL when no row counted
 */
Datum
addr_sum_final(PG_FUNCTION_ARGS)
{
	SumState   *s = PG_ARGISNULL(0) ? NULL : (SumState *) PG_GETARG_POINTER(0);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(ap_count_to_numeric(&s->sum));
}

/* ------------------------------------------------------------------------
 * cidr_merge(inet) and cidr_merge(cidr[])
 *
 * The state is a buffer of ranges whose first nnorm entries are normalized
 * and whose tail is raw input.  When the buffer fills up it is compacted
 * (the tail sorted and merged into the normalized part, overlapping and
 * adjacent ranges joined), and it only grows when compaction left it more
 * than half full: memory follows the size of the union, not the number of
 * rows.
 * ------------------------------------------------------------------------
 */

#define MERGE_INITIAL_CAP 8

typedef struct MergeState
{
	APRange    *r;				/* the buffer, in the aggregate context */
	int64		n;				/* ranges in use */
	int64		cap;			/* ranges allocated */
	int64		nnorm;			/* r[0 .. nnorm) is normalized */
} MergeState;

static MergeState *
merge_new(MemoryContext aggctx, int64 cap)
{
	MemoryContext old = MemoryContextSwitchTo(aggctx);
	MergeState *s = (MergeState *) palloc(sizeof(MergeState));

	s->r = NULL;
	s->n = 0;
	s->cap = 0;
	s->nnorm = 0;
	ap_ranges_reserve(&s->r, 0, &s->cap, Max(cap, MERGE_INITIAL_CAP));
	MemoryContextSwitchTo(old);
	return s;
}

/* normalize the whole buffer, in place */
static void
merge_compact(MergeState *s)
{
	if (s->nnorm < s->n)
	{
		s->n = ap_ranges_compact(s->r, s->nnorm, s->n);
		s->nnorm = s->n;
	}
}

/*
 * Make room for at least `more` new ranges: compact, and grow (doubling)
 * when compaction freed less than half the buffer or still not enough.
 * repalloc keeps the buffer in the aggregate context.
 */
static void
merge_make_room(MergeState *s, int64 more)
{
	merge_compact(s);
	if (s->n > s->cap / 2 || s->n + more > s->cap)
		ap_ranges_reserve(&s->r, s->n, &s->cap, Max(more, s->cap - s->n + 1));
}

/*
 * cidr_merge_transfn(state, block) - add one block
 */
Datum
cidr_merge_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_transfn");
	MergeState *s = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = merge_new(aggctx, MERGE_INITIAL_CAP);
	else if (s->n >= s->cap)
		merge_make_room(s, 1);
	ap_inet_to_range(PG_GETARG_INET_PP(1), &s->r[s->n++]);
	PG_RETURN_POINTER(s);
}

/*
 * cidr_merge_array_transfn(state, set) - add every block of a cidr[]
 */
Datum
cidr_merge_array_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_array_transfn");
	MergeState *s = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);
	ArrayType  *arr;
	int			nitems;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	arr = PG_GETARG_ARRAYTYPE_P(1);
	nitems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (s == NULL)
		s = merge_new(aggctx, nitems);
	else if (s->n + nitems > s->cap)
		merge_make_room(s, nitems);
	/* there is room: this appends without reallocating */
	ap_ranges_from_array(arr, &s->r, &s->n, &s->cap);
	PG_RETURN_POINTER(s);
}

/*
 * cidr_merge_combine(state, state) - the union of two partial states
 */
Datum
cidr_merge_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_combine");
	MergeState *a = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);
	MergeState *b = PG_ARGISNULL(1) ? NULL : (MergeState *) PG_GETARG_POINTER(1);
	APRange    *out;
	int64		cap;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	merge_compact(b);
	if (a == NULL)
	{
		a = merge_new(aggctx, b->n);
		memcpy(a->r, b->r, (Size) b->n * sizeof(APRange));
		a->n = a->nnorm = b->n;
		PG_RETURN_POINTER(a);
	}
	merge_compact(a);
	/* a linear merge of two normalized lists into a new buffer */
	cap = Max(a->n + b->n, MERGE_INITIAL_CAP);
	out = (APRange *) MemoryContextAllocHuge(aggctx, (Size) cap * sizeof(APRange));
	a->n = a->nnorm = ap_ranges_union(a->r, a->n, b->r, b->n, out);
	pfree(a->r);
	a->r = out;
	a->cap = cap;
	PG_RETURN_POINTER(a);
}

/*
 * cidr_merge_serialize(state) - bytes: the number of ranges (int64), then
 * each range of the normalized list in order: its family (int8: 4 or 6),
 * then first and last address, each as one uint32 (IPv4) or two uint64,
 * high half first (IPv6)
 */
Datum
cidr_merge_serialize(PG_FUNCTION_ARGS)
{
	MergeState *s = (MergeState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	merge_compact(s);
	pq_begintypsend(&buf);
	pq_sendint64(&buf, s->n);
	for (int64 i = 0; i < s->n; i++)
	{
		const APRange *r = &s->r[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendbyte(&buf, ap_family_number(r->family));
		if (r->family == PGSQL_AF_INET)
		{
			pq_sendint32(&buf, (uint32) r->lo);
			pq_sendint32(&buf, (uint32) r->hi);
		}
		else
		{
			pq_sendint64(&buf, (uint64) (r->lo >> 64));
			pq_sendint64(&buf, (uint64) r->lo);
			pq_sendint64(&buf, (uint64) (r->hi >> 64));
			pq_sendint64(&buf, (uint64) r->hi);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
cidr_merge_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	MergeState *s;
	int64		n;

	bytea_reader(bytes, &buf);
	n = pq_getmsgint64(&buf);
	/* the smallest range takes 9 bytes */
	if (n < 0 || n > (buf.len - buf.cursor) / 9)
		corrupt_state("cidr_merge", "The range count does not fit the state's size.");
	s = merge_new(aggctx, n);
	for (int64 i = 0; i < n; i++)
	{
		APRange    *r = &s->r[i];
		int			family = pq_getmsgbyte(&buf);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (family == 4)
		{
			r->family = PGSQL_AF_INET;
			r->lo = (uint32) pq_getmsgint(&buf, 4);
			r->hi = (uint32) pq_getmsgint(&buf, 4);
		}
		else if (family == 6)
		{
			uint64		h,
						l;

			r->family = PGSQL_AF_INET6;
			h = (uint64) pq_getmsgint64(&buf);
			l = (uint64) pq_getmsgint64(&buf);
			r->lo = (((uint128) h) << 64) | l;
			h = (uint64) pq_getmsgint64(&buf);
			l = (uint64) pq_getmsgint64(&buf);
			r->hi = (((uint128) h) << 64) | l;
		}
		else
			corrupt_state("cidr_merge", "A range has an invalid address family.");
	}
	pq_getmsgend(&buf);
	if (!ap_ranges_is_normalized(s->r, n))
		corrupt_state("cidr_merge", "The ranges are not sorted and disjoint.");
	s->n = s->nnorm = n;
	PG_RETURN_POINTER(s);
}

/*
 * cidr_merge_final(state) - the minimal CIDR list of the union; NULL when
 * no row counted.  Compacting leaves the state equivalent, so the state can
 * still take rows afterwards (as in a window).
 */
Datum
cidr_merge_final(PG_FUNCTION_ARGS)
{
	MergeState *s = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);

	if (s == NULL)
		PG_RETURN_NULL();
	merge_compact(s);
	PG_RETURN_ARRAYTYPE_P(ap_ranges_to_cidr_array(s->r, s->n));
}
