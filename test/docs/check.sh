#!/usr/bin/env bash
# test/docs/check.sh — the documentation's examples are tested: every ```sql
# (or ```sh) block of README.md and doc/*.md that is followed by an output
# block is run, and its output must be what the page shows (the convention is
# in test/docs/check.py and CONTRIBUTING.md).
#
# Runs inside a cluster (PGHOST etc. set), one database per page, each
# created and dropped here; exits non-zero on any difference, printing
# file:line and a diff.  The same in quick (AP_QUICK=1) and full mode: every
# example takes well under a second but the RIR loads, and the whole run a
# few seconds.  Arguments pass through (check.py --list; one page: check.py
# doc/sets.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 test/docs/check.py "$@"
