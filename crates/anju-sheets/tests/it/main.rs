//! anju-sheets integration tests: real files written by other tools (tests/fixtures, made by
//! make_fixtures.py), in-memory files, and export → import round trips.

use anju_core::{
    Area, Category, Compound, Coordinates, CreditCode, InfraKind, Lang, ManagementMode, OwnersBody,
};
use anju_sheets::{
    FileKind, LedgerChunk, LedgerError, Problem, ReadOptions, generate_bench_ledger, read_ledger,
    read_ledger_bytes, read_ledger_bytes_chunks, read_ledger_chunks, write_ledger,
    write_ledger_to_buffer,
};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

mod fuzz;

const CODE_OK: &str = "91350100M000100Y43";

fn opts() -> ReadOptions {
    ReadOptions {
        current_year: 2026,
        lang: Lang::Zh,
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Result<anju_sheets::Ledger, LedgerError> {
    read_ledger(&fixture(name), &opts())
}

/// What the four rows of the good files hold.
fn expected_good() -> Vec<Compound> {
    let mut a = Compound::new("幸福家园", "大沁他拉街道", ManagementMode::Professional);
    a.community = Some("幸福社区".into());
    a.address = Some("新华路12号".into());
    a.built_year = Some(1998);
    a.area = Some(Area::from_centi(1_234_567));
    a.area_multi = Some(Area::from_m2(8000));
    a.area_high = Some(Area::from_centi(434_567));
    a.buildings = Some(6);
    a.households = Some(120);
    a.category = Some(Category::One);
    a.renovation = true;
    a.company = Some("奈曼旗安居物业服务有限公司".into());
    a.company_code = CreditCode::parse(CODE_OK).ok();
    a.owners_body = OwnersBody::OwnersCommittee;
    a.party_branch = true;
    a.infra.set(InfraKind::Cameras, 4);
    a.needs.set(InfraKind::Cameras, 6);
    a.needs.set(InfraKind::Chargers, 2);
    a.coords = Coordinates::from_degrees(42.845, 120.123456);

    let mut b = Compound::new("粮食局家属院", "大沁他拉街道", ManagementMode::None);
    b.community = Some("和谐社区".into());
    b.built_year = Some(1992);
    b.area = Some(Area::from_m2(3200));
    b.buildings = Some(3);
    b.households = Some(48);
    b.category = Some(Category::Two);
    b.needs.set(InfraKind::Cameras, 8);
    b.needs.set(InfraKind::Chargers, 3);
    b.remarks = Some("长期无人管理".into());

    let mut c = Compound::new("铁路宿舍", "大沁他拉街道", ManagementMode::StateTakeover);
    c.community = Some("和谐社区".into());
    c.address = Some("站前路8号".into());
    c.built_year = Some(1985);
    c.area = Some(Area::from_centi(560_050));
    c.buildings = Some(4);
    c.households = Some(96);
    c.category = Some(Category::Three);
    c.renovation = true;
    c.company = Some("通辽市城投物业管理有限公司".into());
    c.owners_body = OwnersBody::ManagementCommittee;
    c.infra.set(InfraKind::Cameras, 2);

    let mut d = Compound::new("建安小区", "东城街道", ManagementMode::SelfManaged);
    d.community = Some("阳光社区".into());
    d.address = Some("建设路3号".into());
    d.built_year = Some(2005);
    d.area = Some(Area::from_m2(8000));
    d.buildings = Some(5);
    d.households = Some(1200);
    d.owners_body = OwnersBody::OwnersCommittee;
    d.party_branch = true;
    d.infra.set(InfraKind::Chargers, 1);
    d.needs.set(InfraKind::Chargers, 4);
    d.coords = Coordinates::from_degrees(42.8, 122.5);
    d.remarks = Some("2022年纳入全覆盖".into());

    vec![a, b, c, d]
}

fn assert_rows_eq(got: &[Compound], want: &[Compound]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w, "compound {}", w.name);
    }
}

// ---- good files ----

#[test]
fn reads_good_xlsx_with_title_rows_variants_and_a_totals_row() {
    let l = read("good.xlsx").expect("good.xlsx reads");
    assert_rows_eq(&l.rows, &expected_good());
    assert_eq!(
        l.sheet, "台账",
        "the notes sheet before it has no header and is passed over"
    );
    assert_eq!(l.header_row, 3);
    assert_eq!(l.source_rows, vec![4, 5, 6, 7]);
    assert_eq!(l.ignored_columns, vec!["联系电话".to_string()]);
}

#[test]
fn reads_good_xls() {
    let l = read("good.xls").expect("good.xls reads");
    assert_rows_eq(&l.rows, &expected_good());
    assert_eq!(l.sheet, "台账");
    assert_eq!(l.header_row, 3);
    assert_eq!(l.source_rows, vec![4, 5, 6, 7]);
    assert_eq!(l.ignored_columns, vec!["联系电话".to_string()]);
}

#[test]
fn reads_gb18030_csv() {
    let bytes = std::fs::read(fixture("good_gb18030.csv")).expect("fixture");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture really is GB18030"
    );
    let l = read("good_gb18030.csv").expect("GB18030 csv reads");
    assert_rows_eq(&l.rows, &expected_good());
    assert_eq!(l.header_row, 2);
    assert_eq!(l.source_rows, vec![3, 4, 5, 6]);
    assert_eq!(l.sheet, "good_gb18030");
}

#[test]
fn reads_utf8_bom_csv() {
    let l = read("good_utf8_bom.csv").expect("UTF-8 BOM csv reads");
    assert_rows_eq(&l.rows, &expected_good());
    assert_eq!(l.ignored_columns, vec!["联系电话".to_string()]);
}

#[test]
fn reads_tab_separated_utf8_without_bom() {
    let text = "小区名称\t所属街道\t物业管理方式\t户数\n甲小区\t东城街道\t自管\t30\n乙小区\t东城街道\t弃管\t\n";
    let l = read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()).expect("tsv reads");
    assert_eq!(l.rows.len(), 2);
    assert_eq!(l.rows[0].households, Some(30));
    assert_eq!(l.rows[1].mode, ManagementMode::None);
}

#[test]
fn content_decides_over_extension() {
    // WPS sometimes saves an .xlsx under .xls.
    let bytes = std::fs::read(fixture("good.xlsx")).expect("fixture");
    let l = read_ledger_bytes(&bytes, FileKind::Xls, &opts()).expect("reads");
    assert_eq!(l.rows.len(), 4);
}

// ---- bad files ----

fn p(row: usize, column: &str, value: &str, reason_zh: &str) -> (usize, String, String, String) {
    (
        row,
        column.to_string(),
        value.to_string(),
        reason_zh.to_string(),
    )
}

fn simplify(ps: &[Problem]) -> Vec<(usize, String, String, String)> {
    ps.iter()
        .map(|x| {
            (
                x.row,
                x.column.clone().unwrap_or_default(),
                x.value.clone(),
                x.reason_zh.clone(),
            )
        })
        .collect()
}

fn problems(r: Result<anju_sheets::Ledger, LedgerError>) -> Vec<Problem> {
    match r {
        Err(LedgerError::Problems(ps)) => ps,
        other => panic!("expected problems, got {other:?}"),
    }
}

const MODES: &str =
    "专业化物业、国有托管、街道兜底简易物业、单位后勤、纳入临近物业区域、业主自管、无物业（弃管）";

#[test]
fn bad_rows_report_every_problem_and_nothing_is_read() {
    let ps = problems(read("bad_rows.xlsx"));
    let want = vec![
        p(3, "建筑面积 (E)", "-120", "面积不能为负数"),
        p(
            4,
            "建成年份 (D)",
            "2031",
            "建成年份 2031 年晚于今年（2026 年）",
        ),
        p(5, "户数 (I)", "约200", "不是数字"),
        p(
            6,
            "小区名称 (A)",
            "好小区",
            "与第 2 行重复（同一街道下小区名称相同）",
        ),
        p(
            7,
            "统一社会信用代码 (N)",
            "91350100M000100Y44",
            "统一社会信用代码 '91350100M000100Y44' 校验位错误：应为 '3'，实为 '4'",
        ),
        p(8, "小区名称 (A)", "", "小区名称不能为空"),
        p(9, "楼栋数 (H)", "12.5", "应为整数"),
        p(
            10,
            "物业管理方式 (L)",
            "",
            &format!("物业管理方式不能为空，可填：{MODES}"),
        ),
        p(
            11,
            "物业管理方式 (L)",
            "随便管",
            &format!("无法识别的物业管理方式，可填：{MODES}"),
        ),
        p(
            12,
            "物业企业 (M)",
            "",
            "物业管理方式为“专业化物业”，须填写物业企业",
        ),
        p(13, "类别 (J)", "5", "类别应为 1、2 或 3"),
        p(
            14,
            "多层面积 (F)",
            "3000",
            "多层面积与高层面积之和（5,500.00）超过建筑面积（5,000.00）",
        ),
        p(
            15,
            "业主委员会 (O)",
            "也许",
            "无法识别的业主组织，可填：业主委员会、物业管理委员会、环境和物业管理委员会、有、无",
        ),
        p(
            16,
            "是否纳入改造 (K)",
            "可能",
            "应填“是”或“否”（也可填 有/无、√/×，或留空）",
        ),
        p(
            17,
            "经度 (Q)",
            "42.8",
            "经度不在中国境内（经度 73—136，纬度 3—54），是否填反了经纬度？",
        ),
        p(
            17,
            "纬度 (R)",
            "122.5",
            "纬度不在中国境内（经度 73—136，纬度 3—54），是否填反了经纬度？",
        ),
        p(18, "摄像头 (P)", "-3", "不能为负数"),
        p(19, "建筑面积 (E)", "abc", "不是数字"),
        p(19, "户数 (I)", "-5", "不能为负数"),
    ];
    assert_eq!(simplify(&ps), want);
}

#[test]
fn problems_render_in_chinese_and_english() {
    let err = read("bad_rows.xlsx").expect_err("bad");
    let zh = err.render(Lang::Zh);
    assert!(
        zh.starts_with("表格有 19 处问题，未导入任何数据。请修改后重新导入：\n"),
        "{zh}"
    );
    assert!(
        zh.contains("第 3 行，建筑面积 (E)：'-120' 面积不能为负数\n"),
        "{zh}"
    );
    assert!(
        zh.contains("第 8 行，小区名称 (A)：小区名称不能为空\n"),
        "{zh}"
    );
    assert!(
        zh.contains("第 6 行，小区名称 (A)：'好小区' 与第 2 行重复（同一街道下小区名称相同）\n")
    );
    assert_eq!(zh.lines().count(), 20);

    let en = err.render(Lang::En);
    assert!(
        en.starts_with(
            "The sheet has 19 problems; nothing was imported. Fix them and import again:\n"
        ),
        "{en}"
    );
    for line in [
        "Row 3, 建筑面积 (E): '-120' an area cannot be negative",
        "Row 4, 建成年份 (D): '2031' year built 2031 is in the future (this year is 2026)",
        "Row 5, 户数 (I): '约200' is not a number",
        "Row 6, 小区名称 (A): '好小区' duplicates row 2 (same street and compound name)",
        "Row 7, 统一社会信用代码 (N): '91350100M000100Y44' credit code '91350100M000100Y44': check character is '4', should be '3'",
        "Row 9, 楼栋数 (H): '12.5' must be a whole number",
        "Row 12, 物业企业 (M): the mode is “专业化物业” (professional company), so the property company must be given",
        "Row 13, 类别 (J): '5' the category must be 1, 2 or 3",
        "Row 17, 经度 (Q): '42.8' the longitude is outside China (longitude 73–136, latitude 3–54); are longitude and latitude swapped?",
    ] {
        assert!(en.contains(line), "missing {line:?} in\n{en}");
    }
}

#[test]
fn wrong_headers_name_the_missing_columns_and_their_variants() {
    let err = read("wrong_headers.xlsx").expect_err("wrong headers");
    match &err {
        LedgerError::MissingColumns { missing, found } => {
            assert_eq!(missing, &["小区名称", "所属街道", "物业管理方式"]);
            assert_eq!(found, &["名字", "地点", "面积", "户数"]);
        }
        other => panic!("{other:?}"),
    }
    let zh = err.render(Lang::Zh);
    assert!(
        zh.contains("缺少“所属街道”列（可用列名：所属街道、街道、街道（镇）、镇街、所属镇街"),
        "{zh}"
    );
    assert!(zh.contains("文件中的列名：名字、地点、面积、户数"), "{zh}");
    let en = err.render(Lang::En);
    assert!(
        en.contains("Missing column “小区名称” (compound); accepted headers: 小区名称, 小区名"),
        "{en}"
    );
}

#[test]
fn a_missing_mode_column_is_a_missing_column() {
    let text = "小区名称,所属街道,户数\n甲,东城街道,3\n";
    match read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()) {
        Err(LedgerError::MissingColumns { missing, found }) => {
            assert_eq!(missing, vec!["物业管理方式".to_string()]);
            assert_eq!(found, vec!["小区名称", "所属街道", "户数"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_files_are_empty() {
    for name in [
        "zero.xlsx",
        "zero.csv",
        "empty_sheet.xlsx",
        "header_only.xlsx",
    ] {
        let r = read(name);
        assert!(matches!(r, Err(LedgerError::Empty)), "{name}: {r:?}");
    }
    let err = read("zero.xlsx").expect_err("empty");
    assert_eq!(
        err.render(Lang::Zh),
        "文件是空的：没有找到任何小区数据行。\n"
    );
    assert_eq!(
        err.render(Lang::En),
        "The file is empty: it has no compound rows.\n"
    );
}

#[test]
fn encrypted_xlsx_says_so() {
    let err = read("encrypted.xlsx").expect_err("encrypted");
    assert!(matches!(err, LedgerError::Encrypted), "{err:?}");
    assert_eq!(
        err.render(Lang::Zh),
        "文件已加密，请先取消密码保护再导入。\n"
    );
    assert!(err.render(Lang::En).contains("password-protected"));
}

#[test]
fn corrupt_xlsx_is_unreadable() {
    let err = read("corrupt.xlsx").expect_err("corrupt");
    assert!(matches!(err, LedgerError::Unreadable { .. }), "{err:?}");
    assert!(
        err.render(Lang::Zh)
            .starts_with("无法读取文件，文件可能已损坏")
    );
    let err = read_ledger_bytes(b"hello, this is not a workbook", FileKind::Xlsx, &opts())
        .expect_err("text");
    assert!(matches!(err, LedgerError::Unreadable { .. }), "{err:?}");
}

#[test]
fn unknown_extensions_and_missing_files() {
    let err = read_ledger(Path::new("台账.pdf"), &opts()).expect_err("pdf");
    assert!(
        matches!(&err, LedgerError::UnknownFormat(e) if e == ".pdf"),
        "{err:?}"
    );
    assert!(
        err.render(Lang::Zh)
            .contains("请使用 .xlsx、.xls 或 .csv 文件")
    );
    let err = read_ledger(&fixture("no_such_file.xlsx"), &opts()).expect_err("missing");
    assert!(matches!(err, LedgerError::Io { .. }), "{err:?}");
}

#[test]
fn csv_in_an_unknown_encoding_is_unreadable() {
    // 0xFF is neither UTF-8 nor a GB18030 lead byte.
    let err = read_ledger_bytes(b"\xff\xff\xff,abc\n", FileKind::Csv, &opts()).expect_err("bad");
    assert!(matches!(err, LedgerError::Unreadable { .. }), "{err:?}");
}

#[test]
fn coordinates_in_one_cell() {
    let text = "小区名称,所属街道,物业管理方式,坐标\n甲,东城街道,自管,\"122.57,42.82\"\n乙,东城街道,自管,北门\n";
    let ps = problems(read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()));
    assert_eq!(
        simplify(&ps),
        vec![p(
            3,
            "坐标 (D)",
            "北门",
            "坐标应填“经度,纬度”，如 122.57,42.82"
        )]
    );
    let ok = "小区名称,所属街道,物业管理方式,坐标\n甲,东城街道,自管,\"122.57,42.82\"\n";
    let l = read_ledger_bytes(ok.as_bytes(), FileKind::Csv, &opts()).expect("reads");
    assert_eq!(l.rows[0].coords, Coordinates::from_degrees(42.82, 122.57));
}

// ---- export ----

#[test]
fn export_then_import_gives_the_same_compounds() {
    let rows = generate_bench_ledger(300, 42);
    let bytes = write_ledger_to_buffer(&rows).expect("writes");
    let l = read_ledger_bytes(&bytes, FileKind::Xlsx, &opts()).expect("reads back");
    assert_eq!(l.sheet, "小区台账");
    assert_eq!(l.header_row, 1);
    assert!(l.ignored_columns.is_empty(), "{:?}", l.ignored_columns);
    assert_eq!(l.source_rows.first(), Some(&2));
    assert_rows_eq(&l.rows, &rows);
}

#[test]
fn fixture_round_trips_through_a_file() {
    let l = read("good.xlsx").expect("reads");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("导出.xlsx");
    write_ledger(&out, &l.rows).expect("writes");
    let again = read_ledger(&out, &opts()).expect("reads back");
    assert_rows_eq(&again.rows, &l.rows);
}

#[test]
fn export_writes_numbers_as_numbers_under_canonical_headers() {
    use calamine::{Data, Reader, Xlsx};
    let rows = expected_good();
    let bytes = write_ledger_to_buffer(&rows).expect("writes");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
    assert_eq!(wb.sheet_names(), vec!["小区台账".to_string()]);
    let range = wb.worksheet_range("小区台账").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(&header[..4], &["序号", "小区名称", "所属区县", "所属街道"]);
    let col = |h: &str| header.iter().position(|x| x == h).expect(h);
    assert_eq!(
        range.get((1, col("建筑面积"))),
        Some(&Data::Float(12345.67))
    );
    assert_eq!(range.get((1, col("户数"))), Some(&Data::Float(120.0)));
    assert_eq!(
        range.get((1, col("物业管理方式"))),
        Some(&Data::String("专业化物业".into()))
    );
    assert_eq!(
        range.get((2, col("是否纳入改造"))),
        Some(&Data::String("否".into()))
    );
}

#[test]
fn bench_ledger_is_deterministic_and_valid() {
    let a = generate_bench_ledger(1000, 7);
    assert_eq!(a, generate_bench_ledger(1000, 7));
    assert_ne!(a, generate_bench_ledger(1000, 8));
    for c in &a {
        let area = c.area.map(Area::centi).unwrap_or_default();
        assert!((200_000..=12_000_000).contains(&area));
        assert!((1980..=2020).contains(&c.built_year.unwrap_or_default()));
        assert!((12..=2000).contains(&c.households.unwrap_or_default()));
    }
    let streets: std::collections::HashSet<&str> = a.iter().map(|c| c.street.as_str()).collect();
    assert!(streets.len() >= 20);
}

#[test]
fn footnotes_empty_rows_and_totals_are_not_compounds() {
    let text = "小区名称,所属街道,物业管理方式,建筑面积\n甲,东城街道,自管,100\n,,,\n合计,,,100\n填表人：张三  审核人：李四,,,\n";
    let l = read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()).expect("reads");
    assert_eq!(l.rows.len(), 1);
    assert_eq!(l.source_rows, vec![2]);
}

#[test]
fn columns_doc_is_in_sync() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("COLUMNS.md"))
        .expect("COLUMNS.md");
    let table = anju_sheets::columns_markdown();
    assert!(
        doc.contains(&table),
        "COLUMNS.md is out of date; replace its table with:\n{table}"
    );
}

// ---- reading in chunks ----

/// Reads in chunks, keeping every chunk handed over.
fn chunks_of(
    bytes: &[u8],
    kind: FileKind,
    size: usize,
) -> (
    Vec<LedgerChunk>,
    Result<anju_sheets::LedgerInfo, LedgerError>,
) {
    let mut got = Vec::new();
    let r = read_ledger_bytes_chunks(bytes, kind, &opts(), size, |c| {
        got.push(c);
        ControlFlow::Continue(())
    });
    (got, r)
}

#[test]
fn chunks_hand_over_the_rows_read_ledger_returns() {
    let rows = generate_bench_ledger(2_345, 9);
    let bytes = write_ledger_to_buffer(&rows).expect("writes");
    let whole = read_ledger_bytes(&bytes, FileKind::Xlsx, &opts()).expect("reads");
    let (chunks, info) = chunks_of(&bytes, FileKind::Xlsx, 1_000);
    let info = info.expect("reads in chunks");
    assert_eq!(
        chunks.iter().map(|c| c.rows.len()).collect::<Vec<_>>(),
        [1_000, 1_000, 345]
    );
    assert!(chunks.iter().all(|c| c.rows.len() == c.source_rows.len()));
    let rows: Vec<Compound> = chunks.iter().flat_map(|c| c.rows.clone()).collect();
    let source: Vec<usize> = chunks.iter().flat_map(|c| c.source_rows.clone()).collect();
    assert_eq!(rows, whole.rows);
    assert_eq!(source, whole.source_rows);
    assert_eq!(
        (info.rows, info.sheet, info.header_row, info.ignored_columns),
        (2_345, whole.sheet, whole.header_row, whole.ignored_columns)
    );

    // From a file, as the import reads it.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("台账.xlsx");
    std::fs::write(&path, &bytes).expect("write");
    let mut n = 0;
    let info = read_ledger_chunks(&path, &opts(), 700, |c| {
        n += c.rows.len();
        ControlFlow::Continue(())
    })
    .expect("reads");
    assert_eq!((n, info.rows), (2_345, 2_345));
}

#[test]
fn a_bad_row_in_the_last_chunk_stops_the_chunks_and_every_problem_is_listed() {
    let mut rows = generate_bench_ledger(2_500, 3);
    rows[2_300].built_year = Some(2999);
    rows[2_400].name = rows[10].name.clone();
    rows[2_400].street = rows[10].street.clone();
    let bytes = write_ledger_to_buffer(&rows).expect("writes");
    let (chunks, r) = chunks_of(&bytes, FileKind::Xlsx, 1_000);
    // Rows 1 to 2,000 were valid when handed over; nothing after the first problem was.
    assert_eq!(
        chunks.iter().map(|c| c.rows.len()).collect::<Vec<_>>(),
        [1_000, 1_000]
    );
    let whole = problems(read_ledger_bytes(&bytes, FileKind::Xlsx, &opts()));
    let ps = info_problems(r);
    assert_eq!(ps, whole, "the same problems as reading the whole file");
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].row, 2_302);
    assert_eq!(ps[1].row, 2_402);
    assert!(ps[1].reason_zh.contains("与第 12 行重复"), "{:?}", ps[1]);

    // The same over CSV.
    let mut csv = String::from("小区名称,所属街道,物业管理方式,建成年份\n");
    for i in 0..2_500 {
        let year = if i == 2_499 { 2999 } else { 1990 };
        csv.push_str(&format!("小区{i},东城街道,自管,{year}\n"));
    }
    let (chunks, r) = chunks_of(csv.as_bytes(), FileKind::Csv, 1_000);
    assert_eq!(chunks.len(), 2);
    let ps = info_problems(r);
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].row, 2_501);
}

fn info_problems(r: Result<anju_sheets::LedgerInfo, LedgerError>) -> Vec<Problem> {
    match r {
        Err(LedgerError::Problems(ps)) => ps,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn the_sink_can_stop_the_reading() {
    let rows = generate_bench_ledger(1_500, 5);
    let bytes = write_ledger_to_buffer(&rows).expect("writes");
    let mut seen = 0;
    let r = read_ledger_bytes_chunks(&bytes, FileKind::Xlsx, &opts(), 500, |_| {
        seen += 1;
        ControlFlow::Break(())
    });
    assert!(matches!(r, Err(LedgerError::Cancelled)), "{r:?}");
    assert_eq!(seen, 1);
}

/// An xlsx whose shared strings inflate from a few kilobytes to past their limit: refused while
/// inflating (counted into nothing), naming the limit, before calamine holds any of it.
#[test]
fn a_compression_bomb_is_refused_naming_the_limit() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/sharedStrings.xml", deflated)
            .expect("start");
        let zeros = vec![b'0'; 1024 * 1024];
        let mib = anju_sheets::limits::XLSX_SHARED_STRINGS_BYTES / (1024 * 1024);
        for _ in 0..=mib {
            z.write_all(&zeros).expect("write");
        }
        z.finish().expect("finish");
    }
    let bytes = buf.into_inner();
    assert!(
        bytes.len() < 1024 * 1024,
        "a small file: {} bytes",
        bytes.len()
    );
    match read_ledger_bytes(&bytes, FileKind::Xlsx, &opts()) {
        Err(LedgerError::TooLarge { what_zh, .. }) => {
            assert!(
                what_zh.contains("sharedStrings.xml") && what_zh.contains("64 MiB"),
                "{what_zh}"
            );
        }
        other => panic!(
            "not refused as too large: {:?}",
            other.map(|l| l.rows.len())
        ),
    }
}

/// A NUL or another control character in a cell is a problem naming the row and column (SQLite
/// stored it; PostgreSQL refused the whole import with a database error); so is a cell longer
/// than Excel allows, whose value the problem repeats only in part.
#[test]
fn control_characters_and_overlong_cells_are_problems_with_row_and_column() {
    let long = "长".repeat(anju_sheets::limits::CELL_CHARS + 1);
    let text = format!(
        "小区名称,所属街道,物业管理方式,备注\n甲\u{0}乙,东城街道,自管,\n丙,东城街道,自管,{long}\n"
    );
    let ps = problems(read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()));
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert_eq!(
        (ps[0].row, ps[0].column.as_deref()),
        (2, Some("小区名称 (A)"))
    );
    assert!(
        ps[0].reason_zh.contains("控制字符（U+0000）"),
        "{}",
        ps[0].reason_zh
    );
    assert_eq!(ps[0].value, "甲\u{fffd}乙");
    assert_eq!(ps[1].row, 3);
    assert!(
        ps[1].reason_zh.contains("32767 个字符"),
        "{}",
        ps[1].reason_zh
    );
    assert!(ps[1].value.chars().count() <= anju_sheets::limits::VALUE_SHOWN + 1);
}

/// A file with more problems than are listed: the first ones, then one line counting the rest.
#[test]
fn past_a_thousand_problems_the_rest_are_counted_not_kept() {
    let mut text = String::from("小区名称,所属街道,物业管理方式,建筑面积\n");
    for i in 0..1_500 {
        text.push_str(&format!("小区{i},东城街道,自管,-1\n"));
    }
    let ps = problems(read_ledger_bytes(text.as_bytes(), FileKind::Csv, &opts()));
    let listed = anju_sheets::limits::PROBLEMS_LISTED;
    assert_eq!(ps.len(), listed + 1);
    let last = &ps[listed];
    assert_eq!(last.row, listed + 2, "the first row not listed");
    assert!(
        last.reason_zh
            .contains("还有 500 处问题未列出（共 1500 处）"),
        "{}",
        last.reason_zh
    );
}

/// The compound form shows a row as the export writes it and reads it back by the import's
/// rules: every compound of the good file, shown and read back, is itself; a bad value is a
/// problem naming the column by its header.
#[test]
fn a_compound_shown_in_the_form_reads_back_as_itself() {
    use anju_sheets::{COLUMNS, compound_form_text, compound_from_form};
    for c in expected_good() {
        let back = compound_from_form(|f| compound_form_text(&c, f), &opts()).expect("reads");
        assert_eq!(back, c, "{}", c.name);
    }
    let c = &expected_good()[0];
    let bad = compound_from_form(
        |f| {
            if f == anju_sheets::Field::BuiltYear {
                "明年".into()
            } else {
                compound_form_text(c, f)
            }
        },
        &opts(),
    )
    .expect_err("a year that is not one");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].column.as_deref(), Some("建成年份"));
    assert_eq!(bad[0].value, "明年");
    assert!(COLUMNS.iter().any(|s| s.header == "建成年份"));
}
