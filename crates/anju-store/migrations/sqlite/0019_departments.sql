-- no-transaction
-- 镇街吹哨、部门报到 (issue 18 items 1–2; seed 003 二（二）、四): a district's departments with
-- their duty categories, department accounts, referrals (吹哨) with their steps and evidence.
-- The users table is rebuilt (SQLite cannot change a CHECK in place) to admit the role
-- 'department' and carry the account's department: SQLite's documented procedure, with
-- foreign keys off while the table is swapped.
PRAGMA foreign_keys = OFF;
BEGIN;

-- 职能部门 of a district (seed 003 四), editable; never deleted, only set inactive.
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL CHECK (name <> ''),
    -- The seed clause that gives its duties (四（八）), when it came from a seed.
    clause TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (district_id, name)
);

-- 职责类别: what a department can be referred (消防通道, 乱搭乱建 …).
CREATE TABLE department_duties (
    department_id INTEGER NOT NULL REFERENCES departments (id),
    category TEXT NOT NULL CHECK (category <> ''),
    PRIMARY KEY (department_id, category)
);
CREATE INDEX department_duties_category ON department_duties (category);

-- 吹哨事项: one matter referred to one department, with its deadline in working days.
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    source TEXT NOT NULL CHECK (source IN ('complaint', 'order', 'finding', 'other')),
    -- The complaint's or order's id when referred from one.
    source_id INTEGER,
    category TEXT NOT NULL CHECK (category <> ''),
    text TEXT NOT NULL CHECK (text <> ''),
    referred_on TEXT NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 60),
    deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('referred', 'acknowledged', 'resolved', 'returned',
        'confirmed')),
    referred_by TEXT NOT NULL,
    acknowledged_on TEXT,
    acknowledged_by TEXT,
    result TEXT,
    resolved_on TEXT,
    first_resolved_on TEXT,
    returns INTEGER NOT NULL DEFAULT 0 CHECK (returns >= 0),
    return_reason TEXT,
    confirmed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referrals_department ON referrals (department_id, status);
CREATE INDEX referrals_compound ON referrals (compound_id);

-- Each step of a referral as taken (报到, 办结, 确认, 退回), append-only.
CREATE TABLE referral_steps (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    step TEXT NOT NULL CHECK (step IN ('refer', 'acknowledge', 'resolve', 'confirm', 'return')),
    on_day TEXT NOT NULL,
    by_name TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX referral_steps_referral ON referral_steps (referral_id, id);

-- 证明材料 of a department's result.
CREATE TABLE referral_evidence (
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    sha256 TEXT NOT NULL REFERENCES evidence (sha256),
    created_at TEXT NOT NULL,
    PRIMARY KEY (referral_id, sha256)
);

CREATE TRIGGER departments_no_delete BEFORE DELETE ON departments
BEGIN
    SELECT RAISE(ABORT, 'departments 中的记录不能删除');
END;
CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN
    SELECT RAISE(ABORT, 'referrals 中的记录不能删除');
END;
CREATE TRIGGER referral_steps_no_delete BEFORE DELETE ON referral_steps
BEGIN
    SELECT RAISE(ABORT, 'referral_steps 中的记录不能删除');
END;
CREATE TRIGGER referral_steps_no_update BEFORE UPDATE ON referral_steps
BEGIN
    SELECT RAISE(ABORT, 'referral_steps 中的记录不能修改');
END;
CREATE TRIGGER referrals_confirmed_immutable BEFORE UPDATE ON referrals
WHEN OLD.status = 'confirmed'
BEGIN
    SELECT RAISE(ABORT, '已确认办结的吹哨事项不能修改');
END;

-- The old table is renamed out of the way with legacy_alter_table on, so that the sessions'
-- reference to users is left naming users (the new table), as the procedure requires.
PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO users_before_0019;
DROP TRIGGER users_no_delete;
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name TEXT NOT NULL CHECK (display_name <> ''),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2%'),
    role TEXT NOT NULL CHECK (role IN ('admin', 'housing_authority', 'finance', 'street',
        'community', 'company', 'evaluator', 'auditor', 'department')),
    region_id INTEGER REFERENCES regions (id),
    company_id INTEGER REFERENCES companies (id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id)
);
INSERT INTO users (id, username, display_name, password_hash, role, region_id, company_id,
    active, version, created_at, updated_at)
SELECT id, username, display_name, password_hash, role, region_id, company_id, active, version,
    created_at, updated_at FROM users_before_0019;
DROP TABLE users_before_0019;
PRAGMA legacy_alter_table = OFF;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, '账号不能删除，只能停用');
END;

COMMIT;
PRAGMA foreign_keys = ON;
