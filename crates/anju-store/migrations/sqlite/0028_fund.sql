-- 专项维修资金 (issue 19 item 4; seed 003 三（一）: 区住建局负责物业专项维修资金的归集管理和使用): per
-- compound the money deposited (首期归集 by 住建, or 续筹 on a carried owners' vote to raise it) and
-- each use: applied for by the street or community with its cost and quotes, decided by the
-- owners' vote (过半数), approved by 住建, and paid out. Amounts in fen; nothing deleted; a paid
-- use never changes.

CREATE TABLE fund_uses (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    title TEXT NOT NULL CHECK (title <> ''),
    cost_fen INTEGER NOT NULL CHECK (cost_fen > 0),
    -- 报价: the quotes gathered, as written.
    quotes TEXT,
    applied_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied', 'voted', 'approved', 'paid', 'rejected')),
    -- The owners' vote (使用维修资金) that carried it.
    vote_id INTEGER REFERENCES votes (id),
    approved_on TEXT,
    approved_by TEXT,
    paid_on TEXT,
    paid_fen INTEGER CHECK (paid_fen > 0),
    rejected_on TEXT,
    reason TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status IN ('voted', 'approved', 'paid')) = (vote_id IS NOT NULL)),
    CHECK ((status IN ('approved', 'paid')) = (approved_on IS NOT NULL)),
    CHECK ((status = 'paid') = (paid_on IS NOT NULL)),
    CHECK ((status = 'paid') = (paid_fen IS NOT NULL)),
    CHECK (paid_fen IS NULL OR paid_fen <= cost_fen),
    CHECK ((status = 'rejected') = (rejected_on IS NOT NULL))
);
CREATE INDEX fund_uses_compound ON fund_uses (compound_id, status);

CREATE TABLE fund_entries (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    -- deposit: 首期归集/缴存; raised: 续筹 on a carried vote; payout: a use paid.
    kind TEXT NOT NULL CHECK (kind IN ('deposit', 'raised', 'payout')),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    on_day TEXT NOT NULL,
    note TEXT,
    vote_id INTEGER REFERENCES votes (id),
    use_id INTEGER REFERENCES fund_uses (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'raised') = (vote_id IS NOT NULL)),
    CHECK ((kind = 'payout') = (use_id IS NOT NULL))
);
CREATE INDEX fund_entries_compound ON fund_entries (compound_id, on_day);

CREATE TRIGGER fund_uses_no_delete BEFORE DELETE ON fund_uses
BEGIN
    SELECT RAISE(ABORT, 'fund_uses 中的记录不能删除');
END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund_entries 中的记录不能删除');
END;
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'fund_entries 中的记录不能修改');
END;
CREATE TRIGGER fund_uses_final BEFORE UPDATE ON fund_uses
WHEN OLD.status IN ('paid', 'rejected')
BEGIN
    SELECT RAISE(ABORT, '已拨付或已驳回的维修资金使用申请不能修改');
END;
