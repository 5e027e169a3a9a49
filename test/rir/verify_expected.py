#!/usr/bin/env python3
"""Check expected/rir_stats.out against an independent Python computation.

Every result in sql/rir_stats.sql sits under a "-- py: NAME" comment; this
script recomputes the tables of NAME from the excerpt files with model.py
(ipaddress, fractions, decimal) and compares them cell by cell with the
tables printed under the comment in the expected output.  For the bad files
it checks that each error names the right line (found by model.py's own
reading of the format), prints that line's text, and says what is wrong.

The expected output is read with test/lib/pg_expected.py.

usage: test/rir/verify_expected.py [expected/rir_stats.out]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import model  # noqa: E402
import pg_expected  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
os.chdir(root)
out = sys.argv[1] if len(sys.argv) > 1 else 'expected/rir_stats.out'
lines = pg_expected.read(out)

afrinic = model.File('test/rir/delegated-afrinic-excerpt')
lacnic = model.File('test/rir/delegated-lacnic-excerpt')

# the tables each check must print, in order
want = {
    'load_afrinic': [model.load_summary(afrinic)],
    'delegation_afrinic': [model.delegation_rows(afrinic)],
    'blocks_afrinic': [model.block_rows(afrinic)],
    'load_lacnic': [model.load_summary(lacnic)],
    'delegation_lacnic': [model.delegation_rows(lacnic)],
    'files': [[model.file_row(afrinic), model.file_row(lacnic)]],
    'counts': [[model.row('afrinic', len(afrinic.delegations), len(afrinic.blocks)),
                model.row('lacnic', len(lacnic.delegations), len(lacnic.blocks))]],
    'report': model.report([afrinic, lacnic]),
    'report_lacnic': model.report([lacnic]),
}

# the sections: from one "-- py:" comment to the next
sections = pg_expected.sections(lines, 'py')

ok = True
seen = set()
for name, a, b in sections:
    seen.add(name)
    body = lines[a + 1:b]
    if name == 'errors':
        # "-- test/rir/bad/NAME" then ERROR / DETAIL / HINT lines
        files = [(k, l[3:]) for k, l in enumerate(body) if l.startswith('-- test/rir/bad/')]
        if len(files) != len(os.listdir('test/rir/bad')):
            print('errors: %d bad files shown, %d in test/rir/bad'
                  % (len(files), len(os.listdir('test/rir/bad'))))
            ok = False
        for k, path in files:
            err = body[k + 1]
            detail = body[k + 2]
            no, word = model.first_problem(path)
            text = open(path, encoding='utf-8').read().split('\n')[no - 1]
            good = (err.startswith('ERROR:  line %d: ' % no) and word in err
                    and detail == 'DETAIL:  Line %d of %s: %s' % (no, path, text))
            if not good:
                print('errors: %s: want line %d (%s), got\n  %s\n  %s' % (path, no, word, err, detail))
                ok = False
        continue
    if name not in want:
        print('no model for "-- py: %s"' % name)
        ok = False
        continue
    got = pg_expected.tables(body)
    exp = want[name]
    if len(got) != len(exp):
        print('%s: %d tables printed, %d expected' % (name, len(got), len(exp)))
        ok = False
        continue
    for k, ((header, rows), w) in enumerate(zip(got, exp)):
        label = name if len(exp) == 1 else '%s / %s' % (name, model.REPORT_TITLES[k])
        ok &= model.compare(label, rows, w)

missing = set(want) - seen
if missing:
    print('checks never used:', ', '.join(sorted(missing)))
    ok = False
# every table of the file is under a check
tables = len(pg_expected.tables(lines))
checked = sum(len(pg_expected.tables(lines[a + 1:b])) for _, a, b in sections)
if tables != checked:
    print('%d tables, %d under a "-- py:" check' % (tables, checked))
    ok = False
print('rir_stats expected output: %s' % ('every value agrees with Python' if ok else 'MISMATCHES'))
sys.exit(0 if ok else 1)
