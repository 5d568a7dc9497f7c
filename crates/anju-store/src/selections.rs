//! 公开遴选 (seed 004 三(二)) in the database: announcement, registrations, screening, the
//! shortlist of 1–3, recommendation to each compound's owners' body and its choice, which records
//! the 选定企业 step on the compound in the same transaction. Rules: `anju_core::selection`.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::lifecycle::{StepRequest, Via, apply_step};
use crate::sql::{Cols, Conn, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::lifecycle::Event;
use anju_core::selection::{
    SelectionStage, check_choice, check_dates, check_registration, check_screening, check_shortlist,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const SELECTION: &str = "selection";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub company_id: i64,
    pub company: String,
    pub registered_on: Date,
    /// `None` until screened.
    pub qualified: Option<bool>,
    pub screen_note: Option<String>,
    pub shortlisted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionCompound {
    pub compound_id: i64,
    pub name: String,
    pub recommended_on: Date,
    pub company_id: Option<i64>,
    pub chosen_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub id: i64,
    pub version: i64,
    pub street: String,
    pub title: String,
    pub announced_on: Date,
    /// Last day of registration (inclusive).
    pub deadline: Date,
    pub stage: SelectionStage,
    pub registrations: Vec<Registration>,
    pub compounds: Vec<SelectionCompound>,
}

impl Selection {
    pub fn shortlist(&self) -> Vec<i64> {
        self.registrations
            .iter()
            .filter(|r| r.shortlisted)
            .map(|r| r.company_id)
            .collect()
    }
}

fn invalid(e: anju_core::selection::SelectionError) -> StoreError {
    StoreError::refused(e.to_string(), e.en())
}

pub(crate) async fn street_id(conn: &mut Conn, street: &str) -> Result<i64> {
    let rows = query("SELECT id FROM regions WHERE level = 'street' AND name = $1")
        .bind(street.trim().to_string())
        .fetch_all(&mut *conn)
        .await?;
    match rows.as_slice() {
        [one] => Cols::new(one).i64(),
        [] => Err(StoreError::refused(
            format!("找不到街道“{street}”"),
            format!("no street named '{street}'"),
        )),
        _ => Err(StoreError::refused(
            format!("有多个名为“{street}”的街道，请在台账中区分"),
            format!("several streets are named '{street}': tell them apart in the ledger"),
        )),
    }
}

async fn fetch_selection(conn: &mut Conn, id: i64) -> Result<Selection> {
    let row = query(
        "SELECT s.id, s.version, r.name, s.title, s.announced_on, s.deadline, s.stage \
         FROM selections s JOIN regions r ON r.id = s.street_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound {
        entity: SELECTION,
        id,
    })?;
    let mut c = Cols::new(&row);
    let id = c.i64()?;
    let version = c.i64()?;
    let street = c.string()?;
    let title = c.string()?;
    let announced_on = parse_date(&c.string()?)?;
    let deadline = parse_date(&c.string()?)?;
    let code = c.string()?;
    let stage = SelectionStage::from_code(&code)
        .ok_or_else(|| StoreError::Corrupt(format!("遴选阶段 '{code}'")))?;
    let rows = query(
        "SELECT g.company_id, co.name, g.registered_on, g.qualified, g.screen_note, g.shortlisted \
         FROM selection_registrations g JOIN companies co ON co.id = g.company_id \
         WHERE g.selection_id = $1 ORDER BY g.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let registrations = rows
        .iter()
        .map(|r| {
            let mut c = Cols::new(r);
            Ok(Registration {
                company_id: c.i64()?,
                company: c.string()?,
                registered_on: parse_date(&c.string()?)?,
                qualified: c.opt_i64()?.map(|q| q != 0),
                screen_note: c.opt_string()?,
                shortlisted: c.flag()?,
            })
        })
        .collect::<Result<_>>()?;
    let rows = query(
        "SELECT x.compound_id, c.name, x.recommended_on, x.company_id, x.chosen_on \
         FROM selection_compounds x JOIN compounds c ON c.id = x.compound_id \
         WHERE x.selection_id = $1 ORDER BY c.name, x.compound_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let compounds = rows
        .iter()
        .map(|r| {
            let mut c = Cols::new(r);
            Ok(SelectionCompound {
                compound_id: c.i64()?,
                name: c.string()?,
                recommended_on: parse_date(&c.string()?)?,
                company_id: c.opt_i64()?,
                chosen_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Selection {
        id,
        version,
        street,
        title,
        announced_on,
        deadline,
        stage,
        registrations,
        compounds,
    })
}

/// Refuses a change made on a stale read of the selection.
fn check_version(s: &Selection, expected: i64) -> Result<()> {
    if s.version != expected {
        return Err(StoreError::Conflict {
            entity: SELECTION,
            id: s.id,
            expected,
            actual: s.version,
        });
    }
    Ok(())
}

/// Bumps the selection's version, sets its stage, and audits the change.
async fn finish(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    action: &'static str,
    before: Option<&Selection>,
    id: i64,
) -> Result<Selection> {
    query("UPDATE selections SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(at.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let after = fetch_selection(conn, id).await?;
    audit::append(
        conn,
        actor,
        at,
        vec![NewAudit {
            action,
            entity: SELECTION,
            entity_id: Some(id),
            before: before.map(to_json).transpose()?,
            after: Some(to_json(&after)?),
        }],
    )
    .await?;
    Ok(after)
}

impl Store {
    /// Announces a selection (发布公告) for a street; registration runs from `announced_on`
    /// through `deadline` inclusive.
    pub async fn open_selection(
        &self,
        actor: &Actor,
        street: &str,
        title: &str,
        announced_on: Date,
        deadline: Date,
    ) -> Result<Selection> {
        check_dates(announced_on, deadline).map_err(invalid)?;
        if title.trim().is_empty() {
            return Err(StoreError::refused(
                "遴选公告标题不能为空",
                "the announcement needs a title",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let sid = street_id(&mut tx, street).await?;
        let row = query(
            "INSERT INTO selections (street_id, title, announced_on, deadline, stage, version, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 'announced', 0, $5, $5) RETURNING id",
        )
        .bind(sid)
        .bind(title.trim().to_string())
        .bind(date_text(announced_on))
        .bind(date_text(deadline))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let s = finish(&mut tx, actor, &at, "insert", None, id).await?;
        tx.commit().await?;
        Ok(s)
    }

    pub async fn get_selection(&self, id: i64) -> Result<Selection> {
        let mut conn = self.pool.acquire().await?;
        fetch_selection(&mut conn, id).await
    }

    pub async fn list_selections(&self) -> Result<Vec<Selection>> {
        self.list_selections_in(crate::Scope::All).await
    }

    /// The selections of the streets `scope` reaches: a street holding a compound within the
    /// scope (archived ones too), as a condition of the query.
    pub async fn list_selections_in(&self, scope: crate::Scope) -> Result<Vec<Selection>> {
        let mut conn = self.pool.acquire().await?;
        let mut vals = Vec::new();
        let sql = match scope {
            crate::Scope::All => "SELECT s.id FROM selections s ORDER BY s.id".to_string(),
            // A street's 公开选聘 is the officials' process: an owners' body reads none.
            crate::Scope::Compound(_) => return Ok(Vec::new()),
            scope => format!(
                "SELECT s.id FROM selections s WHERE EXISTS (SELECT 1 FROM compounds c \
                 WHERE c.street_id = s.street_id{}) ORDER BY s.id",
                scope.condition(None, &mut vals)
            ),
        };
        let rows = crate::sql::bind_all(crate::sql::query(sql), vals)
            .fetch_all(&mut *conn)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = Cols::new(r).i64()?;
            out.push(fetch_selection(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// A company registers (报名) on `on`, within the registration period.
    pub async fn register_for_selection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        company_id: i64,
        on: Date,
    ) -> Result<Selection> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_selection(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        check_registration(before.stage, before.announced_on, before.deadline, on)
            .map_err(invalid)?;
        if before
            .registrations
            .iter()
            .any(|r| r.company_id == company_id)
        {
            return Err(invalid(
                anju_core::selection::SelectionError::AlreadyRegistered(company_id),
            ));
        }
        query(
            "INSERT INTO selection_registrations (selection_id, company_id, registered_on, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(company_id)
        .bind(date_text(on))
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        let s = finish(&mut tx, actor, &at, "register", Some(&before), id).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Screens the registrations (资格审查) after the deadline: the listed companies qualify,
    /// the others do not.
    pub async fn screen_selection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: Date,
        qualified: &[i64],
        note: Option<&str>,
    ) -> Result<Selection> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_selection(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        check_screening(before.stage, before.deadline, on).map_err(invalid)?;
        if let Some(q) = qualified
            .iter()
            .find(|q| !before.registrations.iter().any(|r| r.company_id == **q))
        {
            return Err(StoreError::refused(
                format!("企业（编号 {q}）未报名本次遴选"),
                format!("company {q} did not register for this selection"),
            ));
        }
        for r in &before.registrations {
            query(
                "UPDATE selection_registrations SET qualified = $1, screen_note = $2 \
                 WHERE selection_id = $3 AND company_id = $4",
            )
            .bind(i64::from(qualified.contains(&r.company_id)))
            .bind(note.map(str::to_string))
            .bind(id)
            .bind(r.company_id)
            .execute(&mut *tx)
            .await?;
        }
        query("UPDATE selections SET stage = 'screened', screened_on = $1 WHERE id = $2")
            .bind(date_text(on))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let s = finish(&mut tx, actor, &at, "screen", Some(&before), id).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Sets the shortlist (入围, 1 to 3 qualified companies).
    pub async fn shortlist_selection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: Date,
        companies: &[i64],
    ) -> Result<Selection> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_selection(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        let qualified: Vec<i64> = before
            .registrations
            .iter()
            .filter(|r| r.qualified == Some(true))
            .map(|r| r.company_id)
            .collect();
        check_shortlist(before.stage, &qualified, companies).map_err(invalid)?;
        for c in companies {
            query(
                "UPDATE selection_registrations SET shortlisted = 1 \
                 WHERE selection_id = $1 AND company_id = $2",
            )
            .bind(id)
            .bind(*c)
            .execute(&mut *tx)
            .await?;
        }
        query("UPDATE selections SET stage = 'shortlisted', shortlisted_on = $1 WHERE id = $2")
            .bind(date_text(on))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let s = finish(&mut tx, actor, &at, "shortlist", Some(&before), id).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Recommends the shortlist to a compound's owners' body (推荐).
    pub async fn recommend_selection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        compound_id: i64,
        on: Date,
    ) -> Result<Selection> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_selection(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        if before.stage != SelectionStage::Shortlisted {
            return Err(invalid(anju_core::selection::SelectionError::WrongStage {
                stage: before.stage,
                what: "推荐入围企业",
            }));
        }
        let compound = crate::compounds::fetch_compound(&mut tx, compound_id).await?;
        if compound.compound.street != before.street {
            return Err(StoreError::refused(
                format!(
                    "小区“{}”属于{}，不在本次遴选的街道（{}）",
                    compound.compound.name, compound.compound.street, before.street
                ),
                format!(
                    "compound '{}' is in {}, not in this selection's street ({})",
                    compound.compound.name, compound.compound.street, before.street
                ),
            ));
        }
        if before
            .compounds
            .iter()
            .any(|c| c.compound_id == compound_id)
        {
            return Err(StoreError::refused(
                format!("已向小区“{}”推荐过入围企业", compound.compound.name),
                format!(
                    "the shortlist was already recommended to compound '{}'",
                    compound.compound.name
                ),
            ));
        }
        query(
            "INSERT INTO selection_compounds (selection_id, compound_id, recommended_on) \
             VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(compound_id)
        .bind(date_text(on))
        .execute(&mut *tx)
        .await?;
        let s = finish(&mut tx, actor, &at, "recommend", Some(&before), id).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The compound's owners' body chooses one shortlisted company (选定): one project, one
    /// company. Records the 选定企业 step on the compound in the same transaction.
    pub async fn choose_in_selection(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        compound_id: i64,
        company_id: i64,
        on: Date,
    ) -> Result<Selection> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_selection(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        let entry = before
            .compounds
            .iter()
            .find(|c| c.compound_id == compound_id);
        check_choice(
            before.stage,
            &before.shortlist(),
            entry.is_some(),
            entry.and_then(|e| e.company_id),
            company_id,
        )
        .map_err(invalid)?;
        query(
            "UPDATE selection_compounds SET company_id = $1, chosen_on = $2 \
             WHERE selection_id = $3 AND compound_id = $4",
        )
        .bind(company_id)
        .bind(date_text(on))
        .bind(id)
        .bind(compound_id)
        .execute(&mut *tx)
        .await?;
        let mut req = StepRequest::new(Event::SelectCompany { company_id }, on);
        req.note = Some(format!("遴选：{}", before.title));
        apply_step(&mut tx, actor, &at, compound_id, None, &req, Via::Advance).await?;
        let s = finish(&mut tx, actor, &at, "choose", Some(&before), id).await?;
        tx.commit().await?;
        Ok(s)
    }
}
