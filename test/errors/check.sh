#!/usr/bin/env bash
# test/errors/check.sh — the SQLSTATE audit of sql/errors.sql, against the
# C source rather than against a run: pg_regress already compares the run
# with expected/errors.out; this check proves that expected file right and
# complete.
#
# 1. Every ereport(ERROR)/elog(ERROR) of src/*.c is read: its message format
#    and its errcode (elog: XX000).
# 2. Every statement of sql/errors.sql ends with \echo :SQLSTATE and, in
#    expected/errors.out, is followed by an ERROR line and its SQLSTATE.
# 3. Each of those (message, SQLSTATE) pairs must match the format of an
#    error site of src/*.c that raises that very SQLSTATE (the code is read
#    from the errcode(ERRCODE_...) of the site, through the server's
#    utils/errcodes.h).
# 4. Each error site must be reached by a line of expected/errors.out, or be
#    named (its message text, placeholders aside) in a comment of
#    sql/errors.sql that says why SQL cannot reach it.
# Needs no database; runs in well under a second, the same in quick and full
# mode.
. "$(dirname "$0")/../lib/harness.sh"
pgc=${PG_CONFIG:-pg_config}
errcodes="$("$pgc" --includedir-server)/utils/errcodes.h"
python3 - "$errcodes" <<'PY'
import glob, re, sys

codes = {}
for line in open(sys.argv[1]):
    m = re.match(r"#define (ERRCODE_\w+) MAKE_SQLSTATE\((.*)\)", line)
    if m:
        codes[m.group(1)] = "".join(re.findall(r"'(.)'", m.group(2)))

def c_strings(s):
    """the concatenated C string literals at the start of s"""
    out, i = "", 0
    while True:
        m = re.match(r'\s*"((?:[^"\\]|\\.)*)"', s[i:])
        if not m:
            return out
        out += m.group(1).replace('\\"', '"')
        i += m.end()

# 1. the error sites of src/*.c: (file:line, format, sqlstate)
sites = []
for path in sorted(glob.glob("src/*.c")):
    text = open(path).read()
    for m in re.finditer(r"\b(ereport|elog)\(\s*ERROR\s*,", text):
        line = text.count("\n", 0, m.start()) + 1
        rest = text[m.end():m.end() + 2000]
        if m.group(1) == "elog":
            fmt, state = c_strings(rest), "XX000"
        else:
            mm = re.search(r"errmsg\(", rest)
            fmt = c_strings(rest[mm.end():])
            ce = re.search(r"errcode\((ERRCODE_\w+)\)", rest)
            state = codes[ce.group(1)]
        if not fmt:
            sys.exit("FAIL: %s:%d: cannot read the message format" % (path, line))
        sites.append(("%s:%d" % (path, line), fmt, state))

def pattern(fmt, loose=False):
    """a format as a regular expression; loose: any placeholder is any text
    (a comment writes N for a number)"""
    parts = re.split(r"(%(?:lld|ld|d|u|s))", fmt)
    rx = ""
    for p in parts:
        if loose and p.startswith("%"):
            rx += r".+?"
        elif p in ("%d", "%ld", "%lld"):
            rx += r"-?\d+"
        elif p == "%u":
            rx += r"\d+"
        elif p == "%s":
            rx += r".+?"
        else:
            rx += re.escape(p)
    return re.compile(rx)

# 2. the statements and their outputs
sql = open("sql/errors.sql").read().splitlines()
out = open("expected/errors.out").read().splitlines()
bad = 0
stmts = [l for l in sql if re.match(r"^(SELECT|WITH|VALUES)\b", l)]
for l in stmts:
    if not l.endswith(r" \echo :SQLSTATE"):
        bad += 1
        print("FAIL: sql/errors.sql: a statement without \\echo :SQLSTATE: " + l[:100])
cases = []
for i, l in enumerate(out):
    if l.endswith(r" \echo :SQLSTATE"):
        err = out[i + 1] if i + 1 < len(out) else ""
        # with VERBOSITY default, DETAIL/HINT lines stand between the two
        j = i + 2
        while j < len(out) and re.match(r"(DETAIL|HINT):  ", out[j]):
            j += 1
        state = out[j] if j < len(out) else ""
        if not err.startswith("ERROR:  ") or not re.fullmatch(r"[0-9A-Z]{5}", state) \
                or state == "00000":
            bad += 1
            print("FAIL: expected/errors.out:%d: no error: %s" % (i + 1, l[:100]))
            continue
        cases.append((i + 1, err[len("ERROR:  "):], state))
if len(cases) + bad < len(stmts):
    bad += 1
    print("FAIL: %d statements in sql/errors.sql, %d in expected/errors.out"
          % (len(stmts), len(cases)))

# 3. each line: a site with that format and that SQLSTATE
reached = set()
for n, msg, state in cases:
    hits = [s for s in sites if pattern(s[1]).fullmatch(msg)]
    good = [s for s in hits if s[2] == state]
    if not good:
        bad += 1
        print("FAIL: expected/errors.out:%d: %s %s: %s" % (
            n, state, msg[:120],
            "raised by no error site of src/*.c" if not hits else
            "the site(s) %s raise %s" % (", ".join(s[0] for s in hits),
                                         "/".join(sorted({s[2] for s in hits})))))
    reached.update(s[0] for s in good)

# 4. each site: reached, or named in a comment
comments = " ".join(l[2:].strip() for l in sql if l.startswith("--"))
comments = re.sub(r"\s+", " ", comments)
unreached = []
for where, fmt, state in sites:
    if where in reached:
        continue
    core = re.sub(r"^(%(?:lld|ld|d|u|s)[\s:,]*)+", "", fmt)
    core = re.sub(r"([\s:,]*%(?:lld|ld|d|u|s))+$", "", core)
    if pattern(core, loose=True).search(comments):
        unreached.append(where)
        continue
    bad += 1
    print("FAIL: %s: \"%s\" (%s) is neither reached by expected/errors.out "
          "nor named as unreachable in sql/errors.sql" % (where, fmt, state))
print("errors: %d error sites in src/*.c: %d reached by the %d lines of "
      "expected/errors.out (each SQLSTATE and message matching its site), "
      "%d named unreachable in comments%s"
      % (len(sites), sum(1 for s in sites if s[0] in reached), len(cases),
         len(unreached), "" if not bad else "; %d FAILURES" % bad))
sys.exit(1 if bad else 0)
PY
