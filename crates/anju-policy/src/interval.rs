//! Intervals with explicit boundaries: `[80, 100]`, `[60, 80)`, `(15, 31)`, `[10, +inf)`.
//!
//! Every tier boundary in a policy file states whether it includes its number, in the
//! mathematical notation: `[` / `]` include, `(` / `)` exclude. This is how the statutory
//! boundary words are carried over (民法典 第一千二百五十九条): 以上/以下/以内/届满/含 include the
//! number, 不满/不足/超过/以外 exclude it. A bound may name a parameter (`[0, half_month_days)`)
//! whose single value is filled in when the policy is loaded.

use rust_decimal::Decimal;
use std::fmt;

/// One end of an interval as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawBound {
    Infinite,
    Num(Decimal),
    Param(String),
}

/// An interval as written in the file, before parameters are filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawInterval {
    pub lo: RawBound,
    pub lo_incl: bool,
    pub hi: RawBound,
    pub hi_incl: bool,
}

/// One finite end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

/// An interval over the decimals; `None` is an infinite end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
}

impl RawInterval {
    /// Parses `[a, b]`, `(a, b)`, `[a, +inf)`, `(-inf, b]`; a bound is a number or a
    /// parameter name.
    pub fn parse(s: &str) -> Result<RawInterval, String> {
        let t = s.trim();
        let err = |why: &str| format!("区间 '{s}' 写法有误 / bad interval '{s}': {why}");
        let open = t.chars().next().ok_or_else(|| err("empty"))?;
        let close = t.chars().last().ok_or_else(|| err("empty"))?;
        let lo_incl = match open {
            '[' => true,
            '(' => false,
            _ => return Err(err("must start with [ or (")),
        };
        let hi_incl = match close {
            ']' => true,
            ')' => false,
            _ => return Err(err("must end with ] or )")),
        };
        let inner = &t[open.len_utf8()..t.len() - close.len_utf8()];
        let mut parts = inner.split(',');
        let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("needs exactly two bounds separated by a comma"));
        };
        let lo = parse_bound(a.trim(), true).map_err(|w| err(&w))?;
        let hi = parse_bound(b.trim(), false).map_err(|w| err(&w))?;
        if lo == RawBound::Infinite && lo_incl || hi == RawBound::Infinite && hi_incl {
            return Err(err("an infinite end cannot be included: use ( or )"));
        }
        Ok(RawInterval {
            lo,
            lo_incl,
            hi,
            hi_incl,
        })
    }

    /// Fills in parameter names with `lookup`.
    pub fn resolve(
        &self,
        lookup: &dyn Fn(&str) -> Result<Decimal, String>,
    ) -> Result<Interval, String> {
        let end = |b: &RawBound, incl: bool| -> Result<Option<Bound>, String> {
            Ok(match b {
                RawBound::Infinite => None,
                RawBound::Num(v) => Some(Bound {
                    value: *v,
                    inclusive: incl,
                }),
                RawBound::Param(p) => Some(Bound {
                    value: lookup(p)?,
                    inclusive: incl,
                }),
            })
        };
        let iv = Interval {
            lo: end(&self.lo, self.lo_incl)?,
            hi: end(&self.hi, self.hi_incl)?,
        };
        if iv.is_empty() {
            return Err(format!("区间 {self} 是空的 / interval {self} is empty"));
        }
        Ok(iv)
    }

    /// The parameter names this interval refers to.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        [&self.lo, &self.hi].into_iter().filter_map(|b| match b {
            RawBound::Param(p) => Some(p.as_str()),
            _ => None,
        })
    }

    /// A numeric-only interval (no parameter names); errors name the first parameter found.
    pub fn numeric(&self) -> Result<Interval, String> {
        self.resolve(&|p| {
            Err(format!(
                "此处不能引用参数 {p} / no parameter allowed here: {p}"
            ))
        })
    }
}

fn parse_bound(s: &str, is_lo: bool) -> Result<RawBound, String> {
    match s {
        "-inf" | "-∞" if is_lo => return Ok(RawBound::Infinite),
        "+inf" | "inf" | "+∞" | "∞" if !is_lo => return Ok(RawBound::Infinite),
        "-inf" | "-∞" | "+inf" | "inf" | "+∞" | "∞" => {
            return Err(format!("'{s}' on the wrong side"));
        }
        _ => {}
    }
    if let Ok(d) = s.parse::<Decimal>() {
        return Ok(RawBound::Num(d));
    }
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Ok(RawBound::Param(s.to_string()));
    }
    Err(format!("'{s}' is neither a number nor a parameter name"))
}

impl fmt::Display for RawInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = |x: &RawBound, lo: bool| match x {
            RawBound::Infinite => if lo { "-inf" } else { "+inf" }.to_string(),
            RawBound::Num(d) => d.normalize().to_string(),
            RawBound::Param(p) => p.clone(),
        };
        write!(
            f,
            "{}{}, {}{}",
            if self.lo_incl { '[' } else { '(' },
            b(&self.lo, true),
            b(&self.hi, false),
            if self.hi_incl { ']' } else { ')' }
        )
    }
}

impl Interval {
    /// The whole line, (-inf, +inf).
    pub const ALL: Interval = Interval { lo: None, hi: None };

    /// A single point, [x, x].
    pub fn point(x: Decimal) -> Interval {
        let b = Some(Bound {
            value: x,
            inclusive: true,
        });
        Interval { lo: b, hi: b }
    }

    pub fn contains(&self, x: Decimal) -> bool {
        let lo_ok = match self.lo {
            None => true,
            Some(b) => x > b.value || (b.inclusive && x == b.value),
        };
        let hi_ok = match self.hi {
            None => true,
            Some(b) => x < b.value || (b.inclusive && x == b.value),
        };
        lo_ok && hi_ok
    }

    pub fn is_empty(&self) -> bool {
        match (self.lo, self.hi) {
            (Some(l), Some(h)) => {
                l.value > h.value || (l.value == h.value && !(l.inclusive && h.inclusive))
            }
            _ => false,
        }
    }

    /// True when every number in `other` is in `self`.
    pub fn covers(&self, other: &Interval) -> bool {
        let lo_ok = match (self.lo, other.lo) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => {
                a.value < b.value || (a.value == b.value && (a.inclusive || !b.inclusive))
            }
        };
        let hi_ok = match (self.hi, other.hi) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => {
                a.value > b.value || (a.value == b.value && (a.inclusive || !b.inclusive))
            }
        };
        lo_ok && hi_ok
    }

    /// The single number in this interval, if it is a point.
    pub fn as_point(&self) -> Option<Decimal> {
        match (self.lo, self.hi) {
            (Some(l), Some(h)) if l.value == h.value && l.inclusive && h.inclusive => Some(l.value),
            _ => None,
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.as_point() {
            return write!(f, "{}", p.normalize());
        }
        let (lo_c, lo) = match self.lo {
            None => ('(', "-inf".to_string()),
            Some(b) => (
                if b.inclusive { '[' } else { '(' },
                b.value.normalize().to_string(),
            ),
        };
        let (hi_c, hi) = match self.hi {
            None => (')', "+inf".to_string()),
            Some(b) => (
                if b.inclusive { ']' } else { ')' },
                b.value.normalize().to_string(),
            ),
        };
        write!(f, "{lo_c}{lo}, {hi}{hi_c}")
    }
}

/// A piece of the domain where the tiers do not cover exactly once.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageIssue {
    /// The point or open stretch concerned.
    pub at: Interval,
    /// Indices of the tiers that contain it: none is a gap, two or more an overlap.
    pub tiers: Vec<usize>,
}

/// Finds every gap and overlap of `tiers` inside `domain`, exactly.
///
/// Membership can only change at a boundary, so it is enough to test each boundary point and
/// one point inside each stretch between neighbouring boundaries (and beyond the outermost).
/// Which of a set of intervals contain each of a series of probes given in increasing order.
/// An interval enters the active set once its lower bound is reached and leaves it once its
/// upper bound is passed, so each probe looks at the few intervals around it, not at all of them:
/// O((n + p) log n). Checking every interval at every probe made a table of 60,000 tiers take
/// minutes to lint and to compile.
pub struct Sweep<'a> {
    ivs: &'a [Interval],
    by_lo: Vec<usize>,
    next: usize,
    active: Vec<usize>,
}

impl<'a> Sweep<'a> {
    pub fn new(ivs: &'a [Interval]) -> Sweep<'a> {
        let mut by_lo: Vec<usize> = (0..ivs.len()).collect();
        by_lo.sort_by(|a, b| match (ivs[*a].lo, ivs[*b].lo) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.value.cmp(&y.value),
        });
        Sweep {
            ivs,
            by_lo,
            next: 0,
            active: Vec::new(),
        }
    }

    /// The indices (ascending) of the intervals containing `probe`, which is not below any
    /// probe asked before.
    pub fn at(&mut self, probe: Decimal) -> Vec<usize> {
        let ivs = self.ivs;
        while let Some(&i) = self.by_lo.get(self.next) {
            if ivs[i].lo.is_some_and(|b| b.value > probe) {
                break;
            }
            self.active.push(i);
            self.next += 1;
        }
        self.active
            .retain(|i| ivs[*i].hi.is_none_or(|b| b.value >= probe));
        let mut hit: Vec<usize> = self
            .active
            .iter()
            .copied()
            .filter(|i| ivs[*i].contains(probe))
            .collect();
        hit.sort_unstable();
        hit
    }
}

pub fn coverage(domain: &Interval, tiers: &[Interval]) -> Vec<CoverageIssue> {
    let mut pts: Vec<Decimal> = Vec::new();
    for iv in std::iter::once(domain).chain(tiers.iter()) {
        for b in [iv.lo, iv.hi].into_iter().flatten() {
            pts.push(b.value);
        }
    }
    pts.sort();
    pts.dedup();
    let mut out: Vec<CoverageIssue> = Vec::new();
    // The probes come in increasing order: one sweep over the tiers (see [`Sweep`]).
    let mut sweep = Sweep::new(tiers);
    let mut check = |at: Interval, probe: Decimal, out: &mut Vec<CoverageIssue>| {
        let hit = sweep.at(probe);
        if !domain.contains(probe) {
            return;
        }
        if hit.len() != 1 {
            // Clip the stretch to the domain so that a gap reads as the text would say it.
            let at = clip(&at, domain);
            // Merge with the previous issue when it continues the same stretch with the
            // same tiers (a gap that runs through a boundary no tier uses).
            if let Some(last) = out.last_mut()
                && last.tiers == hit
                && touches(&last.at, &at)
            {
                last.at.hi = at.hi;
                return;
            }
            out.push(CoverageIssue { at, tiers: hit });
        }
    };
    if pts.is_empty() {
        check(Interval::ALL, Decimal::ZERO, &mut out);
        return out;
    }
    let first = pts[0];
    check(
        Interval {
            lo: None,
            hi: Some(Bound {
                value: first,
                inclusive: false,
            }),
        },
        first - Decimal::ONE,
        &mut out,
    );
    for (i, p) in pts.iter().enumerate() {
        check(Interval::point(*p), *p, &mut out);
        let next = pts.get(i + 1).copied();
        let open = Interval {
            lo: Some(Bound {
                value: *p,
                inclusive: false,
            }),
            hi: next.map(|n| Bound {
                value: n,
                inclusive: false,
            }),
        };
        let probe = match next {
            Some(n) => (*p + n) / Decimal::TWO,
            None => *p + Decimal::ONE,
        };
        check(open, probe, &mut out);
    }
    out
}

fn clip(at: &Interval, domain: &Interval) -> Interval {
    let mut r = *at;
    if let Some(d) = domain.lo
        && (r.lo.is_none() || r.lo.is_some_and(|l| l.value < d.value))
    {
        r.lo = Some(d);
    }
    if let Some(d) = domain.hi
        && (r.hi.is_none() || r.hi.is_some_and(|h| h.value > d.value))
    {
        r.hi = Some(d);
    }
    r
}

fn touches(a: &Interval, b: &Interval) -> bool {
    match (a.hi, b.lo) {
        (Some(h), Some(l)) => h.value == l.value && (h.inclusive != l.inclusive),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_finds_what_checking_every_interval_finds() {
        // A fixed pseudo-random set: bounds from -3 to 40, open, closed or infinite ends.
        let mut seed = 0x2545_f491_u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let bound = |next: &mut dyn FnMut(u64) -> u64| {
            (next(8) != 0).then(|| Bound {
                value: Decimal::from(i64::try_from(next(44)).unwrap_or(0) - 3),
                inclusive: next(2) == 0,
            })
        };
        let ivs: Vec<Interval> = (0..300)
            .map(|_| Interval {
                lo: bound(&mut next),
                hi: bound(&mut next),
            })
            .collect();
        let mut sweep = Sweep::new(&ivs);
        for k in -10..100 {
            let probe = Decimal::from(k) / Decimal::TWO;
            let all: Vec<usize> = (0..ivs.len()).filter(|i| ivs[*i].contains(probe)).collect();
            assert_eq!(sweep.at(probe), all, "at {probe}");
        }
    }
    use rust_decimal_macros::dec;

    fn iv(s: &str) -> Interval {
        RawInterval::parse(s)
            .and_then(|r| r.numeric())
            .expect("interval")
    }

    #[test]
    fn parses_and_contains() {
        let t = iv("[60, 80)");
        assert!(t.contains(dec!(60)));
        assert!(t.contains(dec!(79.9)));
        assert!(!t.contains(dec!(80)));
        assert!(!t.contains(dec!(59.9)));
        let u = iv("(10, +inf)");
        assert!(!u.contains(dec!(10)));
        assert!(u.contains(dec!(10.0001)));
        assert!(RawInterval::parse("[0, +inf]").is_err());
        assert!(RawInterval::parse("0, 1").is_err());
        assert!(
            RawInterval::parse("[1, 0]")
                .and_then(|r| r.numeric())
                .is_err()
        );
        assert_eq!(iv("[5, 5]").as_point(), Some(dec!(5)));
    }

    #[test]
    fn finds_the_liaocheng_overlaps_exactly() {
        let tiers = [iv("[80, 100]"), iv("[60, 80]"), iv("[0, 60]")];
        let issues = coverage(&iv("[0, 100]"), &tiers);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].at.as_point(), Some(dec!(60)));
        assert_eq!(issues[0].tiers, vec![1, 2]);
        assert_eq!(issues[1].at.as_point(), Some(dec!(80)));
        assert_eq!(issues[1].tiers, vec![0, 1]);
    }

    #[test]
    fn finds_the_half_month_gap_exactly() {
        let tiers = [iv("[0, 15)"), iv("(15, 31)")];
        let issues = coverage(&iv("[0, 31)"), &tiers);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].at.as_point(), Some(dec!(15)));
        assert!(issues[0].tiers.is_empty());
    }

    #[test]
    fn finds_stretches_and_tails() {
        let tiers = [iv("[0, 10)"), iv("[20, 30]")];
        let issues = coverage(&iv("[0, +inf)"), &tiers);
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].at.to_string(), "[10, 20)");
        assert_eq!(issues[1].at.to_string(), "(30, +inf)");
        // Erqi: 含 everywhere, no gap, no overlap.
        let erqi = [
            iv("[95, 100]"),
            iv("[85, 95)"),
            iv("[70, 85)"),
            iv("[0, 70)"),
        ];
        assert!(coverage(&iv("[0, 100]"), &erqi).is_empty());
    }
}
