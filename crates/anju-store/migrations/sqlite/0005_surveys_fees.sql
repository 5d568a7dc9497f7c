-- Satisfaction surveys, fees and public accounts (issue #5 items 4–6), sqlite.
-- Independent of 0004: only compounds from 0001 are referenced.

-- 满意度调查: one per compound and period; the required sample is computed by the rule when
-- the survey is created and stored with it.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    period TEXT NOT NULL CHECK (period <> ''),
    starts_on TEXT,
    ends_on TEXT,
    rule TEXT NOT NULL CHECK (rule IN ('erqi', 'daqintala')),
    households INTEGER NOT NULL CHECK (households >= 1),
    required_sample INTEGER NOT NULL CHECK (required_sample >= 0),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    -- The dismissal proposal a closed survey raised on the compound's contract, if any.
    dismissal_proposal_id INTEGER REFERENCES dismissal_proposals (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX surveys_compound ON surveys (compound_id, period);

-- One token per sampled household; answered once (used_at set with the response).
CREATE TABLE survey_tokens (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    token TEXT NOT NULL UNIQUE,
    household TEXT,
    used_at TEXT,
    satisfied INTEGER CHECK (satisfied IN (0, 1)),
    score INTEGER CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    CHECK ((used_at IS NULL) = (satisfied IS NULL))
);
CREATE INDEX survey_tokens_survey ON survey_tokens (survey_id);

-- 物业费收缴: billed and collected per compound per month, in fen.
CREATE TABLE fee_months (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    billed_fen INTEGER NOT NULL CHECK (billed_fen >= 0),
    collected_fen INTEGER NOT NULL CHECK (collected_fen >= 0),
    source TEXT NOT NULL CHECK (source IN ('import', 'entry')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (compound_id, month)
);

-- 收支公示: income and spending lines per compound and period, in fen.
CREATE TABLE account_entries (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    period TEXT NOT NULL CHECK (period <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('income_fees', 'income_public_revenue', 'income_subsidy', 'spending')),
    category TEXT,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (kind <> 'spending' OR (category IS NOT NULL AND category <> ''))
);
CREATE INDEX account_entries_compound ON account_entries (compound_id, period);

CREATE TRIGGER surveys_no_delete BEFORE DELETE ON surveys
BEGIN
    SELECT RAISE(ABORT, 'surveys 中的记录不能删除');
END;
CREATE TRIGGER survey_tokens_no_delete BEFORE DELETE ON survey_tokens
BEGIN
    SELECT RAISE(ABORT, 'survey_tokens 中的记录不能删除');
END;
CREATE TRIGGER fee_months_no_delete BEFORE DELETE ON fee_months
BEGIN
    SELECT RAISE(ABORT, 'fee_months 中的记录不能删除');
END;
CREATE TRIGGER account_entries_no_delete BEFORE DELETE ON account_entries
BEGIN
    SELECT RAISE(ABORT, 'account_entries 中的记录不能删除');
END;
