//! Synthetic compounds for the benchmark and for property tests: deterministic, shaped so that
//! each policy has what it reads (a part month is avoided where a policy refuses them).

use crate::input::{CompoundFacts, ContractFacts, Grade, Input, PeriodResult, Status};
use crate::policy::{Anchor, PartMonth, Policy};
use jiff::civil::Date;
use rust_decimal::Decimal;

/// A small, fast, deterministic generator (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo).max(1) as u64;
        lo + (self.next_u64() % span) as i64
    }
    pub fn chance(&mut self, percent: i64) -> bool {
        self.range(0, 100) < percent
    }
}

/// Assessment results shared by many synthetic compounds (so a million compounds do not hold
/// a million copies of them).
#[derive(Debug, Clone)]
pub struct ResultPool {
    pub per_set: usize,
    pub results: Vec<PeriodResult>,
}

impl ResultPool {
    pub fn new(sets: usize, per_set: usize, rng: &mut Rng) -> ResultPool {
        let mut results = Vec::with_capacity(sets * per_set);
        for _ in 0..sets {
            for k in 0..per_set {
                let score = Decimal::new(rng.range(500, 1001), 1);
                let grade = match rng.range(0, 10) {
                    0..=5 => Grade::Excellent,
                    6..=7 => Grade::Good,
                    8 => Grade::Pass,
                    _ => Grade::Fail,
                };
                results.push(PeriodResult {
                    period: (k + 1) as u32,
                    score: Some(score),
                    grade: Some(grade),
                    evaluation_passed: Some(rng.chance(90)),
                    third_party_passed: Some(rng.chance(90)),
                    satisfaction: Some(Decimal::new(rng.range(60, 101), 2)),
                    collection_rate: Some(Decimal::new(rng.range(60, 101), 2)),
                    fees_total: None,
                });
            }
        }
        ResultPool { per_set, results }
    }

    pub fn set(&self, i: usize) -> &[PeriodResult] {
        let sets = self.results.len() / self.per_set.max(1);
        let i = i % sets.max(1);
        &self.results[i * self.per_set..(i + 1) * self.per_set]
    }
}

/// How many periods a 3-year contract can have under `policy` (a calendar-anchored policy may
/// touch four calendar years).
pub fn periods_for_three_years(policy: &Policy) -> usize {
    match (policy.periods.count, policy.periods.anchor) {
        (Some(n), _) => n as usize,
        (None, Anchor::Calendar) => 36 / policy.periods.unit.months() as usize + 1,
        (None, Anchor::Start) => 36 / policy.periods.unit.months() as usize,
    }
}

/// One synthetic compound and contract; `Yantai`-style policies get terms over 10 years for
/// most compounds, and policies that refuse part months get starts on the 1st.
pub fn compound(policy: &Policy, rng: &mut Rng) -> (CompoundFacts, ContractFacts) {
    let built_year = rng.range(1975, 2016) as i16;
    let built = Date::new(built_year, rng.range(1, 13) as i8, rng.range(1, 29) as i8).ok();
    let status = match rng.range(0, 10) {
        0..=5 => Status::Abandoned,
        6..=7 => Status::SelfManaged,
        8 => Status::Unmanaged,
        _ => Status::Managed,
    };
    let day = if policy.part_month == PartMonth::Refuse {
        1
    } else {
        rng.range(1, 32)
    };
    let year = rng.range(2022, 2024) as i16;
    let month = rng.range(1, 13) as i8;
    let signed = Date::new(year, month, 1)
        .ok()
        .and_then(|d| Date::new(year, month, (day as i8).min(d.days_in_month())).ok());
    // Contracts start once the policy is in force (service before it would not count).
    let signed = match (signed, policy.effective_from) {
        (Some(d), Some(eff)) if d < eff => eff.last_of_month().tomorrow().ok(),
        (d, _) => d,
    };
    let needs_long_term = policy.conditions.iter().any(|c| {
        matches!(
            c,
            crate::policy::Condition::YearsBetween {
                to: crate::policy::DateInput::TermEnd,
                ..
            }
        )
    });
    let term_years = if needs_long_term {
        *[10u32, 11, 12, 15, 20]
            .get(rng.range(0, 5) as usize)
            .unwrap_or(&11)
    } else {
        3
    };
    (
        CompoundFacts {
            area_m2: Some(Decimal::new(rng.range(50_000, 2_000_000), 2)),
            households: Some(rng.range(12, 400) as u32),
            built_year: Some(built_year),
            built,
            status: Some(status),
            in_renovation: Some(rng.chance(90)),
        },
        ContractFacts {
            signed,
            entry: signed,
            term_years: Some(term_years),
            term_start: None,
            term_end: None,
            fee_per_m2_month: Some(Decimal::new(rng.range(30, 130), 2)),
            ended: None,
        },
    )
}

/// Generates `n` compounds for `policy`; the returned inputs borrow `pool`'s results.
pub fn inputs<'a>(policy: &Policy, n: usize, seed: u64, pool: &'a ResultPool) -> Vec<Input<'a>> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (compound, contract) = compound(policy, &mut rng);
            Input {
                compound,
                contract,
                results: pool.set(i),
                carried: Default::default(),
            }
        })
        .collect()
}

/// A pool sized for `policy`'s 3-year schedules.
pub fn pool_for(policy: &Policy, seed: u64) -> ResultPool {
    let mut rng = Rng::new(seed ^ 0x5EED);
    ResultPool::new(4096, periods_for_three_years(policy), &mut rng)
}
