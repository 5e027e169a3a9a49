#!/usr/bin/env bash
# test/docs/check.sh — the documentation's examples are tested: every ```sql
# (or ```sh) block of README.md and doc/*.md that is followed by an output
# block is run, and its output must be what the page shows (the convention is
# in test/docs/check.py and CONTRIBUTING.md).
#
# One database per page (ap_docs_<page>_<pid>), each created and dropped by
# check.py; exits non-zero on any difference, printing file:line and a diff.
# The same in quick and full mode: every example takes well under a second
# but the RIR loads, and the whole run a few seconds.  Arguments pass
# through (check.py --list; one page: check.py doc/sets.md).
. "$(dirname "$0")/../lib/harness.sh"
python3 test/docs/check.py "$@"
