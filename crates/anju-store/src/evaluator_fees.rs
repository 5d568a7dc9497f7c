//! 第三方评价机构活动经费: what the city pays the evaluators it commissions (seed 001 三（四）
//! "第三方评价机构活动经费由市级财政负担"), recorded per evaluator and period with the day paid,
//! audited, never deleted; beside each, how many compounds the evaluator is commissioned for.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Row, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::Fen;
use serde::{Deserialize, Serialize};

pub(crate) const EVALUATOR_FEE: &str = "evaluator_fee";

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvaluatorFee {
    pub evaluator: String,
    /// The evaluations it pays for ("2023", "2023H1").
    pub period: String,
    pub amount: Fen,
    pub paid_on: jiff::civil::Date,
    /// Who pays: 市级财政 (the seed's rule) unless said otherwise.
    pub payer: String,
    pub note: Option<String>,
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvaluatorFee {
    pub id: i64,
    pub evaluator: String,
    pub period: String,
    pub amount: Fen,
    pub paid_on: jiff::civil::Date,
    pub payer: String,
    pub note: Option<String>,
    pub actor: String,
    pub created_at: jiff::Timestamp,
    /// The compounds the evaluator is commissioned for (today).
    pub compounds: u32,
}

const SELECT: &str = "SELECT f.id, f.evaluator, f.period, f.amount_fen, f.paid_on, f.payer, f.note, \
     f.actor, f.created_at, (SELECT COUNT(*) FROM evaluator_assignments a \
     WHERE a.evaluator = f.evaluator) FROM evaluator_fees f";

fn from_row(row: &Row) -> Result<EvaluatorFee> {
    let mut c = Cols::new(row);
    Ok(EvaluatorFee {
        id: c.i64()?,
        evaluator: c.string()?,
        period: c.string()?,
        amount: Fen(c.i64()?),
        paid_on: parse_date(&c.string()?)?,
        payer: c.string()?,
        note: c.opt_string()?,
        actor: c.string()?,
        created_at: c.timestamp()?,
        compounds: c.u32()?,
    })
}

impl Store {
    /// Records a payment to an evaluator (audited). Refused for an evaluator never
    /// commissioned for any compound, and for an amount that is not positive.
    pub async fn record_evaluator_fee(
        &self,
        actor: &Actor,
        new: &NewEvaluatorFee,
    ) -> Result<EvaluatorFee> {
        let evaluator = new.evaluator.trim().to_string();
        if new.amount <= Fen::ZERO {
            return Err(StoreError::refused(
                "经费金额须大于 0",
                "the amount must be more than 0",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let commissioned = query("SELECT 1 FROM evaluator_assignments WHERE evaluator = $1")
            .bind(evaluator.clone())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !commissioned {
            return Err(StoreError::refused(
                format!("测评机构“{evaluator}”尚未受委托测评任何小区，不能为其登记经费"),
                format!("'{evaluator}' is not commissioned for any compound: no fee to record"),
            ));
        }
        let row = query(
            "INSERT INTO evaluator_fees (evaluator, period, amount_fen, paid_on, payer, note, \
             actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(evaluator)
        .bind(new.period.trim().to_string())
        .bind(new.amount.0)
        .bind(date_text(new.paid_on))
        .bind(new.payer.trim().to_string())
        .bind(new.note.clone())
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let after = from_row(
            &crate::sql::query(format!("{SELECT} WHERE f.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: EVALUATOR_FEE,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every payment to evaluators, newest first.
    pub async fn evaluator_fees(&self) -> Result<Vec<EvaluatorFee>> {
        let rows = crate::sql::query(format!("{SELECT} ORDER BY f.paid_on DESC, f.id DESC"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The evaluators commissioned for any compound, by name.
    pub async fn evaluators(&self) -> Result<Vec<String>> {
        let rows = query("SELECT DISTINCT evaluator FROM evaluator_assignments ORDER BY evaluator")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Cols::new(r).string()).collect()
    }
}
