"""An independent model of examples/rir-stats/load.sql and report.sql.

Reads a delegated-extended file with plain Python (str.split, ipaddress,
fractions, decimal: the standard library only) and computes every table the
load summary and the report print, as lists of rows of strings formatted as
psql prints them.  test/lib/pg_expected.py's tables() reads psql's aligned
output back, so the two can be compared cell by cell.  Used by verify_expected.py (the
regression suite's expected output) and compare.py (whole files loaded into
a database).
"""
import datetime
import ipaddress as ip
import re
from collections import Counter, defaultdict
from decimal import Decimal, ROUND_HALF_UP, localcontext
from fractions import Fraction

HELD = ('allocated', 'assigned')


# --- reading a file ---------------------------------------------------------

class File:
    """one delegated-extended file: version line, summaries, records"""

    def __init__(self, path, build=True):
        self.path = path
        text = open(path, encoding='utf-8').read()
        lines = text.split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        self.lines = lines
        self.version = None
        self.summaries = []
        self.records = []          # (line number, fields)
        for no, line in enumerate(lines, 1):
            if line.strip() == '' or line.lstrip().startswith('#'):
                continue
            f = line.split('|')
            if self.version is None:
                self.version = f
            elif len(f) == 6 and f[5] == 'summary':
                self.summaries.append(f)
            else:
                self.records.append((no, f))
        if build:
            self.build()

    def build(self):
        self.registry = self.version[1]
        self.delegations = []      # dicts, as rir_delegation
        self.blocks = []           # dicts, as rir_block
        for no, f in self.records:
            if f[2] not in ('ipv4', 'ipv6'):
                continue
            fam = 4 if f[2] == 'ipv4' else 6
            first = ip.ip_address(f[3])
            value = int(f[4])
            d = dict(registry=f[0], cc=f[1] or None, family=fam, first=first,
                     value=value, date=date(f[5]), status=f[6],
                     org=(f[7] if len(f) > 7 and f[7] != '' else None))
            self.delegations.append(d)
            if fam == 4:
                nets = ip.summarize_address_range(first, first + (value - 1))
            else:
                nets = [ip.ip_network('%s/%d' % (f[3], value))]   # strict
            for n in nets:
                self.blocks.append(dict(registry=d['registry'], family=fam, block=n,
                                        status=d['status'], org=d['org'],
                                        date=d['date']))


def date(s):
    if s in ('', '00000000'):
        return None
    return datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


# --- formatting as psql prints ----------------------------------------------

def fmt(v):
    if v is None:
        return ''
    if isinstance(v, Decimal):
        s = format(v, 'f')
        if '.' in s:
            s = s.rstrip('0').rstrip('.')
        return s
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)


def row(*vals):
    return [fmt(v) for v in vals]


def slash32s(addresses):
    """addresses / 2^96, rounded half up to 6 decimals, trailing zeros off"""
    with localcontext() as ctx:
        ctx.prec = 200
        exact = Decimal(addresses) / Decimal(2 ** 96)   # exact: a power of 2
        return exact.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP)


def count(nets):
    return sum(n.num_addresses for n in ip.collapse_addresses(nets))


# --- the policies (from the texts, not from the extension) -------------------

def prefix_at_most(n, bits):
    """longest prefix whose block holds at most n addresses (n >= 1)"""
    e = (n.numerator // n.denominator).bit_length() - 1      # 2^e <= n < 2^(e+1)
    return max(bits - e, 0)


def max_allocation(pool, minimum, bits):
    """2009-8: the next whole CIDR prefix <= a quarter of the pool, but no
    longer than the minimum allocation"""
    q = Fraction(pool, 4)
    if q < 1:
        return minimum
    return min(prefix_at_most(q, bits), minimum)


def allocation_unit(pool, minimum, bits):
    """IANA: a fifth of the pool rounded down to a CIDR block; none below
    the minimum"""
    u = Fraction(pool, 5)
    if u < 2 ** (bits - minimum):
        return None
    return prefix_at_most(u, bits)


# --- the tables --------------------------------------------------------------

def load_summary(f):
    out = []
    for fam in (4, 6):
        ds = [d for d in f.delegations if d['family'] == fam]
        bs = [b for b in f.blocks if b['family'] == fam]
        if ds:
            out.append(row(f.registry, f.version[2], fam, len(ds), len(bs),
                           sum(1 for d in ds if d['status'] == 'available')))
    return out


def delegation_rows(f):
    ds = sorted(f.delegations, key=lambda d: (d['family'], int(d['first'])))
    return [row(d['registry'], d['cc'], d['family'], d['first'], d['value'],
                d['date'], d['status'], d['org']) for d in ds]


def block_rows(f):
    bs = sorted(f.blocks, key=lambda b: (b['family'], int(b['block'].network_address),
                                         b['block'].prefixlen))
    return [row(b['registry'], b['family'], b['block'], b['status'], b['org'], b['date'])
            for b in bs]


def file_row(f, path=True):
    v = f.version
    r = [v[1], v[0], v[2], int(v[3]), date(v[4]), date(v[5]), v[6]]
    if path:
        r.append(f.path)
    return row(*r)


def report(files):
    """the tables report.sql prints, files sorted by registry"""
    files = sorted(files, key=lambda f: f.registry)
    t_files = [file_row(f, path=False) for f in files]
    t_pool4, t_pool6, t_frag4, t_frag6, t_hold4, t_hold6, t_year = [], [], [], [], [], [], []
    for f in files:
        reg = f.registry
        for fam, bits, minimum in ((4, 32, 24), (6, 128, 48)):
            free = [b['block'] for b in f.blocks
                    if b['family'] == fam and b['status'] == 'available']
            if not free:
                continue
            merged = list(ip.collapse_addresses(free))
            size = sum(n.num_addresses for n in merged)
            largest = min(merged, key=lambda n: (n.prefixlen, int(n.network_address)))
            cells = [reg, len(merged), size if fam == 4 else slash32s(size), largest]
            if fam == 4:
                # the run-out rules are IPv4 policies: report.sql applies
                # them to the IPv4 pool only
                unit = allocation_unit(size, minimum, bits)
                cells += ['/%d' % max_allocation(size, minimum, bits),
                          'none' if unit is None else '/%d' % unit]
            (t_pool4 if fam == 4 else t_pool6).append(row(*cells))
            for m, k in sorted(Counter(n.prefixlen for n in merged).items()):
                a = k * 2 ** (bits - m)
                (t_frag4 if fam == 4 else t_frag6).append(
                    row(reg, '/%d' % m, k, a if fam == 4 else slash32s(a)))
        for fam in (4, 6):
            by_org = defaultdict(list)
            for b in f.blocks:
                if b['family'] == fam and b['status'] in HELD and b['org'] is not None:
                    by_org[b['org']].append(b)
            ranked = sorted(((count([b['block'] for b in bs]), org, bs)
                             for org, bs in by_org.items()), key=lambda t: (-t[0], t[1]))
            for rank, (a, org, bs) in enumerate(ranked[:20], 1):
                dates = [b['date'] for b in bs if b['date'] is not None]
                (t_hold4 if fam == 4 else t_hold6).append(
                    row(reg, rank, org, a if fam == 4 else slash32s(a), len(bs),
                        min(dates) if dates else None, max(dates) if dates else None))
        years = sorted({d['date'].year for d in f.delegations
                        if d['status'] in HELD and d['date'] is not None})
        for y in years:
            ds = [d for d in f.delegations
                  if d['status'] in HELD and d['date'] is not None and d['date'].year == y]
            bs = [b for b in f.blocks
                  if b['status'] in HELD and b['date'] is not None and b['date'].year == y]
            t_year.append(row(reg, y,
                              sum(1 for d in ds if d['family'] == 4),
                              count([b['block'] for b in bs if b['family'] == 4]),
                              sum(1 for d in ds if d['family'] == 6),
                              slash32s(count([b['block'] for b in bs if b['family'] == 6]))))
    return [t_files, t_pool4, t_pool6, t_frag4, t_frag6, t_hold4, t_hold6, t_year]


REPORT_TITLES = ['files', 'IPv4 free pool', 'IPv6 free pool', 'IPv4 fragmentation',
                 'IPv6 fragmentation', 'IPv4 holders', 'IPv6 holders', 'per year']


# --- the first bad line, by the format's rules ---------------------------------

def first_problem(path):
    """(line number, words the error must contain) of the first bad line,
    or None.  The format's rules, judged with ipaddress and datetime, in
    the order load.sql applies them: first what can be seen in a line's
    text, then the counts of the summary lines, then the values PostgreSQL
    must read (an IPv6 address, a prefix, a calendar date)."""
    f = File(path, build=False)
    v = f.version
    if v is None:
        return (None, 'no version line')
    vno = next(no for no, line in enumerate(f.lines, 1)
               if line.strip() and not line.lstrip().startswith('#'))
    if len(v) < 7 or not re.fullmatch(r'[0-9]+(\.[0-9]+)*', v[0]):
        return (vno, 'not a version line')
    reg = v[1]
    hexchars = set('0123456789abcdefABCDEF:.')
    for no, line in enumerate(f.lines, 1):
        if no <= vno or line.strip() == '' or line.lstrip().startswith('#'):
            continue
        r = line.split('|')
        if len(r) == 6 and r[5] == 'summary':
            if (r[0] != reg or r[1] != '*' or r[3] != '*'
                    or r[2] not in ('asn', 'ipv4', 'ipv6') or not r[4].isdigit()):
                return (no, 'not a summary line')
            continue
        if len(r) < 7:
            return (no, '%d fields' % len(r))
        if r[0] != reg:
            return (no, 'registry "%s"' % r[0])
        if r[2] not in ('asn', 'ipv4', 'ipv6'):
            return (no, 'unknown type')
        if r[2] == 'asn':
            continue
        if r[6] not in ('allocated', 'assigned', 'available', 'reserved'):
            return (no, 'unknown status')
        if not (r[5] == '' or (len(r[5]) == 8 and r[5].isdigit())):
            return (no, 'is not YYYYMMDD')
        if not r[4].isdigit():
            return (no, 'is not a whole number')
        n = int(r[4])
        if r[2] == 'ipv4':
            try:
                first = ip.IPv4Address(r[3])
            except ValueError:
                return (no, 'is not an IPv4 address')
            if n == 0:
                return (no, '0 addresses')
            if int(first) + n > 2 ** 32:
                return (no, 'run past 255.255.255.255')
        else:
            if ':' not in r[3] or not set(r[3]) <= hexchars:
                return (no, 'is not an IPv6 address')
            if n > 128:
                return (no, 'not in 0..128')
    for no, line in enumerate(f.lines, 1):
        s = line.split('|')
        if no > vno and len(s) == 6 and s[5] == 'summary':
            found = sum(1 for _, r in f.records if r[2] == s[2])
            if found != int(s[4]):
                return (no, '%s records announced, %d in the file' % (s[4], found))
    if int(v[3]) != len(f.records):
        return (vno, '%s records announced, %d in the file' % (v[3], len(f.records)))
    for no, r in f.records:
        if r[2] == 'ipv6':
            try:
                ip.IPv6Address(r[3])
            except ValueError:
                return (no, 'is not an IPv6 address')
            try:
                ip.IPv6Network('%s/%s' % (r[3], r[4]))
            except ValueError:
                return (no, 'is not a prefix')
        if r[2] != 'asn':
            try:
                date(r[5])
            except ValueError:
                return (no, 'is not a valid date')
    return None


def compare(name, got, want):
    """print the differences; True when equal"""
    if got == want:
        return True
    print('MISMATCH in %s:' % name)
    for k in range(max(len(got), len(want))):
        g = got[k] if k < len(got) else None
        w = want[k] if k < len(want) else None
        if g != w:
            print('  row %d: got  %s' % (k + 1, g))
            print('  row %d: want %s' % (k + 1, w))
    return False
