//! 更正: a wrongly dated or wrong step of the path is corrected by an audited correction, never
//! deleted (migration `0012_step_corrections.sql`).
//!
//! A correction either **re-dates** a step (a new `compound_steps` row with the same event and
//! detail, its note and evidence, `corrects` naming the step it replaces) or **voids** it (撤销:
//! it did not happen; no new step). One `step_corrections` row marks the old step superseded,
//! with the reason, who and when; the old row stays as it was, so both are visible. A re-dated
//! step keeps its place in the path (it is replayed where the step it replaces was): a date that
//! would put it before the previous step or after the next one is refused, naming that step.
//!
//! In one transaction, [`Store::correct_step`] checks the path's version (optimistic locking, as
//! `advance`), replays the steps still in force in path order from the state the compound had
//! before its first step (the `before` of that step's audit row) with the core rules
//! (`anju_core::lifecycle::replay`), writes the recomputed `compound_lifecycle` (stage, last
//! date, mode, owners' side, company, contract, filed), the correction, the dates that follow
//! from the step, and an audit row with before and after and the reason. A refused replay
//! changes nothing.
//!
//! What else carries a step's date, and what a correction does to it (decided here):
//! - **Contract dates** (`contracts.signed_on`, `filed_on`, `entry_on`, `ended_on`): re-dating a
//!   signing, filing, entry or the termination of a contract also corrects the contract's date in
//!   the same transaction (audited, the contract's version bumped), so the filing deadline, the
//!   alerts (逾期未备案, 合同即将到期), the term and the subsidies that count from entry follow.
//!   The entry date follows only when it was the entry step's date (a date written at signing
//!   stays). Voiding a filing clears `filed_on`; voiding an entry clears `entry_on` when it was
//!   the step's. A contract serving several compounds records its steps on each of them, so its
//!   dates are refused here (correcting one compound would leave the others disagreeing).
//! - **The ledger's mode history** (`compound_modes`, read by coverage over time, targets and
//!   subsidies): re-dating the start of service, or an exit from service, moves the mode period
//!   it opened (and the end of the one before) to the new date.
//! - **Steps that changed the ledger cannot be voided** (the start of service or an exit from it,
//!   which set the management mode; settling a named owners' body, which set the ledger's body;
//!   signing a contract or terminating one, whose contract record remains): they can be re-dated;
//!   what the ledger says is corrected in the ledger itself.
//! - **Derived from step rows**: the owners'-body dates of targets read the steps in force.
//! - The later steps' recorded `stage_from`/`stage_to` stay as recorded (they say what was
//!   recorded at the time); the current position is the recomputed `compound_lifecycle`.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::contracts::{CONTRACT, fetch_contract};
use crate::lifecycle::{LIFECYCLE, Lifecycle, StepRecord, load_state, load_steps};
use crate::sql::{Cols, Conn, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::lifecycle::{Event, LifecycleState, Stage, replay};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The audit entity of a step (its number in refusals).
pub(crate) const STEP: &str = "step";

/// How a step was corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionKind {
    /// 更正日期: it happened, on another day.
    Redate,
    /// 撤销: it did not happen.
    Void,
}

impl CorrectionKind {
    pub fn code(self) -> &'static str {
        match self {
            CorrectionKind::Redate => "redate",
            CorrectionKind::Void => "void",
        }
    }
    pub fn from_code(s: &str) -> Option<CorrectionKind> {
        match s {
            "redate" => Some(CorrectionKind::Redate),
            "void" => Some(CorrectionKind::Void),
            _ => None,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            CorrectionKind::Redate => "更正日期",
            CorrectionKind::Void => "撤销",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            CorrectionKind::Redate => "re-dated",
            CorrectionKind::Void => "voided",
        }
    }
}

/// The correction that superseded a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StepCorrection {
    pub id: i64,
    pub kind: CorrectionKind,
    /// The step that replaces it (re-dating).
    pub replaced_by: Option<i64>,
    pub old_on: Date,
    pub new_on: Option<Date>,
    pub reason: String,
    pub actor: String,
    pub role: String,
    pub created_at: jiff::Timestamp,
}

/// A correction to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    /// The day the step really happened; `None`: it did not happen (撤销).
    pub on: Option<Date>,
    pub reason: String,
}

/// The columns of `step_corrections x` that [`correction_from_cols`] reads.
pub(crate) const CORRECTION_COLS: &str =
    "x.id, x.kind, x.replaced_by, x.old_on, x.new_on, x.reason, x.actor, x.role, x.created_at";

/// The correction of a LEFT JOIN (`None` when the step is in force).
pub(crate) fn correction_from_cols(c: &mut Cols<'_>) -> Result<Option<StepCorrection>> {
    let id = c.opt_i64()?;
    let kind = c.opt_string()?;
    let replaced_by = c.opt_i64()?;
    let old_on = c.opt_string()?;
    let new_on = c.opt_string()?;
    let reason = c.opt_string()?;
    let actor = c.opt_string()?;
    let role = c.opt_string()?;
    let created_at = c.opt_timestamp()?;
    let Some(id) = id else {
        return Ok(None);
    };
    let corrupt = |what: &str| StoreError::Corrupt(format!("更正记录 {id}：{what}"));
    let kind = kind
        .as_deref()
        .and_then(CorrectionKind::from_code)
        .ok_or_else(|| corrupt("类型"))?;
    Ok(Some(StepCorrection {
        id,
        kind,
        replaced_by,
        old_on: parse_date(&old_on.ok_or_else(|| corrupt("原日期"))?)?,
        new_on: new_on.map(|s| parse_date(&s)).transpose()?,
        reason: reason.unwrap_or_default(),
        actor: actor.unwrap_or_default(),
        role: role.unwrap_or_default(),
        created_at: created_at.ok_or_else(|| corrupt("更正时间"))?,
    }))
}

/// The steps in force in path order: a re-dating record takes the place of the step it
/// replaces (the original's id), whatever its own id.
pub(crate) fn in_path_order(steps: &[StepRecord]) -> Vec<&StepRecord> {
    let corrects: HashMap<i64, i64> = steps
        .iter()
        .filter_map(|s| s.corrects.map(|c| (s.id, c)))
        .collect();
    let root = |mut id: i64| {
        // A chain is at most as long as the log; the bound guards a corrupt cycle.
        for _ in 0..=steps.len() {
            match corrects.get(&id) {
                Some(p) => id = *p,
                None => break,
            }
        }
        id
    };
    let mut v: Vec<&StepRecord> = steps.iter().filter(|s| s.in_force()).collect();
    v.sort_by_key(|s| root(s.id));
    v
}

/// The state the compound had before its first step: the `before` of that step's audit row,
/// written in the same transaction as the step.
async fn initial_state(conn: &mut Conn, compound_id: i64) -> Result<LifecycleState> {
    #[derive(Deserialize)]
    struct Snapshot {
        state: LifecycleState,
    }
    let row = query(
        "SELECT before FROM audit_log WHERE entity = $1 AND entity_id = $2 AND action = 'step' \
         ORDER BY id LIMIT 1",
    )
    .bind(LIFECYCLE)
    .bind(compound_id)
    .fetch_optional(&mut *conn)
    .await?;
    let text = match row {
        Some(r) => Cols::new(&r).opt_string()?,
        None => None,
    };
    let text = text.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "小区（编号 {compound_id}）的路径缺少第一步的审计记录，无法重算"
        ))
    })?;
    serde_json::from_str::<Snapshot>(&text)
        .map(|s| s.state)
        .map_err(|e| StoreError::Corrupt(format!("路径起始状态无法读取：{e}")))
}

/// "2026-10-02 的“合同备案”（步骤编号 7）"
fn step_name_zh(event: &Event, on: Date, id: i64) -> String {
    format!("{on} 的“{}”（步骤编号 {id}）", event.zh())
}

fn step_name_en(event: &Event, on: Date, id: i64) -> String {
    format!("'{}' of {on} (step {id})", event.en())
}

/// The date column of a contract a step dates, if any.
fn contract_column(event: &Event) -> Option<&'static str> {
    match event {
        Event::SignContract { .. } => Some("signed_on"),
        Event::File => Some("filed_on"),
        Event::Enter => Some("entry_on"),
        Event::End { .. } => Some("ended_on"),
        _ => None,
    }
}

impl Store {
    /// Corrects one step of a compound's path (更正): re-dates it (`req.on`) or voids it
    /// (`None`), if the path is still at `expected_version`; see the module doc for what follows
    /// and what is refused. Nothing is deleted; a refusal changes nothing.
    pub async fn correct_step(
        &self,
        actor: &Actor,
        compound_id: i64,
        step_id: i64,
        expected_version: i64,
        req: &CorrectionRequest,
    ) -> Result<Lifecycle> {
        let reason = req.reason.trim();
        if reason.is_empty() {
            return Err(StoreError::refused(
                "更正须填写原因",
                "a correction needs a reason",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let conn: &mut Conn = &mut tx;
        let compound = fetch_compound(conn, compound_id).await?;
        let name = compound.compound.name.clone();
        let (state, version) = load_state(conn, &compound).await?;
        if expected_version != version {
            return Err(StoreError::Conflict {
                entity: LIFECYCLE,
                id: compound_id,
                expected: expected_version,
                actual: version,
            });
        }
        let steps = load_steps(conn, compound_id).await?;
        let Some(target) = steps.iter().find(|s| s.id == step_id) else {
            return Err(StoreError::NotFound {
                entity: STEP,
                id: step_id,
            });
        };
        if let Some(x) = &target.correction {
            let (zh, en) = match x.replaced_by {
                Some(r) => (
                    format!(
                        "步骤编号 {step_id} 已于 {} 更正为 {}（记录编号 {r}），不能再次更正；如仍有误，请更正编号 {r} 的记录",
                        crate::sql::china_day(x.created_at),
                        x.new_on.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    format!(
                        "step {step_id} was already corrected (now record {r}); correct record {r} instead"
                    ),
                ),
                None => (
                    format!("步骤编号 {step_id} 已撤销，不能再次更正"),
                    format!("step {step_id} was already voided"),
                ),
            };
            return Err(StoreError::refused(zh, en));
        }
        if req.on == Some(target.happened_on) {
            return Err(StoreError::refused(
                format!("新日期与原日期相同（{}），无需更正", target.happened_on),
                format!(
                    "the new date is the recorded one ({}): nothing to correct",
                    target.happened_on
                ),
            ));
        }

        // The path as recorded, replayed: the state around the step corrected.
        let path = in_path_order(&steps);
        let pos = path
            .iter()
            .position(|s| s.id == step_id)
            .ok_or_else(|| StoreError::Corrupt(format!("步骤编号 {step_id} 不在现行路径中")))?;
        let initial = initial_state(conn, compound_id).await?;
        let recorded =
            replay(&initial, path.iter().map(|s| (&s.event, s.happened_on))).map_err(|e| {
                let s = path[e.index];
                StoreError::refused(
                    format!(
                        "小区“{name}”的路径记录按现行规则无法重放：{}：{}；请联系管理员",
                        step_name_zh(&s.event, s.happened_on, s.id),
                        e.error.zh()
                    ),
                    format!(
                        "compound '{name}': the recorded path no longer replays at {}: {}",
                        step_name_en(&s.event, s.happened_on, s.id),
                        e.error.en()
                    ),
                )
            })?;
        let before_step = if pos == 0 {
            &initial
        } else {
            &recorded[pos - 1]
        };
        let after_step = &recorded[pos];
        let event = &target.event;
        let opens_service =
            before_step.stage != Stage::InService && after_step.stage == Stage::InService;
        let ends_service =
            matches!(event, Event::End { .. }) && before_step.stage == Stage::InService;
        let contract_id = match event {
            Event::SignContract { contract_id, .. } => Some(*contract_id),
            Event::File | Event::Enter | Event::End { .. } => before_step.contract_id,
            _ => None,
        };
        let what = step_name_zh(event, target.happened_on, step_id);
        let what_en = step_name_en(event, target.happened_on, step_id);

        if req.on.is_none() {
            let why = if opens_service || ends_service {
                Some((
                    "它改变了台账中的管理方式",
                    "it changed the ledger's management mode",
                ))
            } else if matches!(event, Event::SettleOwners { body } if body.exists()) {
                Some((
                    "它改变了台账中的业主组织",
                    "it changed the ledger's owners' body",
                ))
            } else if matches!(event, Event::SignContract { .. }) {
                Some((
                    "合同记录仍然存在（如合同未签订，请终止合同）",
                    "the contract record remains",
                ))
            } else if matches!(event, Event::End { .. }) && contract_id.is_some() {
                Some(("合同已按此终止", "the contract was terminated by it"))
            } else {
                None
            };
            if let Some((zh, en)) = why {
                return Err(StoreError::refused(
                    format!("{what}不能撤销：{zh}；如日期有误，请更正日期"),
                    format!("{what_en} cannot be voided: {en}; correct its date instead"),
                ));
            }
        }

        // The corrected path, replayed with the same rules.
        let corrected: Vec<(&Event, Date, i64)> = path
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                if i == pos {
                    req.on.map(|d| (&s.event, d, s.id))
                } else {
                    Some((&s.event, s.happened_on, s.id))
                }
            })
            .collect();
        let states = replay(&initial, corrected.iter().map(|(e, d, _)| (*e, *d))).map_err(|e| {
            let (ev, on, id) = corrected[e.index];
            let (lead_zh, lead_en) = match req.on {
                Some(d) => (
                    format!("将{what}更正为 {d} 后"),
                    format!("with {what_en} re-dated to {d}"),
                ),
                None => (format!("撤销{what}后"), format!("with {what_en} voided")),
            };
            StoreError::refused(
                format!(
                    "{lead_zh}，{}不再成立：{}。未作任何更改",
                    step_name_zh(ev, on, id),
                    e.error.zh()
                ),
                format!(
                    "{lead_en}, {} no longer stands: {}; nothing was changed",
                    step_name_en(ev, on, id),
                    e.error.en()
                ),
            )
        })?;
        let next = states.last().cloned().unwrap_or_else(|| initial.clone());

        // The recomputed position, written first: a concurrent correction waits on this row
        // and then finds the version moved (409), before it writes anything of its own.
        let done = query(
            "UPDATE compound_lifecycle SET stage = $1, mode = $2, owners_settled = $3, \
             company_id = $4, contract_id = $5, filed = $6, last_date = $7, \
             version = version + 1, updated_at = $8 WHERE compound_id = $9 AND version = $10",
        )
        .bind(next.stage.code())
        .bind(next.mode.map(|m| m.code().to_string()))
        .bind(i64::from(next.owners_settled))
        .bind(next.company_id)
        .bind(next.contract_id)
        .bind(i64::from(next.filed))
        .bind(next.last_date.map(date_text))
        .bind(at.clone())
        .bind(compound_id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: LIFECYCLE,
                id: compound_id,
                expected: version,
                actual: version + 1,
            });
        }

        // The contract's date that follows the step.
        let mut contract_audit = None;
        if let (Some(k_id), Some(col)) = (contract_id, contract_column(event)) {
            let k = fetch_contract(conn, k_id).await?;
            if k.compound_ids.len() > 1 {
                return Err(StoreError::refused(
                    format!(
                        "{what}是合同（编号 {k_id}）的日期，该合同服务 {} 个小区；为免各小区记录不一致，多小区合同的日期暂不能在单个小区更正",
                        k.compound_ids.len()
                    ),
                    format!(
                        "{what_en} dates contract {k_id}, which serves {} compounds: its dates cannot be corrected on one compound",
                        k.compound_ids.len()
                    ),
                ));
            }
            let new_value = match (col, req.on) {
                ("entry_on", on) => {
                    if k.entry_on == Some(target.happened_on) {
                        Some(on)
                    } else {
                        None
                    }
                }
                (_, Some(d)) => Some(Some(d)),
                ("filed_on", None) => Some(None),
                _ => None,
            };
            if let Some(v) = new_value {
                if col == "signed_on"
                    && let (Some(d), Some(e)) = (v, k.entry_on)
                    && e < d
                {
                    return Err(StoreError::refused(
                        format!("签订日期不能晚于合同的进场日期 {e}（合同编号 {k_id}）"),
                        format!("the signing date cannot be after the contract's entry date {e}"),
                    ));
                }
                let done = crate::sql::query(format!(
                    "UPDATE contracts SET {col} = $1, version = version + 1, updated_at = $2 \
                     WHERE id = $3"
                ))
                .bind(v.map(date_text))
                .bind(at.clone())
                .bind(k_id)
                .execute(&mut *conn)
                .await?;
                if done.rows_affected() == 1 {
                    let after = fetch_contract(conn, k_id).await?;
                    contract_audit = Some(NewAudit {
                        action: "correct",
                        entity: CONTRACT,
                        entity_id: Some(k_id),
                        before: Some(to_json(&k)?),
                        after: Some(to_json(&after)?),
                    });
                }
            }
        }

        // The ledger's mode period the step opened moves with it.
        let mut mode_audit = None;
        if let (Some(new_on), true) = (req.on, opens_service || ends_service) {
            mode_audit = move_mode_period(conn, compound_id, target.happened_on, new_on).await?;
        }

        // The correcting record, and the mark on the old step.
        let replaced_by = match req.on {
            Some(on) => {
                let from = if pos == 0 {
                    initial.stage
                } else {
                    states[pos - 1].stage
                };
                let to = states[pos].stage;
                let row = query(
                    "INSERT INTO compound_steps (compound_id, stage_from, stage_to, event, detail, \
                     happened_on, actor, role, note, created_at, corrects) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(compound_id)
                .bind(from.code())
                .bind(to.code())
                .bind(event.code())
                .bind(to_json(event)?)
                .bind(date_text(on))
                .bind(actor.name.clone())
                .bind(actor.role.clone())
                .bind(target.note.clone())
                .bind(at.clone())
                .bind(step_id)
                .fetch_one(&mut *conn)
                .await?;
                let id = Cols::new(&row).i64()?;
                query(
                    "INSERT INTO step_evidence (step_id, sha256) \
                     SELECT $1, sha256 FROM step_evidence WHERE step_id = $2",
                )
                .bind(id)
                .bind(step_id)
                .execute(&mut *conn)
                .await?;
                Some(id)
            }
            None => None,
        };
        let kind = if req.on.is_some() {
            CorrectionKind::Redate
        } else {
            CorrectionKind::Void
        };
        let row = query(
            "INSERT INTO step_corrections (compound_id, step_id, kind, replaced_by, old_on, \
             new_on, reason, actor, role, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(compound_id)
        .bind(step_id)
        .bind(kind.code())
        .bind(replaced_by)
        .bind(date_text(target.happened_on))
        .bind(req.on.map(date_text))
        .bind(reason.to_string())
        .bind(actor.name.clone())
        .bind(actor.role.clone())
        .bind(at.clone())
        .fetch_one(&mut *conn)
        .await?;
        let correction_id = Cols::new(&row).i64()?;

        #[derive(Serialize)]
        struct Before<'a> {
            version: i64,
            state: &'a LifecycleState,
            step: &'a StepRecord,
        }
        #[derive(Serialize)]
        struct After<'a> {
            version: i64,
            state: &'a LifecycleState,
            correction_id: i64,
            kind: CorrectionKind,
            step_id: i64,
            replaced_by: Option<i64>,
            new_on: Option<Date>,
            reason: &'a str,
        }
        let mut rows = vec![NewAudit {
            action: "correct",
            entity: LIFECYCLE,
            entity_id: Some(compound_id),
            before: Some(to_json(&Before {
                version,
                state: &state,
                step: target,
            })?),
            after: Some(to_json(&After {
                version: version + 1,
                state: &next,
                correction_id,
                kind,
                step_id,
                replaced_by,
                new_on: req.on,
                reason,
            })?),
        }];
        rows.extend(contract_audit);
        rows.extend(mode_audit);
        audit::append(conn, actor, &at, rows).await?;
        tx.commit().await?;
        self.lifecycle(compound_id).await
    }
}

/// Moves the mode period a step opened on `old` (and the end of the period before it) to
/// `new`; `None` when no period starts that day (the ledger already had the mode). Refused when
/// the move would make a period end before it starts.
async fn move_mode_period(
    conn: &mut Conn,
    compound_id: i64,
    old: Date,
    new: Date,
) -> Result<Option<NewAudit>> {
    let (old_s, new_s) = (date_text(old), date_text(new));
    let opened = query(
        "SELECT id, mode, until FROM compound_modes WHERE compound_id = $1 AND since = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(compound_id)
    .bind(old_s.clone())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(opened) = opened else {
        return Ok(None);
    };
    let mut c = Cols::new(&opened);
    let (id, mode, until) = (c.i64()?, c.string()?, c.opt_string()?);
    if let Some(u) = until.as_deref()
        && u < new_s.as_str()
    {
        return Err(StoreError::refused(
            format!("台账中自 {old} 起的管理方式已于 {u} 变更，新日期 {new} 不能晚于 {u}"),
            format!("the ledger's mode from {old} changed on {u}: the new date cannot be after it"),
        ));
    }
    let prior = query(
        "SELECT id, since FROM compound_modes WHERE compound_id = $1 AND until = $2 AND id <> $3 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(compound_id)
    .bind(old_s.clone())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let prior = match prior {
        Some(r) => {
            let mut c = Cols::new(&r);
            Some((c.i64()?, c.string()?))
        }
        None => None,
    };
    if let Some((_, since)) = &prior
        && since.as_str() > new_s.as_str()
    {
        return Err(StoreError::refused(
            format!("台账中此前的管理方式自 {since} 起实行，新日期 {new} 不能更早"),
            format!("the ledger's previous mode runs from {since}: the new date cannot be earlier"),
        ));
    }
    if let Some((prior_id, _)) = &prior {
        query("UPDATE compound_modes SET until = $1 WHERE id = $2")
            .bind(new_s.clone())
            .bind(*prior_id)
            .execute(&mut *conn)
            .await?;
    }
    query("UPDATE compound_modes SET since = $1 WHERE id = $2")
        .bind(new_s.clone())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(NewAudit {
        action: "correct_mode_date",
        entity: audit::COMPOUND,
        entity_id: Some(compound_id),
        before: Some(serde_json::json!({ "mode": mode, "since": old_s }).to_string()),
        after: Some(serde_json::json!({ "mode": mode, "since": new_s }).to_string()),
    }))
}
