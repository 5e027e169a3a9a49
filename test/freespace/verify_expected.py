#!/usr/bin/env python3
"""Check expected/freespace.out against Python.

Every query of sql/freespace.sql that prints a result is preceded by a
comment "-- py: EXPR": EXPR is a Python expression over the block model of
model.py (ipaddress: collapse_addresses, address_exclude, subnets,
supernet), computed here independently of the extension.  This script reads
the expected output (test/lib/pg_expected.py), finds each such comment and
the result (or error) printed after the query under it, and compares.  A
result with no "-- py:" comment fails the check, unless the comment is
"-- py: skip <reason>".

usage: test/freespace/verify_expected.py [expected/freespace.out]
"""
import ipaddress as ip  # noqa: F401 (the "-- py:" expressions use ip and math)
import math  # noqa: F401
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import pg_expected  # noqa: E402
from model import (Err, Rows, N, L, norm, except_,  # noqa: E402,F401
                   first_free, free_blocks, block_counts, unit_count)

if __name__ == '__main__':
    sys.exit(pg_expected.main_py(['freespace.out'], globals()))
