-- Credit files, tasks and management areas (issue #4 items 2, 5, 6), sqlite.
-- Independent of 0002: only regions, companies and compounds from 0001 are referenced.

-- 信用档案: what a company's credit grade is computed from. Append-only (a wrong record is
-- corrected by a new one, never edited). Scores and points in hundredths (8550 = 85.50).
CREATE TABLE company_records (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    kind TEXT NOT NULL CHECK (kind IN ('assessment', 'bad_conduct', 'complaint', 'dismissal')),
    happened_on TEXT NOT NULL,
    period TEXT,
    score_e2 INTEGER CHECK (score_e2 BETWEEN 0 AND 10000),
    points_e2 INTEGER CHECK (points_e2 >= 0),
    complaints INTEGER CHECK (complaints >= 1),
    compound_id INTEGER REFERENCES compounds (id),
    assessor TEXT,
    note TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (kind <> 'assessment' OR score_e2 IS NOT NULL),
    CHECK (kind <> 'complaint' OR complaints IS NOT NULL)
);
CREATE INDEX company_records_company ON company_records (company_id, happened_on);

CREATE TRIGGER company_records_no_update BEFORE UPDATE ON company_records
BEGIN
    SELECT RAISE(ABORT, '信用档案只能追加，不能修改');
END;
CREATE TRIGGER company_records_no_delete BEFORE DELETE ON company_records
BEGIN
    SELECT RAISE(ABORT, '信用档案只能追加，不能删除');
END;

-- 任务清单 (Shanting 附件3/4): a task per compound with its responsible person and deadline.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    title TEXT NOT NULL CHECK (title <> ''),
    detail TEXT,
    responsible TEXT NOT NULL CHECK (responsible <> ''),
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'done') = (done_on IS NOT NULL))
);
CREATE INDEX tasks_compound ON tasks (compound_id);
CREATE INDEX tasks_deadline ON tasks (status, deadline);

CREATE TRIGGER tasks_no_delete BEFORE DELETE ON tasks
BEGIN
    SELECT RAISE(ABORT, 'tasks 中的记录不能删除，只能取消');
END;

-- 物业管理区域 of a street, as accepted from a plan; compounds name theirs in
-- compounds.management_area. An area left out of a later plan is archived.
CREATE TABLE management_areas (
    id INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL CHECK (name <> ''),
    households INTEGER NOT NULL CHECK (households >= 0),
    compounds INTEGER NOT NULL CHECK (compounds >= 0),
    target_households INTEGER NOT NULL CHECK (target_households > 0),
    explanation TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (street_id, name)
);

CREATE TRIGGER management_areas_no_delete BEFORE DELETE ON management_areas
BEGIN
    SELECT RAISE(ABORT, 'management_areas 中的记录不能删除，只能归档');
END;
