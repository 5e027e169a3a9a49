-- test/dump/registry.sql — the example registry (examples/registry/) in the
-- pg_dump test: CHECK constraints calling addr_count and prefix_size,
-- exclusion constraints, row and statement triggers (with transition
-- tables), PL/pgSQL functions with SET search_path (one SECURITY DEFINER),
-- and views over the utilization aggregate, unit_count and free_block_counts,
-- all in schema "registry", with a little data made through the triggers;
-- and a trigger of this test's own whose WHEN clause calls the extension
-- (the registry's triggers have no WHEN clause: its checks hold at every
-- trigger depth).
\ir ../../examples/registry/schema.sql
\ir ../../examples/registry/views.sql

CREATE TABLE registry.large_allocation (block cidr NOT NULL);
CREATE FUNCTION registry.note_large() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO registry.large_allocation VALUES (NEW.block);
	RETURN NULL;
END
$$;
CREATE TRIGGER allocation_large
	AFTER INSERT ON registry.allocation
	FOR EACH ROW
	WHEN (family(NEW.block) = 4 AND addr_count(NEW.block) >= prefix_size(20))
	EXECUTE FUNCTION registry.note_large();

INSERT INTO registry.member (id, name, joined) VALUES
	(1, 'Alpha Net', '2015-01-01'), (2, 'Beta Telecom', '2016-06-01');
INSERT INTO registry.free_pool (block) VALUES ('10.0.0.0/14'), ('2001:db8::/32');
DO $$
BEGIN
	PERFORM registry.allocate(1, 20, '2019-01-10');
	PERFORM registry.allocate(1, 21, '2019-06-01');
	PERFORM registry.allocate(2, 18, '2019-02-01');
	PERFORM registry.allocate(2, 40, '2019-03-01', 6);
END
$$;
INSERT INTO registry.allocation (member, block, allocated_on, source)
VALUES (2, '172.16.0.0/20', '2018-06-01', 'transfer');
INSERT INTO registry.assignment (member, block, assigned_on)
SELECT a.member, set_masklen(a.block, masklen(a.block) + 1), a.allocated_on + 30
FROM registry.allocation a;
INSERT INTO registry.assignment (member, block, assigned_on)
VALUES (2, '2001:db8:0:100::/56', '2019-04-01'), (2, '2001:db8:0:200::/64', '2019-04-02');
