//! The ledger's columns: the canonical Chinese headers we write, and the variants officials
//! write that we accept when reading.

use anju_core::InfraKind;

/// What a column holds. `Infra(k)` is what a compound has (现有设施), `Need(k)` what it lacks
/// (设施需求, seed 004 三(五)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 序号: row numbers officials keep; read and ignored.
    Serial,
    Name,
    District,
    Street,
    Community,
    Address,
    BuiltYear,
    Area,
    AreaMulti,
    AreaHigh,
    Buildings,
    Households,
    Category,
    Renovation,
    Mode,
    Company,
    CreditCode,
    OwnersBody,
    PartyBranch,
    Infra(InfraKind),
    Need(InfraKind),
    ManagementArea,
    Longitude,
    Latitude,
    /// 坐标 "lng,lat" in one cell.
    Coordinates,
    Remarks,
}

impl Field {
    /// Number of distinct fields (for per-field lookup tables).
    pub(crate) const COUNT: usize = 40;

    pub(crate) fn index(self) -> usize {
        match self {
            Field::Serial => 0,
            Field::Name => 1,
            Field::District => 2,
            Field::Street => 3,
            Field::Community => 4,
            Field::Address => 5,
            Field::BuiltYear => 6,
            Field::Area => 7,
            Field::AreaMulti => 8,
            Field::AreaHigh => 9,
            Field::Buildings => 10,
            Field::Households => 11,
            Field::Category => 12,
            Field::Renovation => 13,
            Field::Mode => 14,
            Field::Company => 15,
            Field::CreditCode => 16,
            Field::OwnersBody => 17,
            Field::PartyBranch => 18,
            Field::ManagementArea => 19,
            Field::Longitude => 20,
            Field::Latitude => 21,
            Field::Coordinates => 22,
            Field::Remarks => 23,
            Field::Infra(k) => 24 + k as usize,
            Field::Need(k) => 32 + k as usize,
        }
    }

    /// The column's spec in [`COLUMNS`].
    pub fn spec(self) -> &'static ColumnSpec {
        // Every field has exactly one spec (checked by a unit test).
        COLUMNS
            .iter()
            .find(|c| c.field == self)
            .unwrap_or(&COLUMNS[0])
    }
}

/// One ledger column: the header we write and the headers we accept.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub field: Field,
    /// The canonical header, as `write_ledger` writes it.
    pub header: &'static str,
    /// Other headers accepted on import (compared after [`normalize_header`]).
    pub variants: &'static [&'static str],
    /// The header in English (for `--lang en` reports and the README).
    pub en: &'static str,
    /// A column the file must have.
    pub required: bool,
    /// Whether `write_ledger` writes it (坐标 is read only: we write 经度 and 纬度).
    pub exported: bool,
}

const fn col(
    field: Field,
    header: &'static str,
    variants: &'static [&'static str],
    en: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        field,
        header,
        variants,
        en,
        required: false,
        exported: true,
    }
}

const fn required(
    field: Field,
    header: &'static str,
    variants: &'static [&'static str],
    en: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        field,
        header,
        variants,
        en,
        required: true,
        exported: true,
    }
}

use InfraKind as K;

/// The ledger's columns in the order `write_ledger` writes them.
///
/// Header matching ignores surrounding and inner whitespace (including line breaks and
/// full-width spaces), anything in brackets — `（㎡）`, `(平方米)`, `【必填】` — and `*` marks.
/// Besides the listed variants, infrastructure columns are recognised by their item name with
/// `现有`/`已有` before or `数`/`数量` after it, and needs by `需`/`需要`/`需安装`/`需新增`/`缺`
/// before or `需求`/`缺口` after it (see [`match_header`]).
pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        field: Field::Serial,
        header: "序号",
        variants: &["编号", "序", "no", "no."],
        en: "No.",
        required: false,
        exported: true,
    },
    required(
        Field::Name,
        "小区名称",
        &["小区名", "小区", "项目名称", "名称", "小区（项目）名称"],
        "compound",
    ),
    col(
        Field::District,
        "所属区县",
        &[
            "区县",
            "所属区",
            "所属县",
            "所属旗县",
            "旗县",
            "县区",
            "所属区（县）",
        ],
        "district",
    ),
    required(
        Field::Street,
        "所属街道",
        &[
            "街道",
            "街道（镇）",
            "镇街",
            "所属镇街",
            "街道办事处",
            "所属街道办",
            "乡镇街道",
            "街镇",
            "镇（街道）",
        ],
        "street",
    ),
    col(
        Field::Community,
        "所属社区",
        &["社区", "居委会", "社区居委会", "所属居委会", "社区（村）"],
        "community",
    ),
    col(
        Field::Address,
        "地址",
        &["小区地址", "详细地址", "坐落", "位置", "小区位置"],
        "address",
    ),
    col(
        Field::BuiltYear,
        "建成年份",
        &[
            "建成年代",
            "竣工年份",
            "建设年份",
            "建成时间",
            "竣工时间",
            "建设年代",
            "建成年限",
        ],
        "year built",
    ),
    col(
        Field::Area,
        "建筑面积",
        &[
            "总建筑面积",
            "面积",
            "建筑面积（㎡）",
            "建筑面积(平方米)",
            "总面积",
            "小区面积",
        ],
        "floor area",
    ),
    col(
        Field::AreaMulti,
        "多层面积",
        &["多层建筑面积", "其中多层面积", "多层"],
        "multi-storey area",
    ),
    col(
        Field::AreaHigh,
        "高层面积",
        &["高层建筑面积", "其中高层面积", "高层"],
        "high-rise area",
    ),
    col(
        Field::Buildings,
        "楼栋数",
        &["栋数", "楼栋", "楼数", "幢数", "楼栋数量"],
        "buildings",
    ),
    col(
        Field::Households,
        "户数",
        &["总户数", "住户数", "居民户数", "户数（户）"],
        "households",
    ),
    col(
        Field::Category,
        "类别",
        &["小区类别", "小区类型", "分类"],
        "category",
    ),
    col(
        Field::Renovation,
        "是否纳入改造",
        &[
            "老旧小区改造",
            "改造",
            "是否老旧小区改造",
            "纳入改造",
            "是否改造",
            "是否纳入老旧小区改造",
        ],
        "in renovation",
    ),
    required(
        Field::Mode,
        "物业管理方式",
        &[
            "管理方式",
            "物业管理性质",
            "管理模式",
            "物业管理模式",
            "物业服务方式",
            "管理类型",
            "物业类型",
        ],
        "management mode",
    ),
    col(
        Field::Company,
        "物业企业",
        &[
            "物业公司",
            "物业服务企业",
            "入驻物业管理企业名称",
            "物业企业名称",
            "物业公司名称",
            "物业服务企业名称",
            "服务企业",
        ],
        "property company",
    ),
    col(
        Field::CreditCode,
        "统一社会信用代码",
        &[
            "信用代码",
            "企业信用代码",
            "社会信用代码",
            "物业企业统一社会信用代码",
        ],
        "credit code",
    ),
    col(
        Field::OwnersBody,
        "业主委员会",
        &[
            "业委会",
            "业主组织",
            "是否成立业委会",
            "是否成立业主委员会",
            "业主大会/业委会",
        ],
        "owners' body",
    ),
    col(
        Field::PartyBranch,
        "党支部",
        &["是否成立党支部", "党组织", "小区党支部", "是否建立党组织"],
        "party branch",
    ),
    col(
        Field::Infra(K::Cameras),
        "摄像头",
        &["监控", "监控摄像头", "现有摄像头"],
        "cameras",
    ),
    col(
        Field::Infra(K::Chargers),
        "充电桩",
        &["现有充电桩"],
        "chargers",
    ),
    col(
        Field::Infra(K::WaterPoints),
        "取水点",
        &["现有取水点"],
        "water points",
    ),
    col(
        Field::Infra(K::UnitDoors),
        "单元门",
        &["现有单元门", "单元门禁"],
        "unit doors",
    ),
    col(
        Field::Infra(K::BikeSheds),
        "车棚",
        &["现有车棚", "自行车棚"],
        "bike sheds",
    ),
    col(
        Field::Infra(K::ParkingBays),
        "车位",
        &["停车位", "现有车位"],
        "parking bays",
    ),
    col(
        Field::Infra(K::BarrierGates),
        "电子杆",
        &["道闸", "电子道闸", "现有电子杆"],
        "barrier gates",
    ),
    col(
        Field::Infra(K::PropertyOffices),
        "物业用房",
        &["物业办公用房", "现有物业用房"],
        "property offices",
    ),
    col(
        Field::Need(K::Cameras),
        "需安装摄像头",
        &["摄像头需求", "需摄像头", "需安装监控"],
        "cameras needed",
    ),
    col(
        Field::Need(K::Chargers),
        "需安装充电桩",
        &["充电桩需求", "需充电桩"],
        "chargers needed",
    ),
    col(
        Field::Need(K::WaterPoints),
        "需建取水点",
        &["取水点需求", "需取水点", "需安装取水点"],
        "water points needed",
    ),
    col(
        Field::Need(K::UnitDoors),
        "需安装单元门",
        &["单元门需求", "需单元门"],
        "unit doors needed",
    ),
    col(
        Field::Need(K::BikeSheds),
        "需建车棚",
        &["车棚需求", "需车棚"],
        "bike sheds needed",
    ),
    col(
        Field::Need(K::ParkingBays),
        "需建车位",
        &["车位需求", "需车位", "需划车位"],
        "parking bays needed",
    ),
    col(
        Field::Need(K::BarrierGates),
        "需安装电子杆",
        &["电子杆需求", "需电子杆", "需安装道闸"],
        "barrier gates needed",
    ),
    col(
        Field::Need(K::PropertyOffices),
        "需物业用房",
        &["物业用房需求", "需建物业用房"],
        "property offices needed",
    ),
    col(
        Field::ManagementArea,
        "物业管理区域",
        &["管理区域", "所属管理区域", "片区", "物业管理片区"],
        "management area",
    ),
    col(
        Field::Longitude,
        "经度",
        &["lng", "lon", "longitude"],
        "longitude",
    ),
    col(Field::Latitude, "纬度", &["lat", "latitude"], "latitude"),
    ColumnSpec {
        field: Field::Coordinates,
        header: "坐标",
        variants: &["经纬度", "坐标（经度,纬度）", "位置坐标"],
        en: "coordinates",
        required: false,
        exported: false,
    },
    col(Field::Remarks, "备注", &["说明", "备考"], "remarks"),
];

/// Names each infrastructure item goes by (for the pattern rules in [`match_header`]).
fn infra_synonyms(k: InfraKind) -> &'static [&'static str] {
    match k {
        K::Cameras => &[
            "摄像头",
            "监控",
            "监控摄像头",
            "监控设备",
            "摄像机",
            "监控探头",
        ],
        K::Chargers => &["充电桩", "充电设施", "电动车充电桩", "充电桩位"],
        K::WaterPoints => &["取水点", "取水口", "消防取水点"],
        K::UnitDoors => &["单元门", "单元门禁", "门禁"],
        K::BikeSheds => &["车棚", "自行车棚", "非机动车棚"],
        K::ParkingBays => &["车位", "停车位", "停车区域", "停车场"],
        K::BarrierGates => &["电子杆", "道闸", "电子道闸", "车辆道闸"],
        K::PropertyOffices => &["物业用房", "物业办公用房", "物业服务用房"],
    }
}

/// Normalises a header for comparison: drops whitespace (also inner line breaks and
/// full-width spaces), bracketed parts (units such as `（㎡）`), `*` and colons, and lower-cases
/// ASCII.
pub fn normalize_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' | '〔' | '［' => depth += 1,
            ')' | '）' | ']' | '】' | '〕' | '］' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() => {}
            '*' | '＊' | ':' | '：' => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// The field a header names, if any.
pub fn match_header(header: &str) -> Option<Field> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    for spec in COLUMNS {
        if normalize_header(spec.header) == h
            || spec.variants.iter().any(|v| normalize_header(v) == h)
        {
            return Some(spec.field);
        }
    }
    match_infra(&h)
}

/// `需安装摄像头`, `摄像头需求数`, `现有监控数量`, `道闸（个）` …
fn match_infra(h: &str) -> Option<Field> {
    const NEED_PREFIXES: [&str; 10] = [
        "需安装",
        "需要安装",
        "需新增",
        "需增设",
        "需建设",
        "需配备",
        "需要",
        "需建",
        "需",
        "缺",
    ];
    const NEED_SUFFIXES: [&str; 6] = ["需求数量", "需求数", "需求量", "需求", "缺口数", "缺口"];
    const HAVE_PREFIXES: [&str; 5] = ["现有", "已有", "已安装", "已建", "现状"];
    const COUNT_SUFFIXES: [&str; 4] = ["数量", "个数", "数", "处"];

    let mut base = h;
    let mut need = false;
    if let Some(p) = NEED_PREFIXES.iter().find(|p| base.starts_with(*p)) {
        base = &base[p.len()..];
        need = true;
    } else if let Some(s) = NEED_SUFFIXES.iter().find(|s| base.ends_with(*s)) {
        base = &base[..base.len() - s.len()];
        need = true;
    } else if let Some(p) = HAVE_PREFIXES.iter().find(|p| base.starts_with(*p)) {
        base = &base[p.len()..];
    }
    if let Some(s) = COUNT_SUFFIXES.iter().find(|s| base.ends_with(*s)) {
        base = &base[..base.len() - s.len()];
    }
    let kind = InfraKind::ALL
        .into_iter()
        .find(|k| infra_synonyms(*k).contains(&base))?;
    Some(if need {
        Field::Need(kind)
    } else {
        Field::Infra(kind)
    })
}

/// Excel's column letters: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The columns as a Markdown table (for the README): header, English, required, variants.
pub fn columns_markdown() -> String {
    let mut out = String::from(
        "| 列名 (header) | English | 必填 | 可用的其他列名 (accepted variants) |\n|---|---|---|---|\n",
    );
    for c in COLUMNS {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            c.header,
            c.en,
            if c.required { "是" } else { "" },
            c.variants.join("、")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_one_spec_and_a_distinct_index() {
        let mut seen = [false; Field::COUNT];
        for c in COLUMNS {
            assert!(!seen[c.field.index()], "{:?}", c.field);
            seen[c.field.index()] = true;
            assert_eq!(c.field.spec().header, c.header);
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn headers_match_with_variants_and_noise() {
        for (h, f) in [
            ("小区名称", Field::Name),
            (" 小区\n名称 ", Field::Name),
            ("街道（镇）", Field::Street),
            ("所属街道*", Field::Street),
            ("建筑面积（㎡）", Field::Area),
            ("建筑面积(平方米)", Field::Area),
            ("总建筑面积\n（平方米）", Field::Area),
            ("物业管理方式", Field::Mode),
            ("入驻物业管理企业名称", Field::Company),
            ("需安装摄像头", Field::Need(K::Cameras)),
            ("摄像头需求", Field::Need(K::Cameras)),
            ("需要道闸", Field::Need(K::BarrierGates)),
            ("现有监控数量", Field::Infra(K::Cameras)),
            ("道闸（个）", Field::Infra(K::BarrierGates)),
            ("充电桩数", Field::Infra(K::Chargers)),
            ("缺车棚", Field::Need(K::BikeSheds)),
            ("序号", Field::Serial),
            ("经度", Field::Longitude),
            ("坐标", Field::Coordinates),
        ] {
            assert_eq!(match_header(h), Some(f), "{h}");
        }
        assert_eq!(match_header("联系电话"), None);
        assert_eq!(match_header(""), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(5), "F");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
