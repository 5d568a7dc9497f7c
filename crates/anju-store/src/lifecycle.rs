//! 全覆盖路径 in the database: each compound's current stage (versioned), the append-only log of
//! steps with their evidence, and the ledger kept in step (owners' body, management mode with
//! its date) — all in the transaction that records the step, with its audit rows.
//!
//! The rules are `anju_core::lifecycle::transition`; this module only loads, checks versions,
//! applies and records.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::{change_modes, fetch_compound};
use crate::corrections::{CORRECTION_COLS, StepCorrection, correction_from_cols};
use crate::sql::{Cols, Conn, Row, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError, StoredCompound};
use anju_core::lifecycle::{Event, LifecycleState, Stage, needs_company, transition};
use anju_core::{ManagementMode, OwnersBody};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const LIFECYCLE: &str = "lifecycle";

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepRecord {
    pub id: i64,
    pub compound_id: i64,
    pub stage_from: Stage,
    pub stage_to: Stage,
    pub event: Event,
    pub happened_on: Date,
    pub actor: String,
    pub role: String,
    pub note: Option<String>,
    /// SHA-256 of each evidence file.
    pub evidence: Vec<String>,
    pub created_at: jiff::Timestamp,
    /// This record re-dates that step (更正); `None` for a step as first recorded.
    pub corrects: Option<i64>,
    /// The correction that superseded this step (re-dated or voided); `None` while in force.
    pub correction: Option<StepCorrection>,
}

impl StepRecord {
    /// The step still counts: no correction has superseded it.
    pub fn in_force(&self) -> bool {
        self.correction.is_none()
    }
}

/// A compound's position on the path and how it got there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lifecycle {
    pub compound_id: i64,
    /// 0 while nothing has been recorded (the state is then derived from the ledger).
    pub version: i64,
    pub state: LifecycleState,
    /// Every record, oldest first, superseded ones included (see [`StepRecord::in_force`]).
    pub steps: Vec<StepRecord>,
}

impl Lifecycle {
    /// The steps in force, in the order of the path (a re-dated step keeps the place of the
    /// step it replaces).
    pub fn steps_in_force(&self) -> Vec<&StepRecord> {
        crate::corrections::in_path_order(&self.steps)
    }
}

/// A step to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRequest {
    pub event: Event,
    pub on: Date,
    pub note: Option<String>,
    /// SHA-256 of evidence already stored with [`Store::put_evidence`].
    pub evidence: Vec<String>,
}

impl StepRequest {
    pub fn new(event: Event, on: Date) -> StepRequest {
        StepRequest {
            event,
            on,
            note: None,
            evidence: Vec::new(),
        }
    }
}

/// One line of the overview: where a compound stands and since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub compound_id: i64,
    pub name: String,
    pub street: String,
    pub community: Option<String>,
    pub mode: ManagementMode,
    pub stage: Stage,
    /// Date of the last step (`None`: nothing recorded since the census).
    pub since: Option<Date>,
}

#[derive(Serialize)]
struct Snapshot<'a> {
    version: i64,
    state: &'a LifecycleState,
}

/// The stored state of a compound, or its initial state from the ledger (version 0).
pub(crate) async fn load_state(
    conn: &mut Conn,
    compound: &StoredCompound,
) -> Result<(LifecycleState, i64)> {
    let row = query(
        "SELECT stage, mode, owners_settled, company_id, contract_id, filed, last_date, version \
         FROM compound_lifecycle WHERE compound_id = $1",
    )
    .bind(compound.id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok((
            LifecycleState::initial(compound.compound.mode, compound.compound.owners_body),
            0,
        ));
    };
    let mut c = Cols::new(&row);
    let stage_code = c.string()?;
    let stage = Stage::from_code(&stage_code)
        .ok_or_else(|| StoreError::Corrupt(format!("阶段 '{stage_code}'")))?;
    let mode = c
        .opt_string()?
        .map(|m| crate::sql::stored_mode(&m))
        .transpose()?;
    let owners_settled = c.flag()?;
    let company_id = c.opt_i64()?;
    let contract_id = c.opt_i64()?;
    let filed = c.flag()?;
    let last_date = c.opt_string()?.map(|s| parse_date(&s)).transpose()?;
    let version = c.i64()?;
    Ok((
        LifecycleState {
            stage,
            mode,
            owners_body: compound.compound.owners_body,
            owners_settled,
            company_id,
            contract_id,
            filed,
            last_date,
        },
        version,
    ))
}

/// How a step reaches [`apply_step`]: the contract events come only through the contract
/// functions, which record the contract in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Advance,
    Contract,
}

/// Applies one step on the caller's transaction: checks the version, the rules and the
/// evidence, writes the state, the step, its evidence links, the ledger changes and the audit.
/// Returns the new state, its version and the step's id.
pub(crate) async fn apply_step(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    compound_id: i64,
    expected_version: Option<i64>,
    req: &StepRequest,
    via: Via,
) -> Result<(LifecycleState, i64, i64)> {
    let compound = fetch_compound(conn, compound_id).await?;
    if compound.archived {
        return Err(StoreError::refused(
            format!("小区“{}”已归档，不能推进", compound.compound.name),
            format!(
                "compound '{}' is archived and cannot advance",
                compound.compound.name
            ),
        ));
    }
    let (state, version) = load_state(conn, &compound).await?;
    if let Some(expected) = expected_version
        && expected != version
    {
        return Err(StoreError::Conflict {
            entity: LIFECYCLE,
            id: compound_id,
            expected,
            actual: version,
        });
    }
    if via == Via::Advance {
        match &req.event {
            Event::SignContract { .. } => {
                return Err(StoreError::refused(
                    "签订合同须登记合同条款：请在小区页面用“签订物业服务合同”办理",
                    "signing needs the contract's terms: use “sign the service contract” on the compound's page",
                ));
            }
            Event::File => {
                return Err(StoreError::refused(
                    "合同备案请在小区页面“物业服务合同”一栏办理",
                    "file the contract under “service contract” on the compound's page",
                ));
            }
            Event::End { .. } if state.contract_id.is_some() => {
                return Err(StoreError::refused(
                    format!(
                        "小区“{}”有物业服务合同（编号 {}），请在小区页面“物业服务合同”一栏终止合同",
                        compound.compound.name,
                        state.contract_id.unwrap_or_default()
                    ),
                    format!(
                        "compound '{}' has a service contract (no. {}): end it under “service contract” on the compound's page",
                        compound.compound.name,
                        state.contract_id.unwrap_or_default()
                    ),
                ));
            }
            _ => {}
        }
    }
    let next = transition(&state, &req.event, req.on).map_err(|e| {
        StoreError::refused(
            format!("小区“{}”：{}", compound.compound.name, e.zh()),
            format!("compound '{}': {}", compound.compound.name, e.en()),
        )
    })?;
    let opt_int = |v: Option<i64>| v;
    let done = if version == 0 {
        query(
            "INSERT INTO compound_lifecycle (compound_id, stage, mode, owners_settled, company_id, \
             contract_id, filed, last_date, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)",
        )
        .bind(compound_id)
        .bind(next.stage.code())
        .bind(next.mode.map(|m| m.code().to_string()))
        .bind(i64::from(next.owners_settled))
        .bind(opt_int(next.company_id))
        .bind(opt_int(next.contract_id))
        .bind(i64::from(next.filed))
        .bind(next.last_date.map(date_text))
        .bind(at.to_string())
        .execute(&mut *conn)
        .await?
    } else {
        query(
            "UPDATE compound_lifecycle SET stage = $1, mode = $2, owners_settled = $3, \
             company_id = $4, contract_id = $5, filed = $6, last_date = $7, \
             version = version + 1, updated_at = $8 WHERE compound_id = $9 AND version = $10",
        )
        .bind(next.stage.code())
        .bind(next.mode.map(|m| m.code().to_string()))
        .bind(i64::from(next.owners_settled))
        .bind(opt_int(next.company_id))
        .bind(opt_int(next.contract_id))
        .bind(i64::from(next.filed))
        .bind(next.last_date.map(date_text))
        .bind(at.to_string())
        .bind(compound_id)
        .bind(version)
        .execute(&mut *conn)
        .await?
    };
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict {
            entity: LIFECYCLE,
            id: compound_id,
            expected: version,
            actual: version + 1,
        });
    }
    let detail = to_json(&req.event)?;
    let row = query(
        "INSERT INTO compound_steps (compound_id, stage_from, stage_to, event, detail, happened_on, \
         actor, role, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(compound_id)
    .bind(state.stage.code())
    .bind(next.stage.code())
    .bind(req.event.code())
    .bind(detail)
    .bind(date_text(req.on))
    .bind(actor.name.clone())
    .bind(actor.role.clone())
    .bind(req.note.clone().filter(|n| !n.trim().is_empty()))
    .bind(at.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let step_id = Cols::new(&row).i64()?;
    let mut hashes = req.evidence.clone();
    hashes.sort();
    hashes.dedup();
    for sha in &hashes {
        let known = query("SELECT 1 FROM evidence WHERE sha256 = $1")
            .bind(sha.clone())
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
        if !known {
            return Err(StoreError::refused(
                format!("证明材料 {sha} 尚未上传，请先上传再推进"),
                format!("evidence {sha} has not been uploaded: upload it first"),
            ));
        }
        query("INSERT INTO step_evidence (step_id, sha256) VALUES ($1, $2)")
            .bind(step_id)
            .bind(sha.clone())
            .execute(&mut *conn)
            .await?;
    }

    // Formal entry (正式进场) dates the contract's entry when signing left it open: the service
    // period (and the subsidies that count from entry, seed 002 七(二)) start on this day.
    if next.stage == Stage::Entered
        && state.stage != Stage::Entered
        && let Some(contract_id) = next.contract_id
    {
        let set = query(
            "UPDATE contracts SET entry_on = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND entry_on IS NULL",
        )
        .bind(date_text(req.on))
        .bind(at.to_string())
        .bind(contract_id)
        .execute(&mut *conn)
        .await?;
        if set.rows_affected() == 1 {
            audit::append(
                conn,
                actor,
                at,
                vec![NewAudit {
                    action: "update",
                    entity: crate::contracts::CONTRACT,
                    entity_id: Some(contract_id),
                    before: Some(serde_json::json!({ "entry_on": null }).to_string()),
                    after: Some(serde_json::json!({ "entry_on": date_text(req.on) }).to_string()),
                }],
            )
            .await?;
        }
    }

    // The ledger follows the path: the owners' body, and the mode once service starts or stops.
    let before = compound.compound.clone();
    let mut body = before.owners_body;
    if let Event::SettleOwners { body: b } = req.event
        && b.exists()
    {
        body = b;
    }
    let mut mode = before.mode;
    let mut company_id = compound.company_id;
    if next.stage == Stage::InService && state.stage != Stage::InService {
        mode = next.mode.unwrap_or(mode);
        company_id = if needs_company(mode) {
            next.company_id.or(company_id)
        } else {
            None
        };
    }
    if matches!(req.event, Event::End { .. }) && state.stage == Stage::InService {
        mode = ManagementMode::None;
        company_id = None;
    }
    if body != before.owners_body || mode != before.mode || company_id != compound.company_id {
        query(
            "UPDATE compounds SET owners_body = $1, mode = $2, company_id = $3, \
             version = version + 1, updated_at = $4 WHERE id = $5",
        )
        .bind(body.code())
        .bind(mode.code())
        .bind(company_id)
        .bind(at.to_string())
        .bind(compound_id)
        .execute(&mut *conn)
        .await?;
        if mode != before.mode {
            change_modes(conn, actor, at, req.on, &[(compound_id, mode)]).await?;
        }
        let after = fetch_compound(conn, compound_id).await?;
        audit::append(
            conn,
            actor,
            at,
            vec![NewAudit {
                action: "update",
                entity: audit::COMPOUND,
                entity_id: Some(compound_id),
                before: Some(to_json(&compound)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
    }
    let mut next = next;
    next.owners_body = body;
    #[derive(Serialize)]
    struct After<'a> {
        version: i64,
        state: &'a LifecycleState,
        step_id: i64,
        step: &'a StepRequest,
    }
    audit::append(
        conn,
        actor,
        at,
        vec![NewAudit {
            action: "step",
            entity: LIFECYCLE,
            entity_id: Some(compound_id),
            before: Some(to_json(&Snapshot {
                version,
                state: &state,
            })?),
            after: Some(to_json(&After {
                version: version + 1,
                state: &next,
                step_id,
                step: req,
            })?),
        }],
    )
    .await?;
    Ok((next, version + 1, step_id))
}

fn step_from_row(row: &Row) -> Result<StepRecord> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let compound_id = c.i64()?;
    let stage =
        |s: String| Stage::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("阶段 '{s}'")));
    let stage_from = stage(c.string()?)?;
    let stage_to = stage(c.string()?)?;
    let detail = c.string()?;
    let event: Event = serde_json::from_str(&detail)
        .map_err(|e| StoreError::Corrupt(format!("步骤内容无法读取：{e}")))?;
    let happened_on = parse_date(&c.string()?)?;
    let actor = c.string()?;
    let role = c.string()?;
    let note = c.opt_string()?;
    let created_at = c.timestamp()?;
    let evidence = c
        .opt_string()?
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let corrects = c.opt_i64()?;
    let correction = correction_from_cols(&mut c)?;
    Ok(StepRecord {
        id,
        compound_id,
        stage_from,
        stage_to,
        event,
        happened_on,
        actor,
        role,
        note,
        evidence,
        created_at,
        corrects,
        correction,
    })
}

pub(crate) async fn load_steps(conn: &mut Conn, compound_id: i64) -> Result<Vec<StepRecord>> {
    let agg = if conn.is_sqlite() {
        "(SELECT group_concat(sha256, ',') FROM step_evidence e WHERE e.step_id = s.id)"
    } else {
        "(SELECT string_agg(sha256, ',' ORDER BY sha256) FROM step_evidence e WHERE e.step_id = s.id)"
    };
    let rows = query(format!(
        "SELECT s.id, s.compound_id, s.stage_from, s.stage_to, s.detail, s.happened_on, s.actor, \
         s.role, s.note, s.created_at, {agg}, s.corrects, {CORRECTION_COLS} \
         FROM compound_steps s LEFT JOIN step_corrections x ON x.step_id = s.id \
         WHERE s.compound_id = $1 ORDER BY s.id"
    ))
    .bind(compound_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(step_from_row).collect()
}

impl Store {
    /// A compound's stage, version and timeline.
    pub async fn lifecycle(&self, compound_id: i64) -> Result<Lifecycle> {
        let mut conn = self.pool.acquire().await?;
        let compound = fetch_compound(&mut conn, compound_id).await?;
        let (state, version) = load_state(&mut conn, &compound).await?;
        let steps = load_steps(&mut conn, compound_id).await?;
        Ok(Lifecycle {
            compound_id,
            version,
            state,
            steps,
        })
    }

    /// Records one step if the compound's lifecycle is still at `expected_version` (0 when
    /// nothing was recorded yet). A refused step writes nothing; evidence stored beforehand
    /// stays stored. Contract signing, filing and ending a contract go through
    /// [`Store::sign_contract`], [`Store::file_contract`] and [`Store::terminate_contract`].
    pub async fn advance(
        &self,
        actor: &Actor,
        compound_id: i64,
        expected_version: i64,
        req: &StepRequest,
    ) -> Result<Lifecycle> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        apply_step(
            &mut tx,
            actor,
            &at,
            compound_id,
            Some(expected_version),
            req,
            Via::Advance,
        )
        .await?;
        tx.commit().await?;
        self.lifecycle(compound_id).await
    }

    /// Where every current compound (of one street, or all) stands, ordered by region and name.
    pub async fn stage_overview(&self, street: Option<&str>) -> Result<Vec<StageRow>> {
        let compounds = self.all_compounds_for_stats(street).await?;
        let rows = query("SELECT compound_id, stage, last_date FROM compound_lifecycle")
            .fetch_all(&self.pool)
            .await?;
        let mut known = std::collections::HashMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let code = c.string()?;
            let stage = Stage::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("阶段 '{code}'")))?;
            let since = c.opt_string()?.map(|s| parse_date(&s)).transpose()?;
            known.insert(id, (stage, since));
        }
        Ok(compounds
            .into_iter()
            .map(|s| {
                let (stage, since) = known.get(&s.id).copied().unwrap_or_else(|| {
                    (
                        LifecycleState::initial(s.compound.mode, s.compound.owners_body).stage,
                        None,
                    )
                });
                StageRow {
                    compound_id: s.id,
                    name: s.compound.name,
                    street: s.compound.street,
                    community: s.compound.community,
                    mode: s.compound.mode,
                    stage,
                    since,
                }
            })
            .collect())
    }

    /// The stage of every compound that has taken a step on the path, by id (one query);
    /// a compound without a row is at `LifecycleState::initial` of its mode and owners' body.
    pub async fn recorded_stages(&self) -> Result<std::collections::HashMap<i64, Stage>> {
        let rows = query("SELECT compound_id, stage FROM compound_lifecycle")
            .fetch_all(&self.pool)
            .await?;
        stages_by_id(&rows)
    }

    /// [`Store::recorded_stages`] of these compounds only (one query: a page's worth).
    pub async fn recorded_stages_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Stage>> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT compound_id, stage FROM compound_lifecycle WHERE compound_id IN ({})",
            marks.join(", ")
        );
        let rows = crate::sql::bind_all(
            crate::sql::query(sql),
            ids.iter().map(|id| crate::sql::Val::int(*id)),
        )
        .fetch_all(&self.pool)
        .await?;
        stages_by_id(&rows)
    }

    /// The day each compound's owners' body was formed on the path (the earliest
    /// `settle_owners` step in force naming a body: a corrected date counts, a superseded or
    /// voided step does not), by compound id.
    pub async fn owners_body_dates(&self) -> Result<std::collections::HashMap<i64, Date>> {
        let rows = query(
            "SELECT compound_id, detail, happened_on FROM compound_steps s \
             WHERE event = 'settle_owners' \
             AND NOT EXISTS (SELECT 1 FROM step_corrections x WHERE x.step_id = s.id) \
             ORDER BY happened_on, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = std::collections::HashMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let detail = c.string()?;
            let on = parse_date(&c.string()?)?;
            if let Ok(Event::SettleOwners { body }) = serde_json::from_str::<Event>(&detail)
                && body != OwnersBody::None
            {
                out.entry(id).or_insert(on);
            }
        }
        Ok(out)
    }
}

/// (compound id, stage code) rows by id.
fn stages_by_id(rows: &[Row]) -> Result<std::collections::HashMap<i64, Stage>> {
    let mut out = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        let mut c = Cols::new(row);
        let id = c.i64()?;
        let code = c.string()?;
        let stage =
            Stage::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("阶段 '{code}'")))?;
        out.insert(id, stage);
    }
    Ok(out)
}
