/* addrpolicy--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION addrpolicy UPDATE TO '1.1'" to load this file. \quit

/*
 * 1.1: the control file no longer fixes the schema (1.0 said schema =
 * public), so CREATE EXTENSION addrpolicy SCHEMA ipam installs into a
 * registry's own schema.  A fresh 1.1 is the 1.0 script followed by this one
 * (CREATE EXTENSION walks the chain), so both ways give the same objects;
 * test/upgrade checks it.
 */

-- cidr_free_blocks streams only from the select list: in FROM, PostgreSQL's
-- function scan runs a set-returning function to its end and stores every
-- row before the first one is returned, so LIMIT cannot stop it there.  The
-- comment says so, and how to bound it in FROM.
COMMENT ON FUNCTION @extschema@.cidr_free_blocks(pg_catalog.cidr[], pg_catalog.cidr[], pg_catalog.int4) IS
'every free aligned /masklen block of the pool, in address order, one row at a time: in the select list it streams (SELECT cidr_free_blocks(p, u, 24) ... LIMIT n reads n blocks); in FROM, PostgreSQL stores the whole result before the first row, so bound it with a subquery over the select-list form: FROM (SELECT cidr_free_blocks(p, u, 24) AS block LIMIT n) f, or LATERAL (...) per row; error when the pool mixes IPv4 and IPv6 or masklen is not a prefix length of its family';

---------------------------------------------------------------------------
-- 1.1, issue 16 (appended): the usage of every block of a tree of CIDR
-- blocks in one pass (src/treeusage.c), in the two ways IPAMs measure it.
-- addrpolicy_netbox computes NetBox's utilization of every prefix with it.
---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.cidr_tree_usage(
    blocks pg_catalog.cidr[],
    hosts pg_catalog.inet[] DEFAULT NULL,
    range_first pg_catalog.inet[] DEFAULT NULL,
    range_last pg_catalog.inet[] DEFAULT NULL)
RETURNS TABLE (
    n pg_catalog.int8,
    block pg_catalog.cidr,
    subblock_addresses pg_catalog.numeric,
    used_addresses pg_catalog.numeric)
AS 'MODULE_PATHNAME', 'cidr_tree_usage'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cidr_tree_usage(pg_catalog.cidr[], pg_catalog.inet[], pg_catalog.inet[], pg_catalog.inet[]) IS
'one row per element of blocks, in array order (n = its position, as WITH ORDINALITY numbers unnest): the block, subblock_addresses = distinct addresses covered by the other blocks strictly inside it (a duplicate is not inside), used_addresses = distinct addresses of the hosts inside it (each host''s own address: its prefix length is ignored) together with the ranges range_first[i]..range_last[i] that lie wholly inside it; families never mix (an IPv4 host is in no IPv6 block); NULL hosts or ranges mean none, a range with a NULL bound is skipped, a NULL block gives a row of NULLs; error when the range arrays differ in length or a range is reversed or mixes families';
