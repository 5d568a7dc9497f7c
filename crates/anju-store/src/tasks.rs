//! 任务清单: tasks per compound with a responsible person and a deadline (seed 003 附件3/4).
//! Audited, versioned, never deleted (a task no longer wanted is cancelled).

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{
    Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, parse_ts,
    query,
};
use crate::{Result, Store, StoreError};
use anju_core::task::{TaskStatus, is_overdue};
use serde::{Deserialize, Serialize};

pub(crate) const TASK: &str = "task";

/// A stored task, with the names of its compound, street and community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Task {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub community: Option<String>,
    pub title: String,
    pub detail: Option<String>,
    /// 责任人
    pub responsible: String,
    /// 完成时间: the last day on time.
    pub deadline: jiff::civil::Date,
    pub status: TaskStatus,
    pub done_on: Option<jiff::civil::Date>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl Task {
    /// 逾期 as of a date: open and past the deadline (the deadline day is on time).
    pub fn overdue(&self, as_of: jiff::civil::Date) -> bool {
        is_overdue(self.status, self.deadline, as_of)
    }
}

/// A task to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewTask {
    pub compound_id: i64,
    pub title: String,
    pub detail: Option<String>,
    pub responsible: String,
    pub deadline: jiff::civil::Date,
}

/// Which tasks to list; ordered by deadline, then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFilter {
    pub street: Option<String>,
    pub compound_id: Option<i64>,
    pub status: Option<TaskStatus>,
    /// Only tasks overdue on this date.
    pub overdue_as_of: Option<jiff::civil::Date>,
    /// Whose tasks: the reader's scope, a condition of the query (never read from a request).
    #[serde(skip)]
    pub scope: crate::Scope,
}

const TASK_SELECT: &str = "SELECT t.id, t.compound_id, c.name AS compound, s.name AS street, \
     cm.name AS community, t.title, t.detail, t.responsible, t.deadline, t.status, t.done_on, \
     t.version, t.created_at, t.updated_at FROM tasks t JOIN compounds c ON c.id = t.compound_id \
     JOIN regions s ON s.id = c.street_id LEFT JOIN regions cm ON cm.id = c.community_id";

/// A task as [`TASK_SELECT`] reads it, by column name.
#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    compound_id: i64,
    compound: String,
    street: String,
    community: Option<String>,
    title: String,
    detail: Option<String>,
    responsible: String,
    deadline: String,
    status: String,
    done_on: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

fn task_from_row(row: &Row) -> Result<Task> {
    let r: TaskRow = row.decode()?;
    Ok(Task {
        id: r.id,
        compound_id: r.compound_id,
        compound: r.compound,
        street: r.street,
        community: r.community,
        title: r.title,
        detail: r.detail,
        responsible: r.responsible,
        deadline: parse_date(&r.deadline)?,
        status: TaskStatus::from_code(&r.status)
            .ok_or_else(|| StoreError::Corrupt(format!("未知的任务状态 '{}'", r.status)))?,
        done_on: opt_date(r.done_on)?,
        version: r.version,
        created_at: parse_ts(&r.created_at)?,
        updated_at: parse_ts(&r.updated_at)?,
    })
}

async fn fetch_task(conn: &mut Conn, id: i64) -> Result<Task> {
    let row = query(format!("{TASK_SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: TASK, id })?;
    task_from_row(&row)
}

fn tidy(s: &str) -> String {
    s.trim().to_string()
}

/// Inserts one task on the caller's transaction and queues its audit row.
async fn insert_task(
    conn: &mut Conn,
    at: &str,
    t: &NewTask,
    audits: &mut Vec<NewAudit>,
) -> Result<Task> {
    let title = tidy(&t.title);
    let responsible = tidy(&t.responsible);
    if title.is_empty() {
        return Err(StoreError::Invalid("任务内容不能为空".into()));
    }
    if responsible.is_empty() {
        return Err(StoreError::Invalid("责任人不能为空".into()));
    }
    let compound = fetch_compound(&mut *conn, t.compound_id).await?;
    if compound.archived {
        return Err(StoreError::Invalid(format!(
            "小区“{}”已归档，不能再布置任务",
            compound.compound.name
        )));
    }
    let row = query(
        "INSERT INTO tasks (compound_id, title, detail, responsible, deadline, status, done_on, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', NULL, 1, $6, $6) \
         RETURNING id",
    )
    .bind(t.compound_id)
    .bind(title)
    .bind(
        t.detail
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    )
    .bind(responsible)
    .bind(date_text(t.deadline))
    .bind(at.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let id = Cols::new(&row).i64()?;
    let task = fetch_task(conn, id).await?;
    audits.push(NewAudit {
        action: "insert",
        entity: TASK,
        entity_id: Some(id),
        before: None,
        after: Some(to_json(&task)?),
    });
    Ok(task)
}

impl Store {
    /// Creates a task (audited).
    pub async fn add_task(&self, actor: &Actor, task: NewTask) -> Result<Task> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut audits = Vec::new();
        let t = insert_task(&mut tx, &at, &task, &mut audits).await?;
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// Creates tasks in one transaction, skipping any that already exists (same compound, title
    /// and deadline, not cancelled), so that loading a task list twice adds nothing. Returns the
    /// tasks created and how many were skipped.
    pub async fn add_tasks_once(
        &self,
        actor: &Actor,
        tasks: &[NewTask],
    ) -> Result<(Vec<Task>, usize)> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let mut audits = Vec::new();
        let mut created = Vec::new();
        let mut skipped = 0;
        for t in tasks {
            let exists = query(
                "SELECT id FROM tasks WHERE compound_id = $1 AND title = $2 AND deadline = $3 \
                 AND status <> 'cancelled'",
            )
            .bind(t.compound_id)
            .bind(tidy(&t.title))
            .bind(date_text(t.deadline))
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_some() {
                skipped += 1;
                continue;
            }
            created.push(insert_task(&mut tx, &at, t, &mut audits).await?);
        }
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok((created, skipped))
    }

    pub async fn get_task(&self, id: i64) -> Result<Task> {
        let mut conn = self.pool.acquire().await?;
        fetch_task(&mut conn, id).await
    }

    /// Tasks matching the filter, by deadline then id.
    pub async fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>> {
        let mut w = Filter::new();
        w.and_some(filter.street.as_deref(), "s.name = ?", |s| {
            Val::text(s.trim())
        });
        w.and_some(filter.compound_id, "t.compound_id = ?", Val::int);
        w.and_some(filter.status, "t.status = ?", |st| Val::text(st.code()));
        // The deadline day itself is on time: overdue when deadline < as_of.
        w.and_some(
            filter.overdue_as_of,
            "t.status = 'open' AND t.deadline < ?",
            |d| Val::text(date_text(d)),
        );
        w.scope(&filter.scope, None);
        let mut sql = format!("{TASK_SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY t.deadline, t.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(task_from_row).collect()
    }

    /// Marks a task done (on `done_on`), cancelled, or open again, if nobody changed it since
    /// `expected_version` (audited). Done needs a date; the other two clear it.
    pub async fn set_task_status(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        status: TaskStatus,
        done_on: Option<jiff::civil::Date>,
    ) -> Result<Task> {
        let done_on = match (status, done_on) {
            (TaskStatus::Done, None) => {
                return Err(StoreError::Invalid("标记完成需要完成日期".into()));
            }
            (TaskStatus::Done, Some(d)) => Some(date_text(d)),
            _ => None,
        };
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_task(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: TASK,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        if before.status == status && before.done_on.map(date_text) == done_on {
            tx.commit().await?;
            return Ok(before);
        }
        let done = query(
            "UPDATE tasks SET status = $1, done_on = $2, version = version + 1, updated_at = $3 \
             WHERE id = $4 AND version = $5",
        )
        .bind(status.code())
        .bind(done_on)
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: TASK,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        let after = fetch_task(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: TASK,
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
