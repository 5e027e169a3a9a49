-- test/netbox/indexes.sql -- NetBox's indexes on the tables of schema.sql
-- (created after loading: faster than maintaining them row by row)
CREATE INDEX ipam_aggregate_rir_id ON public.ipam_aggregate USING btree (rir_id);
CREATE INDEX ipam_prefix_vrf_id ON public.ipam_prefix USING btree (vrf_id);
CREATE INDEX ipam_prefix_gist_idx ON public.ipam_prefix USING gist (prefix inet_ops);
CREATE INDEX ipam_ipaddress_host ON public.ipam_ipaddress USING btree (((host(address))::inet));
CREATE INDEX ipam_ipaddress_vrf_id ON public.ipam_ipaddress USING btree (vrf_id);
CREATE INDEX ipam_iprange_vrf_id ON public.ipam_iprange USING btree (vrf_id);
ANALYZE public.ipam_rir, public.ipam_aggregate, public.ipam_prefix,
        public.ipam_ipaddress, public.ipam_iprange;
