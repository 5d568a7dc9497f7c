//! The checked, compiled policy the calculator runs: names resolved to indices, intervals
//! parsed, enums instead of strings. Built once per policy, shared by every compound.

use crate::error::PolicyError;
use crate::format::{ConditionFile, PolicyFile, RequirementFile};
use crate::input::{Grade, Status};
use crate::interval::{Interval, RawInterval};
use jiff::civil::Date;
use rust_decimal::Decimal;

/// The most budget levels a policy may split between.
pub const MAX_PAYERS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    Month,
    Quarter,
    HalfYear,
    Year,
}

impl PeriodUnit {
    pub fn months(self) -> i32 {
        match self {
            PeriodUnit::Month => 1,
            PeriodUnit::Quarter => 3,
            PeriodUnit::HalfYear => 6,
            PeriodUnit::Year => 12,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            PeriodUnit::Month => "月",
            PeriodUnit::Quarter => "季度",
            PeriodUnit::HalfYear => "半年",
            PeriodUnit::Year => "年",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::HalfYear => "half-year",
            PeriodUnit::Year => "year",
        }
    }
}

/// The day the subsidy starts counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// 签订物业服务合同之日
    Signed,
    /// 正式进场之日
    Entry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Periods run from the start day: year 1 is start ..< start + 1 year.
    Start,
    /// Calendar periods (calendar years, halves, quarters, months).
    Calendar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub unit: PeriodUnit,
    pub from: From,
    pub anchor: Anchor,
    /// `None`: until the contract ends.
    pub count: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartMonth {
    /// Left-over days go through this table (index into `tables`) to a fraction of a month.
    Table(usize),
    /// The text says nothing: left-over days are an error, never a guess.
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// area × rate × months
    AreaRateMonths,
    /// share × property fees of the period
    FeeShare,
    /// a sum per period (prorated by months served)
    Amount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    Value,
    PeriodIndex,
    Grade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub basis: Basis,
    /// Index into `params`.
    pub param: usize,
    pub select: Select,
}

/// An input of a period's results that a requirement or table reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultInput {
    Score,
    Grade,
    EvaluationPassed,
    ThirdPartyPassed,
    Satisfaction,
    CollectionRate,
}

impl ResultInput {
    pub fn key(self) -> &'static str {
        match self {
            ResultInput::Score => "score",
            ResultInput::Grade => "grade",
            ResultInput::EvaluationPassed => "evaluation_passed",
            ResultInput::ThirdPartyPassed => "third_party_passed",
            ResultInput::Satisfaction => "satisfaction",
            ResultInput::CollectionRate => "collection_rate",
        }
    }
    fn parse(s: &str) -> Option<ResultInput> {
        Some(match s {
            "score" => ResultInput::Score,
            "grade" => ResultInput::Grade,
            "evaluation_passed" => ResultInput::EvaluationPassed,
            "third_party_passed" => ResultInput::ThirdPartyPassed,
            "satisfaction" => ResultInput::Satisfaction,
            "collection_rate" => ResultInput::CollectionRate,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Range(Interval),
    OneOf(Vec<String>),
    IsTrue(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub input: ResultInput,
    pub test: Test,
    /// Grades the test accepts, when it reads the grade.
    pub grades: Vec<Grade>,
}

/// A number or a word about the compound or the contract, for eligibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactInput {
    Households,
    AreaM2,
}

/// A date an eligibility condition measures between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    /// compound.built (or compound.built_year when it decides)
    Built,
    Signed,
    Entry,
    TermStart,
    /// The day after the term's last day (the term is [term_start, term_end]).
    TermEnd,
}

impl DateInput {
    pub fn key(self) -> &'static str {
        match self {
            DateInput::Built => "compound.built",
            DateInput::Signed => "contract.signed",
            DateInput::Entry => "contract.entry",
            DateInput::TermStart => "contract.term_start",
            DateInput::TermEnd => "contract.term_end",
        }
    }
    fn parse(s: &str) -> Option<DateInput> {
        Some(match s {
            "compound.built" => DateInput::Built,
            "contract.signed" => DateInput::Signed,
            "contract.entry" => DateInput::Entry,
            "contract.term_start" => DateInput::TermStart,
            "contract.term_end" => DateInput::TermEnd,
            _ => return None,
        })
    }
}

/// A yes/no fact about the compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolFact {
    /// compound.in_renovation: 列入老旧小区综合改造范围
    InRenovation,
}

impl BoolFact {
    pub fn key(self) -> &'static str {
        match self {
            BoolFact::InRenovation => "compound.in_renovation",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Range {
        input: FactInput,
        range: Interval,
    },
    IsTrue(BoolFact),
    Status(Vec<Status>),
    /// Whole years from `from` to `to` (anniversary rule) must lie in `range`; the bounds are
    /// whole years and carry their inclusion.
    YearsBetween {
        from: DateInput,
        to: DateInput,
        range: Interval,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub range: Interval,
    pub value: Option<Decimal>,
    pub grade: Option<Grade>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableOutput {
    Factor,
    Grade,
    Months,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub domain: Interval,
    pub output: TableOutput,
    pub tiers: Vec<Tier>,
    /// (where, tier index): the file's explicit settlement of a gap or overlap.
    pub resolutions: Vec<(Interval, usize)>,
    /// Every boundary, sorted, and what a value at it (`at_point[i]`) or just above it
    /// (`above[i]`, up to the next boundary) gets; `below` is below the first boundary.
    /// Built once from the rules above, so a lookup is a binary search.
    points: Vec<Decimal>,
    at_point: Vec<Slot>,
    above: Vec<Slot>,
    below: Slot,
}

/// What the table gives on one stretch of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Outside,
    Hit(TierHit),
    Gap,
    Overlap(usize, usize),
}

/// Which tier a value fell in, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierHit {
    pub tier: usize,
    /// `Some(i)`: settled by the file's resolution `i` (a gap or an overlap in the text).
    pub resolution: Option<usize>,
}

impl Table {
    /// Builds a table and its lookup index.
    pub fn new(
        name: String,
        domain: Interval,
        output: TableOutput,
        tiers: Vec<Tier>,
        resolutions: Vec<(Interval, usize)>,
    ) -> Table {
        let mut t = Table {
            name,
            domain,
            output,
            tiers,
            resolutions,
            points: Vec::new(),
            at_point: Vec::new(),
            above: Vec::new(),
            below: Slot::Outside,
        };
        let mut pts: Vec<Decimal> = Vec::new();
        let ivs = std::iter::once(&t.domain)
            .chain(t.tiers.iter().map(|x| &x.range))
            .chain(t.resolutions.iter().map(|(i, _)| i));
        for iv in ivs {
            for b in [iv.lo, iv.hi].into_iter().flatten() {
                pts.push(b.value.normalize());
            }
        }
        pts.sort();
        pts.dedup();
        // One sweep over the resolutions and one over the tiers, probes in increasing order.
        let res_ivs: Vec<Interval> = t.resolutions.iter().map(|(i, _)| *i).collect();
        let tier_ivs: Vec<Interval> = t.tiers.iter().map(|x| x.range).collect();
        let mut res = crate::interval::Sweep::new(&res_ivs);
        let mut tiers = crate::interval::Sweep::new(&tier_ivs);
        let mut slot = |x: Decimal| t.slot_of(x, &res.at(x), &tiers.at(x));
        let below = slot(pts.first().map_or(Decimal::ZERO, |p| *p - Decimal::ONE));
        let mut at_point = Vec::with_capacity(pts.len());
        let mut above = Vec::with_capacity(pts.len());
        for (i, p) in pts.iter().enumerate() {
            at_point.push(slot(*p));
            above.push(slot(match pts.get(i + 1) {
                Some(n) => (*p + *n) / Decimal::TWO,
                None => *p + Decimal::ONE,
            }));
        }
        t.below = below;
        t.at_point = at_point;
        t.above = above;
        t.points = pts;
        t
    }

    /// The rules, applied directly (used to build the index; membership only changes at a
    /// boundary, so one probe per stretch is exact).
    fn slot_of(&self, x: Decimal, resolutions: &[usize], tiers: &[usize]) -> Slot {
        if !self.domain.contains(x) {
            return Slot::Outside;
        }
        if let Some(&i) = resolutions.first() {
            return Slot::Hit(TierHit {
                tier: self.resolutions[i].1,
                resolution: Some(i),
            });
        }
        match tiers {
            [] => Slot::Gap,
            [tier] => Slot::Hit(TierHit {
                tier: *tier,
                resolution: None,
            }),
            [first, second, ..] => Slot::Overlap(*first, *second),
        }
    }

    /// The tier `x` belongs to. Outside the domain is bad input; a gap or overlap the file
    /// does not settle is refused.
    pub fn lookup(&self, x: Decimal) -> Result<TierHit, PolicyError> {
        let slot = match self.points.binary_search(&x) {
            Ok(i) => self.at_point[i],
            Err(0) => self.below,
            Err(i) => self.above[i - 1],
        };
        match slot {
            Slot::Hit(h) => Ok(h),
            Slot::Outside => Err(PolicyError::BadInput {
                key: self.name.clone(),
                msg: format!(
                    "{} 不在 {} 之内 / outside {}",
                    x.normalize(),
                    self.domain,
                    self.domain
                ),
            }),
            Slot::Gap => Err(PolicyError::Gap {
                table: self.name.clone(),
                value: x.normalize().to_string(),
            }),
            Slot::Overlap(a, b) => Err(PolicyError::Overlap {
                table: self.name.clone(),
                value: x.normalize().to_string(),
                tiers: format!("#{} / #{}", a + 1, b + 1),
            }),
        }
    }

    /// The lookup index in integers of 10^-`scale` (for [`crate::fast`]), `scale` at least
    /// `min_scale` and enough for every boundary; `None` when a boundary needs more than 9
    /// places or does not fit.
    pub fn scaled(&self, min_scale: u32) -> Option<ScaledTable> {
        let scale = self
            .points
            .iter()
            .map(|p| p.scale())
            .max()
            .unwrap_or(0)
            .max(min_scale);
        if scale > 9 {
            return None;
        }
        let points = self
            .points
            .iter()
            .map(|p| crate::fast::Fixed::of(*p)?.at_scale(scale))
            .collect::<Option<Vec<i64>>>()?;
        let hit = |s: Slot| match s {
            Slot::Hit(h) => u32::try_from(h.tier).unwrap_or(ScaledTable::REFUSED),
            _ => ScaledTable::REFUSED,
        };
        // Slot 0: below the first boundary; 2i + 1: at boundary i; 2i + 2: above it.
        let mut slots = vec![hit(self.below)];
        for (at, above) in self.at_point.iter().zip(&self.above) {
            slots.push(hit(*at));
            slots.push(hit(*above));
        }
        let mut small = [i64::MAX; SMALL + 1];
        if points.len() <= SMALL {
            small[..points.len()].copy_from_slice(&points);
        }
        Some(ScaledTable {
            scale,
            small: points.len() <= SMALL,
            padded: small,
            points,
            slots,
        })
    }

    /// The rules applied directly, without the index (tests check the two agree).
    pub fn lookup_slow(&self, x: Decimal) -> Result<TierHit, PolicyError> {
        if !self.domain.contains(x) {
            return Err(PolicyError::BadInput {
                key: self.name.clone(),
                msg: format!(
                    "{} 不在 {} 之内 / outside {}",
                    x.normalize(),
                    self.domain,
                    self.domain
                ),
            });
        }
        for (i, (at, tier)) in self.resolutions.iter().enumerate() {
            if at.contains(x) {
                return Ok(TierHit {
                    tier: *tier,
                    resolution: Some(i),
                });
            }
        }
        let mut found: Option<usize> = None;
        for (i, t) in self.tiers.iter().enumerate() {
            if t.range.contains(x) {
                if let Some(first) = found {
                    return Err(PolicyError::Overlap {
                        table: self.name.clone(),
                        value: x.normalize().to_string(),
                        tiers: format!("#{} / #{}", first + 1, i + 1),
                    });
                }
                found = Some(i);
            }
        }
        found
            .map(|tier| TierHit {
                tier,
                resolution: None,
            })
            .ok_or_else(|| PolicyError::Gap {
                table: self.name.clone(),
                value: x.normalize().to_string(),
            })
    }
}

/// A [`Table`]'s lookup index in integers of 10^-`scale`: the same stretches, the same tiers;
/// [`ScaledTable::REFUSED`] where the exact lookup refuses (outside the domain, a gap, an
/// overlap). Tiers are `u32`, so that a lookup returns in a register.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaledTable {
    pub scale: u32,
    points: Vec<i64>,
    /// At most [`SMALL`] boundaries (every shipped table): them, padded with `i64::MAX`.
    small: bool,
    padded: [i64; SMALL + 1],
    /// Below the first boundary, then at and above each.
    slots: Vec<u32>,
}

/// Boundaries counted without a loop or a branch (a random score mispredicts every step of a
/// binary search).
const SMALL: usize = 8;

impl ScaledTable {
    pub const REFUSED: u32 = u32::MAX;

    /// The tier of `x` (in units of 10^-`scale`), as [`Table::lookup`] finds it, or
    /// [`ScaledTable::REFUSED`].
    #[inline(always)]
    pub fn lookup(&self, x: i64) -> u32 {
        let (below, at) = if self.small {
            if x == i64::MAX {
                return Self::REFUSED;
            }
            let below: usize = self.padded[..SMALL]
                .iter()
                .map(|p| usize::from(*p < x))
                .sum();
            (below, self.padded[below] == x)
        } else {
            match self.points.binary_search(&x) {
                Ok(i) => (i, true),
                Err(i) => (i, false),
            }
        };
        // At boundary i: 2i + 1; between boundaries i − 1 and i: 2i.
        self.slots
            .get(2 * below + usize::from(at))
            .copied()
            .unwrap_or(Self::REFUSED)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Value(Decimal),
    ByIndex(Vec<Decimal>),
    ByGrade(Vec<(Grade, Decimal)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    /// Sorted by date.
    pub values: Vec<(Date, ParamValue)>,
}

impl Param {
    /// The value in force on `d` (the latest one that started on or before `d`).
    pub fn at(&self, d: Date) -> Option<&ParamValue> {
        self.values
            .iter()
            .rev()
            .find(|(from, _)| *from <= d)
            .map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    pub share: Decimal,
    pub condition: Requirement,
    /// Whose results decide the release (reading `retention_basis`).
    pub basis: RetentionBasis,
    /// When the retained amount is rounded to the fen (reading `retention_rounding`).
    pub rounding: RetentionRounding,
}

/// Whose results the retention's condition is judged on (reading `retention_basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionBasis {
    /// The last period served (`last_period`).
    LastPeriod,
    /// The whole term (`whole_term`): the collection rate over all the periods served, each
    /// period weighed by its months counted (Σ months × rate ÷ Σ months; with one area and one
    /// fee over the contract this is Σ collected ÷ Σ billed).
    WholeTerm,
}

/// When the retention is rounded to the fen (reading `retention_rounding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionRounding {
    /// Each period's retention rounded as it is booked, the booked amounts summed at release
    /// (`per_period`).
    PerPeriod,
    /// The exact retentions summed and rounded once, when released (`at_release`).
    AtRelease,
}

/// The readings Anju knows (`[[readings]]` ids) and the values each may take; a file naming
/// another id or value is refused when it loads.
pub const READINGS: &[(&str, &[&str])] = &[
    ("fees_total", &["billed", "collected"]),
    ("excellent_grade", &["erqi_95"]),
    ("retention_basis", &["last_period", "whole_term"]),
    ("retention_rounding", &["per_period", "at_release"]),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub grade_table: Option<usize>,
    pub factor_table: Option<usize>,
    pub require: Vec<Requirement>,
}

/// A policy, loaded and checked.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The file as written (titles, citations, notes, labels for explanations).
    pub file: PolicyFile,
    /// `None`: the text gives no date.
    pub effective_from: Option<Date>,
    pub effective_to: Option<Date>,
    pub conditions: Vec<Condition>,
    pub periods: Periods,
    pub part_month: PartMonth,
    pub rate: Rate,
    pub gate: Gate,
    pub retention: Option<Retention>,
    pub weights: Vec<u64>,
    pub params: Vec<Param>,
    pub tables: Vec<Table>,
    /// Who reviews, approves and pays (the file's `[[approval]]`, else Anju's standard chain).
    pub chain: anju_core::funding::Chain,
}

/// A problem found while compiling: the dotted path of the key and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileIssue {
    pub path: String,
    pub msg: String,
}

impl Policy {
    pub fn id(&self) -> &str {
        &self.file.id
    }

    /// Compiles a parsed file. Every problem is returned, each with its key path.
    pub fn compile(file: PolicyFile) -> Result<Policy, Vec<CompileIssue>> {
        let mut c = Compiler { issues: Vec::new() };
        let p = c.compile(&file);
        let chain = c.chain(&file);
        c.readings(&file);
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        Ok(Policy {
            file,
            effective_from: p.effective_from,
            effective_to: p.effective_to,
            conditions: p.conditions,
            periods: p.periods,
            part_month: p.part_month,
            rate: p.rate,
            gate: p.gate,
            retention: p.retention,
            weights: p.weights,
            params: p.params,
            tables: p.tables,
            chain,
        })
    }

    /// The value this file takes for the reading `id` (a `[[readings]]` switch), if it names one.
    pub fn reading(&self, id: &str) -> Option<&str> {
        self.file.reading(id)
    }

    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    /// The file's parameter entry (labels, citation) for a compiled parameter.
    pub fn param_file(&self, i: usize) -> Option<&crate::format::ParameterFile> {
        self.params
            .get(i)
            .and_then(|p| self.file.parameters.get(&p.name))
    }

    pub fn table_file(&self, i: usize) -> Option<&crate::format::TableFile> {
        self.tables
            .get(i)
            .and_then(|t| self.file.tables.get(&t.name))
    }
}

struct Compiler {
    issues: Vec<CompileIssue>,
}

struct Parts {
    effective_from: Option<Date>,
    effective_to: Option<Date>,
    conditions: Vec<Condition>,
    periods: Periods,
    part_month: PartMonth,
    rate: Rate,
    gate: Gate,
    retention: Option<Retention>,
    weights: Vec<u64>,
    params: Vec<Param>,
    tables: Vec<Table>,
}

impl Compiler {
    fn bad(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        self.issues.push(CompileIssue {
            path: path.into(),
            msg: msg.into(),
        });
    }

    /// The readings checked: each value among its choices, a known status, no id twice, and the
    /// switches with an effect limited to the values the code reads.
    fn readings(&mut self, f: &PolicyFile) {
        for (i, r) in f.readings.iter().enumerate() {
            if f.readings[..i].iter().any(|x| x.id == r.id) {
                self.bad(
                    format!("readings[{i}].id"),
                    format!("'{}' 出现两次 / appears twice", r.id),
                );
            }
            if !r.choices.contains(&r.value) {
                self.bad(
                    format!("readings[{i}].value"),
                    format!(
                        "'{}' 不在 choices {:?} 中 / is not one of the choices",
                        r.value, r.choices
                    ),
                );
            }
            if !matches!(r.status.as_str(), "" | "stated" | "pending") {
                self.bad(
                    format!("readings[{i}].status"),
                    "status 须为 stated | pending",
                );
            }
            match READINGS.iter().find(|(id, _)| *id == r.id) {
                None => self.bad(
                    format!("readings[{i}].id"),
                    format!(
                        "未知的读法 '{}'；可用：{} / unknown reading",
                        r.id,
                        READINGS
                            .iter()
                            .map(|(id, _)| *id)
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ),
                ),
                Some((id, known)) => {
                    if let Some(c) = r.choices.iter().find(|c| !known.contains(&c.as_str())) {
                        self.bad(
                            format!("readings[{i}].choices"),
                            format!("{id} 只认 {}，不认 '{c}'", known.join(" | ")),
                        );
                    }
                    if id.starts_with("retention_") && f.retention.is_none() {
                        self.bad(
                            format!("readings[{i}].id"),
                            format!(
                                "{id}：本文件没有 [retention]（预留）/ the file has no retention"
                            ),
                        );
                    }
                }
            }
        }
    }

    /// The file's approval chain, checked (`anju_core::funding::Chain::named`); the standard
    /// chain when the file names none.
    fn chain(&mut self, f: &PolicyFile) -> anju_core::funding::Chain {
        use anju_core::funding::{Action, Chain, ChainStep};
        if f.approval.is_empty() {
            return Chain::standard();
        }
        let mut steps = Vec::new();
        for (i, a) in f.approval.iter().enumerate() {
            let action = Action::from_code(&a.action)
                .filter(|x| !matches!(x, Action::Apply | Action::Return));
            let role = anju_core::access::Role::from_code(&a.role).filter(|r| {
                matches!(
                    r,
                    anju_core::access::Role::Street
                        | anju_core::access::Role::HousingAuthority
                        | anju_core::access::Role::Finance
                )
            });
            match (action, role) {
                (Some(action), Some(role)) => steps.push(ChainStep {
                    action,
                    role,
                    by_zh: a.by.clone(),
                    by_en: a.by_en.clone(),
                }),
                (None, _) => self.bad(
                    format!("approval[{i}].action"),
                    format!(
                        "'{}' 不认识；可用 street_review | district_review | approve | disburse_to_street | disburse",
                        a.action
                    ),
                ),
                (_, None) => self.bad(
                    format!("approval[{i}].role"),
                    format!(
                        "'{}' 不认识；可用 street | housing_authority | finance",
                        a.role
                    ),
                ),
            }
        }
        if steps.len() != f.approval.len() {
            return Chain::standard();
        }
        match Chain::named(steps) {
            Ok(c) => c,
            Err(e) => {
                self.bad("approval", e.zh);
                Chain::standard()
            }
        }
    }

    fn compile(&mut self, f: &PolicyFile) -> Parts {
        if f.format != 1 {
            self.bad(
                "format",
                format!(
                    "只支持 format = 1 / only format 1 is known, found {}",
                    f.format
                ),
            );
        }
        if !matches!(f.status.as_str(), "in_force" | "draft" | "proposal") {
            self.bad("status", "status 须为 in_force | draft | proposal");
        }
        if let (Some(to), Some(from)) = (f.effective_to, f.effective_from)
            && to < from
        {
            self.bad(
                "effective_to",
                "effective_to 早于 effective_from / ends before it starts",
            );
        }

        // Parameters first: tables may refer to them.
        let mut params: Vec<Param> = Vec::new();
        for (name, p) in &f.parameters {
            let path = format!("parameters.{name}");
            let mut values = Vec::new();
            for (i, v) in p.values.iter().enumerate() {
                let vp = format!("{path}.values.{i}");
                let kinds = usize::from(v.value.is_some())
                    + usize::from(v.by_index.is_some())
                    + usize::from(v.by_grade.is_some());
                if kinds != 1 {
                    self.bad(&vp, "每个取值须且只须写 value、by_index、by_grade 之一 / exactly one of value, by_index, by_grade");
                    continue;
                }
                let pv = if let Some(x) = v.value {
                    ParamValue::Value(x.0)
                } else if let Some(list) = &v.by_index {
                    ParamValue::ByIndex(list.iter().map(|d| d.0).collect())
                } else if let Some(map) = &v.by_grade {
                    let mut g = Vec::new();
                    for (k, d) in map {
                        match Grade::parse(k) {
                            Some(gr) => g.push((gr, d.0)),
                            None => self.bad(
                                format!("{vp}.by_grade.{k}"),
                                format!("未知等次 / unknown grade '{k}'"),
                            ),
                        }
                    }
                    ParamValue::ByGrade(g)
                } else {
                    continue;
                };
                values.push((v.from.map_or(Date::MIN, |d| d.0), pv));
            }
            let sorted = values.windows(2).all(|w| w[0].0 < w[1].0);
            if !sorted {
                self.bad(format!("{path}.values"), "取值须按日期从早到晚排列且日期不重复 / values must be in date order, no date twice");
            }
            if p.values.is_empty() && p.unset.is_none() {
                // Not a compile error: lint reports it; evaluation refuses when it is needed.
            }
            params.push(Param {
                name: name.clone(),
                values,
            });
        }
        let single_value = |name: &str| -> Result<Decimal, String> {
            let p = params
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| format!("没有参数 {name} / no parameter {name}"))?;
            match p.values.as_slice() {
                [(_, ParamValue::Value(v))] => Ok(*v),
                _ => Err(format!(
                    "作为区间端点的参数 {name} 须恰有一个数值 / a parameter used as a bound must have exactly one plain value"
                )),
            }
        };

        let mut tables: Vec<Table> = Vec::new();
        for (name, t) in &f.tables {
            let path = format!("tables.{name}");
            let output = match t.output.as_str() {
                "factor" => TableOutput::Factor,
                "grade" => TableOutput::Grade,
                "months" => TableOutput::Months,
                _ => {
                    self.bad(
                        format!("{path}.output"),
                        "output 须为 factor | grade | months",
                    );
                    TableOutput::Factor
                }
            };
            let domain = match RawInterval::parse(&t.domain).and_then(|r| r.resolve(&single_value))
            {
                Ok(d) => d,
                Err(e) => {
                    self.bad(format!("{path}.domain"), e);
                    Interval::ALL
                }
            };
            let mut tiers = Vec::new();
            // Tier names seen so far (a set: comparing each with every earlier one was
            // quadratic in a large table).
            let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for (i, tier) in t.tiers.iter().enumerate() {
                let tp = format!("{path}.tiers.{i}");
                let range =
                    match RawInterval::parse(&tier.range).and_then(|r| r.resolve(&single_value)) {
                        Ok(r) => r,
                        Err(e) => {
                            self.bad(format!("{tp}.range"), e);
                            Interval::ALL
                        }
                    };
                let grade = match &tier.grade {
                    Some(g) => match Grade::parse(g) {
                        Some(gr) => Some(gr),
                        None => {
                            self.bad(
                                format!("{tp}.grade"),
                                format!("未知等次 / unknown grade '{g}'"),
                            );
                            None
                        }
                    },
                    None => None,
                };
                let value = tier.value.map(|d| d.0);
                match output {
                    TableOutput::Grade if grade.is_none() => {
                        self.bad(&tp, "grade 表的每一档须有 grade / every tier needs a grade")
                    }
                    TableOutput::Factor | TableOutput::Months if value.is_none() => {
                        self.bad(&tp, "每一档须有 value / every tier needs a value")
                    }
                    _ => {}
                }
                if !names.insert(tier.text.as_str()) {
                    self.bad(
                        format!("{tp}.text"),
                        format!("档次名称重复 / tier text '{}' used twice", tier.text),
                    );
                }
                tiers.push(Tier {
                    range,
                    value,
                    grade,
                });
            }
            let mut resolutions = Vec::new();
            for (i, r) in t.resolve.iter().enumerate() {
                let rp = format!("{path}.resolve.{i}");
                let at = match r.at.parse::<Decimal>() {
                    Ok(x) => Ok(Interval::point(x)),
                    Err(_) => RawInterval::parse(&r.at).and_then(|ri| ri.resolve(&single_value)),
                };
                let at = match at {
                    Ok(a) => a,
                    Err(e) => {
                        self.bad(format!("{rp}.at"), e);
                        continue;
                    }
                };
                match t.tiers.iter().position(|x| x.text == r.tier) {
                    Some(ti) => resolutions.push((at, ti)),
                    None => self.bad(
                        format!("{rp}.tier"),
                        format!("没有名为「{}」的档次 / no tier '{}'", r.tier, r.tier),
                    ),
                }
            }
            tables.push(Table::new(name.clone(), domain, output, tiers, resolutions));
        }
        let table_ref =
            |c: &mut Compiler, path: &str, name: &str, want: TableOutput| -> Option<usize> {
                match tables.iter().position(|t| t.name == name) {
                    Some(i) if tables[i].output == want => Some(i),
                    Some(_) => {
                        c.bad(
                            path,
                            format!(
                                "表 {name} 的 output 不对 / table {name} has the wrong output kind"
                            ),
                        );
                        None
                    }
                    None => {
                        c.bad(path, format!("没有表 {name} / no table {name}"));
                        None
                    }
                }
            };

        let mut conditions = Vec::new();
        for (i, cf) in f.eligibility.iter().enumerate() {
            if let Some(c) = self.condition(&format!("eligibility.{i}"), cf) {
                conditions.push(c);
            }
        }

        let pf = &f.periods;
        let unit = match pf.unit.as_str() {
            "month" => PeriodUnit::Month,
            "quarter" => PeriodUnit::Quarter,
            "half_year" => PeriodUnit::HalfYear,
            "year" => PeriodUnit::Year,
            _ => {
                self.bad(
                    "periods.unit",
                    "unit 须为 month | quarter | half_year | year",
                );
                PeriodUnit::Year
            }
        };
        let from = match pf.from.as_str() {
            "signed" => From::Signed,
            "entry" => From::Entry,
            _ => {
                self.bad("periods.from", "from 须为 signed | entry");
                From::Signed
            }
        };
        let anchor = match pf.anchor.as_str() {
            "from" => Anchor::Start,
            "calendar" => Anchor::Calendar,
            _ => {
                self.bad("periods.anchor", "anchor 须为 from | calendar");
                Anchor::Start
            }
        };
        match (pf.count, pf.until.as_deref()) {
            (Some(0), _) => self.bad("periods.count", "count 须大于 0"),
            (Some(_), None) | (None, Some("contract_end")) => {}
            _ => self.bad("periods", "写 count = N，或 until = \"contract_end\"，二者择一 / give either count or until = \"contract_end\""),
        }
        let periods = Periods {
            unit,
            from,
            anchor,
            count: pf.count,
        };

        let pr = &f.proration;
        if pr.method != "months" {
            self.bad("proration.method", "method 须为 months");
        }
        let part_month = match (pr.part_month.as_str(), pr.table.as_deref()) {
            ("table", Some(t)) => {
                table_ref(self, "proration.table", t, TableOutput::Months).map(PartMonth::Table)
            }
            ("refuse", None) => Some(PartMonth::Refuse),
            _ => {
                self.bad(
                    "proration.part_month",
                    "part_month 须为 table（并写 table = …）或 refuse",
                );
                None
            }
        };

        let rf = &f.rate;
        let basis = match rf.basis.as_str() {
            "area_rate_months" => Basis::AreaRateMonths,
            "fee_share" => Basis::FeeShare,
            "amount" => Basis::Amount,
            _ => {
                self.bad(
                    "rate.basis",
                    "basis 须为 area_rate_months | fee_share | amount",
                );
                Basis::AreaRateMonths
            }
        };
        let select = match rf.select.as_str() {
            "value" => Select::Value,
            "period_index" => Select::PeriodIndex,
            "grade" => Select::Grade,
            _ => {
                self.bad("rate.select", "select 须为 value | period_index | grade");
                Select::Value
            }
        };
        let param = params.iter().position(|p| p.name == rf.parameter);
        if param.is_none() {
            self.bad(
                "rate.parameter",
                format!("没有参数 {} / no parameter {}", rf.parameter, rf.parameter),
            );
        }
        if let Some(pi) = param {
            for (d, v) in &params[pi].values {
                let ok = matches!(
                    (select, v),
                    (Select::Value, ParamValue::Value(_))
                        | (Select::PeriodIndex, ParamValue::ByIndex(_))
                        | (Select::Grade, ParamValue::ByGrade(_))
                );
                if !ok {
                    self.bad(
                        format!("parameters.{}.values", rf.parameter),
                        format!("{d} 的取值形式与 rate.select = {} 不符 / value form does not match rate.select", rf.select),
                    );
                }
            }
        }

        let mut gate = Gate {
            grade_table: None,
            factor_table: None,
            require: Vec::new(),
        };
        if let Some(g) = &f.gate {
            if let Some(t) = &g.grade_table {
                gate.grade_table = table_ref(self, "gate.grade_table", t, TableOutput::Grade);
            }
            if let Some(t) = &g.factor_table {
                gate.factor_table = table_ref(self, "gate.factor_table", t, TableOutput::Factor);
            }
            for (i, r) in g.require.iter().enumerate() {
                if let Some(req) = self.requirement(&format!("gate.require.{i}"), r) {
                    gate.require.push(req);
                }
            }
        }
        if select == Select::Grade && gate.grade_table.is_none() {
            // The grade then comes straight from the results: fine.
        }

        let retention = match &f.retention {
            None => None,
            Some(r) => {
                if !(r.share.0 > Decimal::ZERO && r.share.0 < Decimal::ONE) {
                    self.bad(
                        "retention.share",
                        "share 须在 0 与 1 之间 / share must be between 0 and 1",
                    );
                }
                if r.release != "after_last_period" {
                    self.bad("retention.release", "release 须为 after_last_period");
                }
                if r.condition_period != "last" {
                    self.bad("retention.condition_period", "condition_period 须为 last");
                }
                let basis = match f.reading("retention_basis") {
                    Some("whole_term") => RetentionBasis::WholeTerm,
                    _ => RetentionBasis::LastPeriod,
                };
                let rounding = match f.reading("retention_rounding") {
                    Some("at_release") => RetentionRounding::AtRelease,
                    _ => RetentionRounding::PerPeriod,
                };
                if basis == RetentionBasis::WholeTerm && r.condition.input != "collection_rate" {
                    self.bad(
                        "readings.retention_basis",
                        "whole_term 只适用于以收缴率为条件的预留 / whole_term applies to a retention conditioned on the collection rate",
                    );
                }
                self.requirement("retention.condition", &r.condition)
                    .map(|condition| Retention {
                        share: r.share.0,
                        condition,
                        basis,
                        rounding,
                    })
            }
        };

        if f.payers.is_empty() || f.payers.len() > MAX_PAYERS {
            self.bad(
                "payers",
                format!("须有 1 至 {MAX_PAYERS} 个出资方 / 1 to {MAX_PAYERS} payers"),
            );
        }
        if f.payers.iter().all(|p| p.weight == 0) {
            self.bad("payers", "出资比例不能全为 0 / weights cannot all be 0");
        }
        let weights = f.payers.iter().map(|p| p.weight).collect();

        if f.rounding.mode != "half_up" || f.rounding.at != "payment" {
            self.bad("rounding", "只支持 mode = \"half_up\", at = \"payment\"（四舍五入到分，每笔支付金额只舍入一次）");
        }

        Parts {
            effective_from: f.effective_from.map(|d| d.0),
            effective_to: f.effective_to.map(|d| d.0),
            conditions,
            periods,
            part_month: part_month.unwrap_or(PartMonth::Refuse),
            rate: Rate {
                basis,
                param: param.unwrap_or(0),
                select,
            },
            gate,
            retention,
            weights,
            params,
            tables,
        }
    }

    fn requirement(&mut self, path: &str, r: &RequirementFile) -> Option<Requirement> {
        let Some(input) = ResultInput::parse(&r.input) else {
            self.bad(
                format!("{path}.input"),
                format!("未知输入 / unknown input '{}'", r.input),
            );
            return None;
        };
        let n = usize::from(r.range.is_some())
            + usize::from(r.one_of.is_some())
            + usize::from(r.is_true.is_some());
        if n != 1 {
            self.bad(
                path,
                "须且只须写 range、one_of、is_true 之一 / exactly one of range, one_of, is_true",
            );
            return None;
        }
        let mut grades = Vec::new();
        let test = if let Some(rg) = &r.range {
            match RawInterval::parse(rg).and_then(|x| x.numeric()) {
                Ok(iv) => Test::Range(iv),
                Err(e) => {
                    self.bad(format!("{path}.range"), e);
                    return None;
                }
            }
        } else if let Some(list) = &r.one_of {
            if input != ResultInput::Grade {
                self.bad(
                    format!("{path}.one_of"),
                    "one_of 只用于 grade / one_of applies to grade",
                );
            }
            for g in list {
                match Grade::parse(g) {
                    Some(gr) => grades.push(gr),
                    None => self.bad(
                        format!("{path}.one_of"),
                        format!("未知等次 / unknown grade '{g}'"),
                    ),
                }
            }
            Test::OneOf(list.clone())
        } else {
            if !matches!(
                input,
                ResultInput::EvaluationPassed | ResultInput::ThirdPartyPassed
            ) {
                self.bad(
                    format!("{path}.is_true"),
                    "is_true 只用于 evaluation_passed 与 third_party_passed",
                );
            }
            Test::IsTrue(r.is_true.unwrap_or(true))
        };
        Some(Requirement {
            input,
            test,
            grades,
        })
    }

    fn condition(&mut self, path: &str, c: &ConditionFile) -> Option<Condition> {
        let range = |s: &Option<String>, me: &mut Compiler| -> Option<Interval> {
            match s
                .as_deref()
                .map(|x| RawInterval::parse(x).and_then(|r| r.numeric()))
            {
                Some(Ok(iv)) => Some(iv),
                Some(Err(e)) => {
                    me.bad(format!("{path}.range"), e);
                    None
                }
                None => {
                    me.bad(path, "缺少 range / range is missing");
                    None
                }
            }
        };
        match c.kind.as_str() {
            "range" => {
                let input = match c.input.as_str() {
                    "compound.households" => FactInput::Households,
                    "compound.area_m2" => FactInput::AreaM2,
                    _ => {
                        self.bad(
                            format!("{path}.input"),
                            format!("range 不支持输入 / unsupported input '{}'", c.input),
                        );
                        return None;
                    }
                };
                range(&c.range, self).map(|range| Condition::Range { input, range })
            }
            "is_true" => {
                if c.input != "compound.in_renovation" {
                    self.bad(
                        format!("{path}.input"),
                        "is_true 只用于 compound.in_renovation",
                    );
                    return None;
                }
                Some(Condition::IsTrue(BoolFact::InRenovation))
            }
            "one_of" => {
                if c.input != "compound.status" {
                    self.bad(format!("{path}.input"), "one_of 只用于 compound.status");
                    return None;
                }
                let mut v = Vec::new();
                for s in c.one_of.iter().flatten() {
                    match Status::parse(s) {
                        Some(st) => v.push(st),
                        None => self.bad(
                            format!("{path}.one_of"),
                            format!("未知状态 / unknown status '{s}'"),
                        ),
                    }
                }
                Some(Condition::Status(v))
            }
            "years_between" => {
                let d = |s: &Option<String>, key: &str, me: &mut Compiler| match s
                    .as_deref()
                    .and_then(DateInput::parse)
                {
                    Some(x) => Some(x),
                    None => {
                        me.bad(format!("{path}.{key}"), "须为 compound.built | contract.signed | contract.entry | contract.term_start | contract.term_end");
                        None
                    }
                };
                let from = d(&c.from, "from", self);
                let to = d(&c.to, "to", self);
                let range = range(&c.range, self);
                if let Some(r) = range {
                    let whole = |b: Option<crate::interval::Bound>| {
                        b.is_none_or(|b| b.value.fract().is_zero())
                    };
                    if !whole(r.lo) || !whole(r.hi) {
                        self.bad(
                            format!("{path}.range"),
                            "年数的端点须为整数 / year bounds must be whole years",
                        );
                    }
                }
                Some(Condition::YearsBetween {
                    from: from?,
                    to: to?,
                    range: range?,
                })
            }
            other => {
                self.bad(
                    format!("{path}.kind"),
                    format!("未知条件类型 / unknown kind '{other}'"),
                );
                None
            }
        }
    }
}
