//! 考核: assessments of a compound for a period, scored with a rubric (anju-policy), moved through
//! the workflow of `anju_core::assessment` (submit → 复核 → 申诉 → 定案), each step one audited
//! transaction. A final assessment is immutable (the database refuses it too) and feeds the
//! company's credit file (an `assessment` record) in the same transaction.
//!
//! Access is modelled with explicit parameters until accounts exist: a third-party evaluator
//! (`AssessorKind::ThirdParty`, its name in `assessor`) may assess only the compounds assigned to
//! it (`evaluator_assignments`); only the compound's company may object.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{
    Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, query,
};
use crate::{Result, Store, StoreError};
use anju_core::assessment::{
    AssessmentAction, AssessmentStatus, AssessorKind, Outcome, Period, PeriodKind, WorkflowFacts,
    transition,
};
use anju_policy::rubric::{Event, Rubric, Scorecard, Survey, score};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

pub(crate) const ASSESSMENT: &str = "assessment";
pub(crate) const EVALUATOR_ASSIGNMENT: &str = "evaluator_assignment";

/// The default 申诉期: 7 calendar days after the review.
pub const DEFAULT_OBJECTION_DAYS: u32 = 7;

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    /// The compound's company when the assessment was created (the one that may object).
    pub company_id: Option<i64>,
    pub period: Period,
    pub rubric_id: String,
    pub assessor_kind: AssessorKind,
    pub assessor: String,
    pub status: AssessmentStatus,
    pub events: Vec<Event>,
    pub survey: Option<Survey>,
    pub scorecard: Scorecard,
    pub score: Decimal,
    pub grade_code: Option<String>,
    /// The grade is above the rubric's lowest band; `None` without a grade.
    pub passed: Option<bool>,
    pub objection_days: u32,
    pub submitted_on: Option<jiff::civil::Date>,
    pub review_outcome: Option<Outcome>,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<jiff::civil::Date>,
    pub objection: Option<String>,
    pub objected_on: Option<jiff::civil::Date>,
    pub decision: Option<Outcome>,
    pub decision_reason: Option<String>,
    pub final_on: Option<jiff::civil::Date>,
    /// SHA-256 of linked evidence.
    pub evidence: Vec<String>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

/// An assessment to create (as a draft).
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub compound_id: i64,
    pub period: Period,
    pub rubric: Rubric,
    pub assessor_kind: AssessorKind,
    /// The street office, the authority, or the evaluator's name.
    pub assessor: String,
    pub events: Vec<Event>,
    pub survey: Option<Survey>,
    /// 申诉期 in days (default [`DEFAULT_OBJECTION_DAYS`]).
    pub objection_days: Option<u32>,
    /// SHA-256 of evidence stored with [`Store::put_evidence`].
    pub evidence: Vec<String>,
    /// The counts taken from records (or typed over them), kept with the scorecard.
    pub sources: std::collections::BTreeMap<String, anju_policy::rubric::CountSource>,
}

/// What the subsidy gate needs of a compound's assessment for a period; maps onto a policy
/// scenario's `[[results]]` (`score`, `grade`, `evaluation_passed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentResult {
    pub assessment_id: i64,
    pub score: Decimal,
    pub grade_code: Option<String>,
    pub passed: bool,
    /// Final (定案); a result that is not final may still change.
    pub is_final: bool,
}

/// Which assessments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentFilter {
    pub compound_id: Option<i64>,
    pub period: Option<String>,
    pub status: Option<AssessmentStatus>,
    /// Only the compounds assigned to this third-party evaluator.
    pub as_evaluator: Option<String>,
    /// Only the assessments of this company's compounds.
    pub as_company_id: Option<i64>,
    /// Whose assessments: the reader's scope, a condition of the query (a company: those of
    /// its service).
    pub scope: crate::Scope,
}

const SELECT: &str = "SELECT a.id, a.compound_id, c.name, a.company_id, a.period_kind, \
     a.period_start, a.period_end, a.rubric_id, a.assessor_kind, a.assessor, a.status, a.events, \
     a.survey, a.scorecard, a.score_e2, a.grade_code, a.passed, a.objection_days, a.submitted_on, \
     a.review_outcome, a.review_reason, a.reviewed_by, a.reviewed_on, a.objection, a.objected_on, \
     a.decision, a.decision_reason, a.final_on, a.version, a.created_at, a.updated_at \
     FROM assessments a JOIN compounds c ON c.id = a.compound_id";

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("未知的{what} '{v}'"))
}

fn json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("考核数据不是 JSON：{e}")))
}

fn outcome(s: Option<String>) -> Result<Option<Outcome>> {
    s.map(|s| Outcome::from_code(&s).ok_or_else(|| corrupt("处理结果", &s)))
        .transpose()
}

fn from_row(row: &Row) -> Result<Assessment> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let compound_id = c.i64()?;
    let compound = c.string()?;
    let company_id = c.opt_i64()?;
    let kind = c.string()?;
    let kind = PeriodKind::from_code(&kind).ok_or_else(|| corrupt("考核周期", &kind))?;
    let start = parse_date(&c.string()?)?;
    let end = parse_date(&c.string()?)?;
    let rubric_id = c.string()?;
    let ak = c.string()?;
    let assessor_kind = AssessorKind::from_code(&ak).ok_or_else(|| corrupt("考核单位类型", &ak))?;
    let assessor = c.string()?;
    let st = c.string()?;
    let status = AssessmentStatus::from_code(&st).ok_or_else(|| corrupt("考核状态", &st))?;
    let events = json(&c.string()?)?;
    let survey = c.opt_string()?.map(|s| json(&s)).transpose()?;
    let scorecard = json(&c.string()?)?;
    let score = Decimal::new(c.i64()?, 2).normalize();
    Ok(Assessment {
        id,
        compound_id,
        compound,
        company_id,
        period: Period { kind, start, end },
        rubric_id,
        assessor_kind,
        assessor,
        status,
        events,
        survey,
        scorecard,
        score,
        grade_code: c.opt_string()?,
        passed: c.opt_i64()?.map(|v| v != 0),
        objection_days: c.u32()?,
        submitted_on: opt_date(c.opt_string()?)?,
        review_outcome: outcome(c.opt_string()?)?,
        review_reason: c.opt_string()?,
        reviewed_by: c.opt_string()?,
        reviewed_on: opt_date(c.opt_string()?)?,
        objection: c.opt_string()?,
        objected_on: opt_date(c.opt_string()?)?,
        decision: outcome(c.opt_string()?)?,
        decision_reason: c.opt_string()?,
        final_on: opt_date(c.opt_string()?)?,
        evidence: Vec::new(),
        version: c.i64()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

/// Links evidence already stored (by SHA-256) to an oversight record, refusing unknown hashes.
pub(crate) async fn link_evidence(
    conn: &mut Conn,
    entity: &str,
    entity_id: i64,
    hashes: &[String],
) -> Result<()> {
    for h in hashes {
        let h = h.trim().to_ascii_lowercase();
        let known = query("SELECT 1 FROM evidence WHERE sha256 = $1")
            .bind(h.clone())
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!(
                "证明材料 {h} 未上传（请先保存文件）"
            )));
        }
        let dup = query(
            "SELECT 1 FROM oversight_evidence WHERE entity = $1 AND entity_id = $2 AND sha256 = $3",
        )
        .bind(entity.to_string())
        .bind(entity_id)
        .bind(h.clone())
        .fetch_optional(&mut *conn)
        .await?;
        if dup.is_none() {
            query("INSERT INTO oversight_evidence (entity, entity_id, sha256) VALUES ($1, $2, $3)")
                .bind(entity.to_string())
                .bind(entity_id)
                .bind(h)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

pub(crate) async fn evidence_of(
    conn: &mut Conn,
    entity: &str,
    entity_id: i64,
) -> Result<Vec<String>> {
    let rows = query(
        "SELECT sha256 FROM oversight_evidence WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity.to_string())
    .bind(entity_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Cols::new(r).string()).collect()
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<Assessment> {
    let row = query(format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: ASSESSMENT,
            id,
        })?;
    let mut a = from_row(&row)?;
    a.evidence = evidence_of(conn, ASSESSMENT, id).await?;
    Ok(a)
}

fn e2(d: Decimal) -> Result<i64> {
    (d.round_dp(2) * Decimal::ONE_HUNDRED)
        .to_i64()
        .ok_or_else(|| StoreError::Invalid(format!("考核分 {d} 超出范围")))
}

/// Scores with the rubric; `passed` is "graded above the rubric's lowest band".
fn scored(
    rubric: &Rubric,
    events: &[Event],
    survey: Option<&Survey>,
) -> Result<(Scorecard, Option<bool>)> {
    let card = score(rubric, events, survey)
        .map_err(|e| StoreError::Invalid(format!("考核评分有误：{e}")))?;
    let lowest = rubric.grades.0.last().map(|g| g.code.clone());
    let passed = card.grade.as_ref().map(|g| Some(g.code.clone()) != lowest);
    Ok((card, passed))
}

fn tidy(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Whether the evaluator was commissioned for the compound.
async fn is_assigned(conn: &mut Conn, evaluator: &str, compound_id: i64) -> Result<bool> {
    let row =
        query("SELECT 1 FROM evaluator_assignments WHERE evaluator = $1 AND compound_id = $2")
            .bind(evaluator.to_string())
            .bind(compound_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

async fn require_assignment(
    conn: &mut Conn,
    evaluator: &str,
    compound_id: i64,
    compound: &str,
) -> Result<()> {
    if !is_assigned(conn, evaluator, compound_id).await? {
        return Err(StoreError::Forbidden(format!(
            "第三方测评机构“{evaluator}”未受委托测评小区“{compound}”"
        )));
    }
    Ok(())
}

/// Writes every mutable column of `a` if the stored version is `expected`, with its audit row.
async fn save(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    before: &Assessment,
    a: &Assessment,
) -> Result<Assessment> {
    let done = query(
        "UPDATE assessments SET status = $1, events = $2, scorecard = $3, score_e2 = $4, \
         grade_code = $5, passed = $6, submitted_on = $7, review_outcome = $8, review_reason = $9, \
         reviewed_by = $10, reviewed_on = $11, objection = $12, objected_on = $13, decision = $14, \
         decision_reason = $15, final_on = $16, version = version + 1, updated_at = $17 \
         WHERE id = $18 AND version = $19",
    )
    .bind(a.status.code())
    .bind(to_json(&a.events)?)
    .bind(to_json(&a.scorecard)?)
    .bind(e2(a.score)?)
    .bind(a.grade_code.clone())
    .bind(a.passed.map(i64::from))
    .bind(a.submitted_on.map(date_text))
    .bind(a.review_outcome.map(|o| o.code()))
    .bind(a.review_reason.clone())
    .bind(a.reviewed_by.clone())
    .bind(a.reviewed_on.map(date_text))
    .bind(a.objection.clone())
    .bind(a.objected_on.map(date_text))
    .bind(a.decision.map(|o| o.code()))
    .bind(a.decision_reason.clone())
    .bind(a.final_on.map(date_text))
    .bind(at.to_string())
    .bind(a.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict {
            entity: ASSESSMENT,
            id: a.id,
            expected: before.version,
            actual: before.version + 1,
        });
    }
    let after = fetch(conn, a.id).await?;
    audit::append(
        conn,
        actor,
        at,
        vec![NewAudit {
            action: "update",
            entity: ASSESSMENT,
            entity_id: Some(a.id),
            before: Some(to_json(before)?),
            after: Some(to_json(&after)?),
        }],
    )
    .await?;
    Ok(after)
}

/// A final assessment becomes an `assessment` record of the company's credit file.
async fn feed_credit_file(conn: &mut Conn, actor: &Actor, at: &str, a: &Assessment) -> Result<()> {
    let Some(company_id) = a.company_id else {
        return Ok(());
    };
    let happened_on = a.final_on.unwrap_or(a.period.end);
    let row = query(
        "INSERT INTO company_records (company_id, kind, happened_on, period, score_e2, \
         points_e2, complaints, compound_id, assessor, note, actor, created_at) \
         VALUES ($1, 'assessment', $2, $3, $4, NULL, NULL, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(company_id)
    .bind(date_text(happened_on))
    .bind(a.period.code())
    .bind(e2(a.score)?.clamp(0, 10_000))
    .bind(a.compound_id)
    .bind(a.assessor.clone())
    .bind(format!("考核编号 {}（{}）", a.id, a.rubric_id))
    .bind(actor.name.clone())
    .bind(at.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let id = Cols::new(&row).i64()?;
    audit::append(
        conn,
        actor,
        at,
        vec![NewAudit {
            action: "insert",
            entity: crate::credit::COMPANY_RECORD,
            entity_id: Some(id),
            before: None,
            after: Some(format!(
                "{{\"company_id\":{company_id},\"kind\":\"assessment\",\"assessment_id\":{},\"score\":\"{}\"}}",
                a.id, a.score
            )),
        }],
    )
    .await?;
    Ok(())
}

impl Store {
    /// Assigns a compound to a third-party evaluator (audited; repeating it is a no-op).
    /// Whether the evaluator was commissioned for the compound (`assign_evaluator`).
    pub async fn evaluator_assigned(&self, evaluator: &str, compound_id: i64) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        is_assigned(&mut conn, evaluator.trim(), compound_id).await
    }

    /// The evaluators commissioned for a compound, by name.
    pub async fn compound_evaluators(&self, compound_id: i64) -> Result<Vec<String>> {
        let rows = query(
            "SELECT DISTINCT evaluator FROM evaluator_assignments WHERE compound_id = $1 \
             ORDER BY evaluator",
        )
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Cols::new(r).string()).collect()
    }

    /// The compounds the evaluator was commissioned for, in id order.
    pub async fn evaluator_compounds(&self, evaluator: &str) -> Result<Vec<i64>> {
        let rows = query(
            "SELECT DISTINCT compound_id FROM evaluator_assignments WHERE evaluator = $1 \
             ORDER BY compound_id",
        )
        .bind(evaluator.trim().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Cols::new(r).i64()).collect()
    }

    pub async fn assign_evaluator(
        &self,
        actor: &Actor,
        evaluator: &str,
        compound_id: i64,
    ) -> Result<()> {
        let evaluator = evaluator.trim().to_string();
        if evaluator.is_empty() {
            return Err(StoreError::Invalid("测评机构名称不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, compound_id).await?;
        if !is_assigned(&mut tx, &evaluator, compound_id).await? {
            let row = query(
                "INSERT INTO evaluator_assignments (evaluator, compound_id, actor, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(evaluator.clone())
            .bind(compound_id)
            .bind(actor.name.clone())
            .bind(at.clone())
            .fetch_one(&mut *tx)
            .await?;
            let id = Cols::new(&row).i64()?;
            audit::append(
                &mut tx,
                actor,
                &at,
                vec![NewAudit {
                    action: "insert",
                    entity: EVALUATOR_ASSIGNMENT,
                    entity_id: Some(id),
                    before: None,
                    after: Some(to_json(&serde_json::json!({
                        "evaluator": evaluator, "compound_id": compound_id
                    }))?),
                }],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Creates a draft assessment, scored with its rubric (audited). A third-party evaluator is
    /// refused for a compound not assigned to it.
    pub async fn create_assessment(&self, actor: &Actor, new: NewAssessment) -> Result<Assessment> {
        let assessor = new.assessor.trim().to_string();
        if assessor.is_empty() {
            return Err(StoreError::Invalid("考核单位不能为空".into()));
        }
        let (mut card, passed) = scored(&new.rubric, &new.events, new.survey.as_ref())?;
        card.sources = new.sources.clone();
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let compound = fetch_compound(&mut tx, new.compound_id).await?;
        if new.assessor_kind == AssessorKind::ThirdParty {
            require_assignment(&mut tx, &assessor, new.compound_id, &compound.compound.name)
                .await?;
        }
        let row = query(
            "INSERT INTO assessments (compound_id, company_id, period, period_kind, period_start, \
             period_end, rubric_id, assessor_kind, assessor, status, events, survey, scorecard, \
             score_e2, grade_code, passed, objection_days, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $12, $13, $14, $15, \
             $16, 1, $17, $17) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(compound.company_id)
        .bind(new.period.code())
        .bind(new.period.kind.code())
        .bind(date_text(new.period.start))
        .bind(date_text(new.period.end))
        .bind(new.rubric.id.clone())
        .bind(new.assessor_kind.code())
        .bind(assessor)
        .bind(to_json(&new.events)?)
        .bind(new.survey.as_ref().map(to_json).transpose()?)
        .bind(to_json(&card)?)
        .bind(e2(card.total)?)
        .bind(card.grade.as_ref().map(|g| g.code.clone()))
        .bind(passed.map(i64::from))
        .bind(i64::from(
            new.objection_days.unwrap_or(DEFAULT_OBJECTION_DAYS),
        ))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        link_evidence(&mut tx, ASSESSMENT, id, &new.evidence).await?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: ASSESSMENT,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_assessment(&self, id: i64) -> Result<Assessment> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// Assessments matching the filter, by period then id.
    pub async fn list_assessments(&self, f: &AssessmentFilter) -> Result<Vec<Assessment>> {
        let mut w = Filter::new();
        w.and_some(f.compound_id, "a.compound_id = ?", Val::int);
        w.and_some(f.period.as_deref(), "a.period = ?", |p| Val::text(p.trim()));
        w.and_some(f.status, "a.status = ?", |st| Val::text(st.code()));
        w.and_some(
            f.as_evaluator.as_deref(),
            "a.compound_id IN (SELECT compound_id FROM evaluator_assignments WHERE evaluator = ?)",
            |e| Val::text(e.trim()),
        );
        w.and_some(f.as_company_id, "a.company_id = ?", Val::int);
        w.scope(&f.scope, Some("a.company_id"));
        let mut sql = format!("{SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY a.period_start, a.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut out: Vec<Assessment> = rows.iter().map(from_row).collect::<Result<_>>()?;
        let mut conn = self.pool.acquire().await?;
        for a in &mut out {
            a.evidence = evidence_of(&mut conn, ASSESSMENT, a.id).await?;
        }
        Ok(out)
    }

    /// One workflow step: checks the version and the transition, applies `change`, saves.
    async fn assessment_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        action: AssessmentAction,
        on: jiff::civil::Date,
        change: impl FnOnce(&mut Assessment) -> Result<()>,
    ) -> Result<Assessment> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: ASSESSMENT,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let status = transition(
            WorkflowFacts {
                status: before.status,
                reviewed_on: before.reviewed_on,
                objection_days: before.objection_days,
            },
            &action,
            on,
        )
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut a = before.clone();
        a.status = status;
        change(&mut a)?;
        if status == AssessmentStatus::Final {
            a.final_on = Some(on);
        }
        let after = save(&mut tx, actor, &at, &before, &a).await?;
        if status == AssessmentStatus::Final {
            feed_credit_file(&mut tx, actor, &at, &after).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// 提交: the assessor submits the draft. A third-party evaluator must still be assigned.
    pub async fn submit_assessment(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: jiff::civil::Date,
    ) -> Result<Assessment> {
        let a = self.get_assessment(id).await?;
        if a.assessor_kind == AssessorKind::ThirdParty {
            let mut conn = self.pool.acquire().await?;
            require_assignment(&mut conn, &a.assessor, a.compound_id, &a.compound).await?;
        }
        self.assessment_step(
            actor,
            id,
            expected_version,
            AssessmentAction::Submit,
            on,
            |a| {
                a.submitted_on = Some(on);
                Ok(())
            },
        )
        .await
    }

    /// 复核 by the district: confirmed, or adjusted with a reason and the corrected events
    /// (re-scored with `rubric`, which must be the assessment's).
    #[expect(
        clippy::too_many_arguments,
        reason = "one explicit parameter per fact of a review"
    )]
    pub async fn review_assessment(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        outcome: Outcome,
        reason: Option<&str>,
        adjusted_events: Option<(&Rubric, Vec<Event>)>,
        on: jiff::civil::Date,
    ) -> Result<Assessment> {
        let reason = tidy(reason);
        let action = AssessmentAction::Review {
            outcome,
            reason: reason.clone(),
        };
        let rescore = rescore_input(outcome, adjusted_events)?;
        let by = actor.name.clone();
        self.assessment_step(actor, id, expected_version, action, on, move |a| {
            apply_rescore(a, rescore)?;
            a.review_outcome = Some(outcome);
            a.review_reason = reason;
            a.reviewed_by = Some(by);
            a.reviewed_on = Some(on);
            Ok(())
        })
        .await
    }

    /// 申诉 by the company, within the objection window. Only the compound's company (as it was
    /// when the assessment was made) may object.
    pub async fn object_assessment(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        as_company_id: i64,
        text: &str,
        on: jiff::civil::Date,
    ) -> Result<Assessment> {
        let a = self.get_assessment(id).await?;
        if a.company_id != Some(as_company_id) {
            return Err(StoreError::Forbidden(format!(
                "只有小区“{}”的物业服务企业可以对本考核申诉",
                a.compound
            )));
        }
        let text = text.trim().to_string();
        let action = AssessmentAction::Object { text: text.clone() };
        self.assessment_step(actor, id, expected_version, action, on, move |a| {
            a.objection = Some(text);
            a.objected_on = Some(on);
            Ok(())
        })
        .await
    }

    /// 申诉处理决定: upheld, or adjusted with a reason and corrected events; the assessment is
    /// then final.
    #[expect(
        clippy::too_many_arguments,
        reason = "one explicit parameter per fact of a decision"
    )]
    pub async fn decide_objection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        outcome: Outcome,
        reason: Option<&str>,
        adjusted_events: Option<(&Rubric, Vec<Event>)>,
        on: jiff::civil::Date,
    ) -> Result<Assessment> {
        let reason = tidy(reason);
        let action = AssessmentAction::Decide {
            outcome,
            reason: reason.clone(),
        };
        let rescore = rescore_input(outcome, adjusted_events)?;
        self.assessment_step(actor, id, expected_version, action, on, move |a| {
            apply_rescore(a, rescore)?;
            a.decision = Some(outcome);
            a.decision_reason = reason;
            Ok(())
        })
        .await
    }

    /// 定案 without an objection: after the objection window, or at once when the company
    /// waived it (`waived`).
    pub async fn finalize_assessment(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        waived: bool,
        on: jiff::civil::Date,
    ) -> Result<Assessment> {
        self.assessment_step(
            actor,
            id,
            expected_version,
            AssessmentAction::Finalize { waived },
            on,
            |_| Ok(()),
        )
        .await
    }

    /// The result the subsidy gate reads: the latest final assessment of the compound for the
    /// period, else the latest one not a draft; `None` when there is none.
    pub async fn assessment_result(
        &self,
        compound_id: i64,
        period: &Period,
    ) -> Result<Option<AssessmentResult>> {
        let list = self
            .list_assessments(&AssessmentFilter {
                compound_id: Some(compound_id),
                period: Some(period.code()),
                ..AssessmentFilter::default()
            })
            .await?;
        let pick = list
            .iter()
            .rev()
            .find(|a| a.status == AssessmentStatus::Final)
            .or_else(|| {
                list.iter()
                    .rev()
                    .find(|a| a.status != AssessmentStatus::Draft)
            });
        Ok(pick.map(|a| AssessmentResult {
            assessment_id: a.id,
            score: a.score,
            grade_code: a.grade_code.clone(),
            passed: a.passed == Some(true),
            is_final: a.status == AssessmentStatus::Final,
        }))
    }
}

type Rescore = Option<(Rubric, Vec<Event>)>;

fn rescore_input(outcome: Outcome, adjusted: Option<(&Rubric, Vec<Event>)>) -> Result<Rescore> {
    match (outcome, adjusted) {
        (Outcome::Upheld, Some(_)) => {
            Err(StoreError::Invalid("维持原结果时不能改动扣分事项".into()))
        }
        (_, a) => Ok(a.map(|(r, e)| (r.clone(), e))),
    }
}

fn apply_rescore(a: &mut Assessment, rescore: Rescore) -> Result<()> {
    if let Some((rubric, events)) = rescore {
        if rubric.id != a.rubric_id {
            return Err(StoreError::Invalid(format!(
                "调整须使用本考核的评分细则“{}”，而不是“{}”",
                a.rubric_id, rubric.id
            )));
        }
        let (mut card, passed) = scored(&rubric, &events, a.survey.as_ref())?;
        // A review's corrected events keep the marks of the counts taken from records: a count
        // it changes is the reviewer's, typed.
        card.sources = std::mem::take(&mut a.scorecard.sources);
        for (code, s) in card.sources.iter_mut() {
            let now: u32 = events
                .iter()
                .filter(|e| &e.code == code)
                .map(|e| e.count)
                .sum();
            if now != s.count {
                s.count = now;
                s.origin = anju_policy::rubric::CountOrigin::Typed;
            }
        }
        a.score = card.total;
        a.grade_code = card.grade.as_ref().map(|g| g.code.clone());
        a.passed = passed;
        a.scorecard = card;
        a.events = events;
    }
    Ok(())
}
