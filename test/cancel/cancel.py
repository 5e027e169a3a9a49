#!/usr/bin/env python3
"""test/cancel/cancel.py — every long-running path of the extension stops
promptly on statement_timeout and on a cancel request (pg_cancel_backend:
what psql sends on Ctrl-C), with SQLSTATE 57014.

Two kinds of cases:
  - named paths (the issue's list): a query that runs far longer than the
    timeout; it must end with 57014 within the bound.  A case whose function
    does not exist yet is skipped with a message.
  - catalog sweep: every function of the extension that takes a cidr[] (one
    call on arrays of a million blocks), and every aggregate (over a
    billion-row generate_series and over tables of million-block arrays).
    Such a call may finish or fail before the timeout; what it may not do
    is run past the bound.  New functions are covered without editing.

Python stdlib only, psql through subprocess.
"""
import argparse
import os
import subprocess
import sys
import time

SEP = "\x1f"

NAMED = [
    # (name, functions that must exist, query)
    ("range_to_cidrs streamed",
     ["range_to_cidrs(inet,inet)"],
     "SELECT count(*) FROM generate_series(1, 1000000000) g, "
     "range_to_cidrs('::1'::inet, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'::inet) c"),
    ("range_to_cidrs of a huge range, one call per row",
     ["range_to_cidrs(inet,inet)"],
     "SELECT sum(masklen(c)) FROM generate_series(1, 1000000000) g, "
     "range_to_cidrs(('::' || to_hex(g))::inet, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'::inet) c"),
    ("cidr_merge over a billion rows",
     ["cidr_merge(inet)"],
     "SELECT cidr_merge(set_masklen('10.0.0.0'::inet + (g % 100000000) * 2, 32)::cidr) "
     "FROM generate_series(1, 1000000000) g"),
    ("cidr_merge over million-block arrays",
     ["cidr_merge(cidr[])"],
     "SELECT cardinality(cidr_merge(a)) FROM ap_cancel_big, generate_series(1, 1000)"),
    ("addr_sum over a billion rows",
     ["addr_sum(inet)"],
     "SELECT addr_sum(set_masklen('2001:db8::'::inet + g, 64)) "
     "FROM generate_series(1, 1000000000) g"),
    ("addr_count(cidr[]) of a million blocks, repeated",
     ["addr_count(cidr[])"],
     "SELECT sum(addr_count(b.a)) FROM generate_series(1, 1000000) g, ap_cancel_big b"),
    ("cidr_union of million-block arrays",
     ["cidr_union(cidr[],cidr[])"],
     "SELECT cardinality(cidr_union(x.a, y.a)) FROM ap_cancel_big x, ap_cancel_big y"),
    ("allocation_schedule, many schedules",
     ["allocation_schedule(numeric,date,integer,integer)"],
     "SELECT count(*) FROM generate_series(1, 1000000000) g, "
     "allocation_schedule(4294967295, date '2021-03-01', 1, 32) s"),
    ("utilization aggregate over a billion rows",
     ["utilization(inet,numeric,date)"],
     "SELECT utilization(set_masklen('10.0.0.0'::inet + (g % 1000000) * 256, 24), g % 256, "
     "date '2020-01-01' + (g % 3650)::integer) FROM generate_series(1, 1000000000) g"),
    ("hd_required with 1000-decimal thresholds, many rows",
     ["hd_required(numeric,numeric)"],
     "SELECT sum(hd_required(g::numeric + 4096, ('0.5' || repeat('0', 990) || '1')::numeric)) "
     "FROM generate_series(1, 1000000000) g"),
    ("utilization_check, many rows",
     ["utilization_check(numeric,numeric,numeric,numeric,text,numeric,numeric,numeric,numeric)"],
     "SELECT count(*) FILTER (WHERE (utilization_check(g % 4096, 4096 + g, g % 1024, 1024 + g % 3072)).eligible) "
     "FROM generate_series(1, 1000000000) g"),
]

SETUP = """
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
SELECT setseed(0.5);
-- two million-block arrays: IPv4 /31s and IPv6 /64s, in random order,
-- overlapping and adjacent blocks among them
CREATE TABLE ap_cancel_big AS
SELECT 4 AS fam, array_agg(set_masklen('10.0.0.0'::inet + (g * 2 + (g %% 3)), 31)::cidr
                           ORDER BY random()) AS a
FROM generate_series(0, %(n)d - 1) g
UNION ALL
SELECT 6, array_agg(('2001:db8:' || to_hex(g >> 16) || ':' || to_hex(g & 65535) || '::/'
                     || (63 + g %% 2))::cidr ORDER BY random())
FROM generate_series(0, %(n)d - 1) g;
"""


def psql(db, sql, check=True, extra=()):
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", SEP, "-d", db,
                        "-v", "ON_ERROR_STOP=1", *extra],
                       input=sql, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(p.stderr.strip())
    return p


def sqlstate_of(stderr):
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("ERROR:"):
            return line.split()[1]
        if "server closed the connection" in line or "connection to server was lost" in line:
            return "CRASH"
    return None


def run_timeout(db, query, timeout_ms):
    """statement_timeout: returns (sqlstate or None, seconds)."""
    sql = "\\set VERBOSITY sqlstate\nSET statement_timeout = %d;\n%s;\n" % (timeout_ms, query)
    t = time.monotonic()
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-d", db],
                       input=sql, capture_output=True, text=True)
    return sqlstate_of(p.stderr), time.monotonic() - t, p.stderr.strip()


def run_cancel(db, query, after_ms, tag):
    """pg_cancel_backend from another session while the query runs: returns
    (sqlstate, seconds from the cancel to the end, was it running)."""
    env = dict(os.environ, PGAPPNAME=tag)
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-d", db,
                          "-c", "\\set VERBOSITY sqlstate", "-c", query],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(after_ms / 1000.0)
    r = psql(db, "SELECT pid FROM pg_stat_activity WHERE application_name = '%s' "
                 "AND state = 'active'" % tag).stdout.split()
    running = bool(r)
    t = time.monotonic()
    if running:
        psql(db, "SELECT pg_cancel_backend(%s)" % r[0])
    out, err = p.communicate(timeout=600)
    return sqlstate_of(err), time.monotonic() - t, running, err.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dbname", required=True)
    ap.add_argument("--timeout-ms", type=int, default=300)
    ap.add_argument("--bound", type=float, default=2.0,
                    help="seconds a query may run past its timeout or cancel")
    ap.add_argument("--blocks", type=int, default=1000000)
    ap.add_argument("--quick", action="store_true",
                    help="cancel requests only for the named paths")
    args = ap.parse_args()
    db = args.dbname
    t0 = time.time()
    psql(db, SETUP % {"n": args.blocks})
    psql(db, "ANALYZE ap_cancel_big;")
    have = set(psql(db, """
        SELECT replace(p.oid::regprocedure::text, ' ', '') FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'""").stdout.split())
    have = {h.replace("timestampwithtimezone", "timestamptz") for h in have}

    failures = []
    limit = args.timeout_ms / 1000.0 + args.bound
    print("cancel: statement_timeout %d ms, bound %.1f s past it, arrays of %d blocks"
          % (args.timeout_ms, args.bound, args.blocks))
    n = 0
    for name, needs, query in NAMED:
        missing = [f for f in needs if f.replace(" ", "") not in have]
        if missing:
            print("  skip   %-52s (%s does not exist yet)" % (name, ", ".join(missing)))
            continue
        n += 1
        st, dt, err = run_timeout(db, query, args.timeout_ms)
        ok = st == "57014" and dt <= limit
        print("  %-6s %-52s timeout: %s after %.2f s" % ("ok" if ok else "FAIL", name, st or "finished", dt))
        if not ok:
            failures.append("%s: statement_timeout gave %s after %.2f s (want 57014 within %.2f s) %s"
                            % (name, st or "a result", dt, limit, err[:300]))
        st, dt, running, err = run_cancel(db, query, 400, "ap_cancel_%d_%d" % (os.getpid(), n))
        ok = running and st == "57014" and dt <= args.bound
        print("  %-6s %-52s cancel:  %s %.2f s after pg_cancel_backend" % ("ok" if ok else "FAIL", "", st or "finished", dt))
        if not ok:
            failures.append("%s: pg_cancel_backend gave %s after %.2f s (running when cancelled: %s) %s"
                            % (name, st or "a result", dt, running, err[:300]))

    # the catalog sweep
    funcs = [r.split(SEP) for r in psql(db, """
        SELECT p.oid::regprocedure, p.prokind, p.pronargs,
               array_to_string(ARRAY(SELECT format_type(a, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY u(a, o) ORDER BY o), ';'),
               coalesce(array_to_string(p.proargnames[1:p.pronargs], ';', ''), ''),
               quote_ident(n.nspname) || '.' || quote_ident(p.proname)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
        WHERE p.prokind = 'a' OR 'cidr[]'::regtype = ANY (p.proargtypes::regtype[])
        ORDER BY 1""").stdout.splitlines() if r]
    for sig, kind, nargs, types, names, qname in funcs:
        types = types.split(";") if types else []
        names = (names.split(";") if names else []) + [""] * len(types)
        queries = []
        if kind == "a":
            # over a billion generated rows, and over the million-block arrays
            exprs = [row_expr(t, nm) for t, nm in zip(types, names)]
            if all(exprs):
                queries.append(("rows", "SELECT %s(%s)::text FROM generate_series(1, 1000000000) g"
                                % (qname, ", ".join(exprs))))
            if "cidr[]" in types:
                exprs = ["b.a" if t == "cidr[]" else const_expr(t, nm) for t, nm in zip(types, names)]
                if all(exprs):
                    queries.append(("arrays", "SELECT %s(%s)::text FROM ap_cancel_big b, generate_series(1, 1000) g"
                                    % (qname, ", ".join(exprs))))
        else:
            for fam in (4, 6):
                exprs = ["(SELECT a FROM ap_cancel_big WHERE fam = %d)" % fam if t == "cidr[]"
                         else const_expr(t, nm, fam) for t, nm in zip(types, names)]
                if all(exprs):
                    queries.append(("IPv%d" % fam, "SELECT (%s(%s))::text" % (qname, ", ".join(exprs))))
        for what, query in queries:
            st, dt, err = run_timeout(db, query, args.timeout_ms)
            ok = dt <= limit and st != "CRASH"
            print("  %-6s %-52s %s: %s after %.2f s" % ("ok" if ok else "FAIL", sig[:52], what,
                                                        st or "finished", dt))
            if not ok:
                failures.append("%s (%s): ran %.2f s under a %d ms statement_timeout (%s) %s"
                                % (sig, what, dt, args.timeout_ms, st, err[:300]))
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
    sys.exit(main())
