//! 补贴: which policy governs which region (dated), the subsidy run (one line per compound and
//! kind, computed with `anju_policy::evaluate` from stored facts, every amount explained), the
//! money's path (anju-core `funding::transition`, one audited transaction per step, version
//! checked), adjustment decisions (调整决定) and infrastructure grants (seed 004 三（五）).
//!
//! How stored facts become the calculator's input, per compound with a contract in scope:
//! - served area, signing and entry dates, term (start and last day), fee per ㎡ (多层 fee, else
//!   高层), end of service: the contract; households, built year, renovation: the ledger; status:
//!   the management mode on the day before signing (无/弃管 → abandoned, 业主自管 → self-managed);
//! - per policy period: the latest *final* assessment whose period ends inside it (score, grade,
//!   passed → `evaluation_passed`), and the latest final *third-party* evaluation's pass →
//!   `third_party_passed` (Yantai's gate); fees billed and collected over its months (collection rate,
//!   and `fees_total` = 应收 when billed); satisfaction: the latest closed, valid survey whose
//!   period ends inside it.
//! - a run settles the policy periods whose last day falls in the run's window (a calendar
//!   period, or contract year n counted from the day the policy counts from).
//!
//! Retention (质保金): each subsidy line records what it holds back (`retained`); when the run
//! settles the policy's last period, a `retention_release` line pays the retention held on this
//! compound's earlier lines of the same contract plus this one's, if the policy's condition holds
//! on the last period's results (Liaocheng: collection ≥ 80 %), else 0 with the reason.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::settle::{self, Basis, BasisPeriod, PolicyCache};
use crate::sql::{
    Cols, Conn, Filter, JsonSql, Ph, PhaseClock, Row, Ty, Val, bind_all, date_text, fetch_json,
    insert_rows, json_rows, now_ts, opt_date, parse_date, parse_ts, query, stored_mode,
};
use crate::{ContractRecord, Region, Result, Store, StoreError};
use anju_core::assessment::AssessmentStatus;
use anju_core::fees::{Collection, Month};
use anju_core::funding::{self, Action, LineKind, LineStatus, RunPeriod};
use anju_core::{Fen, Lang, ManagementMode, RegionLevel};
use anju_policy::dates;
use anju_policy::policy::{Anchor, From};
use anju_policy::{Policy, PolicyError, Status};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub(crate) const FUNDING_POLICY: &str = "funding_policy";
pub(crate) const SUBSIDY_RUN: &str = "subsidy_run";
pub(crate) const SUBSIDY_LINE: &str = "subsidy_line";
pub(crate) const SUBSIDY_ADJUSTMENT: &str = "subsidy_adjustment";

/// A dated assignment of a policy to a district or street.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundingPolicy {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub level: RegionLevel,
    pub policy_id: String,
    pub valid_from: Date,
    pub created_by: String,
    pub created_at: jiff::Timestamp,
}

/// One payer's part of a line (市级财政, 区级财政 …); the parts add up to the line's amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerShare {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub weight: u64,
    pub amount: Fen,
}

/// One line of a run (or an infrastructure grant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyLine {
    pub id: i64,
    pub run_id: Option<i64>,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub company_id: Option<i64>,
    pub company: Option<String>,
    pub contract_id: Option<i64>,
    pub kind: LineKind,
    pub policy_id: Option<String>,
    /// The run's period code (`2023`, `cy3` …) or the grant's year.
    pub period: String,
    /// The days the line pays for (the settled policy periods), both ends included.
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub eligible: bool,
    /// As computed (payable at this settlement).
    pub amount: Fen,
    /// Held back as retention by this line.
    pub retained: Fen,
    /// The approved amount (set at approval, changed only by an adjustment decision).
    pub approved: Option<Fen>,
    pub payers: Vec<PayerShare>,
    pub reason_zh: Option<String>,
    pub reason_en: Option<String>,
    pub explanation_zh: String,
    pub explanation_en: String,
    pub status: LineStatus,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
    /// The facts a run computed the line from (its explanation is rendered from them).
    #[serde(skip)]
    basis: Option<std::sync::Arc<str>>,
}

impl SubsidyLine {
    /// The amount that counts: approved once approved, else as computed.
    pub fn amount_due(&self) -> Fen {
        self.approved.unwrap_or(self.amount)
    }
    pub fn reason(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.reason_zh.as_deref(),
            Lang::En => self.reason_en.as_deref().or(self.reason_zh.as_deref()),
        }
    }
    pub fn explanation(&self, lang: Lang) -> &str {
        lang.pick(&self.explanation_zh, &self.explanation_en)
    }
}

/// A run: scope, period and its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRun {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub period: String,
    /// `current` or `superseded`.
    pub status: String,
    pub created_by: String,
    pub created_at: jiff::Timestamp,
    pub lines: Vec<SubsidyLine>,
}

/// What a run wrote: the run (its lines are read with [`Store::subsidy_lines`] or
/// [`Store::get_subsidy_run`]) and the figures of its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunResult {
    pub run: SubsidyRun,
    pub summary: RunSummary,
}

/// A run's lines counted and added up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub lines: usize,
    pub eligible: usize,
    /// Lines not payable (ineligible, or missing a fact: 缺少考核结果 …).
    pub not_payable: usize,
    pub retention_releases: usize,
    /// Payable at this settlement, all lines.
    pub amount: Fen,
    /// Held back as retention by the subsidy lines.
    pub retained: Fen,
}

impl RunSummary {
    pub(crate) fn count(&mut self, l: &NewLine) {
        self.lines += 1;
        self.eligible += usize::from(l.eligible);
        self.not_payable += usize::from(!l.eligible);
        self.retention_releases += usize::from(l.kind == LineKind::RetentionRelease);
        self.amount += l.amount;
        self.retained += l.retained;
    }
}

/// A step on the money's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyStep {
    pub id: i64,
    pub line_id: i64,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub person: String,
    pub role: String,
    pub on: Date,
    pub comment: Option<String>,
    pub created_at: jiff::Timestamp,
}

/// An adjustment decision (调整决定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyAdjustment {
    pub id: i64,
    pub line_id: i64,
    pub old: Fen,
    pub new: Fen,
    pub reason: String,
    pub decided_by: String,
    pub decided_on: Date,
    pub created_at: jiff::Timestamp,
}

/// Which lines to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFilter {
    pub run_id: Option<i64>,
    /// Lines of compounds under this region (district, street or community).
    pub region_id: Option<i64>,
    /// Lines of this one compound.
    pub compound_id: Option<i64>,
    pub period: Option<String>,
    pub company_id: Option<i64>,
    pub status: Option<LineStatus>,
    /// Include superseded lines (left out by default).
    pub include_superseded: bool,
    /// Leave the explanations empty where they would be rendered from the basis (a list that
    /// shows only some of them renders those with [`Store::explain_lines`]).
    pub without_explanations: bool,
    /// Matches no line: the scope of an account missing the region or company its role needs.
    pub nothing: bool,
}

fn refused(e: funding::FundingError) -> StoreError {
    StoreError::refused(e.zh, e.en)
}

/// A line's columns, read by name into [`LineRow`].
const LINE_COLS: &str = "l.id, l.run_id, l.compound_id, c.name AS compound, s.name AS street, \
     l.company_id, co.name AS company, l.contract_id, l.kind, l.policy_id, l.period, \
     l.period_start, l.period_end, l.eligible, l.amount_fen, l.retained_fen, l.approved_fen, \
     l.payers, l.reason_zh, l.reason_en, l.explanation_zh, l.explanation_en, l.status, \
     l.version, l.created_at, l.updated_at, l.basis";
/// How many lines [`Store::subsidy_lines`] reads a statement: 20,000, and 100 in a debug build
/// so that the tests' lists cross a chunk's end.
const LINES_PER_READ: i64 = if cfg!(debug_assertions) { 100 } else { 20_000 };

const LINE_FROM: &str = " FROM subsidy_lines l JOIN compounds c ON c.id = l.compound_id \
     JOIN regions s ON s.id = c.street_id LEFT JOIN companies co ON co.id = l.company_id";

fn line_select() -> String {
    format!("SELECT {LINE_COLS}{LINE_FROM}")
}

/// A line as [`LINE_COLS`] reads it, by column name.
#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    run_id: Option<i64>,
    compound_id: i64,
    compound: String,
    street: String,
    company_id: Option<i64>,
    company: Option<String>,
    contract_id: Option<i64>,
    kind: String,
    policy_id: Option<String>,
    period: String,
    period_start: Option<String>,
    period_end: Option<String>,
    eligible: i64,
    amount_fen: i64,
    retained_fen: i64,
    approved_fen: Option<i64>,
    payers: String,
    reason_zh: Option<String>,
    reason_en: Option<String>,
    explanation_zh: String,
    explanation_en: String,
    status: String,
    version: i64,
    created_at: String,
    updated_at: String,
    basis: Option<String>,
}

/// A line as stored (an explanation kept as its basis not yet rendered).
fn line_from_row(row: &Row) -> Result<SubsidyLine> {
    let r: LineRow = row.decode()?;
    let corrupt = |w: &str| StoreError::Corrupt(w.to_string());
    Ok(SubsidyLine {
        id: r.id,
        run_id: r.run_id,
        compound_id: r.compound_id,
        compound: r.compound,
        street: r.street,
        company_id: r.company_id,
        company: r.company,
        contract_id: r.contract_id,
        kind: LineKind::from_code(&r.kind).ok_or_else(|| corrupt("补贴行类型"))?,
        policy_id: r.policy_id,
        period: r.period,
        period_start: opt_date(r.period_start)?,
        period_end: opt_date(r.period_end)?,
        eligible: r.eligible != 0,
        amount: Fen(r.amount_fen),
        retained: Fen(r.retained_fen),
        approved: r.approved_fen.map(Fen),
        payers: serde_json::from_str(&r.payers).map_err(|_| corrupt("补贴行的出资方"))?,
        reason_zh: r.reason_zh,
        reason_en: r.reason_en,
        explanation_zh: r.explanation_zh,
        explanation_en: r.explanation_en,
        status: LineStatus::from_code(&r.status).ok_or_else(|| corrupt("补贴行状态"))?,
        version: r.version,
        created_at: parse_ts(&r.created_at)?,
        updated_at: parse_ts(&r.updated_at)?,
        basis: r.basis.map(std::sync::Arc::from),
    })
}

/// Lines as read, each with its explanation (rendered from its basis where the run stored one).
fn lines_from_rows(rows: &[Row]) -> Result<Vec<SubsidyLine>> {
    let mut read: Vec<SubsidyLine> = rows.iter().map(line_from_row).collect::<Result<_>>()?;
    explain_all(&mut read)?;
    Ok(read)
}

/// How many threads the computing of lines uses: one per core, at most 16.
fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16)
}

/// Renders the explanation of every line that has a basis and no text yet, on every core when
/// there are many.
fn explain_all(lines: &mut [SubsidyLine]) -> Result<()> {
    let render_part = |part: &mut [SubsidyLine]| -> Result<()> {
        let mut policies = HashMap::new();
        let mut cache = settle::PolicyCache::new();
        for l in part.iter_mut() {
            let Some(b) = l.basis.clone() else { continue };
            if !l.explanation_zh.is_empty() {
                continue;
            }
            let r = settle::Rendering {
                base: NewLineBase {
                    compound_id: l.compound_id,
                    company_id: l.company_id,
                    contract_id: l.contract_id,
                    policy_id: l.policy_id.clone(),
                    period: l.period.clone(),
                },
                kind: l.kind,
                amount: l.amount,
                basis: &b,
            };
            (l.explanation_zh, l.explanation_en) = settle::render(&r, &mut policies, &mut cache)?;
        }
        Ok(())
    };
    let threads = cores();
    if lines.len() < 1_000 || threads == 1 {
        return render_part(lines);
    }
    let per = lines.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks_mut(per)
            .map(|part| s.spawn(|| render_part(part)))
            .collect();
        for h in handles {
            h.join()
                .unwrap_or_else(|_| Err(StoreError::Corrupt("补贴说明线程异常退出".into())))?;
        }
        Ok(())
    })
}

async fn fetch_line(conn: &mut Conn, id: i64) -> Result<SubsidyLine> {
    let row = query(format!("{} WHERE l.id = $1", line_select()))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: SUBSIDY_LINE,
            id,
        })?;
    lines_from_rows(std::slice::from_ref(&row))?
        .pop()
        .ok_or(StoreError::NotFound {
            entity: SUBSIDY_LINE,
            id,
        })
}

/// A line about to be written.
#[derive(Clone)]
pub(crate) struct NewLine {
    pub compound_id: i64,
    pub company_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub kind: LineKind,
    pub policy_id: Option<String>,
    pub period: String,
    pub days: Option<(Date, Date)>,
    pub eligible: bool,
    pub amount: Fen,
    pub retained: Fen,
    pub payers: Vec<PayerShare>,
    pub reason: Option<(String, String)>,
    /// Empty (both) when the explanation is rendered from `basis` when read.
    pub explanation: (String, String),
}

async fn insert_line(conn: &mut Conn, run_id: Option<i64>, l: &NewLine, at: &str) -> Result<i64> {
    let row = query(
        "INSERT INTO subsidy_lines (run_id, compound_id, company_id, contract_id, kind, \
         policy_id, period, period_start, period_end, eligible, amount_fen, retained_fen, \
         payers, reason_zh, reason_en, explanation_zh, explanation_en, status, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, 'draft', 1, $18, $18) RETURNING id",
    )
    .bind(run_id)
    .bind(l.compound_id)
    .bind(l.company_id)
    .bind(l.contract_id)
    .bind(l.kind.code())
    .bind(l.policy_id.clone())
    .bind(l.period.clone())
    .bind(l.days.map(|d| date_text(d.0)))
    .bind(l.days.map(|d| date_text(d.1)))
    .bind(i64::from(l.eligible))
    .bind(l.amount.0)
    .bind(l.retained.0)
    .bind(to_json(&l.payers)?)
    .bind(l.reason.as_ref().map(|r| r.0.clone()))
    .bind(l.reason.as_ref().map(|r| r.1.clone()))
    .bind(l.explanation.0.clone())
    .bind(l.explanation.1.clone())
    .bind(at.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Cols::new(&row).i64()
}

pub(crate) fn payer_shares(policy: &Policy, amount: Fen) -> Vec<PayerShare> {
    let parts = amount.split_by_weights(&policy.weights);
    policy
        .file
        .payers
        .iter()
        .zip(parts)
        .map(|(p, a)| PayerShare {
            id: p.id.clone(),
            name: p.name.clone(),
            name_en: p.name_en.clone(),
            weight: p.weight,
            amount: a,
        })
        .collect()
}

fn resplit(payers: &[PayerShare], amount: Fen) -> Vec<PayerShare> {
    let weights: Vec<u64> = payers.iter().map(|p| p.weight).collect();
    payers
        .iter()
        .zip(amount.split_by_weights(&weights))
        .map(|(p, a)| PayerShare {
            amount: a,
            ..p.clone()
        })
        .collect()
}

/// The day-by-day schedule of a policy's periods for one contract: (index, start, end excl.).
fn schedule(policy: &Policy, start: Date, term_end_excl: Date) -> Vec<(u32, Date, Date)> {
    let unit = policy.periods.unit.months();
    let first = match policy.periods.anchor {
        Anchor::Start => start,
        Anchor::Calendar => {
            let m0 = i32::from(start.month()) - 1;
            let m = (m0 / unit) * unit + 1;
            Date::new(start.year(), m as i8, 1).unwrap_or(start)
        }
    };
    let mut out = Vec::new();
    for n in 0..anju_policy::eval::MAX_PERIODS {
        let (Some(s), Some(e)) = (
            dates::add_months(first, n as i32 * unit),
            dates::add_months(first, (n as i32 + 1) * unit),
        ) else {
            break;
        };
        match policy.periods.count {
            Some(c) if n as u32 >= c => break,
            None if s >= term_end_excl => break,
            _ => {}
        }
        out.push((n as u32 + 1, s, e));
    }
    out
}

pub(crate) fn status_of(mode: ManagementMode) -> Status {
    match mode {
        ManagementMode::None => Status::Abandoned,
        ManagementMode::SelfManaged => Status::SelfManaged,
        _ => Status::Managed,
    }
}

pub(crate) fn join_lines(lines: &[String]) -> String {
    lines.join("\n")
}

/// Why an input is missing, in words for the line.
pub(crate) fn missing_reason(e: &PolicyError, lang: Lang) -> String {
    match e {
        PolicyError::MissingInput { key, .. } => {
            let k = key.as_str();
            let what = if k.contains("score") || k.contains("grade") || k.contains("evaluation") {
                lang.pick("缺少考核结果", "no assessment result")
            } else if k.contains("collection_rate") {
                lang.pick(
                    "缺少收缴率（该期无应收记录）",
                    "no collection rate (nothing billed)",
                )
            } else if k.contains("satisfaction") {
                lang.pick("缺少满意率", "no satisfaction rate")
            } else if k.contains("entry") {
                lang.pick("缺少正式进场日期", "no formal entry date")
            } else {
                lang.pick("缺少必要数据", "an input is missing")
            };
            format!("{what}（{k}）")
        }
        other => other.message(lang),
    }
}

pub(crate) fn ineligible(
    base: NewLineBase,
    days: Option<(Date, Date)>,
    zh: String,
    en: String,
    expl: Option<(String, String)>,
) -> NewLine {
    NewLine {
        compound_id: base.compound_id,
        company_id: base.company_id,
        contract_id: base.contract_id,
        kind: LineKind::Subsidy,
        policy_id: base.policy_id,
        period: base.period,
        days,
        eligible: false,
        amount: Fen::ZERO,
        retained: Fen::ZERO,
        payers: Vec::new(),
        explanation: expl.unwrap_or_else(|| (zh.clone(), en.clone())),
        reason: Some((zh, en)),
    }
}

#[derive(Clone)]
pub(crate) struct NewLineBase {
    pub compound_id: i64,
    pub company_id: Option<i64>,
    pub contract_id: Option<i64>,
    pub policy_id: Option<String>,
    pub period: String,
}

impl Store {
    /// Finds a district or street by name (one of that level and name).
    pub async fn find_region(&self, level: RegionLevel, name: &str) -> Result<Region> {
        let found: Vec<Region> = self
            .list_regions()
            .await?
            .into_iter()
            .filter(|r| r.level == level && r.name == name.trim())
            .collect();
        match found.len() {
            1 => found
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::Corrupt("区域".into())),
            0 => Err(StoreError::refused(
                format!("找不到{}“{name}”", level_zh(level)),
                format!("no {} named '{name}'", level.code()),
            )),
            n => Err(StoreError::refused(
                format!("有 {n} 个名为“{name}”的{}", level_zh(level)),
                format!("{n} regions are named '{name}'"),
            )),
        }
    }

    /// Assigns a policy to a district or street from a date (audited). The policy id must be a
    /// shipped policy.
    pub async fn set_funding_policy(
        &self,
        actor: &Actor,
        region_id: i64,
        policy_id: &str,
        valid_from: Date,
    ) -> Result<FundingPolicy> {
        if anju_policy::shipped(policy_id).is_none() {
            return Err(StoreError::refused(
                format!(
                    "没有编号为“{policy_id}”的政策（可用：{}）",
                    anju_policy::SHIPPED
                        .iter()
                        .map(|(id, _)| *id)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!("no policy '{policy_id}'"),
            ));
        }
        let region = self
            .list_regions()
            .await?
            .into_iter()
            .find(|r| r.id == region_id)
            .ok_or(StoreError::NotFound {
                entity: "region",
                id: region_id,
            })?;
        if !matches!(region.level, RegionLevel::District | RegionLevel::Street) {
            return Err(StoreError::refused(
                "政策只能指定给区县或街道",
                "a policy is assigned to a district or a street",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let row = query(
            "INSERT INTO funding_policies (region_id, policy_id, valid_from, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(region_id)
        .bind(policy_id.to_string())
        .bind(date_text(valid_from))
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Duplicate(_) => StoreError::refused(
                format!("{}自 {valid_from} 起已指定了政策", region.name),
                format!("{} already has a policy from {valid_from}", region.name),
            ),
            other => other,
        })?;
        let id = Cols::new(&row).i64()?;
        let rec = FundingPolicy {
            id,
            region_id,
            region: region.name.clone(),
            level: region.level,
            policy_id: policy_id.to_string(),
            valid_from,
            created_by: actor.name.clone(),
            created_at: crate::sql::parse_ts(&at)?,
        };
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: FUNDING_POLICY,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&rec)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Every assignment, by region and date.
    pub async fn list_funding_policies(&self) -> Result<Vec<FundingPolicy>> {
        let mut conn = self.pool.acquire().await?;
        funding_policies_on(&mut conn).await
    }
}

/// [`Store::list_funding_policies`] on a connection (inside a run's read transaction).
async fn funding_policies_on(conn: &mut Conn) -> Result<Vec<FundingPolicy>> {
    {
        let rows = query(
            "SELECT f.id, f.region_id, r.name, r.level, f.policy_id, f.valid_from, f.created_by, \
             f.created_at FROM funding_policies f JOIN regions r ON r.id = f.region_id \
             ORDER BY r.name, f.valid_from",
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(FundingPolicy {
                    id: c.i64()?,
                    region_id: c.i64()?,
                    region: c.string()?,
                    level: RegionLevel::from_code(&c.string()?)
                        .ok_or_else(|| StoreError::Corrupt("区域级别".into()))?,
                    policy_id: c.string()?,
                    valid_from: parse_date(&c.string()?)?,
                    created_by: c.string()?,
                    created_at: c.timestamp()?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Runs the subsidy computation for every compound with a contract under `region_id` (a
    /// street or district) and `period`; supersedes the earlier run's draft lines (never a line
    /// already applied for or approved). Audited.
    ///
    /// The facts are read in bulk (a handful of statements per run, each over up to 500
    /// compounds, never one per compound), the lines computed on every core, and written with
    /// their audit in one transaction in multi-row INSERTs.
    pub async fn run_subsidies(
        &self,
        actor: &Actor,
        region_id: i64,
        period: RunPeriod,
    ) -> Result<RunResult> {
        let mut clock = PhaseClock::new("subsidy run");
        // Every fact of the run from one snapshot (issue 15 item 10): one read transaction, so
        // a write landing meanwhile is wholly in or wholly out of what the run sees.
        let mut rx = self.begin_read().await?;
        let regions = crate::regions::regions_on(&mut rx).await?;
        let region =
            regions
                .iter()
                .find(|r| r.id == region_id)
                .cloned()
                .ok_or(StoreError::NotFound {
                    entity: "region",
                    id: region_id,
                })?;
        let region_by_id: HashMap<i64, &Region> = regions.iter().map(|r| (r.id, r)).collect();
        let assignments = funding_policies_on(&mut rx).await?;
        let scope = crate::CompoundFilter {
            region_id: Some(region_id),
            ..Default::default()
        };
        let compounds = run_compounds(&mut rx, &scope).await?;
        let contracts = crate::contracts::contracts_serving(&mut rx, Some(&scope)).await?;
        // Each compound's contracts, newest first (the order the lines come in).
        let mut serving: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, k) in contracts.iter().enumerate() {
            for cid in &k.compound_ids {
                serving.entry(*cid).or_default().push(i);
            }
        }
        let period_code = period.code();
        clock.lap("compounds and contracts");

        // 1. What each compound's contract settles in this run (pure; policies loaded once).
        let mut policies: HashMap<String, Policy> = HashMap::new();
        let mut steps: Vec<Step<'_>> = Vec::new();
        for sc in &compounds {
            let Some(ks) = serving.get(&sc.id) else {
                continue;
            };
            let district_id = region_by_id.get(&sc.street_id).and_then(|s| s.parent_id);
            for &ki in ks {
                let k = &contracts[ki];
                steps.push(plan_line(
                    sc,
                    k,
                    &assignments,
                    district_id,
                    period,
                    &mut policies,
                )?);
            }
        }

        // 2. The facts those settlements need, in bulk.
        clock.lap("plans");
        let facts = load_facts(&mut rx, &mut steps, &mut clock).await?;
        rx.commit().await?;

        // 3. The lines, computed in parallel, in the compounds' order.
        let threads = cores();
        let per = steps.len().div_ceil(threads).max(64);
        type Computed = Vec<(NewLine, Option<std::sync::Arc<str>>)>;
        // Computed off the async runtime's workers, so that a web request starting a run does
        // not stall the others (issue 15 item 10).
        let computed: Vec<Result<Computed>> = crate::off_runtime(|| {
            std::thread::scope(|s| {
                let handles: Vec<_> = steps
                    .chunks(per)
                    .map(|part| {
                        let facts = &facts;
                        let policies = &policies;
                        s.spawn(move || {
                            let mut cache = PolicyCache::new();
                            part.iter()
                                .map(|st| match st {
                                    Step::Done(v) => {
                                        Ok(v.iter().cloned().map(|l| (l, None)).collect())
                                    }
                                    Step::Plan(p) => finish_line(p, policies, facts, &mut cache),
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![Err(StoreError::Corrupt("补贴计算线程异常退出".into()))]
                        })
                    })
                    .collect()
            })
        });
        let mut lines: Computed = Vec::new();
        for r in computed {
            lines.extend(r?);
        }
        drop(steps);
        drop(facts);
        clock.lap("lines computed");

        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut audits = Vec::new();
        // Supersede the earlier runs of this scope and period, and their draft lines.
        let old = query(
            "SELECT id FROM subsidy_runs WHERE region_id = $1 AND period = $2 AND status = 'current'",
        )
        .bind(region_id)
        .bind(period_code.clone())
        .fetch_all(&mut *tx)
        .await?;
        for row in &old {
            let old_id = Cols::new(row).i64()?;
            query("UPDATE subsidy_runs SET status = 'superseded' WHERE id = $1")
                .bind(old_id)
                .execute(&mut *tx)
                .await?;
            let n = query(
                "UPDATE subsidy_lines SET status = 'superseded', version = version + 1, \
                 updated_at = $1 WHERE run_id = $2 AND status = 'draft'",
            )
            .bind(at.clone())
            .bind(old_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            audits.push(NewAudit {
                action: "supersede",
                entity: SUBSIDY_RUN,
                entity_id: Some(old_id),
                before: None,
                after: Some(format!("{{\"draft_lines_superseded\":{n}}}")),
            });
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        let row = query(
            "INSERT INTO subsidy_runs (region_id, period, status, created_by, created_at) \
             VALUES ($1, $2, 'current', $3, $4) RETURNING id",
        )
        .bind(region_id)
        .bind(period_code.clone())
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let run_id = Cols::new(&row).i64()?;
        let mut summary = RunSummary::default();
        for (l, _) in &lines {
            summary.count(l);
        }
        // A batch's bind values at a time, not the whole run's.
        for chunk in lines.chunks(5_000) {
            insert_lines(&mut tx, run_id, chunk, &at).await?;
        }
        clock.lap("lines written");
        audit_run_lines(&mut tx, actor, &at, run_id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: SUBSIDY_RUN,
                entity_id: Some(run_id),
                before: None,
                after: Some(format!(
                    "{{\"region\":{},\"period\":{},\"lines\":{}}}",
                    serde_json::to_string(&region.name).unwrap_or_default(),
                    serde_json::to_string(&period_code).unwrap_or_default(),
                    lines.len()
                )),
            }],
        )
        .await?;
        clock.lap("audit copies written");
        tx.commit().await?;
        clock.lap("committed");
        Ok(RunResult {
            run: self.get_subsidy_run_head(run_id).await?,
            summary,
        })
    }
}

/// Reads, for every planned settlement, the facts it needs: the management mode on the day
/// before the policy counts, the final assessments and the fee months of each settled period,
/// the closed surveys and the retention already held, on `conn` (the run's read transaction).
/// Records each plan's slots in `steps`.
async fn load_facts(
    conn: &mut Conn,
    steps: &mut [Step<'_>],
    clock: &mut PhaseClock,
) -> Result<Facts> {
    {
        let mut mode_rows = Vec::new();
        let mut period_rows = Vec::new();
        let mut retained_rows = Vec::new();
        let mut plan_no = 0_i64;
        let mut slot = 0_usize;
        let mut plan_compounds = std::collections::HashSet::new();
        for st in steps.iter_mut() {
            let Step::Plan(p) = st else {
                continue;
            };
            p.plan_no = plan_no as usize;
            p.slot0 = slot;
            plan_compounds.insert(p.sc.id);
            mode_rows.push(vec![
                Val::int(plan_no),
                Val::int(p.sc.id),
                Val::text(date_text(p.mode_on)),
            ]);
            for (_, ps, pe) in &p.selected {
                let last_day = pe.yesterday().unwrap_or(*pe);
                period_rows.push(vec![
                    Val::int(slot as i64),
                    Val::int(p.sc.id),
                    Val::text(date_text(*ps)),
                    Val::text(date_text(last_day)),
                    Val::text(Month::of(*ps).to_string()),
                    Val::text(Month::of(last_day).to_string()),
                ]);
                slot += 1;
            }
            if p.is_final {
                retained_rows.push(vec![
                    Val::int(plan_no),
                    Val::int(p.sc.id),
                    Val::int(p.k.id),
                    Val::text(date_text(p.held_before)),
                ]);
            }
            plan_no += 1;
        }
        // Each query walks its table's index in compound order (the plans come in the ledger's
        // order, by street and name): neighbouring lookups then share the pages read.
        let by_compound = |r: &Vec<Val>| match r.get(1) {
            Some(Val::Int(Some(id))) => *id,
            _ => 0,
        };
        mode_rows.sort_by_key(by_compound);
        period_rows.sort_by_key(by_compound);
        retained_rows.sort_by_key(by_compound);
        let plans = plan_no as usize;
        let mut facts = Facts {
            modes: vec![None; plans],
            assessments: vec![None; slot],
            third_party: vec![None; slot],
            fees: vec![
                Collection {
                    billed: Fen::ZERO,
                    collected: Fen::ZERO,
                    months: 0,
                };
                slot
            ],
            earlier: vec![Vec::new(); plans],
            surveys: HashMap::new(),
        };
        if plans == 0 {
            return Ok(facts);
        }
        let final_code = AssessmentStatus::Final.code();
        let period_cols = [
            ("k", Ty::Int),
            ("cid", Ty::Int),
            ("a", Ty::Text),
            ("b", Ty::Text),
            ("ma", Ty::Text),
            ("mb", Ty::Text),
        ];
        type ModeRow = (usize, i64, String, String);
        type AssessmentRow = (usize, i64, String, i64, Option<String>, Option<i64>, String);
        // The mode on the day before signing.
        let modes: Vec<ModeRow> = over_rows(
            conn,
            &[("k", Ty::Int), ("cid", Ty::Int), ("d", Ty::Text)],
            &mode_rows,
            |j| {
                format!(
                    " SELECT {} FROM r CROSS JOIN compound_modes m \
                         WHERE m.compound_id = r.cid AND m.since <= r.d",
                    j.agg_rows("r.k, m.id, m.mode, m.since", None)
                )
            },
        )
        .await?;
        // The final assessments whose period ends inside each settled period.
        let found: Vec<AssessmentRow> = over_rows(conn, &period_cols, &period_rows, |j| {
            format!(
                " SELECT {} FROM r CROSS JOIN assessments a \
                         WHERE a.compound_id = r.cid AND a.status = '{final_code}' \
                         AND a.period_end >= r.a AND a.period_end <= r.b",
                j.agg_rows(
                    "r.k, a.id, a.period_end, a.score_e2, a.grade_code, a.passed, \
                             a.assessor_kind",
                    None
                )
            )
        })
        .await?;
        // Retention held on the earlier subsidy lines of the same contract.
        let held: Vec<HeldRow> = over_rows(
            conn,
            &[
                ("k", Ty::Int),
                ("cid", Ty::Int),
                ("kid", Ty::Int),
                ("d", Ty::Text),
            ],
            &retained_rows,
            |j| {
                format!(
                    " SELECT {} FROM r CROSS JOIN subsidy_lines l \
                         WHERE l.compound_id = r.cid AND l.contract_id = r.kid \
                         AND l.kind = 'subsidy' AND l.status <> 'superseded' \
                         AND l.period_end IS NOT NULL AND l.period_end < r.d",
                    j.agg_rows(
                        "r.k, l.id, l.status, l.period_start, l.retained_fen, l.basis",
                        None
                    )
                )
            },
        )
        .await?;

        // Billed and collected over each settled period's months.
        let sums: Vec<(usize, i64, i64, u32)> = over_rows(conn, &period_cols, &period_rows, |j| {
            format!(
                ", q (k, billed, collected, n) AS (SELECT r.k, \
                         CAST(SUM(f.billed_fen) AS BIGINT), \
                         CAST(SUM(f.collected_fen) AS BIGINT), COUNT(*) \
                         FROM r CROSS JOIN fee_months f WHERE f.compound_id = r.cid \
                         AND f.month >= r.ma AND f.month <= r.mb GROUP BY r.k) \
                         SELECT {} FROM q",
                j.agg_rows("k, billed, collected, n", None)
            )
        })
        .await?;
        clock.lap("facts read");
        let corrupt = || StoreError::Corrupt("序号".into());
        // The mode: the latest period begun by the day before the policy counts from (ties: the
        // last recorded); none when the history begins later.
        let mut best_mode: Vec<Option<(Date, i64)>> = vec![None; plans];
        for (k, id, code, since) in modes {
            let mode = stored_mode(&code)?;
            let since = parse_date(&since)?;
            let slot = best_mode.get_mut(k).ok_or_else(corrupt)?;
            if slot.is_none_or(|b| (since, id) > b) {
                *slot = Some((since, id));
                facts.modes[k] = Some(mode);
            }
        }
        // The latest of the final assessments.
        for (k, id, end, score_e2, grade_code, passed, assessor_kind) in found {
            let found = FinalAssessment {
                id,
                end: parse_date(&end)?,
                score: rust_decimal::Decimal::new(score_e2, 2).normalize(),
                grade_code,
                passed: passed.map(|v| v != 0),
            };
            // The latest third-party evaluation of the period, kept apart: Yantai pays on it
            // and on nothing else (seed 001 三（四）).
            if assessor_kind == anju_core::assessment::AssessorKind::ThirdParty.code() {
                let slot = facts.third_party.get_mut(k).ok_or_else(corrupt)?;
                if slot
                    .as_ref()
                    .is_none_or(|b| (found.end, found.id) > (b.end, b.id))
                {
                    *slot = Some(found.clone());
                }
            }
            let slot = facts.assessments.get_mut(k).ok_or_else(corrupt)?;
            if slot
                .as_ref()
                .is_none_or(|b| (found.end, found.id) > (b.end, b.id))
            {
                *slot = Some(found);
            }
        }
        for (k, billed, collected, months) in sums {
            *facts.fees.get_mut(k).ok_or_else(corrupt)? = Collection {
                billed: Fen(billed),
                collected: Fen(collected),
                months,
            };
        }
        // One line per settled period: a rerun leaves a line already applied for in place and
        // writes a new draft beside it, and only one of them is the period's (the one applied
        // for, else the newest).
        // (plan, period start) → (applied for, id, retained, basis).
        let mut best: HashMap<(usize, Option<String>), HeldLine> = HashMap::new();
        for (k, id, status, start, retained, basis) in held {
            let claims = LineStatus::from_code(&status).is_some_and(LineStatus::claims);
            let slot = best
                .entry((k, start))
                .or_insert((claims, id, retained, None));
            if (claims, id) >= (slot.0, slot.1) {
                *slot = (claims, id, retained, basis);
            }
        }
        let mut kept: Vec<_> = best.into_iter().collect();
        kept.sort_by_key(|((k, _), (_, id, _, _))| (*k, *id));
        for ((k, _), (_, _, retained, basis)) in kept {
            facts
                .earlier
                .get_mut(k)
                .ok_or_else(corrupt)?
                .push((Fen(retained), basis));
        }
        // Closed surveys of the compounds, newest first, with their figures when valid: two
        // statements for all of them.
        for r in crate::surveys::closed_results_on(conn, &plan_compounds).await? {
            let sv = &r.survey;
            // A period that does not parse would leave the compound without its satisfaction
            // and change what it is paid: the run stops and names the survey instead.
            let Some(sp) = anju_core::assessment::Period::parse(&sv.period) else {
                return Err(StoreError::refused(
                    format!(
                        "满意度调查第 {} 号的期间“{}”无法识别（应为 2026H2、2026Q3、2026-11 或 2026 这样的写法），补贴测算无法读取它的满意度：请先更正该调查",
                        sv.id, sv.period
                    ),
                    format!(
                        "survey {} has a period '{}' that does not parse (write it like 2026H2, 2026Q3, 2026-11 or 2026): the run cannot read its satisfaction; correct the survey first",
                        sv.id, sv.period
                    ),
                ));
            };
            let rate = if r.valid { r.rate } else { None };
            facts
                .surveys
                .entry(sv.compound_id)
                .or_default()
                .push((sp.end, rate));
        }
        clock.lap("facts: surveys");
        Ok(facts)
    }
}

impl Store {
    /// A run with its lines.
    pub async fn get_subsidy_run(&self, id: i64) -> Result<SubsidyRun> {
        let mut run = self.get_subsidy_run_head(id).await?;
        run.lines = self
            .subsidy_lines(&LineFilter {
                run_id: Some(id),
                include_superseded: true,
                ..Default::default()
            })
            .await?;
        Ok(run)
    }

    /// A run without its lines.
    pub async fn get_subsidy_run_head(&self, id: i64) -> Result<SubsidyRun> {
        let row = query(
            "SELECT r.id, r.region_id, g.name, r.period, r.status, r.created_by, r.created_at \
             FROM subsidy_runs r JOIN regions g ON g.id = r.region_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound {
            entity: SUBSIDY_RUN,
            id,
        })?;
        let mut c = Cols::new(&row);
        Ok(SubsidyRun {
            id: c.i64()?,
            region_id: c.i64()?,
            region: c.string()?,
            period: c.string()?,
            status: c.string()?,
            created_by: c.string()?,
            created_at: c.timestamp()?,
            lines: Vec::new(),
        })
    }

    /// Every run, newest first (without lines).
    pub async fn list_subsidy_runs(&self, scope: crate::Scope) -> Result<Vec<SubsidyRun>> {
        // A region's reader sees the runs of its region and of every region under it (the tree
        // has four levels: city, district, street, community): a condition of the query.
        let (condition, region) = match scope {
            crate::Scope::All => ("", None),
            crate::Scope::Region(r) => (
                " WHERE g.id = $1 OR g.parent_id = $1 OR g.parent_id IN (SELECT p.id FROM \
                 regions p WHERE p.parent_id = $1 OR p.parent_id IN (SELECT q.id FROM regions q \
                 WHERE q.parent_id = $1))",
                Some(r),
            ),
            crate::Scope::Company(_) | crate::Scope::Compound(_) | crate::Scope::Nothing => {
                return Ok(Vec::new());
            }
        };
        let sql = format!(
            "SELECT r.id, r.region_id, g.name, r.period, r.status, r.created_by, r.created_at \
             FROM subsidy_runs r JOIN regions g ON g.id = r.region_id{condition} ORDER BY r.id DESC"
        );
        // The condition is one of two constants above; the region is bound.
        let mut q = query(sql);
        if let Some(r) = region {
            q = q.bind(r);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(SubsidyRun {
                    id: c.i64()?,
                    region_id: c.i64()?,
                    region: c.string()?,
                    period: c.string()?,
                    status: c.string()?,
                    created_by: c.string()?,
                    created_at: c.timestamp()?,
                    lines: Vec::new(),
                })
            })
            .collect()
    }

    /// Lines by filter, by street, compound and kind.
    pub async fn subsidy_lines(&self, f: &LineFilter) -> Result<Vec<SubsidyLine>> {
        // Read by keyset, LINES_PER_READ lines a statement in id order, in one snapshot, and
        // sorted here (street, compound, id: the byte order both engines' ORDER BY gave): a
        // city's lines over the years never have to fit in one value or one result.
        let mut rx = self.begin_read().await?;
        let mut w = Filter::new();
        w.and_some(f.run_id, "l.run_id = ?", Val::int);
        w.and_some(
            f.region_id,
            "(c.street_id = ? OR s.parent_id = ? OR c.community_id = ?)",
            Val::int,
        );
        w.and_some(f.compound_id, "l.compound_id = ?", Val::int);
        w.and_some(f.period.as_deref(), "l.period = ?", Val::text);
        w.and_some(f.company_id, "l.company_id = ?", Val::int);
        w.and_some(f.status, "l.status = ?", |st| Val::text(st.code()));
        w.and_if(!f.include_superseded, "l.status <> 'superseded'");
        w.and_if(f.nothing, "1 = 0");
        let mut lines: Vec<SubsidyLine> = Vec::new();
        loop {
            let mut chunk = w.clone();
            chunk.and("l.id > ?", [Val::int(lines.last().map_or(0, |l| l.id))]);
            let limit = chunk.placeholder(Val::int(LINES_PER_READ));
            let sql = format!(
                "SELECT {LINE_COLS}{LINE_FROM} WHERE 1 = 1{} ORDER BY l.id LIMIT {limit}",
                chunk.sql()
            );
            let rows = bind_all(query(sql), chunk.into_vals())
                .fetch_all(&mut rx)
                .await?;
            for row in &rows {
                lines.push(line_from_row(row)?);
            }
            if rows.len() < LINES_PER_READ as usize {
                break;
            }
        }
        rx.commit().await?;
        lines.sort_by(|a, b| (&a.street, &a.compound, a.id).cmp(&(&b.street, &b.compound, b.id)));
        if !f.without_explanations {
            explain_all(&mut lines)?;
        }
        Ok(lines)
    }

    /// Renders the explanations left empty by [`LineFilter::without_explanations`].
    pub fn explain_lines(&self, lines: &mut [SubsidyLine]) -> Result<()> {
        explain_all(lines)
    }

    pub async fn get_subsidy_line(&self, id: i64) -> Result<SubsidyLine> {
        let mut conn = self.pool.acquire().await?;
        fetch_line(&mut conn, id).await
    }

    /// One step on the money's path, in one audited transaction naming the version read.
    /// Applying is refused while another line claims the same compound, kind and days.
    #[expect(
        clippy::too_many_arguments,
        reason = "one explicit parameter per fact of a step"
    )]
    pub async fn subsidy_step(
        &self,
        actor: &Actor,
        role: anju_core::access::Role,
        line_id: i64,
        expected_version: i64,
        action: Action,
        person: &str,
        on: Date,
        comment: Option<&str>,
    ) -> Result<SubsidyLine> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_line(&mut tx, line_id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: SUBSIDY_LINE,
                id: line_id,
                expected: expected_version,
                actual: before.version,
            });
        }
        // The policy's chain (who reviews, approves and pays), and where the line is on it: its
        // status and its last step (两步拨付 leaves the line approved after the first).
        let last = last_step_on(&mut tx, line_id).await?;
        let chain = anju_policy::shipped::approval_chain(before.policy_id.as_deref())
            .for_line(before.status, last);
        let next = chain
            .transition(before.status, last, action, before.eligible)
            .map_err(refused)?;
        // Who may take it, judged on the line as it is inside this transaction (the caller
        // checked it before, on what it read; the line may have moved on since).
        chain
            .may_take(role, before.status, last, action)
            .map_err(refused)?;
        if action == Action::Apply {
            // Applications for one compound are taken one at a time (SQLite's write lock; a
            // transaction-scoped advisory lock on the compound on PostgreSQL), so two arriving
            // together for the same days cannot both pass the check below.
            if self.engine() == crate::Engine::Postgres {
                query("SELECT pg_advisory_xact_lock(7215002, CAST($1 AS INTEGER))")
                    .bind(before.compound_id)
                    .execute(&mut *tx)
                    .await?;
            }
            check_double(&mut tx, &before).await?;
        }
        let approved = match action {
            Action::Approve => Some(before.amount),
            _ => before.approved,
        };
        let done = query(
            "UPDATE subsidy_lines SET status = $1, approved_fen = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(next.code())
        .bind(approved.map(|f| f.0))
        .bind(at.clone())
        .bind(line_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: SUBSIDY_LINE,
                id: line_id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        let person = if person.trim().is_empty() {
            actor.name.clone()
        } else {
            person.trim().to_string()
        };
        query(
            "INSERT INTO subsidy_steps (line_id, action, from_status, to_status, person, role, \
             on_date, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(line_id)
        .bind(action.code())
        .bind(before.status.code())
        .bind(next.code())
        .bind(person)
        .bind(actor.role.clone())
        .bind(date_text(on))
        .bind(comment.map(str::to_string))
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        let after = fetch_line(&mut tx, line_id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: action.code(),
                entity: SUBSIDY_LINE,
                entity_id: Some(line_id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The steps of a line, oldest first.
    pub async fn subsidy_steps(&self, line_id: i64) -> Result<Vec<SubsidyStep>> {
        let rows = query(
            "SELECT id, line_id, action, from_status, to_status, person, role, on_date, comment, \
             created_at FROM subsidy_steps WHERE line_id = $1 ORDER BY id",
        )
        .bind(line_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(SubsidyStep {
                    id: c.i64()?,
                    line_id: c.i64()?,
                    action: c.string()?,
                    from_status: c.string()?,
                    to_status: c.string()?,
                    person: c.string()?,
                    role: c.string()?,
                    on: parse_date(&c.string()?)?,
                    comment: c.opt_string()?,
                    created_at: c.timestamp()?,
                })
            })
            .collect()
    }

    /// 调整决定: changes an approved amount, recording old and new and the reason; the payers'
    /// parts are split again so they still add up. Audited.
    pub async fn adjust_subsidy(
        &self,
        actor: &Actor,
        line_id: i64,
        expected_version: i64,
        new_amount: Fen,
        reason: &str,
        on: Date,
    ) -> Result<SubsidyLine> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_line(&mut tx, line_id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: SUBSIDY_LINE,
                id: line_id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let old = before.amount_due();
        funding::check_adjustment(before.status, old, new_amount, reason).map_err(refused)?;
        // Once finance has paid the street (拨付至街道), the amount is money out of the budget:
        // the street pays the company what finance paid, and no adjustment changes it.
        if last_step_on(&mut tx, line_id).await? == Some(Action::DisburseToStreet) {
            return Err(StoreError::refused(
                "财政已拨付至街道，金额不能再调整；多付或少付的，另行作出追缴或补拨决定",
                "finance has paid the street: the amount can no longer be adjusted; an over- or underpayment is a separate decision",
            ));
        }
        let payers = resplit(&before.payers, new_amount);
        query(
            "UPDATE subsidy_lines SET approved_fen = $1, payers = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(new_amount.0)
        .bind(to_json(&payers)?)
        .bind(at.clone())
        .bind(line_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let row = query(
            "INSERT INTO subsidy_adjustments (line_id, old_fen, new_fen, reason, decided_by, \
             decided_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(line_id)
        .bind(old.0)
        .bind(new_amount.0)
        .bind(reason.trim().to_string())
        .bind(actor.name.clone())
        .bind(date_text(on))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let adj_id = Cols::new(&row).i64()?;
        let after = fetch_line(&mut tx, line_id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![
                NewAudit {
                    action: "adjust",
                    entity: SUBSIDY_LINE,
                    entity_id: Some(line_id),
                    before: Some(to_json(&before)?),
                    after: Some(to_json(&after)?),
                },
                NewAudit {
                    action: "insert",
                    entity: SUBSIDY_ADJUSTMENT,
                    entity_id: Some(adj_id),
                    before: None,
                    after: Some(format!(
                        "{{\"line_id\":{line_id},\"old_fen\":{},\"new_fen\":{},\"reason\":{}}}",
                        old.0,
                        new_amount.0,
                        serde_json::to_string(reason.trim()).unwrap_or_default()
                    )),
                },
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The infrastructure grant of a compound, if it has one.
    pub async fn infra_grant_of(&self, compound_id: i64) -> Result<Option<SubsidyLine>> {
        let row = query("SELECT line_id FROM infra_grants WHERE compound_id = $1")
            .bind(compound_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => {
                let id = Cols::new(&r).i64()?;
                let mut conn = self.pool.acquire().await?;
                Ok(Some(fetch_line(&mut conn, id).await?))
            }
            None => Ok(None),
        }
    }

    /// The adjustment decisions of a line, oldest first.
    pub async fn subsidy_adjustments(&self, line_id: i64) -> Result<Vec<SubsidyAdjustment>> {
        let rows = query(
            "SELECT id, line_id, old_fen, new_fen, reason, decided_by, decided_on, created_at \
             FROM subsidy_adjustments WHERE line_id = $1 ORDER BY id",
        )
        .bind(line_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(SubsidyAdjustment {
                    id: c.i64()?,
                    line_id: c.i64()?,
                    old: Fen(c.i64()?),
                    new: Fen(c.i64()?),
                    reason: c.string()?,
                    decided_by: c.string()?,
                    decided_on: parse_date(&c.string()?)?,
                    created_at: c.timestamp()?,
                })
            })
            .collect()
    }

    /// 基础设施投入资金 (seed 004 三（五）): for a compound a company has taken over, paid to
    /// that company, `share_percent` % of what it invested, within 5,000–10,000 元
    /// ([`funding::infra_grant`]), paid by `payer` (the street office by default); a draft line
    /// that then walks the same path. Once per compound: the `infra_grants` row written in the
    /// same transaction refuses a second grant, however many arrive at once.
    #[allow(clippy::too_many_arguments)]
    pub async fn grant_infrastructure(
        &self,
        actor: &Actor,
        compound_id: i64,
        investment: Fen,
        share_percent: u32,
        on: Date,
        payer: Option<&str>,
        note: Option<&str>,
    ) -> Result<SubsidyLine> {
        let (amount, capped) = funding::infra_grant(investment, share_percent).map_err(refused)?;
        let c = self.get_compound(compound_id).await?;
        let Some(company_id) = c.company_id else {
            return Err(StoreError::refused(
                format!(
                    "小区“{}”没有接管的物业服务企业：基础设施投入资金只给接管小区的物业服务企业（大沁他拉方案 三（五））",
                    c.compound.name
                ),
                format!(
                    "'{}' has no company that took it over: infrastructure grants go to the company that did (Daqintala 3(5))",
                    c.compound.name
                ),
            ));
        };
        if let Some(e) = self.infra_grant_of(compound_id).await? {
            return Err(already_granted(&e));
        }
        let payer = payer.unwrap_or("街道办事处").to_string();
        let line = NewLine {
            compound_id,
            company_id: Some(company_id),
            contract_id: None,
            kind: LineKind::Infrastructure,
            policy_id: None,
            period: on.year().to_string(),
            days: Some((on, on)),
            eligible: true,
            amount,
            retained: Fen::ZERO,
            payers: vec![PayerShare {
                id: "grant".into(),
                name: payer.clone(),
                name_en: payer.clone(),
                weight: 1,
                amount,
            }],
            reason: None,
            explanation: (
                format!(
                    "基础设施投入资金：企业投入 {} 元 × {share_percent}% = {} 元{}（大沁他拉方案 三（五）：对接管后的小区，按比例给与物业服务企业 5000 元至 10000 元）{}",
                    investment.grouped(),
                    amount.grouped(),
                    if capped { "（按上限）" } else { "" },
                    note.map(|n| format!("；{n}")).unwrap_or_default()
                ),
                format!(
                    "Infrastructure grant: {} yuan invested × {share_percent}% = {} yuan{} (Daqintala 3(5): a share, 5,000–10,000 yuan, to the company that took the compound over){}",
                    investment.grouped(),
                    amount.grouped(),
                    if capped { " (the cap)" } else { "" },
                    note.map(|n| format!("; {n}")).unwrap_or_default()
                ),
            ),
        };
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let id = insert_line(&mut tx, None, &line, &at).await?;
        // Once per compound, by the primary key: a grant that lost a race is refused whole.
        let once = query("INSERT INTO infra_grants (compound_id, line_id) VALUES ($1, $2)")
            .bind(compound_id)
            .bind(id)
            .execute(&mut *tx)
            .await;
        if let Err(e) = once {
            drop(tx);
            return Err(match StoreError::from(e) {
                StoreError::Duplicate(_) => match self.infra_grant_of(compound_id).await? {
                    Some(first) => already_granted(&first),
                    None => StoreError::refused(
                        "该小区已有基础设施投入资金，不能重复",
                        "this compound already has an infrastructure grant",
                    ),
                },
                other => other,
            });
        }
        let after = fetch_line(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: SUBSIDY_LINE,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The last step of the money's path taken on a line (its steps in order), when any.
async fn last_step_on(conn: &mut Conn, line_id: i64) -> Result<Option<Action>> {
    Ok(
        query("SELECT action FROM subsidy_steps WHERE line_id = $1 ORDER BY id DESC")
            .bind(line_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .find_map(|r| {
                Cols::new(r)
                    .string()
                    .ok()
                    .and_then(|a| Action::from_code(&a))
            }),
    )
}

/// Refuses an application while another line claims the same compound and kind over any of
/// the same days (seed 000 四（三）、002 七（四）: nothing paid twice).
async fn check_double(conn: &mut Conn, line: &SubsidyLine) -> Result<()> {
    let rows = query(format!(
        "{} WHERE l.compound_id = $1 AND l.kind = $2 AND l.id <> $3",
        line_select()
    ))
    .bind(line.compound_id)
    .bind(line.kind.code())
    .bind(line.id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(mine) = line.period_start.zip(line.period_end) else {
        return Ok(());
    };
    for row in &rows {
        let other = line_from_row(row)?;
        let Some(theirs) = other.period_start.zip(other.period_end) else {
            continue;
        };
        if other.status.claims() && funding::overlaps(mine, theirs) {
            return Err(StoreError::refused(
                format!(
                    "小区“{}”{} 至 {} 已有{}申报（第 {} 号，{}，{} 至 {}），不能重复申报",
                    line.compound,
                    mine.0,
                    mine.1,
                    other.kind.label(Lang::Zh),
                    other.id,
                    other.status.label(Lang::Zh),
                    theirs.0,
                    theirs.1
                ),
                format!(
                    "'{}' already has an application for {} to {}: line {} ({}), {} to {}",
                    line.compound,
                    mine.0,
                    mine.1,
                    other.id,
                    other.status.label(Lang::En),
                    theirs.0,
                    theirs.1
                ),
            ));
        }
    }
    Ok(())
}

fn level_zh(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::City => "市",
        RegionLevel::District => "区县",
        RegionLevel::Street => "街道",
        RegionLevel::Community => "社区",
    }
}

/// The policy governing a street on a day: the street's own assignment, else its district's.
fn policy_for(
    all: &[FundingPolicy],
    street_id: i64,
    district_id: Option<i64>,
    on: Date,
) -> Option<String> {
    let pick = |rid: i64| {
        all.iter()
            .filter(|f| f.region_id == rid && f.valid_from <= on)
            .max_by_key(|f| f.valid_from)
            .map(|f| f.policy_id.clone())
    };
    pick(street_id).or_else(|| district_id.and_then(pick))
}

/// One contract of one compound in a run: its lines already (no policy, no entry date), or
/// what it settles, waiting for the facts.
enum Step<'a> {
    Done(Vec<NewLine>),
    Plan(Box<Plan<'a>>),
}

/// The policy periods one contract of one compound settles in a run.
struct Plan<'a> {
    sc: &'a RunCompound,
    k: &'a ContractRecord,
    base: NewLineBase,
    policy_id: String,
    term_start: Date,
    term_last: Date,
    service_end: Date,
    counted_from: Date,
    selected: Vec<(u32, Date, Date)>,
    first: (u32, Date, Date),
    days: (Date, Date),
    /// The day whose management mode decides eligibility: the day before the policy counts
    /// from (signing or entry).
    mode_on: Date,
    /// Whether the subsidy term ends in this run's window (the retention is settled here).
    is_final: bool,
    /// A release of its own (service ended in an earlier window): the term's last day.
    release_after: Option<Date>,
    /// Retention held on the contract's lines ending before this day is released here.
    held_before: Date,
    /// This plan's number among the run's plans (its slot in [`Facts::modes`] and
    /// [`Facts::retained`]).
    plan_no: usize,
    /// Its first settled period's slot in [`Facts::assessments`] and [`Facts::fees`].
    slot0: usize,
}

/// A final assessment, as much of it as the run uses.
#[derive(Clone)]
struct FinalAssessment {
    id: i64,
    end: Date,
    score: rust_decimal::Decimal,
    grade_code: Option<String>,
    passed: Option<bool>,
}

/// An earlier subsidy line of a final plan's contract: plan, id, status, period start,
/// retained fen, basis.
type HeldRow = (usize, i64, String, Option<String>, i64, Option<String>);

/// The line kept for a settled period: applied for, id, retained fen, basis.
type HeldLine = (bool, i64, i64, Option<String>);

/// The facts a run reads, in bulk, by plan and by settled period.
struct Facts {
    modes: Vec<Option<ManagementMode>>,
    assessments: Vec<Option<FinalAssessment>>,
    /// The latest final third-party evaluation per settled period.
    third_party: Vec<Option<FinalAssessment>>,
    fees: Vec<Collection>,
    /// The contract's earlier subsidy lines (by plan, when final), one per settled period:
    /// what each held back and its basis (the release pays what they held, and reads the whole
    /// term from them when the policy says so: `settle::carried`).
    earlier: Vec<Vec<(Fen, Option<String>)>>,
    /// Closed surveys by compound, newest first: (period end, rate when valid).
    surveys: HashMap<i64, Vec<(Date, Option<rust_decimal::Decimal>)>>,
}

/// What a run reads of a compound.
pub(crate) struct RunCompound {
    id: i64,
    street_id: i64,
    households: Option<u32>,
    built_year: Option<i64>,
    renovation: bool,
}

/// The compounds (not archived) under a district, street or community, in id order: only the
/// columns a run reads.
async fn run_compounds(conn: &mut Conn, scope: &crate::CompoundFilter) -> Result<Vec<RunCompound>> {
    let mut vals = Vec::new();
    let sql = format!(
        "SELECT {} FROM compounds c{}",
        JsonSql::for_conn(conn).agg_rows(
            "c.id, c.street_id, c.households, c.built_year, c.renovation",
            Some("c.id")
        ),
        scope.where_clause(&mut vals)
    );
    type Row = (i64, i64, Option<u32>, Option<i64>, i64);
    fetch_json::<Row>(conn, sql, vals)
        .await?
        .into_iter()
        .map(|(id, street_id, households, built_year, renovation)| {
            Ok(RunCompound {
                id,
                street_id,
                households,
                built_year,
                renovation: renovation != 0,
            })
        })
        .collect()
}

/// Runs the query `tail` builds after `WITH r (cols) AS (…)`, the table of `rows` (bound as
/// one JSON value per 20,000 rows), and decodes its one JSON column (from
/// [`JsonSql::agg_rows`]): how a run reads a fact for every compound in a statement or two,
/// with one row back each.
async fn over_rows<T: serde::de::DeserializeOwned>(
    conn: &mut Conn,
    cols: &[(&str, Ty)],
    rows: &[Vec<Val>],
    tail: impl Fn(&JsonSql) -> String,
) -> Result<Vec<T>> {
    let j = JsonSql::for_conn(conn);
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let types: Vec<Ty> = cols.iter().map(|c| c.1).collect();
    let mut out = Vec::new();
    for chunk in rows.chunks(20_000) {
        let sql = format!(
            "WITH r ({}) AS ({}){}",
            names.join(", "),
            j.rows_of(&Ph::for_conn(conn).one(), &types, ""),
            tail(&j)
        );
        let param = json_rows(chunk.iter().map(Vec::as_slice));
        out.extend(fetch_json::<T>(conn, sql, vec![Val::text(param)]).await?);
    }
    Ok(out)
}

/// The columns a run writes of each line, in the order of [`insert_lines`]' values.
const LINE_INSERT_COLS: [(&str, Ty); 17] = [
    ("compound_id", Ty::Int),
    ("company_id", Ty::Int),
    ("contract_id", Ty::Int),
    ("kind", Ty::Text),
    ("policy_id", Ty::Text),
    ("period", Ty::Text),
    ("period_start", Ty::Text),
    ("period_end", Ty::Text),
    ("eligible", Ty::Int),
    ("amount_fen", Ty::Int),
    ("retained_fen", Ty::Int),
    ("payers", Ty::Text),
    ("reason_zh", Ty::Text),
    ("reason_en", Ty::Text),
    ("explanation_zh", Ty::Text),
    ("explanation_en", Ty::Text),
    ("basis", Ty::Text),
];

/// Writes a run's lines, as drafts of version 1 (ids from the database, in the lines' order).
async fn insert_lines(
    conn: &mut Conn,
    run_id: i64,
    lines: &[(NewLine, Option<std::sync::Arc<str>>)],
    at: &str,
) -> Result<()> {
    let mut rows = Vec::with_capacity(lines.len());
    for (l, basis) in lines {
        rows.push(vec![
            Val::int(l.compound_id),
            Val::Int(l.company_id),
            Val::Int(l.contract_id),
            Val::text(l.kind.code()),
            Val::Text(l.policy_id.clone()),
            Val::text(l.period.clone()),
            Val::Text(l.days.map(|d| date_text(d.0))),
            Val::Text(l.days.map(|d| date_text(d.1))),
            Val::flag(l.eligible),
            Val::int(l.amount.0),
            Val::int(l.retained.0),
            Val::text(to_json(&l.payers)?),
            Val::Text(l.reason.as_ref().map(|r| r.0.clone())),
            Val::Text(l.reason.as_ref().map(|r| r.1.clone())),
            Val::text(l.explanation.0.clone()),
            Val::text(l.explanation.1.clone()),
            Val::Text(basis.as_deref().map(str::to_string)),
        ]);
    }
    let fixed = [
        ("run_id", Val::int(run_id)),
        ("status", Val::text(LineStatus::Draft.code())),
        ("version", Val::int(1)),
        ("created_at", Val::text(at)),
        ("updated_at", Val::text(at)),
    ];
    insert_rows(conn, "subsidy_lines", &LINE_INSERT_COLS, &fixed, &rows).await
}

/// The audit copy of every line run `run_id` wrote, made by the database from the lines just
/// written (one statement): every computed figure, without the explanation text or its basis,
/// which stay on the line and which the database refuses to change (migration 0010).
async fn audit_run_lines(conn: &mut Conn, actor: &Actor, at: &str, run_id: i64) -> Result<()> {
    let j = JsonSql::for_conn(conn);
    let after = j.obj(&format!(
        "'id', l.id, 'run_id', l.run_id, 'compound_id', l.compound_id, \
         'company_id', l.company_id, 'contract_id', l.contract_id, 'kind', l.kind, \
         'policy_id', l.policy_id, 'period', l.period, 'period_start', l.period_start, \
         'period_end', l.period_end, 'eligible', {}, 'amount', l.amount_fen, \
         'retained', l.retained_fen, 'payers', {}, 'reason_zh', l.reason_zh, \
         'status', l.status, 'version', l.version",
        j.boolean("l.eligible = 1"),
        j.raw("l.payers")
    ));
    let mut ph = Ph::for_conn(conn);
    let sql = format!(
        "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, before, after) \
         SELECT {}, {}, {}, 'insert', '{SUBSIDY_LINE}', l.id, NULL, {after} \
         FROM subsidy_lines l WHERE l.run_id = {} ORDER BY l.id",
        ph.one(),
        ph.one(),
        ph.one(),
        ph.one()
    );
    query(sql)
        .bind(at.to_string())
        .bind(actor.name.clone())
        .bind(actor.role.clone())
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    // Subsidy lines feed no kept figure (the 工作台's, the ledger's): no counter moves.
    Ok(())
}

/// What one contract of one compound settles in a run (none when the run settles none of its
/// policy periods), or its line already when it cannot be computed.
fn plan_line<'a>(
    sc: &'a RunCompound,
    k: &'a ContractRecord,
    assignments: &[FundingPolicy],
    district_id: Option<i64>,
    period: RunPeriod,
    policies: &mut HashMap<String, Policy>,
) -> Result<Step<'a>> {
    let mut base = NewLineBase {
        compound_id: sc.id,
        company_id: Some(k.company_id),
        contract_id: Some(k.id),
        policy_id: None,
        period: period.code(),
    };
    // The policy in force when the run's window (or the contract) starts; for a contract that
    // has ended, the one in force when it ended (its retention is released under the policy
    // that held it back, also in a later run).
    let probe = period.window(k.signed_on).map_or(k.signed_on, |w| w.1);
    let probe = k.ended_on.map_or(probe, |e| probe.min(e));
    let Some(policy_id) = policy_for(assignments, sc.street_id, district_id, probe) else {
        return Ok(Step::Done(vec![ineligible(
            base,
            None,
            "未指定适用的补贴政策（由审批部门在“补贴”页面的“适用政策”中为本街道或区县指定）".into(),
            "no subsidy policy assigned (the approving office assigns one under Policies in force on the Subsidies page)".into(),
            None,
        )]));
    };
    base.policy_id = Some(policy_id.clone());
    let policy = settle::shipped_policy(policies, &policy_id)?;
    let start = match policy.periods.from {
        From::Signed => k.signed_on,
        From::Entry => match k.entry_on {
            Some(e) => e,
            None => {
                return Ok(Step::Done(vec![ineligible(
                    base,
                    None,
                    "缺少正式进场日期（政策自进场之日起计算）".into(),
                    "no formal entry date (the policy counts from entry)".into(),
                    None,
                )]));
            }
        },
    };
    let Some(window) = period.window(start) else {
        return Ok(Step::Done(Vec::new()));
    };
    let term_start = k.term_start();
    let term_last = k.term_last_day();
    let term_end_excl = term_last.tomorrow().unwrap_or(term_last);
    let mut service_end = term_end_excl;
    if let Some(e) = k.ended_on {
        service_end = service_end.min(e.tomorrow().unwrap_or(e));
    }
    if let Some(t) = policy.effective_to {
        service_end = service_end.min(t.tomorrow().unwrap_or(t));
    }
    let counted_from = policy.effective_from.map_or(start, |e| start.max(e));
    // The policy's periods over the whole term, and those with service in them.
    let term: Vec<(u32, Date, Date)> = schedule(policy, start, term_end_excl)
        .into_iter()
        .filter(|(_, _, e)| *e > counted_from)
        .collect();
    let sched: Vec<(u32, Date, Date)> = term
        .iter()
        .copied()
        .filter(|(_, s, _)| *s < service_end)
        .collect();
    let in_window = |e: Date| funding::settles_in(e.yesterday().unwrap_or(e), window);
    let selected: Vec<(u32, Date, Date)> = sched
        .iter()
        .copied()
        .filter(|(_, _, e)| in_window(*e))
        .collect();
    // The retention is settled in the run whose window holds the end of the subsidy term, also
    // when service ended earlier (Liaocheng 四（一）: "剩余部分在3年补助期限届满后…予以支付").
    let term_over = term.last().map(|p| p.2).filter(|e| in_window(*e));
    let is_final = term_over.is_some();
    let (selected, release_after) = match (selected.is_empty(), term_over, sched.last()) {
        (false, _, _) => (selected, None),
        // Service ended in an earlier window: a release of its own, on the last served period.
        (true, Some(over), Some(last_served)) if policy.retention.is_some() => {
            (vec![*last_served], over.yesterday().ok())
        }
        _ => return Ok(Step::Done(Vec::new())),
    };
    let (Some(first), Some(last)) = (selected.first().copied(), selected.last().copied()) else {
        return Ok(Step::Done(Vec::new()));
    };
    let days = (first.1, last.2.yesterday().unwrap_or(last.2));
    // The retention the contract's earlier lines held: before this settlement, or all of it
    // when this is a release of its own.
    let held_before = term_over
        .filter(|_| release_after.is_some())
        .unwrap_or(days.0);
    Ok(Step::Plan(Box::new(Plan {
        sc,
        k,
        base,
        policy_id,
        term_start,
        term_last,
        service_end,
        counted_from,
        selected,
        first,
        days,
        mode_on: start.yesterday().unwrap_or(start),
        is_final,
        release_after,
        held_before,
        plan_no: 0,
        slot0: 0,
    })))
}

/// A planned settlement's basis: the facts read in bulk, as the calculator takes them.
fn basis_of(plan: &Plan<'_>, facts: &Facts) -> Basis {
    let (sc, k) = (plan.sc, plan.k);
    let mode = facts.modes.get(plan.plan_no).copied().flatten();
    let no_surveys = Vec::new();
    let surveys = facts.surveys.get(&sc.id).unwrap_or(&no_surveys);
    let periods = plan
        .selected
        .iter()
        .enumerate()
        .map(|(j, (idx, ps, pe))| {
            let last_day = pe.yesterday().unwrap_or(*pe);
            let a = facts
                .assessments
                .get(plan.slot0 + j)
                .and_then(Option::as_ref);
            let third = facts
                .third_party
                .get(plan.slot0 + j)
                .and_then(Option::as_ref);
            // Satisfaction: the latest closed, valid survey whose period ends in this one.
            let mut satisfaction = None;
            let mut best: Option<Date> = None;
            for (end, rate) in surveys {
                if *end < *ps || *end > last_day || best.is_some_and(|b| b > *end) {
                    continue;
                }
                if rate.is_some() {
                    satisfaction = *rate;
                    best = Some(*end);
                }
            }
            let fees = facts.fees.get(plan.slot0 + j).copied();
            BasisPeriod {
                n: *idx,
                assessment: a.map(|a| a.id),
                score: a.map(|a| a.score),
                grade: a.and_then(|a| a.grade_code.clone()),
                passed: a.and_then(|a| a.passed),
                third_party_passed: third.and_then(|a| a.passed),
                satisfaction,
                billed: fees.map_or(0, |f| f.billed.0),
                collected: fees.map_or(0, |f| f.collected.0),
                months: fees.map_or(0, |f| f.months),
            }
        })
        .collect();
    Basis {
        v: 1,
        mode: mode.map(|m| m.code().to_string()),
        mode_on: Some(plan.mode_on),
        area: k.served_area.to_decimal(),
        households: sc.households,
        built_year: sc.built_year.and_then(|y| i16::try_from(y).ok()),
        renovation: sc.renovation,
        signed: k.signed_on,
        entry: k.entry_on,
        term: (plan.term_start, plan.term_last),
        fee: k.fees.multi.or(k.fees.high).map(Fen::to_yuan),
        ended: plan
            .days
            .1
            .min(plan.service_end.yesterday().unwrap_or(plan.service_end)),
        from: plan.counted_from.max(plan.first.1),
        last: plan.is_final,
        release_after: plan.release_after,
        days: plan.days,
        periods,
        carried: None,
        held: if plan.is_final {
            facts
                .earlier
                .get(plan.plan_no)
                .map_or(Fen::ZERO, |e| e.iter().map(|(held, _)| *held).sum())
                .0
        } else {
            0
        },
    }
}

/// The lines of a planned settlement, from the facts read in bulk, without their explanations
/// (each line that would have one carries its basis instead).
fn finish_line(
    plan: &Plan<'_>,
    policies: &HashMap<String, Policy>,
    facts: &Facts,
    cache: &mut PolicyCache,
) -> Result<Vec<(NewLine, Option<std::sync::Arc<str>>)>> {
    let policy = policies
        .get(&plan.policy_id)
        .ok_or_else(|| StoreError::Corrupt(format!("政策 {}", plan.policy_id)))?;
    let mut basis = basis_of(plan, facts);
    if plan.is_final
        && let Some(earlier) = facts.earlier.get(plan.plan_no)
    {
        basis.carried = settle::carried(&plan.base, &basis, earlier, policy, cache)?;
    }
    let lines = settle::settle(&plan.base, &basis, policy, cache, false)?;
    let json: Option<std::sync::Arc<str>> = lines
        .iter()
        .any(|l| l.explanation.0.is_empty())
        .then(|| basis.to_json().map(std::sync::Arc::from))
        .transpose()?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let b = if l.explanation.0.is_empty() {
                json.clone()
            } else {
                None
            };
            (l, b)
        })
        .collect())
}

/// What [`Store::bench_seed_funding`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchFundingSeeded {
    pub contracts: u64,
    pub assessments: u64,
    pub fee_months: u64,
}

impl Store {
    /// BENCHMARK ONLY (`anju bench funding`), never called by the application: gives every
    /// compound without a contract a 3-year-style contract signed on `signed_on` (served by its
    /// ledger company, else `fallback_company_id`), a closed 无物业 mode period before it (so a
    /// takeover policy finds it eligible), one *final* assessment per contract year (scores
    /// 80–99) and `years × 12` fee months (collection 70–100 %), all generated in SQL
    /// (`INSERT … SELECT`) without audit or workflow. Real data enters through
    /// `sign_contract`, the assessment workflow and the fee import, which check and audit every
    /// row. On PostgreSQL the contracts' identity is moved past the ids it wrote.
    pub async fn bench_seed_funding(
        &self,
        signed_on: Date,
        years: u32,
        fallback_company_id: i64,
    ) -> Result<BenchFundingSeeded> {
        if !(1..=10).contains(&years) {
            return Err(StoreError::refused(
                "年数须在 1–10 之间",
                "years must be between 1 and 10",
            ));
        }
        let at = now_ts();
        let signed = date_text(signed_on);
        let term_months = i64::from(years) * 12;
        let mut tx = self.begin_write().await?;
        let off = Cols::new(
            &query("SELECT COALESCE(MAX(id), 0) FROM contracts")
                .fetch_one(&mut *tx)
                .await?,
        )
        .i64()?;
        query("CREATE TEMP TABLE bench_new (compound_id INTEGER PRIMARY KEY, contract_id INTEGER)")
            .execute(&mut *tx)
            .await?;
        query(
            "INSERT INTO bench_new (compound_id, contract_id) SELECT c.id, $1 + c.id FROM \
             compounds c WHERE c.archived = 0 AND NOT EXISTS (SELECT 1 FROM contract_compounds \
             cc WHERE cc.compound_id = c.id)",
        )
        .bind(off)
        .execute(&mut *tx)
        .await?;
        // Served area 10,000–59,999 ㎡ (stored in centi-㎡); 0.60 元/㎡·月.
        let contracts = query(
            "INSERT INTO contracts (id, company_id, signer, signer_name, signed_on, entry_on, \
             term_months, service_level, fee_multi_fen, fee_high_fen, served_area, notice_on, \
             filed_on, status, version, created_at, updated_at) SELECT b.contract_id, \
             COALESCE(c.company_id, $1), 'street', '基准街道', $2, $2, $3, 2, 60, NULL, \
             (10000 + (c.id * 7919) % 50000) * 100, NULL, $2, 'active', 1, $4, $4 \
             FROM bench_new b JOIN compounds c ON c.id = b.compound_id",
        )
        .bind(fallback_company_id)
        .bind(signed.clone())
        .bind(term_months)
        .bind(at.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if self.engine() == crate::Engine::Postgres {
            query(
                "SELECT setval(pg_get_serial_sequence('contracts', 'id'), \
                 (SELECT MAX(id) FROM contracts))",
            )
            .execute(&mut *tx)
            .await?;
        }
        query(
            "INSERT INTO contract_compounds (contract_id, compound_id) SELECT contract_id, \
             compound_id FROM bench_new",
        )
        .execute(&mut *tx)
        .await?;
        let before = signed_on.yesterday().unwrap_or(signed_on);
        let since = Date::new(before.year() - 2, 1, 1).unwrap_or(before);
        query(
            "INSERT INTO compound_modes (compound_id, mode, since, until, actor, created_at) \
             SELECT compound_id, 'none', $1, $2, 'bench', $3 FROM bench_new",
        )
        .bind(date_text(since))
        .bind(date_text(before))
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        let scorecard = |score: i64| -> Result<String> {
            to_json(&anju_policy::rubric::Scorecard {
                rubric_id: "bench".into(),
                rubric_name_zh: "基准".into(),
                rubric_name_en: "bench".into(),
                items: Vec::new(),
                groups: Vec::new(),
                total: rust_decimal::Decimal::new(score, 0),
                max_total: rust_decimal::Decimal::new(100, 0),
                complete: true,
                grade: None,
                sources: Default::default(),
            })
        };
        let mut assessments = 0;
        let mut fee_months = 0;
        for y in 0..years as i32 {
            let (Some(ys), Some(ye)) = (
                dates::add_months(signed_on, y * 12),
                dates::add_months(signed_on, (y + 1) * 12),
            ) else {
                break;
            };
            let last = ye.yesterday().unwrap_or(ye);
            let final_on = last.tomorrow().unwrap_or(last);
            // One final assessment per contract year, score 80–99 (the scorecard's total is
            // illustrative; the score column is what the run reads).
            let card = scorecard(90)?;
            assessments += query(
                "INSERT INTO assessments (compound_id, company_id, period, period_kind, \
                 period_start, period_end, rubric_id, assessor_kind, assessor, status, events, \
                 survey, scorecard, score_e2, grade_code, passed, objection_days, submitted_on, \
                 final_on, version, created_at, updated_at) SELECT b.compound_id, k.company_id, \
                 $1, 'year', $2, $3, 'bench', 'street', '基准街道', 'final', '[]', NULL, $4, \
                 (80 + (b.compound_id * 31 + $5) % 20) * 100, NULL, 1, 0, $6, $6, 1, $7, $7 \
                 FROM bench_new b JOIN contracts k ON k.id = b.contract_id",
            )
            .bind(format!("{}", last.year()))
            .bind(date_text(ys))
            .bind(date_text(last))
            .bind(card)
            .bind(i64::from(y))
            .bind(date_text(final_on))
            .bind(at.clone())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            for m in 0..12 {
                let Some(d) = dates::add_months(ys, m) else {
                    break;
                };
                // 应收 = area × 0.60 元; 实收 70–100 % of it, varying by compound and year.
                fee_months += query(
                    "INSERT INTO fee_months (compound_id, month, billed_fen, collected_fen, \
                     source, version, created_at, updated_at) SELECT b.compound_id, $1, \
                     k.served_area * 60 / 100, k.served_area * 60 / 100 * \
                     (70 + (b.compound_id * 17 + $2) % 31) / 100, 'import', 1, $3, $3 \
                     FROM bench_new b JOIN contracts k ON k.id = b.contract_id",
                )
                .bind(Month::of(d).to_string())
                .bind(i64::from(y))
                .bind(at.clone())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        }
        query("DROP TABLE bench_new").execute(&mut *tx).await?;
        tx.commit().await?;
        self.bench_analyze().await?;
        Ok(BenchFundingSeeded {
            contracts,
            assessments,
            fee_months,
        })
    }
}

/// The refusal of a second infrastructure grant, naming the first.
fn already_granted(e: &SubsidyLine) -> StoreError {
    StoreError::refused(
        format!(
            "小区“{}”已有基础设施投入资金（第 {} 号，{} 元，{}），每个小区只给一次",
            e.compound,
            e.id,
            e.amount.grouped(),
            e.status.label(Lang::Zh)
        ),
        format!(
            "'{}' already has an infrastructure grant (line {}, {} yuan): one per compound",
            e.compound,
            e.id,
            e.amount.grouped()
        ),
    )
}
