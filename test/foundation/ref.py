"""Independent reference for the foundation functions of addrpolicy.

Written from the issue text and the policy, not from the C code: exact
integers and fractions (fractions.Fraction), decimal.Decimal at high
precision for logarithms, ipaddress for blocks.  Each function returns the
expected value or raises RefError(sqlstate).

hd_required(t, hd) is decided in the log domain: the answer is the smallest
whole u with ln(u) >= hd*ln(t).  Where hd = p/q has q <= EXACT_Q the answer
is confirmed with exact integers (u^q >= t^p > (u-1)^q), so exact ties such
as 32^0.8 = 16 are decided without any rounding; longer thresholds cannot tie
(t^(p/q) is a whole number only when t is a q-th power, i.e. t >= 2^q >
2^128) and are decided by raising the decimal precision until the
comparison is clear.
"""
import decimal
import math
from decimal import Decimal
from fractions import Fraction

decimal.getcontext().prec = 250
EXACT_Q = 5000
TWO128 = 1 << 128


class RefError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def width(family):
    if family == 4:
        return 32
    if family == 6:
        return 128
    raise RefError('22023')


def parse(text):
    """A numeric literal as 'nan', '+inf', '-inf' or an exact Fraction."""
    t = text.strip().lower()
    if t == 'nan':
        return 'nan'
    if t in ('infinity', '+infinity', 'inf'):
        return '+inf'
    if t in ('-infinity', '-inf'):
        return '-inf'
    return Fraction(Decimal(text))


def addr_count(prefixlen, family):
    return 2 ** (width(family) - prefixlen)


def prefix_size(masklen, family=4):
    w = width(family)
    if not 0 <= masklen <= w:
        raise RefError('22023')
    return 2 ** (w - masklen)


def _count(x):
    if x == 'nan':
        raise RefError('22023')
    if x == '-inf' or (x != '+inf' and x < 0):
        raise RefError('22003')
    return x


def prefix_at_most(x, family=4):
    w = width(family)
    x = _count(x)
    if x == '+inf' or x >= 2 ** w:
        return 0
    if x < 1:
        raise RefError('22003')
    k = math.floor(x).bit_length() - 1      # 2^k <= x < 2^(k+1)
    return w - k


def prefix_at_least(x, family=4):
    w = width(family)
    x = _count(x)
    if x == '+inf' or x > 2 ** w:
        raise RefError('22003')
    if x <= 1:
        return w
    k = (math.ceil(x) - 1).bit_length()     # 2^(k-1) < x <= 2^k
    return w - k


def usable_hosts(prefixlen, family):
    size = addr_count(prefixlen, family)
    if family == 4:
        return size - 2 if size >= 4 else size
    return size


def _whole(x, sqlstate_frac='22023'):
    """A checked whole count 0..2^128 (the rules of hd_required's total)."""
    if x in ('nan', '+inf', '-inf'):
        raise RefError('22023')
    if x < 0:
        raise RefError('22003')
    if x.denominator != 1:
        raise RefError(sqlstate_frac)
    if x > TWO128:
        raise RefError('22003')
    return int(x)


def _threshold(h):
    if h in ('nan', '+inf', '-inf') or h < 0 or h > 1:
        raise RefError('22023')
    return h


def _ln(n, prec):
    with decimal.localcontext() as c:
        c.prec = prec
        return Decimal(n).ln()


def hd_required(total, hd):
    """Smallest whole u with u >= total^hd (total whole, 0 <= hd <= 1)."""
    h = _threshold(hd)
    t = _whole(total)
    if t == 0:
        return 1 if h == 0 else 0
    if t == 1 or h == 0:
        return 1
    if h == 1:
        return t
    p, q = h.numerator, h.denominator
    prec = 120
    while True:
        with decimal.localcontext() as c:
            c.prec = prec
            y = Decimal(p) / Decimal(q) * _ln(t, prec + 10)   # hd * ln t
            # estimate u from exp(y), then test candidates in the log domain
            est = int(y.exp().to_integral_value(decimal.ROUND_FLOOR))
            tol = Decimal(10) ** (-(prec - 20)) * max(Decimal(1), abs(y))
            answer = None
            undecided = False
            tp = t ** p if q <= EXACT_Q else None
            first = max(1, est - 2)
            for u in range(first, est + 4):
                if q <= EXACT_Q:
                    ok = u ** q >= tp
                else:
                    lu = _ln(u, prec + 10) if u > 1 else Decimal(0)
                    if abs(lu - y) <= tol:
                        undecided = True
                        break
                    ok = lu > y
                if ok:
                    answer = u
                    break
            if answer is not None and answer == first and first > 1:
                undecided = True        # the estimate was too high: retry
        if answer is not None and not undecided:
            break
        prec *= 2
        if prec > 20000:
            raise RuntimeError('reference cannot resolve %s^%s' % (t, hd))
    # confirm the law exactly where the integers are of a manageable size
    if q <= EXACT_Q:
        assert answer ** q >= t ** p > (answer - 1) ** q
    return answer


def whole_count(x):
    """the checks every count of the extension passes, in its order:
    finite, not negative, whole, at most 2^128"""
    if x in ('nan', '+inf', '-inf'):
        raise RefError('22023')
    if x < 0:
        raise RefError('22003')
    if x != int(x):
        raise RefError('22023')
    if x > 2 ** 128:
        raise RefError('22003')


def hd_ratio(used, total):
    """log(used)/log(total) as the nearest double (computed at 60 digits).
    Counts are whole, as for every function of the extension."""
    whole_count(used)
    whole_count(total)
    if total <= 1:
        raise RefError('22023')
    if used > total:
        raise RefError('22003')
    if used == 0:
        return -math.inf
    with decimal.localcontext() as c:
        c.prec = 60
        u = Decimal(used.numerator) / Decimal(used.denominator)
        tt = Decimal(total.numerator) / Decimal(total.denominator)
        return float(u.ln() / tt.ln())


# The policy's simplified tables: (upper bound in addresses, exclusive; pct).
# "< /20 80%", ">= /20 and < /18 75%", ... ; a /n of IPv4 holds 2^(32-n).
TOTAL_TABLE = [(2 ** (32 - 20), 80), (2 ** (32 - 18), 75), (2 ** (32 - 16), 70),
               (2 ** (32 - 14), 66), (2 ** (32 - 12), 62), (2 ** (32 - 10), 59),
               (None, 55)]
RECENT_TABLE = [(2 ** (32 - 19), 56), (2 ** (32 - 18), 51), (2 ** (32 - 17), 49),
                (2 ** (32 - 16), 46), (2 ** (32 - 15), 44), (2 ** (32 - 14), 42),
                (None, 40)]


def hd_table_pct(x, which):
    if which == 'total':
        table = TOTAL_TABLE
    elif which == 'recent':
        table = RECENT_TABLE
    else:
        raise RefError('22023')
    # a table index is a count like any other: whole, finite, 0 to 2^128
    whole_count(x)
    for below, pct in table:
        if below is None or x < below:
            return pct


def ceil_frac(f, n):
    return math.ceil(Fraction(f) * n)


def utilization_check(tu, ta, ru, ra, method='hd', total_hd=None,
                      recent_hd=None, cap=None, min_total=None):
    """The whole rule, as the issue and the policy state it.  Figures are
    Fractions (or NULL = None); a NULL policy parameter means its default.
    Returns None (NULL row) or (eligible, total_required, recent_required,
    total_hd, recent_hd, reason_is_null)."""
    if None in (tu, ta, ru, ra):
        return None
    method = 'hd' if method is None else method
    total_hd = Fraction(966, 1000) if total_hd is None else total_hd
    recent_hd = Fraction(930, 1000) if recent_hd is None else recent_hd
    cap = Fraction(80, 100) if cap is None else cap
    min_total = Fraction(4096) if min_total is None else min_total
    if method not in ('hd', 'table', 'fixed'):
        raise RefError('22023')
    _threshold(total_hd)
    _threshold(recent_hd)
    if cap in ('nan', '+inf', '-inf') or not 0 < cap <= 1:
        raise RefError('22023')
    _whole(min_total)
    tu, ta, ru, ra = (_whole(v) for v in (tu, ta, ru, ra))
    if tu > ta or ru > ra or ra > ta or ru > tu:
        raise RefError('22023')

    def ratio(u, a):
        return None if a <= 1 else hd_ratio(Fraction(u), Fraction(a))

    thd, rhd = ratio(tu, ta), ratio(ru, ra)
    # "Any organization whose total IPv4 allocation is equivalent to a /20
    # or more may choose ... HD ratio" (and its simplified tables)
    if method != 'fixed' and ta < min_total:
        return (False, None, None, thd, rhd, False)
    if method == 'hd':
        treq = hd_required(Fraction(ta), total_hd)
        rreq = hd_required(Fraction(ra), recent_hd)
    elif method == 'table':
        treq = ceil_frac(Fraction(hd_table_pct(Fraction(ta), 'total'), 100), ta)
        rreq = ceil_frac(Fraction(hd_table_pct(Fraction(ra), 'recent'), 100), ra)
    else:
        treq = ceil_frac(cap, ta)
        rreq = ceil_frac(cap, ra)
    # "In no case will an organization be required to show greater than 80%
    # utilization of their most recent allocation."
    rreq = min(rreq, ceil_frac(cap, ra))
    eligible = tu >= treq and ru >= rreq
    return (eligible, treq, rreq, thd, rhd, eligible)
