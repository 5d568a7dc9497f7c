//! The ledger (台账): its compounds read within the reader's scope, one found by id or name, a
//! ledger file imported all or nothing, and the ledger written back out in the import layout.
//!
//! A file is read and validated on one thread (anju-sheets `read_ledger_chunks`) while the rows
//! already read are written on another, inside one transaction (anju-store `begin_ledger` →
//! `apply_owned` → `commit`): a problem anywhere in the file, or a row outside the importer's
//! area, rolls everything back, and every problem names its row and column.

use crate::App;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::CompoundId;
use anju_core::access::Action;
use anju_core::{Compound, RegionLevel};
use anju_sheets::{LedgerChunk, LedgerError, LedgerInfo, Problem, ReadOptions};
use anju_store::{
    AlertGroup, AlertOptions, ApplySummary, CompoundFilter, CoverageCell, LedgerFigures,
    StoreError, StoredCompound,
};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

/// Rows handed from the reading thread to the writer at a time.
pub const CHUNK_ROWS: usize = 5_000;

/// Where a ledger to import comes from: a file on disk (the command line, streamed), or the
/// bytes of an upload (the web page) with the kind judged by their content.
#[derive(Debug, Clone)]
pub enum LedgerSource {
    File(std::path::PathBuf),
    Bytes {
        bytes: Vec<u8>,
        kind: anju_sheets::FileKind,
    },
}

/// A ledger file imported and committed.
#[derive(Debug, Clone)]
pub struct Imported {
    pub info: LedgerInfo,
    pub summary: ApplySummary,
    /// How long reading and validating the whole file took (on its own thread, alongside the
    /// writes).
    pub read: Duration,
    /// How long the commit took.
    pub commit: Duration,
}

/// Why a row lies outside the importer's area: the column, and the reason in Chinese and
/// English.
type Outside = (String, String, String);

/// Whether each (street, community) a ledger names lies within an importer's area, asked of the
/// store once per distinct pair (a file of 100,000 rows names a few dozen).
struct ScopeCheck {
    scope: Scope,
    /// The community the importer is bounded to, by name (a community's account).
    own_name: Option<String>,
    seen: HashMap<(String, Option<String>), Option<Outside>>,
}

impl ScopeCheck {
    fn new(who: &Principal) -> ScopeCheck {
        ScopeCheck {
            scope: who.scope(),
            own_name: who.region_name.clone(),
            seen: HashMap::new(),
        }
    }

    /// The problems of one chunk's rows: those naming a street or community outside the area.
    async fn problems(&mut self, app: &App, chunk: &LedgerChunk) -> Result<Vec<Problem>> {
        let mut out = Vec::new();
        if matches!(self.scope, Scope::All) {
            return Ok(out);
        }
        for (i, c) in chunk.rows.iter().enumerate() {
            let key = (c.street.clone(), c.community.clone());
            let verdict = match self.seen.get(&key) {
                Some(v) => v.clone(),
                None => {
                    let v = self.verdict(app, c).await?;
                    self.seen.insert(key, v.clone());
                    v
                }
            };
            if let Some((column, zh, en)) = verdict {
                out.push(Problem {
                    row: chunk.source_rows.get(i).copied().unwrap_or(i + 2),
                    value: if column == "所属社区" {
                        c.community.clone().unwrap_or_default()
                    } else {
                        c.street.clone()
                    },
                    column: Some(column),
                    reason_zh: zh,
                    reason_en: en,
                });
            }
        }
        Ok(out)
    }

    /// `None` when the row's street (and community) lie within the area, else the column and
    /// the reason in both languages.
    async fn verdict(&self, app: &App, c: &Compound) -> Result<Option<Outside>> {
        let outside = |column: &str| {
            Some((
                column.to_string(),
                "不在您的管辖范围内".to_string(),
                "outside your area".to_string(),
            ))
        };
        let r = match self.scope {
            Scope::All => return Ok(None),
            Scope::Company(_) | Scope::Compound(_) | Scope::Nothing => {
                return Ok(Some((
                    "所属街道".into(),
                    "您的账号不能导入台账".into(),
                    "your account may not import a ledger".into(),
                )));
            }
            Scope::Region(r) => r,
        };
        let street = match app.store.find_region(RegionLevel::Street, &c.street).await {
            Ok(s) => s,
            // A street the database does not know yet lies in nobody's area but the city's.
            Err(StoreError::NotFound { .. }) => return Ok(outside("所属街道")),
            Err(e) if e.is_user_error() => return Ok(outside("所属街道")),
            Err(e) => return Err(e.into()),
        };
        if app.store.region_within(street.id, r).await? {
            return Ok(None);
        }
        // A community's account: its own street, and its own community within it.
        if app.store.region_within(r, street.id).await? {
            return Ok(if c.community.is_some() && c.community == self.own_name {
                None
            } else {
                outside("所属社区")
            });
        }
        Ok(outside("所属街道"))
    }
}

impl App {
    /// The compounds `filter` selects, within the principal's scope (a condition of the query).
    pub async fn compounds(
        &self,
        who: &Principal,
        filter: CompoundFilter,
    ) -> Result<Vec<StoredCompound>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.list_compounds(&who.scoped(filter)).await?)
    }

    /// How many compounds `filter` selects within the principal's scope.
    pub async fn count_compounds(&self, who: &Principal, filter: CompoundFilter) -> Result<i64> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.count_compounds(&who.scoped(filter)).await?)
    }

    /// The ledger's sums (households, area, modes) over what `filter` selects, in scope.
    pub async fn ledger_figures(
        &self,
        who: &Principal,
        filter: CompoundFilter,
        with_needs: bool,
    ) -> Result<LedgerFigures> {
        who.require(Action::ViewLedger)?;
        Ok(self
            .store
            .ledger_figures(&who.scoped(filter), with_needs)
            .await?)
    }

    /// The coverage cells (street × community × mode) of what `filter` selects, in scope.
    pub async fn coverage_cells(
        &self,
        who: &Principal,
        filter: CompoundFilter,
    ) -> Result<Vec<CoverageCell>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.coverage_cells(&who.scoped(filter)).await?)
    }

    /// The dashboard's alerts over what `filter` selects, in scope, as of today.
    pub async fn alerts(
        &self,
        who: &Principal,
        filter: CompoundFilter,
        opts: AlertOptions,
    ) -> Result<Vec<AlertGroup>> {
        who.require(Action::ViewLedger)?;
        Ok(self
            .store
            .alerts(&who.scoped(filter), self.today(), opts)
            .await?)
    }

    /// A number that moves with every write (the pages' caches key on it).
    pub async fn data_version(&self) -> Result<i64> {
        Ok(self.store.data_version().await?)
    }

    /// The coverage figures by street and community of what `street` selects (all, without
    /// one), in scope; a street named but without compounds is refused, naming it.
    pub async fn coverage(
        &self,
        who: &Principal,
        street: Option<&str>,
    ) -> Result<anju_core::stats::CoverageReport> {
        let rows = self
            .compounds(
                who,
                CompoundFilter {
                    street: street.map(str::to_string),
                    ..CompoundFilter::default()
                },
            )
            .await?;
        if let Some(street) = street
            && rows.is_empty()
        {
            return Err(AppError::field(
                "street",
                "街道",
                format!("没有找到街道“{street}”的小区"),
                format!("no compound found in street '{street}'"),
            ));
        }
        Ok(anju_core::stats::coverage(rows.iter().map(|s| &s.compound)))
    }

    /// One compound by id or exact name (within `street` when names repeat), in scope.
    pub async fn find_compound(
        &self,
        who: &Principal,
        key: &str,
        street: Option<&str>,
    ) -> Result<StoredCompound> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>() {
            match self.compound_in_scope(who, CompoundId(id)).await {
                Ok(c) => return Ok(c),
                Err(AppError::Store(StoreError::NotFound { .. })) => {}
                Err(e) => return Err(e),
            }
        }
        let found: Vec<_> = self
            .compounds(
                who,
                CompoundFilter {
                    street: street.map(str::to_string),
                    search: Some(key.to_string()),
                    ..CompoundFilter::default()
                },
            )
            .await?
            .into_iter()
            .filter(|c| c.compound.name == key)
            .collect();
        let mut found = found.into_iter();
        match (found.next(), found.len()) {
            (Some(c), 0) => Ok(c),
            (None, _) => Err(AppError::field(
                "compound",
                "小区",
                format!("找不到小区“{key}”"),
                format!("no compound '{key}'"),
            )),
            (Some(_), more) => Err(AppError::field(
                "compound",
                "小区",
                format!(
                    "有 {} 个名为“{key}”的小区，请指明所属街道或改用编号",
                    more + 1
                ),
                format!(
                    "{} compounds are named '{key}': name the street or use the id",
                    more + 1
                ),
            )),
        }
    }

    /// The compounds of `street` (all, without one) in scope, as the import layout writes them.
    pub async fn ledger_rows(
        &self,
        who: &Principal,
        street: Option<&str>,
    ) -> Result<Vec<Compound>> {
        Ok(self
            .compounds(
                who,
                CompoundFilter {
                    street: street.map(str::to_string),
                    ..CompoundFilter::default()
                },
            )
            .await?
            .into_iter()
            .map(|s| s.compound)
            .collect())
    }

    /// Writes the ledger of `street` (all, without one) in scope to `file` in the import layout;
    /// returns how many compounds it holds.
    pub async fn export_ledger(
        &self,
        who: &Principal,
        street: Option<&str>,
        file: &Path,
    ) -> Result<usize> {
        let rows = self.ledger_rows(who, street).await?;
        anju_sheets::write_ledger(file, &rows).map_err(|e| {
            AppError::field(
                "file",
                "文件",
                format!("无法写入 {}：{e}", file.display()),
                format!("cannot write {}: {e}", file.display()),
            )
        })?;
        Ok(rows.len())
    }

    /// Imports a ledger file (.xlsx, .xls, .csv): one thread reads and validates it while the
    /// rows already read are written, all in one transaction, as of today. All or nothing: when
    /// the file has any problem (however late in it), a row lies outside the importer's area, or
    /// a write fails, everything written is rolled back. `Ok(Err(_))` is a file that was refused,
    /// with every problem by row and column; `Err(_)` a refusal of the importer or a failure of
    /// the store.
    pub async fn import_ledger(
        &self,
        who: &Principal,
        file: &Path,
        opts: ReadOptions,
    ) -> Result<std::result::Result<Imported, LedgerError>> {
        self.import_ledger_from(who, LedgerSource::File(file.to_path_buf()), opts)
            .await
    }

    /// [`App::import_ledger`] from a file or an upload's bytes.
    pub async fn import_ledger_from(
        &self,
        who: &Principal,
        source: LedgerSource,
        mut opts: ReadOptions,
    ) -> Result<std::result::Result<Imported, LedgerError>> {
        who.require(Action::EditCompounds)?;
        // A building year is checked against this year by the one clock (Beijing), not the
        // machine's.
        opts.current_year = i32::from(self.today().year());
        let (chunks, mut rx) = tokio::sync::mpsc::channel::<LedgerChunk>(2);
        let reader = tokio::task::spawn_blocking(move || {
            let t = Instant::now();
            // The writer has stopped (a failed write): stop reading too.
            let send = |chunk| match chunks.blocking_send(chunk) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            };
            let read = match source {
                LedgerSource::File(path) => {
                    anju_sheets::read_ledger_chunks(&path, &opts, CHUNK_ROWS, send)
                }
                LedgerSource::Bytes { bytes, kind } => {
                    anju_sheets::read_ledger_bytes_chunks(&bytes, kind, &opts, CHUNK_ROWS, send)
                }
            };
            (read, t.elapsed())
        });
        let mut scope = ScopeCheck::new(who);
        let mut outside: Vec<Problem> = Vec::new();
        let mut import = self.store.begin_ledger(&who.actor(), self.today()).await?;
        let mut failed: Option<AppError> = None;
        while let Some(chunk) = rx.recv().await {
            match scope.problems(self, &chunk).await {
                Ok(ps) => outside.extend(ps),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            // Once a row is refused nothing will be committed: keep reading for the file's
            // other problems, but write no more.
            if !outside.is_empty() {
                continue;
            }
            if let Err(e) = import.apply_owned(chunk.rows).await {
                failed = Some(e.into());
                break;
            }
        }
        drop(rx);
        let (read, read_time) = reader
            .await
            .map_err(|e| AppError::Store(StoreError::Invalid(format!("台账读取线程失败：{e}"))))?;
        if let Some(e) = failed {
            import.rollback().await?;
            return Err(e);
        }
        match read {
            Err(LedgerError::Problems(mut ps)) => {
                import.rollback().await?;
                ps.extend(outside);
                ps.sort_by_key(|p| p.row);
                Ok(Err(LedgerError::Problems(ps)))
            }
            Err(e) => {
                import.rollback().await?;
                Ok(Err(e))
            }
            Ok(_) if !outside.is_empty() => {
                import.rollback().await?;
                Ok(Err(LedgerError::Problems(outside)))
            }
            Ok(info) => {
                let t = Instant::now();
                let summary = import.commit().await?;
                Ok(Ok(Imported {
                    info,
                    summary,
                    read: read_time,
                    commit: t.elapsed(),
                }))
            }
        }
    }

    /// Applies rows already in memory (a generated or seeded ledger) as of `as_of`, all or
    /// nothing; an administrator's job (benchmarks and the demo seed the database this way).
    pub async fn apply_ledger_rows(
        &self,
        who: &Principal,
        rows: &[Compound],
        as_of: jiff::civil::Date,
    ) -> Result<ApplySummary> {
        who.require(Action::EditCompounds)?;
        if !matches!(who.scope(), Scope::All) {
            return Err(AppError::forbidden(
                "只有全市范围的账号可以直接写入整份台账",
                "only a city-wide account may apply a whole ledger",
            ));
        }
        Ok(self.store.apply_ledger(&who.actor(), rows, as_of).await?)
    }
}

impl App {
    /// Adds one compound by hand (新增小区): the checks of a ledger row imported by this
    /// principal (its street, and a community account's community, within the area), and a name
    /// not yet used in its street; written and audited as an import's new row, as of today.
    pub async fn add_compound(
        &self,
        who: &Principal,
        compound: Compound,
    ) -> Result<StoredCompound> {
        who.require(Action::EditCompounds)?;
        crate::compounds::check_compound(&compound, self.today())?;
        if let Some((column, zh, en)) = ScopeCheck::new(who).verdict(self, &compound).await? {
            let key = if column == "所属社区" {
                "compound.community"
            } else {
                "compound.street"
            };
            return Err(AppError::field(key, &column, zh, en));
        }
        let in_street = |c: &StoredCompound| {
            c.compound.street == compound.street && c.compound.name == compound.name
        };
        let same_name = self
            .store
            .list_compounds(&CompoundFilter {
                street: Some(compound.street.clone()),
                search: Some(compound.name.clone()),
                include_archived: true,
                ..CompoundFilter::default()
            })
            .await?;
        if same_name.iter().any(in_street) {
            return Err(AppError::field(
                "compound.name",
                "小区名称",
                format!("{}已有名为“{}”的小区", compound.street, compound.name),
                format!(
                    "{} already has a compound named '{}'",
                    compound.street, compound.name
                ),
            ));
        }
        self.store
            .apply_ledger(&who.actor(), std::slice::from_ref(&compound), self.today())
            .await?;
        let added = self
            .store
            .list_compounds(&CompoundFilter {
                street: Some(compound.street.clone()),
                search: Some(compound.name.clone()),
                ..CompoundFilter::default()
            })
            .await?;
        added.into_iter().find(in_street).ok_or_else(|| {
            StoreError::NotFound {
                entity: "compound",
                id: 0,
            }
            .into()
        })
    }
}
