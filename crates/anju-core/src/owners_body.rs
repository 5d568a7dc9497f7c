//! Owners' bodies as records with their lifecycle (issue 19 item 1; seed 001 四（五）: the street
//! "组织、指导无物业小区业主大会成立和业主委员会选举、换届工作"; seed 003 二（二）: "业主委员会备案、
//! 换届选举"; seed 004 三（一）: 业主委员会 and 物业管理委员会, each member's 职责清单).
//!
//! A body goes 筹备 (a preparatory group, 筹备组) → 选举 (elected, with its members) → 备案 (filed
//! with the street: in office from then, for its term) → 届满 (its term over, or succeeded by the
//! next body's filing: 换届). Decisions the seeds leave open, taken here:
//! - The term is set per body in whole years, 1–5 (the seeds give none; 5 is the default, the
//!   longest the model rules of most provinces allow). It runs from the election day; its last
//!   day is the day before the same date `years` later.
//! - 换届 is due when the term's last day is within 90 days (issue 18 item 5: "an owners' body
//!   whose term ends within 90 days"), counting today and the last day; after the last day the
//!   body is 已届满 (overdue for 换届) until its successor is filed.
//! - A member's contact is kept but shown only to the street and community (and the district);
//!   party membership is recorded (red property, seed 002 一（一）).

use serde::{Deserialize, Serialize};

codes! {
    /// Where an owners' body stands.
    BodyStatus {
        Preparing = "preparing", "筹备中", "preparing";
        Elected = "elected", "已选举待备案", "elected, not yet filed";
        InOffice = "in_office", "在任", "in office";
        Ended = "ended", "已届满/已换届", "ended";
    }
}

codes! {
    /// A step of an owners' body.
    BodyStep {
        Elect = "elect", "选举", "elect";
        File = "file", "备案", "file";
        End = "end", "届满", "end";
    }
}

codes! {
    /// A member's place on the body.
    BodyRole {
        Chair = "chair", "主任", "chair";
        ViceChair = "vice_chair", "副主任", "vice chair";
        Member = "member", "委员", "member";
        Alternate = "alternate", "候补委员", "alternate";
        Preparer = "preparer", "筹备组成员", "preparatory group member";
    }
}

/// How near 换届 is, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Renewal {
    /// The term's last day is more than the window away.
    NotDue,
    /// Due: the last day is `days_left` days away (0: today), within the window.
    Due { days_left: i64 },
    /// The term ended `days_over` days ago (≥ 1) and no successor is filed.
    Overdue { days_over: i64 },
}

/// The window before a term's last day in which 换届 is due (issue 18 item 5).
pub const RENEWAL_WINDOW_DAYS: i64 = 90;

/// Term lengths allowed, in years, and the default.
pub const TERM_YEARS: (u32, u32) = (1, 5);
pub const DEFAULT_TERM_YEARS: u32 = 5;

/// The last day of a term of `years` starting on `start` (the day before the same date `years`
/// later; a term from 29 February ends on 27 February, the day before the 28th it maps to).
pub fn term_last_day(start: jiff::civil::Date, years: u32) -> jiff::civil::Date {
    // The contracts' rule: from the start day inclusive to the day before the same date later.
    crate::contract::Term::months(years * 12).last_day(start)
}

/// 换届 standing of a body in office whose term's last day is `last`, as of `today`.
pub fn renewal(last: jiff::civil::Date, today: jiff::civil::Date) -> Renewal {
    let days = crate::contract::days_between(today, last);
    if days < 0 {
        Renewal::Overdue { days_over: -days }
    } else if days <= RENEWAL_WINDOW_DAYS {
        Renewal::Due { days_left: days }
    } else {
        Renewal::NotDue
    }
}

/// The status after `step`, or why it cannot be taken now (both languages).
pub fn next(
    status: BodyStatus,
    step: BodyStep,
) -> Result<BodyStatus, crate::referral::StepRefused> {
    use BodyStatus as S;
    use BodyStep as T;
    match (status, step) {
        (S::Preparing, T::Elect) => Ok(S::Elected),
        (S::Elected, T::File) => Ok(S::InOffice),
        (S::InOffice, T::End) => Ok(S::Ended),
        (S::Preparing, T::File) => Err(crate::referral::StepRefused {
            zh: "请先记录选举结果，再备案".into(),
            en: "record the election before filing".into(),
        }),
        (S::Ended, _) => Err(crate::referral::StepRefused {
            zh: "该业主组织已届满，不能再改动；换届请新建下一届".into(),
            en: "the body has ended; record the next term as a new body".into(),
        }),
        (s, t) => Err(crate::referral::StepRefused {
            zh: format!(
                "业主组织当前为“{}”，不能{}",
                s.label(crate::Lang::Zh),
                t.label(crate::Lang::Zh)
            ),
            en: format!(
                "the body is {}: \"{}\" cannot be taken now",
                s.label(crate::Lang::En),
                t.label(crate::Lang::En)
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_term_ends_the_day_before_its_anniversary() {
        assert_eq!(term_last_day(date(2022, 11, 20), 5), date(2027, 11, 19));
        assert_eq!(term_last_day(date(2024, 2, 29), 1), date(2025, 2, 27));
        assert_eq!(term_last_day(date(2026, 1, 1), 3), date(2028, 12, 31));
    }

    #[test]
    fn renewal_is_due_within_ninety_days_counting_both_ends() {
        let last = date(2027, 3, 31);
        // 90 days before the last day: due; 91: not yet.
        assert_eq!(
            renewal(last, date(2026, 12, 31)),
            Renewal::Due { days_left: 90 }
        );
        assert_eq!(renewal(last, date(2026, 12, 30)), Renewal::NotDue);
        assert_eq!(renewal(last, last), Renewal::Due { days_left: 0 });
        assert_eq!(
            renewal(last, date(2027, 4, 1)),
            Renewal::Overdue { days_over: 1 }
        );
    }

    #[test]
    fn a_body_is_elected_then_filed_then_ends_and_never_skips() {
        use BodyStatus as S;
        use BodyStep as T;
        assert_eq!(next(S::Preparing, T::Elect), Ok(S::Elected));
        assert_eq!(next(S::Elected, T::File), Ok(S::InOffice));
        assert_eq!(next(S::InOffice, T::End), Ok(S::Ended));
        assert!(
            next(S::Preparing, T::File)
                .expect_err("refused")
                .zh
                .contains("先记录选举")
        );
        assert!(next(S::Ended, T::Elect).is_err());
        assert!(next(S::InOffice, T::Elect).is_err());
    }
}
