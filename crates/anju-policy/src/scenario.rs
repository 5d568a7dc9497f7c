//! The what-if scenario file for one compound (TOML):
//!
//! ```toml
//! [compound]
//! name = "示例小区"            # optional
//! area_m2 = 5000
//! households = 96
//! built_year = 1997
//! built = 1997-09-30          # optional: the completion date, when an age limit needs the day
//! status = "abandoned"        # abandoned 弃管 | self_managed 自管 | unmanaged 无物业 | managed 有物业
//! in_renovation = true        # optional: 列入老旧小区综合改造范围 (Erqi)
//! [contract]
//! signed = 2022-05-01
//! entry = 2022-05-01         # 正式进场
//! term_years = 3
//! term_start = 2022-05-01    # optional, default: the day the policy counts from (signed or entry)
//! term_end = 2025-04-30      # optional: the term's last day; default term_start + term_years − 1 day
//! fee_per_m2_month = 0.5
//! ended = 2024-03-31         # optional: the last day of service, when it ended early
//! [[results]]
//! period = 1
//! score = 88                 # and/or grade, evaluation_passed, third_party_passed, satisfaction (0–1),
//! collection_rate = 0.72     # collection_rate (0–1), fees_total (yuan)
//! ```
//!
//! Unknown keys are refused (a misspelt key would otherwise read as "not given").

use crate::de::{Day, Dec};
use crate::error::PolicyError;
use crate::input::{CompoundFacts, ContractFacts, Grade, Input, PeriodResult, Status};
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
struct ScenarioFile {
    #[serde(default)]
    compound: CompoundFile,
    #[serde(default)]
    contract: ContractFile,
    #[serde(default)]
    results: Vec<ResultFile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct CompoundFile {
    name: Option<String>,
    area_m2: Option<Dec>,
    households: Option<i64>,
    built_year: Option<i64>,
    built: Option<Day>,
    status: Option<String>,
    in_renovation: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct ContractFile {
    signed: Option<Day>,
    entry: Option<Day>,
    term_years: Option<i64>,
    term_start: Option<Day>,
    term_end: Option<Day>,
    fee_per_m2_month: Option<Dec>,
    ended: Option<Day>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct ResultFile {
    period: i64,
    score: Option<Dec>,
    grade: Option<String>,
    evaluation_passed: Option<bool>,
    third_party_passed: Option<bool>,
    satisfaction: Option<Dec>,
    collection_rate: Option<Dec>,
    fees_total: Option<Dec>,
}

/// One compound's scenario, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: Option<String>,
    pub compound: CompoundFacts,
    pub contract: ContractFacts,
    pub results: Vec<PeriodResult>,
}

fn bad(key: &str, msg: impl Into<String>) -> PolicyError {
    PolicyError::BadInput {
        key: key.to_string(),
        msg: msg.into(),
    }
}

fn share(key: &str, d: Option<Dec>) -> Result<Option<Decimal>, PolicyError> {
    match d {
        Some(Dec(x)) if x < Decimal::ZERO || x > Decimal::ONE => Err(bad(
            key,
            format!("{x} 须在 0 至 1 之间（80% 写作 0.80）/ must be between 0 and 1"),
        )),
        other => Ok(other.map(|d| d.0)),
    }
}

fn non_negative(key: &str, d: Option<Dec>) -> Result<Option<Decimal>, PolicyError> {
    match d {
        Some(Dec(x)) if x < Decimal::ZERO => {
            Err(bad(key, format!("{x} 不能为负 / cannot be negative")))
        }
        other => Ok(other.map(|d| d.0)),
    }
}

/// [`non_negative`], and at most `max`: a figure no compound has (a typo of a few digits) is
/// refused naming its key, before the money it implies overflows the arithmetic.
fn within_max(key: &str, d: Option<Dec>, max: i64) -> Result<Option<Decimal>, PolicyError> {
    match non_negative(key, d)? {
        Some(x) if x > Decimal::from(max) => Err(bad(
            key,
            format!(
                "{x} 超出可计算范围（至多 {max}）/ is beyond what can be computed (at most {max})"
            ),
        )),
        other => Ok(other),
    }
}

/// The largest area a scenario may give: 10,000,000 ㎡ (10 km²; a compound is far smaller).
pub(crate) const AREA_MAX_M2: i64 = 10_000_000;
/// The largest fee per ㎡ and month: 1,000 元.
pub(crate) const FEE_MAX: i64 = 1_000;
/// The largest fee total of one period: 100,000,000,000 元.
pub(crate) const FEES_TOTAL_MAX: i64 = 100_000_000_000;

impl Scenario {
    /// Reads a scenario from TOML text.
    pub fn parse(src: &str) -> Result<Scenario, PolicyError> {
        let de = toml::Deserializer::parse(src)
            .map_err(|e| PolicyError::InvalidScenario(format!("{e}")))?;
        let mut unknown: Vec<String> = Vec::new();
        let file: ScenarioFile =
            serde_ignored::deserialize(de, |p| unknown.push(crate::load::path_string(&p)))
                .map_err(|e| PolicyError::InvalidScenario(format!("{e}")))?;
        if let Some(u) = unknown.first() {
            return Err(PolicyError::InvalidScenario(format!(
                "未知字段 {u}（可用：compound.area_m2/households/built_year/built/status/in_renovation/name，contract.signed/entry/term_years/term_start/term_end/fee_per_m2_month/ended，results.period/score/grade/evaluation_passed/third_party_passed/satisfaction/collection_rate/fees_total）/ unknown key {u}"
            )));
        }
        Scenario::from_file(file)
    }

    /// Reads a scenario from an already parsed TOML table (tests-as-data in policy files).
    pub fn from_table(t: &toml::Table) -> Result<Scenario, PolicyError> {
        let text = toml::to_string(t).map_err(|e| PolicyError::InvalidScenario(e.to_string()))?;
        Scenario::parse(&text)
    }

    fn from_file(f: ScenarioFile) -> Result<Scenario, PolicyError> {
        let c = &f.compound;
        let households = match c.households {
            Some(h) => Some(u32::try_from(h).map_err(|_| {
                bad(
                    "compound.households",
                    format!("{h} 不是户数 / not a household count"),
                )
            })?),
            None => None,
        };
        let built_year = match c.built_year {
            Some(y) if (1800..=2200).contains(&y) => Some(y as i16),
            Some(y) => {
                return Err(bad(
                    "compound.built_year",
                    format!("{y} 不是年份 / not a year"),
                ));
            }
            None => None,
        };
        if let (Some(y), Some(b)) = (built_year, c.built)
            && b.0.year() != y
        {
            return Err(bad(
                "compound.built",
                format!(
                    "{} 与 built_year = {y} 不一致 / disagrees with built_year",
                    b.0
                ),
            ));
        }
        let status = match &c.status {
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                bad("compound.status", format!("'{s}' 不认识；可用 abandoned（弃管）| self_managed（自管）| unmanaged（无物业）| managed（有物业）"))
            })?),
            None => None,
        };
        let compound = CompoundFacts {
            area_m2: within_max("compound.area_m2", c.area_m2, AREA_MAX_M2)?,
            households,
            built_year,
            built: c.built.map(|d| d.0),
            status,
            in_renovation: c.in_renovation,
        };
        let k = &f.contract;
        let term_years = match k.term_years {
            Some(y) if (1..=100).contains(&y) => Some(y as u32),
            Some(y) => {
                return Err(bad(
                    "contract.term_years",
                    format!("{y} 不是合同年限 / not a term in years"),
                ));
            }
            None => None,
        };
        let contract = ContractFacts {
            signed: k.signed.map(|d| d.0),
            entry: k.entry.map(|d| d.0),
            term_years,
            term_start: k.term_start.map(|d| d.0),
            term_end: k.term_end.map(|d| d.0),
            fee_per_m2_month: within_max("contract.fee_per_m2_month", k.fee_per_m2_month, FEE_MAX)?,
            ended: k.ended.map(|d| d.0),
        };
        let mut results = Vec::new();
        for r in &f.results {
            let period = u32::try_from(r.period)
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| {
                    bad(
                        "results.period",
                        format!("{} 须为 1、2、… / must be 1, 2, …", r.period),
                    )
                })?;
            if results.iter().any(|x: &PeriodResult| x.period == period) {
                return Err(bad(
                    "results.period",
                    format!("第 {period} 期出现两次 / period {period} given twice"),
                ));
            }
            let key = |k: &str| format!("results[period={period}].{k}");
            let grade = match &r.grade {
                Some(g) => Some(Grade::parse(g).ok_or_else(|| {
                    bad(
                        &key("grade"),
                        format!("'{g}' 不认识；可用 优秀 | 良好 | 合格 | 不合格"),
                    )
                })?),
                None => None,
            };
            if let Some(Dec(s)) = r.score
                && (s < Decimal::ZERO || s > Decimal::ONE_HUNDRED)
            {
                return Err(bad(
                    &key("score"),
                    format!("{s} 须在 0 至 100 之间 / must be 0–100"),
                ));
            }
            results.push(PeriodResult {
                period,
                score: r.score.map(|d| d.0),
                grade,
                evaluation_passed: r.evaluation_passed,
                third_party_passed: r.third_party_passed,
                satisfaction: share(&key("satisfaction"), r.satisfaction)?,
                collection_rate: share(&key("collection_rate"), r.collection_rate)?,
                fees_total: within_max(&key("fees_total"), r.fees_total, FEES_TOTAL_MAX)?,
            });
        }
        results.sort_by_key(|r| r.period);
        Ok(Scenario {
            name: c.name.clone(),
            compound,
            contract,
            results,
        })
    }

    /// The compact view the calculator reads.
    pub fn input(&self) -> Input<'_> {
        Input {
            compound: self.compound,
            contract: self.contract,
            results: &self.results,
            carried: Default::default(),
        }
    }
}
