-- examples/rir-stats/load.sql — load one RIR "delegated-extended" statistics
-- file into rir_delegation and rir_block.
--
--   psql -v file=PATH -f examples/rir-stats/load.sql
--
-- All five RIRs publish the same format (NRO, "RIR statistics exchange
-- format"): a version line, summary lines, then one record per line
--   registry|cc|type|start|value|date|status[|opaque-id[|extensions...]]
-- Comment lines (#) and blank lines are skipped; ASN records are counted
-- (against the summary) but not loaded.  A record of type ipv4 is a range of
-- `value` addresses from `start` (not always a power of two nor aligned: it
-- becomes range_to_cidrs' minimal CIDR list); one of type ipv6 is the prefix
-- start/value.
--
-- Tables (created when missing, in the first schema of search_path):
--   rir_delegation(registry, cc, family, first, value, allocated_on, status, org)
--       one row per IPv4/IPv6 record as published (an empty cc, date or
--       opaque-id is NULL; a date of 00000000 too);
--   rir_block(registry, family, block, status, org, allocated_on)
--       each record as its minimal CIDR blocks;
--   rir_file(registry, version, serial, records, start_date, end_date,
--            utc_offset, path, loaded_at)
--       the file each registry was last loaded from.
-- A load replaces the previous load of the file's registry, in one
-- transaction: a bad line (its number and text are in the error) or a count
-- that disagrees with the summary lines (a truncated download) stops it and
-- leaves the tables as they were.
--
-- The script sets ON_ERROR_STOP (psql stops at the first error: exits from
-- psql -f, returns to the prompt from \i) and, after a good load, puts back
-- the caller's value, QUIET and SHOW_CONTEXT (never while it runs: an error's
-- context would only name the DO block).

\if :{?file}
\else
\set ON_ERROR_STOP on
\set SHOW_CONTEXT never
DO $$BEGIN RAISE EXCEPTION 'no file to load' USING HINT = 'Run: psql -v file=PATH -f examples/rir-stats/load.sql'; END$$;
\endif
\set rir_stop :ON_ERROR_STOP
\set ON_ERROR_STOP on
\set rir_quiet :QUIET
\set QUIET on
\set rir_context :SHOW_CONTEXT
\set SHOW_CONTEXT never

SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;

CREATE TABLE IF NOT EXISTS rir_delegation (
	registry text NOT NULL,
	cc text,
	family int NOT NULL,
	first inet NOT NULL,
	value numeric NOT NULL,
	allocated_on date,
	status text NOT NULL,
	org text
);
CREATE TABLE IF NOT EXISTS rir_block (
	registry text NOT NULL,
	family int NOT NULL,
	block cidr NOT NULL,
	status text NOT NULL,
	org text,
	allocated_on date
);
CREATE TABLE IF NOT EXISTS rir_file (
	registry text PRIMARY KEY,
	version text NOT NULL,
	serial text NOT NULL,
	records bigint NOT NULL,
	start_date date,
	end_date date,
	utc_offset text,
	path text,
	loaded_at timestamptz NOT NULL DEFAULT now()
);
RESET client_min_messages;

-- \copy takes no psql variable in its arguments: build the whole command in
-- a variable (:'file' quotes the path, spaces and quotes included) and run
-- it.  CSV with a delimiter and a quote that never occur reads each line
-- whole and untouched (no backslash processing); the identity column numbers
-- the lines in file order.
\set rir_copy '\\copy pg_temp.rir_stage (line) FROM ' :'file' ' WITH (FORMAT csv, DELIMITER E''\\x01'', QUOTE E''\\x02'')'

BEGIN;
-- one loader at a time; readers are not blocked
LOCK TABLE rir_delegation, rir_block, rir_file IN SHARE ROW EXCLUSIVE MODE;
SELECT set_config('rir_stats.file', :'file', true) IS NULL AS rir_unused,
	   set_config('rir_stats.loaded', '', false) IS NULL AS rir_unused \gset
CREATE TEMP TABLE rir_stage (
	n bigint GENERATED ALWAYS AS IDENTITY,
	line text
) ON COMMIT DROP;
:rir_copy

DO $load$
DECLARE
	file text := current_setting('rir_stats.file');
	ver record;
	bad record;
	reg text;
	problem text;
	ipv4 constant text := '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$';
	hint text;
BEGIN
	-- every line split on '|' (no field ever contains it), and its kind
	CREATE TEMP TABLE rir_line ON COMMIT DROP AS
	SELECT n, line, f, cardinality(f) AS nf,
		   CASE WHEN line ~ '^\s*$' THEN 'blank'
				WHEN line ~ '^\s*#' THEN 'comment'
				WHEN cardinality(f) = 6 AND f[6] = 'summary' THEN 'summary'
				ELSE 'record' END AS kind
	FROM (SELECT n, coalesce(line, '') AS line,
				 string_to_array(coalesce(line, ''), '|') AS f
		  FROM pg_temp.rir_stage) s;

	-- the version line: the first line that is neither blank nor a comment
	-- version|registry|serial|records|startdate|enddate|UTCoffset
	SELECT n, line, f, nf INTO ver
	FROM pg_temp.rir_line WHERE kind <> 'blank' AND kind <> 'comment'
	ORDER BY n LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no version line in %', file
			USING ERRCODE = 'bad_copy_file_format',
				  DETAIL = 'The file holds no line that is not blank or a comment.',
				  HINT = 'Give the path of a delegated-extended statistics file.';
	END IF;
	IF ver.nf < 7 OR ver.f[1] !~ '^[0-9]+(\.[0-9]+)*$' OR ver.f[2] !~ '^[a-z]+$'
	   OR ver.f[4] !~ '^[0-9]{1,18}$' THEN
		RAISE EXCEPTION 'line %: not a version line (version|registry|serial|records|startdate|enddate|UTCoffset)', ver.n
			USING ERRCODE = 'bad_copy_file_format',
				  DETAIL = format('Line %s of %s: %s', ver.n, file, ver.line),
				  HINT = 'Is this a delegated-extended statistics file?';
	END IF;
	reg := ver.f[2];
	hint := format('Correct the line or download the file again; nothing was loaded (the previous load of %s is unchanged).', reg);
	UPDATE pg_temp.rir_line SET kind = 'version' WHERE n = ver.n;

	-- the first bad line, by checks that cannot fail themselves
	SELECT n, line, p INTO bad FROM (
		SELECT n, line, CASE
			WHEN kind = 'summary' AND (f[1] <> reg OR f[2] <> '*' OR f[4] <> '*'
									   OR f[3] NOT IN ('asn', 'ipv4', 'ipv6') OR f[5] !~ '^[0-9]{1,18}$')
				THEN 'not a summary line (registry|*|type|*|count|summary)'
			WHEN kind = 'summary' THEN NULL
			WHEN nf < 7 THEN format('%s fields, a record has at least 7 (registry|cc|type|start|value|date|status[|opaque-id])', nf)
			WHEN f[1] <> reg THEN format('registry "%s" is not the file''s ("%s", on the version line)', f[1], reg)
			WHEN f[3] NOT IN ('asn', 'ipv4', 'ipv6') THEN format('unknown type "%s" (asn, ipv4 or ipv6)', f[3])
			WHEN f[3] = 'asn' THEN NULL
			WHEN f[7] NOT IN ('allocated', 'assigned', 'available', 'reserved')
				THEN format('unknown status "%s" (allocated, assigned, available or reserved)', f[7])
			WHEN f[6] !~ '^([0-9]{8})?$' THEN format('date "%s" is not YYYYMMDD', f[6])
			WHEN f[5] !~ '^[0-9]{1,18}$' THEN format('value "%s" is not a whole number', f[5])
			WHEN f[3] = 'ipv4' AND f[4] !~ ipv4 THEN format('start "%s" is not an IPv4 address', f[4])
			WHEN f[3] = 'ipv4' AND f[5]::numeric = 0 THEN 'an IPv4 record of 0 addresses'
			WHEN f[3] = 'ipv4' AND (f[4]::inet - '0.0.0.0'::inet) + f[5]::numeric > 4294967296
				THEN format('%s addresses from %s run past 255.255.255.255', f[5], f[4])
			WHEN f[3] = 'ipv6' AND f[4] !~ '^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$'
				THEN format('start "%s" is not an IPv6 address', f[4])
			WHEN f[3] = 'ipv6' AND f[5]::numeric > 128 THEN format('IPv6 prefix length %s is not in 0..128', f[5])
			END AS p
		FROM pg_temp.rir_line WHERE kind IN ('summary', 'record')) c
	WHERE p IS NOT NULL ORDER BY n LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'line %: %', bad.n, bad.p
			USING ERRCODE = 'bad_copy_file_format',
				  DETAIL = format('Line %s of %s: %s', bad.n, file, bad.line), HINT = hint;
	END IF;

	-- the counts of the version and summary lines: a truncated download
	-- loads nothing
	SELECT s.n, s.line, s.f[5] AS said, count(r.n) AS found INTO bad
	FROM pg_temp.rir_line s
	LEFT JOIN pg_temp.rir_line r ON r.kind = 'record' AND r.f[3] = s.f[3]
	WHERE s.kind = 'summary'
	GROUP BY s.n, s.line, s.f[5] HAVING s.f[5]::bigint <> count(r.n)
	ORDER BY s.n LIMIT 1;
	IF NOT FOUND THEN
		SELECT ver.n, ver.line, ver.f[4] AS said, count(*) AS found INTO bad
		FROM pg_temp.rir_line WHERE kind = 'record'
		HAVING ver.f[4]::bigint <> count(*);
	END IF;
	IF FOUND THEN
		RAISE EXCEPTION 'line %: % records announced, % in the file', bad.n, bad.said, bad.found
			USING ERRCODE = 'bad_copy_file_format',
				  DETAIL = format('Line %s of %s: %s', bad.n, file, bad.line),
				  HINT = format('The file looks truncated or damaged: download it again and check its md5; nothing was loaded (the previous load of %s is unchanged).', reg);
	END IF;

	DELETE FROM rir_delegation WHERE registry = reg;
	DELETE FROM rir_block WHERE registry = reg;
	BEGIN
		INSERT INTO rir_delegation (registry, cc, family, first, value, allocated_on, status, org)
		SELECT f[1], nullif(f[2], ''), CASE f[3] WHEN 'ipv4' THEN 4 ELSE 6 END,
			   f[4]::inet, f[5]::numeric,
			   CASE WHEN f[6] IN ('', '00000000') THEN NULL ELSE f[6]::date END,
			   f[7], nullif(f[8], '')
		FROM pg_temp.rir_line WHERE kind = 'record' AND f[3] <> 'asn' ORDER BY n;

		INSERT INTO rir_block (registry, family, block, status, org, allocated_on)
		SELECT d.registry, 4, b, d.status, d.org, d.allocated_on
		FROM rir_delegation d,
			 LATERAL range_to_cidrs(d.first, d.first + (d.value - 1)::bigint) b
		WHERE d.registry = reg AND d.family = 4;

		-- the cast refuses a prefix with bits set right of its length
		INSERT INTO rir_block (registry, family, block, status, org, allocated_on)
		SELECT registry, 6, (host(first) || '/' || value)::cidr, status, org, allocated_on
		FROM rir_delegation WHERE registry = reg AND family = 6;
	EXCEPTION WHEN data_exception THEN
		-- a value the checks above let through but PostgreSQL refuses (an
		-- IPv6 address, a calendar date, a prefix with host bits): find the
		-- line, one at a time (only on this error path)
		FOR bad IN SELECT n, line, f FROM pg_temp.rir_line
				   WHERE kind = 'record' AND f[3] <> 'asn' ORDER BY n LOOP
			problem := NULL;
			BEGIN
				problem := format('start "%s" is not an %s address', bad.f[4],
								  CASE bad.f[3] WHEN 'ipv4' THEN 'IPv4' ELSE 'IPv6' END);
				PERFORM bad.f[4]::inet;
				IF bad.f[3] = 'ipv6' THEN
					problem := format('%s/%s is not a prefix (bits set right of the prefix length)', bad.f[4], bad.f[5]);
					PERFORM (host(bad.f[4]::inet) || '/' || bad.f[5])::cidr;
				END IF;
				problem := format('date "%s" is not a valid date', bad.f[6]);
				PERFORM CASE WHEN bad.f[6] IN ('', '00000000') THEN NULL ELSE bad.f[6]::date END;
				problem := NULL;
			EXCEPTION WHEN data_exception THEN
				NULL;
			END;
			IF problem IS NOT NULL THEN
				RAISE EXCEPTION 'line %: %', bad.n, problem
					USING ERRCODE = 'bad_copy_file_format',
						  DETAIL = format('Line %s of %s: %s', bad.n, file, bad.line), HINT = hint;
			END IF;
		END LOOP;
		RAISE;
	END;

	-- the version line's dates: YYYYMMDD, or 00000000 when unknown
	BEGIN
		PERFORM CASE WHEN ver.f[5] <> '00000000' THEN ver.f[5]::date END,
				CASE WHEN ver.f[6] <> '00000000' THEN ver.f[6]::date END;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'line %: start or end date of the version line is not YYYYMMDD', ver.n
			USING ERRCODE = 'bad_copy_file_format',
				  DETAIL = format('Line %s of %s: %s', ver.n, file, ver.line), HINT = hint;
	END;
	INSERT INTO rir_file (registry, version, serial, records, start_date, end_date, utc_offset, path)
	VALUES (reg, ver.f[1], ver.f[3], ver.f[4]::bigint,
			CASE WHEN ver.f[5] <> '00000000' THEN ver.f[5]::date END,
			CASE WHEN ver.f[6] <> '00000000' THEN ver.f[6]::date END,
			ver.f[7], file)
	ON CONFLICT (registry) DO UPDATE
		SET version = excluded.version, serial = excluded.serial,
			records = excluded.records, start_date = excluded.start_date,
			end_date = excluded.end_date, utc_offset = excluded.utc_offset,
			path = excluded.path, loaded_at = excluded.loaded_at;
	PERFORM set_config('rir_stats.loaded', reg, false);
END
$load$;
COMMIT;

SELECT current_setting('rir_stats.loaded', true) <> '' AS rir_loaded \gset
\if :rir_loaded
SELECT d.registry, f.serial, d.family, d.records, b.blocks, d.available
FROM (SELECT registry, family, count(*) AS records,
			 count(*) FILTER (WHERE status = 'available') AS available
	  FROM rir_delegation GROUP BY registry, family) d
JOIN (SELECT registry, family, count(*) AS blocks FROM rir_block GROUP BY registry, family) b
  USING (registry, family)
JOIN rir_file f USING (registry)
WHERE d.registry = current_setting('rir_stats.loaded')
ORDER BY d.family;
\endif
\set QUIET :rir_quiet
\set SHOW_CONTEXT :rir_context
\set ON_ERROR_STOP :rir_stop
