#!/usr/bin/env python3
"""test/cancel/cancel.py — every long-running path of the extension stops
promptly on statement_timeout and on a cancel request (pg_cancel_backend:
what psql sends on Ctrl-C), with SQLSTATE 57014.

Two kinds of cases:
  - named paths (the issue's list): a query sized to run for minutes (each
    repeats its work over generate_series or a cross join), far longer than
    the timeout and than the time from "seen running" to the cancel, so it
    cannot finish first on a slow or loaded machine.  Under statement_timeout
    it must end with 57014 "statement timeout" within timeout + bound; for the
    cancel, the backend must first be seen running that very statement in
    pg_stat_activity, and only then is pg_cancel_backend sent (server side,
    in the same statement that saw it running), and it must end with 57014
    "user request" within the bound of the cancel.  A case that finishes
    anyway fails with a message that says so: it is too small.  A case whose
    function does not exist yet is skipped with a message.
  - catalog sweep: every function of the extension that takes a cidr[] (one
    call on arrays of a million blocks; a second cidr[] argument gets every
    other block of the first), and every aggregate (over a
    billion-row generate_series and over tables of million-block arrays).
    Such a call may finish or fail before the timeout; what it may not do
    is run past the bound.  New functions are covered without editing.
    Without --quick each of them is also cancelled (once seen running; one
    that ends before it is seen, or before the cancel, is allowed here).

No sleep-and-hope: nothing waits a fixed time for a query to get going.

Python stdlib only, psql through subprocess (test/lib/harness.py), in the
database of PGDATABASE.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402

SEP = "\x1f"

# Rows come from (SELECT generate_series(1, N) AS g) s, never from
# generate_series in FROM: a function in FROM is materialized into a
# tuplestore before its first row is returned (30 million rows: 1.4 s here),
# so a billion-row case spent its whole timeout, and the time until the
# cancel, writing the series to temp files, and the extension was never
# called.  The subquery's ProjectSet streams them, the first row at once.
#
# Each named case is sized to run for minutes on any machine this runs on (a
# billion rows, or 10^3 to 10^6 repetitions of a call on the big arrays: one
# call takes 0.1-0.5 ms per 1,000 blocks here, so 10-150 ms at 300,000), so
# it can neither finish within the timeout nor between the moment its backend
# is seen running it and the cancel (and once running, the functions are
# called from the first row).  No row may make a case fail early either.
# The big arrays are one IPv4 and one IPv6 array; cidr_merge and cidr_union
# take mixed families, addr_count is called on one array at a time.
def series(n):
    return "(SELECT generate_series(1, %d) AS g) gs" % n


NAMED = [
    # (name, functions that must exist, query)
    # range_to_cidrs in the select list: value per call, streamed
    ("range_to_cidrs streamed",
     ["range_to_cidrs(inet,inet)"],
     "SELECT count(*) FROM (SELECT range_to_cidrs('::'::inet + g, "
     "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'::inet) FROM %s) c" % series(10 ** 9)),
    # in FROM, one materialized call per row (its arguments depend on g:
    # ('::' || to_hex(g))::inet was invalid input from g = 65536 on)
    ("range_to_cidrs of a huge range, one call per row",
     ["range_to_cidrs(inet,inet)"],
     "SELECT sum(masklen(c)) FROM %s, "
     "range_to_cidrs('::'::inet + g, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'::inet) c" % series(10 ** 9)),
    ("cidr_merge over a billion rows",
     ["cidr_merge(inet)"],
     "SELECT cidr_merge(set_masklen('10.0.0.0'::inet + (g %% 100000000) * 2, 32)::cidr) "
     "FROM %s" % series(10 ** 9)),
    ("cidr_merge over million-block arrays",
     ["cidr_merge(cidr[])"],
     "SELECT cardinality(cidr_merge(a)) FROM ap_cancel_big, %s" % series(10000)),
    ("addr_sum over a billion rows",
     ["addr_sum(inet)"],
     "SELECT addr_sum(set_masklen('2001:db8::'::inet + g, 64)) FROM %s" % series(10 ** 9)),
    ("addr_count(cidr[]) of a million blocks, repeated",
     ["addr_count(cidr[])"],
     "SELECT sum(addr_count(b.a)) FROM %s, ap_cancel_big b" % series(10 ** 6)),
    # four calls (0.3 s in all) were the whole query once: on a loaded
    # machine it finished before the cancel; now 4,000 calls
    ("cidr_union of million-block arrays",
     ["cidr_union(cidr[],cidr[])"],
     "SELECT sum(cardinality(cidr_union(x.a, y.a))) "
     "FROM ap_cancel_big x, ap_cancel_big y, %s" % series(1000)),
    # a schedule per row (with constant arguments the one call's rows were
    # reused for every row)
    ("allocation_schedule, many schedules",
     ["allocation_schedule(numeric,date,integer,integer)"],
     "SELECT count(*) FROM %s, "
     "allocation_schedule(4294967295 - g, date '2021-03-01', 1, 32) s" % series(10 ** 9)),
    ("utilization aggregate over a billion rows",
     ["utilization(inet,numeric,date)"],
     "SELECT utilization(set_masklen('10.0.0.0'::inet + (g %% 1000000) * 256, 24), g %% 256, "
     "date '2020-01-01' + (g %% 3650)::integer) FROM %s" % series(10 ** 9)),
    # 0.5000...0001 made 4096 + g a perfect square at g = 129 "unresolvable"
    # (54000); these 1,000 decimals are near no fraction of a small
    # denominator
    ("hd_required with 1000-decimal thresholds, many rows",
     ["hd_required(numeric,numeric)"],
     "SELECT sum(hd_required(g::numeric + 4096, ('0.5' || repeat('0123456789', 99) || '1')::numeric)) "
     "FROM %s" % series(10 ** 9)),
    # the tree sweep: a million blocks, a million hosts and half a million
    # ranges per call (the arrays change from row to row: no call is reused)
    ("cidr_tree_usage of a million blocks, repeated",
     ["cidr_tree_usage(cidr[],inet[],inet[],inet[])"],
     "SELECT sum(u.used_addresses) FROM %s, ap_cancel_big b, "
     "LATERAL cidr_tree_usage(b.a, b.a::inet[], b.half::inet[], b.half::inet[]) u" % series(10 ** 6)),
    ("utilization_check, many rows",
     ["utilization_check(numeric,numeric,numeric,numeric,text,numeric,numeric,numeric,numeric)"],
     "SELECT count(*) FILTER (WHERE (utilization_check(g %% 4096, 4096 + g, g %% 1024, 1024 + g %% 3072)).eligible) "
     "FROM %s" % series(10 ** 9)),
]

SETUP = """
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
SELECT setseed(0.5);
-- no JIT in this database's sessions: compiling a query's expressions takes
-- 0.1-0.5 s at its start, uninterruptible and longer under load, before the
-- extension runs; the cases are about the extension
DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I SET jit = off', current_database()); END $$;
-- two million-block arrays: IPv4 /31s and IPv6 /64s, in random order,
-- overlapping and adjacent blocks among them; half: every other block of a
-- (the sweep's second set argument, so that a function of two sets, say pool
-- and used, works on two different sets)
CREATE TABLE ap_cancel_big AS
SELECT fam, a, ARRAY(SELECT x FROM unnest(a) WITH ORDINALITY u(x, i) WHERE i %% 2 = 0) AS half
FROM (
SELECT 4 AS fam, array_agg(set_masklen('10.0.0.0'::inet + (g * 2 + (g %% 3)), 31)::cidr
                           ORDER BY random()) AS a
FROM generate_series(0, %(n)d - 1) g
UNION ALL
SELECT 6, array_agg(('2001:db8:' || to_hex(g >> 16) || ':' || to_hex(g & 65535) || '::/'
                     || (63 + g %% 2))::cidr ORDER BY random())
FROM generate_series(0, %(n)d - 1) g) big;
"""

# The cancel, sent only when the backend is seen running the statement: waits
# up to wait_s for the client backend of application_name tag to be active
# with exactly that query text, and then, in the same loop iteration (no
# client round trip between seeing it and the signal), sends
# pg_cancel_backend; then waits up to stop_s for it to stop running the
# statement.  target: NULL when it was not seen running within wait_s;
# stopped_after: seconds from the cancel to the backend no longer active on
# the statement (server clock, 5 ms polls), NULL if it still ran after stop_s.
MONITOR = """
CREATE FUNCTION ap_cancel_when_running(tag text, stmt text, wait_s float8, stop_s float8,
    OUT target int, OUT sent boolean, OUT stopped_after float8)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  tc timestamptz;
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();   -- a fresh look at the backends each time
    SELECT a.pid INTO target FROM pg_stat_activity a
     WHERE a.application_name = tag AND a.backend_type = 'client backend'
       AND a.state = 'active' AND a.query = stmt;
    EXIT WHEN FOUND;
    IF clock_timestamp() > t0 + wait_s * interval '1 second' THEN
      RETURN;
    END IF;
    PERFORM pg_sleep(0.005);
  END LOOP;
  sent := pg_cancel_backend(target);
  tc := clock_timestamp();
  LOOP
    PERFORM pg_stat_clear_snapshot();
    PERFORM FROM pg_stat_activity a
     WHERE a.pid = target AND a.state = 'active' AND a.query = stmt;
    IF NOT FOUND THEN
      stopped_after := extract(epoch FROM clock_timestamp() - tc);
      RETURN;
    END IF;
    EXIT WHEN clock_timestamp() > tc + stop_s * interval '1 second';
    PERFORM pg_sleep(0.005);
  END LOOP;
END $$;
"""

# how long a cancel case waits for its backend to be seen running the
# statement (connecting on a loaded machine), and the statement_timeout that
# stops it anyway should the harness itself fail (never reached in a passing
# run: told apart from the cancel by its message)
SEEN_WITHIN = 60.0
BACKSTOP_S = 180
TIME = re.compile(r"^Time: ([0-9.]+) ms", re.M)


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def error_of(stderr, rc):
    """(sqlstate, message) from psql's output at VERBOSITY verbose; (None,
    None) when the statement gave a result"""
    for line in stderr.splitlines():
        line = line.strip()
        m = re.match(r"ERROR:\s+([0-9A-Z]{5}): (.*)", line)
        if m:
            return m.group(1), m.group(2)
        if "server closed the connection" in line or "connection to server was lost" in line:
            return "CRASH", line
    if rc != 0:
        return "psql", stderr.strip()[:300]
    return None, None


def run_timeout(query, timeout_ms):
    """statement_timeout: returns (sqlstate, message, seconds, stderr); the
    seconds are psql's \\timing of the statement alone (not the connection)"""
    t = time.monotonic()
    p = harness.psql(None, "-c", "\\set VERBOSITY verbose",
                     "-c", "SET statement_timeout = %d" % timeout_ms,
                     "-c", "\\timing on", "-c", query, stop=False, check=False)
    wall = time.monotonic() - t
    times = TIME.findall(p.stdout)
    st, msg = error_of(p.stderr, p.returncode)
    return st, msg, float(times[-1]) / 1000.0 if times else wall, p.stderr.strip()


def run_cancel(query, tag, bound):
    """The query in a session of its own (application_name tag), cancelled
    with pg_cancel_backend when, and only when, pg_stat_activity shows that
    backend active on that very statement.  Returns a dict: seen (it was seen
    running and the cancel was sent then), sent (pg_cancel_backend's answer),
    stopped_after (seconds from the cancel to the statement no longer
    running; None if it ran on), sqlstate and message (None: a result),
    stderr."""
    # pg_stat_activity.query holds the first track_activity_query_size
    # (1 kB) bytes: the statement is compared whole
    assert len(query.encode()) < 1024, "statement too long to be found in pg_stat_activity"
    err = tempfile.TemporaryFile(mode="w+")
    # stdout to /dev/null: a result may be large, and a full pipe would keep
    # psql from exiting
    p = subprocess.Popen(harness.argv("-c", "\\set VERBOSITY verbose",
                                      "-c", "SET statement_timeout = %d" % (BACKSTOP_S * 1000),
                                      "-c", query, stop=False),
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                         text=True, env=dict(os.environ, PGAPPNAME=tag))
    r = dict(seen=False, sent=False, stopped_after=None, hung=False)
    try:
        deadline = time.monotonic() + SEEN_WITHIN
        while True:
            # up to 0.5 s server-side, then see whether psql has ended
            out = harness.psql("SELECT target, sent, stopped_after FROM ap_cancel_when_running(%s, %s, 0.5, %s)"
                               % (lit(tag), lit(query), bound + 5), sep=SEP).stdout.strip("\n")
            target, sent, stopped = out.split(SEP)
            if target:
                r.update(seen=True, sent=sent == "t",
                         stopped_after=float(stopped) if stopped else None)
                break
            if p.poll() is not None or time.monotonic() > deadline:
                break
        if r["seen"] and r["stopped_after"] is None:
            r["hung"] = True   # it ignored the cancel: a failure; stop it
            harness.psql("SELECT pg_terminate_backend(%s)" % target, check=False)
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        r["hung"] = True
    finally:
        if p.poll() is None:
            harness.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE application_name = %s" % lit(tag), check=False)
            p.kill()
            p.wait()
        err.seek(0)
        stderr = err.read()
        err.close()
    r["sqlstate"], r["message"] = error_of(stderr, p.returncode)
    r["stderr"] = stderr.strip()
    return r


def cancel_verdict(r, bound, may_finish):
    """None when the cancel case passed, else why not"""
    st, msg = r["sqlstate"], r["message"] or ""
    if r["hung"]:
        return "still running %.0f s after pg_cancel_backend (terminated)" % (bound + 5)
    if st == "CRASH":
        return "the server crashed: %s" % r["stderr"][:300]
    if not r["seen"]:
        if may_finish:
            return None
        if st is None:
            return ("finished before its backend was seen running it: the case is too "
                    "small for this machine, make it bigger")
        return "ended before it was seen running: %s %s" % (st, msg)
    if not r["sent"]:
        return "seen running, but pg_cancel_backend returned false"
    if r["stopped_after"] > bound:
        return "stopped %.2f s after pg_cancel_backend (bound %.1f s)" % (r["stopped_after"], bound)
    if may_finish:
        return None
    if st is None:
        return ("gave a result although cancelled while it ran: the cancel was ignored, "
                "or the case is too small")
    if st != "57014" or "user request" not in msg:
        return "cancelled while it ran, ended with %s %s (want 57014, user request)" % (st, msg)
    return None


def describe(r):
    if not r["seen"]:
        return "%s before it was seen running" % (r["sqlstate"] or "finished")
    if r["stopped_after"] is None:
        return "still running after the cancel"
    return "%s %.2f s after pg_cancel_backend" % (r["sqlstate"] or "finished", r["stopped_after"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout-ms", type=int, default=300)
    ap.add_argument("--bound", type=float, default=2.0,
                    help="seconds a query may run past its timeout or cancel")
    ap.add_argument("--blocks", type=int, default=1000000)
    ap.add_argument("--quick", action="store_true",
                    help="cancel requests only for the named paths")
    args = ap.parse_args()
    t0 = time.time()
    # the cancel cases find their backend in pg_stat_activity
    if harness.psql("SHOW track_activities").stdout.strip() != "on":
        print("cancel: FAILED: track_activities is off, pg_stat_activity cannot show a running statement")
        return 1
    harness.psql(SETUP % {"n": args.blocks})
    harness.psql(MONITOR)
    harness.psql("ANALYZE ap_cancel_big;")
    have = set(harness.psql("""
        SELECT replace(p.oid::regprocedure::text, ' ', '') FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'""").stdout.split())
    have = {h.replace("timestampwithtimezone", "timestamptz") for h in have}

    failures = []
    limit = args.timeout_ms / 1000.0 + args.bound
    print("cancel: statement_timeout %d ms, bound %.1f s past it or past pg_cancel_backend, "
          "arrays of %d blocks" % (args.timeout_ms, args.bound, args.blocks))
    n = 0
    for name, needs, query in NAMED:
        missing = [f for f in needs if f.replace(" ", "") not in have]
        if missing:
            print("  skip   %-52s (%s does not exist yet)" % (name, ", ".join(missing)))
            continue
        n += 1
        st, msg, dt, err = run_timeout(query, args.timeout_ms)
        why = None
        if st is None:
            why = ("finished after %.2f s, before the %d ms timeout: the case is too small "
                   "for this machine, make it bigger" % (dt, args.timeout_ms))
        elif st != "57014" or "statement timeout" not in msg:
            why = "ended with %s %s (want 57014, statement timeout)" % (st, msg)
        elif dt > limit:
            why = "57014 after %.2f s (want within %.2f s)" % (dt, limit)
        print("  %-6s %-52s timeout: %s after %.2f s" % ("ok" if not why else "FAIL", name, st or "finished", dt))
        if why:
            failures.append("%s: statement_timeout: %s %s" % (name, why, err[:300]))
        r = run_cancel(query, "ap_cancel_%d_%d" % (os.getpid(), n), args.bound)
        why = cancel_verdict(r, args.bound, may_finish=False)
        print("  %-6s %-52s cancel:  %s" % ("ok" if not why else "FAIL", "", describe(r)))
        if why:
            failures.append("%s: pg_cancel_backend: %s" % (name, why))

    # the catalog sweep
    funcs = [r.split(SEP) for r in harness.psql("""
        SELECT p.oid::regprocedure, p.prokind, p.pronargs - p.pronargdefaults,
               array_to_string(ARRAY(SELECT format_type(a, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY u(a, o) ORDER BY o), ';'),
               coalesce(array_to_string(p.proargnames[1:p.pronargs], ';', ''), ''),
               quote_ident(n.nspname) || '.' || quote_ident(p.proname)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
        WHERE p.prokind = 'a' OR 'cidr[]'::regtype = ANY (p.proargtypes::regtype[])
        ORDER BY 1""", sep=SEP).stdout.splitlines() if r]
    for sig, kind, nreq, types, names, qname in funcs:
        types = types.split(";") if types else []
        names = (names.split(";") if names else []) + [""] * len(types)
        # a trailing text argument with a default (a strategy, a mode) takes
        # its default: no constant fits them all ('hd' made them fail 22023)
        while len(types) > int(nreq) and types[-1] == "text":
            types.pop()
        queries = []
        if kind == "a":
            # over a billion generated rows, and over the million-block arrays
            exprs = [row_expr(t, nm) for t, nm in zip(types, names)]
            if all(exprs):
                queries.append(("rows", "SELECT %s(%s)::text FROM %s"
                                % (qname, ", ".join(exprs), series(10 ** 9))))
            if "cidr[]" in types:
                exprs = ["b.a" if t == "cidr[]" else const_expr(t, nm) for t, nm in zip(types, names)]
                if all(exprs):
                    queries.append(("arrays", "SELECT %s(%s)::text FROM ap_cancel_big b, %s"
                                    % (qname, ", ".join(exprs), series(1000))))
        else:
            for fam in (4, 6):
                sets = iter(["a"] + ["half"] * len(types))
                exprs = ["(SELECT %s FROM ap_cancel_big WHERE fam = %d)" % (next(sets), fam)
                         if t == "cidr[]" else const_expr(t, nm, fam) for t, nm in zip(types, names)]
                if all(exprs):
                    queries.append(("IPv%d" % fam, "SELECT (%s(%s))::text" % (qname, ", ".join(exprs))))
        for what, query in queries:
            st, msg, dt, err = run_timeout(query, args.timeout_ms)
            ok = dt <= limit and st not in ("CRASH", "psql")
            print("  %-6s %-52s %s: %s after %.2f s" % ("ok" if ok else "FAIL", sig[:52], what,
                                                        st or "finished", dt))
            if not ok:
                failures.append("%s (%s): ran %.2f s under a %d ms statement_timeout (%s) %s"
                                % (sig, what, dt, args.timeout_ms, st, err[:300]))
            if args.quick:
                continue
            n += 1
            r = run_cancel(query, "ap_cancel_%d_%d" % (os.getpid(), n), args.bound)
            why = cancel_verdict(r, args.bound, may_finish=True)
            print("  %-6s %-52s %s: cancel: %s" % ("ok" if not why else "FAIL", "", what, describe(r)))
            if why:
                failures.append("%s (%s): pg_cancel_backend: %s" % (sig, what, why))
    print("cancel: %s (%.1f s)" % ("FAILED" if failures else "every path stopped within the bound",
                                    time.time() - t0))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0




def const_expr(t, name, fam=4):
    if t in ("inet", "cidr"):
        return "'%s'::%s" % ("10.0.0.0/8" if fam == 4 else "2001:db8::/32", t)
    if t == "integer":
        if "family" in name:
            return str(fam)
        return "24" if fam == 4 else "64"
    if t == "numeric":
        return "4::numeric" if name == "share" else "4096::numeric"
    if t == "date":
        return "date '2021-03-01'"
    if t == "text":
        return "'hd'"
    if t == "boolean":
        return "false"
    return None


def row_expr(t, name):
    """An expression of g (the generate_series row) of type t."""
    if t == "inet":
        return "set_masklen('10.0.0.0'::inet + (g % 1000000) * 256, 24)"
    if t == "cidr":
        return "set_masklen('10.0.0.0'::inet + (g % 1000000) * 256, 24)::cidr"
    if t == "cidr[]":
        return "ARRAY[set_masklen('10.0.0.0'::inet + (g % 1000000) * 256, 24)::cidr]"
    if t == "numeric":
        return "(g % 256)::numeric"
    if t == "integer":
        return "4" if "family" in name else "24"
    if t == "date":
        return "date '2020-01-01' + (g % 3650)::integer"
    if t == "text":
        return "'hd'"
    if t == "boolean":
        return "g % 2 = 0"
    return None


if __name__ == "__main__":
    harness.main(main)
