//! 阶段目标 (dated targets) and their progress, computed from each compound's dated facts.
//!
//! Seed 004 二 and 三(一): "计划在2022年底完成60%无物业小区的物业引进工作，再利用2023年一年的时间，所有
//! 小区都完成物业引进工作"; "到2022年11月，业主委员会和物业管理委员会组建率达到90%以上".
//!
//! Definitions (the seed leaves them open):
//! - **Baseline** (基数): the compounds of the street that were unmanaged (弃管, 自管 or none:
//!   [`ModeGroup::Unmanaged`]) on the target's baseline date. For the Daqintala preset that is
//!   2022-07-01, the start of the half-year the plan covers. A compound's mode on a date before
//!   its first recorded mode period is that first period's mode (the census is the earliest
//!   knowledge there is).
//! - **Covered** (完成物业引进) on a date: the mode on that date is served by a company or gets
//!   basic cover ([`ModeGroup::Company`] or [`ModeGroup::Basic`]); 业主自管 is not covered
//!   (seed 004 一 counts 自管 with 弃管).
//! - **Owners' body** (业委会/物管会组建) on a date: an owners' body formed on or before that date,
//!   or known at the census. The community standing in does not count.
//! - **Due**: a date that counts in full: a fact dated on the due day counts. "到2022年11月 …
//!   达到90%以上" is read as by the end of 2022-11-30, 以上 including 90 %. "2022年底" is
//!   2022-12-31; "2023年一年" ends 2023-12-31.
//! - **Required**: share × baseline, rounded up to a whole compound (60 % of 77 = 46.2 → 47), so
//!   that reaching it really is "at least the share".
//! - **Status** as of a date: met (required reached by the due date, or already reached before
//!   it), on track (due date not passed, not yet reached), met late (reached after the due date),
//!   overdue (due date passed and still not reached).

use crate::{ManagementMode, ModeGroup};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// 完成物业引进 (covered by a company or basic cover)
    Covered,
    /// 业委会/物管会组建
    OwnersBody,
}

impl TargetKind {
    pub const ALL: [TargetKind; 2] = [TargetKind::Covered, TargetKind::OwnersBody];
    pub fn code(self) -> &'static str {
        match self {
            TargetKind::Covered => "covered",
            TargetKind::OwnersBody => "owners_body",
        }
    }
    pub fn from_code(s: &str) -> Option<TargetKind> {
        TargetKind::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn zh(self) -> &'static str {
        match self {
            TargetKind::Covered => "无物业小区完成物业引进",
            TargetKind::OwnersBody => "无物业小区业委会/物管会组建",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            TargetKind::Covered => "unmanaged compounds covered",
            TargetKind::OwnersBody => "unmanaged compounds with an owners' body",
        }
    }
}

/// One dated target of a street.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Target {
    pub street: String,
    pub kind: TargetKind,
    /// Percent of the baseline, 1..=100 (以上: the share itself meets the target).
    pub share_percent: u32,
    /// The last day that counts.
    pub due: Date,
    /// The day the baseline is taken.
    pub baseline_on: Date,
    pub label: String,
}

/// Seed 004's three targets for 大沁他拉街道 (preset `daqintala-2022`).
pub fn daqintala_2022(street: &str) -> Vec<Target> {
    let baseline_on = jiff::civil::date(2022, 7, 1);
    vec![
        Target {
            street: street.into(),
            kind: TargetKind::OwnersBody,
            share_percent: 90,
            due: jiff::civil::date(2022, 11, 30),
            baseline_on,
            label: "到2022年11月，业主委员会和物业管理委员会组建率达到90%以上".into(),
        },
        Target {
            street: street.into(),
            kind: TargetKind::Covered,
            share_percent: 60,
            due: jiff::civil::date(2022, 12, 31),
            baseline_on,
            label: "2022年底完成60%无物业小区的物业引进工作".into(),
        },
        Target {
            street: street.into(),
            kind: TargetKind::Covered,
            share_percent: 100,
            due: jiff::civil::date(2023, 12, 31),
            baseline_on,
            label: "2023年底所有小区都完成物业引进工作".into(),
        },
    ]
}

/// One period of a compound's mode: `[since, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeSpan {
    pub mode: ManagementMode,
    pub since: Date,
    pub until: Option<Date>,
}

/// What the targets need to know about one compound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompoundFacts {
    pub id: i64,
    pub name: String,
    /// Oldest first.
    pub modes: Vec<ModeSpan>,
    /// The day an owners' body was formed; `Some(Date::MIN)` when the census already knew one.
    pub body_since: Option<Date>,
}

impl CompoundFacts {
    /// The mode on `d` (before the first period: the first period's mode).
    pub fn mode_on(&self, d: Date) -> Option<ManagementMode> {
        let first = self.modes.first()?;
        if d < first.since {
            return Some(first.mode);
        }
        self.modes
            .iter()
            .rev()
            .find(|p| p.since <= d && p.until.is_none_or(|u| d < u))
            .or(self.modes.last())
            .map(|p| p.mode)
    }

    pub fn covered_on(&self, d: Date) -> bool {
        self.mode_on(d)
            .is_some_and(|m| m.group() != ModeGroup::Unmanaged)
    }

    pub fn body_on(&self, d: Date) -> bool {
        self.body_since.is_some_and(|s| s <= d)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Met,
    OnTrack,
    MetLate,
    Overdue,
}

impl TargetStatus {
    pub fn zh(self) -> &'static str {
        match self {
            TargetStatus::Met => "已完成",
            TargetStatus::OnTrack => "进行中",
            TargetStatus::MetLate => "逾期完成",
            TargetStatus::Overdue => "已逾期",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::OnTrack => "on track",
            TargetStatus::MetLate => "met late",
            TargetStatus::Overdue => "overdue",
        }
    }
}

/// A target's progress on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub target: Target,
    pub as_of: Date,
    /// Compounds in the baseline.
    pub baseline: u32,
    /// Compounds needed to meet the target.
    pub required: u32,
    /// Achieved as of `as_of`.
    pub achieved: u32,
    /// Achieved by the due date.
    pub achieved_by_due: u32,
    /// Achieved share of the baseline in percent, one decimal, as text ("59.7").
    pub percent: String,
    pub status: TargetStatus,
    /// Baseline compounds still missing as of `as_of` (id, name).
    pub missing: Vec<(i64, String)>,
}

/// Computes a target's progress on `as_of` from the street's compounds.
pub fn progress(target: &Target, compounds: &[CompoundFacts], as_of: Date) -> Progress {
    let base: Vec<&CompoundFacts> = compounds
        .iter()
        .filter(|c| {
            c.mode_on(target.baseline_on)
                .is_some_and(|m| m.group() == ModeGroup::Unmanaged)
        })
        .collect();
    let done = |c: &CompoundFacts, d: Date| match target.kind {
        TargetKind::Covered => c.covered_on(d),
        TargetKind::OwnersBody => c.body_on(d),
    };
    let count = |d: Date| base.iter().filter(|c| done(c, d)).count() as u32;
    let baseline = base.len() as u32;
    let required = (u64::from(target.share_percent) * u64::from(baseline)).div_ceil(100) as u32;
    let achieved = count(as_of);
    let achieved_by_due = count(target.due);
    let status = if as_of <= target.due {
        if achieved >= required {
            TargetStatus::Met
        } else {
            TargetStatus::OnTrack
        }
    } else if achieved_by_due >= required {
        TargetStatus::Met
    } else if achieved >= required {
        TargetStatus::MetLate
    } else {
        TargetStatus::Overdue
    };
    let percent = if baseline == 0 {
        "100.0".to_string()
    } else {
        let tenths = (u64::from(achieved) * 2000 + u64::from(baseline)) / (2 * u64::from(baseline));
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    Progress {
        target: target.clone(),
        as_of,
        baseline,
        required,
        achieved,
        achieved_by_due,
        percent,
        status,
        missing: base
            .iter()
            .filter(|c| !done(c, as_of))
            .map(|c| (c.id, c.name.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ManagementMode as M;
    use jiff::civil::date;

    fn facts(id: i64, covered_on: Option<Date>, body: Option<Date>) -> CompoundFacts {
        let census = date(2022, 6, 1);
        let mut modes = vec![ModeSpan {
            mode: M::None,
            since: census,
            until: covered_on,
        }];
        if let Some(d) = covered_on {
            modes.push(ModeSpan {
                mode: M::Professional,
                since: d,
                until: None,
            });
        }
        CompoundFacts {
            id,
            name: format!("小区{id}"),
            modes,
            body_since: body,
        }
    }

    #[test]
    fn targets_count_on_their_due_date() {
        let t = &daqintala_2022("大沁他拉街道");
        let (bodies, sixty, all) = (&t[0], &t[1], &t[2]);
        // 10 unmanaged compounds + 1 managed (not in the baseline).
        let mut cs: Vec<CompoundFacts> = (0..10)
            .map(|i| {
                let covered = if i < 6 {
                    Some(date(2022, 12, 31))
                } else {
                    None
                };
                let body = if i < 9 {
                    Some(date(2022, 11, 30))
                } else {
                    None
                };
                facts(i, covered, body)
            })
            .collect();
        cs.push(CompoundFacts {
            id: 99,
            name: "有物业".into(),
            modes: vec![ModeSpan {
                mode: M::Professional,
                since: date(2020, 1, 1),
                until: None,
            }],
            body_since: Some(Date::MIN),
        });
        // 9 of 10 bodies by 2022-11-30: 90 % exactly meets "90%以上" on the due day.
        let p = progress(bodies, &cs, date(2022, 11, 30));
        assert_eq!((p.baseline, p.required, p.achieved), (10, 9, 9));
        assert_eq!(p.status, TargetStatus::Met);
        assert_eq!(p.percent, "90.0");
        let p = progress(bodies, &cs, date(2022, 11, 29));
        assert_eq!((p.achieved, p.status), (0, TargetStatus::OnTrack));
        // 6 of 10 covered on 2022-12-31 (the due day itself counts).
        let p = progress(sixty, &cs, date(2022, 12, 31));
        assert_eq!(
            (p.required, p.achieved, p.status),
            (6, 6, TargetStatus::Met)
        );
        let p = progress(sixty, &cs, date(2023, 1, 1));
        assert_eq!(p.status, TargetStatus::Met);
        // 100 % by 2023-12-31 not reached: overdue the next day, with the 4 missing named.
        let p = progress(all, &cs, date(2023, 12, 31));
        assert_eq!(p.status, TargetStatus::OnTrack);
        let p = progress(all, &cs, date(2024, 1, 1));
        assert_eq!(p.status, TargetStatus::Overdue);
        assert_eq!(p.missing.len(), 4);
        // One compound short of 60 % on the due day → overdue after it; met late once reached.
        cs[5] = facts(5, Some(date(2023, 1, 1)), None);
        let p = progress(sixty, &cs, date(2022, 12, 31));
        assert_eq!((p.achieved, p.status), (5, TargetStatus::OnTrack));
        assert_eq!(
            progress(sixty, &cs, date(2023, 1, 1)).status,
            TargetStatus::MetLate
        );
        cs[5] = facts(5, None, None);
        assert_eq!(
            progress(sixty, &cs, date(2023, 1, 1)).status,
            TargetStatus::Overdue
        );
    }

    #[test]
    fn required_rounds_up_to_a_whole_compound() {
        let t = &daqintala_2022("s")[1];
        let cs: Vec<CompoundFacts> = (0..77).map(|i| facts(i, None, None)).collect();
        let p = progress(t, &cs, date(2022, 8, 1));
        assert_eq!((p.baseline, p.required), (77, 47));
    }
}
