//! The small deterministic machinery behind the demo: a fixed-seed PRNG, integer geometry in
//! metres, apportionment of a total, and area splitting. Everything here is integer arithmetic
//! so the output is bit-for-bit the same on every platform.

use anju_core::{Area, Coordinates};

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and good enough to invent demo data.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `lo..=hi` (modulo bias is irrelevant for demo data).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo + 1) as u64;
        lo + (self.next_u64() % span) as i64
    }

    /// A value in `lo..=hi` as `u32`.
    pub(crate) fn range_u32(&mut self, lo: u32, hi: u32) -> u32 {
        self.range(i64::from(lo), i64::from(hi)) as u32
    }

    /// True with probability `pct` %.
    pub(crate) fn chance(&mut self, pct: u64) -> bool {
        self.next_u64() % 100 < pct
    }

    /// Fisher–Yates.
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }

    pub(crate) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next_u64() % v.len() as u64) as usize]
    }
}

/// A point in metres east and north of a region's reference point.
pub(crate) type Xy = (i64, i64);

pub(crate) fn dist2(a: Xy, b: Xy) -> i64 {
    (a.0 - b.0).pow(2) + (a.1 - b.1).pow(2)
}

/// A random point within `radius` metres of `centre`, at least `min_sep` from every point in
/// `taken` and at least `keep_out.1` from every point in `keep_out.0`. Rejection sampling in
/// a square (no trigonometry, so no platform-dependent floats). After many failed attempts it
/// returns the last candidate inside the disk, so the function is total; the tests check the
/// separations actually hold.
pub(crate) fn place(
    rng: &mut Rng,
    centre: Xy,
    radius: i64,
    taken: &[Xy],
    min_sep: i64,
    keep_out: (&[Xy], i64),
) -> Xy {
    let mut last = centre;
    for _ in 0..20_000 {
        let p = (
            centre.0 + rng.range(-radius, radius),
            centre.1 + rng.range(-radius, radius),
        );
        if dist2(p, centre) > radius * radius {
            continue;
        }
        last = p;
        let free = taken.iter().all(|t| dist2(*t, p) >= min_sep * min_sep)
            && keep_out
                .0
                .iter()
                .all(|t| dist2(*t, p) >= keep_out.1 * keep_out.1);
        if free {
            return p;
        }
    }
    last
}

/// Metres per degree of latitude (mean Earth radius 6,371 km).
const M_PER_DEG_LAT: i64 = 111_195;

/// Where a region's metre grid sits on the globe.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub(crate) lat_e6: i64,
    pub(crate) lng_e6: i64,
    /// 111,195 m × cos(latitude), precomputed so no trigonometry runs here.
    pub(crate) m_per_deg_lng: i64,
}

fn div_round(n: i64, d: i64) -> i64 {
    if n >= 0 {
        (n + d / 2) / d
    } else {
        -((-n + d / 2) / d)
    }
}

impl Origin {
    pub(crate) fn at(&self, p: Xy) -> Coordinates {
        Coordinates {
            lat_e6: self.lat_e6 + div_round(p.1 * 1_000_000, M_PER_DEG_LAT),
            lng_e6: self.lng_e6 + div_round(p.0 * 1_000_000, self.m_per_deg_lng),
        }
    }
}

/// Splits `total` among the weights by the largest-remainder (Hamilton) method: the shares sum
/// to `total` exactly and each is the floor or ceiling of its exact quota. Ties go to the
/// earlier index. All-zero weights give all zeros.
pub(crate) fn apportion(total: u32, weights: &[u64]) -> Vec<u32> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let t = u128::from(total);
    let mut shares: Vec<u32> = Vec::with_capacity(weights.len());
    let mut rems: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let q = t * u128::from(*w);
        shares.push((q / sum) as u32);
        rems.push((q % sum, i));
    }
    let given: u32 = shares.iter().sum();
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems.into_iter().take((total - given) as usize) {
        shares[i] += 1;
    }
    shares
}

/// Floor area for `households` at `per_household_centi` hundredths of ㎡ each plus a few odd
/// hundredths (so totals are not all round), split into (total, 多层, 高层) with `high_pct` %
/// high-rise. 多层 + 高层 = total exactly.
pub(crate) fn areas(
    rng: &mut Rng,
    households: u32,
    per_household_centi: u32,
    high_pct: u32,
) -> (Area, Area, Area) {
    let total = i64::from(households) * i64::from(per_household_centi) + rng.range(0, 99);
    let high = total * i64::from(high_pct.min(100)) / 100;
    (
        Area::from_centi(total),
        Area::from_centi(total - high),
        Area::from_centi(high),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_published_sequence() {
        // Reference values of SplitMix64 seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn apportion_hits_the_total_and_stays_near_quota() {
        for (total, w) in [
            (170u32, vec![10u64, 20, 30, 40]),
            (7, vec![1, 1, 1]),
            (0, vec![5, 5]),
            (53, vec![0, 9, 0, 1]),
        ] {
            let s = apportion(total, &w);
            assert_eq!(s.iter().sum::<u32>(), total);
            let ws: u64 = w.iter().sum();
            for (share, wi) in s.iter().zip(&w) {
                let q = f64::from(total) * *wi as f64 / ws as f64;
                assert!((f64::from(*share) - q).abs() < 1.0, "{share} vs {q}");
            }
        }
        assert_eq!(apportion(5, &[0, 0]), vec![0, 0]);
        assert_eq!(apportion(3, &[1, 1, 1, 1]), vec![1, 1, 1, 0]);
    }

    #[test]
    fn origin_offsets_are_metres() {
        let o = Origin {
            lat_e6: 42_846_000,
            lng_e6: 120_656_000,
            m_per_deg_lng: 81_531,
        };
        let a = o.at((0, 0));
        let b = o.at((1000, 0));
        let c = o.at((0, -1000));
        assert!(
            (a.distance_m(&b) - 1000.0).abs() < 5.0,
            "{}",
            a.distance_m(&b)
        );
        assert!(
            (a.distance_m(&c) - 1000.0).abs() < 5.0,
            "{}",
            a.distance_m(&c)
        );
    }

    #[test]
    fn areas_split_exactly() {
        let mut r = Rng::new(7);
        let (t, m, h) = areas(&mut r, 60, 8_512, 35);
        assert_eq!(m + h, t);
        assert!(t.centi() >= 60 * 8_512 && t.centi() < 60 * 8_512 + 100);
    }
}
