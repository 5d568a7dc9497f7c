-- 站内信 (issue 18 item 7): what reaches a user's inbox — a referral made to their department,
-- a result to confirm, an overdue item, a filing day — with when it was read. A notice raised by
-- the daily sweep carries a key (dedupe) so that it reaches each user once.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    dedupe TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (user_id, dedupe)
);
CREATE INDEX notices_user ON notices (user_id, read_at);
