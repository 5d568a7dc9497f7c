//! The 工作台's figures (coverage cells, targets' progress, coverage over time, alerts) over the
//! compounds a principal may see, kept per street so that a write in one street costs the
//! readers one street's queries, not the city's.
//!
//! **Why per street.** Every figure on the page is a sum or a list over compounds, and every
//! compound lies in one street, so the city's figures are the streets' put together: cells side
//! by side, months added up, each alert kind's lists merged by (date, seq) and cut at the limit,
//! totals added. Each audited write raises the counter of the streets it touches, in its own
//! transaction (`Store::figure_versions`, migration 0017); a street's piece is reused while its
//! counter and the city's are unchanged. At 100,000 compounds in 24 streets one street's piece
//! is ≈ 12 ms against ≈ 230 ms for the city's (`anju bench web` prints both).
//!
//! A company's account sees compounds across streets without seeing the streets; its figures
//! are computed whole ([`App::dashboard_figures_fresh`]), as are a piece's when the cache is cold.
//! The cache is ours (a map behind a mutex, bounded, entries expire after [`PIECE_TTL`]): what
//! it keys on (the principal's scope, a street, the day) and when an entry is stale (two
//! counters in the database) are this module's, and no caching crate knows either.

use crate::principal::{Principal, Scope};
use crate::{App, Result};
use anju_core::RegionLevel;
use anju_core::access::Action;
use anju_core::fees::Month;
use anju_core::targets::Progress;
use anju_store::{
    AlertGroup, AlertKind, AlertOptions, CompoundFilter, CoverageCell, CoveragePoint,
    FigureVersions, LedgerFigures, LedgerPart, Region,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a street's piece is kept at most, even while nothing was written.
pub const PIECE_TTL: Duration = Duration::from_secs(300);
/// How many pieces are kept at most (the oldest go first).
const PIECES_MAX: usize = 4096;

/// What the 工作台 shows over the compounds a principal may see, as of today.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardFigures {
    /// In [`CoverageCell::sort`]'s order (as `Store::coverage_cells`).
    pub cells: Vec<CoverageCell>,
    /// Each street's targets' progress, streets by name, for the streets with compounds in scope.
    pub progress: Vec<(String, Progress)>,
    /// Covered compounds at each month's end, `from` through `to`.
    pub over_time: Vec<CoveragePoint>,
    /// Today's alerts, every kind (`AlertOptions::default()`).
    pub alerts: Vec<AlertGroup>,
}

/// The kept pieces, shared by the clones of one [`App`].
#[derive(Default)]
pub(crate) struct FigureCache {
    pieces: Mutex<HashMap<String, Piece>>,
    /// Each scope's street parts, with the city's counter they were read at.
    parts: Mutex<HashMap<String, KeptParts>>,
}

/// A scope's street parts and the city's counter they were read at.
type KeptParts = (i64, Arc<Vec<Part>>);

/// One street's kept figures (the 工作台's, or a ledger selection's), with the two counters
/// they were built at.
#[derive(Clone)]
struct Piece {
    city: i64,
    street: i64,
    built: Instant,
    figures: Arc<dyn std::any::Any + Send + Sync>,
}

impl FigureCache {
    fn get<T: Send + Sync + 'static>(&self, key: &str, city: i64, street: i64) -> Option<Arc<T>> {
        let pieces = self.pieces.lock().ok()?;
        pieces
            .get(key)
            .filter(|p| p.city == city && p.street == street && p.built.elapsed() < PIECE_TTL)
            .and_then(|p| p.figures.clone().downcast::<T>().ok())
    }

    fn parts(&self, key: &str, city: i64) -> Option<Arc<Vec<Part>>> {
        let parts = self.parts.lock().ok()?;
        parts
            .get(key)
            .filter(|(v, _)| *v == city)
            .map(|(_, p)| p.clone())
    }

    fn put_parts(&self, key: String, city: i64, parts: Arc<Vec<Part>>) {
        let Ok(mut all) = self.parts.lock() else {
            return;
        };
        if all.len() >= PIECES_MAX {
            all.clear();
        }
        all.insert(key, (city, parts));
    }

    fn put(&self, key: String, piece: Piece) {
        let Ok(mut pieces) = self.pieces.lock() else {
            return;
        };
        if pieces.len() >= PIECES_MAX {
            pieces.retain(|_, p| p.built.elapsed() < PIECE_TTL);
        }
        while pieces.len() >= PIECES_MAX {
            let Some(oldest) = pieces
                .iter()
                .min_by_key(|(_, p)| p.built)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            pieces.remove(&oldest);
        }
        pieces.insert(key, piece);
    }
}

/// Whether region `id` lies at or under region `outer` in the tree.
pub(crate) fn within(by_id: &HashMap<i64, &Region>, mut id: i64, outer: i64) -> bool {
    for _ in 0..16 {
        if id == outer {
            return true;
        }
        match by_id.get(&id).and_then(|r| r.parent_id) {
            Some(p) => id = p,
            None => return false,
        }
    }
    false
}

/// One street's share of what a principal sees: the street, and the region whose compounds make
/// it up (the street itself, or the principal's community when that lies under the street).
struct Part {
    street: Region,
    region: i64,
}

impl Part {
    /// The compounds of the part (with `filter`'s other conditions): the street's, by its id
    /// (an indexed condition on both engines), and the community's when the part is one.
    fn within(&self, filter: CompoundFilter) -> CompoundFilter {
        CompoundFilter {
            street_id: Some(self.street.id),
            region_id: (self.region != self.street.id).then_some(self.region),
            ..filter
        }
    }

    fn filter(&self) -> CompoundFilter {
        self.within(CompoundFilter::default())
    }
}

impl App {
    /// The streets a principal's scope covers, by name: every street for a city-wide account,
    /// the streets at or under a region account's region (or the street above its community);
    /// `None` for a company's account or one bound to nothing (no streets of their own).
    pub(crate) async fn streets_of_scope(&self, who: &Principal) -> Result<Option<Vec<Region>>> {
        let versions = self.store.figure_versions().await?;
        Ok(self
            .parts(who, &versions)
            .await?
            .map(|parts| parts.iter().map(|p| p.street.clone()).collect()))
    }

    /// The street parts of a principal's scope (see [`Part`]), streets by name; `None` as
    /// [`App::streets_of_scope`]. Kept per scope while the city's counter stands (a region is
    /// only ever added or renamed by a write that raises it).
    async fn parts(
        &self,
        who: &Principal,
        versions: &FigureVersions,
    ) -> Result<Option<Arc<Vec<Part>>>> {
        let scope = who.scope();
        if matches!(
            scope,
            Scope::Company(_) | Scope::Compound(_) | Scope::Nothing
        ) {
            return Ok(None);
        }
        let key = format!("{}|{scope:?}", self.database_identity());
        if let Some(parts) = self.figures.parts(&key, versions.city) {
            return Ok(Some(parts));
        }
        let regions = self.store.list_regions().await?;
        let by_id: HashMap<i64, &Region> = regions.iter().map(|r| (r.id, r)).collect();
        let mut parts: Vec<Part> = regions
            .iter()
            .filter(|r| r.level == RegionLevel::Street)
            .filter_map(|street| {
                let region = match scope {
                    // The street lies at or under the account's region: all of it is in scope.
                    Scope::Region(outer) if within(&by_id, street.id, outer) => street.id,
                    // The account's region (a community) lies under the street: that part.
                    Scope::Region(outer) if within(&by_id, outer, street.id) => outer,
                    Scope::Region(_) => return None,
                    _ => street.id,
                };
                Some(Part {
                    street: (*street).clone(),
                    region,
                })
            })
            .collect();
        parts.sort_by(|a, b| (&a.street.name, a.street.id).cmp(&(&b.street.name, b.street.id)));
        let parts = Arc::new(parts);
        self.figures.put_parts(key, versions.city, parts.clone());
        Ok(Some(parts))
    }

    /// A number that changes whenever a figure the principal sees may have: a hash of the
    /// city's counter and each street's in scope with its id (a sum could come back to an
    /// earlier value when a street leaves the scope); for a company's account,
    /// [`App::data_version`]. Pages key their caches on it and compare it for equality only.
    pub async fn figures_version(&self, who: &Principal) -> Result<i64> {
        use std::hash::{Hash, Hasher};
        let versions = self.store.figure_versions().await?;
        match self.parts(who, &versions).await? {
            Some(parts) => {
                let mut h = std::hash::DefaultHasher::new();
                versions.city.hash(&mut h);
                for p in parts.iter() {
                    (p.street.id, versions.street(p.street.id)).hash(&mut h);
                }
                Ok(i64::from_ne_bytes(h.finish().to_ne_bytes()))
            }
            None => self.data_version().await,
        }
    }

    /// The 工作台's figures for the principal, months `from` through `to`, put together from
    /// each street's piece, reusing a piece while nothing in its street (or the city) was
    /// written since it was built (see the module doc).
    pub async fn dashboard_figures(
        &self,
        who: &Principal,
        from: Month,
        to: Month,
    ) -> Result<DashboardFigures> {
        who.require(Action::ViewLedger)?;
        let versions = self.store.figure_versions().await?;
        let Some(parts) = self.parts(who, &versions).await? else {
            return self.dashboard_figures_fresh(who, from, to).await;
        };
        let today = self.today();
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts.iter() {
            let what = format!("dashboard|{today}|{from}|{to}");
            let piece = self
                .kept(&what, part, &versions, part.filter(), |filter| {
                    let street = [part.street.name.clone()];
                    async move { self.figures_over(who, &filter, &street, from, to).await }
                })
                .await?;
            pieces.push(piece);
        }
        Ok(combine(
            &pieces,
            from,
            to,
            AlertOptions::default().limit_per_kind,
        ))
    }

    /// The ledger's figures over what `filter` selects within the principal's scope, put
    /// together from each street's part as the 工作台's are (a filter naming its own region, or a
    /// company's account, is summed whole).
    pub async fn ledger_figures_kept(
        &self,
        who: &Principal,
        filter: CompoundFilter,
    ) -> Result<LedgerFigures> {
        who.require(Action::ViewLedger)?;
        let versions = self.store.figure_versions().await?;
        let parts = match self.parts(who, &versions).await? {
            Some(parts) if filter.region_id.is_none() && filter.street_id.is_none() => parts,
            _ => return self.ledger_figures(who, filter, false).await,
        };
        let what = format!(
            "ledger|{:?}",
            CompoundFilter {
                limit: None,
                offset: None,
                sort: Default::default(),
                ..filter.clone()
            }
        );
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts.iter() {
            let piece = self
                .kept(
                    &what,
                    part,
                    &versions,
                    part.within(filter.clone()),
                    |f| async move { Ok(self.store.ledger_part(&f, false).await?) },
                )
                .await?;
            pieces.push(piece);
        }
        let parts: Vec<&LedgerPart> = pieces.iter().map(|p| p.as_ref()).collect();
        Ok(self.store.ledger_figures_of(&parts).await?)
    }

    /// One street part's figures of a kind (`what`: the kind and what else they depend on), kept
    /// while the street's and the city's counters stand where they stood when it was built;
    /// `build` computes them over the compounds `filter` selects (the part's).
    async fn kept<T, F, Fut>(
        &self,
        what: &str,
        part: &Part,
        versions: &FigureVersions,
        filter: CompoundFilter,
        build: F,
    ) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce(CompoundFilter) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let key = format!(
            "{}|{what}|{}|{}",
            self.database_identity(),
            part.region,
            part.street.id,
        );
        let street_version = versions.street(part.street.id);
        if let Some(p) = self.figures.get::<T>(&key, versions.city, street_version) {
            return Ok(p);
        }
        let built = Instant::now();
        let figures = Arc::new(build(filter).await?);
        self.figures.put(
            key,
            Piece {
                city: versions.city,
                street: street_version,
                built,
                figures: figures.clone(),
            },
        );
        Ok(figures)
    }

    /// The same figures computed afresh over the whole scope in one go (the reference the
    /// pieces are tested against, and a company's account's figures).
    pub async fn dashboard_figures_fresh(
        &self,
        who: &Principal,
        from: Month,
        to: Month,
    ) -> Result<DashboardFigures> {
        who.require(Action::ViewLedger)?;
        let filter = who.compound_filter();
        let cells = self.store.coverage_cells(&filter).await?;
        let mut streets: Vec<String> = cells.iter().map(|c| c.street.clone()).collect();
        streets.dedup();
        self.figures_over(who, &filter, &streets, from, to).await
    }

    /// The figures over the compounds `filter` selects (within the principal's scope), with the
    /// progress of the targets of `streets` that have compounds there.
    async fn figures_over(
        &self,
        who: &Principal,
        filter: &CompoundFilter,
        streets: &[String],
        from: Month,
        to: Month,
    ) -> Result<DashboardFigures> {
        let cells = self.store.coverage_cells(filter).await?;
        let present: Vec<String> = streets
            .iter()
            .filter(|s| cells.iter().any(|c| &c.street == *s))
            .cloned()
            .collect();
        let progress = self.streets_progress(who, &present).await?;
        let over_time = self.store.coverage_over_time(filter, from, to).await?;
        let alerts = self
            .store
            .alerts(filter, self.today(), AlertOptions::default())
            .await?;
        Ok(DashboardFigures {
            cells,
            progress,
            over_time,
            alerts,
        })
    }
}

/// The streets' pieces put together into the figures of all of them (see the module doc).
fn combine(
    pieces: &[Arc<DashboardFigures>],
    from: Month,
    to: Month,
    limit: usize,
) -> DashboardFigures {
    let mut cells: Vec<CoverageCell> = pieces.iter().flat_map(|p| p.cells.clone()).collect();
    CoverageCell::sort(&mut cells);
    let mut progress: Vec<(String, Progress)> =
        pieces.iter().flat_map(|p| p.progress.clone()).collect();
    progress.sort_by(|a, b| a.0.cmp(&b.0));
    let mut over_time: Vec<CoveragePoint> = Vec::new();
    for p in pieces {
        if over_time.is_empty() {
            over_time = p.over_time.clone();
            continue;
        }
        for (sum, point) in over_time.iter_mut().zip(&p.over_time) {
            sum.covered += point.covered;
        }
    }
    if over_time.is_empty() {
        let mut m = from;
        while m <= to {
            over_time.push(CoveragePoint {
                month: m,
                month_end: jiff::civil::date(m.year, m.month, 1).last_of_month(),
                covered: 0,
            });
            m = m.next();
        }
    }
    let mut alerts: Vec<AlertGroup> = AlertKind::ALL
        .iter()
        .map(|&kind| AlertGroup {
            kind,
            total: 0,
            items: Vec::new(),
        })
        .collect();
    for p in pieces {
        for g in &p.alerts {
            if let Some(a) = alerts.iter_mut().find(|a| a.kind == g.kind) {
                a.total += g.total;
                a.items.extend(g.items.iter().cloned());
            }
        }
    }
    for g in &mut alerts {
        g.items.sort_by_key(|a| (a.date, a.seq));
        g.items.truncate(limit);
    }
    DashboardFigures {
        cells,
        progress,
        over_time,
        alerts,
    }
}
