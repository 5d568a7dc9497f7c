//! 镇街吹哨、部门报到 (seed 003 二（二）、四) as use cases: a district's departments and their
//! duty categories, referrals made by a street or community (吹哨), taken by the department (报到,
//! 办结 with a result and evidence), confirmed or sent back by the referrer, and each department's
//! figures.
//!
//! Who sees what, as conditions of the store's queries: a department's officer the referrals
//! made to its department (within its district); everyone else the referrals of the compounds in
//! their scope. Who does what: the department side (报到, 办结) is the department's officer (or
//! the administrator); the referrer side (确认, 退回) is whoever may refer and sees the compound.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::RegionLevel;
use anju_core::access::{Action, Role};
use anju_core::ids::{CompoundId, DepartmentId, ReferralId};
use anju_core::referral::{
    DEADLINE_DAYS, DEFAULT_DEADLINE_DAYS, DepartmentFigures, ReferralSource, ReferralStep,
    SEED_003_DEPARTMENTS, Side, figures,
};
use anju_store::{
    Department, NewDepartment, NewReferral, Referral, ReferralFilter, ReferralStepRecord, Scope,
    StepDetail,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A department to add or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DepartmentInput {
    /// The district (区) it belongs to; ignored when a department is changed.
    pub district_id: i64,
    pub name: String,
    /// 职责类别, e.g. ["消防通道", "消防安全"].
    #[serde(default)]
    pub duties: Vec<String>,
    /// Takes referrals (false: 停用).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A referral to make (吹哨).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    #[schema(value_type = i64)]
    pub department_id: DepartmentId,
    /// What it was made from (complaint, order, finding, other).
    pub source: ReferralSource,
    /// The complaint's or order's id.
    #[serde(default)]
    pub source_id: Option<i64>,
    /// 职责类别 (the pages offer the departments' duties; another may be typed).
    pub category: String,
    pub text: String,
    #[schema(value_type = String, format = Date)]
    pub referred_on: Date,
    /// 办理时限 in working days (1–60, default 5).
    #[serde(default)]
    pub working_days: Option<u32>,
}

/// A step of a referral after it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralStepInput {
    pub step: ReferralStep,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// 办结: the result (required); 退回: the reason (required); otherwise a note.
    #[serde(default)]
    pub note: Option<String>,
    /// 办结: files uploaded before (SHA-256).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The version read.
    pub version: i64,
}

/// A referral with its steps and the files of its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralDetail {
    pub referral: Referral,
    pub steps: Vec<ReferralStepRecord>,
    pub evidence: Vec<String>,
    /// Which steps the reader may take now.
    pub may: Vec<ReferralStep>,
}

/// What the 工作台 shows of the referrals (see [`App::referral_watch`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralWatch {
    /// The reader is a department's officer (its open referrals are listed).
    pub department: bool,
    /// The referrals listed: a department's open ones, or the overdue ones in scope.
    pub open: Vec<Referral>,
    /// How many open referrals in scope are overdue.
    pub overdue: usize,
}

/// One department's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DepartmentRow {
    pub department: Department,
    pub figures: DepartmentFigures,
}

impl App {
    /// The region whose districts' departments a principal reads: its own region (a street's,
    /// a community's or a department's district lies above or at it), or every district.
    fn department_region(who: &Principal) -> Option<i64> {
        match who.scope() {
            Scope::Region(r) => Some(r),
            _ => None,
        }
    }

    /// The departments the principal may see: those of its district (a street's or a
    /// community's district, a department's own), or every district's for a city-wide reader.
    pub async fn departments(&self, who: &Principal) -> Result<Vec<Department>> {
        who.require(Action::ViewLedger)?;
        if who.scope() == Scope::Nothing || matches!(who.role, Role::Company | Role::OwnersBody) {
            return Ok(Vec::new());
        }
        Ok(self
            .store()
            .list_departments(Self::department_region(who), false)
            .await?)
    }

    /// A department, refused unless it is one the principal may see.
    pub async fn department(&self, who: &Principal, id: DepartmentId) -> Result<Department> {
        let d = self.store().get_department(id.get()).await?;
        self.require_district(who, d.district_id)
            .await
            .map_err(|_| outside("职能部门", "department", id))?;
        Ok(d)
    }

    /// Refused unless the district lies in the principal's scope (or is its street's district).
    async fn require_district(&self, who: &Principal, district_id: i64) -> Result<()> {
        match who.scope() {
            Scope::All => Ok(()),
            Scope::Region(r) => {
                let up = self.store().region_ancestors(r).await?;
                let down = self.store().region_within(district_id, r).await?;
                if up.contains(&district_id) || down {
                    Ok(())
                } else {
                    Err(AppError::forbidden(
                        "该区不在您的管辖范围内",
                        "that district is outside your area",
                    ))
                }
            }
            _ => Err(AppError::forbidden(
                "该区不在您的管辖范围内",
                "that district is outside your area",
            )),
        }
    }

    /// The district officials may set departments up for: one within their scope.
    pub(crate) async fn require_own_district(
        &self,
        who: &Principal,
        district_id: i64,
    ) -> Result<()> {
        who.require(Action::ManageDepartments)?;
        let region = self.store().get_region(district_id).await?;
        if region.level != RegionLevel::District {
            return Err(AppError::field(
                "district_id",
                "所属区",
                "须选择一个区（县）",
                "choose a district",
            ));
        }
        match who.scope() {
            Scope::All => Ok(()),
            Scope::Region(r) if self.store().region_within(district_id, r).await? => Ok(()),
            _ => Err(AppError::forbidden(
                "该区不在您的管辖范围内",
                "that district is outside your area",
            )),
        }
    }

    fn checked_duties(duties: &[String]) -> Result<Vec<String>> {
        duties
            .iter()
            .filter(|d| !d.trim().is_empty())
            .map(|d| check::text(Field::new("duties", "职责类别"), d, 50, false))
            .collect()
    }

    /// Adds a department to a district.
    pub async fn add_department(&self, who: &Principal, d: DepartmentInput) -> Result<Department> {
        self.require_own_district(who, d.district_id).await?;
        let name = check::text(Field::new("name", "部门名称"), &d.name, NAME_MAX, false)?;
        let duties = Self::checked_duties(&d.duties)?;
        Ok(self
            .store()
            .add_department(
                &who.actor(),
                NewDepartment {
                    district_id: d.district_id,
                    name,
                    clause: None,
                    duties,
                },
            )
            .await?)
    }

    /// Changes a department's name, duties, or whether it takes referrals.
    pub async fn update_department(
        &self,
        who: &Principal,
        id: DepartmentId,
        version: i64,
        d: DepartmentInput,
    ) -> Result<Department> {
        let before = self.store().get_department(id.get()).await?;
        self.require_own_district(who, before.district_id).await?;
        let name = check::text(Field::new("name", "部门名称"), &d.name, NAME_MAX, false)?;
        let duties = Self::checked_duties(&d.duties)?;
        Ok(self
            .store()
            .update_department(&who.actor(), id.get(), version, &name, &duties, d.active)
            .await?)
    }

    /// Sets up a district's departments as seed 003 四 lists them, with their duty categories;
    /// those the district already has (by name) are left as they are. Returns the ones added.
    pub async fn seed_departments(
        &self,
        who: &Principal,
        district_id: i64,
    ) -> Result<Vec<Department>> {
        self.require_own_district(who, district_id).await?;
        let have: Vec<String> = self
            .store()
            .list_departments(Some(district_id), false)
            .await?
            .into_iter()
            .filter(|d| d.district_id == district_id)
            .map(|d| d.name)
            .collect();
        let mut added = Vec::new();
        for s in SEED_003_DEPARTMENTS {
            if have.iter().any(|h| h == s.name) {
                continue;
            }
            added.push(
                self.store()
                    .add_department(
                        &who.actor(),
                        NewDepartment {
                            district_id,
                            name: s.name.to_string(),
                            clause: Some(s.clause.to_string()),
                            duties: s.duties.iter().map(|d| (*d).to_string()).collect(),
                        },
                    )
                    .await?,
            );
        }
        Ok(added)
    }

    /// The active departments of a compound's district, in the district's order.
    pub async fn compound_departments(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<Vec<Department>> {
        let c = self.compound_in_scope(who, compound_id).await?;
        let above = self.store().region_ancestors(c.street_id).await?;
        Ok(self
            .store()
            .list_departments(Some(c.street_id), true)
            .await?
            .into_iter()
            .filter(|d| above.contains(&d.district_id))
            .collect())
    }

    /// The active departments of a compound's district whose duties include `category`, in
    /// the district's order (the first is the one to suggest).
    pub async fn suggest_departments(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        category: &str,
    ) -> Result<Vec<Department>> {
        let category = category.trim();
        Ok(self
            .compound_departments(who, compound_id)
            .await?
            .into_iter()
            .filter(|d| d.duties.iter().any(|x| x == category))
            .collect())
    }

    /// 吹哨: refers a matter about a compound to a department of its district.
    pub async fn refer(&self, who: &Principal, r: ReferralInput) -> Result<Referral> {
        who.require(Action::Refer)?;
        let compound = self.compound_in_scope(who, r.compound_id).await?;
        let referred_on = EventDate::Referral.check(r.referred_on, self.today())?;
        let category = check::text(Field::new("category", "职责类别"), &r.category, 50, false)?;
        let text = check::text(Field::new("text", "事项内容"), &r.text, NOTE_MAX, true)?;
        let days = r.working_days.unwrap_or(DEFAULT_DEADLINE_DAYS);
        check::within(
            Field::new("working_days", "办理时限（工作日）"),
            i64::from(days),
            i64::from(DEADLINE_DAYS.0),
            i64::from(DEADLINE_DAYS.1),
        )?;
        let dept = self.store().get_department(r.department_id.get()).await?;
        if !self
            .store()
            .region_ancestors(compound.street_id)
            .await?
            .contains(&dept.district_id)
        {
            return Err(AppError::field(
                "department_id",
                "职能部门",
                format!("“{}”不是小区所在区的部门", dept.name),
                "that department is not of the compound's district",
            ));
        }
        if !dept.active {
            return Err(AppError::field(
                "department_id",
                "职能部门",
                format!("“{}”已停用", dept.name),
                "that department is inactive",
            ));
        }
        let source_id = match (r.source, r.source_id) {
            (ReferralSource::Complaint, Some(id)) => {
                let c = self
                    .complaint_in_scope(who, anju_core::ids::ComplaintId(id))
                    .await?;
                Self::same_compound(c.compound_id, r.compound_id)?;
                Some(id)
            }
            (ReferralSource::Order, Some(id)) => {
                let o = self
                    .order_in_scope(who, anju_core::ids::OrderId(id))
                    .await?;
                Self::same_compound(o.compound_id, r.compound_id)?;
                Some(id)
            }
            (ReferralSource::Complaint | ReferralSource::Order, None) => {
                return Err(AppError::field(
                    "source_id",
                    "来源编号",
                    "从投诉或整改单吹哨须给出其编号",
                    "a referral from a complaint or an order names it",
                ));
            }
            // A finding or another source names no record Anju checks: nothing is linked.
            (ReferralSource::Finding | ReferralSource::Other, _) => None,
        };
        let made = self
            .store()
            .add_referral(
                &who.actor(),
                NewReferral {
                    compound_id: r.compound_id.get(),
                    department_id: dept.id,
                    source: r.source,
                    source_id,
                    category,
                    text,
                    referred_on,
                    working_days: days,
                },
            )
            .await?;
        let to = self.department_people(made.department_id).await;
        let n = anju_store::NewNotice {
            kind: "referral".into(),
            title: format!("新的吹哨事项：{}（{}）", made.compound, made.category),
            body: format!(
                "{}。办理期限 {}（{} 个工作日），吹哨人 {}。",
                made.text.chars().take(80).collect::<String>(),
                made.deadline,
                made.working_days,
                made.referred_by
            ),
            link: Some(format!("/referrals/{}", made.id)),
            dedupe: None,
        };
        self.notify(&to, n).await;
        Ok(made)
    }

    fn same_compound(of_source: i64, compound: CompoundId) -> Result<()> {
        if of_source == compound.get() {
            Ok(())
        } else {
            Err(AppError::field(
                "source_id",
                "来源",
                "来源记录不属于该小区",
                "the source record is of another compound",
            ))
        }
    }

    /// The referrals the principal may see: a department's officer those made to its
    /// department; everyone else those of the compounds in scope (conditions of the query).
    pub async fn referrals(&self, who: &Principal, mut f: ReferralFilter) -> Result<Vec<Referral>> {
        who.require(Action::ViewLedger)?;
        // 吹哨报到 is the officials' channel: a company or an owners' body reads none of it.
        if matches!(who.role, Role::Company | Role::OwnersBody) {
            return Ok(Vec::new());
        }
        if who.role == Role::Department {
            let Some(d) = who.department_id else {
                return Ok(Vec::new());
            };
            f.department_id = Some(d);
        }
        f.scope = who.scope();
        Ok(self.store().list_referrals(&f).await?)
    }

    /// One referral, refused unless the principal may see it.
    pub async fn referral(&self, who: &Principal, id: ReferralId) -> Result<Referral> {
        who.require(Action::ViewLedger)?;
        let r = self.store().get_referral(id.get()).await?;
        let sees = match who.role {
            Role::Company | Role::OwnersBody => false,
            Role::Department => who.department_id == Some(r.department_id),
            _ => self.sees_compound(who, r.compound_id).await?,
        };
        if sees {
            Ok(r)
        } else {
            Err(outside("吹哨事项", "referral", id))
        }
    }

    /// The steps the principal may take on a referral now.
    fn may_take(who: &Principal, r: &Referral) -> Vec<ReferralStep> {
        ReferralStep::ALL
            .iter()
            .copied()
            .filter(|s| anju_core::referral::next(r.status, *s).is_ok())
            .filter(|s| match s.side() {
                Side::Department => {
                    who.role == Role::Admin
                        || (who.role == Role::Department
                            && who.department_id == Some(r.department_id))
                }
                Side::Referrer => {
                    anju_core::access::can(who.role, Action::Refer) && who.role != Role::Department
                }
            })
            .collect()
    }

    /// A referral with its steps, its result's files and the steps the reader may take.
    pub async fn referral_detail(&self, who: &Principal, id: ReferralId) -> Result<ReferralDetail> {
        let referral = self.referral(who, id).await?;
        let steps = self.store().referral_steps(id.get()).await?;
        let evidence = self.store().referral_evidence(id.get()).await?;
        let may = Self::may_take(who, &referral);
        Ok(ReferralDetail {
            referral,
            steps,
            evidence,
            may,
        })
    }

    /// A step of a referral: 报到 and 办结 by its department, 确认 and 退回 by the referring side.
    /// Dates are events (not after today, not before the previous step).
    pub async fn referral_step(
        &self,
        who: &Principal,
        id: ReferralId,
        s: ReferralStepInput,
    ) -> Result<Referral> {
        let r = self.referral(who, id).await?;
        match s.step.side() {
            Side::Department => {
                who.require(Action::RespondReferrals)?;
                if who.role != Role::Admin && who.department_id != Some(r.department_id) {
                    return Err(outside("吹哨事项", "referral", id));
                }
            }
            Side::Referrer => who.require(Action::Refer)?,
        }
        let on = EventDate::ReferralStep.check(s.on, self.today())?;
        let note = match s.step {
            ReferralStep::Resolve => Some(check::text(
                Field::new("note", "办理结果"),
                s.note.as_deref().unwrap_or(""),
                NOTE_MAX,
                true,
            )?),
            ReferralStep::Return => Some(check::text(
                Field::new("note", "退回理由"),
                s.note.as_deref().unwrap_or(""),
                NOTE_MAX,
                true,
            )?),
            _ => check::opt_text(
                Field::new("note", "备注"),
                s.note.as_deref(),
                NOTE_MAX,
                true,
            )?,
        };
        if !s.evidence.is_empty() {
            if s.step != ReferralStep::Resolve {
                return Err(AppError::field(
                    "evidence",
                    "证明材料",
                    "只有办结时附证明材料",
                    "evidence goes with the resolution",
                ));
            }
            self.require_kept_evidence(&s.evidence).await?;
        }
        let version = s.version;
        let after = self
            .store()
            .referral_step(
                &who.actor(),
                id.get(),
                version,
                StepDetail {
                    step: s.step,
                    on,
                    note,
                    evidence: s.evidence,
                },
            )
            .await?;
        // The other side hears of it: the referrer of 报到 and 办结, the department of 退回
        // and 确认.
        let to = match s.step.side() {
            Side::Department => match self.store().find_user(&after.referred_by).await {
                Ok(Some(u)) if u.active => vec![u],
                _ => Vec::new(),
            },
            Side::Referrer => self.department_people(after.department_id).await,
        };
        let title = match s.step {
            ReferralStep::Acknowledge => format!("{}已报到：{}", after.department, after.compound),
            ReferralStep::Resolve => {
                format!("{}已办结，请确认：{}", after.department, after.compound)
            }
            ReferralStep::Return => format!("吹哨事项被退回重办：{}", after.compound),
            ReferralStep::Confirm => format!("吹哨事项已确认办结：{}", after.compound),
        };
        let n = anju_store::NewNotice {
            kind: format!("referral_{}", s.step.code()),
            title,
            body: format!(
                "{}（{}）{}",
                after.category,
                after.status.label(anju_core::Lang::Zh),
                after
                    .result
                    .as_deref()
                    .filter(|_| s.step == ReferralStep::Resolve)
                    .map(|r| format!("：{r}"))
                    .or_else(|| after
                        .return_reason
                        .as_deref()
                        .filter(|_| s.step == ReferralStep::Return)
                        .map(|r| format!("：{r}")))
                    .unwrap_or_default()
            ),
            link: Some(format!("/referrals/{}", after.id)),
            dedupe: None,
        };
        self.notify(&to, n).await;
        Ok(after)
    }

    /// Each department's figures over the referrals made in `[from, to]` (either open), as of
    /// today, for the departments the principal may see (a department's officer: its own).
    pub async fn department_figures(
        &self,
        who: &Principal,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<DepartmentRow>> {
        let departments: Vec<Department> = self
            .departments(who)
            .await?
            .into_iter()
            .filter(|d| who.role != Role::Department || who.department_id == Some(d.id))
            .collect();
        let list = self
            .referrals(
                who,
                ReferralFilter {
                    referred_from: from,
                    referred_to: to,
                    ..ReferralFilter::default()
                },
            )
            .await?;
        let today = self.today();
        Ok(departments
            .into_iter()
            .map(|d| {
                let facts: Vec<_> = list
                    .iter()
                    .filter(|r| r.department_id == d.id)
                    .map(Referral::facts)
                    .collect();
                DepartmentRow {
                    figures: figures(&facts, today),
                    department: d,
                }
            })
            .collect())
    }

    /// The referrals the 工作台 shows the principal: a department's officer its department's
    /// open referrals; whoever refers or oversees the overdue ones in scope (督办); `None` for a
    /// reader who neither takes nor refers. Overdue first, then by deadline.
    pub async fn referral_watch(&self, who: &Principal) -> Result<Option<ReferralWatch>> {
        let department = who.role == Role::Department;
        if !department && !anju_core::access::can(who.role, Action::Refer) {
            return Ok(None);
        }
        let today = self.today();
        let mut open = self
            .referrals(
                who,
                ReferralFilter {
                    open_only: true,
                    ..ReferralFilter::default()
                },
            )
            .await?;
        let overdue = open.iter().filter(|r| r.overdue(today)).count();
        if !department {
            open.retain(|r| r.overdue(today));
        }
        open.sort_by_key(|r| (!r.overdue(today), r.deadline, r.id));
        Ok(Some(ReferralWatch {
            department,
            open,
            overdue,
        }))
    }

    /// The duty categories of the departments the principal may see, each once, in order.
    pub async fn referral_categories(&self, who: &Principal) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for d in self.departments(who).await? {
            if !d.active {
                continue;
            }
            for c in d.duties {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }
}
