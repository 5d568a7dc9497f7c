//! The policy file as written (TOML). See `POLICY_FORMAT.md` for the reference.
//!
//! These structs mirror the file one to one; [`crate::policy::Policy`] is the checked,
//! compiled form the calculator uses. Unknown keys are not rejected here: the loader collects
//! them (with their line) through `serde_ignored`, so that lint can report every one of them.

use crate::de::{Day, Dec};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct PolicyFile {
    /// Format version; 1.
    pub format: u32,
    pub id: String,
    pub title: String,
    pub title_en: String,
    /// Short name used in every explanation line, e.g. 聊城方案.
    pub short: String,
    pub short_en: String,
    pub jurisdiction: String,
    pub jurisdiction_en: String,
    /// in_force | draft | proposal
    pub status: String,
    #[serde(default)]
    pub issued: Option<Day>,
    /// Absent when the text gives no date (a draft, a proposal).
    #[serde(default)]
    pub effective_from: Option<Day>,
    #[serde(default)]
    pub effective_to: Option<Day>,
    pub source: Source,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub eligibility: Vec<ConditionFile>,
    pub periods: PeriodsFile,
    pub proration: ProrationFile,
    pub rate: RateFile,
    #[serde(default)]
    pub gate: Option<GateFile>,
    #[serde(default)]
    pub retention: Option<RetentionFile>,
    pub payers: Vec<PayerFile>,
    /// Readings the file makes where the text leaves a choice, as named switches (`id = value`
    /// among `choices`); `anju policy show` lists them and the explanations name them.
    #[serde(default)]
    pub readings: Vec<ReadingFile>,
    /// Who reviews, approves and pays a line after the company's 申报, in order (absent: Anju's
    /// standard chain, `anju_core::funding::Chain::standard`).
    #[serde(default)]
    pub approval: Vec<ApprovalStepFile>,
    pub rounding: RoundingFile,
    #[serde(default)]
    pub parameters: BTreeMap<String, ParameterFile>,
    #[serde(default)]
    pub tables: BTreeMap<String, TableFile>,
    /// Tests as data: scenarios and the totals the text gives for them.
    #[serde(default)]
    pub examples: Vec<ExampleFile>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    /// The seed number, e.g. "000".
    pub seed: String,
    /// The seed file, relative to the shared folder.
    pub file: String,
    /// The document's own name and number.
    pub document: String,
    #[serde(default)]
    pub issuer: String,
}

/// A reading of the text the file makes explicitly (printed by `policy show` and `lint`).
#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    pub topic: String,
    pub zh: String,
    pub en: String,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConditionFile {
    pub id: String,
    /// The condition as the text says it, e.g. 小区规模 100户以下.
    pub text: String,
    pub text_en: String,
    /// range | one_of | is_true | years_between
    pub kind: String,
    /// The input: compound.households, compound.status, contract.term, …
    #[serde(default)]
    pub input: String,
    #[serde(default)]
    pub range: Option<String>,
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// years_between: the earlier date (compound.built, contract.term_start).
    #[serde(default)]
    pub from: Option<String>,
    /// years_between: the later date (contract.entry, contract.term_end).
    #[serde(default)]
    pub to: Option<String>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PeriodsFile {
    /// month | quarter | half_year | year
    pub unit: String,
    /// signed | entry: the day the subsidy starts counting.
    pub from: String,
    /// from (periods start on `from`) | calendar (calendar years / halves / quarters / months)
    pub anchor: String,
    /// How many periods; absent = until the contract ends (then `until` must say so).
    #[serde(default)]
    pub count: Option<u32>,
    /// contract_end
    #[serde(default)]
    pub until: Option<String>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProrationFile {
    /// months: service counted in whole calendar months from its first day (end-of-month rule)
    pub method: String,
    /// What to do with the days left over after the whole months: table | refuse
    pub part_month: String,
    /// part_month = table: the table over the left-over days giving a fraction of a month.
    #[serde(default)]
    pub table: Option<String>,
    /// part_month = refuse: why (the text says nothing), printed as lint's resolution note.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub reason_en: Option<String>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RateFile {
    /// area_rate_months (area × rate × months) | fee_share (share × property fees) |
    /// amount (a sum per period)
    pub basis: String,
    pub parameter: String,
    /// value (the parameter's value) | period_index (its by_index list) | grade (its by_grade map)
    pub select: String,
    /// The name of the area, e.g. 服务面积 / 建筑面积.
    #[serde(default)]
    pub area_label: Option<String>,
    #[serde(default)]
    pub area_label_en: Option<String>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GateFile {
    /// A table from score to a grade (e.g. Erqi 优秀/良好/合格/不合格).
    #[serde(default)]
    pub grade_table: Option<String>,
    /// A table from score to the share of the base that is paid (e.g. Liaocheng 100/80/50 %).
    #[serde(default)]
    pub factor_table: Option<String>,
    /// Conditions each period's results must meet, or nothing is paid for it.
    #[serde(default)]
    pub require: Vec<RequirementFile>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequirementFile {
    pub text: String,
    pub text_en: String,
    /// grade | evaluation_passed | third_party_passed | satisfaction | score | collection_rate
    pub input: String,
    #[serde(default)]
    pub range: Option<String>,
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    #[serde(default)]
    pub is_true: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetentionFile {
    /// The share of each period's amount held back, e.g. "0.10".
    pub share: Dec,
    /// after_last_period: released (or not) with the last period's settlement.
    pub release: String,
    pub condition: RequirementFile,
    /// Which period's input the condition reads: last (the last period served).
    pub condition_period: String,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PayerFile {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub weight: u64,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

impl PolicyFile {
    /// The value this file takes for the reading `id` (a `[[readings]]` switch), if it names one.
    pub fn reading(&self, id: &str) -> Option<&str> {
        self.readings
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.value.as_str())
    }
}

/// A reading made explicit: where the text leaves a choice, the value this file takes among
/// the `choices`, why (`zh`/`en`), and whether it awaits confirmation (`status = "pending"`,
/// 待确认) or is the file's stated reading (`"stated"`, the default). The ids and values Anju
/// knows are `policy::READINGS`; those with an effect: `fees_total` (`billed` 应收 |
/// `collected` 实收: a run's period fee total), `retention_basis` and `retention_rounding`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingFile {
    pub id: String,
    pub value: String,
    pub choices: Vec<String>,
    #[serde(default)]
    pub status: String,
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub quote: String,
}

/// One step of the approval chain: `action` street_review | district_review | approve |
/// disburse_to_street | disburse; `role` the Anju role that takes it (street |
/// housing_authority | finance); `by` the office the text names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalStepFile {
    pub action: String,
    pub role: String,
    pub by: String,
    pub by_en: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RoundingFile {
    /// half_up (四舍五入)
    pub mode: String,
    /// payment: each amount that is paid or held back is rounded once, to the fen.
    pub at: String,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParameterFile {
    pub label: String,
    pub label_en: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub unit_en: String,
    #[serde(default)]
    pub values: Vec<DatedValueFile>,
    /// Why the parameter has no value (e.g. the text leaves it to a later document).
    #[serde(default)]
    pub unset: Option<String>,
    #[serde(default)]
    pub unset_en: Option<String>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatedValueFile {
    /// Absent when the text gives no date: the value holds from the start.
    #[serde(default)]
    pub from: Option<Day>,
    #[serde(default)]
    pub value: Option<Dec>,
    #[serde(default)]
    pub by_index: Option<Vec<Dec>>,
    #[serde(default)]
    pub by_grade: Option<BTreeMap<String, Dec>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableFile {
    pub label: String,
    pub label_en: String,
    /// The input the table reads: score | part_month_days | …
    pub input: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub unit_en: String,
    /// The values the input can take; the tiers must cover it exactly once.
    pub domain: String,
    /// factor | grade | months
    pub output: String,
    pub tiers: Vec<TierFile>,
    #[serde(default)]
    pub resolve: Vec<ResolutionFile>,
    /// The clause of the seed this rule encodes, e.g. "四（一）考核".
    #[serde(default)]
    pub clause: String,
    /// The words of the text, verbatim (… marks an omission).
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TierFile {
    /// The tier as the text says it, e.g. 80分以上. Unique within the table.
    pub text: String,
    pub text_en: String,
    pub range: String,
    #[serde(default)]
    pub value: Option<Dec>,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub grade_en: Option<String>,
}

/// How the file settles a gap or an overlap the text leaves.
#[derive(Debug, Clone, Deserialize)]
pub struct ResolutionFile {
    /// A point (e.g. "60") or an interval (e.g. "(15, 16)") …
    pub at: String,
    /// … goes to this tier (by its `text`).
    pub tier: String,
    pub reason: String,
    pub reason_en: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExampleFile {
    pub name: String,
    /// The scenario, inline, in the scenario format.
    pub scenario: toml::Table,
    /// Expected total payable in yuan, e.g. "45360.00"; or
    #[serde(default)]
    pub total_payable: Option<String>,
    /// the expected error, by its code (e.g. "parameter_not_set").
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub eligible: Option<bool>,
}
