# scripts/deps.sh — sourced by scripts/run.sh and scripts/dev-check.sh: finds
# the PostgreSQL server to build against and installs, with apt-get, what a
# mode needs and the machine lacks.  Nothing here is installed unless it is
# missing; `apt-get update` runs first, once, only when something is.
#
#   ap_find_server            sets major and PG_CONFIG
#   ap_install_deps MODE      installs the build's needs and MODE's extras
#
# What the build needs is tested by what the compiler will open: Debian's
# postgresql-client-N ships pg_config and pgxs.mk but not the server headers,
# so the test is $(pg_config --includedir-server)/postgres.h, not pgxs.mk.

say() { printf '==> %s\n' "$*" >&2; }
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else say "need root for: $*  (no sudo here)"; exit 1
	fi
}

# The server major version: pg_config's on PATH, when that server is
# installed; otherwise the newest installed server.
ap_find_server() {
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
	if [ "$major" -lt 15 ]; then
		say "PostgreSQL $major found: addrpolicy needs 15 or later"
		exit 1
	fi
	PG_CONFIG=/usr/lib/postgresql/$major/bin/pg_config
}

# the server headers the build includes (postgres.h) and PGXS itself
ap_have_headers() {
	[ -x "$PG_CONFIG" ] \
		&& [ -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ] \
		&& [ -f "$("$PG_CONFIG" --pgxs 2>/dev/null)" ]
}

# the Debian packages listed in FILE (`package [command]` a line) whose
# command is missing; a package listed without a command (a library, such
# as python3-netaddr) is missing when dpkg does not have it installed
ap_listed_packages() {
	local pkg cmd
	[ -f "$1" ] || return 0
	while read -r pkg cmd; do
		[ -n "$pkg" ] && [ "${pkg#\#}" = "$pkg" ] || continue
		command -v "${cmd:-$pkg}" >/dev/null && continue
		if [ -z "$cmd" ] && dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null \
			| grep -q 'install ok installed'; then
			continue
		fi
		echo "$pkg"
	done < "$1"
}

ap_install_deps() {
	local mode=$1 f
	local packages=()
	ap_have_headers || packages+=("postgresql-server-dev-$major")
	command -v make >/dev/null || packages+=(make)
	command -v gcc >/dev/null || packages+=(gcc)
	command -v pg_virtualenv >/dev/null || packages+=(postgresql-common)
	# the harnesses and benchmarks are partly Python; the build and the demo
	# are not
	case "$mode" in
	build | demo | plots) ;;
	*) command -v python3 >/dev/null || packages+=(python3) ;;
	esac
	# a mode's extras: test/<harness>/packages of the harnesses it runs
	# (make demo needs nothing more than the build)
	case "$mode" in
	test | test-long) for f in test/*/packages; do
			[ "$f" = test/valgrind/packages ] && continue
			packages+=($(ap_listed_packages "$f"))
		done ;;
	fuzz) packages+=($(ap_listed_packages test/fuzz/packages)) ;;
	valgrind) packages+=($(ap_listed_packages test/valgrind/packages)) ;;
	bench) packages+=($(ap_listed_packages test/bench/packages)) ;;
	plots) packages+=($(ap_listed_packages doc/plots/packages)) ;;
	esac
	if [ ${#packages[@]} -gt 0 ]; then
		say "installing: ${packages[*]}"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${packages[@]}" >/dev/null
	fi
	if ! ap_have_headers; then
		say "the PostgreSQL $major server headers are still missing ($("$PG_CONFIG" --includedir-server)/postgres.h)"
		exit 1
	fi
}

# Build every object as the calling user, with warnings as errors: a warning
# in any file fails the build.  `make install` afterwards only copies.
ap_build() {
	local log
	log=$(mktemp)
	if ! make -s PG_CONFIG="$PG_CONFIG" COPT=-Werror 2>&1 | tee "$log"; then
		rm -f "$log"; say "build failed"; exit 1
	fi
	if grep -q 'warning:' "$log"; then
		rm -f "$log"; say "the build printed compiler warnings: the standard is none"; exit 1
	fi
	rm -f "$log"
}
