/*-------------------------------------------------------------------------
 *
 * hdratio.c
 *	  The HD-ratio (host density, RFC 3194) utilization policy of the 2005
 *	  ARIN proposal "Adding an HD ratio choice for new IPv4 allocations":
 *	  the ratio itself, the exact number of addresses a threshold demands,
 *	  the simplified percentage tables, and the whole eligibility rule.
 *
 * Thresholds are exact decimals: hd = 0.94 means 94/100.  hd_required(t, hd)
 * is the smallest whole u with u >= t^hd, computed so that it is never off
 * by one: a double-precision estimate is used only when error analysis
 * proves it lies between the same two integers as the true value; near a
 * tie, the exact answer is found in integer arithmetic (t^hd is a whole
 * number exactly when t is a perfect power r^den, hd = num/den in lowest
 * terms) or, for the irrational values, with numeric ln/exp at 120 digits.
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(hd_ratio_numeric);
PG_FUNCTION_INFO_V1(hd_ratio_block);
PG_FUNCTION_INFO_V1(hd_required_numeric);
PG_FUNCTION_INFO_V1(hd_required_block);
PG_FUNCTION_INFO_V1(hd_table_pct);
PG_FUNCTION_INFO_V1(utilization_check);

/*
 * A checked whole address count, 0 <= n <= 2^128: n = is_2_128 ? 2^128 : v.
 */
typedef struct WholeCount
{
	uint128		v;
	bool		is_2_128;
} WholeCount;

static void
whole_count(Numeric num, const char *param, WholeCount *out)
{
	uint128		v;
	bool		overflow,
				has_frac;
	APNumClass	cls = ap_numeric_split(num, &v, &overflow, &has_frac);

	if (cls == AP_NUM_NAN || cls == AP_NUM_POS_INF || cls == AP_NUM_NEG_INF)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("address count must be a finite number"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(num))));
	if (cls == AP_NUM_NEGATIVE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("address count cannot be negative"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(num))));
	if (has_frac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("address count must be a whole number"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(num))));
	out->is_2_128 = false;
	out->v = v;
	if (overflow)
	{
		if (ap_numeric_cmp(num, ap_pow2_numeric(128)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("address count exceeds 2^128, the size of the IPv6 space"),
					 errdetail("The value of \"%s\" is %s.", param, ap_num_message(num))));
		out->is_2_128 = true;
		out->v = 0;
	}
}

static Numeric
whole_count_numeric(const WholeCount *c)
{
	return c->is_2_128 ? ap_pow2_numeric(128) : ap_u128_to_numeric(c->v);
}

static double
whole_count_double(const WholeCount *c)
{
	return c->is_2_128 ? ldexp(1.0, 128) : (double) c->v;
}

/*
 * An HD threshold as an exact fraction num/den in lowest terms.  den_small is
 * false when den > 128 (then t^hd is never a whole number for t >= 2, and
 * num/den are not needed).
 */
typedef struct HdFraction
{
	double		value;
	bool		den_small;
	uint64		num;
	uint64		den;
} HdFraction;

static uint64
gcd64(uint64 a, uint64 b)
{
	while (b != 0)
	{
		uint64		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * ap_check_hd - raise an error unless an HD-ratio threshold is a number
 * from 0 to 1; param is the SQL parameter's name, for the detail
 */
void
ap_check_hd(Numeric hd, const char *param)
{
	if (numeric_is_nan(hd) || numeric_is_inf(hd) ||
		ap_numeric_cmp(hd, ap_int_numeric(0)) < 0 ||
		ap_numeric_cmp(hd, ap_int_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("HD-ratio threshold must be between 0 and 1"),
				 errdetail("The value of \"%s\" is %s.", param, ap_num_message(hd)),
				 errhint("HD-ratio thresholds are written like 0.966.")));
}

static void
hd_fraction(Numeric hd, const char *param, HdFraction *out)
{
	char	   *s;
	char	   *dot;
	int			k;
	uint64		num = 0,
				den = 1;

	ap_check_hd(hd, param);
	s = ap_num_cstring(hd);
	/*
	 * The double is only an estimate for the fast path; a threshold below
	 * the double range (0.000...1 with hundreds of zeros) would make
	 * numeric_float8 fail, so it is estimated as 0 and resolved exactly below.
	 */
	out->value = ap_numeric_cmp(hd, ap_numeric_from_cstring("1e-300")) < 0 ?
		0.0 : ap_numeric_to_double(hd);

	/* strip trailing zeros of the fraction, then read digits as num/10^k */
	dot = strchr(s, '.');
	if (dot != NULL)
	{
		char	   *end = s + strlen(s) - 1;

		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	k = dot != NULL && dot[0] != '\0' ? (int) strlen(dot + 1) : 0;
	if (k > 7)
	{
		/* den >= 10^k / 5^k = 2^k > 128 after any reduction */
		out->den_small = false;
		out->num = out->den = 0;
		return;
	}
	for (const char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			num = num * 10 + (uint64) (*p - '0');
	for (int i = 0; i < k; i++)
		den *= 10;
	{
		uint64		g = gcd64(num, den);

		if (g > 1)
		{
			num /= g;
			den /= g;
		}
	}
	out->num = num;
	out->den = den;
	out->den_small = den <= 128;
}

/*
 * r^e compared with the count t: -1, 0 or 1; r >= 2, e >= 1, t < 2^128.
 */
static int
pow_cmp(uint128 r, uint64 e, uint128 t)
{
	uint128		acc = 1;

	for (uint64 i = 0; i < e; i++)
	{
		if (acc > t / r)
			return 1;
		acc *= r;
	}
	return acc < t ? -1 : (acc == t ? 0 : 1);
}

/*
 * If t^(num/den) is a whole number, set *result to it and return true.
 * That happens exactly when t = r^den for a whole r (hd in lowest terms),
 * and then t^hd = r^num.
 */
static bool
exact_power(const WholeCount *t, const HdFraction *f, Numeric *result)
{
	uint128		lo,
				hi,
				r;

	if (!f->den_small)
		return false;
	if (t->is_2_128)
	{
		/* 2^128 = r^den only for r = 2^(128/den) */
		if (128 % f->den != 0)
			return false;
		*result = ap_pow2_numeric((int) (128 / f->den * f->num));
		return true;
	}
	if (t->v <= 1)
	{
		*result = ap_u128_to_numeric(f->num == 0 ? 1 : t->v);
		return true;
	}
	if (f->den == 1)
	{
		*result = ap_u128_to_numeric(f->num == 0 ? 1 : t->v);
		return true;
	}
	/* integer den-th root of t by bisection: r^den <= t < (r+1)^den */
	lo = 1;
	hi = ((uint128) 1) << ((128 + f->den - 1) / f->den);
	while (lo < hi)
	{
		uint128		mid = lo + (hi - lo + 1) / 2;

		if (pow_cmp(mid, f->den, t->v) <= 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	r = lo;
	if (r < 2 || pow_cmp(r, f->den, t->v) != 0)
		return false;
	{
		uint128		x = 1;

		for (uint64 i = 0; i < f->num; i++)
			x *= r;				/* r^num <= r^den = t: no overflow */
		*result = ap_u128_to_numeric(x);
	}
	return true;
}

/*
 * ceil(t^hd) for an irrational t^hd (t >= 2, 0 < hd < 1), in numeric
 * arithmetic with `scale` digits after the decimal point.  Returns NULL when
 * the value lies closer to a whole number than that precision can resolve.
 *
 * The error of x is below t^hd * 10^-(scale - 1) <= 10^(39 - scale + 1)
 * (ln correct to `scale` digits, hd <= 1, t^hd <= 2^128 < 10^39), so a
 * fraction farther than eps = 10^-(scale - 60) from a whole number decides.
 */
/*
 * t^hd at `scale` digits after the decimal point (exp(hd * ln t)), and the
 * margin eps = 10^-(scale - 60) within which its digits cannot be trusted
 * (see ceil_pow_numeric)
 */
static Numeric
pow_estimate(Numeric t, Numeric hd, int scale, Numeric *eps)
{
	Numeric		ts,
				x;
	char		eps_text[16];

	ts = DatumGetNumeric(DirectFunctionCall2(numeric_round,
											 NumericGetDatum(t),
											 Int32GetDatum(scale)));
	x = DatumGetNumeric(DirectFunctionCall1(numeric_ln, NumericGetDatum(ts)));
	x = ap_num_mul(x, hd);
	snprintf(eps_text, sizeof(eps_text), "1e-%d", scale - 60);
	*eps = ap_numeric_from_cstring(eps_text);
	return DatumGetNumeric(DirectFunctionCall1(numeric_exp, NumericGetDatum(x)));
}

static Numeric
ceil_pow_numeric(Numeric t, Numeric hd, int scale)
{
	Numeric		x,
				fl,
				frac;
	Numeric		eps;

	x = pow_estimate(t, hd, scale, &eps);
	fl = ap_num_floor(x);
	frac = ap_num_sub(x, fl);

	/*
	 * t >= 2 and hd > 0 make t^hd > 1 strictly, so a value within eps of 1
	 * (a tiny hd such as 1e-400) needs 2.
	 */
	if (ap_numeric_cmp(x, ap_num_add(ap_int_numeric(1), eps)) < 0)
		return ap_int_numeric(2);
	if (ap_numeric_cmp(frac, eps) < 0 ||
		ap_numeric_cmp(ap_num_add(frac, eps), ap_int_numeric(1)) > 0)
		return NULL;
	return ap_num_add(fl, ap_int_numeric(1));
}

/*
 * ap_hd_required - the smallest whole number of used addresses u with
 * u >= total^hd, exactly; total a whole number from 0 to 2^128, 0 <= hd <= 1
 */
Numeric
ap_hd_required(Numeric total, Numeric hd)
{
	WholeCount	t;
	HdFraction	f;
	Numeric		result;
	double		td,
				x;

	whole_count(total, "total", &t);
	hd_fraction(hd, "hd", &f);

	/*
	 * 0^hd = 0 for hd > 0, and 0^0 = 1; 1^hd = 1.  Decided here, exactly:
	 * exact_power does not see thresholds of more than 7 decimals, and the
	 * double estimate of hd can be 0 when hd is not.
	 */
	if (!t.is_2_128 && t.v == 0)
		return ap_int_numeric(ap_numeric_cmp(hd, ap_int_numeric(0)) == 0 ? 1 : 0);
	if (!t.is_2_128 && t.v == 1)
		return ap_int_numeric(1);

	/*
	 * Fast path.  The relative error of exp2(hd * log2(t)) in doubles is
	 * below 3e-14 (hd rounded to double, log2 and exp2 each within an ulp,
	 * the exponent at most 128); when x lies farther than 1e-12 * x from
	 * every whole number, ceil(x) is the exact answer.
	 */
	td = whole_count_double(&t);
	x = exp2(f.value * log2(td));
	if (x < 4503599627370496.0) /* 2^52: the fraction still shows */
	{
		double		fl = floor(x);
		double		margin = x * 1e-12 + 1e-9;

		if (x - fl > margin && fl + 1.0 - x > margin)
			return ap_int_numeric((int64) fl + 1);
	}

	/* near a whole number: is it exactly one? */
	if (exact_power(&t, &f, &result))
		return result;

	/* irrational: resolve in high precision */
	result = ceil_pow_numeric(whole_count_numeric(&t), hd, 120);
	if (result == NULL)
		result = ceil_pow_numeric(whole_count_numeric(&t), hd,
								  NUMERIC_MAX_DISPLAY_SCALE);

	/*
	 * Only a threshold of hundreds of decimals can bring t^hd within
	 * 10^-940 of a whole number without being one (0.5 + 1e-1000 on 4):
	 * numeric ln and exp stop at 1000 digits, so say so rather than guess.
	 */
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cannot resolve the threshold to a whole number of addresses"),
				 errdetail("%s^%s lies within 10^-940 of a whole number without being one.",
						   ap_num_message(total), ap_num_message(hd)),
				 errhint("Use a threshold with fewer decimals.")));
	return result;
}

/*
 * The fraction of t^hd (t >= 2, t^hd not whole) compared with one half, at
 * `scale` digits: 1 when at least one half, 0 below, -1 when the precision
 * cannot tell (t^hd within 10^-(scale - 60) of a half).
 */
static int
frac_half_cmp(Numeric t, Numeric hd, int scale)
{
	Numeric		x,
				frac;
	Numeric		eps;
	Numeric		half = ap_numeric_from_cstring("0.5");

	x = pow_estimate(t, hd, scale, &eps);
	frac = ap_num_sub(x, ap_num_floor(x));
	if (ap_numeric_cmp(ap_num_add(frac, eps), half) < 0)
		return 0;
	if (ap_numeric_cmp(ap_num_sub(frac, eps), half) >= 0)
		return 1;
	return -1;
}

/*
 * ap_hd_rounded - total^hd rounded as a published table rounds it: up
 * (AP_ROUND_CEIL, hd_required's exact answer), down (AP_ROUND_FLOOR, as
 * ARIN's 2004 IPv4 table truncates) or to the nearest whole number, a half
 * up (AP_ROUND_NEAREST, as the APNIC and LACNIC IPv6 tables).  A whole t^hd
 * is itself in every mode; t^hd of a whole t is never exactly a half.
 */
Numeric
ap_hd_rounded(Numeric total, Numeric hd, APRounding mode)
{
	Numeric		ceil_v = ap_hd_required(total, hd);
	Numeric		floor_v;
	WholeCount	t;
	HdFraction	f;
	Numeric		exact;
	int			c;

	if (mode == AP_ROUND_CEIL)
		return ceil_v;
	whole_count(total, "total", &t);
	hd_fraction(hd, "hd", &f);
	/* 0^hd, 1^hd, t^0 and t^1 are whole: ap_hd_required gave them exactly */
	if ((!t.is_2_128 && t.v <= 1) ||
		ap_numeric_cmp(hd, ap_int_numeric(0)) == 0 ||
		ap_numeric_cmp(hd, ap_int_numeric(1)) == 0)
		return ceil_v;
	if (exact_power(&t, &f, &exact))
		return exact;
	floor_v = ap_num_sub(ceil_v, ap_int_numeric(1));
	if (mode == AP_ROUND_FLOOR)
		return floor_v;
	c = frac_half_cmp(whole_count_numeric(&t), hd, 120);
	if (c < 0)
		c = frac_half_cmp(whole_count_numeric(&t), hd,
						  NUMERIC_MAX_DISPLAY_SCALE);
	if (c < 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cannot round the threshold to the nearest whole number"),
				 errdetail("%s^%s lies within 10^-940 of a half.",
						   ap_num_message(total), ap_num_message(hd)),
				 errhint("Use a threshold with fewer decimals.")));
	return c ? ceil_v : floor_v;
}

/*
 * ap_hd_ratio - log(used) / log(total); -Infinity for used = 0
 */
double
ap_hd_ratio(Numeric used, Numeric total)
{
	WholeCount	uc,
				tc;
	double		u,
				t;

	/* one rule for every count of the extension: whole, 0 to 2^128 */
	whole_count(used, "used", &uc);
	whole_count(total, "total", &tc);
	if (ap_numeric_cmp(total, ap_int_numeric(1)) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("HD ratio needs a total greater than 1"),
				 errdetail("The total given is %s; log(1) = 0: a block of one address or unit has no HD ratio.",
						   ap_num_message(total))));
	if (ap_numeric_cmp(used, total) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("used exceeds the total"),
				 errdetail("used is %s, total is %s.",
						   ap_num_message(used), ap_num_message(total))));
	u = whole_count_double(&uc);
	t = whole_count_double(&tc);
	if (u == 0)
		return -INFINITY;
	/* log2 is exact on powers of two, so 16 of 32 gives exactly 0.8 */
	return log2(u) / log2(t);
}

/*
 * The total of a block: its addresses, or its number of /unit units.
 */
static Numeric
block_total(const inet *block, bool unit_null, int32 unit_masklen)
{
	int			width = ip_maxbits(block);
	int			bits = ip_bits(block);

	if (unit_null)
		return ap_pow2_numeric(width - bits);
	ap_check_masklen(unit_masklen, width, "unit_masklen");
	if (unit_masklen < bits)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit is larger than the block"),
				 errdetail("The unit is a /%d, the block a /%d.", unit_masklen,
						   bits),
				 errhint("Count units no larger than the block itself.")));
	return ap_pow2_numeric(unit_masklen - bits);
}

/*
 * hd_ratio(used numeric, total numeric) returns float8
 */
Datum
hd_ratio_numeric(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(ap_hd_ratio(PG_GETARG_NUMERIC(0), PG_GETARG_NUMERIC(1)));
}

/*
 * hd_ratio(used numeric, block inet, unit_masklen int DEFAULT NULL)
 * Not strict: a NULL unit means "count addresses".
 */
Datum
hd_ratio_block(PG_FUNCTION_ARGS)
{
	Numeric		total;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	total = block_total(PG_GETARG_INET_PP(1), PG_ARGISNULL(2),
						PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2));
	PG_RETURN_FLOAT8(ap_hd_ratio(PG_GETARG_NUMERIC(0), total));
}

/*
 * hd_required(total numeric, hd numeric DEFAULT 0.966) returns numeric
 */
Datum
hd_required_numeric(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(ap_hd_required(PG_GETARG_NUMERIC(0),
									 PG_GETARG_NUMERIC(1)));
}

/*
 * hd_required(block inet, hd numeric DEFAULT 0.966, unit_masklen int
 * DEFAULT NULL).  Not strict: a NULL unit means "count addresses".
 */
Datum
hd_required_block(PG_FUNCTION_ARGS)
{
	Numeric		total;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	total = block_total(PG_GETARG_INET_PP(0), PG_ARGISNULL(2),
						PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2));
	PG_RETURN_NUMERIC(ap_hd_required(total, PG_GETARG_NUMERIC(1)));
}

/*
 * The simplified tables.  Each row: addresses below 2^log2_below get pct.
 * /20 = 2^12 addresses, /18 = 2^14, ... (IPv4: a /n holds 2^(32-n)).
 */
typedef struct TableRow
{
	int			log2_below;		/* 0 = no upper bound */
	int			pct;
} TableRow;

static const TableRow total_table[] = {
	{12, 80},					/* < /20 */
	{14, 75},					/* >= /20 and < /18 */
	{16, 70},					/* >= /18 and < /16 */
	{18, 66},					/* >= /16 and < /14 */
	{20, 62},					/* >= /14 and < /12 */
	{22, 59},					/* >= /12 and < /10 */
	{0, 55}						/* >= /10 */
};

static const TableRow recent_table[] = {
	{13, 56},					/* < /19 */
	{14, 51},					/* >= /19 and < /18 */
	{15, 49},					/* >= /18 and < /17 */
	{16, 46},					/* >= /17 and < /16 */
	{17, 44},					/* >= /16 and < /15 */
	{18, 42},					/* >= /15 and < /14 */
	{0, 40}						/* >= /14 */
};

static int
table_lookup(const TableRow *table, Numeric addresses)
{
	WholeCount	n;

	/* the same rule as every other count: whole, 0 to 2^128 */
	whole_count(addresses, "addresses", &n);
	for (const TableRow *row = table;; row++)
	{
		if (row->log2_below == 0)
			return row->pct;
		if (!n.is_2_128 && n.v < (((uint128) 1) << row->log2_below))
			return row->pct;
	}
}

static const TableRow *
table_by_name(const char *which)
{
	if (strcmp(which, "total") == 0)
		return total_table;
	if (strcmp(which, "recent") == 0)
		return recent_table;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown HD table"),
			 errdetail("The table given is \"%s\".", which),
			 errhint("Use 'total' (indexed by all allocations) or 'recent' (by the most recent allocation).")));
	return NULL;				/* keep compiler quiet */
}

/*
 * hd_table_pct(addresses numeric, which text) returns numeric
 */
Datum
hd_table_pct(PG_FUNCTION_ARGS)
{
	Numeric		addresses = PG_GETARG_NUMERIC(0);
	char	   *which = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_NUMERIC(ap_int_numeric(table_lookup(table_by_name(which),
												  addresses)));
}

/*
 * The eligibility rule.
 */
APMethod
ap_parse_method(const char *method)
{
	if (strcmp(method, "hd") == 0)
		return AP_METHOD_HD;
	if (strcmp(method, "table") == 0)
		return AP_METHOD_TABLE;
	if (strcmp(method, "fixed") == 0)
		return AP_METHOD_FIXED;
	if (strcmp(method, "hd_total") == 0)
		return AP_METHOD_HD_TOTAL;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown utilization method"),
			 errdetail("The method given is \"%s\".", method),
			 errhint("Use 'hd' (the HD-ratio formula), 'table' (the simplified tables), 'fixed' (a fixed percentage) or 'hd_total' (the HD ratio of all allocations only).")));
	return AP_METHOD_HD;		/* keep compiler quiet */
}

void
ap_policy_defaults(APPolicy *p)
{
	p->method = AP_METHOD_HD;
	p->total_hd = ap_numeric_from_cstring("0.966");
	p->recent_hd = ap_numeric_from_cstring("0.930");
	p->cap = ap_numeric_from_cstring("0.80");
	p->min_total = ap_int_numeric(4096);
}

void
ap_policy_check(const APPolicy *p)
{
	HdFraction	f;
	WholeCount	m;

	hd_fraction(p->total_hd, "total_hd", &f);
	hd_fraction(p->recent_hd, "recent_hd", &f);
	if (numeric_is_nan(p->cap) ||
		ap_numeric_cmp(p->cap, ap_int_numeric(0)) <= 0 ||
		ap_numeric_cmp(p->cap, ap_int_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cap must be greater than 0 and at most 1"),
				 errdetail("The cap given is %s.", ap_num_message(p->cap)),
				 errhint("The policy's cap is 0.80.")));
	whole_count(p->min_total, "min_total", &m);
}

/* ceil(fraction * allocated), exact */
static Numeric
ceil_share(Numeric fraction, Numeric allocated)
{
	return ap_num_ceil(ap_num_mul(fraction, allocated));
}

static double
hd_or_null(Numeric used, Numeric allocated, bool *isnull)
{
	*isnull = ap_numeric_cmp(allocated, ap_int_numeric(1)) <= 0;
	return *isnull ? 0 : ap_hd_ratio(used, allocated);
}

/*
 * used/allocated as a percentage with one decimal, truncated (exactly, in
 * numeric): a failing 79.96% reads "79.9%", never "80.0% ... below 80%".
 */
static char *
pct_text(Numeric used, Numeric allocated)
{
	int64		permille;

	if (ap_numeric_cmp(allocated, ap_int_numeric(0)) <= 0)
		return pstrdup("0.0%");
	permille = DatumGetInt64(DirectFunctionCall1(numeric_int8,
												 DirectFunctionCall2(numeric_div_trunc,
																	 NumericGetDatum(ap_num_mul(used, ap_int_numeric(1000))),
																	 NumericGetDatum(allocated))));
	return psprintf("%d.%d%%", (int) (permille / 10), (int) (permille % 10));
}

/*
 * An HD ratio for a reason sentence: four decimals, truncated, so that a
 * failing 0.96599 reads "0.9659", never "0.9660 is below 0.966"; a block of
 * one address or none has no HD ratio.
 */
static char *
hd_text(bool isnull, double v)
{
	if (isnull)
		return pstrdup("undefined");
	if (isinf(v))
		return pstrdup(v < 0 ? "-Infinity" : "Infinity");
	return psprintf("%.4f", floor(v * 10000.0) / 10000.0);
}

/*
 * A fraction as an exact percentage, trailing zeros dropped: 0.80 reads
 * "80%", 0.7999999 reads "79.99999%" (never a rounded "80%")
 */
static char *
fraction_pct_text(Numeric fraction)
{
	Numeric		pct = ap_num_mul(fraction, ap_int_numeric(100));

	pct = DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale,
											  NumericGetDatum(pct)));
	return psprintf("%s%%", ap_num_cstring(pct));
}

static void
append_reason(StringInfo buf, const char *sentence)
{
	if (buf->len > 0)
		appendStringInfoString(buf, "; and ");
	appendStringInfoString(buf, sentence);
}

/*
 * ap_utilization_evaluate - the whole eligibility rule of the policy for one
 * member's figures.  Each test passes exactly when used >= required.
 */
void
ap_utilization_evaluate(Numeric total_used, Numeric total_allocated,
						Numeric recent_used, Numeric recent_allocated,
						const APPolicy *p, APUtilResult *r)
{
	WholeCount	tu,
				ta,
				ru,
				ra;
	StringInfoData why;
	Numeric		hundred = ap_int_numeric(100);
	Numeric		total_frac = NULL;	/* share of total, for table and fixed */
	Numeric		recent_frac = NULL;
	bool		total_ok,
				recent_ok,
				capped = false;

	whole_count(total_used, "total_used", &tu);
	whole_count(total_allocated, "total_allocated", &ta);
	whole_count(recent_used, "recent_used", &ru);
	whole_count(recent_allocated, "recent_allocated", &ra);
	if (ap_numeric_cmp(total_used, total_allocated) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("total_used exceeds total_allocated"),
				 errdetail("total_used is %s, total_allocated is %s.",
						   ap_num_message(total_used),
						   ap_num_message(total_allocated))));
	if (ap_numeric_cmp(recent_used, recent_allocated) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recent_used exceeds recent_allocated"),
				 errdetail("recent_used is %s, recent_allocated is %s.",
						   ap_num_message(recent_used),
						   ap_num_message(recent_allocated))));
	if (ap_numeric_cmp(recent_allocated, total_allocated) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recent_allocated exceeds total_allocated"),
				 errdetail("recent_allocated is %s, total_allocated is %s; the most recent allocation is one of all the allocations.",
						   ap_num_message(recent_allocated),
						   ap_num_message(total_allocated))));
	if (ap_numeric_cmp(recent_used, total_used) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recent_used exceeds total_used"),
				 errdetail("recent_used is %s, total_used is %s.",
						   ap_num_message(recent_used),
						   ap_num_message(total_used))));

	r->total_hd = hd_or_null(total_used, total_allocated, &r->total_hd_null);
	r->recent_hd = hd_or_null(recent_used, recent_allocated, &r->recent_hd_null);
	r->reason = NULL;
	initStringInfo(&why);

	/*
	 * 'hd_total' (the RIPE NCC and APNIC IPv6 rule): the HD ratio of all
	 * allocations, nothing else; no election, no test of the most recent
	 * allocation, no cap.
	 */
	if (p->method == AP_METHOD_HD_TOTAL)
	{
		r->total_required = ap_hd_required(total_allocated, p->total_hd);
		r->recent_required = NULL;
		r->recent_hd_null = true;
		r->recent_hd = 0;
		r->eligible = ap_numeric_cmp(total_used, r->total_required) >= 0;
		if (!r->eligible)
			r->reason = psprintf("total HD ratio %s is below %s: %s of %s allocated units are used and %s are required",
								 hd_text(r->total_hd_null, r->total_hd),
								 ap_num_cstring(p->total_hd),
								 ap_num_cstring(total_used),
								 ap_num_cstring(total_allocated),
								 ap_num_cstring(r->total_required));
		return;
	}

	/* the election: HD ratio and its tables need a total of min_total */
	if (p->method != AP_METHOD_FIXED &&
		ap_numeric_cmp(total_allocated, p->min_total) < 0)
	{
		r->eligible = false;
		r->total_required = NULL;
		r->recent_required = NULL;
		r->reason = psprintf("the '%s' method needs total allocations of at least %s addresses, and this member holds %s; use the 'fixed' method",
							 p->method == AP_METHOD_HD ? "hd" : "table",
							 ap_num_cstring(p->min_total),
							 ap_num_cstring(total_allocated));
		return;
	}

	switch (p->method)
	{
		case AP_METHOD_HD:
			r->total_required = ap_hd_required(total_allocated, p->total_hd);
			r->recent_required = ap_hd_required(recent_allocated, p->recent_hd);
			break;
		case AP_METHOD_TABLE:
			total_frac = ap_num_div(ap_int_numeric(table_lookup(total_table, total_allocated)), hundred);
			recent_frac = ap_num_div(ap_int_numeric(table_lookup(recent_table, recent_allocated)), hundred);
			r->total_required = ceil_share(total_frac, total_allocated);
			r->recent_required = ceil_share(recent_frac, recent_allocated);
			break;
		case AP_METHOD_HD_TOTAL:
			/* decided above */
			break;
		case AP_METHOD_FIXED:
			total_frac = recent_frac = p->cap;
			r->total_required = ceil_share(p->cap, total_allocated);
			r->recent_required = ceil_share(p->cap, recent_allocated);
			break;
	}

	/* "In no case ... greater than 80% utilization of their most recent" */
	{
		Numeric		cap_required = ceil_share(p->cap, recent_allocated);

		if (ap_numeric_cmp(cap_required, r->recent_required) < 0)
		{
			r->recent_required = cap_required;
			capped = true;
		}
	}

	total_ok = ap_numeric_cmp(total_used, r->total_required) >= 0;
	recent_ok = ap_numeric_cmp(recent_used, r->recent_required) >= 0;
	r->eligible = total_ok && recent_ok;
	if (r->eligible)
		return;

	if (!total_ok)
	{
		if (p->method == AP_METHOD_HD)
			append_reason(&why, psprintf("total HD ratio %s is below %s: %s of %s allocated addresses are used and %s are required",
										 hd_text(r->total_hd_null, r->total_hd),
										 ap_num_cstring(p->total_hd),
										 ap_num_cstring(total_used),
										 ap_num_cstring(total_allocated),
										 ap_num_cstring(r->total_required)));
		else
			append_reason(&why, psprintf("utilization of all allocations is %s, below %s%s: %s of %s addresses are used and %s are required",
										 pct_text(total_used, total_allocated),
										 fraction_pct_text(total_frac),
										 p->method == AP_METHOD_TABLE ? " (the table's row for this total)" : "",
										 ap_num_cstring(total_used),
										 ap_num_cstring(total_allocated),
										 ap_num_cstring(r->total_required)));
	}
	if (!recent_ok)
	{
		const char *cap_note = capped ? psprintf(" (capped at %s of the block)",
												 fraction_pct_text(p->cap)) : "";

		if (p->method == AP_METHOD_HD)
			append_reason(&why, psprintf("the most recent allocation's HD ratio %s is below %s: %s of %s addresses are used and %s are required%s",
										 hd_text(r->recent_hd_null, r->recent_hd),
										 ap_num_cstring(p->recent_hd),
										 ap_num_cstring(recent_used),
										 ap_num_cstring(recent_allocated),
										 ap_num_cstring(r->recent_required),
										 cap_note));
		else
			append_reason(&why, psprintf("utilization of the most recent allocation is %s, below %s%s: %s of %s addresses are used and %s are required%s",
										 pct_text(recent_used, recent_allocated),
										 fraction_pct_text(recent_frac),
										 p->method == AP_METHOD_TABLE ? " (the table's row for this block)" : "",
										 ap_num_cstring(recent_used),
										 ap_num_cstring(recent_allocated),
										 ap_num_cstring(r->recent_required),
										 cap_note));
	}
	r->reason = why.data;
}

/*
 * utilization_check(total_used, total_allocated, recent_used,
 *		recent_allocated numeric, method text, total_hd, recent_hd, cap,
 *		min_total numeric) returns record
 *
 * NULL figures give NULL; a NULL policy parameter means its default.
 */
Datum
utilization_check(PG_FUNCTION_ARGS)
{
	APPolicy	p;
	APUtilResult r;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	ap_policy_defaults(&p);
	if (!PG_ARGISNULL(4))
		p.method = ap_parse_method(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	/* 'hd_total' reads no figure of the most recent allocation */
	for (int i = 0; i < (p.method == AP_METHOD_HD_TOTAL ? 2 : 4); i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	if (!PG_ARGISNULL(5))
		p.total_hd = PG_GETARG_NUMERIC(5);
	if (!PG_ARGISNULL(6))
		p.recent_hd = PG_GETARG_NUMERIC(6);
	if (!PG_ARGISNULL(7))
		p.cap = PG_GETARG_NUMERIC(7);
	if (!PG_ARGISNULL(8))
		p.min_total = PG_GETARG_NUMERIC(8);
	ap_policy_check(&p);

	ap_utilization_evaluate(PG_GETARG_NUMERIC(0), PG_GETARG_NUMERIC(1),
							PG_ARGISNULL(2) ? ap_int_numeric(0) : PG_GETARG_NUMERIC(2),
							PG_ARGISNULL(3) ? ap_int_numeric(0) : PG_GETARG_NUMERIC(3),
							&p, &r);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = BoolGetDatum(r.eligible);
	values[1] = r.total_required ? NumericGetDatum(r.total_required) : (Datum) 0;
	nulls[1] = r.total_required == NULL;
	values[2] = r.recent_required ? NumericGetDatum(r.recent_required) : (Datum) 0;
	nulls[2] = r.recent_required == NULL;
	values[3] = Float8GetDatum(r.total_hd);
	nulls[3] = r.total_hd_null;
	values[4] = Float8GetDatum(r.recent_hd);
	nulls[4] = r.recent_hd_null;
	values[5] = r.reason ? CStringGetTextDatum(r.reason) : (Datum) 0;
	nulls[5] = r.reason == NULL;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
