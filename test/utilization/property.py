#!/usr/bin/env python3
"""Property test of the utilization aggregate (python3 stdlib only).

Generates thousands of random members (seeded: deterministic unless
AP_SEED is set), each with a random history of allocations: IPv4 or IPv6
blocks of every size, used counts from 0 to the whole block (some NULL,
some written with a fraction of zeros), dates with many ties (some NULL),
rows without a block, duplicate blocks, and a method per member ('hd',
'table', 'fixed' or NULL).

Python computes each member's figures independently: the number of
allocations, the totals, and the most recent allocation by the tie rule
(latest date, NULL dates last; then the larger block; then the higher
address; then the larger used).  Inputs and expectations go into the
database in one COPY each, and one query per property counts mismatches:

  1. the aggregate's figures equal Python's;
  2. the aggregate's verdict (eligible, both requirements, both HD ratios,
     reason) is exactly utilization_check's over totals computed in SQL
     with sum() and the most recent row picked by a window with the tie
     rule in its ORDER BY -- and those SQL figures equal Python's too;
  3. the answer does not depend on row order (the aggregate fed in a
     shuffled ORDER BY) nor on a parallel plan (workers and serialization);
  4. invalid rows (used above the block, negative, fractional, NaN, mixed
     families, mixed methods) raise an error with the documented SQLSTATE.

Usage: property.py   (the database of PGDATABASE, PGHOST etc. from the
environment; AP_QUICK=1 for the quick size, AP_SEED=N for another history)
"""
import ipaddress
import os
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402
from cidrs import net  # noqa: E402

QUICK = harness.quick()
SEED = harness.seed(20050217)
N_MEMBERS = 2500 if QUICK else 25000
rng = harness.rng(SEED)


BASE_DATE = date(2015, 1, 1)


def random_block(v6):
    """A random network block (ipaddress network) of one family."""
    if v6:
        r = rng.random()
        if r < 0.05:
            plen = rng.randint(8, 15)      # used values beyond 10^36 appear here
        elif r < 0.10:
            plen = 128
        else:
            plen = rng.choice([16, 20, 24, 28, 29, 32, 36, 40, 44, 48, 56, 60, 64, 96, 120, 127])
        return net(6, rng.getrandbits(128), plen)
    r = rng.random()
    if r < 0.01:
        plen = rng.randint(0, 7)
    elif r < 0.05:
        plen = rng.choice([31, 32])
    else:
        plen = rng.choice([8, 10, 12, 14, 16, 17, 18, 19, 20, 20, 21, 22, 22, 23, 24, 24, 24, 25, 26, 28, 30])
    return net(4, rng.getrandbits(32), plen)


def random_used(size):
    r = rng.random()
    if r < 0.06:
        return None
    if r < 0.12:
        return 0
    if r < 0.20:
        return size
    # mostly fairly high utilization, so verdicts go both ways
    f = 1 - rng.random() ** 2 * 0.7
    return min(size, int(size * f))


def used_text(u):
    if u is None:
        return None
    # the same whole number written with a zero fraction now and then
    return f"{u}.00" if rng.random() < 0.1 else str(u)


def make_members():
    members = []
    for m in range(N_MEMBERS):
        v6 = rng.random() < 0.2
        method = rng.choice(["hd", "hd", "table", "fixed", None])
        n = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 20])
        rows = []
        for _ in range(n):
            if rng.random() < 0.05:
                rows.append((None, rng.randint(0, 1000), BASE_DATE))   # no block: skipped
                continue
            if rows and rng.random() < 0.08 and rows[-1][0] is not None:
                b = rows[-1][0]                                          # a duplicate block
            else:
                b = random_block(v6)
            d = None if rng.random() < 0.1 else BASE_DATE + timedelta(days=rng.randint(0, 40))
            rows.append((b, random_used(b.num_addresses), d))
        members.append((m, method, rows, v6))
    # fixed corner members
    k = N_MEMBERS
    members.append((k, None, [(ipaddress.ip_network("::/0"), 2 ** 128, None)], None))
    members.append((k + 1, "fixed", [(ipaddress.ip_network("::/1"), 2 ** 127, BASE_DATE),
                                      (ipaddress.ip_network("8000::/1"), 5, BASE_DATE)], None))
    members.append((k + 2, "hd", [(ipaddress.ip_network("0.0.0.0/0"), 2 ** 32, BASE_DATE)], None))
    members.append((k + 3, "table", [(None, 1, BASE_DATE), (None, None, None)], None))
    return members


def expected(rows):
    """The figures Python expects, or None when no row has a block."""
    real = [(b, 0 if u is None else u, d) for (b, u, d) in rows if b is not None]
    if not real:
        return None
    tot_alloc = sum(b.num_addresses for b, _, _ in real)
    tot_used = sum(u for _, u, _ in real)

    def key(r):
        b, u, d = r
        return (d is not None, d or date.min, -b.prefixlen, int(b.network_address), u)
    rb, ru, _ = max(real, key=key)
    return (len(real), tot_alloc, tot_used, str(rb), rb.num_addresses, ru)


def main():
    members = make_members()
    alloc_lines = []
    exp_lines = []
    rid = 0
    methods = ["hd", "table", "fixed", None]
    for m, method, rows, v6 in members:
        # a coarse group of many members of one family and method, for the
        # parallel check (the corner members each get their own)
        grp = -m if v6 is None else (6 if v6 else 4) * 100 + methods.index(method) * 20 + m % 16
        for b, u, d in rows:
            rid += 1
            alloc_lines.append([rid, m, grp, b, used_text(u),
                                None if d is None else d.isoformat(), method])
        e = expected(rows)
        if e is None:
            exp_lines.append([m] + [None] * 6)
        else:
            exp_lines.append([m] + list(e))

    setup = (
        "DROP TABLE IF EXISTS prop_alloc, prop_expect;\n"
        "CREATE TABLE prop_alloc (id int, member int, grp int, block cidr, used numeric, "
        "allocated_on date, method text);\n"
        "CREATE TABLE prop_expect (member int, allocations bigint, total_allocated numeric, "
        "total_used numeric, recent_block cidr, recent_allocated numeric, recent_used numeric);\n"
        + harness.copy_block("prop_alloc", None, alloc_lines)
        + harness.copy_block("prop_expect", None, exp_lines) +
        "ANALYZE prop_alloc;\n")
    harness.psql(setup)

    # the members, their aggregate, and the SQL-computed figures
    check = r"""
CREATE TABLE prop_members AS
SELECT DISTINCT member, method FROM prop_alloc;
CREATE TABLE prop_agg AS
SELECT a.member, utilization(block, used, allocated_on, a.method) AS u
FROM prop_alloc a GROUP BY a.member;
-- (trim_scale: a used written 12.00 sums to 12.00 in SQL; utilization_check
-- would print that text in its reason, the aggregate prints the count 12)
CREATE TABLE prop_sql AS
SELECT t.member, t.n, t.ta, trim_scale(t.tu) AS tu, r.block AS rb,
       addr_count(r.block) AS ra, trim_scale(r.ru) AS ru
FROM (SELECT member, count(*) AS n, sum(addr_count(block)) AS ta,
             sum(coalesce(used, 0)) AS tu
      FROM prop_alloc WHERE block IS NOT NULL GROUP BY member) t
JOIN (SELECT member, block, coalesce(used, 0) AS ru,
             row_number() OVER (PARTITION BY member
                                ORDER BY allocated_on DESC NULLS LAST, masklen(block),
                                         block DESC, coalesce(used, 0) DESC) AS pos
      FROM prop_alloc WHERE block IS NOT NULL) r
  ON r.member = t.member AND r.pos = 1;
SELECT
  (SELECT count(*) FROM prop_members),
  (SELECT count(*) FROM prop_alloc),
  -- 1. figures = Python's
  (SELECT count(*) FROM prop_agg g JOIN prop_expect e USING (member)
   WHERE ((u).allocations, (u).total_allocated, (u).total_used, (u).recent_block,
          (u).recent_allocated, (u).recent_used)
         IS DISTINCT FROM
         (e.allocations, e.total_allocated, e.total_used, e.recent_block,
          e.recent_allocated, e.recent_used)
      OR (u IS NULL) <> (e.allocations IS NULL)),
  -- 2a. SQL's figures = Python's (so the window's tie rule is Python's)
  (SELECT count(*) FROM prop_expect e LEFT JOIN prop_sql s USING (member)
   WHERE (s.n, s.ta, s.tu, s.rb, s.ra, s.ru) IS DISTINCT FROM
         (e.allocations, e.total_allocated, e.total_used, e.recent_block,
          e.recent_allocated, e.recent_used)),
  -- 2b. verdict = utilization_check over the SQL figures
  (SELECT count(*) FROM prop_agg g JOIN prop_sql s USING (member)
   JOIN prop_members p USING (member),
   LATERAL utilization_check(s.tu, s.ta, s.ru, s.ra, p.method) AS c
   WHERE ((u).eligible, (u).total_required, (u).recent_required,
          (u).total_hd, (u).recent_hd, (u).reason)
         IS DISTINCT FROM
         (c.eligible, c.total_required, c.recent_required,
          c.total_hd, c.recent_hd, c.reason)),
  (SELECT count(*) FILTER (WHERE (u).eligible) FROM prop_agg),
  (SELECT count(*) FILTER (WHERE NOT (u).eligible) FROM prop_agg),
  (SELECT count(*) FROM prop_agg WHERE u IS NULL);
"""
    out = harness.psql(None, "-c", check).stdout.strip().splitlines()[-1].split("|")
    (n_members, n_rows, bad_fig, bad_sql, bad_verdict,
     n_elig, n_not, n_null) = (int(x) for x in out)

    # 3. order and parallelism do not matter.  Per member the planner
    # gathers rows rather than partial states (few rows a group), so the
    # parallel check aggregates the coarse groups: hundreds of rows each,
    # split between two workers and combined from serialized states.
    par_settings = ("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; "
                    "SET min_parallel_table_scan_size = 0; "
                    "SET max_parallel_workers_per_gather = 2; "
                    "SET parallel_leader_participation = off;\n")
    grp_query = ("SELECT grp, utilization(block, used, allocated_on, method)::text AS u "
                 "FROM prop_alloc GROUP BY grp")
    parallel_plan = "Partial HashAggregate" in harness.psql(
        None, "-c", par_settings + "EXPLAIN (COSTS OFF) CREATE TABLE prop_par AS " + grp_query).stdout
    lines = harness.psql(
        None, "-c",
        "SET max_parallel_workers_per_gather = 0;\n"
        "CREATE TABLE prop_shuffled AS SELECT member, "
        "utilization(block, used, allocated_on, method ORDER BY md5(id::text))::text AS u "
        "FROM prop_alloc GROUP BY member;\n"
        "SELECT count(*) FROM prop_agg g FULL JOIN prop_shuffled s USING (member) "
        "WHERE g.u::text IS DISTINCT FROM s.u;\n"
        "CREATE TABLE prop_ser AS " + grp_query + ";\n"
        + par_settings + "CREATE TABLE prop_par AS " + grp_query + ";\n"
        "SELECT count(*) FROM prop_ser s FULL JOIN prop_par p USING (grp) "
        "WHERE s.u IS DISTINCT FROM p.u;").stdout.strip().splitlines()
    bad_order, bad_parallel = int(lines[-2]), int(lines[-1])

    # 4. invalid rows raise the documented errors (SQLSTATE)
    bad_cases = []
    for _ in range(200 if QUICK else 1000):
        v6 = rng.random() < 0.3
        b = random_block(v6)
        size = b.num_addresses
        kind = rng.choice(["over", "negative", "fraction", "nan", "family", "method"])
        rows = f"unnest(ARRAY['{b}']::inet[]) AS b"
        method = "NULL"
        if kind == "over":
            used, state = str(size + rng.randint(1, 10 ** 6)), "22003"
        elif kind == "negative":
            used, state = str(-rng.randint(1, 10 ** 6)), "22003"
        elif kind == "fraction":
            used, state = f"{rng.randint(0, 255)}.{rng.randint(1, 9)}", "22023"
        elif kind == "nan":
            used, state = "'NaN'", "22023"
        elif kind == "family":
            rows = f"unnest(ARRAY['{b}', '{random_block(not v6)}']::inet[]) AS b"
            used, state = "0", "22023"
        else:
            rows = f"unnest(ARRAY['{b}', '{b}']::inet[], ARRAY['hd', 'fixed']) AS v(b, m)"
            used, state, method = "0", "22023", "m"
        bad_cases.append((f"SELECT utilization(b, {used}::numeric, NULL::date, {method}) FROM {rows}",
                          state))
    do = ["DO $$ DECLARE ok int := 0; st text; BEGIN"]
    for i, (q, state) in enumerate(bad_cases):
        do.append(f"BEGIN PERFORM ({q}); RAISE NOTICE 'case % raised no error', {i}; "
                  f"EXCEPTION WHEN others THEN GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE; "
                  f"IF st = '{state}' THEN ok := ok + 1; "
                  f"ELSE RAISE NOTICE 'case %: SQLSTATE %', {i}, st; END IF; END;")
    do.append("RAISE NOTICE 'errors ok: %', ok; END $$;")
    res = harness.psql("\n".join(do), stop=False, check=False)
    err_ok = 0
    for line in res.stderr.splitlines():
        if "errors ok:" in line:
            err_ok = int(line.split(":")[-1])
    bad_errors = len(bad_cases) - err_ok
    if bad_errors:
        sys.stderr.write(res.stderr[:4000])
        for line in res.stderr.splitlines():
            if "case " in line:
                i = int(line.split("case ")[1].split()[0].rstrip(":"))
                sys.stderr.write(f"  {bad_cases[i][0]}\n")

    print(f"utilization property test (seed {SEED}): {n_members} members, {n_rows} rows "
          f"({n_elig} eligible, {n_not} not, {n_null} without blocks)")
    print(f"  figures differ from Python's:                {bad_fig}")
    print(f"  SQL sum()/window figures differ from Python's: {bad_sql}")
    print(f"  verdict differs from utilization_check:      {bad_verdict}")
    print(f"  shuffled row order changes the answer:       {bad_order}")
    print(f"  parallel ({'Partial HashAggregate' if parallel_plan else 'NO PARTIAL PLAN'}) differs from serial: {bad_parallel}")
    print(f"  invalid rows without the right error:        {bad_errors} of {len(bad_cases)}")
    failed = bad_fig or bad_sql or bad_verdict or bad_order or bad_parallel or bad_errors \
        or not parallel_plan or n_elig == 0 or n_not == 0 or n_null == 0
    if failed:
        print("utilization: FAILED")
        return 1
    print("utilization: the aggregate agrees with Python and with utilization_check")
    return 0


if __name__ == "__main__":
    harness.main(main)
