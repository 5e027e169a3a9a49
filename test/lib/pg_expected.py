"""Reading pg_regress expected output (psql's aligned format) for the Python
checks of expected/*.out (test/sets, test/freespace).  python3 stdlib only."""
import re

SEP = re.compile(r'^-+(\+-+)*$')
COUNT = re.compile(r'^\((\d+) rows?\)$')


def results(lines, i):
    """the next result at or after line i: ('rows', [cells...], at, end)
    or ('error', message, at, end); (None, None, i, i) at a '-- py:' line
    or the end"""
    while i < len(lines):
        line = lines[i]
        if line.startswith('ERROR:  '):
            return 'error', line[len('ERROR:  '):], i, i + 1
        if line.startswith('-- py:'):
            return None, None, i, i
        if SEP.match(line) and i > 0 and lines[i - 1].startswith(' '):
            rows = []
            j = i + 1
            while j < len(lines) and not COUNT.match(lines[j]):
                rows.append([c.strip() for c in lines[j].split(' | ')]
                            if ' | ' in lines[j] else [lines[j].strip()])
                j += 1
            return 'rows', rows, i, j + 1
        i += 1
    return None, None, i, i
