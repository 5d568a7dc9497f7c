//! 企业登记与信用档案: registering a property company with its contacts, and the append-only
//! records its credit grade is computed from (seed 003 四(二): 信用档案、不良行为记录、淘汰退出).
//!
//! Scores and points are stored as integer hundredths (`score_e2`, `points_e2`); a record is
//! never changed or deleted (the database refuses it): a mistake is answered by a new record.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::companies::{COMPANY_SELECT, Company, CompanyUpdate, company_from_row};
use crate::sql::{Cols, Conn, Row, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::credit::{CreditRecord, RecordKind};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

pub(crate) const COMPANY_RECORD: &str = "company_record";

/// A record of a company's credit file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompanyRecord {
    pub id: i64,
    pub company_id: i64,
    /// The compound concerned; its name is in `record.compound`.
    pub compound_id: Option<i64>,
    pub record: CreditRecord,
    /// Who entered it.
    pub actor: String,
    pub created_at: jiff::Timestamp,
}

/// A record to add; `record.compound` is ignored (the name comes from `compound_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCompanyRecord {
    pub record: CreditRecord,
    pub compound_id: Option<i64>,
}

const RECORD_SELECT: &str = "SELECT r.id, r.company_id, r.compound_id, r.kind, r.happened_on, \
     r.period, r.score_e2, r.points_e2, r.complaints, r.assessor, c.name, r.note, r.actor, \
     r.created_at FROM company_records r LEFT JOIN compounds c ON c.id = r.compound_id";

fn e2(d: Decimal, what: &str) -> Result<i64> {
    (d * Decimal::ONE_HUNDRED)
        .to_i64()
        .ok_or_else(|| StoreError::Invalid(format!("{what} {d} 超出范围")))
}

fn from_e2(v: i64) -> Decimal {
    Decimal::new(v, 2).normalize()
}

fn record_from_row(row: &Row) -> Result<CompanyRecord> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let company_id = c.i64()?;
    let compound_id = c.opt_i64()?;
    let kind_code = c.string()?;
    let kind = RecordKind::from_code(&kind_code)
        .ok_or_else(|| StoreError::Corrupt(format!("未知的信用记录类型 '{kind_code}'")))?;
    let happened_on = parse_date(&c.string()?)?;
    let period = c.opt_string()?;
    let score = c.opt_i64()?.map(from_e2);
    let points = c.opt_i64()?.map(from_e2);
    let complaints = c.opt_u32()?;
    let assessor = c.opt_string()?;
    let compound = c.opt_string()?;
    let note = c.opt_string()?;
    Ok(CompanyRecord {
        id,
        company_id,
        compound_id,
        record: CreditRecord {
            kind,
            happened_on,
            period,
            score,
            points,
            complaints,
            assessor,
            compound,
            note,
        },
        actor: c.string()?,
        created_at: c.timestamp()?,
    })
}

async fn fetch_company(conn: &mut Conn, id: i64) -> Result<Company> {
    let row = query(format!("{COMPANY_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: audit::COMPANY,
            id,
        })?;
    company_from_row(&mut Cols::new(&row))
}

fn tidy(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Store {
    /// Registers a new company with its credit code and contacts (one audited insert). A name or
    /// code already on file is refused, never merged.
    pub async fn register_company(&self, actor: &Actor, company: CompanyUpdate) -> Result<Company> {
        let name = company.name.trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid("企业名称不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        if let Some(row) = query("SELECT id FROM companies WHERE name = $1")
            .bind(name.clone())
            .fetch_optional(&mut *tx)
            .await?
        {
            let id = Cols::new(&row).i64()?;
            return Err(StoreError::Duplicate(format!(
                "企业“{name}”已登记（编号 {id}）"
            )));
        }
        if let Some(code) = &company.credit_code
            && let Some(row) = query("SELECT name FROM companies WHERE credit_code = $1")
                .bind(code.as_str().to_string())
                .fetch_optional(&mut *tx)
                .await?
        {
            let owner = Cols::new(&row).string()?;
            return Err(StoreError::Duplicate(format!(
                "统一社会信用代码 {code} 已属于企业“{owner}”"
            )));
        }
        let row = query(
            "INSERT INTO companies (name, credit_code, contact_person, phone, version, archived, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 1, 0, $5, $5) RETURNING id",
        )
        .bind(name)
        .bind(company.credit_code.map(String::from))
        .bind(tidy(company.contact_person))
        .bind(tidy(company.phone))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let after = fetch_company(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: audit::COMPANY,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a record to a company's credit file (audited). The record is validated first.
    pub async fn add_company_record(
        &self,
        actor: &Actor,
        company_id: i64,
        new: NewCompanyRecord,
    ) -> Result<CompanyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let after = insert_company_record(&mut tx, actor, &at, company_id, &new).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A company's credit file, oldest first.
    pub async fn company_records(&self, company_id: i64) -> Result<Vec<CompanyRecord>> {
        let rows = query(format!(
            "{RECORD_SELECT} WHERE r.company_id = $1 ORDER BY r.happened_on, r.id"
        ))
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// A company's credit records about one compound, by date (what an owners' body reads of
    /// the file: never another compound's).
    pub async fn company_records_about(
        &self,
        company_id: i64,
        compound_id: i64,
    ) -> Result<Vec<CompanyRecord>> {
        let rows = query(format!(
            "{RECORD_SELECT} WHERE r.company_id = $1 AND r.compound_id = $2 \
             ORDER BY r.happened_on, r.id"
        ))
        .bind(company_id)
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Every company's credit records, by company then date (for grading all at once).
    pub async fn all_company_records(&self) -> Result<Vec<CompanyRecord>> {
        let rows = query(format!(
            "{RECORD_SELECT} ORDER BY r.company_id, r.happened_on, r.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }
}

/// Validates and writes one credit record with its audit copy, inside the caller's transaction.
/// What a record the system writes by itself came from (one record per source).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RecordSource {
    pub complaint_id: Option<i64>,
    pub contract_id: Option<i64>,
}

pub(crate) async fn insert_company_record(
    tx: &mut Conn,
    actor: &Actor,
    at: &str,
    company_id: i64,
    new: &NewCompanyRecord,
) -> Result<CompanyRecord> {
    insert_company_record_from(tx, actor, at, company_id, new, RecordSource::default()).await
}

/// [`insert_company_record`] for a record written from a complaint or a contract.
pub(crate) async fn insert_company_record_from(
    tx: &mut Conn,
    actor: &Actor,
    at: &str,
    company_id: i64,
    new: &NewCompanyRecord,
    source: RecordSource,
) -> Result<CompanyRecord> {
    let r = &new.record;
    r.validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    fetch_company(tx, company_id).await?;
    if let Some(cid) = new.compound_id {
        crate::compounds::fetch_compound(tx, cid).await?;
    }
    let row = query(
        "INSERT INTO company_records (company_id, kind, happened_on, period, score_e2, \
         points_e2, complaints, compound_id, assessor, note, actor, created_at, complaint_id, \
         contract_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(company_id)
    .bind(r.kind.code())
    .bind(date_text(r.happened_on))
    .bind(tidy(r.period.clone()))
    .bind(r.score.map(|s| e2(s, "考核分")).transpose()?)
    .bind(r.points.map(|p| e2(p, "扣分")).transpose()?)
    .bind(r.complaints.map(i64::from))
    .bind(new.compound_id)
    .bind(tidy(r.assessor.clone()))
    .bind(tidy(r.note.clone()))
    .bind(actor.name.clone())
    .bind(at.to_string())
    .bind(source.complaint_id)
    .bind(source.contract_id)
    .fetch_one(&mut *tx)
    .await?;
    let id = Cols::new(&row).i64()?;
    let stored = query(format!("{RECORD_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let after = record_from_row(&stored)?;
    audit::append(
        tx,
        actor,
        at,
        vec![NewAudit {
            action: "insert",
            entity: COMPANY_RECORD,
            entity_id: Some(id),
            before: None,
            after: Some(to_json(&after)?),
        }],
    )
    .await?;
    Ok(after)
}
