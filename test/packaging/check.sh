#!/usr/bin/env bash
# test/packaging/check.sh — the version is said in four places; they agree.
# (Needs no server; runs in make test with the other harnesses.)
set -euo pipefail
cd "$(dirname "$0")/../.."
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
if prov["file"] != f"addrpolicy--{default_version}.sql":
    fail(f"META.json provides file {prov['file']} is not the {default_version} install script")
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
print("packaging: version", default_version, "agrees in control, META.json, debian/changelog" if ok else "")
sys.exit(0 if ok else 1)
PY
