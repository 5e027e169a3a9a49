/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Conversions shared by every part of addrpolicy: inet/cidr values to
 *	  and from 128-bit integers, exact address counts, numeric parsing.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#include "port/pg_bitutils.h"
#include "utils/memutils.h"
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
			 errmsg("invalid address family"),
			 errdetail("The family given is %d.", family_number),
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
	return int64_to_numeric(v);
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
 * 0 and 2^128, made once per backend (in TopMemoryContext) for the
 * comparisons of ap_numeric_split, which runs once per call of most
 * functions
 */
static Numeric
numeric_constant(int which)
{
	static Numeric constants[2];

	if (constants[which] == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		constants[which] = which == 0 ? ap_int_numeric(0) : ap_pow2_numeric(128);
		MemoryContextSwitchTo(old);
	}
	return constants[which];
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
 * *overflow) and whether it has a nonzero fractional part.  Classified with
 * numeric's own predicates and comparisons; only the digits of the integer
 * part, once it is known to be below 2^128, are read from its text.
 */
APNumClass
ap_numeric_split(Numeric num, uint128 *intpart, bool *overflow, bool *has_frac)
{
	Numeric		ipart;
	char	   *s;
	uint128		v = 0;

	*intpart = 0;
	*overflow = false;
	*has_frac = false;

	if (numeric_is_nan(num))
		return AP_NUM_NAN;
	if (numeric_is_inf(num))
		return ap_numeric_cmp(num, numeric_constant(0)) > 0 ?
			AP_NUM_POS_INF : AP_NUM_NEG_INF;
	if (ap_numeric_cmp(num, numeric_constant(0)) < 0)
		return AP_NUM_NEGATIVE;

	ipart = ap_num_floor(num);
	*has_frac = ap_numeric_cmp(num, ipart) != 0;
	if (ap_numeric_cmp(ipart, numeric_constant(1)) >= 0)
	{
		*overflow = true;
		return AP_NUM_OK;
	}
	s = ap_num_cstring(ipart);
	for (const char *p = s; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned) (*p - '0');
	pfree(s);
	*intpart = v;
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
		return 64 + pg_leftmost_one_pos64(hi);
	return pg_leftmost_one_pos64((uint64) v);
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
		return pg_rightmost_one_pos64(lo);
	return 64 + pg_rightmost_one_pos64((uint64) (v >> 64));
}

/*
 * Small numeric wrappers, so that policy code reads as arithmetic.
 */
Numeric
ap_num_add(Numeric a, Numeric b)
{
	return numeric_add_opt_error(a, b, NULL);
}

Numeric
ap_num_sub(Numeric a, Numeric b)
{
	return numeric_sub_opt_error(a, b, NULL);
}

Numeric
ap_num_mul(Numeric a, Numeric b)
{
	return numeric_mul_opt_error(a, b, NULL);
}

Numeric
ap_num_div(Numeric a, Numeric b)
{
	return numeric_div_opt_error(a, b, NULL);
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

/*
 * ap_num_message - a numeric as text for an error message: in full up to 40
 * characters; a longer one as its first 20 and the number of its digits, so
 * that a message never carries a 1,000-digit input whole
 */
#define AP_MESSAGE_NUM_MAX 40

char *
ap_num_message(Numeric a)
{
	char	   *s = ap_num_cstring(a);
	int			digits = 0;

	if (strlen(s) <= AP_MESSAGE_NUM_MAX)
		return s;
	for (const char *p = s; *p; p++)
		digits += (*p >= '0' && *p <= '9');
	return psprintf("%.20s... (%d digits)", s, digits);
}
