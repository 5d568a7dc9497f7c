//! 物业服务合同: the contract's value types and the rules about it — filing deadline (备案),
//! term, service level, fees by building type, and the dismissal trigger.

use crate::{Area, Fen};
use jiff::ToSpan;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How many days a company has to file a signed contract (Yantai 三(四): "物业服务企业应当自签订
/// 物业服务合同之日起10日内 … 登记备案").
pub const FILING_DAYS: i64 = 10;

/// The last day on which a contract signed on `signed_on` is filed on time (备案期限).
///
/// **How the 10 days are counted.** 民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，
/// 自下一日开始计算" — the day of signing does not count; day 1 is the next day. And 以内 includes
/// its number (民法典 第一千二百五十九条). So a contract signed on 2022-09-01 (day 0) may be filed
/// up to and including 2022-09-11 (day 10); filed on 2022-09-12 it is overdue. (第二百零三条's
/// extension when the last day is a public holiday is not applied: the tool does not know the
/// holiday calendar; an official can note it.)
pub fn filing_deadline(signed_on: Date) -> Date {
    signed_on
        .checked_add(FILING_DAYS.days())
        .unwrap_or(signed_on)
}

/// Where a contract's filing stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FilingStatus {
    /// Filed on or before the deadline.
    OnTime { filed_on: Date, deadline: Date },
    /// Filed after the deadline (逾期备案).
    Late {
        filed_on: Date,
        deadline: Date,
        days_late: i64,
    },
    /// Not filed yet, deadline not passed.
    Pending { deadline: Date, days_left: i64 },
    /// Not filed and the deadline has passed (逾期未备案).
    Overdue { deadline: Date, days_overdue: i64 },
}

impl FilingStatus {
    pub fn of(signed_on: Date, filed_on: Option<Date>, today: Date) -> FilingStatus {
        let deadline = filing_deadline(signed_on);
        match filed_on {
            Some(f) if f <= deadline => FilingStatus::OnTime {
                filed_on: f,
                deadline,
            },
            Some(f) => FilingStatus::Late {
                filed_on: f,
                deadline,
                days_late: days_between(deadline, f),
            },
            None if today <= deadline => FilingStatus::Pending {
                deadline,
                days_left: days_between(today, deadline).max(0),
            },
            None => FilingStatus::Overdue {
                deadline,
                days_overdue: days_between(deadline, today),
            },
        }
    }

    /// Overdue: filed late, or not filed after the deadline.
    pub fn is_overdue(&self) -> bool {
        matches!(
            self,
            FilingStatus::Late { .. } | FilingStatus::Overdue { .. }
        )
    }

    pub fn zh(&self) -> String {
        match self {
            FilingStatus::OnTime { filed_on, .. } => format!("已按期备案（{filed_on}）"),
            FilingStatus::Late {
                filed_on,
                days_late,
                ..
            } => format!("逾期备案（{filed_on}，逾期 {days_late} 天）"),
            FilingStatus::Pending {
                deadline,
                days_left,
            } => format!("待备案（期限 {deadline}，剩 {days_left} 天）"),
            FilingStatus::Overdue {
                deadline,
                days_overdue,
            } => format!("逾期未备案（期限 {deadline}，已逾期 {days_overdue} 天）"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            FilingStatus::OnTime { filed_on, .. } => format!("filed on time ({filed_on})"),
            FilingStatus::Late {
                filed_on,
                days_late,
                ..
            } => format!("filed late ({filed_on}, {days_late} days late)"),
            FilingStatus::Pending {
                deadline,
                days_left,
            } => format!("to be filed by {deadline} ({days_left} days left)"),
            FilingStatus::Overdue {
                deadline,
                days_overdue,
            } => format!("overdue since {deadline} ({days_overdue} days)"),
        }
    }
}

/// Whole days from `a` to `b`.
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// A contract term in whole months, so that "exactly 10 years" is exact (120 months).
///
/// The term starts on the formal entry date when there is one (Erqi 六(一): "物业服务期限自物业
/// 服务企业正式进驻小区开展服务之日起"), else on the signing date. It covers
/// `[start, start + months)`: the last day is `start + months − 1 day` (a 10-year term from
/// 2022-10-01 ends on 2032-09-30). Month arithmetic keeps the day of the month and clamps to the
/// month's last day (31 January + 1 month = 28/29 February), as anju-policy's dates do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct Term {
    pub months: u32,
}

impl Term {
    pub fn months(months: u32) -> Term {
        Term { months }
    }
    pub fn years(years: u32) -> Term {
        Term { months: years * 12 }
    }

    /// The first day after the term.
    pub fn end_exclusive(self, start: Date) -> Date {
        start
            .checked_add(i64::from(self.months).months())
            .unwrap_or(Date::MAX)
    }

    /// The last day of the term (届满日).
    pub fn last_day(self, start: Date) -> Date {
        let e = self.end_exclusive(start);
        e.yesterday().unwrap_or(e)
    }

    /// The term that runs from `start` through `last_day` inclusive, if it is a whole number of
    /// months by the rule above; `None` otherwise.
    pub fn from_dates(start: Date, last_day: Date) -> Option<Term> {
        let end = last_day.tomorrow().ok()?;
        let span = start.until((jiff::Unit::Month, end)).ok()?;
        let months = u32::try_from(span.get_months()).ok()?;
        (months > 0 && Term::months(months).end_exclusive(start) == end)
            .then_some(Term::months(months))
    }

    /// "超过 n 年": strictly longer than `years` years (超过 excludes the number).
    pub fn exceeds_years(self, years: u32) -> bool {
        self.months > years * 12
    }

    pub fn zh(self) -> String {
        match (self.months / 12, self.months % 12) {
            (y, 0) => format!("{y} 年"),
            (0, m) => format!("{m} 个月"),
            (y, m) => format!("{y} 年 {m} 个月"),
        }
    }
    pub fn en(self) -> String {
        match (self.months / 12, self.months % 12) {
            (y, 0) => format!("{y} years"),
            (0, m) => format!("{m} months"),
            (y, m) => format!("{y} years {m} months"),
        }
    }
}

/// Yantai 三(四): subsidies for contracts whose term is "超过10年". Exactly 10 years (120 months)
/// does not qualify; 10 years and 1 month does.
pub fn yantai_term_over_ten_years(term: Term) -> bool {
    term.exceeds_years(10)
}

/// 物业服务等级: 一级 is the highest (烟台市普通住宅物业服务等级标准; 聊城 二级服务标准).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ServiceLevel(u8);

impl ServiceLevel {
    /// The minimum Yantai 三(三) and Liaocheng 二(二) set: "不得低于…二级服务标准".
    pub const TWO: ServiceLevel = ServiceLevel(2);

    /// Levels 1 (highest) to 5.
    pub fn new(n: u8) -> Option<ServiceLevel> {
        (1..=5).contains(&n).then_some(ServiceLevel(n))
    }
    pub fn number(self) -> u8 {
        self.0
    }
    /// "二级", "2级", "2", "一级" …
    pub fn parse(s: &str) -> Option<ServiceLevel> {
        let t = s.trim().trim_end_matches("服务标准").trim_end_matches('级');
        let n = match t {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            "5" | "五" => 5,
            _ => return None,
        };
        ServiceLevel::new(n)
    }
    /// At least as good as `min` ("不得低于": the minimum itself is allowed).
    pub fn meets(self, min: ServiceLevel) -> bool {
        self.0 <= min.0
    }
    pub fn zh(self) -> String {
        let d = ["", "一", "二", "三", "四", "五"];
        format!("{}级", d.get(usize::from(self.0)).copied().unwrap_or("?"))
    }
    pub fn en(self) -> String {
        format!("level {}", self.0)
    }
}

/// 建筑类型 for fees: seed 000 二(二) "多层每月0.5元/㎡，高层0.9元/㎡".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildingType {
    /// 多层
    Multi,
    /// 高层
    High,
}

/// Fees per ㎡ per month by building type (物业服务费标准), to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fees {
    pub multi: Option<Fen>,
    pub high: Option<Fen>,
}

impl Fees {
    /// Liaocheng 2021 (seed 000 二(二)): 多层 0.50, 高层 0.90 元/㎡/月.
    pub const LIAOCHENG_2021: Fees = Fees {
        multi: Some(Fen(50)),
        high: Some(Fen(90)),
    };

    pub fn rate(&self, t: BuildingType) -> Option<Fen> {
        match t {
            BuildingType::Multi => self.multi,
            BuildingType::High => self.high,
        }
    }

    /// The fees billed for a month: Σ area × rate, rounded half-up once at the total.
    pub fn monthly_total(&self, multi: Area, high: Area) -> Fen {
        let part =
            |a: Area, r: Option<Fen>| r.map_or(Decimal::ZERO, |r| a.to_decimal() * r.to_yuan());
        Fen::from_yuan_rounded(part(multi, self.multi) + part(high, self.high))
    }
}

/// A satisfaction survey read against seed 004 三(二): "超过本小区业主50%不满意的，有权解除合同".
///
/// The denominator is **all owners of the compound** (本小区业主), not the respondents: a sample
/// in which most respondents are dissatisfied does not by itself show that more than half of
/// the owners are. 超过 excludes the number: exactly 50 % does not raise a dismissal; 500 of 1,000
/// does not, 501 does. Integer cross-multiplication, no rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DismissalSurvey {
    /// 本小区业主 (households / owners)
    pub owners: u32,
    /// 参与调查的业主
    pub respondents: u32,
    /// 不满意的业主
    pub dissatisfied: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("业主总数不能为 0")]
    NoOwners,
    #[error("不满意人数（{dissatisfied}）不能多于参与调查人数（{respondents}）")]
    MoreDissatisfiedThanRespondents { dissatisfied: u32, respondents: u32 },
    #[error("参与调查人数（{respondents}）不能多于业主总数（{owners}）")]
    MoreRespondentsThanOwners { respondents: u32, owners: u32 },
}

impl DismissalSurvey {
    pub fn new(owners: u32, respondents: u32, dissatisfied: u32) -> Result<Self, SurveyError> {
        if owners == 0 {
            return Err(SurveyError::NoOwners);
        }
        if dissatisfied > respondents {
            return Err(SurveyError::MoreDissatisfiedThanRespondents {
                dissatisfied,
                respondents,
            });
        }
        if respondents > owners {
            return Err(SurveyError::MoreRespondentsThanOwners {
                respondents,
                owners,
            });
        }
        Ok(DismissalSurvey {
            owners,
            respondents,
            dissatisfied,
        })
    }

    /// More than 50 % of the owners dissatisfied: a dismissal proposal is raised.
    pub fn raises_dismissal(&self) -> bool {
        u64::from(self.dissatisfied) * 2 > u64::from(self.owners)
    }

    /// The dissatisfied share of all owners, percent, one decimal (for display only).
    pub fn dissatisfied_percent(&self) -> Decimal {
        if self.owners == 0 {
            return Decimal::ZERO;
        }
        (Decimal::from(self.dissatisfied) * Decimal::ONE_HUNDRED / Decimal::from(self.owners))
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    }
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "a test that fails should panic with the error"
)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn filing_day_10_is_on_time_and_day_11_is_overdue() {
        let signed = date(2022, 9, 1);
        assert_eq!(filing_deadline(signed), date(2022, 9, 11));
        let cases = [
            (Some(date(2022, 9, 1)), date(2022, 9, 1), false),
            (Some(date(2022, 9, 11)), date(2022, 9, 30), false),
            (Some(date(2022, 9, 12)), date(2022, 9, 30), true),
            (None, date(2022, 9, 11), false),
            (None, date(2022, 9, 12), true),
        ];
        for (filed, today, overdue) in cases {
            let st = FilingStatus::of(signed, filed, today);
            assert_eq!(st.is_overdue(), overdue, "{filed:?} {today}: {st:?}");
        }
        assert_eq!(
            FilingStatus::of(signed, Some(date(2022, 9, 12)), date(2022, 9, 12)),
            FilingStatus::Late {
                filed_on: date(2022, 9, 12),
                deadline: date(2022, 9, 11),
                days_late: 1
            }
        );
        assert_eq!(
            FilingStatus::of(signed, None, date(2022, 9, 1)),
            FilingStatus::Pending {
                deadline: date(2022, 9, 11),
                days_left: 10
            }
        );
        // Month end: signed 2022-02-25 → 2022-03-07.
        assert_eq!(filing_deadline(date(2022, 2, 25)), date(2022, 3, 7));
    }

    #[test]
    fn a_ten_year_term_is_exact_and_not_over_ten_years() {
        let start = date(2022, 10, 1);
        let t = Term::years(10);
        assert_eq!(t.months, 120);
        assert_eq!(t.last_day(start), date(2032, 9, 30));
        assert_eq!(Term::from_dates(start, date(2032, 9, 30)), Some(t));
        assert_eq!(Term::from_dates(start, date(2032, 10, 1)), None);
        assert!(!yantai_term_over_ten_years(t));
        assert!(yantai_term_over_ten_years(Term::months(121)));
        assert!(!yantai_term_over_ten_years(Term::months(119)));
        // Leap day start: 2024-02-29 + 10 years ends 2034-02-27 (2034-02-28 is the next start).
        assert_eq!(t.last_day(date(2024, 2, 29)), date(2034, 2, 27));
        assert_eq!(t.zh(), "10 年");
        assert_eq!(Term::months(30).zh(), "2 年 6 个月");
    }

    #[test]
    fn dismissal_needs_strictly_more_than_half_of_the_owners() {
        for (owners, dissatisfied, raised) in [
            (1000, 500, false),
            (1000, 501, true),
            (1001, 500, false),
            (1001, 501, true),
            (1, 1, true),
            (2, 1, false),
        ] {
            let s = DismissalSurvey::new(owners, owners, dissatisfied).unwrap();
            assert_eq!(s.raises_dismissal(), raised, "{dissatisfied}/{owners}");
        }
        assert_eq!(
            DismissalSurvey::new(1000, 1000, 501)
                .unwrap()
                .dissatisfied_percent()
                .to_string(),
            "50.1"
        );
        // Most respondents dissatisfied, but not most owners: no proposal.
        assert!(
            !DismissalSurvey::new(1000, 100, 90)
                .unwrap()
                .raises_dismissal()
        );
        assert!(DismissalSurvey::new(10, 5, 6).is_err());
        assert!(DismissalSurvey::new(10, 11, 6).is_err());
        assert!(DismissalSurvey::new(0, 0, 0).is_err());
    }

    #[test]
    fn service_levels_and_fees() {
        let two = ServiceLevel::parse("二级").unwrap();
        assert_eq!(two, ServiceLevel::TWO);
        assert!(ServiceLevel::parse("1").unwrap().meets(ServiceLevel::TWO));
        assert!(two.meets(ServiceLevel::TWO));
        assert!(
            !ServiceLevel::parse("三级")
                .unwrap()
                .meets(ServiceLevel::TWO)
        );
        assert_eq!(ServiceLevel::parse("六级"), None);
        // 1,000.00 ㎡ 多层 × 0.50 + 333.33 ㎡ 高层 × 0.90 = 500 + 299.997 → 800.00 元.
        let f = Fees::LIAOCHENG_2021.monthly_total(Area::from_m2(1000), Area::from_centi(33_333));
        assert_eq!(f, Fen(80_000));
    }
}
