//! The integer fast path: the same schedule as [`crate::evaluate`], in fixed-point integers,
//! for the batch totals (`anju bench subsidy`, [`evaluate_batch_totals`]).
//!
//! **Why it is exact.** Every amount the calculator computes is a product of decimals
//! (area × rate × months, then × the base share × the score factor, or × the retention
//! share) rounded half-up to the fen once. `rust_decimal` multiplies exactly while the
//! product's mantissa stays below 2^96 and its scale at most 28. This path reads every factor
//! as an integer at a fixed scale per policy (areas and fees at 4 places, rates, fractions of a
//! month, shares and score factors at the most their policy uses), multiplies in `i64` with
//! overflow checked, and rounds half away from zero to the fen by a multiply-and-shift that a
//! test checks against division. Rescaling changes no value, and a product within 63 bits at
//! no more than 20 places is one `Decimal` computed exactly: the same number, to the fen.
//! Table boundaries, rates and shares are turned into integers once per policy
//! ([`FastPolicy::new`]); a row's area, score and rates are read as mantissa and scale, never
//! through `f64`. Dates are packed into one integer ([`Day`]) with the calculator's
//! end-of-month rule ([`crate::dates`]); a test walks thirty years of days against it.
//!
//! **When a row falls back** to [`crate::evaluate`] (never approximated):
//! - the calculator would refuse it (a missing or contradictory input, a part month a policy
//!   refuses, a score outside a table or in a gap or overlap, no rate in force): the refusal
//!   and its message are the calculator's, so this path does not build them;
//! - a product would overflow 63 bits, an area or fee has more than 4 places, or a score or
//!   rate compared with a table or interval has more places than its integer form (at least
//!   4, or the boundaries' own);
//! - more than [`FAST_MAX_PERIODS`] periods (the outcome is a fixed array, reused).
//!
//! **When a whole policy stays on the exact path** ([`FastPolicy::new`] says why): a rate
//! parameter with no value (the calculator's refusal), `basis = "amount"` (÷ the unit's
//! months does not terminate, so `Decimal` rounds it at 28 digits), and the retention readings
//! `whole_term` or `at_release` (a quotient and a carried exact sum), and rates, fractions or
//! shares whose products would need more than 20 places.

use crate::dates;
use crate::eval::{
    BatchTotals, MAX_PERIODS, Outcome, calendar_start, duration_in, evaluate, split,
};
use crate::input::{Grade, Input, PeriodResult};
use crate::interval::Interval;
use crate::policy::{
    Anchor, Basis, Condition, DateInput, FactInput, From, MAX_PAYERS, ParamValue, PartMonth,
    Policy, Requirement, ResultInput, RetentionBasis, RetentionRounding, ScaledTable, Select, Test,
};
use anju_core::Fen;
use jiff::civil::Date;
use rust_decimal::Decimal;

/// The most periods the fast path holds (a three-year schedule has at most 13 quarters).
pub const FAST_MAX_PERIODS: usize = 16;

/// The fewest decimal places a table or interval is read at, so that the usual scores (one
/// place) and rates (two) fit.
const MIN_SCALE: u32 = 4;

const POW10: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// A decimal as mantissa × 10^-scale, the mantissa in 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    pub m: i64,
    pub s: u32,
}

impl Fixed {
    pub const ZERO: Fixed = Fixed { m: 0, s: 0 };
    pub const ONE: Fixed = Fixed { m: 1, s: 0 };

    /// `None` when the mantissa needs more than 64 bits.
    #[inline]
    pub fn of(d: Decimal) -> Option<Fixed> {
        Some(Fixed {
            m: i64::try_from(d.mantissa()).ok()?,
            s: d.scale(),
        })
    }

    /// The value in units of 10^-`scale`; `None` when it has more places or does not fit.
    #[inline]
    pub fn at_scale(self, scale: u32) -> Option<i64> {
        let k = scale.checked_sub(self.s)?;
        self.m.checked_mul(*POW10.get(k as usize)?)
    }
}

/// The amounts' fixed point: every area (and fee) is read at 4 places, every rate at the
/// policy's most, so that each amount's product has one scale per policy and its rounding one
/// multiplier ([`Rounder`]). Rescaling changes no value, and each product stays within 63 bits
/// (checked), far inside the 96 `Decimal` multiplies exactly in, at no more places than ours
/// (at most 20; `Decimal` starts rounding past 28).
const AREA_SCALE: u32 = 4;

/// Rounds a product at a fixed scale (3 to 20 places) half away from zero to the fen, as
/// [`crate::eval::to_fen`] rounds the decimal product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rounder {
    m: u64,
    shift: u32,
    d: u64,
}

impl Rounder {
    fn new(scale: u32) -> Option<Rounder> {
        let k = scale.checked_sub(2).filter(|k| (1..=18).contains(k))? as usize;
        let (m, s) = DIV10[k];
        Some(Rounder {
            m,
            shift: s - 64,
            d: POW10[k] as u64,
        })
    }

    #[inline(always)]
    fn fen(self, x: i64) -> Option<Fen> {
        if x == i64::MIN {
            return None;
        }
        let a = x.unsigned_abs();
        // s ≥ 64: the high word, shifted by the rest.
        let q = (((u128::from(a) * u128::from(self.m)) >> 64) as u64) >> self.shift;
        let r = a - q * self.d;
        let q = (q + u64::from(r >= self.d - r)) as i64;
        Some(Fen(if x < 0 { -q } else { q }))
    }
}

/// Multiplier and shift that divide any `a < 2^63` by 10^k exactly (Granlund–Montgomery):
/// s = 63 + ⌈log2 10^k⌉, m = ⌈2^s ÷ 10^k⌉ < 2^64, and ⌊a·m ÷ 2^s⌋ = ⌊a ÷ 10^k⌋ because
/// m·10^k − 2^s < 10^k ≤ 2^(s−63). A multiplication instead of a division, the batch's
/// costliest instruction; a test checks it against `/`.
const DIV10: [(u64, u32); 19] = {
    let mut t = [(0u64, 0u32); 19];
    let mut k = 1;
    while k < 19 {
        let d = 10u128.pow(k as u32);
        let mut l = 0u32;
        while (1u128 << l) < d {
            l += 1;
        }
        let s = 63 + l;
        let m = (1u128 << s).div_ceil(d);
        t[k] = (m as u64, s);
        k += 1;
    }
    t
};

/// A date packed in one integer (year·512 + month·32 + day), ordered as the date, so that the
/// loop over periods compares and adds months without building and checking a `Date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(i32);

impl Day {
    pub const MIN: Day = Day(i32::MIN);
    pub const MAX: Day = Day(i32::MAX);

    #[inline]
    pub fn of(d: Date) -> Day {
        Day((i32::from(d.year()) << 9) | (i32::from(d.month()) << 5) | i32::from(d.day()))
    }

    #[inline]
    fn ymd(self) -> (i32, i32, i32) {
        (self.0 >> 9, (self.0 >> 5) & 15, self.0 & 31)
    }

    /// The date (every `Day` the fast path makes is one).
    pub fn date(self) -> Date {
        let (y, m, d) = self.ymd();
        Date::new(y as i16, m as i8, d as i8).unwrap_or(Date::MIN)
    }

    /// `self + n` months by the end-of-month rule, as [`dates::add_months`].
    #[inline(always)]
    fn add_months(self, n: i32) -> Option<Day> {
        let (y, m, d) = self.ymd();
        let total = (y * 12 + m - 1).checked_add(n)?;
        let year = total.div_euclid(12);
        let month = total.rem_euclid(12) + 1;
        if !(-9999..=9999).contains(&year) {
            return None;
        }
        let last = i32::from(dates::days_in_month(year as i16, month as i8));
        Some(Day((year << 9) | (month << 5) | d.min(last)))
    }

    /// The calendar year of the day before (a period's last day, from its end).
    #[inline]
    fn year_before(self) -> i32 {
        let (y, m, d) = self.ymd();
        if m == 1 && d == 1 { y - 1 } else { y }
    }
}

/// An interval with its bounds in integers of 10^-`scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ScaledInterval {
    scale: u32,
    lo: Option<(i64, bool)>,
    hi: Option<(i64, bool)>,
}

impl ScaledInterval {
    fn new(iv: &Interval) -> Option<ScaledInterval> {
        let bounds = [iv.lo, iv.hi];
        let scale = bounds
            .iter()
            .flatten()
            .map(|b| b.value.normalize().scale())
            .max()
            .unwrap_or(0)
            .max(MIN_SCALE);
        if scale > 9 {
            return None;
        }
        let conv = |b: Option<crate::interval::Bound>| -> Option<Option<(i64, bool)>> {
            match b {
                None => Some(None),
                Some(b) => Some(Some((
                    Fixed::of(b.value.normalize())?.at_scale(scale)?,
                    b.inclusive,
                ))),
            }
        };
        Some(ScaledInterval {
            scale,
            lo: conv(iv.lo)?,
            hi: conv(iv.hi)?,
        })
    }

    /// As [`Interval::contains`]; `None` when `x` has more places than the scale.
    #[inline]
    fn contains(&self, x: Decimal) -> Option<bool> {
        let v = Fixed::of(x)?.at_scale(self.scale)?;
        let lo_ok = self.lo.is_none_or(|(b, incl)| v > b || (incl && v == b));
        let hi_ok = self.hi.is_none_or(|(b, incl)| v < b || (incl && v == b));
        Some(lo_ok && hi_ok)
    }
}

/// A requirement of the gate or of the retention's release, in integers.
#[derive(Debug, Clone, PartialEq)]
enum FastTest {
    Range(ScaledInterval),
    /// Accepted grades, by [`grade_index`].
    OneOf([bool; 4]),
    IsTrue(bool),
}

#[derive(Debug, Clone, PartialEq)]
struct FastReq {
    input: ResultInput,
    test: FastTest,
}

impl FastReq {
    fn new(r: &Requirement) -> Option<FastReq> {
        let test = match &r.test {
            Test::Range(iv) => FastTest::Range(ScaledInterval::new(iv)?),
            Test::OneOf(_) => {
                let mut set = [false; 4];
                for g in &r.grades {
                    set[grade_index(*g)] = true;
                }
                FastTest::OneOf(set)
            }
            Test::IsTrue(b) => FastTest::IsTrue(*b),
        };
        Some(FastReq {
            input: r.input,
            test,
        })
    }

    /// Whether `r` passes, as the calculator's `eval_req`; `None` when a value is missing
    /// (the calculator's error) or has more places than the test's scale.
    #[inline]
    fn check(&self, r: Option<&PeriodResult>, grade: Option<Grade>) -> Option<bool> {
        let r = r?;
        let num = |x: Option<Decimal>| -> Option<bool> {
            let x = x?;
            match &self.test {
                FastTest::Range(iv) => iv.contains(x),
                _ => Some(false),
            }
        };
        match self.input {
            ResultInput::Score => num(r.score),
            ResultInput::Satisfaction => num(r.satisfaction),
            ResultInput::CollectionRate => num(r.collection_rate),
            ResultInput::Grade => {
                let g = grade.or(r.grade)?;
                Some(matches!(&self.test, FastTest::OneOf(set) if set[grade_index(g)]))
            }
            ResultInput::EvaluationPassed | ResultInput::ThirdPartyPassed => {
                let b = if self.input == ResultInput::EvaluationPassed {
                    r.evaluation_passed
                } else {
                    r.third_party_passed
                }?;
                Some(matches!(&self.test, FastTest::IsTrue(w) if *w == b))
            }
        }
    }
}

fn grade_index(g: Grade) -> usize {
    match g {
        Grade::Excellent => 0,
        Grade::Good => 1,
        Grade::Pass => 2,
        Grade::Fail => 3,
    }
}

/// A dated value of the rate parameter, in units of 10^-`rate_scale`.
#[derive(Debug, Clone, PartialEq)]
enum FastRate {
    Value(i64),
    ByIndex(Vec<i64>),
    ByGrade([Option<i64>; 4]),
}

/// A policy prepared for the fast path: every constant the calculator reads, as integers.
#[derive(Debug, Clone)]
pub struct FastPolicy<'p> {
    policy: &'p Policy,
    unit: i32,
    /// Places of the months counted (the part-month fractions' most).
    months_scale: u32,
    /// Left-over days (0–31) → the fraction of a month in units of 10^-`months_scale`;
    /// `None`: the calculator refuses that many days. Empty: part months are refused.
    part_month: Vec<Option<i64>>,
    rates: Vec<(Day, FastRate)>,
    grade_table: Option<(ScaledTable, Vec<Option<Grade>>)>,
    needs_grade: bool,
    /// The score factors, in units of 10^-`factor_scale`.
    factor_table: Option<(ScaledTable, Vec<i64>)>,
    factor_scale: u32,
    share: i64,
    base_share: i64,
    round_standard: Rounder,
    round_payable: Rounder,
    round_retained: Rounder,
    gate: Vec<FastReq>,
    /// The retention's share, 1 − share, and its condition.
    retention: Option<(Fixed, Fixed, FastReq)>,
    effective_from: Option<Day>,
    /// The day after the policy's last day.
    effective_to_excl: Option<Day>,
    /// One payer: the whole amount is theirs ([`split`] says so too).
    single_payer: bool,
}

/// Why a policy runs on the exact path only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFast {
    RateNotSet,
    AmountBasis,
    RetentionReading,
    /// A rate, share, table boundary or fraction needs more places or bits than the integers.
    Representation,
}

impl NotFast {
    pub fn message(self, lang: anju_core::Lang) -> &'static str {
        match self {
            NotFast::RateNotSet => lang.pick("补贴标准尚无取值", "the rate has no value"),
            NotFast::AmountBasis => lang.pick(
                "按期定额（除以期内月数不一定除尽）",
                "an amount per period (÷ months need not terminate)",
            ),
            NotFast::RetentionReading => lang.pick(
                "预留按整个期限或释放时舍入",
                "a retention read over the whole term or rounded at release",
            ),
            NotFast::Representation => lang.pick(
                "参数的小数位超出整数表示",
                "a parameter has more places than the integers hold",
            ),
        }
    }
}

impl<'p> FastPolicy<'p> {
    /// Prepares `policy`, or says why it stays on the exact path.
    pub fn new(policy: &'p Policy) -> Result<FastPolicy<'p>, NotFast> {
        let rep = NotFast::Representation;
        let rate_param = &policy.params[policy.rate.param];
        if rate_param.values.is_empty() {
            return Err(NotFast::RateNotSet);
        }
        if policy.rate.basis == Basis::Amount {
            return Err(NotFast::AmountBasis);
        }
        let fixed = |d: Decimal| Fixed::of(d).ok_or(rep);
        let all_rates = rate_param.values.iter().flat_map(|(_, v)| match v {
            ParamValue::Value(x) => vec![*x],
            ParamValue::ByIndex(list) => list.clone(),
            ParamValue::ByGrade(map) => map.iter().map(|(_, x)| *x).collect(),
        });
        let rate_scale = all_rates.map(|x| x.scale()).max().unwrap_or(0);
        let at = |d: Decimal, scale: u32| fixed(d)?.at_scale(scale).ok_or(rep);
        let mut rates = Vec::with_capacity(rate_param.values.len());
        for (from, v) in &rate_param.values {
            let r = match v {
                ParamValue::Value(x) => FastRate::Value(at(*x, rate_scale)?),
                ParamValue::ByIndex(list) => FastRate::ByIndex(
                    list.iter()
                        .map(|x| at(*x, rate_scale))
                        .collect::<Result<_, _>>()?,
                ),
                ParamValue::ByGrade(map) => {
                    let mut a = [None; 4];
                    for (g, x) in map {
                        // The first entry for a grade is the one the calculator finds.
                        let slot = &mut a[grade_index(*g)];
                        if slot.is_none() {
                            *slot = Some(at(*x, rate_scale)?);
                        }
                    }
                    FastRate::ByGrade(a)
                }
            };
            rates.push((Day::of(*from), r));
        }
        let (months_scale, part_month) = match policy.part_month {
            PartMonth::Refuse => (0, Vec::new()),
            PartMonth::Table(ti) => {
                let t = &policy.tables[ti];
                let fracs: Vec<Option<Decimal>> = (0..=31)
                    .map(|d| {
                        t.lookup(Decimal::from(d))
                            .ok()
                            .map(|h| t.tiers[h.tier].value.unwrap_or(Decimal::ZERO))
                    })
                    .collect();
                let scale = fracs.iter().flatten().map(|f| f.scale()).max().unwrap_or(0);
                let part = fracs
                    .iter()
                    .map(|f| match f {
                        None => Ok(None),
                        Some(f) => fixed(*f)?.at_scale(scale).map(Some).ok_or(rep),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (scale, part)
            }
        };
        if months_scale > 18 {
            return Err(rep);
        }
        let grade_table = match policy.gate.grade_table {
            None => None,
            Some(gt) => {
                let t = &policy.tables[gt];
                Some((
                    t.scaled(MIN_SCALE).ok_or(rep)?,
                    t.tiers.iter().map(|x| x.grade).collect(),
                ))
            }
        };
        let (factor_scale, factor_table) = match policy.gate.factor_table {
            None => (0, None),
            Some(ft) => {
                let t = &policy.tables[ft];
                let values: Vec<Decimal> = t
                    .tiers
                    .iter()
                    .map(|x| x.value.unwrap_or(Decimal::ZERO))
                    .collect();
                let scale = values.iter().map(|v| v.scale()).max().unwrap_or(0);
                let factors = values
                    .iter()
                    .map(|v| at(*v, scale))
                    .collect::<Result<_, _>>()?;
                (scale, Some((t.scaled(MIN_SCALE).ok_or(rep)?, factors)))
            }
        };
        let gate = policy
            .gate
            .require
            .iter()
            .map(|r| FastReq::new(r).ok_or(rep))
            .collect::<Result<_, _>>()?;
        let retention = match &policy.retention {
            None => None,
            Some(r) => {
                if r.basis != RetentionBasis::LastPeriod
                    || r.rounding != RetentionRounding::PerPeriod
                {
                    return Err(NotFast::RetentionReading);
                }
                Some((
                    fixed(r.share)?,
                    fixed(Decimal::ONE - r.share)?,
                    FastReq::new(&r.condition).ok_or(rep)?,
                ))
            }
        };
        let (share, base) = retention
            .as_ref()
            .map_or((Fixed::ZERO, Fixed::ONE), |(s, b, _)| (*s, *b));
        let standard_scale = match policy.rate.basis {
            Basis::FeeShare => 2 * AREA_SCALE + months_scale + rate_scale,
            _ => AREA_SCALE + months_scale + rate_scale,
        };
        let round_standard = Rounder::new(standard_scale).ok_or(rep)?;
        let round_payable = Rounder::new(standard_scale + base.s + factor_scale).ok_or(rep)?;
        let round_retained = Rounder::new(standard_scale + share.s).ok_or(rep)?;
        let needs_grade = policy.rate.select == Select::Grade
            || policy
                .gate
                .require
                .iter()
                .any(|q| q.input == ResultInput::Grade);
        Ok(FastPolicy {
            policy,
            unit: policy.periods.unit.months(),
            months_scale,
            part_month,
            rates,
            grade_table,
            needs_grade,
            factor_table,
            gate,
            retention,
            factor_scale,
            share: share.m,
            base_share: base.m,
            round_standard,
            round_payable,
            round_retained,
            effective_from: policy.effective_from.map(Day::of),
            effective_to_excl: policy.effective_to.and_then(dates::next_day).map(Day::of),
            single_payer: policy.weights.len() == 1,
        })
    }

    /// Computes `input`'s schedule into `out` (reused: nothing is allocated). `false`: the row
    /// must go through [`crate::evaluate`] (see the module doc), and `out` means nothing.
    pub fn evaluate_into(&self, input: &Input<'_>, out: &mut FastOutcome) -> bool {
        self.run(input, out).is_some()
    }

    fn eligible(&self, input: &Input<'_>, days: [Day; 4]) -> Option<bool> {
        let [signed, entry, term_start, term_end_excl] = days;
        let mut all = true;
        for cond in &self.policy.conditions {
            let passed = match cond {
                Condition::Range { input: fi, range } => {
                    let x = match fi {
                        FactInput::Households => Decimal::from(input.compound.households?),
                        FactInput::AreaM2 => input.compound.area_m2?,
                    };
                    range.contains(x)
                }
                Condition::IsTrue(crate::policy::BoolFact::InRenovation) => {
                    input.compound.in_renovation?
                }
                Condition::Status(list) => list.contains(&input.compound.status?),
                Condition::YearsBetween { from, to, range } => {
                    let date_of = |d: DateInput| match d {
                        DateInput::Built => input.compound.built,
                        DateInput::Signed => Some(signed.date()),
                        DateInput::Entry => Some(entry.date()),
                        DateInput::TermStart => Some(term_start.date()),
                        DateInput::TermEnd => Some(term_end_excl.date()),
                    };
                    let to_d = date_of(*to)?;
                    match date_of(*from) {
                        Some(from_d) => duration_in(range, from_d, to_d),
                        None => {
                            let by = input.compound.built_year?;
                            let oldest = Date::new(by, 1, 1).ok()?;
                            let youngest = Date::new(by, 12, 31).ok()?;
                            let a = duration_in(range, oldest, to_d);
                            // Undecided by the year alone: the calculator asks for the day.
                            (a == duration_in(range, youngest, to_d)).then_some(a)?
                        }
                    }
                }
            };
            all &= passed;
        }
        Some(all)
    }

    fn run(&self, input: &Input<'_>, out: &mut FastOutcome) -> Option<()> {
        let policy = self.policy;
        let c = &input.contract;
        let signed = c.signed?;
        let entry = c.entry?;
        if entry < signed {
            return None;
        }
        let start = match policy.periods.from {
            From::Signed => signed,
            From::Entry => entry,
        };
        let term_start = c.term_start.unwrap_or(start);
        let term_end_excl = match (c.term_end, c.term_years) {
            (Some(e), years) => {
                let end = dates::next_day(e)?;
                if end <= term_start {
                    return None;
                }
                if let Some(y) = years
                    && dates::whole_years(term_start, end) != y as i32
                {
                    return None;
                }
                Day::of(end)
            }
            (None, Some(y)) => {
                Day::of(term_start).add_months(i32::try_from(y).ok()?.checked_mul(12)?)?
            }
            (None, None) => return None,
        };

        out.clear();
        out.eligible = self.eligible(
            input,
            [
                Day::of(signed),
                Day::of(entry),
                Day::of(term_start),
                term_end_excl,
            ],
        )?;
        if !out.eligible {
            return Some(());
        }

        let mut service_end = term_end_excl;
        if let Some(e) = c.ended {
            let e1 = dates::next_day(e)?;
            if e1 <= start {
                return None;
            }
            service_end = service_end.min(Day::of(e1));
        }
        if let Some(t1) = self.effective_to_excl {
            service_end = service_end.min(t1);
        }
        let start = Day::of(start);
        let counted_from = self.effective_from.map_or(start, |e| start.max(e));

        let unit = self.unit;
        let first_start = match policy.periods.anchor {
            Anchor::Start => start,
            Anchor::Calendar => Day::of(calendar_start(start.date(), unit)),
        };
        let n_periods: usize = match policy.periods.count {
            Some(n) => n as usize,
            None => {
                let mut n = 0usize;
                while n < MAX_PERIODS.min(FAST_MAX_PERIODS + 1) {
                    let s = first_start
                        .add_months((n as i32) * unit)
                        .unwrap_or(Day::MAX);
                    if s >= term_end_excl {
                        break;
                    }
                    n += 1;
                }
                n
            }
        };
        if n_periods > FAST_MAX_PERIODS {
            return None;
        }
        let at4 = |d: Decimal| Fixed::of(d)?.at_scale(AREA_SCALE);
        let area = input.compound.area_m2.and_then(at4);
        let one = POW10[self.factor_scale as usize];
        let ms = self.months_scale;
        let mut next_start = first_start;
        // The last period served, its results, and the retention booked so far.
        let mut last_served: Option<(usize, Option<&PeriodResult>)> = None;
        let mut retained_total = Fen::ZERO;
        for n in 0..n_periods {
            let k = (n + 1) as u32;
            let p_start = next_start;
            let p_end = first_start.add_months((n as i32 + 1) * unit)?;
            next_start = p_end;
            let s = p_start.max(counted_from);
            let e = p_end.min(service_end);
            let po = &mut out.periods[n];
            *po = FastPeriod::empty(k, p_start, p_end);
            out.n = n + 1;
            if e <= s {
                continue;
            }
            po.served = true;
            let (whole, days) = if s == p_start && e == p_end {
                (unit as u32, 0)
            } else {
                let t = dates::months_and_days(s.date(), e.date());
                (t.months, t.days)
            };
            let frac = if days > 0 {
                // Refused part months (an empty table) and refused day counts go exact.
                (*self.part_month.get(days as usize)?)?
            } else {
                0
            };
            let months = i64::from(whole)
                .checked_mul(POW10[ms as usize])?
                .checked_add(frac)?;

            let r = input.result(k);
            let mut grade = None;
            if self.needs_grade {
                grade = match &self.grade_table {
                    Some((t, grades)) => {
                        let score = Fixed::of(r?.score?)?.at_scale(t.scale)?;
                        *grades.get(t.lookup(score) as usize)?
                    }
                    None => Some(r?.grade?),
                };
            }
            let when = self.effective_from.map_or(p_start, |e| p_start.max(e));
            let (_, value) = self.rates.iter().rev().find(|(f, _)| *f <= when)?;
            let rate = match (policy.rate.select, value) {
                (Select::Value, FastRate::Value(v)) => *v,
                (Select::PeriodIndex, FastRate::ByIndex(list)) => *list.get(n)?,
                (Select::Grade, FastRate::ByGrade(map)) => map[grade_index(grade?)]?,
                _ => return None,
            };
            // The amount by the standard, exact, in units of 10^-(standard scale).
            let exact = match policy.rate.basis {
                Basis::AreaRateMonths => area?.checked_mul(rate)?.checked_mul(months)?,
                Basis::FeeShare => {
                    let fees = match r.and_then(|r| r.fees_total) {
                        Some(f) => Fixed::of(f)?.at_scale(2 * AREA_SCALE + ms)?,
                        None => area?
                            .checked_mul(at4(c.fee_per_m2_month?)?)?
                            .checked_mul(months)?,
                    };
                    fees.checked_mul(rate)?
                }
                Basis::Amount => return None,
            };
            po.standard = self.round_standard.fen(exact)?;

            let mut passed = true;
            for req in &self.gate {
                passed &= req.check(r, grade)?;
            }
            let mut factor = one;
            if let Some((t, factors)) = &self.factor_table {
                let score = Fixed::of(r?.score?)?.at_scale(t.scale)?;
                factor = *factors.get(t.lookup(score) as usize)?;
            }
            po.gate_passed = passed;
            if passed {
                if self.share == 0 && factor == one {
                    po.payable_now = po.standard;
                } else {
                    let now = exact.checked_mul(self.base_share)?.checked_mul(factor)?;
                    po.payable_now = self.round_payable.fen(now)?;
                    po.retained = self.round_retained.fen(exact.checked_mul(self.share)?)?;
                }
            }
            po.entitlement = po.payable_now + po.retained;
            retained_total += po.retained;
            last_served = Some((n, r));
        }

        if let Some((_, _, cond)) = &self.retention
            && let Some((last, r)) = last_served
        {
            let k = out.periods[last].index;
            let passed = cond.check(r, None)?;
            let released = if passed { retained_total } else { Fen::ZERO };
            out.periods[last].released = released;
            out.release = Some(FastRelease {
                period: k,
                passed,
                retained_total,
                released,
            });
        }

        for p in &mut out.periods[..out.n] {
            p.payable = p.payable_now + p.released;
            out.total_payable += p.payable;
            out.total_standard += p.standard;
            out.total_entitlement += p.entitlement;
            if self.single_payer {
                p.by_payer = [p.payable, Fen::ZERO, Fen::ZERO, Fen::ZERO];
                out.by_payer[0] += p.payable;
            } else {
                p.by_payer = split(p.payable, &policy.weights);
                for (acc, x) in out.by_payer.iter_mut().zip(p.by_payer) {
                    *acc += x;
                }
            }
        }
        Some(())
    }
}

/// One period's amounts, as in [`crate::PeriodOutcome`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FastPeriod {
    pub index: u32,
    /// The period, half-open: [start, end).
    pub start: Day,
    pub end: Day,
    pub served: bool,
    pub gate_passed: bool,
    pub standard: Fen,
    pub entitlement: Fen,
    pub payable_now: Fen,
    pub retained: Fen,
    pub released: Fen,
    pub payable: Fen,
    pub by_payer: [Fen; MAX_PAYERS],
}

impl FastPeriod {
    fn empty(index: u32, start: Day, end: Day) -> FastPeriod {
        FastPeriod {
            index,
            start,
            end,
            served: false,
            gate_passed: false,
            standard: Fen::ZERO,
            entitlement: Fen::ZERO,
            payable_now: Fen::ZERO,
            retained: Fen::ZERO,
            released: Fen::ZERO,
            payable: Fen::ZERO,
            by_payer: [Fen::ZERO; MAX_PAYERS],
        }
    }
}

/// The retention's settlement, as in [`crate::eval::ReleaseOutcome`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FastRelease {
    pub period: u32,
    pub passed: bool,
    pub retained_total: Fen,
    pub released: Fen,
}

/// One compound's schedule on the fast path; one is reused for every row.
#[derive(Debug, Clone)]
pub struct FastOutcome {
    pub eligible: bool,
    n: usize,
    periods: [FastPeriod; FAST_MAX_PERIODS],
    pub release: Option<FastRelease>,
    pub total_payable: Fen,
    pub total_standard: Fen,
    pub total_entitlement: Fen,
    pub by_payer: [Fen; MAX_PAYERS],
}

impl Default for FastOutcome {
    fn default() -> Self {
        FastOutcome {
            eligible: false,
            n: 0,
            periods: [FastPeriod::empty(0, Day::MIN, Day::MIN); FAST_MAX_PERIODS],
            release: None,
            total_payable: Fen::ZERO,
            total_standard: Fen::ZERO,
            total_entitlement: Fen::ZERO,
            by_payer: [Fen::ZERO; MAX_PAYERS],
        }
    }
}

impl FastOutcome {
    pub fn periods(&self) -> &[FastPeriod] {
        &self.periods[..self.n]
    }

    fn clear(&mut self) {
        self.eligible = false;
        self.n = 0;
        self.release = None;
        self.total_payable = Fen::ZERO;
        self.total_standard = Fen::ZERO;
        self.total_entitlement = Fen::ZERO;
        self.by_payer = [Fen::ZERO; MAX_PAYERS];
    }

    /// The first difference from the calculator's outcome, to the fen; `None` when they agree
    /// on eligibility, every period's amounts, the release and the totals.
    pub fn differs_from(&self, o: &Outcome) -> Option<String> {
        if self.eligible != o.eligible {
            return Some(format!("eligible {} ≠ {}", self.eligible, o.eligible));
        }
        if self.n != o.periods.len() {
            return Some(format!("{} periods ≠ {}", self.n, o.periods.len()));
        }
        for (f, x) in self.periods().iter().zip(&o.periods) {
            let mine = (
                f.index,
                f.start.date(),
                f.end.date(),
                f.served,
                f.gate_passed,
                [
                    f.standard,
                    f.entitlement,
                    f.payable_now,
                    f.retained,
                    f.released,
                    f.payable,
                ],
                f.by_payer,
            );
            let theirs = (
                x.index,
                x.start,
                x.end,
                x.served.is_some(),
                x.gate_passed,
                [
                    x.standard,
                    x.entitlement,
                    x.payable_now,
                    x.retained,
                    x.released,
                    x.payable,
                ],
                x.by_payer,
            );
            if mine != theirs {
                return Some(format!("period {}: {mine:?} ≠ {theirs:?}", f.index));
            }
        }
        let rel = o
            .release
            .map(|r| (r.period, r.check.passed, r.retained_total, r.released));
        let my_rel = self
            .release
            .map(|r| (r.period, r.passed, r.retained_total, r.released));
        if rel != my_rel {
            return Some(format!("release {my_rel:?} ≠ {rel:?}"));
        }
        let mine = (
            self.total_payable,
            self.total_standard,
            self.total_entitlement,
            self.by_payer,
        );
        let theirs = (
            o.total_payable,
            o.total_standard,
            o.total_entitlement,
            o.by_payer,
        );
        (mine != theirs).then(|| format!("totals {mine:?} ≠ {theirs:?}"))
    }
}

/// How many rows each path computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathCounts {
    pub fast: usize,
    pub exact: usize,
}

/// Years a period may be settled in, held in an array (a map per period costs more than the
/// arithmetic); others go to the map.
const YEAR0: i32 = 1900;
const YEARS: usize = 300;

struct Acc {
    exact: BatchTotals,
    compounds: usize,
    eligible: usize,
    periods: usize,
    total_payable: Fen,
    by_payer: [Fen; MAX_PAYERS],
    /// Payable by year, and whether a period with a payable amount fell in it (the map holds
    /// those years only).
    by_year: [i64; YEARS],
    seen: [bool; YEARS],
    counts: PathCounts,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            exact: BatchTotals::default(),
            compounds: 0,
            eligible: 0,
            periods: 0,
            total_payable: Fen::ZERO,
            by_payer: [Fen::ZERO; MAX_PAYERS],
            by_year: [0; YEARS],
            seen: [false; YEARS],
            counts: PathCounts::default(),
        }
    }

    #[inline]
    fn add(&mut self, o: &FastOutcome) {
        self.compounds += 1;
        self.eligible += usize::from(o.eligible);
        self.periods += o.n;
        self.total_payable += o.total_payable;
        for (a, b) in self.by_payer.iter_mut().zip(o.by_payer) {
            *a += b;
        }
        for p in o.periods() {
            // The year of the period's last day (the calculator's `end.yesterday()`).
            let y = p.end.year_before();
            match usize::try_from(y - YEAR0).ok().filter(|i| *i < YEARS) {
                Some(i) => {
                    self.by_year[i] += p.payable.0;
                    self.seen[i] |= p.payable != Fen::ZERO;
                }
                None if p.payable != Fen::ZERO => {
                    *self.exact.by_year.entry(y as i16).or_insert(Fen::ZERO) += p.payable
                }
                None => {}
            }
        }
    }

    fn finish(self) -> (BatchTotals, PathCounts) {
        let mut t = self.exact;
        t.compounds += self.compounds;
        t.eligible += self.eligible;
        t.periods += self.periods;
        t.total_payable += self.total_payable;
        for (a, b) in t.by_payer.iter_mut().zip(self.by_payer) {
            *a += b;
        }
        for (i, v) in self.by_year.iter().enumerate() {
            if self.seen[i] {
                *t.by_year
                    .entry((YEAR0 + i as i32) as i16)
                    .or_insert(Fen::ZERO) += Fen(*v);
            }
        }
        (t, self.counts)
    }
}

/// The totals of [`crate::evaluate_batch`] over `inputs` on `threads` threads, each row on
/// the fast path where it can be and through [`crate::evaluate`] where not (the whole batch
/// when the policy is [`NotFast`]); the same totals, to the fen.
pub fn evaluate_batch_totals(
    policy: &Policy,
    inputs: &[Input<'_>],
    threads: usize,
) -> (BatchTotals, PathCounts) {
    let fast = FastPolicy::new(policy).ok();
    let fast = fast.as_ref();
    let threads = threads.max(1).min(inputs.len().max(1));
    let chunk = inputs.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut acc = Acc::new();
                    let mut out = FastOutcome::default();
                    for inp in part {
                        if let Some(f) = fast
                            && f.evaluate_into(inp, &mut out)
                        {
                            acc.counts.fast += 1;
                            acc.add(&out);
                            continue;
                        }
                        acc.counts.exact += 1;
                        match evaluate(policy, inp) {
                            Ok(o) => acc.exact.add(&o),
                            Err(_) => {
                                acc.exact.compounds += 1;
                                acc.exact.errors += 1;
                            }
                        }
                    }
                    acc.finish()
                })
            })
            .collect();
        let mut total = BatchTotals::default();
        let mut counts = PathCounts::default();
        for h in handles {
            // A worker only panics on a bug; count it as an error rather than abort.
            match h.join() {
                Ok((t, c)) => {
                    total.merge(t);
                    counts.fast += c.fast;
                    counts.exact += c.exact;
                }
                Err(_) => total.errors += 1,
            }
        }
        (total, counts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_multiplication_is_exact() {
        let mut rng = crate::synthetic::Rng::new(17);
        for k in 1..19 {
            let r = Rounder::new(k + 2).expect("scale");
            let d = POW10[k as usize] as u64;
            let edges = [
                0,
                1,
                d - 1,
                d,
                d + 1,
                d / 2,
                d / 2 + 1,
                (1 << 63) - 1,
                (1 << 63) - d,
            ];
            let random = (0..20_000).map(|i| rng.next_u64() >> (1 + i % 60));
            for a in edges.into_iter().chain(random) {
                let (q, rem) = (a / d, a % d);
                let want = if rem >= d - rem { q + 1 } else { q } as i64;
                let x = a as i64;
                assert_eq!(r.fen(x), Some(Fen(want)), "{a} / 10^{k}");
                assert_eq!(r.fen(-x), Some(Fen(-want)), "-{a} / 10^{k}");
            }
        }
        assert_eq!(Rounder::new(2), None);
        assert_eq!(Rounder::new(21), None);
    }

    #[test]
    fn rescaled_products_round_as_to_fen() {
        let mut rng = crate::synthetic::Rng::new(5);
        let mut computed = 0;
        for _ in 0..100_000 {
            let a = Decimal::new(
                rng.range(-10_000_000_000, 10_000_000_000),
                rng.range(0, 5) as u32,
            );
            let b = Decimal::new(rng.range(0, 10_000), rng.range(0, 3) as u32);
            let c = Decimal::new(rng.range(0, 1_000), rng.range(0, 3) as u32);
            let exact = crate::eval::to_fen(a * b * c);
            let fast = (|| {
                let m = Fixed::of(a)?
                    .at_scale(2)?
                    .checked_mul(Fixed::of(b)?.at_scale(2)?)?
                    .checked_mul(Fixed::of(c)?.at_scale(2)?)?;
                Rounder::new(6)?.fen(m)
            })();
            if let Some(f) = fast {
                assert_eq!(f, exact, "{a} × {b} × {c}");
                computed += 1;
            }
        }
        assert!(computed > 30_000, "{computed}");
    }
}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn packed_days_order_and_add_months_as_dates() {
        let mut d = jiff::civil::date(1999, 1, 1);
        let mut prev = Day::MIN;
        while d < jiff::civil::date(2031, 1, 1) {
            let k = Day::of(d);
            assert!(prev < k);
            assert_eq!(k.date(), d);
            for n in [-25, -13, -1, 0, 1, 3, 6, 11, 12, 13, 36, 121] {
                assert_eq!(
                    k.add_months(n),
                    dates::add_months(d, n).map(Day::of),
                    "{d} + {n}"
                );
            }
            let before = d.yesterday().map_or(0, |y| i32::from(y.year()));
            assert_eq!(k.year_before(), before, "{d}");
            prev = k;
            d = d.tomorrow().expect("tomorrow");
        }
        let far = jiff::civil::date(9999, 6, 1);
        assert_eq!(Day::of(far).add_months(12), None);
        assert_eq!(dates::add_months(far, 12), None);
        assert!(Day::of(jiff::civil::date(-5, 3, 1)) < Day::of(jiff::civil::date(-4, 1, 1)));
    }
}
