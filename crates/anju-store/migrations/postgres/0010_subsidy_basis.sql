-- A subsidy line computed by a run keeps the facts it was computed from (`basis`, compact JSON:
-- the calculator's input, the first counted day, whether it settles the last period, the
-- retention held before), and its explanation is rendered from them when read, instead of
-- ~2 KB of zh/en text per line written twice (line and audit copy). What a run computed never
-- changes afterwards: only the status, the approved amount and its payer split move on the
-- money's path, so the audit copy of a computed line need not repeat its basis or explanation.
ALTER TABLE subsidy_lines ADD COLUMN basis TEXT;

CREATE FUNCTION anju_subsidy_lines_computed_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.compound_id IS DISTINCT FROM OLD.compound_id
       OR NEW.run_id IS DISTINCT FROM OLD.run_id
       OR NEW.contract_id IS DISTINCT FROM OLD.contract_id
       OR NEW.company_id IS DISTINCT FROM OLD.company_id
       OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.policy_id IS DISTINCT FROM OLD.policy_id
       OR NEW.period IS DISTINCT FROM OLD.period
       OR NEW.period_start IS DISTINCT FROM OLD.period_start
       OR NEW.period_end IS DISTINCT FROM OLD.period_end
       OR NEW.eligible IS DISTINCT FROM OLD.eligible
       OR NEW.amount_fen IS DISTINCT FROM OLD.amount_fen
       OR NEW.retained_fen IS DISTINCT FROM OLD.retained_fen
       OR NEW.explanation_zh IS DISTINCT FROM OLD.explanation_zh
       OR NEW.explanation_en IS DISTINCT FROM OLD.explanation_en
       OR NEW.basis IS DISTINCT FROM OLD.basis THEN
        RAISE EXCEPTION '补贴行的测算结果不能修改，只能通过调整决定改变批准金额';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER subsidy_lines_computed_fixed BEFORE UPDATE ON subsidy_lines
    FOR EACH ROW EXECUTE FUNCTION anju_subsidy_lines_computed_fixed();

-- A subsidy run adds up each settled period's fee months: read them from the index alone.
CREATE INDEX fee_months_sums ON fee_months (compound_id, month, billed_fen, collected_fen);
