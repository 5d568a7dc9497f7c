//! What the calculator reads about one compound: compact, `Copy` where it can be, no strings,
//! so the batch engine can hold a million of them. A [`crate::scenario::Scenario`] file is
//! turned into these.
//!
//! Every field is optional: a policy that needs a value that is absent gets an error naming
//! the key ([`crate::PolicyError::MissingInput`]), never a zero.

use jiff::civil::Date;
use rust_decimal::Decimal;

/// How a compound is managed now (the `status` key). Only what the subsidy rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 弃管: abandoned by its former company.
    Abandoned,
    /// 自管: self-managed by its owners.
    SelfManaged,
    /// 无物业: never had a company.
    Unmanaged,
    /// 有物业: managed by a company.
    Managed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Abandoned,
        Status::SelfManaged,
        Status::Unmanaged,
        Status::Managed,
    ];

    /// The key used in files: abandoned | self_managed | unmanaged | managed.
    pub fn key(self) -> &'static str {
        match self {
            Status::Abandoned => "abandoned",
            Status::SelfManaged => "self_managed",
            Status::Unmanaged => "unmanaged",
            Status::Managed => "managed",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Status::Abandoned => "弃管",
            Status::SelfManaged => "自管",
            Status::Unmanaged => "无物业",
            Status::Managed => "有物业",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Status::Abandoned => "abandoned",
            Status::SelfManaged => "self-managed",
            Status::Unmanaged => "no property management",
            Status::Managed => "managed by a company",
        }
    }

    /// Reads the key or the Chinese word.
    pub fn parse(s: &str) -> Option<Status> {
        let t = s.trim();
        Status::ALL
            .into_iter()
            .find(|st| st.key() == t || st.zh() == t)
    }
}

/// An assessment grade (考核等次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// 优秀
    Excellent,
    /// 良好
    Good,
    /// 合格
    Pass,
    /// 不合格
    Fail,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail];

    pub fn zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }

    /// Reads 优秀 / excellent, 良好 / good, 合格 / pass, 不合格 / fail.
    pub fn parse(s: &str) -> Option<Grade> {
        let t = s.trim();
        Grade::ALL
            .into_iter()
            .find(|g| g.zh() == t || g.en().eq_ignore_ascii_case(t))
    }
}

/// Facts about the compound (`[compound]`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CompoundFacts {
    /// 面积 in m² (served or contracted building area, as the policy names it).
    pub area_m2: Option<Decimal>,
    pub households: Option<u32>,
    pub built_year: Option<i16>,
    /// The completion date, when known; needed where an age limit falls in the built year.
    pub built: Option<Date>,
    pub status: Option<Status>,
    /// 列入老旧小区综合改造范围 (Erqi's scope).
    pub in_renovation: Option<bool>,
}

/// Facts about the service contract (`[contract]`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ContractFacts {
    pub signed: Option<Date>,
    /// 正式进场: formal entry.
    pub entry: Option<Date>,
    pub term_years: Option<u32>,
    /// The first day of the contract term; default: the day the policy's subsidy counts from
    /// (`signed` or `entry`, e.g. Erqi: 物业服务期限自…正式进驻…之日起).
    pub term_start: Option<Date>,
    /// The last day of the contract term (inclusive); default term_start + term_years − 1 day.
    pub term_end: Option<Date>,
    pub fee_per_m2_month: Option<Decimal>,
    /// The last day of service (inclusive), when the service ended early.
    pub ended: Option<Date>,
}

/// What one assessment period produced (`[[results]]`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeriodResult {
    /// 1, 2, …
    pub period: u32,
    pub score: Option<Decimal>,
    pub grade: Option<Grade>,
    pub evaluation_passed: Option<bool>,
    /// A *third-party* evaluation (第三方评价机构测评) passed: Yantai 三（四） pays on it, and a
    /// street's or district's own assessment does not count.
    pub third_party_passed: Option<bool>,
    /// 0–1
    pub satisfaction: Option<Decimal>,
    /// 0–1
    pub collection_rate: Option<Decimal>,
    /// The period's property fees in yuan, when known exactly (Yantai).
    pub fees_total: Option<Decimal>,
}

/// What a settlement carries over from the term's earlier periods when it does not see them:
/// the store settles one run's window at a time, and its last window releases a retention held
/// over the whole term. The calculator sees the whole term and carries nothing (the default).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Carried {
    /// The earlier periods' retention, exact (before rounding): summed with this settlement's
    /// and rounded once when the policy rounds the retention at release.
    pub retained_exact: Decimal,
    /// Months counted in the earlier periods, and Σ months × collection rate over them (the
    /// whole term's collection rate weighs each period by its months).
    pub months: Decimal,
    pub rate_months: Decimal,
    /// An earlier period whose collection rate is unknown: the whole-term rate cannot be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_missing: Option<u32>,
    /// The carried figures already cover every period served, this settlement's own included
    /// (a release of its own, after service ended in an earlier run: what those runs held is
    /// what is released, not what the period would hold if computed again today).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
}

impl Carried {
    /// Adds one served period: its exact retention (when its gate passed), its months, and its
    /// months × collection rate, or, without a rate, notes the first period that had none.
    pub fn add(&mut self, po: &crate::eval::PeriodOutcome, rate: Option<Decimal>, share: Decimal) {
        if po.gate_passed {
            self.retained_exact += po.standard_exact * share;
        }
        self.months += po.months;
        match rate {
            Some(r) => self.rate_months += po.months * r,
            None => {
                self.rate_missing.get_or_insert(po.index);
            }
        }
    }
}

/// One compound, as the calculator reads it.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub compound: CompoundFacts,
    pub contract: ContractFacts,
    pub results: &'a [PeriodResult],
    /// From the term's earlier periods, settled before (the store's runs); zero otherwise.
    pub carried: Carried,
}

impl Input<'_> {
    /// The results of period `k`, if given.
    pub fn result(&self, k: u32) -> Option<&PeriodResult> {
        self.results.iter().find(|r| r.period == k)
    }
}
