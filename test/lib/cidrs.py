"""CIDR blocks and sets in Python, from the standard library's ipaddress
only: the model that test/sets and test/freespace check the extension
against (their expected outputs and their property tests), and the random
inet that test/foundation, test/freespace and test/fuzz draw alike.
python3 stdlib only.

A set is a list of blocks (ipaddress networks; a string of blocks separated
by spaces is read with L); its normal form (norm) is collapsed, IPv4 first,
which is how the extension returns a set.
"""
import ipaddress as ip


def width(version):
    return 32 if version == 4 else 128


def N(s):
    """a block; an inet with host bits set counts as its network"""
    return ip.ip_network(s, strict=False)


def L(s):
    """a list of blocks from a space-separated string, or from a list of
    blocks and strings"""
    if isinstance(s, (list, tuple)):
        return [N(x) if isinstance(x, str) else x for x in s]
    return [N(x) for x in s.split()] if s else []


def net(version, addr, plen):
    """the /plen block of the given version holding address addr (an
    integer; bits beyond the address width are dropped)"""
    cls = ip.IPv4Network if version == 4 else ip.IPv6Network
    top = (1 << width(version)) - 1
    addr &= top
    addr &= ~((1 << (width(version) - plen)) - 1) & top
    return cls((addr, plen))


def norm(nets):
    """the normalized set: collapsed, IPv4 first"""
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    return list(ip.collapse_addresses(v4)) + list(ip.collapse_addresses(v6))


def intersect(a, b):
    """the addresses in both sets, normalized"""
    out = []
    for x in norm(L(a)):
        for y in norm(L(b)):
            if x.version == y.version and x.overlaps(y):
                # two CIDR blocks that overlap: one holds the other
                out.append(x if x.prefixlen >= y.prefixlen else y)
    return norm(out)


def except_(a, b):
    """the addresses of a not in b, normalized"""
    cur = norm(L(a))
    for y in norm(L(b)):
        nxt = []
        for x in cur:
            if x.version != y.version or not x.overlaps(y):
                nxt.append(x)
            elif not x.subnet_of(y):
                nxt.extend(x.address_exclude(y))
        cur = nxt
    return norm(cur)


def arr(xs):
    """a cidr[] (or inet[]) literal of blocks, None as NULL"""
    return '{' + ','.join('NULL' if x is None else str(x) for x in xs) + '}'


def rand_inet(rng, version=None):
    """a random inet as text ('addr/plen', host bits kept) anywhere in the
    address space: the version (4 or 6 when not given), then the address,
    then the prefix length, each uniform"""
    version = version or rng.choice((4, 6))
    w = width(version)
    cls = ip.IPv4Address if version == 4 else ip.IPv6Address
    addr = cls(rng.getrandbits(w))
    return '%s/%d' % (addr, rng.randint(0, w))
