/*-------------------------------------------------------------------------
 *
 * addrpolicy.h
 *	  Shared helpers of the addrpolicy extension: addresses as 128-bit
 *	  unsigned integers, exact counts beyond 2^128, and conversions between
 *	  those and PostgreSQL's inet/cidr and numeric types.
 *
 * One code path serves both families: an address is a uint128 and the
 * family's width (32 or 128 bits) is a parameter, never an IPv4 twin and an
 * IPv6 twin.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ADDRPOLICY_H
#define ADDRPOLICY_H

#include "postgres.h"

#include <sys/socket.h>

#include "compat.h"

#include "fmgr.h"
#include "port/pg_bswap.h"
#include "utils/inet.h"
#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "addrpolicy needs a compiler with a 128-bit integer type"
#endif

/* Widths of the two families, in bits. */
#define AP_V4_BITS 32
#define AP_V6_BITS 128

/*
 * A CIDR block: family (PGSQL_AF_INET or PGSQL_AF_INET6), prefix length, and
 * the network address with host bits cleared, as an integer.
 */
typedef struct APBlock
{
	unsigned char family;
	unsigned char bits;
	uint128		addr;
} APBlock;

/*
 * An inclusive address range [lo, hi] of one family.  Inclusive bounds let
 * ::/0 (2^128 addresses) be represented without overflow.
 */
typedef struct APRange
{
	unsigned char family;
	uint128		lo;
	uint128		hi;
} APRange;

/*
 * An exact non-negative count that may exceed 2^128 (a sum of IPv6 blocks,
 * or ::/0 itself): value = hi * 2^128 + lo.
 */
typedef struct APCount
{
	uint64		hi;
	uint128		lo;
} APCount;

/* family and width */
extern int	ap_family_from_int(int family_number);
extern int	ap_family_number(int pg_family);
extern void ap_mixed_families_error(const char *detail) pg_attribute_noreturn();

/*
 * The per-element helpers below are inline: every set function and
 * aggregate reads each cidr through them (test/bench/freespace.sql spent a
 * third of its time in their calls when they were out of line).
 */

/* width in bits of a PGSQL_AF_* family */
static inline int
ap_family_bits(int pg_family)
{
	return pg_family == PGSQL_AF_INET ? AP_V4_BITS : AP_V6_BITS;
}

/* the host part of a /bits block of a family `width` bits wide, as a mask */
static inline uint128
ap_host_mask(int width, int bits)
{
	int			host = width - bits;

	if (host <= 0)
		return 0;
	if (host >= 128)
		return ~((uint128) 0);
	return (((uint128) 1) << host) - 1;
}

/* the address of an inet/cidr value as an integer, host bits included */
static inline uint128
ap_inet_addr(const inet *in)
{
	const unsigned char *p = ip_addr(in);

	if (ip_addrsize(in) == 4)
	{
		uint32		v;

		memcpy(&v, p, sizeof(v));
		return pg_ntoh32(v);
	}
	else
	{
		uint64		h,
					l;

		memcpy(&h, p, sizeof(h));
		memcpy(&l, p + sizeof(h), sizeof(l));
		return ((uint128) pg_ntoh64(h) << 64) | pg_ntoh64(l);
	}
}

/* the first and last address of an inet's network block */
static inline void
ap_inet_to_range(const inet *in, APRange *out)
{
	uint128		host = ap_host_mask(ip_maxbits(in), ip_bits(in));

	out->family = ip_family(in);
	out->lo = ap_inet_addr(in) & ~host;
	out->hi = out->lo | host;
}

/* inet <-> integers */
extern void ap_inet_to_block(const inet *in, APBlock *out);
extern inet *ap_make_inet(int pg_family, int bits, uint128 addr);

/* exact counts */
extern void ap_count_add(APCount *acc, const APCount *v);
extern void ap_count_add_u128(APCount *acc, uint128 v);
extern void ap_count_add_pow2(APCount *acc, int exp);
extern void ap_count_add_range(APCount *acc, const APRange *r);
extern int	ap_count_cmp(const APCount *a, const APCount *b);
extern Numeric ap_count_to_numeric(const APCount *c);
extern Numeric ap_u128_to_numeric(uint128 v);
extern Numeric ap_pow2_numeric(int exp);

/* numeric -> integers */
typedef enum APNumClass
{
	AP_NUM_NAN,
	AP_NUM_NEG_INF,
	AP_NUM_POS_INF,
	AP_NUM_NEGATIVE,			/* finite and < 0 */
	AP_NUM_OK					/* finite and >= 0 */
} APNumClass;

extern APNumClass ap_numeric_split(Numeric num, uint128 *intpart,
								   bool *overflow, bool *has_frac);
extern Numeric ap_int_numeric(int64 v);
extern Numeric ap_numeric_from_cstring(const char *s);
extern int	ap_numeric_cmp(Numeric a, Numeric b);
extern Numeric ap_num_add(Numeric a, Numeric b);
extern Numeric ap_num_sub(Numeric a, Numeric b);
extern Numeric ap_num_mul(Numeric a, Numeric b);
extern Numeric ap_num_div(Numeric a, Numeric b);
extern Numeric ap_num_ceil(Numeric a);
extern Numeric ap_num_floor(Numeric a);
extern char *ap_num_cstring(Numeric a);
extern char *ap_num_message(Numeric a);
extern double ap_numeric_to_double(Numeric n);

/* numeric_read.c: a whole numeric read from its datum, when it can be */
extern bool ap_numeric_whole_fast(Datum d, uint128 *out);

/* checked parameters and CIDR rounding (cidr_math.c) */
extern void ap_check_masklen(int masklen, int width, const char *param);
extern int	ap_prefix_at_most(Numeric addresses, int width);
extern int	ap_prefix_at_least(Numeric addresses, int width);

/* the HD-ratio policy (hdratio.c) */
typedef enum APMethod
{
	AP_METHOD_HD,
	AP_METHOD_TABLE,
	AP_METHOD_FIXED,
	AP_METHOD_HD_TOTAL			/* HD ratio of all allocations only (1.1) */
} APMethod;

typedef struct APPolicy
{
	APMethod	method;
	Numeric		total_hd;		/* default 0.966 */
	Numeric		recent_hd;		/* default 0.930 */
	Numeric		cap;			/* default 0.80 */
	Numeric		min_total;		/* default 4096 */
} APPolicy;

typedef struct APUtilResult
{
	bool		eligible;
	Numeric		total_required; /* NULL pointer: SQL NULL */
	Numeric		recent_required;
	bool		total_hd_null;
	double		total_hd;
	bool		recent_hd_null;
	double		recent_hd;
	char	   *reason;			/* NULL when eligible */
} APUtilResult;

extern APMethod ap_parse_method(const char *method);
extern void ap_policy_defaults(APPolicy *p);
extern void ap_policy_check(const APPolicy *p);
extern void ap_utilization_evaluate(Numeric total_used, Numeric total_allocated,
									Numeric recent_used, Numeric recent_allocated,
									const APPolicy *p, APUtilResult *r);
extern Numeric ap_hd_required(Numeric total, Numeric hd);
extern void ap_check_hd(Numeric hd, const char *param);

/* how a published HD table rounds total^hd (hdratio.c, 1.1) */
typedef enum APRounding
{
	AP_ROUND_CEIL,
	AP_ROUND_NEAREST,
	AP_ROUND_FLOOR
} APRounding;

extern Numeric ap_hd_rounded(Numeric total, Numeric hd, APRounding mode);
extern double ap_hd_ratio(Numeric used, Numeric total);

/* bit helpers */
extern int	ap_floor_log2(uint128 v);
extern int	ap_ctz128(uint128 v);

#endif							/* ADDRPOLICY_H */
