-- Anju schema, sqlite: 0027 (0026 is the owners' votes).
-- 老旧小区改造 linked to property management (issue 19 item 5; seed 002 六): a compound's
-- renovation projects with their dated milestones (手续办理, 施工进场, 竣工验收), every change of a
-- recorded date kept with its reason; the 三承诺 of each household answered in the consultation;
-- and the fee standards 发改 approved (seed 003 三（二）), a later approval superseding from its
-- date. Nothing is deleted; an approval is never changed.
CREATE TABLE renovation_projects (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    -- 项目名称或批次.
    name TEXT NOT NULL,
    procedures_on TEXT,
    construction_on TEXT,
    acceptance_on TEXT,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX renovation_projects_compound ON renovation_projects (compound_id, id);
CREATE INDEX renovation_projects_construction ON renovation_projects (construction_on);

-- A milestone's date recorded or corrected: the old day (none when first recorded), the new
-- day, and the reason a correction gives.
CREATE TABLE renovation_date_changes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES renovation_projects (id),
    milestone TEXT NOT NULL,
    old_on TEXT,
    new_on TEXT NOT NULL,
    reason TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX renovation_date_changes_project ON renovation_date_changes (project_id, id);

-- 三承诺, one row per household (房号 as written) of a project; a second answer updates it.
CREATE TABLE renovation_households (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES renovation_projects (id),
    house TEXT NOT NULL,
    owner TEXT,
    demolish INTEGER NOT NULL CHECK (demolish IN (0, 1)),
    maintenance_fund INTEGER NOT NULL CHECK (maintenance_fund IN (0, 1)),
    repair_fees INTEGER NOT NULL CHECK (repair_fees IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, house)
);

-- 核定收费标准 per ㎡ per month in fen, by building type (the contracts' fee_multi_fen and
-- fee_high_fen), with the approving document.
CREATE TABLE fee_standards (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    multi_fen INTEGER CHECK (multi_fen IS NULL OR multi_fen >= 0),
    high_fen INTEGER CHECK (high_fen IS NULL OR high_fen >= 0),
    doc_no TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    department TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX fee_standards_compound ON fee_standards (compound_id, approved_on, id);

CREATE TRIGGER renovation_projects_no_delete BEFORE DELETE ON renovation_projects
BEGIN
    SELECT RAISE(ABORT, 'renovation_projects 中的记录不能删除');
END;
CREATE TRIGGER renovation_households_no_delete BEFORE DELETE ON renovation_households
BEGIN
    SELECT RAISE(ABORT, 'renovation_households 中的记录不能删除');
END;
CREATE TRIGGER renovation_date_changes_append_only BEFORE UPDATE ON renovation_date_changes
BEGIN
    SELECT RAISE(ABORT, '改造节点日期的变更记录只能追加');
END;
CREATE TRIGGER renovation_date_changes_no_delete BEFORE DELETE ON renovation_date_changes
BEGIN
    SELECT RAISE(ABORT, '改造节点日期的变更记录只能追加');
END;
CREATE TRIGGER fee_standards_append_only BEFORE UPDATE ON fee_standards
BEGIN
    SELECT RAISE(ABORT, '核定收费标准只能追加（新的核定自其日期起取代旧的）');
END;
CREATE TRIGGER fee_standards_no_delete BEFORE DELETE ON fee_standards
BEGIN
    SELECT RAISE(ABORT, '核定收费标准只能追加（新的核定自其日期起取代旧的）');
END;
