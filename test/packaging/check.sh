#!/usr/bin/env bash
# test/packaging/check.sh — the version is said in four places, and the
# supported PostgreSQL versions in five (src/compat.h's floor, META.json,
# debian/pgversions, README.md, CONTRIBUTING.md); each agrees.
# (Needs no server; runs in make test with the other harnesses, the same in
# quick and full mode.)
. "$(dirname "$0")/../lib/harness.sh"
python3 - <<'PY'
import json, re, sys, os
ok = True
def fail(msg):
    global ok
    ok = False
    print("FAIL:", msg)
control = open("addrpolicy.control").read()
m = re.search(r"^default_version\s*=\s*'([^']+)'", control, re.M)
default_version = m.group(1)
meta = json.load(open("META.json"))
norm = lambda v: re.sub(r"(\.0)+$", "", v)
if norm(meta["version"]) != norm(default_version):
    fail(f"META.json version {meta['version']} != control default_version {default_version}")
prov = meta["provides"]["addrpolicy"]
if norm(prov["version"]) != norm(default_version):
    fail(f"META.json provides version {prov['version']} != {default_version}")
# a fresh default_version is its own install script or the base script plus
# the upgrade chain (CREATE EXTENSION walks it); META.json names the script
# a fresh install starts from
if not re.fullmatch(r"addrpolicy--[0-9.]+\.sql", prov["file"]) or not os.path.exists(prov["file"]):
    fail(f"META.json provides file {prov['file']} is not an install script of the tree")
if not (os.path.exists(f"addrpolicy--{default_version}.sql")
        or any(re.fullmatch(rf"addrpolicy--[0-9.]+--{re.escape(default_version)}\.sql", f)
               for f in os.listdir("."))):
    fail(f"no install script and no upgrade script reaches {default_version}")
if re.search(r"^\s*schema\s*=", control, re.M):
    fail("addrpolicy.control fixes a schema: CREATE EXTENSION ... SCHEMA s must work")
# supported versions: the floor of src/compat.h is the one truth
floor = int(re.search(r"#if PG_VERSION_NUM < (\d+)0000", open("src/compat.h").read()).group(1))
req = meta["prereqs"]["runtime"]["requires"]["PostgreSQL"]
if int(req.split(".")[0]) != floor:
    fail(f"META.json requires PostgreSQL {req}, src/compat.h's floor is {floor}")
pgv = open("debian/pgversions").read().split()
if pgv != [f"{floor}+"]:
    fail(f"debian/pgversions says {pgv}, src/compat.h's floor is {floor}")
for doc in ("README.md", "CONTRIBUTING.md"):
    text = open(doc).read()
    claims = re.findall(r"PostgreSQL (\d+) (?:and later|or later|\+)", text)
    ranges = re.findall(r"PostgreSQL (\d+) (?:to|-|–) (\d+)", text)
    if doc == "README.md" and not claims:
        fail("README.md does not say 'PostgreSQL N and later'")
    for c in claims:
        if int(c) != floor:
            fail(f"{doc} says PostgreSQL {c} and later, src/compat.h's floor is {floor}")
    for lo, hi in ranges:
        if int(lo) < floor:
            fail(f"{doc} claims PostgreSQL {lo} to {hi}, below the floor {floor}")
if not os.path.exists(prov["docfile"]):
    fail(f"META.json docfile {prov['docfile']} does not exist")
ch = open("debian/changelog").readline()
m = re.match(r"addrpolicy \(([^)-]+)", ch)
if not m or norm(m.group(1)) != norm(default_version):
    fail(f"debian/changelog's first version {m and m.group(1)} != {default_version}")
for key in ("name", "abstract", "version", "maintainer", "license", "provides", "meta-spec"):
    if key not in meta:
        fail(f"META.json lacks {key}")
if "trusted = true" not in control:
    fail("addrpolicy.control is not trusted")
if ok:
    print("packaging: version", default_version, "agrees in control, META.json, debian/changelog;",
          f"PostgreSQL {floor}+ in src/compat.h, META.json, debian/pgversions, README.md")
else:
    print("packaging: FAILED")
sys.exit(0 if ok else 1)
PY
