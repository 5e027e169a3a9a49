#!/usr/bin/env bash
# test/security/check.sh — the extension is trusted and safe under a hostile
# search_path.
#
# 1. A role with no superuser rights but CREATE on a database can
#    CREATE EXTENSION addrpolicy (trusted = true).
# 2. The install script and every SQL-language function resolve nothing
#    through search_path: an attacker's schema placed first, shadowing
#    pg_catalog functions and operators the extension might use, is never
#    called — during CREATE EXTENSION or when the functions run.
# 3. No SECURITY DEFINER function, no function that is not IMMUTABLE and
#    PARALLEL SAFE, no object without a comment.
# Creates and drops its own database and role; the same in quick and full
# mode.
. "$(dirname "$0")/../lib/harness.sh"
db=$(ap_dbname)
role=$(ap_dbname owner)
ap_createrole "$role"
ap_createdb "$db" -O "$role"
ap_psql -d "$db" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO $role"
as_owner() { PGUSER=$role PGPASSWORD=pw ap_psql -d "$db" "$@"; }

# As the unprivileged owner: plant traps, then install with them first in
# the search_path.
as_owner <<'SQL'
CREATE SCHEMA evil;
CREATE TABLE evil.hits (what text);
-- a trap for every common name an install script or SQL function might use
DO $$
DECLARE
  sig text;
BEGIN
  FOREACH sig IN ARRAY ARRAY[
    'count(anyelement)', 'sum(numeric)', 'max(integer)', 'min(integer)',
    'least(integer, integer)', 'greatest(integer, integer)',
    'coalesce(numeric, numeric)', 'family(inet)', 'masklen(inet)',
    'host(inet)', 'network(inet)', 'set_masklen(cidr, integer)',
    'unnest(anyarray)', 'array_agg(anyelement)', 'array_length(anyarray, integer)',
    'power(numeric, numeric)', 'ln(numeric)', 'floor(numeric)', 'ceil(numeric)',
    'abs(numeric)', 'round(numeric, integer)', 'now()', 'daterange(date, date)',
    'make_date(integer, integer, integer)', 'extract_year(date)', 'lower(anyrange)', 'upper(anyrange)']
  LOOP
    EXECUTE format($f$CREATE FUNCTION evil.%s RETURNS integer LANGUAGE sql AS
                    $b$ INSERT INTO evil.hits VALUES (%L) RETURNING 0 $b$ $f$,
                   sig, sig);
  END LOOP;
END $$;
CREATE FUNCTION evil.trap_op(numeric, numeric) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO evil.hits VALUES ('operator') RETURNING true $$;
CREATE OPERATOR evil.= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.trap_op);
CREATE OPERATOR evil.< (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.trap_op);
CREATE OPERATOR evil.<= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.trap_op);
CREATE OPERATOR evil.> (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.trap_op);
CREATE OPERATOR evil.>= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.trap_op);
CREATE FUNCTION evil.trap_op_int(integer, integer) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO evil.hits VALUES ('int operator') RETURNING true $$;
CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.trap_op_int);
CREATE OPERATOR evil.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.trap_op_int);
CREATE OPERATOR evil.> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.trap_op_int);

SET search_path = evil, public, pg_catalog;
CREATE EXTENSION addrpolicy SCHEMA public;
SQL

# Call every function of the extension that takes simple arguments, with the
# traps still first in the search_path.
as_owner <<'SQL'
SET search_path = evil, public, pg_catalog;
DO $$
DECLARE
  f record;
  args text;
  ok int := 0;
BEGIN
  FOR f IN
    SELECT p.oid, p.proname, p.prokind,
           pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) AS qname,
           pg_catalog.pg_get_function_identity_arguments(p.oid) AS ident,
           p.pronargs - p.pronargdefaults AS nreq,
           p.proargtypes::pg_catalog.regtype[] AS types
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
    WHERE p.prokind = 'f'
  LOOP
    SELECT pg_catalog.string_agg(
             CASE t::text
               WHEN 'inet' THEN '''10.0.0.0/20''::inet'
               WHEN 'cidr' THEN '''10.0.0.0/20''::cidr'
               WHEN 'cidr[]' THEN '''{10.0.0.0/20,10.0.16.0/24}''::cidr[]'
               WHEN 'numeric' THEN '4096::numeric'
               WHEN 'integer' THEN '24'
               WHEN 'text' THEN 'NULL::text'
               WHEN 'boolean' THEN 'false'
               WHEN 'date' THEN '''2020-05-01''::date'
               ELSE 'NULL::' || t::text END, ', ' ORDER BY ord)
      INTO args
      FROM pg_catalog.unnest(f.types) WITH ORDINALITY AS u(t, ord)
     WHERE ord <= f.nreq;   -- the defaults of the rest are exercised too
    BEGIN
      EXECUTE pg_catalog.format('SELECT %s(%s)', f.qname, COALESCE(args, ''));
      ok := ok + 1;
    EXCEPTION WHEN others THEN
      NULL;   -- arguments a function rejects are fine here
    END;
  END LOOP;
  -- request_check reads its table with the traps first in the search_path
  PERFORM public.request_check('arin-4.1.8', '2024-03-31', 4096, 0, 22, '2024-01-01');
  IF ok OPERATOR(pg_catalog.<) 5 THEN
    RAISE EXCEPTION 'only % functions could be called: the test itself is broken', ok;
  END IF;
END $$;
SQL

hits=$(as_owner -A -t -c "SELECT count(*) FROM evil.hits")
if [ "$hits" != "0" ]; then
	as_owner -c "SELECT what, count(*) FROM evil.hits GROUP BY what"
	ap_fail "the search_path traps were called (above)"
fi

# negative control: the traps do bite an unqualified call
ctl=$(as_owner -A -t -c "SET search_path = evil, public, pg_catalog; SELECT unnest(ARRAY[1]); SELECT 1::numeric = 2::numeric; SELECT count(*) FROM evil.hits" | tail -n 1)
if [ "$ctl" != "2" ]; then   # 0 hits before, 2 now
	ap_fail "negative control: the traps did not fire ($ctl)"
fi


# Catalogue rules: no SECURITY DEFINER, everything IMMUTABLE/PARALLEL SAFE
# (aggregates' own marking included), every object commented.
bad=$(ap_val -d "$db" <<'SQL'
SELECT p.oid::regprocedure || ': ' ||
       concat_ws(', ',
         CASE WHEN p.prosecdef THEN 'SECURITY DEFINER' END,
         CASE WHEN p.provolatile <> 'i' AND NOT (p.proname = 'request_check' AND p.provolatile = 's')
              THEN 'not IMMUTABLE' END,
         CASE WHEN p.proparallel <> 's' THEN 'not PARALLEL SAFE' END,
         CASE WHEN obj_description(p.oid, 'pg_proc') IS NULL
                   AND p.proname NOT LIKE '%\_transfn' AND p.proname NOT LIKE '%\_finalfn'
                   AND p.proname NOT LIKE '%\_combinefn' AND p.proname NOT LIKE '%\_serialfn'
                   AND p.proname NOT LIKE '%\_deserialfn' THEN 'no COMMENT' END)
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy'
WHERE p.prosecdef OR p.proparallel <> 's'
   -- request_check (1.1) reads the rule catalogue: STABLE, the one exception
   OR (p.provolatile <> 'i' AND NOT (p.proname = 'request_check' AND p.provolatile = 's'))
   OR (obj_description(p.oid, 'pg_proc') IS NULL
       AND p.proname NOT LIKE '%\_transfn' AND p.proname NOT LIKE '%\_finalfn'
       AND p.proname NOT LIKE '%\_combinefn' AND p.proname NOT LIKE '%\_serialfn'
       AND p.proname NOT LIKE '%\_deserialfn');
SQL
)
if [ -n "$bad" ]; then
	ap_fail "functions break the catalogue rules:
$bad"
fi
n=$(ap_val -d "$db" -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'addrpolicy' WHERE d.deptype = 'e' AND d.classid = 'pg_proc'::regclass")
ap_say "trusted install by a non-superuser, no search_path trap called, $n functions checked (no SECURITY DEFINER, all IMMUTABLE but request_check (STABLE), PARALLEL SAFE, commented)"
