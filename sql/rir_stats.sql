-- rir_stats: examples/rir-stats/load.sql and report.sql on two small
-- excerpts of real delegated-extended files (test/rir/delegated-*-excerpt:
-- non-power-of-two and unaligned IPv4 ranges, IPv6 prefixes, available and
-- reserved rows, ASN records, comments, a blank line, empty dates and
-- opaque-ids, LACNIC's 7-field lines) and on bad files (test/rir/bad/).
--
-- Every value is checked by test/rir/verify_expected.py, which recomputes
-- them from the excerpt files with Python's ipaddress: the "-- py: NAME"
-- comment over a query names the check.
--
-- pg_regress runs psql in the repository root: paths are relative to it.
-- load.sql and report.sql run with ECHO none (their text is not the test);
-- the bad files are loaded by a child psql (\!) so that the error is shown
-- without the "psql:load.sql:LINE:" prefix that would tie this output to
-- load.sql's line numbers.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS addrpolicy;
RESET client_min_messages;
\set VERBOSITY terse
SET datestyle = 'ISO, YMD';

--
-- a first load: the summary load.sql prints
--
-- py: load_afrinic
\set file 'test/rir/delegated-afrinic-excerpt'
\set ECHO none
\i examples/rir-stats/load.sql
\set ECHO all

-- one row per IPv4/IPv6 record as published; ASN records, comments, the
-- blank line, the version and summary lines are not records
-- py: delegation_afrinic
SELECT registry, cc, family, first, value, allocated_on, status, org
FROM rir_delegation ORDER BY family, first;

-- each record as its minimal CIDR blocks: 196.6.1.0 + 25,600 addresses is 9
-- blocks, 196.11.222.0 + 2,304 four, the unaligned 168.209.0.0 + 2^17 two
-- py: blocks_afrinic
SELECT registry, family, block, status, org, allocated_on
FROM rir_block ORDER BY family, block;

--
-- a second registry: LACNIC writes no opaque-id field on available lines
-- (7 fields) and leaves cc empty
--
-- py: load_lacnic
\set file 'test/rir/delegated-lacnic-excerpt'
\set ECHO none
\i examples/rir-stats/load.sql
\set ECHO all
-- py: delegation_lacnic
SELECT registry, cc, family, first, value, allocated_on, status, org
FROM rir_delegation WHERE registry = 'lacnic' ORDER BY family, first;

-- py: files
SELECT registry, version, serial, records, start_date, end_date, utc_offset, path
FROM rir_file ORDER BY registry;

--
-- loading a registry again replaces its previous load, and only it
--
-- py: load_afrinic
\set file 'test/rir/delegated-afrinic-excerpt'
\set ECHO none
\i examples/rir-stats/load.sql
\set ECHO all
-- py: counts
SELECT d.registry, d.records, b.blocks
FROM (SELECT registry, count(*) AS records FROM rir_delegation GROUP BY 1) d
JOIN (SELECT registry, count(*) AS blocks FROM rir_block GROUP BY 1) b USING (registry)
ORDER BY 1;

--
-- the report, both registries
--
-- py: report
\set ECHO none
\i examples/rir-stats/report.sql
\set ECHO all

-- one registry
-- py: report_lacnic
\set registry lacnic
\set ECHO none
\i examples/rir-stats/report.sql
\set ECHO all
\unset registry

--
-- bad files: the error names the line (number and text); nothing changes
--
\setenv PGDATABASE :DBNAME
\setenv PGHOST :HOST
\setenv PGPORT :PORT
\setenv PGUSER :USER
-- py: errors
\! for f in fields registry type status date-format value ipv4-start ipv4-zero ipv4-past-end ipv6-address ipv6-length summary truncated records ipv6-prefix date not-a-file; do echo "-- test/rir/bad/$f"; psql -X -q -v file=test/rir/bad/$f -f examples/rir-stats/load.sql 2>&1 | sed -e 's/^psql:[^ ]*: //'; done
-- no file given, a file that is not there
\! psql -X -q -f examples/rir-stats/load.sql 2>&1 | sed -e 's/^psql:[^ ]*: //'
\! psql -X -q -v file=test/rir/bad/no-such-file -f examples/rir-stats/load.sql 2>&1 | sed -e 's/^psql:[^ ]*: //'

-- the tables are as the last good load left them
-- py: counts
SELECT d.registry, d.records, b.blocks
FROM (SELECT registry, count(*) AS records FROM rir_delegation GROUP BY 1) d
JOIN (SELECT registry, count(*) AS blocks FROM rir_block GROUP BY 1) b USING (registry)
ORDER BY 1;

DROP TABLE rir_delegation, rir_block, rir_file;
