"""An independent model of the run-out allocation policies, in exact integer
and Fraction arithmetic (python3 stdlib only), written from the policy texts
in doc/policy/, not from src/allocation.c.

    2009-8: "The maximum allocation will be the next whole CIDR prefix less
    than or equal to one quarter (1/4) of the total ARIN free pool available
    at the time of each allocation, but no longer than the applicable
    minimum allocation."

    IANA: "IPv4 allocation unit = 1/5 of Recovered IPv4 pool, rounded down to
    the next CIDR (power-of-2) boundary."  "If the calculation ... results in
    a block smaller than a /24, the IANA will not distribute any addresses in
    that IPv4 allocation period."  "An IPv4 allocation period is defined as a
    6-month period following 1 March or 1 September in each year."
"""
import datetime
from fractions import Fraction

WIDTH = {4: 32, 6: 128}


def largest_block_at_most(n, width):
    """Prefix length of the largest power-of-two block with at most n
    addresses (n >= 1 a whole number), or 0 when the whole space fits."""
    assert n >= 1
    k = n.bit_length() - 1          # 2^k <= n < 2^(k+1)
    return max(width - k, 0)


def max_allocation(pool, minimum=24, share=Fraction(4), family=4):
    width = WIDTH[family]
    assert 1 <= pool <= 2 ** width and 0 <= minimum <= width and share >= 1
    quarter = Fraction(pool) / Fraction(share)
    whole = quarter.numerator // quarter.denominator
    if whole == 0:                  # less than one address: the minimum
        return minimum
    return min(largest_block_at_most(whole, width), minimum)


def allocation_unit(pool, recipients=5, minimum=24, family=4):
    """Prefix length of the unit, or None when it is smaller than /minimum."""
    width = WIDTH[family]
    assert 1 <= pool <= 2 ** width and recipients >= 1
    share = pool // recipients
    if share < 2 ** (width - minimum):
        return None
    return largest_block_at_most(share, width)


def supply_months(free_slash8, transfer=False):
    assert 0 <= free_slash8 <= 256
    if transfer:
        return 12
    if free_slash8 <= 10:
        return 3
    if free_slash8 <= 20:
        return 6
    return 12


def fmt_date(y, m, d):
    """A (proleptic Gregorian, astronomical-year) date as PostgreSQL prints
    it with DateStyle ISO: year 0 is 1 BC."""
    if y <= 0:
        return "%04d-%02d-%02d BC" % (1 - y, m, d)
    return "%04d-%02d-%02d" % (y, m, d)


def allocation_period(day):
    """[lower, upper) of the period containing a datetime.date, as
    (year, month, 1) tuples."""
    y, m = day.year, day.month
    if 3 <= m < 9:
        return (y, 3, 1), (y, 9, 1)
    if m >= 9:
        return (y, 9, 1), (y + 1, 3, 1)
    return (y - 1, 9, 1), (y, 3, 1)


def next_period(upper):
    y, m, _ = upper
    return (upper, (y, 9, 1)) if m == 3 else (upper, (y + 1, 3, 1))


def allocation_schedule(pool, first_day, recipients=5, minimum=24):
    """Rows (lower, upper, unit_masklen, unit_addresses, distributed,
    remaining), the last one distributing nothing."""
    rows = []
    lower, upper = allocation_period(first_day)
    remaining = pool
    while True:
        unit = (allocation_unit(remaining, recipients, minimum)
                if remaining > 0 else None)
        if unit is None:
            rows.append((lower, upper, None, None, 0, remaining))
            return rows
        size = 2 ** (32 - unit)
        remaining -= size * recipients
        assert remaining >= 0
        rows.append((lower, upper, unit, size, size * recipients, remaining))
        lower, upper = next_period(upper)


def schedule_text(rows):
    """The schedule as the check's SQL renders it."""
    def cell(v):
        return "" if v is None else str(v)
    return ";".join("%s|%s|%s|%s|%s|%s" % (fmt_date(*lo), fmt_date(*hi),
                                             cell(u), cell(a), dist, rem)
                    for lo, hi, u, a, dist, rem in rows)


if __name__ == "__main__":
    # the worked examples of sql/allocation.sql, checked independently
    assert max_allocation(16777216) == 10
    assert max_allocation(1000000) == 15 and 2 ** 17 == 131072
    assert allocation_unit(5 * 2 ** 20) == 12
    assert allocation_unit(1279) is None
    print(allocation_period(datetime.date(2012, 2, 29)))
