//! 站内信: notices in a user's inbox, unread until opened. A notice is a message, not a record
//! of the programme (the records it points to are audited): it is not audited itself. A notice
//! with a `dedupe` key reaches each user once, however often it is raised.

use crate::sql::{Cols, Row, Val, bind_all, now_ts, parse_ts, query};
use crate::{Result, Store};
use serde::{Deserialize, Serialize};

/// A notice as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: i64,
    pub user_id: i64,
    /// What it is about (`referral`, `referral_overdue`, `dispatch_due` …).
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The page it points to.
    pub link: Option<String>,
    pub created_at: jiff::Timestamp,
    pub read_at: Option<jiff::Timestamp>,
}

/// A notice to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// Sent once per user under this key (None: every time).
    pub dedupe: Option<String>,
}

const SELECT: &str =
    "SELECT id, user_id, kind, title, body, link, created_at, read_at FROM notices";

fn from_row(row: &Row) -> Result<Notice> {
    let mut c = Cols::new(row);
    Ok(Notice {
        id: c.i64()?,
        user_id: c.i64()?,
        kind: c.string()?,
        title: c.string()?,
        body: c.string()?,
        link: c.opt_string()?,
        created_at: c.timestamp()?,
        read_at: c.opt_string()?.map(|s| parse_ts(&s)).transpose()?,
    })
}

impl Store {
    /// Puts a notice into each recipient's inbox (skipping those who already have one under
    /// its `dedupe` key); returns the notices written, for the senders.
    pub async fn add_notices(&self, recipients: &[i64], n: &NewNotice) -> Result<Vec<Notice>> {
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut out = Vec::new();
        for &user in recipients {
            if let Some(key) = &n.dedupe {
                let there = query("SELECT 1 FROM notices WHERE user_id = $1 AND dedupe = $2")
                    .bind(user)
                    .bind(key.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                if there.is_some() {
                    continue;
                }
            }
            let row = query(
                "INSERT INTO notices (user_id, kind, title, body, link, dedupe, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(user)
            .bind(n.kind.clone())
            .bind(n.title.clone())
            .bind(n.body.clone())
            .bind(n.link.clone())
            .bind(n.dedupe.clone())
            .bind(at.clone())
            .fetch_one(&mut *tx)
            .await?;
            let id = Cols::new(&row).i64()?;
            let stored = query(format!("{SELECT} WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            out.push(from_row(&stored)?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// A user's notices, newest first (at most `limit`).
    pub async fn notices_for(&self, user_id: i64, limit: i64) -> Result<Vec<Notice>> {
        let rows = query(format!(
            "{SELECT} WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One of a user's notices (another user's is not found).
    pub async fn notice_of(&self, user_id: i64, id: i64) -> Result<Option<Notice>> {
        query(format!("{SELECT} WHERE user_id = $1 AND id = $2"))
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    /// How many of a user's notices are unread.
    pub async fn unread_notices(&self, user_id: i64) -> Result<i64> {
        let row = query("SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Cols::new(&row).i64()
    }

    /// Marks a user's notices read: those named, or all of them. Returns how many changed.
    pub async fn mark_notices_read(&self, user_id: i64, ids: Option<&[i64]>) -> Result<u64> {
        let mut vals = vec![Val::text(now_ts()), Val::int(user_id)];
        let mut sql =
            "UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL".to_string();
        if let Some(ids) = ids {
            if ids.is_empty() {
                return Ok(0);
            }
            let list: Vec<String> = ids
                .iter()
                .map(|id| {
                    vals.push(Val::int(*id));
                    format!("${}", vals.len())
                })
                .collect();
            sql.push_str(&format!(" AND id IN ({})", list.join(", ")));
        }
        let done = bind_all(query(sql), vals).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}
