#!/usr/bin/env python3
"""Check expected/registry.out against an independent Python model.

sql/registry.sql builds a small fixed registry through the example schema
(examples/registry/) and prints its views.  This script holds its own copy
of that registry (the members, the pool, the allocation requests in order,
the assignments) and recomputes, with the standard library only:

  * the blocks best fit picks, the free pool after each step, and the
    maximum allocation recorded with each IPv4 allocation (ipaddress);
  * per allocation the distinct addresses assigned inside it and, for IPv6,
    the /56 units touched (ipaddress.collapse_addresses);
  * per member the HD-ratio figures: the requirement t^h rounded up, decided
    with integers (u^1000 >= t^966), the 2005 tables and the 80% rule with
    fractions, the cap, the /20 election, the HD ratio with decimal;
  * the pool status: free addresses, largest block, 2009-8's maximum
    allocation, the IANA allocation unit, the free blocks by size.

Each result of the expected file that follows a "-- verify: NAME" comment is
parsed (test/lib/pg_expected.py) and compared cell by cell.  Exits non-zero on any difference.

usage: test/registry/verify_expected.py [expected/registry.out]
"""
import decimal
import ipaddress as ip
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import pg_expected  # noqa: E402

D = decimal.Decimal
decimal.getcontext().prec = 60

# --- the fixed registry (a copy of sql/registry.sql) ----------------------

MEMBERS = {1: ('Alpha Net', '2015-01-01'), 2: ('Beta Telecom', '2016-06-01'),
           3: ('Gamma Hosting', '2018-03-15'), 4: ('Delta Fiber', '2020-01-01'),
           5: ('Epsilon Labs', '2021-01-01')}
POOL = ['10.0.0.0/14', '10.8.0.0/16', '2001:db8::/32']
# (member, masklen, date, family) through allocate(), in order; then the transfer
REQUESTS = [(1, 20, '2019-01-10', 4), (2, 18, '2019-02-01', 4), (3, 22, '2019-03-01', 4),
            (1, 40, '2019-05-01', 6), (1, 21, '2019-06-01', 4), (2, 44, '2019-09-01', 6),
            (2, 17, '2020-01-05', 4), (4, 24, '2020-02-01', 4), (4, 23, '2020-06-01', 4)]
TRANSFERS = [(3, '172.16.0.0/20', '2018-06-01')]
ASSIGNMENTS = {
    1: '10.8.0.0/21 10.8.0.0/24 10.8.8.0/22 10.8.12.0/23 10.8.24.0/22 10.8.28.0/24 '
       '10.8.28.128/25 2001:db8::/44 2001:db8:10::/48 2001:db8:11::/56 2001:db8:11:100::/56 '
       '2001:db8:12::/64 2001:db8:12:1::/64 2001:db8:13::/60',
    2: '10.8.64.0/19 10.8.96.0/20 10.8.112.0/22 10.8.128.0/18 10.8.192.0/21 '
       '2001:db8:100::/45 2001:db8:108::/46 2001:db8:10c::/48',
    3: '172.16.0.0/21 172.16.8.0/22 172.16.12.0/23 10.8.16.0/23 10.8.18.0/26 10.8.18.64/28 '
       '10.8.18.80/29',
    4: '10.8.20.0/24 10.8.22.0/24 10.8.23.0/25 10.8.23.128/27',
}

# --- policy arithmetic -----------------------------------------------------


def size(n):
    return n.num_addresses


def iroot_ceil(x, q):
    """the smallest u with u^q >= x"""
    lo, hi = 0, 1
    while hi ** q < x:
        hi *= 2
    while lo < hi:
        mid = (lo + hi) // 2
        if mid ** q >= x:
            hi = mid
        else:
            lo = mid + 1
    return lo


def hd_required(t, hd):
    """smallest whole u with u >= t^hd (hd a decimal string), exactly"""
    f = Fraction(hd)
    return iroot_ceil(t ** f.numerator, f.denominator)


def ceil_frac(x):
    return -((-x.numerator) // x.denominator)


def table_pct(addresses, which):
    # the 2005 proposal's simplified tables, by address count
    if which == 'total':
        rows = [(2 ** 12, 80), (2 ** 14, 75), (2 ** 16, 70), (2 ** 18, 66), (2 ** 20, 62), (2 ** 22, 59)]
        last = 55
    else:
        rows = [(2 ** 13, 56), (2 ** 14, 51), (2 ** 15, 49), (2 ** 16, 46), (2 ** 17, 44), (2 ** 18, 42)]
        last = 40
    for bound, pct in rows:
        if addresses < bound:
            return pct
    return last


def check(tu, ta, ru, ra, method):
    """utilization_check's verdict: (eligible, total_required, recent_required, failures)"""
    if method in ('hd', 'table') and ta < 4096:
        return False, None, None, ['election']
    if method == 'hd':
        treq, rreq = hd_required(ta, '0.966'), hd_required(ra, '0.930')
    elif method == 'table':
        treq = ceil_frac(Fraction(table_pct(ta, 'total'), 100) * ta)
        rreq = ceil_frac(Fraction(table_pct(ra, 'recent'), 100) * ra)
    else:
        treq = ceil_frac(Fraction(4, 5) * ta)
        rreq = ceil_frac(Fraction(4, 5) * ra)
    rreq = min(rreq, ceil_frac(Fraction(4, 5) * ra))      # the 80% cap
    fails = [x for x, ok in (('total', tu >= treq), ('recent', ru >= rreq)) if not ok]
    return not fails, treq, rreq, fails


def hd_display(used, total):
    """round(hd_ratio(used, total)::numeric, 10): float8 -> numeric keeps 15
    significant digits, then round half away from zero to 10 places"""
    if total <= 1:
        return None
    if used == 0:
        return '-Infinity'
    x = D(used).ln() / D(total).ln()
    x = D(format(float(x), '.15g')) if x != 1 else D(1)
    return str(x.quantize(D('1e-10'), rounding=decimal.ROUND_HALF_UP))


def trunc(x, places):
    q = D(1).scaleb(-places)
    return str(D(x).quantize(q, rounding=decimal.ROUND_DOWN))


def prefix_at_most(n, bits=32):
    """the prefix of the largest block of at most n addresses"""
    return bits - (int(n).bit_length() - 1)


def max_allocation(free):
    return min(prefix_at_most(Fraction(free, 4)), 24) if free >= 4 else 24


def iana_unit(free):
    p = prefix_at_most(Fraction(free, 5)) if free >= 5 else 33
    return p if p <= 24 else None


def collapse(nets):
    return list(ip.collapse_addresses(nets))


def normalize(blocks):
    """the minimal CIDR list, IPv4 first, in address order"""
    return sorted(collapse([x for x in blocks if x.version == 4])) + \
        sorted(collapse([x for x in blocks if x.version == 6]))


def subtract(blocks, b):
    out = []
    for x in blocks:
        if x.version != b.version or not x.overlaps(b):
            out.append(x)
        elif b.subnet_of(x):
            out.extend(x.address_exclude(b))
        # x inside b: it goes
    return normalize(out)


def add_months(d, months):
    y, m, day = map(int, d.split('-'))
    m += months
    while m < 1:
        m += 12
        y -= 1
    while m > 12:
        m -= 12
        y += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return '%04d-%02d-%02d' % (y, m, min(day, last))


# --- the model -------------------------------------------------------------

class Registry:
    def __init__(self):
        self.free = normalize([ip.ip_network(b) for b in POOL])
        self.allocs = []      # dicts: id, member, block, date, source, max

    def best_fit(self, masklen, family):
        cands = [b for b in self.free if b.version == family and b.prefixlen <= masklen]
        if not cands:
            return None
        b = min(cands, key=lambda x: (-x.prefixlen, int(x.network_address)))
        return next(b.subnets(new_prefix=masklen))

    def allocate(self, member, masklen, date, family):
        block = self.best_fit(masklen, family)
        assert block is not None
        mx = None
        if family == 4:
            free4 = sum(size(b) for b in self.free if b.version == 4)
            mx = max_allocation(free4)
            assert masklen >= mx
            since = add_months(date, -3)
            window = sum(size(a['block']) for a in self.allocs
                         if a['member'] == member and a['source'] == 'free_pool'
                         and a['block'].version == 4 and since <= a['date'] <= date)
            assert window + size(block) <= 2 ** (32 - mx)
        self.free = subtract(self.free, block)
        self.allocs.append(dict(id=len(self.allocs) + 1, member=member, block=block, date=date,
                                source='free_pool', max=mx))
        return block

    def transfer(self, member, block, date):
        self.allocs.append(dict(id=len(self.allocs) + 1, member=member,
                                block=ip.ip_network(block), date=date, source='transfer', max=None))


def usage(alloc):
    inside = [ip.ip_network(s) for s in ASSIGNMENTS.get(alloc['member'], '').split()]
    inside = [s for s in inside if s.version == alloc['block'].version and s.subnet_of(alloc['block'])]
    merged = collapse(inside)
    used = sum(size(s) for s in merged)
    units = touched = None
    if alloc['block'].version == 6:
        units = 2 ** (56 - alloc['block'].prefixlen)
        touched = sum(2 ** (56 - s.prefixlen) for s in merged if s.prefixlen <= 56)
        touched += len({s.supernet(new_prefix=56) for s in merged if s.prefixlen > 56})
    return used, units, touched


def member_rows(reg):
    rows = {}
    for mid, (name, joined) in MEMBERS.items():
        v4 = [a for a in reg.allocs if a['member'] == mid and a['block'].version == 4]
        v6 = [a for a in reg.allocs if a['member'] == mid and a['block'].version == 6]
        r = dict(member=mid, name=name, allocations=len(v4))
        held = sum(size(a['block']) for a in v4)
        used = sum(usage(a)[0] for a in v4)
        r.update(held=held, used=used)
        if v4:
            # the most recent: latest date, then the larger block, then the higher address
            rec = max(v4, key=lambda a: (a['date'], -a['block'].prefixlen, int(a['block'].network_address)))
            ra, ru = size(rec['block']), usage(rec)[0]
            r.update(total_hd=hd_display(used, held), recent_block=str(rec['block']),
                     recent_allocated=ra, recent_used=ru, recent_hd=hd_display(ru, ra))
            for method in ('hd', 'table', 'fixed'):
                ok, treq, rreq, fails = check(used, held, ru, ra, method)
                r[method] = dict(eligible=ok, treq=treq, rreq=rreq, fails=fails,
                                 tu=used, ta=held, ru=ru, ra=ra)
            h = r['hd']
            r.update(hd_total_required=h['treq'], hd_recent_required=h['rreq'],
                     hd_margin=None if h['treq'] is None else min(used - h['treq'], ru - h['rreq']),
                     hd_eligible=h['eligible'])
        else:
            r.update(total_hd=None, recent_block=None, recent_allocated=None, recent_used=None,
                     recent_hd=None, hd_total_required=None, hd_recent_required=None,
                     hd_margin=None, hd_eligible=None)
        r['v6_allocations'] = len(v6)
        if v6:
            units = sum(usage(a)[1] for a in v6)
            touched = sum(usage(a)[2] for a in v6)
            req = hd_required(units, '0.94')
            r.update(v6_units56=units, v6_used56=touched, v6_hd=hd_display(touched, units),
                     v6_required56=req, v6_eligible=touched >= req)
        else:
            r.update(v6_units56=None, v6_used56=None, v6_hd=None, v6_required56=None, v6_eligible=None)
        rows[mid] = r
    return rows


def reason_fragments(m):
    """what the reason of a failing member must say, per failed test"""
    if m['fails'] == ['election']:
        return ['needs total allocations of at least 4096 addresses, and this member holds %d' % m['ta']]
    out = []
    for f in m['fails']:
        u, a, req = (m['tu'], m['ta'], m['treq']) if f == 'total' else (m['ru'], m['ra'], m['rreq'])
        t = 1000 * u // a
        pct = 'is %d.%d%%' % (t // 10, t % 10)
        out.append('%s of %s %saddresses are used and %s are required' %
                   (u, a, 'allocated ' if f == 'total' and m.get('method') == 'hd' else '', req))
        out.append(pct if m.get('method') != 'hd' else 'HD ratio ' + trunc(D(u).ln() / D(a).ln(), 4))
    return out


def pool_rows(free):
    rows = []
    for fam in (4, 6):
        blocks = [b for b in free if b.version == fam]
        if not blocks:
            continue
        total = sum(size(b) for b in blocks)
        largest = min(blocks, key=lambda b: (b.prefixlen, int(b.network_address)))
        counts = {}
        for b in blocks:
            counts[b.prefixlen] = counts.get(b.prefixlen, 0) + 1
        rows.append(dict(family=fam, free_blocks=len(blocks), free_addresses=total,
                         largest_free_block=str(largest),
                         max_allocation=max_allocation(total) if fam == 4 else None,
                         max_allocation_addresses=2 ** (32 - max_allocation(total)) if fam == 4 else None,
                         iana_allocation_unit=iana_unit(total) if fam == 4 else None,
                         blocks_by_size=', '.join('/%d: %d' % (k, counts[k]) for k in sorted(counts)),
                         counts=counts))
    return rows


def fmt(v):
    if v is None:
        return ''
    if v is True:
        return 't'
    if v is False:
        return 'f'
    return str(v)


class Checker:
    def __init__(self):
        self.failures = 0
        self.cells = 0

    def eq(self, where, got, want):
        self.cells += 1
        if got != fmt(want):
            self.failures += 1
            print('MISMATCH %s: expected file has %r, Python %r' % (where, got, fmt(want)))

    def rows(self, name, got, want, keys):
        if len(got) != len(want):
            self.failures += 1
            print('MISMATCH %s: %d rows, Python %d' % (name, len(got), len(want)))
            return
        for g, w in zip(got, want):
            for k in keys:
                self.eq('%s[%s].%s' % (name, w.get(keys[0]), k), g[k], w[k])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', 'expected', 'registry.out')
    res = pg_expected.named_tables(path, 'verify')
    c = Checker()

    reg = Registry()
    for member, masklen, date, fam in REQUESTS:
        reg.allocate(member, masklen, date, fam)
    for member, block, date in TRANSFERS:
        reg.transfer(member, block, date)

    want = [dict(id=a['id'], member=a['member'], block=str(a['block']), allocated_on=a['date'],
                 source=a['source'], max_allocation=a['max']) for a in reg.allocs]
    c.rows('allocations', res['allocations'][1], want,
           ['id', 'member', 'block', 'allocated_on', 'source', 'max_allocation'])

    want = []
    for a in reg.allocs:
        used, units, touched = usage(a)
        hd = hd_display(used, size(a['block'])) if a['block'].version == 4 else hd_display(touched, units)
        want.append(dict(id=a['id'], member=a['member'], block=str(a['block']),
                         family=a['block'].version, source=a['source'], addresses=size(a['block']),
                         used=used, units56=units, used56=touched, hd=hd))
    c.rows('allocation_usage', res['allocation_usage'][1], want,
           ['id', 'member', 'block', 'family', 'source', 'addresses', 'used', 'units56', 'used56', 'hd'])

    members = member_rows(reg)
    c.rows('member_figures', res['member_figures'][1], [members[k] for k in sorted(members)],
           ['member', 'name', 'allocations', 'held', 'used', 'total_hd', 'recent_block',
            'recent_allocated', 'recent_used', 'recent_hd', 'hd_total_required',
            'hd_recent_required', 'hd_margin'])
    c.rows('member_v6', res['member_v6'][1], [members[k] for k in sorted(members)],
           ['member', 'v6_allocations', 'v6_units56', 'v6_used56', 'v6_hd', 'v6_required56',
            'v6_eligible'])

    # the verdict of each method, and what each reason says
    got = res['member_methods'][1]
    for g in got:
        mem = members[int(g['member'])]
        for method in ('hd', 'table', 'fixed'):
            if method not in mem:
                c.eq('member_methods[%s].%s_eligible' % (g['member'], method), g[method + '_eligible'], None)
                c.eq('member_methods[%s].%s_reason' % (g['member'], method), g[method + '_reason'], None)
                continue
            m = dict(mem[method], method=method)
            c.eq('member_methods[%s].%s_eligible' % (g['member'], method), g[method + '_eligible'], m['eligible'])
            reason = g[method + '_reason']
            if m['eligible']:
                c.eq('member_methods[%s].%s_reason' % (g['member'], method), reason, None)
            for frag in reason_fragments(m):
                c.cells += 1
                if frag not in reason:
                    c.failures += 1
                    print('MISMATCH member_methods[%s].%s_reason lacks %r: %r' % (g['member'], method, frag, reason))

    pool = pool_rows(reg.free)
    c.rows('pool_status', res['pool_status'][1], pool,
           ['family', 'free_blocks', 'free_addresses', 'largest_free_block', 'max_allocation',
            'max_allocation_addresses', 'iana_allocation_unit', 'blocks_by_size'])
    want = [dict(family=p['family'], masklen=k, blocks=p['counts'][k],
                 addresses=p['counts'][k] * 2 ** ((32 if p['family'] == 4 else 128) - k))
            for p in pool for k in sorted(p['counts'])]
    c.rows('free_blocks_by_size', res['free_blocks_by_size'][1], want,
           ['family', 'masklen', 'blocks', 'addresses'])
    want = [dict(block=str(b)) for b in reg.free]
    c.rows('free_pool', res['free_pool'][1], want, ['block'])
    c.rows('free_pool_unchanged', res['free_pool_unchanged'][1], want, ['block'])

    # the good allocation: member 2, a /16 on 2020-04-06
    reg.allocate(2, 16, '2020-04-06', 4)
    p4 = [p for p in pool_rows(reg.free) if p['family'] == 4]
    c.rows('pool_after', res['pool_after'][1], p4,
           ['family', 'free_blocks', 'free_addresses', 'largest_free_block', 'max_allocation',
            'max_allocation_addresses', 'iana_allocation_unit', 'blocks_by_size'])
    m2 = member_rows(reg)[2]
    c.rows('member2_after', res['member2_after'][1], [dict(m2, recent_hd='-Infinity')],
           ['member', 'allocations', 'held', 'used', 'recent_block', 'recent_used', 'recent_hd',
            'hd_total_required', 'hd_recent_required', 'hd_eligible'])
    # ... returned: the free pool is what it was
    c.rows('free_pool_returned', res['free_pool_returned'][1],
           [dict(block=str(b)) for b in normalize(
               [b for b in reg.free if b.version == 4] + [ip.ip_network('10.0.0.0/16')])],
           ['block'])

    if c.failures:
        print('verify_expected: %d of %d values differ' % (c.failures, c.cells))
        sys.exit(1)
    print('verify_expected: all %d values of expected/registry.out agree with the Python model' % c.cells)


if __name__ == '__main__':
    main()
