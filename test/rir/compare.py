#!/usr/bin/env python3
"""Load a whole delegated-extended file with examples/rir-stats/load.sql,
run report.sql for its registry, and compare every table (load summary,
free pool size and blocks, 2009-8 and IANA figures, fragmentation, the top
holders' totals, the years) with model.py's independent computation from
the raw file.  Prints the load time and the key figures; exits 1 on any
difference.

usage: test/rir/compare.py FILE   (the database of PGDATABASE)
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, '..', 'lib'))
import harness  # noqa: E402
import model  # noqa: E402
import pg_expected  # noqa: E402

root = os.path.join(here, '..', '..')


def main():
    path = sys.argv[1]
    t0 = time.monotonic()
    f = model.File(path)
    t_model = time.monotonic() - t0

    # the scripts of the tree, aligned output with the errors in it
    t0 = time.monotonic()
    loaded = harness.psql(None, '-v', 'file=' + os.path.abspath(path), '-f',
                          'examples/rir-stats/load.sql', aligned=True, stop=False,
                          merge=True, cwd=root, what='load.sql').stdout
    t_load = time.monotonic() - t0
    report = harness.psql(None, '-v', 'registry=' + f.registry, '-f',
                          'examples/rir-stats/report.sql', aligned=True, stop=False,
                          merge=True, cwd=root, what='report.sql').stdout

    ok = True
    got = pg_expected.tables(loaded.split('\n'))
    ok &= len(got) == 1 and model.compare('%s load summary' % f.registry, got[0][1],
                                          model.load_summary(f))
    got = pg_expected.tables(report.split('\n'))
    want = model.report([f])
    if len(got) != len(want):
        print('%s report: %d tables, %d expected' % (f.registry, len(got), len(want)))
        ok = False
    else:
        for (header, rows), w, title in zip(got, want, model.REPORT_TITLES):
            ok &= model.compare('%s report / %s' % (f.registry, title), rows, w)

    ds = f.delegations
    pool4 = want[1][0] if want[1] else ['', '0', '0', '', '', '']
    top4 = want[5][0] if want[5] else ['', '', '-', '0']
    top6 = want[6][0] if want[6] else ['', '', '-', '0']
    print('%s %s: %d IPv4 and %d IPv6 records (%d CIDR blocks) loaded in %.2f s'
          % (f.registry, f.version[2], sum(d['family'] == 4 for d in ds),
             sum(d['family'] == 6 for d in ds), len(f.blocks), t_load))
    print('  free IPv4 pool %s addresses in %s blocks (largest %s): 2009-8 maximum %s, IANA unit %s'
          % (pool4[2], pool4[1], pool4[3], pool4[4], pool4[5]))
    print('  largest holders: IPv4 %s with %s addresses, IPv6 %s with %s /32s'
          % (top4[2], top4[3], top6[2], top6[3]))
    print('%s: %s %s: %d tables, %s (model: %.1f s)'
          % (harness.NAME, f.registry, f.version[2], len(want) + 1,
             'every row as Python computes it from the raw file' if ok else 'FAILED: they DIFFER',
             t_model))
    return 0 if ok else 1


if __name__ == '__main__':
    harness.main(main)
