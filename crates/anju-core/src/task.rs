//! 任务清单: a task per compound with a responsible person (责任人) and a deadline (完成时间), as
//! in seed 003 (山亭区) 附件3/附件4 ("责任人 郭振华, 完成时间 11月底 / 11月15日").

use serde::{Deserialize, Serialize};

/// Where a task stands. A task is never deleted: one that is no longer wanted is cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 进行中
    Open,
    /// 已完成
    Done,
    /// 已取消
    Cancelled,
}

impl TaskStatus {
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(s: &str) -> Option<TaskStatus> {
        [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled]
            .into_iter()
            .find(|t| t.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            TaskStatus::Open => "进行中",
            TaskStatus::Done => "已完成",
            TaskStatus::Cancelled => "已取消",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}

/// 逾期: open after its deadline. The deadline day itself is still on time ("11月15日前" is met
/// by work done on the 15th), so a task is overdue from the day after.
pub fn is_overdue(
    status: TaskStatus,
    deadline: jiff::civil::Date,
    as_of: jiff::civil::Date,
) -> bool {
    status == TaskStatus::Open && as_of > deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overdue_from_the_day_after_the_deadline() {
        let d = date(2020, 11, 15);
        for (status, as_of, overdue) in [
            (TaskStatus::Open, date(2020, 11, 14), false),
            (TaskStatus::Open, date(2020, 11, 15), false),
            (TaskStatus::Open, date(2020, 11, 16), true),
            (TaskStatus::Done, date(2020, 12, 1), false),
            (TaskStatus::Cancelled, date(2020, 12, 1), false),
        ] {
            assert_eq!(is_overdue(status, d, as_of), overdue, "{status:?} {as_of}");
        }
        assert_eq!(TaskStatus::from_code("done"), Some(TaskStatus::Done));
        assert_eq!(TaskStatus::from_code("x"), None);
    }
}
