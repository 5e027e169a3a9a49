#!/usr/bin/env python3
"""Check expected/freespace.out against Python.

Every query of sql/freespace.sql that prints a result is preceded by a
comment "-- py: EXPR": EXPR is a Python expression over the block model of
model.py (ipaddress: collapse_addresses, address_exclude, subnets,
supernet), computed here independently of the extension.  This script reads
the expected output, finds each such comment and the result (or error)
printed after the query under it, and compares.  A result with no "-- py:"
comment fails the check, unless the comment is "-- py: skip <reason>".

usage: test/freespace/verify_expected.py [expected/freespace.out]
"""
import ipaddress as ip
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import (Err, Rows, N, L, norm, except_,  # noqa: E402,F401
                   first_free, free_blocks, block_counts, unit_count)

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
    if isinstance(like, float):
        try:
            return float(text)
        except ValueError:
            return text
    if isinstance(like, (ip.IPv4Network, ip.IPv6Network)):
        try:
            return N(text)
        except ValueError:
            return text
    return text


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
        return False, f'expected {len(exp_rows)} rows, got {len(payload)}: {payload[:8]}'
    for e, got in zip(exp_rows, payload):
        if len(e) != len(got):
            return False, f'expected {len(e)} columns, got {got}'
        for ev, gv in zip(e, got):
            if cell_value(gv, ev) != ev:
                return False, f'expected {ev!r}, got {gv!r}'
    return True, ''


def check_file(path):
    lines = open(path).read().split('\n')
    bad = checked = 0
    i = 0
    pending = None
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
        elif not pending.startswith('skip'):
            expected = eval(pending)
            ok, why = compare(expected, kind, payload)
            checked += 1
            if not ok:
                bad += 1
                print(f'{path}:{at + 1}: {pending}\n    {why}')
        pending = None
        i = end
    return checked, bad


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    files = sys.argv[1:] or [os.path.join(root, 'expected', 'freespace.out')]
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
