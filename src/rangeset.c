/*-------------------------------------------------------------------------
 *
 * rangeset.c
 *	  The interval-set engine: the IPv4 and IPv6 instances of
 *	  rangeset_impl.h, sets of both families (APSet) built from arrays and
 *	  written back as cidr[], the set operations and the free-space walk
 *	  over an array read in place, and the minimal CIDR blocks of a range.
 *	  See rangeset.h for the vocabulary.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* how often (in iterations, minus one) linear loops check for interrupts */
#define AP_INTERRUPT_MASK 0xFFFF

/* the engine of each family: one text, rangeset_impl.h */
#define RS_SUFFIX 4
#define RS_DEFINE
#include "rangeset_impl.h"

#define RS_SUFFIX 6
#define RS_DEFINE
#include "rangeset_impl.h"

/* --- APSet ------------------------------------------------------------ */

void
ap_set_init(APSet *s)
{
	memset(s, 0, sizeof(APSet));
}

void
ap_set_free(APSet *s)
{
	if (s->r4)
		pfree(s->r4);
	if (s->r6)
		pfree(s->r6);
	ap_set_init(s);
}

/* room for `more` elements of `size` bytes in a buffer with *cap slots */
static void *
ap_buffer_reserve(void *buf, int64 n, int64 *cap, int64 more, Size size)
{
	int64		newcap;

	if (n + more <= *cap && buf != NULL)
		return buf;
	newcap = Max(Max(*cap * 2, n + more), 8);
	if ((Size) newcap > MaxAllocHugeSize / size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("address set is too large"),
				 errdetail("The set would have more than %lld ranges.",
						   (long long) (MaxAllocHugeSize / size))));
	*cap = newcap;
	if (buf == NULL)
		return MemoryContextAllocHuge(CurrentMemoryContext, (Size) newcap * size);
	return repalloc_huge(buf, (Size) newcap * size);
}

static inline void
ap_set_push(APSet *s, const APRange *r)
{
	if (r->family == PGSQL_AF_INET)
	{
		if (s->n4 >= s->cap4)
			s->r4 = ap_buffer_reserve(s->r4, s->n4, &s->cap4, 1,
									  sizeof(APRange4));
		s->r4[s->n4++] = AP_R4_MAKE(r->lo, r->hi);
	}
	else
	{
		if (s->n6 >= s->cap6)
			s->r6 = ap_buffer_reserve(s->r6, s->n6, &s->cap6, 1,
									  sizeof(APRange6));
		s->r6[s->n6++] = ap_r6_make(r->lo, r->hi);
	}
}

void
ap_set_add(APSet *s, const APRange *r)
{
	ap_set_push(s, r);
}

void
ap_set_add_array(APSet *s, ArrayType *arr)
{
	APArrayReader rd;
	APRange		r;

	ap_array_reader_init(&rd, arr);

	/*
	 * Room for every element in the list of the first element's family (an
	 * array is most often of one family); the other list grows by doubling.
	 */
	if (rd.nitems > 0 && ap_array_reader_next(&rd, &r))
	{
		if (r.family == PGSQL_AF_INET)
			s->r4 = ap_buffer_reserve(s->r4, s->n4, &s->cap4, rd.nitems,
									  sizeof(APRange4));
		else
			s->r6 = ap_buffer_reserve(s->r6, s->n6, &s->cap6, rd.nitems,
									  sizeof(APRange6));
		do
			ap_set_push(s, &r);
		while (ap_array_reader_next(&rd, &r));
	}
}

void
ap_set_normalize(APSet *s)
{
	s->n4 = ap_rs4_normalize(s->r4, s->n4);
	s->n6 = ap_rs6_normalize(s->r6, s->n6);
}

void
ap_set_from_array(APSet *s, ArrayType *arr)
{
	ap_set_init(s);
	ap_set_add_array(s, arr);
	ap_set_normalize(s);
}

int
ap_set_families(const APSet *s)
{
	return (s->n4 > 0 ? AP_HAS_V4 : 0) | (s->n6 > 0 ? AP_HAS_V6 : 0);
}

void
ap_set_count(const APSet *s, APCount *out)
{
	APCount		c6;

	ap_rs4_count(s->r4, s->n4, out);
	ap_rs6_count(s->r6, s->n6, &c6);
	ap_count_add(out, &c6);
}

bool
ap_set_emit(const APSet *s, APRangeEmit emit, void *arg)
{
	return ap_rs4_emit(s->r4, s->n4, emit, arg) &&
		ap_rs6_emit(s->r6, s->n6, emit, arg);
}

/* callbacks that write a result as a cidr[]: measure, then put */
static bool
ap_emit_measure(void *arg, const APRange *r)
{
	ap_cidr_array_measure((APCidrArraySize *) arg, r);
	return false;
}

static bool
ap_emit_put(void *arg, const APRange *r)
{
	ap_cidr_array_put((char **) arg, r);
	return false;
}

ArrayType *
ap_set_to_cidr_array(const APSet *s)
{
	APCidrArraySize sz = {0, 0};
	ArrayType  *result;
	char	   *p;

	ap_set_emit(s, ap_emit_measure, &sz);
	result = ap_cidr_array_alloc(&sz, &p);
	if (sz.nblocks > 0)
		ap_set_emit(s, ap_emit_put, &p);
	Assert(sz.nblocks == 0 || p == (char *) result + VARSIZE(result));
	return result;
}

/* a AND b or a AND NOT b, family by family, to a callback */
static void
ap_set_op_emit(const APSet *a, const APSet *b, APSetOp op,
			   APRangeEmit emit, void *arg)
{
	if (op == AP_SET_INTERSECT)
	{
		ap_rs4_intersect(a->r4, a->n4, b->r4, b->n4, emit, arg);
		ap_rs6_intersect(a->r6, a->n6, b->r6, b->n6, emit, arg);
	}
	else
	{
		ap_rs4_except(a->r4, a->n4, b->r4, b->n4, NULL, emit, arg);
		ap_rs6_except(a->r6, a->n6, b->r6, b->n6, NULL, emit, arg);
	}
}

ArrayType *
ap_set_op_to_cidr_array(const APSet *a, const APSet *b, APSetOp op)
{
	APCidrArraySize sz = {0, 0};
	ArrayType  *result;
	char	   *p;

	ap_set_op_emit(a, b, op, ap_emit_measure, &sz);
	result = ap_cidr_array_alloc(&sz, &p);
	if (sz.nblocks > 0)
		ap_set_op_emit(a, b, op, ap_emit_put, &p);
	Assert(sz.nblocks == 0 || p == (char *) result + VARSIZE(result));
	return result;
}

static bool
ap_emit_push(void *arg, const APRange *r)
{
	ap_set_push((APSet *) arg, r);
	return false;
}

void
ap_set_except_into(const APSet *a, const APSet *b, APSet *out)
{
	ap_set_init(out);
	ap_set_op_emit(a, b, AP_SET_EXCEPT, ap_emit_push, out);
}

/* whether two ranges of one family share an address */
static inline bool
ap_range_overlaps(const APRange *x, const APRange *y)
{
	return x->family == y->family && x->lo <= y->hi && y->lo <= x->hi;
}

APWalkResult
ap_set_except_walk(const APSet *a, int family, ArrayType *used,
				   APRangeEmit emit, void *arg, const APRange *claim)
{
	APArrayReader rd;
	APWalkResult res;
	APRange		u;

	ap_array_reader_init(&rd, used);
	if (family == PGSQL_AF_INET)
		res = ap_rs4_except(a->r4, a->n4, NULL, 0, &rd, emit, arg);
	else
		res = ap_rs6_except(a->r6, a->n6, NULL, 0, &rd, emit, arg);
	if (res != AP_WALK_STOPPED)
		return res;

	/*
	 * Stopped early: the answer stands unless a block not yet read, in
	 * order or not, overlaps what it depends on.  Blocks only ever take
	 * addresses away, so nothing else of what was walked can change.
	 */
	Assert(claim->family == family);
	if (claim->family != family)
		return AP_WALK_DISORDER;	/* no claim: take the safe way */
	while (ap_array_reader_next(&rd, &u))
	{
		if (ap_range_overlaps(&u, claim))
			return AP_WALK_DISORDER;
	}
	return AP_WALK_STOPPED;
}

/* --- minimal CIDR blocks of a range ----------------------------------- */

void
ap_block_iter_init(APBlockIter *it, const APRange *r)
{
	it->family = r->family;
	it->done = false;
	it->next = r->lo;
	it->hi = r->hi;
}

bool
ap_block_iter_next(APBlockIter *it, APBlock *out)
{
	int			width;
	int			k_align;
	int			k_size;
	int			k;
	uint128		span;

	if (it->done)
		return false;
	width = ap_family_bits(it->family);

	/* the largest block that starts at `next`: its alignment ... */
	k_align = ap_ctz128(it->next);
	if (k_align > width)
		k_align = width;
	/* ... and the largest that still ends inside the range */
	span = it->hi - it->next;	/* addresses left, minus one */
	k_size = (span == ~(uint128) 0) ? 128 : ap_floor_log2(span + 1);
	k = Min(k_align, k_size);

	out->family = it->family;
	out->bits = width - k;
	out->addr = it->next;

	if (k >= 128)
		it->done = true;
	else
	{
		uint128		last = it->next + ((((uint128) 1) << k) - 1);

		if (last == it->hi)
			it->done = true;
		else
			it->next = last + 1;
	}
	return true;
}

int
ap_range_nblocks(const APRange *r)
{
	APBlockIter it;
	APBlock		b;
	int			n = 0;

	ap_block_iter_init(&it, r);
	while (ap_block_iter_next(&it, &b))
		n++;
	return n;
}

void
ap_array_reader_init(APArrayReader *rd, ArrayType *arr)
{
	if (ARR_ELEMTYPE(arr) != CIDROID && ARR_ELEMTYPE(arr) != INETOID)
		elog(ERROR, "expected an array of cidr or inet, got type %u",
			 ARR_ELEMTYPE(arr));
	rd->i = 0;
	rd->nitems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	array_iter_setup(&rd->it, (AnyArrayType *) arr);
}

bool
ap_array_reader_next(APArrayReader *rd, APRange *out)
{
	while (rd->i < rd->nitems)
	{
		bool		isnull;
		Datum		d = array_iter_next(&rd->it, &isnull, rd->i, -1, false,
										TYPALIGN_INT);

		if ((rd->i++ & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isnull)
		{
			/* array elements are never toasted: this never copies */
			ap_inet_to_range(DatumGetInetPP(d), out);
			return true;
		}
	}
	return false;
}

/* stored size of one cidr array element of a family, alignment included */
static inline Size
ap_cidr_elem_size(int family)
{
	return INTALIGN(VARHDRSZ + offsetof(inet_struct, ipaddr) +
					(family == PGSQL_AF_INET ? 4 : 16));
}

/* write a cidr value in place, at int-aligned zeroed memory */
static void
ap_write_cidr(char *p, const APBlock *b)
{
	inet	   *dst = (inet *) p;
	unsigned char *addr;
	uint128		v = b->addr;
	int			nbytes;

	ip_family(dst) = b->family;
	ip_bits(dst) = b->bits;
	addr = ip_addr(dst);
	nbytes = ip_addrsize(dst);
	for (int i = nbytes - 1; i >= 0; i--)
	{
		addr[i] = (unsigned char) (v & 0xFF);
		v >>= 8;
	}
	SET_INET_VARSIZE(dst);
}

void
ap_cidr_array_measure(APCidrArraySize *sz, const APRange *r)
{
	int			nb = ap_range_nblocks(r);

	sz->nblocks += nb;
	sz->datasize += nb * ap_cidr_elem_size(r->family);
	if ((Size) sz->nblocks > MaxArraySize ||
		ARR_OVERHEAD_NONULLS(1) + sz->datasize > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cidr array would exceed the maximum allowed size"),
				 errdetail("The set has more than %lld CIDR blocks.",
						   (long long) (sz->nblocks - nb))));
}

ArrayType *
ap_cidr_array_alloc(const APCidrArraySize *sz, char **cursor)
{
	Size		total = ARR_OVERHEAD_NONULLS(1) + sz->datasize;
	ArrayType  *result;

	if (sz->nblocks == 0)
	{
		*cursor = NULL;
		return construct_empty_array(CIDROID);
	}
	result = (ArrayType *) palloc0(total);
	SET_VARSIZE(result, total);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = CIDROID;
	ARR_DIMS(result)[0] = (int) sz->nblocks;
	ARR_LBOUND(result)[0] = 1;
	*cursor = ARR_DATA_PTR(result);
	return result;
}

void
ap_cidr_array_put(char **cursor, const APRange *r)
{
	APBlockIter it;
	APBlock		b;

	ap_block_iter_init(&it, r);
	while (ap_block_iter_next(&it, &b))
	{
		ap_write_cidr(*cursor, &b);
		*cursor += ap_cidr_elem_size(b.family);
	}
}
