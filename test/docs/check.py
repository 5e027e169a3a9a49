#!/usr/bin/env python3
"""test/docs/check.py — run the examples of README.md and doc/*.md and compare
their output with what the page shows.  python3 stdlib only.

The convention (CONTRIBUTING.md, "Documentation"):

  * An EXAMPLE is a ```sql block (or a ```sh block) immediately followed --
    nothing but blank lines between them -- by a bare ``` block: the output.
    Other blocks (a ```sql block with no output block after it, a bare block
    with no ```sql block before it) are not run.
  * ```sql examples are typed into psql as into a terminal: `psql -X -q`
    reading the page's examples from standard input, so errors print as
    "ERROR:  ..." with psql's default VERBOSITY and no "psql:file:line:"
    prefix, and results print in psql's aligned format.  The footer
    ("(N rows)") is on for an example whose output shows one and off
    otherwise; expanded display (\\x) is reset to off before each example
    (use \\gx for one record per block).  The ```sql examples of a page run
    in order in one session, so a table or setting made by one is there for
    the next; a ```sh example ends that session.
  * ```sh examples run with bash; psql there finds the page's database in
    PGDATABASE and reads no psqlrc (PSQLRC=/dev/null).
  * Every example runs with the top of the tree as its working directory,
    seen through a private directory of symbolic links, so a relative path
    such as examples/registry/schema.sql works and a file an example
    writes stays out of the tree.
  * Each page has its own database (created, with the extension, before its
    first example and dropped at the end).
  * Comparison is exact except for whitespace at the end of a line and blank
    lines at the start and end of the output (psql pads header lines with
    trailing spaces; editors strip them).
  * HTML comments placed right before a block steer it:
      <!-- docs-test: skip (reason) -->   the next example is not run; the
                                          reason is printed with every run
      <!-- docs-test: setup -->           the next ```sql block, which has no
                                          output block, is run in the page's
                                          session and must print nothing
    Any other "docs-test:" comment is an error, so a typo cannot skip a test.

Usage: check.py [--list] [FILE.md ...]   (default: README.md doc/*.md)
Runs inside a cluster (PGHOST etc. set); exits 1 on any difference.
"""
import argparse
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FENCE = re.compile(r'^```\s*([A-Za-z0-9_+-]*)\s*$')
DIRECTIVE = re.compile(r'^<!--\s*docs-test:\s*(.*?)\s*-->\s*$')
SKIP = re.compile(r'^skip\s*\((.+)\)$')
FOOTER = re.compile(r'^\(\d+ rows?\)$')
MARK = '@@docs-test@@'
RUNNABLE = ('sql', 'sh')


class DocError(Exception):
    pass


class Block:
    def __init__(self, lang, line, body, end):
        self.lang = lang        # info string of the opening fence ('' for bare)
        self.line = line        # 1-based line of the opening fence
        self.body = body        # lines between the fences
        self.end = end          # 1-based line of the closing fence
        self.directive = None   # (kind, reason) from a comment right before it


class Item:
    """one thing to run: an example (code + expected output) or a setup"""
    def __init__(self, path, code, expected, kind, reason=None):
        self.path = path
        self.code = code
        self.expected = expected
        self.kind = kind        # 'example', 'setup' or 'skip'
        self.reason = reason

    @property
    def where(self):
        return '%s:%d' % (self.path, self.code.line)


def parse(path):
    """the page's items, in page order"""
    lines = open(os.path.join(ROOT, path), encoding='utf-8').read().split('\n')
    blocks, pending, i = [], None, 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if m:
            if pending:
                raise DocError('%s:%d: two docs-test comments in a row'
                               % (path, i + 1))
            pending = (m.group(1), i + 1)
            i += 1
            continue
        m = FENCE.match(lines[i])
        if m:
            start, lang = i, m.group(1)
            i += 1
            while i < len(lines) and not re.match(r'^```\s*$', lines[i]):
                i += 1
            if i == len(lines):
                raise DocError('%s:%d: code block never closed'
                               % (path, start + 1))
            b = Block(lang, start + 1, lines[start + 1:i], i + 1)
            if pending:
                b.directive = pending
                pending = None
            blocks.append(b)
            i += 1
            continue
        if pending and lines[i].strip():
            raise DocError('%s:%d: a docs-test comment must stand right '
                           'before a code block' % (path, pending[1]))
        i += 1
    if pending:
        raise DocError('%s:%d: a docs-test comment with no block after it'
                       % (path, pending[1]))

    items = []
    for n, b in enumerate(blocks):
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        has_output = (b.lang in RUNNABLE and nxt is not None and nxt.lang == ''
                      and all(not l.strip()
                              for l in lines[b.end:nxt.line - 1]))
        kind, reason = 'example', None
        if b.directive:
            text, at = b.directive
            m = SKIP.match(text)
            if m:
                if not has_output:
                    raise DocError('%s:%d: "skip" stands before a block that '
                                   'is not an example' % (path, at))
                kind, reason = 'skip', m.group(1).strip()
            elif text == 'setup':
                if b.lang != 'sql' or has_output:
                    raise DocError('%s:%d: "setup" is for a ```sql block with '
                                   'no output block' % (path, at))
                kind = 'setup'
            else:
                raise DocError('%s:%d: unknown docs-test comment "%s" (skip '
                               '(reason) or setup)' % (path, at, text))
        if kind == 'setup':
            items.append(Item(path, b, None, 'setup'))
        elif has_output:
            items.append(Item(path, b, nxt, kind, reason))
    return items


def unterminated(code):
    """the last line of SQL, if the block does not end a statement (psql
    would keep it in its buffer and run it with the next block)"""
    for line in reversed(code):
        s = re.sub(r'\s--.*$', '', line).rstrip()
        s = re.sub(r';\s*\\\w.*$', ';', s)   # SELECT ...; \echo ...
        if not s or s.startswith('--'):
            continue
        if s.endswith(';') or s.lstrip().startswith('\\') or re.search(r'\\g\w*\s*$', s):
            return None
        return line
    return None


def norm(lines):
    out = [l.rstrip() for l in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def run_sql(items, db, cwd, env):
    """the items of one psql session; returns each item's output lines"""
    script = []
    for k, it in enumerate(items):
        last = unterminated(it.code.body)
        if last is not None:
            raise DocError('%s: the block does not end its statement (%r): '
                           'end it with ";"' % (it.where, last.strip()))
        footer = it.expected is not None and any(
            FOOTER.match(l.strip()) for l in it.expected.body)
        script.append('\\echo %s %d' % (MARK, k))
        script.append('\\pset footer %s' % ('on' if footer else 'off'))
        script.append('\\pset expanded off')
        script.extend(it.code.body)
    script.append('\\echo %s end' % MARK)
    p = harness.psql('\n'.join(script) + '\n', db=db, aligned=True, stop=False,
                     check=False, merge=True, cwd=cwd, env=env, timeout=300)
    outs, cur = {}, None
    for line in p.stdout.split('\n'):
        m = re.match('^%s (\\d+|end)$' % MARK, line)
        if m:
            cur = None if m.group(1) == 'end' else int(m.group(1))
            if cur is not None:
                outs[cur] = []
            continue
        if cur is not None:
            outs[cur].append(line)
        elif line.strip():
            # output before the first marker or after the last one
            outs.setdefault('stray', []).append(line)
    if 'stray' in outs or len(outs) != len(items):
        raise DocError('%s: psql stopped early or printed outside the '
                       'examples (exit %d):\n%s'
                       % (items[0].path, p.returncode, p.stdout[-3000:]))
    return [outs[k] for k in range(len(items))]


def run_sh(item, cwd, env):
    p = subprocess.run(['bash', '-c', '\n'.join(item.code.body)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       cwd=cwd, env=env, universal_newlines=True, timeout=300)
    return p.stdout.split('\n')


def workdir():
    """a private directory that shows the tree's top level through links"""
    d = tempfile.mkdtemp(prefix='ap_docs.')
    for name in os.listdir(ROOT):
        if name != '.git':
            os.symlink(os.path.join(ROOT, name), os.path.join(d, name))
    return d


def check_page(path, items, cwd, failures):
    stem = re.sub(r'[^a-z0-9]+', '_', os.path.splitext(path)[0].lower())
    db = harness.dbname(stem)
    env = dict(os.environ, PGDATABASE=db, PSQLRC='/dev/null')
    harness.dropdb(db)
    harness.createdb(db)
    try:
        harness.psql('CREATE EXTENSION addrpolicy', db=db)
        todo = [it for it in items if it.kind != 'skip']
        results = []
        k = 0
        while k < len(todo):
            if todo[k].code.lang == 'sh':
                results.append(run_sh(todo[k], cwd, env))
                k += 1
                continue
            j = k
            while j < len(todo) and todo[j].code.lang == 'sql':
                j += 1
            results.extend(run_sql(todo[k:j], db, cwd, env))
            k = j
        checked = 0
        for it, got in zip(todo, results):
            got = norm(got)
            if it.kind == 'setup':
                if got:
                    failures.append('%s: setup block printed:\n  %s'
                                    % (it.where, '\n  '.join(got[:40])))
                continue
            checked += 1
            want = norm(it.expected.body)
            if got != want:
                diff = difflib.unified_diff(
                    want, got, '%s:%d (the page)' % (path, it.expected.line),
                    'psql', lineterm='', n=2)
                failures.append('%s: output differs\n%s'
                                % (it.where, '\n'.join(diff)))
        return checked
    finally:
        harness.dropdb(db)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--list', action='store_true',
                    help='list the examples and skips, run nothing')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    files = args.files or (['README.md'] + sorted(
        os.path.relpath(f, ROOT) for f in glob.glob(os.path.join(ROOT, 'doc', '*.md'))))
    pages = []
    try:
        for f in files:
            pages.append((f, parse(f)))
    except DocError as e:
        print('docs: %s' % e)
        return 1
    skips = [it for _, items in pages for it in items if it.kind == 'skip']
    if args.list:
        for f, items in pages:
            for it in items:
                print('%-28s %-7s %s%s' % (it.where, it.kind, it.code.lang,
                                           ' (%s)' % it.reason if it.reason else ''))
        return 0
    cwd = workdir()
    failures, total, t0 = [], 0, time.time()
    try:
        for f, items in pages:
            if all(it.kind == 'skip' for it in items):
                continue
            t = time.time()
            try:
                n = check_page(f, items, cwd, failures)
            except DocError as e:
                failures.append(str(e))
                n = 0
            total += n
            print('docs: %-22s %3d examples checked (%.1f s)'
                  % (f, n, time.time() - t))
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    for it in skips:
        print('docs: skipped %s: %s' % (it.where, it.reason))
    for msg in failures:
        print('\nFAIL %s' % msg)
    print('docs: %d examples checked, %d skipped, %d failed (%.1f s)'
          % (total, len(skips), len(failures), time.time() - t0))
    return 1 if failures else 0


if __name__ == '__main__':
    harness.main(main)
