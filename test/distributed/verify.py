#!/usr/bin/env python3
"""test/distributed/verify.py ROWS REPORT POOL — the figures the shards
computed, recomputed from the raw rows with Python's ipaddress.

ROWS:   `member|kind|block` per row (psql -A -t), every row of the registry
REPORT: the per-member report (report.sql, psql -A -t) as computed through
        the shards: member|af|n|allocated|assigned_gross|assigned|hd|set[|util]
POOL:   the pool-wide cidr_merge of the two-level merge, one cidr[] text

Checks every column but util (the utilization aggregate has its own tests):
counts and sums exactly, the merged set as ipaddress.collapse_addresses
gives it, the HD ratio log(assigned)/log(allocated) to 1e-12 relative.
Exits 1 on any mismatch, printing the first few.
"""
import ipaddress
import math
import sys
from collections import defaultdict


def parse_set(text):
    """'{a,b}' -> list of networks; '' (NULL) -> None"""
    if text == "":
        return None
    inner = text.strip("{}")
    return [ipaddress.ip_network(b) for b in inner.split(",")] if inner else []


def collapse(nets):
    """the minimal CIDR list, IPv4 before IPv6"""
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    return list(ipaddress.collapse_addresses(v4)) + list(ipaddress.collapse_addresses(v6))


def main(rows_file, report_file, pool_file):
    groups = defaultdict(lambda: {"n": 0, "alloc": [], "assign": []})
    every = []
    with open(rows_file) as f:
        for line in f:
            member, kind, block = line.rstrip("\n").split("|")
            net = ipaddress.ip_network(block) if block else None
            g = groups[(int(member), net.version if net else None)]
            g["n"] += 1
            if net is None:
                continue
            every.append(net)
            if kind == "allocation":
                g["alloc"].append(net)
            elif kind == "assignment":
                g["assign"].append(net)

    bad = []
    seen = set()
    with open(report_file) as f:
        for line in f:
            cols = line.rstrip("\n").split("|")
            member, af = int(cols[0]), (int(cols[1]) if cols[1] else None)
            n, allocated, gross, assigned, hd, aset = cols[2:8]
            key = (member, af)
            seen.add(key)
            g = groups.get(key)
            if g is None:
                bad.append(f"{key}: a group with no rows")
                continue
            want_set = collapse(g["assign"]) if g["assign"] else None
            want_alloc = sum(x.num_addresses for x in g["alloc"]) if g["alloc"] else None
            want_gross = sum(x.num_addresses for x in g["assign"]) if g["assign"] else None
            want_assigned = sum(x.num_addresses for x in want_set) if want_set is not None else None

            def num(text):
                return int(text) if text != "" else None

            if int(n) != g["n"]:
                bad.append(f"{key}: n {n}, want {g['n']}")
            if num(allocated) != want_alloc:
                bad.append(f"{key}: allocated {allocated}, want {want_alloc}")
            if num(gross) != want_gross:
                bad.append(f"{key}: assigned_gross {gross}, want {want_gross}")
            if num(assigned) != want_assigned:
                bad.append(f"{key}: assigned {assigned}, want {want_assigned}")
            if parse_set(aset) != want_set:
                bad.append(f"{key}: set {aset}, want {want_set}")
            if want_assigned is None or want_alloc is None:
                if hd != "":
                    bad.append(f"{key}: hd {hd}, want NULL")
            else:
                want_hd = math.log(want_assigned) / math.log(want_alloc)
                if not math.isclose(float(hd), want_hd, rel_tol=1e-12):
                    bad.append(f"{key}: hd {hd}, want {want_hd!r}")
    missing = set(groups) - seen
    if missing:
        bad.append(f"{len(missing)} groups missing from the report, e.g. {sorted(missing, key=str)[:3]}")

    with open(pool_file) as f:
        pool = parse_set(f.read().strip())
    want_pool = collapse(every)
    if pool != want_pool:
        diff = next((f"{a} where Python has {b}" for a, b in zip(pool or [], want_pool) if a != b),
                    f"{len(pool or [])} blocks where Python has {len(want_pool)}")
        bad.append(f"pool: {diff}")

    for b in bad[:10]:
        print("  mismatch:", b)
    print(f"verify.py: {len(seen)} report rows and the pool of {len(want_pool)} blocks "
          f"against ipaddress: {len(bad)} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
