#!/usr/bin/env python3
"""Check expected/sets.out and expected/aggregates.out against Python.

Every query of sql/sets.sql and sql/aggregates.sql that prints a result is
preceded by a comment "-- py: EXPR": EXPR is a Python expression, computed
here with the standard library's ipaddress (collapse_addresses,
summarize_address_range, address_exclude; test/lib/cidrs.py) and plain
integers, independently of the extension.  This script reads the expected
output files (test/lib/pg_expected.py), finds each such comment, the result
(or error) printed after the query under it, and compares.  A result with
no "-- py:" comment over its query fails the check, unless the comment is
"-- py: skip <reason>" (a plan, a setup step).

usage: test/sets/verify_expected.py [expected/NAME.out ...]
"""
import ipaddress as ip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import pg_expected  # noqa: E402
from cidrs import N, L, norm, intersect, except_  # noqa: E402,F401
from pg_expected import Err, Rows  # noqa: E402,F401


# --- the Python model (the names the "-- py:" expressions use) --------------

def merge(s):
    return norm(L(s))


def union(a, b):
    return norm(L(a) + L(b))


def count(s):
    nets = norm(L(s))
    if len({n.version for n in nets}) > 1:
        return Err('cannot mix IPv4 and IPv6 addresses')
    return sum(n.num_addresses for n in nets)


def addr_sum(s):
    """sum of the blocks' sizes, duplicates counted; None for no block"""
    nets = L(s)
    if not nets:
        return None
    if len({n.version for n in nets}) > 1:
        return Err('cannot mix IPv4 and IPv6 addresses')
    return sum(n.num_addresses for n in nets)


def summarize(first, last):
    return list(ip.summarize_address_range(ip.ip_address(first),
                                           ip.ip_address(last)))


if __name__ == '__main__':
    sys.exit(pg_expected.main_py(['sets.out', 'aggregates.out'], globals()))
