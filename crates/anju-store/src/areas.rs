//! 物业管理区域: accepting a management-area plan into the ledger (seed 004 三(五), seed 001).
//!
//! Acceptance is one transaction: every member's `compounds.management_area` (through the same
//! version check and audit as any compound change) and the street's `management_areas` rows.
//! Any stale version or foreign compound refuses the whole plan. Accepting the same plan again
//! changes nothing and writes no audit row.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::selections::street_id;
use crate::sql::{Cols, Conn, now_ts, query};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};

pub(crate) const AREA: &str = "management_area";

/// One area of a plan to accept: its name, figures and members with the versions read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaAssignment {
    pub name: String,
    pub households: u32,
    pub explanation: Option<String>,
    /// (compound id, the version the planner read).
    pub members: Vec<(i64, i64)>,
}

/// What accepting a plan changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AcceptSummary {
    pub areas_created: usize,
    pub areas_updated: usize,
    pub areas_archived: usize,
    pub compounds_changed: usize,
}

impl AcceptSummary {
    pub fn changed(&self) -> bool {
        *self != AcceptSummary::default()
    }
}

/// A stored 物业管理区域.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementArea {
    pub id: i64,
    pub street_id: i64,
    pub name: String,
    pub households: i64,
    pub compounds: i64,
    pub target_households: i64,
    pub explanation: Option<String>,
    pub version: i64,
    pub archived: bool,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

const AREA_COLS: &str = "id, street_id, name, households, compounds, target_households, \
                         explanation, version, archived, created_at, updated_at";

fn area_from_row(c: &mut Cols<'_>) -> Result<ManagementArea> {
    Ok(ManagementArea {
        id: c.i64()?,
        street_id: c.i64()?,
        name: c.string()?,
        households: c.i64()?,
        compounds: c.i64()?,
        target_households: c.i64()?,
        explanation: c.opt_string()?,
        version: c.i64()?,
        archived: c.flag()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

async fn areas_of_street(conn: &mut Conn, street_id: i64) -> Result<Vec<ManagementArea>> {
    let rows = query(format!(
        "SELECT {AREA_COLS} FROM management_areas WHERE street_id = $1 ORDER BY id"
    ))
    .bind(street_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| area_from_row(&mut Cols::new(r)))
        .collect()
}

impl Store {
    /// Writes an accepted plan: each member's management area and the street's area rows, in
    /// one transaction, audited; areas of the street left out of the plan are archived.
    pub async fn accept_area_plan(
        &self,
        actor: &Actor,
        street: &str,
        target_households: u32,
        areas: &[AreaAssignment],
    ) -> Result<AcceptSummary> {
        if target_households == 0 {
            return Err(StoreError::Invalid("目标户数必须大于 0".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let sid = street_id(&mut tx, street).await?;
        let mut audits = Vec::new();
        let mut summary = AcceptSummary::default();
        let mut seen = std::collections::HashSet::new();
        for area in areas {
            let name = area.name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid("物业管理区域名称不能为空".into()));
            }
            for &(id, expected) in &area.members {
                if !seen.insert(id) {
                    return Err(StoreError::Invalid(format!(
                        "小区（编号 {id}）在方案中出现了不止一次"
                    )));
                }
                let before = fetch_compound(&mut tx, id).await?;
                if before.version != expected {
                    return Err(StoreError::Conflict {
                        entity: audit::COMPOUND,
                        id,
                        expected,
                        actual: before.version,
                    });
                }
                if before.street_id != sid {
                    return Err(StoreError::Invalid(format!(
                        "小区“{}”不属于街道“{street}”",
                        before.compound.name
                    )));
                }
                if before.archived {
                    return Err(StoreError::Invalid(format!(
                        "小区“{}”已归档，不能划入物业管理区域",
                        before.compound.name
                    )));
                }
                if before.compound.management_area.as_deref() == Some(name) {
                    continue;
                }
                let done = query(
                    "UPDATE compounds SET management_area = $1, version = version + 1, \
                     updated_at = $2 WHERE id = $3 AND version = $4",
                )
                .bind(name.to_string())
                .bind(at.clone())
                .bind(id)
                .bind(expected)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict {
                        entity: audit::COMPOUND,
                        id,
                        expected,
                        actual: expected + 1,
                    });
                }
                let after = fetch_compound(&mut tx, id).await?;
                audits.push(NewAudit {
                    action: "update",
                    entity: audit::COMPOUND,
                    entity_id: Some(id),
                    before: Some(to_json(&before)?),
                    after: Some(to_json(&after)?),
                });
                summary.compounds_changed += 1;
            }
        }

        let existing = areas_of_street(&mut tx, sid).await?;
        for area in areas {
            let name = area.name.trim();
            let count = i64::try_from(area.members.len())
                .map_err(|_| StoreError::Invalid("小区数过大".into()))?;
            let households = i64::from(area.households);
            let target = i64::from(target_households);
            match existing.iter().find(|a| a.name == name) {
                Some(old)
                    if !old.archived
                        && old.households == households
                        && old.compounds == count
                        && old.target_households == target
                        && old.explanation == area.explanation => {}
                Some(old) => {
                    let row = query(format!(
                        "UPDATE management_areas SET households = $1, compounds = $2, \
                         target_households = $3, explanation = $4, archived = 0, \
                         version = version + 1, updated_at = $5 WHERE id = $6 RETURNING {AREA_COLS}"
                    ))
                    .bind(households)
                    .bind(count)
                    .bind(target)
                    .bind(area.explanation.clone())
                    .bind(at.clone())
                    .bind(old.id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let after = area_from_row(&mut Cols::new(&row))?;
                    audits.push(NewAudit {
                        action: "update",
                        entity: AREA,
                        entity_id: Some(old.id),
                        before: Some(to_json(old)?),
                        after: Some(to_json(&after)?),
                    });
                    summary.areas_updated += 1;
                }
                None => {
                    let row = query(format!(
                        "INSERT INTO management_areas (street_id, name, households, compounds, \
                         target_households, explanation, version, archived, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7, $7) RETURNING {AREA_COLS}"
                    ))
                    .bind(sid)
                    .bind(name.to_string())
                    .bind(households)
                    .bind(count)
                    .bind(target)
                    .bind(area.explanation.clone())
                    .bind(at.clone())
                    .fetch_one(&mut *tx)
                    .await?;
                    let after = area_from_row(&mut Cols::new(&row))?;
                    audits.push(NewAudit {
                        action: "insert",
                        entity: AREA,
                        entity_id: Some(after.id),
                        before: None,
                        after: Some(to_json(&after)?),
                    });
                    summary.areas_created += 1;
                }
            }
        }
        for old in existing
            .iter()
            .filter(|o| !o.archived && !areas.iter().any(|a| a.name.trim() == o.name))
        {
            let row = query(format!(
                "UPDATE management_areas SET archived = 1, version = version + 1, updated_at = $1 \
                 WHERE id = $2 RETURNING {AREA_COLS}"
            ))
            .bind(at.clone())
            .bind(old.id)
            .fetch_one(&mut *tx)
            .await?;
            let after = area_from_row(&mut Cols::new(&row))?;
            audits.push(NewAudit {
                action: "archive",
                entity: AREA,
                entity_id: Some(old.id),
                before: Some(to_json(old)?),
                after: Some(to_json(&after)?),
            });
            summary.areas_archived += 1;
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The management areas of a street (archived ones included), in the order created.
    pub async fn management_areas(&self, street: &str) -> Result<Vec<ManagementArea>> {
        let mut conn = self.pool.acquire().await?;
        let sid = street_id(&mut conn, street).await?;
        areas_of_street(&mut conn, sid).await
    }
}
