-- 核实 (issue 15 item 7): the street's finding on a complaint, substantiated (核实有效) or
-- unfounded (核实无效), with the day, a note and who found it. Only substantiated complaints
-- count against a company in its credit file; a complaint no one has verified counts for
-- nothing (two hundred anonymous complaints must not drop a company's grade on their own).
ALTER TABLE complaints ADD COLUMN
    verdict TEXT CHECK (verdict IN ('substantiated', 'unfounded'));
ALTER TABLE complaints ADD COLUMN verdict_on TEXT;
ALTER TABLE complaints ADD COLUMN verdict_note TEXT;
ALTER TABLE complaints ADD COLUMN verdict_by TEXT;
