-- no-transaction
-- Owners' body members' accounts (issue 19 item 1): the role 'owners_body', bounded to one
-- compound. The users table is rebuilt (SQLite cannot change a CHECK in place) to admit the
-- role and carry the account's compound: SQLite's documented procedure, as in 0019, with
-- foreign keys off while the table is swapped.
PRAGMA foreign_keys = OFF;
BEGIN;

PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO users_before_0030;
DROP TRIGGER users_no_delete;
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name TEXT NOT NULL CHECK (display_name <> ''),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2%'),
    role TEXT NOT NULL CHECK (role IN ('admin', 'housing_authority', 'finance', 'street',
        'community', 'company', 'evaluator', 'auditor', 'department', 'owners_body')),
    region_id INTEGER REFERENCES regions (id),
    company_id INTEGER REFERENCES companies (id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    compound_id INTEGER REFERENCES compounds (id)
);
INSERT INTO users (id, username, display_name, password_hash, role, region_id, company_id,
    active, version, created_at, updated_at, department_id)
SELECT id, username, display_name, password_hash, role, region_id, company_id, active, version,
    created_at, updated_at, department_id FROM users_before_0030;
DROP TABLE users_before_0030;
PRAGMA legacy_alter_table = OFF;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, '账号不能删除，只能停用');
END;

COMMIT;
PRAGMA foreign_keys = ON;
