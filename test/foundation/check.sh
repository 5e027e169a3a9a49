#!/usr/bin/env bash
# test/foundation/check.sh — property test of issue 2's functions (run by
# `make test` inside the throw-away cluster with AP_QUICK=1: a few thousand
# seeded cases per function; unset AP_QUICK for ten times as many).
# Creates and drops its own database.  Extra arguments go to props.py
# (--seed N, --scale X).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=ap_foundation_$$
createdb "$db"
trap 'dropdb --if-exists --force "$db" >/dev/null 2>&1 || true' EXIT
PGDATABASE=$db python3 "$here/props.py" "$@"
