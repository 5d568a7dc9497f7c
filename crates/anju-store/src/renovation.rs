//! 老旧小区改造 (issue 19 item 5; seed 002 六) as records: a compound's renovation projects with
//! their milestones (a date first recorded, or corrected with its reason: both kept in
//! `renovation_date_changes`, version checked), the 三承诺 of each household (an answer given
//! again updates the household's row), and the fee standards 发改 approved (seed 003 三（二）;
//! append-only, a later approval superseding from its date). Each write is one audited
//! transaction. The rules are `anju_core::renovation`; this module reads the path's dates they
//! need ([`Store::renovation_path_dates`]) from the steps in force.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, date_text, now_ts, opt_date, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::Fen;
use anju_core::contract::Fees;
use anju_core::renovation::{Commitments, Milestone, Milestones, PathDates};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const RENOVATION: &str = "renovation_project";
pub(crate) const HOUSEHOLD: &str = "renovation_household";
pub(crate) const FEE_STANDARD: &str = "fee_standard";

/// A renovation project as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenovationRecord {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street_id: i64,
    /// 项目名称或批次
    pub name: String,
    /// 手续办理
    #[schema(value_type = Option<String>, format = Date)]
    pub procedures_on: Option<Date>,
    /// 施工进场
    #[schema(value_type = Option<String>, format = Date)]
    pub construction_on: Option<Date>,
    /// 竣工验收
    #[schema(value_type = Option<String>, format = Date)]
    pub acceptance_on: Option<Date>,
    pub note: Option<String>,
    /// Households whose 三承诺 are recorded.
    pub households_answered: i64,
    pub version: i64,
}

impl RenovationRecord {
    pub fn milestones(&self) -> Milestones {
        Milestones {
            procedures_on: self.procedures_on,
            construction_on: self.construction_on,
            acceptance_on: self.acceptance_on,
        }
    }
}

/// A milestone's date recorded or corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenovationDateChange {
    pub milestone: Milestone,
    /// The day before (none when first recorded).
    #[schema(value_type = Option<String>, format = Date)]
    pub old_on: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub new_on: Date,
    /// 更正原因.
    pub reason: Option<String>,
    pub actor: String,
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
}

/// A project to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRenovation {
    pub compound_id: i64,
    pub name: String,
    pub milestones: Milestones,
    pub note: Option<String>,
}

/// One household's 三承诺 as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HouseholdCommitment {
    pub id: i64,
    pub project_id: i64,
    /// 房号 as written (3-2-501).
    pub house: String,
    pub owner: Option<String>,
    #[serde(flatten)]
    pub commitments: Commitments,
    /// 2 and more: answered again.
    pub version: i64,
    #[schema(value_type = String)]
    pub updated_at: jiff::Timestamp,
}

/// One household's answer to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewHouseholdCommitment {
    /// 房号 as written.
    pub house: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub commitments: Commitments,
}

/// What recording answers did: households new and answered again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommitmentsWritten {
    pub added: u64,
    pub updated: u64,
}

/// An approved fee standard as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeStandardRecord {
    pub id: i64,
    pub compound_id: i64,
    /// 核定标准 per ㎡ per month, in fen, by building type.
    pub fees: Fees,
    /// 文号
    pub doc_no: String,
    #[schema(value_type = String, format = Date)]
    pub approved_on: Date,
    /// 核定部门
    pub department: String,
    pub note: Option<String>,
    pub actor: String,
    #[schema(value_type = String)]
    pub created_at: jiff::Timestamp,
}

/// A fee standard to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeeStandard {
    pub compound_id: i64,
    pub fees: Fees,
    pub doc_no: String,
    pub approved_on: Date,
    pub department: String,
    pub note: Option<String>,
}

const SELECT: &str = "SELECT p.id, p.compound_id, c.name, c.street_id, p.name, p.procedures_on, \
     p.construction_on, p.acceptance_on, p.note, \
     (SELECT COUNT(*) FROM renovation_households h WHERE h.project_id = p.id), p.version \
     FROM renovation_projects p JOIN compounds c ON c.id = p.compound_id";

const HOUSEHOLD_SELECT: &str = "SELECT id, project_id, house, owner, demolish, maintenance_fund, \
     repair_fees, version, updated_at FROM renovation_households";

const FEE_SELECT: &str = "SELECT id, compound_id, multi_fen, high_fen, doc_no, approved_on, \
     department, note, created_at FROM fee_standards";

fn from_row(row: &Row) -> Result<RenovationRecord> {
    let mut c = Cols::new(row);
    Ok(RenovationRecord {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        street_id: c.i64()?,
        name: c.string()?,
        procedures_on: opt_date(c.opt_string()?)?,
        construction_on: opt_date(c.opt_string()?)?,
        acceptance_on: opt_date(c.opt_string()?)?,
        note: c.opt_string()?,
        households_answered: c.i64()?,
        version: c.i64()?,
    })
}

fn household_from_row(row: &Row) -> Result<HouseholdCommitment> {
    let mut c = Cols::new(row);
    Ok(HouseholdCommitment {
        id: c.i64()?,
        project_id: c.i64()?,
        house: c.string()?,
        owner: c.opt_string()?,
        commitments: Commitments {
            demolish: c.flag()?,
            maintenance_fund: c.flag()?,
            repair_fees: c.flag()?,
        },
        version: c.i64()?,
        updated_at: c.timestamp()?,
    })
}

/// A fee standard's row; `actor` when the row does not carry it as its tenth column.
fn fee_from_row(row: &Row, actor: Option<String>) -> Result<FeeStandardRecord> {
    let mut c = Cols::new(row);
    let mut r = FeeStandardRecord {
        id: c.i64()?,
        compound_id: c.i64()?,
        fees: Fees {
            multi: c.opt_i64()?.map(Fen),
            high: c.opt_i64()?.map(Fen),
        },
        doc_no: c.string()?,
        approved_on: parse_date(&c.string()?)?,
        department: c.string()?,
        note: c.opt_string()?,
        actor: String::new(),
        created_at: c.timestamp()?,
    };
    r.actor = match actor {
        Some(a) => a,
        None => c.opt_string()?.unwrap_or_default(),
    };
    Ok(r)
}

fn stored_milestone(s: &str) -> Result<Milestone> {
    Milestone::from_code(s).ok_or_else(|| StoreError::Corrupt(format!("未知的改造节点 '{s}'")))
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<RenovationRecord> {
    let row = query(format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: RENOVATION,
            id,
        })?;
    from_row(&row)
}

async fn fetch_household(
    conn: &mut Conn,
    project: i64,
    house: &str,
) -> Result<Option<HouseholdCommitment>> {
    let row = query(format!(
        "{HOUSEHOLD_SELECT} WHERE project_id = $1 AND house = $2"
    ))
    .bind(project)
    .bind(house.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(household_from_row).transpose()
}

async fn insert_change(
    conn: &mut Conn,
    project: i64,
    (m, old, new): (Milestone, Option<Date>, Date),
    reason: Option<&str>,
    actor: &Actor,
    at: &str,
) -> Result<()> {
    query(
        "INSERT INTO renovation_date_changes (project_id, milestone, old_on, new_on, reason, \
         actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(project)
    .bind(m.code())
    .bind(old.map(date_text))
    .bind(date_text(new))
    .bind(reason.map(str::to_string))
    .bind(actor.name.clone())
    .bind(at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The steps in force of compound `compound` (not superseded by a correction) whose event is
/// one of `events`, on or before `until` when given: the latest day.
fn latest_step(compound: &str, events: &str, until: Option<&str>) -> String {
    let until = until
        .map(|u| format!(" AND s.happened_on <= {u}"))
        .unwrap_or_default();
    format!(
        "(SELECT MAX(s.happened_on) FROM compound_steps s WHERE s.compound_id = {compound} \
         AND s.event IN ({events}){until} \
         AND NOT EXISTS (SELECT 1 FROM step_corrections x WHERE x.step_id = s.id))"
    )
}

const EXITS: &str = "'dismissal', 'expiry', 'exit'";

/// The columns of [`PathDates`] for the compound `compound` and the construction start `until`
/// (SQL expressions: placeholders or columns of the outer query).
pub(crate) fn path_dates_sql(compound: &str, until: &str) -> String {
    [
        latest_step(compound, "'select_company', 'sign_contract'", Some(until)),
        latest_step(compound, "'sign_contract'", Some(until)),
        latest_step(compound, EXITS, Some(until)),
        latest_step(compound, "'start_trial'", None),
        latest_step(compound, "'enter'", None),
        latest_step(compound, EXITS, None),
    ]
    .join(", ")
}

pub(crate) fn path_dates_from(c: &mut Cols<'_>) -> Result<PathDates> {
    Ok(PathDates {
        selected_on: opt_date(c.opt_string()?)?,
        signed_on: opt_date(c.opt_string()?)?,
        exit_before_construction: opt_date(c.opt_string()?)?,
        trial_on: opt_date(c.opt_string()?)?,
        entry_on: opt_date(c.opt_string()?)?,
        last_exit: opt_date(c.opt_string()?)?,
    })
}

impl Store {
    /// Records a renovation project of a compound, with whatever milestones are known.
    pub async fn add_renovation(
        &self,
        actor: &Actor,
        new: NewRenovation,
    ) -> Result<RenovationRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let m = new.milestones;
        let row = query(
            "INSERT INTO renovation_projects (compound_id, name, procedures_on, construction_on, \
             acceptance_on, note, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.name.clone())
        .bind(m.procedures_on.map(date_text))
        .bind(m.construction_on.map(date_text))
        .bind(m.acceptance_on.map(date_text))
        .bind(new.note.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        for ms in Milestone::ALL {
            if let Some(d) = m.get(*ms) {
                insert_change(&mut tx, id, (*ms, None, d), None, actor, &at).await?;
            }
        }
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: RENOVATION,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a milestone's date, or corrects one recorded (`reason` then given by the caller):
    /// the project's version checked, the milestones kept in order, the change kept with its
    /// reason and audited.
    pub async fn set_renovation_date(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        milestone: Milestone,
        on: Date,
        reason: Option<String>,
    ) -> Result<RenovationRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: RENOVATION,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let old = before.milestones().get(milestone);
        if old == Some(on) {
            return Err(StoreError::Refused {
                zh: format!("{}日期已是 {on}", milestone.label(anju_core::Lang::Zh)),
                en: format!("{} is already {on}", milestone.label(anju_core::Lang::En)),
            });
        }
        let mut m = before.milestones();
        m.set(milestone, on);
        m.check_order()
            .map_err(|(zh, en)| StoreError::Refused { zh, en })?;
        let col = match milestone {
            Milestone::Procedures => "procedures_on",
            Milestone::Construction => "construction_on",
            Milestone::Acceptance => "acceptance_on",
        };
        let done = query(format!(
            "UPDATE renovation_projects SET {col} = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4"
        ))
        .bind(date_text(on))
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: RENOVATION,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        insert_change(
            &mut tx,
            id,
            (milestone, old, on),
            reason.as_deref(),
            actor,
            &at,
        )
        .await?;
        let after = fetch(&mut tx, id).await?;
        let mut image = serde_json::to_value(&after)
            .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?;
        if let serde_json::Value::Object(o) = &mut image {
            o.insert(
                "change".into(),
                serde_json::json!({
                    "milestone": milestone.code(),
                    "old_on": old.map(date_text),
                    "new_on": date_text(on),
                    "reason": reason,
                }),
            );
        }
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: RENOVATION,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image.to_string()),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_renovation(&self, id: i64) -> Result<RenovationRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// A compound's projects, the latest first.
    pub async fn renovations_of(&self, compound_id: i64) -> Result<Vec<RenovationRecord>> {
        let rows = query(format!(
            "{SELECT} WHERE p.compound_id = $1 ORDER BY p.id DESC"
        ))
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// A project's dates as recorded and corrected, in order.
    pub async fn renovation_changes(&self, id: i64) -> Result<Vec<RenovationDateChange>> {
        let rows = query(
            "SELECT milestone, old_on, new_on, reason, actor, created_at \
             FROM renovation_date_changes WHERE project_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(RenovationDateChange {
                    milestone: stored_milestone(&c.string()?)?,
                    old_on: opt_date(c.opt_string()?)?,
                    new_on: parse_date(&c.string()?)?,
                    reason: c.opt_string()?,
                    actor: c.string()?,
                    at: c.timestamp()?,
                })
            })
            .collect()
    }

    /// The path's dates a project is read against (`anju_core::renovation::gaps`): the steps
    /// in force of the compound, the first three on or before `construction_on` (today when
    /// the works have not started).
    pub async fn renovation_path_dates(
        &self,
        compound_id: i64,
        construction_on: Date,
    ) -> Result<PathDates> {
        let row = query(format!("SELECT {}", path_dates_sql("$1", "$2")))
            .bind(compound_id)
            .bind(date_text(construction_on))
            .fetch_one(&self.pool)
            .await?;
        path_dates_from(&mut Cols::new(&row))
    }

    /// Records households' 三承诺 of a project, all or nothing: a household (房号 as written)
    /// answered before is updated (its version raised), a new one added; one audit row each.
    pub async fn answer_commitments(
        &self,
        actor: &Actor,
        project: i64,
        answers: &[NewHouseholdCommitment],
    ) -> Result<CommitmentsWritten> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch(&mut tx, project).await?;
        let mut done = CommitmentsWritten::default();
        let mut audits = Vec::with_capacity(answers.len());
        for a in answers {
            let c = a.commitments;
            let before = fetch_household(&mut tx, project, &a.house).await?;
            let id = match &before {
                Some(b) => {
                    query(
                        "UPDATE renovation_households SET owner = $1, demolish = $2, \
                         maintenance_fund = $3, repair_fees = $4, version = version + 1, \
                         updated_at = $5 WHERE id = $6",
                    )
                    .bind(a.owner.clone())
                    .bind(i64::from(c.demolish))
                    .bind(i64::from(c.maintenance_fund))
                    .bind(i64::from(c.repair_fees))
                    .bind(at.clone())
                    .bind(b.id)
                    .execute(&mut *tx)
                    .await?;
                    done.updated += 1;
                    b.id
                }
                None => {
                    let row = query(
                        "INSERT INTO renovation_households (project_id, house, owner, demolish, \
                         maintenance_fund, repair_fees, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
                    )
                    .bind(project)
                    .bind(a.house.clone())
                    .bind(a.owner.clone())
                    .bind(i64::from(c.demolish))
                    .bind(i64::from(c.maintenance_fund))
                    .bind(i64::from(c.repair_fees))
                    .bind(at.clone())
                    .fetch_one(&mut *tx)
                    .await?;
                    done.added += 1;
                    Cols::new(&row).i64()?
                }
            };
            let after =
                fetch_household(&mut tx, project, &a.house)
                    .await?
                    .ok_or(StoreError::NotFound {
                        entity: HOUSEHOLD,
                        id,
                    })?;
            audits.push(NewAudit {
                action: if before.is_some() { "update" } else { "insert" },
                entity: HOUSEHOLD,
                entity_id: Some(id),
                before: before.as_ref().map(to_json).transpose()?,
                after: Some(to_json(&after)?),
            });
        }
        // The project's own row moves too: its page's figures changed.
        query("UPDATE renovation_projects SET updated_at = $1 WHERE id = $2")
            .bind(at.clone())
            .bind(project)
            .execute(&mut *tx)
            .await?;
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// A project's households, by 房号.
    pub async fn commitments_of(&self, project: i64) -> Result<Vec<HouseholdCommitment>> {
        let rows = query(format!(
            "{HOUSEHOLD_SELECT} WHERE project_id = $1 ORDER BY house, id"
        ))
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(household_from_row).collect()
    }

    /// Records an approved fee standard (never changed afterwards).
    pub async fn add_fee_standard(
        &self,
        actor: &Actor,
        new: NewFeeStandard,
    ) -> Result<FeeStandardRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let row = query(
            "INSERT INTO fee_standards (compound_id, multi_fen, high_fen, doc_no, approved_on, \
             department, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.fees.multi.map(|f| f.0))
        .bind(new.fees.high.map(|f| f.0))
        .bind(new.doc_no.clone())
        .bind(date_text(new.approved_on))
        .bind(new.department.clone())
        .bind(new.note.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let row = query(format!("{FEE_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = fee_from_row(&row, Some(actor.name.clone()))?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: FEE_STANDARD,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A compound's approved fee standards, the latest in force first (approval day, then
    /// entry order), with who entered each (from the audit log).
    pub async fn fee_standards_of(&self, compound_id: i64) -> Result<Vec<FeeStandardRecord>> {
        let rows = query(format!(
            "SELECT f.id, f.compound_id, f.multi_fen, f.high_fen, f.doc_no, f.approved_on, \
             f.department, f.note, f.created_at, \
             (SELECT a.actor FROM audit_log a WHERE a.entity = '{FEE_STANDARD}' \
             AND a.entity_id = f.id ORDER BY a.id LIMIT 1) \
             FROM fee_standards f WHERE f.compound_id = $1 ORDER BY f.approved_on DESC, f.id DESC"
        ))
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| fee_from_row(r, None)).collect()
    }
}
