#!/usr/bin/env bash
# examples/demo.sh — what `make demo` prints, inside the throw-away cluster
# that scripts/run.sh started (PGHOST etc. are set).
set -euo pipefail
cd "$(dirname "$0")/.."
db=addrpolicy_demo
dropdb --if-exists "$db" >/dev/null 2>&1 || true
createdb "$db"
psql() { command psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
psql -c "CREATE EXTENSION addrpolicy"

for part in examples/demo.d/*.sh; do
	[ -f "$part" ] || continue
	AP_DEMO_DB=$db bash "$part"
done

cat <<EOT

To explore further, inside a throw-away cluster of your own:
  pg_virtualenv -t bash -c 'psql -c "CREATE EXTENSION addrpolicy" && psql'
(the extension is installed; any database of yours can run CREATE EXTENSION addrpolicy).
EOT
