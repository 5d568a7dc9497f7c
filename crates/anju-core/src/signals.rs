//! 风险线索: signals of 虚报、套取、挪用 (seed 000 四（三）"严禁虚报、冒领、挪用"; seed 002
//! 七（二）4 "专款专用…严禁挤占挪用"). Pure detectors over plain fact structs: the store gathers
//! the facts in bulk, these functions decide, so the CLI, the web and the tests agree.
//!
//! A signal is a lead for the housing authority and the auditor, not a finding of fraud: each
//! carries the facts that raised it (its evidence) in Chinese and English.
//!
//! The rules:
//! - **(a) 服务面积超过台账面积** — a contract's served area is above the census (ledger) floor
//!   area of the compounds it serves (their sum). Any excess raises it; more than 10 % over is
//!   高, otherwise 中. A compound without a ledger area raises nothing (nothing to compare).
//! - **(b) 疑似重复小区** — two compounds of the same street whose names or addresses are the
//!   same after [`normalize_name`] / [`normalize_address`]: full-width → half-width, spaces and
//!   punctuation dropped, ASCII lower-cased, one trailing 小区/社区/苑 dropped from names, and in
//!   addresses 号楼/栋/幢 read as 号. When both have coordinates more than
//!   [`DUPLICATE_FAR_M`] apart they are two places and nothing is raised; two compounds of the
//!   same street within [`DUPLICATE_NEAR_M`] of each other under different names raise 中.
//!   Matching names or addresses raise 高.
//! - **(c) 企业自评** — an assessment whose assessor belongs to the assessed company: after
//!   normalisation the assessor is the company's name, one contains the other (the assessor at
//!   least 4 characters, so a bare "物业" matches nothing), or the assessor is the company's
//!   registered contact person. 高.
//! - **(d) 逾期备案** — [`crate::contract::FilingStatus`]: filed after the 10-day deadline (中),
//!   or still unfiled after it (高).
//! - **(e) 补贴期间在合同外或进场前** — a claimed period that starts before the contract term,
//!   ends after it (or after the service ended), or has no contract at all (高); or starts
//!   before formal entry (正式进场, 中: Liaocheng counts from signing, so it may be right).
//! - **(f) 考核不合格仍拨付** — money paid for a period whose assessment says 不合格 (or not
//!   passed). 高.

use crate::contract::FilingStatus;
use crate::{Area, Coordinates, Fen, Lang};
use jiff::civil::Date;
use serde::Serialize;

/// Names or addresses that match, with coordinates further apart than this: two places.
pub const DUPLICATE_FAR_M: f64 = 500.0;
/// Different names within this distance in one street: maybe one place entered twice.
pub const DUPLICATE_NEAR_M: f64 = 30.0;

/// The kind of a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// (a) 服务面积超过台账面积
    AreaAboveCensus,
    /// (b) 疑似重复小区
    DuplicateCompound,
    /// (c) 企业自评
    SelfAssessment,
    /// (d) 逾期备案
    LateFiling,
    /// (e) 补贴期间在合同外或进场前
    ClaimOutsideContract,
    /// (f) 考核不合格仍拨付
    PaidDespiteFail,
}

impl SignalKind {
    pub const ALL: [SignalKind; 6] = [
        SignalKind::AreaAboveCensus,
        SignalKind::DuplicateCompound,
        SignalKind::SelfAssessment,
        SignalKind::LateFiling,
        SignalKind::ClaimOutsideContract,
        SignalKind::PaidDespiteFail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SignalKind::AreaAboveCensus => "area_above_census",
            SignalKind::DuplicateCompound => "duplicate_compound",
            SignalKind::SelfAssessment => "self_assessment",
            SignalKind::LateFiling => "late_filing",
            SignalKind::ClaimOutsideContract => "claim_outside_contract",
            SignalKind::PaidDespiteFail => "paid_despite_fail",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            SignalKind::AreaAboveCensus => "服务面积超过台账面积",
            SignalKind::DuplicateCompound => "疑似重复小区",
            SignalKind::SelfAssessment => "企业自评",
            SignalKind::LateFiling => "逾期备案",
            SignalKind::ClaimOutsideContract => "补贴期间在合同外或进场前",
            SignalKind::PaidDespiteFail => "考核不合格仍拨付",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            SignalKind::AreaAboveCensus => "served area above census area",
            SignalKind::DuplicateCompound => "possible duplicate compound",
            SignalKind::SelfAssessment => "company assessing itself",
            SignalKind::LateFiling => "contract filed late",
            SignalKind::ClaimOutsideContract => "claim outside the contract or before entry",
            SignalKind::PaidDespiteFail => "paid although the assessment failed",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    /// Reads the code (`late_filing`, also with `-`) or the Chinese name.
    pub fn parse(s: &str) -> Option<SignalKind> {
        let t = s.trim().replace('-', "_");
        SignalKind::ALL
            .into_iter()
            .find(|k| k.code() == t || k.zh() == t)
    }
}

/// How much a signal weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn zh(self) -> &'static str {
        match self {
            Severity::High => "高",
            Severity::Medium => "中",
            Severity::Low => "低",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}

/// One signal with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub severity: Severity,
    /// The compound(s) it concerns (ids), first the main one.
    pub compound_ids: Vec<i64>,
    /// 小区 (names joined with "、" when several).
    pub compound: String,
    pub street: String,
    pub company: Option<String>,
    /// The facts that raised it.
    pub evidence_zh: String,
    pub evidence_en: String,
}

impl Signal {
    pub fn evidence(&self, lang: Lang) -> &str {
        lang.pick(&self.evidence_zh, &self.evidence_en)
    }
}

/// Sorts signals for display: severity, kind, street, compound.
pub fn sort(signals: &mut [Signal]) {
    signals.sort_by(|a, b| {
        (a.severity, a.kind, &a.street, &a.compound, &a.evidence_zh).cmp(&(
            b.severity,
            b.kind,
            &b.street,
            &b.compound,
            &b.evidence_zh,
        ))
    });
}

// ---------------------------------------------------------------- (a) served area

/// One contract and the census areas of the compounds it serves.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedAreaFact {
    pub contract_id: i64,
    pub company: String,
    pub served: Area,
    /// (id, name, street, ledger area) of each compound of the contract.
    pub compounds: Vec<(i64, String, String, Option<Area>)>,
}

/// (a) Served area above the census area.
pub fn area_above_census(facts: &[ServedAreaFact]) -> Vec<Signal> {
    let mut out = Vec::new();
    for f in facts {
        if f.compounds.is_empty() || f.compounds.iter().any(|c| c.3.is_none()) {
            continue;
        }
        let census: i64 = f
            .compounds
            .iter()
            .filter_map(|c| c.3)
            .map(Area::centi)
            .sum();
        let served = f.served.centi();
        if served <= census {
            continue;
        }
        // More than 10 % over: served × 10 > census × 11 (integers, exact).
        let severity = if i128::from(served) * 10 > i128::from(census) * 11 {
            Severity::High
        } else {
            Severity::Medium
        };
        let census_a = Area::from_centi(census);
        let names = join_names(f.compounds.iter().map(|c| c.1.as_str()));
        out.push(Signal {
            kind: SignalKind::AreaAboveCensus,
            severity,
            compound_ids: f.compounds.iter().map(|c| c.0).collect(),
            compound: names,
            street: f.compounds[0].2.clone(),
            company: Some(f.company.clone()),
            evidence_zh: format!(
                "合同 {} 服务面积 {} ㎡ 超过台账面积 {} ㎡（多 {} ㎡）",
                f.contract_id,
                f.served.grouped(),
                census_a.grouped(),
                Area::from_centi(served - census).grouped()
            ),
            evidence_en: format!(
                "contract {}: served area {} m² above the census area {} m² (by {} m²)",
                f.contract_id,
                f.served.grouped(),
                census_a.grouped(),
                Area::from_centi(served - census).grouped()
            ),
        });
    }
    out
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join("、")
}

// ---------------------------------------------------------------- (b) duplicates

/// One compound as the ledger holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompoundFact {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub address: Option<String>,
    pub coords: Option<Coordinates>,
    pub company: Option<String>,
}

/// Full-width ASCII → half-width, ideographic space → space.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn base_normalize(s: &str) -> String {
    s.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .filter(|c| {
            !matches!(
                c,
                '·' | '-'
                    | '—'
                    | '_'
                    | '('
                    | ')'
                    | '（'
                    | '）'
                    | '、'
                    | ','
                    | '，'
                    | '.'
                    | '。'
                    | '#'
                    | '"'
                    | '“'
                    | '”'
                    | '\''
                    | '《'
                    | '》'
            )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A compound name for comparison: see the module doc, rule (b).
pub fn normalize_name(s: &str) -> String {
    let t = base_normalize(s);
    for suffix in ["小区", "社区", "苑"] {
        if let Some(stem) = t.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return stem.to_string();
        }
    }
    t
}

/// An address for comparison: see the module doc, rule (b).
pub fn normalize_address(s: &str) -> String {
    base_normalize(s)
        .replace("号楼", "号")
        .replace(['栋', '幢'], "号")
}

/// The pairs of one street worth judging, in order: the same normalised name, the same
/// normalised address, or coordinates in neighbouring grid cells (0.001°, about 110 m: more
/// than [`DUPLICATE_NEAR_M`] in every direction). Not every pair: a street of 5,000 compounds
/// would be 12.5 million.
fn candidate_pairs(
    list: &[&CompoundFact],
    norm: &[(String, Option<String>)],
) -> std::collections::BTreeSet<(usize, usize)> {
    use std::collections::{BTreeSet, HashMap};
    let mut pairs = BTreeSet::new();
    let mut groups: HashMap<(u8, &str), Vec<usize>> = HashMap::new();
    let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, (name, addr)) in norm.iter().enumerate() {
        groups.entry((0, name.as_str())).or_default().push(i);
        if let Some(a) = addr {
            groups.entry((1, a.as_str())).or_default().push(i);
        }
        if let Some(c) = list[i].coords {
            cells
                .entry((c.lat_e6.div_euclid(1000), c.lng_e6.div_euclid(1000)))
                .or_default()
                .push(i);
        }
    }
    for members in groups.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    for (&(y, x), members) in &cells {
        for &i in members {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    for &j in cells
                        .get(&(y + dy, x + dx))
                        .map_or(&[][..], |v| v.as_slice())
                    {
                        if i < j {
                            pairs.insert((i, j));
                        }
                    }
                }
            }
        }
    }
    pairs
}

/// (b) The same compound twice in one street.
pub fn duplicate_compounds(facts: &[CompoundFact]) -> Vec<Signal> {
    use std::collections::BTreeMap;
    let mut by_street: BTreeMap<&str, Vec<&CompoundFact>> = BTreeMap::new();
    for f in facts {
        by_street.entry(f.street.as_str()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (street, list) in by_street {
        let norm: Vec<(String, Option<String>)> = list
            .iter()
            .map(|f| {
                (
                    normalize_name(&f.name),
                    f.address
                        .as_deref()
                        .map(normalize_address)
                        .filter(|a| !a.is_empty()),
                )
            })
            .collect();
        for (i, j) in candidate_pairs(&list, &norm) {
            let (a, b) = (list[i], list[j]);
            let same_name = norm[i].0 == norm[j].0;
            let same_addr = norm[i].1.is_some() && norm[i].1 == norm[j].1;
            let dist = match (a.coords, b.coords) {
                (Some(x), Some(y)) => Some(x.distance_m(&y)),
                _ => None,
            };
            let near = dist.is_some_and(|d| d <= DUPLICATE_NEAR_M);
            let far = dist.is_some_and(|d| d > DUPLICATE_FAR_M);
            let (severity, why_zh, why_en) = if (same_name || same_addr) && !far {
                let mut zh = Vec::new();
                let mut en = Vec::new();
                if same_name {
                    zh.push(format!("名称「{}」与「{}」规范化后相同", a.name, b.name));
                    en.push(format!(
                        "names '{}' and '{}' are the same once normalised",
                        a.name, b.name
                    ));
                }
                if same_addr {
                    zh.push(format!(
                        "地址「{}」与「{}」规范化后相同",
                        a.address.as_deref().unwrap_or(""),
                        b.address.as_deref().unwrap_or("")
                    ));
                    en.push(format!(
                        "addresses '{}' and '{}' are the same once normalised",
                        a.address.as_deref().unwrap_or(""),
                        b.address.as_deref().unwrap_or("")
                    ));
                }
                (Severity::High, zh.join("；"), en.join("; "))
            } else if near && !same_name {
                (
                    Severity::Medium,
                    format!("「{}」与「{}」名称不同", a.name, b.name),
                    format!("'{}' and '{}' have different names", a.name, b.name),
                )
            } else {
                continue;
            };
            let (dzh, den) = match dist {
                Some(d) => (
                    format!("，坐标相距 {d:.0} 米"),
                    format!(", coordinates {d:.0} m apart"),
                ),
                None => (String::new(), String::new()),
            };
            out.push(Signal {
                kind: SignalKind::DuplicateCompound,
                severity,
                compound_ids: vec![a.id, b.id],
                compound: format!("{}、{}", a.name, b.name),
                street: street.to_string(),
                company: a.company.clone().or_else(|| b.company.clone()),
                evidence_zh: format!("同一街道「{street}」：{why_zh}{dzh}"),
                evidence_en: format!("same street '{street}': {why_en}{den}"),
            });
        }
    }
    out
}

// ---------------------------------------------------------------- (c) self-assessment

/// One assessment and the company it assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentFact {
    pub assessment_id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub company: String,
    /// The company's registered contact person, if any.
    pub company_contact: Option<String>,
    pub assessor: String,
    pub period: String,
}

/// Whether `assessor` belongs to `company` (module doc, rule (c)).
pub fn assessor_belongs_to(assessor: &str, company: &str, contact: Option<&str>) -> bool {
    let a = base_normalize(assessor);
    let c = base_normalize(company);
    if a.is_empty() || c.is_empty() {
        return false;
    }
    if a == c {
        return true;
    }
    if a.chars().count() >= 4 && (c.contains(&a) || a.contains(&c)) {
        return true;
    }
    contact
        .map(base_normalize)
        .is_some_and(|p| !p.is_empty() && p == a)
}

/// (c) A company scoring itself.
pub fn self_assessments(facts: &[AssessmentFact]) -> Vec<Signal> {
    facts
        .iter()
        .filter(|f| assessor_belongs_to(&f.assessor, &f.company, f.company_contact.as_deref()))
        .map(|f| {
            let contact = f
                .company_contact
                .as_deref()
                .is_some_and(|p| base_normalize(p) == base_normalize(&f.assessor));
            let (zh_how, en_how) = if contact {
                (
                    "是该企业登记的联系人",
                    "is the company's registered contact",
                )
            } else {
                ("即被考核企业本身", "is the assessed company itself")
            };
            Signal {
                kind: SignalKind::SelfAssessment,
                severity: Severity::High,
                compound_ids: vec![f.compound_id],
                compound: f.compound.clone(),
                street: f.street.clone(),
                company: Some(f.company.clone()),
                evidence_zh: format!(
                    "考核 {}（{}）的考核人「{}」{}「{}」",
                    f.assessment_id, f.period, f.assessor, zh_how, f.company
                ),
                evidence_en: format!(
                    "assessment {} ({}): the assessor '{}' {} '{}'",
                    f.assessment_id, f.period, f.assessor, en_how, f.company
                ),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- (d) late filing

/// One contract's signing and filing.
#[derive(Debug, Clone, PartialEq)]
pub struct FilingFact {
    pub contract_id: i64,
    pub company: String,
    /// (id, name, street) of each compound of the contract.
    pub compounds: Vec<(i64, String, String)>,
    pub signed: Date,
    pub filed: Option<Date>,
}

/// (d) Filings past the 10-day deadline, as of `today`.
pub fn late_filings(facts: &[FilingFact], today: Date) -> Vec<Signal> {
    let mut out = Vec::new();
    for f in facts {
        let st = FilingStatus::of(f.signed, f.filed, today);
        let severity = match st {
            FilingStatus::Late { .. } => Severity::Medium,
            FilingStatus::Overdue { .. } => Severity::High,
            _ => continue,
        };
        out.push(Signal {
            kind: SignalKind::LateFiling,
            severity,
            compound_ids: f.compounds.iter().map(|c| c.0).collect(),
            compound: join_names(f.compounds.iter().map(|c| c.1.as_str())),
            street: f.compounds.first().map(|c| c.2.clone()).unwrap_or_default(),
            company: Some(f.company.clone()),
            evidence_zh: format!("合同 {} 于 {} 签订，{}", f.contract_id, f.signed, st.zh()),
            evidence_en: format!(
                "contract {} signed {}: {}",
                f.contract_id,
                f.signed,
                st.en()
            ),
        });
    }
    out
}

// ---------------------------------------------------------------- (e) and (f) claims

/// The contract a claim was made under, as far as the claim's compound has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContractSpan {
    pub contract_id: i64,
    /// First day of the term.
    pub term_start: Date,
    /// Last day of the term (inclusive).
    pub term_end: Date,
    /// 正式进场, when recorded.
    pub entry: Option<Date>,
    /// Last day of service when it ended early (inclusive).
    pub ended: Option<Date>,
}

/// One subsidy claim (申报) for one compound and period, and what was paid on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFact {
    pub claim_id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub company: Option<String>,
    /// The period claimed, both days inclusive.
    pub period_start: Date,
    pub period_end: Date,
    pub contract: Option<ContractSpan>,
    /// Paid so far (拨付).
    pub paid: Fen,
    /// The assessment of the period: its grade text (优秀/良好/合格/不合格) and whether it passed.
    pub assessment_grade: Option<String>,
    pub assessment_passed: Option<bool>,
}

fn claim_signal(
    f: &ClaimFact,
    kind: SignalKind,
    severity: Severity,
    zh: String,
    en: String,
) -> Signal {
    Signal {
        kind,
        severity,
        compound_ids: vec![f.compound_id],
        compound: f.compound.clone(),
        street: f.street.clone(),
        company: f.company.clone(),
        evidence_zh: format!(
            "申报 {}（{} 至 {}）：{zh}",
            f.claim_id, f.period_start, f.period_end
        ),
        evidence_en: format!(
            "claim {} ({} to {}): {en}",
            f.claim_id, f.period_start, f.period_end
        ),
    }
}

/// (e) Claims for periods outside the contract or before formal entry.
pub fn claims_outside_contract(facts: &[ClaimFact]) -> Vec<Signal> {
    let mut out = Vec::new();
    for f in facts {
        let k = SignalKind::ClaimOutsideContract;
        let Some(c) = f.contract else {
            out.push(claim_signal(
                f,
                k,
                Severity::High,
                "该小区没有物业服务合同".into(),
                "the compound has no service contract".into(),
            ));
            continue;
        };
        if f.period_start < c.term_start {
            out.push(claim_signal(
                f,
                k,
                Severity::High,
                format!("早于合同 {} 期限开始 {}", c.contract_id, c.term_start),
                format!(
                    "begins before contract {}'s term starts on {}",
                    c.contract_id, c.term_start
                ),
            ));
        }
        let last = match c.ended {
            Some(e) if e < c.term_end => e,
            _ => c.term_end,
        };
        if f.period_end > last {
            let (zh, en) = if last < c.term_end {
                (
                    format!("晚于合同 {} 服务终止日 {}", c.contract_id, last),
                    format!(
                        "ends after contract {}'s service ended on {}",
                        c.contract_id, last
                    ),
                )
            } else {
                (
                    format!("晚于合同 {} 期限届满 {}", c.contract_id, last),
                    format!(
                        "ends after contract {}'s term ends on {}",
                        c.contract_id, last
                    ),
                )
            };
            out.push(claim_signal(f, k, Severity::High, zh, en));
        }
        match c.entry {
            Some(e) if f.period_start < e => out.push(claim_signal(
                f,
                k,
                Severity::Medium,
                format!("早于正式进场日 {e}"),
                format!("begins before formal entry on {e}"),
            )),
            None => out.push(claim_signal(
                f,
                k,
                Severity::Medium,
                format!("合同 {} 未记录正式进场日期", c.contract_id),
                format!("contract {} records no formal entry", c.contract_id),
            )),
            _ => {}
        }
    }
    out
}

/// (f) Money paid where the period's assessment says 不合格 (or not passed).
pub fn paid_despite_fail(facts: &[ClaimFact]) -> Vec<Signal> {
    facts
        .iter()
        .filter(|f| f.paid > Fen::ZERO)
        .filter(|f| {
            f.assessment_grade.as_deref().map(str::trim) == Some("不合格")
                || f.assessment_passed == Some(false)
        })
        .map(|f| {
            let grade = f
                .assessment_grade
                .clone()
                .unwrap_or_else(|| "未通过".into());
            claim_signal(
                f,
                SignalKind::PaidDespiteFail,
                Severity::High,
                format!("考核结果为{grade}，仍拨付 {} 元", f.paid.grouped()),
                format!(
                    "the assessment says {}, yet {} yuan was paid",
                    if grade == "不合格" || grade == "未通过" {
                        "fail"
                    } else {
                        &grade
                    },
                    f.paid.grouped()
                ),
            )
        })
        .collect()
}

/// All the facts the detectors read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignalFacts {
    pub served: Vec<ServedAreaFact>,
    pub compounds: Vec<CompoundFact>,
    pub assessments: Vec<AssessmentFact>,
    pub filings: Vec<FilingFact>,
    pub claims: Vec<ClaimFact>,
    /// False when the subsidy claims are not recorded in this database yet: (e) and (f) were
    /// not checked.
    pub claims_available: bool,
}

/// Runs the detectors of `kinds` (all when empty), sorted for display.
pub fn detect(facts: &SignalFacts, kinds: &[SignalKind], today: Date) -> Vec<Signal> {
    let want = |k| kinds.is_empty() || kinds.contains(&k);
    let mut out = Vec::new();
    if want(SignalKind::AreaAboveCensus) {
        out.extend(area_above_census(&facts.served));
    }
    if want(SignalKind::DuplicateCompound) {
        out.extend(duplicate_compounds(&facts.compounds));
    }
    if want(SignalKind::SelfAssessment) {
        out.extend(self_assessments(&facts.assessments));
    }
    if want(SignalKind::LateFiling) {
        out.extend(late_filings(&facts.filings, today));
    }
    if want(SignalKind::ClaimOutsideContract) {
        out.extend(claims_outside_contract(&facts.claims));
    }
    if want(SignalKind::PaidDespiteFail) {
        out.extend(paid_despite_fail(&facts.claims));
    }
    sort(&mut out);
    out
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn m2(x: i64) -> Area {
        Area::from_centi(x * 100)
    }

    fn served(served: i64, census: &[Option<i64>]) -> ServedAreaFact {
        ServedAreaFact {
            contract_id: 7,
            company: "聊城安泰物业有限公司".into(),
            served: m2(served),
            compounds: census
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    (
                        i as i64 + 1,
                        format!("小区{i}"),
                        "东城街道".into(),
                        a.map(m2),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn served_area_above_census() {
        // 12,000 over 10,000: 20 % over → 高, evidence as the auditor reads it.
        let s = area_above_census(&[served(12_000, &[Some(10_000)])]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].severity, Severity::High);
        assert_eq!(
            s[0].evidence_zh,
            "合同 7 服务面积 12,000.00 ㎡ 超过台账面积 10,000.00 ㎡（多 2,000.00 ㎡）"
        );
        // Exactly 10 % over is not "more than 10 %": 中. Equal: nothing. One m² over: 中.
        assert_eq!(
            area_above_census(&[served(11_000, &[Some(10_000)])])[0].severity,
            Severity::Medium
        );
        assert!(area_above_census(&[served(10_000, &[Some(10_000)])]).is_empty());
        assert_eq!(
            area_above_census(&[served(10_001, &[Some(10_000)])]).len(),
            1
        );
        // Two compounds: summed. Unknown census: nothing to compare.
        assert!(area_above_census(&[served(10_000, &[Some(6_000), Some(4_000)])]).is_empty());
        assert!(area_above_census(&[served(90_000, &[Some(6_000), None])]).is_empty());
    }

    fn cf(
        id: i64,
        name: &str,
        street: &str,
        addr: Option<&str>,
        c: Option<(f64, f64)>,
    ) -> CompoundFact {
        CompoundFact {
            id,
            name: name.into(),
            street: street.into(),
            address: addr.map(Into::into),
            coords: c.and_then(|(a, b)| Coordinates::from_degrees(a, b)),
            company: None,
        }
    }

    #[test]
    fn names_and_addresses_normalised() {
        assert_eq!(normalize_name("幸福 小区"), "幸福");
        assert_eq!(normalize_name("幸福社区"), "幸福");
        assert_eq!(normalize_name("幸福苑"), "幸福");
        assert_eq!(normalize_name("（幸福）小区"), "幸福");
        assert_eq!(normalize_name("ＡＢＣ小区"), "abc");
        assert_eq!(normalize_name("小区"), "小区");
        assert_eq!(
            normalize_address("建设路３号楼"),
            normalize_address("建设路 3 栋")
        );
        assert_eq!(normalize_address("建设路3幢"), "建设路3号");
    }

    #[test]
    fn duplicates_planted_and_clean() {
        let facts = vec![
            cf(1, "幸福小区", "东城街道", Some("建设路3号楼"), None),
            cf(2, "幸福 苑", "东城街道", None, None),
            cf(3, "光明家园", "东城街道", Some("建设路３栋"), None),
            // Same name, another street: not the same compound.
            cf(4, "幸福小区", "西城街道", None, None),
            // Same name and street, but 1.1 km apart: two places.
            cf(5, "和平小区", "东城街道", None, Some((36.0, 116.0))),
            cf(6, "和平社区", "东城街道", None, Some((36.01, 116.0))),
            // Different names 10 m apart: 中.
            cf(7, "供电局宿舍", "南城街道", None, Some((36.0, 116.0))),
            cf(8, "电业小区", "南城街道", None, Some((36.00009, 116.0))),
            // Different names 200 m apart: nothing.
            cf(9, "红星小区", "南城街道", None, Some((36.1, 116.0))),
            cf(10, "绿洲小区", "南城街道", None, Some((36.1018, 116.0))),
        ];
        let s = duplicate_compounds(&facts);
        let pairs: Vec<(Vec<i64>, Severity)> = s
            .iter()
            .map(|x| (x.compound_ids.clone(), x.severity))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (vec![1, 2], Severity::High),
                (vec![1, 3], Severity::High),
                (vec![7, 8], Severity::Medium),
            ]
        );
        assert!(
            s[1].evidence_zh
                .contains("地址「建设路3号楼」与「建设路３栋」规范化后相同")
        );
        assert!(
            s[2].evidence_zh.contains("坐标相距 10 米"),
            "{}",
            s[2].evidence_zh
        );
    }

    fn af(assessor: &str, contact: Option<&str>) -> AssessmentFact {
        AssessmentFact {
            assessment_id: 3,
            compound_id: 1,
            compound: "幸福小区".into(),
            street: "东城街道".into(),
            company: "聊城安泰物业有限公司".into(),
            company_contact: contact.map(Into::into),
            assessor: assessor.into(),
            period: "2023".into(),
        }
    }

    #[test]
    fn self_assessment_rule() {
        let raised = |a: &str, c: Option<&str>| !self_assessments(&[af(a, c)]).is_empty();
        assert!(raised("聊城安泰物业有限公司", None));
        assert!(raised("聊城安泰物业有限公司 ", None));
        assert!(raised("聊城安泰物业", None));
        assert!(raised("聊城安泰物业有限公司项目部", None));
        assert!(raised("张伟", Some("张伟")));
        // Clean: the street office, a third party, too short a fragment, another contact.
        assert!(!raised("东城街道办事处", None));
        assert!(!raised("山东正信评估有限公司", None));
        assert!(!raised("物业", None));
        assert!(!raised("李娜", Some("张伟")));
        let s = self_assessments(&[af("张伟", Some("张伟"))]);
        assert_eq!(
            s[0].evidence_zh,
            "考核 3（2023）的考核人「张伟」是该企业登记的联系人「聊城安泰物业有限公司」"
        );
    }

    #[test]
    fn filing_deadline_boundaries() {
        let f = |filed: Option<Date>| FilingFact {
            contract_id: 1,
            company: "甲物业".into(),
            compounds: vec![(1, "幸福小区".into(), "东城街道".into())],
            signed: date(2022, 9, 1),
            filed,
        };
        let today = date(2022, 10, 1);
        // Signed 09-01: on time through 09-11 (民法典 第二百零一条), late from 09-12.
        assert!(late_filings(&[f(Some(date(2022, 9, 11)))], today).is_empty());
        let late = late_filings(&[f(Some(date(2022, 9, 12)))], today);
        assert_eq!(late[0].severity, Severity::Medium);
        assert_eq!(
            late[0].evidence_zh,
            "合同 1 于 2022-09-01 签订，逾期备案（2022-09-12，逾期 1 天）"
        );
        // Unfiled: pending on 09-11, overdue on 09-12.
        assert!(late_filings(&[f(None)], date(2022, 9, 11)).is_empty());
        assert_eq!(
            late_filings(&[f(None)], date(2022, 9, 12))[0].severity,
            Severity::High
        );
    }

    fn claim(start: Date, end: Date, contract: Option<ContractSpan>) -> ClaimFact {
        ClaimFact {
            claim_id: 9,
            compound_id: 1,
            compound: "幸福小区".into(),
            street: "东城街道".into(),
            company: Some("甲物业".into()),
            period_start: start,
            period_end: end,
            contract,
            paid: Fen(0),
            assessment_grade: None,
            assessment_passed: None,
        }
    }

    fn span() -> ContractSpan {
        ContractSpan {
            contract_id: 2,
            term_start: date(2022, 5, 1),
            term_end: date(2025, 4, 30),
            entry: Some(date(2022, 6, 1)),
            ended: None,
        }
    }

    #[test]
    fn claims_outside_the_contract() {
        // Clean: inside the term and after entry (the first and last days included).
        assert!(
            claims_outside_contract(&[claim(date(2022, 6, 1), date(2025, 4, 30), Some(span()))])
                .is_empty()
        );
        // Before the term, after it, before entry, without contract, after early end.
        let s =
            claims_outside_contract(&[claim(date(2022, 4, 30), date(2023, 4, 29), Some(span()))]);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].severity, Severity::High);
        assert_eq!(
            s[0].evidence_zh,
            "申报 9（2022-04-30 至 2023-04-29）：早于合同 2 期限开始 2022-05-01"
        );
        assert_eq!(
            s[1].evidence_zh,
            "申报 9（2022-04-30 至 2023-04-29）：早于正式进场日 2022-06-01"
        );
        let s = claims_outside_contract(&[claim(date(2024, 6, 1), date(2025, 5, 1), Some(span()))]);
        assert_eq!(s.len(), 1);
        assert!(s[0].evidence_zh.contains("晚于合同 2 期限届满 2025-04-30"));
        let s =
            claims_outside_contract(&[claim(date(2022, 5, 31), date(2022, 12, 31), Some(span()))]);
        assert_eq!(s[0].severity, Severity::Medium);
        assert!(
            claims_outside_contract(&[claim(date(2022, 6, 1), date(2022, 12, 31), None)])[0]
                .evidence_zh
                .contains("没有物业服务合同")
        );
        let mut ended = span();
        ended.ended = Some(date(2023, 12, 31));
        let s = claims_outside_contract(&[claim(date(2023, 6, 1), date(2024, 5, 31), Some(ended))]);
        assert!(s[0].evidence_zh.contains("服务终止日 2023-12-31"));
    }

    #[test]
    fn paid_where_the_assessment_failed() {
        let mut c = claim(date(2022, 6, 1), date(2023, 5, 31), Some(span()));
        c.paid = Fen(1_234_500);
        c.assessment_grade = Some("不合格".into());
        let s = paid_despite_fail(std::slice::from_ref(&c));
        assert_eq!(
            s[0].evidence_zh,
            "申报 9（2022-06-01 至 2023-05-31）：考核结果为不合格，仍拨付 12,345.00 元"
        );
        // Not paid yet, or passed: nothing.
        let mut unpaid = c.clone();
        unpaid.paid = Fen(0);
        assert!(paid_despite_fail(&[unpaid]).is_empty());
        let mut ok = c.clone();
        ok.assessment_grade = Some("合格".into());
        assert!(paid_despite_fail(&[ok.clone()]).is_empty());
        ok.assessment_passed = Some(false);
        assert_eq!(paid_despite_fail(&[ok]).len(), 1);
    }

    #[test]
    fn kinds_parse() {
        for k in SignalKind::ALL {
            assert_eq!(SignalKind::parse(k.code()), Some(k));
            assert_eq!(SignalKind::parse(k.zh()), Some(k));
        }
        assert_eq!(
            SignalKind::parse("late-filing"),
            Some(SignalKind::LateFiling)
        );
        assert_eq!(SignalKind::parse("x"), None);
        assert_eq!(
            SignalKind::parse("late_filing").unwrap(),
            SignalKind::LateFiling
        );
    }
}
