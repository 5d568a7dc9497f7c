//! 预算测算: what a policy would cost over the next N years for a set of compounds, by year and
//! by payer (市级财政, 区级财政 …) — the question a finance bureau asks before a policy is
//! signed — and two policies side by side on the same compounds.
//!
//! Every compound is computed by [`crate::evaluate`], the calculator itself, from a contract
//! the assumptions describe; nothing here knows a policy's rules. Each period's payable
//! (including retention released) is counted in the calendar year its period ends in (the
//! year it is settled), like [`crate::BatchTotals::by_year`].
//!
//! The assumptions, each printed with the result:
//! - the compounds: those of the set whose 物业管理方式 is 无物业 or 自管 (the programme's
//!   target); the ledger's 无物业/弃管 is read as `abandoned` and 自管 as `self_managed`, as the
//!   subsidy run reads them (the ledger does not tell 弃管 from 无物业, and seed 004 counts
//!   弃管小区 as 含自管). Served area = the ledger's 建筑面积.
//! - the coverage schedule: cumulative shares by year ("2027:60%,2028:100%"); the count
//!   covered by a year is the share × the number of compounds **rounded up** (60 % of 7 is 5),
//!   taken in ledger order. Without a schedule every compound is covered in the first year.
//! - each covered compound signs on the same day of its year (default 1 January: a full
//!   year's cost, the upper bound), enters the same day, for `term_years`;
//! - scores, collection rates (per period index; the last value repeats), evaluation passed,
//!   satisfaction, grade and fee rate as given. What a policy needs and is not given is an
//!   error naming the key (never 0).
//!
//! A policy that cannot compute at all (a parameter without a value, e.g. Shanting's reward
//! "另行制定") is refused with the calculator's own error; a compound the calculator cannot
//! compute for a reason of its own (no area in the ledger) is listed, not counted.

use crate::error::PolicyError;
use crate::eval::evaluate;
use crate::input::{CompoundFacts, ContractFacts, Grade, Input, PeriodResult, Status};
use crate::policy::Policy;
use anju_core::{Compound, Fen, Lang, ManagementMode};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

/// One compound the projection may cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Option<i64>,
    pub name: String,
    pub street: String,
    pub facts: CompoundFacts,
}

impl Candidate {
    /// A ledger compound as a candidate; `None` when it is already managed (not a target).
    pub fn from_compound(id: Option<i64>, c: &Compound) -> Option<Candidate> {
        let status = match c.mode {
            ManagementMode::None => Status::Abandoned,
            ManagementMode::SelfManaged => Status::SelfManaged,
            _ => return None,
        };
        Some(Candidate {
            id,
            name: c.name.clone(),
            street: c.street.clone(),
            facts: CompoundFacts {
                area_m2: c.area.map(|a| a.to_decimal()),
                households: c.households,
                built_year: c.built_year.and_then(|y| i16::try_from(y).ok()),
                built: None,
                status: Some(status),
                in_renovation: Some(c.renovation),
            },
        })
    }
}

/// The targets among ledger compounds (id, compound), in their order, and how many were
/// already managed (reported, not counted).
pub fn candidates(rows: &[(Option<i64>, Compound)]) -> (Vec<Candidate>, usize) {
    let c: Vec<Candidate> = rows
        .iter()
        .filter_map(|(id, c)| Candidate::from_compound(*id, c))
        .collect();
    let skipped = rows.len() - c.len();
    (c, skipped)
}

/// The cumulative share covered by the end of `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageStep {
    pub year: i16,
    /// 0–1.
    pub share: Decimal,
}

/// What the projection assumes.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    pub start_year: i16,
    pub years: u16,
    /// Empty: every compound in the first year.
    pub coverage: Vec<CoverageStep>,
    /// The month and day each covered compound signs (and enters) in its year.
    pub sign_month: i8,
    pub sign_day: i8,
    pub term_years: u32,
    pub fee_per_m2_month: Option<Decimal>,
    /// Per period index (1, 2, …); the last value repeats. Empty: not given.
    pub scores: Vec<Decimal>,
    pub collection_rates: Vec<Decimal>,
    pub evaluation_passed: Option<bool>,
    pub satisfaction: Option<Decimal>,
    pub grade: Option<Grade>,
}

impl Assumptions {
    pub fn new(start_year: i16, years: u16) -> Assumptions {
        Assumptions {
            start_year,
            years,
            coverage: Vec::new(),
            sign_month: 1,
            sign_day: 1,
            term_years: 10,
            fee_per_m2_month: None,
            scores: Vec::new(),
            collection_rates: Vec::new(),
            evaluation_passed: None,
            satisfaction: None,
            grade: None,
        }
    }

    fn end_year(&self) -> i16 {
        self.start_year
            .saturating_add(i16::try_from(self.years).unwrap_or(i16::MAX))
            .saturating_sub(1)
    }

    /// The assumptions as lines (for the printout and the JSON).
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        let mut v = Vec::new();
        v.push(if zh {
            format!(
                "测算年度：{}–{} 年（{} 年）",
                self.start_year,
                self.end_year(),
                self.years
            )
        } else {
            format!(
                "years: {}–{} ({} years)",
                self.start_year,
                self.end_year(),
                self.years
            )
        });
        if self.coverage.is_empty() {
            v.push(
                lang.pick(
                    "覆盖进度：全部小区在第一年覆盖",
                    "coverage: every compound in the first year",
                )
                .into(),
            );
        } else {
            let s: Vec<String> = self
                .coverage
                .iter()
                .map(|c| format!("{} 年底 {} %", c.year, percent(c.share)))
                .collect();
            v.push(if zh {
                format!(
                    "覆盖进度（累计，按台账顺序，数量向上取整）：{}",
                    s.join("，")
                )
            } else {
                format!(
                    "coverage (cumulative, in ledger order, counts rounded up): {}",
                    s.join(", ").replace("年底", "end of")
                )
            });
        }
        v.push(if zh {
            format!(
                "每个小区在覆盖当年 {:02}-{:02} 签订合同并正式进场，合同期限 {} 年；服务面积按台账建筑面积",
                self.sign_month, self.sign_day, self.term_years
            )
        } else {
            format!(
                "each compound signs and enters on {:02}-{:02} of the year it is covered, for {} years; served area = the ledger's floor area",
                self.sign_month, self.sign_day, self.term_years
            )
        });
        if let Some(f) = self.fee_per_m2_month {
            v.push(if zh {
                format!("物业费标准 {f} 元/㎡/月")
            } else {
                format!("property fee {f} yuan/m²/month")
            });
        }
        if !self.scores.is_empty() {
            v.push(format!(
                "{}{}",
                lang.pick(
                    "考核评分（按期，末项沿用）：",
                    "assessment scores (by period, the last repeats): "
                ),
                list(&self.scores)
            ));
        }
        if !self.collection_rates.is_empty() {
            let r: Vec<Decimal> = self
                .collection_rates
                .iter()
                .map(|r| *r * Decimal::ONE_HUNDRED)
                .collect();
            v.push(format!(
                "{}{} %",
                lang.pick(
                    "物业费收缴率（按期，末项沿用）：",
                    "fee collection rates (by period, the last repeats): "
                ),
                list(&r)
            ));
        }
        if let Some(p) = self.evaluation_passed {
            v.push(format!(
                "{}{}",
                lang.pick("第三方测评：", "third-party evaluation: "),
                if p {
                    lang.pick("达标", "passed")
                } else {
                    lang.pick("不达标", "not passed")
                }
            ));
        }
        if let Some(s) = self.satisfaction {
            v.push(format!(
                "{}{} %",
                lang.pick("满意度：", "satisfaction: "),
                percent(s)
            ));
        }
        if let Some(g) = self.grade {
            v.push(format!(
                "{}{}",
                lang.pick("考核等次：", "grade: "),
                lang.pick(g.zh(), g.en())
            ));
        }
        v
    }
}

fn percent(share: Decimal) -> String {
    (share * Decimal::ONE_HUNDRED).normalize().to_string()
}

fn list(v: &[Decimal]) -> String {
    v.iter()
        .map(|d| d.normalize().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn bad(key: &str, msg: String) -> PolicyError {
    PolicyError::BadInput {
        key: key.to_string(),
        msg,
    }
}

/// Reads "2027:60%,2028:100%" (or "2027:0.6"). Shares must not fall, nor exceed 100 %.
pub fn parse_coverage(s: &str) -> Result<Vec<CoverageStep>, PolicyError> {
    let mut out: Vec<CoverageStep> = Vec::new();
    for part in s
        .split([',', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (y, v) = part.split_once([':', '：']).ok_or_else(|| {
            bad(
                "coverage",
                format!("「{part}」应写成 年:比例，如 2027:60% / write year:share, e.g. 2027:60%"),
            )
        })?;
        let year: i16 = y.trim().parse().map_err(|_| {
            bad(
                "coverage",
                format!("「{part}」的年份不是数字 / the year is not a number"),
            )
        })?;
        let share = parse_share(v).ok_or_else(|| {
            bad(
                "coverage",
                format!("「{part}」的比例不是 0–100 % 之间的数 / the share is not within 0–100 %"),
            )
        })?;
        if let Some(prev) = out.last()
            && (year <= prev.year || share < prev.share)
        {
            return Err(bad(
                "coverage",
                format!(
                    "「{part}」：年份须递增、累计比例不能下降 / years must rise and shares never fall"
                ),
            ));
        }
        out.push(CoverageStep { year, share });
    }
    Ok(out)
}

/// "60%" → 0.6, "0.6" → 0.6; `None` outside 0–1.
pub fn parse_share(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let d = if let Some(p) = t.strip_suffix(['%', '％']) {
        p.trim().parse::<Decimal>().ok()? / Decimal::ONE_HUNDRED
    } else {
        t.parse::<Decimal>().ok()?
    };
    (Decimal::ZERO..=Decimal::ONE).contains(&d).then_some(d)
}

/// Reads "88,65,50" into decimals.
pub fn parse_list(key: &str, s: &str) -> Result<Vec<Decimal>, PolicyError> {
    s.split([',', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let t = p.trim_end_matches(['%', '％']);
            let d: Decimal = t
                .trim()
                .parse()
                .map_err(|_| bad(key, format!("「{p}」不是数字 / not a number")))?;
            Ok(if t.len() < p.len() {
                d / Decimal::ONE_HUNDRED
            } else {
                d
            })
        })
        .collect()
}

/// The assumptions as people type them: the CLI's flags and the web form's fields, read by
/// one function ([`AssumptionText::parse`]) so both accept and refuse the same input. A
/// refusal is [`PolicyError::BadInput`] whose `key` names the field.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumptionText {
    pub start_year: i16,
    pub years: u16,
    /// Cumulative coverage: "2027:60%,2028:100%"; empty: every compound in the first year.
    pub coverage: String,
    /// Scores by period, the last repeats: "85" or "88,65,50".
    pub score: String,
    /// Collection rates by period: "85%" or "0.85,0.80".
    pub collection_rate: String,
    pub passed: Option<bool>,
    /// "85%" or "0.85".
    pub satisfaction: String,
    /// 优秀 良好 合格 不合格.
    pub grade: String,
    /// 元/㎡/月.
    pub fee: Option<Decimal>,
    pub term_years: u32,
    /// MM-DD.
    pub sign_date: String,
}

impl AssumptionText {
    /// The defaults of `anju budget`: 3 years from `start_year`, 10-year contracts signed 01-01.
    pub fn new(start_year: i16) -> AssumptionText {
        AssumptionText {
            start_year,
            years: 3,
            coverage: String::new(),
            score: String::new(),
            collection_rate: String::new(),
            passed: None,
            satisfaction: String::new(),
            grade: String::new(),
            fee: None,
            term_years: 10,
            sign_date: "01-01".into(),
        }
    }

    pub fn parse(&self, lang: Lang) -> Result<Assumptions, PolicyError> {
        let some = |s: &str| Some(s.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        let mut out = Assumptions::new(self.start_year, self.years);
        if let Some(c) = some(&self.coverage) {
            out.coverage = parse_coverage(&c)?;
        }
        if let Some(s) = some(&self.score) {
            out.scores = parse_list("score", &s)?;
        }
        if let Some(s) = some(&self.collection_rate) {
            out.collection_rates = parse_list("collection_rate", &s)?;
            if out.collection_rates.iter().any(|r| *r > Decimal::ONE) {
                return Err(bad(
                    "collection_rate",
                    pick(
                        "收缴率应在 0–100 % 之间（写 85% 或 0.85）",
                        "collection rates must be 0–100 % (write 85% or 0.85)",
                    ),
                ));
            }
        }
        out.evaluation_passed = self.passed;
        if let Some(s) = some(&self.satisfaction) {
            out.satisfaction = Some(parse_share(&s).ok_or_else(|| {
                bad(
                    "satisfaction",
                    pick("满意度应为 0–100 %", "satisfaction must be 0–100 %"),
                )
            })?);
        }
        if let Some(g) = some(&self.grade) {
            out.grade = Some(Grade::parse(&g).ok_or_else(|| {
                bad(
                    "grade",
                    format!(
                        "{}{g}",
                        lang.pick("无法识别的考核等次：", "unknown grade: ")
                    ),
                )
            })?);
        }
        out.fee_per_m2_month = self.fee;
        out.term_years = self.term_years;
        let (m, d) = self
            .sign_date
            .split_once('-')
            .and_then(|(m, d)| Some((m.trim().parse::<i8>().ok()?, d.trim().parse::<i8>().ok()?)))
            .filter(|(m, d)| (1..=12).contains(m) && (1..=31).contains(d))
            .ok_or_else(|| {
                bad(
                    "sign_date",
                    format!(
                        "{}{}",
                        lang.pick(
                            "签约日应写成 月-日，如 07-01：",
                            "the signing day is MM-DD, e.g. 07-01: "
                        ),
                        self.sign_date
                    ),
                )
            })?;
        out.sign_month = m;
        out.sign_day = d;
        Ok(out)
    }
}

/// One payer's column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PayerCol {
    pub id: String,
    pub name: String,
}

/// One year of the projection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearRow {
    pub year: i16,
    /// Compounds first covered this year, and covered by its end.
    pub newly_covered: usize,
    pub covered: usize,
    /// Compounds paid something this year.
    pub paid_compounds: usize,
    #[serde(serialize_with = "ser_fens")]
    pub by_payer: Vec<Fen>,
    #[serde(serialize_with = "ser_fen")]
    pub total: Fen,
}

/// One compound in the projection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompoundRow {
    pub id: Option<i64>,
    pub name: String,
    pub street: String,
    /// The year it is covered (`None`: not within the horizon).
    pub covered_in: Option<i16>,
    pub eligible: Option<bool>,
    /// Paid within the horizon.
    #[serde(serialize_with = "ser_fen")]
    pub payable: Fen,
    /// Why it is not eligible, or why it could not be computed.
    pub note: Option<String>,
}

/// A policy applied to a set of compounds over the years.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Projection {
    pub policy: String,
    pub policy_short: String,
    pub payers: Vec<PayerCol>,
    pub assumptions: Vec<String>,
    pub years: Vec<YearRow>,
    #[serde(serialize_with = "ser_fens")]
    pub total_by_payer: Vec<Fen>,
    #[serde(serialize_with = "ser_fen")]
    pub total: Fen,
    /// Paid for the same contracts after the last projected year (retention, later periods).
    #[serde(serialize_with = "ser_fen")]
    pub after_horizon: Fen,
    /// Target compounds (无物业/自管) in the set, and those skipped as already managed.
    pub candidates: usize,
    pub managed_skipped: usize,
    pub eligible: usize,
    /// Eligible, but paid nothing within the years (the gate refused every period …).
    pub unpaid_eligible: usize,
    pub ineligible: usize,
    pub not_computed: usize,
    pub compounds: Vec<CompoundRow>,
}

fn ser_fen<S: serde::Serializer>(f: &Fen, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.plain())
}

fn ser_fens<S: serde::Serializer>(v: &[Fen], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|f| f.plain()))
}

/// How many of `n` compounds are covered by the end of `year`.
fn covered_by(a: &Assumptions, n: usize, year: i16) -> usize {
    if a.coverage.is_empty() {
        return if year >= a.start_year { n } else { 0 };
    }
    let share = a
        .coverage
        .iter()
        .rev()
        .find(|c| c.year <= year)
        .map(|c| c.share)
        .unwrap_or(Decimal::ZERO);
    let exact = share * Decimal::from(n);
    let up = exact.ceil();
    usize::try_from(i64::try_from(up).unwrap_or(0))
        .unwrap_or(0)
        .min(n)
}

fn at<T: Copy>(v: &[T], k: u32) -> Option<T> {
    let i = usize::try_from(k.saturating_sub(1)).unwrap_or(0);
    v.get(i).or(v.last()).copied()
}

/// Whether an error belongs to one compound (listed) rather than to the policy or the
/// assumptions (the projection is refused).
fn compound_level(e: &PolicyError) -> bool {
    match e {
        PolicyError::MissingInput { key, .. } | PolicyError::BadInput { key, .. } => {
            key.starts_with("compound.")
        }
        _ => false,
    }
}

/// Applies `policy` to `candidates` (already filtered to targets; `managed_skipped` is only
/// reported) under `a`.
pub fn project(
    policy: &Policy,
    candidates: &[Candidate],
    managed_skipped: usize,
    a: &Assumptions,
    lang: Lang,
) -> Result<Projection, PolicyError> {
    if a.years == 0 || a.years > 50 {
        return Err(bad(
            "years",
            "测算年数应为 1–50 / years must be 1–50".into(),
        ));
    }
    if let Some(c) = a
        .coverage
        .iter()
        .find(|c| c.year < a.start_year || c.year > a.end_year())
    {
        return Err(bad(
            "coverage",
            format!(
                "{} 年不在测算年度 {}–{} 内 / {} is outside the projected years",
                c.year,
                a.start_year,
                a.end_year(),
                c.year
            ),
        ));
    }
    let payers: Vec<PayerCol> = policy
        .file
        .payers
        .iter()
        .map(|p| PayerCol {
            id: p.id.clone(),
            name: lang.pick(&p.name, &p.name_en).to_string(),
        })
        .collect();
    let np = payers.len();
    let n = candidates.len();
    let mut years: Vec<YearRow> = (0..a.years)
        .map(|i| {
            let year = a.start_year + i16::try_from(i).unwrap_or(0);
            let covered = covered_by(a, n, year);
            let before = if i == 0 {
                0
            } else {
                covered_by(a, n, year - 1)
            };
            YearRow {
                year,
                newly_covered: covered.saturating_sub(before),
                covered,
                paid_compounds: 0,
                by_payer: vec![Fen::ZERO; np],
                total: Fen::ZERO,
            }
        })
        .collect();
    // The covered year of compound i: the first year whose count exceeds i.
    let cover_year =
        |i: usize| -> Option<i16> { years.iter().find(|y| y.covered > i).map(|y| y.year) };
    let unit_months = u32::try_from(policy.periods.unit.months())
        .unwrap_or(12)
        .max(1);
    let n_results = ((a.term_years.saturating_add(1)) * 12 / unit_months + 1).min(1200);
    let results: Vec<PeriodResult> = (1..=n_results)
        .map(|k| PeriodResult {
            period: k,
            score: at(&a.scores, k),
            grade: a.grade,
            evaluation_passed: a.evaluation_passed,
            // The projection's one assumption about evaluations covers both kinds.
            third_party_passed: a.evaluation_passed,
            satisfaction: a.satisfaction,
            collection_rate: at(&a.collection_rates, k),
            fees_total: None,
        })
        .collect();
    let mut out = Projection {
        policy: policy.id().to_string(),
        policy_short: lang
            .pick(&policy.file.short, &policy.file.short_en)
            .to_string(),
        payers,
        assumptions: a.lines(lang),
        years: Vec::new(),
        total_by_payer: vec![Fen::ZERO; np],
        total: Fen::ZERO,
        after_horizon: Fen::ZERO,
        candidates: n,
        managed_skipped,
        eligible: 0,
        unpaid_eligible: 0,
        ineligible: 0,
        not_computed: 0,
        compounds: Vec::with_capacity(n),
    };
    let cover: Vec<Option<i16>> = (0..n).map(cover_year).collect();
    for (c, cy) in candidates.iter().zip(cover) {
        let mut row = CompoundRow {
            id: c.id,
            name: c.name.clone(),
            street: c.street.clone(),
            covered_in: cy,
            eligible: None,
            payable: Fen::ZERO,
            note: None,
        };
        let Some(year) = cy else {
            row.note = Some(
                lang.pick("测算期内未覆盖", "not covered within the horizon")
                    .into(),
            );
            out.compounds.push(row);
            continue;
        };
        let signed = Date::new(year, a.sign_month, a.sign_day).map_err(|e| {
            bad(
                "sign_date",
                format!("{year}-{:02}-{:02}: {e}", a.sign_month, a.sign_day),
            )
        })?;
        let contract = ContractFacts {
            signed: Some(signed),
            entry: Some(signed),
            term_years: Some(a.term_years),
            term_start: None,
            term_end: None,
            fee_per_m2_month: a.fee_per_m2_month,
            ended: None,
        };
        let input = Input {
            compound: c.facts,
            contract,
            results: &results,
            carried: Default::default(),
        };
        let o = match evaluate(policy, &input) {
            Ok(o) => o,
            Err(e) if compound_level(&e) => {
                out.not_computed += 1;
                row.note = Some(e.message(lang));
                out.compounds.push(row);
                continue;
            }
            Err(e) => return Err(e),
        };
        row.eligible = Some(o.eligible);
        if !o.eligible {
            out.ineligible += 1;
            let failed: Vec<String> = o
                .checks
                .iter()
                .filter(|ch| !ch.passed)
                .filter_map(|ch| policy.file.eligibility.get(ch.condition))
                .map(|f| lang.pick(&f.text, &f.text_en).to_string())
                .collect();
            row.note = Some(format!(
                "{}{}",
                lang.pick("不符合：", "not eligible: "),
                failed.join("；")
            ));
            out.compounds.push(row);
            continue;
        }
        out.eligible += 1;
        // What the gate refused in the periods it refused (for the note when nothing is paid).
        let mut refused: Vec<String> = Vec::new();
        let reqs = policy
            .file
            .gate
            .as_ref()
            .map(|g| g.require.as_slice())
            .unwrap_or(&[]);
        for p in o.periods.iter().filter(|p| !p.gate_passed) {
            for (i, r) in p.reqs.iter().enumerate() {
                if let (Some(r), Some(f)) = (r, reqs.get(i))
                    && !r.passed
                {
                    let t = lang.pick(&f.text, &f.text_en).to_string();
                    if !refused.contains(&t) {
                        refused.push(t);
                    }
                }
            }
        }
        let mut paid_years: Vec<i16> = Vec::new();
        for p in &o.periods {
            if p.payable == Fen::ZERO {
                continue;
            }
            let settled = p.end.yesterday().unwrap_or(p.end).year();
            match years.iter_mut().find(|y| y.year == settled) {
                Some(y) => {
                    y.total += p.payable;
                    for (acc, x) in y.by_payer.iter_mut().zip(p.by_payer) {
                        *acc += x;
                    }
                    row.payable += p.payable;
                    if !paid_years.contains(&settled) {
                        paid_years.push(settled);
                        y.paid_compounds += 1;
                    }
                }
                None => out.after_horizon += p.payable,
            }
        }
        if row.payable == Fen::ZERO {
            out.unpaid_eligible += 1;
            row.note = Some(if refused.is_empty() {
                lang.pick(
                    "符合条件，但测算期内无应付金额",
                    "eligible, but nothing is payable within the years",
                )
                .to_string()
            } else {
                format!(
                    "{}{}",
                    lang.pick(
                        "符合条件，但考核门槛未达到：",
                        "eligible, but the gate is not met: "
                    ),
                    refused.join(lang.pick("；", "; "))
                )
            });
        }
        out.compounds.push(row);
    }
    for y in &years {
        out.total += y.total;
        for (acc, x) in out.total_by_payer.iter_mut().zip(&y.by_payer) {
            *acc += *x;
        }
    }
    out.years = years;
    Ok(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use anju_core::{Area, ManagementMode};
    use rust_decimal_macros::dec;

    fn cand(name: &str, m2_centi: i64, mode: ManagementMode) -> Option<Candidate> {
        let mut c = Compound::new(name, "东城街道", mode);
        c.area = Some(Area::from_centi(m2_centi));
        c.households = Some(96);
        c.built_year = Some(1997);
        Candidate::from_compound(None, &c)
    }

    /// A 5,000.01 ㎡ 无物业 and an 8,000 ㎡ 自管 compound; a managed one is no target.
    fn three() -> Vec<Candidate> {
        assert!(cand("丙小区", 1_000_000, ManagementMode::Professional).is_none());
        vec![
            cand("甲小区", 500_001, ManagementMode::None).unwrap(),
            cand("乙小区", 800_000, ManagementMode::SelfManaged).unwrap(),
        ]
    }

    fn fen(s: &str) -> Fen {
        Fen::parse_yuan(s).unwrap()
    }

    #[test]
    fn coverage_and_lists_parse() {
        let c = parse_coverage("2027:60%，2028：100%").unwrap();
        assert_eq!(
            c,
            vec![
                CoverageStep {
                    year: 2027,
                    share: dec!(0.6)
                },
                CoverageStep {
                    year: 2028,
                    share: dec!(1)
                }
            ]
        );
        assert!(parse_coverage("2028:60%,2027:100%").is_err());
        assert!(parse_coverage("2027:60%,2028:50%").is_err());
        assert!(parse_coverage("2027:120%").is_err());
        assert!(parse_coverage("2027").is_err());
        assert_eq!(
            parse_list("x", "88, 65,50").unwrap(),
            vec![dec!(88), dec!(65), dec!(50)]
        );
        assert_eq!(parse_list("x", "85%").unwrap(), vec![dec!(0.85)]);
        // 60 % of 7 is 4.2 compounds: rounded up to 5 (a target is met only by whole compounds).
        let mut a = Assumptions::new(2027, 2);
        a.coverage = parse_coverage("2027:60%,2028:100%").unwrap();
        assert_eq!(covered_by(&a, 7, 2027), 5);
        assert_eq!(covered_by(&a, 7, 2028), 7);
        assert_eq!(covered_by(&a, 7, 2026), 0);
    }

    /// Liaocheng (seed 000 三): 0.4 / 0.3 / 0.2 元/㎡/月 in years 1–3; score ≥ 80 pays 100 % of
    /// the 90 % base now (四（一）); the 10 % held back is paid at the end of year 3 when the
    /// collection rate is 80 % or more. Coverage 2027:50 %, 2028:100 % of 2 → 甲 2027, 乙 2028.
    ///
    /// 甲 5,000.01 ㎡ signed 2027-01-01:
    ///   2027: 5,000.01 × 0.4 × 12 = 24,000.048 → now × 0.9 = 21,600.0432 → 21,600.04
    ///         (held 2,400.0048 → 2,400.00)
    ///   2028: 5,000.01 × 0.3 × 12 = 18,000.036 → 16,200.0324 → 16,200.03 (held 1,800.00)
    ///   2029: 5,000.01 × 0.2 × 12 = 12,000.024 → 10,800.0216 → 10,800.02 (held 1,200.00)
    ///         + released 5,400.00 = 16,200.02
    /// 乙 8,000 ㎡ signed 2028-01-01:
    ///   2028: 8,000 × 0.4 × 12 × 0.9 = 34,560.00; 2029: 8,000 × 0.3 × 12 × 0.9 = 25,920.00;
    ///   2030 (after the horizon): 17,280.00 + released 8,640.00 = 25,920.00
    /// Years: 2027 21,600.04; 2028 50,760.03; 2029 42,120.02; total 114,480.09.
    #[test]
    fn liaocheng_by_hand() {
        let (p, _) = crate::resolve("liaocheng-2021").unwrap();
        let mut a = Assumptions::new(2027, 3);
        a.coverage = parse_coverage("2027:50%,2028:100%").unwrap();
        a.term_years = 3;
        a.scores = vec![dec!(85)];
        a.collection_rates = vec![dec!(0.85)];
        let pr = project(&p, &three(), 1, &a, Lang::Zh).unwrap();
        let totals: Vec<(i16, Fen, usize, usize)> = pr
            .years
            .iter()
            .map(|y| (y.year, y.total, y.newly_covered, y.covered))
            .collect();
        assert_eq!(
            totals,
            vec![
                (2027, fen("21600.04"), 1, 1),
                (2028, fen("50760.03"), 1, 2),
                (2029, fen("42120.02"), 0, 2),
            ]
        );
        assert_eq!(pr.total, fen("114480.09"));
        assert_eq!(pr.total_by_payer, vec![fen("114480.09")]);
        assert_eq!(pr.after_horizon, fen("25920.00"));
        assert_eq!((pr.candidates, pr.managed_skipped, pr.eligible), (2, 1, 2));
        // Collection 79.9 % at the end: the 10 % is not released (含80% is the boundary).
        a.collection_rates = vec![dec!(0.799)];
        let pr = project(&p, &three(), 1, &a, Lang::Zh).unwrap();
        assert_eq!(pr.years[2].total, fen("10800.02") + fen("25920.00"));
    }

    /// Yantai (seed 001 三（四）): 50 % of the property fees, 3 years, city : district = 1 : 1,
    /// only for contracts of more than 10 years (an 11-year term here).
    /// 甲: 5,000.01 × 0.80 × 12 × 0.5 = 24,000.048 → 24,000.05 a year, split 12,000.03 (city,
    /// the leftover fen goes to the payer listed first) + 12,000.02;
    /// 乙: 8,000 × 0.80 × 12 × 0.5 = 38,400.00 a year (19,200.00 each).
    /// All covered in 2027: each year 62,400.05 (city 31,200.03, district 31,200.02); 3 years
    /// 187,200.15 (city 93,600.09, district 93,600.06).
    #[test]
    fn yantai_by_hand() {
        let (p, _) = crate::resolve("yantai-2022").unwrap();
        let mut a = Assumptions::new(2027, 3);
        a.term_years = 11;
        a.fee_per_m2_month = Some(dec!(0.80));
        a.evaluation_passed = Some(true);
        let pr = project(&p, &three(), 0, &a, Lang::Zh).unwrap();
        for y in &pr.years {
            assert_eq!(y.total, fen("62400.05"));
            assert_eq!(y.by_payer, vec![fen("31200.03"), fen("31200.02")]);
        }
        assert_eq!(pr.total, fen("187200.15"));
        assert_eq!(pr.total_by_payer, vec![fen("93600.09"), fen("93600.06")]);
        assert_eq!(pr.payers[0].name, "市级财政");
        // A 10-year term is not "more than 10 years": nobody is eligible, and it says why.
        a.term_years = 10;
        let pr = project(&p, &three(), 0, &a, Lang::Zh).unwrap();
        assert_eq!((pr.eligible, pr.ineligible, pr.total), (0, 2, Fen::ZERO));
        assert_eq!(
            pr.compounds[0].note.as_deref(),
            Some("不符合：服务合同期限超过10年")
        );
        // Without a fee rate the calculator names what it needs; it never assumes 0.
        a.term_years = 11;
        a.fee_per_m2_month = None;
        let e = project(&p, &three(), 0, &a, Lang::Zh).unwrap_err();
        assert_eq!(e.code(), "missing_input", "{e}");
    }

    /// Daqintala (seed 004 三（四）): only 优秀 with satisfaction ≥ 80 % is paid; 良好 is
    /// eligible but paid nothing, and the note names the requirement that was not met.
    #[test]
    fn a_gate_not_met_is_explained() {
        let (p, _) = crate::resolve("daqintala-2022-city").unwrap();
        let mut a = Assumptions::new(2027, 1);
        a.grade = Some(Grade::Good);
        a.satisfaction = Some(dec!(0.85));
        let pr = project(&p, &three(), 0, &a, Lang::Zh).unwrap();
        assert_eq!(
            (pr.eligible, pr.unpaid_eligible, pr.total),
            (2, 2, Fen::ZERO)
        );
        let note = pr.compounds[0].note.clone().unwrap_or_default();
        assert!(note.starts_with("符合条件，但考核门槛未达到："), "{note}");
        a.grade = Some(Grade::Excellent);
        let pr = project(&p, &three(), 0, &a, Lang::Zh).unwrap();
        assert_eq!(pr.unpaid_eligible, 0);
        assert!(pr.total > Fen::ZERO);
    }

    #[test]
    fn shanting_refuses() {
        let (p, _) = crate::resolve("shanting-2020").unwrap();
        let mut a = Assumptions::new(2027, 2);
        a.scores = vec![dec!(90)];
        a.evaluation_passed = Some(true);
        let e = project(&p, &three(), 0, &a, Lang::Zh).unwrap_err();
        assert_eq!(e.code(), "parameter_not_set");
        assert!(e.to_string().contains("尚无取值"), "{e}");
    }

    #[test]
    fn compound_without_area_is_listed_not_counted() {
        let (p, _) = crate::resolve("liaocheng-2021").unwrap();
        let mut cs = three();
        cs[1].facts.area_m2 = None;
        let mut a = Assumptions::new(2027, 1);
        a.scores = vec![dec!(85)];
        a.collection_rates = vec![dec!(0.85)];
        let pr = project(&p, &cs, 0, &a, Lang::Zh).unwrap();
        assert_eq!((pr.eligible, pr.not_computed), (1, 1));
        assert_eq!(pr.total, fen("21600.04"));
        assert!(
            pr.compounds[1]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("compound.area_m2")
        );
    }
}
