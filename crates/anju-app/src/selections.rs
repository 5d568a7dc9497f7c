//! Public selections (公开选聘, seed 004 三(二)): a street announces a selection, companies
//! register, are screened and shortlisted, the shortlist is recommended to a compound's owners'
//! body and the compound chooses (which records the 选定企业 step on its path).
//!
//! Who: reading needs `ViewLedger`, every step `ManageContracts`. Scope: a selection belongs to
//! a street; the principal reaches it when its scope holds a compound of that street (asked of
//! the database, [`App::street_in_scope`]), and a compound recommended or chosen must itself
//! lie within the scope. Dates: the announcement and every step are events (not after today);
//! the registration deadline is a plan.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope, outside};
use anju_core::access::Action;
use anju_core::{CompoundId, SelectionId};
use anju_store::Selection;
use jiff::civil::Date;

/// A selection as a street announces it (发布公告).
#[derive(Debug, Clone, Default)]
pub struct SelectionInput {
    pub street: String,
    /// 公告标题
    pub title: String,
    /// 公告日期: today when `None`; not after today.
    pub announced_on: Option<Date>,
    /// 报名截止日期 (required, inclusive): a plan, so it may lie ahead.
    pub deadline: Option<Date>,
}

/// One step of a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionStep {
    /// 企业报名
    Register { company_id: i64 },
    /// 资格审查: the companies found qualified (the others are not).
    Screen {
        qualified: Vec<i64>,
        note: Option<String>,
    },
    /// 确定入围企业 (1–3 of the qualified)
    Shortlist { companies: Vec<i64> },
    /// 向小区业主组织推荐
    Recommend { compound_id: i64 },
    /// 小区选定企业
    Choose { compound_id: i64, company_id: i64 },
}

/// A step with the version of the selection it was made from and its date.
#[derive(Debug, Clone)]
pub struct SelectionStepInput {
    pub version: i64,
    /// 办理日期: today when `None`; not after today.
    pub on: Option<Date>,
    pub step: SelectionStep,
}

impl App {
    /// Refused unless the principal's scope holds a compound of `street` (archived ones too),
    /// asked of the database. An owners' body's one compound never makes a street its own: the
    /// street's records (selections, targets, management areas) are the officials'.
    pub async fn street_in_scope(&self, who: &Principal, street: &str) -> Result<()> {
        if who.scope() == Scope::All {
            return Ok(());
        }
        if matches!(who.scope(), Scope::Compound(_)) {
            return Err(AppError::forbidden(
                format!("“{street}”不在您的管辖范围内"),
                format!("'{street}' is outside your area"),
            ));
        }
        let mine = who.scoped(anju_store::CompoundFilter {
            street: Some(street.to_string()),
            include_archived: true,
            ..anju_store::CompoundFilter::default()
        });
        if self.store().count_compounds(&mine).await? == 0 {
            return Err(AppError::forbidden(
                format!("“{street}”不在您的管辖范围内"),
                format!("'{street}' is outside your area"),
            ));
        }
        Ok(())
    }

    /// The selections of the streets within the principal's scope (a condition of the query).
    pub async fn selections(&self, who: &Principal) -> Result<Vec<Selection>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store().list_selections_in(who.scope()).await?)
    }

    /// One selection, refused unless its street lies within the principal's scope.
    pub async fn selection(&self, who: &Principal, id: SelectionId) -> Result<Selection> {
        who.require(Action::ViewLedger)?;
        let s = self.store().get_selection(id.get()).await?;
        match self.street_in_scope(who, &s.street).await {
            Ok(()) => Ok(s),
            // The refusal gives the number only: it never names another street.
            Err(AppError::Forbidden { .. }) => Err(outside("选聘", "selection", id)),
            Err(e) => Err(e),
        }
    }

    /// Announces a selection for a street within the principal's scope.
    pub async fn open_selection(&self, who: &Principal, s: SelectionInput) -> Result<Selection> {
        who.require(Action::ManageContracts)?;
        let street = check::text(Field::new("street", "街道"), &s.street, NAME_MAX, false)?;
        self.street_in_scope(who, &street).await?;
        let title = check::text(Field::new("title", "公告标题"), &s.title, NAME_MAX, false)?;
        let on = match s.announced_on {
            Some(d) => EventDate::Announcement.check(d, self.today())?,
            None => self.today(),
        };
        let deadline = s
            .deadline
            .ok_or_else(|| Field::new("deadline", "报名截止日期").error("请填写", "required"))?;
        if deadline < on {
            return Err(Field::new("deadline", "报名截止日期").error(
                format!("{deadline} 早于公告日期 {on}"),
                format!("{deadline} is before the announcement ({on})"),
            ));
        }
        Ok(self
            .store()
            .open_selection(&who.actor(), &street, &title, on, deadline)
            .await?)
    }

    /// Refused when the company's credit file bars it from registering on `on` (淘汰、退出机制,
    /// seed 003 三（二）): a bad-conduct record on the public list, or a grade below the scheme's
    /// bar (`anju_core::credit::selection_bar`). The refusal names the company and the reason.
    pub async fn require_unbarred(&self, company_id: i64, on: Date) -> Result<()> {
        let company = self.store().get_company(company_id).await?;
        let file: Vec<_> = self
            .store()
            .company_records(company_id)
            .await?
            .into_iter()
            .map(|r| r.record)
            .collect();
        match anju_core::credit::selection_bar(&file, &self.config().credit_scheme, on) {
            None => Ok(()),
            Some(bar) => Err(Field::new("company", "报名企业").error(
                format!("“{}”不能报名：{}", company.name, bar.zh),
                format!("'{}' may not register: {}", company.name, bar.en),
            )),
        }
    }

    /// Records one step of a selection within the principal's scope; a compound recommended
    /// or chosen must lie within it too.
    pub async fn selection_step(
        &self,
        who: &Principal,
        id: SelectionId,
        input: SelectionStepInput,
    ) -> Result<Selection> {
        who.require(Action::ManageContracts)?;
        self.selection(who, id).await?;
        let on = match input.on {
            Some(d) => EventDate::SelectionStep.check(d, self.today())?,
            None => self.today(),
        };
        let (store, actor, v) = (self.store(), who.actor(), input.version);
        Ok(match input.step {
            SelectionStep::Register { company_id } => {
                self.require_unbarred(company_id, on).await?;
                store
                    .register_for_selection(&actor, id.get(), v, company_id, on)
                    .await?
            }
            SelectionStep::Screen { qualified, note } => {
                let note = check::opt_text(
                    Field::new("note", "审查意见"),
                    note.as_deref(),
                    NOTE_MAX,
                    true,
                )?;
                store
                    .screen_selection(&actor, id.get(), v, on, &qualified, note.as_deref())
                    .await?
            }
            SelectionStep::Shortlist { companies } => {
                if companies.is_empty() {
                    return Err(Field::new("companies", "入围企业").error("请选择", "required"));
                }
                store
                    .shortlist_selection(&actor, id.get(), v, on, &companies)
                    .await?
            }
            SelectionStep::Recommend { compound_id } => {
                self.compound_in_scope(who, CompoundId(compound_id)).await?;
                store
                    .recommend_selection(&actor, id.get(), v, compound_id, on)
                    .await?
            }
            SelectionStep::Choose {
                compound_id,
                company_id,
            } => {
                self.compound_in_scope(who, CompoundId(compound_id)).await?;
                store
                    .choose_in_selection(&actor, id.get(), v, compound_id, company_id, on)
                    .await?
            }
        })
    }
}
