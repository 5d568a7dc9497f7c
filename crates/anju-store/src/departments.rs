//! 镇街吹哨、部门报到 (seed 003 二（二）、四): a district's departments and their duty categories,
//! and referrals (吹哨) with their steps (报到, 办结, 确认, 退回), evidence and history. Each write is
//! one audited transaction; the path itself is `anju_core::referral::next`.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::complaints::holidays_on;
use crate::compounds::fetch_compound;
use crate::sql::{
    Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, query,
};
use crate::{Result, Store, StoreError};
use anju_core::assessment::add_working_days;
use anju_core::referral::{
    ReferralFacts, ReferralSource, ReferralStatus, ReferralStep, next as next_status,
};
use serde::{Deserialize, Serialize};

pub(crate) const DEPARTMENT: &str = "department";
pub(crate) const REFERRAL: &str = "referral";

/// A district department with its duty categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Department {
    pub id: i64,
    pub district_id: i64,
    pub district: String,
    pub name: String,
    /// The seed clause its duties come from (四（八）), when seeded.
    pub clause: Option<String>,
    /// 职责类别, by name.
    pub duties: Vec<String>,
    pub active: bool,
    pub version: i64,
}

/// A department to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDepartment {
    pub district_id: i64,
    pub name: String,
    pub clause: Option<String>,
    pub duties: Vec<String>,
}

/// A referral (吹哨事项) as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Referral {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street_id: i64,
    pub department_id: i64,
    pub department: String,
    pub source: ReferralSource,
    pub source_id: Option<i64>,
    pub category: String,
    pub text: String,
    pub referred_on: jiff::civil::Date,
    pub working_days: u32,
    pub deadline: jiff::civil::Date,
    pub status: ReferralStatus,
    pub referred_by: String,
    pub acknowledged_on: Option<jiff::civil::Date>,
    pub acknowledged_by: Option<String>,
    pub result: Option<String>,
    pub resolved_on: Option<jiff::civil::Date>,
    pub first_resolved_on: Option<jiff::civil::Date>,
    /// Times the referrer sent it back (退回重办).
    pub returns: u32,
    pub return_reason: Option<String>,
    pub confirmed_on: Option<jiff::civil::Date>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Referral {
    /// 逾期 on `as_of` (the deadline day is on time).
    pub fn overdue(&self, as_of: jiff::civil::Date) -> bool {
        anju_core::referral::overdue(self.status, self.deadline, as_of)
    }

    pub fn facts(&self) -> ReferralFacts {
        ReferralFacts {
            status: self.status,
            referred_on: self.referred_on,
            deadline: self.deadline,
            first_resolved_on: self.first_resolved_on,
            returns: self.returns,
        }
    }
}

/// A referral to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub compound_id: i64,
    pub department_id: i64,
    pub source: ReferralSource,
    pub source_id: Option<i64>,
    pub category: String,
    pub text: String,
    pub referred_on: jiff::civil::Date,
    pub working_days: u32,
}

/// One step of a referral as taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralStepRecord {
    /// `refer`, or a [`ReferralStep`] code.
    pub step: String,
    pub on: jiff::civil::Date,
    pub by: String,
    pub note: Option<String>,
}

/// What a step carries besides its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDetail {
    pub step: ReferralStep,
    pub on: jiff::civil::Date,
    /// 办结: the result; 退回: the reason; otherwise an optional note.
    pub note: Option<String>,
    /// 办结: evidence already uploaded (SHA-256).
    pub evidence: Vec<String>,
}

/// Which referrals to list; by deadline, then id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    pub department_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub status: Option<ReferralStatus>,
    /// Not yet resolved (referred, acknowledged, returned).
    pub open_only: bool,
    /// Made from this complaint or order.
    pub source: Option<(ReferralSource, i64)>,
    /// Referred in `[from, to]`.
    pub referred_from: Option<jiff::civil::Date>,
    pub referred_to: Option<jiff::civil::Date>,
    /// The reader's compounds (a condition of the query).
    pub scope: crate::Scope,
}

const DEPT_SELECT: &str = "SELECT d.id, d.district_id, r.name, d.name, d.clause, d.active, \
     d.version FROM departments d JOIN regions r ON r.id = d.district_id";

const SELECT: &str = "SELECT f.id, f.compound_id, c.name, c.street_id, f.department_id, d.name, \
     f.source, f.source_id, f.category, f.text, f.referred_on, f.working_days, f.deadline, \
     f.status, f.referred_by, f.acknowledged_on, f.acknowledged_by, f.result, f.resolved_on, \
     f.first_resolved_on, f.returns, f.return_reason, f.confirmed_on, f.version, f.created_at, \
     f.updated_at FROM referrals f JOIN compounds c ON c.id = f.compound_id \
     JOIN departments d ON d.id = f.department_id";

fn dept_from_row(row: &Row) -> Result<Department> {
    let mut c = Cols::new(row);
    Ok(Department {
        id: c.i64()?,
        district_id: c.i64()?,
        district: c.string()?,
        name: c.string()?,
        clause: c.opt_string()?,
        duties: Vec::new(),
        active: c.flag()?,
        version: c.i64()?,
    })
}

fn from_row(row: &Row) -> Result<Referral> {
    let mut c = Cols::new(row);
    Ok(Referral {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        street_id: c.i64()?,
        department_id: c.i64()?,
        department: c.string()?,
        source: {
            let s = c.string()?;
            ReferralSource::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的吹哨来源 '{s}'")))?
        },
        source_id: c.opt_i64()?,
        category: c.string()?,
        text: c.string()?,
        referred_on: parse_date(&c.string()?)?,
        working_days: c.u32()?,
        deadline: parse_date(&c.string()?)?,
        status: {
            let s = c.string()?;
            ReferralStatus::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的吹哨事项状态 '{s}'")))?
        },
        referred_by: c.string()?,
        acknowledged_on: opt_date(c.opt_string()?)?,
        acknowledged_by: c.opt_string()?,
        result: c.opt_string()?,
        resolved_on: opt_date(c.opt_string()?)?,
        first_resolved_on: opt_date(c.opt_string()?)?,
        returns: c.u32()?,
        return_reason: c.opt_string()?,
        confirmed_on: opt_date(c.opt_string()?)?,
        version: c.i64()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

async fn duties_of(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = bind_all(
        query(format!(
            "SELECT department_id, category FROM department_duties \
             WHERE department_id IN ({list}) ORDER BY department_id, category"
        )),
        ids.iter().map(|&i| Val::int(i)),
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let mut c = Cols::new(r);
            Ok((c.i64()?, c.string()?))
        })
        .collect()
}

async fn fetch_department(conn: &mut Conn, id: i64) -> Result<Department> {
    let row = query(format!("{DEPT_SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: DEPARTMENT,
            id,
        })?;
    let mut d = dept_from_row(&row)?;
    d.duties = duties_of(conn, &[id])
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    Ok(d)
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<Referral> {
    let row = query(format!("{SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: REFERRAL,
            id,
        })?;
    from_row(&row)
}

/// Duties trimmed, empty ones dropped, each once.
fn clean_duties(duties: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for d in duties {
        let d = d.trim();
        if d.is_empty() || out.iter().any(|x| x == d) {
            continue;
        }
        if d.chars().count() > 50 {
            return Err(StoreError::Invalid(format!("职责类别“{d}”超过 50 个字")));
        }
        out.push(d.to_string());
    }
    Ok(out)
}

async fn write_duties(conn: &mut Conn, id: i64, duties: &[String]) -> Result<()> {
    query("DELETE FROM department_duties WHERE department_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for d in duties {
        query("INSERT INTO department_duties (department_id, category) VALUES ($1, $2)")
            .bind(id)
            .bind(d.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn add_step(
    conn: &mut Conn,
    id: i64,
    step: &str,
    on: jiff::civil::Date,
    by: &str,
    note: Option<&str>,
    at: &str,
) -> Result<()> {
    query(
        "INSERT INTO referral_steps (referral_id, step, on_day, by_name, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(step.to_string())
    .bind(date_text(on))
    .bind(by.to_string())
    .bind(note.map(str::to_string))
    .bind(at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a department to a district (the region must be a district).
    pub async fn add_department(&self, actor: &Actor, new: NewDepartment) -> Result<Department> {
        let name = new.name.trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空".into()));
        }
        let duties = clean_duties(&new.duties)?;
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let level = query("SELECT level FROM regions WHERE id = $1")
            .bind(new.district_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: audit::REGION,
                id: new.district_id,
            })?;
        if Cols::new(&level).string()? != "district" {
            return Err(StoreError::Invalid("职能部门须属于一个区（县）".into()));
        }
        let taken = query("SELECT id FROM departments WHERE district_id = $1 AND name = $2")
            .bind(new.district_id)
            .bind(name.clone())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(format!("本区已有部门“{name}”")));
        }
        let row = query(
            "INSERT INTO departments (district_id, name, clause, active, version, created_at, \
             updated_at) VALUES ($1, $2, $3, 1, 1, $4, $4) RETURNING id",
        )
        .bind(new.district_id)
        .bind(name)
        .bind(new.clause)
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        write_duties(&mut tx, id, &duties).await?;
        let after = fetch_department(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: DEPARTMENT,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Changes a department's name, duty categories or whether it takes referrals.
    pub async fn update_department(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        name: &str,
        duties: &[String],
        active: bool,
    ) -> Result<Department> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(StoreError::Invalid("部门名称不能为空".into()));
        }
        let duties = clean_duties(duties)?;
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_department(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: DEPARTMENT,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let taken =
            query("SELECT id FROM departments WHERE district_id = $1 AND name = $2 AND id <> $3")
                .bind(before.district_id)
                .bind(name.clone())
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(format!("本区已有部门“{name}”")));
        }
        let done = query(
            "UPDATE departments SET name = $1, active = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(name)
        .bind(i64::from(active))
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: DEPARTMENT,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        write_duties(&mut tx, id, &duties).await?;
        let after = fetch_department(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: DEPARTMENT,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_department(&self, id: i64) -> Result<Department> {
        let mut conn = self.pool.acquire().await?;
        fetch_department(&mut conn, id).await
    }

    /// The departments of the districts at or under `region` (None: every district), by
    /// district then name; `active_only` leaves out those set inactive.
    pub async fn list_departments(
        &self,
        region: Option<i64>,
        active_only: bool,
    ) -> Result<Vec<Department>> {
        let mut sql = format!("{DEPT_SELECT} WHERE 1 = 1");
        let mut vals = Vec::new();
        if let Some(r) = region {
            vals.push(Val::int(r));
            let n = vals.len();
            sql.push_str(&format!(
                " AND (d.district_id = ${n} OR r.parent_id = ${n} \
                 OR d.district_id = (SELECT s.parent_id FROM regions s WHERE s.id = ${n}) \
                 OR d.district_id = (SELECT s.parent_id FROM regions s JOIN regions m \
                 ON m.parent_id = s.id WHERE m.id = ${n}))"
            ));
        }
        if active_only {
            sql.push_str(" AND d.active = 1");
        }
        sql.push_str(" ORDER BY d.district_id, d.id");
        let mut conn = self.pool.acquire().await?;
        let rows = bind_all(query(sql), vals).fetch_all(&mut *conn).await?;
        let mut list: Vec<Department> = rows.iter().map(dept_from_row).collect::<Result<_>>()?;
        let ids: Vec<i64> = list.iter().map(|d| d.id).collect();
        for (id, cat) in duties_of(&mut conn, &ids).await? {
            if let Some(d) = list.iter_mut().find(|d| d.id == id) {
                d.duties.push(cat);
            }
        }
        Ok(list)
    }

    /// Refers a matter to a department: the deadline counts `working_days` after the day of
    /// referral past the stored holidays. The department must be active and of the compound's
    /// district.
    pub async fn add_referral(&self, actor: &Actor, new: NewReferral) -> Result<Referral> {
        let category = new.category.trim().to_string();
        let text = new.text.trim().to_string();
        if category.is_empty() || text.is_empty() {
            return Err(StoreError::Invalid("类别和事项内容不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let compound = fetch_compound(&mut tx, new.compound_id).await?;
        let dept = fetch_department(&mut tx, new.department_id).await?;
        if !dept.active {
            return Err(StoreError::Invalid(format!("部门“{}”已停用", dept.name)));
        }
        let district = query("SELECT parent_id FROM regions WHERE id = $1")
            .bind(compound.street_id)
            .fetch_one(&mut *tx)
            .await?;
        if Cols::new(&district).opt_i64()? != Some(dept.district_id) {
            return Err(StoreError::Invalid(format!(
                "部门“{}”不属于小区“{}”所在的区",
                dept.name, compound.compound.name
            )));
        }
        let holidays = holidays_on(&mut tx).await?;
        let deadline = add_working_days(new.referred_on, new.working_days, &holidays);
        let row = query(
            "INSERT INTO referrals (compound_id, department_id, source, source_id, category, \
             text, referred_on, working_days, deadline, status, referred_by, returns, version, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'referred', \
             $10, 0, 1, $11, $11) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.department_id)
        .bind(new.source.code())
        .bind(new.source_id)
        .bind(category)
        .bind(text)
        .bind(date_text(new.referred_on))
        .bind(i64::from(new.working_days))
        .bind(date_text(deadline))
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        add_step(
            &mut tx,
            id,
            "refer",
            new.referred_on,
            &actor.name,
            None,
            &at,
        )
        .await?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: REFERRAL,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A step of a referral (`anju_core::referral::next` decides whether it may be taken); a
    /// step dated before the referral's last step is refused.
    pub async fn referral_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        detail: StepDetail,
    ) -> Result<Referral> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: REFERRAL,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let to = next_status(before.status, detail.step)
            .map_err(|e| StoreError::Refused { zh: e.zh, en: e.en })?;
        let last = query(
            "SELECT on_day FROM referral_steps WHERE referral_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let last = parse_date(&Cols::new(&last).string()?)?;
        if detail.on < last {
            return Err(StoreError::Refused {
                zh: format!("日期 {} 早于上一步的日期 {last}", detail.on),
                en: format!("{} is before the previous step's day {last}", detail.on),
            });
        }
        let note = detail
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let on = date_text(detail.on);
        let mut vals = vec![Val::text(to.code())];
        let set = match detail.step {
            ReferralStep::Acknowledge => {
                vals.push(Val::text(on.clone()));
                vals.push(Val::text(actor.name.clone()));
                "acknowledged_on = $2, acknowledged_by = $3".to_string()
            }
            ReferralStep::Resolve => {
                let Some(result) = note.clone() else {
                    return Err(StoreError::Invalid("办结须填写办理结果".into()));
                };
                vals.push(Val::text(result));
                vals.push(Val::text(on.clone()));
                "result = $2, resolved_on = $3, \
                 first_resolved_on = COALESCE(first_resolved_on, $3)"
                    .to_string()
            }
            ReferralStep::Confirm => {
                vals.push(Val::text(on.clone()));
                "confirmed_on = $2".to_string()
            }
            ReferralStep::Return => {
                let Some(reason) = note.clone() else {
                    return Err(StoreError::Invalid("退回须说明理由".into()));
                };
                vals.push(Val::text(reason));
                "return_reason = $2, returns = returns + 1".to_string()
            }
        };
        vals.push(Val::text(at.clone()));
        let at_n = vals.len();
        vals.push(Val::int(id));
        let id_n = vals.len();
        vals.push(Val::int(expected_version));
        let v_n = vals.len();
        // The version in the condition: two steps at once on PostgreSQL cannot both pass.
        let done = bind_all(
            query(format!(
                "UPDATE referrals SET status = $1, {set}, version = version + 1, \
                 updated_at = ${at_n} WHERE id = ${id_n} AND version = ${v_n}"
            )),
            vals,
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: REFERRAL,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        add_step(
            &mut tx,
            id,
            detail.step.code(),
            detail.on,
            &actor.name,
            note.as_deref(),
            &at,
        )
        .await?;
        for sha in &detail.evidence {
            let known = query("SELECT 1 FROM evidence WHERE sha256 = $1")
                .bind(sha.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Invalid(format!("找不到证明材料 {sha}")));
            }
            let there =
                query("SELECT 1 FROM referral_evidence WHERE referral_id = $1 AND sha256 = $2")
                    .bind(id)
                    .bind(sha.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
            if there.is_none() {
                query(
                    "INSERT INTO referral_evidence (referral_id, sha256, created_at) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(sha.clone())
                .bind(at.clone())
                .execute(&mut *tx)
                .await?;
            }
        }
        let after = fetch(&mut tx, id).await?;
        // The audited image names the step taken, its note and the files it attached.
        let mut image = serde_json::to_value(&after)
            .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?;
        if let serde_json::Value::Object(m) = &mut image {
            m.insert(
                "step".into(),
                serde_json::json!({
                    "step": detail.step.code(),
                    "on": date_text(detail.on),
                    "note": note,
                    "evidence": detail.evidence,
                }),
            );
        }
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: REFERRAL,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image.to_string()),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Whether a file is the evidence of a referral of this compound.
    pub async fn referral_evidence_of_compound(&self, compound_id: i64, sha: &str) -> Result<bool> {
        Ok(query(
            "SELECT 1 FROM referral_evidence e JOIN referrals r ON r.id = e.referral_id \
             WHERE r.compound_id = $1 AND e.sha256 = $2",
        )
        .bind(compound_id)
        .bind(sha.to_string())
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    pub async fn get_referral(&self, id: i64) -> Result<Referral> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// The steps of a referral, in the order taken.
    pub async fn referral_steps(&self, id: i64) -> Result<Vec<ReferralStepRecord>> {
        let rows = query(
            "SELECT step, on_day, by_name, note FROM referral_steps WHERE referral_id = $1 \
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(ReferralStepRecord {
                    step: c.string()?,
                    on: parse_date(&c.string()?)?,
                    by: c.string()?,
                    note: c.opt_string()?,
                })
            })
            .collect()
    }

    /// The evidence (SHA-256) of a referral's result.
    pub async fn referral_evidence(&self, id: i64) -> Result<Vec<String>> {
        let rows = query(
            "SELECT sha256 FROM referral_evidence WHERE referral_id = $1 ORDER BY created_at, sha256",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Cols::new(r).string()).collect()
    }

    pub async fn list_referrals(&self, f: &ReferralFilter) -> Result<Vec<Referral>> {
        let mut w = Filter::new();
        w.and_some(f.department_id, "f.department_id = ?", Val::int);
        w.and_some(f.compound_id, "f.compound_id = ?", Val::int);
        w.and_some(f.status, "f.status = ?", |st| Val::text(st.code()));
        if f.open_only {
            // The codes of `ReferralStatus::is_open`, constants of the domain (not user input).
            let open: Vec<String> = ReferralStatus::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| format!("'{}'", s.code()))
                .collect();
            w.and(&format!("f.status IN ({})", open.join(", ")), []);
        }
        if let Some((src, id)) = f.source {
            w.and(
                "f.source = ? AND f.source_id = ?",
                [Val::text(src.code()), Val::int(id)],
            );
        }
        w.and_some(f.referred_from, "f.referred_on >= ?", |d| {
            Val::text(date_text(d))
        });
        w.and_some(f.referred_to, "f.referred_on <= ?", |d| {
            Val::text(date_text(d))
        });
        w.scope(&f.scope, None);
        let mut sql = format!("{SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY f.deadline, f.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }
}
