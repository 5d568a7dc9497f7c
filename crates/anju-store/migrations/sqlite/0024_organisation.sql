-- The programme's own organisation (issue 18 item 3; seed 003 五（一） and 附件1/2, seed 004 二,
-- seed 001 四（四）/五（二）): leading groups and 专班 with their members, meetings with their
-- decisions, 通报 and 约谈, and the 交办事项 (assignments) that meetings and 通报 hand out, with their
-- steps. Nothing here is deleted: a member leaves by a date, an assignment is closed.

-- 领导小组, 工作专班, 联席会议 of a region (city, district, street or community).
CREATE TABLE org_groups (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    kind TEXT NOT NULL CHECK (kind IN ('leading_group', 'task_force', 'joint_meeting')),
    name TEXT NOT NULL CHECK (name <> ''),
    -- 办公室设在 … (附件1: "领导小组下设办公室，办公室设在区住建局").
    office TEXT,
    -- 成立文件 (文号).
    document TEXT,
    established_on TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX org_groups_region ON org_groups (region_id);

-- 成员: a person's place in a body, from a day until the day they leave it.
CREATE TABLE org_members (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES org_groups (id),
    name TEXT NOT NULL CHECK (name <> ''),
    position TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('head', 'deputy', 'member', 'office_head',
        'office_deputy')),
    department_id INTEGER REFERENCES departments (id),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX org_members_group ON org_members (group_id);

-- 会议: 调度会, 联席会议, 领导小组会议 … with attendees and minutes.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    group_id INTEGER REFERENCES org_groups (id),
    kind TEXT NOT NULL CHECK (kind IN ('dispatch', 'joint', 'group', 'task_force', 'mobilise',
        'tripartite', 'other')),
    title TEXT NOT NULL CHECK (title <> ''),
    held_on TEXT NOT NULL,
    place TEXT,
    attendees TEXT NOT NULL CHECK (attendees <> ''),
    minutes TEXT NOT NULL CHECK (minutes <> ''),
    recorded_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meetings_region ON meetings (region_id, held_on);

-- 通报 (表扬, 批评) and 约谈 of a street or community, a department or a company.
CREATE TABLE censures (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    kind TEXT NOT NULL CHECK (kind IN ('praise', 'criticism', 'interview')),
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('region', 'department', 'company')),
    unit_region_id INTEGER REFERENCES regions (id),
    unit_department_id INTEGER REFERENCES departments (id),
    unit_company_id INTEGER REFERENCES companies (id),
    on_day TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason <> ''),
    document TEXT,
    -- 约谈对象 (name and post of the person talked to).
    interviewee TEXT,
    recorded_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((unit_kind = 'region') = (unit_region_id IS NOT NULL)
        AND (unit_kind = 'department') = (unit_department_id IS NOT NULL)
        AND (unit_kind = 'company') = (unit_company_id IS NOT NULL))
);
CREATE INDEX censures_region ON censures (region_id, on_day);
CREATE INDEX censures_company ON censures (unit_company_id);

-- 交办事项: a meeting's decision or a 通报's 整改要求, one responsible unit, a deadline.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    source TEXT NOT NULL CHECK (source IN ('meeting', 'censure')),
    meeting_id INTEGER REFERENCES meetings (id),
    censure_id INTEGER REFERENCES censures (id),
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('region', 'department', 'company')),
    unit_region_id INTEGER REFERENCES regions (id),
    unit_department_id INTEGER REFERENCES departments (id),
    unit_company_id INTEGER REFERENCES companies (id),
    text TEXT NOT NULL CHECK (text <> ''),
    issued_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'reported', 'returned', 'closed')),
    issued_by TEXT NOT NULL,
    result TEXT,
    reported_on TEXT,
    first_reported_on TEXT,
    returns INTEGER NOT NULL DEFAULT 0 CHECK (returns >= 0),
    return_reason TEXT,
    closed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (deadline >= issued_on),
    CHECK ((source = 'meeting') = (meeting_id IS NOT NULL)
        AND (source = 'censure') = (censure_id IS NOT NULL)),
    CHECK ((unit_kind = 'region') = (unit_region_id IS NOT NULL)
        AND (unit_kind = 'department') = (unit_department_id IS NOT NULL)
        AND (unit_kind = 'company') = (unit_company_id IS NOT NULL))
);
CREATE INDEX assignments_region ON assignments (region_id, status);
CREATE INDEX assignments_meeting ON assignments (meeting_id);
CREATE INDEX assignments_censure ON assignments (censure_id);
CREATE INDEX assignments_unit_region ON assignments (unit_region_id, status);
CREATE INDEX assignments_unit_department ON assignments (unit_department_id, status);
CREATE INDEX assignments_unit_company ON assignments (unit_company_id, status);

-- Each step of an assignment as taken (交办, 报结, 销号, 退回), append-only.
CREATE TABLE assignment_steps (
    id INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments (id),
    step TEXT NOT NULL CHECK (step IN ('issue', 'report', 'close', 'return')),
    on_day TEXT NOT NULL,
    by_name TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX assignment_steps_assignment ON assignment_steps (assignment_id, id);

CREATE TRIGGER org_groups_no_delete BEFORE DELETE ON org_groups
BEGIN
    SELECT RAISE(ABORT, 'org_groups 中的记录不能删除');
END;
CREATE TRIGGER org_members_no_delete BEFORE DELETE ON org_members
BEGIN
    SELECT RAISE(ABORT, 'org_members 中的记录不能删除');
END;
CREATE TRIGGER meetings_no_delete BEFORE DELETE ON meetings
BEGIN
    SELECT RAISE(ABORT, 'meetings 中的记录不能删除');
END;
CREATE TRIGGER censures_no_delete BEFORE DELETE ON censures
BEGIN
    SELECT RAISE(ABORT, 'censures 中的记录不能删除');
END;
CREATE TRIGGER assignments_no_delete BEFORE DELETE ON assignments
BEGIN
    SELECT RAISE(ABORT, 'assignments 中的记录不能删除');
END;
CREATE TRIGGER assignment_steps_no_delete BEFORE DELETE ON assignment_steps
BEGIN
    SELECT RAISE(ABORT, 'assignment_steps 中的记录不能删除');
END;
CREATE TRIGGER assignment_steps_no_update BEFORE UPDATE ON assignment_steps
BEGIN
    SELECT RAISE(ABORT, 'assignment_steps 中的记录不能修改');
END;
CREATE TRIGGER assignments_closed_immutable BEFORE UPDATE ON assignments
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, '已销号的交办事项不能修改');
END;
