-- Oversight: assessments, patrols with rectification orders, complaints (issue #5 items 1–3),
-- sqlite. References only regions, companies and compounds (0001) and evidence (0002).

-- 第三方测评机构 may assess only the compounds assigned to them.
CREATE TABLE evaluator_assignments (
    id INTEGER PRIMARY KEY,
    evaluator TEXT NOT NULL CHECK (evaluator <> ''),
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (evaluator, compound_id)
);

-- 考核: one row per assessment; events, survey and scorecard as JSON; score in hundredths.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    company_id INTEGER REFERENCES companies (id),
    period TEXT NOT NULL,
    period_kind TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter', 'half_year', 'year')),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    assessor_kind TEXT NOT NULL CHECK (assessor_kind IN ('street', 'housing_authority', 'third_party')),
    assessor TEXT NOT NULL CHECK (assessor <> ''),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'reviewed', 'objected', 'final')),
    events TEXT NOT NULL,
    survey TEXT,
    scorecard TEXT NOT NULL,
    score_e2 INTEGER NOT NULL CHECK (score_e2 >= 0),
    grade_code TEXT,
    passed INTEGER CHECK (passed IN (0, 1)),
    objection_days INTEGER NOT NULL CHECK (objection_days >= 0),
    submitted_on TEXT,
    review_outcome TEXT CHECK (review_outcome IN ('upheld', 'adjusted')),
    review_reason TEXT,
    reviewed_by TEXT,
    reviewed_on TEXT,
    objection TEXT,
    objected_on TEXT,
    decision TEXT CHECK (decision IN ('upheld', 'adjusted')),
    decision_reason TEXT,
    final_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX assessments_compound ON assessments (compound_id, period);

-- Evidence (by SHA-256) linked to an assessment, a finding, an order's answer or a complaint.
CREATE TABLE oversight_evidence (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES evidence (sha256),
    UNIQUE (entity, entity_id, sha256)
);

-- 巡查 (周巡查 / 月考核) and their findings.
CREATE TABLE patrols (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    kind TEXT NOT NULL CHECK (kind IN ('weekly_patrol', 'monthly_check')),
    patrol_date TEXT NOT NULL,
    inspector TEXT NOT NULL CHECK (inspector <> ''),
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE patrol_findings (
    id INTEGER PRIMARY KEY,
    patrol_id INTEGER NOT NULL REFERENCES patrols (id),
    category TEXT NOT NULL CHECK (category IN ('environment', 'facilities', 'order', 'safety')),
    description TEXT NOT NULL CHECK (description <> '')
);

-- 整改通知: a finding sent to the compound's company with a deadline (the day itself on time).
CREATE TABLE rectification_orders (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL UNIQUE REFERENCES patrol_findings (id),
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    issued_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    answer TEXT,
    answered_on TEXT,
    answered_late INTEGER NOT NULL DEFAULT 0 CHECK (answered_late IN (0, 1)),
    closed_on TEXT,
    reopened INTEGER NOT NULL DEFAULT 0 CHECK (reopened >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rectification_orders_company ON rectification_orders (company_id, status);

-- 投诉 (居民 / 12345 热线): deadlines in working days, answer, rating, closing.
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    company_id INTEGER REFERENCES companies (id),
    source TEXT NOT NULL CHECK (source IN ('resident', 'hotline_12345', 'other')),
    category TEXT NOT NULL CHECK (category <> ''),
    text TEXT NOT NULL CHECK (text <> ''),
    received_on TEXT NOT NULL,
    sign_deadline TEXT NOT NULL,
    answer_deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'signed', 'answered', 'closed')),
    signed_on TEXT,
    answer TEXT,
    answered_on TEXT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    closed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX complaints_company ON complaints (company_id, received_on);

CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments 中的记录不能删除');
END;
CREATE TRIGGER assessments_final_immutable BEFORE UPDATE ON assessments
WHEN OLD.status = 'final'
BEGIN
    SELECT RAISE(ABORT, '已定案的考核不能修改');
END;
CREATE TRIGGER rectification_orders_no_delete BEFORE DELETE ON rectification_orders
BEGIN
    SELECT RAISE(ABORT, 'rectification_orders 中的记录不能删除');
END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN
    SELECT RAISE(ABORT, 'complaints 中的记录不能删除');
END;
