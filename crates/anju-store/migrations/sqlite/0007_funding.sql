-- Subsidy administration (issue 7 parts 1 and 2), sqlite: which policy governs which region,
-- subsidy runs with one line per compound and kind, the money's path and adjustment decisions.

-- 政策适用范围: a dated assignment of a policy id to a district or street (the latest `valid_from`
-- on or before a day holds; a street's assignment wins over its district's).
CREATE TABLE funding_policies (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    policy_id TEXT NOT NULL CHECK (policy_id <> ''),
    valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (region_id, valid_from)
);

-- 补贴测算: one per scope (street or district) and period; a rerun supersedes the earlier one.
CREATE TABLE subsidy_runs (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    period TEXT NOT NULL CHECK (period <> ''),
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX subsidy_runs_scope ON subsidy_runs (region_id, period);

-- One line per compound, kind and period. Money in fen; payers as JSON
-- [{"id","name","weight","amount_fen"}] adding up to amount_fen (approved_fen once approved).
CREATE TABLE subsidy_lines (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES subsidy_runs (id),
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    company_id INTEGER REFERENCES companies (id),
    contract_id INTEGER REFERENCES contracts (id),
    kind TEXT NOT NULL CHECK (kind IN ('subsidy', 'retention_release', 'infrastructure')),
    policy_id TEXT,
    period TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    retained_fen INTEGER NOT NULL DEFAULT 0 CHECK (retained_fen >= 0),
    approved_fen INTEGER CHECK (approved_fen >= 0),
    payers TEXT NOT NULL,
    reason_zh TEXT,
    reason_en TEXT,
    explanation_zh TEXT NOT NULL,
    explanation_en TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'superseded', 'applied', 'street_reviewed',
        'district_reviewed', 'approved', 'disbursed', 'returned')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((period_start IS NULL) = (period_end IS NULL))
);
CREATE INDEX subsidy_lines_run ON subsidy_lines (run_id);
CREATE INDEX subsidy_lines_compound ON subsidy_lines (compound_id, kind);

-- Each step on the path: who, on which day, with what comment (append-only).
CREATE TABLE subsidy_steps (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES subsidy_lines (id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    person TEXT NOT NULL,
    role TEXT NOT NULL,
    on_date TEXT NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX subsidy_steps_line ON subsidy_steps (line_id);

-- 调整决定: an approved amount changed, with the old and new amounts and the reason (append-only).
CREATE TABLE subsidy_adjustments (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES subsidy_lines (id),
    old_fen INTEGER NOT NULL,
    new_fen INTEGER NOT NULL CHECK (new_fen >= 0),
    reason TEXT NOT NULL CHECK (reason <> ''),
    decided_by TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TRIGGER funding_policies_no_delete BEFORE DELETE ON funding_policies
BEGIN
    SELECT RAISE(ABORT, 'funding_policies 中的记录不能删除');
END;
CREATE TRIGGER subsidy_runs_no_delete BEFORE DELETE ON subsidy_runs
BEGIN
    SELECT RAISE(ABORT, 'subsidy_runs 中的记录不能删除');
END;
CREATE TRIGGER subsidy_lines_no_delete BEFORE DELETE ON subsidy_lines
BEGIN
    SELECT RAISE(ABORT, 'subsidy_lines 中的记录不能删除');
END;
CREATE TRIGGER subsidy_steps_no_update BEFORE UPDATE ON subsidy_steps
BEGIN
    SELECT RAISE(ABORT, 'subsidy_steps 只能追加');
END;
CREATE TRIGGER subsidy_steps_no_delete BEFORE DELETE ON subsidy_steps
BEGIN
    SELECT RAISE(ABORT, 'subsidy_steps 只能追加');
END;
CREATE TRIGGER subsidy_adjustments_no_update BEFORE UPDATE ON subsidy_adjustments
BEGIN
    SELECT RAISE(ABORT, 'subsidy_adjustments 只能追加');
END;
CREATE TRIGGER subsidy_adjustments_no_delete BEFORE DELETE ON subsidy_adjustments
BEGIN
    SELECT RAISE(ABORT, 'subsidy_adjustments 只能追加');
END;
