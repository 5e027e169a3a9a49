/*-------------------------------------------------------------------------
 *
 * freespace.c
 *	  The free space of an address pool: the first (or best-fitting) free
 *	  aligned block of a size, every such block as a stream, the
 *	  fragmentation profile of the free space, and the size of a set counted
 *	  in /n units instead of addresses.
 *
 * The free space is the pool minus the used blocks, as a normalized set
 * (rangeset.h): both arrays are read, normalized and subtracted, in
 * O(n log n) for n blocks.  cidr_first_free and free_block_counts first try
 * the engine's walk that reads the used array in place
 * (ap_set_except_walk): when the used blocks come in address order, as a
 * stored cidr_merge result does, that costs O(n) and no memory, and only
 * when they do not is the set built.  An aligned /m block is free
 * exactly when it lies inside one free range (a free range is a maximal run
 * of free addresses and a block is a run), so every question here is a walk
 * over the free ranges that aligns up inside each: no candidate block is
 * ever probed one at a time.
 *
 * Families: the prefix length asked for only means one block size within
 * one family, so a pool that holds both IPv4 and IPv6 is an error; used
 * blocks of the other family share no address with the pool and simply do
 * not count, as used blocks outside the pool do not.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(cidr_first_free);
PG_FUNCTION_INFO_V1(cidr_free_blocks);
PG_FUNCTION_INFO_V1(free_block_counts);
PG_FUNCTION_INFO_V1(unit_count);

/*
 * The free space of a pool: the pool's family (0 when the pool holds no
 * block) and width, and the normalized set of its free ranges (of that
 * family only).
 */
typedef struct FreeSpace
{
	int			family;
	int			width;
	APSet		free;
} FreeSpace;

/*
 * Check a prefix length for a family; with no family (an empty set) it only
 * has to be a prefix length of some family.
 */
static void
check_masklen(int masklen, int family, const char *param)
{
	if (family != 0)
		ap_check_masklen(masklen, ap_family_bits(family), param);
	else if (masklen < 0 || masklen > AP_V6_BITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid prefix length"),
				 errdetail("The value of \"%s\" is %d; a prefix length is between 0 and 32 for IPv4 and between 0 and 128 for IPv6.",
						   param, masklen)));
}

/*
 * The family of a normalized set that must hold one (0 when it is empty);
 * an error when it holds both, with detail saying why that matters.
 */
static int
set_family(const APSet *s, const char *detail)
{
	int			mask = ap_set_families(s);

	if (mask == (AP_HAS_V4 | AP_HAS_V6))
		ap_mixed_families_error(detail);
	if (mask == 0)
		return 0;
	return mask == AP_HAS_V4 ? PGSQL_AF_INET : PGSQL_AF_INET6;
}

/*
 * The normalized pool into *pool, its family and width into fs (fs->free is
 * left empty).  The pool must be of one family (an error otherwise); when
 * has_masklen, masklen is checked against that family.
 */
static void
read_pool(ArrayType *pool_arr, bool has_masklen, int masklen, FreeSpace *fs,
		  APSet *pool)
{
	ap_set_from_array(pool, pool_arr);
	fs->family = set_family(pool, "A prefix length means a different block size in each family.");
	fs->width = fs->family != 0 ? ap_family_bits(fs->family) : 0;
	if (has_masklen)
		check_masklen(masklen, fs->family, "masklen");
	ap_set_init(&fs->free);
}

/*
 * The free ranges of a normalized pool minus a used array, as a set in
 * CurrentMemoryContext: the used array normalized and subtracted.
 */
static void
free_space_set(const APSet *pool, ArrayType *used_arr, FreeSpace *fs)
{
	APSet		used;

	ap_set_from_array(&used, used_arr);
	ap_set_except_into(pool, &used, &fs->free);
	ap_set_free(&used);
}

/*
 * Visit the free ranges of pool minus used (the visitor returns true to
 * stop): first by the walk over the used array in place, and again from the
 * full difference when the array was not in order (the visitor's state is
 * then reset by `reset`).  A visitor that stops sets *claim first.
 */
static void
visit_free(const APSet *pool, int family, ArrayType *used_arr,
		   APRangeEmit visit, void (*reset) (void *arg), void *arg,
		   const APRange *claim)
{
	if (ap_set_except_walk(pool, family, used_arr, visit, arg, claim) ==
		AP_WALK_DISORDER)
	{
		FreeSpace	fs;

		reset(arg);
		free_space_set(pool, used_arr, &fs);
		ap_set_emit(&fs.free, visit, arg);
		ap_set_free(&fs.free);
	}
}

/*
 * The lowest start of an aligned block with host mask `mask` that lies
 * inside the range r; false when the range holds none.
 */
static inline bool
first_aligned(const APRange *r, uint128 mask, uint128 *start)
{
	uint128		c = r->lo;

	if ((c & mask) != 0)
	{
		/* the aligned block holding lo ends at lo | mask; start after it */
		if ((c | mask) >= r->hi)
			return false;
		c = (c | mask) + 1;
	}
	if (r->hi - c < mask)
		return false;
	*start = c;
	return true;
}

typedef enum FitStrategy
{
	FIT_FIRST,
	FIT_BEST
} FitStrategy;

static FitStrategy
parse_strategy(const char *s)
{
	if (strcmp(s, "first_fit") == 0)
		return FIT_FIRST;
	if (strcmp(s, "best_fit") == 0)
		return FIT_BEST;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown strategy"),
			 errdetail("The strategy given is \"%s\".", s),
			 errhint("The strategy is 'first_fit' (the lowest free block) or 'best_fit' (from the smallest free block that holds it).")));
	return FIT_FIRST;			/* keep compiler quiet */
}

/*
 * The search for a free /masklen block (host mask `mask`) over the free
 * ranges in address order.
 */
typedef struct FitSearch
{
	int			masklen;
	uint128		mask;
	int			best_bits;		/* best fit: prefix of the block kept, or -1 */
	bool		found;
	uint128		addr;
	APRange		claim;			/* what the answer depends on, once found */
} FitSearch;

static void
fit_reset(void *arg)
{
	FitSearch  *fs = (FitSearch *) arg;

	fs->found = false;
	fs->best_bits = -1;
	fs->addr = 0;
	fs->claim.family = 0;
}

/*
 * First fit: the first range that holds an aligned block.  The answer
 * depends on that block only: a used block read later can only take
 * addresses away, and a lower range that could not hold a block cannot
 * come to hold one.
 */
static bool
first_fit_visit(void *arg, const APRange *r)
{
	FitSearch  *fs = (FitSearch *) arg;

	fs->found = first_aligned(r, fs->mask, &fs->addr);
	if (fs->found)
	{
		fs->claim.family = r->family;
		fs->claim.lo = fs->addr;
		fs->claim.hi = fs->addr | fs->mask;
	}
	return fs->found;
}

/*
 * Best fit: the maximal free CIDR blocks, in address order; keep the first
 * of the longest prefix that is still <= masklen.  A block of exactly
 * /masklen cannot be beaten.  The answer depends on every address up to
 * the end of that block: a used block read later could cut a lower, larger
 * free block into one of exactly /masklen.
 */
static bool
best_fit_visit(void *arg, const APRange *r)
{
	FitSearch  *fs = (FitSearch *) arg;
	APBlockIter bi;
	APBlock		b;

	/* a range too small for one block holds no candidate */
	if (r->hi - r->lo < fs->mask)
		return false;
	ap_block_iter_init(&bi, r);
	while (ap_block_iter_next(&bi, &b))
	{
		if (b.bits <= fs->masklen && b.bits > fs->best_bits)
		{
			fs->best_bits = b.bits;
			fs->addr = b.addr;
			fs->found = true;
			if (b.bits == fs->masklen)
			{
				fs->claim.family = r->family;
				fs->claim.lo = 0;
				fs->claim.hi = b.addr | fs->mask;
				return true;
			}
		}
	}
	return false;
}

/*
 * cidr_first_free(pool cidr[], used cidr[], masklen int,
 *				   strategy text DEFAULT 'first_fit') returns cidr
 *
 * A free aligned /masklen block of the pool: one that lies inside the pool
 * and overlaps no used block; NULL when there is none.
 *	- first_fit: the lowest such block;
 *	- best_fit: the lowest /masklen of the smallest maximal free CIDR block
 *	  (a block of the minimal CIDR list of the free space) that can hold
 *	  one; among free blocks of that size, the lowest.  It leaves the larger
 *	  free blocks whole.
 */
Datum
cidr_first_free(PG_FUNCTION_ARGS)
{
	ArrayType  *pool_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *used_arr = PG_GETARG_ARRAYTYPE_P(1);
	int32		masklen = PG_GETARG_INT32(2);
	FitStrategy strategy = parse_strategy(text_to_cstring(PG_GETARG_TEXT_PP(3)));
	FreeSpace	fs;
	APSet		pool;
	FitSearch	search;

	read_pool(pool_arr, true, masklen, &fs, &pool);
	if (fs.family == 0)
		PG_RETURN_NULL();
	search.masklen = masklen;
	search.mask = ap_host_mask(fs.width, masklen);
	fit_reset(&search);
	visit_free(&pool, fs.family, used_arr,
			   strategy == FIT_FIRST ? first_fit_visit : best_fit_visit,
			   fit_reset, &search, &search.claim);
	if (!search.found)
		PG_RETURN_NULL();
	PG_RETURN_INET_P(ap_make_inet(fs.family, masklen, search.addr));
}

/*
 * The cursor of cidr_free_blocks: the free ranges, the range being walked
 * and the next block in it.
 */
typedef struct FreeBlocksCursor
{
	FreeSpace	fs;
	int64		nfree;			/* free ranges (of the pool's family) */
	uint128		mask;			/* host mask of the blocks asked for */
	int			masklen;
	int64		i;				/* the range being walked */
	bool		in_range;		/* next is a block of range i */
	uint128		next;
} FreeBlocksCursor;

/* free range i of a free space (its set holds the one family's list) */
static inline void
free_range(const FreeSpace *fs, int64 i, APRange *r)
{
	r->family = fs->family;
	if (fs->family == PGSQL_AF_INET)
	{
		r->lo = AP_R4_LO(fs->free.r4[i]);
		r->hi = AP_R4_HI(fs->free.r4[i]);
	}
	else
	{
		r->lo = fs->free.r6[i].lo;
		r->hi = fs->free.r6[i].hi;
	}
}

/*
 * cidr_free_blocks(pool cidr[], used cidr[], masklen int) returns setof cidr
 *
 * Every free aligned /masklen block of the pool, in address order, one row
 * per call: the set is never built in memory (a /8 asked for /32s gives
 * 16,777,216 rows from a cursor over its free ranges).
 */
Datum
cidr_free_blocks(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FreeBlocksCursor *cur;
	APRange		r;
	uint128		block;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		APSet		pool;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		cur = (FreeBlocksCursor *) palloc0(sizeof(FreeBlocksCursor));
		cur->masklen = PG_GETARG_INT32(2);
		read_pool(PG_GETARG_ARRAYTYPE_P(0), true, cur->masklen, &cur->fs,
				  &pool);
		free_space_set(&pool, PG_GETARG_ARRAYTYPE_P(1), &cur->fs);
		ap_set_free(&pool);
		cur->nfree = cur->fs.free.n4 + cur->fs.free.n6;
		if (cur->fs.family != 0)
			cur->mask = ap_host_mask(cur->fs.width, cur->masklen);
		cur->i = 0;
		cur->in_range = false;
		funcctx->user_fctx = cur;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	cur = (FreeBlocksCursor *) funcctx->user_fctx;
	CHECK_FOR_INTERRUPTS();

	/* find the next range that holds a block, unless inside one already */
	while (!cur->in_range)
	{
		if (cur->i >= cur->nfree)
			SRF_RETURN_DONE(funcctx);
		free_range(&cur->fs, cur->i, &r);
		if (first_aligned(&r, cur->mask, &cur->next))
			cur->in_range = true;
		else
		{
			cur->i++;
			if ((cur->i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}

	/* this block, then step to the next one if it still fits the range */
	free_range(&cur->fs, cur->i, &r);
	block = cur->next;
	if (r.hi - block - cur->mask > cur->mask)
		cur->next = block + cur->mask + 1;
	else
	{
		cur->in_range = false;
		cur->i++;
	}
	SRF_RETURN_NEXT(funcctx,
					InetPGetDatum(ap_make_inet(cur->fs.family, cur->masklen,
											   block)));
}

/*
 * The state of free_block_counts: blocks per prefix length, and the next
 * length to return.
 */
typedef struct FreeCounts
{
	int64		blocks[AP_V6_BITS + 1];
	int			next;
	int			width;
	TupleDesc	tupdesc;
} FreeCounts;

/*
 * Count the maximal free CIDR blocks of a free range by prefix length.
 */
static bool
count_visit(void *arg, const APRange *r)
{
	int64	   *blocks = (int64 *) arg;
	APBlockIter bi;
	APBlock		b;

	ap_block_iter_init(&bi, r);
	while (ap_block_iter_next(&bi, &b))
		blocks[b.bits]++;
	return false;
}

static void
count_reset(void *arg)
{
	memset(arg, 0, sizeof(int64) * (AP_V6_BITS + 1));
}

/*
 * free_block_counts(pool cidr[], used cidr[])
 *		returns table(masklen int, blocks numeric)
 *
 * The fragmentation profile of a pool: the free space as its minimal CIDR
 * list (the maximal free CIDR blocks), and how many of those blocks there
 * are of each prefix length, one row per length present, shortest prefix
 * (largest block) first.
 */
Datum
free_block_counts(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FreeCounts *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		FreeSpace	fs;
		TupleDesc	tupdesc;
		APSet		pool;
		APRange		no_claim = {0, 0, 0};

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = (FreeCounts *) palloc0(sizeof(FreeCounts));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "free_block_counts must return a composite type");
		st->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcontext);

		/* the work in the caller's context: only the counts are kept */
		read_pool(PG_GETARG_ARRAYTYPE_P(0), false, 0, &fs, &pool);
		st->width = fs.width;
		if (fs.family != 0)
			visit_free(&pool, fs.family, PG_GETARG_ARRAYTYPE_P(1),
					   count_visit, count_reset, st->blocks, &no_claim);
		st->next = 0;
	}

	funcctx = SRF_PERCALL_SETUP();
	st = (FreeCounts *) funcctx->user_fctx;
	while (st->next <= st->width && st->blocks[st->next] == 0)
		st->next++;
	if (st->next <= st->width && st->width > 0)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		int			len = st->next++;

		values[0] = Int32GetDatum(len);
		values[1] = NumericGetDatum(ap_int_numeric(st->blocks[len]));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(st->tupdesc, values,
														  nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

typedef enum UnitMode
{
	UNIT_COVERED,
	UNIT_TOUCHED
} UnitMode;

static UnitMode
parse_unit_mode(const char *s)
{
	if (strcmp(s, "covered") == 0)
		return UNIT_COVERED;
	if (strcmp(s, "touched") == 0)
		return UNIT_TOUCHED;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown unit count mode"),
			 errdetail("The mode given is \"%s\".", s),
			 errhint("The mode is 'covered' (units wholly inside the set) or 'touched' (units the set overlaps at all).")));
	return UNIT_COVERED;		/* keep compiler quiet */
}

/*
 * unit_count(blocks cidr[], unit_masklen int, mode text DEFAULT 'covered')
 *		returns numeric
 *
 * The size of a set in /unit_masklen units, exactly (up to 2^128 units):
 *	- covered: the aligned units that lie wholly inside the set;
 *	- touched: the aligned units that share at least one address with the
 *	  set (an assigned /64 touches one /56; a /48 touches 256).
 * Overlapping blocks count once; a unit the set covers from two blocks that
 * join counts as covered, and a unit touched by two blocks counts once.
 */
/* the count of unit_count, one normalized range after another */
typedef struct UnitCounter
{
	UnitMode	mode;
	int			shift;			/* unit number = address >> shift */
	uint128		mask;			/* host mask of a unit */
	APCount		count;
	bool		have_last;
	uint128		last_unit;		/* the last unit touched so far */
} UnitCounter;

static bool
unit_visit(void *arg, const APRange *r)
{
	UnitCounter *uc = (UnitCounter *) arg;

	/*
	 * shift is 128 only for a /0 unit of IPv6, whose single unit is number
	 * 0
	 */
	uint128		first = uc->shift >= 128 ? 0 : r->lo >> uc->shift;
	uint128		last = uc->shift >= 128 ? 0 : r->hi >> uc->shift;

	if (uc->mode == UNIT_COVERED)
	{
		/*
		 * Whole units only: drop a partial unit at either end.  Ranges of a
		 * normalized set do not touch, so no unit is covered by two of them
		 * together.
		 */
		bool		first_whole = (r->lo & uc->mask) == 0;
		bool		last_whole = (r->hi & uc->mask) == uc->mask;
		uint128		span = last - first;	/* units first..last: span + 1 */

		if (first_whole && last_whole)
		{
			ap_count_add_u128(&uc->count, span);
			ap_count_add_u128(&uc->count, 1);
		}
		else
		{
			/* span + 1 cannot overflow: only ::/0 in /128s spans 2^128 */
			uint128		partial = 2 - (first_whole ? 1 : 0) - (last_whole ? 1 : 0);

			if (span + 1 > partial)
				ap_count_add_u128(&uc->count, span + 1 - partial);
		}
	}
	else
	{
		/* a unit shared with the previous range counts once */
		ap_count_add_u128(&uc->count, last - first);
		if (!(uc->have_last && first == uc->last_unit))
			ap_count_add_u128(&uc->count, 1);
		uc->have_last = true;
		uc->last_unit = last;
	}
	return false;
}

Datum
unit_count(PG_FUNCTION_ARGS)
{
	int32		unit = PG_GETARG_INT32(1);
	UnitMode	mode = parse_unit_mode(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	APSet		set;
	int			family;
	UnitCounter uc;

	ap_set_from_array(&set, PG_GETARG_ARRAYTYPE_P(0));
	family = set_family(&set, "A unit prefix length means a different unit size in each family.");
	check_masklen(unit, family, "unit_masklen");
	if (family == 0)
		PG_RETURN_NUMERIC(ap_int_numeric(0));
	memset(&uc, 0, sizeof(uc));
	uc.mode = mode;
	uc.shift = ap_family_bits(family) - unit;
	uc.mask = ap_host_mask(ap_family_bits(family), unit);
	ap_set_emit(&set, unit_visit, &uc);
	PG_RETURN_NUMERIC(ap_count_to_numeric(&uc.count));
}
