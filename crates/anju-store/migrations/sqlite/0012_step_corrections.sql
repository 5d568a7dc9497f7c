-- Anju schema, sqlite: 0012.
-- 更正: a wrongly dated or wrong step of the path is corrected, never deleted. A correction
-- either re-dates a step (a new compound_steps row with the same event and detail, `corrects`
-- naming the step it replaces) or voids it (撤销: it did not happen; no new step). Either way
-- one step_corrections row marks the old step superseded, with the reason, who and when; the
-- old step stays in compound_steps as it was. Steps in force: those without a correction row.

ALTER TABLE compound_steps ADD COLUMN corrects INTEGER REFERENCES compound_steps (id);

CREATE TABLE step_corrections (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    -- The superseded step: at most one correction each (a re-dated step is corrected again
    -- through the step that replaced it).
    step_id INTEGER NOT NULL UNIQUE REFERENCES compound_steps (id),
    kind TEXT NOT NULL CHECK (kind IN ('redate', 'void')),
    -- The step that replaces it (re-dating only).
    replaced_by INTEGER REFERENCES compound_steps (id),
    old_on TEXT NOT NULL,
    new_on TEXT,
    reason TEXT NOT NULL CHECK (reason <> ''),
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'redate' AND new_on IS NOT NULL AND replaced_by IS NOT NULL)
        OR (kind = 'void' AND new_on IS NULL AND replaced_by IS NULL))
);
CREATE INDEX step_corrections_compound ON step_corrections (compound_id, id);

CREATE TRIGGER step_corrections_no_delete BEFORE DELETE ON step_corrections
BEGIN
    SELECT RAISE(ABORT, 'step_corrections 中的记录不能删除');
END;
CREATE TRIGGER step_corrections_no_update BEFORE UPDATE ON step_corrections
BEGIN
    SELECT RAISE(ABORT, 'step_corrections 只能追加，不能修改');
END;
