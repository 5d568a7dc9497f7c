//! A deterministic, plausible ledger of any size, for `anju bench import` and the tests.

use anju_core::{
    Area, Category, Compound, Coordinates, CreditCode, InfraKind, ManagementMode, OwnersBody,
};

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in lo..=hi.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const DISTRICTS: [&str; 4] = ["奈曼旗", "科尔沁区", "开鲁县", "库伦旗"];

const STREETS: [&str; 24] = [
    "大沁他拉街道",
    "东城街道",
    "西城街道",
    "新华街道",
    "建国街道",
    "胜利街道",
    "团结街道",
    "和平街道",
    "民主街道",
    "解放街道",
    "光明街道",
    "朝阳街道",
    "站前街道",
    "北城街道",
    "南城街道",
    "铁南街道",
    "永兴街道",
    "红星街道",
    "曙光街道",
    "新城街道",
    "富民街道",
    "兴隆街道",
    "长青街道",
    "春华街道",
];

const COMMUNITIES: [&str; 36] = [
    "幸福社区",
    "和谐社区",
    "阳光社区",
    "康乐社区",
    "友谊社区",
    "文化社区",
    "兴华社区",
    "福康社区",
    "安居社区",
    "锦绣社区",
    "青松社区",
    "丰泽社区",
    "振兴社区",
    "金桥社区",
    "碧水社区",
    "鸿福社区",
    "顺达社区",
    "瑞祥社区",
    "新村社区",
    "龙泉社区",
    "育才社区",
    "杏林社区",
    "书香社区",
    "翠园社区",
    "华苑社区",
    "东风社区",
    "红旗社区",
    "前进社区",
    "向阳社区",
    "永安社区",
    "宝山社区",
    "河畔社区",
    "园丁社区",
    "桃源社区",
    "仁和社区",
    "康宁社区",
];

const STEMS: [&str; 20] = [
    "幸福家园",
    "锦绣花园",
    "阳光小区",
    "建安小区",
    "粮食局家属院",
    "供电局家属楼",
    "教师楼",
    "和平里",
    "新华苑",
    "丽景苑",
    "翠湖湾",
    "铁路宿舍",
    "金色家园",
    "温馨家园",
    "泰和园",
    "祥和小区",
    "北苑小区",
    "南苑小区",
    "医院家属院",
    "水利局宿舍",
];

const COMPANIES: [&str; 12] = [
    "奈曼旗安居物业服务有限公司",
    "通辽市城投物业管理有限公司",
    "内蒙古恒信物业服务有限公司",
    "奈曼旗鑫源物业有限责任公司",
    "通辽市万家物业服务有限公司",
    "内蒙古嘉诚物业管理有限公司",
    "奈曼旗宏达物业服务有限公司",
    "通辽市佳园物业有限公司",
    "内蒙古悦居物业服务有限公司",
    "奈曼旗城市服务集团有限公司",
    "通辽市康泰物业管理有限公司",
    "内蒙古百合物业服务有限公司",
];

/// `n` compounds, the same for the same `seed`: streets and communities cycling through a few
/// dozen names, areas 2,000–120,000 ㎡, years 1980–2020, households 12–2,000, every
/// management mode, valid credit codes. Unique by (street, name), so it imports cleanly.
pub fn generate_bench_ledger(n: usize, seed: u64) -> Vec<Compound> {
    let mut rng = Rng(seed);
    let codes: Vec<Option<CreditCode>> = (0..COMPANIES.len())
        .map(|i| CreditCode::complete(&format!("91150525MA{:07}", 1000 + i * 37)).ok())
        .collect();
    (0..n)
        .map(|i| {
            let mode = match rng.range(0, 99) {
                0..=44 => ManagementMode::Professional,
                45..=54 => ManagementMode::StateTakeover,
                55..=64 => ManagementMode::StreetFallback,
                65..=69 => ManagementMode::Employer,
                70..=74 => ManagementMode::Neighbour,
                75..=84 => ManagementMode::SelfManaged,
                _ => ManagementMode::None,
            };
            let street = STREETS[i % STREETS.len()];
            let name = format!("{}{}号", rng.pick(&STEMS), i + 1);
            let mut c = Compound::new(name, street, mode);
            c.district = Some(DISTRICTS[(i / STREETS.len()) % DISTRICTS.len()].to_string());
            c.community = Some(COMMUNITIES[i % COMMUNITIES.len()].to_string());
            c.address = Some(format!(
                "{}{}路{}号",
                street.trim_end_matches("街道"),
                rng.pick(&["建设", "人民", "团结", "胜利", "新华", "民主"]),
                rng.range(1, 300)
            ));
            c.built_year = Some(rng.range(1980, 2020) as i32);
            let total = rng.range(200_000, 12_000_000) as i64;
            c.area = Some(Area::from_centi(total));
            if rng.chance(60) {
                let multi = total * rng.range(0, 100) as i64 / 100;
                c.area_multi = Some(Area::from_centi(multi));
                c.area_high = Some(Area::from_centi(total - multi));
            }
            c.buildings = Some(rng.range(1, 40) as u32);
            c.households = Some(rng.range(12, 2000) as u32);
            c.category = Category::from_number(rng.range(1, 3) as i64);
            c.renovation = rng.chance(30);
            if matches!(
                mode,
                ManagementMode::Professional
                    | ManagementMode::StateTakeover
                    | ManagementMode::Neighbour
            ) {
                let k = rng.range(0, COMPANIES.len() as u64 - 1) as usize;
                c.company = Some(COMPANIES[k].to_string());
                c.company_code = codes[k].clone();
            }
            c.owners_body = *rng.pick(&OwnersBody::ALL);
            c.party_branch = rng.chance(40);
            for k in InfraKind::ALL {
                c.infra.set(k, rng.range(0, 20) as u32);
                if rng.chance(30) {
                    c.needs.set(k, rng.range(1, 10) as u32);
                }
            }
            if rng.chance(50) {
                c.management_area = Some(format!("第{}管理区域", rng.range(1, 17)));
            }
            if rng.chance(70) {
                let lng = 122.0 + rng.range(0, 1_000_000) as f64 / 1e6;
                let lat = 42.0 + rng.range(0, 1_500_000) as f64 / 1e6;
                c.coords = Coordinates::from_degrees(lat, lng);
            }
            if rng.chance(10) {
                c.remarks = Some("2022年纳入全覆盖计划".to_string());
            }
            c
        })
        .collect()
}
