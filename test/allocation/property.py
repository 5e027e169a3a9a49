#!/usr/bin/env python3
"""Property test of the run-out allocation functions.

Generates thousands of random cases (seeded: deterministic unless --seed),
computes each expected answer with the independent model in model.py, loads
inputs and expectations into the database in one COPY per table, and counts
in SQL (a) the answers that differ from the model and (b) the violations of
the policy's laws, checked by SQL alone:

  max_allocation   never a longer prefix than the minimum; when a share of
                   the pool holds a /minimum, the block fits in pool/share
                   and the next larger block would not; a larger pool never
                   gives a smaller block
  allocation_unit  recipients units never exceed the pool, twice the unit
                   would (unit <= pool/recipients < 2 * unit); NULL exactly
                   when pool/recipients is below a /minimum
  schedule         never hands out more than the pool (distributed plus what
                   finally remains is the pool), every row's unit is
                   allocation_unit of what remained at its start, periods
                   are consecutive from the one containing first_day
  allocation_period contains its date, 6 months long, starts 1 Mar or 1 Sep

Usage: property.py [--cases N] [--seed S]; the database is PGDATABASE's
(PGHOST etc. select the server); AP_SEED=S is --seed S.  Exits non-zero on
any mismatch.
"""
import argparse
import datetime
import os
import random
import sys
from fractions import Fraction

import model

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import harness  # noqa: E402


def random_pool(rng, width):
    """A pool of 1 .. 2^width addresses, biased towards the edges: powers of
    two, one either side, multiples of 4 and 5 of a power of two, and small
    pools around the /24 boundary."""
    kind = rng.randrange(8)
    k = rng.randrange(0, width + 1)
    if kind == 0:
        n = 2 ** k
    elif kind == 1:
        n = 2 ** k + rng.choice((-1, 1))
    elif kind == 2:
        n = rng.choice((4, 5)) * 2 ** max(k - 3, 0) + rng.choice((-1, 0, 1))
    elif kind == 3:
        n = rng.randrange(1, 3000)
    else:
        n = rng.randrange(1, 2 ** k + 1)
    return min(max(n, 1), 2 ** width)


def random_share(rng):
    """A share as the decimal text SQL receives (the model reads the same
    text exactly, as a Fraction)."""
    kind = rng.randrange(6)
    if kind <= 2:
        return "4"
    if kind == 3:
        return str(rng.choice((1, 2, 8, 16)))
    # a decimal with up to 6 places, 1 <= share < 100
    places = rng.randrange(0, 7)
    v = str(rng.randrange(10 ** places, 100 * 10 ** places)).rjust(places + 1, "0")
    return v if places == 0 else v[:-places] + "." + v[-places:]


def random_date(rng):
    lo = datetime.date(1, 3, 1).toordinal()
    hi = datetime.date(9999, 12, 31).toordinal()
    kind = rng.randrange(4)
    if kind == 0:               # around a boundary: Feb, 1 Mar, 31 Aug, 1 Sep
        y = rng.randrange(1, 10000)
        return rng.choice((datetime.date(y, 2, 28), datetime.date(y, 3, 1),
                           datetime.date(y, 8, 31), datetime.date(y, 9, 1),
                           datetime.date(y, 12, 31),
                           datetime.date(y, 3, 1) - datetime.timedelta(1)))
    return datetime.date.fromordinal(rng.randrange(lo, hi + 1))


def build(rng, cases):
    out = ["SET DateStyle = 'ISO, YMD';", "SET client_min_messages = warning;"]

    # max_allocation
    out.append("CREATE TEMP TABLE ma (pool numeric, minimum int, share numeric,"
               " family int, expected int);")
    out.append("COPY ma FROM STDIN;")
    for _ in range(cases):
        family = rng.choice((4, 4, 4, 6))
        width = model.WIDTH[family]
        pool = random_pool(rng, width)
        minimum = rng.choice((24, 24, 20, 22, rng.randrange(0, width + 1)))
        share = random_share(rng)
        exp = model.max_allocation(pool, minimum, Fraction(share), family)
        out.append("%d\t%d\t%s\t%d\t%d" % (pool, minimum, share, family, exp))
    out.append("\\.")

    # allocation_unit
    out.append("CREATE TEMP TABLE au (pool numeric, recipients int, minimum int,"
               " family int, expected int);")
    out.append("COPY au FROM STDIN;")
    for _ in range(cases):
        family = rng.choice((4, 4, 4, 6))
        width = model.WIDTH[family]
        pool = random_pool(rng, width)
        recipients = rng.choice((5, 5, 5, 1, 2, 3, rng.randrange(1, 1000),
                                 rng.randrange(1, 2 ** 31)))
        minimum = rng.choice((24, 24, 20, rng.randrange(0, width + 1)))
        exp = model.allocation_unit(pool, recipients, minimum, family)
        out.append("%d\t%d\t%d\t%d\t%s" % (pool, recipients, minimum, family, harness.copy_value(exp)))
    out.append("\\.")

    # allocation_schedule
    out.append("CREATE TEMP TABLE sc (id int, pool numeric, first_day date,"
               " recipients int, minimum int, expected text);")
    out.append("COPY sc FROM STDIN;")
    for i in range(max(cases // 5, 1)):
        pool = random_pool(rng, 32)
        first = random_date(rng)
        if first.year > 9980:   # the run-down may take 17 years
            first = first.replace(year=first.year - 30)
        recipients = rng.choice((5, 5, 5, 1, 2, rng.randrange(1, 100)))
        minimum = rng.choice((24, 24, 20, rng.randrange(0, 33)))
        exp = model.schedule_text(model.allocation_schedule(pool, first, recipients, minimum))
        out.append("%d\t%d\t%s\t%d\t%d\t%s" % (i, pool, first.isoformat(),
                                               recipients, minimum, exp))
    out.append("\\.")

    # allocation_period
    out.append("CREATE TEMP TABLE ap (d date, lo date, hi date);")
    out.append("COPY ap FROM STDIN;")
    for _ in range(cases):
        d = random_date(rng)
        lo, hi = model.allocation_period(d)
        out.append("%s\t%s\t%s" % (d.isoformat(), model.fmt_date(*lo),
                                   model.fmt_date(*hi)))
    out.append("\\.")

    # supply_months: every count, both kinds
    out.append("CREATE TEMP TABLE sm (n int, transfer bool, expected int);")
    out.append("COPY sm FROM STDIN;")
    for n in range(0, 257):
        for t in (False, True):
            out.append("%d\t%s\t%d" % (n, "t" if t else "f", model.supply_months(n, t)))
    out.append("\\.")

    out.append(CHECKS)
    return "\n".join(out) + "\n"


CHECKS = r"""
SELECT 'max_allocation cases', count(*) FROM ma;
SELECT 'max_allocation != model', count(*) FROM ma
 WHERE max_allocation(pool, minimum, share, family) IS DISTINCT FROM expected;
-- laws, SQL only: never longer than the minimum; when pool/share holds a
-- /minimum the block fits and twice the block would not; monotone in pool
SELECT 'max_allocation law: longer than minimum', count(*) FROM ma
 WHERE max_allocation(pool, minimum, share, family) > minimum;
SELECT 'max_allocation law: fits, double would not', count(*) FROM ma
 WHERE div(pool, share) >= prefix_size(minimum, family)
   AND NOT (prefix_size(max_allocation(pool, minimum, share, family), family) <= div(pool, share)
            AND (max_allocation(pool, minimum, share, family) = 0
                 OR 2 * prefix_size(max_allocation(pool, minimum, share, family), family) > div(pool, share)));
SELECT 'max_allocation law: a share below a /minimum gives the minimum', count(*) FROM ma
 WHERE div(pool, share) < prefix_size(minimum, family)
   AND max_allocation(pool, minimum, share, family) <> minimum;
SELECT 'max_allocation law: larger pool, smaller block', count(*) FROM ma
 WHERE pool < prefix_size(0, family)
   AND max_allocation(pool + 1, minimum, share, family) > max_allocation(pool, minimum, share, family);

SELECT 'allocation_unit cases', count(*) FROM au;
SELECT 'allocation_unit != model', count(*) FROM au
 WHERE allocation_unit(pool, recipients, minimum, family) IS DISTINCT FROM expected;
SELECT 'allocation_unit law: unit <= pool/recipients < 2 unit', count(*) FROM au
 WHERE allocation_unit(pool, recipients, minimum, family) IS NOT NULL
   AND NOT (recipients * prefix_size(allocation_unit(pool, recipients, minimum, family), family) <= pool
            AND (allocation_unit(pool, recipients, minimum, family) = 0
                 OR 2 * recipients::numeric * prefix_size(allocation_unit(pool, recipients, minimum, family), family) > pool));
SELECT 'allocation_unit law: NULL exactly below a /minimum', count(*) FROM au
 WHERE (allocation_unit(pool, recipients, minimum, family) IS NULL)
       <> (div(pool, recipients) < prefix_size(minimum, family));

SELECT 'schedule cases', count(*) FROM sc;
SELECT 'schedule != model', count(*) FROM sc
 WHERE expected IS DISTINCT FROM (
    SELECT string_agg(concat_ws('|', lower(s.period), upper(s.period),
                                coalesce(s.unit_masklen::text, ''),
                                coalesce(s.unit_addresses::text, ''),
                                s.distributed, s.remaining), ';'
                      ORDER BY lower(s.period))
    FROM allocation_schedule(sc.pool, sc.first_day, sc.recipients, sc.minimum) s);
WITH r AS (
    SELECT sc.id, sc.pool, sc.first_day, sc.recipients, sc.minimum, s.*,
           row_number() OVER w AS n, count(*) OVER (PARTITION BY sc.id) AS rows,
           coalesce(lag(s.remaining) OVER w, sc.pool) AS before,
           lag(upper(s.period)) OVER w AS prev_upper
    FROM sc, allocation_schedule(sc.pool, sc.first_day, sc.recipients, sc.minimum) s
    WINDOW w AS (PARTITION BY sc.id ORDER BY lower(s.period)))
SELECT 'schedule law violations', count(*) FROM r
 WHERE remaining <> before - distributed
    OR distributed > before
    OR (n < rows) <> (distributed > 0)
    OR (n = rows AND (unit_masklen IS NOT NULL OR distributed <> 0))
    OR (n < rows AND (distributed <> recipients * unit_addresses
                      OR unit_addresses <> prefix_size(unit_masklen)
                      OR unit_masklen IS DISTINCT FROM allocation_unit(before, recipients, minimum)))
    OR (n = rows AND before > 0 AND allocation_unit(before, recipients, minimum) IS NOT NULL)
    OR (n = 1 AND NOT period @> first_day)
    OR (n > 1 AND lower(period) <> prev_upper)
    OR rows > 33;
SELECT 'schedule law: hands out more than the pool', count(*) FROM (
    SELECT sc.id, sc.pool, sum(s.distributed) AS total, min(s.remaining) AS left_over
    FROM sc, allocation_schedule(sc.pool, sc.first_day, sc.recipients, sc.minimum) s
    GROUP BY sc.id, sc.pool) t
 WHERE total > pool OR total + left_over <> pool;

SELECT 'allocation_period cases', count(*) FROM ap;
SELECT 'allocation_period != model', count(*) FROM ap
 WHERE allocation_period(d) IS DISTINCT FROM daterange(lo, hi, '[)');
SELECT 'allocation_period law violations', count(*) FROM ap
 WHERE NOT allocation_period(d) @> d
    OR upper(allocation_period(d)) <> (lower(allocation_period(d)) + interval '6 months')::date
    OR to_char(lower(allocation_period(d)), 'MM-DD') NOT IN ('03-01', '09-01');

SELECT 'supply_months cases', count(*) FROM sm;
SELECT 'supply_months != model', count(*) FROM sm
 WHERE supply_months(n, transfer) IS DISTINCT FROM expected;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=harness.seed(20090831))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    script = build(rng, args.cases)
    res = harness.psql(script, sep="\t")

    bad = 0
    print("seed %d, %d cases per function" % (args.seed, args.cases))
    for line in res.stdout.splitlines():
        if not line.strip():
            continue
        label, count = line.rsplit("\t", 1)
        count = int(count)
        failing = ("!=" in label or "law" in label) and count != 0
        bad += failing
        print("  %-62s %8d%s" % (label, count, "  <-- FAIL" if failing else ""))
    if bad:
        print("allocation: FAILED: %d check(s) found mismatches" % bad)
        return 1
    print("allocation: every answer matches the model and every law holds")
    return 0


if __name__ == "__main__":
    harness.main(main)
