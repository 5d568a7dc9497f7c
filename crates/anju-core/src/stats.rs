//! Coverage figures (覆盖率统计): compounds, households and area by management mode, owners'
//! bodies, unmanaged compounds by household band, infrastructure needs — per street and
//! community, as officials report them upward (seed 004 一; seed 003 附件5; DOMAIN.md).

use crate::{Area, Compound, InfraKind, Infrastructure, ManagementMode, ModeGroup};
use serde::Serialize;
use std::collections::BTreeMap;

/// The household band seed 004 一 counts unmanaged compounds by: "30户以下" vs "30户以上".
/// Read as 不满30户 (< 30) and 30户及以上 (≥ 30) so that the two bands neither overlap nor leave
/// a gap at exactly 30 (the seed's own 以下/以上 would both include 30): [`HOUSEHOLD_BAND`].
pub const SMALL_COMPOUND_HOUSEHOLDS: u32 = 30;

/// A reading Anju makes where a seed's words overlap or leave a gap, stated with its reason and
/// the words it reads, and shown wherever its figures are shown (policy files state theirs as
/// `[[readings]]`; this one is the statistics').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatedReading {
    pub id: &'static str,
    pub value: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The seed (000–004), its clause and its words, verbatim.
    pub seed: &'static str,
    pub clause: &'static str,
    pub quote: &'static str,
}

impl StatedReading {
    /// "读法 household_band = under_30：…（种子 004 一、基本情况：“…”）".
    pub fn line(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Zh => format!(
                "读法 {} = {}：{}（依据文本 {} {}：“{}”）",
                self.id, self.value, self.zh, self.seed, self.clause, self.quote
            ),
            crate::Lang::En => format!(
                "Reading {} = {}: {} (seed {} {}: '{}')",
                self.id, self.value, self.en, self.seed, self.clause, self.quote
            ),
        }
    }
}

/// The statistics' stated readings (each shown with its figures, each quote checked against
/// its seed by `anju-policy`'s tests).
pub const STATED_READINGS: &[StatedReading] = &[HOUSEHOLD_BAND];

/// How the unmanaged compounds are split by households ([`SMALL_COMPOUND_HOUSEHOLDS`]).
pub const HOUSEHOLD_BAND: StatedReading = StatedReading {
    id: "household_band",
    value: "under_30",
    zh: "“30户以下”与“30户以上”依法都包含 30 户（民法典第一千二百五十九条），两档在 30 户重叠；统计读作“不满30户”（少于 30 户）与“30户及以上”，恰好 30 户的小区计入后一档",
    en: "'30 households or fewer' and '30 or more' both include 30 by statute (Civil Code art. 1259), so the seed's two bands overlap at 30; the figures read them as 'fewer than 30' and '30 or more', and a compound of exactly 30 households counts in the second",
    seed: "004",
    clause: "一、住宅小区物业服务现状",
    quote: "弃管小区30户以下的16个，30户以上61个",
};

/// Compounds, households and area for one management mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ModeFigures {
    pub compounds: u64,
    pub households: u64,
    /// ㎡, two decimals, as a string ("12345.67").
    pub area_m2: String,
    #[serde(skip)]
    area: Area,
}

/// The coverage figures of one scope (the whole selection, a street or a community).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// 小区总数
    pub compounds: u64,
    /// 总户数
    pub households: u64,
    /// 总建筑面积 ㎡
    pub area_m2: String,
    /// 有物业企业服务的小区 (专业化物业, 国有托管, 纳入临近物业区域)
    pub with_company: u64,
    /// … 其中有业主组织的
    pub with_company_with_committee: u64,
    /// 兜底/单位后勤 (basic cover without a company)
    pub basic: u64,
    /// 弃管（含自管）小区
    pub unmanaged: u64,
    /// … 其中有业主组织的
    pub unmanaged_with_committee: u64,
    /// 弃管小区户数合计
    pub unmanaged_households: u64,
    /// 弃管小区中不满30户的小区数
    pub unmanaged_under_30_households: u64,
    /// 弃管小区中30户及以上的小区数
    pub unmanaged_30_plus_households: u64,
    /// 有业主组织（业委会、物管会、环物委）的小区
    pub with_committee: u64,
    /// 物业覆盖率 (with_company + basic) / compounds, percent with one decimal, as a string.
    pub coverage_percent: String,
    /// By management mode code.
    pub by_mode: BTreeMap<&'static str, ModeFigures>,
    /// Infrastructure needs of the unmanaged compounds (seed 004 三(五)), by item code.
    pub unmanaged_needs: BTreeMap<&'static str, u64>,
    /// Infrastructure needs of all compounds in scope, by item code.
    pub needs: BTreeMap<&'static str, u64>,
    #[serde(skip)]
    area: Area,
    #[serde(skip)]
    needs_all: Infrastructure,
    #[serde(skip)]
    needs_unmanaged: Infrastructure,
}

impl Coverage {
    fn add(&mut self, g: &CoverageGroup) {
        self.compounds += g.compounds;
        self.households += g.households;
        self.area += g.area;
        self.with_committee += g.with_body;
        match g.mode.group() {
            ModeGroup::Company => {
                self.with_company += g.compounds;
                self.with_company_with_committee += g.with_body;
            }
            ModeGroup::Basic => self.basic += g.compounds,
            ModeGroup::Unmanaged => {
                self.unmanaged += g.compounds;
                self.unmanaged_households += g.households;
                self.unmanaged_with_committee += g.with_body;
                self.unmanaged_under_30_households += g.small;
                self.unmanaged_30_plus_households += g.compounds - g.small;
                self.needs_unmanaged.add(&g.needs);
            }
        }
        self.needs_all.add(&g.needs);
        let m = self.by_mode.entry(g.mode.code()).or_default();
        m.compounds += g.compounds;
        m.households += g.households;
        m.area += g.area;
    }

    fn finish(&mut self) {
        self.area_m2 = self.area.to_string();
        for m in self.by_mode.values_mut() {
            m.area_m2 = m.area.to_string();
        }
        for k in InfraKind::ALL {
            self.needs
                .insert(k.code(), u64::from(self.needs_all.get(k)));
            self.unmanaged_needs
                .insert(k.code(), u64::from(self.needs_unmanaged.get(k)));
        }
        self.coverage_percent = percent(self.with_company + self.basic, self.compounds);
    }

    pub fn area(&self) -> Area {
        self.area
    }

    pub fn mode(&self, m: ManagementMode) -> ModeFigures {
        self.by_mode.get(m.code()).cloned().unwrap_or_default()
    }
}

/// "45.6" for 456/1000: one decimal, half-up, computed in integers.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0".to_string();
    }
    let tenths = (u128::from(part) * 2000 + u128::from(whole)) / (u128::from(whole) * 2);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// One community's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommunityCoverage {
    pub community: String,
    #[serde(flatten)]
    pub figures: Coverage,
}

/// One street's figures with its communities.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StreetCoverage {
    pub street: String,
    #[serde(flatten)]
    pub figures: Coverage,
    pub communities: Vec<CommunityCoverage>,
}

/// The whole report: totals for the selection, then each street and its communities.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageReport {
    #[serde(flatten)]
    pub total: Coverage,
    pub streets: Vec<StreetCoverage>,
}

/// Community name used for compounds whose community is not recorded.
pub const NO_COMMUNITY: &str = "（未填社区）";

/// Compounds of one street, community and mode, summed: the input of [`coverage_of_groups`],
/// so that a database can do the summing (GROUP BY) and hand over a few thousand rows instead of
/// every compound. One compound is a group of one ([`CoverageGroup::of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageGroup {
    pub street: String,
    pub community: Option<String>,
    pub mode: ManagementMode,
    /// How many of them have an owners' body (有业主组织).
    pub with_body: u64,
    /// How many of them have fewer than [`SMALL_COMPOUND_HOUSEHOLDS`] households (none recorded
    /// counts as 0).
    pub small: u64,
    pub compounds: u64,
    pub households: u64,
    pub area: Area,
    /// Infrastructure needs, summed.
    pub needs: Infrastructure,
}

impl CoverageGroup {
    pub fn of(c: &Compound) -> CoverageGroup {
        CoverageGroup {
            street: c.street.clone(),
            community: c.community.clone(),
            mode: c.mode,
            with_body: u64::from(c.owners_body.exists()),
            small: u64::from(c.households.unwrap_or(0) < SMALL_COMPOUND_HOUSEHOLDS),
            compounds: 1,
            households: u64::from(c.households.unwrap_or(0)),
            area: c.area.unwrap_or_default(),
            needs: c.needs,
        }
    }
}

/// Computes the figures. Streets and communities are sorted by name.
pub fn coverage<'a>(compounds: impl IntoIterator<Item = &'a Compound>) -> CoverageReport {
    coverage_of_groups(compounds.into_iter().map(CoverageGroup::of))
}

/// The figures of compounds given in groups; the same as [`coverage`] of the compounds the
/// groups sum up, in any order and however they are split.
pub fn coverage_of_groups(groups: impl IntoIterator<Item = CoverageGroup>) -> CoverageReport {
    let mut total = Coverage::default();
    let mut streets: BTreeMap<String, (Coverage, BTreeMap<String, Coverage>)> = BTreeMap::new();
    for g in groups {
        total.add(&g);
        let s = streets.entry(g.street.clone()).or_default();
        s.0.add(&g);
        s.1.entry(
            g.community
                .clone()
                .unwrap_or_else(|| NO_COMMUNITY.to_string()),
        )
        .or_default()
        .add(&g);
    }
    total.finish();
    let streets = streets
        .into_iter()
        .map(|(name, (mut f, comms))| {
            f.finish();
            StreetCoverage {
                street: name,
                figures: f,
                communities: comms
                    .into_iter()
                    .map(|(cn, mut cf)| {
                        cf.finish();
                        CommunityCoverage {
                            community: cn,
                            figures: cf,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    CoverageReport { total, streets }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OwnersBody;

    fn c(name: &str, mode: ManagementMode, hh: u32, body: OwnersBody) -> Compound {
        let mut c = Compound::new(name, "甲街道", mode);
        c.households = Some(hh);
        c.owners_body = body;
        c.area = Some(Area::from_m2(hh * 80));
        c
    }

    #[test]
    fn household_band_boundary_is_30() {
        let rows = [
            c("a", ManagementMode::None, 29, OwnersBody::None),
            c(
                "b",
                ManagementMode::SelfManaged,
                30,
                OwnersBody::OwnersCommittee,
            ),
            c(
                "c",
                ManagementMode::Professional,
                10,
                OwnersBody::OwnersCommittee,
            ),
            c("d", ManagementMode::StreetFallback, 50, OwnersBody::None),
        ];
        let r = coverage(&rows);
        assert_eq!(r.total.compounds, 4);
        assert_eq!(r.total.unmanaged, 2);
        assert_eq!(r.total.unmanaged_under_30_households, 1);
        assert_eq!(r.total.unmanaged_30_plus_households, 1);
        assert_eq!(r.total.unmanaged_households, 59);
        assert_eq!(r.total.unmanaged_with_committee, 1);
        assert_eq!(r.total.with_company, 1);
        assert_eq!(r.total.with_company_with_committee, 1);
        assert_eq!(r.total.basic, 1);
        assert_eq!(r.total.coverage_percent, "50.0");
        assert_eq!(r.total.area_m2, "9520.00");
        assert_eq!(r.total.mode(ManagementMode::None).households, 29);
    }

    #[test]
    fn groups_give_the_figures_of_the_compounds_they_sum() {
        let mut rows = vec![
            c("a", ManagementMode::None, 29, OwnersBody::None),
            c("b", ManagementMode::None, 12, OwnersBody::None),
            c(
                "c",
                ManagementMode::SelfManaged,
                30,
                OwnersBody::OwnersCommittee,
            ),
            c(
                "d",
                ManagementMode::Professional,
                10,
                OwnersBody::OwnersCommittee,
            ),
            c(
                "e",
                ManagementMode::Professional,
                40,
                OwnersBody::OwnersCommittee,
            ),
        ];
        rows[1].community = Some("乙社区".into());
        rows[0].needs.set(InfraKind::ALL[0], 3);
        rows[1].needs.set(InfraKind::ALL[0], 2);
        let one_each = coverage(&rows);
        // a+b differ only by community; d+e (one small, one not) share a group.
        let mut de = CoverageGroup::of(&rows[3]);
        let e = CoverageGroup::of(&rows[4]);
        de.compounds += e.compounds;
        de.households += e.households;
        de.area += e.area;
        de.with_body += e.with_body;
        de.small += e.small;
        let groups = vec![
            de,
            CoverageGroup::of(&rows[2]),
            CoverageGroup::of(&rows[1]),
            CoverageGroup::of(&rows[0]),
        ];
        let summed = coverage_of_groups(groups);
        assert_eq!(
            serde_json::to_value(&summed).ok(),
            serde_json::to_value(&one_each).ok()
        );
        assert_eq!(
            summed.total.unmanaged_needs.get(InfraKind::ALL[0].code()),
            Some(&5)
        );
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(1, 8), "12.5");
        assert_eq!(percent(1, 16), "6.3");
        assert_eq!(percent(0, 0), "0.0");
    }
}
