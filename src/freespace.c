/*-------------------------------------------------------------------------
 *
 * freespace.c
 *	  The free space of an address pool: the first (or best-fitting) free
 *	  aligned block of a size, every such block as a stream, the
 *	  fragmentation profile of the free space, and the size of a set counted
 *	  in /n units instead of addresses.
 *
 * The free space is the pool minus the used blocks, as a normalized range
 * list (rangeset.h): both arrays are read, normalized and subtracted with
 * ap_ranges_except, in O(n log n) for n blocks.  cidr_first_free and
 * free_block_counts first try a walk that reads the used array in place
 * (visit_walk): when the used blocks come in address order, as a stored
 * cidr_merge result does, that costs O(n) and no memory, and only when they
 * do not is the list built.  An aligned /m block is free
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

/* how often (in iterations, minus one) loops over ranges check for interrupts */
#define FS_INTERRUPT_MASK 0xFFFF

/*
 * The free space of a pool: the pool's family (0 when the pool holds no
 * block) and width, and the normalized list of its free ranges.
 */
typedef struct FreeSpace
{
	int			family;
	int			width;
	APRange    *r;
	int64		n;
} FreeSpace;

/*
 * The normalized range list of a cidr[] argument, palloc'd; *n its length.
 * (The same as sets.c's static helper of that name.)
 */
static APRange *
set_from_array(ArrayType *arr, int64 *n)
{
	APRange    *r = NULL;
	int64		cap = 0;

	*n = 0;
	ap_ranges_from_array(arr, &r, n, &cap);
	*n = ap_ranges_normalize(r, *n);
	return r;
}

/*
 * The family of a range list, 0 when it is empty, -1 when it holds both.
 */
static int
list_family(const APRange *r, int64 n)
{
	int			mask = ap_ranges_families(r, n);

	if (mask == (AP_HAS_V4 | AP_HAS_V6))
		return -1;
	if (mask == 0)
		return 0;
	return mask == AP_HAS_V4 ? PGSQL_AF_INET : PGSQL_AF_INET6;
}

/*
 * Check a prefix length for a family; with no family (an empty set) it only
 * has to be a prefix length of some family.
 */
static void
check_masklen(int masklen, int family, const char *what)
{
	if (family != 0)
		ap_check_masklen(masklen, ap_family_bits(family), what);
	else if (masklen < 0 || masklen > AP_V6_BITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s %d", what, masklen),
				 errhint("A prefix length is between 0 and 32 for IPv4 and between 0 and 128 for IPv6.")));
}

/*
 * The normalized pool, its family and width into fs (fs->r and fs->n are
 * left empty).  The pool must be of one family (an error otherwise); when
 * has_masklen, masklen is checked against that family.
 */
static APRange *
read_pool(ArrayType *pool_arr, bool has_masklen, int masklen, FreeSpace *fs,
		  int64 *np)
{
	APRange    *pool = set_from_array(pool_arr, np);

	fs->family = list_family(pool, *np);
	if (fs->family < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pool mixes IPv4 and IPv6 blocks"),
				 errdetail("A prefix length means a different block size in each family."),
				 errhint("Pass a pool of one family, e.g. filter its blocks with family(block) = 4.")));
	fs->width = fs->family != 0 ? ap_family_bits(fs->family) : 0;
	if (has_masklen)
		check_masklen(masklen, fs->family, "prefix length");
	fs->r = NULL;
	fs->n = 0;
	return pool;
}

/*
 * The free ranges of a normalized pool minus a used array, as a list in
 * CurrentMemoryContext: the used array normalized and subtracted.
 */
static void
free_space_list(const APRange *pool, int64 np, ArrayType *used_arr,
				FreeSpace *fs)
{
	int64		nu;
	APRange    *used = set_from_array(used_arr, &nu);

	fs->r = (APRange *) MemoryContextAllocHuge(CurrentMemoryContext,
											   (Size) (np + nu + 1) * sizeof(APRange));
	fs->n = ap_ranges_except(pool, np, used, nu, fs->r);
	pfree(used);
}

/*
 * The free space of pool minus used as a list (see read_pool and
 * free_space_list).
 */
static void
free_space(ArrayType *pool_arr, ArrayType *used_arr, bool has_masklen,
		   int masklen, FreeSpace *fs)
{
	int64		np;
	APRange    *pool = read_pool(pool_arr, has_masklen, masklen, fs, &np);

	free_space_list(pool, np, used_arr, fs);
	pfree(pool);
}

/*
 * What to do with each free range, in address order: return true to stop
 * the walk there.
 */
typedef bool (*FreeVisitor) (void *arg, const APRange *r);

/*
 * Visit the free ranges of a list.
 */
static void
visit_list(const FreeSpace *fs, FreeVisitor visit, void *arg)
{
	for (int64 i = 0; i < fs->n; i++)
	{
		if ((i & FS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (visit(arg, &fs->r[i]))
			return;
	}
}

/*
 * Visit the free ranges of a normalized pool minus a used array, reading
 * the array one element at a time, in place; returns whether the used
 * blocks came in (family, address) order.  When they did not, the walk
 * stopped where it noticed, and the caller must start again from the list
 * (free_space_list); when they did, every visit was right.
 *
 * This is rangeset's ap_ranges_except with one side streamed (through
 * rangeset's APArrayReader): used blocks in order, as a stored normalized
 * set (a cidr_merge result) or an ordered array_agg has them, overlaps
 * allowed, cost no memory and no sort, instead of being copied twice (read,
 * then subtracted) into fresh memory: on a 100,000-block set the fresh
 * pages of those copies were most of the time (test/bench/freespace.sql).  After a
 * visitor stops early the rest of the array is still read, only to check
 * its order: elements after the range where the walk stopped sort after
 * it, so when they are in order they cannot touch it.  A primitive for
 * rangeset.c.
 */
static bool
visit_walk(const APRange *pool, int64 np, ArrayType *used_arr,
		   FreeVisitor visit, void *arg)
{
	APArrayReader rd;
	APRange		u;				/* the current used range, if have_u */
	APRange		next;
	APRange		out;
	bool		have_u;
	bool		stopped = false;
	int64		pi = 0;
	int64		steps = 0;
	uint128		from;			/* first address of pool[pi] not yet walked */

	ap_array_reader_init(&rd, used_arr);
	have_u = ap_array_reader_next(&rd, &u);
	from = np > 0 ? pool[0].lo : 0;

	while (pi < np && !stopped)
	{
		const APRange *p = &pool[pi];

		/* the reader checks for interrupts; this is for a long pool */
		if ((++steps & FS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();

		/* used ranges that end before `from` no longer matter */
		while (have_u && (u.family < p->family ||
						  (u.family == p->family && u.hi < from)))
		{
			have_u = ap_array_reader_next(&rd, &next);
			if (have_u)
			{
				if (ap_range_cmp(&next, &u) < 0)
					return false;
				u = next;
			}
		}

		out.family = p->family;
		out.lo = from;
		if (have_u && u.family == p->family && u.lo <= p->hi)
		{
			/* u cuts into [from, p->hi]: free up to it, then resume after */
			bool		gap = u.lo > from;

			out.hi = u.lo - 1;
			if (u.hi >= p->hi)
			{
				if (++pi < np)
					from = pool[pi].lo;
			}
			else
				from = u.hi + 1;
			if (gap)
				stopped = visit(arg, &out);
		}
		else
		{
			/* nothing used in the rest of this pool range */
			out.hi = p->hi;
			if (++pi < np)
				from = pool[pi].lo;
			stopped = visit(arg, &out);
		}
	}

	/* the rest of the array: only its order matters now */
	while (have_u && ap_array_reader_next(&rd, &next))
	{
		if (ap_range_cmp(&next, &u) < 0)
			return false;
		u = next;
	}
	return true;
}

/*
 * Visit the free ranges of pool minus used: walking the used array in
 * place, and again from the full difference when it was not in order (the
 * visitor's state must then be reset by `reset`).
 */
static void
visit_free(const APRange *pool, int64 np, ArrayType *used_arr,
		   FreeVisitor visit, void (*reset) (void *arg), void *arg)
{
	if (!visit_walk(pool, np, used_arr, visit, arg))
	{
		FreeSpace	fs;

		reset(arg);
		free_space_list(pool, np, used_arr, &fs);
		visit_list(&fs, visit, arg);
		pfree(fs.r);
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
			 errmsg("unknown strategy \"%s\"", s),
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
} FitSearch;

static void
fit_reset(void *arg)
{
	FitSearch  *fs = (FitSearch *) arg;

	fs->found = false;
	fs->best_bits = -1;
	fs->addr = 0;
}

/* first fit: the first range that holds an aligned block */
static bool
first_fit_visit(void *arg, const APRange *r)
{
	FitSearch  *fs = (FitSearch *) arg;

	fs->found = first_aligned(r, fs->mask, &fs->addr);
	return fs->found;
}

/*
 * Best fit: the maximal free CIDR blocks, in address order; keep the first
 * of the longest prefix that is still <= masklen.  A block of exactly
 * /masklen cannot be beaten.
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
				return true;
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
	int64		np;
	APRange    *pool = read_pool(pool_arr, true, masklen, &fs, &np);
	FitSearch	search;

	if (fs.family == 0)
		PG_RETURN_NULL();
	search.masklen = masklen;
	search.mask = ap_host_mask(fs.width, masklen);
	fit_reset(&search);
	visit_free(pool, np, used_arr,
			   strategy == FIT_FIRST ? first_fit_visit : best_fit_visit,
			   fit_reset, &search);
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
	uint128		mask;			/* host mask of the blocks asked for */
	int			masklen;
	int64		i;				/* the range being walked */
	bool		in_range;		/* next is a block of range i */
	uint128		next;
} FreeBlocksCursor;

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
	APRange    *r;
	uint128		block;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		cur = (FreeBlocksCursor *) palloc0(sizeof(FreeBlocksCursor));
		cur->masklen = PG_GETARG_INT32(2);
		free_space(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1),
				   true, cur->masklen, &cur->fs);
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
		if (cur->i >= cur->fs.n)
			SRF_RETURN_DONE(funcctx);
		if (first_aligned(&cur->fs.r[cur->i], cur->mask, &cur->next))
			cur->in_range = true;
		else
		{
			cur->i++;
			if ((cur->i & FS_INTERRUPT_MASK) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}

	/* this block, then step to the next one if it still fits the range */
	r = &cur->fs.r[cur->i];
	block = cur->next;
	if (r->hi - block - cur->mask > cur->mask)
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
		APRange    *pool;
		int64		np;
		ArrayType  *used_arr;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = (FreeCounts *) palloc0(sizeof(FreeCounts));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "free_block_counts must return a composite type");
		st->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcontext);

		/* the work in the caller's context: only the counts are kept */
		pool = read_pool(PG_GETARG_ARRAYTYPE_P(0), false, 0, &fs, &np);
		used_arr = PG_GETARG_ARRAYTYPE_P(1);
		st->width = fs.width;
		visit_free(pool, np, used_arr, count_visit, count_reset, st->blocks);
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
			 errmsg("unknown unit count mode \"%s\"", s),
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
Datum
unit_count(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int32		unit = PG_GETARG_INT32(1);
	UnitMode	mode = parse_unit_mode(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	int64		n;
	APRange    *r = set_from_array(arr, &n);
	int			family = list_family(r, n);
	int			shift;
	uint128		mask;
	APCount		c = {0, 0};
	bool		have_last = false;
	uint128		last_unit = 0;	/* the last unit touched so far */

	if (family < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit_count cannot count IPv4 and IPv6 blocks together"),
				 errdetail("A unit prefix length means a different unit size in each family."),
				 errhint("Count each family on its own, e.g. GROUP BY family(block).")));
	check_masklen(unit, family, "unit prefix length");
	if (family == 0)
		PG_RETURN_NUMERIC(ap_int_numeric(0));
	shift = ap_family_bits(family) - unit;
	mask = ap_host_mask(ap_family_bits(family), unit);

	for (int64 i = 0; i < n; i++)
	{
		/*
		 * Units are numbered by address >> shift; shift is 128 only for a
		 * /0 unit of IPv6, whose single unit is number 0.
		 */
		uint128		first = shift >= 128 ? 0 : r[i].lo >> shift;
		uint128		last = shift >= 128 ? 0 : r[i].hi >> shift;

		if ((i & FS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (mode == UNIT_COVERED)
		{
			/*
			 * Whole units only: drop a partial unit at either end.  Ranges
			 * of a normalized list do not touch, so no unit is covered by
			 * two of them together.
			 */
			bool		first_whole = (r[i].lo & mask) == 0;
			bool		last_whole = (r[i].hi & mask) == mask;
			uint128		span = last - first;	/* units first..last: span + 1 */

			if (first_whole && last_whole)
			{
				ap_count_add_u128(&c, span);
				ap_count_add_u128(&c, 1);
			}
			else
			{
				/* span + 1 cannot overflow: only ::/0 in /128s spans 2^128 */
				uint128		partial = 2 - (first_whole ? 1 : 0) - (last_whole ? 1 : 0);

				if (span + 1 > partial)
					ap_count_add_u128(&c, span + 1 - partial);
			}
		}
		else
		{
			/* a unit shared with the previous range counts once */
			if (have_last && first == last_unit)
				ap_count_add_u128(&c, last - first);
			else
			{
				ap_count_add_u128(&c, last - first);
				ap_count_add_u128(&c, 1);
			}
			have_last = true;
			last_unit = last;
		}
	}
	PG_RETURN_NUMERIC(ap_count_to_numeric(&c));
}
