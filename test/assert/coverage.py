#!/usr/bin/env python3
"""test/assert/coverage.py SRCDIR — did the assert-enabled build really
compile our Assert()s?

For every SRCDIR/X.c: count its Assert calls (Assert, AssertArg, AssertState,
AssertMacro, AssertPointerAlignment; comments and string literals removed),
its own and those of the local headers it includes with #include "..."
(followed transitively inside SRCDIR).  Where there is at least one, the
object SRCDIR/X.o must reference ExceptionalCondition (`nm -u`): with
USE_ASSERT_CHECKING every Assert expands to a call of it, without it to
nothing.  An object that is missing, or has Asserts and no reference, fails
the check, named.  Objects without Asserts of ours are listed as such (they
may still reference ExceptionalCondition through PostgreSQL's inline
functions).

  coverage.py SRCDIR                  check every X.c / X.o pair
  coverage.py --pair X.c X.o          check one pair (the negative control)
  coverage.py --count SRCDIR          print "X.c N" per file, no check

A header Assert counts for every file that includes the header; should one
sit in a static inline function that some file includes but never calls, the
check would flag that file wrongly: today src/*.h have none.
"""
import os
import re
import subprocess
import sys

ASSERT = re.compile(r"(?<![A-Za-z0-9_])(Assert|AssertArg|AssertState|AssertMacro|"
                    r"AssertPointerAlignment)\s*\(")
DEFINE = re.compile(r"\s*#\s*define\s")  # a macro's own definition is no call
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# comments, then string and character literals (so "Assert(" in a message or
# a comment does not count)
STRIP = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def strip(text):
    return STRIP.sub(lambda m: "\n" * m.group(0).count("\n") if m.group(0).startswith("/") else '""', text)


def asserts(path, seen=None):
    """[(file, line)] of the Assert calls of path and its local headers."""
    seen = set() if seen is None else seen
    if path in seen or not os.path.isfile(path):
        return []
    seen.add(path)
    raw = open(path, errors="replace").read()
    text = strip(raw)
    found = [(os.path.basename(path), text.count("\n", 0, m.start()) + 1)
             for m in ASSERT.finditer(text)
             if not DEFINE.match(text, text.rfind("\n", 0, m.start()) + 1)]
    for inc in INCLUDE.findall(raw):
        found += asserts(os.path.join(os.path.dirname(path), inc), seen)
    return found


def references(obj):
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True, check=True).stdout
    return any(line.split()[-1] == "ExceptionalCondition" for line in out.splitlines() if line.split())


def check_pair(src, obj):
    """(ok, description line)."""
    name = os.path.basename(obj)
    found = asserts(src)
    where = ", ".join("%s:%d" % f for f in found[:6]) + (" ..." if len(found) > 6 else "")
    if not os.path.isfile(obj):
        return False, "FAIL: %s was not built (no object for %s)" % (name, os.path.basename(src))
    ref = references(obj)
    if found and not ref:
        return False, ("FAIL: %s does not reference ExceptionalCondition, but its source has %d "
                       "Assert call(s) (%s): it was not compiled with USE_ASSERT_CHECKING"
                       % (name, len(found), where))
    if found:
        return True, "  %-16s %d Assert(s) (%s), references ExceptionalCondition" % (name, len(found), where)
    return True, "  %-16s no Assert of ours%s" % (
        name, " (references ExceptionalCondition through PostgreSQL's inline functions)" if ref else "")


def main(argv):
    if argv[:1] == ["--pair"] and len(argv) == 3:
        ok, line = check_pair(argv[1], argv[2])
        print(line)
        return 0 if ok else 1
    if argv[:1] == ["--count"] and len(argv) == 2:
        for c in sorted(f for f in os.listdir(argv[1]) if f.endswith(".c")):
            print(c, len(asserts(os.path.join(argv[1], c))))
        return 0
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    srcdir = argv[0]
    sources = sorted(f for f in os.listdir(srcdir) if f.endswith(".c"))
    if not sources:
        print("FAIL: no C source in %s" % srcdir)
        return 1
    bad = with_asserts = 0
    lines = []
    for c in sources:
        ok, line = check_pair(os.path.join(srcdir, c), os.path.join(srcdir, c[:-2] + ".o"))
        lines.append(line)
        bad += not ok
        with_asserts += ok and "Assert(s)" in line
    print("assert coverage: %d objects, %d with Assert()s of ours, every one referencing "
          "ExceptionalCondition" % (len(sources), with_asserts) if not bad else
          "assert coverage: %d of %d objects FAIL" % (bad, len(sources)))
    for line in lines:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
