//! Owners' votes (issue 19 item 2): the register of households with their exclusive areas
//! (业主名册), and votes with one ballot per household (migration 0026). Opening a vote freezes
//! the register into it — the households, their areas, one token each — so a later change to
//! the register never moves a vote's denominators. A ballot is cast once, online by its token or
//! from paper with its scan; closing counts them with `anju_core::vote::count` and freezes the
//! result (the database refuses any later change). Each write is one audited transaction; a
//! ballot's audit row records what it says (for the auditor), while the public sheet shows only
//! totals.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, date_text, now_ts, parse_date, query};
use crate::surveys::new_token;
use crate::{Result, Store, StoreError};
use anju_core::vote::{Cast, Channel, Choice, Matter, VoteCount, VoteStatus, count};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const HOUSEHOLD: &str = "household";
pub(crate) const VOTE: &str = "vote";
pub(crate) const VOTE_BALLOT: &str = "vote_ballot";

/// A household of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Household {
    pub id: i64,
    pub compound_id: i64,
    /// 房号.
    pub unit: String,
    pub owner_name: Option<String>,
    /// 专有部分面积, 0.01 ㎡.
    pub area_centi: i64,
    pub version: i64,
}

/// A household to add, or to update by its 房号.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewHousehold {
    pub unit: String,
    #[serde(default)]
    pub owner_name: Option<String>,
    pub area_centi: i64,
}

/// What a register import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegisterSummary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// The register after it: households and their area.
    pub households: u64,
    pub area_centi: i64,
}

/// A choice of a vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteOption {
    pub no: u32,
    pub label: String,
    pub company_id: Option<i64>,
}

/// A vote as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteRecord {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street_id: i64,
    pub matter: Matter,
    pub question: String,
    pub owners_body_id: Option<i64>,
    #[schema(value_type = String, format = Date)]
    pub opens_on: Date,
    #[schema(value_type = String, format = Date)]
    pub closes_on: Date,
    pub status: VoteStatus,
    /// The register frozen when the vote opened.
    pub owners: i64,
    pub area_centi: i64,
    /// Ballots cast so far, and their area.
    pub cast: i64,
    pub cast_area_centi: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    /// The count, once closed.
    pub result: Option<VoteCount>,
    pub carried_option: Option<u32>,
    /// What the result was used for (a lifecycle step, a dismissal proposal, an election).
    pub applied_note: Option<String>,
    pub created_by: String,
    pub options: Vec<VoteOption>,
    pub version: i64,
}

/// A vote to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVote {
    pub compound_id: i64,
    pub matter: Matter,
    pub question: String,
    pub owners_body_id: Option<i64>,
    pub opens_on: Date,
    pub closes_on: Date,
    /// (label, company) in order; numbered from 1.
    pub options: Vec<(String, Option<i64>)>,
}

/// A household's ballot as the officials running the vote see it: whether and how it came in,
/// never what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BallotRow {
    pub id: i64,
    pub household_id: i64,
    pub unit: String,
    pub area_centi: i64,
    /// The household's one-use link key (for the printed sheet).
    pub token: String,
    pub cast: bool,
    pub channel: Option<Channel>,
    #[schema(value_type = Option<String>, format = Date)]
    pub received_on: Option<Date>,
    pub evidence_sha: Option<String>,
    pub entered_by: Option<String>,
}

/// What a resident's link opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBallot {
    pub vote: VoteRecord,
    pub unit: String,
    pub area_centi: i64,
    pub cast: bool,
}

/// A ballot to cast: what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BallotChoice {
    pub choice: Choice,
    #[serde(default)]
    pub option_no: Option<u32>,
}

/// A paper ballot, entered by the office with its scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperBallot {
    pub household_id: i64,
    pub says: BallotChoice,
    pub received_on: Date,
    pub evidence_sha: String,
}

const SELECT: &str = "SELECT v.id, v.compound_id, c.name, c.street_id, v.matter, v.question, \
     v.owners_body_id, v.opens_on, v.closes_on, v.status, v.owners, v.area_centi, \
     (SELECT COUNT(*) FROM vote_ballots b WHERE b.vote_id = v.id AND b.cast_at IS NOT NULL), \
     (SELECT CAST(COALESCE(SUM(b.area_centi), 0) AS BIGINT) FROM vote_ballots b WHERE b.vote_id = v.id \
     AND b.cast_at IS NOT NULL), \
     v.closed_on, v.result, v.carried_option, v.applied_note, v.created_by, v.version \
     FROM votes v JOIN compounds c ON c.id = v.compound_id";

fn corrupt(what: &str, s: &str) -> StoreError {
    StoreError::Corrupt(format!("未知的{what} '{s}'"))
}

fn from_row(row: &Row) -> Result<VoteRecord> {
    let mut c = Cols::new(row);
    Ok(VoteRecord {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        street_id: c.i64()?,
        matter: {
            let s = c.string()?;
            Matter::from_code(&s).ok_or_else(|| corrupt("表决事项", &s))?
        },
        question: c.string()?,
        owners_body_id: c.opt_i64()?,
        opens_on: parse_date(&c.string()?)?,
        closes_on: parse_date(&c.string()?)?,
        status: {
            let s = c.string()?;
            VoteStatus::from_code(&s).ok_or_else(|| corrupt("表决状态", &s))?
        },
        owners: c.i64()?,
        area_centi: c.i64()?,
        cast: c.i64()?,
        cast_area_centi: c.i64()?,
        closed_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        result: c
            .opt_string()?
            .map(|s| {
                serde_json::from_str(&s)
                    .map_err(|e| StoreError::Corrupt(format!("表决结果无法读取：{e}")))
            })
            .transpose()?,
        carried_option: c.opt_u32()?,
        applied_note: c.opt_string()?,
        created_by: c.string()?,
        options: Vec::new(),
        version: c.i64()?,
    })
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<VoteRecord> {
    let row = query(format!("{SELECT} WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: VOTE, id })?;
    let mut v = from_row(&row)?;
    v.options = options_of(conn, id).await?;
    Ok(v)
}

async fn options_of(conn: &mut Conn, vote_id: i64) -> Result<Vec<VoteOption>> {
    let rows =
        query("SELECT no, label, company_id FROM vote_options WHERE vote_id = $1 ORDER BY no")
            .bind(vote_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            let mut c = Cols::new(r);
            Ok(VoteOption {
                no: c.u32()?,
                label: c.string()?,
                company_id: c.opt_i64()?,
            })
        })
        .collect()
}

fn household_from_row(row: &Row) -> Result<Household> {
    let mut c = Cols::new(row);
    Ok(Household {
        id: c.i64()?,
        compound_id: c.i64()?,
        unit: c.string()?,
        owner_name: c.opt_string()?,
        area_centi: c.i64()?,
        version: c.i64()?,
    })
}

const HOUSEHOLD_SELECT: &str =
    "SELECT id, compound_id, unit, owner_name, area_centi, version FROM households";

fn closed_refusal() -> StoreError {
    StoreError::refused(
        "表决已结束，不能再投票",
        "This vote is closed; no more ballots",
    )
}

fn cast_refusal() -> StoreError {
    StoreError::refused(
        "该户已经投过票，每户只能投一次",
        "This household has already voted; one ballot per household",
    )
}

/// Checks what a ballot says against the vote's options.
fn check_says(v: &VoteRecord, says: BallotChoice) -> Result<Option<i64>> {
    match (says.choice, says.option_no) {
        (Choice::ForOption, Some(n)) if v.options.iter().any(|o| o.no == n) => {
            Ok(Some(i64::from(n)))
        }
        (Choice::ForOption, _) => Err(StoreError::refused(
            "请选择表决选项",
            "choose one of the vote's options",
        )),
        (_, _) => Ok(None),
    }
}

/// Takes the vote's row lock and checks it is open: a ballot and the closing never cross (on
/// PostgreSQL the closing holds this row until it commits; SQLite writes one at a time).
async fn lock_open(conn: &mut Conn, vote_id: i64) -> Result<()> {
    let done = query("UPDATE votes SET updated_at = updated_at WHERE id = $1 AND status = 'open'")
        .bind(vote_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(closed_refusal())
    }
}

impl Store {
    /// A compound's register, by 房号.
    pub async fn households_of(&self, compound_id: i64) -> Result<Vec<Household>> {
        let rows = query(format!(
            "{HOUSEHOLD_SELECT} WHERE compound_id = $1 ORDER BY unit"
        ))
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(household_from_row).collect()
    }

    /// Adds households to a compound's register, or updates those whose 房号 it has (owner and
    /// area), in one audited transaction; rows that change nothing are left alone (importing
    /// the same file twice changes nothing).
    pub async fn import_households(
        &self,
        actor: &Actor,
        compound_id: i64,
        rows: &[NewHousehold],
    ) -> Result<RegisterSummary> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, compound_id).await?;
        let mut summary = RegisterSummary::default();
        let mut entries = Vec::new();
        for h in rows {
            let found = query(format!(
                "{HOUSEHOLD_SELECT} WHERE compound_id = $1 AND unit = $2"
            ))
            .bind(compound_id)
            .bind(h.unit.clone())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| household_from_row(&r))
            .transpose()?;
            match found {
                Some(old) if old.owner_name == h.owner_name && old.area_centi == h.area_centi => {
                    summary.unchanged += 1;
                }
                Some(old) => {
                    query(
                        "UPDATE households SET owner_name = $1, area_centi = $2, \
                         version = version + 1, updated_at = $3 WHERE id = $4",
                    )
                    .bind(h.owner_name.clone())
                    .bind(h.area_centi)
                    .bind(at.clone())
                    .bind(old.id)
                    .execute(&mut *tx)
                    .await?;
                    summary.updated += 1;
                    let new = Household {
                        owner_name: h.owner_name.clone(),
                        area_centi: h.area_centi,
                        version: old.version + 1,
                        ..old.clone()
                    };
                    entries.push(NewAudit {
                        action: "update",
                        entity: HOUSEHOLD,
                        entity_id: Some(old.id),
                        before: Some(to_json(&old)?),
                        after: Some(to_json(&new)?),
                    });
                }
                None => {
                    let row = query(
                        "INSERT INTO households (compound_id, unit, owner_name, area_centi, \
                         version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) \
                         RETURNING id",
                    )
                    .bind(compound_id)
                    .bind(h.unit.clone())
                    .bind(h.owner_name.clone())
                    .bind(h.area_centi)
                    .bind(at.clone())
                    .fetch_one(&mut *tx)
                    .await?;
                    let id = Cols::new(&row).i64()?;
                    summary.added += 1;
                    let new = Household {
                        id,
                        compound_id,
                        unit: h.unit.clone(),
                        owner_name: h.owner_name.clone(),
                        area_centi: h.area_centi,
                        version: 1,
                    };
                    entries.push(NewAudit {
                        action: "insert",
                        entity: HOUSEHOLD,
                        entity_id: Some(id),
                        before: None,
                        after: Some(to_json(&new)?),
                    });
                }
            }
        }
        let row = query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(area_centi), 0) AS BIGINT) FROM households \
             WHERE compound_id = $1",
        )
        .bind(compound_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut c = Cols::new(&row);
        summary.households = c.i64()?.unsigned_abs();
        summary.area_centi = c.i64()?;
        if !entries.is_empty() {
            audit::append(&mut tx, actor, &at, entries).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    /// Opens a vote: the register frozen into it with one ballot (and token) per household.
    /// Refused when the register is empty, or while the compound has another open vote on the
    /// same matter.
    pub async fn open_vote(&self, actor: &Actor, new: NewVote) -> Result<VoteRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let other = query(
            "SELECT id FROM votes WHERE compound_id = $1 AND matter = $2 AND status = 'open'",
        )
        .bind(new.compound_id)
        .bind(new.matter.code())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = other {
            let id = Cols::new(&r).i64()?;
            return Err(StoreError::Refused {
                zh: format!("该小区已有同一事项的表决正在进行（#{id}），请先结束它"),
                en: format!("the compound has an open vote on the same matter (#{id})"),
            });
        }
        let households = query(format!(
            "{HOUSEHOLD_SELECT} WHERE compound_id = $1 ORDER BY unit"
        ))
        .bind(new.compound_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(household_from_row)
        .collect::<Result<Vec<_>>>()?;
        if households.is_empty() {
            return Err(StoreError::refused(
                "该小区还没有业主名册，请先导入业主名册（房号、专有部分面积）",
                "the compound has no register of households yet; import it first",
            ));
        }
        let area: i64 = households.iter().map(|h| h.area_centi).sum();
        let row = query(
            "INSERT INTO votes (compound_id, matter, question, owners_body_id, opens_on, \
             closes_on, status, owners, area_centi, created_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, 1, $10, $10) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.matter.code())
        .bind(new.question.clone())
        .bind(new.owners_body_id)
        .bind(date_text(new.opens_on))
        .bind(date_text(new.closes_on))
        .bind(households.len() as i64)
        .bind(area)
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        for (i, (label, company)) in new.options.iter().enumerate() {
            query(
                "INSERT INTO vote_options (vote_id, no, label, company_id) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(label.clone())
            .bind(*company)
            .execute(&mut *tx)
            .await?;
        }
        for h in &households {
            query(
                "INSERT INTO vote_ballots (vote_id, household_id, unit, area_centi, token) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(h.id)
            .bind(h.unit.clone())
            .bind(h.area_centi)
            .bind(new_token()?)
            .execute(&mut *tx)
            .await?;
        }
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: VOTE,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_vote(&self, id: i64) -> Result<VoteRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// A compound's votes, the newest first.
    pub async fn votes_of(&self, compound_id: i64) -> Result<Vec<VoteRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows = query(format!(
            "{SELECT} WHERE v.compound_id = $1 ORDER BY v.id DESC"
        ))
        .bind(compound_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut v = from_row(r)?;
            v.options = options_of(&mut conn, v.id).await?;
            out.push(v);
        }
        Ok(out)
    }

    /// A vote's ballots by 房号 (whether cast and how they came in; never what they say).
    pub async fn vote_ballots(&self, vote_id: i64) -> Result<Vec<BallotRow>> {
        let rows = query(
            "SELECT id, household_id, unit, area_centi, token, cast_at, channel, received_on, \
             evidence_sha, entered_by FROM vote_ballots WHERE vote_id = $1 ORDER BY unit",
        )
        .bind(vote_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(BallotRow {
                    id: c.i64()?,
                    household_id: c.i64()?,
                    unit: c.string()?,
                    area_centi: c.i64()?,
                    token: c.string()?,
                    cast: c.opt_string()?.is_some(),
                    channel: c
                        .opt_string()?
                        .map(|s| Channel::from_code(&s).ok_or_else(|| corrupt("投票方式", &s)))
                        .transpose()?,
                    received_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
                    evidence_sha: c.opt_string()?,
                    entered_by: c.opt_string()?,
                })
            })
            .collect()
    }

    /// What a resident's link opens; `None` for an unknown token. Reading uses nothing up.
    pub async fn vote_by_token(&self, token: &str) -> Result<Option<TokenBallot>> {
        let token = token.trim().to_ascii_lowercase();
        let mut conn = self.pool.acquire().await?;
        let Some(row) =
            query("SELECT vote_id, unit, area_centi, cast_at FROM vote_ballots WHERE token = $1")
                .bind(token)
                .fetch_optional(&mut *conn)
                .await?
        else {
            return Ok(None);
        };
        let mut c = Cols::new(&row);
        let (vote_id, unit, area_centi, cast) =
            (c.i64()?, c.string()?, c.i64()?, c.opt_string()?.is_some());
        let vote = fetch(&mut conn, vote_id).await?;
        Ok(Some(TokenBallot {
            vote,
            unit,
            area_centi,
            cast,
        }))
    }

    /// Casts a household's ballot by its token: once, while the vote is open and `today` lies
    /// within its days. The audit row names the ballot's row and what it says, not the token.
    pub async fn cast_ballot(&self, token: &str, says: BallotChoice, today: Date) -> Result<()> {
        let token = token.trim().to_ascii_lowercase();
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let row = query("SELECT id, vote_id, unit, cast_at FROM vote_ballots WHERE token = $1")
            .bind(token)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::refused(
                    "表决链接无效，请核对链接或二维码",
                    "This voting link is not valid; please check the link or QR code",
                )
            })?;
        let mut c = Cols::new(&row);
        let (ballot_id, vote_id, unit, cast) =
            (c.i64()?, c.i64()?, c.string()?, c.opt_string()?.is_some());
        // What the ballot says is checked first: a wrong choice is the resident's to fix.
        let option_no = check_says(&fetch(&mut tx, vote_id).await?, says)?;
        lock_open(&mut tx, vote_id).await?;
        let vote = fetch(&mut tx, vote_id).await?;
        if today < vote.opens_on {
            return Err(StoreError::Refused {
                zh: format!("表决 {} 开始，尚未开始", vote.opens_on),
                en: format!("voting opens on {}", vote.opens_on),
            });
        }
        if today > vote.closes_on {
            return Err(StoreError::Refused {
                zh: format!("表决已于 {} 截止", vote.closes_on),
                en: format!("voting closed on {}", vote.closes_on),
            });
        }
        if cast {
            return Err(cast_refusal());
        }
        let done = query(
            "UPDATE vote_ballots SET cast_at = $1, choice = $2, option_no = $3, \
             channel = 'online' WHERE id = $4 AND cast_at IS NULL",
        )
        .bind(at.clone())
        .bind(says.choice.code())
        .bind(option_no)
        .bind(ballot_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(cast_refusal());
        }
        let after = serde_json::json!({
            "vote_id": vote_id, "unit": unit, "channel": "online",
            "choice": says.choice.code(), "option_no": option_no,
        });
        audit::append(
            &mut tx,
            &Actor::new("表决链接", "owner"),
            &at,
            vec![NewAudit {
                action: "cast",
                entity: VOTE_BALLOT,
                entity_id: Some(ballot_id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enters a household's paper ballot with its scan: once, while the vote is open, received
    /// within the vote's days.
    pub async fn enter_paper_ballot(
        &self,
        actor: &Actor,
        vote_id: i64,
        paper: &PaperBallot,
    ) -> Result<VoteRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        lock_open(&mut tx, vote_id).await?;
        let vote = fetch(&mut tx, vote_id).await?;
        if paper.received_on < vote.opens_on || paper.received_on > vote.closes_on {
            return Err(StoreError::Refused {
                zh: format!(
                    "收到选票的日期 {} 不在表决期间（{} 至 {}）内",
                    paper.received_on, vote.opens_on, vote.closes_on
                ),
                en: format!(
                    "the ballot was received on {}, outside the voting days ({} to {})",
                    paper.received_on, vote.opens_on, vote.closes_on
                ),
            });
        }
        let row = query(
            "SELECT id, unit, cast_at FROM vote_ballots WHERE vote_id = $1 AND household_id = $2",
        )
        .bind(vote_id)
        .bind(paper.household_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::refused(
                "该户不在本次表决的业主名册中",
                "this household is not on the vote's register",
            )
        })?;
        let mut c = Cols::new(&row);
        let (ballot_id, unit, cast) = (c.i64()?, c.string()?, c.opt_string()?.is_some());
        if cast {
            return Err(cast_refusal());
        }
        let option_no = check_says(&vote, paper.says)?;
        let done = query(
            "UPDATE vote_ballots SET cast_at = $1, choice = $2, option_no = $3, \
             channel = 'paper', received_on = $4, evidence_sha = $5, entered_by = $6 \
             WHERE id = $7 AND cast_at IS NULL",
        )
        .bind(at.clone())
        .bind(paper.says.choice.code())
        .bind(option_no)
        .bind(date_text(paper.received_on))
        .bind(paper.evidence_sha.clone())
        .bind(actor.name.clone())
        .bind(ballot_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(cast_refusal());
        }
        let after = serde_json::json!({
            "vote_id": vote_id, "unit": unit, "channel": "paper",
            "choice": paper.says.choice.code(), "option_no": option_no,
            "received_on": date_text(paper.received_on), "evidence_sha": paper.evidence_sha,
        });
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "cast",
                entity: VOTE_BALLOT,
                entity_id: Some(ballot_id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        let after = fetch(&mut tx, vote_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Closes a vote on `on`: the ballots counted (民法典 第二百七十八条) and the result frozen.
    pub async fn close_vote(
        &self,
        actor: &Actor,
        vote_id: i64,
        expected_version: i64,
        on: Date,
    ) -> Result<VoteRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let done = query(
            "UPDATE votes SET version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3 AND status = 'open'",
        )
        .bind(at.clone())
        .bind(vote_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let before = fetch(&mut tx, vote_id).await?;
        if done.rows_affected() != 1 {
            if before.status == VoteStatus::Closed {
                return Err(StoreError::refused(
                    "该表决已经结束",
                    "this vote is already closed",
                ));
            }
            return Err(StoreError::Conflict {
                entity: VOTE,
                id: vote_id,
                expected: expected_version,
                actual: before.version,
            });
        }
        if on < before.opens_on {
            return Err(StoreError::Refused {
                zh: format!("结束日期 {on} 早于表决开始日期 {}", before.opens_on),
                en: format!("{on} is before the vote opened, {}", before.opens_on),
            });
        }
        let rows = query(
            "SELECT area_centi, choice, option_no FROM vote_ballots \
             WHERE vote_id = $1 AND cast_at IS NOT NULL",
        )
        .bind(vote_id)
        .fetch_all(&mut *tx)
        .await?;
        let casts = rows
            .iter()
            .map(|r| {
                let mut c = Cols::new(r);
                let area = c.i64()?;
                let s = c.string()?;
                Ok(Cast {
                    area_centi_m2: area.unsigned_abs(),
                    choice: Choice::from_code(&s).ok_or_else(|| corrupt("选票内容", &s))?,
                    option_no: c.opt_u32()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let counted = count(
            before.matter,
            before.owners.unsigned_abs(),
            before.area_centi.unsigned_abs(),
            before.options.len() as u32,
            &casts,
        )
        .map_err(|e| StoreError::Corrupt(e.zh))?;
        query(
            "UPDATE votes SET status = 'closed', closed_on = $1, result = $2, \
             carried_option = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(date_text(on))
        .bind(to_json(&counted)?)
        .bind(counted.carried.map(i64::from))
        .bind(at.clone())
        .bind(vote_id)
        .execute(&mut *tx)
        .await?;
        let after = fetch(&mut tx, vote_id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "close",
                entity: VOTE,
                entity_id: Some(vote_id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Whether `sha` is the scan of a paper ballot of one of the compound's votes.
    pub async fn ballot_scan_of_compound(&self, compound_id: i64, sha: &str) -> Result<bool> {
        let row = query(
            "SELECT COUNT(*) FROM vote_ballots b JOIN votes v ON v.id = b.vote_id \
             WHERE v.compound_id = $1 AND b.evidence_sha = $2",
        )
        .bind(compound_id)
        .bind(sha.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(Cols::new(&row).i64()? > 0)
    }

    /// Notes, once, what a closed vote's result was used for.
    pub async fn note_vote_applied(
        &self,
        actor: &Actor,
        vote_id: i64,
        note: &str,
    ) -> Result<VoteRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, vote_id).await?;
        if before.applied_note.is_some() {
            return Err(StoreError::refused(
                "该表决结果已经使用过",
                "this vote's result has already been used",
            ));
        }
        query(
            "UPDATE votes SET applied_note = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND applied_note IS NULL",
        )
        .bind(note.to_string())
        .bind(at.clone())
        .bind(vote_id)
        .execute(&mut *tx)
        .await?;
        let after = fetch(&mut tx, vote_id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "apply",
                entity: VOTE,
                entity_id: Some(vote_id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
