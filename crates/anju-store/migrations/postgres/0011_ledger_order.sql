-- The ledger pages in SQL: one index per order the ledger offers, led by the archive flag every
-- list filters on, so that a page is an index walk (ORDER BY … LIMIT/OFFSET) and not a sort of
-- the whole city. The expressions are exactly those of `CompoundSort::order_by` (compounds.rs):
-- the planner uses an expression index only for the same expression.
CREATE INDEX compounds_order_name ON compounds (archived, name, id);
CREATE INDEX compounds_order_households ON compounds (archived, (CASE WHEN households IS NULL THEN 1 ELSE 0 END), households DESC, id);
CREATE INDEX compounds_order_area ON compounds (archived, (CASE WHEN area IS NULL THEN 1 ELSE 0 END), area DESC, id);
CREATE INDEX compounds_order_built ON compounds (archived, (CASE WHEN built_year IS NULL THEN 1 ELSE 0 END), built_year, id);
CREATE INDEX compounds_order_updated ON compounds (archived, updated_at DESC, id DESC);
-- The region order is paged street × community at a time (`PlaceCounts`), each by name.
CREATE INDEX compounds_place ON compounds (street_id, community_id, archived, name, id);
-- The coverage figures of the ledger (`Store::ledger_figures`, by street × community × mode)
-- and of the dashboard (`Store::coverage_cells`, … × category) are summed from this index
-- alone, in its order: no sort, no read of the table.
CREATE INDEX compounds_figures ON compounds (archived, street_id, community_id, mode, category, owners_body, households, area);
