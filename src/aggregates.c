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
#include "utils/memutils.h"

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
	initReadOnlyStringInfo(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

static void
corrupt_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid aggregate state"),
			 errdetail_internal("%s", detail)));
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
		ap_mixed_families_error(NULL);
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
		ap_mixed_families_error(NULL);
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
		corrupt_state("The addr_sum state has a wrong size.");
	family = pq_getmsgbyte(&buf);
	if (family != 4 && family != 6)
		corrupt_state("The addr_sum state has an invalid address family.");
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
 * The state holds two buffers of ranges, one per family.  In each, the
 * first `norm` entries are normalized and the tail is raw input.  When a
 * buffer fills up it is compacted (the tail sorted, merged into the
 * normalized part, overlapping and adjacent ranges joined), and it only
 * grows when compaction left it more than three quarters full: memory
 * follows the size of the union, not the number of rows.
 *
 * Each family's buffer holds the engine's packed elements (rangeset.h):
 * 8 bytes an IPv4 range, 32 an IPv6 one.  With GROUP BY over thousands of
 * groups the states are the working set of the hash table, so their size
 * decides whether it stays in the caches and in work_mem (doc/sets.md).
 * Compaction is the engine's (ap_rs4_compact, ap_rs6_compact).
 * ------------------------------------------------------------------------
 */

#define MERGE_INITIAL_CAP 16

/* the IPv6 part of a state, allocated with the first IPv6 range */
typedef struct Merge6
{
	APRange6   *r;
	int64		n,				/* in use */
				cap,			/* allocated */
				norm;			/* r[0 .. norm) is normalized */
} Merge6;

/*
 * The state: 256 bytes to begin with, the IPv4 buffer inside it, so that a
 * row touches one allocation; the buffer moves out when it must grow.
 */
#define MERGE_INLINE_CAP 27

typedef struct MergeState
{
	APRange4   *v4;				/* IPv4 ranges */
	int64		n4,				/* in use */
				cap4,			/* allocated */
				norm4;			/* v4[0 .. norm4) is normalized */
	Merge6	   *v6;				/* NULL until an IPv6 range comes */
	APRange4	inline4[MERGE_INLINE_CAP];
} MergeState;

/*
 * A buffer of at least `need` elements, grown by doubling, in the context
 * of the state; `buf` may be the state's inline buffer, which stays put.
 */
static void *
buffer_grow(MergeState *s, void *buf, int64 used, int64 *cap, int64 need,
			Size elemsize)
{
	int64		newcap = Max(Max(*cap * 2, need), MERGE_INITIAL_CAP);
	void	   *newbuf;

	if ((Size) newcap > MaxAllocHugeSize / elemsize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate state is too large"),
				 errdetail("The state would hold %lld ranges.",
						   (long long) newcap)));
	if (buf != NULL && buf != (void *) s->inline4)
		newbuf = repalloc_huge(buf, (Size) newcap * elemsize);
	else
	{
		newbuf = MemoryContextAllocHuge(GetMemoryChunkContext(s),
										(Size) newcap * elemsize);
		if (used > 0)
			memcpy(newbuf, buf, (Size) used * elemsize);
	}
	*cap = newcap;
	return newbuf;
}

static MergeState *
merge_new(MemoryContext aggctx)
{
	MergeState *s = (MergeState *) MemoryContextAlloc(aggctx,
													  sizeof(MergeState));

	s->v4 = s->inline4;
	s->n4 = s->norm4 = 0;
	s->cap4 = MERGE_INLINE_CAP;
	s->v6 = NULL;
	return s;
}

static Merge6 *
merge_v6(MergeState *s)
{
	if (s->v6 == NULL)
		s->v6 = (Merge6 *) MemoryContextAllocZero(GetMemoryChunkContext(s),
												  sizeof(Merge6));
	return s->v6;
}

/*
 * Make room for `more` ranges of a family: compact, and grow when that left
 * the buffer more than three quarters full or still too small.
 */
static void
merge_room4(MergeState *s, int64 more)
{
	s->n4 = s->norm4 = ap_rs4_compact(s->v4, s->norm4, s->n4);
	if (s->n4 > s->cap4 - s->cap4 / 4 || s->n4 + more > s->cap4)
		s->v4 = buffer_grow(s, s->v4, s->n4, &s->cap4, s->n4 + more,
							sizeof(APRange4));
}

static void
merge_room6(MergeState *s, int64 more)
{
	Merge6	   *m = merge_v6(s);

	m->n = m->norm = ap_rs6_compact(m->r, m->norm, m->n);
	if (m->r == NULL || m->n > m->cap - m->cap / 4 || m->n + more > m->cap)
		m->r = buffer_grow(s, m->r, m->n, &m->cap, m->n + more,
						   sizeof(APRange6));
}

static inline void
merge_add(MergeState *s, const APRange *r)
{
	if (r->family == PGSQL_AF_INET)
	{
		if (s->n4 >= s->cap4)
			merge_room4(s, 1);
		s->v4[s->n4++] = AP_R4_MAKE(r->lo, r->hi);
	}
	else
	{
		Merge6	   *m = merge_v6(s);

		if (m->n >= m->cap)
			merge_room6(s, 1);
		m->r[m->n++] = ap_r6_make(r->lo, r->hi);
	}
}

/* normalize both buffers in place */
static void
merge_compact(MergeState *s)
{
	s->n4 = s->norm4 = ap_rs4_compact(s->v4, s->norm4, s->n4);
	if (s->v6 != NULL)
		s->v6->n = s->v6->norm = ap_rs6_compact(s->v6->r, s->v6->norm,
												   s->v6->n);
}

/*
 * cidr_merge_transfn(state, block) - add one block
 */
Datum
cidr_merge_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_transfn");
	MergeState *s = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);
	APRange		r;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = merge_new(aggctx);
	ap_inet_to_range(PG_GETARG_INET_PP(1), &r);
	merge_add(s, &r);
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
	APArrayReader rd;
	APRange		r;

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = merge_new(aggctx);
	ap_array_reader_init(&rd, PG_GETARG_ARRAYTYPE_P(1));
	while (ap_array_reader_next(&rd, &r))
		merge_add(s, &r);
	PG_RETURN_POINTER(s);
}

/*
 * cidr_merge_combine(state, state) - the union of two partial states: b's
 * normalized lists appended to a's, then merged in (linear: both sorted)
 */
Datum
cidr_merge_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_combine");
	MergeState *a = PG_ARGISNULL(0) ? NULL : (MergeState *) PG_GETARG_POINTER(0);
	MergeState *b = PG_ARGISNULL(1) ? NULL : (MergeState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = merge_new(aggctx);
	merge_compact(a);
	merge_compact(b);
	if (b->n4 > 0)
	{
		if (a->n4 + b->n4 > a->cap4)
			a->v4 = buffer_grow(a, a->v4, a->n4, &a->cap4, a->n4 + b->n4,
								sizeof(APRange4));
		memcpy(a->v4 + a->n4, b->v4, (Size) b->n4 * sizeof(APRange4));
		a->n4 = a->norm4 = ap_rs4_compact(a->v4, a->norm4, a->n4 + b->n4);
	}
	if (b->v6 != NULL && b->v6->n > 0)
	{
		Merge6	   *ma = merge_v6(a);
		Merge6	   *mb = b->v6;

		if (ma->n + mb->n > ma->cap)
			ma->r = buffer_grow(a, ma->r, ma->n, &ma->cap, ma->n + mb->n,
								sizeof(APRange6));
		memcpy(ma->r + ma->n, mb->r, (Size) mb->n * sizeof(APRange6));
		ma->n = ma->norm = ap_rs6_compact(ma->r, ma->norm, ma->n + mb->n);
	}
	PG_RETURN_POINTER(a);
}

/*
 * cidr_merge_serialize(state) - bytes: the number of IPv4 ranges (int64),
 * then each as first and last address (two uint32), in order; the number of
 * IPv6 ranges (int64), then each as first and last address, each two
 * uint64, high half first.  Both lists normalized.
 */
Datum
cidr_merge_serialize(PG_FUNCTION_ARGS)
{
	MergeState *s = (MergeState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Merge6	   *m;
	int64		n6;

	merge_compact(s);
	m = s->v6;
	n6 = m ? m->n : 0;
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, 16 + s->n4 * 8 + n6 * 32);
	pq_sendint64(&buf, s->n4);
	for (int64 i = 0; i < s->n4; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, AP_R4_LO(s->v4[i]));
		pq_sendint32(&buf, AP_R4_HI(s->v4[i]));
	}
	pq_sendint64(&buf, n6);
	for (int64 i = 0; i < n6; i++)
	{
		const APRange6 *r = &m->r[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, (uint64) (r->lo >> 64));
		pq_sendint64(&buf, (uint64) r->lo);
		pq_sendint64(&buf, (uint64) (r->hi >> 64));
		pq_sendint64(&buf, (uint64) r->hi);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* a range count from a state, checked against the bytes left */
static int64
read_count(StringInfo buf, int bytes_each)
{
	int64		n = pq_getmsgint64(buf);

	if (n < 0 || n > (buf->len - buf->cursor) / bytes_each)
		corrupt_state("A range count of the cidr_merge state does not fit its size.");
	return n;
}

Datum
cidr_merge_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = agg_context(fcinfo, "cidr_merge_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	MergeState *s = merge_new(aggctx);
	int64		n;

	bytea_reader(bytes, &buf);

	n = read_count(&buf, 8);
	if (n > s->cap4)
		s->v4 = buffer_grow(s, s->v4, 0, &s->cap4, n, sizeof(APRange4));
	for (int64 i = 0; i < n; i++)
	{
		uint32		lo = (uint32) pq_getmsgint(&buf, 4);
		uint32		hi = (uint32) pq_getmsgint(&buf, 4);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		s->v4[i] = AP_R4_MAKE(lo, hi);
	}
	if (!ap_rs4_is_normalized(s->v4, n))
		corrupt_state("The IPv4 ranges of the cidr_merge state are not sorted and disjoint.");
	s->n4 = s->norm4 = n;

	n = read_count(&buf, 32);
	if (n > 0)
	{
		Merge6	   *m = merge_v6(s);

		m->r = buffer_grow(s, NULL, 0, &m->cap, n, sizeof(APRange6));
		for (int64 i = 0; i < n; i++)
		{
			APRange6   *r = &m->r[i];
			uint64		h,
						l;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			h = (uint64) pq_getmsgint64(&buf);
			l = (uint64) pq_getmsgint64(&buf);
			r->lo = (((uint128) h) << 64) | l;
			h = (uint64) pq_getmsgint64(&buf);
			l = (uint64) pq_getmsgint64(&buf);
			r->hi = (((uint128) h) << 64) | l;
		}
		if (!ap_rs6_is_normalized(m->r, n))
			corrupt_state("The IPv6 ranges of the cidr_merge state are not sorted and disjoint.");
		m->n = m->norm = n;
	}
	pq_getmsgend(&buf);
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
	APSet		set;

	if (s == NULL)
		PG_RETURN_NULL();
	merge_compact(s);
	/* a view of the state's lists as a set: nothing is copied */
	set.r4 = s->v4;
	set.n4 = set.cap4 = s->n4;
	set.r6 = s->v6 ? s->v6->r : NULL;
	set.n6 = set.cap6 = s->v6 ? s->v6->n : 0;
	PG_RETURN_ARRAYTYPE_P(ap_set_to_cidr_array(&set));
}
