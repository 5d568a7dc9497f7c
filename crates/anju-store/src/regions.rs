//! The region tree (市 → 区/县/旗 → 街道/镇 → 社区), as ledgers name it.
//!
//! Ledgers name places by name, not code, and often leave levels out (a street ledger rarely
//! repeats the city). Resolution rules, the same for [`Store::ensure_region_path`] and the
//! ledger import:
//! 1. a region with the same parent, level and name is that region;
//! 2. with no parent given, the one region of that level and name anywhere is it; two or more
//!    is an error (the ledger must name the district);
//! 3. with a parent given, a region of that level and name that has no parent yet is adopted
//!    (its parent is set, audited);
//! 4. otherwise the region is created (audited).

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Conn, Ph, Val, bind_all, now_ts, query, rows_per_statement};
use crate::{Result, Store, StoreError};
use anju_core::RegionLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One node of the region tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: RegionLevel,
    pub name: String,
    /// 行政区划代码, when known.
    pub code: Option<String>,
    pub created_at: jiff::Timestamp,
}

/// The ids of a resolved path. Levels the caller left out are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionIds {
    pub city: Option<i64>,
    pub district: Option<i64>,
    pub street: i64,
    pub community: Option<i64>,
}

/// A path to resolve: names as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PathReq<'a> {
    pub city: Option<&'a str>,
    pub district: Option<&'a str>,
    pub street: &'a str,
    pub community: Option<&'a str>,
}

/// All regions, in memory (a city has thousands, not millions).
#[derive(Debug, Default)]
pub(crate) struct RegionIndex {
    by_id: HashMap<i64, Region>,
    by_key: HashMap<(Option<i64>, RegionLevel, String), i64>,
    by_level_name: HashMap<(RegionLevel, String), Vec<i64>>,
}

const LEVELS: [RegionLevel; 4] = [
    RegionLevel::City,
    RegionLevel::District,
    RegionLevel::Street,
    RegionLevel::Community,
];

enum Found {
    Id(i64),
    Adopt(i64),
    Create,
}

impl RegionIndex {
    pub(crate) async fn load(conn: &mut Conn) -> Result<RegionIndex> {
        let rows =
            query("SELECT id, parent_id, level, name, code, created_at FROM regions ORDER BY id")
                .fetch_all(&mut *conn)
                .await?;
        let mut idx = RegionIndex::default();
        for row in &rows {
            idx.insert(region_from_row(&mut Cols::new(row))?);
        }
        Ok(idx)
    }

    fn insert(&mut self, r: Region) {
        self.by_key
            .insert((r.parent_id, r.level, r.name.clone()), r.id);
        self.by_level_name
            .entry((r.level, r.name.clone()))
            .or_default()
            .push(r.id);
        self.by_id.insert(r.id, r);
    }

    fn set_parent(&mut self, id: i64, parent: i64) {
        if let Some(r) = self.by_id.get_mut(&id) {
            self.by_key.remove(&(r.parent_id, r.level, r.name.clone()));
            r.parent_id = Some(parent);
            self.by_key
                .insert((r.parent_id, r.level, r.name.clone()), id);
        }
    }

    pub(crate) fn get(&self, id: i64) -> Option<&Region> {
        self.by_id.get(&id)
    }

    /// The name of region `id`, which a stored row names (missing: corruption).
    pub(crate) fn name(&self, id: i64) -> Result<String> {
        self.get(id)
            .map(|r| r.name.clone())
            .ok_or_else(|| StoreError::Corrupt(format!("区域编号 {id} 不存在")))
    }

    /// The district a street belongs to, if its parent is one.
    pub(crate) fn district_of(&self, street_id: i64) -> Option<&Region> {
        let p = self.by_id.get(&street_id)?.parent_id?;
        self.by_id
            .get(&p)
            .filter(|r| r.level == RegionLevel::District)
    }

    fn find(&self, level: RegionLevel, parent: Option<i64>, name: &str) -> Result<Found> {
        if let Some(id) = self.by_key.get(&(parent, level, name.to_string())) {
            return Ok(Found::Id(*id));
        }
        let same_name = self.by_level_name.get(&(level, name.to_string()));
        match parent {
            None => match same_name.map(Vec::as_slice) {
                None | Some([]) => Ok(Found::Create),
                Some([one]) => Ok(Found::Id(*one)),
                Some(many) => {
                    let parents: Vec<String> = many
                        .iter()
                        .filter_map(|id| self.by_id.get(id)?.parent_id)
                        .filter_map(|p| self.by_id.get(&p).map(|r| r.name.clone()))
                        .collect();
                    Err(StoreError::Invalid(format!(
                        "{}“{name}”在多处存在（{}），请写明所属上级区域",
                        level.zh(),
                        parents.join("、")
                    )))
                }
            },
            Some(_) => {
                let orphan = same_name
                    .into_iter()
                    .flatten()
                    .find(|id| self.by_id.get(id).is_some_and(|r| r.parent_id.is_none()));
                Ok(orphan.map_or(Found::Create, |id| Found::Adopt(*id)))
            }
        }
    }
}

pub(crate) fn region_from_row(c: &mut Cols<'_>) -> Result<Region> {
    let id = c.i64()?;
    let parent_id = c.opt_i64()?;
    let level_code = c.string()?;
    let level = RegionLevel::from_code(&level_code)
        .ok_or_else(|| StoreError::Corrupt(format!("未知的区域层级 '{level_code}'")))?;
    Ok(Region {
        id,
        parent_id,
        level,
        name: c.string()?,
        code: c.opt_string()?,
        created_at: c.timestamp()?,
    })
}

fn name_at<'a>(p: &PathReq<'a>, level: RegionLevel) -> Option<&'a str> {
    match level {
        RegionLevel::City => p.city,
        RegionLevel::District => p.district,
        RegionLevel::Street => Some(p.street),
        RegionLevel::Community => p.community,
    }
}

/// Resolves (and creates where needed) every path, level by level, creating each level's new
/// regions in multi-row INSERTs. Returns the ids per path and how many regions were created.
pub(crate) async fn resolve_paths(
    conn: &mut Conn,
    actor: &Actor,
    at: &str,
    idx: &mut RegionIndex,
    paths: &[PathReq<'_>],
) -> Result<(Vec<RegionIds>, usize)> {
    // ids[path][level]
    let mut ids: Vec<[Option<i64>; 4]> = vec![[None; 4]; paths.len()];
    let mut created = 0usize;
    let mut audits = Vec::new();
    for (li, level) in LEVELS.into_iter().enumerate() {
        // Distinct (parent, name) requests at this level, in first-seen order.
        let mut wanted: Vec<(Option<i64>, &str)> = Vec::new();
        let mut seen: HashMap<(Option<i64>, &str), Option<i64>> = HashMap::new();
        for (pi, p) in paths.iter().enumerate() {
            let Some(name) = name_at(p, level) else {
                continue;
            };
            let parent = ids[pi][..li].iter().rev().find_map(|x| *x);
            if seen.insert((parent, name), None).is_none() {
                wanted.push((parent, name));
            }
        }
        let mut to_create: Vec<(Option<i64>, &str)> = Vec::new();
        for (parent, name) in wanted {
            match idx.find(level, parent, name)? {
                Found::Id(id) => {
                    seen.insert((parent, name), Some(id));
                }
                Found::Adopt(id) => {
                    let before = idx.get(id).cloned();
                    query("UPDATE regions SET parent_id = $1 WHERE id = $2")
                        .bind(parent)
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                    if let Some(p) = parent {
                        idx.set_parent(id, p);
                    }
                    audits.push(NewAudit {
                        action: "update",
                        entity: audit::REGION,
                        entity_id: Some(id),
                        before: before.as_ref().map(to_json).transpose()?,
                        after: idx.get(id).map(to_json).transpose()?,
                    });
                    seen.insert((parent, name), Some(id));
                }
                Found::Create => to_create.push((parent, name)),
            }
        }
        for chunk in to_create.chunks(rows_per_statement(4)) {
            let sql = format!(
                "INSERT INTO regions (parent_id, level, name, created_at) VALUES {} \
                 RETURNING id, parent_id, level, name, code, created_at",
                Ph::for_conn(conn).rows(chunk.len(), 4)
            );
            let vals = chunk.iter().flat_map(|(parent, name)| {
                [
                    Val::Int(*parent),
                    Val::text(level.code()),
                    Val::text(*name),
                    Val::text(at),
                ]
            });
            let rows = bind_all(query(sql), vals).fetch_all(&mut *conn).await?;
            for row in &rows {
                let r = region_from_row(&mut Cols::new(row))?;
                audits.push(NewAudit {
                    action: "insert",
                    entity: audit::REGION,
                    entity_id: Some(r.id),
                    before: None,
                    after: Some(to_json(&r)?),
                });
                if let Some(slot) = chunk
                    .iter()
                    .find(|(p, n)| *p == r.parent_id && *n == r.name)
                    .and_then(|k| seen.get_mut(k))
                {
                    *slot = Some(r.id);
                }
                idx.insert(r);
                created += 1;
            }
        }
        for (pi, p) in paths.iter().enumerate() {
            let Some(name) = name_at(p, level) else {
                continue;
            };
            let parent = ids[pi][..li].iter().rev().find_map(|x| *x);
            ids[pi][li] = seen.get(&(parent, name)).copied().flatten();
        }
    }
    audit::append(conn, actor, at, audits).await?;
    ids.into_iter()
        .zip(paths)
        .map(|(l, p)| {
            let street =
                l[2].ok_or_else(|| StoreError::Corrupt(format!("街道“{}”未能建立", p.street)))?;
            Ok(RegionIds {
                city: l[0],
                district: l[1],
                street,
                community: l[3],
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(|v| (v, created))
}

impl Store {
    /// Finds or creates the path 市 → 区 → 街道 → 社区 (levels may be left out, the street may
    /// not). Calling it again with the same names changes nothing.
    pub async fn ensure_region_path(
        &self,
        actor: &Actor,
        city: Option<&str>,
        district: Option<&str>,
        street: &str,
        community: Option<&str>,
    ) -> Result<RegionIds> {
        let req = PathReq {
            city: non_empty(city),
            district: non_empty(district),
            street: street.trim(),
            community: non_empty(community),
        };
        if req.street.is_empty() {
            return Err(StoreError::Invalid("街道（镇）名称不能为空".into()));
        }
        let mut tx = self.begin_write().await?;
        let mut idx = RegionIndex::load(&mut tx).await?;
        let (ids, _) = resolve_paths(&mut tx, actor, &now_ts(), &mut idx, &[req]).await?;
        tx.commit().await?;
        ids.into_iter()
            .next()
            .ok_or_else(|| StoreError::Corrupt("区域路径未能建立".into()))
    }

    /// One region.
    pub async fn get_region(&self, id: i64) -> Result<Region> {
        let row =
            query("SELECT id, parent_id, level, name, code, created_at FROM regions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound {
                    entity: crate::audit::REGION,
                    id,
                })?;
        region_from_row(&mut Cols::new(&row))
    }

    /// A region and every region under it, ordered by level then name.
    pub async fn regions_under(&self, id: i64) -> Result<Vec<Region>> {
        let rows = query(
            "SELECT r.id, r.parent_id, r.level, r.name, r.code, r.created_at FROM regions r \
             LEFT JOIN regions p ON p.id = r.parent_id LEFT JOIN regions g ON g.id = p.parent_id \
             WHERE r.id = $1 OR r.parent_id = $1 OR p.parent_id = $1 OR g.parent_id = $1 \
             ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|row| region_from_row(&mut Cols::new(row)))
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// The whole region tree, ordered by level then name.
    pub async fn list_regions(&self) -> Result<Vec<Region>> {
        let mut conn = self.pool.acquire().await?;
        regions_on(&mut conn).await
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// [`Store::list_regions`] on a connection (inside a run's read transaction).
pub(crate) async fn regions_on(conn: &mut Conn) -> Result<Vec<Region>> {
    let rows =
        query("SELECT id, parent_id, level, name, code, created_at FROM regions ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut out = rows
        .iter()
        .map(|row| region_from_row(&mut Cols::new(row)))
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}
