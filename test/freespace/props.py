#!/usr/bin/env python3
"""Property test of the free-space functions against Python's ipaddress.

Random small pools, used sets and unit sets (seeded: the same cases every
run unless AP_SEED is given).  The answers are computed here, mostly by
brute force over every aligned candidate of a small window:
  - cidr_first_free, first fit: the lowest candidate /m that the pool covers
    address by address and no used block touches;
  - best fit: among those, the one whose largest free aligned supernet is
    smallest, then the lowest;
  - cidr_free_blocks: every such candidate, in order;
  - free_block_counts: collapse_addresses of pool minus used
    (address_exclude), counted by prefix length;
  - unit_count: every aligned /u unit over the set's span enumerated and
    tested address by address ('covered': all of it, 'touched': any of it).
Brute force is also checked against the block model of model.py (the
regression suite's model), so each model vouches for the other.

Windows are 2^10 granules of 2^g addresses (g up to 72 bits for IPv6), so
that candidates stay few while blocks range from /0 to /128, at the low end,
the top end and the middle of each space; some used blocks are finer than a
granule (the free ranges then start and end off the grid), some lie outside
the pool or in the other family, some elements are NULL.  Error cases
(mixed families, prefix lengths out of range, unknown strategies and
modes) are checked for their exact message.

Inputs and expected answers go to the database with one COPY per table and
one query counts the mismatches per function.  Exits non-zero on any.

usage: props.py   (the database of PGDATABASE, PGHOST etc. from the
       environment; AP_QUICK=1 for the quick size; AP_CASES=N and AP_SEED=S
       override)
"""
import collections
import ipaddress as ip
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import model  # noqa: E402
from model import Err, AddrSet, width  # noqa: E402
import harness  # noqa: E402
from cidrs import N, arr, net, rand_inet  # noqa: E402

CASES = int(os.environ.get('AP_CASES', '3000' if harness.quick() else '20000'))
SEED = harness.seed(20240607)
WIN = 10                        # a window is 2^WIN granules


class Window:
    """2^WIN granules of 2^g addresses from base"""

    def __init__(self, rng, version, whole=False):
        self.v = version
        w = width(version)
        if whole:
            self.g = w - WIN
            self.base = 0
            return
        gs = [0, 0, 3, 8] + ([12, 22] if version == 4 else [16, 56, 64, 72, 118])
        self.g = rng.choice(gs)
        span = 1 << (self.g + WIN)
        top = 1 << w
        where = rng.random()
        if where < 0.15:
            self.base = 0
        elif where < 0.3:
            self.base = top - span
        elif where < 0.6:
            mid = int(ip.ip_address('10.0.0.0' if version == 4 else '2001:db8::'))
            self.base = mid - mid % span
        else:
            self.base = rng.randrange(0, top, span)

    def block(self, rng, fine=False):
        """a block of 1 to 2^WIN granules in the window; fine: one finer
        than a granule"""
        w = width(self.v)
        if fine:
            plen = rng.randint(w - self.g, w)
        else:
            plen = rng.randint(w - self.g - WIN, w - self.g)
        addr = self.base + rng.getrandbits(self.g + WIN)
        return net(self.v, addr, plen)

    def masklen(self, rng):
        w = width(self.v)
        return max(0, rng.randint(w - self.g - WIN - 1, w - self.g))


def stranger(rng, version):
    """a used block anywhere, or of the other family"""
    if rng.random() < 0.5:
        version = 10 - version
    return N(rand_inet(rng, version))


def rand_set(rng, win, n_choices, fine_p, stranger_p=0.0, null_p=0.0):
    out = []
    for _ in range(rng.choice(n_choices)):
        r = rng.random()
        if r < null_p:
            out.append(None)
        elif r < null_p + stranger_p:
            out.append(stranger(rng, win.v))
        else:
            out.append(win.block(rng, fine=rng.random() < fine_p))
    return out


def nn(xs):
    return [x for x in xs if x is not None]


# --- the brute-force answers --------------------------------------------------

def brute(pool, used, m):
    """(first fit, best fit, every free /m), candidate by candidate"""
    version = pool[0].version
    w = width(version)
    P, U = AddrSet(pool, version), AddrSet(used, version)

    def is_free(lo, hi):
        return P.covered(lo, hi) == hi - lo + 1 and U.covered(lo, hi) == 0

    free = [(lo, hi) for c, lo, hi in model.brute_candidates(pool, version, m)
            if is_free(lo, hi)]
    if not free:
        return None, None, []

    def largest(lo):
        """the prefix length of the largest free aligned block holding the
        candidate at lo"""
        plen = m
        while plen > 0:
            size = 1 << (w - plen + 1)
            s_lo = lo - lo % size
            if not is_free(s_lo, s_lo + size - 1):
                break
            plen -= 1
        return plen
    best = min(free, key=lambda c: (-largest(c[0]), c[0]))
    return (net(version, free[0][0], m), net(version, best[0], m),
            [net(version, lo, m) for lo, hi in free])


def brute_units(blocks, u):
    v = blocks[0].version
    S = AddrSet(blocks, v)
    lo = min(int(n.network_address) for n in blocks)
    hi = max(int(n.broadcast_address) for n in blocks)
    size = 1 << (width(v) - u)
    cov = touch = 0
    a = lo - lo % size
    while a <= hi:
        k = S.covered(a, a + size - 1)
        cov += k == size
        touch += k > 0
        a += size
    return cov, touch


# --- cases ----------------------------------------------------------------------

def free_case(rng):
    version = rng.choice([4, 6])
    whole = rng.random() < 0.04
    win = Window(rng, version, whole)
    if whole:
        pool = [net(version, 0, 0)]
        used = [stranger(rng, version) if rng.random() < 0.5
                else win.block(rng, fine=rng.random() < 0.3)
                for _ in range(rng.choice([0, 1, 2, 4, 8]))]
    else:
        pool = rand_set(rng, win, [1, 1, 2, 3, 4], 0.1, null_p=0.05)
        if not nn(pool):
            pool.append(win.block(rng))
        used = rand_set(rng, win, [0, 1, 2, 4, 8, 14], 0.3,
                        stranger_p=0.05, null_p=0.05)
    order = rng.random()
    if order < 0.5:
        # in address order (as a stored set is): the extension walks it in
        # place; now and then one pair out of order, which it must notice
        used = sort_blocks(used)
        if order < 0.1 and len(used) > 2:
            k = rng.randrange(len(used) - 1)
            used[k], used[k + 1] = used[k + 1], used[k]
    m = win.masklen(rng)
    return pool, used, m


def sort_blocks(xs):
    """blocks in (family, address) order, NULL elements kept in place"""
    blocks = sorted((x for x in xs if x is not None),
                    key=lambda n: (n.version, int(n.network_address)))
    it = iter(blocks)
    return [None if x is None else next(it) for x in xs]


def unit_case(rng):
    version = 6 if rng.random() < 0.8 else 4
    win = Window(rng, version)
    blocks = rand_set(rng, win, [1, 1, 2, 3, 5, 8], 0.25, null_p=0.05)
    if not nn(blocks):
        blocks.append(win.block(rng))
    return blocks, win.masklen(rng)


def error_case(rng, i):
    """(function, args as SQL, expected message)"""
    version = rng.choice([4, 6])
    w = width(version)
    win = Window(rng, version)
    pool = [win.block(rng)]
    kind = rng.randrange(7)
    if kind == 0:
        other = 10 - version
        pool = pool + [net(other, rng.getrandbits(width(other)),
                           rng.randint(0, width(other)))]
        rng.shuffle(pool)
        fn = rng.choice(['first', 'best', 'blocks', 'counts'])
        m = rng.randint(0, 32)
    elif kind == 1:
        fn = rng.choice(['first', 'best', 'blocks'])
        m = rng.choice([-1, w + 1, -(1 << 31), (1 << 31) - 1])
    elif kind == 2:
        pool, fn, m = [], rng.choice(['first', 'blocks']), rng.choice([129, -1])
    elif kind == 3:
        fn, m = 'strategy', rng.randint(0, w)
    elif kind == 4:
        fn, m = 'umixed', rng.randint(0, 32)
        pool = pool + [net(10 - version, 0, rng.randint(0, 8))]
    elif kind == 5:
        fn, m = 'urange', rng.choice([-1, w + 1, 200])
    else:
        fn, m = 'umode', rng.randint(0, w)
    ps = ' '.join(map(str, pool))
    if fn in ('first', 'best', 'blocks', 'strategy'):
        strat = {'first': 'first_fit', 'best': 'best_fit', 'blocks': 'first_fit',
                 'strategy': rng.choice(['worst_fit', 'FIRST_FIT', 'best fit', ''])}[fn]
        e = (model.free_blocks(ps, '', m) if fn == 'blocks'
             else model.first_free(ps, '', m, strat))
        sql = (f"cidr_free_blocks('{arr(pool)}', '{{}}', {m})" if fn == 'blocks'
               else f"cidr_first_free('{arr(pool)}', '{{}}', {m}, '{strat}')")
        sql = (f"(SELECT count(*) FROM {sql})" if fn == 'blocks' else sql)
    elif fn == 'counts':
        e = model.block_counts(ps, '')
        sql = f"(SELECT count(*) FROM free_block_counts('{arr(pool)}', '{{}}'))"
    else:
        mode = rng.choice(['Covered', 'touch', 'all']) if fn == 'umode' \
            else rng.choice(['covered', 'touched'])
        e = model.unit_count(ps, m, mode)
        sql = f"unit_count('{arr(pool)}', {m}, '{mode}')"
    assert isinstance(e, Err), (fn, ps, m, e)
    return sql, e.msg


# --- running ------------------------------------------------------------------

def main():
    rng = harness.rng(SEED)
    t0 = time.time()
    free_rows, unit_rows, err_rows = [], [], []
    disagree = collections.Counter()
    lens = collections.Counter()
    nonnull = 0
    differ = 0
    nz_cov = 0
    for i in range(CASES):
        pool, used, m = free_case(rng)
        first, best, free = brute(nn(pool), nn(used), m)
        counts = model.block_counts(nn(pool), nn(used))
        ps, us = nn(pool), nn(used)
        # the block model must agree with brute force
        if model.first_free(ps, us, m) != first:
            disagree['first fit'] += 1
        if model.first_free(ps, us, m, 'best_fit') != best:
            disagree['best fit'] += 1
        if list(model.free_blocks(ps, us, m)) != free:
            disagree['free blocks'] += 1
        nonnull += first is not None
        differ += best != first
        lens[len(free) > 1] += 1
        free_rows.append([i, arr(pool), arr(used), m, first, best, arr(free),
                          ' '.join(f'{k}:{n}' for k, n in counts)])

        blocks, u = unit_case(rng)
        cov, touch = brute_units(nn(blocks), u)
        if (model.unit_count(nn(blocks), u), model.unit_count(nn(blocks), u, 'touched')) != (cov, touch):
            disagree['unit counts'] += 1
        nz_cov += cov > 0
        unit_rows.append([i, arr(blocks), u, cov, touch])
        if i % 10 == 0:
            sql, msg = error_case(rng, i)
            err_rows.append([i, sql, msg])
    t_py = time.time() - t0

    script = f"""
SET client_min_messages = warning;
CREATE TABLE fs_case (id int, pool cidr[], used cidr[], m int, e_first cidr,
    e_best cidr, e_free cidr[], e_counts text);
CREATE TABLE fs_unit (id int, blocks cidr[], u int, e_cov numeric, e_touch numeric);
CREATE TABLE fs_err (id int, q text, e_msg text);
{harness.copy_block('fs_case', None, free_rows)}\
{harness.copy_block('fs_unit', None, unit_rows)}\
{harness.copy_block('fs_err', None, err_rows)}\
CREATE FUNCTION pg_temp.err_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT ' || q;
    RETURN NULL;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN SQLERRM;
END $$;
CREATE FUNCTION pg_temp.counts_of(pool cidr[], used cidr[]) RETURNS text
LANGUAGE sql AS $$
    SELECT coalesce(string_agg(masklen || ':' || blocks, ' ' ORDER BY o), '')
    FROM free_block_counts(pool, used) WITH ORDINALITY AS t(masklen, blocks, o)
$$;
SELECT 'cidr_first_free first_fit', count(*) FILTER (WHERE cidr_first_free(pool, used, m) IS DISTINCT FROM e_first) FROM fs_case
UNION ALL SELECT 'cidr_first_free best_fit', count(*) FILTER (WHERE cidr_first_free(pool, used, m, 'best_fit') IS DISTINCT FROM e_best) FROM fs_case
UNION ALL SELECT 'cidr_free_blocks', count(*) FILTER (WHERE ARRAY(SELECT cidr_free_blocks(pool, used, m)) IS DISTINCT FROM e_free) FROM fs_case
UNION ALL SELECT 'cidr_free_blocks in FROM', count(*) FILTER (WHERE ARRAY(SELECT b FROM cidr_free_blocks(pool, used, m) b) IS DISTINCT FROM e_free) FROM fs_case
UNION ALL SELECT 'free_block_counts', count(*) FILTER (WHERE pg_temp.counts_of(pool, used) IS DISTINCT FROM e_counts) FROM fs_case
UNION ALL SELECT 'unit_count covered', count(*) FILTER (WHERE unit_count(blocks, u) IS DISTINCT FROM e_cov) FROM fs_unit
UNION ALL SELECT 'unit_count touched', count(*) FILTER (WHERE unit_count(blocks, u, 'touched') IS DISTINCT FROM e_touch) FROM fs_unit
UNION ALL SELECT 'error messages', count(*) FILTER (WHERE pg_temp.err_of(q) IS DISTINCT FROM e_msg) FROM fs_err;
SELECT 'ERR', id, q, e_msg, pg_temp.err_of(q) FROM fs_err WHERE pg_temp.err_of(q) IS DISTINCT FROM e_msg LIMIT 5;
"""
    t1 = time.time()
    out = harness.psql(script).stdout
    t_sql = time.time() - t1
    print(f'property test: {CASES} free-space cases ({nonnull} with a free block, '
          f'{lens[True]} with several, {differ} where best fit is not first '
          f'fit), {CASES} unit-count cases ({nz_cov} with whole units), '
          f'{len(err_rows)} error cases (seed {SEED}); Python {t_py:.1f} s, '
          f'SQL {t_sql:.1f} s')
    bad_total = 0
    for what in ('first fit', 'best fit', 'free blocks', 'unit counts'):
        n = disagree[what]
        bad_total += n
        print(f'  {"python":8} {what:36} brute force vs block model: {n} disagreements')
    for line in out.strip().split('\n'):
        parts = line.split('|')
        if parts[0] == 'ERR':
            print('  mismatch:', parts[1:])
            continue
        fn, bad = parts
        bad_total += int(bad)
        print(f'  {"sql":8} {fn:36} {bad} mismatches')
    print(f'{harness.NAME}: every free-space function agrees with Python' if bad_total == 0
          else f'{harness.NAME}: FAILED: {bad_total} mismatches')
    return 1 if bad_total else 0


if __name__ == '__main__':
    harness.main(main)
