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
# One helper for the parts: utilization_check's reasons print counts without
# separators ("3104 of 4096"); the demo prints every count with them.
psql <<'SQL'
CREATE SCHEMA demo;
CREATE FUNCTION demo.grouped(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT
-- every run of four or more digits that is not part of a decimal or dotted
-- number (0.9298, 10.8.0.0) gets thousands separators
RETURN coalesce((SELECT string_agg(CASE WHEN r.m[1] ~ '^[0-9]{4,}$'
					THEN to_char(r.m[1]::numeric, 'FM999,999,999,999,999,999,999,999,999,999,999,999,999')
					ELSE r.m[1] END, '' ORDER BY r.n)
				 FROM regexp_matches(t, '([0-9]+(?:[.][0-9]+)*|[^0-9]+)', 'g') WITH ORDINALITY AS r(m, n)), '');
-- runs a statement that returns one value; a refusal of the registry (an
-- integrity constraint violation, SQLSTATE class 23: its CHECK constraints,
-- exclusion constraints and triggers) is returned as psql prints it, so the
-- demo shows it and goes on; any other error stops the demo
CREATE FUNCTION demo.attempt(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result		text;
	msg			text;
	detail		text;
	hint		text;
BEGIN
	EXECUTE statement INTO result;
	RETURN result;
EXCEPTION WHEN integrity_constraint_violation THEN
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN 'ERROR:  ' || msg
		|| CASE WHEN detail <> '' THEN E'\nDETAIL:  ' || detail ELSE '' END
		|| CASE WHEN hint <> '' THEN E'\nHINT:  ' || hint ELSE '' END;
END
$$;
SQL

# Each part prints its sections and ends with an empty line (psql ends an
# aligned table with one); counts have thousands separators everywhere.
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
