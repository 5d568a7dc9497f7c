-- Owners' votes (issue 19 item 2; 民法典 第二百七十八条): a compound's register of households
-- (业主名册: 房号, owner, exclusive area in 0.01 ㎡), and votes on a question with one ballot per
-- household by a one-use token (online) or entered from paper with its scan. The register's
-- households and area are frozen into the vote when it opens; a closed vote and a cast ballot
-- never change. Nothing is deleted.

CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    -- 房号 (楼-单元-室 as written).
    unit TEXT NOT NULL CHECK (unit <> ''),
    owner_name TEXT,
    -- 专有部分面积, hundredths of a square metre.
    area_centi INTEGER NOT NULL CHECK (area_centi > 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (compound_id, unit)
);

CREATE TABLE votes (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    matter TEXT NOT NULL CHECK (matter IN ('elect_committee', 'select_company', 'dismiss_company',
        'use_fund', 'raise_fund', 'rebuild', 'change_use', 'other')),
    question TEXT NOT NULL CHECK (question <> ''),
    -- 选举业主委员会: the body being elected.
    owners_body_id INTEGER REFERENCES owners_bodies (id),
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    -- The register when the vote opened: households (owners, 一个专有部分按一人计算) and area.
    owners INTEGER NOT NULL CHECK (owners >= 1),
    area_centi INTEGER NOT NULL CHECK (area_centi >= 1),
    closed_on TEXT,
    -- The tally and outcome per option (JSON), and the option carried, when closed.
    result TEXT,
    carried_option INTEGER,
    -- What the result was used for: the lifecycle step or dismissal proposal it led to.
    applied_note TEXT,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (closes_on >= opens_on),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
    CHECK ((status = 'closed') = (result IS NOT NULL)),
    CHECK (closed_on IS NULL OR closed_on >= opens_on)
);
CREATE INDEX votes_compound ON votes (compound_id, status);

-- The choices: 1..n. A yes/no question has one option, 同意.
CREATE TABLE vote_options (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES votes (id),
    no INTEGER NOT NULL CHECK (no >= 1),
    label TEXT NOT NULL CHECK (label <> ''),
    company_id INTEGER REFERENCES companies (id),
    UNIQUE (vote_id, no)
);

-- One ballot per household, made when the vote opens (its token is the household's link).
CREATE TABLE vote_ballots (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES votes (id),
    household_id INTEGER NOT NULL REFERENCES households (id),
    unit TEXT NOT NULL,
    area_centi INTEGER NOT NULL CHECK (area_centi > 0),
    token TEXT NOT NULL UNIQUE,
    cast_at TEXT,
    -- option: for option_no; against: 反对/都不同意; abstain: 弃权 (takes part, agrees to nothing).
    choice TEXT CHECK (choice IN ('option', 'against', 'abstain')),
    option_no INTEGER,
    channel TEXT CHECK (channel IN ('online', 'paper')),
    -- A paper ballot: the day it was received and its scan.
    received_on TEXT,
    evidence_sha TEXT REFERENCES evidence (sha256),
    entered_by TEXT,
    UNIQUE (vote_id, household_id),
    CHECK ((cast_at IS NULL) = (choice IS NULL)),
    CHECK ((cast_at IS NULL) = (channel IS NULL)),
    CHECK ((choice = 'option') = (option_no IS NOT NULL)),
    CHECK ((channel = 'paper') = (evidence_sha IS NOT NULL)),
    CHECK ((channel = 'paper') = (received_on IS NOT NULL))
);
CREATE INDEX vote_ballots_vote ON vote_ballots (vote_id, cast_at);

CREATE TRIGGER households_no_delete BEFORE DELETE ON households
BEGIN
    SELECT RAISE(ABORT, 'households 中的记录不能删除');
END;
CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
BEGIN
    SELECT RAISE(ABORT, 'votes 中的记录不能删除');
END;
CREATE TRIGGER vote_options_no_delete BEFORE DELETE ON vote_options
BEGIN
    SELECT RAISE(ABORT, 'vote_options 中的记录不能删除');
END;
CREATE TRIGGER vote_ballots_no_delete BEFORE DELETE ON vote_ballots
BEGIN
    SELECT RAISE(ABORT, 'vote_ballots 中的记录不能删除');
END;
-- A closed vote's figures never change; only what it was used for may be noted once.
CREATE TRIGGER votes_closed_immutable BEFORE UPDATE ON votes
WHEN OLD.status = 'closed' AND (NEW.status IS NOT OLD.status OR NEW.result IS NOT OLD.result
    OR NEW.carried_option IS NOT OLD.carried_option OR NEW.closed_on IS NOT OLD.closed_on
    OR NEW.owners IS NOT OLD.owners OR NEW.area_centi IS NOT OLD.area_centi
    OR OLD.applied_note IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, '已结束的表决不能修改');
END;
CREATE TRIGGER vote_options_immutable BEFORE UPDATE ON vote_options
BEGIN
    SELECT RAISE(ABORT, '表决选项不能修改');
END;
-- A ballot is cast once; nothing on a closed vote changes.
CREATE TRIGGER vote_ballots_cast_once BEFORE UPDATE ON vote_ballots
WHEN OLD.cast_at IS NOT NULL
    OR (SELECT status FROM votes WHERE id = OLD.vote_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, '选票已投出或表决已结束，不能修改');
END;
CREATE TRIGGER vote_ballots_closed_insert BEFORE INSERT ON vote_ballots
WHEN (SELECT status FROM votes WHERE id = NEW.vote_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, '表决已结束，不能再增加选票');
END;
