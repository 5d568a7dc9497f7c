//! 任务一览表 (seed 003 附件3 and 附件4).
//!
//! Both annexes print the same seven columns — 序号 · 镇（街） · 社区名称 · (the compounds) ·
//! (the task) · 责任人 · 完成时间 — and differ in two headings and in which compounds they list:
//! 附件3 "实施物业企业管理的住宅小区" / 提升任务, 附件4 "未实施物业管理的住宅小区" / 工作任务.
//! So one builder, two names (`tasks-3`, `tasks-4`).
//!
//! Which list a task belongs to: the compound's management mode today — served by a company
//! (专业化物业, 国有托管, 纳入临近物业区域) → 附件3, otherwise → 附件4. Cancelled tasks are left
//! out; open and done ones are listed (the list is what was assigned).
//!
//! One row per community and task (the compounds sharing the same task, responsible person and
//! deadline joined with 、 as the seed does: "梅花园、龙珠百合"), the community followed by its
//! count ("梅园社区（2）"), the street by its count over the rows ("山城街道（20个）"). 序号 counts
//! streets, as the seed numbers its one street 1. 序号 and 镇（街） are merged over the street's
//! rows; the task, 责任人 and 完成时间 are merged over consecutive rows of a street that share
//! them (the seed's single merged block). 完成时间 is a date shown as 2020年11月30日 (the seed
//! writes "11月底"; the stored deadline is the exact day).

use crate::{ReportError, Result, Scope, compounds_in};
use anju_core::ModeGroup;
use anju_core::task::TaskStatus;
use anju_sheets::{BodyMerge, ReportCell, ReportSheet};
use anju_store::{Store, TaskFilter};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskList {
    /// 附件3: 实施物业企业管理的住宅小区提升任务一览表
    Annex3,
    /// 附件4: 实施住宅小区物业管理全覆盖任务一览表
    Annex4,
}

impl TaskList {
    pub fn from_name(name: &str) -> Option<TaskList> {
        match name {
            "tasks-3" => Some(TaskList::Annex3),
            "tasks-4" => Some(TaskList::Annex4),
            _ => None,
        }
    }

    pub fn title(self, district: Option<&str>) -> String {
        let d = district.unwrap_or("");
        match self {
            TaskList::Annex3 => format!("{d}实施物业企业管理的住宅小区提升任务一览表"),
            TaskList::Annex4 => format!("{d}实施住宅小区物业管理全覆盖任务一览表"),
        }
    }

    pub fn headings(self) -> [&'static str; 7] {
        match self {
            TaskList::Annex3 => [
                "序号",
                "镇（街）",
                "社区名称",
                "实施物业企业管理的住宅小区",
                "提升任务",
                "责任人",
                "完成时间",
            ],
            TaskList::Annex4 => [
                "序号",
                "镇（街）",
                "社区名称",
                "未实施物业管理的住宅小区",
                "工作任务",
                "责任人",
                "完成时间",
            ],
        }
    }

    fn wants(self, group: ModeGroup) -> bool {
        match self {
            TaskList::Annex3 => group == ModeGroup::Company,
            TaskList::Annex4 => group != ModeGroup::Company,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    /// 序号: the street's number.
    pub no: u32,
    pub street: String,
    /// Compounds of the street in this list.
    pub street_count: usize,
    pub community: String,
    pub compounds: Vec<String>,
    pub task: String,
    pub responsible: String,
    pub deadline: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TasksReport {
    pub list: TaskList,
    pub title: String,
    pub rows: Vec<TaskRow>,
    pub tasks: usize,
}

/// The task text as the seed prints it: the detail without the "（完成时间：…）" the preset adds
/// (the deadline has its own column), else the title.
fn task_text(title: &str, detail: Option<&str>) -> String {
    match detail.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => match d.rfind("（完成时间：") {
            Some(i) if d.ends_with('）') && i > 0 => d[..i].to_string(),
            _ => d.to_string(),
        },
        None => title.to_string(),
    }
}

pub async fn build_tasks(store: &Store, scope: &Scope, list: TaskList) -> Result<TasksReport> {
    let compounds = compounds_in(store, scope).await?;
    let in_scope: HashMap<i64, (ModeGroup, Option<String>)> = compounds
        .iter()
        .map(|c| (c.id, (c.compound.mode.group(), c.compound.district.clone())))
        .collect();
    let tasks = store
        .list_tasks(&TaskFilter {
            street: scope.street.clone(),
            ..TaskFilter::default()
        })
        .await?;
    let mut picked: Vec<_> = tasks
        .into_iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .filter(|t| {
            in_scope
                .get(&t.compound_id)
                .is_some_and(|(g, _)| list.wants(*g))
        })
        .collect();
    picked.sort_by_key(|t| t.id);
    let n_tasks = picked.len();
    // Streets in order of first appearance, then communities, then task blocks.
    let mut rows: Vec<TaskRow> = Vec::new();
    let mut street_order: Vec<String> = Vec::new();
    for t in &picked {
        if !street_order.contains(&t.street) {
            street_order.push(t.street.clone());
        }
    }
    for (si, street) in street_order.iter().enumerate() {
        let of_street: Vec<_> = picked.iter().filter(|t| &t.street == street).collect();
        let first = rows.len();
        for t in &of_street {
            let community = t
                .community
                .clone()
                .unwrap_or_else(|| anju_core::stats::NO_COMMUNITY.to_string());
            let text = task_text(&t.title, t.detail.as_deref());
            match rows[first..].iter_mut().find(|r| {
                r.community == community
                    && r.task == text
                    && r.responsible == t.responsible
                    && r.deadline == t.deadline
            }) {
                Some(r) => {
                    if !r.compounds.contains(&t.compound) {
                        r.compounds.push(t.compound.clone());
                    }
                }
                None => rows.push(TaskRow {
                    no: u32::try_from(si + 1).unwrap_or(u32::MAX),
                    street: street.clone(),
                    street_count: 0,
                    community,
                    compounds: vec![t.compound.clone()],
                    task: text,
                    responsible: t.responsible.clone(),
                    deadline: t.deadline,
                }),
            }
        }
        let count: usize = rows[first..].iter().map(|r| r.compounds.len()).sum();
        for r in &mut rows[first..] {
            r.street_count = count;
        }
    }
    if rows.is_empty() && scope.street.is_some() {
        return Err(ReportError::invalid(
            format!(
                "“{}”没有{}的任务（请先添加任务）",
                scope.label(),
                list.headings()[3]
            ),
            format!(
                "'{}' has no tasks for this list (add the tasks first)",
                scope.label()
            ),
        ));
    }
    let district = compounds
        .first()
        .and_then(|c| c.compound.district.clone())
        .filter(|_| {
            compounds
                .iter()
                .all(|c| c.compound.district == compounds[0].compound.district)
        });
    Ok(TasksReport {
        list,
        title: list.title(district.as_deref()),
        rows,
        tasks: n_tasks,
    })
}

impl TasksReport {
    pub fn sheets(&self) -> Vec<ReportSheet> {
        let mut merges = Vec::new();
        let n = self.rows.len();
        let mut i = 0;
        while i < n {
            // A street's block.
            let mut j = i;
            while j + 1 < n && self.rows[j + 1].street == self.rows[i].street {
                j += 1;
            }
            for col in [0u16, 1] {
                merges.push(BodyMerge {
                    first_row: u32::try_from(i).unwrap_or(0),
                    last_row: u32::try_from(j).unwrap_or(0),
                    col,
                });
            }
            // Runs sharing task, responsible and deadline within the street.
            let mut k = i;
            while k <= j {
                let mut m = k;
                while m < j
                    && self.rows[m + 1].task == self.rows[k].task
                    && self.rows[m + 1].responsible == self.rows[k].responsible
                    && self.rows[m + 1].deadline == self.rows[k].deadline
                {
                    m += 1;
                }
                for col in [4u16, 5, 6] {
                    merges.push(BodyMerge {
                        first_row: u32::try_from(k).unwrap_or(0),
                        last_row: u32::try_from(m).unwrap_or(0),
                        col,
                    });
                }
                k = m + 1;
            }
            i = j + 1;
        }
        vec![ReportSheet {
            name: match self.list {
                TaskList::Annex3 => "附件3".to_string(),
                TaskList::Annex4 => "附件4".to_string(),
            },
            title: self.title.clone(),
            subtitle: None,
            groups: vec![],
            headings: self.list.headings().iter().map(|h| h.to_string()).collect(),
            widths: vec![6, 14, 16, 40, 50, 10, 14],
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        ReportCell::int(r.no),
                        ReportCell::text(format!("{}\n（{}个）", r.street, r.street_count)),
                        ReportCell::text(format!("{}（{}）", r.community, r.compounds.len())),
                        ReportCell::text(r.compounds.join("、")),
                        ReportCell::text(&r.task),
                        ReportCell::text(&r.responsible),
                        ReportCell::DateZh(r.deadline),
                    ]
                })
                .collect(),
            bold_rows: vec![],
            merges,
            notes: vec![],
            landscape: true,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_text_drops_the_preset_deadline_suffix() {
        assert_eq!(
            task_text("t", Some("集中开展攻坚行动。（完成时间：11月底）")),
            "集中开展攻坚行动。"
        );
        assert_eq!(task_text("标题", None), "标题");
        assert_eq!(task_text("标题", Some("  ")), "标题");
        assert_eq!(task_text("t", Some("无后缀")), "无后缀");
    }
}
