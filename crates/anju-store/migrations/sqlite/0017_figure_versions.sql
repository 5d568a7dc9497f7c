-- How far each street's figures have moved: a counter per street, raised in the same
-- transaction as every audited write that touches a record of that street (its compounds, their
-- contracts, orders, complaints, tasks, surveys, fees …, the street's selections, targets and
-- management areas). Row 0 is the city's: raised by a write that belongs to no one street (a
-- company, a region, a policy, an import). Pages that cache figures per street compare these
-- counters, so a write in one street leaves the other streets' figures warm (issue 17 item 2).
-- Derived, not a record: a row only ever counts up.
CREATE TABLE figure_versions (
    street_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO figure_versions (street_id, version) VALUES (0, 1);
