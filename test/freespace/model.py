"""The Python model of the free-space functions (src/freespace.c), from the
standard library's ipaddress only.  Two independent ways:

- the block model: the free space as collapse_addresses of pool minus used
  (address_exclude), then reading the answer off its maximal blocks;
- brute force: enumerate every aligned /m candidate (or /u unit) of a small
  window and test it address by address against the pool and used sets.

test/freespace/verify_expected.py uses the block model on the regression
cases; test/freespace/props.py checks the extension against brute force on
thousands of random small cases, and the two models against each other.
"""
import collections
import functools
import ipaddress as ip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from cidrs import N, L, norm, except_, width  # noqa: E402,F401
from pg_expected import Err, Rows  # noqa: E402,F401


def pool_version(pool):
    """the pool's IP version, None when empty, Err when mixed"""
    vs = {n.version for n in pool}
    if len(vs) > 1:
        return Err('cannot mix IPv4 and IPv6 addresses')
    return vs.pop() if vs else None


def masklen_err(m, version, what='prefix length'):
    # the value and the family are in the error's detail, not its message
    if version is None:
        if not 0 <= m <= 128:
            return Err('invalid prefix length')
    elif not 0 <= m <= width(version):
        return Err('invalid prefix length')
    return None


@functools.lru_cache(maxsize=64)
def _free_space(pool_key, used_key):
    """(version, free blocks) or an Err, for pool and used as tuples of
    block strings"""
    pool, used = norm(L(list(pool_key))), norm(L(list(used_key)))
    v = pool_version(pool)
    if isinstance(v, Err):
        return v
    return v, except_(pool, used)


def _key(s):
    return tuple(str(n) for n in L(s))


def prepare(pool_s, used_s, m):
    """(version, free blocks) or an Err"""
    p = _free_space(_key(pool_s), _key(used_s))
    if isinstance(p, Err):
        return p
    if m is not None:
        e = masklen_err(m, p[0])
        if e:
            return e
    return p


STRATEGIES = ('first_fit', 'best_fit')


# --- the block model ----------------------------------------------------------

def first_free(pool_s, used_s, m, strategy='first_fit'):
    if strategy not in STRATEGIES:
        return Err('unknown strategy')
    p = prepare(pool_s, used_s, m)
    if isinstance(p, Err):
        return p
    v, free = p
    fits = [b for b in free if b.prefixlen <= m]
    if not fits:
        return None
    if strategy == 'first_fit':
        b = min(fits, key=lambda b: int(b.network_address))
    else:
        b = min(fits, key=lambda b: (-b.prefixlen, int(b.network_address)))
    return ip.ip_network((b.network_address, m))


def free_blocks(pool_s, used_s, m):
    p = prepare(pool_s, used_s, m)
    if isinstance(p, Err):
        return p
    v, free = p
    out = Rows()
    for b in free:
        if b.prefixlen <= m:
            out.extend(b.subnets(new_prefix=m))
    return out


def block_counts(pool_s, used_s):
    p = prepare(pool_s, used_s, None)
    if isinstance(p, Err):
        return p
    v, free = p
    c = collections.Counter(b.prefixlen for b in free)
    return Rows((k, c[k]) for k in sorted(c))


MODES = ('covered', 'touched')


def unit_count(blocks_s, u, mode='covered'):
    if mode not in MODES:
        return Err('unknown unit count mode')
    s = norm(L(blocks_s))
    vs = {n.version for n in s}
    if len(vs) > 1:
        return Err('cannot mix IPv4 and IPv6 addresses')
    v = vs.pop() if vs else None
    e = masklen_err(u, v, 'unit prefix length')
    if e:
        return e
    # a whole unit inside the set lies inside one maximal block of it
    whole = sum(2 ** (u - b.prefixlen) for b in s if b.prefixlen <= u)
    if mode == 'covered':
        return whole
    # a smaller block touches the one unit that holds it; two disjoint
    # maximal blocks never share a unit with a block of /u or larger
    partial = {b.supernet(new_prefix=u) for b in s if b.prefixlen > u}
    return whole + len(partial)


# --- brute force over a small window -----------------------------------------

class AddrSet:
    """a set of addresses given as blocks, with a membership count of any
    interval by binary search over sorted disjoint intervals"""

    def __init__(self, nets, version):
        iv = sorted((int(n.network_address), int(n.broadcast_address))
                    for n in nets if n.version == version)
        merged = []
        for lo, hi in iv:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self.iv = merged

    def covered(self, lo, hi):
        """how many addresses of [lo, hi] are in the set"""
        n = 0
        for a, b in self.iv:
            x, y = max(a, lo), min(b, hi)
            if x <= y:
                n += y - x + 1
        return n


def brute_candidates(pool, version, m):
    """every aligned /m block from the lowest to the highest pool address
    (the caller keeps this small)"""
    lo = min(int(n.network_address) for n in pool)
    hi = max(int(n.broadcast_address) for n in pool)
    size = 2 ** (width(version) - m)
    start = lo - lo % size
    cls = ip.IPv4Network if version == 4 else ip.IPv6Network
    a = start
    while a <= hi:
        yield cls((a, m)), a, a + size - 1
        a += size


def brute_free(pool_s, used_s, m):
    """the free aligned /m blocks, in address order, address by address"""
    pool_l, used_l = L(pool_s), L(used_s)
    v = pool_version(pool_l)
    if v is None or isinstance(v, Err):
        return v
    P, U = AddrSet(pool_l, v), AddrSet(used_l, v)
    out = []
    for c, lo, hi in brute_candidates(pool_l, v, m):
        if P.covered(lo, hi) == hi - lo + 1 and U.covered(lo, hi) == 0:
            out.append(c)
    return out


def brute_first(pool_s, used_s, m, strategy='first_fit'):
    free = brute_free(pool_s, used_s, m)
    if not free:
        return None
    if strategy == 'first_fit':
        return free[0]
    pool_l, used_l = L(pool_s), L(used_s)
    v = free[0].version
    P, U = AddrSet(pool_l, v), AddrSet(used_l, v)

    def is_free(n):
        lo, hi = int(n.network_address), int(n.broadcast_address)
        return P.covered(lo, hi) == hi - lo + 1 and U.covered(lo, hi) == 0

    def maximal(c):
        # the largest free aligned block holding c
        while c.prefixlen > 0 and is_free(c.supernet()):
            c = c.supernet()
        return c
    # smallest holding block first, then the lowest candidate
    return min(free, key=lambda c: (-maximal(c).prefixlen,
                                    int(c.network_address)))


def brute_units(blocks_s, u, mode='covered'):
    """units of the set by enumeration of every aligned /u unit over the
    set's span (the caller keeps this small)"""
    s = L(blocks_s)
    if not s:
        return 0
    v = s[0].version
    S = AddrSet(s, v)
    lo = min(int(n.network_address) for n in s)
    hi = max(int(n.broadcast_address) for n in s)
    size = 2 ** (width(v) - u)
    a = lo - lo % size
    n = 0
    while a <= hi:
        k = S.covered(a, a + size - 1)
        if (mode == 'covered' and k == size) or (mode == 'touched' and k > 0):
            n += 1
        a += size
    return n
