//! One clock: "today in China" is defined here once, and a test or a benchmark can fix it.
//!
//! Officials' dates are Beijing dates (UTC+8, no daylight saving) whatever the server's zone:
//! a filing at 07:00 Beijing time on 1 July is a 1 July filing although it is still 30 June in
//! UTC. Every "is this date in the future" question the application answers asks this clock.

use jiff::civil::Date;

/// Where "today" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The machine's clock, read in Beijing time.
    #[default]
    System,
    /// A fixed day (tests, benchmarks, a replay of past data).
    Fixed(Date),
}

impl Clock {
    /// Today in China.
    pub fn today(&self) -> Date {
        match self {
            Clock::System => today_in_china(),
            Clock::Fixed(d) => *d,
        }
    }
}

/// Today in China (UTC+8).
pub fn today_in_china() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8)))
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_says_its_day_and_the_system_clock_a_plausible_one() {
        let d = jiff::civil::date(2022, 6, 30);
        assert_eq!(Clock::Fixed(d).today(), d);
        assert!(Clock::System.today().year() >= 2025);
    }
}
