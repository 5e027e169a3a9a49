"""Reading pg_regress expected output (psql's aligned format): the one reader
of every test/*/verify_expected.py.  python3 stdlib only.

A table is a header line, a rule (`----+----`), its rows and the `(N rows)`
footer; cells are separated by ` | ` (a cell is stripped of its padding).

  results(lines, i)      the next result (a table's rows, or an ERROR line)
                         at or after line i, stopping at a '-- py:' comment:
                         for the checkers whose every result sits under a
                         '-- py: EXPR' comment (test/sets, test/freespace);
  check_py(path, env)    that whole check of one file: each result against
                         the Python value of its EXPR (evaluated in env, the
                         checker's namespace): Err(msg) for an error, Rows
                         for several rows, a tuple for a row's columns;
  main_py(files, env)    check_py over expected/FILE ... (or the files named
                         on the command line), one line each, exit status;
  tables(lines)          every table of two or more columns, as (header,
                         rows) (test/rir: its expected output and reports);
  sections(lines, tag)   the lines from each '-- TAG: NAME' comment to the
                         next, as (NAME, first, end) (test/rir);
  named_tables(path, tag)  {NAME: (header, rows as dicts)}: the first table
                         after each '-- TAG: NAME' comment (test/registry).
"""
import ipaddress as ip
import os
import re
import sys

SEP = re.compile(r'^-+(\+-+)*$')
COUNT = re.compile(r'^\((\d+) rows?\)$')
CELL_SEP = re.compile(r' \|(?: |$)')


def cells(line):
    """the cells of one line of a table, stripped"""
    return [c.strip() for c in CELL_SEP.split(line)]


def read(path):
    return open(path, encoding='utf-8').read().split('\n')


def _rows(lines, j):
    """the rows from line j to the '(N rows)' footer, and the line after it"""
    rows = []
    while j < len(lines) and not COUNT.match(lines[j]):
        rows.append(cells(lines[j]))
        j += 1
    return rows, j + 1


def results(lines, i):
    """the next result at or after line i: ('rows', [cells...], at, end)
    or ('error', message, at, end); (None, None, i, i) at a '-- py:' line
    or the end"""
    while i < len(lines):
        line = lines[i]
        if line.startswith('ERROR:  '):
            return 'error', line[len('ERROR:  '):], i, i + 1
        if line.startswith('-- py:'):
            return None, None, i, i
        if SEP.match(line) and i > 0 and lines[i - 1].startswith(' '):
            rows, end = _rows(lines, i + 1)
            return 'rows', rows, i, end
        i += 1
    return None, None, i, i


class Err:
    """an expected error, by its message"""

    def __init__(self, msg):
        self.msg = msg

    def __repr__(self):
        return f'Err({self.msg!r})'


class Rows(list):
    """several result rows"""


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
    if isinstance(like, list):
        if not (text.startswith('{') and text.endswith('}')):
            return text
        inner = text[1:-1]
        return [ip.ip_network(x, strict=False) for x in inner.split(',')] if inner else []
    if isinstance(like, (ip.IPv4Network, ip.IPv6Network)):
        try:
            return ip.ip_network(text, strict=False)
        except ValueError:
            return text
    return text


def compare(expected, kind, payload):
    """(ok, why): a result ('rows' or 'error', and its rows or message)
    against the expected value"""
    if isinstance(expected, Err):
        if kind != 'error':
            return False, f'expected error {expected.msg!r}, got rows {payload[:8]}'
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


def check_py(path, env):
    """Every result of the expected file `path` must sit under a
    '-- py: EXPR' comment (or '-- py: skip <why>'); EXPR is evaluated in the
    namespace env and compared with the result.  Prints each failure;
    returns (checked, bad)."""
    lines = read(path)
    bad = checked = 0
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
        elif not pending.startswith('skip'):
            expected = eval(pending, env)
            ok, why = compare(expected, kind, payload)
            checked += 1
            if not ok:
                bad += 1
                print(f'{path}:{at + 1}: {pending}\n    {why}')
        pending = None
        i = end
    return checked, bad


def main_py(files, env):
    """check_py over expected/FILE for each of files (or over the paths given
    as arguments); prints a line per file; returns the exit status"""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    paths = sys.argv[1:] or [os.path.join(root, 'expected', f) for f in files]
    total_bad = 0
    for f in paths:
        if not os.path.exists(f):
            print(f'{f}: missing')
            total_bad += 1
            continue
        checked, bad = check_py(f, env)
        print(f'{os.path.relpath(f, root)}: {checked} results checked against '
              f'Python, {bad} wrong or unchecked')
        total_bad += bad
    return 1 if total_bad else 0


def tables(lines):
    """the tables of psql aligned output with at least two columns, in
    order: a list of (header, rows)"""
    out = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and SEP.match(lines[i + 1]) and '|' in lines[i]:
            rows, end = _rows(lines, i + 2)
            out.append((cells(lines[i]), rows))
            i = end - 1
        i += 1
    return out


def sections(lines, tag):
    """(NAME, first, end) for each '-- TAG: NAME' line: the lines from it
    (first) up to the next such line or the end (end, exclusive)"""
    marker = re.compile(r'^-- %s: (\S+)$' % re.escape(tag))
    out = []
    for i, line in enumerate(lines):
        m = marker.match(line)
        if m:
            if out:
                out[-1][2] = i
            out.append([m.group(1), i, len(lines)])
    return [tuple(s) for s in out]


def named_tables(path, tag):
    """{NAME: (header, rows)} for the first table after each '-- TAG: NAME'
    line; each row a dict from the header's names to its cells"""
    lines = read(path)
    out = {}
    for name, first, _ in sections(lines, tag):
        i = first + 1
        while not SEP.match(lines[i + 1]):
            i += 1
        header = cells(lines[i])
        rows, _ = _rows(lines, i + 2)
        out[name] = (header, [dict(zip(header, r)) for r in rows])
    return out
