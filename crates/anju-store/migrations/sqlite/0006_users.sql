-- Accounts and sessions (issue 6, accounts and access), sqlite.

-- 账号: one person, one role, optionally bounded to a place in the region tree or a company.
-- Never deleted: an account no longer wanted is disabled (active = 0).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name TEXT NOT NULL CHECK (display_name <> ''),
    -- argon2 PHC string; never copied into the audit log.
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2%'),
    role TEXT NOT NULL CHECK (role IN ('admin', 'housing_authority', 'finance', 'street',
        'community', 'company', 'evaluator', 'auditor')),
    region_id INTEGER REFERENCES regions (id),
    company_id INTEGER REFERENCES companies (id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, '账号不能删除，只能停用');
END;

-- Server-side sessions: only the SHA-256 of the cookie's token is kept, so a copy of the
-- database does not let anyone log in. Revoked on logout, never deleted.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    client TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
