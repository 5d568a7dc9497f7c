-- Owners' bodies as records (issue 19 item 1; seed 001 四（五）, 003 二（二）, 004 三（一）): a
-- compound's 业主委员会, 物业管理委员会 or 环境和物业管理委员会 through 筹备 → 选举 → 备案 → 届满, with
-- its members (role, party membership, contact, duties) and its term; the next term is a new body
-- whose filing ends the one before (换届). Nothing is deleted.
CREATE TABLE owners_bodies (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    kind TEXT NOT NULL CHECK (kind IN ('owners_committee', 'management_committee',
        'environment_committee')),
    status TEXT NOT NULL CHECK (status IN ('preparing', 'elected', 'in_office', 'ended')),
    -- 筹备组成立日期.
    prepared_on TEXT NOT NULL,
    elected_on TEXT,
    filed_on TEXT,
    -- 任期（年）, and the term's last day once elected.
    term_years INTEGER NOT NULL CHECK (term_years BETWEEN 1 AND 5),
    term_last_day TEXT,
    ended_on TEXT,
    end_reason TEXT,
    -- The body this one succeeds (换届).
    predecessor_id INTEGER REFERENCES owners_bodies (id),
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (elected_on IS NULL OR elected_on >= prepared_on),
    CHECK (filed_on IS NULL OR (elected_on IS NOT NULL AND filed_on >= elected_on)),
    CHECK ((status = 'preparing') = (elected_on IS NULL)),
    CHECK (status <> 'in_office' OR filed_on IS NOT NULL),
    CHECK (status NOT IN ('preparing', 'elected') OR filed_on IS NULL)
);
CREATE INDEX owners_bodies_compound ON owners_bodies (compound_id, status);
CREATE INDEX owners_bodies_term ON owners_bodies (status, term_last_day);
-- One body at a time being prepared or elected per compound (two offices writing at once
-- cannot both start one).
CREATE UNIQUE INDEX owners_bodies_one_pending ON owners_bodies (compound_id)
    WHERE status IN ('preparing', 'elected');

-- 成员: from the day they joined (elected or co-opted) until they leave.
CREATE TABLE owners_body_members (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES owners_bodies (id),
    name TEXT NOT NULL CHECK (name <> ''),
    role TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'member', 'alternate', 'preparer')),
    party_member INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
    -- Kept for the street and the community; never on a public page.
    contact TEXT,
    -- 职责清单 (seed 004 三（一）).
    duties TEXT,
    joined_on TEXT NOT NULL,
    left_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX owners_body_members_body ON owners_body_members (body_id);

CREATE TRIGGER owners_bodies_no_delete BEFORE DELETE ON owners_bodies
BEGIN
    SELECT RAISE(ABORT, 'owners_bodies 中的记录不能删除');
END;
CREATE TRIGGER owners_body_members_no_delete BEFORE DELETE ON owners_body_members
BEGIN
    SELECT RAISE(ABORT, 'owners_body_members 中的记录不能删除');
END;
CREATE TRIGGER owners_bodies_ended_immutable BEFORE UPDATE ON owners_bodies
WHEN OLD.status = 'ended'
BEGIN
    SELECT RAISE(ABORT, '已届满的业主组织不能修改');
END;
