-- A subsidy line computed by a run keeps the facts it was computed from (`basis`, compact JSON:
-- the calculator's input, the first counted day, whether it settles the last period, the
-- retention held before), and its explanation is rendered from them when read, instead of
-- ~2 KB of zh/en text per line written twice (line and audit copy). What a run computed never
-- changes afterwards: only the status, the approved amount and its payer split move on the
-- money's path, so the audit copy of a computed line need not repeat its basis or explanation.
ALTER TABLE subsidy_lines ADD COLUMN basis TEXT;

CREATE TRIGGER subsidy_lines_computed_fixed BEFORE UPDATE ON subsidy_lines
WHEN NEW.compound_id IS NOT OLD.compound_id
  OR NEW.run_id IS NOT OLD.run_id
  OR NEW.contract_id IS NOT OLD.contract_id
  OR NEW.company_id IS NOT OLD.company_id
  OR NEW.kind IS NOT OLD.kind
  OR NEW.policy_id IS NOT OLD.policy_id
  OR NEW.period IS NOT OLD.period
  OR NEW.period_start IS NOT OLD.period_start
  OR NEW.period_end IS NOT OLD.period_end
  OR NEW.eligible IS NOT OLD.eligible
  OR NEW.amount_fen IS NOT OLD.amount_fen
  OR NEW.retained_fen IS NOT OLD.retained_fen
  OR NEW.explanation_zh IS NOT OLD.explanation_zh
  OR NEW.explanation_en IS NOT OLD.explanation_en
  OR NEW.basis IS NOT OLD.basis
BEGIN
    SELECT RAISE(ABORT, '补贴行的测算结果不能修改，只能通过调整决定改变批准金额');
END;

-- A subsidy run adds up each settled period's fee months: read them from the index alone.
CREATE INDEX fee_months_sums ON fee_months (compound_id, month, billed_fen, collected_fen);
