#!/usr/bin/env python3
"""test/fuzz/fuzz.py — targeted random-input fuzzer of every function and
aggregate of the addrpolicy extension.

The functions are found in the catalog (pg_proc rows that depend on the
extension), so functions added later are fuzzed without editing this file.
Each argument gets edge values of its type (NULL, /0, /32, /128, host bits
set, both families, huge, negative and fractional numerics, NaN, +-Infinity,
1000-digit numerics, bad masklens, empty, multi-dimensional and NULL-holding
arrays, infinite, BC and far-future dates, unknown words ...).  Every call
runs inside a PL/pgSQL wrapper that records its SQLSTATE; results are cast to
text (the output functions run) and the text must read back as the same
value.  Aggregates run over small row sets, as window functions, grouped,
and in forced parallel plans whose answer must equal the serial one.

It fails (exit 1) when
  - the backend crashes: the connection is lost, the server restarts, an
    assertion fires in an assert-enabled build ("terminating connection");
  - an error has SQLSTATE class XX (XX000: an elog(ERROR) reached by input)
    or 58, unless test/fuzz/internal_ok.txt documents it as unreachable
    through the aggregates' ordinary use;
  - a result does not read back as itself (a malformed inet/cidr value);
  - a parallel aggregate answers differently from the serial one.

Python stdlib only; psql is driven through subprocess (test/lib/harness.py;
PGHOST etc. from the environment, the database from PGDATABASE).  Seeded:
--seed (default 1) makes a run repeatable.
"""
import argparse
import atexit
import os
import random
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402
from cidrs import net, rand_inet  # noqa: E402

SEP = "\x1f"
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Edge values, as SQL expressions, per argument type (format_type names).
# --------------------------------------------------------------------------
V4_EDGE = ["0.0.0.0/0", "0.0.0.0/32", "255.255.255.255/32", "10.0.0.0/8",
           "10.0.0.0/20", "192.168.1.0/24", "128.0.0.0/1", "1.2.3.4/31",
           "1.2.3.4/32", "255.255.255.254/31", "0.0.0.0/1"]
V6_EDGE = ["::/0", "::/128", "::1/128",
           "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
           "2001:db8::/32", "2001:db8::/48", "2001:db8::/56", "2001:db8::/64",
           "8000::/1", "::ffff:10.0.0.0/104", "fe80::/10", "::/96",
           "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"]
HOSTBITS = ["10.1.2.3/8", "255.255.255.255/0", "192.168.1.77/24",
            "2001:db8::1/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0",
            "::1/0", "1.2.3.4"]
TWO128 = 2 ** 128


def q(s):
    return "'" + s.replace("'", "''") + "'"


def numeric_edges():
    vals = ["0", "-0", "0.5", "1", "-1", "2", "3", "4", "-0.5", "0.966",
            "0.93", "0.8", "1.5", "255", "256", "257", "4095", "4096", "4097",
            "65536", "1000000", str(2 ** 31 - 1), str(2 ** 31),
            str(2 ** 32 - 1), str(2 ** 32), str(2 ** 32 + 1), str(2 ** 63),
            str(2 ** 64), str(TWO128 - 1), str(TWO128), str(TWO128 + 1),
            str(2 ** 129), "-" + str(TWO128), "1e131071", "-1e131071",
            "1e-300", "1e-16383", "0.000000001", "123456789.123456789",
            "1." + "0" * 999 + "1", "0." + "9" * 1000, "0." + "3" * 1000,
            "9" * 1000, "-" + "9" * 1000, "4096." + "0" * 1000,
            "0.5" + "0" * 998 + "1"]
    out = ["NULL::numeric"]
    out += [q(v) + "::numeric" for v in vals]
    out += ["'NaN'::numeric", "'Infinity'::numeric", "'-Infinity'::numeric"]
    return out


INT4_EDGE = ["NULL::integer"] + ["(%d)::integer" % v for v in
             (0, 1, -1, 2, 4, 6, 5, 8, 10, 20, 21, 24, 31, 32, 33, 48, 56, 64,
              127, 128, 129, 255, 256, 257, 1000, 2 ** 31 - 1, -2 ** 31)]
INT8_EDGE = ["NULL::bigint"] + ["(%d)::bigint" % v for v in
             (0, 1, -1, 2, 4, 6, 24, 32, 128, 129, 2 ** 31, 2 ** 32,
              2 ** 63 - 1, -2 ** 63)]
INT2_EDGE = ["NULL::smallint"] + ["(%d)::smallint" % v for v in
             (0, 1, -1, 4, 6, 32, 128, 129, 32767, -32768)]
FLOAT8_EDGE = ["NULL::double precision"] + [q(v) + "::double precision" for v in
               ("0", "-0", "0.5", "1", "-1", "0.966", "1e308", "-1e308",
                "1e-320", "NaN", "Infinity", "-Infinity")]
TEXT_EDGE = ["NULL::text"] + [q(v) + "::text" for v in
             ("", "hd", "table", "fixed", "total", "recent", "HD", " hd",
              "hd ", "unknown", "x" * 10000, "ü", "4", "6", "NULL")]
BOOL_EDGE = ["NULL::boolean", "true", "false"]
DATE_EDGE = ["NULL::date"] + [q(v) + "::date" for v in
             ("infinity", "-infinity", "4714-11-24 BC", "4714-12-31 BC",
              "0001-01-01 BC", "0001-01-01", "1999-12-31", "2000-02-29",
              "2011-02-03", "2021-02-28", "2021-03-01", "2021-08-31",
              "2021-09-01", "5874896-09-01", "5874897-02-28",
              "5874897-03-01", "5874897-09-01", "5874897-12-31")]
BYTEA_EDGE = ["NULL::bytea", "'\\x'::bytea", "'\\x00'::bytea",
              "'\\xffffffffffffffffffffffffffffffff'::bytea",
              "'\\x0000000000000001'::bytea",
              "decode(repeat('ff', 4096), 'hex')"]
DATERANGE_EDGE = ["NULL::daterange", "'empty'::daterange", "'(,)'::daterange",
                  "'[2021-03-01,2021-09-01)'::daterange",
                  "'[2021-03-01,)'::daterange", "'[-infinity,infinity]'::daterange"]


def inet_edges(cidr):
    t = "cidr" if cidr else "inet"
    vals = V4_EDGE + V6_EDGE + ([] if cidr else HOSTBITS)
    return ["NULL::" + t] + [q(v) + "::" + t for v in vals]


def cidr_array_edges(rng):
    arrs = ["{}", "{NULL}", "{NULL,NULL}", "{0.0.0.0/0}", "{::/0}",
            "{10.0.0.0/8,NULL}", "{10.0.0.0/8,2001:db8::/32}",
            "{10.0.0.0/8,10.0.0.0/9,10.128.0.0/9,10.0.0.0/8}",
            "{0.0.0.0/32,255.255.255.255/32}", "{0.0.0.0/0,::/0}",
            "{::/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128}",
            "{::/1,8000::/1}", "{0.0.0.0/1,128.0.0.0/1}",
            "{{10.0.0.0/8},{11.0.0.0/8}}", "{{{10.0.0.0/8}}}",
            "{{10.0.0.0/8,NULL},{NULL,::/0}}",
            "[5:6]={10.0.0.0/8,12.0.0.0/8}", "[-2147483648:-2147483648]={10.0.0.0/8}"]
    out = ["NULL::cidr[]"] + [q(a) + "::cidr[]" for a in arrs]
    # larger random sets, one family and mixed
    for fam, n in ((4, 300), (6, 300), (4, 2000)):
        out.append(q("{" + ",".join(rand_cidr(rng, fam) for _ in range(n)) + "}")
                   + "::cidr[]")
    return out


def rand_cidr(rng, fam=None):
    """a random block of one family, often /0, /1, a host or a long prefix"""
    fam = fam or rng.choice((4, 6))
    width = 32 if fam == 4 else 128
    bits = rng.choice([0, 1, width, width - 1, rng.randint(0, width),
                       rng.randint(width // 2, width)])
    return str(net(fam, rng.getrandbits(width), bits))


class Edges:
    """Edge values per type name; unknown types get NULL only."""

    def __init__(self, rng):
        self.rng = rng
        self.table = {
            "inet": inet_edges(False), "cidr": inet_edges(True),
            "cidr[]": cidr_array_edges(rng), "numeric": numeric_edges(),
            "integer": INT4_EDGE, "bigint": INT8_EDGE, "smallint": INT2_EDGE,
            "double precision": FLOAT8_EDGE, "text": TEXT_EDGE,
            "boolean": BOOL_EDGE, "date": DATE_EDGE, "bytea": BYTEA_EDGE,
            "daterange": DATERANGE_EDGE,
        }
        self.unknown = set()

    def values(self, typ):
        if typ in self.table:
            return self.table[typ]
        if typ.endswith("[]") and typ[:-2] in self.table:
            elem = [v for v in self.table[typ[:-2]] if not v.startswith("NULL")]
            base = typ[:-2]
            arrs = ["NULL::" + typ, "'{}'::" + typ, "ARRAY[NULL::%s]" % base,
                    "ARRAY[%s]" % ", ".join(elem[:6]),
                    "ARRAY[[%s], [%s]]" % (elem[0], elem[-1]),
                    "ARRAY[%s, NULL]" % elem[1]]
            self.table[typ] = arrs
            return arrs
        self.unknown.add(typ)
        return ["NULL::" + typ]

    def random(self, typ):
        return self.rng.choice(self.values(typ))

    def plausible(self, typ, name=""):
        """A value more likely to pass argument checks, so that deeper code
        runs: drawn from random generators for the address types, and by the
        argument's name where it tells what is expected."""
        r = self.rng
        if typ == "integer" and "family" in name:
            return r.choice(["4", "6"])
        if typ == "integer" and "masklen" in name:
            return str(r.choice([0, 8, 20, 24, 32, r.randint(0, 32), r.randint(0, 128)]))
        if typ == "integer" and "recipients" in name:
            return str(r.randint(1, 10))
        if typ == "integer" and "slash8" in name:
            return str(r.randint(0, 256))
        if typ == "text" and name in ("method", "which"):
            return r.choice(["'hd'", "'table'", "'fixed'"] if name == "method"
                            else ["'total'", "'recent'"])
        if typ == "numeric" and (name.endswith("hd") or name == "cap"):
            return "%s::numeric" % r.choice(["0.966", "0.93", "0.8", "0.5", "1", "0",
                                             "0.%d" % r.randint(0, 999999)])
        if typ == "numeric" and name.endswith("allocated"):
            return "%d::numeric" % (2 ** r.randint(8, 40))
        if typ == "numeric" and name.endswith("used"):
            return "%d::numeric" % r.randint(0, 5000)
        if typ == "numeric" and name == "share":
            return "%s::numeric" % r.choice(["1", "2", "4", "8", "3.5"])
        if typ == "date":
            return "'%d-%02d-%02d'::date" % (r.randint(1990, 2040), r.randint(1, 12), r.randint(1, 28))
        if typ == "inet":
            return q(rand_inet(r)) + "::inet"
        if typ == "cidr":
            return q(rand_cidr(r)) + "::cidr"
        if typ == "cidr[]":
            fam = r.choice((4, 6))
            return q("{" + ",".join(rand_cidr(r, fam) for _ in range(r.randint(1, 12))) + "}") + "::cidr[]"
        if typ == "numeric":
            return q(str(r.choice([r.randint(0, 2 ** r.randint(1, 40)),
                                   r.randint(0, 2 ** 128),
                                   "0.%d" % r.randint(0, 10 ** 6)]))) + "::numeric"
        if typ == "integer":
            return "(%d)::integer" % r.choice([4, 6, 24, 32, 48, 56, 64, r.randint(0, 128)])
        return self.random(typ)


# --------------------------------------------------------------------------
# psql
# --------------------------------------------------------------------------
class DB:
    def __init__(self, dbname):
        self.dbname = dbname
        self.sentinel = None
        self.start_sentinel()
        atexit.register(self.stop_sentinel)

    def start_sentinel(self, wait=60):
        """A session that only sleeps: a crash restart of the server ends
        it, so its end is the sign that the restart has begun.  Started,
        then waited for until pg_stat_activity shows it active."""
        name = "ap_fuzz_sentinel_%d" % os.getpid()
        self.sentinel = subprocess.Popen(
            harness.argv("-c", "SELECT pg_sleep(86400)", db=self.dbname, aligned=True, stop=False),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, PGAPPNAME=name))
        deadline = time.time() + wait
        while time.time() < deadline:
            p = harness.psql(None, "-c", "SELECT count(*) FROM pg_stat_activity WHERE "
                             "application_name = '%s' AND state = 'active'" % name,
                             db=self.dbname, stop=False, check=False)
            if p.returncode == 0 and p.stdout.strip() == "1":
                return
            if self.sentinel.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("the fuzzer's sentinel session did not start")

    def stop_sentinel(self, wait=60):
        """End the sentinel, and wait until its backend is gone too (a
        client's end does not end its backend at once)."""
        if self.sentinel is not None and self.sentinel.poll() is None:
            self.sentinel.kill()
            self.sentinel.wait()
        name = "ap_fuzz_sentinel_%d" % os.getpid()
        deadline = time.time() + wait
        while time.time() < deadline:
            p = harness.psql(None, "-c", "SELECT count(*) FROM pg_stat_activity WHERE "
                             "application_name = '%s'" % name,
                             db="postgres", stop=False, check=False)
            if p.returncode != 0 or p.stdout.strip() == "0":
                return
            time.sleep(0.05)

    def run(self, sql, check=True, timeout=600):
        """psql (a PsqlError, a RuntimeError, when it fails and check)"""
        return harness.psql(sql, db=self.dbname, sep=SEP, check=check, timeout=timeout)

    def rows(self, sql):
        out = self.run(sql).stdout
        return [line.split(SEP) for line in out.splitlines() if line != ""]

    def alive(self, wait=90):
        """After a crash: wait until the server has restarted and accepts
        connections again; False when it does not within `wait` seconds.
        The client can see its connection drop before the postmaster has
        reaped the dead backend, and a connection accepted in between would
        be killed by the restart; so first wait for the restart itself,
        which ends the sentinel session, then for a connection."""
        restart_by = time.time() + min(30, wait)
        while self.sentinel.poll() is None and time.time() < restart_by:
            time.sleep(0.05)
        deadline = time.time() + wait
        while time.time() < deadline:
            p = harness.psql(None, "-c", "SELECT 1", db=self.dbname, stop=False, check=False)
            if p.returncode == 0 and p.stdout.strip() == "1":
                self.stop_sentinel()
                self.start_sentinel()
                return True
            time.sleep(0.2)
        return False


CRASH_PATTERNS = re.compile(
    r"server closed the connection unexpectedly|terminating connection"
    r"|connection to server was lost|the database system is in recovery mode"
    r"|the database system is starting up|no connection to the server"
    r"|TRAP: |FailedAssertion|could not receive data from server")

SETUP = r"""
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
CREATE SCHEMA fz;
CREATE TABLE fz.log (id integer PRIMARY KEY, state text NOT NULL, msg text);
-- Runs q (which yields the results as text[]), records its SQLSTATE, and
-- checks that each result text reads back as itself in type rt.
CREATE FUNCTION fz.try(id integer, q text, rt text) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
  outs text[];
  st text;
  m text;
  bad text;
BEGIN
  BEGIN
    EXECUTE q INTO outs;
  EXCEPTION WHEN others OR query_canceled THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT;
    INSERT INTO fz.log VALUES (id, st, m);
    RETURN;
  END;
  IF rt IS NOT NULL AND outs IS NOT NULL THEN
    BEGIN
      EXECUTE format('SELECT o FROM unnest($1) o WHERE o IS NOT NULL AND o::%s::text IS DISTINCT FROM o LIMIT 1', rt)
        INTO bad USING outs;
      IF bad IS NOT NULL THEN
        INSERT INTO fz.log VALUES (id, 'ROUNDTRIP', 'result ' || left(bad, 200) || ' does not read back as itself');
        RETURN;
      END IF;
    EXCEPTION WHEN others THEN
      GET STACKED DIAGNOSTICS m = MESSAGE_TEXT;
      INSERT INTO fz.log VALUES (id, 'ROUNDTRIP', 'a result does not read back: ' || m);
      RETURN;
    END;
  END IF;
  INSERT INTO fz.log VALUES (id, '00000', NULL);
END
$f$;
"""

CATALOG = r"""
SELECT p.oid, p.oid::regprocedure,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname),
       p.prokind, p.proretset, format_type(p.prorettype, NULL),
       t.typtype, p.pronargs, p.pronargdefaults,
       coalesce(array_to_string(ARRAY(SELECT format_type(a, NULL)
             FROM unnest(p.proargtypes) WITH ORDINALITY u(a, o) ORDER BY o), ';'), ''),
       coalesce(array_to_string(p.proargnames[1:p.pronargs], ';', ''), '')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_type t ON t.oid = p.prorettype
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
     AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
ORDER BY 2;
"""

POLY = {"anyelement", "anyarray", "anynonarray", "anyenum", "anyrange",
        "anymultirange", "anycompatible", "anycompatiblearray",
        "anycompatiblenonarray", "anycompatiblerange", "any", "internal",
        "cstring", "record", "void", "trigger", "language_handler"}


class Func:
    def __init__(self, row):
        (self.oid, self.sig, self.qname, self.kind, retset, self.rettype,
         self.rettyptype, nargs, ndef, args, names) = row
        self.retset = retset == "t"
        self.nargs = int(nargs)
        self.ndefaults = int(ndef)
        self.args = args.split(";") if args else []
        self.names = names.split(";") if names else []
        self.names += [""] * (len(self.args) - len(self.names))

    def callable(self):
        """Functions with internal (or other pseudo-type) arguments cannot be
        called from SQL: PostgreSQL refuses them; they are the support
        functions of aggregates and run through the aggregates."""
        bad = [a for a in self.args if a in POLY]
        return (False, "takes %s" % ", ".join(sorted(set(bad)))) if bad else (True, "")

    def roundtrip_type(self):
        if self.rettyptype in ("b", "r", "e") or (self.rettype.endswith("[]")):
            if self.rettype not in POLY:
                return self.rettype
        return None


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------
class Case:
    __slots__ = ("id", "func", "kind", "sql", "rt")

    def __init__(self, id_, func, kind, sql, rt):
        self.id, self.func, self.kind, self.sql, self.rt = id_, func, kind, sql, rt


# A set-returning function can return billions of rows (cidr_free_blocks of a
# /1 in /32s): read at most this many, or the harness's own array_agg hits
# core's 1 GB allocation limit (an XX000 from array_agg, not from us) before
# statement_timeout stops the long run.  Stopping the SRF early also tests
# its end-of-scan path.
SRF_ROWS = 1000000


def scalar_query(f, args):
    return "SELECT array_agg(r::text) FROM (SELECT %s(%s) AS r LIMIT %d) s" % (
        f.qname, ", ".join(args), SRF_ROWS)


def agg_rows(edges, f, nrows, plausible_share=0.6, fam=None):
    rows = []
    for _ in range(nrows):
        row = []
        for t, nm in zip(f.args, f.names):
            if fam and t in ("inet", "cidr"):
                # big enough blocks of one family: rows most functions accept
                width = 32 if fam == 4 else 128
                v = rand_inet(edges.rng, fam) if t == "inet" else rand_cidr(edges.rng, fam)
                bits = edges.rng.randint(0, width - 12)
                row.append("set_masklen(%s::inet, %d)::%s" % (q(v.split("/")[0]), bits, t))
            elif fam and t == "numeric":
                row.append("%d::numeric" % edges.rng.randint(0, 4096))
            elif edges.rng.random() < plausible_share:
                row.append(edges.plausible(t, nm))
            else:
                row.append(edges.random(t))
        rows.append(row)
    return rows


def values_source(f, rows, with_order=False):
    cols = ["c%d" % i for i in range(len(f.args))]
    if not rows:
        nulls = ", ".join("NULL::%s AS %s" % (t, c) for t, c in zip(f.args, cols))
        extra = "0 AS o, 0 AS g, " if with_order else ""
        return "(SELECT %s%s WHERE false) v" % (extra, nulls), cols
    vals = []
    for i, r in enumerate(rows):
        prefix = "%d, %d, " % (i, i % 3) if with_order else ""
        vals.append("(" + prefix + ", ".join(r) + ")")
    names = (["o", "g"] if with_order else []) + cols
    return "(VALUES %s) v(%s)" % (", ".join(vals), ", ".join(names)), cols


def gen_cases(funcs, edges, rng, scale):
    cases = []
    skipped = []
    nid = [0]

    def add(f, kind, sql, rt):
        nid[0] += 1
        cases.append(Case(nid[0], f, kind, sql, rt))

    for f in funcs:
        if f.kind == "a":
            ok, why = (all(a not in POLY for a in f.args), "")
            if not ok:
                skipped.append((f, "aggregate over pseudo-types"))
                continue
            rt = f.roundtrip_type()
            agg = f.qname
            for _ in range(int(100 * scale)):
                n = rng.choice([0, 1, 1, 2, 3, 5, 8, 20, 100])
                rows = agg_rows(edges, f, n, plausible_share=rng.choice([0.0, 0.5, 0.9, 1.0]))
                src, cols = values_source(f, rows, with_order=True)
                call = "%s(%s)" % (agg, ", ".join(cols))
                form = rng.choice(["plain", "plain", "group", "window", "window_frame", "filter", "distinct"])
                if form == "plain":
                    sql = "SELECT array_agg(r::text) FROM (SELECT %s AS r FROM %s) s" % (call, src)
                elif form == "group":
                    sql = "SELECT array_agg(r::text) FROM (SELECT %s AS r FROM %s GROUP BY g) s" % (call, src)
                elif form == "window":
                    sql = "SELECT array_agg(r::text) FROM (SELECT %s OVER (ORDER BY o) AS r FROM %s) s" % (call, src)
                elif form == "window_frame":
                    sql = ("SELECT array_agg(r::text) FROM (SELECT %s OVER (ORDER BY o ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM %s) s"
                           % (call, src))
                elif form == "filter":
                    sql = "SELECT array_agg(r::text) FROM (SELECT %s FILTER (WHERE o %% 2 = 0) AS r FROM %s) s" % (call, src)
                else:
                    sql = "SELECT array_agg(r::text) FROM (SELECT %s(DISTINCT %s) AS r FROM %s) s" % (agg, ", ".join(cols), src) \
                        if len(cols) == 1 and f.args[0] not in ("cidr[]",) else \
                        "SELECT array_agg(r::text) FROM (SELECT %s AS r FROM %s) s" % (call, src)
                add(f, "agg-" + form, sql, rt)
            continue

        ok, why = f.callable()
        if not ok:
            skipped.append((f, why))
            continue
        rt = f.roundtrip_type()
        nreq = f.nargs - f.ndefaults
        # 1. every edge value in every position, the others plausible
        for i, t in enumerate(f.args):
            for v in edges.values(t):
                args = [edges.plausible(a, nm) for a, nm in zip(f.args, f.names)]
                args[i] = v
                add(f, "sweep", scalar_query(f, args), rt)
        # 2. random combinations of edge values, sometimes leaving defaults out
        for _ in range(int(150 * scale)):
            n = rng.randint(nreq, f.nargs) if rng.random() < 0.3 else f.nargs
            args = [edges.random(a) if rng.random() < 0.5 else edges.plausible(a, nm)
                    for a, nm in zip(f.args[:n], f.names[:n])]
            add(f, "random", scalar_query(f, args), rt)
        # 3. only the required arguments (the defaults run)
        if f.ndefaults:
            for _ in range(int(10 * scale) + 1):
                args = [edges.plausible(a, nm) for a, nm in zip(f.args[:nreq], f.names[:nreq])]
                add(f, "defaults", scalar_query(f, args), rt)
    # the systematic sweeps first, then the rest; each part shuffled so
    # that a time budget cuts across every function alike
    sweeps = [c for c in cases if c.kind == "sweep"]
    rest = [c for c in cases if c.kind != "sweep"]
    rng.shuffle(sweeps)
    rng.shuffle(rest)
    return sweeps + rest, skipped


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------
def dollar(s):
    tag = "$fzq$"
    assert tag not in s
    return tag + s + tag


def run_cases(db, cases, timeout_ms, batch_size, log, deadline):
    """Runs the cases in batches of psql scripts until the deadline.
    Returns the list of crash descriptions and harness errors."""
    crashes = []
    own_errors = []
    pending = list(cases)
    by_id = {c.id: c for c in cases}
    while pending and time.time() < deadline:
        batch, pending = pending[:batch_size], pending[batch_size:]
        script = ["SET statement_timeout = %d;" % timeout_ms]
        for c in batch:
            script.append("SELECT fz.try(%d, %s, %s);" % (
                c.id, dollar(c.sql), "NULL" if c.rt is None else "'%s'" % c.rt))
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as fh:
            fh.write("\n".join(script) + "\n")
            path = fh.name
        p = harness.psql(None, "-e", "-o", "/dev/null", "-f", path, db=db.dbname,
                         aligned=True, stop=False, check=False)
        os.unlink(path)
        # -e echoes each query to stdout before it runs (-o only redirects
        # query results)
        started = [int(m) for m in re.findall(r"SELECT fz\.try\((\d+),", p.stdout)]
        crashed = p.returncode == 2 or CRASH_PATTERNS.search(p.stderr)
        if crashed:
            last = started[-1] if started else batch[0].id
            c = by_id[last]
            crashes.append((c, p.stderr.strip()[-1500:]))
            log("CRASH in case %d (%s): %s" % (c.id, c.func.sig, c.sql[:300]))
            if not db.alive():
                own_errors.append("the server did not come back after a crash")
                return crashes, own_errors
            # go on with the rest of the batch
            pos = next(i for i, x in enumerate(batch) if x.id == last)
            rest = batch[pos + 1:]
            pending = rest + pending
            continue
        for line in p.stderr.splitlines():
            if "ERROR" in line or "FATAL" in line:
                own_errors.append(line.strip())
    return crashes, own_errors


def parallel_checks(db, funcs, rng, scale, edges, log):
    """Each aggregate over an ordinary table, serial and in a forced parallel
    plan (partial aggregates, serialize, deserialize, combine): the answers
    (or the SQLSTATEs) must agree, and a crash fails as anywhere else."""
    problems = []
    n_rows = int(3000 * scale) + 200
    for f in funcs:
        if f.kind != "a" or any(a in POLY for a in f.args):
            continue
        variants = ("v4", "v6", "mixed", "edges") if scale >= 1 else ("v4", "edges")
        for variant in variants:
            fam = {"v4": 4, "v6": 6}.get(variant)
            share = 0.0 if variant == "edges" else 1.0
            rows = agg_rows(edges, f, n_rows if variant != "edges" else 300,
                            plausible_share=share, fam=fam)
            tbl = "fz.par_%s_%s" % (f.oid, variant)
            cols = ["c%d" % i for i in range(len(f.args))]
            ddl = "CREATE TABLE %s (g integer, %s);" % (
                tbl, ", ".join("%s %s" % (c, t) for c, t in zip(cols, f.args)))
            ins = "INSERT INTO %s VALUES %s;" % (
                tbl, ", ".join("(%d, %s)" % (rng.randint(0, 3), ", ".join(r)) for r in rows))
            try:
                db.run(ddl + ins + "ANALYZE %s;" % tbl)
            except RuntimeError as e:
                # rows of edge values a column type refuses: fine, fewer rows
                log("note: %s: %s" % (tbl, str(e)[:200]))
                continue
            call = "%s(%s)" % (f.qname, ", ".join(cols))
            shapes = ["SELECT %s::text FROM %s" % (call, tbl)]
            if scale >= 1:
                shapes.append("SELECT g, %s::text FROM %s GROUP BY g ORDER BY g" % (call, tbl))
            for shape in shapes:
                res = {}
                for mode, settings in (
                        ("serial", "SET max_parallel_workers_per_gather = 0;"),
                        ("parallel", "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; "
                                     "SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2; "
                                     "SET parallel_leader_participation = off; SET enable_hashagg = %s;"
                                     % rng.choice(["on", "off"]))):
                    p = db.run(settings + "\\set VERBOSITY sqlstate\n" + shape + ";", check=False)
                    if p.returncode == 2 or CRASH_PATTERNS.search(p.stderr):
                        problems.append("CRASH: %s %s (%s)" % (mode, shape, p.stderr.strip()[-500:]))
                        db.alive()
                        continue
                    m = re.search(r"ERROR:\s+([0-9A-Z]{5})", p.stderr)
                    res[mode] = ("ERROR " + m.group(1)) if m else p.stdout
                    if m and m.group(1)[:2] in ("XX", "58"):
                        problems.append("%s in %s: %s" % (m.group(1), mode, shape))
                plan = db.run("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; "
                              "SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
                              "EXPLAIN (COSTS OFF) " + shape + ";", check=False).stdout
                if "Partial" not in plan:
                    problems.append("no partial aggregate plan for %s: %s" % (f.sig, shape))
                # both may fail, on different bad rows met first: fine
                both_failed = all(v.startswith("ERROR") for v in res.values())
                if len(res) == 2 and res["serial"] != res["parallel"] and not both_failed:
                    problems.append("PARALLEL MISMATCH %s (%s): serial %r, parallel %r"
                                    % (f.sig, shape, res["serial"][:300], res["parallel"][:300]))
    return problems


def self_test(db, cases, funcs, log):
    """The fuzzer must see what it is there to see: a backend that dies
    (SIGKILL: the postmaster treats it as a crash and restarts every backend,
    as for SIGSEGV or a failed Assert, but leaves no core file), an XX000
    error, and a cidr result with host bits set."""
    db.run("""
CREATE FUNCTION fz.internal_error() RETURNS integer LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'injected internal error' USING ERRCODE = 'XX000'; END $$;
CREATE FUNCTION fz.segv() RETURNS integer LANGUAGE plpgsql AS
$$ BEGIN COPY (SELECT 1) TO PROGRAM 'kill -KILL $PPID'; PERFORM pg_sleep(5); RETURN 1; END $$;
""")
    f = funcs[0]
    base = len(cases) + 1
    inj = [Case(base, f, "selftest", "SELECT ARRAY[fz.internal_error()::text]", None),
           Case(base + 1, f, "selftest", "SELECT ARRAY['10.0.0.1/8']", "cidr"),
           Case(base + 2, f, "selftest", "SELECT ARRAY[fz.segv()::text]", None)]
    sample = cases[:50] + inj[:2] + cases[50:60] + inj[2:] + cases[60:100]
    crashes, own_errors = run_cases(db, sample, 10000, 400, log, float("inf"))
    states = dict((int(i), st) for i, st, _ in db.rows("SELECT id, state, coalesce(msg, '') FROM fz.log"))
    ok = True
    if not any(c.id == base + 2 for c, _ in crashes):
        print("FAIL: self-test: the injected crash was not seen (%r)" % [(c.id, e[:200]) for c, e in crashes])
        ok = False
    if states.get(base) != "XX000":
        print("FAIL: self-test: the injected XX000 was not recorded (%r)" % states.get(base))
        ok = False
    if states.get(base + 1) != "ROUNDTRIP":
        print("FAIL: self-test: the malformed cidr was not caught (%r)" % states.get(base + 1))
        ok = False
    after = [c for c in cases[60:100] if c.id not in states]
    if after:
        print("FAIL: self-test: %d cases after the crash did not run: %s"
              % (len(after), "; ".join("%d %s" % (c.id, c.sql[:200]) for c in after)))
        ok = False
    print("fuzz self-test: %s (a real crash, an XX000 and a malformed cidr are caught; the run goes on after the crash)"
          % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


def load_allowlist():
    """test/fuzz/internal_ok.txt: lines `function-regex<TAB>message-regex<TAB>why`
    for XX000 errors documented as unreachable through ordinary use."""
    out = []
    path = os.path.join(HERE, "internal_ok.txt")
    if os.path.exists(path):
        for line in open(path):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            out.append((re.compile(parts[0]), re.compile(parts[1])))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="random cases per function: 150 * scale")
    ap.add_argument("--timeout-ms", type=int, default=10000,
                    help="statement_timeout of one call")
    ap.add_argument("--batch", type=int, default=400)
    ap.add_argument("--no-parallel", action="store_true")
    ap.add_argument("--self-test", action="store_true",
                    help="negative control: inject a real backend crash, an XX000 error and a "
                         "malformed cidr result, and exit 0 only if all three are caught")
    ap.add_argument("--budget", type=float, default=0,
                    help="seconds after which no new batch of calls starts (0: none)")
    args = ap.parse_args()

    t0 = time.time()
    rng = random.Random(args.seed)
    db = DB(os.environ.get("PGDATABASE", "postgres"))
    log = lambda s: print("  " + s, flush=True)
    db.run(SETUP)
    funcs = [Func(r) for r in db.rows(CATALOG)]
    if not funcs:
        print("FAIL: no function of the extension found in the catalog")
        return 1
    edges = Edges(rng)
    cases, skipped = gen_cases(funcs, edges, rng, args.scale)
    if args.self_test:
        return self_test(db, cases, funcs, log)
    print("fuzz: seed %d, %d functions and aggregates, %d cases" %
          (args.seed, len(funcs), len(cases)), flush=True)
    for f, why in skipped:
        print("  not called directly: %s (%s; runs through its aggregate)" % (f.sig, why))
    for t in sorted(edges.unknown):
        print("  note: no edge values for type %s: NULL only" % t)

    deadline = t0 + args.budget if args.budget > 0 else float("inf")
    crashes, own_errors = run_cases(db, cases, args.timeout_ms, args.batch, log, deadline)
    failures = []
    for c, err in crashes:
        failures.append("CRASH (backend lost) in %s\n    %s\n    %s" % (c.func.sig, c.sql[:1000], err[-400:]))
    for h in own_errors[:20]:
        failures.append("harness error (the fuzzer's own SQL failed): " + h)

    # what happened, per function
    by_id = {c.id: c for c in cases}
    log_rows = db.rows("SELECT id, state, coalesce(msg, '') FROM fz.log")
    allow = load_allowlist()
    stats = {}
    timeouts = []
    for id_, state, msg in log_rows:
        c = by_id[int(id_)]
        st = stats.setdefault(c.func.sig, {})
        st[state] = st.get(state, 0) + 1
        if state[:2] in ("XX", "58"):
            if any(fr.search(c.func.sig) and mr.search(msg) for fr, mr in allow):
                continue
            failures.append("%s (internal error) in %s: %s\n    %s" % (state, c.func.sig, msg, c.sql[:1000]))
        elif state == "ROUNDTRIP":
            failures.append("malformed result of %s: %s\n    %s" % (c.func.sig, msg, c.sql[:1000]))
        elif state == "57014":
            timeouts.append(c)
        elif state[:2] == "53":
            print("  warning: %s %s in %s: %s" % (state, msg, c.func.sig, c.sql[:200]))
    ran = len(log_rows)
    print("  %-75s %6s %6s  %s" % ("function", "calls", "ok", "errors by SQLSTATE"))
    for f in funcs:
        st = stats.get(f.sig)
        if not st:
            continue
        errs = ", ".join("%s:%d" % (k, v) for k, v in sorted(st.items()) if k != "00000")
        print("  %-75s %6d %6d  %s" % (f.sig[:75], sum(st.values()), st.get("00000", 0), errs))
    for c in timeouts[:10]:
        print("  warning: statement_timeout (%d ms) in %s: %s" % (args.timeout_ms, c.func.sig, c.sql[:300]))
    if len(timeouts) > 10:
        print("  warning: %d more timeouts" % (len(timeouts) - 10))
    if ran + len(crashes) < len(cases):
        if time.time() >= deadline:
            print("  note: the time budget (%g s) ran %d of %d cases (the systematic sweeps first)"
                  % (args.budget, ran, len(cases)))
        else:
            failures.append("only %d of %d cases left a result" % (ran, len(cases)))

    if not args.no_parallel:
        failures += parallel_checks(db, funcs, rng, args.scale, edges, log)

    dt = time.time() - t0
    if failures:
        print("fuzz: FAILED (%d problems, %.1f s)" % (len(failures), dt))
        for x in failures[:50]:
            print("FAIL: " + x)
        return 1
    print("fuzz: %d calls ran, no crash, no internal error, every result read back (%.1f s)" % (ran, dt))
    return 0


if __name__ == "__main__":
    harness.main(main)
