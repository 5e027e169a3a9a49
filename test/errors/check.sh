#!/usr/bin/env bash
# test/errors/check.sh — sql/errors.sql shows each error path with
# \set VERBOSITY sqlstate only; this check runs every one of its statements
# again and compares the SQLSTATE and the message with the comment that ends
# the line (a comment ending in "..." gives the start of a long message), so
# that each line is proven to reach the path it names, not merely some error
# with the same code.  Runs inside a cluster (PGHOST etc. set); creates and
# drops its own database.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=ap_errors_$$
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
PGDATABASE=$db python3 - sql/errors.sql <<'PY'
import re, subprocess, sys
lines = open(sys.argv[1]).read().splitlines()
cases = []
for n, line in enumerate(lines, 1):
    if line.startswith("--") or not line.strip():
        continue
    m = re.match(r"^(.*;)\s+-- ([0-9A-Z]{5}) (.*)$", line)
    if m:
        cases.append((n, m.group(1), m.group(2), m.group(3)))
sql = ["SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS addrpolicy;",
       """CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT;
  RETURN SQLSTATE || ' ' || m;
END $f$;"""]
for n, q, _, _ in cases:
    assert "$q$" not in q
    sql.append("SELECT %d, pg_temp.err($q$%s$q$);" % (n, q.rstrip(";")))
p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"],
                   input="\n".join(sql) + "\n", capture_output=True, text=True)
if p.returncode != 0:
    print("FAIL: psql:", p.stderr.strip()[:2000]); sys.exit(1)
got = {}
for row in p.stdout.splitlines():
    if "\t" in row:
        n, r = row.split("\t", 1)
        got[int(n)] = r
bad = 0
for n, q, state, msg in cases:
    want = state + " " + msg
    r = got.get(n, "(no result)")
    ok = r.startswith(want[:-3]) if want.endswith("...") else r == want
    if not ok:
        bad += 1
        print("FAIL: sql/errors.sql:%d %s\n    want: %s\n    got:  %s" % (n, q, want, r[:300]))
stmts = sum(1 for l in lines if re.match(r"^(SELECT|WITH|VALUES)\b", l))
if stmts != len(cases):
    bad += 1
    print("FAIL: %d statements in sql/errors.sql but %d carry a '-- SQLSTATE message' comment"
          % (stmts, len(cases)))
print("errors: %d error paths of sql/errors.sql raise the SQLSTATE and message their comments name%s"
      % (len(cases) - bad, "" if not bad else "; %d do not" % bad))
sys.exit(1 if bad else 0)
PY
