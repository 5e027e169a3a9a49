/* addrpolicy_netbox--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION addrpolicy_netbox CASCADE" to load this file. \quit

/*
 * NetBox's own questions about its address space, answered from its tables
 * (public.ipam_prefix, ipam_ipaddress, ipam_iprange, ipam_aggregate,
 * ipam_rir; NetBox 4.2 or later) with the semantics of NetBox 4.6's
 * netbox/ipam/models/ip.py (doc/netbox.md cites each rule).  Functions
 * only: no view, trigger or constraint touches NetBox's tables, so NetBox's
 * migrations are never blocked.
 *
 * Schemas.  PostgreSQL 15 has no @extschema:addrpolicy@, and addrpolicy may
 * be installed in any schema.  Each function looks that schema up in
 * pg_extension when it runs (netbox_check) and calls addrpolicy's functions
 * qualified with it, in a query built with format(%I): a schema renamed
 * later is still found.  Every function runs with search_path set to
 * pg_catalog, pg_temp and names NetBox's tables public.ipam_*, so no
 * object of the caller's search_path is ever called.
 *
 * The functions read tables, so they are STABLE, never IMMUTABLE.
 */

CREATE FUNCTION @extschema@.netbox_check(VARIADIC tables pg_catalog.text[])
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	t		text;
	schema	text;
BEGIN
	FOREACH t IN ARRAY tables LOOP
		IF pg_catalog.to_regclass(pg_catalog.format('public.%I', t)) IS NULL THEN
			RAISE EXCEPTION USING
				ERRCODE = 'undefined_table',
				MESSAGE = 'NetBox table not found',
				DETAIL = pg_catalog.format('Table public.%s does not exist in database %s.',
										   t, pg_catalog.current_database()),
				HINT = 'Install addrpolicy_netbox in the database NetBox uses (NetBox 4.2 or later), whose IPAM tables are in schema public.';
		END IF;
	END LOOP;
	SELECT n.nspname INTO schema
	FROM pg_catalog.pg_extension e
	JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'addrpolicy';
	RETURN pg_catalog.quote_ident(schema);
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_check(pg_catalog.text[]) IS
'the schema of addrpolicy, quoted for a query (looked up in pg_extension at each call); first an error (42P01) naming the first of the NetBox tables given that public lacks';

CREATE FUNCTION @extschema@.netbox_prefix_utilization()
RETURNS TABLE (
	id pg_catalog.int8,
	prefix pg_catalog.cidr,
	vrf_id pg_catalog.int8,
	used pg_catalog.numeric,
	size pg_catalog.numeric,
	utilization pg_catalog.float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
ROWS 10000
AS $fn$
DECLARE
	ap	text := @extschema@.netbox_check('ipam_prefix', 'ipam_ipaddress', 'ipam_iprange');
BEGIN
	/*
	 * One call of cidr_tree_usage per VRF (NULL: the global table) over the
	 * VRF's prefixes, addresses and mark_utilized ranges: it gives each
	 * prefix both the space of the prefixes strictly inside it (containers)
	 * and the distinct addresses in use inside it (the others).  The three
	 * tables are read in one aggregation (a UNION ALL grouped by VRF, one
	 * row per VRF), not aggregated apart and joined: a join of rows that
	 * hold arrays of millions of addresses sorts or hashes them whole (on
	 * the benchmark's data, a merge join sorted the address arrays to disk,
	 * 126 MB, and a hash join split them in two batches).  The ids and
	 * flags travel as arrays aligned
	 * with the blocks (one aggregate node feeds them all the same rows) and
	 * are read at the row's position.  No ORDER BY: the caller sorts what
	 * it shows (a sort of every row costs more than the rest of the work
	 * for a million prefixes).
	 */
	RETURN QUERY EXECUTE pg_catalog.format($q$
		WITH g AS (
			SELECT t.vrf_id,
				   array_agg(t.block) FILTER (WHERE t.kind = 1) AS blocks,
				   array_agg(t.id) FILTER (WHERE t.kind = 1) AS ids,
				   array_agg(t.container) FILTER (WHERE t.kind = 1) AS container,
				   array_agg(t.pool) FILTER (WHERE t.kind = 1) AS pool,
				   array_agg(t.marked) FILTER (WHERE t.kind = 1) AS marked,
				   array_agg(t.address) FILTER (WHERE t.kind = 2) AS hosts,
				   array_agg(t.address) FILTER (WHERE t.kind = 3) AS first,
				   array_agg(t.last) FILTER (WHERE t.kind = 3) AS last
			FROM (SELECT 1 AS kind, x.vrf_id, x.prefix AS block, x.id,
						 x.status = 'container' AS container, x.is_pool AS pool,
						 x.mark_utilized AS marked, NULL::inet AS address, NULL::inet AS last
				  FROM public.ipam_prefix x
				  UNION ALL
				  SELECT 2, x.vrf_id, NULL, NULL, NULL, NULL, NULL, x.address, NULL
				  FROM public.ipam_ipaddress x
				  UNION ALL
				  SELECT 3, x.vrf_id, NULL, NULL, NULL, NULL, NULL, x.start_address, x.end_address
				  FROM public.ipam_iprange x
				  WHERE x.mark_utilized) t
			GROUP BY t.vrf_id
		)
		SELECT g.ids[u.n], u.block, g.vrf_id, v.used, s.size,
			   least(100, (v.used::float8 / s.size::float8) * 100)
		FROM g
		CROSS JOIN LATERAL %1$s.cidr_tree_usage(g.blocks, g.hosts, g.first, g.last) u
		CROSS JOIN LATERAL (
			SELECT CASE WHEN NOT g.container[u.n] AND family(u.block) = 4
							 AND masklen(u.block) < 31 AND NOT g.pool[u.n]
						THEN %1$s.addr_count(u.block) - 2
						ELSE %1$s.addr_count(u.block) END AS size) s
		CROSS JOIN LATERAL (
			SELECT CASE WHEN g.marked[u.n] THEN s.size
						WHEN g.container[u.n] THEN u.subblock_addresses
						ELSE u.used_addresses END AS used) v
	$q$, ap);
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_prefix_utilization() IS
'NetBox''s Prefix.get_utilization for every prefix at once (NetBox 4.6 semantics), in no particular order: mark_utilized: used = size (100); container: used = distinct addresses of the prefixes strictly inside it in the same VRF (NULL = the global table), size = its addresses; otherwise size = its addresses, less 2 for an IPv4 prefix shorter than /31 that is not a pool, used = distinct addresses of the same VRF''s mark_utilized ranges lying wholly inside it and of its addresses (each address''s stored mask ignored); utilization = least(100, used / size * 100). Counts exact for IPv6';

CREATE FUNCTION @extschema@.netbox_aggregate_utilization()
RETURNS TABLE (
	id pg_catalog.int8,
	prefix pg_catalog.cidr,
	rir pg_catalog.text,
	used pg_catalog.numeric,
	size pg_catalog.numeric,
	utilization pg_catalog.float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	ap	text := @extschema@.netbox_check('ipam_aggregate', 'ipam_rir', 'ipam_prefix');
BEGIN
	/*
	 * Every prefix, in any VRF, enters as the range of its addresses: a
	 * range lying wholly inside an aggregate is exactly a prefix contained
	 * in it or equal to it (NetBox's net_contained_or_equal), and the
	 * ranges' union counts each address once.
	 */
	RETURN QUERY EXECUTE pg_catalog.format($q$
		WITH g AS (
			SELECT array_agg(x.prefix) AS blocks, array_agg(x.id) AS ids,
				   array_agg(x.rir_id) AS rirs
			FROM public.ipam_aggregate x
		), p AS (
			SELECT array_agg(x.prefix::inet) AS first, array_agg(broadcast(x.prefix)) AS last
			FROM public.ipam_prefix x
		)
		SELECT g.ids[u.n], u.block, rir.name::text, u.used_addresses,
			   %1$s.addr_count(u.block),
			   least(100, (u.used_addresses::float8 / %1$s.addr_count(u.block)::float8) * 100)
		FROM g CROSS JOIN p
		CROSS JOIN LATERAL %1$s.cidr_tree_usage(g.blocks, NULL, p.first, p.last) u
		LEFT JOIN public.ipam_rir rir ON rir.id = g.rirs[u.n]
		ORDER BY u.block, 1
	$q$, ap);
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_aggregate_utilization() IS
'NetBox''s Aggregate.get_utilization for every aggregate (NetBox 4.6 semantics), ordered by prefix and id: used = distinct addresses of the union of every prefix contained in or equal to the aggregate, in any VRF and of any status; size = its addresses; utilization = least(100, used / size * 100); rir = the RIR''s name';

CREATE FUNCTION @extschema@.netbox_available_prefixes(prefix_id pg_catalog.int8)
RETURNS SETOF pg_catalog.cidr
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
ROWS 16
AS $fn$
DECLARE
	ap		text := @extschema@.netbox_check('ipam_prefix');
	block	cidr;
	vrf		bigint;
BEGIN
	SELECT x.prefix, x.vrf_id INTO block, vrf FROM public.ipam_prefix x WHERE x.id = prefix_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'prefix not found',
			DETAIL = pg_catalog.format('No row of public.ipam_prefix has id %s.', prefix_id),
			HINT = 'Give the id of a NetBox prefix (the number in its URL, /ipam/prefixes/<id>/).';
	END IF;
	RETURN QUERY EXECUTE pg_catalog.format($q$
		SELECT unnest(%1$s.cidr_except(ARRAY[$1],
			   coalesce((SELECT array_agg(c.prefix) FROM public.ipam_prefix c
						 WHERE c.prefix << $1 AND c.vrf_id IS NOT DISTINCT FROM $2), '{}')))
	$q$, ap) USING block, vrf;
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_available_prefixes(pg_catalog.int8) IS
'NetBox''s get_available_prefixes of one prefix (NetBox 4.6 semantics): the prefix minus the union of the prefixes strictly inside it in the same VRF (NULL = the global table), as the minimal CIDR list in address order (netaddr''s IPSet.iter_cidrs); error 22023 for an unknown id';

CREATE FUNCTION @extschema@.netbox_first_available_prefix(prefix_id pg_catalog.int8, masklen pg_catalog.int4)
RETURNS pg_catalog.cidr
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	ap		text := @extschema@.netbox_check('ipam_prefix');
	block	cidr;
	vrf		bigint;
	result	cidr;
BEGIN
	SELECT x.prefix, x.vrf_id INTO block, vrf FROM public.ipam_prefix x WHERE x.id = prefix_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'invalid_parameter_value',
			MESSAGE = 'prefix not found',
			DETAIL = pg_catalog.format('No row of public.ipam_prefix has id %s.', prefix_id),
			HINT = 'Give the id of a NetBox prefix (the number in its URL, /ipam/prefixes/<id>/).';
	END IF;
	EXECUTE pg_catalog.format($q$
		SELECT %1$s.cidr_first_free(ARRAY[$1],
			   coalesce((SELECT array_agg(c.prefix) FROM public.ipam_prefix c
						 WHERE c.prefix << $1 AND c.vrf_id IS NOT DISTINCT FROM $2), '{}'),
			   $3)
	$q$, ap) INTO result USING block, vrf, masklen;
	RETURN result;
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_first_available_prefix(pg_catalog.int8, pg_catalog.int4) IS
'the lowest aligned /masklen inside the prefix that overlaps none of the prefixes strictly inside it in the same VRF (what NetBox''s available-prefixes API allocates for prefix_length: the network of the first available CIDR at least that large); NULL when none fits (also when masklen is shorter than the prefix''s); error 22023 for an unknown id or a masklen outside the family';

CREATE FUNCTION @extschema@.netbox_rir_eligibility()
RETURNS TABLE (
	rir pg_catalog.text,
	tenant_id pg_catalog.int8,
	family pg_catalog.int4,
	allocations pg_catalog.int8,
	total_allocated pg_catalog.numeric,
	total_used pg_catalog.numeric,
	recent_block pg_catalog.cidr,
	eligible pg_catalog.bool,
	recent_allocated pg_catalog.numeric,
	recent_used pg_catalog.numeric,
	total_hd pg_catalog.float8,
	recent_hd pg_catalog.float8,
	total_required pg_catalog.numeric,
	recent_required pg_catalog.numeric,
	reason pg_catalog.text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	ap	text := @extschema@.netbox_check('ipam_aggregate', 'ipam_rir', 'ipam_prefix');
BEGIN
	/*
	 * Each aggregate is an allocation dated date_added; its used count is
	 * the union of the active prefixes inside it (contained or equal, any
	 * VRF), the ranges trick of netbox_aggregate_utilization.  The verdict
	 * is the utilization aggregate's (the 2005 HD-ratio policy, defaults),
	 * per RIR, tenant and address family.
	 */
	RETURN QUERY EXECUTE pg_catalog.format($q$
		WITH g AS (
			SELECT array_agg(x.prefix) AS blocks, array_agg(x.id) AS ids
			FROM public.ipam_aggregate x
		), p AS (
			SELECT array_agg(x.prefix::inet) AS first, array_agg(broadcast(x.prefix)) AS last
			FROM public.ipam_prefix x
			WHERE x.status = 'active'
		), s AS (
			SELECT rir.id AS rir_id, rir.name::text AS rir, a.tenant_id, family(a.prefix) AS family,
				   %1$s.utilization(a.prefix, u.used_addresses, a.date_added) AS v
			FROM g CROSS JOIN p
			CROSS JOIN LATERAL %1$s.cidr_tree_usage(g.blocks, NULL, p.first, p.last) u
			JOIN public.ipam_aggregate a ON a.id = g.ids[u.n]
			JOIN public.ipam_rir rir ON rir.id = a.rir_id
			GROUP BY rir.id, rir.name, a.tenant_id, family(a.prefix)
		)
		SELECT s.rir, s.tenant_id, s.family, (s.v).allocations, (s.v).total_allocated,
			   (s.v).total_used, (s.v).recent_block, (s.v).eligible, (s.v).recent_allocated,
			   (s.v).recent_used, (s.v).total_hd, (s.v).recent_hd, (s.v).total_required,
			   (s.v).recent_required, (s.v).reason
		FROM s
		ORDER BY s.rir, s.rir_id, s.tenant_id NULLS FIRST, s.family
	$q$, ap);
END
$fn$;
COMMENT ON FUNCTION @extschema@.netbox_rir_eligibility() IS
'per RIR, aggregate tenant (NULL: none) and address family: each aggregate is an allocation dated date_added (NULL: the oldest), used = distinct addresses of the union of the active prefixes contained in or equal to it (any VRF); the figures and verdict of addrpolicy''s utilization aggregate (the 2005 HD-ratio policy with its defaults): can this organisation go back to its RIR for more?';
