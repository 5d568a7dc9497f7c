-- Anju schema, sqlite: 0002.
-- 全覆盖路径: lifecycle steps, evidence, selections, contracts, dismissal proposals, targets.
-- Conventions as in 0001. Nothing is ever deleted (triggers below refuse it).

-- Uploaded evidence (scans, photos), content-addressed: the file lives on disk under its
-- SHA-256; this row says what it is.
CREATE TABLE evidence (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    mime TEXT NOT NULL,
    original_name TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Where each compound stands on the path (one row per compound once a step is recorded).
CREATE TABLE compound_lifecycle (
    compound_id INTEGER PRIMARY KEY REFERENCES compounds (id),
    stage TEXT NOT NULL CHECK (stage IN ('census', 'consulted', 'mode_decided', 'owners_settled', 'company_selected', 'contract_signed', 'filed', 'trial_run', 'entered', 'in_service')),
    mode TEXT CHECK (mode IN ('professional', 'state_takeover', 'street_fallback', 'employer', 'neighbour', 'self_managed', 'none')),
    owners_settled INTEGER NOT NULL DEFAULT 0 CHECK (owners_settled IN (0, 1)),
    company_id INTEGER REFERENCES companies (id),
    contract_id INTEGER,
    filed INTEGER NOT NULL DEFAULT 0 CHECK (filed IN (0, 1)),
    last_date TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE INDEX compound_lifecycle_stage ON compound_lifecycle (stage);

-- The append-only log of steps.
CREATE TABLE compound_steps (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    stage_from TEXT NOT NULL,
    stage_to TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX compound_steps_compound ON compound_steps (compound_id, id);

CREATE TABLE step_evidence (
    step_id INTEGER NOT NULL REFERENCES compound_steps (id),
    sha256 TEXT NOT NULL REFERENCES evidence (sha256),
    PRIMARY KEY (step_id, sha256)
);

-- 物业服务合同. One contract, one company (seed 001: 1个物业服务项目对应1家物业服务企业).
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    signer TEXT NOT NULL CHECK (signer IN ('owners_body', 'street', 'community')),
    signer_name TEXT,
    signed_on TEXT NOT NULL,
    entry_on TEXT,
    term_months INTEGER NOT NULL CHECK (term_months > 0),
    service_level INTEGER NOT NULL CHECK (service_level BETWEEN 1 AND 5),
    fee_multi_fen INTEGER CHECK (fee_multi_fen >= 0),
    fee_high_fen INTEGER CHECK (fee_high_fen >= 0),
    served_area INTEGER NOT NULL CHECK (served_area >= 0),
    notice_on TEXT,
    filed_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'terminated')),
    ended_on TEXT,
    end_kind TEXT CHECK (end_kind IN ('dismissal', 'expiry', 'exit')),
    end_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contracts_company ON contracts (company_id);

CREATE TABLE contract_compounds (
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    PRIMARY KEY (contract_id, compound_id)
);
CREATE INDEX contract_compounds_compound ON contract_compounds (compound_id);

-- Satisfaction surveys read against seed 004 三(二) (> 50 % of owners dissatisfied).
CREATE TABLE dismissal_proposals (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    surveyed_on TEXT NOT NULL,
    owners INTEGER NOT NULL CHECK (owners > 0),
    respondents INTEGER NOT NULL CHECK (respondents >= 0),
    dissatisfied INTEGER NOT NULL CHECK (dissatisfied >= 0),
    raised INTEGER NOT NULL CHECK (raised IN (0, 1)),
    note TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX dismissal_proposals_contract ON dismissal_proposals (contract_id);

-- 公开遴选 (seed 004 三(二)).
CREATE TABLE selections (
    id INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES regions (id),
    title TEXT NOT NULL CHECK (title <> ''),
    announced_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('announced', 'screened', 'shortlisted')),
    screened_on TEXT,
    shortlisted_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (deadline >= announced_on)
);

CREATE TABLE selection_registrations (
    id INTEGER PRIMARY KEY,
    selection_id INTEGER NOT NULL REFERENCES selections (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    registered_on TEXT NOT NULL,
    qualified INTEGER CHECK (qualified IN (0, 1)),
    screen_note TEXT,
    shortlisted INTEGER NOT NULL DEFAULT 0 CHECK (shortlisted IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (selection_id, company_id)
);

-- Recommendation of the shortlist to a compound's owners' body, and its choice.
CREATE TABLE selection_compounds (
    selection_id INTEGER NOT NULL REFERENCES selections (id),
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    recommended_on TEXT NOT NULL,
    company_id INTEGER REFERENCES companies (id),
    chosen_on TEXT,
    PRIMARY KEY (selection_id, compound_id)
);

-- 阶段目标 (seed 004 二, 三(一)).
CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES regions (id),
    kind TEXT NOT NULL CHECK (kind IN ('covered', 'owners_body')),
    share_percent INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
    due TEXT NOT NULL,
    baseline_on TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (street_id, kind, share_percent, due)
);

CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence 中的记录不能删除');
END;
CREATE TRIGGER compound_lifecycle_no_delete BEFORE DELETE ON compound_lifecycle
BEGIN
    SELECT RAISE(ABORT, 'compound_lifecycle 中的记录不能删除');
END;
CREATE TRIGGER compound_steps_no_delete BEFORE DELETE ON compound_steps
BEGIN
    SELECT RAISE(ABORT, 'compound_steps 中的记录不能删除');
END;
CREATE TRIGGER step_evidence_no_delete BEFORE DELETE ON step_evidence
BEGIN
    SELECT RAISE(ABORT, 'step_evidence 中的记录不能删除');
END;
CREATE TRIGGER contracts_no_delete BEFORE DELETE ON contracts
BEGIN
    SELECT RAISE(ABORT, 'contracts 中的记录不能删除');
END;
CREATE TRIGGER contract_compounds_no_delete BEFORE DELETE ON contract_compounds
BEGIN
    SELECT RAISE(ABORT, 'contract_compounds 中的记录不能删除');
END;
CREATE TRIGGER dismissal_proposals_no_delete BEFORE DELETE ON dismissal_proposals
BEGIN
    SELECT RAISE(ABORT, 'dismissal_proposals 中的记录不能删除');
END;
CREATE TRIGGER selections_no_delete BEFORE DELETE ON selections
BEGIN
    SELECT RAISE(ABORT, 'selections 中的记录不能删除');
END;
CREATE TRIGGER selection_registrations_no_delete BEFORE DELETE ON selection_registrations
BEGIN
    SELECT RAISE(ABORT, 'selection_registrations 中的记录不能删除');
END;
CREATE TRIGGER selection_compounds_no_delete BEFORE DELETE ON selection_compounds
BEGIN
    SELECT RAISE(ABORT, 'selection_compounds 中的记录不能删除');
END;
CREATE TRIGGER targets_no_delete BEFORE DELETE ON targets
BEGIN
    SELECT RAISE(ABORT, 'targets 中的记录不能删除');
END;
