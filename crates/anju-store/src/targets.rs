//! 阶段目标 in the database, and the per-compound dated facts their progress is computed from
//! (mode history, owners' body dates). The computation is `anju_core::targets::progress`.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::selections::street_id;
use crate::sql::{Cols, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::ManagementMode;
use anju_core::targets::{CompoundFacts, ModeSpan, Progress, Target, TargetKind, progress};
use jiff::civil::Date;
use std::collections::HashMap;

pub(crate) const TARGET: &str = "target";

impl Store {
    /// Adds a target; the same street, kind, share and due date again is a no-op (returns the
    /// existing id).
    pub async fn add_target(&self, actor: &Actor, t: &Target) -> Result<i64> {
        if !(1..=100).contains(&t.share_percent) {
            return Err(StoreError::Invalid(format!(
                "目标比例须在 1% 至 100% 之间，现为 {}%",
                t.share_percent
            )));
        }
        if t.due < t.baseline_on {
            return Err(StoreError::Invalid(format!(
                "目标期限 {} 早于基数日期 {}",
                t.due, t.baseline_on
            )));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let sid = street_id(&mut tx, &t.street).await?;
        let existing = query(
            "SELECT id FROM targets WHERE street_id = $1 AND kind = $2 AND share_percent = $3 AND due = $4",
        )
        .bind(sid)
        .bind(t.kind.code())
        .bind(i64::from(t.share_percent))
        .bind(date_text(t.due))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            return Cols::new(&row).i64();
        }
        let row = query(
            "INSERT INTO targets (street_id, kind, share_percent, due, baseline_on, label, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(sid)
        .bind(t.kind.code())
        .bind(i64::from(t.share_percent))
        .bind(date_text(t.due))
        .bind(date_text(t.baseline_on))
        .bind(t.label.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: TARGET,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(t)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A street's targets, by due date.
    pub async fn targets(&self, street: &str) -> Result<Vec<(i64, Target)>> {
        let rows = query(
            "SELECT t.id, r.name, t.kind, t.share_percent, t.due, t.baseline_on, t.label \
             FROM targets t JOIN regions r ON r.id = t.street_id \
             WHERE r.name = $1 ORDER BY t.due, t.id",
        )
        .bind(street.trim().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                let id = c.i64()?;
                let street = c.string()?;
                let code = c.string()?;
                Ok((
                    id,
                    Target {
                        street,
                        kind: TargetKind::from_code(&code)
                            .ok_or_else(|| StoreError::Corrupt(format!("目标类型 '{code}'")))?,
                        share_percent: c.u32()?,
                        due: parse_date(&c.string()?)?,
                        baseline_on: parse_date(&c.string()?)?,
                        label: c.string()?,
                    },
                ))
            })
            .collect()
    }

    /// The dated facts of a street's current compounds: mode history and owners' body date
    /// (`Date::MIN` for a body the census already knew).
    pub async fn compound_facts(&self, street: &str) -> Result<Vec<CompoundFacts>> {
        let compounds = self.all_compounds_for_stats(Some(street)).await?;
        let rows = query(
            "SELECT m.compound_id, m.mode, m.since, m.until FROM compound_modes m \
             JOIN compounds c ON c.id = m.compound_id JOIN regions s ON s.id = c.street_id \
             WHERE s.name = $1 ORDER BY m.compound_id, m.since, m.id",
        )
        .bind(street.trim().to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut modes: HashMap<i64, Vec<ModeSpan>> = HashMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let code = c.string()?;
            let mode = ManagementMode::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("管理方式 '{code}'")))?;
            let since = parse_date(&c.string()?)?;
            let until = c.opt_string()?.map(|s| parse_date(&s)).transpose()?;
            modes
                .entry(id)
                .or_default()
                .push(ModeSpan { mode, since, until });
        }
        let bodies = self.owners_body_dates().await?;
        Ok(compounds
            .into_iter()
            .map(|s| {
                let body_since = match bodies.get(&s.id) {
                    Some(d) => Some(*d),
                    None if s.compound.owners_body.exists() => Some(Date::MIN),
                    None => None,
                };
                CompoundFacts {
                    id: s.id,
                    name: s.compound.name,
                    modes: modes.remove(&s.id).unwrap_or_default(),
                    body_since,
                }
            })
            .collect())
    }

    /// Progress of each of a street's targets on `as_of`.
    ///
    /// The figures are the street's; the compounds named as missing are only those `visible`
    /// selects (a reader's scope, as a condition of the query): a community officer or a company
    /// sees how the street stands, never the names of compounds outside its area.
    pub async fn target_progress(
        &self,
        street: &str,
        as_of: Date,
        visible: &crate::CompoundFilter,
    ) -> Result<Vec<Progress>> {
        let targets = self.targets(street).await?;
        let facts = self.compound_facts(street).await?;
        let mut vals = Vec::new();
        let sql = format!(
            "SELECT c.id FROM compounds c{}",
            visible.where_clause(&mut vals)
        );
        let seen: std::collections::HashSet<i64> =
            crate::sql::bind_all(crate::sql::query(sql), vals)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Cols::new(r).i64())
                .collect::<Result<_>>()?;
        Ok(targets
            .iter()
            .map(|(_, t)| {
                let mut p = progress(t, &facts, as_of);
                p.missing.retain(|(id, _)| seen.contains(id));
                p
            })
            .collect())
    }
}
