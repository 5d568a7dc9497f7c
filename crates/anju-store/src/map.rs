//! 一张图: what the map draws of each compound in scope, in one query.

use crate::compounds::CompoundFilter;
use crate::sql::{Cols, Val, bind_all, date_text, query};
use crate::{Result, Store};
use anju_core::lifecycle::{LifecycleState, Stage};
use anju_core::{Coordinates, ManagementMode, OwnersBody};
use jiff::civil::Date;

/// Which compounds the map shows beyond the filter (a layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapOnly {
    #[default]
    All,
    /// With a complaint not yet answered (received or signed).
    OpenComplaints,
    /// With a rectification order open past its deadline.
    OverdueOrders,
    /// Not covered: a mode of the unmanaged group (弃管、无物业).
    Uncovered,
}

/// One compound as the map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMark {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub community: Option<String>,
    pub coords: Option<Coordinates>,
    pub mode: ManagementMode,
    /// The recorded stage, else the one a compound of its mode and owners' body starts at.
    pub stage: Stage,
    pub open_complaints: i64,
    pub overdue_orders: i64,
    pub version: i64,
}

impl Store {
    /// The compounds `filter` selects (scope included, as conditions of the query) that `only`
    /// keeps, by street and name, with their unanswered complaints and overdue orders as of
    /// `today`.
    pub async fn map_marks(
        &self,
        filter: &CompoundFilter,
        only: MapOnly,
        today: Date,
    ) -> Result<Vec<MapMark>> {
        let mut vals = vec![Val::text(date_text(today))];
        let filter = CompoundFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let w = filter.where_clause(&mut vals);
        let open = "k.status IN ('received', 'signed')";
        let overdue = "o.status = 'open' AND o.deadline < $1";
        let only = match only {
            MapOnly::All => String::new(),
            MapOnly::OpenComplaints => format!(
                " AND EXISTS (SELECT 1 FROM complaints k WHERE k.compound_id = c.id AND {open})"
            ),
            MapOnly::OverdueOrders => format!(
                " AND EXISTS (SELECT 1 FROM rectification_orders o WHERE o.compound_id = c.id \
                 AND {overdue})"
            ),
            MapOnly::Uncovered => {
                let codes = ManagementMode::ALL
                    .into_iter()
                    .filter(|m| m.group() == anju_core::ModeGroup::Unmanaged)
                    .map(|m| format!("'{}'", m.code()))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(" AND c.mode IN ({codes})")
            }
        };
        let sql = format!(
            "SELECT c.id, c.version, c.name, s.name, cm.name, c.lat_e6, c.lng_e6, c.mode, \
             c.owners_body, lc.stage, \
             (SELECT COUNT(*) FROM complaints k WHERE k.compound_id = c.id AND {open}), \
             (SELECT COUNT(*) FROM rectification_orders o WHERE o.compound_id = c.id \
              AND {overdue}) \
             FROM compounds c \
             JOIN regions s ON s.id = c.street_id \
             LEFT JOIN regions d ON d.id = s.parent_id AND d.level = 'district' \
             LEFT JOIN regions cm ON cm.id = c.community_id \
             LEFT JOIN companies co ON co.id = c.company_id \
             LEFT JOIN compound_lifecycle lc ON lc.compound_id = c.id\
             {w}{only} ORDER BY s.name, c.name, c.id"
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                let id = c.i64()?;
                let version = c.i64()?;
                let name = c.string()?;
                let street = c.string()?;
                let community = c.opt_string()?;
                let lat = c.opt_i64()?;
                let lng = c.opt_i64()?;
                let mode = ManagementMode::from_code(&c.string()?)
                    .ok_or_else(|| crate::StoreError::Invalid("mode".into()))?;
                let body = OwnersBody::from_code(&c.string()?).unwrap_or(OwnersBody::None);
                let stage = match c.opt_string()? {
                    Some(s) => Stage::from_code(&s)
                        .ok_or_else(|| crate::StoreError::Invalid("stage".into()))?,
                    None => LifecycleState::initial(mode, body).stage,
                };
                Ok(MapMark {
                    id,
                    name,
                    street,
                    community,
                    coords: match (lat, lng) {
                        (Some(lat_e6), Some(lng_e6)) => Some(Coordinates { lat_e6, lng_e6 }),
                        _ => None,
                    },
                    mode,
                    stage,
                    open_complaints: c.i64()?,
                    overdue_orders: c.i64()?,
                    version,
                })
            })
            .collect()
    }
}
