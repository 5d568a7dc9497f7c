//! The 调度表 as a submission (seed 003 附件5 注2): a district's schedule (the day its streets
//! start filing for every 1st and 15th) and each street's filing with the sheet as filed. A
//! filing is written once and never changed (triggers); each write is audited.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Conn, Row, Val, bind_all, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};

pub(crate) const DISPATCH_SCHEDULE: &str = "dispatch_schedule";
pub(crate) const DISPATCH_FILING: &str = "dispatch_filing";

/// The day a district's streets start filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispatchSchedule {
    pub id: i64,
    pub district_id: i64,
    pub district: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: jiff::civil::Date,
    pub set_by: String,
    pub version: i64,
}

/// One street's filing for one filing day. `sheet` is the JSON of the rows as filed (empty in
/// lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispatchFiling {
    pub id: i64,
    pub street_id: i64,
    pub street: String,
    #[schema(value_type = String, format = Date)]
    pub due_on: jiff::civil::Date,
    #[schema(value_type = String, format = Date)]
    pub filed_on: jiff::civil::Date,
    pub filed_by: String,
    pub compounds: i64,
    pub note: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub sheet: String,
}

const SCHEDULE_SELECT: &str = "SELECT s.id, s.district_id, r.name, s.starts_on, s.set_by, \
     s.version FROM dispatch_schedules s JOIN regions r ON r.id = s.district_id";

const FILING_COLS: &str = "f.id, f.street_id, r.name, f.due_on, f.filed_on, f.filed_by, \
     f.compounds, f.note";

fn schedule_from(row: &Row) -> Result<DispatchSchedule> {
    let mut c = Cols::new(row);
    Ok(DispatchSchedule {
        id: c.i64()?,
        district_id: c.i64()?,
        district: c.string()?,
        starts_on: parse_date(&c.string()?)?,
        set_by: c.string()?,
        version: c.i64()?,
    })
}

fn filing_from(c: &mut Cols<'_>) -> Result<DispatchFiling> {
    Ok(DispatchFiling {
        id: c.i64()?,
        street_id: c.i64()?,
        street: c.string()?,
        due_on: parse_date(&c.string()?)?,
        filed_on: parse_date(&c.string()?)?,
        filed_by: c.string()?,
        compounds: c.i64()?,
        note: c.opt_string()?,
        sheet: String::new(),
    })
}

async fn fetch_schedule(conn: &mut Conn, district_id: i64) -> Result<Option<DispatchSchedule>> {
    query(format!("{SCHEDULE_SELECT} WHERE s.district_id = $1"))
        .bind(district_id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(schedule_from)
        .transpose()
}

async fn fetch_filing(conn: &mut Conn, id: i64) -> Result<DispatchFiling> {
    let row = query(format!(
        "SELECT {FILING_COLS}, f.sheet FROM dispatch_filings f \
         JOIN regions r ON r.id = f.street_id WHERE f.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound {
        entity: DISPATCH_FILING,
        id,
    })?;
    let mut c = Cols::new(&row);
    let mut f = filing_from(&mut c)?;
    f.sheet = c.string()?;
    Ok(f)
}

impl Store {
    /// Sets the day a district's streets start filing (`expected_version` 0: it has none yet),
    /// or moves it at the version read; the region must be a district.
    pub async fn set_dispatch_schedule(
        &self,
        actor: &Actor,
        district_id: i64,
        starts_on: jiff::civil::Date,
        expected_version: i64,
    ) -> Result<DispatchSchedule> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let level = query("SELECT level FROM regions WHERE id = $1")
            .bind(district_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                entity: audit::REGION,
                id: district_id,
            })?;
        if Cols::new(&level).string()? != "district" {
            return Err(StoreError::Invalid("报送安排须对一个区（县）设置".into()));
        }
        let before = fetch_schedule(&mut tx, district_id).await?;
        match &before {
            Some(b) => {
                let v = expected_version;
                let done = query(
                    "UPDATE dispatch_schedules SET starts_on = $1, set_by = $2, \
                     version = version + 1, updated_at = $3 WHERE district_id = $4 \
                     AND version = $5",
                )
                .bind(date_text(starts_on))
                .bind(actor.name.clone())
                .bind(at.clone())
                .bind(district_id)
                .bind(v)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict {
                        entity: DISPATCH_SCHEDULE,
                        id: b.id,
                        expected: v,
                        actual: b.version,
                    });
                }
            }
            None if expected_version != 0 => {
                return Err(StoreError::Conflict {
                    entity: DISPATCH_SCHEDULE,
                    id: district_id,
                    expected: expected_version,
                    actual: 0,
                });
            }
            None => {
                query(
                    "INSERT INTO dispatch_schedules (district_id, starts_on, set_by, version, \
                     created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)",
                )
                .bind(district_id)
                .bind(date_text(starts_on))
                .bind(actor.name.clone())
                .bind(at.clone())
                .execute(&mut *tx)
                .await?;
            }
        }
        let after = fetch_schedule(&mut tx, district_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("报送安排未写入".into()))?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: if before.is_some() { "update" } else { "insert" },
                entity: DISPATCH_SCHEDULE,
                entity_id: Some(after.id),
                before: before.as_ref().map(to_json).transpose()?,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every district's schedule.
    pub async fn dispatch_schedules(&self) -> Result<Vec<DispatchSchedule>> {
        let rows = query(format!("{SCHEDULE_SELECT} ORDER BY s.district_id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(schedule_from).collect()
    }

    /// Files a street's sheet for a filing day; a second filing for the same day is refused.
    #[expect(clippy::too_many_arguments, reason = "one filing's facts")]
    pub async fn file_dispatch(
        &self,
        actor: &Actor,
        street_id: i64,
        due_on: jiff::civil::Date,
        filed_on: jiff::civil::Date,
        sheet: &str,
        compounds: i64,
        note: Option<&str>,
    ) -> Result<DispatchFiling> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let there =
            query("SELECT filed_on FROM dispatch_filings WHERE street_id = $1 AND due_on = $2")
                .bind(street_id)
                .bind(date_text(due_on))
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(row) = there {
            let on = Cols::new(&row).string()?;
            return Err(StoreError::Duplicate(format!(
                "{due_on} 这一期的调度表已于 {on} 报送，不能重复报送"
            )));
        }
        let row = query(
            "INSERT INTO dispatch_filings (street_id, due_on, filed_on, filed_by, sheet, \
             compounds, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(street_id)
        .bind(date_text(due_on))
        .bind(date_text(filed_on))
        .bind(actor.name.clone())
        .bind(sheet.to_string())
        .bind(compounds)
        .bind(note.map(str::to_string))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let mut after = fetch_filing(&mut tx, id).await?;
        after.sheet.clear();
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: DISPATCH_FILING,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One filing with its sheet.
    pub async fn get_dispatch_filing(&self, id: i64) -> Result<DispatchFiling> {
        let mut conn = self.pool.acquire().await?;
        fetch_filing(&mut conn, id).await
    }

    /// The filings (without their sheets) of the streets `street_ids` (None: every street),
    /// filed for days in `[from, to]`, by street then day.
    pub async fn dispatch_filings(
        &self,
        street_ids: Option<&[i64]>,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<DispatchFiling>> {
        let mut vals = vec![Val::text(date_text(from)), Val::text(date_text(to))];
        let mut sql = format!(
            "SELECT {FILING_COLS} FROM dispatch_filings f JOIN regions r ON r.id = f.street_id \
             WHERE f.due_on >= $1 AND f.due_on <= $2"
        );
        if let Some(ids) = street_ids {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let list: Vec<String> = ids
                .iter()
                .map(|id| {
                    vals.push(Val::int(*id));
                    format!("${}", vals.len())
                })
                .collect();
            sql.push_str(&format!(" AND f.street_id IN ({})", list.join(", ")));
        }
        sql.push_str(" ORDER BY f.street_id, f.due_on");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| filing_from(&mut Cols::new(r)))
            .collect()
    }
}
