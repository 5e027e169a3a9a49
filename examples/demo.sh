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

cat <<'EOT'

To explore further, in a throw-away cluster of your own with the example registry loaded
(the extension is installed now; run this from the checkout):

  pg_virtualenv -t bash -c 'psql -q -c "CREATE EXTENSION addrpolicy" -f examples/registry/schema.sql -f examples/registry/views.sql -f examples/registry/generate.sql && psql'

then, for example:  SELECT * FROM registry.member_utilization LIMIT 10;
EOT
