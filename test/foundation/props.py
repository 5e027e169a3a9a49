#!/usr/bin/env python3
"""Property test of the foundation functions (issue 2).

Throws thousands of seeded random inputs at addr_count, prefix_size,
prefix_at_most, prefix_at_least, usable_hosts, hd_ratio (both forms),
hd_required (both forms), hd_table_pct and utilization_check; computes each
expected answer independently in Python (ref.py: exact integers and
fractions, decimal at high precision), loads inputs and expectations into
the database in one COPY per function and counts mismatches in one query
each.  It also checks the issue's laws:

  prefix_size(p) <= n < prefix_size(p - 1)     p = prefix_at_most(n), p > 0
  prefix_size(p) >= n > prefix_size(p + 1)     p = prefix_at_least(n), p < width
  hd_required(t, h) >= t^h > hd_required(t, h) - 1   (on the database's own
      answers, in Python: exact integers u^q >= t^p > (u-1)^q for h = p/q,
      decimal at 120+ digits for long thresholds)
  utilization_check eligible <=> used >= required, required = hd_required

and that no input, however wrong (NaN, +-Infinity, huge, negative, long
decimals, every masklen and family, both families), crashes the backend or
raises an internal error (SQLSTATE class XX): errors are fine, a lost
connection is not.

    python3 props.py [--seed N] [--scale X]

Uses psql (PGHOST etc. from the environment, database from PGDATABASE);
python3 stdlib only.  AP_QUICK=1 runs a smaller sample (well under 30 s);
AP_SEED=N is --seed N.
Exit status 1 on any mismatch, violation, internal error or crash.
"""
import argparse
import decimal
import ipaddress
import math
import os
import random
import sys
import time
from decimal import Decimal
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ref  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import cidrs  # noqa: E402
import harness  # noqa: E402

TWO128 = 1 << 128
failures = []


def report(name, total, bad, samples):
    status = 'ok' if bad == 0 else 'FAIL'
    print('  %-44s %7d cases  %5d mismatches  %s' % (name, total, bad, status))
    if bad:
        failures.append(name)
        for s in samples[:10]:
            print('      ' + s)


def try_text(fn, *a):
    try:
        return str(fn(*a))
    except ref.RefError as e:
        return 'E' + e.sqlstate


SETUP = r"""
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
CREATE OR REPLACE FUNCTION t_most(x numeric, f int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN prefix_at_most(x, f)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_least(x numeric, f int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN prefix_at_least(x, f)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_size(m int, f int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN prefix_size(m, f)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_req(t numeric, h numeric) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN hd_required(t, h)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_reqb(b inet, h numeric, u int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN hd_required(b, h, u)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_ratio(u numeric, t numeric) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN hd_ratio(u, t)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
CREATE OR REPLACE FUNCTION t_pct(x numeric, w text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RETURN hd_table_pct(x, w)::text;
EXCEPTION WHEN OTHERS THEN RETURN 'E' || SQLSTATE; END $$;
"""


# ---------------------------------------------------------- random inputs

def dec_str(x):
    """An exact decimal literal for a Fraction whose denominator is 2^a 5^b."""
    if x.denominator == 1:
        return str(x.numerator)
    d = Decimal(x.numerator) / Decimal(x.denominator)
    with decimal.localcontext() as c:
        c.prec = 400
        d = Decimal(x.numerator) / Decimal(x.denominator)
    assert F(d) == x, x
    return format(d, 'f')


def rand_count(rng, maxbits=130):
    """A non-negative count: integers of every size, powers of two and their
    neighbours, fractions."""
    k = rng.randint(0, maxbits)
    r = rng.random()
    if r < 0.3:
        x = F(rng.getrandbits(k)) if k else F(0)
    elif r < 0.6:
        x = F(2) ** k + rng.choice([-1, 0, 0, 1, F(-1, 2), F(1, 2), F(-1, 1000)])
    elif r < 0.85:
        x = F(rng.getrandbits(k) if k else 0) + F(rng.randint(0, 10 ** 6 - 1), 10 ** 6)
    else:
        x = F(rng.randint(0, 999), 1000)
    return max(x, F(0))


TIE_DENS = [2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64, 80, 100, 125, 128]


def rand_threshold(rng):
    """A threshold as its exact decimal text."""
    r = rng.random()
    if r < 0.05:
        return rng.choice(['0', '1', '0.966', '0.930', '0.94', '0.8'])
    if r < 0.55:
        nd = rng.randint(1, 4)
        return dec_str(F(rng.randint(0, 10 ** nd), 10 ** nd))
    if r < 0.9:
        q = rng.choice(TIE_DENS)
        return dec_str(F(rng.randint(1, q - 1), q))
    nd = rng.randint(8, 40)
    return dec_str(F(rng.randint(1, 10 ** nd - 1), 10 ** nd))


def rand_total(rng, h):
    return min(TWO128, _rand_total(rng, h))


def _rand_total(rng, h):
    """A whole total, often a perfect power r^q of the threshold's
    denominator (an exact tie) or one away from it."""
    hf = F(h)
    q = hf.denominator
    r = rng.random()
    if r < 0.4 and 1 < q <= 128:
        root = rng.randint(2, max(2, int(2 ** (128 / q))))
        while root ** q > TWO128:
            root -= 1
        if root >= 2:
            return max(0, root ** q + rng.choice([-1, 0, 0, 1]))
    if r < 0.5:
        return rng.choice([0, 1, 2, 3, TWO128, TWO128 - 1, 4096])
    if r < 0.7:
        return min(TWO128, max(0, 2 ** rng.randint(0, 128) + rng.choice([-1, 0, 1])))
    return rng.getrandbits(rng.randint(1, 128))


# ------------------------------------------------------------ the checks

def check_cidr(rng, n):
    rows = []
    for i in range(n):
        fam = rng.choice([4, 6])
        x = rand_count(rng, 34 if fam == 4 and rng.random() < 0.7 else 130)
        rows.append((i, dec_str(x), fam, try_text(ref.prefix_at_most, x, fam),
                     try_text(ref.prefix_at_least, x, fam)))
    out = harness.lines(SETUP + 'CREATE TEMP TABLE pa (id int, x numeric, fam int, most text, least text);\n'
               + harness.copy_block('pa', ['id', 'x', 'fam', 'most', 'least'], rows) + r"""
SELECT 'most', count(*), count(*) FILTER (WHERE t_most(x, fam) <> most) FROM pa;
SELECT 'least', count(*), count(*) FILTER (WHERE t_least(x, fam) <> least) FROM pa;
SELECT 'bad', id, x, fam, most, t_most(x, fam), least, t_least(x, fam) FROM pa
 WHERE t_most(x, fam) <> most OR t_least(x, fam) <> least LIMIT 10;
-- the laws, on the database's own answers
WITH v AS (SELECT x, fam, CASE fam WHEN 4 THEN 32 ELSE 128 END AS w,
                  t_most(x, fam) AS pm, t_least(x, fam) AS pl FROM pa)
SELECT 'law_most', count(*), count(*) FILTER (WHERE NOT (
         prefix_size(pm::int, fam) <= x AND (pm::int = 0 OR x < prefix_size(pm::int - 1, fam))))
  FROM v WHERE pm NOT LIKE 'E%'
UNION ALL
SELECT 'law_least', count(*), count(*) FILTER (WHERE NOT (
         prefix_size(pl::int, fam) >= x AND (pl::int = w OR x > prefix_size(pl::int + 1, fam))))
  FROM v WHERE pl NOT LIKE 'E%';
""", what='prefix_at_most/at_least')
    bad = [l for l in out if l.startswith('bad|')]
    for l in out:
        f = l.split('|')
        if f[0] == 'most':
            report('prefix_at_most = Python', int(f[1]), int(f[2]), bad)
        elif f[0] == 'least':
            report('prefix_at_least = Python', int(f[1]), int(f[2]), bad)
        elif f[0] == 'law_most':
            report('law: size(p) <= n < size(p-1)', int(f[1]), int(f[2]), [])
        elif f[0] == 'law_least':
            report('law: size(p) >= n > size(p+1)', int(f[1]), int(f[2]), [])


def check_blocks(rng, n):
    rows = []
    for i in range(n):
        fam = rng.choice([4, 6])
        w = 32 if fam == 4 else 128
        m = rng.randint(0, w)
        addr = ipaddress.ip_address(rng.getrandbits(w)) if fam == 4 else \
            ipaddress.IPv6Address(rng.getrandbits(w))
        blk = '%s/%d' % (addr, m)          # an inet: host bits kept
        sm = rng.randint(-3, 131)
        sf = rng.choice([4, 6, 4, 6, 0, 5, -6])
        rows.append((i, blk, ref.addr_count(m, fam), ref.usable_hosts(m, fam), sm, sf,
                     try_text(ref.prefix_size, sm, sf)))
    out = harness.lines(SETUP + 'CREATE TEMP TABLE b (id int, blk inet, cnt numeric, usable numeric, sm int, sf int, size text);\n'
               + harness.copy_block('b', ['id', 'blk', 'cnt', 'usable', 'sm', 'sf', 'size'], rows) + r"""
SELECT 'count', count(*), count(*) FILTER (WHERE addr_count(blk) <> cnt
                                              OR addr_count(blk::cidr_ok) <> cnt) FROM
  (SELECT id, blk, cnt, usable, sm, sf, size, network(blk) AS cidr_ok FROM b) b;
SELECT 'usable', count(*), count(*) FILTER (WHERE usable_hosts(blk) <> usable) FROM b;
SELECT 'size', count(*), count(*) FILTER (WHERE t_size(sm, sf) <> size) FROM b;
SELECT 'bad', id, blk, cnt, addr_count(blk), usable, usable_hosts(blk), sm, sf, size, t_size(sm, sf)
  FROM b WHERE addr_count(blk) <> cnt OR usable_hosts(blk) <> usable OR t_size(sm, sf) <> size LIMIT 10;
""".replace('blk::cidr_ok', 'cidr_ok'), what='addr_count/usable_hosts/prefix_size')
    bad = [l for l in out if l.startswith('bad|')]
    names = {'count': 'addr_count (inet and cidr) = Python',
             'usable': 'usable_hosts = Python', 'size': 'prefix_size = Python'}
    for l in out:
        f = l.split('|')
        if f[0] in names:
            report(names[f[0]], int(f[1]), int(f[2]), bad)


def law_holds(u, t, h):
    """u >= t^h > u - 1, decided exactly (or at high precision for long h)."""
    hf = F(h)
    p, q = hf.numerator, hf.denominator
    if t == 0:
        return u == (1 if hf == 0 else 0)
    if t == 1:
        return u == 1
    if q <= ref.EXACT_Q:
        tp = t ** p
        return u ** q >= tp and (u - 1 < 0 or (u - 1) ** q < tp)
    prec = 150
    while prec < 5000:
        with decimal.localcontext() as c:
            c.prec = prec
            y = Decimal(p) / Decimal(q) * Decimal(t).ln()
            lu = Decimal(u).ln() if u > 0 else Decimal('-Infinity')
            lu1 = Decimal(u - 1).ln() if u > 1 else Decimal('-Infinity')
            tol = Decimal(10) ** (-(prec - 20)) * max(Decimal(1), abs(y))
            if abs(lu - y) > tol and (u <= 1 or abs(lu1 - y) > tol):
                return lu >= y and lu1 < y
        prec *= 2
    return False


def check_hd_required(rng, n):
    rows = []
    for i in range(n):
        h = rand_threshold(rng)
        t = rand_total(rng, h)
        rows.append((i, str(t), h, ref.hd_required(F(t), F(h))))
    # and the block form: a random block, its addresses or /unit units
    brows = []
    for i in range(max(1, n // 5)):
        fam = rng.choice([4, 6])
        w = 32 if fam == 4 else 128
        m = rng.randint(0, w)
        unit = rng.choice([None, rng.randint(m, w)])
        h = rand_threshold(rng)
        total = 2 ** ((unit if unit is not None else w) - m)
        net = ipaddress.ip_network('%s/%d' % ('0.0.0.0' if fam == 4 else '::', m))
        brows.append((i, str(net), h, unit, ref.hd_required(F(total), F(h))))
    t0 = time.time()
    out = harness.lines(SETUP + 'CREATE TEMP TABLE r (id int, t numeric, h numeric, want numeric);\n'
               + harness.copy_block('r', ['id', 't', 'h', 'want'], rows)
               + 'CREATE TEMP TABLE rb (id int, b inet, h numeric, u int, want numeric);\n'
               + harness.copy_block('rb', ['id', 'b', 'h', 'u', 'want'], brows) + r"""
CREATE TEMP TABLE got AS SELECT id, t, h, want, t_req(t, h) AS got FROM r;
SELECT 'req', count(*), count(*) FILTER (WHERE got <> want::text) FROM got;
SELECT 'bad', id, t, h, want, got FROM got WHERE got <> want::text LIMIT 10;
SELECT 'block', count(*), count(*) FILTER (WHERE t_reqb(b, h, u) <> want::text) FROM rb;
SELECT 'badb', id, b, h, u, want, t_reqb(b, h, u) FROM rb WHERE t_reqb(b, h, u) <> want::text LIMIT 10;
-- hd_required/hd_ratio consistency at u and u - 1, listed for Python
SELECT 'cons', id, t, h, got, hd_ratio(got::numeric, t) >= h, hd_ratio(got::numeric - 1, t) < h
  FROM got WHERE t > 1 AND got NOT LIKE 'E%' AND got::numeric BETWEEN 1 AND t;
SELECT 'out', id, got FROM got;
""", what='hd_required')
    elapsed = time.time() - t0
    bad = [l for l in out if l.startswith('bad|')]
    for l in out:
        f = l.split('|')
        if f[0] == 'req':
            report('hd_required = Python (exact)', int(f[1]), int(f[2]), bad)
        elif f[0] == 'block':
            report('hd_required(block, hd, unit) = Python', int(f[1]), int(f[2]),
                   [x for x in out if x.startswith('badb|')])
    # the law, on the database's answers, exactly
    byid = {r[0]: r for r in rows}
    viol = []
    cnt = 0
    for l in out:
        f = l.split('|')
        if f[0] != 'out':
            continue
        cnt += 1
        i, got = int(f[1]), f[2]
        _, t, h, _ = byid[i]
        if got.startswith('E') or not law_holds(int(got), int(t), h):
            viol.append('t=%s h=%s got=%s' % (t, h, got))
    report('law: u >= t^h > u - 1 (Python, exact)', cnt, len(viol), viol)
    # consistency with hd_ratio where a double can decide (>1e-12 margin)
    ccount, cbad, ctie = 0, [], 0
    for l in out:
        f = l.split('|')
        if f[0] != 'cons':
            continue
        t, h, u = int(f[2]), f[3], int(f[4])
        at_u, below = f[5] == 't', f[6] == 't'
        with decimal.localcontext() as c:
            c.prec = 60
            lt = Decimal(t).ln()
            r_u = Decimal(u).ln() / lt
            r_b = Decimal(u - 1).ln() / lt if u > 1 else None
            hd = Decimal(h)
            margin = Decimal('1e-12')
            if abs(r_u - hd) > margin and (r_b is None or abs(r_b - hd) > margin):
                ccount += 1
                if not (at_u and below):
                    cbad.append('t=%d h=%s u=%d ratio(u)>=h %s ratio(u-1)<h %s' % (t, h, u, at_u, below))
            else:
                ctie += 1
    report('hd_ratio(u) >= h > hd_ratio(u-1) (clear)', ccount, len(cbad), cbad)
    print('      (%d cases within 1e-12 of a tie left to hd_required; '
          'database time %.1f s)' % (ctie, elapsed))


def check_hd_ratio(rng, n):
    rows = []
    for i in range(n):
        r = rng.random()
        if r < 0.2:
            a, b = rng.randint(0, 128), rng.randint(1, 128)
            a, b = min(a, b), max(a, b)
            u, t = F(2) ** a, F(2) ** b
        elif r < 0.8:
            t = F(rng.getrandbits(rng.randint(2, 128))) + 2
            u = F(rng.randint(0, int(t)))
        else:
            # counts are whole (fractions are an error, checked in the
            # error cases): small totals, used a random share of them
            t = F(rng.randint(2, 10 ** 6))
            u = F(int(t * F(rng.randint(0, 1000), 1000)))
        want = ref.hd_ratio(u, t)
        rows.append((i, dec_str(u), dec_str(t), repr(want)))
    out = harness.lines(SETUP + 'CREATE TEMP TABLE hr (id int, u numeric, t numeric, want float8);\n'
               + harness.copy_block('hr', ['id', 'u', 't', 'want'], rows) + r"""
CREATE TEMP TABLE g AS SELECT *, hd_ratio(u, t) AS got FROM hr;
SELECT 'ratio', count(*), count(*) FILTER (WHERE NOT (got = want OR abs(got - want) <= 4e-15 * abs(want))) FROM g;
SELECT 'bad', id, u, t, want, got FROM g WHERE NOT (got = want OR abs(got - want) <= 4e-15 * abs(want)) LIMIT 10;
-- exact on powers of two: u = 2^a, t = 2^b gives the double nearest a/b
SELECT 'pow2', count(*), count(*) FILTER (WHERE got <> want) FROM g
 WHERE t = 2::numeric ^ round(log(2, t)) AND (u = 0 OR u = 2::numeric ^ round(log(2, u)));
-- the block form agrees with the numeric form
SELECT 'blockform', count(*), count(*) FILTER (WHERE hd_ratio(u, set_masklen('::'::inet, m))
                                                 <> hd_ratio(u, 2::numeric ^ (128 - m))) FROM
  (SELECT (id % 1000)::numeric AS u, 100 + id % 19 AS m FROM hr) x;
""", what='hd_ratio')
    bad = [l for l in out if l.startswith('bad|')]
    for l in out:
        f = l.split('|')
        if f[0] == 'ratio':
            report('hd_ratio within 4e-15 of Python (decimal)', int(f[1]), int(f[2]), bad)
        elif f[0] == 'pow2':
            report('hd_ratio exact on powers of two', int(f[1]), int(f[2]), [])
        elif f[0] == 'blockform':
            report('hd_ratio(u, block) = hd_ratio(u, addresses)', int(f[1]), int(f[2]), [])


def check_tables(rng, n):
    rows = []
    for i in range(n):
        x = rand_count(rng, 40)
        w = rng.choice(['total', 'recent', 'total', 'recent', 'Total', 'x'])
        rows.append((i, dec_str(x), w, try_text(ref.hd_table_pct, x, w)))
    out = harness.lines(SETUP + 'CREATE TEMP TABLE tp (id int, x numeric, w text, want text);\n'
               + harness.copy_block('tp', ['id', 'x', 'w', 'want'], rows) + r"""
SELECT 'pct', count(*), count(*) FILTER (WHERE t_pct(x, w) <> want) FROM tp;
SELECT 'bad', id, x, w, want, t_pct(x, w) FROM tp WHERE t_pct(x, w) <> want LIMIT 10;
""", what='hd_table_pct')
    bad = [l for l in out if l.startswith('bad|')]
    for l in out:
        f = l.split('|')
        if f[0] == 'pct':
            report('hd_table_pct = Python', int(f[1]), int(f[2]), bad)


def rand_member(rng):
    bits = rng.choice([rng.randint(0, 24), rng.randint(10, 40), rng.randint(0, 128)])
    ta = rng.getrandbits(bits) if rng.random() < 0.5 else 2 ** bits
    ta = min(ta, TWO128)
    ra = rng.randint(0, ta) if rng.random() < 0.5 else 2 ** rng.randint(0, max(0, ta.bit_length() - 1)) if ta else 0
    ra = min(ra, ta)
    method = rng.choice(['hd', 'hd', 'table', 'fixed', None])
    thd = rng.choice([None, None, rand_threshold(rng)])
    rhd = rng.choice([None, None, rand_threshold(rng)])
    cap = rng.choice([None, None, dec_str(F(rng.randint(1, 100), 100))])
    mt = rng.choice([None, None, str(rng.choice([0, 1, 4096, 2 ** rng.randint(0, 40)]))])
    # used figures: at, around and away from the requirements
    base = ref.utilization_check(F(ta), F(ta), F(ra), F(ra), method, *(None if v is None else F(v)
                                 for v in (thd, rhd, cap, mt)))
    treq, rreq = (base[1], base[2]) if base[1] is not None else (ta // 2, ra // 2)
    tu = min(ta, max(0, treq + rng.choice([-1, 0, 1, rng.randint(-ta, ta)])))
    ru = min(ra, tu, max(0, rreq + rng.choice([-1, 0, 1, rng.randint(-ra, ra)])))
    return ta, ra, tu, ru, method, thd, rhd, cap, mt


def check_utilization(rng, n):
    rows = []
    for i in range(n):
        ta, ra, tu, ru, method, thd, rhd, cap, mt = rand_member(rng)
        pf = [None if v is None else F(v) for v in (thd, rhd, cap, mt)]
        el, treq, rreq, _, _, _ = ref.utilization_check(F(tu), F(ta), F(ru), F(ra), method, *pf)
        rows.append((i, tu, ta, ru, ra, method, thd, rhd, cap, mt,
                     't' if el else 'f', treq, rreq))
    out = harness.lines(SETUP + r"""CREATE TEMP TABLE u (id int, tu numeric, ta numeric, ru numeric, ra numeric,
  method text, thd numeric, rhd numeric, cap numeric, mt numeric, el bool, treq numeric, rreq numeric);
""" + harness.copy_block('u', ['id', 'tu', 'ta', 'ru', 'ra', 'method', 'thd', 'rhd', 'cap', 'mt',
                       'el', 'treq', 'rreq'], rows) + r"""
CREATE TEMP TABLE ug AS SELECT u.*, r.* FROM u,
  LATERAL utilization_check(tu, ta, ru, ra, method, thd, rhd, cap, mt) r;
SELECT 'util', count(*), count(*) FILTER (WHERE NOT (eligible = el
        AND total_required IS NOT DISTINCT FROM treq AND recent_required IS NOT DISTINCT FROM rreq
        AND (reason IS NULL) = eligible)) FROM ug;
SELECT 'bad', id, tu, ta, ru, ra, method, thd, rhd, cap, mt, el, treq, rreq, eligible,
       total_required, recent_required FROM ug
 WHERE NOT (eligible = el AND total_required IS NOT DISTINCT FROM treq
            AND recent_required IS NOT DISTINCT FROM rreq AND (reason IS NULL) = eligible) LIMIT 10;
-- the pass/fail decision agrees with used >= required, exactly; for 'hd'
-- the requirements are hd_required (the recent one capped)
SELECT 'agree', count(*), count(*) FILTER (WHERE eligible <> (tu >= total_required AND ru >= recent_required))
  FROM ug WHERE total_required IS NOT NULL;
SELECT 'hdreq', count(*), count(*) FILTER (WHERE total_required <> hd_required(ta, coalesce(thd, 0.966))
        OR recent_required <> least(hd_required(ra, coalesce(rhd, 0.930)), ceil(coalesce(cap, 0.80) * ra)))
  FROM ug WHERE coalesce(method, 'hd') = 'hd' AND total_required IS NOT NULL;
""", what='utilization_check')
    bad = [l for l in out if l.startswith('bad|')]
    names = {'util': 'utilization_check = Python',
             'agree': 'eligible <=> used >= required',
             'hdreq': "'hd' required = hd_required (capped)"}
    for l in out:
        f = l.split('|')
        if f[0] in names:
            report(names[f[0]], int(f[1]), int(f[2]), bad if f[0] == 'util' else [])


# ----------------------------------------------------------- no crashes

def garbage_numeric(rng):
    pool = ['NaN', 'Infinity', '-Infinity', '0', '-0', '1', '-1', '0.5', '-0.5', '2', '4096',
            '1e-1000', '-1e-1000', '1e1000', '-1e1000', '1e-300', str(TWO128), str(TWO128 - 1),
            str(TWO128 + 1), str(2 ** 200), str(-TWO128), '0.966', '0.93', '1.0000000001',
            '0.' + '9' * 999, '0.' + '0' * 998 + '1', str(2 ** 64), str(2 ** 32), '4294967296.5',
            '0.5' + '0' * 990 + '1', '9' * 500]
    r = rng.random()
    if r < 0.6:
        return rng.choice(pool)
    if r < 0.8:
        return str(rng.randint(-2 ** 140, 2 ** 140))
    return '%s%d.%d' % (rng.choice(['', '-']), rng.getrandbits(rng.randint(0, 140)),
                        rng.randint(0, 10 ** 30))


def garbage_int(rng):
    return rng.choice([-2147483648, -129, -33, -1, 0, 1, 4, 5, 6, 31, 32, 33, 48, 56, 64,
                       127, 128, 129, 1000, 2147483647, rng.randint(-200, 200)])


def garbage_text(rng):
    return rng.choice(['hd', 'table', 'fixed', 'total', 'recent', '', 'HD', 'Total', ' hd',
                       'x' * 300, "it's", 'fixed\\n'])


def lit(v, typ):
    if v is None:
        return 'NULL::' + typ
    return "'%s'::%s" % (str(v).replace("'", "''"), typ)


def check_garbage(rng, n):
    calls = []
    N, I, T, IN = 'numeric', 'int4', 'text', 'inet'
    gens = {N: garbage_numeric, I: garbage_int, T: garbage_text, IN: cidrs.rand_inet}
    sigs = [('addr_count', [IN]), ('usable_hosts', [IN]), ('prefix_size', [I, I]),
            ('prefix_at_most', [N, I]), ('prefix_at_least', [N, I]),
            ('hd_ratio', [N, N]), ('hd_ratio', [N, IN, I]), ('hd_required', [N, N]),
            ('hd_required', [IN, N, I]), ('hd_table_pct', [N, T]),
            ('utilization_check', [N, N, N, N, T, N, N, N, N])]
    for i in range(n):
        name, types = sigs[i % len(sigs)]
        args = []
        for typ in types:
            v = None if rng.random() < 0.04 else gens[typ](rng)
            args.append(lit(v, typ))
        calls.append((i, name, 'SELECT %s(%s)' % (name, ', '.join(args))))
    # a well-formed member with garbage policy parameters, and the reverse
    for i in range(n, n + n // 4):
        args = [lit(v, N) for v in ('3088', '4096', '2289', '4096')] + \
               [lit(garbage_text(rng), T)] + [lit(garbage_numeric(rng), N) for _ in range(4)]
        calls.append((i, 'utilization_check', 'SELECT utilization_check(%s)' % ', '.join(args)))
    out = harness.lines(SETUP + 'CREATE TEMP TABLE calls (id int, fn text, q text);\n'
               + harness.copy_block('calls', ['id', 'fn', 'q'], calls) + r"""
CREATE TEMP TABLE outcome (id int, fn text, state text);
DO $$
DECLARE c record; r text;
BEGIN
  FOR c IN SELECT * FROM calls ORDER BY id LOOP
    BEGIN
      EXECUTE c.q INTO r;
      INSERT INTO outcome VALUES (c.id, c.fn, 'ok');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO outcome VALUES (c.id, c.fn, SQLSTATE);
    END;
  END LOOP;
END $$;
SELECT 'state', fn, state, count(*) FROM outcome GROUP BY 1, 2, 3 ORDER BY 2, 3;
SELECT 'internal', o.id, o.state, c.q FROM outcome o JOIN calls c USING (id)
 WHERE o.state LIKE 'XX%' OR o.state LIKE '58%' LIMIT 10;
SELECT 'alive', 1;
""", what='garbage inputs')
    states = {}
    for l in out:
        f = l.split('|')
        if f[0] == 'state':
            states.setdefault(f[1], []).append('%s:%s' % (f[2], f[3]))
    internal = [l for l in out if l.startswith('internal|')]
    report('garbage inputs: no crash, no XX error', len(calls), len(internal),
           [x[:300] for x in internal])
    for fn in sorted(states):
        print('      %-18s %s' % (fn, ' '.join(states[fn])))
    if not any(l == 'alive|1' for l in out):
        failures.append('backend not alive after garbage')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=harness.seed(20050217))
    ap.add_argument('--scale', type=float, default=None)
    a = ap.parse_args()
    quick = harness.quick()
    scale = a.scale if a.scale is not None else (1.0 if quick else 10.0)
    rng = random.Random(a.seed)
    print('foundation property test: seed %d, scale %g%s' % (a.seed, scale, ' (quick)' if quick else ''))
    t0 = time.time()
    steps = [(check_cidr, 3000), (check_blocks, 1500), (check_hd_required, 1500),
             (check_hd_ratio, 2000), (check_tables, 1500), (check_utilization, 1500),
             (check_garbage, 2000)]
    for fn, n in steps:
        s = time.time()
        fn(rng, max(1, int(n * scale)))
        print('    (%s: %.1f s)' % (fn.__name__, time.time() - s))
    print('foundation: %s in %.1f s' % ('every case as Python computes it' if not failures
                                        else 'FAILED: ' + ', '.join(failures), time.time() - t0))
    return 1 if failures else 0


if __name__ == '__main__':
    harness.main(main)
