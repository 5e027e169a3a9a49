-- test/netbox/schema.sql -- a minimal NetBox-shaped IPAM schema: the tables
-- and columns addrpolicy_netbox reads, with the names and types of NetBox
-- 4.2's own dump (examples/netbox/data/netbox-demo-v4.2.sql.gz), and the
-- indexes NetBox has on them (4.2's, plus the GiST index on ipam_prefix
-- that NetBox 4.6 declares).  For the generated databases of test/netbox
-- and test/bench; a real NetBox database has many more columns.
CREATE TABLE public.ipam_rir (
    id bigint NOT NULL PRIMARY KEY,
    name character varying(100) NOT NULL,
    slug character varying(100) NOT NULL,
    is_private boolean NOT NULL
);
CREATE TABLE public.ipam_aggregate (
    id bigint NOT NULL PRIMARY KEY,
    prefix cidr NOT NULL,
    date_added date,
    rir_id bigint NOT NULL,
    tenant_id bigint
);
CREATE TABLE public.ipam_prefix (
    id bigint NOT NULL PRIMARY KEY,
    prefix cidr NOT NULL,
    status character varying(50) NOT NULL,
    is_pool boolean NOT NULL,
    tenant_id bigint,
    vrf_id bigint,
    mark_utilized boolean NOT NULL
);
CREATE TABLE public.ipam_ipaddress (
    id bigint NOT NULL PRIMARY KEY,
    address inet NOT NULL,
    status character varying(50) NOT NULL,
    vrf_id bigint
);
CREATE TABLE public.ipam_iprange (
    id bigint NOT NULL PRIMARY KEY,
    start_address inet NOT NULL,
    end_address inet NOT NULL,
    size integer NOT NULL,
    status character varying(50) NOT NULL,
    vrf_id bigint,
    mark_utilized boolean NOT NULL
);
