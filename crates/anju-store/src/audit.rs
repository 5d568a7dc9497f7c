//! The append-only audit log (审计日志): who changed what, when, before and after.
//!
//! Every write in this crate appends here inside its own transaction; the database refuses
//! UPDATE and DELETE on `audit_log` (triggers in both migration folders).

use crate::sql::{Cols, Ph, Val, bind_all, dyn_query, rows_per_statement};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

pub(crate) const COMPOUND: &str = "compound";
pub(crate) const COMPANY: &str = "company";
pub(crate) const REGION: &str = "region";
pub(crate) const LEDGER: &str = "ledger";

/// Who does a write: a person (or a job) and the role they act in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub role: String,
}

impl Actor {
    pub fn new(name: impl Into<String>, role: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            role: role.into(),
        }
    }

    /// The store's own maintenance (migrations, imports run by the system).
    pub fn system() -> Actor {
        Actor::new("system", "system")
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    pub role: String,
    /// `insert`, `update`, `archive`, `import`.
    pub action: String,
    /// `compound`, `company`, `region`, `ledger`.
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Which audit entries to read; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    /// At most this many (all when `None`).
    pub limit: Option<i64>,
}

/// An audit entry about to be written.
pub(crate) struct NewAudit {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("无法写成 JSON：{e}")))
}

const AUDIT_COLS: usize = 8;

/// Appends entries in multi-row INSERTs on the caller's transaction.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: &str,
    entries: Vec<NewAudit>,
) -> Result<()> {
    for chunk in entries.chunks(rows_per_statement(AUDIT_COLS)) {
        let sql = format!(
            "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, before, after) VALUES {}",
            Ph::for_conn(conn).rows(chunk.len(), AUDIT_COLS)
        );
        let mut q = dyn_query(sql);
        for e in chunk {
            q = q
                .bind(at.to_string())
                .bind(actor.name.clone())
                .bind(actor.role.clone())
                .bind(e.action)
                .bind(e.entity)
                .bind(e.entity_id)
                .bind(e.before.clone())
                .bind(e.after.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

impl Store {
    /// Reads the audit log, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT id, at, actor, role, action, entity, entity_id, before, after FROM audit_log WHERE 1 = 1",
        );
        let mut vals = Vec::new();
        if let Some(e) = &filter.entity {
            vals.push(Val::text(e.as_str()));
            sql.push_str(&format!(" AND entity = ${}", vals.len()));
        }
        if let Some(id) = filter.entity_id {
            vals.push(Val::int(id));
            sql.push_str(&format!(" AND entity_id = ${}", vals.len()));
        }
        if let Some(a) = &filter.actor {
            vals.push(Val::text(a.as_str()));
            sql.push_str(&format!(" AND actor = ${}", vals.len()));
        }
        sql.push_str(" ORDER BY id DESC");
        if let Some(l) = filter.limit {
            vals.push(Val::int(l.max(0)));
            sql.push_str(&format!(" LIMIT ${}", vals.len()));
        }
        let rows = bind_all(dyn_query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(AuditEntry {
                    id: c.i64()?,
                    at: c.string()?,
                    actor: c.string()?,
                    role: c.string()?,
                    action: c.string()?,
                    entity: c.string()?,
                    entity_id: c.opt_i64()?,
                    before: parse_json(c.opt_string()?)?,
                    after: parse_json(c.opt_string()?)?,
                })
            })
            .collect()
    }

    /// How many entries the audit log holds (cheap check that a no-op wrote nothing).
    pub async fn audit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Cols::new(&row).i64()
    }
}

fn parse_json(s: Option<String>) -> Result<Option<serde_json::Value>> {
    s.map(|s| {
        serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("审计记录不是 JSON：{e}")))
    })
    .transpose()
}
