/*-------------------------------------------------------------------------
 *
 * treeusage.c
 *	  The usage of every block of a tree of CIDR blocks in one pass, in the
 *	  two ways IPAMs measure it: the space its sub-blocks cover, and the
 *	  distinct addresses in use inside it (single addresses, their prefix
 *	  lengths ignored, and address ranges that lie wholly inside it).
 *
 * CIDR blocks are laminar: two blocks are nested or disjoint.  Sorted by
 * first address, then by prefix length (the larger block first), the
 * blocks form a forest that one sweep with a stack walks: the top of the
 * stack, once the blocks that end before the next one are popped, is the
 * smallest block that holds it.  The addresses a block's sub-blocks cover
 * are then the sum of the sizes of its direct children (they are disjoint),
 * added as each child is met: O(n) after the sort.  Duplicate blocks share
 * one node of the forest (a block is not inside its duplicate, as core's
 * << says).
 *
 * The single addresses become one normalized list of ranges per family
 * (rangeset.h), with a running count, so that the addresses inside any
 * block are counted by two binary searches.  The ranges that lie wholly
 * inside a block are found from the ranges sorted by first address; each
 * range is visited once for every block that holds its first address (a
 * chain of nested blocks), so the whole pass is O((b + h + r) log) for b
 * blocks, h addresses and r ranges, whatever the nesting.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(cidr_tree_usage);

/* how often (in iterations, minus one) loops check for interrupts */
#define TU_INTERRUPT_MASK 0xFFFF

/* a block of the tree, and after the sweep the node it belongs to */
typedef struct TUBlock
{
	uint128		lo;
	uint128		hi;
	int64		pos;			/* 0-based position in the blocks array */
	unsigned char family;
	unsigned char bits;
} TUBlock;

/* one family's single addresses: a normalized list and a running count */
typedef struct TUHosts
{
	int			family;
	int64		n;
	APRange4   *r4;				/* IPv4: packed ranges */
	APRange6   *r6;				/* IPv6 */
	int64	   *cum;			/* cum[i]: addresses in ranges [0, i) */
} TUHosts;

/* one family's ranges, sorted by first address */
typedef struct TURanges
{
	int64		n;
	APRange6   *r;
} TURanges;

static inline int
tu_block_cmp(const TUBlock *a, const TUBlock *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->bits != b->bits)
		return a->bits < b->bits ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return 0;
}

#define ST_SORT tu_sort_blocks
#define ST_ELEMENT_TYPE TUBlock
#define ST_COMPARE(a, b) tu_block_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static inline int
tu_range_cmp(const APRange6 *a, const APRange6 *b)
{
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return 0;
}

#define ST_SORT tu_sort_ranges
#define ST_ELEMENT_TYPE APRange6
#define ST_COMPARE(a, b) tu_range_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* a buffer of n elements of size bytes, huge allocations allowed */
static void *
tu_alloc(int64 n, Size size)
{
	if (n <= 0)
		n = 1;
	if ((Size) n > MaxAllocHugeSize / size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("address set is too large"),
				 errdetail("The set would have more than %lld ranges.",
						   (long long) (MaxAllocHugeSize / size))));
	return MemoryContextAllocHuge(CurrentMemoryContext, (Size) n * size);
}

static inline uint128
tu_hosts_lo(const TUHosts *h, int64 i)
{
	return h->family == PGSQL_AF_INET ? AP_R4_LO(h->r4[i]) : h->r6[i].lo;
}

static inline uint128
tu_hosts_hi(const TUHosts *h, int64 i)
{
	return h->family == PGSQL_AF_INET ? AP_R4_HI(h->r4[i]) : h->r6[i].hi;
}

/* the running count of a normalized list */
static void
tu_hosts_finish(TUHosts *h, int64 n)
{
	if (h->family == PGSQL_AF_INET)
		n = ap_rs4_normalize(h->r4, n);
	else
		n = ap_rs6_normalize(h->r6, n);
	h->n = n;
	h->cum = tu_alloc(n + 1, sizeof(int64));
	h->cum[0] = 0;
	for (int64 i = 0; i < n; i++)
		h->cum[i + 1] = h->cum[i] +
			(int64) (tu_hosts_hi(h, i) - tu_hosts_lo(h, i)) + 1;
}

/*
 * The single addresses of an inet[], one normalized list per family with
 * its running count; their prefix lengths are ignored.  The array is read
 * twice, to count each family's elements and then to copy them, so that
 * each list is allocated once at its size.
 */
static void
tu_read_hosts(ArrayType *arr, TUHosts *h4, TUHosts *h6)
{
	array_iter	it;
	int			nitems = 0;
	int64		n4 = 0,
				n6 = 0;

	memset(h4, 0, sizeof(TUHosts));
	memset(h6, 0, sizeof(TUHosts));
	h4->family = PGSQL_AF_INET;
	h6->family = PGSQL_AF_INET6;
	if (arr != NULL)
	{
		if (ARR_ELEMTYPE(arr) != INETOID && ARR_ELEMTYPE(arr) != CIDROID)
			elog(ERROR, "expected an array of inet or cidr, got type %u",
				 ARR_ELEMTYPE(arr));
		nitems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	}
	for (int pass = 0; pass < 2; pass++)
	{
		if (pass == 1)
		{
			h4->r4 = tu_alloc(n4, sizeof(APRange4));
			h6->r6 = tu_alloc(n6, sizeof(APRange6));
			n4 = n6 = 0;
		}
		if (nitems == 0)
			continue;
		array_iter_setup(&it, (AnyArrayType *) arr);
		for (int i = 0; i < nitems; i++)
		{
			bool		isnull;
			Datum		d = array_iter_next(&it, &isnull, i, -1, false,
											TYPALIGN_INT);
			inet	   *a;
			uint128		v;

			if ((i & TU_INTERRUPT_MASK) == 0)
				CHECK_FOR_INTERRUPTS();
			if (isnull)
				continue;
			a = DatumGetInetPP(d);
			if (pass == 0)
			{
				if (ip_family(a) == PGSQL_AF_INET)
					n4++;
				else
					n6++;
				continue;
			}
			v = ap_inet_addr(a);	/* the address, host bits included */
			if (ip_family(a) == PGSQL_AF_INET)
				h4->r4[n4++] = AP_R4_MAKE(v, v);
			else
				h6->r6[n6++] = ap_r6_make(v, v);
		}
	}
	tu_hosts_finish(h4, n4);
	tu_hosts_finish(h6, n6);
}

/* the number of addresses of the list inside [lo, hi] */
static int64
tu_hosts_count(const TUHosts *h, uint128 lo, uint128 hi)
{
	int64		a = 0,
				b = h->n,
				first,
				last;
	int64		count;

	/* first: the first range that ends at or after lo */
	while (a < b)
	{
		int64		m = a + (b - a) / 2;

		if (tu_hosts_hi(h, m) < lo)
			a = m + 1;
		else
			b = m;
	}
	first = a;
	/* last + 1: the first range that starts after hi */
	b = h->n;
	while (a < b)
	{
		int64		m = a + (b - a) / 2;

		if (tu_hosts_lo(h, m) <= hi)
			a = m + 1;
		else
			b = m;
	}
	last = a - 1;
	if (first > last)
		return 0;
	count = h->cum[last + 1] - h->cum[first];
	if (tu_hosts_lo(h, first) < lo)
		count -= (int64) (lo - tu_hosts_lo(h, first));
	if (tu_hosts_hi(h, last) > hi)
		count -= (int64) (tu_hosts_hi(h, last) - hi);
	return count;
}

/*
 * The ranges first[i]..last[i] of both families, each family's sorted by
 * first address; a range with a NULL bound is skipped.  Only the addresses
 * count, not the prefix lengths.
 */
static void
tu_read_ranges(ArrayType *first, ArrayType *last, TURanges *r4, TURanges *r6)
{
	array_iter	itf,
				itl;
	int			nf,
				nl;

	r4->n = r6->n = 0;
	nf = first ? ArrayGetNItems(ARR_NDIM(first), ARR_DIMS(first)) : 0;
	nl = last ? ArrayGetNItems(ARR_NDIM(last), ARR_DIMS(last)) : 0;
	if ((first == NULL) != (last == NULL) || nf != nl)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("range bounds do not pair up"),
				 errdetail("range_first has %d elements and range_last has %d.",
						   nf, nl),
				 errhint("Give the first and the last address of every range, in the same order (NULL for both when there are no ranges).")));
	r4->r = tu_alloc(nf, sizeof(APRange6));
	r6->r = tu_alloc(nf, sizeof(APRange6));
	if (nf == 0)
		return;
	if ((ARR_ELEMTYPE(first) != INETOID && ARR_ELEMTYPE(first) != CIDROID) ||
		(ARR_ELEMTYPE(last) != INETOID && ARR_ELEMTYPE(last) != CIDROID))
		elog(ERROR, "expected arrays of inet or cidr");
	array_iter_setup(&itf, (AnyArrayType *) first);
	array_iter_setup(&itl, (AnyArrayType *) last);
	for (int i = 0; i < nf; i++)
	{
		bool		nullf,
					nulll;
		Datum		df = array_iter_next(&itf, &nullf, i, -1, false, TYPALIGN_INT);
		Datum		dl = array_iter_next(&itl, &nulll, i, -1, false, TYPALIGN_INT);
		inet	   *a,
				   *b;
		uint128		lo,
					hi;

		if ((i & TU_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (nullf || nulll)
			continue;
		a = DatumGetInetPP(df);
		b = DatumGetInetPP(dl);
		if (ip_family(a) != ip_family(b))
			ap_mixed_families_error("The first and the last address of a range must be of one family.");
		lo = ap_inet_addr(a);
		hi = ap_inet_addr(b);
		if (lo > hi)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first address is after last address"),
					 errdetail("Range %d of the arrays starts after it ends.",
							   i + 1),
					 errhint("Give the lower address first.")));
		if (ip_family(a) == PGSQL_AF_INET)
			r4->r[r4->n++] = ap_r6_make(lo, hi);
		else
			r6->r[r6->n++] = ap_r6_make(lo, hi);
	}
	tu_sort_ranges(r4->r, r4->n);
	tu_sort_ranges(r6->r, r6->n);
}

/*
 * The distinct addresses in use inside [lo, hi]: the single addresses
 * inside it and the ranges that lie wholly inside it, overlaps once.
 */
static void
tu_in_use(const TUHosts *h, const TURanges *r, uint128 lo, uint128 hi,
		  APCount *out)
{
	int64		a = 0,
				b = r->n;
	int64		hosts = tu_hosts_count(h, lo, hi);
	bool		open = false;
	uint128		ulo = 0,
				uhi = 0;

	memset(out, 0, sizeof(APCount));
	/* the first range that starts at or after lo */
	while (a < b)
	{
		int64		m = a + (b - a) / 2;

		if (r->r[m].lo < lo)
			a = m + 1;
		else
			b = m;
	}
	/* merge the ranges wholly inside, in order of first address */
	for (; a < r->n && r->r[a].lo <= hi; a++)
	{
		const APRange6 *x = &r->r[a];

		if ((a & TU_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (x->hi > hi)
			continue;
		if (open && (x->lo == 0 || x->lo - 1 <= uhi))
		{
			if (x->hi > uhi)
				uhi = x->hi;
			continue;
		}
		if (open)
		{
			APRange		u = {h->family, ulo, uhi};

			ap_count_add_range(out, &u);
			hosts -= tu_hosts_count(h, ulo, uhi);
		}
		open = true;
		ulo = x->lo;
		uhi = x->hi;
	}
	if (open)
	{
		APRange		u = {h->family, ulo, uhi};

		ap_count_add_range(out, &u);
		hosts -= tu_hosts_count(h, ulo, uhi);
	}
	ap_count_add_u128(out, (uint128) hosts);
}

/* the addresses of a block */
static inline void
tu_block_size(const TUBlock *b, APCount *out)
{
	memset(out, 0, sizeof(APCount));
	ap_count_add_pow2(out, ap_family_bits(b->family) - b->bits);
}

/*
 * cidr_tree_usage(blocks cidr[], hosts inet[], range_first inet[],
 * range_last inet[]) - one row per element of blocks, in array order: its
 * position, the block, the distinct addresses covered by the other blocks
 * strictly inside it, and the distinct addresses in use inside it (the
 * hosts inside it, their prefix lengths ignored, and the ranges whose first
 * and last address both lie inside it).  NULL hosts or ranges mean none; a
 * NULL element of blocks gives a row of NULLs.
 */
Datum
cidr_tree_usage(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *blocks_arr;
	ArrayType  *hosts_arr = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *first_arr = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	ArrayType  *last_arr = PG_ARGISNULL(3) ? NULL : PG_GETARG_ARRAYTYPE_P(3);
	int			nitems;
	int64		nb = 0;
	TUBlock    *blk;
	int64	   *node_of;		/* position -> sorted index of its node */
	APCount    *sub;			/* per sorted index: sub-block addresses */
	APCount    *used;			/* per sorted index: addresses in use */
	int64	   *stack;
	int64		depth = 0;
	TUHosts		h4,
				h6;
	TURanges	r4,
				r6;
	MemoryContext rowcxt;
	MemoryContext oldcxt;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	blocks_arr = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_ELEMTYPE(blocks_arr) != CIDROID && ARR_ELEMTYPE(blocks_arr) != INETOID)
		elog(ERROR, "expected an array of cidr, got type %u",
			 ARR_ELEMTYPE(blocks_arr));
	nitems = ArrayGetNItems(ARR_NDIM(blocks_arr), ARR_DIMS(blocks_arr));

	/* the blocks, NULL elements left out of the sort */
	blk = tu_alloc(nitems, sizeof(TUBlock));
	node_of = tu_alloc(nitems, sizeof(int64));
	if (nitems > 0)
	{
		array_iter	it;

		array_iter_setup(&it, (AnyArrayType *) blocks_arr);
		for (int i = 0; i < nitems; i++)
		{
			bool		isnull;
			Datum		d = array_iter_next(&it, &isnull, i, -1, false,
											TYPALIGN_INT);
			APRange		r;
			TUBlock    *b;

			if ((i & TU_INTERRUPT_MASK) == 0)
				CHECK_FOR_INTERRUPTS();
			node_of[i] = -1;
			if (isnull)
				continue;
			ap_inet_to_range(DatumGetInetPP(d), &r);
			b = &blk[nb++];
			b->lo = r.lo;
			b->hi = r.hi;
			b->pos = i;
			b->family = r.family;
			b->bits = ip_bits(DatumGetInetPP(d));
		}
	}
	tu_sort_blocks(blk, nb);

	tu_read_hosts(hosts_arr, &h4, &h6);
	tu_read_ranges(first_arr, last_arr, &r4, &r6);

	/*
	 * The sweep: each block's node (the first of its duplicates), the
	 * sub-block addresses of every node, and the addresses in use inside it.
	 */
	sub = tu_alloc(nb, sizeof(APCount));
	used = tu_alloc(nb, sizeof(APCount));
	stack = tu_alloc(nb, sizeof(int64));
	for (int64 i = 0; i < nb; i++)
	{
		TUBlock    *b = &blk[i];

		if ((i & TU_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		/* leave the blocks that cannot hold b: another family, or over */
		while (depth > 0 &&
			   (blk[stack[depth - 1]].family != b->family ||
				blk[stack[depth - 1]].hi < b->lo))
			depth--;
		if (depth > 0)
		{
			TUBlock    *top = &blk[stack[depth - 1]];

			if (top->lo == b->lo && top->bits == b->bits)
			{
				/* a duplicate: the same node */
				node_of[b->pos] = stack[depth - 1];
				continue;
			}
			/* b is a direct child of top: its addresses are top's */
			{
				APCount		size;

				tu_block_size(b, &size);
				ap_count_add(&sub[stack[depth - 1]], &size);
			}
		}
		memset(&sub[i], 0, sizeof(APCount));
		if (b->family == PGSQL_AF_INET)
			tu_in_use(&h4, &r4, b->lo, b->hi, &used[i]);
		else
			tu_in_use(&h6, &r6, b->lo, b->hi, &used[i]);
		node_of[b->pos] = i;
		stack[depth++] = i;
	}

	/* the rows, in the order of the array */
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "cidr_tree_usage rows",
								   ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < nitems; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		int64		k = node_of[i];

		if ((i & TU_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		oldcxt = MemoryContextSwitchTo(rowcxt);
		values[0] = Int64GetDatum((int64) i + 1);
		if (k < 0)
		{
			nulls[1] = nulls[2] = nulls[3] = true;
			values[1] = values[2] = values[3] = (Datum) 0;
		}
		else
		{
			values[1] = InetPGetDatum(ap_make_inet(blk[k].family, blk[k].bits,
												   blk[k].lo));
			values[2] = NumericGetDatum(ap_count_to_numeric(&sub[k]));
			values[3] = NumericGetDatum(ap_count_to_numeric(&used[k]));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
