//! Owners' decisions by vote (issue 19 item 2): the thresholds of 民法典 第二百七十八条, in
//! integers.
//!
//! > 业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。
//! > 决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数
//! > 四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数
//! > 过半数的业主同意。
//!
//! Read as DOMAIN.md reads boundary words: 以上 includes the fraction (exactly 2/3 takes part,
//! exactly 3/4 agree), 过半数 is strictly more than half. Areas are in hundredths of a square
//! metre (the household list's two decimals), so every comparison is a product of integers —
//! `3 × part ≥ 2 × total` — and no fraction is ever rounded.
//!
//! What counts as the 6th–8th items (the special majority): 筹集建筑物及其附属设施的维修资金
//! (raising the maintenance fund), 改建、重建建筑物及其附属设施 (rebuilding), 改变共有部分的用途或者
//! 利用共有部分从事经营活动 (changing the use of common parts). Everything else a vote here decides —
//! choosing or dismissing a company, using the maintenance fund, electing the committee — takes
//! the simple majority.

use serde::{Deserialize, Serialize};

codes! {
    /// What a vote decides, and so which majority it needs.
    Matter {
        ElectCommittee = "elect_committee", "选举业主委员会", "elect the owners' committee";
        SelectCompany = "select_company", "选聘物业服务企业", "select a property company";
        DismissCompany = "dismiss_company", "解聘物业服务企业", "dismiss the company";
        UseFund = "use_fund", "使用维修资金", "use the maintenance fund";
        RaiseFund = "raise_fund", "筹集维修资金", "raise the maintenance fund";
        Rebuild = "rebuild", "改建、重建建筑物及其附属设施", "rebuild";
        ChangeUse = "change_use", "改变共有部分用途或利用共有部分经营", "change the use of common parts";
        Other = "other", "其他共同决定事项", "another common matter";
    }
}

impl Matter {
    /// 第六项至第八项: three quarters of the participating area and owners.
    pub fn needs_three_quarters(self) -> bool {
        matches!(
            self,
            Matter::RaiseFund | Matter::Rebuild | Matter::ChangeUse
        )
    }
}

/// The figures of one vote: the compound's owners and exclusive area, those who took part, and
/// those who agreed. Areas in hundredths of a square metre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tally {
    pub owners: u64,
    pub area_centi_m2: u64,
    pub voted_owners: u64,
    pub voted_area_centi_m2: u64,
    pub yes_owners: u64,
    pub yes_area_centi_m2: u64,
}

/// Why a vote did or did not decide, each threshold with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Outcome {
    /// ≥ 2/3 of the area took part.
    pub area_participation: bool,
    /// ≥ 2/3 of the owners took part.
    pub owner_participation: bool,
    /// The agreeing area met the matter's majority of the participating area.
    pub area_majority: bool,
    /// The agreeing owners met the matter's majority of the participating owners.
    pub owner_majority: bool,
    /// Carried: all four.
    pub carried: bool,
}

/// The figures are inconsistent (more voted than exist, more agreed than voted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh}")]
pub struct TallyError {
    pub zh: String,
    pub en: String,
}

/// Whether `tally` decides `matter` (民法典 第二百七十八条).
pub fn decide(matter: Matter, t: Tally) -> Result<Outcome, TallyError> {
    let wide = u128::from;
    if t.voted_owners > t.owners || t.voted_area_centi_m2 > t.area_centi_m2 {
        return Err(TallyError {
            zh: "参与表决的业主人数或面积超过了业主总数或总面积".into(),
            en: "more owners or area voted than the compound has".into(),
        });
    }
    if t.yes_owners > t.voted_owners || t.yes_area_centi_m2 > t.voted_area_centi_m2 {
        return Err(TallyError {
            zh: "同意的业主人数或面积超过了参与表决的人数或面积".into(),
            en: "more owners or area agreed than voted".into(),
        });
    }
    if t.owners == 0 || t.area_centi_m2 == 0 {
        return Err(TallyError {
            zh: "业主总数和专有部分总面积须大于 0".into(),
            en: "the compound has no owners or no area".into(),
        });
    }
    // 三分之二以上: 3 × part ≥ 2 × total.
    let area_participation = 3 * wide(t.voted_area_centi_m2) >= 2 * wide(t.area_centi_m2);
    let owner_participation = 3 * wide(t.voted_owners) >= 2 * wide(t.owners);
    let (area_majority, owner_majority) = if matter.needs_three_quarters() {
        // 四分之三以上: 4 × yes ≥ 3 × part.
        (
            4 * wide(t.yes_area_centi_m2) >= 3 * wide(t.voted_area_centi_m2),
            4 * wide(t.yes_owners) >= 3 * wide(t.voted_owners),
        )
    } else {
        // 过半数: 2 × yes > part.
        (
            2 * wide(t.yes_area_centi_m2) > wide(t.voted_area_centi_m2),
            2 * wide(t.yes_owners) > wide(t.voted_owners),
        )
    };
    Ok(Outcome {
        area_participation,
        owner_participation,
        area_majority,
        owner_majority,
        carried: area_participation && owner_participation && area_majority && owner_majority,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 300 owners, 30,000.00 ㎡.
    fn tally(voted: u64, voted_area: u64, yes: u64, yes_area: u64) -> Tally {
        Tally {
            owners: 300,
            area_centi_m2: 3_000_000,
            voted_owners: voted,
            voted_area_centi_m2: voted_area,
            yes_owners: yes,
            yes_area_centi_m2: yes_area,
        }
    }

    #[test]
    fn exactly_two_thirds_take_part_one_owner_short_does_not() {
        // 200 of 300 owners and 20,000.00 of 30,000.00 ㎡: exactly 2/3 of each (以上 includes it).
        let o =
            decide(Matter::SelectCompany, tally(200, 2_000_000, 101, 1_000_001)).expect("valid");
        assert!(
            o.area_participation && o.owner_participation && o.carried,
            "{o:?}"
        );
        // One owner short.
        let o =
            decide(Matter::SelectCompany, tally(199, 2_000_000, 101, 1_000_001)).expect("valid");
        assert!(!o.owner_participation && !o.carried);
        // One hundredth of a square metre short.
        let o =
            decide(Matter::SelectCompany, tally(200, 1_999_999, 101, 1_000_001)).expect("valid");
        assert!(!o.area_participation && !o.carried);
    }

    #[test]
    fn area_met_but_headcount_not() {
        // Large flats take part: 90 % of the area, 150 of 300 owners.
        let o = decide(Matter::UseFund, tally(150, 2_700_000, 150, 2_700_000)).expect("valid");
        assert!(o.area_participation);
        assert!(!o.owner_participation);
        assert!(!o.carried);
    }

    #[test]
    fn more_than_half_is_strict() {
        // 200 take part over 20,000.00 ㎡: exactly half agreeing is not 过半数.
        let o = decide(
            Matter::DismissCompany,
            tally(200, 2_000_000, 100, 1_000_000),
        )
        .expect("valid");
        assert!(!o.owner_majority && !o.area_majority && !o.carried);
        let o = decide(
            Matter::DismissCompany,
            tally(200, 2_000_000, 101, 1_000_000),
        )
        .expect("valid");
        assert!(o.owner_majority && !o.area_majority && !o.carried);
        let o = decide(
            Matter::DismissCompany,
            tally(200, 2_000_000, 101, 1_000_001),
        )
        .expect("valid");
        assert!(o.carried);
    }

    #[test]
    fn raising_the_fund_needs_three_quarters_inclusive() {
        // Exactly 3/4 of 200 owners (150) and of 20,000.00 ㎡ (15,000.00): carried.
        let o = decide(Matter::RaiseFund, tally(200, 2_000_000, 150, 1_500_000)).expect("valid");
        assert!(o.carried, "{o:?}");
        // Just under: 149 owners.
        let o = decide(Matter::RaiseFund, tally(200, 2_000_000, 149, 1_500_000)).expect("valid");
        assert!(!o.owner_majority && !o.carried);
        // Just under in area: 14,999.99 ㎡.
        let o = decide(Matter::RaiseFund, tally(200, 2_000_000, 150, 1_499_999)).expect("valid");
        assert!(!o.area_majority && !o.carried);
        // The same figures carry a simple-majority matter.
        assert!(
            decide(Matter::UseFund, tally(200, 2_000_000, 149, 1_499_999))
                .expect("valid")
                .carried
        );
    }

    #[test]
    fn inconsistent_figures_are_refused() {
        assert!(decide(Matter::Other, tally(301, 2_000_000, 0, 0)).is_err());
        assert!(decide(Matter::Other, tally(200, 2_000_000, 201, 0)).is_err());
        assert!(decide(Matter::Other, tally(200, 2_000_000, 100, 2_000_001)).is_err());
        let empty = Tally {
            owners: 0,
            area_centi_m2: 0,
            voted_owners: 0,
            voted_area_centi_m2: 0,
            yes_owners: 0,
            yes_area_centi_m2: 0,
        };
        assert!(decide(Matter::Other, empty).is_err());
    }
}
