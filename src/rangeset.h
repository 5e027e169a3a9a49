/*-------------------------------------------------------------------------
 *
 * rangeset.h
 *	  The one interval-set engine of addrpolicy: sets of addresses as
 *	  sorted lists of inclusive ranges, one list per family, under the
 *	  cidr[] set functions, the merge aggregates and the free-space walk.
 *
 * Vocabulary:
 *	- a list holds the ranges [lo, hi] of one family, lo <= hi, in the
 *	  family's packed element (APRange4: 8 bytes, APRange6: 32 bytes); the
 *	  code of both is one text, rangeset_impl.h, instantiated per family;
 *	- a normalized list is sorted by lo and its ranges neither overlap nor
 *	  touch (hi + 1 < next lo): the canonical form of a set, so two
 *	  normalized lists hold the same addresses exactly when they are equal;
 *	- an APSet is the two lists of a set of both families.
 *
 * Counts are int64 so that a list may exceed 2^31 ranges in memory.  The
 * functions here never raise an error for a well-formed input except on
 * PostgreSQL's own size limits; errors about what a user asked (mixed
 * families, sizes) belong to the SQL-level callers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ADDRPOLICY_RANGESET_H
#define ADDRPOLICY_RANGESET_H

#include "addrpolicy.h"

#include "utils/array.h"
#include "utils/arrayaccess.h"

/*
 * The elements of one family's list.  An IPv4 range is packed into one
 * uint64, lo in the high half: 8 bytes, and the packed values sort by lo
 * as plain integers.  An IPv6 range is two uint128: 32 bytes.  (A range
 * with its family, APRange, takes 48 bytes; it is the value the engine
 * hands to callers one at a time, never what it stores.)
 */
typedef uint64 APRange4;
typedef struct APRange6
{
	uint128		lo;
	uint128		hi;
} APRange6;

#define AP_R4_MAKE(lo, hi) ((((uint64) (lo)) << 32) | (uint64) (uint32) (hi))
#define AP_R4_LO(e) ((uint32) ((e) >> 32))
#define AP_R4_HI(e) ((uint32) (e))

static inline APRange6
ap_r6_make(uint128 lo, uint128 hi)
{
	APRange6	e;

	e.lo = lo;
	e.hi = hi;
	return e;
}

/*
 * What the engine calls with each range of a result, in order: return true
 * to stop there.
 */
typedef bool (*APRangeEmit) (void *arg, const APRange *r);

/* how a walk over a result ended */
typedef enum APWalkResult
{
	AP_WALK_DONE,				/* every range emitted */
	AP_WALK_STOPPED,			/* the callback stopped it */
	AP_WALK_DISORDER			/* an input was not sorted: discard, redo */
} APWalkResult;

typedef struct APArrayReader APArrayReader;

/* the engine of each family (rangeset_impl.h) */
#define RS_SUFFIX 4
#define RS_DECLARE
#include "rangeset_impl.h"

#define RS_SUFFIX 6
#define RS_DECLARE
#include "rangeset_impl.h"

/*
 * A set of addresses of both families: one list per family, each
 * normalized once ap_set_normalize has run.  Buffers are palloc'd (huge
 * allocations allowed) in the memory context current when they are first
 * grown.
 */
typedef struct APSet
{
	APRange4   *r4;
	int64		n4,
				cap4;
	APRange6   *r6;
	int64		n6,
				cap6;
} APSet;

#define AP_HAS_V4 1
#define AP_HAS_V6 2

extern void ap_set_init(APSet *s);
extern void ap_set_free(APSet *s);

/*
 * ap_set_add_array - append the blocks of an inet[] or cidr[] (any number
 * of dimensions, read as a flat list; NULL elements skipped; an inet with
 * host bits set counts as its network block); not normalized
 */
extern void ap_set_add_array(APSet *s, ArrayType *arr);

/* ap_set_add - append one range */
extern void ap_set_add(APSet *s, const APRange *r);

/* ap_set_normalize - normalize both lists in place */
extern void ap_set_normalize(APSet *s);

/* ap_set_from_array - the normalized set of an array (see ap_set_add_array) */
extern void ap_set_from_array(APSet *s, ArrayType *arr);

/* ap_set_families - AP_HAS_V4 | AP_HAS_V6, as present (0: empty) */
extern int	ap_set_families(const APSet *s);

/*
 * ap_set_count - the number of addresses of a normalized set, both families
 * added together (callers decide whether a mix is an error)
 */
extern void ap_set_count(const APSet *s, APCount *out);

/* ap_set_emit - every range of a normalized set, IPv4 first */
extern bool ap_set_emit(const APSet *s, APRangeEmit emit, void *arg);

/*
 * The cidr[] of the minimal CIDR blocks of a normalized set, IPv4 first;
 * '{}' for an empty set.  Built in one palloc in CurrentMemoryContext; an
 * error when the array would exceed PostgreSQL's 1 GB limit.
 */
extern ArrayType *ap_set_to_cidr_array(const APSet *s);

/*
 * The cidr[] of a AND b, or of a AND NOT b, for two normalized sets: the
 * result is walked twice (measured, then written), never held as a list.
 */
typedef enum APSetOp
{
	AP_SET_INTERSECT,
	AP_SET_EXCEPT
} APSetOp;

extern ArrayType *ap_set_op_to_cidr_array(const APSet *a, const APSet *b,
										  APSetOp op);

/*
 * ap_set_except_into - a AND NOT b of two normalized sets, as a normalized
 * set into out (initialized here)
 */
extern void ap_set_except_into(const APSet *a, const APSet *b, APSet *out);

/*
 * ap_set_except_walk - the ranges of a normalized set of one family minus
 * the blocks of that family of an inet[]/cidr[] read in place, emitted in
 * order, with no copy and no sort of the array.  It needs the blocks in
 * order of their first address (overlaps allowed), as a stored cidr_merge
 * result or an ordered array_agg has them; when they are not, it returns
 * AP_WALK_DISORDER, and the caller discards what was emitted and starts
 * again from the sets (ap_set_except_into).
 *
 * When the callback stops the walk, the blocks not yet read can still be
 * out of order.  Before it stops, the callback says in *claim which
 * addresses its answer depends on (one range of the family): the walk reads
 * the rest of the array and returns AP_WALK_STOPPED when no block overlaps
 * them, whatever their order, and AP_WALK_DISORDER when one does.
 */
extern APWalkResult ap_set_except_walk(const APSet *a, int family,
									   ArrayType *used, APRangeEmit emit,
									   void *arg, const APRange *claim);

/* --- ranges to minimal CIDR blocks ------------------------------------ */

/*
 * An iterator over the minimal CIDR blocks that cover one range exactly,
 * lowest first: at each step, the largest block that starts at the next
 * uncovered address and ends inside the range.  At most 2 * width blocks.
 *
 *	 APBlockIter it;
 *	 APBlock b;
 *	 ap_block_iter_init(&it, &range);
 *	 while (ap_block_iter_next(&it, &b))
 *		 ...;
 */
typedef struct APBlockIter
{
	unsigned char family;
	bool		done;
	uint128		next;			/* first address not yet covered */
	uint128		hi;				/* last address of the range */
} APBlockIter;

extern void ap_block_iter_init(APBlockIter *it, const APRange *r);
extern bool ap_block_iter_next(APBlockIter *it, APBlock *out);

/*
 * ap_range_nblocks - how many blocks ap_block_iter yields for a range
 */
extern int	ap_range_nblocks(const APRange *r);

/* --- cidr[] <-> range lists ------------------------------------------- */

/*
 * A reader of the ranges of an inet[] or cidr[], one element at a time:
 * any number of dimensions, read as a flat list; NULL elements skipped; an
 * inet with host bits set counts as its network block.
 *
 *	 APArrayReader rd;
 *	 APRange r;
 *	 ap_array_reader_init(&rd, arr);
 *	 while (ap_array_reader_next(&rd, &r))
 *		 ...;
 */
struct APArrayReader
{
	array_iter	it;
	int			i;				/* next element */
	int			nitems;
};

extern void ap_array_reader_init(APArrayReader *rd, ArrayType *arr);
extern bool ap_array_reader_next(APArrayReader *rd, APRange *out);

/*
 * Writing a cidr[] in steps, for callers that hold their ranges in another
 * form: measure every range (in order), allocate, then put every range (in
 * the same order).
 *
 *	 APCidrArraySize sz = {0};
 *	 for each range r: ap_cidr_array_measure(&sz, &r);
 *	 arr = ap_cidr_array_alloc(&sz, &cursor);
 *	 for each range r: ap_cidr_array_put(&cursor, &r);
 */
typedef struct APCidrArraySize
{
	int64		nblocks;		/* elements */
	Size		datasize;		/* bytes of the elements, aligned */
} APCidrArraySize;

extern void ap_cidr_array_measure(APCidrArraySize *sz, const APRange *r);
extern ArrayType *ap_cidr_array_alloc(const APCidrArraySize *sz, char **cursor);
extern void ap_cidr_array_put(char **cursor, const APRange *r);

#endif							/* ADDRPOLICY_RANGESET_H */
