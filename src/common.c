/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Conversions shared by every part of addrpolicy: inet/cidr values to
 *	  and from 128-bit integers, exact address counts, numeric parsing.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#define UINT128_MAX_VALUE (~(uint128) 0)

/*
 * ap_family_from_int - the PGSQL_AF_* family for a user's 4 or 6
 */
int
ap_family_from_int(int family_number)
{
	if (family_number == 4)
		return PGSQL_AF_INET;
	if (family_number == 6)
		return PGSQL_AF_INET6;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid address family %d", family_number),
			 errhint("The family is 4 for IPv4 or 6 for IPv6.")));
	return 0;					/* keep compiler quiet */
}

/*
 * ap_family_number - 4 or 6 for a PGSQL_AF_* family, as family() shows it
 */
int
ap_family_number(int pg_family)
{
	return pg_family == PGSQL_AF_INET ? 4 : 6;
}

/*
 * ap_mixed_families_error - the one error for IPv4 and IPv6 given where one
 * family is needed (sums, counts, pools, summaries); detail, when not NULL,
 * says why the families cannot mix there
 */
void
ap_mixed_families_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot mix IPv4 and IPv6 addresses"),
			 detail ? errdetail_internal("%s", detail) : 0,
			 errhint("Handle each family on its own, e.g. GROUP BY family(block).")));
}

/*
 * ap_inet_to_block - the network block of an inet/cidr value: an inet with
 * host bits set counts as the block that holds it
 */
void
ap_inet_to_block(const inet *in, APBlock *out)
{
	int			width = ip_maxbits(in);

	out->family = ip_family(in);
	out->bits = ip_bits(in);
	out->addr = ap_inet_addr(in) & ~ap_host_mask(width, out->bits);
}

/*
 * ap_make_inet - a new cidr-shaped inet value of the given family, prefix
 * length and network address
 */
inet *
ap_make_inet(int pg_family, int bits, uint128 addr)
{
	inet	   *dst = (inet *) palloc0(sizeof(inet));
	unsigned char *p;
	int			n;

	ip_family(dst) = pg_family;
	ip_bits(dst) = bits;
	p = ip_addr(dst);
	n = ip_addrsize(dst);
	for (int i = n - 1; i >= 0; i--)
	{
		p[i] = (unsigned char) (addr & 0xFF);
		addr >>= 8;
	}
	SET_INET_VARSIZE(dst);
	return dst;
}

/*
 * Exact counts: value = hi * 2^128 + lo.
 */
void
ap_count_add_u128(APCount *acc, uint128 v)
{
	uint128		old = acc->lo;

	acc->lo += v;
	if (acc->lo < old)
		acc->hi++;
}

void
ap_count_add(APCount *acc, const APCount *v)
{
	acc->hi += v->hi;
	ap_count_add_u128(acc, v->lo);
}

/*
 * ap_count_add_pow2 - add 2^exp, for 0 <= exp <= 128
 */
void
ap_count_add_pow2(APCount *acc, int exp)
{
	Assert(exp >= 0 && exp <= 128);
	if (exp >= 128)
		acc->hi++;
	else
		ap_count_add_u128(acc, ((uint128) 1) << exp);
}

/*
 * ap_count_add_range - add the number of addresses in [lo, hi]
 */
void
ap_count_add_range(APCount *acc, const APRange *r)
{
	uint128		span = r->hi - r->lo;

	if (span == UINT128_MAX_VALUE)
		acc->hi++;
	else
		ap_count_add_u128(acc, span + 1);
}

int
ap_count_cmp(const APCount *a, const APCount *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

Numeric
ap_numeric_from_cstring(const char *s)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in,
											   CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

Numeric
ap_int_numeric(int64 v)
{
	return DatumGetNumeric(DirectFunctionCall1(int8_numeric,
											   Int64GetDatum(v)));
}

/*
 * ap_u128_to_numeric - an unsigned 128-bit integer as numeric, exactly
 */
Numeric
ap_u128_to_numeric(uint128 v)
{
	char		buf[48];
	char	   *p = buf + sizeof(buf) - 1;

	if (v <= (uint128) PG_INT64_MAX)
		return ap_int_numeric((int64) v);

	*p = '\0';
	do
	{
		*--p = '0' + (char) (v % 10);
		v /= 10;
	} while (v != 0);
	return ap_numeric_from_cstring(p);
}

/*
 * ap_pow2_numeric - 2^exp as numeric, for 0 <= exp <= 128
 */
Numeric
ap_pow2_numeric(int exp)
{
	Assert(exp >= 0 && exp <= 128);
	if (exp == 128)
		return ap_numeric_from_cstring("340282366920938463463374607431768211456");
	return ap_u128_to_numeric(((uint128) 1) << exp);
}

/*
 * ap_count_to_numeric - an exact count as numeric
 */
Numeric
ap_count_to_numeric(const APCount *c)
{
	Numeric		lo = ap_u128_to_numeric(c->lo);
	Datum		hi;

	if (c->hi == 0)
		return lo;
	hi = DirectFunctionCall2(numeric_mul,
							 NumericGetDatum(ap_u128_to_numeric((uint128) c->hi)),
							 NumericGetDatum(ap_pow2_numeric(128)));
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, hi,
											   NumericGetDatum(lo)));
}

int
ap_numeric_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(a),
											 NumericGetDatum(b)));
}

double
ap_numeric_to_double(Numeric n)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8,
											  NumericGetDatum(n)));
}

/*
 * ap_numeric_split - classify a numeric and, when it is finite and not
 * negative, return its integer part (when that is below 2^128, else set
 * *overflow) and whether it has a nonzero fractional part.
 */
APNumClass
ap_numeric_split(Numeric num, uint128 *intpart, bool *overflow, bool *has_frac)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(num)));
	const char *p = s;
	uint128		v = 0;

	*intpart = 0;
	*overflow = false;
	*has_frac = false;

	if (strcmp(s, "NaN") == 0)
		return AP_NUM_NAN;
	if (strcmp(s, "Infinity") == 0)
		return AP_NUM_POS_INF;
	if (strcmp(s, "-Infinity") == 0)
		return AP_NUM_NEG_INF;
	if (*p == '-')
		return AP_NUM_NEGATIVE; /* numeric_out never prints "-0" */

	for (; *p >= '0' && *p <= '9'; p++)
	{
		unsigned	d = (unsigned) (*p - '0');

		if (*overflow || v > (UINT128_MAX_VALUE - d) / 10)
			*overflow = true;
		else
			v = v * 10 + d;
	}
	if (*p == '.')
	{
		for (p++; *p; p++)
			if (*p != '0')
				*has_frac = true;
	}
	*intpart = *overflow ? 0 : v;
	pfree(s);
	return AP_NUM_OK;
}

/*
 * ap_floor_log2 - position of the highest set bit of v (v > 0)
 */
int
ap_floor_log2(uint128 v)
{
	uint64		hi = (uint64) (v >> 64);

	Assert(v != 0);
	if (hi != 0)
		return 127 - __builtin_clzll(hi);
	return 63 - __builtin_clzll((uint64) v);
}

/*
 * ap_ctz128 - number of trailing zero bits of v; 128 for v = 0
 */
int
ap_ctz128(uint128 v)
{
	uint64		lo = (uint64) v;

	if (v == 0)
		return 128;
	if (lo != 0)
		return __builtin_ctzll(lo);
	return 64 + __builtin_ctzll((uint64) (v >> 64));
}

/*
 * Small numeric wrappers, so that policy code reads as arithmetic.
 */
Numeric
ap_num_add(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_add,
											   NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
ap_num_sub(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub,
											   NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
ap_num_mul(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_mul,
											   NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
ap_num_div(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_div,
											   NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
ap_num_ceil(Numeric a)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_ceil,
											   NumericGetDatum(a)));
}

Numeric
ap_num_floor(Numeric a)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_floor,
											   NumericGetDatum(a)));
}

char *
ap_num_cstring(Numeric a)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out,
											   NumericGetDatum(a)));
}
