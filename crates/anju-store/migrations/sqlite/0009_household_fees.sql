-- 按户明细 (issue #5, optional per-household fee detail), sqlite: billed and collected per
-- household (楼-单元-室 as written) per month. When a compound's month has household rows, its
-- fee_months row is their sum, written in the same transaction.
CREATE TABLE household_fees (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    household TEXT NOT NULL CHECK (household <> ''),
    month TEXT NOT NULL CHECK (length(month) = 7),
    billed_fen INTEGER NOT NULL CHECK (billed_fen >= 0),
    collected_fen INTEGER NOT NULL CHECK (collected_fen >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (compound_id, month, household)
);

CREATE TRIGGER household_fees_no_delete BEFORE DELETE ON household_fees
BEGIN
    SELECT RAISE(ABORT, 'household_fees 中的记录不能删除');
END;
