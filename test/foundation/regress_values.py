#!/usr/bin/env python3
"""Print the expected values that sql/cidr_math.sql, sql/hdratio.sql and
sql/utilization_check.sql carry as literals (the `want` columns of their
VALUES lists), computed independently with ref.py (exact integers,
fractions, decimal at high precision).

    python3 test/foundation/regress_values.py [SECTION ...]

Each section prints the VALUES rows as they appear in the .sql file, so a
reader can regenerate them and compare (`diff`) with the suite.
"""
import math
import sys
from fractions import Fraction as F

import ref

SECTIONS = {}


def section(fn):
    SECTIONS[fn.__name__] = fn
    return fn


def err_or(f, *a):
    try:
        return str(f(*a))
    except ref.RefError as e:
        return 'E' + e.sqlstate


def q(s):
    return "'" + s + "'"


def rows(lines):
    return ',\n'.join('  (' + ', '.join(r) + ')' for r in lines)


V6_SPREAD = [0, 1, 2, 8, 16, 31, 32, 33, 48, 56, 63, 64, 65, 96, 112, 120,
             126, 127, 128]


@section
def addr_count_v4():
    return rows([(str(m), str(ref.addr_count(m, 4))) for m in range(33)])


@section
def addr_count_v6():
    return rows([(str(m), str(ref.addr_count(m, 6))) for m in V6_SPREAD])


@section
def usable_v4():
    return rows([(str(m), str(ref.usable_hosts(m, 4))) for m in range(33)])


@section
def usable_v6():
    return rows([(str(m), str(ref.usable_hosts(m, 6))) for m in V6_SPREAD])


OFFSETS = ['-1', '-0.5', '0', '0.5', '1']


def around(k):
    return [F(2) ** k + F(o) if o != '0' else F(2) ** k for o in
            (F(-1), F(-1, 2), F(0), F(1, 2), F(1))]


def rounding(fn, family, ks):
    out = []
    for k in ks:
        vals = [err_or(fn, x, family) if x >= 0 else 'E22003' for x in around(k)]
        out.append([str(k)] + [q(v) for v in vals])
    return rows(out)


V4_K = list(range(0, 34))
V6_K = [0, 1, 2, 31, 32, 33, 52, 53, 54, 63, 64, 65, 100, 126, 127, 128, 129]


@section
def at_most_v4():
    return rounding(ref.prefix_at_most, 4, V4_K)


@section
def at_least_v4():
    return rounding(ref.prefix_at_least, 4, V4_K)


@section
def at_most_v6():
    return rounding(ref.prefix_at_most, 6, V6_K)


@section
def at_least_v6():
    return rounding(ref.prefix_at_least, 6, V6_K)


FRACTIONAL = ['0', '0.5', '0.999', '1', '1.0001', '1.5', '2', '2.5', '3', '1000',
              '1000.5', '1023.999', '1024', '1024.001', '4294967295.5',
              '4294967296', '4294967296.5', '1e30', '340282366920938463463374607431768211455.5',
              '340282366920938463463374607431768211456',
              '340282366920938463463374607431768211456.5']


@section
def fractional():
    out = []
    for s in FRACTIONAL:
        x = ref.parse(s)
        out.append([q(s)] + [q(err_or(f, x, fam)) for f in (ref.prefix_at_most, ref.prefix_at_least)
                             for fam in (4, 6)])
    return rows(out)


# ---------------------------------------------------------------- hdratio

POW2_PAIRS = [(0, 1), (1, 1), (4, 5), (47, 50), (1, 3), (2, 3), (31, 32), (12, 32),
              (64, 128), (127, 128), (0, 128), (128, 128), (93, 100), (15, 16)]


@section
def ratio_pow2():
    out = []
    for a, b in POW2_PAIRS:
        want = ref.hd_ratio(F(2 ** a), F(2 ** b))
        assert want == float(F(a, b))
        out.append([str(a), str(b), q(repr(want))])
    return rows(out)


RATIO_CASES = [('1000', '4096'), ('3088', '4096'), ('3087', '4096'), ('2289', '4096'),
               ('2288', '4096'), ('1', '2'), ('2', '3'), ('5', '7'), ('0.5', '4'),
               ('0.5', '10'), ('99', '100'), ('100', '100'), ('1.5', '1.5'),
               ('16663142328188667481494392430120128952', str(2 ** 128)),
               ('16663142328188667481494392430120128951', str(2 ** 128)),
               (str(2 ** 128), str(2 ** 128)), ('1', str(2 ** 128)),
               ('123456789', '4294967296')]


@section
def ratio_cases():
    out = []
    import decimal
    for u, t in RATIO_CASES:
        w = ref.hd_ratio(ref.parse(u), ref.parse(t))
        # the suite shows round(got, 12): make sure w is not near a tie there
        scaled = abs(decimal.Decimal(w)) * 10 ** 12
        assert abs(scaled - int(scaled) - decimal.Decimal('0.5')) > decimal.Decimal('0.001')
        shown = decimal.Decimal(w).quantize(decimal.Decimal('1e-12'),
                                            rounding=decimal.ROUND_HALF_UP)
        out.append([u, t, q(repr(w)), format(shown, 'f')])
    return rows(out)


def tie_cases():
    c = []
    two = F(2)
    c += [(32, '0.8'), (2 ** 50, '0.94'), (2 ** 100, '0.93'), (2 ** 120, '0.9'),
          (3 ** 80, '0.9'), (10 ** 38, '0.5'), (10 ** 6, '0.5'), (7 ** 45, '0.2'),
          (5 ** 50, '0.44'), (6 ** 40, '0.35'), (1000, '0.5'), (2 ** 20, '0.75')]
    for h in ['0', '0.0078125', '0.125', '0.25', '0.5', '0.6', '0.75', '0.9', '0.93',
              '0.96875', '0.966', '1']:
        c.append((2 ** 128, h))
    return c


@section
def hd_ties():
    out = []
    for t, h in tie_cases():
        want = ref.hd_required(F(t), ref.parse(h))
        hf = ref.parse(h)
        exact = want ** hf.denominator == t ** hf.numerator
        out.append([str(t), h, str(want), 'true' if exact else 'false'])
    return rows(out)


def near_tie_cases():
    c = []
    for t, h in tie_cases():
        if t in (2 ** 128,) or h in ('0', '1'):
            continue
        c += [(t - 1, h), (t + 1, h)]
    for h in ['0.5', '0.75', '0.96875']:
        c.append((2 ** 128 - 1, h))
    return c


@section
def hd_near_ties():
    out = []
    for t, h in near_tie_cases():
        out.append([str(t), h, str(ref.hd_required(F(t), ref.parse(h)))])
    return rows(out)


EDGE_T = [0, 1, 2, 3, 4096, 2 ** 128]
EDGE_H = ['0', '1e-400', '0.5', '0.93', '0.966', '1']


@section
def hd_edges():
    out = []
    for t in EDGE_T:
        for h in EDGE_H:
            out.append([str(t), q(h), str(ref.hd_required(F(t), ref.parse(h)))])
    return rows(out)


LONG_H = [(4, '0.5' + '0' * 399 + '1'), (4, '0.4' + '9' * 400),
          (2 ** 128, '0.5' + '0' * 299 + '1'), (2 ** 128, '0.4' + '9' * 300),
          (2, '1e-20'), (100, '1e-400'), (2 ** 128, '0.96600000001'),
          (2 ** 128, '0.12345678901234567890123456789')]


@section
def hd_long():
    out = []
    for t, h in LONG_H:
        out.append([str(t), q(h), str(ref.hd_required(F(t), ref.parse(h)))])
    return rows(out)


GRID_H = ['0.5', '0.8', '0.93', '0.94', '0.966', '0.99']


def grid_totals():
    ts = set()
    for k in range(33):
        ts |= {2 ** k, 2 ** k + 1, max(0, 2 ** k - 1)}
    for k in (40, 48, 52, 53, 56, 64, 72, 80, 96, 112, 120, 127, 128):
        ts.add(2 ** k)
    ts |= {1000, 3000, 10 ** 6, 10 ** 12, 10 ** 30, 2 ** 128 - 1}
    return sorted(ts)


@section
def hd_grid():
    out = []
    for t in grid_totals():
        for h in GRID_H:
            out.append([str(t), h, str(ref.hd_required(F(t), ref.parse(h)))])
    return rows(out)


def clear(u, t, h):
    """Is the double hd_ratio(u, t) certain to sit on the same side of h as
    the exact ratio?  Yes when they are more than 1e-12 apart."""
    import decimal
    with decimal.localcontext() as c:
        c.prec = 60
        r = decimal.Decimal(u).ln() / decimal.Decimal(t).ln() if u > 0 else None
        if r is None:
            return True
        return abs(r - decimal.Decimal(h)) > decimal.Decimal('1e-12')


@section
def consistency():
    """Totals > 1 of the grid whose ratio at required and required-1 is
    clearly on its side of the threshold."""
    out = []
    for t in grid_totals():
        if t <= 1:
            continue
        for h in GRID_H:
            r = ref.hd_required(F(t), ref.parse(h))
            if clear(r, t, h) and clear(r - 1, t, h):
                out.append([str(t), h])
    return rows(out)


@section
def ipv4_table():
    out = []
    for m in range(0, 33):
        t = 2 ** (32 - m)
        out.append([str(m), str(ref.hd_required(F(t), F(966, 1000))),
                    str(ref.hd_required(F(t), F(93, 100)))])
    return rows(out)


@section
def blocks():
    cases = [('10.0.0.0/20', None, None), ('10.0.0.0/20', '0.93', None),
             ('192.0.2.77/27', '0.8', None), ('2001:db8::/32', '0.94', 48),
             ('2001:db8::/32', '0.8', 48), ('2001:db8::/29', '0.94', 56),
             ('2001:db8::/32', '0.94', None), ('::/0', '0.5', None),
             ('::/0', '0.5', 64), ('0.0.0.0/0', '0.966', None)]
    out = []
    for b, h, unit in cases:
        plen = int(b.split('/')[1])
        fam = 6 if ':' in b else 4
        total = 2 ** ((unit if unit is not None else (32 if fam == 4 else 128)) - plen)
        want = ref.hd_required(F(total), ref.parse(h or '0.966'))
        out.append([q(b), h or 'NULL', 'NULL' if unit is None else str(unit), str(want)])
    return rows(out)


def table_inputs():
    """Every row boundary 2^k of both tables (k = 12..22: a /20 is 2^12),
    with the values just below it, plus 0, 1, a fraction and huge values."""
    xs = ['0', '0.5', '1']
    for k in range(12, 23):
        xs += [str(2 ** k - 1), str(2 ** k - 1) + '.5', str(2 ** k)]
    xs += [str(2 ** 23), str(2 ** 32), str(2 ** 128), '1e100', 'Infinity']
    return xs


@section
def tables():
    out = []
    for s in table_inputs():
        x = ref.parse(s)
        out.append([q(s), str(ref.hd_table_pct(x, 'total')),
                    str(ref.hd_table_pct(x, 'recent'))])
    return rows(out)


# ------------------------------------------------------ utilization_check

# (label, total_used, total_allocated, recent_used, recent_allocated, method,
#  total_hd, recent_hd, cap, min_total); None = NULL = the default
UTIL_CASES = [
    # 'hd': a /20 that is both the total and the most recent allocation:
    # 4096^0.966 = 3087.02.. -> 3088, 4096^0.930 = 2288.20.. -> 2289
    ('hd pass at both requirements', 3088, 4096, 2289, 4096, 'hd', None, None, None, None),
    ('hd total one short', 3087, 4096, 2289, 4096, 'hd', None, None, None, None),
    ('hd recent one short', 3088, 4096, 2288, 4096, 'hd', None, None, None, None),
    ('hd both fail', 3087, 4096, 2288, 4096, 'hd', None, None, None, None),
    ('hd nothing used', 0, 4096, 0, 4096, 'hd', None, None, None, None),
    ('hd everything used', 4096, 4096, 4096, 4096, 'hd', None, None, None, None),
    ('hd /16 total, /18 recent pass', 44949, 65536, 8307, 16384, 'hd', None, None, None, None),
    ('hd /16 total, /18 recent fail', 44948, 65536, 8306, 16384, 'hd', None, None, None, None),
    # the 80% cap: 16^0.93 = 13.18.. needs 14 = 87.5%, the cap 0.8 * 16 =
    # 12.8 -> 13 binds; recent_hd 0.99 on a /20: 3769 > 3277 = cap
    ('hd cap binds (16-address recent) pass', 6031, 8192, 13, 16, 'hd', None, None, None, None),
    ('hd cap binds (16-address recent) fail', 6031, 8192, 12, 16, 'hd', None, None, None, None),
    ('hd cap binds (recent_hd 0.99) pass', 3400, 4096, 3277, 4096, 'hd', None, '0.99', None, None),
    ('hd cap binds (recent_hd 0.99) fail', 3400, 4096, 3276, 4096, 'hd', None, '0.99', None, None),
    ('hd cap 0.5 binds', 3088, 4096, 2048, 4096, 'hd', None, None, '0.5', None),
    ('hd cap 0.5 binds, fail', 3088, 4096, 2047, 4096, 'hd', None, None, '0.5', None),
    ('hd cap not binding (/24 recent)', 6031, 8192, 174, 256, 'hd', None, None, None, None),
    # the /20 election: 'hd' and 'table' need total allocations >= min_total
    ('hd below a /20: not elected', 4095, 4095, 4095, 4095, 'hd', None, None, None, None),
    ('table below a /20: not elected', 4000, 4095, 4000, 4095, 'table', None, None, None, None),
    ('hd with min_total 0, a /24', 213, 256, 174, 256, 'hd', None, None, None, '0'),
    ('hd with min_total 0, a /24, fail', 212, 256, 174, 256, 'hd', None, None, None, '0'),
    ('hd with min_total 8192, a /20', 4096, 4096, 4096, 4096, 'hd', None, None, None, '8192'),
    ('hd thresholds 0.8/0.8 on 32', 16, 32, 16, 32, 'hd', '0.8', '0.8', None, '0'),
    ('hd thresholds 0.8/0.8 on 32, fail', 15, 32, 15, 32, 'hd', '0.8', '0.8', None, '0'),
    # 'table': /18 total -> 70% of 16384 = 11468.8 -> 11469; /19 recent ->
    # 51% of 8192 = 4177.92 -> 4178; a /20 -> 75% = 3072 and 56% = 2293.76
    ('table /18 total, /19 recent pass', 11469, 16384, 4178, 8192, 'table', None, None, None, None),
    ('table /18 total one short', 11468, 16384, 4178, 8192, 'table', None, None, None, None),
    ('table /19 recent one short', 11469, 16384, 4177, 8192, 'table', None, None, None, None),
    ('table /20 pass', 3072, 4096, 2294, 4096, 'table', None, None, None, None),
    ('table /20 both fail', 3071, 4096, 2293, 4096, 'table', None, None, None, None),
    ('table >= /10 total, >= /14 recent', 2306868, 4194304, 104858, 262144, 'table', None, None, None, None),
    ('table < /20 total with min_total 0', 820, 1024, 287, 512, 'table', None, None, None, '0'),
    # 'fixed': cap of all and of the most recent; no /20 needed
    ('fixed /22 pass', 820, 1024, 205, 256, 'fixed', None, None, None, None),
    ('fixed /22 total fail', 819, 1024, 205, 256, 'fixed', None, None, None, None),
    ('fixed /22 recent fail', 820, 1024, 204, 256, 'fixed', None, None, None, None),
    ('fixed cap 0.75', 768, 1024, 192, 256, 'fixed', None, None, '0.75', None),
    ('fixed cap 1', 1023, 1024, 256, 256, 'fixed', None, None, '1', None),
    ('fixed nothing allocated', 0, 0, 0, 0, 'fixed', None, None, None, None),
    # blocks of 0 and 1 address: no HD ratio (NULL), 0^hd = 0, 1^hd = 1
    ('hd recent of one address, used', 3088, 4096, 1, 1, 'hd', None, None, None, None),
    ('hd recent of one address, unused', 3088, 4096, 0, 1, 'hd', None, '0.966', None, None),
    ('hd recent of nothing', 3088, 4096, 0, 0, 'hd', None, None, None, None),
    # IPv6-sized figures: ::/0 total, a /1 recent
    ('hd 2^128 total', 2 ** 127, 2 ** 128, 2 ** 126, 2 ** 127, 'hd', None, None, None, None),
    # NULL policy parameters mean their defaults
    ('all policy parameters NULL', 3088, 4096, 2289, 4096, None, None, None, None, None),
]


def _f(s):
    return None if s is None else ref.parse(s)


def _num(v):
    return 'NULL' if v is None else str(v)


def _float(v):
    """A double for the suite, which shows it rounded to 8 decimals: make
    sure that rounding is not near a tie."""
    import decimal
    if v is None:
        return 'NULL'
    if v == -math.inf:
        return "'-Infinity'"
    scaled = abs(decimal.Decimal(v)) * 10 ** 8
    assert abs(scaled - int(scaled) - decimal.Decimal('0.5')) > decimal.Decimal('0.001')
    return q(repr(v))


@section
def util_cases():
    out = []
    for (label, tu, ta, ru, ra, method, thd, rhd, cap, mt) in UTIL_CASES:
        r = ref.utilization_check(F(tu), F(ta), F(ru), F(ra), method, _f(thd),
                                  _f(rhd), _f(cap), _f(mt))
        el, treq, rreq, th, rh, _ = r
        out.append([q(label), str(tu), str(ta), str(ru), str(ra),
                    'NULL' if method is None else q(method),
                    _num(thd), _num(rhd), _num(cap), _num(mt),
                    'true' if el else 'false', _num(treq), _num(rreq),
                    _float(th), _float(rh)])
    return rows(out)


def main():
    names = sys.argv[1:] or list(SECTIONS)
    for n in names:
        print('-- ' + n)
        print(SECTIONS[n]())
        print()


if __name__ == '__main__':
    main()
