//! The append-only audit log (审计日志): who changed what, when, before and after.
//!
//! Every write in this crate appends here inside its own transaction; the database refuses
//! UPDATE and DELETE on `audit_log` (triggers in both migration folders).

use crate::sql::{Cols, Conn, Filter, Ty, Val, bind_all, insert_rows, query};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: jiff::Timestamp,
    pub actor: String,
    pub role: String,
    /// `insert`, `update`, `archive`, `import`.
    pub action: String,
    /// `compound`, `company`, `region`, `ledger`.
    pub entity: String,
    pub entity_id: Option<i64>,
    /// The record as it was before the change, in the JSON of its own type (which differs by
    /// `entity`); absent or null for an insert.
    pub before: Option<serde_json::Value>,
    /// The record after the change, in the JSON of its own type.
    pub after: Option<serde_json::Value>,
}

/// Which audit entries to read; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    /// Only the entries that concern this region: see [`Store::audit_entries`].
    pub region_id: Option<i64>,
    /// At most this many (all when `None`).
    pub limit: Option<i64>,
}

/// Entities whose rows concern one compound, and how an entry's `entity_id` leads to it:
/// `(entity, from, id, compound)`, the rows `SELECT {id}, {compound} FROM {from}` pairing each
/// entity id with its compound. Read both ways: the audit read selects the ids whose compound
/// lies in `sc` (the region's compounds), and [`note_placed`] the streets of the compounds the
/// ids written lead to. Checked at read time against where the compound lies now (nothing is
/// written to the append-only log).
const BY_COMPOUND: &[(&str, &str, &str, &str)] = &[
    (COMPOUND, "compounds x", "x.id", "x.id"),
    ("lifecycle", "compounds x", "x.id", "x.id"),
    // Not audited under its own name today (a correction is a `lifecycle` entry), but a step
    // is a compound's record, should it ever be.
    ("step", "compound_steps x", "x.id", "x.compound_id"),
    ("compound_public_key", "compounds x", "x.id", "x.id"),
    (
        "contract",
        "contract_compounds x",
        "x.contract_id",
        "x.compound_id",
    ),
    (
        "dismissal_proposal",
        "dismissal_proposals p JOIN contract_compounds x ON x.contract_id = p.contract_id",
        "p.id",
        "x.compound_id",
    ),
    ("task", "tasks x", "x.id", "x.compound_id"),
    ("assessment", "assessments x", "x.id", "x.compound_id"),
    (
        "evaluator_assignment",
        "evaluator_assignments x",
        "x.id",
        "x.compound_id",
    ),
    ("patrol", "patrols x", "x.id", "x.compound_id"),
    (
        "patrol_finding",
        "patrol_findings f JOIN patrols x ON x.id = f.patrol_id",
        "f.id",
        "x.compound_id",
    ),
    (
        "rectification_order",
        "rectification_orders x",
        "x.id",
        "x.compound_id",
    ),
    ("complaint", "complaints x", "x.id", "x.compound_id"),
    ("referral", "referrals x", "x.id", "x.compound_id"),
    ("owners_body", "owners_bodies x", "x.id", "x.compound_id"),
    ("party_record", "party_records x", "x.id", "x.compound_id"),
    (
        "renovation_project",
        "renovation_projects x",
        "x.id",
        "x.compound_id",
    ),
    (
        "renovation_household",
        "renovation_households h JOIN renovation_projects x ON x.id = h.project_id",
        "h.id",
        "x.compound_id",
    ),
    ("fee_standard", "fee_standards x", "x.id", "x.compound_id"),
    ("household", "households x", "x.id", "x.compound_id"),
    ("fund_entry", "fund_entries x", "x.id", "x.compound_id"),
    ("fund_use", "fund_uses x", "x.id", "x.compound_id"),
    ("vote", "votes x", "x.id", "x.compound_id"),
    (
        "vote_ballot",
        "vote_ballots b JOIN votes x ON x.id = b.vote_id",
        "b.id",
        "x.compound_id",
    ),
    ("survey", "surveys x", "x.id", "x.compound_id"),
    (
        "survey_response",
        "survey_tokens t JOIN surveys x ON x.id = t.survey_id",
        "t.id",
        "x.compound_id",
    ),
    ("fee_month", "fee_months x", "x.id", "x.compound_id"),
    ("household_fee", "household_fees x", "x.id", "x.compound_id"),
    (
        "account_entry",
        "account_entries x",
        "x.id",
        "x.compound_id",
    ),
    ("subsidy_line", "subsidy_lines x", "x.id", "x.compound_id"),
    (
        "subsidy_adjustment",
        "subsidy_adjustments a JOIN subsidy_lines x ON x.id = a.line_id",
        "a.id",
        "x.compound_id",
    ),
];

/// Entities of one street (or the region itself): `(entity, table, street column)`. The audit
/// read selects the ids whose street lies in `rs` (the region and everything under it).
const BY_REGION: &[(&str, &str, &str)] = &[
    (REGION, "regions", "id"),
    ("selection", "selections", "street_id"),
    ("target", "targets", "street_id"),
    ("management_area", "management_areas", "street_id"),
    // A district's department: read by the district (and the city) above it.
    ("department", "departments", "district_id"),
    ("dispatch_schedule", "dispatch_schedules", "district_id"),
    ("dispatch_filing", "dispatch_filings", "street_id"),
    // The programme's organisation: read by the region it belongs to and those above.
    ("org_group", "org_groups", "region_id"),
    ("meeting", "meetings", "region_id"),
    ("censure", "censures", "region_id"),
    ("assignment", "assignments", "region_id"),
];

/// Entities that belong to no one region (companies serve many, accounts, sessions, city-wide
/// imports, runs, policies, holidays, evidence before a step cites it): only a city-wide
/// reader sees them.
pub const CITY_WIDE_ENTITIES: &[&str] = &[
    COMPANY,
    LEDGER,
    "company_record",
    "evidence",
    "user",
    "session",
    "holiday",
    "funding_policy",
    "subsidy_run",
    "evaluator_fee",
];

/// Entities no kept figure (the 工作台's, the ledger's) is computed from: an account, a
/// sign-in, an uploaded file, a credit record, a holiday (deadlines are stored when set), a
/// policy, a subsidy run, an evaluator's fee, a district's departments, the 调度表's schedule and
/// filings, the programme's organisation (read per request). Writing them leaves every counter as it is ([`note_placed`]); a
/// company stays city-wide (alerts name it).
const NO_FIGURES: &[&str] = &[
    "user",
    "org_group",
    "meeting",
    "censure",
    "assignment",
    "department",
    "dispatch_schedule",
    "dispatch_filing",
    "session",
    "evidence",
    "company_record",
    "holiday",
    "funding_policy",
    "subsidy_run",
    "evaluator_fee",
];

/// `WITH sc …, rs …` for region `$1`: the compounds (archived too) and the regions under it.
const REGION_CTE: &str = "WITH sc AS (SELECT c.id FROM compounds c \
     JOIN regions s ON s.id = c.street_id \
     LEFT JOIN regions d ON d.id = s.parent_id AND d.level = 'district' \
     WHERE c.street_id = $1 OR c.community_id = $1 OR s.parent_id = $1 OR d.parent_id = $1), \
     rs AS (SELECT r.id FROM regions r LEFT JOIN regions p ON p.id = r.parent_id \
     LEFT JOIN regions g ON g.id = p.parent_id \
     WHERE r.id = $1 OR r.parent_id = $1 OR p.parent_id = $1 OR g.parent_id = $1) ";

/// ` AND (…)`: the entry's entity leads to a compound in `sc` or a region in `rs`.
fn region_clause() -> String {
    let by_compound = BY_COMPOUND.iter().map(|(entity, from, id, compound)| {
        format!(
            "(entity = '{entity}' AND entity_id IN \
             (SELECT {id} FROM {from} WHERE {compound} IN (SELECT id FROM sc)))"
        )
    });
    let by_region = BY_REGION.iter().map(|(entity, table, street)| {
        format!(
            "(entity = '{entity}' AND entity_id IN \
             (SELECT id FROM {table} WHERE {street} IN (SELECT id FROM rs)))"
        )
    });
    let parts: Vec<String> = by_compound.chain(by_region).collect();
    format!(" AND ({})", parts.join(" OR "))
}

/// More entries than this in one append (an import, a run) raise the city's counter instead of
/// placing each.
const PLACE_AT_MOST: usize = 200;

/// The connection's own table of the streets its open transaction touched (see
/// [`WriteTx`](crate::WriteTx)); created with each connection.
pub(crate) const PENDING_TABLE: &str =
    "CREATE TEMP TABLE IF NOT EXISTS figure_pending (street_id BIGINT NOT NULL)";

/// Notes, on the writing transaction, the streets whose figure counters
/// ([`figure_versions`](crate::Store::figure_versions)) the written entries move: a compound's
/// record its street's, a selection's, target's or management area's its street's; a region, a
/// city-wide record that feeds a figure, an entry without id, or a large batch the city's (0).
/// Asked after the records the entries name are written.
pub(crate) async fn note_placed(conn: &mut Conn, written: &[(&str, Option<i64>)]) -> Result<()> {
    let mut city = written.len() > PLACE_AT_MOST;
    if !city {
        let mut by_entity: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
        for (entity, id) in written {
            if NO_FIGURES.contains(entity) {
                continue;
            }
            match id {
                Some(id) => by_entity.entry(entity).or_default().push(*id),
                None => city = true,
            }
        }
        for (entity, ids) in by_entity {
            let ph = crate::sql::Ph::for_conn(conn).list(ids.len());
            let select = if let Some((_, from, id, compound)) =
                BY_COMPOUND.iter().find(|(e, ..)| *e == entity)
            {
                format!(
                    "SELECT DISTINCT pc.street_id FROM {from} JOIN compounds pc \
                     ON pc.id = {compound} WHERE {id} IN ({ph})"
                )
            } else if let Some((_, table, street)) = BY_REGION
                .iter()
                .find(|(e, ..)| *e == entity && *e != REGION)
            {
                format!("SELECT DISTINCT {street} FROM {table} WHERE id IN ({ph})")
            } else {
                city = true;
                continue;
            };
            bind_all(
                query(format!("INSERT INTO figure_pending (street_id) {select}")),
                ids.into_iter().map(Val::int),
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    if city {
        note_streets(conn, &[0]).await?;
    }
    Ok(())
}

/// Notes these streets (0: the city) as touched by the open transaction.
pub(crate) async fn note_streets(conn: &mut Conn, streets: &[i64]) -> Result<()> {
    if streets.is_empty() {
        return Ok(());
    }
    let ph = crate::sql::Ph::for_conn(conn).rows(streets.len(), 1);
    bind_all(
        query(format!(
            "INSERT INTO figure_pending (street_id) VALUES {ph}"
        )),
        streets.iter().copied().map(Val::int),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Raises the counters of the streets the open transaction noted, in street order, in one
/// statement, and forgets them: [`WriteTx::commit`](crate::WriteTx::commit) calls it last.
pub(crate) async fn raise_pending(conn: &mut Conn) -> Result<()> {
    query(
        "INSERT INTO figure_versions (street_id, version) \
         SELECT DISTINCT street_id, 1 FROM figure_pending WHERE true ORDER BY street_id \
         ON CONFLICT (street_id) DO UPDATE SET version = figure_versions.version + 1",
    )
    .execute(&mut *conn)
    .await?;
    query("DELETE FROM figure_pending")
        .execute(&mut *conn)
        .await?;
    Ok(())
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

/// The audit log's columns as written.
const AUDIT_COLS: [(&str, Ty); 8] = [
    ("at", Ty::Text),
    ("actor", Ty::Text),
    ("role", Ty::Text),
    ("action", Ty::Text),
    ("entity", Ty::Text),
    ("entity_id", Ty::Int),
    ("before", Ty::Text),
    ("after", Ty::Text),
];

/// Appends entries on the caller's transaction (in batches of thousands a statement).
pub(crate) async fn append(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    entries: Vec<NewAudit>,
) -> Result<()> {
    let written: Vec<(&str, Option<i64>)> =
        entries.iter().map(|e| (e.entity, e.entity_id)).collect();
    note_placed(conn, &written).await?;
    let rows: Vec<Vec<Val>> = entries
        .into_iter()
        .map(|e| {
            vec![
                Val::text(at),
                Val::text(actor.name.as_str()),
                Val::text(actor.role.as_str()),
                Val::text(e.action),
                Val::text(e.entity),
                Val::Int(e.entity_id),
                Val::Text(e.before),
                Val::Text(e.after),
            ]
        })
        .collect();
    insert_rows(conn, "audit_log", &AUDIT_COLS, &[], &rows).await
}

impl Store {
    /// Reads the audit log, newest first.
    ///
    /// With [`AuditFilter::region_id`] only the entries that concern that region: those of a
    /// compound under it (its ledger row, path, contracts, tasks, assessments, patrols, orders,
    /// complaints, surveys, fees, accounts, subsidy lines …, by where the compound lies now)
    /// and those of the region or a street under it (selections, targets, management areas).
    /// Entries of [`CITY_WIDE_ENTITIES`] and entries without an id are never in a region.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let limit = filter.limit.unwrap_or(i64::MAX);
        Ok(self
            .audit_entries_page(filter, None, None, 0, limit)
            .await?
            .0)
    }

    /// One page of the entries `filter` selects (its `limit` aside), newest first: `limit`
    /// entries after skipping `offset`, with the count of all the entries selected. `from`
    /// (included) and `until` (excluded) bound the instant, to the second. Every condition,
    /// the region's included, and the page itself are in the query.
    pub async fn audit_entries_page(
        &self,
        filter: &AuditFilter,
        from: Option<jiff::Timestamp>,
        until: Option<jiff::Timestamp>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let mut w = Filter::new();
        let mut head = String::new();
        if let Some(r) = filter.region_id {
            // The region is `$1`, which the WITH clause in front reads.
            head.push_str(REGION_CTE);
            w.with_vals(|vals| {
                vals.push(Val::int(r));
                region_clause()
            });
        }
        w.and_some(filter.entity.as_deref(), "entity = ?", Val::text);
        w.and_some(filter.entity_id, "entity_id = ?", Val::int);
        w.and_some(filter.actor.as_deref(), "actor = ?", Val::text);
        // Stored instants are fixed-width RFC 3339 UTC text (`sql::ts_text`): they compare as
        // the instants do, on either engine.
        w.and_some(from, "at >= ?", |f| Val::text(crate::sql::ts_text(f)));
        w.and_some(until, "at < ?", |u| Val::text(crate::sql::ts_text(u)));
        let cond = format!(" WHERE 1 = 1{}", w.sql());
        let count_sql = format!("{head}SELECT COUNT(*) FROM audit_log{cond}");
        let row = bind_all(query(count_sql), w.clone().into_vals())
            .fetch_one(&self.pool)
            .await?;
        let total = Cols::new(&row).i64()?;
        let lim = w.placeholder(Val::int(limit.max(0)));
        let off = w.placeholder(Val::int(offset.max(0)));
        let sql = format!(
            "{head}SELECT id, at, actor, role, action, entity, entity_id, before, after \
             FROM audit_log{cond} ORDER BY id DESC LIMIT {lim} OFFSET {off}"
        );
        let vals = w.into_vals();
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let entries = rows
            .iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(AuditEntry {
                    id: c.i64()?,
                    at: c.timestamp()?,
                    actor: c.string()?,
                    role: c.string()?,
                    action: c.string()?,
                    entity: c.string()?,
                    entity_id: c.opt_i64()?,
                    before: parse_json(c.opt_string()?)?,
                    after: parse_json(c.opt_string()?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((entries, total))
    }

    /// How many entries the audit log holds (cheap check that a no-op wrote nothing).
    pub async fn audit_count(&self) -> Result<i64> {
        let row = query("SELECT COUNT(*) FROM audit_log")
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entity the store audits is placed: in a compound, in a region, or city-wide. A new
    /// kind of record must say where it belongs before a district can read the log.
    #[test]
    fn every_audited_entity_is_placed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let placed: Vec<&str> = BY_COMPOUND
            .iter()
            .map(|(e, ..)| *e)
            .chain(BY_REGION.iter().map(|(e, ..)| *e))
            .chain(CITY_WIDE_ENTITIES.iter().copied())
            .collect();
        let mut found = Vec::new();
        for e in std::fs::read_dir(&dir).expect("src") {
            let p = e.expect("entry").path();
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("read");
            for line in text.lines() {
                let t = line.trim();
                // `pub(crate) const NAME: &str = "entity";` and `entity: "literal",`
                let value = if t.starts_with("pub(crate) const ") && t.contains(": &str = \"") {
                    t.split('"').nth(1)
                } else if let Some(rest) = t.strip_prefix("entity: \"") {
                    rest.split('"').next()
                } else {
                    None
                };
                if let Some(v) = value.filter(|v| {
                    !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                }) {
                    found.push(v.to_string());
                }
            }
        }
        assert!(found.iter().any(|f| f == "subsidy_line"), "{found:?}");
        let unplaced: Vec<&String> = found
            .iter()
            .filter(|f| !placed.contains(&f.as_str()))
            .collect();
        assert!(unplaced.is_empty(), "place these entities: {unplaced:?}");
    }

    #[test]
    fn the_region_clause_names_each_entity_once() {
        let c = region_clause();
        let entities = BY_COMPOUND
            .iter()
            .map(|(e, ..)| *e)
            .chain(BY_REGION.iter().map(|(e, ..)| *e));
        for e in entities {
            assert_eq!(c.matches(&format!("entity = '{e}'")).count(), 1, "{e}");
        }
    }
}
