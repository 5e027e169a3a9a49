#!/usr/bin/env bash
# test/assert/build.sh WORK [MAKEVAR=VALUE ...] — the assert-enabled build
# that test/assert and test/fuzz load: the tree is copied into the empty
# directory WORK (the working tree is never built in), built there with
# -DUSE_ASSERT_CHECKING and COPT=-Werror, and installed into WORK/dest (load
# it with extension_destdir=WORK/dest).  Extra arguments go to every make
# (test/fuzz passes with_llvm=no).
#
# It fails, saying why, when
#   - the build fails or prints a compiler warning (any file);
#   - some src/X.c did not produce a fresh src/X.o in this build;
#   - an object whose source (or a local header it includes) has an Assert()
#     does not reference ExceptionalCondition, i.e. was not compiled with
#     assertions (test/assert/coverage.py); a negative control first checks
#     that this check flags an object built without them.
# The build log is WORK/build.log.  Not a harness of its own (no check.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
: "${PG_CONFIG:=pg_config}"
work=${1:?usage: test/assert/build.sh WORK [MAKEVAR=VALUE ...]}
shift
mkdir -p "$work"
work=$(cd "$work" && pwd)

# the tree as a developer's plain `make` sees it: tracked and untracked files,
# not the ignored build products (*.o, *.so, *.bc), so nothing is stale
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard \
		| tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$work" -xf -
else
	cp -r . "$work"
fi
m() { make -s -C "$work" PG_CONFIG="$PG_CONFIG" "$@"; }
m clean >/dev/null 2>&1 || true
sources=$(cd "$work/src" && ls *.c)
[ -n "$sources" ] || { echo "FAIL: no src/*.c in the copy of the tree"; exit 1; }

# negative control: the first file with an Assert, built without
# USE_ASSERT_CHECKING, must fail the coverage check
probe=$(python3 "$here/coverage.py" --count "$work/src" | awk '$2 > 0 { print $1; exit }')
if [ -n "$probe" ]; then
	if ! m "$@" PG_CPPFLAGS="-I$work/src" "src/${probe%.c}.o" >"$work/control.log" 2>&1; then
		cat "$work/control.log"; echo "FAIL: the negative control (src/$probe without asserts) did not build"; exit 1
	fi
	mv "$work/src/${probe%.c}.o" "$work/control.o"
	if python3 "$here/coverage.py" --pair "$work/src/$probe" "$work/control.o" >/dev/null; then
		echo "FAIL: the coverage check passes src/$probe built without USE_ASSERT_CHECKING"
		exit 1
	fi
	m clean >/dev/null 2>&1 || true
fi

touch "$work/.build-start"
sleep 1	# so that an object of this build is strictly newer than the stamp
if ! m "$@" PG_CPPFLAGS="-I$work/src -DUSE_ASSERT_CHECKING" COPT=-Werror >"$work/build.log" 2>&1; then
	cat "$work/build.log"; echo "FAIL: the assert-enabled build failed (COPT=-Werror: a warning is an error)"
	exit 1
fi
if grep -q 'warning:' "$work/build.log"; then
	cat "$work/build.log"; echo "FAIL: the assert-enabled build printed compiler warnings"
	exit 1
fi
stale=""
for c in $sources; do
	o=$work/src/${c%.c}.o
	[ -f "$o" ] && [ "$o" -nt "$work/.build-start" ] || stale="$stale src/${c%.c}.o"
done
[ -z "$stale" ] || { echo "FAIL: the assert-enabled build did not compile:$stale"; exit 1; }
python3 "$here/coverage.py" "$work/src" >"$work/coverage.txt" \
	|| { cat "$work/coverage.txt"; exit 1; }
if ! m "$@" DESTDIR="$work/dest" install >"$work/install.log" 2>&1; then
	cat "$work/install.log"; echo "FAIL: installing the assert-enabled build failed"; exit 1
fi
chmod -R a+rX "$work"
cat "$work/coverage.txt"
