-- 第三方评价机构活动经费 (seed 001 三（四）: "第三方评价机构活动经费由市级财政负担"): what the city
-- paid an evaluator for a period's evaluations, when, with a note. Records of payments made:
-- never deleted (a wrong one is answered by a correcting entry, audited like every write).
CREATE TABLE evaluator_fees (
    id INTEGER PRIMARY KEY,
    evaluator TEXT NOT NULL CHECK (evaluator <> ''),
    period TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    payer TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX evaluator_fees_evaluator ON evaluator_fees (evaluator, period);
CREATE TRIGGER evaluator_fees_no_delete BEFORE DELETE ON evaluator_fees
BEGIN
    SELECT RAISE(ABORT, 'evaluator_fees 中的记录不能删除');
END;
