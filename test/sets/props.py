#!/usr/bin/env python3
"""Property test of the CIDR-set functions against Python's ipaddress.

Generates random sets (seeded: the same cases every run unless AP_SEED is
given), computes every answer here with the standard library
(collapse_addresses, summarize_address_range, address_exclude-based
difference, integer sums), loads inputs and expected answers into the
database with one COPY, and counts mismatches per function in one query,
then once more with parallel plans forced.  Exits non-zero on any mismatch.

usage: props.py   (the database of PGDATABASE, PGHOST etc. from the
       environment; AP_QUICK=1 for the quick size; AP_CASES=N and AP_SEED=S
       override)
"""
import ipaddress as ip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402
from cidrs import N, arr, norm, intersect, except_  # noqa: E402

QUICK = harness.quick()
CASES = int(os.environ.get('AP_CASES', '3000' if QUICK else '20000'))
SEED = harness.seed(20240604)
GROUPS = 7                      # groups of the many-rows-per-group checks
WIDE = 20000 if QUICK else 100000   # rows of the one wide group

V4_BASE = int(ip.IPv4Address('10.0.0.0'))
V6_BASE = int(ip.IPv6Address('2001:db8::'))
V4_TOP = (1 << 32) - 1
V6_TOP = (1 << 128) - 1


# --- random inputs ------------------------------------------------------------

def rand_block(rng, version):
    """an inet (host bits often set) in a small window, so that blocks
    overlap, nest, repeat and touch; now and then a huge block or one at an
    end of the address space"""
    width = 32 if version == 4 else 128
    base = V4_BASE if version == 4 else V6_BASE
    top = V4_TOP if version == 4 else V6_TOP
    r = rng.random()
    if r < 0.02:
        plen = rng.randint(0, 3)
        addr = rng.getrandbits(width)
    elif r < 0.06:
        plen = rng.randint(width - 12, width)
        addr = rng.choice([0, top]) ^ rng.getrandbits(12)
    else:
        plen = rng.randint(width - 12, width)
        addr = base + rng.getrandbits(12)
    cls = ip.IPv4Address if version == 4 else ip.IPv6Address
    return f'{cls(addr)}/{plen}'


def rand_list(rng, version_mode):
    out = []
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 12])):
        if rng.random() < 0.05:
            out.append(None)
            continue
        if version_mode == 'mixed':
            version = rng.choice([4, 6])
        else:
            version = version_mode
        out.append(rand_block(rng, version))
    return out


def rand_range(rng):
    version = rng.choice([4, 6])
    width = 32 if version == 4 else 128
    base = V4_BASE if version == 4 else V6_BASE
    if rng.random() < 0.2:
        a, b = rng.getrandbits(width), rng.getrandbits(width)
    elif rng.random() < 0.1:
        a, b = 0, (1 << width) - 1
    else:
        a, b = base + rng.getrandbits(12), base + rng.getrandbits(12)
    a, b = min(a, b), max(a, b)
    cls = ip.IPv4Address if version == 4 else ip.IPv6Address
    return cls(a), cls(b)


# --- the model (test/lib/cidrs.py) ----------------------------------------------

def nets(lst):
    return [N(x) for x in lst if x is not None]


def family_sum(ns, version):
    s = [n.num_addresses for n in ns if n.version == version]
    return sum(s) if s else None


# --- running ------------------------------------------------------------------

def main():
    rng = harness.rng(SEED)
    case_rows = []
    block_rows = []
    groups = {k: [] for k in range(GROUPS)}
    for i in range(CASES):
        mode = rng.choice([4, 4, 6, 6, 'mixed'])
        a_in = rand_list(rng, mode)
        b_in = rand_list(rng, rng.choice([mode, 'mixed']))
        a, b = norm(nets(a_in)), norm(nets(b_in))
        mixed = len({n.version for n in a}) > 1
        count = None if mixed else sum(n.num_addresses for n in a)
        first, last = rand_range(rng)
        rng_cidrs = list(ip.summarize_address_range(first, last))
        merged = norm(nets(a_in)) if nets(a_in) else None
        # the set functions take cidr[]: the blocks of a_in, b_in
        a_cidr = [None if x is None else str(ip.ip_network(x, strict=False))
                  for x in a_in]
        b_cidr = [None if x is None else str(ip.ip_network(x, strict=False))
                  for x in b_in]
        case_rows.append([
            i, arr(a_cidr), arr(b_cidr),
            arr(a), arr(norm(a + b)), arr(intersect(a, b)), arr(except_(a, b)),
            'true' if mixed else 'false', count, first, last, arr(rng_cidrs),
            None if merged is None else arr(merged),
            family_sum(nets(a_in), 4), family_sum(nets(a_in), 6)])
        # aggregate input: the inet values themselves, host bits and all
        for x in a_in:
            block_rows.append((i, x))
        groups[i % GROUPS].extend(nets(a_in))

    # one wide group: many small blocks over 2^20 addresses, so that the
    # union has thousands of ranges and the state sorts big buffers
    wide = []
    for _ in range(WIDE):
        plen = rng.randint(26, 32)
        addr = ip.IPv4Address(V4_BASE + rng.getrandbits(20))
        wide.append(f'{addr}/{plen}')
    for x in wide:
        block_rows.append((-2, x))

    group_rows = []
    groups[-1] = [n for ns in list(groups.values()) for n in ns]   # all rows
    groups[-2] = nets(wide)
    for k, ns in groups.items():
        group_rows.append((k, arr(norm(ns)) if ns else None,
                           family_sum(ns, 4), family_sum(ns, 6)))

    script = f"""
SET client_min_messages = warning;
CREATE TABLE prop_case (id int, a cidr[], b cidr[], e_norm cidr[], e_union cidr[],
    e_inter cidr[], e_except cidr[], mixed bool, e_count numeric,
    r_first inet, r_last inet, e_range cidr[], e_merge cidr[],
    e_sum4 numeric, e_sum6 numeric);
CREATE TABLE prop_block (id int, block inet);
CREATE TABLE prop_group (k int, e_merge cidr[], e_sum4 numeric, e_sum6 numeric);
{harness.copy_block('prop_case', None, case_rows)}\
{harness.copy_block('prop_block', None, block_rows)}\
{harness.copy_block('prop_group', None, group_rows)}\
ANALYZE prop_case;
ANALYZE prop_block;
ALTER TABLE prop_block SET (parallel_workers = 2);
CREATE VIEW prop_agg AS
    SELECT c.id, cidr_merge(p.block) AS m,
           addr_sum(p.block) FILTER (WHERE family(p.block) = 4) AS s4,
           addr_sum(p.block) FILTER (WHERE family(p.block) = 6) AS s6
    FROM prop_case c LEFT JOIN prop_block p USING (id) GROUP BY c.id;
CREATE VIEW prop_bygroup AS
    SELECT id % {GROUPS} AS k, cidr_merge(block) AS m,
           addr_sum(block) FILTER (WHERE family(block) = 4) AS s4,
           addr_sum(block) FILTER (WHERE family(block) = 6) AS s6
    FROM prop_block WHERE id >= 0 GROUP BY 1
    UNION ALL
    SELECT -1, cidr_merge(block),
           addr_sum(block) FILTER (WHERE family(block) = 4),
           addr_sum(block) FILTER (WHERE family(block) = 6)
    FROM prop_block WHERE id >= 0
    UNION ALL
    SELECT -2, cidr_merge(block),
           addr_sum(block) FILTER (WHERE family(block) = 4),
           addr_sum(block) FILTER (WHERE family(block) = 6)
    FROM prop_block WHERE id = -2;
CREATE VIEW prop_check AS
SELECT 'cidr_union' AS fn, count(*) FILTER (WHERE cidr_union(a, b) IS DISTINCT FROM e_union) AS bad FROM prop_case
UNION ALL SELECT 'cidr_union(a, ''{{}}'') normalizes', count(*) FILTER (WHERE cidr_union(a, '{{}}') IS DISTINCT FROM e_norm) FROM prop_case
UNION ALL SELECT 'cidr_intersect', count(*) FILTER (WHERE cidr_intersect(a, b) IS DISTINCT FROM e_inter) FROM prop_case
UNION ALL SELECT 'cidr_except', count(*) FILTER (WHERE cidr_except(a, b) IS DISTINCT FROM e_except) FROM prop_case
UNION ALL SELECT 'addr_count', count(*) FILTER (WHERE addr_count(a) IS DISTINCT FROM e_count) FROM prop_case WHERE NOT mixed
UNION ALL SELECT 'range_to_cidrs', count(*) FILTER (WHERE ARRAY(SELECT range_to_cidrs(r_first, r_last)) IS DISTINCT FROM e_range) FROM prop_case
UNION ALL SELECT 'cidr_merge(cidr[]) of a and b', count(*) FILTER (WHERE (SELECT cidr_merge(s) FROM (VALUES (a), (b)) v(s)) IS DISTINCT FROM e_union) FROM prop_case
UNION ALL SELECT 'cidr_merge(inet) per case', count(*) FILTER (WHERE g.m IS DISTINCT FROM c.e_merge) FROM prop_case c JOIN prop_agg g USING (id)
UNION ALL SELECT 'addr_sum(inet) per case and family', count(*) FILTER (WHERE g.s4 IS DISTINCT FROM c.e_sum4 OR g.s6 IS DISTINCT FROM c.e_sum6) FROM prop_case c JOIN prop_agg g USING (id)
UNION ALL SELECT 'cidr_merge, addr_sum over {GROUPS} groups, all, {WIDE} wide', count(*) FILTER (WHERE g.m IS DISTINCT FROM e.e_merge OR g.s4 IS DISTINCT FROM e.e_sum4 OR g.s6 IS DISTINCT FROM e.e_sum6) FROM prop_group e FULL JOIN prop_bygroup g USING (k);
SELECT 'serial', fn, bad FROM prop_check;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT 'parallel', 'cidr_merge, addr_sum over {GROUPS} groups, all, {WIDE} wide', count(*) FILTER (WHERE g.m IS DISTINCT FROM e.e_merge OR g.s4 IS DISTINCT FROM e.e_sum4 OR g.s6 IS DISTINCT FROM e.e_sum6) FROM prop_group e FULL JOIN prop_bygroup g USING (k);
SELECT 'parallel', 'plan of the big groups', count(*) FROM (SELECT 1) x
WHERE (SELECT string_agg(l, ' ') FROM (SELECT * FROM pg_temp.plan_lines()) p(l)) LIKE '%Partial%Aggregate%';
"""
    # the plan check needs a helper: EXPLAIN as rows
    script = script.replace('SELECT \'serial\'', """CREATE FUNCTION pg_temp.plan_lines() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
    FOR l IN EXPLAIN (COSTS OFF) SELECT * FROM prop_bygroup LOOP RETURN NEXT l; END LOOP;
END $$;
SELECT 'serial'""", 1)
    out = harness.psql(script).stdout
    bad_total = 0
    print(f'property test: {CASES} random cases (seed {SEED}), '
          f'{len(block_rows)} aggregate rows, answers from Python ipaddress')
    print(f'  (the wide group: {len(norm(groups[-2]))} ranges in its union)')
    plan_ok = False
    for line in out.strip().split('\n'):
        mode, fn, bad = line.split('|')
        if fn == 'plan of the big groups':
            plan_ok = bad == '1'
            print(f'  {mode:8} {fn:55} {"Partial Aggregate" if plan_ok else "NOT PARALLEL"}')
            continue
        bad = int(bad)
        bad_total += bad
        print(f'  {mode:8} {fn:55} {bad} mismatches')
    if not plan_ok:
        print('the parallel check did not get a partial aggregate plan')
        bad_total += 1
    print(f'{harness.NAME}: every set function agrees with Python' if bad_total == 0
          else f'{harness.NAME}: FAILED: {bad_total} mismatches')
    return 1 if bad_total else 0


if __name__ == '__main__':
    harness.main(main)
