//! 演示数据: a deterministic demo ledger for Anju. Pure: no IO, no clock, no randomness from
//! outside — every call returns the same compounds, byte for byte.
//!
//! Three places, each from a seed document:
//!
//! - **奈曼旗大沁他拉街道** (通辽市), seed 004: 151 compounds that reproduce every census figure
//!   of the street's 2022 plan exactly (74 with a company, 27 of them with a committee; 77
//!   abandoned or self-managed, 19 with a committee, 16 under 30 households, 61 with 30 or more,
//!   3,796 households, infrastructure needs 170/70/45/219/26/30/53). The seed names no compound
//!   and no community, so every name and attribute there is invented. See [`daqintala`].
//! - **山亭区山城街道** (枣庄市), seed 003 附件3/附件4: the 41 compounds by their real names under
//!   their real communities; attributes invented. See [`shanting`].
//! - **聊城经济技术开发区** (聊城市), seed 000 六(一): the 7 托管 pilot compounds by their real
//!   names; streets, communities and attributes invented. See [`liaocheng`].
//!
//! Every compound's `remarks` begins with [`DEMO_MARK`] and says what is invented.

pub mod daqintala;
pub mod liaocheng;
pub mod shanting;
mod synth;

use anju_core::{Category, Compound, CreditCode, ModeGroup};

/// Every demo compound's remarks start with this.
pub const DEMO_MARK: &str = "演示数据";

/// The date the demo ledger describes (摸底底数): 2022-06-30, the start of the half-year of
/// Daqintala's 2022年下半年工作计划 (seed 004). Each compound's management mode is dated from
/// it, so dated targets (60 % by 2022-12-31 …) and coverage over time work on the demo.
pub const CENSUS_DATE: jiff::civil::Date = jiff::civil::date(2022, 6, 30);

/// A property company (物业服务企业) of the demo. Names, contacts, phones and credit codes are
/// invented; the codes are valid (GB 32100-2015 check character) and carry the real division
/// code of the company's district. Phones use a subscriber number starting with 0, which no
/// real Chinese landline has, so a demo number can never ring anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCompany {
    /// 企业名称
    pub name: String,
    /// 统一社会信用代码
    pub credit_code: CreditCode,
    /// 联系人
    pub contact: String,
    /// 联系电话
    pub phone: String,
    /// 注册地所在区（县、旗）
    pub district: String,
}

/// One row of the region tree: (市, 区/县/旗, 街道/镇, 社区…).
pub type RegionRow = (&'static str, &'static str, &'static str, Vec<&'static str>);

/// All demo compounds, in a stable order: 大沁他拉街道 (151, by community), 山城街道 (41, in the
/// order of 附件3 then 附件4), 聊城经济技术开发区 (7, in the order of the seed's list).
pub fn demo_ledger() -> Vec<Compound> {
    let mut all = daqintala::compounds();
    all.extend(shanting::compounds());
    all.extend(liaocheng::compounds());
    all
}

/// All demo companies: Daqintala's, then Shanting's, then Liaocheng's.
pub fn demo_companies() -> Vec<DemoCompany> {
    let mut all = daqintala::companies();
    all.extend(shanting::companies());
    all.extend(liaocheng::companies());
    all
}

/// The region tree the demo ledger lives in, one row per street, communities in ledger order.
pub fn regions() -> Vec<RegionRow> {
    let mut rows = vec![(
        daqintala::CITY,
        daqintala::DISTRICT,
        daqintala::STREET,
        daqintala::COMMUNITIES.to_vec(),
    )];
    rows.push((
        shanting::CITY,
        shanting::DISTRICT,
        shanting::STREET,
        shanting::COMMUNITIES.to_vec(),
    ));
    for (street, communities) in liaocheng::STREETS {
        rows.push((
            liaocheng::CITY,
            liaocheng::DISTRICT,
            street,
            communities.to_vec(),
        ));
    }
    rows
}

/// The city (市) a demo district belongs to (Compound has no city field).
pub fn city_of(district: &str) -> Option<&'static str> {
    regions().into_iter().find(|r| r.1 == district).map(|r| r.0)
}

/// The demo's reading of Shanting's note under 附件5 (类别):
/// "已实施物业管理服务、通过改造提升基础设施得到改善、管理条件较好 → 1类；基础设施一般、管理难度相对较大
/// → 2类；基础设施较差或小区规模较小、管理难度较大 → 3类".
///
/// - served by a company, and renovated or built 2008 or later → 1;
/// - served by a company otherwise, or basic cover (兜底, 后勤) → 2;
/// - unmanaged (弃管、自管) and small (fewer than 50 households — the demo's threshold, the note
///   gives none) or old and never renovated (built before 1995) → 3;
/// - unmanaged otherwise → 2.
pub fn classify(c: &Compound) -> Category {
    let year = c.built_year.unwrap_or(0);
    match c.mode.group() {
        ModeGroup::Company if c.renovation || year >= 2008 => Category::One,
        ModeGroup::Company | ModeGroup::Basic => Category::Two,
        ModeGroup::Unmanaged => {
            let small = c.households.is_some_and(|h| h < 50);
            if small || (year < 1995 && !c.renovation) {
                Category::Three
            } else {
                Category::Two
            }
        }
    }
}

/// Makes a demo credit code from a 17-character prefix. The prefixes are constants in this
/// crate and the tests validate every one, so failure here is a programming error.
fn credit_code(first17: &str) -> CreditCode {
    CreditCode::complete(first17).expect("demo credit-code prefixes are valid (tested)")
}

fn company(name: &str, first17: &str, contact: &str, phone: &str, district: &str) -> DemoCompany {
    DemoCompany {
        name: name.to_string(),
        credit_code: credit_code(first17),
        contact: contact.to_string(),
        phone: phone.to_string(),
        district: district.to_string(),
    }
}
