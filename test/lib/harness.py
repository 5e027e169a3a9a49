"""test/lib/harness.py — the Python half of the harness library (the shell
half is harness.sh; the convention is in test/lib/README.md).  python3
stdlib only.  A harness's script puts this directory on its path:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
    import harness

NAME                 the harness: the name of the script's directory
quick()              True when AP_QUICK=1 (make test), else the full size
seed(default)        AP_SEED when set, else default (an int)
rng(default)         random.Random(seed(default)): a harness's one seeded
                     generator, so that AP_SEED=N repeats or varies a run
dbname(tag)          ap_<NAME>_<tag>_<pid>: a database of this process
createdb(name), dropdb(name)  in the cluster of PGHOST etc. (drop: --force)
psql(sql, *args, db=, sep=, aligned=, stop=, check=, merge=, what=, **kw)
                     psql -X -q [-A -t] [-F sep] [-v ON_ERROR_STOP=1]
                     [-d db] ARGS with sql on standard input (none: stdin
                     is /dev/null); the database is db, else PGDATABASE;
                     returns the CompletedProcess (text); check: a non-zero
                     exit raises PsqlError
lines(sql, ...)      psql's non-empty output lines
copy_value(v), copy_block(table, cols, rows)  COPY ... FROM stdin text
main(fn)             sys.exit(fn()), a PsqlError printed (not a traceback)
"""
import os
import random
import re
import subprocess
import sys

NAME = os.path.basename(os.path.dirname(os.path.abspath(sys.argv[0])))

CRASHED = re.compile(r'server closed the connection|terminated abnormally'
                     r'|connection to server')


def quick():
    return os.environ.get('AP_QUICK') == '1'


def seed(default):
    return int(os.environ.get('AP_SEED') or default)


def rng(default):
    return random.Random(seed(default))


def dbname(tag):
    return 'ap_%s_%s_%d' % (NAME, tag, os.getpid())


class PsqlError(RuntimeError):
    def __init__(self, p, what=None):
        self.returncode = p.returncode
        self.stderr = p.stderr or p.stdout or ''
        self.crashed = bool(CRASHED.search(self.stderr))
        super().__init__('psql failed%s (exit %d)%s:\n%s' % (
            ' in ' + what if what else '', p.returncode,
            ' -- THE BACKEND CRASHED' if self.crashed else '',
            self.stderr.strip()[-3000:]))


def argv(*args, db=None, sep=None, aligned=False, stop=True):
    """psql's command line (see psql())"""
    cmd = ['psql', '-X', '-q']
    if not aligned:
        cmd += ['-A', '-t']
    if sep is not None:
        cmd += ['-F', sep]
    if stop:
        cmd += ['-v', 'ON_ERROR_STOP=1']
    if db:
        cmd += ['-d', db]
    return cmd + list(args)


def psql(sql=None, *args, db=None, sep=None, aligned=False, stop=True,
         check=True, merge=False, what=None, **kw):
    """sql on psql's standard input; merge: its standard error into its
    output (in order, as a terminal shows them); kw: subprocess.run's (env,
    cwd, timeout)"""
    p = subprocess.run(argv(*args, db=db, sep=sep, aligned=aligned, stop=stop),
                       input=sql, stdin=subprocess.DEVNULL if sql is None else None,
                       stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT if merge else subprocess.PIPE,
                       text=True, **kw)
    if check and p.returncode != 0:
        raise PsqlError(p, what)
    return p


def lines(sql, *args, **kw):
    return [line for line in psql(sql, *args, **kw).stdout.splitlines() if line != '']


def createdb(name):
    subprocess.run(['createdb', name], check=True)


def dropdb(name):
    subprocess.run(['dropdb', '--if-exists', '--force', name],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def copy_value(v):
    """a value as COPY's text format writes it (None: NULL)"""
    if v is None:
        return '\\N'
    return str(v).replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')


def copy_block(table, cols, rows):
    """COPY table [(cols)] FROM stdin with its rows, ready for psql"""
    body = '\n'.join('\t'.join(copy_value(v) for v in r) for r in rows)
    return 'COPY %s%s FROM stdin;\n%s\n\\.\n' % (
        table, ' (%s)' % ', '.join(cols) if cols else '', body)


def main(fn):
    try:
        rc = fn()
    except PsqlError as e:
        print('%s: %s' % (NAME, e))
        rc = 1
    sys.exit(rc)
