//! Date arithmetic, defined once and tested at the month ends.
//!
//! **The end-of-month rule.** "n months after date A" is always counted from A itself, never by
//! chaining: A + n months keeps A's day of the month, and when that month is shorter, it is
//! that month's last day. So a contract signed on 31 January reaches one month on 28 (or 29)
//! February, two months on 31 March, twelve months on 31 January of the next year. Years are
//! twelve months (29 February + 1 year = 28 February).
//!
//! **Intervals are half-open** `[start, end)`: a period "from 2022-05-01, one year" is
//! 2022-05-01 ..< 2023-05-01, so it ends on (includes) 2023-04-30. A date a user types as
//! the last day of something (`ended`, `term_end`) is inclusive and becomes `end = day + 1`.

use jiff::civil::Date;

/// `a + n` months by the end-of-month rule. `None` outside the years jiff supports.
///
/// Plain integer arithmetic (the batch engine calls this millions of times); the result is the
/// same as jiff's `a + n.months()`, which a test checks.
#[inline]
pub fn add_months(a: Date, n: i32) -> Option<Date> {
    let total = (i32::from(a.year()) * 12 + i32::from(a.month()) - 1).checked_add(n)?;
    let year = i16::try_from(total.div_euclid(12)).ok()?;
    let month = (total.rem_euclid(12) + 1) as i8;
    let last = days_in_month(year, month);
    Date::new(year, month, a.day().min(last)).ok()
}

fn is_leap(y: i16) -> bool {
    let y = i32::from(y);
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in a month of the proleptic Gregorian calendar.
#[inline]
pub fn days_in_month(y: i16, m: i8) -> i8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn day_number(d: Date) -> i64 {
    let (y, m, dd) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `a + n` years (= 12 n months).
pub fn add_years(a: Date, n: i32) -> Option<Date> {
    add_months(a, n.checked_mul(12)?)
}

/// The day after `d`.
pub fn next_day(d: Date) -> Option<Date> {
    d.tomorrow().ok()
}

/// Days from `a` to `b` (`b - a`), negative when `b` is earlier.
pub fn days_between(a: Date, b: Date) -> i64 {
    day_number(b) - day_number(a)
}

/// Service time in `[start, end)` as whole months counted from `start` by the end-of-month
/// rule, plus the days left over (always fewer than one more month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthsAndDays {
    pub months: u32,
    pub days: u32,
    /// Where the whole months end and the left-over days begin.
    pub part_from: Date,
}

/// Splits `[start, end)` into whole months and left-over days. `end <= start` is zero.
pub fn months_and_days(start: Date, end: Date) -> MonthsAndDays {
    if end <= start {
        return MonthsAndDays {
            months: 0,
            days: 0,
            part_from: start,
        };
    }
    // A first guess from the calendar, then correct by at most a step either way.
    let guess = (i32::from(end.year()) - i32::from(start.year())) * 12
        + (i32::from(end.month()) - i32::from(start.month()));
    let mut n = guess.max(0);
    while n > 0 && add_months(start, n).is_none_or(|d| d > end) {
        n -= 1;
    }
    while add_months(start, n + 1).is_some_and(|d| d <= end) {
        n += 1;
    }
    let part_from = add_months(start, n).unwrap_or(end);
    let days = u32::try_from(days_between(part_from, end)).unwrap_or(0);
    MonthsAndDays {
        months: u32::try_from(n).unwrap_or(0),
        days,
        part_from,
    }
}

/// Whole years from `from` to `to` by the anniversary rule (`from` + n years ≤ `to`).
pub fn whole_years(from: Date, to: Date) -> i32 {
    let m = months_and_days(from, to).months;
    i32::try_from(m / 12).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn end_of_month_rule_counts_from_the_anchor() {
        let a = date(2023, 1, 31);
        assert_eq!(add_months(a, 1), Some(date(2023, 2, 28)));
        assert_eq!(add_months(a, 2), Some(date(2023, 3, 31)));
        assert_eq!(add_months(a, 3), Some(date(2023, 4, 30)));
        assert_eq!(add_months(a, 12), Some(date(2024, 1, 31)));
        assert_eq!(add_months(a, 13), Some(date(2024, 2, 29)), "leap year");
        assert_eq!(add_years(date(2024, 2, 29), 1), Some(date(2025, 2, 28)));
        assert_eq!(add_years(date(2024, 2, 29), 4), Some(date(2028, 2, 29)));
    }

    #[test]
    fn splits_service_into_months_and_days() {
        // Signed 31 Jan: to 28 Feb is one whole month (the end-of-month rule), no days.
        let s = date(2023, 1, 31);
        assert_eq!(months_and_days(s, date(2023, 2, 28)).months, 1);
        assert_eq!(months_and_days(s, date(2023, 2, 28)).days, 0);
        // To 27 Feb: 27 days, no whole month.
        let m = months_and_days(s, date(2023, 2, 27));
        assert_eq!((m.months, m.days), (0, 27));
        // To 15 March: one month (to 28 Feb) and 15 days.
        let m = months_and_days(s, date(2023, 3, 15));
        assert_eq!((m.months, m.days, m.part_from), (1, 15, date(2023, 2, 28)));
        // A full contract year.
        let m = months_and_days(s, date(2024, 1, 31));
        assert_eq!((m.months, m.days), (12, 0));
        // Empty and reversed.
        assert_eq!(months_and_days(s, s).months, 0);
        assert_eq!(months_and_days(date(2023, 3, 1), s).days, 0);
        // Mid-month start across a year end.
        let m = months_and_days(date(2022, 3, 15), date(2023, 1, 1));
        assert_eq!((m.months, m.days), (9, 17));
    }

    #[test]
    fn integer_arithmetic_agrees_with_jiff() {
        use jiff::ToSpan;
        let mut d = date(1999, 1, 1);
        while d < date(2030, 1, 1) {
            for n in [-25, -13, -1, 0, 1, 2, 6, 11, 12, 13, 36, 121] {
                assert_eq!(
                    add_months(d, n),
                    d.checked_add(n.months()).ok(),
                    "{d} + {n}"
                );
            }
            let e = date(2020, 2, 29);
            assert_eq!(days_between(d, e), i64::from((e - d).get_days()), "{d}");
            d = d.tomorrow().expect("tomorrow");
        }
    }

    #[test]
    fn whole_years_to_the_day() {
        assert_eq!(whole_years(date(2012, 6, 1), date(2022, 6, 1)), 10);
        assert_eq!(whole_years(date(2012, 6, 1), date(2022, 5, 31)), 9);
        assert_eq!(whole_years(date(2012, 2, 29), date(2022, 2, 28)), 10);
    }
}
