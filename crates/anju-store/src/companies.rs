//! 物业服务企业: property companies, named by ledgers and identified by their 统一社会信用代码.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Conn, now_ts, query};
use crate::{Result, Store, StoreError};
use anju_core::CreditCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    /// 统一社会信用代码 (validated, GB 32100-2015).
    pub credit_code: Option<CreditCode>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub version: i64,
    pub archived: bool,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

/// The editable fields of a company.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompanyUpdate {
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
}

macro_rules! company_cols {
    () => {
        "id, name, credit_code, contact_person, phone, version, archived, created_at, updated_at"
    };
}
pub(crate) const COMPANY_SELECT: &str = concat!("SELECT ", company_cols!(), " FROM companies");

pub(crate) fn company_from_row(c: &mut Cols<'_>) -> Result<Company> {
    let id = c.i64()?;
    let name = c.string()?;
    let credit_code = c
        .opt_string()?
        .map(|s| {
            CreditCode::parse(&s)
                .map_err(|e| StoreError::Corrupt(format!("企业“{name}”的统一社会信用代码：{e}")))
        })
        .transpose()?;
    Ok(Company {
        id,
        name,
        credit_code,
        contact_person: c.opt_string()?,
        phone: c.opt_string()?,
        version: c.i64()?,
        archived: c.flag()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

/// All companies in memory, by name and by credit code.
#[derive(Debug, Default)]
pub(crate) struct CompanyIndex {
    by_name: HashMap<String, Company>,
    by_code: HashMap<String, String>,
    name_of: HashMap<i64, String>,
}

impl CompanyIndex {
    pub(crate) async fn load(conn: &mut Conn) -> Result<CompanyIndex> {
        let rows = query(COMPANY_SELECT).fetch_all(&mut *conn).await?;
        let mut idx = CompanyIndex::default();
        for row in &rows {
            idx.insert(company_from_row(&mut Cols::new(row))?);
        }
        Ok(idx)
    }

    fn insert(&mut self, c: Company) {
        if let Some(code) = &c.credit_code {
            self.by_code
                .insert(code.as_str().to_string(), c.name.clone());
        }
        self.name_of.insert(c.id, c.name.clone());
        self.by_name.insert(c.name.clone(), c);
    }

    pub(crate) fn by_id(&self, id: i64) -> Option<&Company> {
        self.by_name.get(self.name_of.get(&id)?)
    }

    /// Company `id`, which a stored row names (missing: corruption).
    pub(crate) fn known(&self, id: i64) -> Result<&Company> {
        self.by_id(id)
            .ok_or_else(|| StoreError::Corrupt(format!("企业编号 {id} 不存在")))
    }

    pub(crate) fn by_name(&self, name: &str) -> Option<&Company> {
        self.by_name.get(name)
    }

    fn code_taken_by_other(&self, code: &CreditCode, name: &str) -> Result<()> {
        match self.by_code.get(code.as_str()) {
            Some(owner) if owner != name => Err(StoreError::Duplicate(format!(
                "统一社会信用代码 {code} 已属于企业“{owner}”，不能再登记给“{name}”"
            ))),
            _ => Ok(()),
        }
    }

    /// Finds the company by name or creates it; fills in a missing credit code. A code that
    /// contradicts the one on file is an error, never a silent overwrite.
    pub(crate) async fn upsert(
        &mut self,
        conn: &mut Conn,
        at: &str,
        name: &str,
        code: Option<&CreditCode>,
        audits: &mut Vec<NewAudit>,
    ) -> Result<(i64, bool)> {
        if let Some(existing) = self.by_name.get(name) {
            match (&existing.credit_code, code) {
                (_, None) => return Ok((existing.id, false)),
                (Some(old), Some(new)) if old == new => return Ok((existing.id, false)),
                (Some(old), Some(new)) => {
                    return Err(StoreError::Invalid(format!(
                        "企业“{name}”已登记统一社会信用代码 {old}，与新填写的 {new} 不一致"
                    )));
                }
                (None, Some(new)) => {
                    self.code_taken_by_other(new, name)?;
                    let before = existing.clone();
                    let row = query(concat!(
                        "UPDATE companies SET credit_code = $1, version = version + 1, updated_at = $2 \
                         WHERE id = $3 RETURNING ",
                        company_cols!()
                    ))
                    .bind(new.as_str().to_string())
                    .bind(at.to_string())
                    .bind(before.id)
                    .fetch_one(&mut *conn)
                    .await?;
                    let after = company_from_row(&mut Cols::new(&row))?;
                    audits.push(NewAudit {
                        action: "update",
                        entity: audit::COMPANY,
                        entity_id: Some(after.id),
                        before: Some(to_json(&before)?),
                        after: Some(to_json(&after)?),
                    });
                    let id = after.id;
                    self.insert(after);
                    return Ok((id, false));
                }
            }
        }
        if let Some(code) = code {
            self.code_taken_by_other(code, name)?;
        }
        let row = query(concat!(
            "INSERT INTO companies (name, credit_code, version, archived, created_at, updated_at) \
             VALUES ($1, $2, 1, 0, $3, $3) RETURNING ",
            company_cols!()
        ))
        .bind(name.to_string())
        .bind(code.map(|c| c.as_str().to_string()))
        .bind(at.to_string())
        .fetch_one(&mut *conn)
        .await?;
        let company = company_from_row(&mut Cols::new(&row))?;
        audits.push(NewAudit {
            action: "insert",
            entity: audit::COMPANY,
            entity_id: Some(company.id),
            before: None,
            after: Some(to_json(&company)?),
        });
        let id = company.id;
        self.insert(company);
        Ok((id, true))
    }
}

impl Store {
    /// Finds a company by name or registers it; a credit code fills in a missing one. Returns
    /// the company's id.
    pub async fn upsert_company(
        &self,
        actor: &Actor,
        name: &str,
        code: Option<CreditCode>,
    ) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("企业名称不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut idx = CompanyIndex::load(&mut tx).await?;
        let mut audits = Vec::new();
        let (id, _) = idx
            .upsert(&mut tx, &at, name, code.as_ref(), &mut audits)
            .await?;
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// All companies (archived ones included), by name.
    pub async fn list_companies(&self) -> Result<Vec<Company>> {
        let rows = query(concat!(
            "SELECT ",
            company_cols!(),
            " FROM companies ORDER BY name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| company_from_row(&mut Cols::new(r)))
            .collect()
    }

    /// The companies serving compounds in a region now (id and name), by name.
    pub async fn companies_serving(&self, region_id: i64) -> Result<Vec<(i64, String)>> {
        let mut vals = Vec::new();
        let cond = crate::Scope::Region(region_id).condition(None, &mut vals);
        let rows = crate::sql::bind_all(
            crate::sql::query(format!(
                "SELECT DISTINCT co.id, co.name FROM companies co \
                 JOIN compounds c ON c.company_id = co.id WHERE 1 = 1{cond} ORDER BY co.name"
            )),
            vals,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok((c.i64()?, c.string()?))
            })
            .collect()
    }

    pub async fn get_company(&self, id: i64) -> Result<Company> {
        let row = query(concat!(
            "SELECT ",
            company_cols!(),
            " FROM companies WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            entity: audit::COMPANY,
            id,
        })?;
        company_from_row(&mut Cols::new(&row))
    }

    /// Changes a company's name, code and contacts if nobody changed it since `expected_version`.
    pub async fn update_company(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        update: CompanyUpdate,
    ) -> Result<Company> {
        let name = update.name.trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid("企业名称不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = query(concat!(
            "SELECT ",
            company_cols!(),
            " FROM companies WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            entity: audit::COMPANY,
            id,
        })
        .and_then(|row| company_from_row(&mut Cols::new(&row)))?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: audit::COMPANY,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let row = query(concat!(
            "UPDATE companies SET name = $1, credit_code = $2, contact_person = $3, phone = $4, \
             version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7 RETURNING ",
            company_cols!()
        ))
        .bind(name)
        .bind(update.credit_code.map(String::from))
        .bind(update.contact_person)
        .bind(update.phone)
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Conflict {
            entity: audit::COMPANY,
            id,
            expected: expected_version,
            actual: expected_version + 1,
        })?;
        let after = company_from_row(&mut Cols::new(&row))?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: audit::COMPANY,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
