//! 满意度调查 (seeds 002 item 20, 004 三(二)(四)): a survey per compound and period, one token
//! per sampled household, answered once without an account (a link `/s/<token>` or its QR code).
//!
//! - The required sample is computed by the rule (`SampleRule::erqi` / `daqintala`, rounded up)
//!   when the survey is created and stored with it.
//! - A token is 128 random bits from the OS, works once (the UPDATE is conditional on
//!   `used_at IS NULL`, so two concurrent answers cannot both count) and only for its compound
//!   and while its survey is open. Tokens are bearer credentials: they are never written to the
//!   audit log (the audit row names the token's row id).
//! - Result: satisfaction rate (exact, `SatisfactionRate::from_counts`), valid iff the responses
//!   reach the required sample — an invalid survey is **not scored** (no points, no gate, no
//!   dismissal) — Erqi item-20 points from the rubric's satisfaction table, Daqintala's gate
//!   (满意率80%以上, inclusive) and the dismissal trigger.
//!
//! Dismissal denominator (decision): seed 004 says 超过本小区业主50%不满意 — more than half of
//! the compound's owners. A sampled survey can only estimate that share, so a **valid** survey
//! raises the dismissal *proposal* when dissatisfied responses are more than 50 % of the
//! responses (超过 excludes 50 % itself). The proposal is recorded on the compound's active
//! contract in the closing transaction, the sample standing in for the owners
//! (`owners = respondents = responses`) and a note naming the survey, the sample and the
//! compound's households; the owners' body then decides. A compound without an active contract
//! gets the trigger in the result but no proposal.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, Val, bind_all, date_text, now_ts, parse_date, query, today_cn};
use crate::{DismissalProposal, Result, Store, StoreError};
use anju_core::contract::DismissalSurvey;
use anju_policy::rubric::{Rubric, SatisfactionRate};
use anju_policy::sampling::SampleRule;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub(crate) const SURVEY: &str = "survey";
pub(crate) const SURVEY_RESPONSE: &str = "survey_response";

/// Which sample rule a survey follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyRule {
    /// Seed 002: at least 10 % of households.
    Erqi,
    /// Seed 004: ≤ 100 households → at least 10; more → 10 %.
    Daqintala,
}

impl SurveyRule {
    pub fn code(self) -> &'static str {
        match self {
            SurveyRule::Erqi => "erqi",
            SurveyRule::Daqintala => "daqintala",
        }
    }

    pub fn from_code(s: &str) -> Option<SurveyRule> {
        match s {
            "erqi" => Some(SurveyRule::Erqi),
            "daqintala" => Some(SurveyRule::Daqintala),
            _ => None,
        }
    }

    pub fn sample_rule(self) -> SampleRule {
        match self {
            SurveyRule::Erqi => SampleRule::erqi(),
            SurveyRule::Daqintala => SampleRule::daqintala(),
        }
    }
}

/// A survey to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewSurvey {
    pub compound_id: i64,
    /// "2026H1", "2026年上半年" …
    pub period: String,
    pub starts_on: Option<jiff::civil::Date>,
    pub ends_on: Option<jiff::civil::Date>,
    pub rule: SurveyRule,
    /// Households of the compound; the ledger's figure when `None`.
    pub households: Option<u32>,
    /// Tokens to issue now: the required sample when `None` (at most the households).
    pub tokens: Option<u32>,
}

/// Which surveys a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyFilter {
    pub compound_id: Option<i64>,
    /// Whose surveys: the reader's scope, a condition of the query (a company: those of the
    /// compounds it serves).
    pub scope: crate::Scope,
}

/// A stored survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Survey {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub period: String,
    pub starts_on: Option<jiff::civil::Date>,
    pub ends_on: Option<jiff::civil::Date>,
    pub rule: SurveyRule,
    pub households: u32,
    pub required_sample: u32,
    /// Open surveys take answers; closed ones are final.
    pub closed: bool,
    pub created_by: String,
    pub dismissal_proposal_id: Option<i64>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
}

/// A token issued for one sampled household. The link is `/s/<token>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    pub token: String,
    pub household: Option<String>,
    pub used: bool,
}

impl IssuedToken {
    /// The path the web page answers at.
    pub fn link(&self) -> String {
        format!("/s/{}", self.token)
    }
}

/// One household's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub satisfied: bool,
    /// Optional 1–5.
    pub score: Option<u8>,
    pub comment: Option<String>,
}

/// What a survey shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyResult {
    pub survey: Survey,
    pub issued: u32,
    pub responses: u32,
    pub satisfied: u32,
    pub dissatisfied: u32,
    /// satisfied ÷ responses, exact; `None` without responses.
    pub rate: Option<Decimal>,
    /// "83.33%"
    pub rate_text: Option<String>,
    /// Responses reach the required sample.
    pub valid: bool,
    /// Why not, in Chinese ("样本不足 …，调查无效").
    pub invalid_reason: Option<String>,
    /// Erqi item 20 (of 10), only when valid.
    pub erqi_points: Option<Decimal>,
    /// Daqintala: 满意率80%以上 (inclusive), only when valid.
    pub daqintala_gate: Option<bool>,
    /// Valid and more than 50 % of responses dissatisfied.
    pub dismissal_triggered: bool,
}

const SURVEY_SELECT: &str = "SELECT s.id, s.compound_id, c.name, s.period, s.starts_on, s.ends_on, \
     s.rule, s.households, s.required_sample, s.status, s.created_by, s.dismissal_proposal_id, \
     s.version, s.created_at FROM surveys s JOIN compounds c ON c.id = s.compound_id";

fn survey_from_row(row: &Row) -> Result<Survey> {
    let mut c = Cols::new(row);
    Ok(Survey {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        period: c.string()?,
        starts_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        ends_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        rule: {
            let r = c.string()?;
            SurveyRule::from_code(&r)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的抽样规则 '{r}'")))?
        },
        households: c.u32()?,
        required_sample: c.u32()?,
        closed: c.string()? == "closed",
        created_by: c.string()?,
        dismissal_proposal_id: c.opt_i64()?,
        version: c.i64()?,
        created_at: c.timestamp()?,
    })
}

async fn fetch_survey(conn: &mut Conn, id: i64) -> Result<Survey> {
    let row = query(format!("{SURVEY_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: SURVEY, id })?;
    survey_from_row(&row)
}

/// 128 random bits from the OS, as 32 lowercase hex digits.
pub(crate) fn new_token() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| StoreError::Corrupt(format!("无法取得随机数：{e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

async fn insert_tokens(conn: &mut Conn, survey_id: i64, n: u32) -> Result<Vec<IssuedToken>> {
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let token = new_token()?;
        let row =
            query("INSERT INTO survey_tokens (survey_id, token) VALUES ($1, $2) RETURNING id")
                .bind(survey_id)
                .bind(token.clone())
                .fetch_one(&mut *conn)
                .await?;
        out.push(IssuedToken {
            id: Cols::new(&row).i64()?,
            token,
            household: None,
            used: false,
        });
    }
    Ok(out)
}

async fn count_tokens(conn: &mut Conn, survey_id: i64) -> Result<u32> {
    let row = query("SELECT COUNT(*) FROM survey_tokens WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&row).u32()
}

impl SurveyResult {
    /// The scores of a survey from its counts (pure; the store only counts).
    pub fn from_counts(
        survey: Survey,
        issued: u32,
        responses: u32,
        satisfied: u32,
    ) -> Result<SurveyResult> {
        score(survey, issued, responses, satisfied)
    }
}

fn score(survey: Survey, issued: u32, responses: u32, satisfied: u32) -> Result<SurveyResult> {
    let dissatisfied = responses.saturating_sub(satisfied);
    let rate = if responses == 0 {
        None
    } else {
        Some(
            SatisfactionRate::from_counts(satisfied, responses)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        )
    };
    let check = survey
        .rule
        .sample_rule()
        .check(responses, survey.households);
    let valid = check.is_ok();
    let (erqi_points, daqintala_gate) = match (valid, rate) {
        (true, Some(r)) => {
            let table = Rubric::builtin("erqi")
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .satisfaction
                .ok_or_else(|| StoreError::Corrupt("二七区考核表缺少满意度分档".into()))?;
            (
                Some(table.points(r)),
                Some(r.fraction() >= Decimal::new(80, 2)),
            )
        }
        _ => (None, None),
    };
    Ok(SurveyResult {
        issued,
        responses,
        satisfied,
        dissatisfied,
        rate: rate.map(SatisfactionRate::fraction),
        rate_text: rate.map(SatisfactionRate::percent_text),
        valid,
        invalid_reason: check.err().map(|e| e.to_string()),
        erqi_points,
        daqintala_gate,
        dismissal_triggered: valid && u64::from(dissatisfied) * 2 > u64::from(responses),
        survey,
    })
}

impl Store {
    /// Creates a survey, computes its required sample and issues its tokens, in one audited
    /// transaction. The tokens are returned once here (and by [`Store::survey_tokens`]).
    pub async fn create_survey(
        &self,
        actor: &Actor,
        new: &NewSurvey,
    ) -> Result<(Survey, Vec<IssuedToken>)> {
        if new.period.trim().is_empty() {
            return Err(StoreError::Invalid("调查期间不能为空".into()));
        }
        if let (Some(a), Some(b)) = (new.starts_on, new.ends_on)
            && a > b
        {
            return Err(StoreError::Invalid(format!(
                "调查开始日期 {a} 晚于结束日期 {b}"
            )));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let compound = fetch_compound(&mut tx, new.compound_id).await?;
        if compound.archived {
            return Err(StoreError::Invalid(format!(
                "小区“{}”已归档，不能发起调查",
                compound.compound.name
            )));
        }
        let households = new
            .households
            .or(compound.compound.households)
            .filter(|h| *h > 0)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "小区“{}”台账中没有总户数，请用 --households 指定",
                    compound.compound.name
                ))
            })?;
        let required = new.rule.sample_rule().required_sample(households);
        let tokens = new.tokens.unwrap_or(required);
        if tokens > households {
            return Err(StoreError::Invalid(format!(
                "发放问卷 {tokens} 份多于小区总户数 {households} 户"
            )));
        }
        let row = query(
            "INSERT INTO surveys (compound_id, period, starts_on, ends_on, rule, households, \
             required_sample, status, created_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, 1, $9, $9) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.period.trim().to_string())
        .bind(new.starts_on.map(date_text))
        .bind(new.ends_on.map(date_text))
        .bind(new.rule.code())
        .bind(i64::from(households))
        .bind(i64::from(required))
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let issued = insert_tokens(&mut tx, id, tokens).await?;
        let survey = fetch_survey(&mut tx, id).await?;
        let after = serde_json::json!({ "survey": &survey, "tokens_issued": tokens });
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: SURVEY,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok((survey, issued))
    }

    /// Issues `n` more tokens on an open survey (never more tokens than households).
    pub async fn issue_survey_tokens(
        &self,
        actor: &Actor,
        survey_id: i64,
        n: u32,
    ) -> Result<Vec<IssuedToken>> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let survey = fetch_survey(&mut tx, survey_id).await?;
        if survey.closed {
            return Err(StoreError::Invalid(format!(
                "调查（编号 {survey_id}）已结束，不能再发放问卷"
            )));
        }
        let have = count_tokens(&mut tx, survey_id).await?;
        if u64::from(have) + u64::from(n) > u64::from(survey.households) {
            return Err(StoreError::Invalid(format!(
                "已发放 {have} 份，再发 {n} 份将多于小区总户数 {} 户",
                survey.households
            )));
        }
        let issued = insert_tokens(&mut tx, survey_id, n).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "issue_tokens",
                entity: SURVEY,
                entity_id: Some(survey_id),
                before: Some(to_json(&serde_json::json!({ "tokens_issued": have }))?),
                after: Some(to_json(&serde_json::json!({ "tokens_issued": have + n }))?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Answers with a token: once, only for its compound, only while the survey is open.
    /// The respondent needs no account; the audit row names the token's row id, not the token.
    pub async fn answer_survey(
        &self,
        token: &str,
        compound_id: i64,
        answer: &SurveyAnswer,
    ) -> Result<()> {
        if let Some(s) = answer.score
            && !(1..=5).contains(&s)
        {
            return Err(StoreError::Invalid(format!("评分 {s} 应在 1–5 之间")));
        }
        let token = token.trim().to_ascii_lowercase();
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let row = query(
            "SELECT t.id, t.survey_id, s.compound_id, s.status, t.used_at FROM survey_tokens t \
             JOIN surveys s ON s.id = t.survey_id WHERE t.token = $1",
        )
        .bind(token)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::refused(
                "问卷链接无效，请核对链接或二维码",
                "This survey link is not valid; please check the link or QR code",
            )
        })?;
        let mut c = Cols::new(&row);
        let (token_id, survey_id, owner, status, used_at) =
            (c.i64()?, c.i64()?, c.i64()?, c.string()?, c.opt_string()?);
        if owner != compound_id {
            return Err(StoreError::Forbidden(
                "问卷链接不属于该小区，不能提交".into(),
            ));
        }
        if status != "open" {
            return Err(closed_refusal());
        }
        if used_at.is_some() {
            return Err(used_refusal());
        }
        let done = query(
            "UPDATE survey_tokens SET used_at = $1, satisfied = $2, score = $3, comment = $4 \
             WHERE id = $5 AND used_at IS NULL",
        )
        .bind(at.clone())
        .bind(i64::from(answer.satisfied))
        .bind(answer.score.map(i64::from))
        .bind(answer.comment.clone())
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(used_refusal());
        }
        let after = serde_json::json!({
            "survey_id": survey_id,
            "satisfied": answer.satisfied,
            "score": answer.score,
            "comment": answer.comment,
        });
        audit::append(
            &mut tx,
            &Actor::new("问卷链接", "respondent"),
            &at,
            vec![NewAudit {
                action: "answer",
                entity: SURVEY_RESPONSE,
                entity_id: Some(token_id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The survey a token belongs to, for its resident page; `None` for an unknown token.
    /// Reading does not use the token up.
    pub async fn survey_by_token(&self, token: &str) -> Result<Option<TokenSurvey>> {
        let token = token.trim().to_ascii_lowercase();
        let mut conn = self.pool.acquire().await?;
        let Some(row) =
            query("SELECT survey_id, household, used_at FROM survey_tokens WHERE token = $1")
                .bind(token)
                .fetch_optional(&mut *conn)
                .await?
        else {
            return Ok(None);
        };
        let mut c = Cols::new(&row);
        let (survey_id, household, used) = (c.i64()?, c.opt_string()?, c.opt_string()?.is_some());
        let survey = fetch_survey(&mut conn, survey_id).await?;
        let compound = fetch_compound(&mut conn, survey.compound_id).await?;
        Ok(Some(TokenSurvey {
            survey,
            street: compound.compound.street.clone(),
            household,
            used,
        }))
    }

    pub async fn get_survey(&self, id: i64) -> Result<Survey> {
        let mut conn = self.pool.acquire().await?;
        fetch_survey(&mut conn, id).await
    }

    /// Surveys, newest first; of one compound when given.
    pub async fn list_surveys(&self, f: &SurveyFilter) -> Result<Vec<Survey>> {
        let mut sql = format!("{SURVEY_SELECT} WHERE 1 = 1");
        let mut vals = Vec::new();
        if let Some(id) = f.compound_id {
            vals.push(Val::int(id));
            sql.push_str(&format!(" AND s.compound_id = ${}", vals.len()));
        }
        sql.push_str(&f.scope.condition(None, &mut vals));
        sql.push_str(" ORDER BY s.id DESC");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(survey_from_row).collect()
    }

    /// A survey's tokens (to reprint links), in issue order.
    pub async fn survey_tokens(&self, survey_id: i64) -> Result<Vec<IssuedToken>> {
        let rows = query(
            "SELECT id, token, household, used_at FROM survey_tokens WHERE survey_id = $1 \
             ORDER BY id",
        )
        .bind(survey_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(IssuedToken {
                    id: c.i64()?,
                    token: c.string()?,
                    household: c.opt_string()?,
                    used: c.opt_string()?.is_some(),
                })
            })
            .collect()
    }

    /// The survey's figures now (final once closed).
    pub async fn survey_result(&self, id: i64) -> Result<SurveyResult> {
        let mut conn = self.pool.acquire().await?;
        result_on(&mut conn, id).await
    }

    /// Closes a survey (version-checked) and, when it is valid and more than 50 % of the
    /// responses are dissatisfied, records the dismissal proposal on the compound's active
    /// contract (see the module doc for the denominator) — all in one transaction, so a survey
    /// is never closed without its proposal nor a proposal left behind by a refused close.
    pub async fn close_survey(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
    ) -> Result<SurveyResult> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = result_on(&mut tx, id).await?;
        check_version(&before.survey, expected_version)?;
        if before.survey.closed {
            return Err(StoreError::Invalid(format!("调查（编号 {id}）已结束")));
        }
        let mut audits = Vec::new();
        let mut proposal_id = None;
        if before.dismissal_triggered {
            let contract = query(
                "SELECT c.id FROM contracts c JOIN contract_compounds cc ON cc.contract_id = c.id \
                 WHERE cc.compound_id = $1 AND c.status = 'active' ORDER BY c.id DESC",
            )
            .bind(before.survey.compound_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = contract {
                let contract_id = Cols::new(&row).i64()?;
                let survey =
                    DismissalSurvey::new(before.responses, before.responses, before.dissatisfied)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let note = format!(
                    "满意度调查（编号 {id}，{}）：{} 户中抽样 {} 户，{} 户不满意，按有效问卷推算超过半数业主不满意",
                    before.survey.period,
                    before.survey.households,
                    before.responses,
                    before.dissatisfied
                );
                let surveyed_on = before.survey.ends_on.unwrap_or_else(today_cn);
                let raised = survey.raises_dismissal();
                let row = query(
                    "INSERT INTO dismissal_proposals (contract_id, surveyed_on, owners, \
                     respondents, dissatisfied, raised, note, actor, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(contract_id)
                .bind(date_text(surveyed_on))
                .bind(i64::from(survey.owners))
                .bind(i64::from(survey.respondents))
                .bind(i64::from(survey.dissatisfied))
                .bind(i64::from(raised))
                .bind(Some(note.clone()))
                .bind(actor.name.clone())
                .bind(at.clone())
                .fetch_one(&mut *tx)
                .await?;
                let p = DismissalProposal {
                    id: Cols::new(&row).i64()?,
                    contract_id,
                    surveyed_on,
                    survey,
                    raised,
                    note: Some(note),
                };
                proposal_id = Some(p.id);
                audits.push(NewAudit {
                    action: "insert",
                    entity: crate::contracts::DISMISSAL,
                    entity_id: Some(p.id),
                    before: None,
                    after: Some(to_json(&p)?),
                });
            }
        }
        let done = query(
            "UPDATE surveys SET status = 'closed', dismissal_proposal_id = $1, \
             version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(proposal_id)
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            let now = fetch_survey(&mut tx, id).await?;
            check_version(&now, expected_version)?;
            return Err(StoreError::Conflict {
                entity: SURVEY,
                id,
                expected: expected_version,
                actual: now.version,
            });
        }
        let after = result_on(&mut tx, id).await?;
        audits.push(NewAudit {
            action: "close",
            entity: SURVEY,
            entity_id: Some(id),
            before: Some(to_json(&before)?),
            after: Some(to_json(&after)?),
        });
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }
}

fn used_refusal() -> StoreError {
    StoreError::refused(
        "该问卷链接已使用过，每户只能提交一次",
        "This survey link has already been used: one answer per household",
    )
}

fn closed_refusal() -> StoreError {
    StoreError::refused(
        "调查已结束，不能再提交问卷",
        "This survey is closed and takes no more answers",
    )
}

/// What the resident page of a token shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSurvey {
    pub survey: Survey,
    pub street: String,
    pub household: Option<String>,
    pub used: bool,
}

fn check_version(s: &Survey, expected: i64) -> Result<()> {
    if s.version != expected {
        return Err(StoreError::Conflict {
            entity: SURVEY,
            id: s.id,
            expected,
            actual: s.version,
        });
    }
    Ok(())
}

/// Every closed survey of the compounds in `compounds`, with its result: two statements for
/// all of them (the surveys, then their tokens counted by survey), inside the caller's
/// transaction (a subsidy run reads them with its other facts, from one snapshot).
pub(crate) async fn closed_results_on(
    conn: &mut Conn,
    compounds: &std::collections::HashSet<i64>,
) -> Result<Vec<SurveyResult>> {
    let rows = query(format!(
        "{SURVEY_SELECT} WHERE s.status = 'closed' ORDER BY s.id DESC"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let counts = query(
        "SELECT t.survey_id, COUNT(*), COUNT(t.used_at), \
         CAST(COALESCE(SUM(t.satisfied), 0) AS BIGINT) FROM survey_tokens t \
         JOIN surveys s ON s.id = t.survey_id WHERE s.status = 'closed' GROUP BY t.survey_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_survey = std::collections::HashMap::new();
    for r in &counts {
        let mut c = Cols::new(r);
        by_survey.insert(c.i64()?, (c.u32()?, c.u32()?, c.u32()?));
    }
    let mut out = Vec::new();
    for row in &rows {
        let survey = survey_from_row(row)?;
        if !compounds.contains(&survey.compound_id) {
            continue;
        }
        let (issued, responses, satisfied) =
            by_survey.get(&survey.id).copied().unwrap_or((0, 0, 0));
        out.push(score(survey, issued, responses, satisfied)?);
    }
    Ok(out)
}

async fn result_on(conn: &mut Conn, id: i64) -> Result<SurveyResult> {
    let survey = fetch_survey(conn, id).await?;
    let row = query(
        "SELECT COUNT(*), COUNT(used_at), CAST(COALESCE(SUM(satisfied), 0) AS BIGINT) FROM survey_tokens \
         WHERE survey_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let mut c = Cols::new(&row);
    let (issued, responses, satisfied) = (c.u32()?, c.u32()?, c.u32()?);
    score(survey, issued, responses, satisfied)
}
