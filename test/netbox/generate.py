#!/usr/bin/env python3
"""A NetBox-shaped IPAM database that hits every trap of NetBox's
utilization rules (issue 16), written as SQL COPY data on stdout for the
tables of test/netbox/schema.sql.  Deterministic for a seed (stdlib only).

  generate.py [--seed N] [--trees N]

The traps: prefix trees 0 to 5 levels deep under each root; IPv4 and IPv6
(up to a 2000::/3 container, the IPv6 space in /1s, /31 /32 /127 /128
leaves); the global table (vrf NULL) and three VRFs, the same prefixes
repeated in several of them; every status (container, active, reserved,
deprecated); pools; mark_utilized prefixes; duplicate prefixes in one VRF;
addresses whose stored mask differs from their prefix's (/8, /32, /128, a
random one), duplicate addresses, network and broadcast addresses,
addresses outside every prefix and in a VRF without prefixes; ranges with
and without mark_utilized, overlapping, adjacent, nested, single-address,
and straddling a prefix's edge; aggregates of three RIRs, tenants, nested
aggregates, NULL and tied dates.
"""
import argparse
import ipaddress
import random
import sys
from datetime import date, timedelta

STATUSES = ["container", "active", "reserved", "deprecated"]
VRFS = [None, 1, 2, 3]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--trees", type=int, default=24)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    prefixes = []          # (prefix, status, is_pool, tenant, vrf, mark_utilized)

    def add_prefix(net, vrf, depth):
        leaf = net.prefixlen == net.max_prefixlen
        if depth == 0 and not leaf:
            status = "container" if rng.random() < 0.7 else rng.choice(STATUSES)
        else:
            status = rng.choice(STATUSES)
        prefixes.append((net, status, rng.random() < 0.15,
                         rng.choice([None, None, 1, 2]), vrf,
                         rng.random() < 0.08))
        if rng.random() < 0.03:     # a duplicate in the same VRF
            prefixes.append((net, rng.choice(STATUSES), rng.random() < 0.5,
                             None, vrf, rng.random() < 0.2))

    def sub_block(net, extra):
        """a random aligned block extra bits longer inside net"""
        length = min(net.max_prefixlen, net.prefixlen + extra)
        k = rng.randrange(1 << (length - net.prefixlen))
        size = 1 << (net.max_prefixlen - length)
        return ipaddress.ip_network((int(net.network_address) + k * size, length))

    def tree(net, vrf, depth, maxdepth):
        add_prefix(net, vrf, depth)
        if depth >= maxdepth or net.prefixlen == net.max_prefixlen:
            return
        for _ in range(rng.choice([0, 1, 2, 3, 4])):
            extra = rng.choice([1, 1, 2, 3, 4, 6, 8])
            tree(sub_block(net, extra), vrf, depth + 1, maxdepth)

    roots = []
    for i in range(args.trees):
        vrf = VRFS[i % len(VRFS)]
        if i % 3 == 2:
            root = ipaddress.ip_network("2001:db8:%x::/48" % i)
        else:
            root = ipaddress.ip_network("10.%d.0.0/16" % i)
        roots.append((root, vrf))
    # the same space in every VRF and the global table
    for vrf in VRFS:
        roots.append((ipaddress.ip_network("192.168.0.0/20"), vrf))
    for net, vrf in roots:
        tree(net, vrf, 0, rng.choice([0, 1, 2, 3, 4, 5, 5]))
    # huge IPv6 blocks, the IPv6 space in halves, single-address blocks
    for text, status in [("2000::/3", "container"), ("2001:db8::/32", "container"),
                         ("::/1", "container"), ("8000::/1", "active"),
                         ("2001:db8:ffff::/127", "active"), ("2001:db8:ffff::1/128", "active"),
                         ("2001:db8:ffff::2/127", "reserved"),
                         ("172.16.0.0/31", "active"), ("172.16.0.2/32", "active"),
                         ("172.16.0.0/30", "active"), ("172.16.0.4/31", "deprecated"),
                         ("0.0.0.0/1", "container"), ("172.16.0.0/12", "active")]:
        prefixes.append((ipaddress.ip_network(text), status, False, None, None, False))
    prefixes.append((ipaddress.ip_network("172.16.0.8/30"), "active", True, None, None, False))

    # addresses: inside prefixes (with all sorts of masks), duplicates,
    # network and broadcast, outside every prefix, in a VRF without prefixes
    addresses = []         # (address text, status, vrf)

    def host_in(net):
        return ipaddress.ip_address(int(net.network_address) + rng.randrange(net.num_addresses))

    def with_mask(addr, net):
        width = addr.max_prefixlen
        m = rng.choice([net.prefixlen, net.prefixlen, width, 8 if width == 32 else 64,
                        rng.randrange(1, width + 1)])
        return "%s/%d" % (addr, m)

    for net, status, pool, tenant, vrf, marked in prefixes:
        n = rng.choice([0, 0, 1, 2, 5, 12]) if net.num_addresses > 4 else rng.choice([0, 1, 2])
        for _ in range(n):
            addresses.append((with_mask(host_in(net), net), "active", vrf))
        if rng.random() < 0.1:
            addresses.append(("%s/%d" % (net.network_address, net.prefixlen), "active", vrf))
        if rng.random() < 0.1:
            addresses.append(("%s/%d" % (net.broadcast_address, net.prefixlen), "reserved", vrf))
        # a /30 filled, or more than full (prefix size less 2)
        if net.version == 4 and net.prefixlen == 30 and rng.random() < 0.5:
            for k in range(4):
                addresses.append(("%s/30" % (net.network_address + k), "active", vrf))
    # duplicates, masks changed
    for a, status, vrf in rng.sample(addresses, len(addresses) // 10):
        host = a.split("/")[0]
        width = 32 if ":" not in host else 128
        addresses.append(("%s/%d" % (host, rng.choice([width, 24 if width == 32 else 64])), status, vrf))
    for _ in range(40):
        addresses.append(("198.51.100.%d/24" % rng.randrange(256), "active", rng.choice(VRFS)))
        addresses.append(("2001:db9::%x/64" % rng.randrange(65536), "active", rng.choice(VRFS)))
        addresses.append(("10.200.%d.%d/16" % (rng.randrange(256), rng.randrange(256)), "active", 9))
    addresses.append(("0.0.0.0/0", "active", None))
    addresses.append(("255.255.255.255/32", "active", None))
    addresses.append(("::/128", "active", None))
    addresses.append(("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/64", "active", None))

    # ranges: inside, overlapping, adjacent, straddling an edge
    ranges = []            # (start, end, status, vrf, mark_utilized) as address texts with masks
    for net, status, pool, tenant, vrf, marked in rng.sample(prefixes, len(prefixes) // 3):
        span = min(net.num_addresses, 1 << 12)
        base = int(net.network_address) + rng.randrange(net.num_addresses - span + 1)
        a = base + rng.randrange(span)
        b = a + rng.randrange(max(1, min(span, 300)))
        if rng.random() < 0.15:      # straddle the prefix's last address
            a = int(net.broadcast_address) - rng.randrange(3)
            b = int(net.broadcast_address) + 1 + rng.randrange(3)
        limit = (1 << net.max_prefixlen) - 1
        b = min(b, limit)
        mk = net.prefixlen
        fam = ipaddress.ip_address
        ranges.append(("%s/%d" % (fam(a), mk), "%s/%d" % (fam(b), mk),
                       rng.choice(["active", "reserved", "deprecated"]), vrf,
                       rng.random() < 0.6))
        r = rng.random()
        if r < 0.2:                  # overlapping
            c = a + (b - a) // 2
            d = min(limit, b + rng.randrange(1, 50))
            ranges.append(("%s/%d" % (fam(c), mk), "%s/%d" % (fam(d), mk), "active", vrf,
                           rng.random() < 0.7))
        elif r < 0.35 and b < limit:  # adjacent
            d = min(limit, b + 1 + rng.randrange(20))
            ranges.append(("%s/%d" % (fam(b + 1), mk), "%s/%d" % (fam(d), mk), "active", vrf, True))
        elif r < 0.45:               # a single address
            ranges.append(("%s/%d" % (fam(a), mk), "%s/%d" % (fam(a), mk), "active", vrf, True))
    ranges.append(("172.16.0.0/12", "172.16.0.3/12", "active", None, True))

    # RIRs and aggregates
    rirs = [(1, "ARIN", "arin", False), (2, "RIPE NCC", "ripe-ncc", False),
            (3, "RFC 1918", "rfc-1918", True)]
    d0 = date(2010, 1, 1)
    aggregates = []        # (prefix, date_added, rir_id, tenant_id)
    for text, rir in [("10.0.0.0/8", 3), ("10.1.0.0/16", 3), ("172.16.0.0/12", 3),
                      ("192.168.0.0/16", 3), ("2001:db8::/32", 1), ("2000::/3", 1),
                      ("198.51.100.0/24", 2), ("203.0.113.0/24", 2), ("8000::/1", 2),
                      ("0.0.0.0/1", 1)]:
        dd = None if rng.random() < 0.25 else d0 + timedelta(days=rng.choice([0, 0, 400, 900, 2000]))
        aggregates.append((text, dd, rir, rng.choice([None, 1, 2])))

    out = sys.stdout
    out.write("SET client_min_messages = warning;\n")
    out.write("COPY public.ipam_rir (id, name, slug, is_private) FROM stdin;\n")
    for r in rirs:
        out.write("%d\t%s\t%s\t%s\n" % (r[0], r[1], r[2], "t" if r[3] else "f"))
    out.write("\\.\n")
    out.write("COPY public.ipam_aggregate (id, prefix, date_added, rir_id, tenant_id) FROM stdin;\n")
    ids = list(range(1, len(aggregates) + 1))
    rng.shuffle(ids)
    for i, (text, dd, rir, tenant) in zip(ids, aggregates):
        out.write("%d\t%s\t%s\t%d\t%s\n" % (i, text, dd.isoformat() if dd else "\\N", rir,
                                           "\\N" if tenant is None else tenant))
    out.write("\\.\n")

    def nv(v):
        return "\\N" if v is None else str(v)

    def tf(b):
        return "t" if b else "f"

    out.write("COPY public.ipam_prefix (id, prefix, status, is_pool, tenant_id, vrf_id, mark_utilized) FROM stdin;\n")
    order = list(range(len(prefixes)))
    rng.shuffle(order)
    for i, k in enumerate(order, 1):
        net, status, pool, tenant, vrf, marked = prefixes[k]
        out.write("%d\t%s\t%s\t%s\t%s\t%s\t%s\n" % (i * 3, net, status, tf(pool), nv(tenant),
                                                   nv(vrf), tf(marked)))
    out.write("\\.\n")
    out.write("COPY public.ipam_ipaddress (id, address, status, vrf_id) FROM stdin;\n")
    rng.shuffle(addresses)
    for i, (a, status, vrf) in enumerate(addresses, 1):
        out.write("%d\t%s\t%s\t%s\n" % (i, a, status, nv(vrf)))
    out.write("\\.\n")
    out.write("COPY public.ipam_iprange (id, start_address, end_address, size, status, vrf_id, mark_utilized) FROM stdin;\n")
    rng.shuffle(ranges)
    for i, (a, b, status, vrf, marked) in enumerate(ranges, 1):
        size = int(ipaddress.ip_interface(b).ip) - int(ipaddress.ip_interface(a).ip) + 1
        out.write("%d\t%s\t%s\t%d\t%s\t%s\t%s\n" % (i, a, b, min(size, 2147483647), status,
                                                   nv(vrf), tf(marked)))
    out.write("\\.\n")
    sys.stderr.write("generated: %d prefixes, %d addresses, %d ranges, %d aggregates\n"
                     % (len(prefixes), len(addresses), len(ranges), len(aggregates)))


if __name__ == "__main__":
    main()
