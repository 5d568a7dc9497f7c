//! Tasks (任务): the street's work list for a compound, with a deadline and a person responsible.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::Result;
use crate::principal::{Principal, Scope, outside};
use anju_core::access::Action;
use anju_core::targets::{Progress, Target, TargetKind, daqintala_2022};
use anju_core::task::TaskStatus;
use anju_core::{CompoundId, TaskId};
use anju_store::{NewTask, Task, TaskFilter};
use jiff::civil::Date;

/// A task as a person enters it (and the API's body).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = NewTask)]
pub struct TaskInput {
    pub compound_id: CompoundId,
    pub title: String,
    pub detail: Option<String>,
    pub responsible: String,
    /// 完成时间（必填；是计划，可晚于今天）
    #[schema(required = true)]
    pub deadline: Option<Date>,
}

/// A street's dated target (目标) as a person sets it.
#[derive(Debug, Clone, Default)]
pub struct TargetInput {
    pub street: String,
    /// 目标类型 (required).
    pub kind: Option<TargetKind>,
    /// 目标比例, percent of the baseline (required, 1–100).
    pub share: Option<i64>,
    /// 目标期限 (required): a plan, so it may lie ahead; not before the baseline date.
    pub due: Option<Date>,
    /// 基数日期: [`BASELINE_DEFAULT`] when `None`.
    pub baseline_on: Option<Date>,
    /// 目标名称: the kind's name when blank.
    pub label: Option<String>,
}

/// The day a target's baseline is taken when none is given: seed 004's 2022-07-01.
pub const BASELINE_DEFAULT: Date = jiff::civil::date(2022, 7, 1);

/// The preset targets `anju targets --preset` knows.
pub const TARGET_PRESETS: &[&str] = &["daqintala-2022"];

/// A preset's targets for `street`, and the document they come from (Chinese, English); `None`
/// for an unknown preset.
pub fn preset_targets(
    preset: &str,
    street: &str,
) -> Option<(Vec<Target>, &'static str, &'static str)> {
    match preset.trim() {
        "daqintala-2022" => Some((
            daqintala_2022(street),
            "大沁他拉街道物业办2022年下半年工作计划",
            "Daqintala street office, plan for the second half of 2022",
        )),
        _ => None,
    }
}

impl App {
    /// The tasks of the compounds in the principal's scope (a condition of the query). Tasks are
    /// the officials' work: a company or an owners' body sees none.
    pub async fn tasks(&self, who: &Principal, mut f: TaskFilter) -> Result<Vec<Task>> {
        who.require(Action::ViewLedger)?;
        f.scope = match who.scope() {
            Scope::Company(_) | Scope::Compound(_) => Scope::Nothing,
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
        self.street_in_scope(who, &street).await?;
        let visible = who.scoped(anju_store::CompoundFilter {
            street: Some(street.clone()),
            include_archived: true,
            ..Default::default()
        });
        Ok(self
            .store()
            .target_progress(&street, as_of, &visible)
            .await?)
    }

    /// Sets a street's dated target; the street must lie within the principal's scope.
    pub async fn add_target(&self, who: &Principal, t: TargetInput) -> Result<Target> {
        who.require(Action::ManageTasks)?;
        let street = check::text(Field::new("street", "街道"), &t.street, NAME_MAX, false)?;
        self.street_in_scope(who, &street).await?;
        let kind = t
            .kind
            .ok_or_else(|| Field::new("kind", "目标类型").error("请选择", "required"))?;
        let share = t
            .share
            .ok_or_else(|| Field::new("share", "目标比例").error("请填写", "required"))?;
        let share = check::within(Field::new("share", "目标比例"), share, 1, 100)?;
        let due = t
            .due
            .ok_or_else(|| Field::new("due", "目标期限").error("请填写", "required"))?;
        let baseline_on = t.baseline_on.unwrap_or(BASELINE_DEFAULT);
        if due < baseline_on {
            return Err(Field::new("due", "目标期限").error(
                format!("{due} 早于基数日期 {baseline_on}"),
                format!("{due} is before the baseline date {baseline_on}"),
            ));
        }
        let label = check::opt_text(
            Field::new("label", "目标名称"),
            t.label.as_deref(),
            NAME_MAX,
            false,
        )?
        .unwrap_or_else(|| kind.zh().to_string());
        let target = Target {
            street,
            kind,
            share_percent: u32::try_from(share).unwrap_or(100),
            due,
            baseline_on,
            label,
        };
        self.store().add_target(&who.actor(), &target).await?;
        Ok(target)
    }

    /// Sets a preset's targets (seed 004's `daqintala-2022`) for a street within the scope.
    pub async fn add_preset_targets(
        &self,
        who: &Principal,
        street: &str,
        preset: &str,
    ) -> Result<Vec<Target>> {
        who.require(Action::ManageTasks)?;
        let street = check::text(Field::new("street", "街道"), street, NAME_MAX, false)?;
        self.street_in_scope(who, &street).await?;
        let Some((targets, _, _)) = preset_targets(preset, &street) else {
            let other = preset.trim();
            return Err(Field::new("preset", "预设目标").error(
                format!("未知预设“{other}”（可用：{}）", TARGET_PRESETS.join("、")),
                format!(
                    "unknown preset '{other}' (known: {})",
                    TARGET_PRESETS.join(", ")
                ),
            ));
        };
        for t in &targets {
            self.store().add_target(&who.actor(), t).await?;
        }
        Ok(targets)
    }

    /// The task, refused unless its compound lies in the principal's scope.
    pub async fn task_in_scope(&self, who: &Principal, id: TaskId) -> Result<Task> {
        let t = self.store().get_task(id.get()).await?;
        // Tasks are the officials' work: a company is refused before the compound is read.
        if matches!(who.scope(), Scope::Company(_) | Scope::Compound(_))
            || !self.sees_compound(who, t.compound_id).await?
        {
            return Err(outside("任务", "task", id));
        }
        Ok(t)
    }

    /// Adds a task to a compound in the principal's scope.
    pub async fn add_task(&self, who: &Principal, t: TaskInput) -> Result<Task> {
        who.require(Action::ManageTasks)?;
        self.compound_in_scope(who, t.compound_id).await?;
        let new = NewTask {
            compound_id: t.compound_id.get(),
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
        id: TaskId,
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
            .set_task_status(&who.actor(), id.get(), version, status, on)
            .await?)
    }
}

impl App {
    /// Adds tasks unless the same one (compound, title, deadline) is already there: a task
    /// list loaded twice adds nothing. Returns those added and how many were skipped.
    pub async fn add_tasks_once(
        &self,
        who: &Principal,
        tasks: &[anju_store::NewTask],
    ) -> Result<(Vec<Task>, usize)> {
        who.require(Action::ManageTasks)?;
        for t in tasks {
            self.compound_in_scope(who, CompoundId(t.compound_id))
                .await?;
        }
        Ok(self.store().add_tasks_once(&who.actor(), tasks).await?)
    }
}
