//! 收支公示 (seed 002 七(四)): income — 物业服务费, 公共收益, 区政府物业补贴 — and spending (by
//! category) per compound and period, audited and versioned; a statement per compound and
//! period as data ([`AccountStatement`], serializable) for the public page, with the owners'
//! body share of fee income (seed 004: 6–10 %, refused outside).

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, now_ts, query};
use crate::{Result, Store, StoreError};
use anju_core::Fen;
use anju_core::accounts::{EntryKind, Line, OwnersShare, Totals, totals};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

pub(crate) const ACCOUNT_ENTRY: &str = "account_entry";
pub(crate) const PUBLIC_KEY: &str = "compound_public_key";

/// 160 random bits from the OS, as 32 characters of lowercase base32 (no padding).
fn new_public_key() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut b = [0u8; 20];
    getrandom::fill(&mut b).map_err(|e| StoreError::Corrupt(format!("无法取得随机数：{e}")))?;
    let mut out = String::with_capacity(32);
    let (mut acc, mut bits) = (0u32, 0u32);
    for x in b {
        acc = (acc << 8) | u32::from(x);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    Ok(out)
}

/// A line to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountEntry {
    pub compound_id: i64,
    /// "2026H1", "2026-03" …
    pub period: String,
    pub kind: EntryKind,
    /// Required for spending (保洁、保安、维修 …).
    pub category: Option<String>,
    pub amount: Fen,
    pub note: Option<String>,
}

/// A stored line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountEntry {
    pub id: i64,
    pub compound_id: i64,
    pub period: String,
    pub kind: EntryKind,
    pub category: Option<String>,
    pub amount: Fen,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
}

/// 收支公示 of one compound for one period: the data the public page and the CLI render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountStatement {
    /// An owners' body (业主委员会 or 物业管理委员会) exists to receive its share of the fee
    /// income; without one the share is 0 and none is shown.
    pub owners_share_applies: bool,
    /// The share is the one agreed for this compound ([`Store::set_owners_share`]); `false`:
    /// none is recorded and the configured default stands in.
    pub owners_share_agreed: bool,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub period: String,
    pub entries: Vec<AccountEntry>,
    pub totals: Totals,
}

const ENTRY_SELECT: &str = "SELECT id, compound_id, period, kind, category, amount_fen, note, \
     version, created_at FROM account_entries";

fn entry_from_row(row: &Row) -> Result<AccountEntry> {
    let mut c = Cols::new(row);
    Ok(AccountEntry {
        id: c.i64()?,
        compound_id: c.i64()?,
        period: c.string()?,
        kind: {
            let k = c.string()?;
            EntryKind::from_code(&k)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的收支类别 '{k}'")))?
        },
        category: c.opt_string()?,
        amount: Fen(c.i64()?),
        note: c.opt_string()?,
        version: c.i64()?,
        created_at: c.timestamp()?,
    })
}

impl Store {
    /// Adds an income or spending line, audited.
    pub async fn add_account_entry(
        &self,
        actor: &Actor,
        e: &NewAccountEntry,
    ) -> Result<AccountEntry> {
        if e.period.trim().is_empty() {
            return Err(StoreError::Invalid("公示期间不能为空".into()));
        }
        if e.amount.is_negative() {
            return Err(StoreError::Invalid("金额不能为负数".into()));
        }
        let category = e
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if e.kind == EntryKind::Spending && category.is_none() {
            return Err(StoreError::Invalid(
                "支出须注明类别（如 保洁、保安、维修）".into(),
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, e.compound_id).await?;
        let row = query(
            "INSERT INTO account_entries (compound_id, period, kind, category, amount_fen, note, \
             version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
             RETURNING id",
        )
        .bind(e.compound_id)
        .bind(e.period.trim().to_string())
        .bind(e.kind.code())
        .bind(category)
        .bind(e.amount.0)
        .bind(e.note.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let stored = query(format!("{ENTRY_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let stored = entry_from_row(&stored)?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: ACCOUNT_ENTRY,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&stored)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The statement of a compound for a period, with the owners' body share of fee income at
    /// `share_percent` (6–10 inclusive, seed 004; refused outside).
    pub async fn account_statement(
        &self,
        compound_id: i64,
        period: &str,
        share_percent: Decimal,
    ) -> Result<AccountStatement> {
        let share =
            OwnersShare::new(share_percent).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut conn = self.pool.acquire().await?;
        let compound = fetch_compound(&mut conn, compound_id).await?;
        let rows = query(format!(
            "{ENTRY_SELECT} WHERE compound_id = $1 AND period = $2 ORDER BY id"
        ))
        .bind(compound_id)
        .bind(period.trim().to_string())
        .fetch_all(&mut *conn)
        .await?;
        let entries: Vec<AccountEntry> = rows.iter().map(entry_from_row).collect::<Result<_>>()?;
        let lines: Vec<Line> = entries
            .iter()
            .map(|e| Line {
                kind: e.kind,
                category: e.category.clone(),
                amount: e.amount,
            })
            .collect();
        let owners_share_applies = compound.compound.owners_body.exists();
        // The agreed share governs the periods that end on or after the day it was agreed;
        // earlier periods keep the default (a later agreement does not rewrite old accounts).
        let period_end = anju_core::assessment::Period::parse(period.trim()).map(|p| p.end);
        let agreed = owners_share_on(&mut conn, compound_id)
            .await?
            .filter(|a| period_end.is_none_or(|end| end >= a.agreed_on));
        let share = match &agreed {
            Some(a) => {
                OwnersShare::new(a.percent).map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            None => share,
        };
        let mut totals = totals(&lines, share);
        if !owners_share_applies {
            totals.owners_share = Fen::ZERO;
        }
        Ok(AccountStatement {
            owners_share_applies,
            owners_share_agreed: agreed.is_some(),
            compound_id,
            compound: compound.compound.name.clone(),
            street: compound.compound.street.clone(),
            period: period.trim().to_string(),
            totals,
            entries,
        })
    }

    /// The owners' body's share of fee income agreed for a compound, when one is recorded.
    pub async fn owners_share_of(&self, compound_id: i64) -> Result<Option<OwnersShareRecord>> {
        let mut conn = self.pool.acquire().await?;
        owners_share_on(&mut conn, compound_id).await
    }

    /// Records (or replaces) the share of fee income agreed for a compound's owners' body
    /// (seed 004: 6–10 %, both included; refused outside), agreed on `agreed_on`. A compound
    /// without an owners' body has no share to record. Audited with the earlier agreement.
    pub async fn set_owners_share(
        &self,
        actor: &Actor,
        compound_id: i64,
        percent: Decimal,
        agreed_on: jiff::civil::Date,
        note: Option<String>,
    ) -> Result<OwnersShareRecord> {
        OwnersShare::new(percent).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let e2 = (percent * Decimal::ONE_HUNDRED)
            .trunc()
            .to_i64()
            .filter(|v| Decimal::from(*v) == percent * Decimal::ONE_HUNDRED)
            .ok_or_else(|| {
                StoreError::refused(
                    format!("分成比例 {percent}% 至多两位小数"),
                    format!("the share {percent} % has at most two decimals"),
                )
            })?;
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let c = fetch_compound(&mut tx, compound_id).await?;
        if !c.compound.owners_body.exists() {
            return Err(StoreError::refused(
                format!(
                    "“{}”尚未成立业主委员会或物业管理委员会，没有可分成的业主组织",
                    c.compound.name
                ),
                format!(
                    "'{}' has no owners' body yet: there is no one to receive a share",
                    c.compound.name
                ),
            ));
        }
        let before = owners_share_on(&mut tx, compound_id).await?;
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        query(
            "INSERT INTO compound_owners_shares (compound_id, percent_e2, agreed_on, note, actor, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (compound_id) DO UPDATE SET \
             percent_e2 = excluded.percent_e2, agreed_on = excluded.agreed_on, note = excluded.note, \
             actor = excluded.actor, updated_at = excluded.updated_at",
        )
        .bind(compound_id)
        .bind(e2)
        .bind(crate::sql::date_text(agreed_on))
        .bind(note)
        .bind(actor.name.clone())
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        let after = owners_share_on(&mut tx, compound_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("业委会分成比例未写入".into()))?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "set_owners_share",
                entity: audit::COMPOUND,
                entity_id: Some(compound_id),
                before: before.as_ref().map(to_json).transpose()?,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The key of a compound's public page (`/p/<key>`): random, unguessable, made on first
    /// use (audited) and the same ever after. Never the numeric id.
    pub async fn compound_public_key(&self, actor: &Actor, compound_id: i64) -> Result<String> {
        if let Some(k) = self.existing_public_key(compound_id).await? {
            return Ok(k);
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, compound_id).await?;
        let there = query("SELECT public_key FROM compound_public_keys WHERE compound_id = $1")
            .bind(compound_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = there {
            return Cols::new(&row).string();
        }
        let key = new_public_key()?;
        query(
            "INSERT INTO compound_public_keys (compound_id, public_key, created_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(compound_id)
        .bind(key.clone())
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        // The key is public by design (it is printed on notices), so the audit row may name it.
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: PUBLIC_KEY,
                entity_id: Some(compound_id),
                before: None,
                after: Some(to_json(&serde_json::json!({ "public_key": key }))?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    async fn existing_public_key(&self, compound_id: i64) -> Result<Option<String>> {
        let row = query("SELECT public_key FROM compound_public_keys WHERE compound_id = $1")
            .bind(compound_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Cols::new(&r).string()).transpose()
    }

    /// The compound a public key names; `None` for an unknown key.
    pub async fn compound_by_public_key(&self, key: &str) -> Result<Option<i64>> {
        let key = key.trim().to_ascii_lowercase();
        if key.len() < 20 {
            return Ok(None);
        }
        let row = query("SELECT compound_id FROM compound_public_keys WHERE public_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Cols::new(&r).i64()).transpose()
    }

    /// The periods a compound has account lines for, the latest first by their text ("2026-10"
    /// before "2026-09", "2026H2" before "2026H1").
    pub async fn account_periods(&self, compound_id: i64) -> Result<Vec<String>> {
        let rows = query(
            "SELECT DISTINCT period FROM account_entries WHERE compound_id = $1 \
             ORDER BY period DESC",
        )
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Cols::new(r).string()).collect()
    }
}

/// The share of fee income agreed for a compound's owners' body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersShareRecord {
    pub compound_id: i64,
    /// Percent of fee income (6–10).
    pub percent: Decimal,
    pub agreed_on: jiff::civil::Date,
    pub note: Option<String>,
    pub actor: String,
    pub updated_at: jiff::Timestamp,
}

async fn owners_share_on(conn: &mut Conn, compound_id: i64) -> Result<Option<OwnersShareRecord>> {
    let row = query(
        "SELECT percent_e2, agreed_on, note, actor, updated_at FROM compound_owners_shares \
         WHERE compound_id = $1",
    )
    .bind(compound_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut c = Cols::new(&row);
    Ok(Some(OwnersShareRecord {
        compound_id,
        percent: Decimal::new(c.i64()?, 2).normalize(),
        agreed_on: crate::sql::parse_date(&c.string()?)?,
        note: c.opt_string()?,
        actor: c.string()?,
        updated_at: c.timestamp()?,
    }))
}
