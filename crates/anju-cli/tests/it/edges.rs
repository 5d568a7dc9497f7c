//! The edges through the `anju` binary (issue 13, items 4–5), kept few: the ledger import and
//! one date flag refuse an event after today and accept today; the one CHECK constraint only
//! the command line writes (`holidays.name`) is refused in words, never as a database error.
//! The web's tests/it/edges.rs holds the full tables.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;

fn today() -> jiff::civil::Date {
    anju_app::today_in_china()
}

const HEADER: &str = "序号,小区名称,街道（镇）,社区,详细地址,建成年代,建筑面积（㎡）,多层面积,高层面积,栋数,总户数,小区类别,是否纳入改造,管理方式,物业公司,统一社会信用代码,业委会,党支部";

both_engines!(
    ledger_import,
    the_ledger_import_refuses_a_building_year_after_this_one
);
fn the_ledger_import_refuses_a_building_year_after_this_one(d: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("台账.csv");
    let f = file.to_str().expect("utf-8 path");
    let year = today().year();
    let write = |built: i16| {
        std::fs::write(
            &file,
            format!(
                "{HEADER}\n1,边界新苑,大沁他拉街道,幸福社区,新华路99号,{built},5000,5000,,4,80,1,否,弃管,,,无,否\n"
            ),
        )
        .expect("write");
    };
    write(year + 1);
    let o = anju(&["import", "ledger", f, "--database-url", d]);
    assert!(!o.status.success(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("建成年份") && err.contains("晚于今年") && err.contains("第 2 行"),
        "{err}"
    );
    assert!(!err.contains("数据库"), "{err}");
    write(year);
    let o = anju(&["import", "ledger", f, "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("新增 1"), "{}", stdout(&o));
}

both_engines!(
    patrol_date,
    a_patrol_dated_tomorrow_is_refused_and_today_recorded
);
fn a_patrol_dated_tomorrow_is_refused_and_today_recorded(d: &str) {
    let today = today();
    let tomorrow = today
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string();
    let today = today.to_string();
    let args = |on: &str| {
        anju(&[
            "--database-url",
            d,
            "patrol",
            "add",
            "--compound",
            "奈曼名都",
            "--date",
            on,
            "--inspector",
            "王五",
        ])
    };
    let o = args(&tomorrow);
    assert!(!o.status.success(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("巡查日期：{tomorrow} 晚于今天（{today}）")),
        "{err}"
    );
    let o = args(&today);
    assert!(o.status.success(), "{}", stderr(&o));
}

both_engines!(holiday_name, a_holiday_without_a_name_is_refused_in_words);
fn a_holiday_without_a_name_is_refused_in_words(d: &str) {
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "holidays",
        "add",
        "2026-10-01",
        "--name",
        " ",
    ]);
    assert!(!o.status.success(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("节假日名称"), "{err}");
    assert!(!err.contains("数据库错误"), "{err}");
}
