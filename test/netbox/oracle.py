#!/usr/bin/env python3
"""The independent oracle of addrpolicy_netbox: NetBox's own algorithm,
re-implemented in Python with netaddr (the library NetBox uses; Debian's
python3-netaddr), compared row by row with the extension's five functions.

  oracle.py DBNAME [--schema S]   (PGHOST etc. from the environment)

It reads NetBox's tables (public.ipam_*) once and computes, as NetBox 4.6's
netbox/ipam/models/ip.py does (each function below names what it mirrors):

  1. Prefix.get_utilization for every prefix (with the used and size
     figures the extension reports beside the percentage);
  2. Aggregate.get_utilization for every aggregate;
  3. get_available_prefixes for every prefix (IPSet.iter_cidrs);
  4. the prefix the available-prefixes API allocates for a prefix_length
     (ipam.utils.get_next_available_prefix) for every prefix and several
     lengths, in and out of range;
  5. the RIR verdict: the aggregates of each RIR, tenant and family as
     allocations, their used counts as IPSet sizes of the active prefixes
     inside them, the most recent by date, and the rule of
     test/foundation/ref.py's utilization_check (the policy, not the C).

The database's rows are only read here; the filtering NetBox does in SQL
(same VRF, host(address)::inet <<= prefix, ...) is done in Python over
sorted lists with bisect, then the sets are built with netaddr exactly as
NetBox builds them.  Every mismatch is printed; the exit status is 1 on any.
"""
import argparse
import bisect
import math
import os
import sys
from datetime import date
from fractions import Fraction

import netaddr

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "lib"))
sys.path.insert(0, os.path.join(here, "..", "foundation"))
import harness  # noqa: E402
import ref  # noqa: E402  (the reference model of utilization_check)

# the database: PGDATABASE (the harness convention, test/lib/README.md)
ap = argparse.ArgumentParser()
ap.add_argument("--schema", default=None, help="schema of addrpolicy_netbox's functions")
ap.add_argument("--label", default=None)
args = ap.parse_args()
FN = (args.schema + ".") if args.schema else ""


def psql(sql):
    """the rows of one statement, tab-separated fields, NULL as \\N (the
    statement on standard input: a long VALUES list is too long for -c)"""
    out = harness.psql(sql + ";\n", "-P", "null=\\N", sep="\t").stdout
    return [line.split("\t") for line in out.splitlines() if line != ""]


def nul(v):
    return None if v == "\\N" else v


def ival(v):
    return None if v == "\\N" else int(v)


# --- NetBox's rows ----------------------------------------------------------

class P:
    __slots__ = ("id", "prefix", "status", "is_pool", "vrf", "mark_utilized", "first", "last")


prefixes = []
for r in psql("SELECT id, prefix, status, is_pool, vrf_id, mark_utilized FROM public.ipam_prefix"):
    p = P()
    p.id, p.prefix, p.status = int(r[0]), netaddr.IPNetwork(r[1]), r[2]
    p.is_pool, p.vrf, p.mark_utilized = r[3] == "t", ival(r[4]), r[5] == "t"
    p.first, p.last = p.prefix.first, p.prefix.last
    prefixes.append(p)
addresses = [(netaddr.IPNetwork(r[0]), ival(r[1]))
             for r in psql("SELECT address, vrf_id FROM public.ipam_ipaddress")]
ranges = [(netaddr.IPNetwork(r[0]), netaddr.IPNetwork(r[1]), ival(r[2]), r[3] == "t")
          for r in psql("SELECT start_address, end_address, vrf_id, mark_utilized FROM public.ipam_iprange")]
rirs = {int(r[0]): r[1] for r in psql("SELECT id, name FROM public.ipam_rir")}
aggregates = [(int(r[0]), netaddr.IPNetwork(r[1]), nul(r[2]), int(r[3]), ival(r[4]))
              for r in psql("SELECT id, prefix, date_added, rir_id, tenant_id FROM public.ipam_aggregate")]

# The filters NetBox runs in SQL, as sorted lists per (VRF, family): what a
# query returns is found with bisect; NetBox's Python then runs unchanged.
by_vrf = {}
for p in prefixes:
    by_vrf.setdefault((p.vrf, p.prefix.version), []).append(p)
for lst in by_vrf.values():
    lst.sort(key=lambda q: (q.first, q.prefix.prefixlen))
all_by_family = {}
for p in prefixes:
    all_by_family.setdefault(p.prefix.version, []).append(p)
for lst in all_by_family.values():
    lst.sort(key=lambda q: (q.first, q.prefix.prefixlen))
ips = {}
for a, vrf in addresses:
    ips.setdefault((vrf, a.version), []).append(a)   # the host: a.ip, mask ignored
for lst in ips.values():
    lst.sort(key=lambda a: a.value)
rng = {}
for s, e, vrf, mu in ranges:
    rng.setdefault((vrf, s.version), []).append((s, e, mu))
for lst in rng.values():
    lst.sort(key=lambda t: t[0].value)


_keys = {}


def keyed(lst, key):
    k = id(lst)
    if k not in _keys:
        _keys[k] = [key(x) for x in lst]
    return _keys[k]


def prefixes_inside(lst, net, strict):
    """prefix__net_contained (strict) or __net_contained_or_equal"""
    keys = keyed(lst, lambda q: q.first)
    lo, hi = bisect.bisect_left(keys, net.first), bisect.bisect_right(keys, net.last)
    out = []
    for q in lst[lo:hi]:
        if q.last <= net.last and (not strict or q.prefix.prefixlen > net.prefixlen):
            out.append(q)
    return out


def child_prefixes(p):
    """Prefix.objects.filter(prefix__net_contained=str(self.prefix), vrf=self.vrf)"""
    return prefixes_inside(by_vrf.get((p.vrf, p.prefix.version), []), p.prefix, True)


def child_ranges(p):
    """get_child_ranges(): same VRF, start and end host inside the prefix"""
    lst = rng.get((p.vrf, p.prefix.version), [])
    keys = keyed(lst, lambda t: t[0].value)
    lo, hi = bisect.bisect_left(keys, p.first), bisect.bisect_right(keys, p.last)
    return [t for t in lst[lo:hi] if p.first <= t[1].value <= p.last]


def child_ips(p):
    """IPAddress.objects.filter(address__net_host_contained=..., vrf=self.vrf)"""
    lst = ips.get((p.vrf, p.prefix.version), [])
    keys = keyed(lst, lambda a: a.value)
    return lst[bisect.bisect_left(keys, p.first):bisect.bisect_right(keys, p.last)]


# --- 1. Prefix.get_utilization ---------------------------------------------

def prefix_utilization(p):
    """NetBox's Prefix.get_utilization; also the used and size figures"""
    if p.status == "container":
        size = p.prefix.size
        child = netaddr.IPSet([q.prefix for q in child_prefixes(p)])
        used = child.size
        utilization = float(child.size) / p.prefix.size * 100
    else:
        # Compile an IPSet to avoid counting duplicate IPs
        child = netaddr.IPSet()
        for s, e, mu in child_ranges(p):
            if mu:          # .filter(mark_utilized=True)
                child.add(netaddr.IPRange(s.ip, e.ip))
        for a in child_ips(p):
            child.add(a.ip)
        size = p.prefix.size
        if p.prefix.version == 4 and p.prefix.prefixlen < 31 and not p.is_pool:
            size -= 2
        used = child.size
        utilization = float(child.size) / size * 100
    if p.mark_utilized:
        return size, size, 100.0
    return used, size, float(min(utilization, 100))


# --- 2. Aggregate.get_utilization ------------------------------------------

def aggregate_utilization(net):
    qs = prefixes_inside(all_by_family.get(net.version, []), net, False)
    child = netaddr.IPSet([q.prefix for q in qs])
    utilization = float(child.size) / net.size * 100
    return child.size, net.size, float(min(utilization, 100))


# --- 3., 4. available prefixes ---------------------------------------------

def available_prefixes(p):
    return netaddr.IPSet([p.prefix]) - netaddr.IPSet([q.prefix for q in child_prefixes(p)])


def next_available_prefix(ipset, prefix_size):
    """ipam.utils.get_next_available_prefix"""
    for available_prefix in ipset.iter_cidrs():
        if prefix_size >= available_prefix.prefixlen:
            return "%s/%d" % (available_prefix.network, prefix_size)
    return None


# --- compare ----------------------------------------------------------------

mismatches = 0
compared = {}


def bad(what, key, got, want):
    global mismatches
    mismatches += 1
    if mismatches <= 25:
        print("MISMATCH %s %s: function %r, NetBox %r" % (what, key, got, want))


# 1
got = {int(r[0]): r for r in psql("SELECT id, prefix, vrf_id, used, size, utilization FROM %snetbox_prefix_utilization()" % FN)}
n = 0
for p in prefixes:
    used, size, util = prefix_utilization(p)
    want = (str(p.prefix.cidr), p.vrf, used, size, util)
    g = got.get(p.id)
    have = None if g is None else (g[1], ival(g[2]), int(g[3]), int(g[4]), float(g[5]))
    if have != want:
        bad("prefix_utilization", p.id, have, want)
    n += 1
if len(got) != len(prefixes):
    bad("prefix_utilization rows", "", len(got), len(prefixes))
compared["netbox_prefix_utilization"] = n

# 2
got = {int(r[0]): r for r in psql("SELECT id, prefix, rir, used, size, utilization FROM %snetbox_aggregate_utilization()" % FN)}
n = 0
for aid, net, dd, rir, tenant in aggregates:
    used, size, util = aggregate_utilization(net)
    want = (str(net.cidr), rirs[rir], used, size, util)
    g = got.get(aid)
    have = None if g is None else (g[1], g[2], int(g[3]), int(g[4]), float(g[5]))
    if have != want:
        bad("aggregate_utilization", aid, have, want)
    n += 1
if len(got) != len(aggregates):
    bad("aggregate_utilization rows", "", len(got), len(aggregates))
compared["netbox_aggregate_utilization"] = n

# 3 and 4: every prefix; lengths from one shorter than the prefix to the
# longest of the family (every length for small trees, a spread otherwise)
rows3 = psql("SELECT x.id, coalesce((SELECT string_agg(c::text, ' ' ORDER BY o) FROM "
             "%snetbox_available_prefixes(x.id) WITH ORDINALITY t(c, o)), '') FROM public.ipam_prefix x" % FN)
got3 = {int(r[0]): (r[1].split(" ") if len(r) > 1 and r[1] else []) for r in rows3}
n3 = 0
asks = []
for p in prefixes:
    avail = available_prefixes(p)
    want = [str(c) for c in avail.iter_cidrs()]
    if got3.get(p.id) != want:
        bad("available_prefixes", p.id, got3.get(p.id), want)
    n3 += 1
    width = 32 if p.prefix.version == 4 else 128
    lens = {p.prefix.prefixlen - 1, p.prefix.prefixlen, p.prefix.prefixlen + 1,
            p.prefix.prefixlen + 2, p.prefix.prefixlen + 5, p.prefix.prefixlen + 8,
            p.prefix.prefixlen + 16, 24, 64, width}
    for m in sorted(x for x in lens if 0 <= x <= width):
        asks.append((p.id, m, next_available_prefix(avail, m)))
compared["netbox_available_prefixes"] = n3
values = ",".join("(%d,%d)" % (i, m) for i, m, _ in asks)
rows4 = psql("SELECT v.i, v.m, %snetbox_first_available_prefix(v.i, v.m) FROM (VALUES %s) v(i, m)"
             % (FN, values))
got4 = {(int(r[0]), int(r[1])): nul(r[2]) for r in rows4}
for i, m, want in asks:
    if got4.get((i, m), "missing") != want:
        bad("first_available_prefix", (i, m), got4.get((i, m), "missing"), want)
compared["netbox_first_available_prefix"] = len(asks)

# 5: per RIR, tenant and family
groups = {}
for aid, net, dd, rir, tenant in aggregates:
    qs = [q for q in prefixes_inside(all_by_family.get(net.version, []), net, False)
          if q.status == "active"]
    used = netaddr.IPSet([q.prefix for q in qs]).size
    groups.setdefault((rirs[rir], tenant, net.version), []).append((net, dd, used))
got5 = {(r[0], ival(r[1]), int(r[2])): r for r in psql(
    "SELECT rir, tenant_id, family, allocations, total_allocated, total_used, recent_block, eligible,"
    " recent_allocated, recent_used, total_hd, recent_hd, total_required, recent_required, reason"
    " FROM %snetbox_rir_eligibility()" % FN)}
n5 = 0
for key, allocs in groups.items():
    # the most recent: latest date (NULL the oldest); then the larger block;
    # then the higher address
    def order(t):
        net, dd, used = t
        return (dd is not None, date.fromisoformat(dd) if dd else date.min,
                net.size, net.value)
    recent = max(allocs, key=order)
    ta = sum(a[0].size for a in allocs)
    tu = sum(a[2] for a in allocs)
    chk = ref.utilization_check(Fraction(tu), Fraction(ta), Fraction(recent[2]),
                                Fraction(recent[0].size))
    eligible, treq, rreq, thd, rhd, reason_null = chk
    want = (len(allocs), ta, tu, str(recent[0].cidr), eligible, recent[0].size, recent[2],
            treq, rreq, reason_null)
    g = got5.get(key)
    have = None
    if g is not None:
        have = (int(g[3]), int(g[4]), int(g[5]), g[6], g[7] == "t", int(g[8]), int(g[9]),
                ival(g[12]), ival(g[13]), g[14] == "\\N")
        for col, w in ((10, thd), (11, rhd)):
            v = float(g[col]) if g[col] != "\\N" else None
            if not (v == w or (v is not None and w is not None and math.isfinite(w)
                               and abs(v - w) <= 1e-15 * abs(w))):
                bad("rir_eligibility hd", key, v, w)
    if have != want:
        bad("rir_eligibility", key, have, want)
    n5 += 1
if len(got5) != len(groups):
    bad("rir_eligibility rows", "", len(got5), len(groups))
compared["netbox_rir_eligibility"] = n5

label = args.label or os.environ.get("PGDATABASE", "")
print("oracle (%s): %s; %d mismatches" % (
    label, ", ".join("%s %d rows" % kv for kv in compared.items()), mismatches))
sys.exit(1 if mismatches else 0)
