//! 镇街吹哨、部门报到 (seed 003 二（二）: the street "推进“镇街吹哨、部门报到”工作机制，协调配合
//! 有关职能部门依法开展工作"; 四、明确部门职责: what each district department answers for).
//!
//! A street or community officer *refers* (吹哨) a finding, a complaint or an order to a district
//! department with a deadline in working days; the department *acknowledges* it (报到), acts and
//! *resolves* it (办结) with a result and evidence; the referrer *confirms* it (确认办结) or *returns*
//! it (退回重办), after which the department resolves it again. A confirmed referral is final.
//!
//! Decisions the seeds leave open, taken here:
//! - The deadline is the referrer's to set (1–60 working days, default 5); the seeds give none.
//!   It counts working days after the day of referral, as complaints' deadlines do.
//! - 逾期: not resolved (referred, acknowledged or returned) after the deadline day; the deadline
//!   day itself is on time. An overdue referral is 督办 by the district: it shows on the district's
//!   and the department's 工作台 (no separate step, so nothing can hold it back).
//! - A referral is *on time* when the department's first resolution falls on or before the
//!   deadline; a return does not move the deadline (the reopened count shows it).
//! - Days to resolve: calendar days from the referral to the first resolution.
//! - A department's duty categories are data (seeded from seed 003 四, editable per district);
//!   suggesting a department for a category is a lookup in them, never a rule in code.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

codes! {
    /// Where a referral stands.
    ReferralStatus {
        Referred = "referred", "待报到", "awaiting acknowledgement";
        Acknowledged = "acknowledged", "已报到办理中", "acknowledged";
        Resolved = "resolved", "已办结待确认", "resolved, awaiting confirmation";
        Returned = "returned", "退回重办", "returned";
        Confirmed = "confirmed", "已确认办结", "confirmed";
    }
}

codes! {
    /// What a referral was made from.
    ReferralSource {
        Complaint = "complaint", "投诉", "complaint";
        Order = "order", "整改单", "rectification order";
        Finding = "finding", "巡查发现", "patrol finding";
        Other = "other", "其他", "other";
    }
}

codes! {
    /// A step of a referral after it was made.
    ReferralStep {
        Acknowledge = "acknowledge", "报到", "acknowledge";
        Resolve = "resolve", "办结", "resolve";
        Confirm = "confirm", "确认办结", "confirm";
        Return = "return", "退回重办", "send back";
    }
}

/// Which side of a referral takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The department the referral went to (报到, 办结).
    Department,
    /// The street or community that referred it (确认, 退回).
    Referrer,
}

impl ReferralStep {
    pub fn side(self) -> Side {
        match self {
            ReferralStep::Acknowledge | ReferralStep::Resolve => Side::Department,
            ReferralStep::Confirm | ReferralStep::Return => Side::Referrer,
        }
    }
}

/// A step refused in this status, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh}")]
pub struct StepRefused {
    pub zh: String,
    pub en: String,
}

/// The status after `step`, or why the step cannot be taken now.
pub fn next(status: ReferralStatus, step: ReferralStep) -> Result<ReferralStatus, StepRefused> {
    use ReferralStatus as S;
    use ReferralStep as T;
    let to = match (status, step) {
        (S::Referred, T::Acknowledge) => S::Acknowledged,
        (S::Acknowledged | S::Returned, T::Resolve) => S::Resolved,
        (S::Resolved, T::Confirm) => S::Confirmed,
        (S::Resolved, T::Return) => S::Returned,
        (S::Referred, T::Resolve) => {
            return Err(StepRefused {
                zh: "请先报到，再办结".into(),
                en: "acknowledge the referral before resolving it".into(),
            });
        }
        (S::Confirmed, _) => {
            return Err(StepRefused {
                zh: "该事项已确认办结，不能再改动".into(),
                en: "the referral is confirmed and final".into(),
            });
        }
        (s, t) => {
            return Err(StepRefused {
                zh: format!(
                    "事项当前为“{}”，不能{}",
                    s.label(crate::Lang::Zh),
                    t.label(crate::Lang::Zh)
                ),
                en: format!(
                    "the referral is {}: the step \"{}\" cannot be taken now",
                    s.label(crate::Lang::En),
                    t.label(crate::Lang::En)
                ),
            });
        }
    };
    Ok(to)
}

impl ReferralStatus {
    /// Not yet resolved: awaiting 报到, in hand, or sent back.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ReferralStatus::Referred | ReferralStatus::Acknowledged | ReferralStatus::Returned
        )
    }
}

/// 逾期: not resolved after the deadline day (the deadline day itself is on time).
pub fn overdue(
    status: ReferralStatus,
    deadline: jiff::civil::Date,
    as_of: jiff::civil::Date,
) -> bool {
    status.is_open() && as_of > deadline
}

/// The deadline's bounds in working days, and the default.
pub const DEADLINE_DAYS: (u32, u32) = (1, 60);
pub const DEFAULT_DEADLINE_DAYS: u32 = 5;

/// What one referral contributes to a department's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralFacts {
    pub status: ReferralStatus,
    pub referred_on: jiff::civil::Date,
    pub deadline: jiff::civil::Date,
    /// The department's first 办结.
    pub first_resolved_on: Option<jiff::civil::Date>,
    /// Times the referrer sent it back.
    pub returns: u32,
}

/// A department's figures (issue: referrals, on-time rate, median days, reopened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DepartmentFigures {
    /// Referrals received.
    pub referrals: u32,
    /// Resolved at least once.
    pub resolved: u32,
    /// Of those, first resolved on or before the deadline.
    pub on_time: u32,
    /// `on_time ÷ resolved`, exact; `None` while nothing is resolved.
    #[schema(value_type = Option<String>)]
    pub on_time_rate: Option<Decimal>,
    /// Median calendar days from referral to first resolution (a half day when the count is even).
    #[schema(value_type = Option<String>)]
    pub median_days: Option<Decimal>,
    /// Sent back at least once (退回重办).
    pub reopened: u32,
    /// Not yet resolved.
    pub open: u32,
    /// Not resolved after the deadline on the day asked (督办).
    pub overdue: u32,
    /// Confirmed by the referrer.
    pub confirmed: u32,
}

/// The figures of a set of referrals as of a day.
pub fn figures(list: &[ReferralFacts], as_of: jiff::civil::Date) -> DepartmentFigures {
    let mut f = DepartmentFigures {
        referrals: u32::try_from(list.len()).unwrap_or(u32::MAX),
        ..DepartmentFigures::default()
    };
    let mut days: Vec<i64> = Vec::new();
    for r in list {
        if let Some(done) = r.first_resolved_on {
            f.resolved += 1;
            f.on_time += u32::from(done <= r.deadline);
            days.push(i64::from((done - r.referred_on).get_days()));
        }
        f.reopened += u32::from(r.returns > 0);
        f.open += u32::from(r.status.is_open());
        f.overdue += u32::from(overdue(r.status, r.deadline, as_of));
        f.confirmed += u32::from(r.status == ReferralStatus::Confirmed);
    }
    if f.resolved > 0 {
        f.on_time_rate = Some(Decimal::from(f.on_time) / Decimal::from(f.resolved));
    }
    days.sort_unstable();
    let n = days.len();
    if n > 0 {
        f.median_days = Some(if n % 2 == 1 {
            Decimal::from(days[n / 2])
        } else {
            Decimal::from(days[n / 2 - 1] + days[n / 2]) / Decimal::TWO
        });
    }
    f
}

/// A department as seed 003 四 names it, with the duty categories read from its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedDepartment {
    pub name: &'static str,
    /// The clause of seed 003 that gives its duties.
    pub clause: &'static str,
    pub duties: &'static [&'static str],
}

/// Seed 003 四、明确部门职责, (一)–(十二), then "应急管理、人社等相关部门" and the utilities
/// ("供水、供电、热力、燃气、通信等专业公司"). Each duty is a category a finding or complaint can
/// be referred under; where two departments share one, both are suggested, in this order.
/// 消防通道 is such a duty: 四（八） gives 消防救援 "依法查处违反消防管理规定的行为" (a blocked fire
/// lane is one, 消防法 第二十八条), and 四（十一） has 公安 "会同……对……阻碍消防通道……的行为进行依法
/// 处置" (DOMAIN.md names 公安 alone). Anju suggests the fire brigade first and the police beside
/// it; a district edits the duties on /departments (a duty taken off a department takes it off
/// the suggestions).
pub const SEED_003_DEPARTMENTS: &[SeedDepartment] = &[
    SeedDepartment {
        name: "区住建局",
        clause: "四（一）",
        duties: &["物业服务质量", "专项维修资金", "物业招投标"],
    },
    SeedDepartment {
        name: "区发改局",
        clause: "四（二）",
        duties: &["物业收费标准"],
    },
    SeedDepartment {
        name: "区民政局",
        clause: "四（三）",
        duties: &["业主委员会", "居民委员会"],
    },
    SeedDepartment {
        name: "区司法局",
        clause: "四（四）",
        duties: &["物业纠纷调解"],
    },
    SeedDepartment {
        name: "区财政局",
        clause: "四（五）",
        duties: &["补贴资金"],
    },
    SeedDepartment {
        name: "区自然资源局",
        clause: "四（六）",
        duties: &["违法建筑认定", "物业管理用房"],
    },
    SeedDepartment {
        name: "区卫健局",
        clause: "四（七）",
        duties: &["病媒生物防治", "健康教育"],
    },
    SeedDepartment {
        name: "区消防救援大队",
        clause: "四（八）",
        duties: &["消防通道", "消防安全"],
    },
    SeedDepartment {
        name: "区市场监管局",
        clause: "四（九）",
        duties: &["电梯安全", "物业收费违规", "无照经营"],
    },
    SeedDepartment {
        name: "区综合行政执法局",
        clause: "四（十）",
        duties: &[
            "乱搭乱建",
            "侵占公共绿地",
            "违规装修",
            "噪音污染",
            "油烟排放",
            "垃圾分类",
            "停车秩序",
        ],
    },
    SeedDepartment {
        name: "区公安分局",
        clause: "四（十一）",
        duties: &["治安管理", "交通秩序", "消防通道", "大型车辆停放"],
    },
    SeedDepartment {
        name: "区生态环境分局",
        clause: "四（十二）",
        duties: &["环境污染"],
    },
    SeedDepartment {
        name: "区应急管理局",
        clause: "四（十二）后",
        duties: &["安全生产"],
    },
    SeedDepartment {
        name: "区人社局",
        clause: "四（十二）后",
        duties: &["劳动用工"],
    },
    SeedDepartment {
        name: "供水公司",
        clause: "四（十二）后",
        duties: &["供水"],
    },
    SeedDepartment {
        name: "供电公司",
        clause: "四（十二）后",
        duties: &["供电"],
    },
    SeedDepartment {
        name: "热力公司",
        clause: "四（十二）后",
        duties: &["供暖"],
    },
    SeedDepartment {
        name: "燃气公司",
        clause: "四（十二）后",
        duties: &["燃气"],
    },
    SeedDepartment {
        name: "通信公司",
        clause: "四（十二）后",
        duties: &["通信"],
    },
];

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_path_of_a_referral_and_its_refusals() {
        use ReferralStatus as S;
        use ReferralStep as T;
        assert_eq!(next(S::Referred, T::Acknowledge).unwrap(), S::Acknowledged);
        assert_eq!(next(S::Acknowledged, T::Resolve).unwrap(), S::Resolved);
        assert_eq!(next(S::Resolved, T::Return).unwrap(), S::Returned);
        assert_eq!(next(S::Returned, T::Resolve).unwrap(), S::Resolved);
        assert_eq!(next(S::Resolved, T::Confirm).unwrap(), S::Confirmed);
        assert!(
            next(S::Referred, T::Resolve)
                .unwrap_err()
                .zh
                .contains("请先报到")
        );
        assert!(next(S::Referred, T::Confirm).is_err());
        assert!(next(S::Acknowledged, T::Acknowledge).is_err());
        for t in ReferralStep::ALL {
            assert!(
                next(S::Confirmed, *t)
                    .unwrap_err()
                    .zh
                    .contains("已确认办结"),
                "{t:?}"
            );
        }
        assert_eq!(T::Acknowledge.side(), Side::Department);
        assert_eq!(T::Return.side(), Side::Referrer);
    }

    #[test]
    fn the_deadline_day_is_on_time() {
        let d = date(2026, 12, 4);
        assert!(!overdue(ReferralStatus::Referred, d, d));
        assert!(overdue(ReferralStatus::Referred, d, date(2026, 12, 5)));
        assert!(overdue(ReferralStatus::Returned, d, date(2026, 12, 5)));
        assert!(!overdue(ReferralStatus::Resolved, d, date(2026, 12, 9)));
        assert!(!overdue(ReferralStatus::Confirmed, d, date(2026, 12, 9)));
    }

    #[test]
    fn figures_count_on_time_median_and_reopened() {
        let f = |referred: jiff::civil::Date, deadline, resolved, status, returns| ReferralFacts {
            status,
            referred_on: referred,
            deadline,
            first_resolved_on: resolved,
            returns,
        };
        let d = |n| date(2026, 12, n);
        let list = [
            // resolved on the deadline day: on time, 4 days
            f(d(1), d(5), Some(d(5)), ReferralStatus::Confirmed, 0),
            // a day late, sent back once: 7 days
            f(d(1), d(7), Some(d(8)), ReferralStatus::Resolved, 1),
            // open, overdue on the 10th
            f(d(2), d(9), None, ReferralStatus::Acknowledged, 0),
            // open, not yet due
            f(d(3), d(10), None, ReferralStatus::Referred, 0),
        ];
        let fig = figures(&list, d(10));
        assert_eq!(fig.referrals, 4);
        assert_eq!(fig.resolved, 2);
        assert_eq!(fig.on_time, 1);
        assert_eq!(fig.on_time_rate, Some(Decimal::new(5, 1)));
        assert_eq!(fig.median_days, Some(Decimal::new(55, 1)), "(4 + 7) / 2");
        assert_eq!(fig.reopened, 1);
        assert_eq!(fig.open, 2);
        assert_eq!(fig.overdue, 1);
        assert_eq!(fig.confirmed, 1);
        let odd = figures(&list[..1], d(10));
        assert_eq!(odd.median_days, Some(Decimal::from(4)));
        let none = figures(&[], d(10));
        assert_eq!(none.on_time_rate, None);
        assert_eq!(none.median_days, None);
    }

    #[test]
    fn seed_003_lists_twelve_departments_and_a_blocked_fire_lane_goes_to_two() {
        let numbered = SEED_003_DEPARTMENTS
            .iter()
            .filter(|d| d.clause != "四（十二）后")
            .count();
        assert_eq!(numbered, 12);
        let fire_lane: Vec<&str> = SEED_003_DEPARTMENTS
            .iter()
            .filter(|d| d.duties.contains(&"消防通道"))
            .map(|d| d.name)
            .collect();
        assert_eq!(fire_lane, ["区消防救援大队", "区公安分局"]);
        let mut names: Vec<&str> = SEED_003_DEPARTMENTS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SEED_003_DEPARTMENTS.len(), "names are unique");
    }
}
