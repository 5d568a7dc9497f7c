//! 专项维修资金 (issue 19 item 4; migration 0028): per compound the money in (首期归集 or 续筹 on a
//! carried vote) and each use through 申请 → 业主表决 → 住建审批 → 拨付 (or 驳回), in fen. The
//! balance is the entries' sum, read in the same transaction that pays, with the compound's
//! payments taken one at a time (SQLite's write lock; a transaction-scoped advisory lock on
//! PostgreSQL), so two payments together never overdraw it. Entries are never changed; a paid or
//! rejected use never changes. Every write is audited.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, date_text, now_ts, opt_date, parse_date, query};
use crate::{Engine, Result, Store, StoreError};
use anju_core::Fen;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const FUND_ENTRY: &str = "fund_entry";
pub(crate) const FUND_USE: &str = "fund_use";

/// A movement of a compound's fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundEntry {
    pub id: i64,
    pub compound_id: i64,
    /// deposit (首期归集/缴存), raised (续筹 on a carried vote), payout (a use paid).
    pub kind: String,
    #[schema(value_type = i64)]
    pub amount: Fen,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    pub note: Option<String>,
    pub vote_id: Option<i64>,
    pub use_id: Option<i64>,
    pub created_by: String,
}

/// A use of the fund (使用申请) as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundUse {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub title: String,
    #[schema(value_type = i64)]
    pub cost: Fen,
    pub quotes: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub applied_on: Date,
    /// applied, voted, approved, paid, rejected.
    pub status: String,
    pub vote_id: Option<i64>,
    #[schema(value_type = Option<String>, format = Date)]
    pub approved_on: Option<Date>,
    pub approved_by: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub paid_on: Option<Date>,
    #[schema(value_type = Option<i64>)]
    pub paid: Option<Fen>,
    #[schema(value_type = Option<String>, format = Date)]
    pub rejected_on: Option<Date>,
    pub reason: Option<String>,
    pub version: i64,
}

/// A compound's fund: its balance, entries (newest first) and uses (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundAccount {
    pub compound_id: i64,
    #[schema(value_type = i64)]
    pub deposited: Fen,
    #[schema(value_type = i64)]
    pub paid: Fen,
    #[schema(value_type = i64)]
    pub balance: Fen,
    pub entries: Vec<FundEntry>,
    pub uses: Vec<FundUse>,
}

/// Money in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFundEntry {
    pub compound_id: i64,
    /// deposit or raised.
    pub kind: &'static str,
    pub amount: Fen,
    pub on: Date,
    pub note: Option<String>,
    pub vote_id: Option<i64>,
}

/// A use applied for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFundUse {
    pub compound_id: i64,
    pub title: String,
    pub cost: Fen,
    pub quotes: Option<String>,
    pub applied_on: Date,
}

/// A step of a use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FundUseStep {
    /// The owners' vote that carried it (checked by the caller).
    Voted {
        vote_id: i64,
    },
    Approve {
        on: Date,
    },
    Reject {
        on: Date,
        reason: String,
    },
    Pay {
        on: Date,
        amount: Fen,
    },
}

const USE_SELECT: &str = "SELECT u.id, u.compound_id, c.name, u.title, u.cost_fen, u.quotes, \
     u.applied_on, u.status, u.vote_id, u.approved_on, u.approved_by, u.paid_on, u.paid_fen, \
     u.rejected_on, u.reason, u.version FROM fund_uses u JOIN compounds c ON c.id = u.compound_id";

fn use_from_row(row: &Row) -> Result<FundUse> {
    let mut c = Cols::new(row);
    Ok(FundUse {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        title: c.string()?,
        cost: Fen(c.i64()?),
        quotes: c.opt_string()?,
        applied_on: parse_date(&c.string()?)?,
        status: c.string()?,
        vote_id: c.opt_i64()?,
        approved_on: opt_date(c.opt_string()?)?,
        approved_by: c.opt_string()?,
        paid_on: opt_date(c.opt_string()?)?,
        paid: c.opt_i64()?.map(Fen),
        rejected_on: opt_date(c.opt_string()?)?,
        reason: c.opt_string()?,
        version: c.i64()?,
    })
}

async fn fetch_use(conn: &mut Conn, id: i64) -> Result<FundUse> {
    let row = query(format!("{USE_SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: FUND_USE,
            id,
        })?;
    use_from_row(&row)
}

/// The compound's balance: money in less money paid out.
async fn balance(conn: &mut Conn, compound_id: i64) -> Result<(Fen, Fen)> {
    let row = query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind <> 'payout' THEN amount_fen ELSE 0 END), 0) \
         AS BIGINT), CAST(COALESCE(SUM(CASE WHEN kind = 'payout' THEN amount_fen ELSE 0 END), 0) \
         AS BIGINT) FROM fund_entries WHERE compound_id = $1",
    )
    .bind(compound_id)
    .fetch_one(&mut *conn)
    .await?;
    let mut c = Cols::new(&row);
    Ok((Fen(c.i64()?), Fen(c.i64()?)))
}

impl Store {
    /// A compound's fund.
    pub async fn fund_account(&self, compound_id: i64) -> Result<FundAccount> {
        let mut conn = self.pool.acquire().await?;
        let (deposited, paid) = balance(&mut conn, compound_id).await?;
        let rows = query(
            "SELECT id, compound_id, kind, amount_fen, on_day, note, vote_id, use_id, created_by \
             FROM fund_entries WHERE compound_id = $1 ORDER BY on_day DESC, id DESC",
        )
        .bind(compound_id)
        .fetch_all(&mut *conn)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(FundEntry {
                    id: c.i64()?,
                    compound_id: c.i64()?,
                    kind: c.string()?,
                    amount: Fen(c.i64()?),
                    on: parse_date(&c.string()?)?,
                    note: c.opt_string()?,
                    vote_id: c.opt_i64()?,
                    use_id: c.opt_i64()?,
                    created_by: c.string()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let uses = query(format!(
            "{USE_SELECT} WHERE u.compound_id = $1 ORDER BY u.id DESC"
        ))
        .bind(compound_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(use_from_row)
        .collect::<Result<Vec<_>>>()?;
        Ok(FundAccount {
            compound_id,
            deposited,
            paid,
            balance: Fen(deposited.0 - paid.0),
            entries,
            uses,
        })
    }

    pub async fn get_fund_use(&self, id: i64) -> Result<FundUse> {
        let mut conn = self.pool.acquire().await?;
        fetch_use(&mut conn, id).await
    }

    /// Money in: a deposit, or money raised on a carried vote (the caller checked the vote).
    pub async fn add_fund_entry(&self, actor: &Actor, new: NewFundEntry) -> Result<FundEntry> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let row = query(
            "INSERT INTO fund_entries (compound_id, kind, amount_fen, on_day, note, vote_id, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.kind)
        .bind(new.amount.0)
        .bind(date_text(new.on))
        .bind(new.note.clone())
        .bind(new.vote_id)
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let entry = FundEntry {
            id: Cols::new(&row).i64()?,
            compound_id: new.compound_id,
            kind: new.kind.to_string(),
            amount: new.amount,
            on: new.on,
            note: new.note,
            vote_id: new.vote_id,
            use_id: None,
            created_by: actor.name.clone(),
        };
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: FUND_ENTRY,
                entity_id: Some(entry.id),
                before: None,
                after: Some(to_json(&entry)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// A use applied for.
    pub async fn apply_fund_use(&self, actor: &Actor, new: NewFundUse) -> Result<FundUse> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let row = query(
            "INSERT INTO fund_uses (compound_id, title, cost_fen, quotes, applied_on, status, \
             version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'applied', 1, $6, $6) \
             RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.title.clone())
        .bind(new.cost.0)
        .bind(new.quotes.clone())
        .bind(date_text(new.applied_on))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let after = fetch_use(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: FUND_USE,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A step of a use: the order (申请 → 表决 → 审批 → 拨付; 驳回 before payment) is checked
    /// here against the stored status, and a payment against the balance in the same
    /// transaction.
    pub async fn fund_use_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        step: FundUseStep,
    ) -> Result<FundUse> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_use(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: FUND_USE,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let wrong = |zh: &str, en: &str| Err(StoreError::refused(zh, en));
        let (sql, binds): (&str, Vec<crate::sql::Val>) = match &step {
            FundUseStep::Voted { vote_id } => {
                if before.status != "applied" {
                    return wrong(
                        "只有待表决的申请才能记录业主表决结果",
                        "only an application awaiting the vote takes it",
                    );
                }
                (
                    "UPDATE fund_uses SET status = 'voted', vote_id = $1",
                    vec![crate::sql::Val::int(*vote_id)],
                )
            }
            FundUseStep::Approve { on } => {
                if before.status != "voted" {
                    return wrong(
                        "须先经业主表决通过，住建部门才能审批",
                        "the owners must carry it before approval",
                    );
                }
                (
                    "UPDATE fund_uses SET status = 'approved', approved_on = $1, approved_by = $2",
                    vec![
                        crate::sql::Val::text(date_text(*on)),
                        crate::sql::Val::text(actor.name.clone()),
                    ],
                )
            }
            FundUseStep::Reject { on, reason } => {
                if !matches!(before.status.as_str(), "applied" | "voted" | "approved") {
                    return wrong("该申请已办结", "this application is settled");
                }
                (
                    "UPDATE fund_uses SET status = 'rejected', rejected_on = $1, reason = $2",
                    vec![
                        crate::sql::Val::text(date_text(*on)),
                        crate::sql::Val::text(reason.clone()),
                    ],
                )
            }
            FundUseStep::Pay { on, amount } => {
                if before.status != "approved" {
                    return wrong(
                        "须经住建部门审批后才能拨付",
                        "approval comes before payment",
                    );
                }
                if amount.0 > before.cost.0 {
                    return Err(StoreError::Refused {
                        zh: format!(
                            "拨付金额 {} 超过申请金额 {}",
                            amount.display_yuan(),
                            before.cost.display_yuan()
                        ),
                        en: "the payment is more than the cost applied for".into(),
                    });
                }
                if self.engine() == Engine::Postgres {
                    query("SELECT pg_advisory_xact_lock(7215028, CAST($1 AS INTEGER))")
                        .bind(before.compound_id)
                        .execute(&mut *tx)
                        .await?;
                }
                let (inflow, out) = balance(&mut tx, before.compound_id).await?;
                let left = inflow.0 - out.0;
                if amount.0 > left {
                    return Err(StoreError::Refused {
                        zh: format!(
                            "维修资金余额 {} 不足以拨付 {}",
                            Fen(left).display_yuan(),
                            amount.display_yuan()
                        ),
                        en: "the fund's balance is short of the payment".into(),
                    });
                }
                query(
                    "INSERT INTO fund_entries (compound_id, kind, amount_fen, on_day, note, \
                     use_id, created_by, created_at) VALUES ($1, 'payout', $2, $3, $4, $5, $6, $7)",
                )
                .bind(before.compound_id)
                .bind(amount.0)
                .bind(date_text(*on))
                .bind(before.title.clone())
                .bind(id)
                .bind(actor.name.clone())
                .bind(at.clone())
                .execute(&mut *tx)
                .await?;
                (
                    "UPDATE fund_uses SET status = 'paid', paid_on = $1, paid_fen = $2",
                    vec![
                        crate::sql::Val::text(date_text(*on)),
                        crate::sql::Val::int(amount.0),
                    ],
                )
            }
        };
        let n = binds.len();
        let q = format!(
            "{sql}, version = version + 1, updated_at = ${} WHERE id = ${} AND version = ${}",
            n + 1,
            n + 2,
            n + 3
        );
        let mut query = query(q);
        query = crate::sql::bind_all(query, binds);
        let done = query
            .bind(at.clone())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: FUND_USE,
                id,
                expected: expected_version,
                actual: before.version + 1,
            });
        }
        let after = fetch_use(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "step",
                entity: FUND_USE,
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
