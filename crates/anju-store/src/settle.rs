//! One settlement of a subsidy run — what one contract of one compound is paid for the policy
//! periods a run settles — computed from its [`Basis`]: the facts the run read (the
//! calculator's input, the first counted day, whether the policy's last period is settled, the
//! retention held before).
//!
//! A run computes the amounts without their explanations and stores the basis with each line
//! (compact JSON, a few hundred bytes instead of ~2 KB of zh/en text per line and again in its
//! audit copy); reading a line renders its explanation from the basis with the same function,
//! so the text shown is always the one that produced the amount. The database refuses any change
//! to a line's computed columns or basis (migration 0010), and a rendering that would give
//! another amount than the one stored (a shipped policy file changed since the run) says so
//! under the explanation instead of hiding it.

use crate::subsidies::{
    NewLine, NewLineBase, ineligible, join_lines, missing_reason, payer_shares, status_of,
};
use crate::{Result, StoreError};
use anju_core::fees::Collection;
use anju_core::funding::LineKind;
use anju_core::{Fen, Lang};
use anju_policy::policy::{RetentionBasis, RetentionRounding};
use anju_policy::{Carried, Grade, Input, PeriodResult, Policy};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The facts one settlement was computed from, as stored with its lines (`subsidy_lines.basis`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Basis {
    /// Format version.
    pub v: u8,
    /// The management mode in force on the day before the policy counts from (signing or
    /// entry), from the ledger's dated history (its status: 弃管, 自管 …); `None` when the
    /// history does not reach back that far (the line says so, never today's mode instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// That day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode_on: Option<Date>,
    /// Served area (㎡), from the contract.
    pub area: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub built_year: Option<i16>,
    pub renovation: bool,
    pub signed: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<Date>,
    /// The contract term: first and last day.
    pub term: (Date, Date),
    /// Fee per ㎡ and month (多层, else 高层).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Decimal>,
    /// The last day of service counted in this settlement.
    pub ended: Date,
    /// The first day counted (the settled periods only, and not before the policy applies).
    pub from: Date,
    /// Whether the policy's last period is settled (the retention is settled with it).
    pub last: bool,
    /// A release of its own, after the subsidy term ended on this day, when service ended in an
    /// earlier run's window: no subsidy line, and the last served period's results decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_after: Option<Date>,
    /// The days paid for.
    pub days: (Date, Date),
    pub periods: Vec<BasisPeriod>,
    /// Retention held on this contract's earlier lines, in fen (when `last`).
    #[serde(default)]
    pub held: i64,
    /// What the earlier lines carry into the release when the policy judges it on the whole
    /// term or rounds it once (when `last`; [`carried`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried: Option<Carried>,
}

/// One settled policy period's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct BasisPeriod {
    pub n: u32,
    /// The final assessment's id, score, grade and pass, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// The latest final third-party evaluation's pass (第三方测评), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_passed: Option<bool>,
    /// The latest closed, valid survey's satisfaction (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<Decimal>,
    /// Fees billed and collected over the period's months, in fen, and how many months.
    pub billed: i64,
    pub collected: i64,
    pub months: u32,
}

impl Basis {
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| StoreError::Corrupt(format!("补贴依据：{e}")))
    }

    pub fn from_json(s: &str) -> Result<Basis> {
        serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("补贴依据无法读取：{e}")))
    }
}

/// The shipped policy `id`, loaded once into `policies`.
pub(crate) fn shipped_policy<'p>(
    policies: &'p mut HashMap<String, Policy>,
    id: &str,
) -> Result<&'p Policy> {
    if !policies.contains_key(id) {
        let src =
            anju_policy::shipped(id).ok_or_else(|| StoreError::Corrupt(format!("政策 {id}")))?;
        let loaded = anju_policy::load(src).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        policies.insert(id.to_string(), loaded);
    }
    policies
        .get(id)
        .ok_or_else(|| StoreError::Corrupt(format!("政策 {id}")))
}

/// Policies as evaluated for a settlement, by (policy id, first counted day, last period).
pub(crate) type PolicyCache = HashMap<(String, Date, bool), Policy>;

/// The policy as this settlement evaluates it: counted from `from`; before the policy's last
/// period the retention is not settled here (its condition is neutral).
fn policy_for_settlement<'c>(
    policy: &Policy,
    policy_id: &str,
    from: Date,
    last: bool,
    cache: &'c mut PolicyCache,
) -> Result<&'c Policy> {
    let key = (policy_id.to_string(), from, last);
    if !cache.contains_key(&key) {
        let mut p = policy.clone();
        p.effective_from = Some(from);
        if !last && let Some(ret) = p.retention.as_mut() {
            // Not settled here: judged on nothing (the whole term is read only at release).
            ret.basis = RetentionBasis::LastPeriod;
            ret.condition = anju_policy::policy::Requirement {
                input: anju_policy::policy::ResultInput::Score,
                test: anju_policy::policy::Test::Range(
                    anju_policy::interval::RawInterval::parse("[0, +inf)")
                        .and_then(|r| r.numeric())
                        .map_err(StoreError::Corrupt)?,
                ),
                grades: Vec::new(),
            };
        }
        cache.insert(key.clone(), p);
    }
    cache
        .get(&key)
        .ok_or_else(|| StoreError::Corrupt(format!("政策 {policy_id}")))
}

/// The periods' results as the calculator reads them, from a basis.
fn period_results(b: &Basis, policy: &Policy) -> Vec<PeriodResult> {
    b.periods
        .iter()
        .map(|r| {
            let fees = Collection {
                billed: Fen(r.billed),
                collected: Fen(r.collected),
                months: r.months,
            };
            PeriodResult {
                period: r.n,
                score: r.score,
                grade: r.grade.as_deref().and_then(Grade::parse),
                evaluation_passed: r.passed,
                third_party_passed: r.third_party_passed,
                satisfaction: r.satisfaction,
                collection_rate: fees.rate().ok(),
                // The period's fee total as the policy reads it (`fees_total`: 应收 by default,
                // 实收 when the file says collected).
                fees_total: match policy.reading("fees_total") {
                    Some("collected") => {
                        (fees.collected > Fen::ZERO).then(|| fees.collected.to_yuan())
                    }
                    _ => (fees.billed > Fen::ZERO).then(|| fees.billed.to_yuan()),
                },
            }
        })
        .collect()
}

/// The calculator's input from a basis and its periods' results.
fn input_of<'r>(b: &Basis, results: &'r [PeriodResult]) -> Result<Input<'r>> {
    let mode = b.mode.as_deref().map(crate::sql::stored_mode).transpose()?;
    Ok(Input {
        compound: anju_policy::CompoundFacts {
            area_m2: Some(b.area),
            households: b.households,
            built_year: b.built_year,
            built: None,
            status: mode.map(status_of),
            in_renovation: Some(b.renovation),
        },
        contract: anju_policy::ContractFacts {
            signed: Some(b.signed),
            entry: b.entry,
            term_years: None,
            term_start: Some(b.term.0),
            term_end: Some(b.term.1),
            fee_per_m2_month: b.fee,
            ended: Some(b.ended),
        },
        results,
        carried: b.carried.unwrap_or_default(),
    })
}

/// What the contract's earlier lines carry into a release judged on the whole term
/// (`retention_basis = whole_term`) or rounded once (`retention_rounding = at_release`): each
/// earlier line's basis is evaluated again (the computation that produced its amount), and its
/// served periods' exact retention, months and collection rates are summed, leaving out the
/// periods this settlement evaluates itself. `None` when the policy reads neither way.
pub(crate) fn carried(
    base: &NewLineBase,
    b: &Basis,
    earlier: &[(Fen, Option<String>)],
    policy: &Policy,
    cache: &mut PolicyCache,
) -> Result<Option<Carried>> {
    let Some(ret) = &policy.retention else {
        return Ok(None);
    };
    if ret.basis == RetentionBasis::LastPeriod && ret.rounding == RetentionRounding::PerPeriod {
        return Ok(None);
    }
    let policy_id = base.policy_id.as_deref().unwrap_or_default();
    // A release of its own re-reads the last served period; what the earlier runs held for it
    // is what is released, so every period comes from the earlier lines.
    let complete = b.release_after.is_some();
    let own: Vec<u32> = if complete {
        Vec::new()
    } else {
        b.periods.iter().map(|p| p.n).collect()
    };
    let mut c = Carried {
        complete,
        ..Carried::default()
    };
    for (booked, json) in earlier {
        let Some(json) = json else {
            // No basis: a line that could not be computed or was not eligible (it held
            // nothing), or one computed before bases were stored (migration 0010), whose booked
            // retention stands for the exact one and whose rate is not known, so not counted.
            c.retained_exact += booked.to_yuan();
            continue;
        };
        let eb = Basis::from_json(json)?;
        let results = period_results(&eb, policy);
        let input = input_of(&eb, &results)?;
        let p = policy_for_settlement(policy, policy_id, eb.from, false, cache)?;
        // A line that could not be computed, or was not eligible, held nothing.
        let Ok(o) = anju_policy::evaluate(p, &input) else {
            continue;
        };
        if !o.eligible {
            continue;
        }
        for po in o
            .periods
            .iter()
            .filter(|po| po.served.is_some() && !own.contains(&po.index))
        {
            c.add(
                po,
                input.result(po.index).and_then(|r| r.collection_rate),
                ret.share,
            );
        }
    }
    Ok(Some(c))
}

/// The lines of one settlement (a subsidy line, and with the last period a retention release),
/// with their explanations when `explain`, else with empty ones (the run stores the basis and
/// the explanation is rendered when read).
pub(crate) fn settle(
    base: &NewLineBase,
    b: &Basis,
    policy: &Policy,
    cache: &mut PolicyCache,
    explain: bool,
) -> Result<Vec<NewLine>> {
    let policy_id = base.policy_id.as_deref().unwrap_or_default();
    let results = period_results(b, policy);
    let input = input_of(b, &results)?;
    let p = policy_for_settlement(policy, policy_id, b.from, b.last, cache)?;
    let mut outcome = match anju_policy::evaluate(p, &input) {
        Ok(o) => o,
        Err(anju_policy::PolicyError::MissingInput { key, .. })
            if key == "compound.status" && b.mode.is_none() =>
        {
            let on = b.mode_on.map_or_else(|| "—".to_string(), |d| d.to_string());
            return Ok(vec![ineligible(
                base.clone(),
                Some(b.days),
                format!(
                    "台账的管理方式记录晚于 {on}（政策起算日前一日）：无法判定当时是否弃管、自管或无物业，暂不测算；请在小区页面“管理方式沿革”中补录此前的管理方式后重新测算"
                ),
                format!(
                    "the ledger's mode history begins after {on} (the day before the policy counts from): whether the compound was abandoned, self-managed or unmanaged then is unknown, so nothing is computed; record the earlier mode under Mode history on the compound's page and run again"
                ),
                None,
            )]);
        }
        Err(e) => {
            return Ok(vec![ineligible(
                base.clone(),
                Some(b.days),
                missing_reason(&e, Lang::Zh),
                missing_reason(&e, Lang::En),
                None,
            )]);
        }
    };
    // The release (with the last period) is a line of its own: the subsidy line pays, and
    // explains, only what is payable now.
    let release = outcome.release.take();
    for po in &mut outcome.periods {
        po.released = Fen::ZERO;
        po.payable = po.payable_now;
        po.by_payer = anju_policy::eval::split(po.payable, &p.weights);
    }
    let texts = |o: &anju_policy::Outcome| -> (String, String) {
        if !explain {
            return (String::new(), String::new());
        }
        let one = |lang: Lang| {
            let mut v = anju_policy::explain::eligibility_lines(p, o, lang);
            for po in o.periods.iter().filter(|po| po.served.is_some()) {
                v.extend(anju_policy::explain::period_lines(p, o, po, lang));
            }
            join_lines(&v)
        };
        (one(Lang::Zh), one(Lang::En))
    };
    if b.release_after.is_some() {
        // A release of its own: the subsidy of the last served period was paid (and its
        // retention held) in an earlier run.
        return Ok(match release {
            Some(rel) if outcome.eligible => {
                vec![release_line(base, b, policy, &rel, Fen::ZERO, explain)]
            }
            // Held back but not payable now: a release line that says why, never silence.
            _ if b.held > 0 => {
                let mut line = ineligible(
                    base.clone(),
                    Some(b.days),
                    "补助期限已届满，但最后服务期不符合补贴条件，预留部分不予支付（见说明）".into(),
                    "the subsidy term is over but the last period served is not eligible: the retention is not paid (see the explanation)".into(),
                    None,
                );
                line.kind = LineKind::RetentionRelease;
                line.explanation = if explain {
                    let one = |lang: Lang| {
                        join_lines(&anju_policy::explain::eligibility_lines(p, &outcome, lang))
                    };
                    (one(Lang::Zh), one(Lang::En))
                } else {
                    (String::new(), String::new())
                };
                vec![line]
            }
            _ => Vec::new(),
        });
    }
    if !outcome.eligible {
        let mut line = ineligible(
            base.clone(),
            Some(b.days),
            "不符合补贴条件（见说明）".into(),
            "not eligible (see the explanation)".into(),
            None,
        );
        line.explanation = texts(&outcome);
        return Ok(vec![line]);
    }
    let served: Vec<_> = outcome
        .periods
        .iter()
        .filter(|po| po.served.is_some())
        .collect();
    let amount: Fen = served.iter().map(|po| po.payable_now).sum();
    let retained: Fen = served.iter().map(|po| po.retained).sum();
    let gate_failed: Vec<u32> = served
        .iter()
        .filter(|po| !po.gate_passed)
        .map(|po| po.index)
        .collect();
    let reason = (!gate_failed.is_empty()).then(|| {
        (
            format!("考核未达到付款条件（第 {gate_failed:?} 期），本期不予支付"),
            format!("the assessment gate was not met (period {gate_failed:?}): nothing paid"),
        )
    });
    let mut out = vec![NewLine {
        compound_id: base.compound_id,
        company_id: base.company_id,
        contract_id: base.contract_id,
        kind: LineKind::Subsidy,
        policy_id: base.policy_id.clone(),
        period: base.period.clone(),
        days: Some(b.days),
        eligible: amount > Fen::ZERO || gate_failed.is_empty(),
        amount,
        retained,
        payers: payer_shares(p, amount),
        reason,
        explanation: texts(&outcome),
    }];
    if b.last
        && let Some(rel) = release
    {
        out.push(release_line(base, b, policy, &rel, retained, explain));
    }
    Ok(out)
}

/// The retention release settled with the policy's last period: what this contract's lines held
/// back, paid if the policy's condition holds on the last period's results, else nothing.
fn release_line(
    base: &NewLineBase,
    b: &Basis,
    policy: &Policy,
    rel: &anju_policy::eval::ReleaseOutcome,
    retained: Fen,
    explain: bool,
) -> NewLine {
    let earlier = Fen(b.held);
    // Rounded once at release: the exact retentions of the whole term, rounded (the booked
    // amounts may differ from it by a fen or two); else what the lines booked.
    let held = if rel.exact.is_some() {
        rel.retained_total
    } else {
        earlier + retained
    };
    let passed = rel.check.passed;
    let released = if passed { held } else { Fen::ZERO };
    let observed = |lang: Lang| match rel.check.observed {
        anju_policy::eval::ReqValue::Number(d) => anju_policy::explain::pct_observed(d, lang),
        anju_policy::eval::ReqValue::Grade(g) => lang.pick(g.zh(), g.en()).to_string(),
        anju_policy::eval::ReqValue::Bool(b) => lang
            .pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
            .to_string(),
    };
    let (cond_zh, cond_en) = policy
        .file
        .retention
        .as_ref()
        .map(|r| (r.condition.text.clone(), r.condition.text_en.clone()))
        .unwrap_or_default();
    let explanation = if explain {
        let head_zh = format!(
            "预留金合计 {} 元 = 本行以前各期预留 {} 元 + 本期预留 {} 元{}；{}，{}「{}」",
            held.plain(),
            earlier.plain(),
            retained.plain(),
            anju_policy::explain::release_rounding(rel, Lang::Zh),
            anju_policy::explain::release_subject(policy, rel, Lang::Zh),
            if passed { "满足" } else { "不满足" },
            cond_zh
        );
        let head_en = format!(
            "Retention held {} = earlier lines {} + this period {}{}; {}: {} '{}'",
            held.plain(),
            earlier.plain(),
            retained.plain(),
            anju_policy::explain::release_rounding(rel, Lang::En),
            anju_policy::explain::release_subject(policy, rel, Lang::En),
            if passed { "meets" } else { "does not meet" },
            cond_en
        );
        let (head_zh, head_en) = match b.release_after {
            Some(over) => (
                format!(
                    "补助期限于 {over} 届满（服务至 {} 结束）；{head_zh}",
                    b.ended
                ),
                format!(
                    "The subsidy term ended on {over} (service ended on {}); {head_en}",
                    b.ended
                ),
            ),
            None => (head_zh, head_en),
        };
        let tail_zh = if passed {
            format!("→ 释放 {} 元", released.plain())
        } else {
            "→ 不再支付预留部分".to_string()
        };
        let tail_en = if passed {
            format!("→ {} released", released.plain())
        } else {
            "→ the retention is not paid".to_string()
        };
        (
            format!("{head_zh} {tail_zh}"),
            format!("{head_en} {tail_en}"),
        )
    } else {
        (String::new(), String::new())
    };
    NewLine {
        compound_id: base.compound_id,
        company_id: base.company_id,
        contract_id: base.contract_id,
        kind: LineKind::RetentionRelease,
        policy_id: base.policy_id.clone(),
        period: base.period.clone(),
        days: Some(b.days),
        eligible: passed,
        amount: released,
        retained: Fen::ZERO,
        payers: payer_shares(policy, released),
        reason: (!passed).then(|| {
            (
                format!("{}：实际 {}，预留部分不予支付", cond_zh, observed(Lang::Zh)),
                format!(
                    "{}: observed {}, retention withheld",
                    cond_en,
                    observed(Lang::En)
                ),
            )
        }),
        explanation,
    }
}

/// What a stored line needs to render its explanation: its base, kind, amount and basis.
pub(crate) struct Rendering<'a> {
    pub base: NewLineBase,
    pub kind: LineKind,
    pub amount: Fen,
    pub basis: &'a str,
}

/// The explanation of a stored line (zh, en), rendered from its basis; when the rendering gives
/// another amount than the stored one, a last line says so (the stored amount stands).
pub(crate) fn render(
    r: &Rendering<'_>,
    policies: &mut HashMap<String, Policy>,
    cache: &mut PolicyCache,
) -> Result<(String, String)> {
    let b = Basis::from_json(r.basis)?;
    let policy_id = r.base.policy_id.clone().unwrap_or_default();
    let policy = shipped_policy(policies, &policy_id)?;
    let lines = settle(&r.base, &b, policy, cache, true)?;
    let Some(line) = lines.into_iter().find(|l| l.kind == r.kind) else {
        return Ok((
            format!(
                "（按现行政策文件 {policy_id} 重算已不产生此行；记录金额 {} 元）",
                r.amount.plain()
            ),
            format!(
                "(the current policy file {policy_id} no longer gives this line; stored amount {})",
                r.amount.plain()
            ),
        ));
    };
    let (mut zh, mut en) = line.explanation;
    if line.amount != r.amount {
        zh.push_str(&format!(
            "\n注意：按现行政策文件 {policy_id} 重算为 {} 元，与测算时记录的 {} 元不符；以记录金额为准，请核对政策文件是否已更改",
            line.amount.plain(),
            r.amount.plain()
        ));
        en.push_str(&format!(
            "\nNote: the current policy file {policy_id} gives {}, not the {} recorded by the run; the recorded amount stands — check whether the policy file changed",
            line.amount.plain(),
            r.amount.plain()
        ));
    }
    Ok((zh, en))
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    /// Yantai's "住宅小区物业费总额" read as the fees due (billed, the file's reading) or, with the
    /// switch set to collected, as the fees collected: 50 % of 120,000.00 billed = 60,000.00;
    /// of 90,000.00 collected = 45,000.00.
    #[test]
    fn the_fee_total_follows_the_policys_reading() {
        let src = anju_policy::shipped("yantai-2022").unwrap();
        let billed = anju_policy::load(src).unwrap();
        let collected =
            anju_policy::load(&src.replace("value = \"billed\"", "value = \"collected\"")).unwrap();
        let b = Basis::from_json(
            r#"{"v":1,"mode":"none","area":"10000","renovation":false,"signed":"2022-09-01",
            "entry":"2022-09-01","term":["2022-09-01","2033-08-31"],"fee":"1.00",
            "ended":"2023-08-31","from":"2022-09-01","last":false,
            "days":["2022-09-01","2023-08-31"],
            "periods":[{"n":1,"score":"90","passed":true,"third_party_passed":true,
            "billed":12000000,"collected":9000000,"months":12}],"held":0}"#,
        )
        .unwrap();
        let base = NewLineBase {
            compound_id: 1,
            company_id: Some(1),
            contract_id: Some(1),
            policy_id: Some("yantai-2022".into()),
            period: "cy1".into(),
        };
        let amount = |p: &Policy| {
            let lines = settle(&base, &b, p, &mut PolicyCache::new(), true).unwrap();
            (lines[0].amount, lines[0].explanation.0.clone())
        };
        let (a, text) = amount(&billed);
        assert_eq!(a, Fen(6_000_000), "{text}");
        assert!(text.contains("读法 fees_total = billed"), "{text}");
        let (a, text) = amount(&collected);
        assert_eq!(a, Fen(4_500_000), "{text}");
        assert!(text.contains("读法 fees_total = collected"), "{text}");
    }

    /// One Liaocheng year's basis: 1,000.01 ㎡ from 2022-05-01, year `n` with the given fees
    /// collected of 12,000.00 billed.
    fn liaocheng_year(n: u32, collected: i64, held: i64) -> Basis {
        let (from, to) = [
            ("2022-05-01", "2023-04-30"),
            ("2023-05-01", "2024-04-30"),
            ("2024-05-01", "2025-04-30"),
        ][n as usize - 1];
        Basis::from_json(&format!(
            r#"{{"v":1,"mode":"none","area":"1000.01","renovation":false,"signed":"2022-05-01",
            "entry":"2022-05-01","term":["2022-05-01","2025-04-30"],"ended":"{to}",
            "from":"{from}","last":{},"days":["{from}","{to}"],
            "periods":[{{"n":{n},"score":"90","billed":1200000,"collected":{collected},"months":12}}],
            "held":{held}}}"#,
            n == 3
        ))
        .unwrap()
    }

    /// Liaocheng as shipped (last_period, per_period), switched to whole_term and at_release,
    /// and a year-3 line's base.
    fn liaocheng_both_readings() -> (Policy, Policy, NewLineBase) {
        let src = anju_policy::shipped("liaocheng-2021").unwrap();
        let switched = anju_policy::load(
            &src.replace("value = \"last_period\"", "value = \"whole_term\"")
                .replace("value = \"per_period\"", "value = \"at_release\""),
        )
        .unwrap();
        let base = NewLineBase {
            compound_id: 1,
            company_id: Some(1),
            contract_id: Some(1),
            policy_id: Some("liaocheng-2021".into()),
            period: "cy3".into(),
        };
        (anju_policy::load(src).unwrap(), switched, base)
    }

    /// Liaocheng's release in the store, settled one year per run: on the whole term's rate
    /// (`retention_basis = whole_term`) the earlier runs' years are carried from their own bases
    /// (72 %, 80 %, then 88 %: exactly 80 %, released), and rounded once (`at_release`) the
    /// retention is 10 % × (4,800.048 + 3,600.036 + 2,400.024) = 1,080.0108 → 1,080.01 where the
    /// years booked 480.00 + 360.00 + 240.00 = 1,080.00.
    #[test]
    fn the_release_reads_the_whole_term_from_the_earlier_lines() {
        let (stated, switched, base) = liaocheng_both_readings();
        let earlier: Vec<(Fen, Option<String>)> = [(1, 864_000), (2, 960_000)]
            .iter()
            .map(|&(n, c)| {
                let b = liaocheng_year(n, c, 0);
                let lines = settle(&base, &b, &stated, &mut PolicyCache::new(), false).unwrap();
                (lines[0].retained, Some(b.to_json().unwrap()))
            })
            .collect();
        assert_eq!(earlier[0].0, Fen(48_000));
        assert_eq!(earlier[1].0, Fen(36_000));
        let release = |p: &Policy, collected: i64| {
            let mut b = liaocheng_year(3, collected, 84_000);
            let mut cache = PolicyCache::new();
            b.carried = carried(&base, &b, &earlier, p, &mut cache).unwrap();
            let b = Basis::from_json(&b.to_json().unwrap()).unwrap();
            let lines = settle(&base, &b, p, &mut cache, true).unwrap();
            assert_eq!(lines.len(), 2);
            assert_eq!(lines[1].kind, LineKind::RetentionRelease);
            (lines[1].amount, lines[1].explanation.0.clone())
        };
        // The file's readings: the last year's 88 % releases what was booked.
        let (a, text) = release(&stated, 1_056_000);
        assert_eq!(a, Fen(108_000), "{text}");
        // Switched: the term's (12×0.72 + 12×0.80 + 12×0.88) ÷ 36 = 80 %, rounded once.
        let (a, text) = release(&switched, 1_056_000);
        assert_eq!(a, Fen(108_001), "{text}");
        assert!(text.contains("其中以前各次结算 24 个月"), "{text}");
        assert!(text.contains("各期预留精确值合计 1080.0108 元"), "{text}");
        // 87.99 % in the last year makes the term's rate just under 80 %: withheld.
        let (a, text) = release(&switched, 1_055_880);
        assert_eq!(a, Fen::ZERO, "{text}");
        assert!(text.contains("不满足"), "{text}");
    }

    /// A release of its own (service ended in year 2, 2023-10-31; the term ends 2025-04-30)
    /// pays what the earlier runs held: year 1's 10 % of 4,800.048 = 480.0048 → 480.00. Year 2's
    /// line was not eligible when it was run (no basis, nothing held), so the 180.0018 it would
    /// hold if computed again today is not released, on either reading.
    #[test]
    fn a_release_of_its_own_pays_what_was_held() {
        let (stated, switched, base) = liaocheng_both_readings();
        let y1 = liaocheng_year(1, 1_020_000, 0);
        let earlier = vec![
            (Fen(48_000), Some(y1.to_json().unwrap())),
            (Fen::ZERO, None),
        ];
        let release = |p: &Policy| {
            let mut b = Basis::from_json(
                r#"{"v":1,"mode":"none","area":"1000.01","renovation":false,"signed":"2022-05-01",
                "entry":"2022-05-01","term":["2022-05-01","2025-04-30"],"ended":"2023-10-31",
                "from":"2023-05-01","last":true,"release_after":"2025-04-30",
                "days":["2023-05-01","2023-10-31"],
                "periods":[{"n":2,"score":"90","billed":600000,"collected":510000,"months":6}],
                "held":48000}"#,
            )
            .unwrap();
            let mut cache = PolicyCache::new();
            b.carried = carried(&base, &b, &earlier, p, &mut cache).unwrap();
            let lines = settle(&base, &b, p, &mut cache, true).unwrap();
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0].kind, LineKind::RetentionRelease);
            (lines[0].amount, lines[0].explanation.0.clone())
        };
        let (a, text) = release(&stated);
        assert_eq!(a, Fen(48_000), "{text}");
        let (a, text) = release(&switched);
        assert_eq!(a, Fen(48_000), "{text}");
        assert!(text.contains("各期预留精确值合计 480.0048 元"), "{text}");
        assert!(text.contains("共 12 个月"), "{text}");
    }
}
