-- Credit with consequences (issue 18 item 6; seed 003 三（二）"建立健全物业投诉责任机制和淘汰、退出机制"):
-- a record the system writes on its own names what it came from, so it is written once: a
-- complaint found substantiated (核实有效), a contract ended by dismissal (解聘).
ALTER TABLE company_records ADD COLUMN complaint_id INTEGER REFERENCES complaints (id);
ALTER TABLE company_records ADD COLUMN contract_id INTEGER REFERENCES contracts (id);
CREATE UNIQUE INDEX company_records_complaint ON company_records (complaint_id)
    WHERE complaint_id IS NOT NULL;
CREATE UNIQUE INDEX company_records_contract_compound ON company_records (contract_id, compound_id)
    WHERE contract_id IS NOT NULL;
