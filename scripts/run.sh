#!/usr/bin/env bash
# scripts/run.sh MODE — what `make test`, `make demo`, `make bench`, `make fuzz`
# and `make valgrind` run.
#
# 1. Installs what is missing (PostgreSQL server headers for the installed
#    server's major version, a C compiler, python3), with apt-get, as root or
#    through sudo.  `apt-get update` runs first, once, only when something is
#    to be installed.
# 2. Builds (a compiler warning is a failure) and installs the extension.
# 3. Starts a throw-away cluster with `pg_virtualenv -t` (a temporary
#    directory even as root, so the user's own clusters are never touched and
#    an interrupted run leaves nothing behind) and runs MODE inside it:
#    scripts/in-cluster.sh.
set -euo pipefail
mode=${1:-test}
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else say "need root for: $*  (no sudo here)"; exit 1
	fi
}

# The server major version: pg_config's, when that server is installed;
# otherwise the newest installed server.
major=""
if command -v pg_config >/dev/null; then
	major=$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
	[ -x "/usr/lib/postgresql/$major/bin/postgres" ] || major=""
fi
if [ -z "$major" ]; then
	major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
fi
if [ -z "$major" ] || [ ! -x "/usr/lib/postgresql/$major/bin/postgres" ]; then
	say "no PostgreSQL server found: install one first (apt-get install postgresql)"
	exit 1
fi
PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config

packages=()
[ -x "$PG_CONFIG" ] && [ -f "$("$PG_CONFIG" --pgxs 2>/dev/null)" ] \
	|| packages+=("postgresql-server-dev-$major")
command -v make >/dev/null || packages+=(make)
command -v gcc >/dev/null || packages+=(gcc)
command -v python3 >/dev/null || packages+=(python3)
command -v pg_virtualenv >/dev/null || packages+=(postgresql-common)
# the extra packages a mode needs (test/*/packages lists them, one a line)
for f in test/*/packages; do
	[ -f "$f" ] || continue
	while read -r pkg cmd; do
		[ -n "$pkg" ] && [ "${pkg#\#}" = "$pkg" ] || continue
		command -v "${cmd:-$pkg}" >/dev/null || packages+=("$pkg")
	done < "$f"
done
if [ ${#packages[@]} -gt 0 ]; then
	say "installing: ${packages[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${packages[@]}" >/dev/null
fi

say "building against PostgreSQL $major"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -s PG_CONFIG="$PG_CONFIG" 2>&1 | tee "$log"; then
	say "build failed"; exit 1
fi
if grep -q 'warning:' "$log"; then
	say "the build printed compiler warnings: the standard is none"
	exit 1
fi
say "installing into PostgreSQL $major"
as_root make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

export PG_CONFIG AP_MAJOR=$major
say "starting a throw-away cluster (pg_virtualenv -t)"
exec pg_virtualenv -t -v "$major" bash scripts/in-cluster.sh "$mode"
