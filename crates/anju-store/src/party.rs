//! Red property records (红色物业, issue 19 item 3, migration 0029): per compound its 党支部 or
//! 党小组, 党建指导员, cross appointments and 征询, dated. Each write is one audited transaction;
//! nothing is deleted: a record is ended (its last day in force), and a 征询's rectified count is
//! corrected as the suggestions are acted on.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::party::{PartyFact, PartyRecordKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const PARTY_RECORD: &str = "party_record";

/// A red property record as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyRecord {
    pub id: i64,
    pub compound_id: i64,
    pub kind: PartyRecordKind,
    /// The branch's name or the person's.
    pub name: Option<String>,
    /// 派驻单位 of an instructor.
    pub sent_by: Option<String>,
    /// Party members of a branch or group.
    pub members: u32,
    /// A 征询's reasonable suggestions, and how many were rectified.
    pub suggestions: u32,
    pub rectified: u32,
    /// A 征询's day; otherwise its first day in force.
    #[schema(value_type = String, format = Date)]
    pub started_on: Date,
    /// Its last day in force.
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
    pub note: Option<String>,
    pub version: i64,
}

impl PartyRecord {
    /// What the counting of the rubric's party items needs.
    pub fn fact(&self) -> PartyFact {
        PartyFact {
            kind: self.kind,
            started_on: self.started_on,
            ended_on: self.ended_on,
            members: self.members,
            suggestions: self.suggestions,
            rectified: self.rectified,
        }
    }
}

/// A record to add (checked by the app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartyRecord {
    pub compound_id: i64,
    pub kind: PartyRecordKind,
    pub name: Option<String>,
    pub sent_by: Option<String>,
    pub members: u32,
    pub suggestions: u32,
    pub rectified: u32,
    pub started_on: Date,
    pub note: Option<String>,
}

/// A change to a record: its end, or a 征询's rectified count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyChange {
    End(Date),
    Rectified(u32),
}

const SELECT: &str = "SELECT id, compound_id, kind, name, sent_by, members, suggestions, \
     rectified, started_on, ended_on, note, version FROM party_records";

fn from_row(row: &Row) -> Result<PartyRecord> {
    let mut c = Cols::new(row);
    Ok(PartyRecord {
        id: c.i64()?,
        compound_id: c.i64()?,
        kind: {
            let s = c.string()?;
            PartyRecordKind::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的红色物业记录类型 '{s}'")))?
        },
        name: c.opt_string()?,
        sent_by: c.opt_string()?,
        members: c.u32()?,
        suggestions: c.u32()?,
        rectified: c.u32()?,
        started_on: parse_date(&c.string()?)?,
        ended_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        note: c.opt_string()?,
        version: c.i64()?,
    })
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<PartyRecord> {
    let row = query(format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: PARTY_RECORD,
            id,
        })?;
    from_row(&row)
}

impl Store {
    /// A compound's red property records, by kind and date.
    pub async fn party_records(&self, compound_id: i64) -> Result<Vec<PartyRecord>> {
        let rows = query(format!(
            "{SELECT} WHERE compound_id = $1 ORDER BY started_on DESC, id DESC"
        ))
        .bind(compound_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One record.
    pub async fn party_record(&self, id: i64) -> Result<PartyRecord> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, id).await
    }

    /// Adds a record (audited).
    pub async fn add_party_record(
        &self,
        actor: &Actor,
        new: NewPartyRecord,
    ) -> Result<PartyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let row = query(
            "INSERT INTO party_records (compound_id, kind, name, sent_by, members, suggestions, \
             rectified, started_on, note, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.kind.code())
        .bind(new.name.clone())
        .bind(new.sent_by.clone())
        .bind(i64::from(new.members))
        .bind(i64::from(new.suggestions))
        .bind(i64::from(new.rectified))
        .bind(date_text(new.started_on))
        .bind(new.note.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: PARTY_RECORD,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Ends a record, or corrects a 征询's rectified count (audited, version checked). An ended
    /// record is not ended again; an end before its start is refused.
    pub async fn change_party_record(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        change: PartyChange,
    ) -> Result<PartyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: PARTY_RECORD,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        match change {
            PartyChange::End(on) => {
                if before.kind.is_dated_once() {
                    return Err(StoreError::Refused {
                        zh: "征询只记一天，无需结束".into(),
                        en: "a consultation is held on one day and is not ended".into(),
                    });
                }
                if let Some(e) = before.ended_on {
                    return Err(StoreError::Refused {
                        zh: format!("该记录已于 {e} 结束"),
                        en: format!("the record already ended on {e}"),
                    });
                }
                if on < before.started_on {
                    return Err(StoreError::Refused {
                        zh: format!("结束日期 {on} 早于开始日期 {}", before.started_on),
                        en: format!("{on} is before the start, {}", before.started_on),
                    });
                }
                query(
                    "UPDATE party_records SET ended_on = $1, version = version + 1, \
                     updated_at = $2 WHERE id = $3",
                )
                .bind(date_text(on))
                .bind(at.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            PartyChange::Rectified(n) => {
                if !before.kind.is_dated_once() {
                    return Err(StoreError::Refused {
                        zh: "只有征询记录有整改条数".into(),
                        en: "only a consultation has rectified suggestions".into(),
                    });
                }
                query(
                    "UPDATE party_records SET rectified = $1, version = version + 1, \
                     updated_at = $2 WHERE id = $3",
                )
                .bind(i64::from(n))
                .bind(at.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: PARTY_RECORD,
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
