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
#[schema(as = VoteOutcome)]
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

codes! {
    /// What a ballot says.
    Choice {
        ForOption = "option", "选择", "for an option";
        Against = "against", "反对", "against";
        Abstain = "abstain", "弃权", "abstain";
    }
}

codes! {
    /// Where a vote stands.
    VoteStatus {
        Open = "open", "表决中", "open";
        Closed = "closed", "已结束", "closed";
    }
}

codes! {
    /// How a ballot came in.
    Channel {
        Online = "online", "扫码投票", "online";
        Paper = "paper", "纸质选票", "paper ballot";
    }
}

/// One ballot cast: its household's exclusive area and what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cast {
    pub area_centi_m2: u64,
    pub choice: Choice,
    /// The option chosen (1-based) when `choice` is `ForOption`.
    pub option_no: Option<u32>,
}

/// One option's figures and whether it carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OptionResult {
    pub no: u32,
    pub tally: Tally,
    pub outcome: Outcome,
}

/// A vote counted: who took part, what they said, and each option's outcome. A household is one
/// owner (一个专有部分按一人计算); 弃权 takes part and agrees to nothing; 反对 (or, among several
/// options, 都不同意) agrees to no option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteCount {
    pub matter: Matter,
    pub owners: u64,
    pub area_centi_m2: u64,
    pub voted_owners: u64,
    pub voted_area_centi_m2: u64,
    pub against_owners: u64,
    pub against_area_centi_m2: u64,
    pub abstain_owners: u64,
    pub abstain_area_centi_m2: u64,
    pub options: Vec<OptionResult>,
    /// The option carried, if one did (at most one can: each needs more than half, or 3/4, of
    /// the same participants).
    pub carried: Option<u32>,
}

impl VoteCount {
    /// ≥ 2/3 of both the owners and the area took part.
    pub fn participation_met(&self) -> bool {
        self.options
            .first()
            .is_some_and(|o| o.outcome.area_participation && o.outcome.owner_participation)
    }

    /// Why nothing carried, in the reader's language (`None` when something did).
    pub fn why_not(&self, lang: crate::Lang) -> Option<String> {
        if self.carried.is_some() {
            return None;
        }
        let first = self.options.first()?;
        let o = &first.outcome;
        let mut parts = Vec::new();
        if !o.owner_participation {
            parts.push(lang.pick(
                "参与表决人数不足三分之二",
                "fewer than 2/3 of the owners took part",
            ));
        }
        if !o.area_participation {
            parts.push(lang.pick(
                "参与表决的专有部分面积不足三分之二",
                "less than 2/3 of the area took part",
            ));
        }
        if parts.is_empty() {
            parts.push(if self.matter.needs_three_quarters() {
                lang.pick(
                    "同意的面积或人数未达到参与表决的四分之三",
                    "agreement short of 3/4 of the participating area or owners",
                )
            } else {
                lang.pick(
                    "同意的面积或人数未超过参与表决的半数",
                    "agreement not above half of the participating area or owners",
                )
            });
        }
        Some(parts.join(lang.pick("；", "; ")))
    }
}

/// Counts the ballots cast in a vote of `options` options among `owners` households holding
/// `area_centi_m2`.
pub fn count(
    matter: Matter,
    owners: u64,
    area_centi_m2: u64,
    options: u32,
    casts: &[Cast],
) -> Result<VoteCount, TallyError> {
    let mut c = VoteCount {
        matter,
        owners,
        area_centi_m2,
        voted_owners: 0,
        voted_area_centi_m2: 0,
        against_owners: 0,
        against_area_centi_m2: 0,
        abstain_owners: 0,
        abstain_area_centi_m2: 0,
        options: Vec::new(),
        carried: None,
    };
    let mut yes = vec![(0u64, 0u64); options as usize];
    for b in casts {
        c.voted_owners += 1;
        c.voted_area_centi_m2 += b.area_centi_m2;
        match (b.choice, b.option_no) {
            (Choice::ForOption, Some(n)) if n >= 1 && n <= options => {
                let y = &mut yes[(n - 1) as usize];
                y.0 += 1;
                y.1 += b.area_centi_m2;
            }
            (Choice::ForOption, _) => {
                return Err(TallyError {
                    zh: format!("选票选择了不存在的选项 {:?}", b.option_no),
                    en: format!("a ballot chose a missing option {:?}", b.option_no),
                });
            }
            (Choice::Against, _) => {
                c.against_owners += 1;
                c.against_area_centi_m2 += b.area_centi_m2;
            }
            (Choice::Abstain, _) => {
                c.abstain_owners += 1;
                c.abstain_area_centi_m2 += b.area_centi_m2;
            }
        }
    }
    for (i, (yes_owners, yes_area)) in yes.into_iter().enumerate() {
        let tally = Tally {
            owners,
            area_centi_m2,
            voted_owners: c.voted_owners,
            voted_area_centi_m2: c.voted_area_centi_m2,
            yes_owners,
            yes_area_centi_m2: yes_area,
        };
        let outcome = decide(matter, tally)?;
        let no = i as u32 + 1;
        if outcome.carried {
            c.carried = Some(no);
        }
        c.options.push(OptionResult { no, tally, outcome });
    }
    Ok(c)
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

    fn cast(area: u64, choice: Choice, option_no: Option<u32>) -> Cast {
        Cast {
            area_centi_m2: area,
            choice,
            option_no,
        }
    }

    #[test]
    fn counting_ballots_for_two_companies() {
        // 6 households of 100.00 ㎡: 4 take part (2/3 exactly); A gets 3, B 1 → A carries.
        let casts = [
            cast(10_000, Choice::ForOption, Some(1)),
            cast(10_000, Choice::ForOption, Some(1)),
            cast(10_000, Choice::ForOption, Some(1)),
            cast(10_000, Choice::ForOption, Some(2)),
        ];
        let c = count(Matter::SelectCompany, 6, 60_000, 2, &casts).expect("count");
        assert_eq!(c.voted_owners, 4);
        assert!(c.participation_met());
        assert_eq!(c.carried, Some(1));
        assert_eq!(c.options[1].tally.yes_owners, 1);
        assert_eq!(c.why_not(crate::Lang::Zh), None);
        // Three take part: short of 2/3, nothing carries and the reason says so.
        let c = count(Matter::SelectCompany, 6, 60_000, 2, &casts[..3]).expect("count");
        assert_eq!(c.carried, None);
        assert_eq!(
            c.why_not(crate::Lang::Zh).as_deref(),
            Some("参与表决人数不足三分之二；参与表决的专有部分面积不足三分之二")
        );
    }

    #[test]
    fn abstaining_takes_part_and_agrees_to_nothing() {
        // 4 of 4 take part; 2 agree, 1 abstains, 1 against: exactly half agrees, not carried.
        let casts = [
            cast(10_000, Choice::ForOption, Some(1)),
            cast(10_000, Choice::ForOption, Some(1)),
            cast(10_000, Choice::Abstain, None),
            cast(10_000, Choice::Against, None),
        ];
        let c = count(Matter::UseFund, 4, 40_000, 1, &casts).expect("count");
        assert!(c.participation_met());
        assert_eq!((c.abstain_owners, c.against_owners), (1, 1));
        assert_eq!(c.carried, None);
        assert!(
            c.why_not(crate::Lang::Zh)
                .expect("why")
                .contains("未超过参与表决的半数")
        );
        assert!(
            count(
                Matter::UseFund,
                4,
                40_000,
                1,
                &[cast(1, Choice::ForOption, Some(2))]
            )
            .is_err()
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
