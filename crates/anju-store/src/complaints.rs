//! 投诉 (seeds 002, 003 "建立健全物业投诉责任机制"): a complaint from a resident or the 12345
//! hotline about a compound, assigned to the compound's current company, with deadlines to sign
//! for it (签收) and to answer counted in working days, the answer, the resident's rating and
//! closing. Each step is one audited transaction. Counts per company and period feed the credit
//! file (`complaint` records) through [`Store::add_company_record`].

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{
    Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, parse_ts,
    query,
};
use crate::{CompanyRecord, NewCompanyRecord, Result, Store, StoreError};
use anju_core::assessment::{Period, add_working_days};
use anju_core::credit::{CreditRecord, RecordKind};
use anju_core::oversight::{ComplaintSource, ComplaintStatus, ComplaintVerdict};
use serde::{Deserialize, Serialize};

pub(crate) const COMPLAINT: &str = "complaint";
pub(crate) const HOLIDAY: &str = "holiday";

/// The stored holiday list, inside a transaction.
pub(crate) async fn holidays_on(conn: &mut Conn) -> Result<Vec<jiff::civil::Date>> {
    let rows = query("SELECT day FROM holidays ORDER BY day")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| parse_date(&Cols::new(r).string()?))
        .collect()
}

/// Deadlines of a complaint, in working days after the day it was received: Saturdays and Sundays
/// are skipped, and so are the days of the stored holiday list ([`Store::add_holiday`]) and any
/// listed in `holidays`. Adjusted working weekends (调休上班) are not modelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRules {
    /// 签收 within this many working days (default 1).
    pub sign_working_days: u32,
    /// 答复 within this many working days (default 3).
    pub answer_working_days: u32,
    pub holidays: Vec<jiff::civil::Date>,
}

impl Default for ComplaintRules {
    fn default() -> ComplaintRules {
        ComplaintRules {
            sign_working_days: 1,
            answer_working_days: 3,
            holidays: Vec::new(),
        }
    }
}

/// A complaint to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewComplaint {
    pub compound_id: i64,
    pub source: ComplaintSource,
    /// 类别 (环境卫生, 维修, 收费, 秩序 …), free text.
    pub category: String,
    pub text: String,
    pub received_on: jiff::civil::Date,
    /// 联系方式 a resident may leave (optional).
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Complaint {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub company_id: Option<i64>,
    pub company: Option<String>,
    pub source: ComplaintSource,
    pub category: String,
    pub text: String,
    pub received_on: jiff::civil::Date,
    pub sign_deadline: jiff::civil::Date,
    pub answer_deadline: jiff::civil::Date,
    pub status: ComplaintStatus,
    pub signed_on: Option<jiff::civil::Date>,
    pub answer: Option<String>,
    pub answered_on: Option<jiff::civil::Date>,
    /// The resident's rating, 1–5.
    pub rating: Option<u32>,
    pub closed_on: Option<jiff::civil::Date>,
    pub contact: Option<String>,
    /// The street's finding (核实); only a substantiated complaint counts against the company.
    pub verdict: Option<ComplaintVerdict>,
    pub verdict_on: Option<jiff::civil::Date>,
    pub verdict_note: Option<String>,
    /// Who found it.
    pub verdict_by: Option<String>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Complaint {
    /// Not signed for after the sign deadline (the deadline day itself is on time).
    pub fn sign_overdue(&self, as_of: jiff::civil::Date) -> bool {
        self.status == ComplaintStatus::Received && as_of > self.sign_deadline
    }

    /// Not answered after the answer deadline.
    pub fn answer_overdue(&self, as_of: jiff::civil::Date) -> bool {
        matches!(
            self.status,
            ComplaintStatus::Received | ComplaintStatus::Signed
        ) && as_of > self.answer_deadline
    }

    /// Signed for or answered after its deadline.
    pub fn late(&self) -> bool {
        self.signed_on.is_some_and(|d| d > self.sign_deadline)
            || self.answered_on.is_some_and(|d| d > self.answer_deadline)
    }
}

/// Which complaints to list; by received date then id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintFilter {
    pub compound_id: Option<i64>,
    /// A company sees only its own complaints: pass its id.
    pub company_id: Option<i64>,
    pub status: Option<ComplaintStatus>,
    /// Received in this period.
    pub period: Option<Period>,
    /// Only those overdue (to sign for or to answer) on this day.
    pub overdue_on: Option<jiff::civil::Date>,
    /// Whose complaints: the reader's scope, a condition of the query (a company: those
    /// against it).
    pub scope: crate::Scope,
}

/// 逾期 counts of complaints on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintOverdue {
    /// Not signed for after the sign deadline.
    pub sign_overdue: u32,
    /// Not answered after the answer deadline.
    pub answer_overdue: u32,
    /// Either of the two.
    pub overdue: u32,
}

impl ComplaintOverdue {
    pub fn of(list: &[Complaint], as_of: jiff::civil::Date) -> ComplaintOverdue {
        let mut o = ComplaintOverdue::default();
        for c in list {
            let (s, a) = (c.sign_overdue(as_of), c.answer_overdue(as_of));
            o.sign_overdue += u32::from(s);
            o.answer_overdue += u32::from(a);
            o.overdue += u32::from(s || a);
        }
        o
    }
}

/// A listed non-working day (法定节假日).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub day: jiff::civil::Date,
    pub name: String,
}

/// Which part of a complaint a file documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStage {
    /// 投诉 itself (photos from the resident or the hotline ticket).
    Complaint,
    /// The company's 答复.
    Answer,
}

impl ComplaintStage {
    pub fn code(self) -> &'static str {
        match self {
            ComplaintStage::Complaint => "complaint",
            ComplaintStage::Answer => "answer",
        }
    }
}

const SELECT: &str = "SELECT p.id, p.compound_id, c.name AS compound, p.company_id, \
     co.name AS company, p.source, p.category, p.text, p.received_on, p.sign_deadline, \
     p.answer_deadline, p.status, p.signed_on, p.answer, p.answered_on, p.rating, p.closed_on, \
     p.contact, p.verdict, p.verdict_on, p.verdict_note, p.verdict_by, p.version, p.created_at, \
     p.updated_at FROM complaints p JOIN compounds c ON c.id = p.compound_id \
     LEFT JOIN companies co ON co.id = p.company_id";

/// A complaint as [`SELECT`] reads it, by column name.
#[derive(sqlx::FromRow)]
struct ComplaintRow {
    id: i64,
    compound_id: i64,
    compound: String,
    company_id: Option<i64>,
    company: Option<String>,
    source: String,
    category: String,
    text: String,
    received_on: String,
    sign_deadline: String,
    answer_deadline: String,
    status: String,
    signed_on: Option<String>,
    answer: Option<String>,
    answered_on: Option<String>,
    rating: Option<i64>,
    closed_on: Option<String>,
    contact: Option<String>,
    verdict: Option<String>,
    verdict_on: Option<String>,
    verdict_note: Option<String>,
    verdict_by: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

fn from_row(row: &Row) -> Result<Complaint> {
    let r: ComplaintRow = row.decode()?;
    let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("未知的{what} '{v}'"));
    Ok(Complaint {
        id: r.id,
        compound_id: r.compound_id,
        compound: r.compound,
        company_id: r.company_id,
        company: r.company,
        source: ComplaintSource::from_code(&r.source)
            .ok_or_else(|| corrupt("投诉来源", &r.source))?,
        category: r.category,
        text: r.text,
        received_on: parse_date(&r.received_on)?,
        sign_deadline: parse_date(&r.sign_deadline)?,
        answer_deadline: parse_date(&r.answer_deadline)?,
        status: ComplaintStatus::from_code(&r.status)
            .ok_or_else(|| corrupt("投诉状态", &r.status))?,
        signed_on: opt_date(r.signed_on)?,
        answer: r.answer,
        answered_on: opt_date(r.answered_on)?,
        rating: r
            .rating
            .map(|v| {
                u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("评价 {v} 超出范围")))
            })
            .transpose()?,
        closed_on: opt_date(r.closed_on)?,
        contact: r.contact,
        verdict: r
            .verdict
            .map(|v| ComplaintVerdict::from_code(&v).ok_or_else(|| corrupt("核实结论", &v)))
            .transpose()?,
        verdict_on: opt_date(r.verdict_on)?,
        verdict_note: r.verdict_note,
        verdict_by: r.verdict_by,
        version: r.version,
        created_at: parse_ts(&r.created_at)?,
        updated_at: parse_ts(&r.updated_at)?,
    })
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<Complaint> {
    let row = query(format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: COMPLAINT,
            id,
        })?;
    from_row(&row)
}

fn own(c: &Complaint, as_company_id: i64) -> Result<()> {
    if c.company_id != Some(as_company_id) {
        return Err(StoreError::Forbidden(format!(
            "投诉 {} 不是交办给本企业的",
            c.id
        )));
    }
    Ok(())
}

fn wrong_status(c: &Complaint, what: &str) -> StoreError {
    StoreError::Invalid(format!(
        "投诉 {} 当前为“{}”，不能{what}",
        c.id,
        c.status.label(anju_core::Lang::Zh)
    ))
}

/// A complaint found substantiated (核实有效) — a verification that changes its verdict to
/// substantiated, never another step — goes into its company's credit file at once: one
/// `complaint` record (1 complaint, the month it was received, dated the day of the finding),
/// written once per complaint (`company_records.complaint_id`). A complaint no company serves,
/// or not (or no longer) substantiated, writes nothing; a finding revised to unfounded later
/// leaves the record in the file, which is append-only.
async fn substantiated_to_file(
    tx: &mut Conn,
    actor: &Actor,
    at: &str,
    c: &Complaint,
) -> Result<()> {
    let (Some(company_id), Some(ComplaintVerdict::Substantiated), Some(on)) =
        (c.company_id, c.verdict, c.verdict_on)
    else {
        return Ok(());
    };
    let there = query("SELECT 1 FROM company_records WHERE complaint_id = $1")
        .bind(c.id)
        .fetch_optional(&mut *tx)
        .await?;
    if there.is_some() {
        return Ok(());
    }
    let mut record = CreditRecord::new(RecordKind::Complaint, on);
    record.period = Some(format!(
        "{:04}-{:02}",
        c.received_on.year(),
        c.received_on.month()
    ));
    record.complaints = Some(1);
    record.compound = Some(c.compound.clone());
    record.note = Some(format!("投诉 #{} 核实有效（{}）", c.id, c.category));
    crate::credit::insert_company_record_from(
        tx,
        actor,
        at,
        company_id,
        &NewCompanyRecord {
            record,
            compound_id: Some(c.compound_id),
        },
        crate::credit::RecordSource {
            complaint_id: Some(c.id),
            contract_id: None,
        },
    )
    .await?;
    Ok(())
}

impl Store {
    /// Records a complaint, assigned to the compound's current company (its active contract's,
    /// else the ledger's), with its deadlines.
    pub async fn add_complaint(
        &self,
        actor: &Actor,
        new: NewComplaint,
        rules: &ComplaintRules,
    ) -> Result<Complaint> {
        let category = new.category.trim().to_string();
        let text = new.text.trim().to_string();
        if category.is_empty() || text.is_empty() {
            return Err(StoreError::Invalid("投诉类别和内容不能为空".into()));
        }
        let contact = new
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if contact.as_ref().is_some_and(|c| c.chars().count() > 100) {
            return Err(StoreError::Invalid("联系方式不能超过 100 个字".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut holidays = holidays_on(&mut tx).await?;
        holidays.extend(rules.holidays.iter().copied());
        let sign = add_working_days(new.received_on, rules.sign_working_days, &holidays);
        let answer = add_working_days(new.received_on, rules.answer_working_days, &holidays);
        let compound = fetch_compound(&mut tx, new.compound_id).await?;
        // The company serving now: the active contract's, else the ledger's.
        let contracted = query(
            "SELECT c.company_id FROM contracts c JOIN contract_compounds cc \
             ON cc.contract_id = c.id WHERE cc.compound_id = $1 AND c.status = 'active' \
             ORDER BY c.id DESC",
        )
        .bind(new.compound_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| Cols::new(&r).i64())
        .transpose()?;
        let company_id = contracted.or(compound.company_id);
        let row = query(
            "INSERT INTO complaints (compound_id, company_id, source, category, text, received_on, \
             sign_deadline, answer_deadline, status, contact, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $10, 1, $9, $9) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(company_id)
        .bind(new.source.code())
        .bind(category)
        .bind(text)
        .bind(date_text(new.received_on))
        .bind(date_text(sign))
        .bind(date_text(answer.max(sign)))
        .bind(at.clone())
        .bind(contact)
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: COMPLAINT,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_complaint(&self, id: i64) -> Result<Complaint> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    pub async fn list_complaints(&self, f: &ComplaintFilter) -> Result<Vec<Complaint>> {
        let mut w = Filter::new();
        w.and_some(f.compound_id, "p.compound_id = ?", Val::int);
        w.and_some(f.company_id, "p.company_id = ?", Val::int);
        w.and_some(f.status, "p.status = ?", |st| Val::text(st.code()));
        if let Some(p) = f.period {
            w.and(
                "p.received_on >= ? AND p.received_on <= ?",
                [Val::text(date_text(p.start)), Val::text(date_text(p.end))],
            );
        }
        w.scope(&f.scope, Some("p.company_id"));
        let mut sql = format!("{SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY p.received_on, p.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut list: Vec<Complaint> = rows.iter().map(from_row).collect::<Result<_>>()?;
        if let Some(day) = f.overdue_on {
            list.retain(|c| c.sign_overdue(day) || c.answer_overdue(day));
        }
        Ok(list)
    }

    /// Adds a day to the holiday list (audited); adding a listed day again is refused.
    pub async fn add_holiday(
        &self,
        actor: &Actor,
        day: jiff::civil::Date,
        name: &str,
    ) -> Result<Holiday> {
        let mut added = self.add_holidays(actor, &[day], name).await?;
        added
            .pop()
            .ok_or_else(|| StoreError::Corrupt("节假日未写入".into()))
    }

    /// Adds days to the holiday list in one audited transaction: all or none (a day already
    /// listed refuses the whole list).
    pub async fn add_holidays(
        &self,
        actor: &Actor,
        days: &[jiff::civil::Date],
        name: &str,
    ) -> Result<Vec<Holiday>> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid("节假日名称不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut out = Vec::with_capacity(days.len());
        let mut audits = Vec::with_capacity(days.len());
        for &day in days {
            let exists = query("SELECT name FROM holidays WHERE day = $1")
                .bind(date_text(day))
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = exists {
                return Err(StoreError::Duplicate(format!(
                    "{day} 已在节假日清单中（{}）",
                    Cols::new(&row).string()?
                )));
            }
            query("INSERT INTO holidays (day, name, actor, created_at) VALUES ($1, $2, $3, $4)")
                .bind(date_text(day))
                .bind(name.clone())
                .bind(actor.name.clone())
                .bind(at.clone())
                .execute(&mut *tx)
                .await?;
            let h = Holiday {
                day,
                name: name.clone(),
            };
            audits.push(NewAudit {
                action: "insert",
                entity: HOLIDAY,
                entity_id: None,
                before: None,
                after: Some(to_json(&h)?),
            });
            out.push(h);
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The holiday list, by day.
    pub async fn holidays(&self) -> Result<Vec<Holiday>> {
        let rows = query("SELECT day, name FROM holidays ORDER BY day")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(Holiday {
                    day: parse_date(&c.string()?)?,
                    name: c.string()?,
                })
            })
            .collect()
    }

    /// Links stored evidence files (see [`Store::put_evidence`]) to a complaint or its answer,
    /// audited; a file linked twice is linked once.
    pub async fn attach_complaint_evidence(
        &self,
        actor: &Actor,
        id: i64,
        stage: ComplaintStage,
        sha256: &[String],
    ) -> Result<()> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let c = fetch(&mut tx, id).await?;
        if stage == ComplaintStage::Answer && c.answer.is_none() {
            return Err(StoreError::Invalid(format!(
                "投诉 {id} 尚未答复，不能附答复的证明材料"
            )));
        }
        let mut added = Vec::new();
        for sha in sha256 {
            let known = query("SELECT 1 FROM evidence WHERE sha256 = $1")
                .bind(sha.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!("找不到证明材料 {sha}")));
            }
            let there = query(
                "SELECT 1 FROM complaint_evidence WHERE complaint_id = $1 AND stage = $2 \
                 AND sha256 = $3",
            )
            .bind(id)
            .bind(stage.code())
            .bind(sha.clone())
            .fetch_optional(&mut *tx)
            .await?;
            if there.is_some() {
                continue;
            }
            query(
                "INSERT INTO complaint_evidence (complaint_id, stage, sha256, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(stage.code())
            .bind(sha.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
            added.push(sha.clone());
        }
        if !added.is_empty() {
            audit::append(
                &mut tx,
                actor,
                &at,
                vec![NewAudit {
                    action: "attach_evidence",
                    entity: COMPLAINT,
                    entity_id: Some(id),
                    before: None,
                    after: Some(to_json(
                        &serde_json::json!({ "stage": stage, "sha256": added }),
                    )?),
                }],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The files linked to a complaint, with the part each documents.
    pub async fn complaint_evidence(
        &self,
        id: i64,
    ) -> Result<Vec<(ComplaintStage, crate::Evidence)>> {
        let rows = query(
            "SELECT ce.stage, ce.sha256 FROM complaint_evidence ce WHERE ce.complaint_id = $1 \
             ORDER BY ce.stage, ce.created_at, ce.sha256",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let mut c = Cols::new(r);
            let stage = match c.string()?.as_str() {
                "answer" => ComplaintStage::Answer,
                _ => ComplaintStage::Complaint,
            };
            let sha = c.string()?;
            let e = self
                .get_evidence(&sha)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("证明材料 {sha} 不见了")))?;
            out.push((stage, e));
        }
        Ok(out)
    }

    async fn complaint_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        change: impl FnOnce(&mut Complaint) -> Result<()>,
    ) -> Result<Complaint> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: COMPLAINT,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let mut c = before.clone();
        change(&mut c)?;
        let done = query(
            "UPDATE complaints SET status = $1, signed_on = $2, answer = $3, answered_on = $4, \
             rating = $5, closed_on = $6, verdict = $10, verdict_on = $11, verdict_note = $12, \
             verdict_by = $13, version = version + 1, updated_at = $7 \
             WHERE id = $8 AND version = $9",
        )
        .bind(c.status.code())
        .bind(c.signed_on.map(date_text))
        .bind(c.answer.clone())
        .bind(c.answered_on.map(date_text))
        .bind(c.rating.map(i64::from))
        .bind(c.closed_on.map(date_text))
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .bind(c.verdict.map(ComplaintVerdict::code))
        .bind(c.verdict_on.map(date_text))
        .bind(c.verdict_note.clone())
        .bind(c.verdict_by.clone())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: COMPLAINT,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: COMPLAINT,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        if after.verdict == Some(ComplaintVerdict::Substantiated)
            && before.verdict != Some(ComplaintVerdict::Substantiated)
        {
            substantiated_to_file(&mut tx, actor, &at, &after).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// 签收 by the assigned company.
    pub async fn sign_complaint(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        as_company_id: i64,
        on: jiff::civil::Date,
    ) -> Result<Complaint> {
        self.complaint_step(actor, id, expected_version, |c| {
            own(c, as_company_id)?;
            if c.status != ComplaintStatus::Received {
                return Err(wrong_status(c, "签收"));
            }
            c.status = ComplaintStatus::Signed;
            c.signed_on = Some(on);
            Ok(())
        })
        .await
    }

    /// 答复 by the assigned company (after signing for it).
    pub async fn answer_complaint(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        as_company_id: i64,
        text: &str,
        on: jiff::civil::Date,
    ) -> Result<Complaint> {
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::Invalid("答复内容不能为空".into()));
        }
        self.complaint_step(actor, id, expected_version, |c| {
            own(c, as_company_id)?;
            if c.status != ComplaintStatus::Signed {
                return Err(wrong_status(c, "答复（请先签收）"));
            }
            c.status = ComplaintStatus::Answered;
            c.answer = Some(text);
            c.answered_on = Some(on);
            Ok(())
        })
        .await
    }

    /// The resident's rating (1–5) of an answered complaint.
    pub async fn rate_complaint(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        rating: u32,
    ) -> Result<Complaint> {
        if !(1..=5).contains(&rating) {
            return Err(StoreError::Invalid(format!(
                "评价须为 1–5 分，而不是 {rating}"
            )));
        }
        self.complaint_step(actor, id, expected_version, |c| {
            if c.status != ComplaintStatus::Answered {
                return Err(wrong_status(c, "评价"));
            }
            c.rating = Some(rating);
            Ok(())
        })
        .await
    }

    /// 办结: closes an answered complaint.
    pub async fn close_complaint(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: jiff::civil::Date,
    ) -> Result<Complaint> {
        self.complaint_step(actor, id, expected_version, |c| {
            if c.status != ComplaintStatus::Answered {
                return Err(wrong_status(c, "办结"));
            }
            c.status = ComplaintStatus::Closed;
            c.closed_on = Some(on);
            Ok(())
        })
        .await
    }

    /// 核实: the street's finding on a complaint, substantiated or unfounded, with a note, dated
    /// `on` (not before the complaint was received). A finding may be revised (the audit keeps
    /// the earlier one); only a substantiated complaint counts in the credit file.
    pub async fn verify_complaint(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        verdict: ComplaintVerdict,
        note: &str,
        on: jiff::civil::Date,
    ) -> Result<Complaint> {
        let note = note.trim().to_string();
        if note.is_empty() {
            return Err(StoreError::refused(
                "核实须写明核实情况（如现场查看、调取记录的结果）",
                "a verification needs what was found (a visit, the records checked)",
            ));
        }
        self.complaint_step(actor, id, expected_version, |c| {
            if on < c.received_on {
                return Err(StoreError::refused(
                    format!("核实日期 {on} 早于投诉受理日期 {}", c.received_on),
                    format!(
                        "the verification date {on} is before the complaint was received ({})",
                        c.received_on
                    ),
                ));
            }
            c.verdict = Some(verdict);
            c.verdict_on = Some(on);
            c.verdict_note = Some(note);
            c.verdict_by = Some(actor.name.clone());
            Ok(())
        })
        .await
    }

    /// A catch-up for substantiated complaints that have no record of their own (verified
    /// before findings went into the file at once, [`substantiated_to_file`]): adds, for each
    /// company with such complaints received in the period, one `complaint` record with the count to its credit file (dated `on`); a
    /// complaint not verified, or found unfounded, counts for nothing. A company whose file
    /// already holds this period's count is skipped, and one counted before more of its
    /// complaints were found substantiated gets the difference (补记), so running it twice adds
    /// nothing and a late verification still counts: the check and the writes are one
    /// transaction, serialised (SQLite's write lock; a transaction-scoped advisory lock on
    /// PostgreSQL), so runs at the same moment add each count once. (A finding revised to
    /// unfounded after it was counted stays in the file, which is append-only.)
    pub async fn record_complaint_counts(
        &self,
        actor: &Actor,
        period: &Period,
        on: jiff::civil::Date,
    ) -> Result<Vec<CompanyRecord>> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        if self.engine() == crate::Engine::Postgres {
            query("SELECT pg_advisory_xact_lock(7215001)")
                .execute(&mut *tx)
                .await?;
        }
        let rows = query(
            "SELECT company_id, COUNT(*) FROM complaints WHERE company_id IS NOT NULL \
             AND verdict = 'substantiated' AND received_on >= $1 AND received_on <= $2 \
             AND NOT EXISTS (SELECT 1 FROM company_records r \
             WHERE r.complaint_id = complaints.id) \
             GROUP BY company_id ORDER BY company_id",
        )
        .bind(date_text(period.start))
        .bind(date_text(period.end))
        .fetch_all(&mut *tx)
        .await?;
        let mut counts: Vec<(i64, u32)> = Vec::new();
        for r in &rows {
            let mut c = Cols::new(r);
            let (co, n) = (c.i64()?, c.i64()?);
            counts.push((co, u32::try_from(n).unwrap_or(u32::MAX)));
        }
        let marker = format!("投诉统计 {}", period.code());
        let later = format!("{marker}（补记）");
        let mut out = Vec::new();
        for (company_id, n) in counts {
            // What the file already holds for this period: a count made before some complaints
            // were verified is topped up by a later one (补记), never written twice.
            let row = query(
                "SELECT CAST(COALESCE(SUM(complaints), 0) AS BIGINT) FROM company_records \
                 WHERE company_id = $1 AND kind = 'complaint' AND (note = $2 OR note = $3)",
            )
            .bind(company_id)
            .bind(marker.clone())
            .bind(later.clone())
            .fetch_one(&mut *tx)
            .await?;
            let held = u32::try_from(Cols::new(&row).i64()?).unwrap_or(0);
            if n <= held {
                continue;
            }
            let mut record = CreditRecord::new(RecordKind::Complaint, on);
            record.period = Some(period.code());
            record.complaints = Some(n - held);
            record.note = Some(if held == 0 {
                marker.clone()
            } else {
                later.clone()
            });
            out.push(
                crate::credit::insert_company_record(
                    &mut tx,
                    actor,
                    &at,
                    company_id,
                    &NewCompanyRecord {
                        record,
                        compound_id: None,
                    },
                )
                .await?,
            );
        }
        tx.commit().await?;
        Ok(out)
    }
}
