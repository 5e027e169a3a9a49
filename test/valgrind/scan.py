#!/usr/bin/env python3
"""test/valgrind/scan.py VGDIR SO SOURCE.c... — read valgrind's per-process
text logs (one NNN.log per process, as test/valgrind/run.sh writes them) and
fail when any error has a stack frame in our module: a frame "(in
.../addrpolicy.so)", or, when the module has line info, a frame in one of our
source files whose function is a symbol of the module (so a core file of the
same name is not taken for ours).  Other errors are counted and listed.

--self-test: the scan must flag an error reported either way, and pass an
error with core frames only.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

FRAME = re.compile(r"^==\d+==\s+(?:at|by) 0x[0-9A-Fa-f]+: (.*?) \((.*)\)$")


def module_symbols(so):
    out = subprocess.run(["nm", "--defined-only", so], capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.split()}


def scan(vgdir, syms, sources, out=print):
    def ours(fn, where):
        if where.startswith("in "):
            return where.endswith("addrpolicy.so")
        return os.path.basename(where.rsplit(":", 1)[0]) in sources and fn in syms

    processes, errors, suppressed = 0, [], 0
    for path in sorted(glob.glob(os.path.join(vgdir, "*.log"))):
        lines = open(path, errors="replace").read().splitlines()
        if not lines:
            continue
        processes += 1
        block = []
        for line in lines + ["==0== "]:
            m = re.match(r"^==\d+== ?(.*)$", line)
            if m and m.group(1).strip() == "":
                if any(FRAME.match(b) for b in block):
                    errors.append((path, block))
                block = []
            elif m:
                block.append(line)
                s = re.search(r"ERROR SUMMARY: \d+ errors from \d+ contexts \(suppressed: (\d+)", line)
                if s:
                    suppressed += int(s.group(1))
    mine, others = [], {}
    for path, block in errors:
        frames = [FRAME.match(b).groups() for b in block if FRAME.match(b)]
        what = re.sub(r"^==\d+== ", "", block[0])
        if any(ours(fn, where) for fn, where in frames):
            mine.append((path, what, block))
        else:
            top = next((fn for fn, where in frames
                        if fn != "???" and "vgpreload" not in where), "?")
            others[(what, top)] = others.get((what, top), 0) + 1
    out("valgrind: %d process logs; %d errors with a frame in addrpolicy.so; "
        "%d other errors (no frame of ours); %d suppressed"
        % (processes, len(mine), sum(others.values()), suppressed))
    for (what, fn), n in sorted(others.items(), key=lambda x: -x[1])[:15]:
        out("  other: %4d x %s (%s)" % (n, what[:70], fn))
    for path, what, block in mine[:10]:
        out("FAIL: %s (%s)" % (what, os.path.basename(path)))
        for b in block[1:30]:
            out("    " + re.sub(r"^==\d+==", "", b))
    return processes, mine


SAMPLE_CORE = """==100== Syscall param pwrite64(buf) points to uninitialised byte(s)
==100==    at 0x58D1483: pwrite (pwrite64.c:25)
==100==    by 0x2F760F: XLogFlush (in /usr/lib/postgresql/15/bin/postgres)
==100== 
"""
SAMPLE_OBJ = """==101== Conditional jump or move depends on uninitialised value(s)
==101==    at 0x4C2B1C0: ??? (in /usr/lib/postgresql/15/lib/addrpolicy.so)
==101==    by 0x2F760F: ExecInterpExpr (in /usr/lib/postgresql/15/bin/postgres)
==101== 
"""
SAMPLE_LINE = """==102== Invalid read of size 8
==102==    at 0x6A71BF: numeric_out (numeric.c:730)
==102==    by 0x4C2B1C0: ap_num_cstring (common.c:412)
==102==    by 0x2F760F: ExecInterpExpr (in /usr/lib/postgresql/15/bin/postgres)
==102== 
"""
SAMPLE_NAMESAKE = """==103== Invalid read of size 8
==103==    at 0x6A71BF: some_core_function (common.c:12)
==103==    by 0x2F760F: ExecInterpExpr (in /usr/lib/postgresql/15/bin/postgres)
==103== 
"""


def self_test():
    ok = True
    for name, text, want in (("core only", SAMPLE_CORE, 0), ("object", SAMPLE_OBJ, 1),
                             ("line info", SAMPLE_LINE, 1), ("namesake file", SAMPLE_NAMESAKE, 0)):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "1.log"), "w").write(text)
            _, mine = scan(d, {"ap_num_cstring"}, {"common.c"}, out=lambda s: None)
            if len(mine) != want:
                print("FAIL: scan self-test %s: %d errors of ours, want %d" % (name, len(mine), want))
                ok = False
    print("valgrind scan self-test: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


def main():
    if sys.argv[1:2] == ["--self-test"]:
        return self_test()
    vgdir, so, sources = sys.argv[1], sys.argv[2], {os.path.basename(s) for s in sys.argv[3:]}
    processes, mine = scan(vgdir, module_symbols(so), sources)
    if processes == 0:
        print("FAIL: no valgrind log was written: the server did not run under valgrind")
        return 1
    return 1 if mine else 0


if __name__ == "__main__":
    sys.exit(main())
