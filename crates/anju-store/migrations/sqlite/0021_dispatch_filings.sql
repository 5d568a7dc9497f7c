-- The 调度表 as a submission (issue 18 item 4; seed 003 附件5 注2 "每月1号、15号报送至区住建局"):
-- the day a district starts the schedule, and each street's filing for a filing day with the
-- sheet as it was filed (frozen: the filing shows what the street reported that day).

-- 报送安排: from this day on every street of the district files for each 1st and 15th.
CREATE TABLE dispatch_schedules (
    id INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL UNIQUE REFERENCES regions (id),
    starts_on TEXT NOT NULL,
    set_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 报送记录: one per street and filing day, never changed or deleted.
CREATE TABLE dispatch_filings (
    id INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES regions (id),
    due_on TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    -- The sheet's rows as filed (JSON).
    sheet TEXT NOT NULL,
    compounds INTEGER NOT NULL CHECK (compounds >= 0),
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (street_id, due_on)
);

CREATE TRIGGER dispatch_filings_no_delete BEFORE DELETE ON dispatch_filings
BEGIN
    SELECT RAISE(ABORT, 'dispatch_filings 中的记录不能删除');
END;
CREATE TRIGGER dispatch_filings_no_update BEFORE UPDATE ON dispatch_filings
BEGIN
    SELECT RAISE(ABORT, '已报送的调度表不能修改');
END;
