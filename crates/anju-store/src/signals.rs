//! 风险线索: gathers in bulk, in a few queries, the facts the pure detectors of
//! [`anju_core::signals`] read — contracts with their served and census areas and filing
//! dates, the ledger's names, addresses and coordinates, assessments with their assessor and
//! the assessed company. Only reads.
//!
//! Subsidy claims ((e) claims outside the contract, (f) paid despite 不合格) are the
//! `subsidy_lines` of kind `subsidy` from 申报 (applied) onward; paid = the approved amount
//! (else the computed one) once disbursed.

use crate::sql::{Cols, parse_date, query};
use crate::{Result, Store};
use anju_core::contract::Term;
use anju_core::signals::{
    AssessmentFact, ClaimFact, CompoundFact, ContractSpan, FilingFact, ServedAreaFact, Signal,
    SignalFacts, SignalKind,
};
use anju_core::{Area, Coordinates, Fen};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Which compounds: a street and/or a district by name; everything when both are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignalScope {
    pub street: Option<String>,
    pub district: Option<String>,
}

impl SignalScope {
    fn admits(&self, street: &str, district: Option<&str>) -> bool {
        self.street.as_deref().is_none_or(|s| s == street)
            && self.district.as_deref().is_none_or(|d| Some(d) == district)
    }
}

/// The street and district of every compound: joined the same way in every query.
const REGIONS: &str = "JOIN regions s ON s.id = c.street_id \
     LEFT JOIN regions d ON d.id = s.parent_id AND d.level = 'district'";

impl Store {
    /// Every fact the signal detectors read, for the compounds in `scope`.
    pub async fn signal_facts(&self, scope: &SignalScope) -> Result<SignalFacts> {
        let mut facts = SignalFacts::default();

        // The ledger: names, addresses, coordinates (b).
        let rows = query(format!(
            "SELECT c.id, c.name, s.name, d.name, c.address, c.lat_e6, c.lng_e6, co.name \
             FROM compounds c {REGIONS} LEFT JOIN companies co ON co.id = c.company_id \
             WHERE c.archived = 0 ORDER BY c.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let name = c.string()?;
            let street = c.string()?;
            let district = c.opt_string()?;
            let address = c.opt_string()?;
            let lat = c.opt_i64()?;
            let lng = c.opt_i64()?;
            let company = c.opt_string()?;
            if !scope.admits(&street, district.as_deref()) {
                continue;
            }
            facts.compounds.push(CompoundFact {
                id,
                name,
                street,
                address,
                coords: lat
                    .zip(lng)
                    .map(|(lat_e6, lng_e6)| Coordinates { lat_e6, lng_e6 }),
                company,
            });
        }

        // Contracts, one row per compound served: served vs census area (a), filing (d).
        let rows = query(format!(
            "SELECT k.id, co.name, k.served_area, k.signed_on, k.filed_on, \
                    c.id, c.name, s.name, d.name, c.area, k.entry_on, k.term_months, k.ended_on \
             FROM contracts k JOIN companies co ON co.id = k.company_id \
             JOIN contract_compounds cc ON cc.contract_id = k.id \
             JOIN compounds c ON c.id = cc.compound_id {REGIONS} \
             ORDER BY k.id, c.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        type Contract = (String, i64, String, Option<String>, bool);
        type Served = Vec<(i64, String, String, Option<Area>)>;
        // Per compound: (signed, span) of each of its contracts.
        let mut contract_spans: BTreeMap<i64, Vec<(Date, ContractSpan)>> = BTreeMap::new();
        let mut contracts: BTreeMap<i64, (Contract, Served)> = BTreeMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let company = c.string()?;
            let served = c.i64()?;
            let signed = c.string()?;
            let filed = c.opt_string()?;
            let cid = c.i64()?;
            let cname = c.string()?;
            let street = c.string()?;
            let district = c.opt_string()?;
            let area = c.opt_i64()?;
            let entry = c.opt_string()?.as_deref().map(parse_date).transpose()?;
            let term_months = c.i64()?;
            let ended = c.opt_string()?.as_deref().map(parse_date).transpose()?;
            let signed_on = parse_date(&signed)?;
            let term_start = entry.unwrap_or(signed_on);
            let span = ContractSpan {
                contract_id: id,
                term_start,
                term_end: Term::months(u32::try_from(term_months).unwrap_or(0))
                    .last_day(term_start),
                entry,
                ended,
            };
            let spans = contract_spans.entry(cid).or_default();
            if !spans.iter().any(|(_, k)| k.contract_id == id) {
                spans.push((signed_on, span));
            }
            let admitted = scope.admits(&street, district.as_deref());
            let e = contracts
                .entry(id)
                .or_insert_with(|| ((company, served, signed, filed, false), Vec::new()));
            e.0.4 |= admitted;
            e.1.push((cid, cname, street, area.map(Area::from_centi)));
        }
        for (id, ((company, served, signed, filed, admitted), compounds)) in contracts {
            if !admitted {
                continue;
            }
            facts.filings.push(FilingFact {
                contract_id: id,
                company: company.clone(),
                compounds: compounds
                    .iter()
                    .map(|(i, n, s, _)| (*i, n.clone(), s.clone()))
                    .collect(),
                signed: parse_date(&signed)?,
                filed: filed.as_deref().map(parse_date).transpose()?,
            });
            facts.served.push(ServedAreaFact {
                contract_id: id,
                company,
                served: Area::from_centi(served),
                compounds,
            });
        }

        // Assessments and the company they assessed (c): the assessment's company, else the
        // compound's company at the time of reading.
        let rows = query(format!(
            "SELECT a.id, c.id, c.name, s.name, d.name, co.name, co.contact_person, \
                    a.assessor, a.period \
             FROM assessments a JOIN compounds c ON c.id = a.compound_id {REGIONS} \
             JOIN companies co ON co.id = COALESCE(a.company_id, c.company_id) \
             ORDER BY a.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let mut c = Cols::new(row);
            let assessment_id = c.i64()?;
            let compound_id = c.i64()?;
            let compound = c.string()?;
            let street = c.string()?;
            let district = c.opt_string()?;
            let company = c.string()?;
            let company_contact = c.opt_string()?;
            let assessor = c.string()?;
            let period = c.string()?;
            if !scope.admits(&street, district.as_deref()) {
                continue;
            }
            facts.assessments.push(AssessmentFact {
                assessment_id,
                compound_id,
                compound,
                street,
                company,
                company_contact,
                assessor,
                period,
            });
        }

        self.claim_facts(scope, &contract_spans, &mut facts).await?;
        Ok(facts)
    }

    /// The signals of `kinds` (all when empty) for `scope`, as of `today`, sorted; and whether
    /// the subsidy claims could be checked.
    pub async fn signals(
        &self,
        scope: &SignalScope,
        kinds: &[SignalKind],
        today: Date,
    ) -> Result<(Vec<Signal>, bool)> {
        let facts = self.signal_facts(scope).await?;
        Ok((
            anju_core::signals::detect(&facts, kinds, today),
            facts.claims_available,
        ))
    }

    /// Subsidy claims (申报 onward; drafts, superseded and returned lines are not claims) with
    /// the contract they were made under (the line's, else the compound's latest) and the
    /// latest final assessment whose period ends inside the claimed period: (e) and (f).
    async fn claim_facts(
        &self,
        scope: &SignalScope,
        spans: &BTreeMap<i64, Vec<(Date, ContractSpan)>>,
        facts: &mut SignalFacts,
    ) -> Result<()> {
        let rows = query(
            "SELECT compound_id, period_end, grade_code, passed FROM assessments \
             WHERE status = 'final' ORDER BY period_end, id"
                .to_string(),
        )
        .fetch_all(&self.pool)
        .await?;
        type Assessed = Vec<(Date, Option<String>, Option<bool>)>;
        let mut assessed: BTreeMap<i64, Assessed> = BTreeMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let compound = c.i64()?;
            let end = parse_date(&c.string()?)?;
            let grade = c.opt_string()?.map(|g| grade_zh(&g));
            let passed = c.opt_i64()?.map(|p| p != 0);
            assessed
                .entry(compound)
                .or_default()
                .push((end, grade, passed));
        }
        let rows = query(format!(
            "SELECT l.id, c.id, c.name, s.name, d.name, co.name, l.period_start, l.period_end, \
                    l.status, l.amount_fen, l.approved_fen, l.contract_id \
             FROM subsidy_lines l JOIN compounds c ON c.id = l.compound_id {REGIONS} \
             LEFT JOIN companies co ON co.id = l.company_id \
             WHERE l.kind = 'subsidy' AND l.period_start IS NOT NULL \
             AND l.status IN ('applied', 'street_reviewed', 'district_reviewed', 'approved', 'disbursed') \
             ORDER BY l.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &rows {
            let mut c = Cols::new(row);
            let claim_id = c.i64()?;
            let compound_id = c.i64()?;
            let compound = c.string()?;
            let street = c.string()?;
            let district = c.opt_string()?;
            let company = c.opt_string()?;
            let period_start = parse_date(&c.string()?)?;
            let period_end = parse_date(&c.string()?)?;
            let status = c.string()?;
            let amount = c.i64()?;
            let approved = c.opt_i64()?;
            let contract_id = c.opt_i64()?;
            if !scope.admits(&street, district.as_deref()) {
                continue;
            }
            let mine = spans.get(&compound_id);
            let contract = mine
                .and_then(|v| {
                    contract_id
                        .and_then(|k| v.iter().find(|(_, s)| s.contract_id == k))
                        .or_else(|| v.iter().max_by_key(|(signed, s)| (*signed, s.contract_id)))
                })
                .map(|(_, s)| *s);
            let assessment = assessed.get(&compound_id).and_then(|v| {
                v.iter()
                    .rev()
                    .find(|(end, _, _)| *end >= period_start && *end <= period_end)
            });
            facts.claims.push(ClaimFact {
                claim_id,
                compound_id,
                compound,
                street,
                company,
                period_start,
                period_end,
                contract,
                paid: if status == "disbursed" {
                    Fen(approved.unwrap_or(amount))
                } else {
                    Fen::ZERO
                },
                assessment_grade: assessment.and_then(|a| a.1.clone()),
                assessment_passed: assessment.and_then(|a| a.2),
            });
        }
        facts.claims_available = true;
        Ok(())
    }
}

/// The rubric's grade code in Chinese (the detectors read 不合格).
fn grade_zh(code: &str) -> String {
    match code {
        "excellent" => "优秀".into(),
        "good" => "良好".into(),
        "pass" => "合格".into(),
        "fail" => "不合格".into(),
        other => other.to_string(),
    }
}
