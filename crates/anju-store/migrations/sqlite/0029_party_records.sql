-- Red property records (红色物业, issue 19 item 3; seed 002 一（一）、一（三）, 附件 items 6–9): per
-- compound a 党支部 or 党小组 with its party members, a 党建指导员 sent by the street or community, the
-- two cross appointments (双向进入、交叉任职) and the half-yearly 征询 with its reasonable suggestions
-- and how many were rectified. Dated; an end date or a corrected count instead of a deletion.
CREATE TABLE party_records (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    kind TEXT NOT NULL CHECK (kind IN ('branch', 'group', 'instructor', 'head_in_committee',
        'quality_supervisor', 'consultation')),
    -- The branch's name or the person's.
    name TEXT,
    -- 派驻单位 of an instructor.
    sent_by TEXT,
    members INTEGER NOT NULL DEFAULT 0 CHECK (members >= 0),
    suggestions INTEGER NOT NULL DEFAULT 0 CHECK (suggestions >= 0),
    rectified INTEGER NOT NULL DEFAULT 0 CHECK (rectified >= 0 AND rectified <= suggestions),
    -- A 征询's day; otherwise the first day in force.
    started_on TEXT NOT NULL,
    ended_on TEXT CHECK (ended_on IS NULL OR ended_on >= started_on),
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX party_records_compound ON party_records (compound_id, kind, started_on);

CREATE TRIGGER party_records_no_delete BEFORE DELETE ON party_records
BEGIN
    SELECT RAISE(ABORT, 'party_records 中的记录不能删除');
END;
