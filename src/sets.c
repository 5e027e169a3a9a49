/*-------------------------------------------------------------------------
 *
 * sets.c
 *	  cidr[] as a set of addresses: its exact size, union, intersection
 *	  and difference with normalized results, and the minimal CIDR list of
 *	  an address range.
 *
 * A set is normalized when it is sorted, IPv4 before IPv6, its blocks do
 * not overlap, and no two blocks could be joined into a larger one (the
 * minimal CIDR list of the union, as Python's collapse_addresses gives).
 * Every function accepts any cidr[]: NULL elements are ignored, a
 * multi-dimensional array is read as the flat list of its elements, and
 * every result is normalized.
 *
 *-------------------------------------------------------------------------
 */
#include "rangeset.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(addr_count_cidr_array);
PG_FUNCTION_INFO_V1(cidr_union);
PG_FUNCTION_INFO_V1(cidr_intersect);
PG_FUNCTION_INFO_V1(cidr_except);
PG_FUNCTION_INFO_V1(range_to_cidrs);

/*
 * The normalized set of cidr[] argument n; the detoasted copy of the array,
 * if one was made, is freed once read (the set is smaller).
 */
static void
set_arg(FunctionCallInfo fcinfo, int n, APSet *s)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(n);

	ap_set_init(s);
	ap_set_add_array(s, arr);
	PG_FREE_IF_COPY(arr, n);
	ap_set_normalize(s);
}

/*
 * addr_count(cidr[]) - the number of distinct addresses the set covers; an
 * address in several blocks counts once.  IPv4 and IPv6 addresses are not
 * added together.
 */
Datum
addr_count_cidr_array(PG_FUNCTION_ARGS)
{
	APSet		s;
	APCount		c;

	set_arg(fcinfo, 0, &s);
	if (ap_set_families(&s) == (AP_HAS_V4 | AP_HAS_V6))
		ap_mixed_families_error(NULL);
	ap_set_count(&s, &c);
	PG_RETURN_NUMERIC(ap_count_to_numeric(&c));
}

/*
 * cidr_union(a, b) - the addresses in a or b; cidr_union(a, '{}')
 * normalizes a.  Both arrays go into one set, normalized in place.
 */
Datum
cidr_union(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	APSet		s;
	ArrayType  *b;

	ap_set_init(&s);
	ap_set_add_array(&s, a);
	PG_FREE_IF_COPY(a, 0);
	b = PG_GETARG_ARRAYTYPE_P(1);
	ap_set_add_array(&s, b);
	PG_FREE_IF_COPY(b, 1);
	ap_set_normalize(&s);
	PG_RETURN_ARRAYTYPE_P(ap_set_to_cidr_array(&s));
}

/*
 * cidr_intersect(a, b) - the addresses in both a and b
 */
Datum
cidr_intersect(PG_FUNCTION_ARGS)
{
	APSet		a,
				b;

	set_arg(fcinfo, 0, &a);
	set_arg(fcinfo, 1, &b);
	PG_RETURN_ARRAYTYPE_P(ap_set_op_to_cidr_array(&a, &b, AP_SET_INTERSECT));
}

/*
 * cidr_except(a, b) - the addresses in a and not in b
 */
Datum
cidr_except(PG_FUNCTION_ARGS)
{
	APSet		a,
				b;

	set_arg(fcinfo, 0, &a);
	set_arg(fcinfo, 1, &b);
	PG_RETURN_ARRAYTYPE_P(ap_set_op_to_cidr_array(&a, &b, AP_SET_EXCEPT));
}

/* an address as text, without a prefix length, for messages */
static char *
addr_text(inet *a)
{
	return TextDatumGetCString(DirectFunctionCall1(network_host,
												   InetPGetDatum(a)));
}

/*
 * range_to_cidrs(first, last) - the minimal CIDR list covering exactly the
 * addresses first..last (only their addresses count, not their prefix
 * lengths), lowest first, one row at a time
 */
Datum
range_to_cidrs(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	APBlockIter *it;
	APBlock		b;

	if (SRF_IS_FIRSTCALL())
	{
		inet	   *first = PG_GETARG_INET_PP(0);
		inet	   *last = PG_GETARG_INET_PP(1);
		MemoryContext oldcontext;
		APRange		r;

		if (ip_family(first) != ip_family(last))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first and last must be of the same address family"),
					 errdetail("first is IPv%d, last is IPv%d.",
							   ap_family_number(ip_family(first)),
							   ap_family_number(ip_family(last)))));
		r.family = ip_family(first);
		r.lo = ap_inet_addr(first);
		r.hi = ap_inet_addr(last);
		if (r.lo > r.hi)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("first address is after last address"),
					 errdetail("first is %s, last is %s.",
							   addr_text(first), addr_text(last)),
					 errhint("Give the lower address first.")));

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		it = (APBlockIter *) palloc(sizeof(APBlockIter));
		ap_block_iter_init(it, &r);
		funcctx->user_fctx = it;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	it = (APBlockIter *) funcctx->user_fctx;
	CHECK_FOR_INTERRUPTS();
	if (ap_block_iter_next(it, &b))
		SRF_RETURN_NEXT(funcctx,
						InetPGetDatum(ap_make_inet(b.family, b.bits, b.addr)));
	SRF_RETURN_DONE(funcctx);
}
