#!/usr/bin/env python3
"""(b) of test/bench/netbox.sh (test/bench/netbox/python_algorithm.py): NetBox's Python algorithm of
Prefix.get_utilization (NetBox 4.6, netbox/ipam/models/ip.py) over the rows
of the benchmark's sample of prefixes, with netaddr as NetBox uses it.

  python_algorithm.py DBNAME

The rows each prefix's queries return are fetched first, in three queries,
and turned into netaddr objects (what NetBox's ORM hands the model); only
the algorithm is timed: the IPSets built from them, their sizes and the
percentage.  The CPU time per prefix is extrapolated to every prefix and set
beside netbox_prefix_utilization()'s (public.bench_ours)."""
import subprocess
import sys
import time

import netaddr

db = sys.argv[1]


def q(sql):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-F", "\t", "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [l.split("\t") for l in out.splitlines() if l]


ours_ms, n_all = (float(x) if i == 0 else int(x) for i, x in enumerate(q(
    "SELECT min(cpu_ms), max(n) FROM public.bench_ours WHERE run > 0")[0]))
sample = q("SELECT id, prefix, status, is_pool, mark_utilized FROM public.bench_sample ORDER BY id")
kids, rngs, ips = {}, {}, {}
for i, p in q("SELECT s.id, c.prefix FROM public.bench_sample s JOIN public.ipam_prefix c "
              "ON c.prefix << s.prefix AND c.vrf_id IS NOT DISTINCT FROM s.vrf_id "
              "WHERE s.status = 'container' AND NOT s.mark_utilized"):
    kids.setdefault(i, []).append(netaddr.IPNetwork(p))
for i, a, b in q("SELECT s.id, r.start_address, r.end_address FROM public.bench_sample s "
                 "JOIN public.ipam_iprange r ON r.vrf_id IS NOT DISTINCT FROM s.vrf_id "
                 "AND host(r.start_address)::inet BETWEEN host(network(s.prefix))::inet AND host(broadcast(s.prefix))::inet AND host(r.end_address)::inet <<= s.prefix "
                 "AND r.mark_utilized WHERE s.status <> 'container' AND NOT s.mark_utilized"):
    rngs.setdefault(i, []).append((netaddr.IPNetwork(a), netaddr.IPNetwork(b)))
for i, a in q("SELECT s.id, a.address FROM public.bench_sample s JOIN public.ipam_ipaddress a "
              "ON host(a.address)::inet BETWEEN host(network(s.prefix))::inet AND host(broadcast(s.prefix))::inet AND a.vrf_id IS NOT DISTINCT FROM s.vrf_id "
              "WHERE s.status <> 'container' AND NOT s.mark_utilized"):
    ips.setdefault(i, []).append(netaddr.IPNetwork(a))
objs = [(i, netaddr.IPNetwork(p), st, pool == "t", mu == "t") for i, p, st, pool, mu in sample]


def get_utilization(i, prefix, status, is_pool, mark_utilized):
    """Prefix.get_utilization, the queries' results given"""
    if mark_utilized:
        return 100
    if status == "container":
        child_prefixes = netaddr.IPSet(kids.get(i, []))
        utilization = float(child_prefixes.size) / prefix.size * 100
    else:
        child_ips = netaddr.IPSet()
        for a, b in rngs.get(i, []):
            child_ips.add(netaddr.IPRange(a.ip, b.ip))
        for ip in ips.get(i, []):
            child_ips.add(ip.ip)
        prefix_size = prefix.size
        if prefix.version == 4 and prefix.prefixlen < 31 and not is_pool:
            prefix_size -= 2
        utilization = float(child_ips.size) / prefix_size * 100
    return min(utilization, 100)


best = None
for rep in range(3):
    t = time.process_time()
    for o in objs:
        get_utilization(*o)
    dt = time.process_time() - t
    best = dt if best is None else min(best, dt)
per = best / len(objs)
print("(b) NetBox's Python algorithm (netaddr %s), %d prefixes of the sample, %d rows: %.2f s,"
      " %.1f us per prefix (CPU); all %d prefixes: %.1f s (extrapolated), %.0fx slower than ours"
      " (%.2f us of CPU per prefix)"
      % (netaddr.__version__, len(objs), sum(map(len, kids.values())) + sum(map(len, rngs.values()))
         + sum(map(len, ips.values())), best, per * 1e6, n_all, per * n_all,
         per / (ours_ms / 1000 / n_all), ours_ms * 1000 / n_all))
