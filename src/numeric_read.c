/*-------------------------------------------------------------------------
 *
 * numeric_read.c
 *	  The one place of addrpolicy that reads numeric's internal layout: a
 *	  whole, non-negative numeric below 10^36 read straight from its datum,
 *	  for the utilization aggregate's per-row `used`.
 *
 * What it depends on, exactly: numeric.c's "short" format (NUMERIC_SHORT,
 * PostgreSQL 9.1 and later), which is static to numeric.c and so cannot be
 * included -- a uint16 header whose top two bits are 0b10
 * (NUMERIC_SHORT), then the sign bit (NUMERIC_SHORT_SIGN_MASK 0x2000), six
 * bits of display scale (NUMERIC_SHORT_DSCALE_MASK 0x1F80) and a 7-bit
 * weight in two's complement (NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040,
 * NUMERIC_SHORT_WEIGHT_MASK 0x003F), followed by int16 digits of base
 * NBASE = 10000, most significant first, leading and trailing zero digits
 * stripped.  Checked against numeric.c of the majors src/compat.h names
 * (AP_NUMERIC_LAYOUT_CHECKED); on any other major the reader is compiled
 * out and every value takes numeric's own functions.  A self-test against
 * values numeric.c itself makes runs once per backend and turns the reader
 * off if its layout is ever not this one.
 *
 * Whether it is worth it is measured, not assumed: test/bench/utilization.sql
 * runs the aggregate with and without it (doc/utilization.md has the
 * figures).
 *
 *-------------------------------------------------------------------------
 */
#include "addrpolicy.h"

#ifdef AP_NUMERIC_LAYOUT_CHECKED

/*
 * Why: numeric's own functions round, allocate a copy of the digits and
 * need the value detoasted (another copy), and a whole `used` needs three
 * of them (finite? whole? its value); per row of the utilization aggregate
 * that is as much work as the rest of the row.  So the common case is read
 * straight from the datum, packed header and all: value = sum of digit[i] *
 * 10000^(weight - i).  Only that layout, non-negative, with no digit after
 * the decimal point and below 10000^9 (10^36 < 2^120) is read here;
 * anything else (a long header, NaN, infinities, negatives, fractions, huge
 * values, an external or compressed datum) is left to numeric's own
 * functions.  The format is on disk, so pg_upgrade carries it from one
 * release to the next and it has not changed since 9.1; nothing promises it
 * never will, hence the list of checked majors and the self-test.
 */
#define AP_NUMERIC_FORMAT_MASK	0xE000	/* format bits and the sign bit */
#define AP_NUMERIC_SHORT_POS	0x8000	/* short format, non-negative */
#define AP_NUMERIC_WEIGHT_SIGN	0x0040
#define AP_NUMERIC_WEIGHT_MASK	0x003F
#define AP_NBASE				10000
#define AP_MAX_WEIGHT			8	/* at most 9 digits: below 10^36 */

static bool
whole_fast(Datum d, uint128 *out)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *p;
	int			len,
				ndigits,
				weight;
	uint16		hdr;
	uint128		val = 0;

	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		return false;			/* toasted: compressed or external */
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < (int) sizeof(uint16) || len % sizeof(int16) != 0)
		return false;
	memcpy(&hdr, p, sizeof(uint16));
	if ((hdr & AP_NUMERIC_FORMAT_MASK) != AP_NUMERIC_SHORT_POS)
		return false;
	ndigits = len / sizeof(int16) - 1;
	weight = hdr & AP_NUMERIC_WEIGHT_MASK;
	if (hdr & AP_NUMERIC_WEIGHT_SIGN)
		weight -= AP_NUMERIC_WEIGHT_MASK + 1;
	if (ndigits == 0)
	{
		*out = 0;
		return true;
	}
	if (weight < 0 || weight > AP_MAX_WEIGHT || ndigits > weight + 1)
		return false;			/* a fraction, or too large for this path */
	for (int i = 0; i <= weight; i++)
	{
		int16		digit = 0;

		if (i < ndigits)
		{
			memcpy(&digit, p + sizeof(uint16) + i * sizeof(int16), sizeof(int16));
			if (digit < 0 || digit >= AP_NBASE)
				return false;
		}
		val = val * AP_NBASE + (uint128) digit;
	}
	*out = val;
	return true;
}

/*
 * Whether whole_fast reads numeric.c's values right: -1 not yet
 * known, then 0 or 1.
 */
static int	numeric_layout_known = -1;

static bool
numeric_layout_ok(void)
{
	static const char *const whole[] = {
		"0", "0.00", "7", "9999", "10000", "10001", "100000000", "4294967296",
		"123456789012345678", "79228162514264337593543950336",
		"999999999999999999999999999999999999"
	};
	static const char *const other[] = {
		"0.5", "-3", "12345.0001", "1e36", "NaN", "Infinity", "-Infinity"
	};
	uint128		v;

	for (int i = 0; i < lengthof(whole); i++)
	{
		Numeric		n = ap_numeric_from_cstring(whole[i]);
		uint128		expect;
		bool		overflow,
					has_frac;

		(void) ap_numeric_split(n, &expect, &overflow, &has_frac);
		if (!whole_fast(NumericGetDatum(n), &v) || v != expect)
			return false;
	}
	for (int i = 0; i < lengthof(other); i++)
		if (whole_fast(NumericGetDatum(ap_numeric_from_cstring(other[i])), &v))
			return false;
	return true;
}

#endif							/* AP_NUMERIC_LAYOUT_CHECKED */

/*
 * ap_numeric_whole_fast - read a whole, non-negative numeric below 10^36
 * from its datum into *out; false when it is anything else (or the reader
 * is off), and the caller must take numeric's own functions.
 */
bool
ap_numeric_whole_fast(Datum d, uint128 *out)
{
#ifdef AP_NUMERIC_LAYOUT_CHECKED
	if (unlikely(numeric_layout_known < 0))
		numeric_layout_known = numeric_layout_ok() ? 1 : 0;
	return likely(numeric_layout_known == 1) && whole_fast(d, out);
#else
	return false;
#endif
}
