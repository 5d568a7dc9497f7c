//! Red property (红色物业, issue 19 item 3): a compound's party-building records and the Erqi
//! rubric's party items (seed 002 附件 items 6–9, 15 points) counted from them.
//!
//! Seed 002 一（一） asks for "物业服务企业党建全覆盖" and 一（三） for "双向进入、交叉任职": the
//! company's head a part-time member of the community's 两委, a 两委 member the project's quality
//! supervisor. The 附件 scores it:
//! - item 6 (5 points, "缺项扣5分"): "物业服务项目成立党支部或党小组，党员数少于3人的进驻由街道办、
//!   社区派驻的党建指导员";
//! - item 7 (3 points, "缺项扣0.5分/月"): "社区委员会、业主委员会（自治组织）、物业服务企业每月召开一次
//!   “三方联动”议事会";
//! - item 8 (5 points, "缺项扣5分"): the two cross appointments;
//! - item 9 (2 points, "未实施扣2分，合理化建议未整改扣0.5分/次"): "每半年组织居民党员、居民代表征询
//!   物业服务质量评价，及时对提出的合理化意见进行整改".
//!
//! Readings taken here (the seed states none of them):
//! - A record is *in force in the period* when its days (`started_on` to `ended_on`, both
//!   inclusive; no end: still in force) share at least one day with the period. A branch ended
//!   the day before the period starts does not count; one ended on the period's first day does.
//! - Item 6: the element is a 党支部 or 党小组 of **at least 3** party members, or a 党建指导员 sent by
//!   the street or community. A branch or group recorded with fewer than 3 members does not
//!   satisfy it alone (the seed's "党员数少于3人的" get an instructor instead); exactly 3 does.
//!   Missing: one `party_org_lacking` (the item has one element).
//! - Item 7: one `tripartite_meeting_missed` per calendar month the period touches in which the
//!   compound's community held no 三方联动议事会 (the meetings are the organisation module's
//!   `MeetingKind::Tripartite`, filed under the community; a meeting on a month's last day counts
//!   for that month). The caller gives the months in which one was held.
//! - Item 8: one `cross_appointment_lacking` for each of the two appointments not in force in the
//!   period (company head in the 两委; 两委 member as quality supervisor).
//! - Item 9: "每半年" is read as the half-year ending with the period's last day (its six calendar
//!   months: the period's last month and the five before it). No 征询 held in it: one
//!   `consultation_not_held`; otherwise `suggestion_not_rectified` = the reasonable suggestions of
//!   the 征询 held in it not rectified (suggestions − rectified, summed). A quarter's assessment thus
//!   also sees the previous quarter's 征询.

use crate::fees::Month;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

codes! {
    /// A kind of red property record (红色物业).
    PartyRecordKind {
        Branch = "branch", "党支部", "Party branch";
        Group = "group", "党小组", "Party group";
        Instructor = "instructor", "党建指导员", "Party-building instructor";
        HeadInCommittee = "head_in_committee", "企业负责人任社区“两委”兼职委员", "company head as part-time member of the community's two committees";
        QualitySupervisor = "quality_supervisor", "“两委”委员任项目质量监督员", "committee member as the project's quality supervisor";
        Consultation = "consultation", "居民党员、居民代表征询", "consultation of resident Party members and representatives";
    }
}

impl PartyRecordKind {
    /// A 征询 is held on one day; every other record runs from a start to an optional end.
    pub fn is_dated_once(self) -> bool {
        self == PartyRecordKind::Consultation
    }
}

/// The fewest party members of a 党支部 or 党小组 that satisfies item 6 without an instructor.
pub const BRANCH_MIN_MEMBERS: u32 = 3;

/// What the counting needs of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyFact {
    pub kind: PartyRecordKind,
    /// The day it began (a 征询: the day it was held).
    pub started_on: Date,
    /// Its last day in force, when ended.
    pub ended_on: Option<Date>,
    /// Party members (a branch or group).
    pub members: u32,
    /// Reasonable suggestions made and rectified (a 征询).
    pub suggestions: u32,
    pub rectified: u32,
}

impl PartyFact {
    /// Shares at least one day with `start..=end`.
    pub fn in_force(&self, start: Date, end: Date) -> bool {
        self.started_on <= end && self.ended_on.is_none_or(|e| e >= start)
    }
}

/// One deduction code's count from records, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyCount {
    /// The rubric item (6–9).
    pub item: u32,
    pub code: String,
    pub count: u32,
    pub why_zh: String,
    pub why_en: String,
}

/// The five deduction codes, in the rubric's order, with their items.
pub const CODES: [(u32, &str); 5] = [
    (6, "party_org_lacking"),
    (7, "tripartite_meeting_missed"),
    (8, "cross_appointment_lacking"),
    (9, "consultation_not_held"),
    (9, "suggestion_not_rectified"),
];

/// The calendar months `start..=end` touches.
pub fn months_of(start: Date, end: Date) -> Vec<Month> {
    let mut out = Vec::new();
    let last = Month::of(end);
    let mut m = Month::of(start);
    while m <= last {
        out.push(m);
        m = m.next();
    }
    out
}

/// The first day of the half-year ending with `end`'s month (item 9's window).
pub fn half_year_start(end: Date) -> Date {
    let first = end.first_of_month();
    first
        .checked_sub(jiff::Span::new().months(5))
        .unwrap_or(first)
}

/// Counts the five party deduction codes for a period `start..=end` from a compound's
/// `records` and the `held` months in which its community held a 三方联动议事会 (see the module
/// doc for every reading).
pub fn counts(
    records: &[PartyFact],
    start: Date,
    end: Date,
    held: &BTreeSet<Month>,
) -> Vec<PartyCount> {
    use PartyRecordKind as K;
    let in_force = |k: K| {
        records
            .iter()
            .filter(move |r| r.kind == k && r.in_force(start, end))
    };
    let mut out = Vec::with_capacity(5);

    // Item 6.
    let branch = records
        .iter()
        .filter(|r| matches!(r.kind, K::Branch | K::Group) && r.in_force(start, end))
        .map(|r| r.members)
        .max();
    let instructor = in_force(K::Instructor).next().is_some();
    let (n, zh, en) = match (branch, instructor) {
        (Some(m), _) if m >= BRANCH_MIN_MEMBERS => (
            0,
            format!("期内有党支部/党小组（党员 {m} 人）"),
            format!("a Party branch or group ({m} members) in the period"),
        ),
        (_, true) => (
            0,
            "期内有派驻的党建指导员".to_string(),
            "a Party-building instructor stationed in the period".to_string(),
        ),
        (Some(m), false) => (
            1,
            format!("党支部/党小组党员 {m} 人（少于3人），期内未派驻党建指导员"),
            format!("the branch or group has {m} members (fewer than 3) and no instructor"),
        ),
        (None, false) => (
            1,
            "期内既无党支部/党小组，也无党建指导员".to_string(),
            "neither a Party branch or group nor an instructor in the period".to_string(),
        ),
    };
    out.push(count(6, CODES[0].1, n, zh, en));

    // Item 7.
    let months = months_of(start, end);
    let missed: Vec<String> = months
        .iter()
        .filter(|m| !held.contains(m))
        .map(ToString::to_string)
        .collect();
    let (zh, en) = if missed.is_empty() {
        (
            format!("期内 {} 个月均召开了三方联动议事会", months.len()),
            format!(
                "a tripartite meeting in each of the {} months",
                months.len()
            ),
        )
    } else {
        (
            format!("未召开三方联动议事会的月份：{}", missed.join("、")),
            format!("no tripartite meeting in {}", missed.join(", ")),
        )
    };
    out.push(count(7, CODES[1].1, missed.len() as u32, zh, en));

    // Item 8.
    let head = in_force(K::HeadInCommittee).next().is_some();
    let supervisor = in_force(K::QualitySupervisor).next().is_some();
    let mut lacking_zh = Vec::new();
    let mut lacking_en = Vec::new();
    if !head {
        lacking_zh.push("企业负责人任社区“两委”兼职委员");
        lacking_en.push("company head on the two committees");
    }
    if !supervisor {
        lacking_zh.push("“两委”委员任项目质量监督员");
        lacking_en.push("committee member as quality supervisor");
    }
    let (zh, en) = if lacking_zh.is_empty() {
        (
            "期内双向进入、交叉任职均已落实".to_string(),
            "both cross appointments in force in the period".to_string(),
        )
    } else {
        (
            format!("期内缺：{}", lacking_zh.join("；")),
            format!("missing in the period: {}", lacking_en.join("; ")),
        )
    };
    out.push(count(8, CODES[2].1, lacking_zh.len() as u32, zh, en));

    // Item 9.
    let from = half_year_start(end);
    let held_consultations: Vec<&PartyFact> = records
        .iter()
        .filter(|r| r.kind == K::Consultation && r.started_on >= from && r.started_on <= end)
        .collect();
    let window_zh = format!("{from} 至 {end}");
    let window_en = format!("{from} to {end}");
    if held_consultations.is_empty() {
        out.push(count(
            9,
            CODES[3].1,
            1,
            format!("半年内（{window_zh}）未组织征询"),
            format!("no consultation in the half-year {window_en}"),
        ));
        out.push(count(
            9,
            CODES[4].1,
            0,
            "无征询，无合理化建议".to_string(),
            "no consultation, no suggestions".to_string(),
        ));
    } else {
        let last = held_consultations
            .iter()
            .map(|r| r.started_on)
            .max()
            .unwrap_or(end);
        out.push(count(
            9,
            CODES[3].1,
            0,
            format!("半年内（{window_zh}）已征询，最近一次 {last}"),
            format!("consulted in the half-year {window_en}, last on {last}"),
        ));
        let made: u32 = held_consultations.iter().map(|r| r.suggestions).sum();
        let done: u32 = held_consultations
            .iter()
            .map(|r| r.rectified.min(r.suggestions))
            .sum();
        out.push(count(
            9,
            CODES[4].1,
            made - done,
            format!("合理化建议 {made} 条，已整改 {done} 条"),
            format!("{made} reasonable suggestions, {done} rectified"),
        ));
    }
    out
}

fn count(item: u32, code: &str, count: u32, why_zh: String, why_en: String) -> PartyCount {
    PartyCount {
        item,
        code: code.to_string(),
        count,
        why_zh,
        why_en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fact(kind: PartyRecordKind, from: Date, to: Option<Date>) -> PartyFact {
        PartyFact {
            kind,
            started_on: from,
            ended_on: to,
            members: 0,
            suggestions: 0,
            rectified: 0,
        }
    }

    fn branch(members: u32, from: Date, to: Option<Date>) -> PartyFact {
        PartyFact {
            members,
            ..fact(PartyRecordKind::Branch, from, to)
        }
    }

    fn consultation(on: Date, suggestions: u32, rectified: u32) -> PartyFact {
        PartyFact {
            suggestions,
            rectified,
            ..fact(PartyRecordKind::Consultation, on, None)
        }
    }

    fn months(list: &[(i16, i8)]) -> BTreeSet<Month> {
        list.iter()
            .map(|&(y, m)| Month::new(y, m).expect("a month"))
            .collect()
    }

    fn of(records: &[PartyFact], held: &[(i16, i8)]) -> Vec<u32> {
        counts(
            records,
            date(2026, 10, 1),
            date(2026, 12, 31),
            &months(held),
        )
        .into_iter()
        .map(|c| c.count)
        .collect()
    }

    const Q4: [(i16, i8); 3] = [(2026, 10), (2026, 11), (2026, 12)];

    /// Item 6, seed 002 附件: 党支部/党小组, fewer than 3 members → 党建指导员.
    #[test]
    fn item_6_branch_or_instructor() {
        use PartyRecordKind as K;
        let start = date(2026, 10, 1);
        let cases: Vec<(&str, Vec<PartyFact>, u32)> = vec![
            ("nothing", vec![], 1),
            (
                "a branch of exactly 3",
                vec![branch(3, date(2025, 1, 1), None)],
                0,
            ),
            ("a branch of 2", vec![branch(2, date(2025, 1, 1), None)], 1),
            (
                "a branch of 2 and an instructor",
                vec![
                    branch(2, date(2025, 1, 1), None),
                    fact(K::Instructor, date(2026, 3, 1), None),
                ],
                0,
            ),
            (
                "a branch ended the day before the period",
                vec![branch(5, date(2025, 1, 1), Some(date(2026, 9, 30)))],
                1,
            ),
            (
                "a branch ended on the period's first day",
                vec![branch(5, date(2025, 1, 1), Some(start))],
                0,
            ),
            (
                "a group started on the period's last day",
                vec![PartyFact {
                    members: 3,
                    ..fact(K::Group, date(2026, 12, 31), None)
                }],
                0,
            ),
            (
                "a group started the day after",
                vec![PartyFact {
                    members: 3,
                    ..fact(K::Group, date(2027, 1, 1), None)
                }],
                1,
            ),
            (
                "an instructor ended before the period",
                vec![fact(
                    K::Instructor,
                    date(2026, 1, 1),
                    Some(date(2026, 9, 30)),
                )],
                1,
            ),
        ];
        for (what, records, expected) in cases {
            assert_eq!(of(&records, &Q4)[0], expected, "{what}");
        }
    }

    /// Item 7: −0.5 per month without the 三方联动议事会.
    #[test]
    fn item_7_one_per_month_without_the_meeting() {
        assert_eq!(of(&[], &Q4)[1], 0);
        assert_eq!(of(&[], &[(2026, 10), (2026, 11)])[1], 1);
        assert_eq!(of(&[], &[])[1], 3);
        // A meeting in September does not count for the quarter.
        assert_eq!(of(&[], &[(2026, 9), (2026, 10), (2026, 11)])[1], 1);
        let c = counts(
            &[],
            date(2026, 10, 1),
            date(2026, 12, 31),
            &months(&[(2026, 10), (2026, 11)]),
        );
        assert_eq!(c[1].why_zh, "未召开三方联动议事会的月份：2026-12");
        assert_eq!(c[1].why_en, "no tripartite meeting in 2026-12");
    }

    /// A meeting on a month's last day belongs to that month.
    #[test]
    fn a_meeting_on_the_last_day_counts_for_its_month() {
        let held: BTreeSet<Month> = [date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31)]
            .into_iter()
            .map(Month::of)
            .collect();
        assert_eq!(
            counts(&[], date(2026, 10, 1), date(2026, 12, 31), &held)[1].count,
            0
        );
    }

    /// Item 8: one per missing appointment.
    #[test]
    fn item_8_one_per_missing_appointment() {
        use PartyRecordKind as K;
        let head = fact(K::HeadInCommittee, date(2026, 5, 1), None);
        let sup = fact(
            K::QualitySupervisor,
            date(2026, 5, 1),
            Some(date(2026, 10, 1)),
        );
        assert_eq!(of(&[], &Q4)[2], 2);
        assert_eq!(of(std::slice::from_ref(&head), &Q4)[2], 1);
        assert_eq!(of(&[head.clone(), sup], &Q4)[2], 0);
        let sup_gone = fact(
            K::QualitySupervisor,
            date(2026, 5, 1),
            Some(date(2026, 9, 30)),
        );
        assert_eq!(of(&[head, sup_gone], &Q4)[2], 1);
    }

    /// Item 9: 每半年 征询; suggestions not rectified.
    #[test]
    fn item_9_consultation_in_the_half_year() {
        assert_eq!(half_year_start(date(2026, 12, 31)), date(2026, 7, 1));
        assert_eq!(half_year_start(date(2026, 6, 30)), date(2026, 1, 1));
        // None: not held.
        assert_eq!(&of(&[], &Q4)[3..], &[1, 0]);
        // Held on the window's first day, 4 suggestions, 3 rectified.
        assert_eq!(
            &of(&[consultation(date(2026, 7, 1), 4, 3)], &Q4)[3..],
            &[0, 1]
        );
        // The day before the window: not held.
        assert_eq!(
            &of(&[consultation(date(2026, 6, 30), 4, 0)], &Q4)[3..],
            &[1, 0]
        );
        // Two in the window add up; more rectified than made counts as all.
        assert_eq!(
            &of(
                &[
                    consultation(date(2026, 8, 1), 2, 0),
                    consultation(date(2026, 12, 31), 3, 5)
                ],
                &Q4
            )[3..],
            &[0, 2]
        );
    }

    /// The issue's scenario: a branch, a company head appointment and a consultation, meetings
    /// in October and November; the quarter Oct–Dec.
    #[test]
    fn the_quarter_of_the_issue() {
        use PartyRecordKind as K;
        let records = [
            branch(3, date(2026, 10, 8), None),
            fact(K::HeadInCommittee, date(2026, 10, 9), None),
            consultation(date(2026, 11, 20), 3, 2),
        ];
        assert_eq!(of(&records, &[(2026, 10), (2026, 11)]), vec![0, 1, 1, 0, 1]);
    }
}
