//! The 调度表 as a submission (seed 003 附件5 注2: "每月1号、15号报送至区住建局"): each street
//! files its progress sheet for every 1st and 15th from the day its district starts the
//! schedule; the district sees who filed on time, who filed late and who has not filed.
//!
//! Decisions the seed leaves open, taken here:
//! - A filing is *for* a filing day (a 1st or a 15th). It is on time when made on or before that
//!   day; after it, late by the days between. A street may file for the next filing day ahead of
//!   it (from the day after the previous one), never for a later one.
//! - A filing day with no filing is 逾期未报 from the day after it; the day itself is on time.
//! - Filings are owed from the district's start day (the first filing day on or after it).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// 注2: the 1st and the 15th.
pub fn is_filing_day(d: Date) -> bool {
    d.day() == 1 || d.day() == 15
}

/// The latest filing day on or before `d`.
pub fn filing_day_on_or_before(d: Date) -> Date {
    let day = if d.day() >= 15 { 15 } else { 1 };
    Date::new(d.year(), d.month(), day).unwrap_or(d)
}

/// The first filing day on or after `d`.
pub fn filing_day_on_or_after(d: Date) -> Date {
    if is_filing_day(d) {
        return d;
    }
    if d.day() < 15 {
        return Date::new(d.year(), d.month(), 15).unwrap_or(d);
    }
    d.first_of_month()
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(d)
}

/// The filing days from `from` through `to`, both included when they are filing days.
pub fn filing_days(from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = filing_day_on_or_after(from);
    while d <= to {
        out.push(d);
        let next = d.tomorrow().map(filing_day_on_or_after);
        match next {
            Ok(n) if n > d => d = n,
            _ => break,
        }
    }
    out
}

/// Where one street stands for one filing day, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// Filed on or before the filing day.
    OnTime { filed_on: Date },
    /// Filed after it, by `days`.
    Late { filed_on: Date, days: i32 },
    /// Not filed, and the filing day has passed by `days` (逾期未报).
    Missing { days: i32 },
    /// Not filed, and the filing day has not passed.
    Due,
}

impl Standing {
    /// A filing day's standing from its filing (if any) and the day asked.
    pub fn of(due: Date, filed_on: Option<Date>, as_of: Date) -> Standing {
        let days = |a: Date, b: Date| (a - b).get_days();
        match filed_on {
            Some(f) if f <= due => Standing::OnTime { filed_on: f },
            Some(f) => Standing::Late {
                filed_on: f,
                days: days(f, due),
            },
            None if as_of > due => Standing::Missing {
                days: days(as_of, due),
            },
            None => Standing::Due,
        }
    }

    pub fn label(self, lang: crate::Lang) -> String {
        match self {
            Standing::OnTime { filed_on } => {
                format!("{} {filed_on}", lang.pick("按期报送", "filed on time"))
            }
            Standing::Late { filed_on, days } => match lang {
                crate::Lang::Zh => format!("逾期报送 {filed_on}（晚 {days} 天）"),
                crate::Lang::En => format!("filed late {filed_on} ({days} day(s) late)"),
            },
            Standing::Missing { days } => match lang {
                crate::Lang::Zh => format!("逾期未报（已逾期 {days} 天）"),
                crate::Lang::En => format!("not filed ({days} day(s) overdue)"),
            },
            Standing::Due => lang.pick("待报送", "due").to_string(),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Standing::Missing { .. })
    }
}

/// The filing days a street may file for on `today`: the owed ones not filed yet (late, or
/// today's) and the next one ahead (the window after the previous filing day), earliest first.
pub fn fileable(starts_on: Date, today: Date, filed: &[Date]) -> Vec<Date> {
    let next = filing_day_on_or_after(today);
    filing_days(starts_on, next)
        .into_iter()
        .filter(|d| !filed.contains(d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn filing_days_are_the_1st_and_the_15th() {
        assert!(is_filing_day(date(2026, 12, 1)));
        assert!(is_filing_day(date(2026, 12, 15)));
        assert!(!is_filing_day(date(2026, 12, 16)));
        assert_eq!(
            filing_day_on_or_before(date(2026, 12, 14)),
            date(2026, 12, 1)
        );
        assert_eq!(
            filing_day_on_or_before(date(2026, 12, 15)),
            date(2026, 12, 15)
        );
        assert_eq!(
            filing_day_on_or_after(date(2026, 12, 2)),
            date(2026, 12, 15)
        );
        assert_eq!(filing_day_on_or_after(date(2026, 12, 16)), date(2027, 1, 1));
        assert_eq!(
            filing_day_on_or_after(date(2026, 12, 15)),
            date(2026, 12, 15)
        );
        assert_eq!(
            filing_days(date(2026, 11, 10), date(2026, 12, 15)),
            vec![date(2026, 11, 15), date(2026, 12, 1), date(2026, 12, 15)]
        );
        assert!(filing_days(date(2026, 12, 2), date(2026, 12, 14)).is_empty());
    }

    #[test]
    fn the_filing_day_itself_is_on_time() {
        let due = date(2026, 12, 1);
        assert_eq!(
            Standing::of(due, Some(due), date(2026, 12, 7)),
            Standing::OnTime { filed_on: due }
        );
        assert_eq!(
            Standing::of(due, Some(date(2026, 12, 3)), date(2026, 12, 7)),
            Standing::Late {
                filed_on: date(2026, 12, 3),
                days: 2
            }
        );
        assert_eq!(Standing::of(due, None, due), Standing::Due);
        assert_eq!(
            Standing::of(due, None, date(2026, 12, 2)),
            Standing::Missing { days: 1 }
        );
        assert!(Standing::of(due, None, date(2026, 12, 7)).is_overdue());
        assert!(
            Standing::of(due, None, date(2026, 12, 7))
                .label(crate::Lang::Zh)
                .contains("逾期未报")
        );
    }

    #[test]
    fn a_street_may_file_the_owed_days_and_the_next_one_only() {
        let start = date(2026, 11, 1);
        let today = date(2026, 12, 7);
        assert_eq!(
            fileable(start, today, &[date(2026, 11, 1), date(2026, 12, 1)]),
            vec![date(2026, 11, 15), date(2026, 12, 15)]
        );
        // On a filing day that day is the next one.
        assert_eq!(
            fileable(
                start,
                date(2026, 12, 15),
                &filing_days(start, date(2026, 12, 1))
            ),
            vec![date(2026, 12, 15)]
        );
        // A schedule that starts after the next filing day owes nothing yet.
        assert!(fileable(date(2027, 1, 1), today, &[]).is_empty());
    }
}
