//! The 调度表 as a submission (seed 003 附件5 注2 "每月1号、15号报送至区住建局"): the district sets
//! the day its streets start filing; each street files its sheet for every 1st and 15th (the
//! sheet is built by anju-reports' `build_dispatch` for that street and frozen with the
//! filing); the district sees every street's standing — on time, late, not filed (逾期未报).
//!
//! Who does what (`anju_core::access`): the schedule is the district's set-up
//! (`ManageDepartments`: 住建, admin); a street's officer files for its own street
//! (`ManageTasks`, bounded to one street: a district or city account does not file for a
//! street); everyone who reads the ledger reads the standings of the streets in scope.

use crate::App;
use crate::check::{self, Field, NOTE_MAX};
use crate::error::Result;
use crate::principal::{Principal, outside};
use anju_core::RegionLevel;
use anju_core::access::Action;
use anju_core::dispatch::{Standing, fileable, filing_day_on_or_after, filing_days};
use anju_reports::{DispatchParams, DispatchStreet};
use anju_store::{DispatchFiling, DispatchSchedule};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How many filing days the overview shows per street (about three months).
pub const DAYS_SHOWN: usize = 6;

/// One street's filing days (newest first) and where it stands for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StreetFilings {
    pub street_id: i64,
    pub street: String,
    pub district: String,
    /// The filing days shown, newest first.
    pub days: Vec<FilingDay>,
    /// Filing days passed without a filing.
    pub overdue: u32,
}

/// One filing day of a street: where it stands, and the filing when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FilingDay {
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub standing: Standing,
    pub filing_id: Option<i64>,
}

/// The streets in scope with their standings, as of today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FilingOverview {
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    pub schedules: Vec<DispatchSchedule>,
    pub streets: Vec<StreetFilings>,
}

/// A filing with its sheet as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FiledSheet {
    pub filing: DispatchFiling,
    pub standing: Standing,
    pub sheet: DispatchStreet,
}

impl App {
    /// Sets the day a district's streets start filing (a plan: it may lie ahead), at the
    /// version read (0 for a district without a schedule).
    pub async fn set_dispatch_schedule(
        &self,
        who: &Principal,
        district_id: i64,
        starts_on: Date,
        version: i64,
    ) -> Result<DispatchSchedule> {
        self.require_own_district(who, district_id).await?;
        Ok(self
            .store()
            .set_dispatch_schedule(&who.actor(), district_id, starts_on, version)
            .await?)
    }

    /// The districts whose schedule the principal may set (those `require_own_district`
    /// allows: within its scope), by name; empty for a reader who may not set any.
    pub async fn schedulable_districts(&self, who: &Principal) -> Result<Vec<anju_store::Region>> {
        if who.role == anju_core::access::Role::Auditor
            || !anju_core::access::can(who.role, Action::ManageDepartments)
        {
            return Ok(Vec::new());
        }
        let under = match who.scope() {
            crate::Scope::All => self.store().list_regions().await?,
            crate::Scope::Region(r) => self.store().regions_under(r).await?,
            _ => Vec::new(),
        };
        let mut out: Vec<anju_store::Region> = under
            .into_iter()
            .filter(|r| r.level == anju_core::RegionLevel::District)
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Every street in scope whose district has a schedule, with its last [`DAYS_SHOWN`]
    /// filing days' standing as of today, the streets with overdue filings first.
    pub async fn filing_overview(&self, who: &Principal) -> Result<FilingOverview> {
        who.require(Action::ViewLedger)?;
        let today = self.today();
        let schedules = self.store().dispatch_schedules().await?;
        // No district files yet: nothing to read (the 工作台 asks on every request).
        let streets = if schedules.is_empty() {
            None
        } else {
            self.streets_of_scope(who).await?
        };
        let Some(streets) = streets else {
            return Ok(FilingOverview {
                as_of: today,
                schedules: Vec::new(),
                streets: Vec::new(),
            });
        };
        let regions = self.store().list_regions().await?;
        let district_of = |street: &anju_store::Region| {
            street
                .parent_id
                .and_then(|p| regions.iter().find(|r| r.id == p))
                .filter(|r| r.level == RegionLevel::District)
        };
        let mut owed: Vec<(&anju_store::Region, &anju_store::Region, Vec<Date>)> = Vec::new();
        for s in &streets {
            let Some(d) = district_of(s) else { continue };
            let Some(plan) = schedules.iter().find(|p| p.district_id == d.id) else {
                continue;
            };
            // Every day owed so far and the next one ahead (the overdue count is over all of
            // them; the page shows the last few).
            owed.push((
                s,
                d,
                filing_days(plan.starts_on, filing_day_on_or_after(today)),
            ));
        }
        let ids: Vec<i64> = owed.iter().map(|(s, ..)| s.id).collect();
        let from = owed
            .iter()
            .filter_map(|(.., d)| d.first().copied())
            .min()
            .unwrap_or(today);
        let filed = self
            .store()
            .dispatch_filings(Some(&ids), from, Date::MAX)
            .await?;
        let mut out: Vec<StreetFilings> = owed
            .into_iter()
            .map(|(s, d, days)| {
                let mut rows: Vec<FilingDay> = days
                    .into_iter()
                    .map(|due| {
                        let f = filed
                            .iter()
                            .find(|f| f.street_id == s.id && f.due_on == due);
                        FilingDay {
                            due_on: due,
                            standing: Standing::of(due, f.map(|f| f.filed_on), today),
                            filing_id: f.map(|f| f.id),
                        }
                    })
                    .collect();
                let overdue =
                    u32::try_from(rows.iter().filter(|r| r.standing.is_overdue()).count())
                        .unwrap_or(u32::MAX);
                let shown = rows.split_off(rows.len().saturating_sub(DAYS_SHOWN));
                StreetFilings {
                    street_id: s.id,
                    street: s.name.clone(),
                    district: d.name.clone(),
                    overdue,
                    days: shown.into_iter().rev().collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| a.street.cmp(&b.street))
        });
        Ok(FilingOverview {
            as_of: today,
            schedules: schedules
                .into_iter()
                .filter(|p| {
                    streets
                        .iter()
                        .any(|s| district_of(s).is_some_and(|d| d.id == p.district_id))
                })
                .collect(),
            streets: out,
        })
    }

    /// The street a principal files for: its own (a street's officer), or the one named by an
    /// administrator.
    async fn filing_street(&self, who: &Principal, street_id: Option<i64>) -> Result<i64> {
        if who.role == anju_core::access::Role::Admin {
            let id = street_id.ok_or_else(|| {
                Field::new("street_id", "街道").error("请选择报送的街道", "name the street")
            })?;
            let r = self.store().get_region(id).await?;
            if r.level != RegionLevel::Street {
                return Err(Field::new("street_id", "街道").error(
                    format!("“{}”不是街道：调度表由街道报送", r.name),
                    format!("'{}' is not a street", r.name),
                ));
            }
            return Ok(id);
        }
        match (who.region_id, who.region_level) {
            (Some(r), Some(RegionLevel::Street)) if street_id.is_none_or(|s| s == r) => Ok(r),
            _ => Err(Field::new("street_id", "报送街道").error(
                "调度表由街道报送：请用街道的账号报送本街道的调度表",
                "a street files its own sheet: use the street's account",
            )),
        }
    }

    /// The filing days a street may file for today: those owed and not filed, and the next.
    pub async fn fileable_days(
        &self,
        who: &Principal,
        street_id: Option<i64>,
    ) -> Result<Vec<Date>> {
        who.require(Action::ManageTasks)?;
        let street = self.filing_street(who, street_id).await?;
        let Some(plan) = self.schedule_of_street(street).await? else {
            return Ok(Vec::new());
        };
        let today = self.today();
        let filed: Vec<Date> = self
            .store()
            .dispatch_filings(Some(&[street]), plan.starts_on, Date::MAX)
            .await?
            .into_iter()
            .map(|f| f.due_on)
            .collect();
        Ok(fileable(plan.starts_on, today, &filed))
    }

    async fn schedule_of_street(&self, street_id: i64) -> Result<Option<DispatchSchedule>> {
        let street = self.store().get_region(street_id).await?;
        let Some(district) = street.parent_id else {
            return Ok(None);
        };
        Ok(self
            .store()
            .dispatch_schedules()
            .await?
            .into_iter()
            .find(|p| p.district_id == district))
    }

    /// A street files its 调度表 for a filing day, today: the sheet is built for that street as
    /// the report builds it and kept with the filing.
    pub async fn file_dispatch(
        &self,
        who: &Principal,
        street_id: Option<i64>,
        due_on: Date,
        note: Option<&str>,
    ) -> Result<DispatchFiling> {
        let street = self.filing_street(who, street_id).await?;
        let filed = self
            .store()
            .dispatch_filings(Some(&[street]), due_on, due_on)
            .await?;
        if let Some(f) = filed.first() {
            return Err(Field::new("due_on", "报送期次").error(
                format!("{due_on} 这一期已于 {} 报送，不能重复报送", f.filed_on),
                format!(
                    "{due_on} was filed on {}; it cannot be filed again",
                    f.filed_on
                ),
            ));
        }
        let allowed = self.fileable_days(who, Some(street)).await?;
        if !allowed.contains(&due_on) {
            let mut list: Vec<String> = allowed.iter().take(6).map(ToString::to_string).collect();
            if allowed.len() > 6 {
                list.push(format!("等 {} 期", allowed.len()));
            }
            return Err(Field::new("due_on", "报送期次").error(
                if list.is_empty() {
                    format!("{due_on} 这一期不能报送：本区尚未安排报送，或各期均已报送")
                } else {
                    format!("{due_on} 这一期不能报送；可报送：{}", list.join("、"))
                },
                if list.is_empty() {
                    format!("{due_on} cannot be filed: no schedule, or every day is filed")
                } else {
                    format!("{due_on} cannot be filed; open: {}", list.join(", "))
                },
            ));
        }
        let note = check::opt_text(Field::new("note", "备注"), note, NOTE_MAX, true)?;
        let region = self.store().get_region(street).await?;
        let district = match region.parent_id {
            Some(p) => Some(self.store().get_region(p).await?.name),
            None => None,
        };
        let has_compounds = self
            .store()
            .count_compounds(&anju_store::CompoundFilter {
                street_id: Some(street),
                ..anju_store::CompoundFilter::default()
            })
            .await?
            > 0;
        // A street without compounds files an empty sheet (the report refuses an empty area).
        let sheet = if has_compounds {
            anju_reports::build_dispatch(
                self.store(),
                &DispatchParams {
                    scope: anju_reports::Scope {
                        district,
                        street: Some(region.name.clone()),
                    },
                    date: Some(due_on),
                    today: self.today(),
                },
            )
            .await?
            .streets
            .into_iter()
            .find(|s| s.street == region.name)
        } else {
            None
        }
        .unwrap_or(DispatchStreet {
            street: region.name.clone(),
            rows: Vec::new(),
        });
        let compounds = i64::try_from(sheet.rows.len()).unwrap_or(i64::MAX);
        let json = serde_json::to_string(&sheet)
            .map_err(|e| anju_store::StoreError::Corrupt(format!("调度表无法保存：{e}")))?;
        Ok(self
            .store()
            .file_dispatch(
                &who.actor(),
                street,
                due_on,
                self.today(),
                &json,
                compounds,
                note.as_deref(),
            )
            .await?)
    }

    /// One filing with its sheet as filed, for someone whose scope holds the street.
    pub async fn filed_sheet(&self, who: &Principal, id: i64) -> Result<FiledSheet> {
        who.require(Action::ViewLedger)?;
        let filing = self.store().get_dispatch_filing(id).await?;
        let sees = self
            .streets_of_scope(who)
            .await?
            .is_some_and(|s| s.iter().any(|r| r.id == filing.street_id));
        if !sees {
            return Err(outside("调度表报送记录", "filing", id));
        }
        let mut sheet: DispatchStreet = serde_json::from_str(&filing.sheet)
            .map_err(|e| anju_store::StoreError::Corrupt(format!("报送的调度表无法读取：{e}")))?;
        // An account bounded to a community reads its own community's rows only.
        if who.region_level == Some(RegionLevel::Community) {
            let mine = who.region_name.clone();
            sheet.rows.retain(|r| r.community == mine);
        }
        Ok(FiledSheet {
            standing: Standing::of(filing.due_on, Some(filing.filed_on), self.today()),
            // The JSON is not repeated beside the sheet it holds.
            filing: DispatchFiling {
                sheet: String::new(),
                ..filing
            },
            sheet,
        })
    }
}
