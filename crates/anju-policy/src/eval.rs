//! The calculator: a pure function from a policy and one compound to every amount, with the
//! facts each amount was computed from (so that its explanation can be written on demand).
//!
//! The batch engine ([`evaluate_batch`]) calls the very same [`evaluate`]; no strings are built
//! on either path unless something is wrong.

use crate::dates::{self, MonthsAndDays};
use crate::error::PolicyError;
use crate::input::{Grade, Input, PeriodResult};
use crate::policy::{
    Anchor, Basis, Condition, DateInput, FactInput, From, MAX_PAYERS, ParamValue, PartMonth,
    Policy, Requirement, ResultInput, RetentionBasis, RetentionRounding, Select, Test, TierHit,
};
use anju_core::Fen;
use jiff::civil::Date;
use rust_decimal::Decimal;

/// The most periods one compound may have (a guard against a runaway contract term).
pub const MAX_PERIODS: usize = 1200;

/// What an eligibility condition saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observed {
    Number(Decimal),
    Status(crate::input::Status),
    Bool(bool),
    /// The time between two dates: whole years and days left over (`to` is exclusive).
    /// `to_is_end`: `to` is the day after a last day (a contract term), shown as that last day.
    Years {
        years: i32,
        days: i64,
        from: Date,
        to: Date,
        to_is_end: bool,
    },
    /// Only the built year was known, and it sufficed.
    YearsFromBuiltYear {
        built_year: i16,
        to: Date,
    },
}

/// One eligibility condition, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// Index into `policy.conditions` (and `policy.file.eligibility`).
    pub condition: usize,
    pub passed: bool,
    pub observed: Observed,
}

/// One requirement of the gate (or the retention's release), checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReqCheck {
    pub passed: bool,
    pub observed: ReqValue,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReqValue {
    Number(Decimal),
    Grade(Grade),
    Bool(bool),
}

/// One period: its dates, the time served, the rate and every amount.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodOutcome {
    pub index: u32,
    /// The period, half-open: [start, end).
    pub start: Date,
    pub end: Date,
    /// The part of it that was served and counts, half-open; `None` when none of it does.
    pub served: Option<(Date, Date)>,
    /// Whole months served and the days left over.
    pub time: MonthsAndDays,
    /// The fraction of a month the left-over days count for, and the tier that said so.
    pub part_fraction: Decimal,
    pub part_hit: Option<TierHit>,
    /// Months that count: whole months + part fraction.
    pub months: Decimal,
    /// The rate (元/㎡/月, a share, or an amount per period).
    pub rate: Decimal,
    /// The dated value of the rate parameter that applied (its `from`).
    pub rate_from: Option<Date>,
    /// fee_share: the fees the share is taken of, and whether they were given (fees_total).
    pub fees: Option<Decimal>,
    pub fees_given: bool,
    /// The grade that selected the rate or met the gate, and the tier that gave it.
    pub grade: Option<Grade>,
    pub grade_hit: Option<TierHit>,
    pub score: Option<Decimal>,
    /// The gate's requirements, in order.
    pub reqs: [Option<ReqCheck>; 4],
    pub gate_passed: bool,
    /// The share of the base that is paid (score factor), and the tier that gave it.
    pub factor: Decimal,
    pub factor_hit: Option<TierHit>,
    /// The amount by the standard, exact (before any rounding).
    pub standard_exact: Decimal,
    pub standard: Fen,
    /// payable_now + retained.
    pub entitlement: Fen,
    /// Paid at this period's settlement from its own amount.
    pub payable_now: Fen,
    /// Held back until the retention is settled.
    pub retained: Fen,
    /// Retention released at this period's settlement (the last period).
    pub released: Fen,
    /// payable_now + released: what is paid at this settlement.
    pub payable: Fen,
    pub by_payer: [Fen; MAX_PAYERS],
}

/// How the retention was settled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReleaseOutcome {
    /// The period whose results decided (the last period served).
    pub period: u32,
    pub check: ReqCheck,
    /// Held back over all periods: the booked amounts summed, or (reading
    /// `retention_rounding = at_release`) the exact amounts summed and rounded once.
    pub retained_total: Fen,
    /// Paid out (all of it, or nothing).
    pub released: Fen,
    /// The exact retention over the term, when it is rounded once at release.
    pub exact: Option<Decimal>,
    /// The whole term's collection rate and the months it weighs (reading
    /// `retention_basis = whole_term`); `None` when the last period's results decide.
    pub whole_term: Option<WholeTerm>,
}

/// The collection rate over the whole subsidy term (Σ months × rate ÷ Σ months).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WholeTerm {
    pub months: Decimal,
    pub rate: Decimal,
    /// Of which carried from periods settled earlier (the store's runs).
    pub carried_months: Decimal,
}

/// Everything the calculator found for one compound.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub eligible: bool,
    pub checks: Vec<Check>,
    /// The day the subsidy starts counting and the day after service ends.
    pub from: Option<Date>,
    pub service_end: Option<Date>,
    pub area_m2: Option<Decimal>,
    pub fee_per_m2_month: Option<Decimal>,
    pub periods: Vec<PeriodOutcome>,
    pub release: Option<ReleaseOutcome>,
    pub total_payable: Fen,
    /// Total standard amount, entitlement, retained and released, for the summary.
    pub total_standard: Fen,
    pub total_entitlement: Fen,
    pub by_payer: [Fen; MAX_PAYERS],
}

fn missing(key: impl Into<String>, why: &str) -> PolicyError {
    PolicyError::MissingInput {
        key: key.into(),
        why: why.to_string(),
    }
}

fn bad(key: impl Into<String>, msg: impl Into<String>) -> PolicyError {
    PolicyError::BadInput {
        key: key.into(),
        msg: msg.into(),
    }
}

/// Splits `amount` by `weights` exactly (largest remainder, ties to the earlier payer), the
/// same rule as [`Fen::split_by_weights`], without allocating.
pub fn split(amount: Fen, weights: &[u64]) -> [Fen; MAX_PAYERS] {
    let mut out = [Fen::ZERO; MAX_PAYERS];
    let n = weights.len().min(MAX_PAYERS);
    if n == 1 {
        out[0] = amount;
        return out;
    }
    let total_w: i128 = weights[..n].iter().map(|w| i128::from(*w)).sum();
    if total_w == 0 {
        return out;
    }
    let neg = amount.0 < 0;
    let a = i128::from(amount.0.unsigned_abs());
    let mut parts = [0i128; MAX_PAYERS];
    let mut rems = [(0i128, 0usize); MAX_PAYERS];
    for i in 0..n {
        let num = a * i128::from(weights[i]);
        parts[i] = num / total_w;
        rems[i] = (num % total_w, i);
    }
    let mut left = a - parts[..n].iter().sum::<i128>();
    rems[..n].sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    for (_, i) in rems[..n].iter() {
        if left == 0 {
            break;
        }
        parts[*i] += 1;
        left -= 1;
    }
    for i in 0..n {
        let v = i64::try_from(parts[i]).unwrap_or(i64::MAX);
        out[i] = Fen(if neg { -v } else { v });
    }
    out
}

/// Rounds yuan half-up (away from zero) to the fen, exactly as [`Fen::from_yuan_rounded`]
/// does, with integer arithmetic on the decimal's mantissa (the batch path calls it millions
/// of times). A test checks the two agree.
pub fn to_fen(yuan: Decimal) -> Fen {
    let m = yuan.mantissa();
    let s = yuan.scale();
    // Fast path: the usual amounts fit in 64 bits.
    if let Ok(m64) = i64::try_from(m)
        && s <= 20
    {
        if s <= 2 {
            if let Some(v) = m64.checked_mul(10i64.pow(2 - s)) {
                return Fen(v);
            }
        } else {
            let div = 10u64.pow(s - 2);
            let a = m64.unsigned_abs();
            let (q, r) = (a / div, a % div);
            let q = if r >= div - r { q + 1 } else { q };
            if let Ok(q) = i64::try_from(q) {
                return Fen(if m64 < 0 { -q } else { q });
            }
        }
    }
    let fen: i128 = if s <= 2 {
        m * 10i128.pow(2 - s)
    } else {
        let div = 10i128.pow(s - 2);
        let q = m / div;
        let r = m % div;
        if 2 * r.abs() >= div {
            q + m.signum()
        } else {
            q
        }
    };
    match i64::try_from(fen) {
        Ok(v) => Fen(v),
        Err(_) => Fen::from_yuan_rounded(yuan),
    }
}

/// Whole years (anniversary rule) from `from` to `to`, and the days left over.
pub fn years_and_days(from: Date, to: Date) -> (i32, i64) {
    let y = dates::whole_years(from, to);
    let anniv = dates::add_years(from, y).unwrap_or(to);
    (y, dates::days_between(anniv, to))
}

/// Whether the time [from, to) lies in `range` (whole years, each bound with its inclusion):
/// "more than 10 years" is from + 10 years < to, "10 years or more" is from + 10 years <= to.
pub fn duration_in(range: &crate::interval::Interval, from: Date, to: Date) -> bool {
    let at = |b: crate::interval::Bound| {
        let y = rust_decimal::prelude::ToPrimitive::to_i32(&b.value.trunc()).unwrap_or(i32::MAX);
        dates::add_years(from, y).unwrap_or(Date::MAX)
    };
    let lo_ok = range
        .lo
        .is_none_or(|b| if b.inclusive { at(b) <= to } else { at(b) < to });
    let hi_ok = range
        .hi
        .is_none_or(|b| if b.inclusive { to <= at(b) } else { to < at(b) });
    lo_ok && hi_ok
}

/// The first day of the calendar unit (of `months` months) that contains `d`.
pub(crate) fn calendar_start(d: Date, months: i32) -> Date {
    let m0 = i32::from(d.month()) - 1;
    let start_month = (m0 / months) * months + 1;
    Date::new(d.year(), start_month as i8, 1).unwrap_or(d)
}

fn req_value(r: &PeriodResult, input: ResultInput, grade: Option<Grade>) -> Option<ReqValue> {
    match input {
        ResultInput::Score => r.score.map(ReqValue::Number),
        ResultInput::Grade => grade.or(r.grade).map(ReqValue::Grade),
        ResultInput::EvaluationPassed => r.evaluation_passed.map(ReqValue::Bool),
        ResultInput::ThirdPartyPassed => r.third_party_passed.map(ReqValue::Bool),
        ResultInput::Satisfaction => r.satisfaction.map(ReqValue::Number),
        ResultInput::CollectionRate => r.collection_rate.map(ReqValue::Number),
    }
}

fn check_req(req: &Requirement, v: ReqValue) -> bool {
    match (&req.test, v) {
        (Test::Range(iv), ReqValue::Number(x)) => iv.contains(x),
        (Test::OneOf(_), ReqValue::Grade(g)) => req.grades.contains(&g),
        (Test::IsTrue(want), ReqValue::Bool(b)) => *want == b,
        _ => false,
    }
}

fn req_key(period: u32, input: ResultInput) -> String {
    format!("results[period={period}].{}", input.key())
}

/// Evaluates one requirement for period `k`; a missing result is an error naming the key.
fn eval_req(
    req: &Requirement,
    k: u32,
    r: Option<&PeriodResult>,
    grade: Option<Grade>,
) -> Result<ReqCheck, PolicyError> {
    let v = r
        .and_then(|r| req_value(r, req.input, grade))
        .ok_or_else(|| {
            missing(
                req_key(k, req.input),
                "政策的考核条件需要它 / the assessment gate reads it",
            )
        })?;
    Ok(ReqCheck {
        passed: check_req(req, v),
        observed: v,
    })
}

/// Evaluates `policy` for one compound.
pub fn evaluate(policy: &Policy, input: &Input<'_>) -> Result<Outcome, PolicyError> {
    // 1. A computation that needs a parameter the text left open stops here, whatever else.
    let rate_param = &policy.params[policy.rate.param];
    if rate_param.values.is_empty() {
        let pf = policy.param_file(policy.rate.param);
        return Err(PolicyError::ParameterNotSet {
            name: rate_param.name.clone(),
            label: pf.map(|p| p.label.clone()).unwrap_or_default(),
            reason: pf
                .and_then(|p| p.unset.clone())
                .unwrap_or_else(|| "文本未给出".into()),
            reason_en: pf
                .and_then(|p| p.unset_en.clone())
                .unwrap_or_else(|| "the text gives none".into()),
            clause: pf.map(|p| p.clause.clone()).unwrap_or_default(),
        });
    }

    let c = &input.contract;
    let signed = c
        .signed
        .ok_or_else(|| missing("contract.signed", "签约日 / the signing date"))?;
    let entry = c
        .entry
        .ok_or_else(|| missing("contract.entry", "正式进场日 / the formal entry date"))?;
    if entry < signed {
        return Err(bad(
            "contract.entry",
            format!(
                "进场日 {entry} 早于签约日 {signed}：请核对，不作推测 / entry before signing: please check"
            ),
        ));
    }
    // The subsidy's start day; the contract term counts from it too unless given.
    let start = match policy.periods.from {
        From::Signed => signed,
        From::Entry => entry,
    };
    let term_start = c.term_start.unwrap_or(start);
    let term_end_excl = match (c.term_end, c.term_years) {
        (Some(e), years) => {
            let end = dates::next_day(e).ok_or_else(|| bad("contract.term_end", "日期超出范围"))?;
            if end <= term_start {
                return Err(bad(
                    "contract.term_end",
                    format!("{e} 不晚于合同开始日 {term_start}"),
                ));
            }
            if let Some(y) = years {
                let whole = dates::whole_years(term_start, end);
                if whole != y as i32 {
                    return Err(bad(
                        "contract.term_years",
                        format!(
                            "term_years = {y} 与 {term_start} 至 {e}（{whole} 个整年）不一致：请只写一个，或写一致 / disagrees with term_end"
                        ),
                    ));
                }
            }
            end
        }
        (None, Some(y)) => i32::try_from(y)
            .ok()
            .and_then(|y| dates::add_years(term_start, y))
            .ok_or_else(|| bad("contract.term_years", "日期超出范围"))?,
        (None, None) => {
            return Err(missing(
                "contract.term_years",
                "合同年限（或 contract.term_end）/ the contract term",
            ));
        }
    };

    // 2. Eligibility.
    let mut checks = Vec::with_capacity(policy.conditions.len());
    for (i, cond) in policy.conditions.iter().enumerate() {
        let (passed, observed) = match cond {
            Condition::Range { input: fi, range } => {
                let x = match fi {
                    FactInput::Households => {
                        Decimal::from(input.compound.households.ok_or_else(|| {
                            missing(
                                "compound.households",
                                "资格条件需要户数 / eligibility reads it",
                            )
                        })?)
                    }
                    FactInput::AreaM2 => input
                        .compound
                        .area_m2
                        .ok_or_else(|| missing("compound.area_m2", "资格条件需要面积"))?,
                };
                (range.contains(x), Observed::Number(x))
            }
            Condition::IsTrue(fact) => {
                let v = match fact {
                    crate::policy::BoolFact::InRenovation => input.compound.in_renovation,
                };
                let v =
                    v.ok_or_else(|| missing(fact.key(), "资格条件需要它 / eligibility reads it"))?;
                (v, Observed::Bool(v))
            }
            Condition::Status(list) => {
                let s = input.compound.status.ok_or_else(|| {
                    missing("compound.status", "资格条件需要小区状态（弃管/自管/…）")
                })?;
                (list.contains(&s), Observed::Status(s))
            }
            Condition::YearsBetween { from, to, range } => {
                let date_of = |d: DateInput| -> Result<Option<Date>, PolicyError> {
                    Ok(match d {
                        DateInput::Built => input.compound.built,
                        DateInput::Signed => Some(signed),
                        DateInput::Entry => Some(entry),
                        DateInput::TermStart => Some(term_start),
                        DateInput::TermEnd => Some(term_end_excl),
                    })
                };
                let to_d = date_of(*to)?.ok_or_else(|| missing(to.key(), "资格条件需要它"))?;
                match date_of(*from)? {
                    Some(from_d) => {
                        let (years, days) = years_and_days(from_d, to_d);
                        (
                            duration_in(range, from_d, to_d),
                            Observed::Years {
                                years,
                                days,
                                from: from_d,
                                to: to_d,
                                to_is_end: *to == DateInput::TermEnd,
                            },
                        )
                    }
                    None => {
                        // Only the built year is known: the age is decided only if the
                        // oldest (1 January) and the youngest (31 December) reading agree;
                        // otherwise ask for the day rather than guess it.
                        let by = input.compound.built_year.ok_or_else(|| {
                            missing("compound.built_year", "资格条件需要建成年份")
                        })?;
                        let (Ok(oldest), Ok(youngest)) =
                            (Date::new(by, 1, 1), Date::new(by, 12, 31))
                        else {
                            return Err(bad("compound.built_year", "年份超出范围"));
                        };
                        let a = duration_in(range, oldest, to_d);
                        let b = duration_in(range, youngest, to_d);
                        if a != b {
                            return Err(missing(
                                "compound.built",
                                &format!(
                                    "只知建成年份 {by}，到 {to_d} 是否满足「{}」取决于竣工的具体日期：请给出 compound.built（竣工日期），不作推测 / only the built year is known and the answer depends on the day: give compound.built",
                                    policy
                                        .file
                                        .eligibility
                                        .get(i)
                                        .map(|c| c.text.as_str())
                                        .unwrap_or("")
                                ),
                            ));
                        }
                        (
                            a,
                            Observed::YearsFromBuiltYear {
                                built_year: by,
                                to: to_d,
                            },
                        )
                    }
                }
            }
        };
        checks.push(Check {
            condition: i,
            passed,
            observed,
        });
    }
    let eligible = checks.iter().all(|c| c.passed);
    let mut out = Outcome {
        eligible,
        checks,
        from: Some(start),
        service_end: None,
        area_m2: input.compound.area_m2,
        fee_per_m2_month: c.fee_per_m2_month,
        periods: Vec::new(),
        release: None,
        total_payable: Fen::ZERO,
        total_standard: Fen::ZERO,
        total_entitlement: Fen::ZERO,
        by_payer: [Fen::ZERO; MAX_PAYERS],
    };
    if !eligible {
        return Ok(out);
    }

    // 3. Service time: from the start day to the end of the term or of the service.
    let mut service_end = term_end_excl;
    if let Some(e) = c.ended {
        let e1 = dates::next_day(e).ok_or_else(|| bad("contract.ended", "日期超出范围"))?;
        if e1 <= start {
            return Err(bad(
                "contract.ended",
                format!("服务终止日 {e} 早于起算日 {start} / service ended before it started"),
            ));
        }
        service_end = service_end.min(e1);
    }
    if let Some(to) = policy.effective_to
        && let Some(t1) = dates::next_day(to)
    {
        service_end = service_end.min(t1);
    }
    out.service_end = Some(service_end);
    let counted_from = policy.effective_from.map_or(start, |e| start.max(e));

    // 4. The periods.
    let unit = policy.periods.unit.months();
    let first_start = match policy.periods.anchor {
        Anchor::Start => start,
        Anchor::Calendar => calendar_start(start, unit),
    };
    let n_periods: usize = match policy.periods.count {
        Some(n) => n as usize,
        None => {
            // Until the contract ends: every period that begins before the term's end.
            let mut n = 0usize;
            while n < MAX_PERIODS {
                let s = dates::add_months(first_start, (n as i32) * unit).unwrap_or(Date::MAX);
                if s >= term_end_excl {
                    break;
                }
                n += 1;
            }
            n
        }
    };
    if n_periods > MAX_PERIODS {
        return Err(bad("contract.term_years", "期数过多 / too many periods"));
    }
    let area = input.compound.area_m2;
    let retention_share = policy.retention.as_ref().map_or(Decimal::ZERO, |r| r.share);
    let base_share = Decimal::ONE - retention_share;
    out.periods.reserve_exact(n_periods);
    let mut next_start = first_start;
    for n in 0..n_periods {
        let k = (n + 1) as u32;
        let p_start = next_start;
        let p_end = dates::add_months(first_start, (n as i32 + 1) * unit)
            .ok_or_else(|| bad("contract.signed", "日期超出范围"))?;
        next_start = p_end;
        let s = p_start.max(counted_from);
        let e = p_end.min(service_end);
        let mut po = PeriodOutcome {
            index: k,
            start: p_start,
            end: p_end,
            served: None,
            time: MonthsAndDays {
                months: 0,
                days: 0,
                part_from: s,
            },
            part_fraction: Decimal::ZERO,
            part_hit: None,
            months: Decimal::ZERO,
            rate: Decimal::ZERO,
            rate_from: None,
            fees: None,
            fees_given: false,
            grade: None,
            grade_hit: None,
            score: None,
            reqs: [None; 4],
            gate_passed: false,
            factor: Decimal::ONE,
            factor_hit: None,
            standard_exact: Decimal::ZERO,
            standard: Fen::ZERO,
            entitlement: Fen::ZERO,
            payable_now: Fen::ZERO,
            retained: Fen::ZERO,
            released: Fen::ZERO,
            payable: Fen::ZERO,
            by_payer: [Fen::ZERO; MAX_PAYERS],
        };
        if e <= s {
            out.periods.push(po);
            continue;
        }
        po.served = Some((s, e));
        // Time served (a whole period needs no counting).
        let t = if s == p_start && e == p_end {
            MonthsAndDays {
                months: unit as u32,
                days: 0,
                part_from: e,
            }
        } else {
            dates::months_and_days(s, e)
        };
        po.time = t;
        if t.days > 0 {
            match policy.part_month {
                PartMonth::Table(ti) => {
                    let hit = policy.tables[ti].lookup(Decimal::from(t.days))?;
                    po.part_hit = Some(hit);
                    po.part_fraction = policy.tables[ti].tiers[hit.tier]
                        .value
                        .unwrap_or(Decimal::ZERO);
                }
                PartMonth::Refuse => {
                    let last = e.yesterday().unwrap_or(e);
                    return Err(PolicyError::PartMonth {
                        period: k,
                        from: t.part_from.to_string(),
                        to: last.to_string(),
                        days: t.days,
                        reason: policy.file.proration.reason.clone().unwrap_or_default(),
                        reason_en: policy.file.proration.reason_en.clone().unwrap_or_default(),
                    });
                }
            }
        }
        po.months = Decimal::from(t.months) + po.part_fraction;

        // The period's results, when the policy reads any.
        let r = input.result(k);
        if let Some(r) = r {
            po.score = r.score;
        }
        // Grade: from the score through the policy's grade table, or given.
        let needs_grade = policy.rate.select == Select::Grade
            || policy
                .gate
                .require
                .iter()
                .any(|q| q.input == ResultInput::Grade);
        if needs_grade {
            if let Some(gt) = policy.gate.grade_table {
                let score = r.and_then(|r| r.score).ok_or_else(|| {
                    missing(
                        req_key(k, ResultInput::Score),
                        "由考核分数定等次 / the grade comes from the score",
                    )
                })?;
                let hit = policy.tables[gt].lookup(score)?;
                po.grade_hit = Some(hit);
                po.grade = policy.tables[gt].tiers[hit.tier].grade;
            } else {
                po.grade = Some(r.and_then(|r| r.grade).ok_or_else(|| {
                    missing(
                        req_key(k, ResultInput::Grade),
                        "政策按考核等次补贴 / the rate or gate reads the grade",
                    )
                })?);
            }
        }
        // The rate in force on the period's first day.
        let dated = rate_param
            .values
            .iter()
            .rev()
            .find(|(f, _)| *f <= policy.effective_from.map_or(p_start, |e| p_start.max(e)));
        let Some((rate_from, value)) = dated else {
            return Err(PolicyError::NoRate {
                period: k,
                what: format!("{} 在 {p_start} 尚无取值", rate_param.name),
            });
        };
        po.rate_from = Some(*rate_from);
        po.rate = match (policy.rate.select, value) {
            (Select::Value, ParamValue::Value(v)) => *v,
            (Select::PeriodIndex, ParamValue::ByIndex(list)) => {
                *list.get(n).ok_or_else(|| PolicyError::NoRate {
                    period: k,
                    what: format!(
                        "{} 只列到第 {} 期 / lists {} periods",
                        rate_param.name,
                        list.len(),
                        list.len()
                    ),
                })?
            }
            (Select::Grade, ParamValue::ByGrade(map)) => {
                let g = po.grade.ok_or_else(|| PolicyError::NoRate {
                    period: k,
                    what: "没有等次 / no grade".into(),
                })?;
                map.iter()
                    .find(|(gg, _)| *gg == g)
                    .map(|(_, v)| *v)
                    .ok_or_else(|| PolicyError::NoRate {
                        period: k,
                        what: format!(
                            "等次 {} 没有补贴标准 / no rate for grade {}",
                            g.zh(),
                            g.en()
                        ),
                    })?
            }
            _ => {
                return Err(PolicyError::NoRate {
                    period: k,
                    what: "参数形式不符 / parameter form".into(),
                });
            }
        };
        // The amount by the standard, exact.
        let unit_dec = Decimal::from(unit);
        po.standard_exact = match policy.rate.basis {
            Basis::AreaRateMonths => {
                let a = area.ok_or_else(|| {
                    missing(
                        "compound.area_m2",
                        "按面积计算补贴 / the subsidy is by area",
                    )
                })?;
                a * po.rate * po.months
            }
            Basis::FeeShare => {
                let fees = match r.and_then(|r| r.fees_total) {
                    Some(f) => {
                        po.fees_given = true;
                        f
                    }
                    None => {
                        let a = area.ok_or_else(|| {
                            missing("compound.area_m2", "物业费按面积计算 / fees are by area")
                        })?;
                        let fee = c.fee_per_m2_month.ok_or_else(|| {
                            missing("contract.fee_per_m2_month", &format!("物业费标准（或 results[period={k}].fees_total）/ the fee, or the period's fees_total"))
                        })?;
                        a * fee * po.months
                    }
                };
                po.fees = Some(fees);
                fees * po.rate
            }
            Basis::Amount => po.rate * po.months / unit_dec,
        };
        po.standard = to_fen(po.standard_exact);

        // The gate.
        let mut passed = true;
        for (i, req) in policy.gate.require.iter().enumerate() {
            let rc = eval_req(req, k, r, po.grade)?;
            passed &= rc.passed;
            if i < po.reqs.len() {
                po.reqs[i] = Some(rc);
            }
        }
        if let Some(ft) = policy.gate.factor_table {
            let score = r.and_then(|r| r.score).ok_or_else(|| {
                missing(
                    req_key(k, ResultInput::Score),
                    "按考核评分确定支付比例 / the payout depends on the score",
                )
            })?;
            let hit = policy.tables[ft].lookup(score)?;
            po.factor_hit = Some(hit);
            po.factor = policy.tables[ft].tiers[hit.tier]
                .value
                .unwrap_or(Decimal::ZERO);
        }
        po.gate_passed = passed;
        if passed {
            if retention_share.is_zero() && po.factor == Decimal::ONE {
                po.payable_now = po.standard;
            } else {
                po.payable_now = to_fen(po.standard_exact * base_share * po.factor);
                po.retained = to_fen(po.standard_exact * retention_share);
            }
        }
        po.entitlement = po.payable_now + po.retained;
        out.periods.push(po);
    }

    // 5. The retention: settled with the last period served, on that period's results or on
    //    the whole term's collection rate (reading `retention_basis`); the booked amounts
    //    summed, or the exact ones summed and rounded once (reading `retention_rounding`).
    if let Some(ret) = &policy.retention
        && let Some(last) = out.periods.iter().rposition(|p| p.served.is_some())
    {
        let k = out.periods[last].index;
        // The whole term: what earlier settlements carried, and this one's served periods
        // (unless the carried figures already hold them).
        let mut term = input.carried;
        if !term.complete {
            for po in out.periods.iter().filter(|p| p.served.is_some()) {
                let rate = input.result(po.index).and_then(|r| r.collection_rate);
                term.add(po, rate, ret.share);
            }
        }
        let (check, whole_term) = match ret.basis {
            RetentionBasis::LastPeriod => {
                (eval_req(&ret.condition, k, input.result(k), None)?, None)
            }
            RetentionBasis::WholeTerm => {
                if let Some(p) = term.rate_missing {
                    return Err(missing(
                        req_key(p, ResultInput::CollectionRate),
                        "预留部分按整个补助期限的收缴率判定 / the retention is judged on the whole term's collection rate",
                    ));
                }
                if term.months.is_zero() {
                    (eval_req(&ret.condition, k, input.result(k), None)?, None)
                } else {
                    // Rates of collected ÷ billed need not terminate: 20 places keep an exact
                    // 80 % at 80 % (the arithmetic carries 28).
                    let rate = (term.rate_months / term.months).round_dp_with_strategy(
                        20,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    );
                    let result = PeriodResult {
                        period: k,
                        collection_rate: Some(rate),
                        ..input.result(k).copied().unwrap_or_default()
                    };
                    (
                        eval_req(&ret.condition, k, Some(&result), None)?,
                        Some(WholeTerm {
                            months: term.months,
                            rate,
                            carried_months: input.carried.months,
                        }),
                    )
                }
            }
        };
        let (retained_total, exact) = match ret.rounding {
            RetentionRounding::PerPeriod => (
                out.periods
                    .iter()
                    .filter(|p| p.served.is_some())
                    .map(|p| p.retained)
                    .sum(),
                None,
            ),
            RetentionRounding::AtRelease => {
                (to_fen(term.retained_exact), Some(term.retained_exact))
            }
        };
        let released = if check.passed {
            retained_total
        } else {
            Fen::ZERO
        };
        out.periods[last].released = released;
        out.release = Some(ReleaseOutcome {
            period: k,
            check,
            retained_total,
            released,
            exact,
            whole_term,
        });
    }

    // 6. What is paid, and who pays it.
    for p in &mut out.periods {
        p.payable = p.payable_now + p.released;
        p.by_payer = split(p.payable, &policy.weights);
        out.total_payable += p.payable;
        out.total_standard += p.standard;
        out.total_entitlement += p.entitlement;
        for (acc, x) in out.by_payer.iter_mut().zip(p.by_payer) {
            *acc += x;
        }
    }
    Ok(out)
}

/// Totals over a batch of compounds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchTotals {
    pub compounds: usize,
    pub eligible: usize,
    pub errors: usize,
    pub periods: usize,
    pub total_payable: Fen,
    pub by_payer: [Fen; MAX_PAYERS],
    /// Total payable by calendar year of the period's end (the year it is settled in).
    pub by_year: std::collections::BTreeMap<i16, Fen>,
}

impl BatchTotals {
    pub(crate) fn add(&mut self, o: &Outcome) {
        self.compounds += 1;
        if o.eligible {
            self.eligible += 1;
        }
        self.periods += o.periods.len();
        self.total_payable += o.total_payable;
        for (a, b) in self.by_payer.iter_mut().zip(o.by_payer) {
            *a += b;
        }
        for p in &o.periods {
            if p.payable != Fen::ZERO {
                let y = p.end.yesterday().unwrap_or(p.end).year();
                *self.by_year.entry(y).or_insert(Fen::ZERO) += p.payable;
            }
        }
    }

    pub(crate) fn merge(&mut self, o: BatchTotals) {
        self.compounds += o.compounds;
        self.eligible += o.eligible;
        self.errors += o.errors;
        self.periods += o.periods;
        self.total_payable += o.total_payable;
        for (a, b) in self.by_payer.iter_mut().zip(o.by_payer) {
            *a += b;
        }
        for (y, v) in o.by_year {
            *self.by_year.entry(y).or_insert(Fen::ZERO) += v;
        }
    }
}

/// Runs [`evaluate`] over many compounds on `threads` threads, calling `each` with every
/// compound's index and result (on the worker thread), and returns the totals. The same code
/// path as the calculator; nothing is kept unless `each` keeps it.
pub fn evaluate_batch<F>(
    policy: &Policy,
    inputs: &[Input<'_>],
    threads: usize,
    each: F,
) -> BatchTotals
where
    F: Fn(usize, &Result<Outcome, PolicyError>) + Sync,
{
    let threads = threads.max(1).min(inputs.len().max(1));
    let chunk = inputs.len().div_ceil(threads).max(1);
    let each = &each;
    std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .enumerate()
            .map(|(ci, part)| {
                s.spawn(move || {
                    let mut t = BatchTotals::default();
                    for (j, inp) in part.iter().enumerate() {
                        let r = evaluate(policy, inp);
                        each(ci * chunk + j, &r);
                        match &r {
                            Ok(o) => t.add(o),
                            Err(_) => {
                                t.compounds += 1;
                                t.errors += 1;
                            }
                        }
                    }
                    t
                })
            })
            .collect();
        let mut total = BatchTotals::default();
        for h in handles {
            // A worker only panics on a bug; count its compounds as errors rather than abort.
            match h.join() {
                Ok(t) => total.merge(t),
                Err(_) => total.errors += 1,
            }
        }
        total
    })
}
