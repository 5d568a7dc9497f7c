//! Tasks (任务): the street's work list for a compound, with a deadline and a person responsible.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::Result;
use crate::principal::{Principal, Scope, outside};
use anju_core::access::Action;
use anju_core::targets::Progress;
use anju_core::task::TaskStatus;
use anju_store::{CompoundFilter, NewTask, Task, TaskFilter};
use jiff::civil::Date;

/// A task as a person enters it.
#[derive(Debug, Clone)]
pub struct TaskInput {
    pub compound_id: i64,
    pub title: String,
    pub detail: Option<String>,
    pub responsible: String,
    /// 完成时间 (required): a plan, so it may lie after today.
    pub deadline: Option<Date>,
}

impl App {
    /// The tasks of the compounds in the principal's scope (a condition of the query). Tasks are
    /// the officials' work: a company sees none.
    pub async fn tasks(&self, who: &Principal, mut f: TaskFilter) -> Result<Vec<Task>> {
        who.require(Action::ViewLedger)?;
        f.scope = match who.scope() {
            Scope::Company(_) => Scope::Nothing,
            s => s,
        };
        Ok(self.store().list_tasks(&f).await?)
    }

    /// A street's dated targets (目标) and how far it has come on `as_of`. A street outside the
    /// principal's scope is refused (asked of the database: does the scope hold a compound of
    /// that street).
    pub async fn target_progress(
        &self,
        who: &Principal,
        street: &str,
        as_of: Date,
    ) -> Result<Vec<Progress>> {
        who.require(Action::ViewLedger)?;
        let street = check::text(Field::new("street", "街道"), street, NAME_MAX, false)?;
        if who.scope() != Scope::All {
            let mine = who.scoped(CompoundFilter {
                street: Some(street.clone()),
                include_archived: true,
                ..CompoundFilter::default()
            });
            if self.store().count_compounds(&mine).await? == 0 {
                return Err(crate::error::AppError::forbidden(
                    format!("“{street}”不在您的管辖范围内"),
                    format!("'{street}' is outside your area"),
                ));
            }
        }
        Ok(self.store().target_progress(&street, as_of).await?)
    }

    /// The task, refused unless its compound lies in the principal's scope.
    pub async fn task_in_scope(&self, who: &Principal, id: i64) -> Result<Task> {
        let t = self.store().get_task(id).await?;
        let c = self.store().get_compound(t.compound_id).await?;
        if matches!(who.scope(), Scope::Company(_)) || !who.can_see(self.store(), &c).await? {
            return Err(outside("任务", "task", id));
        }
        Ok(t)
    }

    /// Adds a task to a compound in the principal's scope.
    pub async fn add_task(&self, who: &Principal, t: TaskInput) -> Result<Task> {
        who.require(Action::ManageTasks)?;
        self.compound_in_scope(who, t.compound_id).await?;
        let new = NewTask {
            compound_id: t.compound_id,
            title: check::text(Field::new("title", "任务名称"), &t.title, NAME_MAX, false)?,
            detail: check::opt_text(
                Field::new("detail", "任务说明"),
                t.detail.as_deref(),
                NOTE_MAX,
                true,
            )?,
            responsible: check::text(
                Field::new("responsible", "责任人"),
                &t.responsible,
                NAME_MAX,
                false,
            )?,
            deadline: t
                .deadline
                .ok_or_else(|| Field::new("deadline", "完成时间").error("请填写", "required"))?,
        };
        Ok(self.store().add_task(&who.actor(), new).await?)
    }

    /// Marks a task done on `on` (a date that has passed), cancelled, or open again.
    pub async fn set_task_status(
        &self,
        who: &Principal,
        id: i64,
        version: i64,
        status: TaskStatus,
        on: Option<Date>,
    ) -> Result<Task> {
        who.require(Action::ManageTasks)?;
        self.task_in_scope(who, id).await?;
        let on = match (status, on) {
            (TaskStatus::Done, Some(d)) => Some(EventDate::TaskDone.check(d, self.today())?),
            (TaskStatus::Done, None) => Some(self.today()),
            _ => None,
        };
        Ok(self
            .store()
            .set_task_status(&who.actor(), id, version, status, on)
            .await?)
    }
}
