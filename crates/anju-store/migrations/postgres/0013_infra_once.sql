-- 基础设施投入资金 once per compound (seed 004 三（五）), kept by the database: the grant's line
-- and this row are written in one transaction, and a second grant for the compound fails on the
-- primary key whatever the timing (ten concurrent requests make one grant). Lines granted twice
-- before this migration keep their first grant here; the later ones stay in the record as they
-- were (lines are never deleted), for whoever audits them.
CREATE TABLE infra_grants (
    compound_id BIGINT PRIMARY KEY REFERENCES compounds (id),
    line_id BIGINT NOT NULL UNIQUE REFERENCES subsidy_lines (id)
);
INSERT INTO infra_grants (compound_id, line_id)
SELECT compound_id, MIN(id) FROM subsidy_lines WHERE kind = 'infrastructure' GROUP BY compound_id;
