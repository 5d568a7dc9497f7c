//! 物业费收缴: billed and collected per compound per month (`fee_months`, unique per compound
//! and month), entered one month at a time or imported from a sheet (all or nothing, one
//! transaction; a re-import of the same figures changes nothing and writes no audit row), and
//! the collection rate over any run of months (anju-core `fees::collection_rate`; nothing billed
//! is an error, never a division by zero).
//!
//! Per-household detail (按户明细, `household_fees`) is optional: imported from a sheet with a
//! 户号 column, all or nothing; each compound month that has household rows gets the sum of
//! all its households as its `fee_months` figures in the same transaction, so every rate is
//! computed the same way with or without detail. Such a month can no longer be entered as a
//! total by hand (the detail would disagree); a household left out of a later sheet keeps its
//! earlier row.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, now_ts, query};
use crate::{Result, Store, StoreError};
use anju_core::Fen;
use anju_core::fees::{Collection, FeeError, Month, MonthRange, collection_rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub(crate) const FEE_MONTH: &str = "fee_month";
pub(crate) const HOUSEHOLD_FEE: &str = "household_fee";

/// One compound's fees for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeMonth {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub month: Month,
    /// 应收
    pub billed: Fen,
    /// 实收
    pub collected: Fen,
    /// `import` or `entry`.
    pub source: String,
    pub version: i64,
    pub updated_at: jiff::Timestamp,
}

/// A month's figures to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeInput {
    pub compound_id: i64,
    pub month: Month,
    pub billed: Fen,
    pub collected: Fen,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeImportSummary {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// Billed, collected and the rate over a run of months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CollectionFigures {
    pub compound_id: i64,
    pub range: MonthRange,
    pub collection: Collection,
    /// collected ÷ billed, exact; `None` when nothing was billed.
    pub rate: Option<Decimal>,
}

/// One household's fees for one month (按户明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdFee {
    pub id: i64,
    pub compound_id: i64,
    /// 户号 as written (楼-单元-室, e.g. 3-2-501).
    pub household: String,
    pub month: Month,
    pub billed: Fen,
    pub collected: Fen,
    pub version: i64,
    pub updated_at: jiff::Timestamp,
}

impl HouseholdFee {
    /// 欠费: billed but not (fully) collected.
    pub fn arrears(&self) -> Fen {
        Fen((self.billed.0 - self.collected.0).max(0))
    }
}

/// A household month to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdFeeInput {
    pub compound_id: i64,
    pub household: String,
    pub month: Month,
    pub billed: Fen,
    pub collected: Fen,
}

/// What a household import did: the household rows, and the compound months recomputed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdImportSummary {
    pub households: FeeImportSummary,
    pub months: FeeImportSummary,
}

const HOUSEHOLD_SELECT: &str = "SELECT id, compound_id, household, month, billed_fen, \
     collected_fen, version, updated_at FROM household_fees";

fn household_from_row(row: &Row) -> Result<HouseholdFee> {
    let mut c = Cols::new(row);
    Ok(HouseholdFee {
        id: c.i64()?,
        compound_id: c.i64()?,
        household: c.string()?,
        month: {
            let m = c.string()?;
            Month::parse(&m).map_err(|e| StoreError::Corrupt(e.to_string()))?
        },
        billed: Fen(c.i64()?),
        collected: Fen(c.i64()?),
        version: c.i64()?,
        updated_at: c.timestamp()?,
    })
}

async fn has_household_detail(conn: &mut Conn, compound_id: i64, month: Month) -> Result<bool> {
    Ok(
        query("SELECT 1 FROM household_fees WHERE compound_id = $1 AND month = $2 LIMIT 1")
            .bind(compound_id)
            .bind(month.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Inserts or updates one household month (no change → no write, no audit row).
async fn write_household(
    conn: &mut Conn,
    input: &HouseholdFeeInput,
    at: &str,
    audits: &mut Vec<NewAudit>,
) -> Result<Written> {
    let household = input.household.trim();
    if household.is_empty() {
        return Err(StoreError::Invalid("户号不能为空".into()));
    }
    if input.billed.is_negative() || input.collected.is_negative() {
        return Err(StoreError::Invalid(format!(
            "{} {household} 的应收、实收不能为负数",
            input.month
        )));
    }
    let row = query(format!(
        "{HOUSEHOLD_SELECT} WHERE compound_id = $1 AND month = $2 AND household = $3"
    ))
    .bind(input.compound_id)
    .bind(input.month.to_string())
    .bind(household.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let before = row.as_ref().map(household_from_row).transpose()?;
    let written = match &before {
        Some(b) if b.billed == input.billed && b.collected == input.collected => {
            return Ok(Written::Unchanged);
        }
        Some(b) => {
            query(
                "UPDATE household_fees SET billed_fen = $1, collected_fen = $2, \
                 version = version + 1, updated_at = $3 WHERE id = $4",
            )
            .bind(input.billed.0)
            .bind(input.collected.0)
            .bind(at.to_string())
            .bind(b.id)
            .execute(&mut *conn)
            .await?;
            Written::Updated
        }
        None => {
            query(
                "INSERT INTO household_fees (compound_id, household, month, billed_fen, \
                 collected_fen, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(input.compound_id)
            .bind(household.to_string())
            .bind(input.month.to_string())
            .bind(input.billed.0)
            .bind(input.collected.0)
            .bind(at.to_string())
            .execute(&mut *conn)
            .await?;
            Written::Inserted
        }
    };
    let after = query(format!(
        "{HOUSEHOLD_SELECT} WHERE compound_id = $1 AND month = $2 AND household = $3"
    ))
    .bind(input.compound_id)
    .bind(input.month.to_string())
    .bind(household.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let after = household_from_row(&after)?;
    audits.push(NewAudit {
        action: if before.is_some() { "update" } else { "insert" },
        entity: HOUSEHOLD_FEE,
        entity_id: Some(after.id),
        before: before.as_ref().map(to_json).transpose()?,
        after: Some(to_json(&after)?),
    });
    Ok(written)
}

const FEE_SELECT: &str = "SELECT f.id, f.compound_id, c.name, f.month, f.billed_fen, \
     f.collected_fen, f.source, f.version, f.updated_at FROM fee_months f \
     JOIN compounds c ON c.id = f.compound_id";

fn fee_from_row(row: &Row) -> Result<FeeMonth> {
    let mut c = Cols::new(row);
    Ok(FeeMonth {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        month: {
            let m = c.string()?;
            Month::parse(&m).map_err(|e| StoreError::Corrupt(e.to_string()))?
        },
        billed: Fen(c.i64()?),
        collected: Fen(c.i64()?),
        source: c.string()?,
        version: c.i64()?,
        updated_at: c.timestamp()?,
    })
}

async fn fetch_fee(conn: &mut Conn, compound_id: i64, month: Month) -> Result<Option<FeeMonth>> {
    let row = query(format!(
        "{FEE_SELECT} WHERE f.compound_id = $1 AND f.month = $2"
    ))
    .bind(compound_id)
    .bind(month.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(fee_from_row).transpose()
}

fn fee_error(e: FeeError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

enum Written {
    Inserted,
    Updated,
    Unchanged,
}

/// Inserts or updates one month on the caller's transaction, with its audit entry.
async fn write_month(
    conn: &mut Conn,
    input: &FeeInput,
    source: &'static str,
    expected_version: Option<i64>,
    at: &str,
    audits: &mut Vec<NewAudit>,
) -> Result<(Written, FeeMonth)> {
    if input.billed.is_negative() || input.collected.is_negative() {
        return Err(StoreError::Invalid(format!(
            "{} 的应收、实收不能为负数",
            input.month
        )));
    }
    let compound = fetch_compound(conn, input.compound_id).await?;
    if compound.archived {
        return Err(StoreError::Invalid(format!(
            "小区“{}”已归档",
            compound.compound.name
        )));
    }
    let before = fetch_fee(conn, input.compound_id, input.month).await?;
    let written = match &before {
        None => {
            query(
                "INSERT INTO fee_months (compound_id, month, billed_fen, collected_fen, source, \
                 version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(input.compound_id)
            .bind(input.month.to_string())
            .bind(input.billed.0)
            .bind(input.collected.0)
            .bind(source)
            .bind(at.to_string())
            .execute(&mut *conn)
            .await?;
            Written::Inserted
        }
        Some(b) => {
            if let Some(v) = expected_version
                && v != b.version
            {
                return Err(StoreError::Conflict {
                    entity: FEE_MONTH,
                    id: b.id,
                    expected: v,
                    actual: b.version,
                });
            }
            if b.billed == input.billed && b.collected == input.collected {
                return Ok((Written::Unchanged, b.clone()));
            }
            let done = query(
                "UPDATE fee_months SET billed_fen = $1, collected_fen = $2, source = $3, \
                 version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
            )
            .bind(input.billed.0)
            .bind(input.collected.0)
            .bind(source)
            .bind(at.to_string())
            .bind(b.id)
            .bind(b.version)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict {
                    entity: FEE_MONTH,
                    id: b.id,
                    expected: b.version,
                    actual: b.version + 1,
                });
            }
            Written::Updated
        }
    };
    let after = fetch_fee(conn, input.compound_id, input.month)
        .await?
        .ok_or_else(|| StoreError::Corrupt("刚写入的收费记录读不到".into()))?;
    audits.push(NewAudit {
        action: if before.is_some() { "update" } else { "insert" },
        entity: FEE_MONTH,
        entity_id: Some(after.id),
        before: before.as_ref().map(to_json).transpose()?,
        after: Some(to_json(&after)?),
    });
    Ok((written, after))
}

impl Store {
    /// Enters one month's figures (insert, or update naming the version read; `None` when the
    /// month is new, or to overwrite whatever is there).
    pub async fn set_fee_month(
        &self,
        actor: &Actor,
        input: &FeeInput,
        expected_version: Option<i64>,
    ) -> Result<FeeMonth> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        if has_household_detail(&mut tx, input.compound_id, input.month).await? {
            return Err(StoreError::refused(
                format!(
                    "{} 已有按户明细，月度合计由明细汇总；请修改按户明细",
                    input.month
                ),
                format!(
                    "{} has per-household detail: its total is their sum; change the detail instead",
                    input.month
                ),
            ));
        }
        let mut audits = Vec::new();
        let (_, after) =
            write_month(&mut tx, input, "entry", expected_version, &at, &mut audits).await?;
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Imports many months in one transaction: all or nothing. Unchanged months are left alone
    /// (no version bump, no audit row), so importing the same file twice changes nothing.
    pub async fn import_fees(&self, actor: &Actor, rows: &[FeeInput]) -> Result<FeeImportSummary> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut audits = Vec::new();
        let mut sum = FeeImportSummary::default();
        for r in rows {
            if has_household_detail(&mut tx, r.compound_id, r.month).await? {
                return Err(StoreError::refused(
                    format!(
                        "小区（编号 {}）{} 已有按户明细，月度合计由明细汇总；请导入按户明细表",
                        r.compound_id, r.month
                    ),
                    format!(
                        "compound {} {} has per-household detail: import a household sheet instead",
                        r.compound_id, r.month
                    ),
                ));
            }
            match write_month(&mut tx, r, "import", None, &at, &mut audits)
                .await?
                .0
            {
                Written::Inserted => sum.inserted += 1,
                Written::Updated => sum.updated += 1,
                Written::Unchanged => sum.unchanged += 1,
            }
        }
        if !audits.is_empty() {
            audits.push(NewAudit {
                action: "import",
                entity: FEE_MONTH,
                entity_id: None,
                before: None,
                after: Some(to_json(&sum)?),
            });
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(sum)
    }

    /// Imports per-household rows (按户明细) in one transaction, all or nothing, and sets each
    /// touched compound month to the sum over all its households. Re-importing the same rows
    /// changes nothing.
    pub async fn import_household_fees(
        &self,
        actor: &Actor,
        rows: &[HouseholdFeeInput],
    ) -> Result<HouseholdImportSummary> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut audits = Vec::new();
        let mut sum = HouseholdImportSummary::default();
        let mut touched = std::collections::BTreeSet::new();
        let mut checked = std::collections::HashSet::new();
        for r in rows {
            // Each compound once, however many households the sheet lists for it.
            if checked.insert(r.compound_id) {
                let compound = fetch_compound(&mut tx, r.compound_id).await?;
                if compound.archived {
                    return Err(StoreError::Invalid(format!(
                        "小区“{}”已归档",
                        compound.compound.name
                    )));
                }
            }
            match write_household(&mut tx, r, &at, &mut audits).await? {
                Written::Inserted => sum.households.inserted += 1,
                Written::Updated => sum.households.updated += 1,
                Written::Unchanged => sum.households.unchanged += 1,
            }
            touched.insert((r.compound_id, r.month));
        }
        for (compound_id, month) in touched {
            let row = query(
                "SELECT CAST(COALESCE(SUM(billed_fen), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(collected_fen), 0) AS BIGINT) \
                 FROM household_fees WHERE compound_id = $1 AND month = $2",
            )
            .bind(compound_id)
            .bind(month.to_string())
            .fetch_one(&mut *tx)
            .await?;
            let mut c = Cols::new(&row);
            let input = FeeInput {
                compound_id,
                month,
                billed: Fen(c.i64()?),
                collected: Fen(c.i64()?),
            };
            match write_month(&mut tx, &input, "import", None, &at, &mut audits)
                .await?
                .0
            {
                Written::Inserted => sum.months.inserted += 1,
                Written::Updated => sum.months.updated += 1,
                Written::Unchanged => sum.months.unchanged += 1,
            }
        }
        if !audits.is_empty() {
            audits.push(NewAudit {
                action: "import",
                entity: HOUSEHOLD_FEE,
                entity_id: None,
                before: None,
                after: Some(to_json(&sum)?),
            });
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(sum)
    }

    /// A compound's household rows, by month then household; within `range` when given.
    pub async fn household_fees(
        &self,
        compound_id: i64,
        range: Option<MonthRange>,
    ) -> Result<Vec<HouseholdFee>> {
        let (from, to) = match range {
            Some(r) => (r.from.to_string(), r.to.to_string()),
            None => ("0000-00".to_string(), "9999-99".to_string()),
        };
        let rows = query(format!(
            "{HOUSEHOLD_SELECT} WHERE compound_id = $1 AND month >= $2 AND month <= $3 \
             ORDER BY month, household"
        ))
        .bind(compound_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(household_from_row).collect()
    }

    /// A compound's months, oldest first; within `range` when given.
    pub async fn fee_months(
        &self,
        compound_id: i64,
        range: Option<MonthRange>,
    ) -> Result<Vec<FeeMonth>> {
        let (from, to) = match range {
            Some(r) => (r.from.to_string(), r.to.to_string()),
            None => ("0000-00".to_string(), "9999-99".to_string()),
        };
        let rows = query(format!(
            "{FEE_SELECT} WHERE f.compound_id = $1 AND f.month >= $2 AND f.month <= $3 \
             ORDER BY f.month"
        ))
        .bind(compound_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(fee_from_row).collect()
    }

    /// Billed, collected and the rate over `range` (a month, quarter, half-year, year or any
    /// run of months). The rate is `None` when nothing was billed.
    pub async fn collection(
        &self,
        compound_id: i64,
        range: MonthRange,
    ) -> Result<CollectionFigures> {
        let mut collection = Collection {
            billed: Fen::ZERO,
            collected: Fen::ZERO,
            months: 0,
        };
        for m in self.fee_months(compound_id, Some(range)).await? {
            collection.add(m.billed, m.collected);
        }
        Ok(CollectionFigures {
            compound_id,
            range,
            rate: collection.rate().ok(),
            collection,
        })
    }

    /// 收缴率 over `range`, exact (0.85 for 85 %); nothing billed is an error
    /// (收缴率无法计算：应收为零).
    pub async fn collection_rate(&self, compound_id: i64, range: MonthRange) -> Result<Decimal> {
        let c = self.collection(compound_id, range).await?.collection;
        collection_rate(c.billed, c.collected).map_err(fee_error)
    }

    /// Cumulative 收缴率 from `since` through `until`.
    pub async fn cumulative_collection_rate(
        &self,
        compound_id: i64,
        since: Month,
        until: Month,
    ) -> Result<Decimal> {
        let range = MonthRange::new(since, until).map_err(fee_error)?;
        self.collection_rate(compound_id, range).await
    }

    /// The rate Liaocheng's retention release needs (seed 000: released at ≥ 80 % after year 3):
    /// 收缴率 (0–1, exact) over contract year `year` (1-based) of a contract whose service starts
    /// in `start`.
    pub async fn contract_year_collection_rate(
        &self,
        compound_id: i64,
        start: Month,
        year: u16,
    ) -> Result<Decimal> {
        self.collection_rate(compound_id, MonthRange::contract_year(start, year))
            .await
    }
}
