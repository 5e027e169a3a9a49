/*-------------------------------------------------------------------------
 *
 * rangeset_impl.h
 *	  The interval-set engine, generic over the element width: one family's
 *	  sorted list of inclusive address ranges.  Included twice, in the style
 *	  of core's lib/sort_template.h, to make the IPv4 and the IPv6 engine
 *	  from one text.
 *
 * The includer defines (all #undef'd at the end):
 *	RS_SUFFIX	4 or 6: the family; names are ap_rs4_xxx and ap_rs6_xxx
 *	RS_DECLARE	to declare the functions (rangeset.h)
 *	RS_DEFINE	to define them (rangeset.c)
 * and the family's parameters follow from RS_SUFFIX, below:
 *	RS_ELEM		the element type
 *	RS_ADDR		the address type (uint32, uint128)
 *	RS_FAMILY	PGSQL_AF_INET or PGSQL_AF_INET6
 *	RS_LO(e), RS_HI(e), RS_MAKE(lo, hi)	element access
 *	RS_RADIX	defined: sort by an LSD radix sort over the 4 bytes of lo
 *				(elements must then be uint64 with lo in the high half)
 *
 * An element is a range [lo, hi], lo <= hi.  A list is normalized when it is
 * sorted by lo and its ranges neither overlap nor touch (hi + 1 < next lo):
 * the canonical form of a set.  The set operations take normalized lists
 * and emit their result, range by range and normalized, to a callback, so
 * that a caller can measure a result and then write it without ever holding
 * it as a list.
 *
 *-------------------------------------------------------------------------
 */

#if RS_SUFFIX == 4
#define RS_ELEM APRange4
#define RS_ADDR uint32
#define RS_FAMILY PGSQL_AF_INET
#define RS_LO(e) AP_R4_LO(e)
#define RS_HI(e) AP_R4_HI(e)
#define RS_MAKE(lo, hi) AP_R4_MAKE(lo, hi)
#define RS_RADIX
#elif RS_SUFFIX == 6
#define RS_ELEM APRange6
#define RS_ADDR uint128
#define RS_FAMILY PGSQL_AF_INET6
#define RS_LO(e) ((e).lo)
#define RS_HI(e) ((e).hi)
#define RS_MAKE(lo, hi) ap_r6_make(lo, hi)
#else
#error "rangeset_impl.h: RS_SUFFIX must be 4 or 6"
#endif

#define RS_MAKE_NAME_(a, b) ap_rs##a##_##b
#define RS_MAKE_NAME(a, b) RS_MAKE_NAME_(a, b)
#define RS(name) RS_MAKE_NAME(RS_SUFFIX, name)

#ifdef RS_DECLARE

/* sort by lo, in place; interruptible */
extern void RS(sort) (RS_ELEM * r, int64 n);

/* join overlapping and adjacent ranges of a list sorted by lo; new length */
extern int64 RS(join_sorted) (RS_ELEM * r, int64 n);

/* sort, then join: any list becomes normalized in place; new length */
extern int64 RS(normalize) (RS_ELEM * r, int64 n);

/*
 * Normalize a list whose first nnorm ranges are normalized and whose tail
 * [nnorm, n) is in any order: only the tail is sorted, then merged in
 * (O(t log t + n) for a tail of t).  Allocates in CurrentMemoryContext a
 * scratch copy of the tail when the two interleave, and (IPv4) the radix
 * sort's scratch buffer of the tail's size when it has 512 ranges or more.
 * New length.
 */
extern int64 RS(compact) (RS_ELEM * r, int64 nnorm, int64 n);

/* whether a list is normalized (for untrusted input: aggregate states) */
extern bool RS(is_normalized) (const RS_ELEM * r, int64 n);

/* the exact number of addresses of a normalized list */
extern void RS(count) (const RS_ELEM * r, int64 n, APCount *out);

/*
 * a AND b of two normalized lists, emitted in order; false when the
 * callback stopped the walk
 */
extern bool RS(intersect) (const RS_ELEM * a, int64 na,
						   const RS_ELEM * b, int64 nb,
						   APRangeEmit emit, void *arg);

/*
 * a AND NOT b, a normalized, emitted in order.  b is either the list
 * (b, nb), normalized or merely sorted by lo with overlaps, or, when rd is
 * not NULL, the elements of this family of an inet[]/cidr[] read in place,
 * which must come sorted by lo (overlaps allowed).  Returns
 * AP_WALK_DISORDER as soon as b turns out not to be sorted (what was
 * emitted until then is to be discarded), AP_WALK_STOPPED when the callback
 * stopped the walk (the reader is then left where the walk was), and
 * AP_WALK_DONE otherwise.
 */
extern APWalkResult RS(except) (const RS_ELEM * a, int64 na,
								const RS_ELEM * b, int64 nb,
								APArrayReader *rd,
								APRangeEmit emit, void *arg);

/* emit every range of a list, in order; false when the callback stopped */
extern bool RS(emit) (const RS_ELEM * r, int64 n, APRangeEmit emit,
					  void *arg);

#endif							/* RS_DECLARE */

#ifdef RS_DEFINE

/* how often (in iterations, minus one) linear loops check for interrupts */
#ifndef RS_INTERRUPT_MASK
#define RS_INTERRUPT_MASK 0xFFFF
#endif

static inline void
RS(to_range) (const RS_ELEM * e, APRange *out)
{
	out->family = RS_FAMILY;
	out->lo = RS_LO(*e);
	out->hi = RS_HI(*e);
}

/*
 * Whether x, which sorts at or after last, overlaps or touches it (x's lo
 * is no later than one past last's hi; lo == 0 can only follow lo == 0).
 */
static inline bool
RS(joins) (RS_ADDR last_hi, RS_ADDR x_lo)
{
	return x_lo == 0 || x_lo - 1 <= last_hi;
}

#ifdef RS_RADIX
/* a quicksort of packed ranges for the middle sizes, interruptible */
#define ST_SORT RS(qsort)
#define ST_ELEMENT_TYPE RS_ELEM
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Packed ranges by lo (the high 32 bits): a least-significant-digit radix
 * sort, four stable passes of one byte each, through a scratch buffer of n
 * elements; a pass is skipped when all values share that byte.  Small lists
 * go to an insertion sort or the quicksort; a list already in order is left
 * as it is (a combined partial state is).
 */
#define RS_RADIX_MIN 512

void
RS(sort) (RS_ELEM * r, int64 n)
{
	RS_ELEM    *tmp;
	RS_ELEM    *src,
			   *dst;
	int64		i;

	if (n <= 16)
	{
		for (i = 1; i < n; i++)
		{
			RS_ELEM		v = r[i];
			int64		j = i;

			while (j > 0 && r[j - 1] > v)
			{
				r[j] = r[j - 1];
				j--;
			}
			r[j] = v;
		}
		return;
	}
	if (n < RS_RADIX_MIN)
	{
		RS(qsort) (r, (size_t) n);
		return;
	}
	for (i = 1; i < n && r[i - 1] <= r[i]; i++)
		;
	if (i == n)
		return;
	tmp = (RS_ELEM *) MemoryContextAllocHuge(CurrentMemoryContext,
											 (Size) n * sizeof(RS_ELEM));
	src = r;
	dst = tmp;
	for (int shift = 32; shift < 64; shift += 8)
	{
		int64		count[256] = {0};
		int64		pos = 0;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xFF]++;
		if (count[(src[0] >> shift) & 0xFF] == n)
			continue;
		for (int b = 0; b < 256; b++)
		{
			int64		c = count[b];

			count[b] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
		{
			RS_ELEM    *t = src;

			src = dst;
			dst = t;
		}
	}
	if (src != r)
		memcpy(r, src, (Size) n * sizeof(RS_ELEM));
	pfree(tmp);
}
#else
static inline int
RS(cmp) (const RS_ELEM * a, const RS_ELEM * b)
{
	if (RS_LO(*a) != RS_LO(*b))
		return RS_LO(*a) < RS_LO(*b) ? -1 : 1;
	return 0;
}

#define ST_SORT RS(qsort)
#define ST_ELEMENT_TYPE RS_ELEM
#define ST_COMPARE(a, b) RS(cmp) (a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

void
RS(sort) (RS_ELEM * r, int64 n)
{
	if (n > 1)
		RS(qsort) (r, (size_t) n);
}
#endif							/* RS_RADIX */

int64
RS(join_sorted) (RS_ELEM * r, int64 n)
{
	int64		out = 0;

	if (n <= 0)
		return 0;
	for (int64 i = 1; i < n; i++)
	{
		if ((i & RS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (RS(joins) (RS_HI(r[out]), RS_LO(r[i])))
		{
			if (RS_HI(r[i]) > RS_HI(r[out]))
				r[out] = RS_MAKE(RS_LO(r[out]), RS_HI(r[i]));
		}
		else
			r[++out] = r[i];
	}
	return out + 1;
}

int64
RS(normalize) (RS_ELEM * r, int64 n)
{
	RS(sort) (r, n);
	return RS(join_sorted) (r, n);
}

int64
RS(compact) (RS_ELEM * r, int64 nnorm, int64 n)
{
	int64		t;
	RS_ELEM    *tmp;
	int64		i,
				j,
				k;

	if (nnorm <= 0)
		return RS(normalize) (r, n);
	if (nnorm >= n)
		return n;

	/* normalize the tail on its own */
	t = RS(normalize) (r + nnorm, n - nnorm);

	/*
	 * Common when input arrives in address order: the tail starts after the
	 * prefix does, so the two only need joining where they meet.
	 */
	if (RS_LO(r[nnorm - 1]) <= RS_LO(r[nnorm]))
		return nnorm - 1 + RS(join_sorted) (r + nnorm - 1, t + 1);

	/* otherwise merge from the back, with the tail copied aside */
	tmp = (RS_ELEM *) MemoryContextAllocHuge(CurrentMemoryContext,
											 (Size) t * sizeof(RS_ELEM));
	memcpy(tmp, r + nnorm, (Size) t * sizeof(RS_ELEM));
	i = nnorm - 1;
	j = t - 1;
	k = nnorm + t - 1;
	while (j >= 0)
	{
		if ((k & RS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i >= 0 && RS_LO(r[i]) > RS_LO(tmp[j]))
			r[k--] = r[i--];
		else
			r[k--] = tmp[j--];
	}
	pfree(tmp);
	return RS(join_sorted) (r, nnorm + t);
}

bool
RS(is_normalized) (const RS_ELEM * r, int64 n)
{
	for (int64 i = 0; i < n; i++)
	{
		if (RS_LO(r[i]) > RS_HI(r[i]))
			return false;
		if (i > 0 && !(RS_LO(r[i]) > RS_HI(r[i - 1]) &&
					   RS_LO(r[i]) - RS_HI(r[i - 1]) >= 2))
			return false;
	}
	return true;
}

void
RS(count) (const RS_ELEM * r, int64 n, APCount *out)
{
	APRange		x;

	out->hi = 0;
	out->lo = 0;
	for (int64 i = 0; i < n; i++)
	{
		RS(to_range) (&r[i], &x);
		ap_count_add_range(out, &x);
	}
}

bool
RS(emit) (const RS_ELEM * r, int64 n, APRangeEmit emit, void *arg)
{
	APRange		x;

	for (int64 i = 0; i < n; i++)
	{
		if ((i & RS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		RS(to_range) (&r[i], &x);
		if (emit(arg, &x))
			return false;
	}
	return true;
}

bool
RS(intersect) (const RS_ELEM * a, int64 na, const RS_ELEM * b, int64 nb,
			   APRangeEmit emit, void *arg)
{
	int64		i = 0,
				j = 0;
	APRange		x;

	x.family = RS_FAMILY;
	while (i < na && j < nb)
	{
		RS_ADDR		lo = Max(RS_LO(a[i]), RS_LO(b[j]));
		RS_ADDR		hi = Min(RS_HI(a[i]), RS_HI(b[j]));

		if (((i + j) & RS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the range that ends first can meet nothing further */
		if (RS_HI(a[i]) < RS_HI(b[j]))
			i++;
		else
			j++;
		if (lo <= hi)
		{
			x.lo = lo;
			x.hi = hi;
			if (emit(arg, &x))
				return false;
		}
	}
	return true;
}

/*
 * The next range of b for except: from the list, or the next element of
 * this family from the array reader, checked to come in order of lo.
 */
typedef struct RS(Source)
{
	const RS_ELEM *list;
	int64		i,
				n;
	APArrayReader *rd;
	bool		have_prev;
	RS_ADDR		prev_lo;
	bool		disorder;
}			RS(Source);

static inline bool
RS(source_next) (RS(Source) * s, RS_ADDR * lo, RS_ADDR * hi)
{
	if (s->rd == NULL)
	{
		if (s->i >= s->n)
			return false;
		*lo = RS_LO(s->list[s->i]);
		*hi = RS_HI(s->list[s->i]);
		s->i++;
	}
	else
	{
		APRange		r;

		do
		{
			if (!ap_array_reader_next(s->rd, &r))
				return false;
		} while (r.family != RS_FAMILY);
		*lo = (RS_ADDR) r.lo;
		*hi = (RS_ADDR) r.hi;
	}
	if (s->have_prev && *lo < s->prev_lo)
	{
		s->disorder = true;
		return false;
	}
	s->have_prev = true;
	s->prev_lo = *lo;
	return true;
}

APWalkResult
RS(except) (const RS_ELEM * a, int64 na, const RS_ELEM * b, int64 nb,
			APArrayReader *rd, APRangeEmit emit, void *arg)
{
	RS(Source) src = {b, 0, nb, rd, false, 0, false};
	RS_ADDR		ulo = 0,
				uhi = 0;		/* the current range of b, if have_u */
	bool		have_u;
	int64		ai = 0;
	int64		steps = 0;
	RS_ADDR		from;			/* first address of a[ai] not yet walked */
	APRange		out;

	have_u = RS(source_next) (&src, &ulo, &uhi);
	if (src.disorder)
		return AP_WALK_DISORDER;
	from = na > 0 ? RS_LO(a[0]) : 0;
	out.family = RS_FAMILY;

	while (ai < na)
	{
		RS_ADDR		ahi = RS_HI(a[ai]);
		bool		stop;

		if ((++steps & RS_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();

		/* ranges of b that end before `from` no longer matter */
		while (have_u && uhi < from)
		{
			have_u = RS(source_next) (&src, &ulo, &uhi);
			if (src.disorder)
				return AP_WALK_DISORDER;
		}

		out.lo = from;
		if (have_u && ulo <= ahi)
		{
			/* u cuts into [from, ahi]: free up to it, then resume after */
			bool		gap = ulo > from;

			out.hi = ulo - 1;
			if (uhi >= ahi)
			{
				if (++ai < na)
					from = RS_LO(a[ai]);
			}
			else
				from = uhi + 1;
			if (!gap)
				continue;
		}
		else
		{
			/* nothing of b in the rest of this range of a */
			out.hi = ahi;
			if (++ai < na)
				from = RS_LO(a[ai]);
		}
		stop = emit(arg, &out);
		if (stop)
			return AP_WALK_STOPPED;
	}

	/* the rest of an array: only its order matters now */
	if (rd != NULL && have_u)
	{
		while (RS(source_next) (&src, &ulo, &uhi))
			;
		if (src.disorder)
			return AP_WALK_DISORDER;
	}
	return AP_WALK_DONE;
}

#undef RS_INTERRUPT_MASK
#endif							/* RS_DEFINE */

#undef RS_MAKE_NAME_
#undef RS_MAKE_NAME
#undef RS
#undef RS_SUFFIX
#undef RS_ELEM
#undef RS_ADDR
#undef RS_FAMILY
#undef RS_LO
#undef RS_HI
#undef RS_MAKE
#undef RS_RADIX
#undef RS_RADIX_MIN
#undef RS_DECLARE
#undef RS_DEFINE
