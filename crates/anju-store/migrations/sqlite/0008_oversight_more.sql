-- Oversight, continued (issue #5 gaps), sqlite: public keys of the compounds' public pages,
-- the resident's contact on a complaint, evidence on complaints and answers, the holiday list
-- for working-day deadlines.

-- 公示页 key per compound: random and unguessable, made on first use; never the numeric id.
CREATE TABLE compound_public_keys (
    compound_id INTEGER PRIMARY KEY REFERENCES compounds (id),
    public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) >= 20),
    created_at TEXT NOT NULL
);

-- 联系方式 left by a resident (optional).
ALTER TABLE complaints ADD COLUMN contact TEXT;

-- 证明材料 of a complaint (stage 'complaint') or of its answer (stage 'answer').
CREATE TABLE complaint_evidence (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    stage TEXT NOT NULL CHECK (stage IN ('complaint', 'answer')),
    sha256 TEXT NOT NULL REFERENCES evidence (sha256),
    created_at TEXT NOT NULL,
    PRIMARY KEY (complaint_id, stage, sha256)
);

-- 法定节假日 (and other non-working days) skipped by working-day deadlines.
CREATE TABLE holidays (
    day TEXT PRIMARY KEY CHECK (length(day) = 10),
    name TEXT NOT NULL CHECK (name <> ''),
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
