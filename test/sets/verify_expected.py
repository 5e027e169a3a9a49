#!/usr/bin/env python3
"""Check expected/sets.out and expected/aggregates.out against Python.

Every query of sql/sets.sql and sql/aggregates.sql that prints a result is
preceded by a comment "-- py: EXPR": EXPR is a Python expression, computed
here with the standard library's ipaddress (collapse_addresses,
summarize_address_range, address_exclude) and plain integers, independently
of the extension.  This script reads the expected output files, finds each
such comment, the result (or error) printed after the query under it, and
compares.  A result with no "-- py:" comment over its query fails the
check, unless the comment is "-- py: skip <reason>" (a plan, a setup step).

usage: test/sets/verify_expected.py [expected/NAME.out ...]
"""
import ipaddress as ip
import os
import re
import sys


# --- the Python model -----------------------------------------------------

def N(s):
    """a block; an inet with host bits set counts as its network"""
    return ip.ip_network(s, strict=False)


def L(s):
    """a list of blocks from a space-separated string"""
    return [N(x) for x in s.split()] if s else []


def norm(nets):
    """the normalized set: collapsed, IPv4 first"""
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    return list(ip.collapse_addresses(v4)) + list(ip.collapse_addresses(v6))


def merge(s):
    return norm(L(s))


def union(a, b):
    return norm(L(a) + L(b))


def intersect(a, b):
    out = []
    for x in norm(L(a)):
        for y in norm(L(b)):
            if x.version == y.version and x.overlaps(y):
                # two CIDR blocks that overlap: one holds the other
                out.append(x if x.prefixlen >= y.prefixlen else y)
    return norm(out)


def except_(a, b):
    cur = norm(L(a))
    for y in norm(L(b)):
        nxt = []
        for x in cur:
            if x.version != y.version or not x.overlaps(y):
                nxt.append(x)
            elif x.subnet_of(y):
                pass
            else:
                nxt.extend(x.address_exclude(y))
        cur = nxt
    return norm(cur)


class Err:
    def __init__(self, msg):
        self.msg = msg


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


class Rows(list):
    """several result rows"""


# --- reading the expected output --------------------------------------------

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from pg_expected import results  # noqa: E402


def cell_value(text, like):
    """a printed cell, read as the type of the expected value"""
    if like is None:
        return None if text == '' else text
    if isinstance(like, bool):
        return {'t': True, 'f': False}.get(text, text)
    if isinstance(like, int):
        return int(text) if re.fullmatch(r'-?\d+', text) else text
    if isinstance(like, list):
        if not (text.startswith('{') and text.endswith('}')):
            return text
        inner = text[1:-1]
        return [N(x) for x in inner.split(',')] if inner else []
    if isinstance(like, (ip.IPv4Network, ip.IPv6Network)):
        return N(text)
    return text


def check_file(path):
    lines = open(path).read().split('\n')
    bad = 0
    checked = 0
    i = 0
    pending = None              # the EXPR over the next result
    while i < len(lines):
        line = lines[i]
        if line.startswith('-- py:'):
            pending = line[len('-- py:'):].strip()
            i += 1
            continue
        kind, payload, at, end = results(lines, i)
        if kind is None:
            i = end if end > i else i + 1
            continue
        if pending is None:
            print(f'{path}:{at + 1}: a result without a "-- py:" check: '
                  f'{payload}')
            bad += 1
        elif pending.startswith('skip'):
            pass
        else:
            expected = eval(pending)
            ok, why = compare(expected, kind, payload)
            checked += 1
            if not ok:
                bad += 1
                print(f'{path}:{at + 1}: {pending}\n    {why}')
        pending = None
        i = end
    return checked, bad


def compare(expected, kind, payload):
    if isinstance(expected, Err):
        if kind != 'error':
            return False, f'expected error {expected.msg!r}, got rows {payload}'
        return (payload == expected.msg,
                f'expected error {expected.msg!r}, got {payload!r}')
    if kind == 'error':
        return False, f'expected {expected!r}, got error {payload!r}'
    if isinstance(expected, Rows):
        exp_rows = [e if isinstance(e, tuple) else (e,) for e in expected]
    else:
        exp_rows = [expected if isinstance(expected, tuple) else (expected,)]
    if len(exp_rows) != len(payload):
        return False, f'expected {len(exp_rows)} rows, got {len(payload)}: {payload}'
    for e, got in zip(exp_rows, payload):
        if len(e) != len(got):
            return False, f'expected {len(e)} columns, got {got}'
        for ev, gv in zip(e, got):
            if cell_value(gv, ev) != ev:
                return False, f'expected {ev!r}, got {gv!r}'
    return True, ''


def main():
    import os
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    files = sys.argv[1:] or [os.path.join(root, 'expected', f)
                             for f in ('sets.out', 'aggregates.out')]
    total_bad = 0
    for f in files:
        if not os.path.exists(f):
            print(f'{f}: missing')
            total_bad += 1
            continue
        checked, bad = check_file(f)
        print(f'{os.path.relpath(f, root)}: {checked} results checked against '
              f'Python, {bad} wrong or unchecked')
        total_bad += bad
    sys.exit(1 if total_bad else 0)


if __name__ == '__main__':
    main()
