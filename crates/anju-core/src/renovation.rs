//! 老旧小区改造 linked to property management (issue 19 item 5; seed 002 六 实施步骤; seed 001
//! 四（二）"四前置": a company chosen as a condition of renovation), the 三承诺 of the
//! consultation, and the approved fee standard (seed 003 三（二）: 区发改局 "负责物业管理服务项目
//! 收费标准的核定").
//!
//! A renovation project (改造项目, one 批次 of a compound) has three dated milestones:
//! 手续办理 (procedures begun), 施工进场 (construction start) and 竣工验收 (completion acceptance).
//! The checks ([`gaps`]) read each milestone against the compound's path to coverage:
//!
//! - **施工进场前未选定物业企业** — seed 002 六（一）: "务必于施工进场前选定物业服务企业". Met when the
//!   path has a 选定物业服务企业 or 签订物业服务合同 step (a signing names its company) dated on or
//!   before the construction start, and later than any exit (解聘/期满/退出) on or before it: a
//!   company that had left before the works does not count.
//! - **施工进场前未与居民签订物业服务合同** — the same clause, "并与居民签订《物业服务合同》": a
//!   签订合同 step on or before the construction start, after any exit.
//! - **施工期间未试运行** — seed 002 六（三）: "在工程施工收尾阶段，鼓励物业服务企业以无偿服务的形式
//!   提前进场进行试运行". The seed *encourages* a trial run at the end of the works; it does not
//!   require one and gives no day by which the 收尾阶段 begins. Read here: while the works are
//!   under way (started, not yet accepted) and the path has neither a 试运行 nor a 正式进场 step
//!   since the construction start, it is shown as a reminder (dated from the construction start),
//!   never as a breach. Once accepted, the missing trial is moot and (d) applies.
//! - **竣工验收后未正式进驻** — seed 002 六（四）: "自项目竣工验收完成之日起，物业服务企业要与办事处、
//!   施工方完成正式交接，正式组织人员进场提供服务". Accepted, and no 正式进场 step on or after the
//!   last exit. An entry dated before the acceptance (a company already serving during the works)
//!   counts as entered: the seed's concern is a compound left without service after handover.
//!
//! The service term (seed 002 六（一）: "物业服务期限自物业服务企业正式进驻小区开展服务之日起") runs
//! from the path's 正式进场 step; [`term_starts_early`] says when a contract's term starts before it.
//!
//! Each gap is dated from the milestone it reads (the construction start, or the acceptance) and
//! shows from that day. "施工进场前" is not one of the boundary words 民法典 第一千二百五十九条
//! fixes; it is read here as "not after the construction day": a company chosen, or a contract
//! signed, on the day the works start is in time (the handover the seed wants can happen that
//! morning); one the day after is late.

use crate::Fen;
use crate::contract::{BuildingType, Fees};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

codes! {
    /// 改造项目的节点.
    Milestone {
        Procedures = "procedures", "手续办理", "procedures begun";
        Construction = "construction", "施工进场", "construction start";
        Acceptance = "acceptance", "竣工验收", "completion acceptance";
    }
}

codes! {
    /// A check of a renovation project against the path (the module doc gives the readings).
    RenovationGap {
        NoCompany = "no_company", "施工进场前未选定物业企业", "no company chosen before construction";
        NoContract = "no_contract", "施工进场前未与居民签订物业服务合同", "no contract signed before construction";
        NoTrial = "no_trial", "施工期间未试运行", "no trial run during construction";
        NoEntry = "no_entry", "竣工验收后未正式进驻", "no formal entry after acceptance";
    }
}

impl RenovationGap {
    /// The seed clause the check reads: (where, the words).
    pub fn clause(self) -> (&'static str, &'static str) {
        match self {
            RenovationGap::NoCompany => (
                "二七区实施方案 六（一）",
                "务必于施工进场前选定物业服务企业",
            ),
            RenovationGap::NoContract => (
                "二七区实施方案 六（一）",
                "务必于施工进场前选定物业服务企业，并与居民签订《物业服务合同》",
            ),
            RenovationGap::NoTrial => (
                "二七区实施方案 六（三）",
                "在工程施工收尾阶段，鼓励物业服务企业以无偿服务的形式提前进场进行试运行",
            ),
            RenovationGap::NoEntry => (
                "二七区实施方案 六（四）",
                "自项目竣工验收完成之日起，物业服务企业要与办事处、施工方完成正式交接，正式组织人员进场提供服务",
            ),
        }
    }

    /// Whether the seed requires it (a breach) or only encourages it (a reminder).
    pub fn required(self) -> bool {
        self != RenovationGap::NoTrial
    }
}

/// A project's milestones as recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    pub procedures_on: Option<Date>,
    pub construction_on: Option<Date>,
    pub acceptance_on: Option<Date>,
}

impl Milestones {
    pub fn get(&self, m: Milestone) -> Option<Date> {
        match m {
            Milestone::Procedures => self.procedures_on,
            Milestone::Construction => self.construction_on,
            Milestone::Acceptance => self.acceptance_on,
        }
    }

    pub fn set(&mut self, m: Milestone, on: Date) {
        match m {
            Milestone::Procedures => self.procedures_on = Some(on),
            Milestone::Construction => self.construction_on = Some(on),
            Milestone::Acceptance => self.acceptance_on = Some(on),
        }
    }

    /// 手续办理 ≤ 施工进场 ≤ 竣工验收 where both are recorded; the refusal in (zh, en).
    pub fn check_order(&self) -> Result<(), (String, String)> {
        let dated: Vec<(Milestone, Date)> = Milestone::ALL
            .iter()
            .filter_map(|m| self.get(*m).map(|d| (*m, d)))
            .collect();
        for w in dated.windows(2) {
            let ((a, da), (b, db)) = (w[0], w[1]);
            if db < da {
                return Err((
                    format!(
                        "{}日期 {db} 早于{}日期 {da}",
                        b.label(crate::Lang::Zh),
                        a.label(crate::Lang::Zh)
                    ),
                    format!(
                        "{} ({db}) is before {} ({da})",
                        b.label(crate::Lang::En),
                        a.label(crate::Lang::En)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The path's dates a project is read against (steps in force only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathDates {
    /// The latest 选定企业 or 签订合同 step on or before the construction start.
    pub selected_on: Option<Date>,
    /// The latest 签订合同 step on or before the construction start.
    pub signed_on: Option<Date>,
    /// The latest exit (解聘、期满、退出) on or before the construction start.
    pub exit_before_construction: Option<Date>,
    /// The latest 试运行 step.
    pub trial_on: Option<Date>,
    /// The latest 正式进场 step.
    pub entry_on: Option<Date>,
    /// The latest exit of all.
    pub last_exit: Option<Date>,
}

/// One gap: which, and the day it is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub gap: RenovationGap,
    pub since: Date,
}

fn after(d: Option<Date>, exit: Option<Date>) -> bool {
    match (d, exit) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(d), Some(x)) => d >= x,
    }
}

/// The gaps of one project (the module doc gives each reading).
pub fn gaps(m: &Milestones, p: &PathDates) -> Vec<Gap> {
    let mut out = Vec::new();
    if let Some(c) = m.construction_on {
        let in_time = |d: Option<Date>| d.is_some_and(|d| d <= c);
        let selected = in_time(p.selected_on) && after(p.selected_on, p.exit_before_construction);
        if !selected {
            out.push(Gap {
                gap: RenovationGap::NoCompany,
                since: c,
            });
        }
        let signed = in_time(p.signed_on) && after(p.signed_on, p.exit_before_construction);
        if !signed {
            out.push(Gap {
                gap: RenovationGap::NoContract,
                since: c,
            });
        }
        let since_works = |d: Option<Date>| d.is_some_and(|d| d >= c);
        if m.acceptance_on.is_none() && !since_works(p.trial_on) && !since_works(p.entry_on) {
            out.push(Gap {
                gap: RenovationGap::NoTrial,
                since: c,
            });
        }
    }
    if let Some(a) = m.acceptance_on
        && !after(p.entry_on, p.last_exit)
    {
        out.push(Gap {
            gap: RenovationGap::NoEntry,
            since: a,
        });
    }
    out
}

/// Whether a contract's term (counted from `term_start`: its entry date, else its signing day)
/// starts before the formal entry the seed counts it from.
pub fn term_starts_early(term_start: Date, entry_on: Option<Date>) -> bool {
    entry_on.is_some_and(|e| term_start < e)
}

// ---------------------------------------------------------------------------------------------
// 三承诺

codes! {
    /// 三承诺 (seed 002 六（一）).
    Commitment {
        Demolish = "demolish", "承诺拆除各类违建", "remove illegal structures";
        MaintenanceFund = "maintenance_fund", "承诺缴纳维修资金", "pay into the maintenance fund";
        RepairFees = "repair_fees", "承诺缴纳物业维修费用", "pay property repair fees";
    }
}

/// One household's three answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Commitments {
    /// 承诺拆除各类违建
    pub demolish: bool,
    /// 承诺缴纳维修资金
    pub maintenance_fund: bool,
    /// 承诺缴纳物业维修费用
    pub repair_fees: bool,
}

impl Commitments {
    pub fn get(&self, c: Commitment) -> bool {
        match c {
            Commitment::Demolish => self.demolish,
            Commitment::MaintenanceFund => self.maintenance_fund,
            Commitment::RepairFees => self.repair_fees,
        }
    }

    pub fn all(&self) -> bool {
        self.demolish && self.maintenance_fund && self.repair_fees
    }
}

/// The shares a compound page shows: households committing to all three, and to each, out of
/// the compound's households (户数 in the ledger).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommitmentShare {
    /// 户数 (the ledger's); 0 when not recorded.
    pub households: u64,
    /// Households answered.
    pub answered: u64,
    /// Committing to all three.
    pub all_three: u64,
    pub demolish: u64,
    pub maintenance_fund: u64,
    pub repair_fees: u64,
    /// all_three ÷ households as "85.00 %" (half-up, exact); `None` when 户数 is not recorded.
    pub all_three_percent: Option<String>,
}

impl CommitmentShare {
    pub fn of(households: u64, answers: &[Commitments]) -> CommitmentShare {
        let count =
            |f: &dyn Fn(&Commitments) -> bool| answers.iter().filter(|a| f(a)).count() as u64;
        let all_three = count(&|a| a.all());
        CommitmentShare {
            households,
            answered: answers.len() as u64,
            all_three,
            demolish: count(&|a| a.demolish),
            maintenance_fund: count(&|a| a.maintenance_fund),
            repair_fees: count(&|a| a.repair_fees),
            all_three_percent: percent_text(all_three, households),
        }
    }

    pub fn count(&self, c: Commitment) -> u64 {
        match c {
            Commitment::Demolish => self.demolish,
            Commitment::MaintenanceFund => self.maintenance_fund,
            Commitment::RepairFees => self.repair_fees,
        }
    }
}

/// `n ÷ d` in hundredths of a percent, rounded half-up, in integers; `None` when `d` is 0.
pub fn percent_hundredths(n: u64, d: u64) -> Option<u64> {
    if d == 0 {
        return None;
    }
    let (n, d) = (u128::from(n), u128::from(d));
    // round(n × 10000 / d) half-up = floor((2 × n × 10000 + d) / (2 × d)).
    u64::try_from((2 * n * 10_000 + d) / (2 * d)).ok()
}

/// "85.00 %" for `n ÷ d`; `None` when `d` is 0.
pub fn percent_text(n: u64, d: u64) -> Option<String> {
    percent_hundredths(n, d).map(|h| format!("{}.{:02} %", h / 100, h % 100))
}

// ---------------------------------------------------------------------------------------------
// 核定收费标准

/// "1.20 元/㎡·月".
pub fn per_sqm_month(f: Fen) -> String {
    format!("{} 元/㎡·月", f.plain())
}

/// An approval as the rule needs it: the day it takes effect, its order of entry, its fees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    pub approved_on: Date,
    pub id: i64,
    pub fees: Fees,
}

/// The approval in force on `day`: the latest approved on or before it (a later approval
/// supersedes from its own date); of two approved the same day, the one entered last.
pub fn in_force(approvals: &[Approval], day: Date) -> Option<Approval> {
    approvals
        .iter()
        .filter(|a| a.approved_on <= day)
        .max_by_key(|a| (a.approved_on, a.id))
        .copied()
}

/// Each building type whose contract fee is above the standard: (type, contract, standard).
/// A type the standard leaves blank, or the contract does not charge, is not compared.
pub fn above_standard(contract: Fees, standard: Fees) -> Vec<(BuildingType, Fen, Fen)> {
    [BuildingType::Multi, BuildingType::High]
        .into_iter()
        .filter_map(|t| match (contract.rate(t), standard.rate(t)) {
            (Some(c), Some(s)) if c > s => Some((t, c, s)),
            _ => None,
        })
        .collect()
}

/// 多层 / 高层.
pub fn building_type_label(t: BuildingType, l: crate::Lang) -> &'static str {
    match t {
        BuildingType::Multi => l.pick("多层", "multi-storey"),
        BuildingType::High => l.pick("高层", "high-rise"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn m(p: Option<Date>, c: Option<Date>, a: Option<Date>) -> Milestones {
        Milestones {
            procedures_on: p,
            construction_on: c,
            acceptance_on: a,
        }
    }

    fn codes(g: &[Gap]) -> Vec<&'static str> {
        g.iter().map(|g| g.gap.code()).collect()
    }

    #[test]
    fn construction_start_is_the_boundary_of_choosing_a_company() {
        let c = date(2026, 3, 10);
        let works = m(Some(date(2026, 1, 5)), Some(c), None);
        // (selected, signed, exit before, trial, entry) → gaps
        let cases: &[(PathDates, &[&str])] = &[
            // nothing on the path: no company, no contract, no trial
            (
                PathDates::default(),
                &["no_company", "no_contract", "no_trial"],
            ),
            // chosen and signed on the day the works start: in time (前 excludes only later days)
            (
                PathDates {
                    selected_on: Some(c),
                    signed_on: Some(c),
                    ..Default::default()
                },
                &["no_trial"],
            ),
            // chosen the day before, signed later (the store gives only steps ≤ c, so none)
            (
                PathDates {
                    selected_on: Some(date(2026, 3, 9)),
                    ..Default::default()
                },
                &["no_contract", "no_trial"],
            ),
            // a company chosen before but gone by the works: not chosen
            (
                PathDates {
                    selected_on: Some(date(2025, 1, 1)),
                    signed_on: Some(date(2025, 1, 1)),
                    exit_before_construction: Some(date(2025, 12, 31)),
                    ..Default::default()
                },
                &["no_company", "no_contract", "no_trial"],
            ),
            // a trial run since the works started
            (
                PathDates {
                    selected_on: Some(c),
                    signed_on: Some(c),
                    trial_on: Some(date(2026, 5, 1)),
                    ..Default::default()
                },
                &[],
            ),
            // a trial the day before the works does not count as one during them
            (
                PathDates {
                    selected_on: Some(c),
                    signed_on: Some(c),
                    trial_on: Some(date(2026, 3, 9)),
                    ..Default::default()
                },
                &["no_trial"],
            ),
        ];
        for (p, want) in cases {
            assert_eq!(codes(&gaps(&works, p)), *want, "{p:?}");
        }
    }

    #[test]
    fn acceptance_needs_a_formal_entry() {
        let a = date(2026, 9, 30);
        let done = m(None, Some(date(2026, 3, 10)), Some(a));
        let chosen = PathDates {
            selected_on: Some(date(2026, 3, 1)),
            signed_on: Some(date(2026, 3, 1)),
            ..Default::default()
        };
        let g = gaps(&done, &chosen);
        assert_eq!(codes(&g), ["no_entry"]);
        assert_eq!(g[0].since, a);
        // entered on the acceptance day, or before it (already serving): no gap
        for e in [a, date(2026, 6, 1)] {
            let p = PathDates {
                entry_on: Some(e),
                ..chosen
            };
            assert!(gaps(&done, &p).is_empty());
        }
        // entered, then left: not serving
        let p = PathDates {
            entry_on: Some(date(2026, 10, 1)),
            last_exit: Some(date(2026, 11, 1)),
            ..chosen
        };
        assert_eq!(codes(&gaps(&done, &p)), ["no_entry"]);
        // nothing started: nothing to check
        assert!(gaps(&Milestones::default(), &PathDates::default()).is_empty());
    }

    #[test]
    fn milestones_in_order() {
        let ok = m(
            Some(date(2026, 1, 1)),
            Some(date(2026, 1, 1)),
            Some(date(2026, 2, 1)),
        );
        assert!(ok.check_order().is_ok());
        let bad = m(Some(date(2026, 2, 1)), None, Some(date(2026, 1, 31)));
        assert_eq!(
            bad.check_order().err().map(|e| e.0),
            Some("竣工验收日期 2026-01-31 早于手续办理日期 2026-02-01".to_string())
        );
    }

    #[test]
    fn shares_are_exact_and_rounded_half_up() {
        let cases: &[(u64, u64, Option<&str>)] = &[
            (0, 0, None),
            (0, 10, Some("0.00 %")),
            (1, 3, Some("33.33 %")),
            (2, 3, Some("66.67 %")),
            // 1/8 = 12.5 % exactly; 1/16 = 6.25 %; 1/32 = 3.125 % → 3.13 (half-up)
            (1, 8, Some("12.50 %")),
            (1, 32, Some("3.13 %")),
            (1, 80_000, Some("0.00 %")),
            // 0.00125 % → 0.00; 1/40000 = 0.0025 % → 0.00 … 1/20000 = 0.005 % → 0.01 (half-up)
            (1, 20_000, Some("0.01 %")),
            (7, 7, Some("100.00 %")),
        ];
        for (n, d, want) in cases {
            assert_eq!(percent_text(*n, *d).as_deref(), *want, "{n}/{d}");
        }
        let yes = Commitments {
            demolish: true,
            maintenance_fund: true,
            repair_fees: true,
        };
        let part = Commitments {
            demolish: true,
            ..Default::default()
        };
        let s = CommitmentShare::of(3, &[yes, part]);
        assert_eq!(
            (s.answered, s.all_three, s.demolish, s.repair_fees),
            (2, 1, 2, 1)
        );
        assert_eq!(s.all_three_percent.as_deref(), Some("33.33 %"));
    }

    #[test]
    fn the_standard_in_force_on_a_day() {
        let f = |m: i64| Fees {
            multi: Some(Fen(m)),
            high: None,
        };
        let list = [
            Approval {
                approved_on: date(2024, 1, 1),
                id: 1,
                fees: f(100),
            },
            Approval {
                approved_on: date(2025, 7, 1),
                id: 2,
                fees: f(120),
            },
            Approval {
                approved_on: date(2025, 7, 1),
                id: 3,
                fees: f(110),
            },
        ];
        assert_eq!(in_force(&list, date(2023, 12, 31)), None);
        assert_eq!(in_force(&list, date(2024, 1, 1)).map(|a| a.id), Some(1));
        assert_eq!(in_force(&list, date(2025, 6, 30)).map(|a| a.id), Some(1));
        // the new approval from its own day; of two the same day, the later entered
        assert_eq!(in_force(&list, date(2025, 7, 1)).map(|a| a.id), Some(3));
        let c = Fees {
            multi: Some(Fen(111)),
            high: Some(Fen(300)),
        };
        assert_eq!(
            above_standard(c, f(110)),
            vec![(BuildingType::Multi, Fen(111), Fen(110))]
        );
        // equal is not above; a blank standard is not compared
        assert!(above_standard(c, f(111)).is_empty());
        assert_eq!(per_sqm_month(Fen(120)), "1.20 元/㎡·月");
    }
}
