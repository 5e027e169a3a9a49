/*-------------------------------------------------------------------------
 *
 * rangeset.h
 *	  Sets of addresses as sorted lists of inclusive ranges (APRange), the
 *	  core under the cidr[] set functions and the merge aggregates.
 *
 * Vocabulary:
 *	- a range list is a C array of APRange (family, lo, hi), lo <= hi, any
 *	  order, overlaps allowed;
 *	- a normalized range list is sorted by (family, lo), IPv4 before IPv6,
 *	  and its ranges neither overlap nor touch (hi + 1 < next lo within a
 *	  family).  A normalized list is the canonical form of a set: two
 *	  normalized lists hold the same addresses exactly when they are equal,
 *	  and ap_blocks_* turn it into the minimal CIDR list.
 *
 * Counts are int64 so that a list may exceed 2^31 ranges in memory (the
 * caller allocates with the *_huge allocators when it may exceed 1 GB).
 * The functions here never allocate except where they say so, and never
 * raise an error for a well-formed input; errors about what a user asked
 * (mixed families, sizes) belong to the SQL-level callers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ADDRPOLICY_RANGESET_H
#define ADDRPOLICY_RANGESET_H

#include "addrpolicy.h"

#include "utils/array.h"
#include "utils/arrayaccess.h"

/*
 * Order of two ranges by (family, lo): negative, zero or positive.
 */
static inline int
ap_range_cmp(const APRange *a, const APRange *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

/* --- normalizing ---------------------------------------------------- */

/*
 * ap_ranges_sort - sort a range list by (family, lo), in place.  Checks for
 * interrupts; O(n) on sorted input.
 */
extern void ap_ranges_sort(APRange *r, int64 n);

/*
 * ap_ranges_join_sorted - on a list already sorted by (family, lo), join
 * overlapping and adjacent ranges in place; returns the new length.  The
 * result is normalized.
 */
extern int64 ap_ranges_join_sorted(APRange *r, int64 n);

/*
 * ap_ranges_normalize - sort, then join: any range list becomes normalized
 * in place; returns the new length
 */
extern int64 ap_ranges_normalize(APRange *r, int64 n);

/*
 * ap_ranges_compact - normalize a list whose first nnorm ranges are already
 * normalized and whose tail [nnorm, n) is in any order: sorts only the tail,
 * then merges.  This is what an aggregate buffer uses when it fills up: the
 * cost is O(t log t + n) for a tail of t, not O(n log n).  Allocates a
 * scratch copy of the tail in CurrentMemoryContext (freed before return).
 * Returns the new length.
 */
extern int64 ap_ranges_compact(APRange *r, int64 nnorm, int64 n);

/*
 * ap_ranges_is_normalized - whether a list is normalized (for checks of
 * untrusted input, e.g. a deserialized aggregate state)
 */
extern bool ap_ranges_is_normalized(const APRange *r, int64 n);

/* --- set algebra on normalized lists --------------------------------- */

/*
 * Each takes two normalized lists and writes a normalized result to out,
 * which must have room for na + nb ranges and must not overlap the inputs;
 * returns the result's length.  Families never mix: an IPv4 range and an
 * IPv6 range share no address.
 */
extern int64 ap_ranges_union(const APRange *a, int64 na,
							 const APRange *b, int64 nb, APRange *out);
extern int64 ap_ranges_intersect(const APRange *a, int64 na,
								 const APRange *b, int64 nb, APRange *out);
extern int64 ap_ranges_except(const APRange *a, int64 na,
							  const APRange *b, int64 nb, APRange *out);

/*
 * ap_ranges_count - the number of addresses in a normalized list, exactly,
 * with both families added together (callers decide whether a mix is an
 * error; ap_ranges_families tells them)
 */
extern void ap_ranges_count(const APRange *r, int64 n, APCount *out);

/*
 * ap_ranges_families - which families a list holds: a bit mask of
 * AP_HAS_V4 and AP_HAS_V6 (0 for an empty list)
 */
#define AP_HAS_V4 1
#define AP_HAS_V6 2
extern int	ap_ranges_families(const APRange *r, int64 n);

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
typedef struct APArrayReader
{
	array_iter	it;
	int			i;				/* next element */
	int			nitems;
} APArrayReader;

extern void ap_array_reader_init(APArrayReader *rd, ArrayType *arr);
extern bool ap_array_reader_next(APArrayReader *rd, APRange *out);

/*
 * ap_ranges_from_array - the ranges of the elements of an inet[] or cidr[]
 * (any number of dimensions, read as a flat list; NULL elements skipped; an
 * inet with host bits set counts as its network block), appended to a
 * buffer: *r (palloc'd or NULL) with *cap slots and *n used; the buffer
 * grows with repalloc_huge in its own memory context.  Not normalized.
 */
extern void ap_ranges_from_array(ArrayType *arr, APRange **r, int64 *n,
								 int64 *cap);

/*
 * ap_ranges_reserve - make room for `more` ranges in such a buffer
 */
extern void ap_ranges_reserve(APRange **r, int64 n, int64 *cap, int64 more);

/*
 * ap_ranges_to_cidr_array - the cidr[] of the minimal CIDR blocks covering a
 * normalized list, in order (IPv4 before IPv6); '{}' for an empty list.
 * Built in one palloc in CurrentMemoryContext; an error when the array
 * would exceed PostgreSQL's 1 GB limit.
 */
extern ArrayType *ap_ranges_to_cidr_array(const APRange *r, int64 n);

/*
 * The same, in steps, for callers that hold their ranges in another form:
 * measure every range (in order), allocate, then put every range (in the
 * same order).
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
