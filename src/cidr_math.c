/*-------------------------------------------------------------------------
 *
 * cidr_math.c
 *	  CIDR arithmetic: address counts of blocks and prefix lengths, and the
 *	  rounding of an address count to a power-of-two block, for IPv4 and
 *	  IPv6 alike, exact up to 2^128.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

PG_FUNCTION_INFO_V1(addr_count_inet);
PG_FUNCTION_INFO_V1(prefix_size);
PG_FUNCTION_INFO_V1(prefix_at_most);
PG_FUNCTION_INFO_V1(prefix_at_least);
PG_FUNCTION_INFO_V1(usable_hosts);

/*
 * ap_check_masklen - raise an error unless 0 <= masklen <= width; param is
 * the SQL parameter's name, for the message's detail
 */
void
ap_check_masklen(int masklen, int width, const char *param)
{
	if (masklen < 0 || masklen > width)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid prefix length"),
				 errdetail("The value of \"%s\" is %d; a prefix length of IPv%d is between 0 and %d.",
						   param, masklen, width == AP_V4_BITS ? 4 : 6, width)));
}

/*
 * Reject what cannot be an address count: NaN, negative values, -Infinity.
 */
static APNumClass
classify_addresses(Numeric addresses, uint128 *intpart, bool *overflow,
				   bool *has_frac)
{
	APNumClass	cls = ap_numeric_split(addresses, intpart, overflow, has_frac);

	if (cls == AP_NUM_NAN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("address count cannot be NaN")));
	if (cls == AP_NUM_NEGATIVE || cls == AP_NUM_NEG_INF)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("address count cannot be negative"),
				 errdetail("The count given is %s.", ap_num_message(addresses))));
	return cls;
}

/*
 * ap_prefix_at_most - CIDR rounding down: the prefix length of the largest
 * power-of-two block of a width-bit family that holds at most `addresses`;
 * 0 when the whole space fits.
 */
int
ap_prefix_at_most(Numeric addresses, int width)
{
	uint128		n;
	bool		overflow,
				has_frac;
	int			k;

	if (classify_addresses(addresses, &n, &overflow, &has_frac) == AP_NUM_POS_INF
		|| overflow)
		return 0;
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("address count is less than one address"),
				 errdetail("The count given is %s; the smallest block, a single address, holds 1.",
						   ap_num_message(addresses))));
	k = ap_floor_log2(n);
	return k >= width ? 0 : width - k;
}

/*
 * ap_prefix_at_least - CIDR rounding up: the prefix length of the smallest
 * power-of-two block that holds at least `addresses`
 */
int
ap_prefix_at_least(Numeric addresses, int width)
{
	uint128		n;
	bool		overflow,
				has_frac;
	int			k;

	if (classify_addresses(addresses, &n, &overflow, &has_frac) == AP_NUM_POS_INF)
		k = 129;				/* more than any family holds */
	else if (overflow)
	{
		/* 2^128 itself does not fit a uint128, yet ::/0 holds it */
		k = ap_numeric_cmp(addresses, ap_pow2_numeric(128)) == 0 ? 128 : 129;
	}
	else if (n == 0 || (n == 1 && !has_frac))
		k = 0;
	else
	{
		/* ceil(addresses) - 1 is n - 1, or n when there is a fraction */
		uint128		m = has_frac ? n : n - 1;

		k = ap_floor_log2(m) + 1;
	}
	if (k > width)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("address count exceeds the address space"),
				 errdetail("The count given is %s; the whole IPv%d space holds 2^%d addresses.",
						   ap_num_message(addresses),
						   width == AP_V4_BITS ? 4 : 6, width)));
	return width - k;
}

/*
 * addr_count(inet) - the number of addresses in the block
 */
Datum
addr_count_inet(PG_FUNCTION_ARGS)
{
	inet	   *block = PG_GETARG_INET_PP(0);

	PG_RETURN_NUMERIC(ap_pow2_numeric(ip_maxbits(block) - ip_bits(block)));
}

/*
 * prefix_size(masklen, family) - the number of addresses in a /masklen
 */
Datum
prefix_size(PG_FUNCTION_ARGS)
{
	int32		masklen = PG_GETARG_INT32(0);
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(1)));

	ap_check_masklen(masklen, width, "masklen");
	PG_RETURN_NUMERIC(ap_pow2_numeric(width - masklen));
}

/*
 * prefix_at_most(addresses, family)
 */
Datum
prefix_at_most(PG_FUNCTION_ARGS)
{
	Numeric		addresses = PG_GETARG_NUMERIC(0);
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(1)));

	PG_RETURN_INT32(ap_prefix_at_most(addresses, width));
}

/*
 * prefix_at_least(addresses, family)
 */
Datum
prefix_at_least(PG_FUNCTION_ARGS)
{
	Numeric		addresses = PG_GETARG_NUMERIC(0);
	int			width = ap_family_bits(ap_family_from_int(PG_GETARG_INT32(1)));

	PG_RETURN_INT32(ap_prefix_at_least(addresses, width));
}

/*
 * usable_hosts(inet) - addresses a host can use: an IPv4 block loses its
 * network and broadcast addresses, except a /31 (RFC 3021, both usable) and
 * a /32 (one host); IPv6 has no broadcast address, so every address counts.
 */
Datum
usable_hosts(PG_FUNCTION_ARGS)
{
	inet	   *block = PG_GETARG_INET_PP(0);
	int			host_bits = ip_maxbits(block) - ip_bits(block);

	if (ip_family(block) == PGSQL_AF_INET && host_bits >= 2)
		PG_RETURN_NUMERIC(ap_u128_to_numeric((((uint128) 1) << host_bits) - 2));
	PG_RETURN_NUMERIC(ap_pow2_numeric(host_bits));
}
