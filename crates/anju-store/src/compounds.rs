//! 小区: the compounds of the census ledger, their versions, archive flag and mode history.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::companies::CompanyIndex;
use crate::regions::{PathReq, RegionIndex, resolve_paths};
use crate::sql::{
    Cols, Conn, Ph, Row, Val, bind_all, date_text, fetch_json, now_ts, parse_date, query,
    stored_category, stored_mode, today_cn,
};
use crate::{Engine, Result, Store, StoreError};
use anju_core::lifecycle::{LifecycleState, Stage};
use anju_core::stats::CoverageGroup;
use anju_core::{
    Area, Category, Compound, Coordinates, CreditCode, InfraKind, Infrastructure, ManagementMode,
    OwnersBody,
};
use serde::{Deserialize, Serialize};

/// A compound as stored: the ledger's fields plus identity, version and archive flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StoredCompound {
    pub id: i64,
    /// Bumped by every change; writers name the version they read.
    pub version: i64,
    /// Archived (归档) instead of deleted.
    pub archived: bool,
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub company_id: Option<i64>,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
    /// The ledger's fields. Region names come from the region tree: `district` is the street's
    /// district; `company_code` is the company's code on file.
    pub compound: Compound,
}

/// One period of a compound's management mode (物业管理方式).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModePeriod {
    pub mode: ManagementMode,
    pub since: jiff::civil::Date,
    /// `None` while the mode is current.
    pub until: Option<jiff::civil::Date>,
    pub actor: String,
    pub created_at: jiff::Timestamp,
}

/// How a compound list is ordered (the id breaks ties).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompoundSort {
    /// 区 → 街道 → 社区 → 名称
    #[default]
    Region,
    Name,
    HouseholdsDesc,
    AreaDesc,
    BuiltYear,
    UpdatedDesc,
    Id,
}

impl CompoundSort {
    /// The ORDER BY of a list (aliases c, s, d, cm). Every sort but the region order is served
    /// by an index of migration 0011 (the expressions there are these, to the letter); the
    /// region order is paged street × community at a time ([`PlaceCounts`]). A missing district
    /// or community comes first on both engines, as SQLite sorts NULL.
    fn order_by(self, engine: Engine) -> &'static str {
        match self {
            CompoundSort::Region => match engine {
                Engine::Sqlite => "d.name, s.name, cm.name, c.name, c.id",
                Engine::Postgres => "d.name NULLS FIRST, s.name, cm.name NULLS FIRST, c.name, c.id",
            },
            CompoundSort::Name => "c.name, c.id",
            CompoundSort::HouseholdsDesc => {
                "CASE WHEN c.households IS NULL THEN 1 ELSE 0 END, c.households DESC, c.id"
            }
            CompoundSort::AreaDesc => {
                "CASE WHEN c.area IS NULL THEN 1 ELSE 0 END, c.area DESC, c.id"
            }
            CompoundSort::BuiltYear => {
                "CASE WHEN c.built_year IS NULL THEN 1 ELSE 0 END, c.built_year, c.id"
            }
            CompoundSort::UpdatedDesc => "c.updated_at DESC, c.id DESC",
            CompoundSort::Id => "c.id",
        }
    }
}

/// Which compounds to list. Names match exactly; `search` matches part of the name or address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompoundFilter {
    /// Only compounds under this region (a city, district, street or community id).
    pub region_id: Option<i64>,
    /// Only compounds of this street (its region id): one indexed condition, for the figures
    /// kept per street (`anju_app::dashboard`).
    pub street_id: Option<i64>,
    pub district: Option<String>,
    pub street: Option<String>,
    pub community: Option<String>,
    pub mode: Option<ManagementMode>,
    pub company_id: Option<i64>,
    /// This compound only (an owners' body's account).
    pub compound_id: Option<i64>,
    pub include_archived: bool,
    pub search: Option<String>,
    /// 类别
    pub category: Option<Category>,
    /// 工作阶段: the recorded stage, else the stage a compound of its mode starts at
    /// (`LifecycleState::initial`).
    pub stage: Option<Stage>,
    /// Matches no compound: the scope of an account missing the region or company its role
    /// needs (a condition of the query, `1 = 0`, like every other scope).
    pub nothing: bool,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub sort: CompoundSort,
}

macro_rules! compound_select {
    () => {
        "SELECT c.id, c.version, c.archived, c.street_id, c.community_id, c.company_id, \
         c.created_at, c.updated_at, \
         c.name, d.name, s.name, cm.name, c.address, c.built_year, c.area, c.area_multi, \
         c.area_high, c.buildings, c.households, c.category, c.renovation, c.mode, co.name, \
         co.credit_code, c.owners_body, c.party_branch, \
         c.infra_cameras, c.infra_chargers, c.infra_water_points, c.infra_unit_doors, \
         c.infra_bike_sheds, c.infra_parking_bays, c.infra_barrier_gates, c.infra_property_offices, \
         c.need_cameras, c.need_chargers, c.need_water_points, c.need_unit_doors, \
         c.need_bike_sheds, c.need_parking_bays, c.need_barrier_gates, c.need_property_offices, \
         c.management_area, c.lat_e6, c.lng_e6, c.remarks"
    };
}

/// A compound with its street, district, community and company (` FROM …`).
macro_rules! compound_from {
    () => {
        " FROM compounds c \
         JOIN regions s ON s.id = c.street_id \
         LEFT JOIN regions d ON d.id = s.parent_id AND d.level = 'district' \
         LEFT JOIN regions cm ON cm.id = c.community_id \
         LEFT JOIN companies co ON co.id = c.company_id"
    };
}
pub(crate) const COMPOUND_SELECT: &str = concat!(compound_select!(), compound_from!());

/// The columns a compound's data is written to, in the order of [`data_vals`].
pub(crate) const DATA_COLS: [&str; 36] = [
    "name",
    "street_id",
    "community_id",
    "address",
    "built_year",
    "area",
    "area_multi",
    "area_high",
    "buildings",
    "households",
    "category",
    "renovation",
    "mode",
    "company_id",
    "owners_body",
    "party_branch",
    "infra_cameras",
    "infra_chargers",
    "infra_water_points",
    "infra_unit_doors",
    "infra_bike_sheds",
    "infra_parking_bays",
    "infra_barrier_gates",
    "infra_property_offices",
    "need_cameras",
    "need_chargers",
    "need_water_points",
    "need_unit_doors",
    "need_bike_sheds",
    "need_parking_bays",
    "need_barrier_gates",
    "need_property_offices",
    "management_area",
    "lat_e6",
    "lng_e6",
    "remarks",
];

/// Where a compound hangs in the region tree and which company serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Links {
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub company_id: Option<i64>,
}

pub(crate) fn data_vals(c: &Compound, l: Links, out: &mut Vec<Val>) {
    let opt_u32 = |v: Option<u32>| Val::Int(v.map(i64::from));
    out.extend([
        Val::text(c.name.as_str()),
        Val::int(l.street_id),
        Val::Int(l.community_id),
        Val::Text(c.address.clone()),
        Val::Int(c.built_year.map(i64::from)),
        Val::Int(c.area.map(Area::centi)),
        Val::Int(c.area_multi.map(Area::centi)),
        Val::Int(c.area_high.map(Area::centi)),
        opt_u32(c.buildings),
        opt_u32(c.households),
        Val::Int(c.category.map(|k| i64::from(k.number()))),
        Val::flag(c.renovation),
        Val::text(c.mode.code()),
        Val::Int(l.company_id),
        Val::text(c.owners_body.code()),
        Val::flag(c.party_branch),
    ]);
    out.extend(
        InfraKind::ALL
            .iter()
            .map(|k| Val::int(i64::from(c.infra.get(*k)))),
    );
    out.extend(
        InfraKind::ALL
            .iter()
            .map(|k| Val::int(i64::from(c.needs.get(*k)))),
    );
    out.extend([
        Val::Text(c.management_area.clone()),
        Val::Int(c.coords.map(|x| x.lat_e6)),
        Val::Int(c.coords.map(|x| x.lng_e6)),
        Val::Text(c.remarks.clone()),
    ]);
}

pub(crate) fn stored_from_row(row: &Row) -> Result<StoredCompound> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let version = c.i64()?;
    let archived = c.flag()?;
    let street_id = c.i64()?;
    let community_id = c.opt_i64()?;
    let company_id = c.opt_i64()?;
    let created_at = c.timestamp()?;
    let updated_at = c.timestamp()?;
    let name = c.string()?;
    let district = c.opt_string()?;
    let street = c.string()?;
    let community = c.opt_string()?;
    let address = c.opt_string()?;
    let built_year = c
        .opt_i64()?
        .map(|y| i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("建成年份 {y}"))))
        .transpose()?;
    let area = c.opt_i64()?.map(Area::from_centi);
    let area_multi = c.opt_i64()?.map(Area::from_centi);
    let area_high = c.opt_i64()?.map(Area::from_centi);
    let buildings = c.opt_u32()?;
    let households = c.opt_u32()?;
    let category = c.opt_i64()?.map(stored_category).transpose()?;
    let renovation = c.flag()?;
    let mode = stored_mode(&c.string()?)?;
    let company = c.opt_string()?;
    let company_code = c
        .opt_string()?
        .map(|s| CreditCode::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()?;
    let body_code = c.string()?;
    let owners_body = OwnersBody::from_code(&body_code)
        .ok_or_else(|| StoreError::Corrupt(format!("业主组织 '{body_code}'")))?;
    let party_branch = c.flag()?;
    let mut infra = Infrastructure::default();
    for k in InfraKind::ALL {
        infra.set(k, c.u32()?);
    }
    let mut needs = Infrastructure::default();
    for k in InfraKind::ALL {
        needs.set(k, c.u32()?);
    }
    let management_area = c.opt_string()?;
    let coords = match (c.opt_i64()?, c.opt_i64()?) {
        (Some(lat_e6), Some(lng_e6)) => Some(Coordinates { lat_e6, lng_e6 }),
        _ => None,
    };
    let remarks = c.opt_string()?;
    Ok(StoredCompound {
        id,
        version,
        archived,
        street_id,
        community_id,
        company_id,
        created_at,
        updated_at,
        compound: Compound {
            name,
            district,
            street,
            community,
            address,
            built_year,
            area,
            area_multi,
            area_high,
            buildings,
            households,
            category,
            renovation,
            mode,
            company,
            company_code,
            owners_body,
            party_branch,
            infra,
            needs,
            management_area,
            coords,
            remarks,
        },
    })
}

/// The columns of a compound packed into one JSON array per row, for bulk reads: a 100,000-row
/// read stays fast and small with one value per row to decode instead of forty-odd.
/// Names come from the region and company indexes the caller already holds.
macro_rules! packed_fields {
    () => {
        "c.id, c.version, c.archived, c.street_id, c.community_id, c.company_id, c.created_at, \
         c.updated_at, c.name, c.address, c.built_year, c.area, c.area_multi, c.area_high, \
         c.buildings, c.households, c.category, c.renovation, c.mode, c.owners_body, \
         c.party_branch, \
         {arr}(c.infra_cameras, c.infra_chargers, c.infra_water_points, c.infra_unit_doors, \
         c.infra_bike_sheds, c.infra_parking_bays, c.infra_barrier_gates, c.infra_property_offices), \
         {arr}(c.need_cameras, c.need_chargers, c.need_water_points, c.need_unit_doors, \
         c.need_bike_sheds, c.need_parking_bays, c.need_barrier_gates, c.need_property_offices), \
         c.management_area, c.lat_e6, c.lng_e6, c.remarks"
    };
}

/// `SELECT <all matching rows as one JSON array of arrays, in order> FROM <the compound with its
/// places and company>` (the caller adds the WHERE), read with `fetch_json::<Packed>`. One row
/// per query also saves a thread hand-off per row in sqlx-sqlite.
pub(crate) fn packed_select(conn: &Conn, order: Option<&str>) -> String {
    let j = crate::sql::JsonSql::for_conn(conn);
    format!(
        "SELECT {}{}",
        j.agg_rows(&packed_fields!().replace("{arr}", j.arr), order),
        compound_from!()
    )
}

/// Decodes the rows of [`packed_select`].
pub(crate) fn stored_from_packed_all(
    rows: Vec<Packed>,
    regions: &RegionIndex,
    companies: &CompanyIndex,
) -> Result<Vec<StoredCompound>> {
    rows.into_iter()
        .map(|p| stored_from_packed(p, regions, companies))
        .collect()
}

/// One element of [`packed_select`]'s array.
#[derive(Deserialize)]
pub(crate) struct Packed(
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    Option<i32>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<u32>,
    Option<u32>,
    Option<i64>,
    i64,
    String,
    String,
    i64,
    [u32; 8],
    [u32; 8],
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// One element of [`packed_select`]'s array.
fn stored_from_packed(
    p: Packed,
    regions: &RegionIndex,
    companies: &CompanyIndex,
) -> Result<StoredCompound> {
    let region_name = |id: i64| regions.name(id);
    let company = p.5.map(|id| companies.known(id)).transpose()?;
    Ok(StoredCompound {
        id: p.0,
        version: p.1,
        archived: p.2 != 0,
        street_id: p.3,
        community_id: p.4,
        company_id: p.5,
        created_at: crate::sql::parse_ts(&p.6)?,
        updated_at: crate::sql::parse_ts(&p.7)?,
        compound: Compound {
            name: p.8,
            district: regions.district_of(p.3).map(|d| d.name.clone()),
            street: region_name(p.3)?,
            community: p.4.map(region_name).transpose()?,
            address: p.9,
            built_year: p.10,
            area: p.11.map(Area::from_centi),
            area_multi: p.12.map(Area::from_centi),
            area_high: p.13.map(Area::from_centi),
            buildings: p.14,
            households: p.15,
            category: p.16.map(stored_category).transpose()?,
            renovation: p.17 != 0,
            mode: stored_mode(&p.18)?,
            company: company.map(|c| c.name.clone()),
            company_code: company.and_then(|c| c.credit_code.clone()),
            owners_body: OwnersBody::from_code(&p.19)
                .ok_or_else(|| StoreError::Corrupt(format!("业主组织 '{}'", p.19)))?,
            party_branch: p.20 != 0,
            infra: Infrastructure(p.21),
            needs: Infrastructure(p.22),
            management_area: p.23,
            coords: match (p.24, p.25) {
                (Some(lat_e6), Some(lng_e6)) => Some(Coordinates { lat_e6, lng_e6 }),
                _ => None,
            },
            remarks: p.26,
        },
    })
}

/// Reads one compound on the caller's connection (inside a transaction: sees its writes).
pub(crate) async fn fetch_compound(conn: &mut Conn, id: i64) -> Result<StoredCompound> {
    let row = query(concat!(
        compound_select!(),
        compound_from!(),
        " WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound {
        entity: audit::COMPOUND,
        id,
    })?;
    stored_from_row(&row)
}

/// Trims the names a compound is matched and grouped by; empty optional texts become `None`.
pub(crate) fn tidy(c: &Compound) -> Result<Compound> {
    tidy_owned(c.clone())
}

/// [`tidy`], taking the compound.
pub(crate) fn tidy_owned(mut c: Compound) -> Result<Compound> {
    let trim = |s: &mut String| {
        if s.trim().len() != s.len() {
            *s = s.trim().to_string();
        }
    };
    let opt = |s: &mut Option<String>| {
        if let Some(v) = s.as_mut() {
            trim(v);
        }
        if s.as_ref().is_some_and(String::is_empty) {
            *s = None;
        }
    };
    trim(&mut c.name);
    trim(&mut c.street);
    opt(&mut c.district);
    opt(&mut c.community);
    opt(&mut c.company);
    if c.name.is_empty() {
        return Err(StoreError::Invalid("小区名称不能为空".into()));
    }
    if c.street.is_empty() {
        return Err(StoreError::Invalid(format!(
            "小区“{}”未填写所属街道（镇）",
            c.name
        )));
    }
    if c.company.is_none() && c.company_code.is_some() {
        return Err(StoreError::Invalid(format!(
            "小区“{}”填写了统一社会信用代码，但没有填写物业企业名称",
            c.name
        )));
    }
    Ok(c)
}

/// Closes the open mode period of each compound at `since` and opens a new one.
pub(crate) async fn change_modes(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    since: jiff::civil::Date,
    changes: &[(i64, ManagementMode)],
) -> Result<()> {
    let since_s = date_text(since);
    for chunk in changes.chunks(500) {
        let ids = Ph::for_conn(conn).list(chunk.len());
        let rows = bind_all(
            query(format!(
                "SELECT compound_id, since FROM compound_modes WHERE until IS NULL AND compound_id IN ({ids})"
            )),
            chunk.iter().map(|(id, _)| Val::int(*id)),
        )
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            let mut c = Cols::new(row);
            let id = c.i64()?;
            let open_since = c.string()?;
            if open_since > since_s {
                return Err(StoreError::Invalid(format!(
                    "小区（编号 {id}）现行管理方式自 {open_since} 起实行，变更日期 {since_s} 不能更早"
                )));
            }
        }
        bind_all(
            query({
                let mut ph = Ph::for_conn(conn);
                format!(
                    "UPDATE compound_modes SET until = {} WHERE until IS NULL AND compound_id IN ({})",
                    ph.one(),
                    ph.list(chunk.len())
                )
            }),
            std::iter::once(Val::text(since_s.as_str())).chain(chunk.iter().map(|(id, _)| Val::int(*id))),
        )
        .execute(&mut *conn)
        .await?;
    }
    open_modes(conn, actor, at, since, changes).await
}

/// Opens a mode period for compounds that have none open (new compounds, or after closing).
pub(crate) async fn open_modes(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    since: jiff::civil::Date,
    rows: &[(i64, ManagementMode)],
) -> Result<()> {
    let since_s = date_text(since);
    for chunk in rows.chunks(crate::sql::rows_per_statement(5)) {
        let sql = format!(
            "INSERT INTO compound_modes (compound_id, mode, since, actor, created_at) VALUES {}",
            Ph::for_conn(conn).rows(chunk.len(), 5)
        );
        let mut q = query(sql);
        for (id, mode) in chunk {
            q = q
                .bind(*id)
                .bind(mode.code())
                .bind(since_s.clone())
                .bind(actor.name.clone())
                .bind(at.to_string());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn current_version(conn: &mut Conn, entity: &'static str, id: i64) -> Result<i64> {
    let sql = match entity {
        audit::COMPANY => "SELECT version FROM companies WHERE id = $1",
        _ => "SELECT version FROM compounds WHERE id = $1",
    };
    let row = query(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity, id })?;
    Cols::new(&row).i64()
}

impl CompoundFilter {
    /// ` WHERE …` over the compounds table alone (alias c): the region names and the region
    /// tree are asked in subqueries, so a query needs no join to filter and can walk an index
    /// of compounds. Callers that join (aliases s, d, cm) for the names they show may.
    pub(crate) fn where_clause(&self, vals: &mut Vec<Val>) -> String {
        let mut w = String::from(" WHERE 1 = 1");
        if self.nothing {
            w.push_str(" AND 1 = 0");
        }
        if !self.include_archived {
            w.push_str(" AND c.archived = 0");
        }
        let mut push = |vals: &mut Vec<Val>, v: Val, clause: &dyn Fn(usize) -> String| {
            vals.push(v);
            w.push_str(&clause(vals.len()));
        };
        if let Some(r) = self.region_id {
            push(vals, Val::int(r), &crate::scope::region_condition);
        }
        if let Some(s) = self.street_id {
            push(vals, Val::int(s), &|n| format!(" AND c.street_id = ${n}"));
        }
        if let Some(x) = &self.district {
            push(vals, Val::text(x.as_str()), &|n| {
                format!(
                    " AND c.street_id IN (SELECT rs.id FROM regions rs JOIN regions rd \
                     ON rd.id = rs.parent_id AND rd.level = 'district' WHERE rd.name = ${n})"
                )
            });
        }
        if let Some(x) = &self.street {
            push(vals, Val::text(x.as_str()), &|n| {
                format!(" AND c.street_id IN (SELECT rs.id FROM regions rs WHERE rs.name = ${n})")
            });
        }
        if let Some(x) = &self.community {
            push(vals, Val::text(x.as_str()), &|n| {
                format!(
                    " AND c.community_id IN (SELECT rc.id FROM regions rc WHERE rc.name = ${n})"
                )
            });
        }
        if let Some(m) = self.mode {
            push(vals, Val::text(m.code()), &|n| {
                format!(" AND c.mode = ${n}")
            });
        }
        if let Some(k) = self.category {
            push(vals, Val::int(i64::from(k.number())), &|n| {
                format!(" AND c.category = ${n}")
            });
        }
        if let Some(st) = self.stage {
            // Recorded, or never recorded and a mode that starts there.
            let starts_here = ManagementMode::ALL
                .into_iter()
                .filter(|m| LifecycleState::initial(*m, OwnersBody::None).stage == st)
                .map(|m| format!("'{}'", m.code()))
                .collect::<Vec<_>>()
                .join(", ");
            push(vals, Val::text(st.code()), &|n| {
                let recorded = format!(
                    "c.id IN (SELECT lc.compound_id FROM compound_lifecycle lc WHERE lc.stage = ${n})"
                );
                if starts_here.is_empty() {
                    format!(" AND {recorded}")
                } else {
                    format!(
                        " AND ({recorded} OR (c.mode IN ({starts_here}) AND c.id NOT IN \
                         (SELECT lc.compound_id FROM compound_lifecycle lc)))"
                    )
                }
            });
        }
        if let Some(id) = self.company_id {
            push(vals, Val::int(id), &|n| format!(" AND c.company_id = ${n}"));
        }
        if let Some(id) = self.compound_id {
            push(vals, Val::int(id), &|n| format!(" AND c.id = ${n}"));
        }
        if let Some(q) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            let pattern = format!("%{}%", escape_like(q));
            push(vals, Val::Text(Some(pattern)), &|n| {
                format!(" AND (c.name LIKE ${n} ESCAPE '\\' OR c.address LIKE ${n} ESCAPE '\\')")
            });
        }
        w
    }
}

/// A compound as a city-wide roster prints it (the 附件5 调度表): where it is, what it is, who
/// serves it, and the newest active contract serving it. Read by [`Store::compound_services`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompoundService {
    pub id: i64,
    pub street: String,
    pub community: Option<String>,
    pub name: String,
    pub category: Option<Category>,
    pub mode: ManagementMode,
    pub company_id: Option<i64>,
    pub company: Option<String>,
    pub remarks: Option<String>,
    /// The newest active contract serving the compound, if any.
    pub contract: Option<ContractTerms>,
}

/// What a roster prints of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractTerms {
    pub id: i64,
    pub entry_on: Option<jiff::civil::Date>,
    pub service_level: anju_core::contract::ServiceLevel,
}

/// How many compounds a filter selects in each street × community, in the region order
/// (district, street, community by name; a missing district or community first): the key to
/// paging that order without sorting the selection. From [`Store::ledger_figures`] or
/// [`Store::place_counts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceCounts {
    /// Places whose names tie (the same district, street and community names) share a run, as
    /// they share a position in the order: their compounds interleave by name.
    runs: Vec<PlaceRun>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlaceRun {
    places: Vec<(i64, Option<i64>)>,
    count: u64,
}

impl PlaceCounts {
    fn new(
        rows: impl IntoIterator<Item = (i64, Option<i64>, u64)>,
        regions: &RegionIndex,
    ) -> PlaceCounts {
        let name = |id: i64| regions.get(id).map(|r| r.name.clone()).unwrap_or_default();
        // By id within a run, whatever order the rows came in.
        let mut rows: Vec<(i64, Option<i64>, u64)> = rows.into_iter().collect();
        rows.sort_unstable();
        let mut by_key: std::collections::BTreeMap<
            (Option<String>, String, Option<String>),
            PlaceRun,
        > = std::collections::BTreeMap::new();
        for (street, community, count) in rows {
            let key = (
                regions.district_of(street).map(|d| d.name.clone()),
                name(street),
                community.map(name),
            );
            let run = by_key.entry(key).or_insert_with(|| PlaceRun {
                places: Vec::new(),
                count: 0,
            });
            run.places.push((street, community));
            run.count += count;
        }
        PlaceCounts {
            runs: by_key.into_values().collect(),
        }
    }

    /// How many compounds in all.
    pub fn total(&self) -> u64 {
        self.runs.iter().map(|r| r.count).sum()
    }

    /// The runs a slice of the order falls in: (run, offset within it, how many).
    fn slice(&self, offset: u64, limit: u64) -> Vec<(&PlaceRun, u64, u64)> {
        let mut out = Vec::new();
        let (mut skip, mut want) = (offset, limit);
        for run in &self.runs {
            if want == 0 {
                break;
            }
            if skip >= run.count {
                skip -= run.count;
                continue;
            }
            let take = (run.count - skip).min(want);
            out.push((run, skip, take));
            want -= take;
            skip = 0;
        }
        out
    }
}

/// A part of a ledger's figures ([`Store::ledger_part`]): the groups, and how many compounds
/// in each street × community.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerPart {
    pub groups: Vec<CoverageGroup>,
    counts: Vec<(i64, Option<i64>, u64)>,
}

/// What the ledger page shows of a filter besides its rows: the coverage figures in groups
/// (`anju_core::stats::coverage_of_groups`) and the counts that page the region order.
#[derive(Debug, Clone)]
pub struct LedgerFigures {
    pub groups: Vec<CoverageGroup>,
    pub places: PlaceCounts,
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Store {
    /// Compounds matching the filter, in the filter's order, a page at a time (a page of the
    /// region order is read street × community at a time: [`Store::list_compounds_placed`]).
    pub async fn list_compounds(&self, filter: &CompoundFilter) -> Result<Vec<StoredCompound>> {
        if filter.sort == CompoundSort::Region && filter.limit.is_some() {
            let places = self.place_counts(filter).await?;
            return self.list_compounds_placed(filter, &places).await;
        }
        self.list_compounds_ordered(filter).await
    }

    /// One query in the filter's ORDER BY (with its LIMIT/OFFSET). The whole selection (no
    /// LIMIT, a report's read) comes back packed ([`packed_fields`]) as one JSON value.
    async fn list_compounds_ordered(&self, filter: &CompoundFilter) -> Result<Vec<StoredCompound>> {
        let mut vals = Vec::new();
        if filter.limit.is_none() && filter.offset.is_none() {
            let mut conn = self.pool.acquire().await?;
            let sql = format!(
                "{}{}",
                packed_select(&conn, Some(filter.sort.order_by(self.engine()))),
                filter.where_clause(&mut vals)
            );
            let rows: Vec<Packed> = fetch_json(&mut conn, sql, vals).await?;
            // The names after the rows: regions and companies are never deleted, so an index
            // read later knows every id the rows name, even if an import committed between.
            let regions = RegionIndex::load(&mut conn).await?;
            let companies = CompanyIndex::load(&mut conn).await?;
            return stored_from_packed_all(rows, &regions, &companies);
        }
        let mut sql = format!(
            "{COMPOUND_SELECT}{} ORDER BY {}",
            filter.where_clause(&mut vals),
            filter.sort.order_by(self.engine())
        );
        if filter.limit.is_some() || filter.offset.is_some() {
            vals.push(Val::int(filter.limit.unwrap_or(i64::MAX).max(0)));
            vals.push(Val::int(filter.offset.unwrap_or(0).max(0)));
            sql.push_str(&format!(
                " LIMIT ${} OFFSET ${}",
                vals.len() - 1,
                vals.len()
            ));
        }
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(stored_from_row).collect()
    }

    /// [`Store::list_compounds`] with the filter's [`PlaceCounts`] already at hand (the ledger
    /// page keeps them with its figures). Only the region order uses them: its page is read
    /// from the few street × community places it falls in, each by name from the index
    /// `compounds_place`, never sorting the whole selection.
    pub async fn list_compounds_placed(
        &self,
        filter: &CompoundFilter,
        places: &PlaceCounts,
    ) -> Result<Vec<StoredCompound>> {
        if filter.sort != CompoundSort::Region || filter.limit.is_none() {
            return self.list_compounds_ordered(filter).await;
        }
        let offset = u64::try_from(filter.offset.unwrap_or(0).max(0)).unwrap_or(0);
        let limit = u64::try_from(filter.limit.unwrap_or(0).max(0)).unwrap_or(0);
        let mut out = Vec::new();
        for (run, skip, take) in places.slice(offset, limit) {
            let mut vals = Vec::new();
            let mut sql = format!("{COMPOUND_SELECT}{} AND (", filter.where_clause(&mut vals));
            for (i, (street, community)) in run.places.iter().enumerate() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                vals.push(Val::int(*street));
                sql.push_str(&format!("(c.street_id = ${}", vals.len()));
                match community {
                    Some(cm) => {
                        vals.push(Val::int(*cm));
                        sql.push_str(&format!(" AND c.community_id = ${})", vals.len()));
                    }
                    None => sql.push_str(" AND c.community_id IS NULL)"),
                }
            }
            vals.push(Val::int(i64::try_from(take).unwrap_or(i64::MAX)));
            vals.push(Val::int(i64::try_from(skip).unwrap_or(i64::MAX)));
            sql.push_str(&format!(
                ") ORDER BY c.name, c.id LIMIT ${} OFFSET ${}",
                vals.len() - 1,
                vals.len()
            ));
            let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
            for row in &rows {
                out.push(stored_from_row(row)?);
            }
        }
        Ok(out)
    }

    /// The compounds a filter selects, in id order, as a roster prints them
    /// ([`CompoundService`]): one packed read of the dozen columns it needs, not the ledger's
    /// fifty (a city-wide 调度表 reads 100,000).
    pub async fn compound_services(&self, filter: &CompoundFilter) -> Result<Vec<CompoundService>> {
        let mut conn = self.pool.acquire().await?;
        let j = crate::sql::JsonSql::for_conn(&conn);
        let mut vals = Vec::new();
        let sql = format!(
            "SELECT {} FROM compounds c LEFT JOIN contracts k ON k.id = \
             (SELECT MAX(a.id) FROM contract_compounds cc JOIN contracts a ON a.id = cc.contract_id \
             WHERE cc.compound_id = c.id AND a.status = 'active'){}",
            j.agg_rows(
                "c.id, c.street_id, c.community_id, c.name, c.category, c.mode, c.company_id, \
                 c.remarks, k.id, k.entry_on, k.service_level",
                Some("c.id")
            ),
            filter.where_clause(&mut vals)
        );
        type Row = (
            i64,
            i64,
            Option<i64>,
            String,
            Option<i64>,
            String,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = crate::sql::fetch_json(&mut conn, sql, vals).await?;
        // The names after the rows (never deleted: a later index knows every id read).
        let regions = RegionIndex::load(&mut conn).await?;
        let companies = CompanyIndex::load(&mut conn).await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    street,
                    community,
                    name,
                    category,
                    mode,
                    company_id,
                    remarks,
                    k,
                    entry,
                    level,
                )| {
                    let contract = match (k, level) {
                        (Some(kid), Some(level)) => Some(ContractTerms {
                            id: kid,
                            entry_on: entry.as_deref().map(parse_date).transpose()?,
                            service_level: u8::try_from(level)
                                .ok()
                                .and_then(anju_core::contract::ServiceLevel::new)
                                .ok_or_else(|| StoreError::Corrupt(format!("服务等级 {level}")))?,
                        }),
                        _ => None,
                    };
                    Ok(CompoundService {
                        id,
                        street: regions.name(street)?,
                        community: community.map(|id| regions.name(id)).transpose()?,
                        name,
                        category: category.map(stored_category).transpose()?,
                        mode: stored_mode(&mode)?,
                        company_id,
                        company: company_id
                            .map(|cid| companies.known(cid).map(|c| c.name.clone()))
                            .transpose()?,
                        remarks,
                        contract,
                    })
                },
            )
            .collect()
    }

    /// How many compounds the filter selects in each street × community.
    pub async fn place_counts(&self, filter: &CompoundFilter) -> Result<PlaceCounts> {
        let mut vals = Vec::new();
        let sql = format!(
            "SELECT c.street_id, c.community_id, COUNT(*) FROM compounds c{} \
             GROUP BY c.street_id, c.community_id",
            filter.where_clause(&mut vals)
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let counts = rows
            .iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok((c.i64()?, c.opt_i64()?, u64::try_from(c.i64()?).unwrap_or(0)))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut conn = self.pool.acquire().await?;
        let regions = RegionIndex::load(&mut conn).await?;
        Ok(PlaceCounts::new(counts, &regions))
    }

    /// The coverage figures of what the filter selects, summed by the database (GROUP BY
    /// street × community × mode), with the counts that page
    /// the region order. `with_needs` sums the infrastructure needs too (the JSON figures; the
    /// page shows none, and without them the index `compounds_figures` answers alone).
    pub async fn ledger_figures(
        &self,
        filter: &CompoundFilter,
        with_needs: bool,
    ) -> Result<LedgerFigures> {
        let part = self.ledger_part(filter, with_needs).await?;
        self.ledger_figures_of(&[&part]).await
    }

    /// The ledger's figures of several parts put together (parts of disjoint compounds, such as
    /// streets': `anju_app::dashboard` keeps them per street).
    pub async fn ledger_figures_of(&self, parts: &[&LedgerPart]) -> Result<LedgerFigures> {
        let mut conn = self.pool.acquire().await?;
        let regions = RegionIndex::load(&mut conn).await?;
        drop(conn);
        let groups = parts
            .iter()
            .flat_map(|p| p.groups.iter().cloned())
            .collect();
        let counts = parts.iter().flat_map(|p| p.counts.iter().copied());
        Ok(LedgerFigures {
            groups,
            places: PlaceCounts::new(counts, &regions),
        })
    }

    /// [`Store::ledger_figures`]'s sums over what the filter selects, before the places are
    /// put in the region order.
    pub async fn ledger_part(
        &self,
        filter: &CompoundFilter,
        with_needs: bool,
    ) -> Result<LedgerPart> {
        let mut vals = Vec::new();
        let needs = if with_needs {
            InfraKind::ALL
                .iter()
                .map(|k| format!(", CAST(COALESCE(SUM(c.need_{}), 0) AS BIGINT)", k.code()))
                .collect::<String>()
        } else {
            String::new()
        };
        // Grouped in the order of the index compounds_figures, so SQLite streams the groups.
        let sql = format!(
            "SELECT c.street_id, c.community_id, c.mode, COUNT(*), \
             CAST(COALESCE(SUM(CASE WHEN c.owners_body <> 'none' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN COALESCE(c.households, 0) < {small} THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(c.households), 0) AS BIGINT), \
             CAST(COALESCE(SUM(c.area), 0) AS BIGINT){needs} \
             FROM compounds c{w} GROUP BY c.street_id, c.community_id, c.mode",
            small = anju_core::stats::SMALL_COMPOUND_HOUSEHOLDS,
            w = filter.where_clause(&mut vals)
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut conn = self.pool.acquire().await?;
        let regions = RegionIndex::load(&mut conn).await?;
        drop(conn);
        let name = |id: i64| regions.name(id);
        let mut groups = Vec::with_capacity(rows.len());
        let mut counts: std::collections::HashMap<(i64, Option<i64>), u64> =
            std::collections::HashMap::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let street_id = c.i64()?;
            let community_id = c.opt_i64()?;
            let mode = stored_mode(&c.string()?)?;
            let compounds = u64::try_from(c.i64()?).unwrap_or(0);
            let with_body = u64::try_from(c.i64()?).unwrap_or(0);
            let small = u64::try_from(c.i64()?).unwrap_or(0);
            let households = u64::try_from(c.i64()?).unwrap_or(0);
            let area = Area::from_centi(c.i64()?);
            let mut need = Infrastructure::default();
            if with_needs {
                for k in InfraKind::ALL {
                    let v = c.i64()?;
                    need.set(
                        k,
                        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("需求数 {v}")))?,
                    );
                }
            }
            *counts.entry((street_id, community_id)).or_default() += compounds;
            groups.push(CoverageGroup {
                street: name(street_id)?,
                community: community_id.map(name).transpose()?,
                mode,
                with_body,
                small,
                compounds,
                households,
                area,
                needs: need,
            });
        }
        Ok(LedgerPart {
            groups,
            counts: counts.into_iter().map(|((s, cm), n)| (s, cm, n)).collect(),
        })
    }

    /// These compounds, in the order of `ids` (ids that do not exist are left out): one query
    /// for a page of a list the caller already ordered.
    pub async fn compounds_by_ids(&self, ids: &[i64]) -> Result<Vec<StoredCompound>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{COMPOUND_SELECT} WHERE c.id IN ({})", marks.join(", "));
        let vals: Vec<Val> = ids.iter().map(|id| Val::int(*id)).collect();
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut by_id: std::collections::HashMap<i64, StoredCompound> = rows
            .iter()
            .map(|r| stored_from_row(r).map(|c| (c.id, c)))
            .collect::<Result<_>>()?;
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// The names of these compounds by id, in chunks of 5,000 ids a statement (under both
    /// engines' limits on placeholders): a register names the compounds of its contracts.
    pub async fn compound_names(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(5_000) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT c.id, c.name FROM compounds c WHERE c.id IN ({})",
                marks.join(", ")
            );
            let vals: Vec<Val> = chunk.iter().map(|id| Val::int(*id)).collect();
            for r in bind_all(query(sql), vals).fetch_all(&self.pool).await? {
                let mut c = Cols::new(&r);
                out.insert(c.i64()?, c.string()?);
            }
        }
        Ok(out)
    }

    /// How many of the compounds the filter selects each company serves (GROUP BY company):
    /// the companies list's "compounds served", counted within the reader's scope.
    pub async fn compounds_per_company(
        &self,
        filter: &CompoundFilter,
    ) -> Result<std::collections::HashMap<i64, u64>> {
        let mut vals = Vec::new();
        let sql = format!(
            "SELECT c.company_id, COUNT(*) FROM compounds c{} AND c.company_id IS NOT NULL \
             GROUP BY c.company_id",
            filter.where_clause(&mut vals)
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok((c.i64()?, u64::try_from(c.i64()?).unwrap_or(0)))
            })
            .collect()
    }

    /// How many compounds match the filter (ignoring limit and offset), for paging.
    pub async fn count_compounds(&self, filter: &CompoundFilter) -> Result<i64> {
        let mut vals = Vec::new();
        let sql = format!(
            "SELECT COUNT(*) FROM compounds c{}",
            filter.where_clause(&mut vals)
        );
        let row = bind_all(query(sql), vals).fetch_one(&self.pool).await?;
        Cols::new(&row).i64()
    }

    /// Every current (not archived) compound, optionally of one street, ordered by region: the
    /// input of the coverage figures. The community name is `compound.community`.
    pub async fn all_compounds_for_stats(
        &self,
        street: Option<&str>,
    ) -> Result<Vec<StoredCompound>> {
        self.list_compounds(&CompoundFilter {
            street: street.map(str::to_string),
            ..CompoundFilter::default()
        })
        .await
    }

    pub async fn get_compound(&self, id: i64) -> Result<StoredCompound> {
        let mut conn = self.pool.acquire().await?;
        fetch_compound(&mut conn, id).await
    }

    /// Changes a compound if nobody changed it since `expected_version`; a change of mode is
    /// dated today (China time). Writing the same data again changes nothing.
    pub async fn update_compound(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        compound: Compound,
    ) -> Result<StoredCompound> {
        self.update_compound_dated(actor, id, expected_version, compound, today_cn())
            .await
    }

    /// [`Store::update_compound`] with the date a change of mode takes effect.
    pub async fn update_compound_dated(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        compound: Compound,
        mode_since: jiff::civil::Date,
    ) -> Result<StoredCompound> {
        let target = tidy(&compound)?;
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_compound(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        if before.archived {
            return Err(StoreError::Invalid(format!(
                "小区“{}”已归档，不能修改",
                before.compound.name
            )));
        }
        let mut audits = Vec::new();
        let mut regions = RegionIndex::load(&mut tx).await?;
        let path = PathReq {
            city: None,
            district: target.district.as_deref(),
            street: &target.street,
            community: target.community.as_deref(),
        };
        let (ids, _) = resolve_paths(&mut tx, actor, &at, &mut regions, &[path]).await?;
        let ids = ids
            .first()
            .copied()
            .ok_or_else(|| StoreError::Corrupt("区域未能建立".into()))?;
        let mut companies = CompanyIndex::load(&mut tx).await?;
        let company_id = match &target.company {
            Some(name) => Some(
                companies
                    .upsert(
                        &mut tx,
                        &at,
                        name,
                        target.company_code.as_ref(),
                        &mut audits,
                    )
                    .await?
                    .0,
            ),
            None => None,
        };
        let links = Links {
            street_id: ids.street,
            community_id: ids.community,
            company_id,
        };
        let mut normalized = target.clone();
        normalized.district = regions.district_of(ids.street).map(|r| r.name.clone());
        normalized.company_code = target
            .company
            .as_deref()
            .and_then(|n| companies.by_name(n)?.credit_code.clone());
        if normalized == before.compound
            && links
                == (Links {
                    street_id: before.street_id,
                    community_id: before.community_id,
                    company_id: before.company_id,
                })
        {
            audit::append(&mut tx, actor, &at, audits).await?;
            tx.commit().await?;
            return Ok(before);
        }
        let mut vals = Vec::with_capacity(40);
        data_vals(&normalized, links, &mut vals);
        let set: Vec<String> = DATA_COLS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let n = DATA_COLS.len();
        let sql = format!(
            "UPDATE compounds SET {}, version = version + 1, updated_at = ${} \
             WHERE id = ${} AND version = ${}",
            set.join(", "),
            n + 1,
            n + 2,
            n + 3
        );
        vals.extend([
            Val::text(at.as_str()),
            Val::int(id),
            Val::int(expected_version),
        ]);
        let done = bind_all(query(sql), vals).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            let actual = current_version(&mut tx, audit::COMPOUND, id).await?;
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id,
                expected: expected_version,
                actual,
            });
        }
        if normalized.mode != before.compound.mode {
            change_modes(&mut tx, actor, &at, mode_since, &[(id, normalized.mode)]).await?;
        }
        if before.street_id != links.street_id {
            // The street it left: its figures move too (the entry places it where it is now).
            audit::note_streets(&mut tx, &[before.street_id]).await?;
        }
        let after = fetch_compound(&mut tx, id).await?;
        audits.push(NewAudit {
            action: "update",
            entity: audit::COMPOUND,
            entity_id: Some(id),
            before: Some(to_json(&before)?),
            after: Some(to_json(&after)?),
        });
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archives (归档) a compound: it leaves the lists and figures but stays, with its history
    /// and audit trail. Nothing is ever deleted.
    pub async fn archive_compound(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
    ) -> Result<StoredCompound> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_compound(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        if before.archived {
            return Ok(before);
        }
        let done = query(
            "UPDATE compounds SET archived = 1, version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3",
        )
        .bind(at.clone())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let actual = current_version(&mut tx, audit::COMPOUND, id).await?;
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id,
                expected: expected_version,
                actual,
            });
        }
        let after = fetch_compound(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "archive",
                entity: audit::COMPOUND,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records the management mode a compound had before the ledger's earliest record (补录此前的
    /// 管理方式): from `since` up to the day that record begins (the earliest period is moved
    /// back when the mode is the same). A subsidy run judges a compound by the mode in force
    /// the day before its contract counts, and says so when the history does not reach back;
    /// this is how an office makes it reach. Audited with its reason; the compound's version
    /// is bumped (a stale version is a conflict, so two offices cannot both add a period).
    pub async fn record_earlier_mode(
        &self,
        actor: &Actor,
        compound_id: i64,
        expected_version: i64,
        mode: ManagementMode,
        since: jiff::civil::Date,
        reason: &str,
    ) -> Result<Vec<ModePeriod>> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::refused(
                "补录此前的管理方式须写明依据（如原台账、街道记录）",
                "recording an earlier mode needs its source (the old ledger, the street's records)",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_compound(&mut tx, compound_id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id: compound_id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let first = query(
            "SELECT id, mode, since FROM compound_modes WHERE compound_id = $1 \
             ORDER BY since, id LIMIT 1",
        )
        .bind(compound_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(first) = first else {
            return Err(StoreError::refused(
                "该小区在台账中还没有管理方式记录",
                "the compound has no mode on record yet",
            ));
        };
        let mut c = Cols::new(&first);
        let (first_id, first_mode, first_since) =
            (c.i64()?, stored_mode(&c.string()?)?, c.string()?);
        let since_s = date_text(since);
        if since_s.as_str() >= first_since.as_str() {
            return Err(StoreError::refused(
                format!("起始日期 {since} 须早于台账中最早的管理方式记录（自 {first_since} 起）"),
                format!(
                    "the start {since} must be before the ledger's earliest mode (from {first_since})"
                ),
            ));
        }
        let bumped = query(
            "UPDATE compounds SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
        )
        .bind(at.clone())
        .bind(compound_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if bumped != 1 {
            return Err(StoreError::Conflict {
                entity: audit::COMPOUND,
                id: compound_id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        if first_mode == mode {
            query("UPDATE compound_modes SET since = $1 WHERE id = $2")
                .bind(since_s.clone())
                .bind(first_id)
                .execute(&mut *tx)
                .await?;
        } else {
            query(
                "INSERT INTO compound_modes (compound_id, mode, since, until, actor, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(compound_id)
            .bind(mode.code())
            .bind(since_s.clone())
            .bind(first_since.clone())
            .bind(actor.name.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        }
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "record_earlier_mode",
                entity: audit::COMPOUND,
                entity_id: Some(compound_id),
                before: Some(
                    serde_json::json!({ "earliest_mode": first_mode.code(), "since": first_since })
                        .to_string(),
                ),
                after: Some(
                    serde_json::json!({
                        "mode": mode.code(),
                        "since": since_s,
                        "until": first_since,
                        "reason": reason,
                    })
                    .to_string(),
                ),
            }],
        )
        .await?;
        tx.commit().await?;
        self.mode_history(compound_id).await
    }

    /// A compound's management modes, oldest first; the last one is open (`until` is `None`).
    pub async fn mode_history(&self, compound_id: i64) -> Result<Vec<ModePeriod>> {
        let rows = query(
            "SELECT mode, since, until, actor, created_at FROM compound_modes \
             WHERE compound_id = $1 ORDER BY since, id",
        )
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                let mode = stored_mode(&c.string()?)?;
                Ok(ModePeriod {
                    mode,
                    since: parse_date(&c.string()?)?,
                    until: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
                    actor: c.string()?,
                    created_at: c.timestamp()?,
                })
            })
            .collect()
    }
}
