//! The ledger import (台账导入): a whole census ledger applied in one transaction.
//!
//! Compounds are matched by (street, name), the street resolved in the region tree. Rows that
//! equal what is stored write nothing, so importing the same file twice changes nothing: no
//! version bumps, no audit rows. Everything else is written in multi-row statements: a city's
//! ledger of 100,000 rows must import in seconds on SQLite.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::companies::CompanyIndex;
use crate::compounds::{
    DATA_COLS, Links, StoredCompound, change_modes, data_vals, packed_select,
    stored_from_packed_all, tidy,
};
use crate::regions::{PathReq, RegionIndex, resolve_paths};
use crate::sql::{Cols, Ph, Val, bind_all, dyn_query, now_ts, rows_per_statement};
use crate::{Result, Store, StoreError};
use anju_core::{Compound, ManagementMode};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApplySummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub companies_created: usize,
    pub regions_created: usize,
}

impl ApplySummary {
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.companies_created + self.regions_created > 0
    }
}

struct Planned {
    compound: Compound,
    links: Links,
}

struct PlannedUpdate {
    before: StoredCompound,
    compound: Compound,
    links: Links,
}

impl Store {
    /// Applies a census ledger as of `as_of` (the date mode changes take effect): inserts new
    /// compounds, updates changed ones (version + 1, audited with before and after), leaves
    /// equal ones alone, registers the companies and regions the rows name. All or nothing: on
    /// any error nothing is written.
    pub async fn apply_ledger(
        &self,
        actor: &Actor,
        rows: &[Compound],
        as_of: jiff::civil::Date,
    ) -> Result<ApplySummary> {
        let rows: Vec<Compound> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                tidy(r).map_err(|e| match e {
                    StoreError::Invalid(m) => StoreError::Invalid(format!("第 {} 条：{m}", i + 1)),
                    other => other,
                })
            })
            .collect::<Result<_>>()?;
        {
            let mut seen: HashMap<(Option<&str>, &str, &str), usize> = HashMap::new();
            for (i, r) in rows.iter().enumerate() {
                let key = (r.district.as_deref(), r.street.as_str(), r.name.as_str());
                if let Some(first) = seen.insert(key, i) {
                    return Err(StoreError::Invalid(format!(
                        "第 {} 条与第 {} 条是同一个小区（{} {}）",
                        first + 1,
                        i + 1,
                        r.street,
                        r.name
                    )));
                }
            }
        }

        let at = now_ts();
        let mut summary = ApplySummary::default();
        let mut tx = self.begin_write().await?;

        // Regions: distinct paths, resolved level by level.
        let mut regions = RegionIndex::load(&mut tx).await?;
        let mut path_of_row = Vec::with_capacity(rows.len());
        let mut paths: Vec<PathReq<'_>> = Vec::new();
        {
            let mut path_index: HashMap<PathReq<'_>, usize> = HashMap::new();
            for r in &rows {
                let p = PathReq {
                    city: None,
                    district: r.district.as_deref(),
                    street: &r.street,
                    community: r.community.as_deref(),
                };
                let n = *path_index.entry(p).or_insert_with(|| {
                    paths.push(p);
                    paths.len() - 1
                });
                path_of_row.push(n);
            }
        }
        let (path_ids, regions_created) =
            resolve_paths(&mut tx, actor, &at, &mut regions, &paths).await?;
        summary.regions_created = regions_created;

        // Companies, in row order (a later row may add the credit code an earlier one lacked).
        let mut companies = CompanyIndex::load(&mut tx).await?;
        let mut company_ids: HashMap<String, i64> = HashMap::new();
        let mut audits = Vec::new();
        for r in &rows {
            if let Some(name) = &r.company {
                if company_ids.contains_key(name) && r.company_code.is_none() {
                    continue;
                }
                let (id, created) = companies
                    .upsert(&mut tx, &at, name, r.company_code.as_ref(), &mut audits)
                    .await?;
                summary.companies_created += usize::from(created);
                company_ids.insert(name.clone(), id);
            }
        }
        audit::append(&mut tx, actor, &at, std::mem::take(&mut audits)).await?;

        // The rows as they will be stored.
        {
            let mut key_rows: HashMap<(i64, &str), usize> = HashMap::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                let street = path_ids[path_of_row[i]].street;
                if let Some(first) = key_rows.insert((street, r.name.as_str()), i) {
                    return Err(StoreError::Invalid(format!(
                        "第 {} 条与第 {} 条是同一个小区（{} {}）",
                        first + 1,
                        i + 1,
                        r.street,
                        r.name
                    )));
                }
            }
        }
        drop(paths);
        let mut planned = Vec::with_capacity(rows.len());
        for (i, mut c) in rows.into_iter().enumerate() {
            let ids = path_ids[path_of_row[i]];
            c.district = regions.district_of(ids.street).map(|d| d.name.clone());
            c.company_code = c
                .company
                .as_deref()
                .and_then(|n| companies.by_name(n)?.credit_code.clone());
            let company_id = c.company.as_ref().and_then(|n| company_ids.get(n).copied());
            planned.push(Planned {
                compound: c,
                links: Links {
                    street_id: ids.street,
                    community_id: ids.community,
                    company_id,
                },
            });
        }
        let total_rows = planned.len();

        // What is stored for the streets the ledger touches, a few streets per query (bounds
        // the rows held at once).
        let mut streets: Vec<i64> = planned.iter().map(|p| p.links.street_id).collect();
        streets.sort_unstable();
        streets.dedup();
        let mut existing: HashMap<i64, HashMap<String, StoredCompound>> = HashMap::new();
        for chunk in streets.chunks(20) {
            let sql = format!(
                "{}c.street_id IN ({})",
                packed_select(&tx),
                Ph::for_conn(&tx).list(chunk.len())
            );
            let found = bind_all(dyn_query(sql), chunk.iter().map(|id| Val::int(*id)))
                .fetch_all(&mut *tx)
                .await?;
            for row in &found {
                for s in stored_from_packed_all(Cols::new(row).opt_string()?, &regions, &companies)?
                {
                    existing
                        .entry(s.street_id)
                        .or_default()
                        .insert(s.compound.name.clone(), s);
                }
            }
        }

        // Diff in memory.
        let mut inserts: Vec<Planned> = Vec::new();
        let mut updates: Vec<PlannedUpdate> = Vec::new();
        for p in planned {
            let found = existing
                .get_mut(&p.links.street_id)
                .and_then(|m| m.remove(p.compound.name.as_str()));
            match found {
                None => inserts.push(p),
                Some(before) => {
                    let same_links = before.street_id == p.links.street_id
                        && before.community_id == p.links.community_id
                        && before.company_id == p.links.company_id;
                    if !before.archived && same_links && before.compound == p.compound {
                        summary.unchanged += 1;
                    } else {
                        updates.push(PlannedUpdate {
                            before,
                            compound: p.compound,
                            links: p.links,
                        });
                    }
                }
            }
        }
        drop(existing);

        // New compounds: ids reserved up front (so audit and mode rows need no read-back), then
        // multi-row INSERTs, then their first mode period and audit.
        let new_ids = reserve_compound_ids(&mut tx, inserts.len()).await?;
        let insert_cols = DATA_COLS.len() + 5;
        let per = rows_per_statement(insert_cols);
        for (chunk, ids) in inserts.chunks(per).zip(new_ids.chunks(per)) {
            let sql = format!(
                "INSERT INTO compounds (id, {}, version, archived, created_at, updated_at) VALUES {}",
                DATA_COLS.join(", "),
                Ph::for_conn(&tx).rows(chunk.len(), insert_cols)
            );
            let mut vals = Vec::with_capacity(chunk.len() * insert_cols);
            for (p, id) in chunk.iter().zip(ids) {
                vals.push(Val::int(*id));
                data_vals(&p.compound, p.links, &mut vals);
                vals.extend([
                    Val::int(1),
                    Val::int(0),
                    Val::text(at.as_str()),
                    Val::text(at.as_str()),
                ]);
            }
            bind_all(dyn_query(sql), vals).execute(&mut *tx).await?;
        }
        for (chunk, ids) in inserts.chunks(500).zip(new_ids.chunks(500)) {
            let mut chunk_audits = Vec::with_capacity(chunk.len());
            for (p, &id) in chunk.iter().zip(ids) {
                let after = StoredCompound {
                    id,
                    version: 1,
                    archived: false,
                    street_id: p.links.street_id,
                    community_id: p.links.community_id,
                    company_id: p.links.company_id,
                    created_at: at.clone(),
                    updated_at: at.clone(),
                    compound: p.compound.clone(),
                };
                chunk_audits.push(NewAudit {
                    action: "insert",
                    entity: audit::COMPOUND,
                    entity_id: Some(id),
                    before: None,
                    after: Some(to_json(&after)?),
                });
            }
            audit::append(&mut tx, actor, &at, chunk_audits).await?;
        }
        summary.inserted = inserts.len();
        // Their first mode period, copied in SQL from the rows just written.
        if let (Some(lo), Some(hi)) = (new_ids.iter().min(), new_ids.iter().max()) {
            let mut ph = Ph::for_conn(&tx);
            let sql = format!(
                "INSERT INTO compound_modes (compound_id, mode, since, actor, created_at) \
                 SELECT id, mode, {}, {}, created_at FROM compounds \
                 WHERE id BETWEEN {} AND {} AND created_at = {}",
                ph.one(),
                ph.one(),
                ph.one(),
                ph.one(),
                ph.one()
            );
            let done = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(crate::sql::date_text(as_of))
                .bind(actor.name.clone())
                .bind(*lo)
                .bind(*hi)
                .bind(at.clone())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != new_ids.len() as u64 {
                return Err(StoreError::Corrupt(
                    "新小区的管理方式记录数与小区数不符".into(),
                ));
            }
        }

        // Changed compounds: multi-row UPDATE … FROM (VALUES …), each row guarded by its version.
        let update_cols = DATA_COLS.len() + 2;
        let per = rows_per_statement(update_cols);
        let mut mode_changes: Vec<(i64, ManagementMode)> = Vec::new();
        for chunk in updates.chunks(per) {
            let set: Vec<String> = DATA_COLS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = v.column{}", i + 3))
                .collect();
            let mut ph = Ph::for_conn(&tx);
            let sql = format!(
                "UPDATE compounds SET {}, version = version + 1, archived = 0, updated_at = {} \
                 FROM (VALUES {}) AS v WHERE compounds.id = v.column1 AND compounds.version = v.column2",
                set.join(", "),
                ph.one(),
                ph.rows(chunk.len(), update_cols)
            );
            let mut vals = Vec::with_capacity(1 + chunk.len() * update_cols);
            vals.push(Val::text(at.as_str()));
            for u in chunk {
                vals.extend([Val::int(u.before.id), Val::int(u.before.version)]);
                data_vals(&u.compound, u.links, &mut vals);
            }
            let done = bind_all(dyn_query(sql), vals).execute(&mut *tx).await?;
            if done.rows_affected() != chunk.len() as u64 {
                return Err(self.first_conflict(&mut tx, chunk).await);
            }
            let mut chunk_audits = Vec::with_capacity(chunk.len());
            for u in chunk {
                if u.compound.mode != u.before.compound.mode {
                    mode_changes.push((u.before.id, u.compound.mode));
                }
                let after = StoredCompound {
                    id: u.before.id,
                    version: u.before.version + 1,
                    archived: false,
                    street_id: u.links.street_id,
                    community_id: u.links.community_id,
                    company_id: u.links.company_id,
                    created_at: u.before.created_at.clone(),
                    updated_at: at.clone(),
                    compound: u.compound.clone(),
                };
                chunk_audits.push(NewAudit {
                    action: "update",
                    entity: audit::COMPOUND,
                    entity_id: Some(u.before.id),
                    before: Some(to_json(&u.before)?),
                    after: Some(to_json(&after)?),
                });
            }
            audit::append(&mut tx, actor, &at, chunk_audits).await?;
        }
        summary.updated = updates.len();
        change_modes(&mut tx, actor, &at, as_of, &mode_changes).await?;

        if summary.changed() {
            let mut entry = serde_json::to_value(summary)
                .map_err(|e| StoreError::Corrupt(format!("无法写成 JSON：{e}")))?;
            if let Some(obj) = entry.as_object_mut() {
                obj.insert(
                    "as_of".into(),
                    serde_json::Value::String(crate::sql::date_text(as_of)),
                );
                obj.insert("rows".into(), serde_json::Value::from(total_rows));
            }
            audit::append(
                &mut tx,
                actor,
                &at,
                vec![NewAudit {
                    action: "import",
                    entity: audit::LEDGER,
                    entity_id: None,
                    before: None,
                    after: Some(entry.to_string()),
                }],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    /// After a guarded multi-row UPDATE touched fewer rows than asked: which one moved on.
    async fn first_conflict(
        &self,
        conn: &mut sqlx::AnyConnection,
        chunk: &[PlannedUpdate],
    ) -> StoreError {
        for u in chunk {
            match crate::compounds::current_version(conn, audit::COMPOUND, u.before.id).await {
                Ok(v) if v != u.before.version + 1 => {
                    return StoreError::Conflict {
                        entity: audit::COMPOUND,
                        id: u.before.id,
                        expected: u.before.version,
                        actual: v,
                    };
                }
                Ok(_) => {}
                Err(e) => return e,
            }
        }
        StoreError::Corrupt("批量更新的行数与预期不符".into())
    }
}

/// Reserves `n` ids for new compounds inside the write transaction. SQLite: the transaction holds
/// the write lock, so the ids after the current maximum are ours (rows are never deleted, so no
/// id is reused). PostgreSQL: taken from the identity sequence, never handed out twice.
async fn reserve_compound_ids(conn: &mut sqlx::AnyConnection, n: usize) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).map_err(|_| StoreError::Invalid("台账行数过多".into()))?;
    if conn.backend_name() == "SQLite" {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM compounds")
            .fetch_one(&mut *conn)
            .await?;
        let max = Cols::new(&row).i64()?;
        Ok((max + 1..=max + count).collect())
    } else {
        let row = sqlx::query(
            "SELECT json_agg(nextval(pg_get_serial_sequence('compounds', 'id')))::text \
             FROM generate_series(1, $1)",
        )
        .bind(count)
        .fetch_one(&mut *conn)
        .await?;
        let json = Cols::new(&row).string()?;
        serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("编号无法读取：{e}")))
    }
}
