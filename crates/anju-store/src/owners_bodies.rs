//! Owners' bodies (业主委员会, 物业管理委员会, 环境和物业管理委员会) as records: 筹备 → 选举 → 备案 →
//! 届满, their members and terms (issue 19 item 1). Each write is one audited transaction; the
//! path is `anju_core::owners_body::next`. Filing a body that succeeds another ends the other
//! (换届) in the same transaction.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::OwnersBody;
use anju_core::owners_body::{BodyRole, BodyStatus, BodyStep, next as next_status, term_last_day};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const OWNERS_BODY: &str = "owners_body";

/// An owners' body as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersBodyRecord {
    pub id: i64,
    pub compound_id: i64,
    pub compound: String,
    pub street_id: i64,
    pub kind: OwnersBody,
    pub status: BodyStatus,
    #[schema(value_type = String, format = Date)]
    pub prepared_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub elected_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub filed_on: Option<Date>,
    pub term_years: u32,
    /// The term's last day (from the election).
    #[schema(value_type = Option<String>, format = Date)]
    pub term_last_day: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub predecessor_id: Option<i64>,
    pub note: Option<String>,
    /// Members who have not left.
    pub members: i64,
    /// Of them, party members.
    pub party_members: i64,
    pub version: i64,
}

/// A member of an owners' body. `contact` is `None` where the reader may not see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersBodyMember {
    pub id: i64,
    pub body_id: i64,
    pub name: String,
    pub role: BodyRole,
    pub party_member: bool,
    pub contact: Option<String>,
    /// 职责清单.
    pub duties: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub joined_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub left_on: Option<Date>,
}

/// A member to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewBodyMember {
    pub name: String,
    pub role: BodyRole,
    #[serde(default)]
    pub party_member: bool,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub duties: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub joined_on: Date,
}

/// A body to start (筹备).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOwnersBody {
    pub compound_id: i64,
    pub kind: OwnersBody,
    pub prepared_on: Date,
    pub term_years: u32,
    pub note: Option<String>,
    /// The preparatory group (筹备组).
    pub members: Vec<NewBodyMember>,
}

const SELECT: &str = "SELECT b.id, b.compound_id, c.name, c.street_id, b.kind, b.status, \
     b.prepared_on, b.elected_on, b.filed_on, b.term_years, b.term_last_day, b.ended_on, \
     b.end_reason, b.predecessor_id, b.note, \
     (SELECT COUNT(*) FROM owners_body_members m WHERE m.body_id = b.id AND m.left_on IS NULL), \
     (SELECT COUNT(*) FROM owners_body_members m WHERE m.body_id = b.id AND m.left_on IS NULL \
     AND m.party_member = 1), b.version FROM owners_bodies b JOIN compounds c ON c.id = b.compound_id";

const MEMBER_SELECT: &str = "SELECT id, body_id, name, role, party_member, contact, duties, \
     joined_on, left_on FROM owners_body_members";

fn from_row(row: &Row) -> Result<OwnersBodyRecord> {
    let mut c = Cols::new(row);
    Ok(OwnersBodyRecord {
        id: c.i64()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        street_id: c.i64()?,
        kind: {
            let s = c.string()?;
            OwnersBody::from_code(&s)
                .filter(|k| k.exists())
                .ok_or_else(|| StoreError::Corrupt(format!("未知的业主组织类型 '{s}'")))?
        },
        status: {
            let s = c.string()?;
            BodyStatus::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的业主组织状态 '{s}'")))?
        },
        prepared_on: parse_date(&c.string()?)?,
        elected_on: opt_date(c.opt_string()?)?,
        filed_on: opt_date(c.opt_string()?)?,
        term_years: c.u32()?,
        term_last_day: opt_date(c.opt_string()?)?,
        ended_on: opt_date(c.opt_string()?)?,
        end_reason: c.opt_string()?,
        predecessor_id: c.opt_i64()?,
        note: c.opt_string()?,
        members: c.i64()?,
        party_members: c.i64()?,
        version: c.i64()?,
    })
}

fn member_from_row(row: &Row) -> Result<OwnersBodyMember> {
    let mut c = Cols::new(row);
    Ok(OwnersBodyMember {
        id: c.i64()?,
        body_id: c.i64()?,
        name: c.string()?,
        role: {
            let s = c.string()?;
            BodyRole::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的成员角色 '{s}'")))?
        },
        party_member: c.flag()?,
        contact: c.opt_string()?,
        duties: c.opt_string()?,
        joined_on: parse_date(&c.string()?)?,
        left_on: opt_date(c.opt_string()?)?,
    })
}

async fn fetch(conn: &mut Conn, id: i64) -> Result<OwnersBodyRecord> {
    let row = query(format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: OWNERS_BODY,
            id,
        })?;
    from_row(&row)
}

async fn insert_members(
    conn: &mut Conn,
    body_id: i64,
    members: &[NewBodyMember],
    at: &str,
) -> Result<()> {
    for m in members {
        query(
            "INSERT INTO owners_body_members (body_id, name, role, party_member, contact, duties, \
             joined_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(body_id)
        .bind(m.name.trim().to_string())
        .bind(m.role.code())
        .bind(i64::from(m.party_member))
        .bind(m.contact.clone())
        .bind(m.duties.clone())
        .bind(date_text(m.joined_on))
        .bind(at.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A body's members still on it leave on the day it ends; refused when one of them joined after
/// that day.
async fn members_leave(conn: &mut Conn, body_id: i64, on: Date, at: &str) -> Result<()> {
    let latest = query(
        "SELECT MAX(joined_on) FROM owners_body_members WHERE body_id = $1 AND left_on IS NULL",
    )
    .bind(body_id)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(j) = Cols::new(&latest).opt_string()? {
        let j = parse_date(&j)?;
        if on < j {
            return Err(StoreError::Refused {
                zh: format!("届满日期 {on} 早于成员的加入日期 {j}"),
                en: format!("{on} is before a member joined, {j}"),
            });
        }
    }
    query(
        "UPDATE owners_body_members SET left_on = $1, updated_at = $2 \
         WHERE body_id = $3 AND left_on IS NULL",
    )
    .bind(date_text(on))
    .bind(at.to_string())
    .bind(body_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The audit image: the record with what the write added.
fn image<T: Serialize>(record: &OwnersBodyRecord, key: &str, extra: &T) -> Result<String> {
    let mut v = serde_json::to_value(record)
        .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?;
    if let serde_json::Value::Object(m) = &mut v {
        m.insert(
            key.into(),
            serde_json::to_value(extra)
                .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?,
        );
    }
    Ok(v.to_string())
}

impl Store {
    /// Starts a body (筹备) for a compound. Refused while another body of the compound is being
    /// prepared or elected (one at a time); a body in office stays until this one is filed.
    pub async fn add_owners_body(
        &self,
        actor: &Actor,
        new: NewOwnersBody,
    ) -> Result<OwnersBodyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        fetch_compound(&mut tx, new.compound_id).await?;
        let pending = query(
            "SELECT id FROM owners_bodies WHERE compound_id = $1 \
             AND status IN ('preparing', 'elected')",
        )
        .bind(new.compound_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = pending {
            let other = Cols::new(&row).i64()?;
            return Err(StoreError::Refused {
                zh: format!("该小区已有筹备中或待备案的业主组织（#{other}），请先办完"),
                en: format!("the compound has a body being prepared or elected (#{other})"),
            });
        }
        let predecessor =
            query("SELECT id FROM owners_bodies WHERE compound_id = $1 AND status = 'in_office'")
                .bind(new.compound_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| Cols::new(&r).i64())
                .transpose()?;
        let row = query(
            "INSERT INTO owners_bodies (compound_id, kind, status, prepared_on, term_years, \
             predecessor_id, note, version, created_at, updated_at) VALUES ($1, $2, 'preparing', \
             $3, $4, $5, $6, 1, $7, $7) RETURNING id",
        )
        .bind(new.compound_id)
        .bind(new.kind.code())
        .bind(date_text(new.prepared_on))
        .bind(i64::from(new.term_years))
        .bind(predecessor)
        .bind(new.note.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        insert_members(&mut tx, id, &new.members, &at).await?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: OWNERS_BODY,
                entity_id: Some(id),
                before: None,
                after: Some(image(&after, "members", &new.members)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A step of a body: 选举 (with the elected members; the term runs from that day), 备案 (in
    /// office; a predecessor still in office ends that day, 换届), 届满 (with a reason).
    #[expect(
        clippy::too_many_arguments,
        reason = "the step's own fields, named at each call"
    )]
    pub async fn owners_body_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        step: BodyStep,
        on: Date,
        note: Option<String>,
        members: &[NewBodyMember],
    ) -> Result<OwnersBodyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: OWNERS_BODY,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let to = next_status(before.status, step)
            .map_err(|e| StoreError::Refused { zh: e.zh, en: e.en })?;
        let last = [before.prepared_on]
            .into_iter()
            .chain(before.elected_on)
            .chain(before.filed_on)
            .max()
            .unwrap_or(before.prepared_on);
        if on < last {
            return Err(StoreError::Refused {
                zh: format!("日期 {on} 早于上一步的日期 {last}"),
                en: format!("{on} is before the previous step's day {last}"),
            });
        }
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let day = date_text(on);
        let mut vals = vec![Val::text(to.code()), Val::text(day)];
        let set = match step {
            BodyStep::Elect => {
                if members.is_empty() {
                    return Err(StoreError::Invalid("选举须登记当选的成员".into()));
                }
                // The preparatory group leaves on the election day: none of it joined later.
                let late = query(
                    "SELECT name, joined_on FROM owners_body_members WHERE body_id = $1 \
                     AND role = 'preparer' AND left_on IS NULL AND joined_on > $2 \
                     ORDER BY joined_on DESC, id",
                )
                .bind(id)
                .bind(date_text(on))
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(row) = late {
                    let mut c = Cols::new(&row);
                    let (name, joined) = (c.string()?, c.string()?);
                    return Err(StoreError::Refused {
                        zh: format!("选举日期 {on} 早于筹备组成员“{name}”的加入日期 {joined}"),
                        en: format!(
                            "the election ({on}) is before preparatory member {name} joined ({joined})"
                        ),
                    });
                }
                vals.push(Val::text(date_text(term_last_day(on, before.term_years))));
                "elected_on = $2, term_last_day = $3"
            }
            BodyStep::File => "filed_on = $2",
            BodyStep::End => {
                let Some(reason) = note.clone() else {
                    return Err(StoreError::Invalid("届满须说明原因".into()));
                };
                vals.push(Val::text(reason));
                "ended_on = $2, end_reason = $3"
            }
        };
        vals.push(Val::text(at.clone()));
        let at_n = vals.len();
        vals.push(Val::int(id));
        let id_n = vals.len();
        vals.push(Val::int(expected_version));
        let v_n = vals.len();
        let done = bind_all(
            query(format!(
                "UPDATE owners_bodies SET status = $1, {set}, version = version + 1, \
                 updated_at = ${at_n} WHERE id = ${id_n} AND version = ${v_n}"
            )),
            vals,
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: OWNERS_BODY,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        let mut audits = Vec::new();
        if step == BodyStep::End {
            members_leave(&mut tx, id, on, &at).await?;
        }
        if step == BodyStep::Elect {
            // The preparatory group's work is done; the elected members join.
            query(
                "UPDATE owners_body_members SET left_on = $1, updated_at = $2 \
                 WHERE body_id = $3 AND role = 'preparer' AND left_on IS NULL",
            )
            .bind(date_text(on))
            .bind(at.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            insert_members(&mut tx, id, members, &at).await?;
        }
        if step == BodyStep::File
            && let Some(p) = before.predecessor_id
        {
            let old = fetch(&mut tx, p).await?;
            if old.status == BodyStatus::InOffice {
                query(
                    "UPDATE owners_bodies SET status = 'ended', ended_on = $1, end_reason = $2, \
                     version = version + 1, updated_at = $3 WHERE id = $4 AND status = 'in_office'",
                )
                .bind(date_text(on))
                .bind("换届".to_string())
                .bind(at.clone())
                .bind(p)
                .execute(&mut *tx)
                .await?;
                members_leave(&mut tx, p, on, &at).await?;
                audits.push(NewAudit {
                    action: "update",
                    entity: OWNERS_BODY,
                    entity_id: Some(p),
                    before: Some(to_json(&old)?),
                    after: Some(to_json(&fetch(&mut tx, p).await?)?),
                });
            }
        }
        if step == BodyStep::File {
            // The ledger's 业主组织 column follows the body filed (备案), in the same
            // transaction, audited as a change of the compound.
            let compound = fetch_compound(&mut tx, before.compound_id).await?;
            if compound.compound.owners_body != before.kind {
                query(
                    "UPDATE compounds SET owners_body = $1, version = version + 1, \
                     updated_at = $2 WHERE id = $3",
                )
                .bind(before.kind.code())
                .bind(at.clone())
                .bind(before.compound_id)
                .execute(&mut *tx)
                .await?;
                let changed = fetch_compound(&mut tx, before.compound_id).await?;
                audits.push(NewAudit {
                    action: "update",
                    entity: audit::COMPOUND,
                    entity_id: Some(before.compound_id),
                    before: Some(to_json(&compound)?),
                    after: Some(to_json(&changed)?),
                });
            }
        }
        let after = fetch(&mut tx, id).await?;
        audits.insert(
            0,
            NewAudit {
                action: "update",
                entity: OWNERS_BODY,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image(
                    &after,
                    "step",
                    &serde_json::json!({
                        "step": step.code(),
                        "on": date_text(on),
                        "note": note,
                        "members": members,
                    }),
                )?),
            },
        );
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_owners_body(&self, id: i64) -> Result<OwnersBodyRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// A compound's bodies, the latest first.
    pub async fn owners_bodies_of(&self, compound_id: i64) -> Result<Vec<OwnersBodyRecord>> {
        let rows = query(format!(
            "{SELECT} WHERE b.compound_id = $1 ORDER BY b.prepared_on DESC, b.id DESC"
        ))
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Bodies in office whose term's last day is on or before `until`, among the compounds in
    /// `scope`, by last day (the 换届 alerts and reminders).
    pub async fn owners_bodies_ending(
        &self,
        scope: crate::Scope,
        until: Date,
    ) -> Result<Vec<OwnersBodyRecord>> {
        let mut vals = vec![Val::text(date_text(until))];
        let cond = scope.condition(None, &mut vals);
        let rows = bind_all(
            query(format!(
                "{SELECT} WHERE b.status = 'in_office' AND b.term_last_day <= $1{cond} \
                 ORDER BY b.term_last_day, b.id"
            )),
            vals,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// A body's members, current first (by role), then those who left.
    pub async fn owners_body_members(&self, id: i64) -> Result<Vec<OwnersBodyMember>> {
        let rows = query(format!("{MEMBER_SELECT} WHERE body_id = $1 ORDER BY id"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<OwnersBodyMember> =
            rows.iter().map(member_from_row).collect::<Result<_>>()?;
        let rank = |r: BodyRole| BodyRole::ALL.iter().position(|x| *x == r).unwrap_or(9);
        out.sort_by_key(|m| (m.left_on.is_some(), rank(m.role), m.id));
        Ok(out)
    }

    /// Adds members to a body not yet ended (a co-opted member, an alternate stepping up).
    pub async fn add_owners_body_members(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        members: &[NewBodyMember],
    ) -> Result<OwnersBodyRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        let done = query(
            "UPDATE owners_bodies SET version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3",
        )
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: OWNERS_BODY,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        insert_members(&mut tx, id, members, &at).await?;
        let after = fetch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: OWNERS_BODY,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image(&after, "members_added", &members)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
