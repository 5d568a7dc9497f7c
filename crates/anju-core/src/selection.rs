//! 公开遴选 (seed 004 三(二)): "由住建部门和大沁他拉街道一起发布公告，面向社会统一遴选物业服务企业1-3家，
//! 公告发布后物业服务企业在规定的时间内报名，报名结束后通过筛选，将资质合格、条件成熟的物业服务企业优先
//! 推荐给业主委员会或物业管理委员会与物业公司签订合同".
//!
//! Announced (报名中) → Screened (资格审查完成) → Shortlisted (入围 1–3 家) → recommended to each
//! compound's owners' body → one company chosen per compound (一个物业服务项目对应一家企业, seed 001).
//!
//! - Registration is open from the announcement day through the deadline day inclusive
//!   ("在规定的时间内"; a deadline date is the last day it is open).
//! - Screening happens once registration has ended: on a day after the deadline.
//! - The shortlist holds 1 to 3 qualified companies.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Shortlist bounds: "统一遴选物业服务企业1-3家".
pub const SHORTLIST_MIN: usize = 1;
pub const SHORTLIST_MAX: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionStage {
    /// 公告发布，报名中
    Announced,
    /// 资格审查完成
    Screened,
    /// 已确定入围企业（可推荐、可选定）
    Shortlisted,
}

impl SelectionStage {
    pub const ALL: [SelectionStage; 3] = [
        SelectionStage::Announced,
        SelectionStage::Screened,
        SelectionStage::Shortlisted,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SelectionStage::Announced => "announced",
            SelectionStage::Screened => "screened",
            SelectionStage::Shortlisted => "shortlisted",
        }
    }
    pub fn from_code(s: &str) -> Option<SelectionStage> {
        SelectionStage::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn zh(self) -> &'static str {
        match self {
            SelectionStage::Announced => "报名中",
            SelectionStage::Screened => "资格审查完成",
            SelectionStage::Shortlisted => "已确定入围企业",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            SelectionStage::Announced => "registration open",
            SelectionStage::Screened => "screened",
            SelectionStage::Shortlisted => "shortlisted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("报名截止日期 {deadline} 不能早于公告日期 {announced}")]
    DeadlineBeforeAnnouncement { announced: Date, deadline: Date },
    #[error("报名日期 {on} 不在报名期内（{announced} 至 {deadline}，含截止当日）")]
    OutsideRegistration {
        on: Date,
        announced: Date,
        deadline: Date,
    },
    #[error("遴选当前为“{}”，不能{}", .stage.zh(), .what)]
    WrongStage {
        stage: SelectionStage,
        what: &'static str,
    },
    #[error("报名截止日 {deadline} 之后才能进行资格审查（审查日期 {on}）")]
    ScreenBeforeDeadline { on: Date, deadline: Date },
    #[error("入围企业须为 1 至 3 家，现为 {0} 家")]
    ShortlistSize(usize),
    #[error("企业（编号 {0}）未通过资格审查或未报名，不能入围")]
    NotQualified(i64),
    #[error("企业（编号 {0}）不在入围名单中")]
    NotShortlisted(i64),
    #[error("尚未向该小区的业主组织推荐入围企业，不能选定")]
    NotRecommended,
    #[error("该小区已在本次遴选中选定企业（编号 {0}）：一个物业服务项目对应一家物业服务企业")]
    AlreadyChosen(i64),
    #[error("企业（编号 {0}）已报名，不能重复报名")]
    AlreadyRegistered(i64),
}

impl SelectionError {
    /// The reason in English (the `Display` text is Chinese).
    pub fn en(&self) -> String {
        match self {
            SelectionError::DeadlineBeforeAnnouncement {
                announced,
                deadline,
            } => format!("the deadline {deadline} is before the announcement {announced}"),
            SelectionError::OutsideRegistration {
                on,
                announced,
                deadline,
            } => format!(
                "{on} is outside the registration period ({announced} to {deadline}, inclusive)"
            ),
            SelectionError::WrongStage { stage, what } => {
                let what = match *what {
                    "报名" => "register",
                    "资格审查" => "screen",
                    "确定入围企业" => "shortlist",
                    "选定企业" => "choose a company",
                    "推荐入围企业" => "recommend the shortlist",
                    other => other,
                };
                format!("the selection is at '{}': cannot {what}", stage.en())
            }
            SelectionError::ScreenBeforeDeadline { on, deadline } => format!(
                "screening ({on}) can only happen after the registration deadline {deadline}"
            ),
            SelectionError::ShortlistSize(n) => {
                format!("a shortlist has 1 to 3 companies, not {n}")
            }
            SelectionError::NotQualified(id) => {
                format!("company {id} did not register or pass screening and cannot be shortlisted")
            }
            SelectionError::NotShortlisted(id) => format!("company {id} is not on the shortlist"),
            SelectionError::NotRecommended => {
                "the shortlist has not been recommended to this compound's owners' body yet".into()
            }
            SelectionError::AlreadyChosen(id) => format!(
                "this compound already chose company {id} in this selection: one service project, one company"
            ),
            SelectionError::AlreadyRegistered(id) => {
                format!("company {id} has already registered")
            }
        }
    }
}

/// The registration window, inclusive of both ends.
pub fn registration_open(announced: Date, deadline: Date, on: Date) -> bool {
    announced <= on && on <= deadline
}

/// Checks a new selection's dates.
pub fn check_dates(announced: Date, deadline: Date) -> Result<(), SelectionError> {
    if deadline < announced {
        return Err(SelectionError::DeadlineBeforeAnnouncement {
            announced,
            deadline,
        });
    }
    Ok(())
}

/// Checks a registration.
pub fn check_registration(
    stage: SelectionStage,
    announced: Date,
    deadline: Date,
    on: Date,
) -> Result<(), SelectionError> {
    if stage != SelectionStage::Announced {
        return Err(SelectionError::WrongStage {
            stage,
            what: "报名",
        });
    }
    if !registration_open(announced, deadline, on) {
        return Err(SelectionError::OutsideRegistration {
            on,
            announced,
            deadline,
        });
    }
    Ok(())
}

/// Checks that screening may happen on `on`.
pub fn check_screening(
    stage: SelectionStage,
    deadline: Date,
    on: Date,
) -> Result<(), SelectionError> {
    if stage != SelectionStage::Announced {
        return Err(SelectionError::WrongStage {
            stage,
            what: "资格审查",
        });
    }
    if on <= deadline {
        return Err(SelectionError::ScreenBeforeDeadline { on, deadline });
    }
    Ok(())
}

/// Checks a shortlist against the qualified companies.
pub fn check_shortlist(
    stage: SelectionStage,
    qualified: &[i64],
    shortlist: &[i64],
) -> Result<(), SelectionError> {
    if stage != SelectionStage::Screened {
        return Err(SelectionError::WrongStage {
            stage,
            what: "确定入围企业",
        });
    }
    let mut distinct = shortlist.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if !(SHORTLIST_MIN..=SHORTLIST_MAX).contains(&distinct.len()) {
        return Err(SelectionError::ShortlistSize(distinct.len()));
    }
    if let Some(id) = distinct.iter().find(|id| !qualified.contains(id)) {
        return Err(SelectionError::NotQualified(*id));
    }
    Ok(())
}

/// Checks a compound's choice: shortlisted, recommended to it, and not chosen before.
pub fn check_choice(
    stage: SelectionStage,
    shortlist: &[i64],
    recommended: bool,
    already_chosen: Option<i64>,
    company: i64,
) -> Result<(), SelectionError> {
    if stage != SelectionStage::Shortlisted {
        return Err(SelectionError::WrongStage {
            stage,
            what: "选定企业",
        });
    }
    if let Some(c) = already_chosen {
        return Err(SelectionError::AlreadyChosen(c));
    }
    if !recommended {
        return Err(SelectionError::NotRecommended);
    }
    if !shortlist.contains(&company) {
        return Err(SelectionError::NotShortlisted(company));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SelectionStage as S;
    use jiff::civil::date;

    #[test]
    fn registration_includes_the_deadline_day() {
        let (a, d) = (date(2022, 9, 1), date(2022, 9, 15));
        assert!(check_registration(S::Announced, a, d, date(2022, 9, 15)).is_ok());
        assert!(check_registration(S::Announced, a, d, a).is_ok());
        assert!(check_registration(S::Announced, a, d, date(2022, 9, 16)).is_err());
        assert!(check_registration(S::Announced, a, d, date(2022, 8, 31)).is_err());
        assert!(check_registration(S::Screened, a, d, date(2022, 9, 10)).is_err());
        assert!(check_dates(d, a).is_err());
        assert!(check_screening(S::Announced, d, d).is_err());
        assert!(check_screening(S::Announced, d, date(2022, 9, 16)).is_ok());
    }

    #[test]
    fn shortlist_of_one_to_three_qualified() {
        let q = [1, 2, 3, 4];
        assert!(check_shortlist(S::Screened, &q, &[1]).is_ok());
        assert!(check_shortlist(S::Screened, &q, &[1, 2, 3]).is_ok());
        assert_eq!(
            check_shortlist(S::Screened, &q, &[1, 2, 3, 4]),
            Err(SelectionError::ShortlistSize(4))
        );
        assert_eq!(
            check_shortlist(S::Screened, &q, &[]),
            Err(SelectionError::ShortlistSize(0))
        );
        assert_eq!(
            check_shortlist(S::Screened, &q, &[1, 9]),
            Err(SelectionError::NotQualified(9))
        );
        assert!(check_shortlist(S::Announced, &q, &[1]).is_err());
    }

    #[test]
    fn one_compound_one_company() {
        let sl = [1, 2];
        assert!(check_choice(S::Shortlisted, &sl, true, None, 2).is_ok());
        assert_eq!(
            check_choice(S::Shortlisted, &sl, true, Some(1), 2),
            Err(SelectionError::AlreadyChosen(1))
        );
        assert_eq!(
            check_choice(S::Shortlisted, &sl, false, None, 2),
            Err(SelectionError::NotRecommended)
        );
        assert_eq!(
            check_choice(S::Shortlisted, &sl, true, None, 3),
            Err(SelectionError::NotShortlisted(3))
        );
    }
}
