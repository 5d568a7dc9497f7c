-- The 工作台's 周巡查、月考核 alerts read each served compound's latest patrol of a kind: an index
-- that answers it for one compound at a time (one street's piece reads only its compounds).
CREATE INDEX patrols_compound_kind ON patrols (compound_id, kind, patrol_date);
