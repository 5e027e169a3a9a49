/*-------------------------------------------------------------------------
 *
 * rangeset.c
 *	  Sets of addresses as sorted, joined lists of inclusive ranges: sorting
 *	  and joining, union, intersection and difference, exact counts, the
 *	  minimal CIDR blocks of a range, and cidr[] <-> range lists.  See
 *	  rangeset.h for the vocabulary.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* how often (in iterations, minus one) linear loops check for interrupts */
#define AP_INTERRUPT_MASK 0xFFFF

/* a specialized quicksort of APRange by (family, lo), interruptible */
#define ST_SORT ap_range_qsort
#define ST_ELEMENT_TYPE APRange
#define ST_COMPARE(a, b) ap_range_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Whether x, which sorts at or after last, overlaps or touches last: same
 * family and x starts no later than one past last's end.  (x->lo == 0 can
 * only follow a range of its family that starts at 0 too.)
 */
static inline bool
ap_range_joins(const APRange *last, const APRange *x)
{
	return x->family == last->family &&
		(x->lo == 0 || x->lo - 1 <= last->hi);
}

/*
 * Append x to a normalized output list that x sorts after (or at the same
 * start as) its last range, joining when they overlap or touch.
 */
static inline void
ap_range_push(APRange *out, int64 *n, const APRange *x)
{
	if (*n > 0 && ap_range_joins(&out[*n - 1], x))
	{
		if (x->hi > out[*n - 1].hi)
			out[*n - 1].hi = x->hi;
		return;
	}
	out[(*n)++] = *x;
}

void
ap_ranges_sort(APRange *r, int64 n)
{
	if (n > 1)
		ap_range_qsort(r, (size_t) n);
}

int64
ap_ranges_join_sorted(APRange *r, int64 n)
{
	int64		out = 0;

	if (n <= 0)
		return 0;
	for (int64 i = 1; i < n; i++)
	{
		if ((i & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (ap_range_joins(&r[out], &r[i]))
		{
			if (r[i].hi > r[out].hi)
				r[out].hi = r[i].hi;
		}
		else
			r[++out] = r[i];
	}
	return out + 1;
}

int64
ap_ranges_normalize(APRange *r, int64 n)
{
	ap_ranges_sort(r, n);
	return ap_ranges_join_sorted(r, n);
}

int64
ap_ranges_compact(APRange *r, int64 nnorm, int64 n)
{
	int64		t;
	APRange    *tmp;
	int64		i,
				j,
				k;

	if (nnorm <= 0)
		return ap_ranges_normalize(r, n);
	if (nnorm >= n)
		return n;

	/* normalize the tail on its own */
	t = ap_ranges_normalize(r + nnorm, n - nnorm);

	/*
	 * Common when input arrives in address order: the tail starts after the
	 * prefix ends, so the two only need joining where they meet.
	 */
	if (ap_range_cmp(&r[nnorm - 1], &r[nnorm]) <= 0)
		return nnorm - 1 + ap_ranges_join_sorted(r + nnorm - 1, t + 1);

	/* otherwise merge from the back, with the tail copied aside */
	tmp = (APRange *) MemoryContextAllocHuge(CurrentMemoryContext,
											 (Size) t * sizeof(APRange));
	memcpy(tmp, r + nnorm, (Size) t * sizeof(APRange));
	i = nnorm - 1;
	j = t - 1;
	k = nnorm + t - 1;
	while (j >= 0)
	{
		if ((k & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i >= 0 && ap_range_cmp(&r[i], &tmp[j]) > 0)
			r[k--] = r[i--];
		else
			r[k--] = tmp[j--];
	}
	pfree(tmp);
	return ap_ranges_join_sorted(r, nnorm + t);
}

bool
ap_ranges_is_normalized(const APRange *r, int64 n)
{
	for (int64 i = 0; i < n; i++)
	{
		if (r[i].family != PGSQL_AF_INET && r[i].family != PGSQL_AF_INET6)
			return false;
		if (r[i].lo > r[i].hi ||
			(r[i].hi & ~ap_host_mask(ap_family_bits(r[i].family), 0)) != 0)
			return false;
		if (i > 0 && r[i].family == r[i - 1].family &&
			!(r[i].lo > r[i - 1].hi && r[i].lo - r[i - 1].hi >= 2))
			return false;
		if (i > 0 && r[i].family < r[i - 1].family)
			return false;
	}
	return true;
}

int64
ap_ranges_union(const APRange *a, int64 na, const APRange *b, int64 nb,
				APRange *out)
{
	int64		i = 0,
				j = 0,
				n = 0;

	while (i < na || j < nb)
	{
		if (((i + j) & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (j >= nb || (i < na && ap_range_cmp(&a[i], &b[j]) <= 0))
			ap_range_push(out, &n, &a[i++]);
		else
			ap_range_push(out, &n, &b[j++]);
	}
	return n;
}

int64
ap_ranges_intersect(const APRange *a, int64 na, const APRange *b, int64 nb,
					APRange *out)
{
	int64		i = 0,
				j = 0,
				n = 0;

	while (i < na && j < nb)
	{
		if (((i + j) & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		if (a[i].family != b[j].family)
		{
			if (a[i].family < b[j].family)
				i++;
			else
				j++;
			continue;
		}
		else
		{
			uint128		lo = Max(a[i].lo, b[j].lo);
			uint128		hi = Min(a[i].hi, b[j].hi);

			if (lo <= hi)
			{
				out[n].family = a[i].family;
				out[n].lo = lo;
				out[n].hi = hi;
				n++;
			}
			/* the range that ends first can meet nothing further */
			if (a[i].hi < b[j].hi)
				i++;
			else
				j++;
		}
	}
	return n;
}

int64
ap_ranges_except(const APRange *a, int64 na, const APRange *b, int64 nb,
				 APRange *out)
{
	int64		j = 0,
				n = 0;

	for (int64 i = 0; i < na; i++)
	{
		uint128		from = a[i].lo;
		bool		rest = true;

		if ((i & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		/* skip what ends before this range starts */
		while (j < nb && (b[j].family < a[i].family ||
						  (b[j].family == a[i].family && b[j].hi < a[i].lo)))
			j++;
		/* cut out each range of b that meets this one */
		for (int64 k = j; k < nb && b[k].family == a[i].family &&
			 b[k].lo <= a[i].hi; k++)
		{
			if (b[k].lo > from)
			{
				out[n].family = a[i].family;
				out[n].lo = from;
				out[n].hi = b[k].lo - 1;
				n++;
			}
			if (b[k].hi >= a[i].hi)
			{
				rest = false;
				break;
			}
			from = b[k].hi + 1;
		}
		if (rest)
		{
			out[n].family = a[i].family;
			out[n].lo = from;
			out[n].hi = a[i].hi;
			n++;
		}
	}
	return n;
}

void
ap_ranges_count(const APRange *r, int64 n, APCount *out)
{
	out->hi = 0;
	out->lo = 0;
	for (int64 i = 0; i < n; i++)
		ap_count_add_range(out, &r[i]);
}

int
ap_ranges_families(const APRange *r, int64 n)
{
	int			mask = 0;

	/* sorted or not, a scan is cheap next to what callers do with a list */
	for (int64 i = 0; i < n && mask != (AP_HAS_V4 | AP_HAS_V6); i++)
		mask |= r[i].family == PGSQL_AF_INET ? AP_HAS_V4 : AP_HAS_V6;
	return mask;
}

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
ap_ranges_reserve(APRange **r, int64 n, int64 *cap, int64 more)
{
	int64		newcap;

	if (n + more <= *cap && *r != NULL)
		return;
	newcap = Max(Max(*cap * 2, n + more), 8);
	if ((Size) newcap > MaxAllocHugeSize / sizeof(APRange))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("address set of %lld ranges is too large",
						(long long) newcap)));
	if (*r == NULL)
		*r = (APRange *) MemoryContextAllocHuge(CurrentMemoryContext,
												(Size) newcap * sizeof(APRange));
	else
		*r = (APRange *) repalloc_huge(*r, (Size) newcap * sizeof(APRange));
	*cap = newcap;
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

void
ap_ranges_from_array(ArrayType *arr, APRange **r, int64 *n, int64 *cap)
{
	APArrayReader rd;

	ap_array_reader_init(&rd, arr);
	ap_ranges_reserve(r, *n, cap, rd.nitems);
	while (ap_array_reader_next(&rd, &(*r)[*n]))
		(*n)++;
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

ArrayType *
ap_ranges_to_cidr_array(const APRange *r, int64 n)
{
	APCidrArraySize sz = {0, 0};
	ArrayType  *result;
	char	   *p;

	for (int64 i = 0; i < n; i++)
	{
		if ((i & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		ap_cidr_array_measure(&sz, &r[i]);
	}
	result = ap_cidr_array_alloc(&sz, &p);
	for (int64 i = 0; i < n; i++)
	{
		if ((i & AP_INTERRUPT_MASK) == 0)
			CHECK_FOR_INTERRUPTS();
		ap_cidr_array_put(&p, &r[i]);
	}
	Assert(n == 0 || p == (char *) result + VARSIZE(result));
	return result;
}
