#!/usr/bin/env bash
# test/assert/check.sh — the pg_regress suites against a build of the
# extension with its own Assert()s enabled (-DUSE_ASSERT_CHECKING): a copy of
# the tree is built in a temporary directory (test/assert/build.sh: every
# object compiled afresh, -Werror, and every object whose source has an
# Assert() checked to reference ExceptionalCondition), installed into a
# private prefix, and loaded through extension_destdir (a Debian PostgreSQL
# setting) in a separate database, so the installed extension is not touched.
# The same in quick and full mode.
. "$(dirname "$0")/../lib/harness.sh"
: "${PG_CONFIG:=pg_config}"
ap_tmpdir work
db=$(ap_dbname)
bash test/assert/build.sh "$work"
export PGOPTIONS="-c extension_destdir=$work/dest"
# pg_regress creates the database (and leaves it)
ap_defer ap_drop database "$db"
if ! make -s -C "$work" PG_CONFIG="$PG_CONFIG" installcheck \
	REGRESS_OPTS="--inputdir=. --dbname=$db" >"$work/regress.log" 2>&1; then
	cat "$work/regress.log"; [ -f "$work/regression.diffs" ] && head -n 100 "$work/regression.diffs"
	exit 1
fi
tail -n 3 "$work/regress.log" | grep -v '^$' || true
ap_say "the suites pass with the extension's assertions enabled"
