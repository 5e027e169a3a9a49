#!/usr/bin/env python3
"""test/rules/props.py — property test of issue 14's sizing functions against
an independent model in Python integers (no floating point anywhere):

  * prefix_at_most/prefix_at_least(addresses, family, step): the largest /
    smallest block on a step boundary, found by scanning prefix lengths;
  * ipv6_isp_allocation: NRPM 6.5.2.1 (c) read as its text says ("using no
    more than 75% of the available addresses"): the smallest multiple of 4,
    x, with 4 * n <= 3 * 2^x, for serving sites and for end sites;
  * ipv6_end_user_block: NRPM 6.5.8.2, one site a /48, else the smallest
    nibble block whose 75% holds the sites;
  * ipv6_isp_subsequent: NRPM 6.5.3 (b), 75% or more of the total, or more
    than 90% of a serving site, with fractions.Fraction;
  * hd_table: units^(p/q) rounded up, down or half up, decided exactly with
    integer powers: c^q >= 2^(k p) for the ceiling, (2f+1)^q <= 2^(kp+q)
    for the half.

Seeded (AP_SEED, default 14); AP_QUICK=1 runs a few hundred cases of each.
Exits 1 on any difference.
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402

seed = harness.seed(14)
rng = harness.rng(14)
N = 300 if harness.quick() else 3000


def psql(sql):
    """the rows of one query, its fields split (the database: PGDATABASE)"""
    return [l.split('|') for l in harness.lines(sql)]


fails = 0


def check(name, got, want, case):
    global fails
    if got != want:
        fails += 1
        if fails <= 20:
            print('FAIL %s %s: got %s, want %s' % (name, case, got, want))


# --- prefix_at_most / prefix_at_least with a step --------------------------
def at_most(n, width, step):
    # the largest block of a masklen multiple of step holding <= n addresses
    return min(m for m in range(0, width + 1, step) if 2 ** (width - m) <= n)


def at_least(n, width, step):
    return max(m for m in range(0, width + 1, step) if 2 ** (width - m) >= n)


cases = []
for _ in range(N):
    fam = rng.choice([4, 6])
    width = 32 if fam == 4 else 128
    step = rng.choice([d for d in (1, 2, 4, 8, 16, 32, 64, 128) if width % d == 0])
    e = rng.randint(0, width)
    n = max(1, rng.randint(2 ** e // 2, 2 ** e) + rng.choice([-1, 0, 1]))
    n = min(n, 2 ** width)
    cases.append((n, fam, step, width))
rows = psql('SELECT prefix_at_most(n, f, s), prefix_at_least(n, f, s) FROM (VALUES %s) v(n, f, s)'
            % ','.join('(%d::numeric, %d, %d)' % c[:3] for c in cases))
for c, r in zip(cases, rows):
    check('prefix_at_most', int(r[0]), at_most(c[0], c[3], c[2]), c[:3])
    check('prefix_at_least', int(r[1]), at_least(c[0], c[3], c[2]), c[:3])


# --- ipv6_isp_allocation ----------------------------------------------------
def nib(n):
    x = 0
    while 4 * n > 3 * 2 ** x:
        x += 4
    return x


def isp(s, e, p, longest, shortest):
    x, y = nib(s), nib(e)
    n = p - (x + y)
    n = min(n, longest)
    if shortest is not None:
        n = max(n, shortest)
    return (n, p - y)


cases = []
for _ in range(N):
    s = rng.choice([rng.randint(1, 50), rng.randint(1, 100000), 3 * 2 ** rng.randint(0, 20),
                    3 * 2 ** rng.randint(0, 20) + 1])
    e = rng.choice([rng.randint(1, 500), rng.randint(1, 10 ** 6), 3 * 2 ** rng.randint(0, 20),
                    3 * 2 ** rng.randint(0, 20) + 1])
    p = rng.choice([48, 56, 52, 64])
    longest = rng.choice([32, 36, 40])
    shortest = rng.choice([None, 16, 20, 24])
    if p - nib(s) - nib(e) < 0:
        continue
    cases.append((s, e, p, longest, shortest))
rows = psql('SELECT (ipv6_isp_allocation(s, e, p, l, sh)).* FROM (VALUES %s) v(s, e, p, l, sh)'
            % ','.join('(%d::bigint, %d::bigint, %d, %d, %s::int)'
                       % (c[0], c[1], c[2], c[3], 'NULL' if c[4] is None else c[4])
                       for c in cases))
for c, r in zip(cases, rows):
    check('ipv6_isp_allocation', (int(r[0]), int(r[1])), isp(*c), c)


# --- ipv6_end_user_block ------------------------------------------------------
def end_user(n):
    return 48 if n == 1 else 48 - nib(n)


cases = [rng.choice([rng.randint(1, 200), rng.randint(1, 10 ** 7), 3 * 4 ** rng.randint(0, 10),
                     3 * 4 ** rng.randint(0, 10) + 1]) for _ in range(N)]
rows = psql('SELECT ipv6_end_user_block(n) FROM unnest(ARRAY[%s]::bigint[]) n'
            % ','.join(map(str, cases)))
for c, r in zip(cases, rows):
    check('ipv6_end_user_block', int(r[0]), end_user(c), c)


# --- ipv6_isp_subsequent ------------------------------------------------------
def subsequent(t, u, s, su):
    treq = -(-3 * t // 4)            # ceil(0.75 t)
    sreq = (9 * s) // 10 + 1         # the smallest count > 0.9 s
    ok = u >= treq or (sreq <= s and su >= sreq)
    return (ok, treq, sreq if sreq <= s else None)


cases = []
for _ in range(N):
    t = 2 ** rng.randint(0, 24) * rng.choice([1, 1, 3])
    u = rng.randint(0, t)
    s = 2 ** rng.randint(0, 16)
    su = rng.randint(0, s)
    cases.append((t, u, s, su))
rows = psql('SELECT (ipv6_isp_subsequent(t, u, s, su)).eligible, (ipv6_isp_subsequent(t, u, s, su)).total_required, '
            '(ipv6_isp_subsequent(t, u, s, su)).site_required FROM (VALUES %s) v(t, u, s, su)'
            % ','.join('(%d::numeric, %d::numeric, %d::numeric, %d::numeric)' % c for c in cases))
for c, r in zip(cases, rows):
    got = (r[0] == 't', int(r[1]), int(r[2]) if r[2] != '' else None)
    check('ipv6_isp_subsequent', got, subsequent(*c), c)


# --- hd_table ----------------------------------------------------------------
def iroot_ceil(a, q):
    """the smallest c with c^q >= a"""
    lo, hi = 0, 1
    while hi ** q < a:
        hi *= 2
    while lo < hi:
        mid = (lo + hi) // 2
        if mid ** q >= a:
            hi = mid
        else:
            lo = mid + 1
    return lo


def hd_round(k, hd, mode):
    """(2^k)^hd rounded, hd a Fraction p/q"""
    p, q = hd.numerator, hd.denominator
    a = 2 ** (k * p)                 # x^q = a
    c = iroot_ceil(a, q)
    exact = c ** q == a
    if mode == 'ceil' or exact:
        return c
    f = c - 1
    if mode == 'floor':
        return f
    # x >= f + 1/2  <=>  (2f+1)^q <= 2^q * a
    return c if (2 * f + 1) ** q <= 2 ** q * a else f


cases = []
for _ in range(max(30, N // 10)):
    hd = Fraction(rng.choice(['0.94', '0.966', '0.93', '0.8', '0.5', '0.25', '0.99']))
    unit = rng.choice([56, 48, 32, 24])
    longest = rng.randint(unit - 30, unit) if unit > 30 else rng.randint(0, unit)
    shortest = max(0, longest - rng.randint(0, 6))
    mode = rng.choice(['ceil', 'nearest', 'floor'])
    cases.append((hd, unit, longest, shortest, mode))
for c in cases:
    hd, unit, longest, shortest, mode = c
    rows = psql("SELECT masklen, units, required FROM hd_table(%s, %d, %d, %d, '%s')"
                % (str(float(hd)) if hd.denominator <= 1000 else hd, unit, longest, shortest, mode))
    want = [(m, 2 ** (unit - m), hd_round(unit - m, hd, mode)) for m in range(longest, shortest - 1, -1)]
    got = [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
    check('hd_table', got, want, c)

total = 5 * N
print('rules: seed %d, prefix steps, 6.5.2.1, 6.5.8.2, 6.5.3 and hd_table against the Python model: %s'
      % (seed, 'all agree' if not fails else '%d FAILURES' % fails))
sys.exit(1 if fails else 0)
