//! The path to coverage through the command line: one Daqintala compound from the census to
//! in-service, and the coverage figures follow.

use super::ledger::{anju, fresh_sqlite, stderr, stdout};
use serde_json::Value;

fn ok(args: &[&str]) -> String {
    let o = anju(args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn stats(db: &str) -> Value {
    let out = ok(&[
        "stats",
        "--format",
        "json",
        "--street",
        "大沁他拉街道",
        "--database-url",
        db,
    ]);
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn walks_gongxiaoshe_to_in_service() {
    let db = fresh_sqlite();
    let url = db.url.as_str();
    let ev = tempfile::tempdir().expect("tempdir");
    let evd = ev.path().to_string_lossy().into_owned();
    ok(&["demo", "--database-url", url]);
    let before = stats(url);
    let c = "供销社家属院";
    let adv = |extra: &[&str]| {
        let mut a = vec![
            "compound",
            "advance",
            c,
            "--street",
            "大沁他拉街道",
            "--database-url",
            url,
        ];
        a.extend_from_slice(extra);
        anju(&a)
    };
    // A refused step: the evidence file is kept and reported.
    let scan = ev.path().join("scan.pdf");
    std::fs::write(&scan, b"%PDF-1.4 questionnaire").expect("write");
    let scan_s = scan.to_string_lossy().into_owned();
    let o = adv(&[
        "--to",
        "mode_decided",
        "--mode",
        "专业化物业",
        "--evidence",
        &scan_s,
        "--evidence-dir",
        &evd,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("不能确定管理模式"), "{}", stderr(&o));
    assert!(stderr(&o).contains("证明材料已保存"), "{}", stderr(&o));
    let stored = walk(ev.path());
    assert_eq!(stored.len(), 1, "{stored:?}");

    for step in [
        vec![
            "--to",
            "consulted",
            "--evidence",
            &scan_s,
            "--evidence-dir",
            &evd,
            "--note",
            "三承诺问卷",
        ],
        vec!["--to", "mode_decided", "--mode", "专业化物业"],
        vec!["--to", "owners_settled", "--body", "业主委员会"],
    ] {
        let o = adv(&step);
        assert!(o.status.success(), "{step:?}: {}", stderr(&o));
    }
    let co = "奈曼旗安居物业服务有限公司";
    ok(&["company", "add", "--name", co, "--database-url", url]);
    let o = adv(&["--to", "company_selected", "--company", co]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The street may not sign where an owners' committee exists.
    let sign = |signer: &str| {
        anju(&[
            "contract",
            "sign",
            "--compound",
            c,
            "--street",
            "大沁他拉街道",
            "--company",
            co,
            "--signer",
            signer,
            "--term-years",
            "10",
            "--database-url",
            url,
        ])
    };
    let o = sign("street");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("须由业主委员会签订"), "{}", stderr(&o));
    // The same refusal in English under --lang en.
    let o = anju(&[
        "contract",
        "sign",
        "--compound",
        c,
        "--street",
        "大沁他拉街道",
        "--company",
        co,
        "--signer",
        "street",
        "--term-years",
        "10",
        "--lang",
        "en",
        "--database-url",
        url,
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("error: compound '供销社家属院': "), "{err}");
    assert!(!err.contains("须由"), "{err}");
    let out = stdout(&sign("owners_body"));
    assert!(out.contains("已签订合同，编号 1"), "{out}");
    assert!(out.contains("10 年"), "{out}");
    // What the flags left out took the application's defaults: 二级, Liaocheng 2021 fees.
    assert!(
        out.contains("二级") && out.contains("0.50") && out.contains("0.90"),
        "{out}"
    );
    // The register as of a later day counts the days overdue to that day (signed today, the
    // 10 days end on day 10: on day 15 it is 5 days overdue).
    let today = anju_app::today_in_china();
    let day = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .expect("date")
            .to_string()
    };
    let reg = ok(&[
        "contract",
        "list",
        "--overdue",
        "--as-of",
        &day(15),
        "--database-url",
        url,
    ]);
    assert!(reg.contains("已逾期 5 天") && reg.contains(c), "{reg}");
    let reg = ok(&[
        "contract",
        "list",
        "--overdue",
        "--as-of",
        &day(10),
        "--database-url",
        url,
    ]);
    assert!(
        reg.contains("共 0 份合同"),
        "the 10th day is still in time: {reg}"
    );
    ok(&["contract", "file", "1", "--database-url", url]);
    for to in ["trial_run", "entered", "in_service"] {
        let o = adv(&["--to", to]);
        assert!(o.status.success(), "{to}: {}", stderr(&o));
    }
    let show = ok(&[
        "compound",
        "show",
        c,
        "--street",
        "大沁他拉街道",
        "--database-url",
        url,
    ]);
    assert!(show.contains("在管服务"), "{show}");
    assert!(show.contains("已按期备案"), "{show}");
    assert!(show.contains("[证明材料 1]"), "{show}");

    let after = stats(url);
    let n = |v: &Value, k: &str| v[k].as_i64().unwrap_or_else(|| panic!("{k}"));
    assert_eq!(n(&after, "with_company"), n(&before, "with_company") + 1);
    assert_eq!(n(&after, "unmanaged"), n(&before, "unmanaged") - 1);

    // Dismissal: 50 % is not enough, 50.1 % is.
    let d = |m: &str| {
        ok(&[
            "contract",
            "dismissal",
            "--contract",
            "1",
            "--owners",
            "1000",
            "--respondents",
            "1000",
            "--dissatisfied",
            m,
            "--database-url",
            url,
        ])
    };
    assert!(d("500").contains("未超过"));
    assert!(d("501").contains("已提出解聘提议"));

    // Targets from the preset, and the stuck list.
    let t = ok(&[
        "targets",
        "--street",
        "大沁他拉街道",
        "--preset",
        "daqintala-2022",
        "--database-url",
        url,
    ]);
    assert!(t.contains("基数 77 个"), "{t}");
    let s = ok(&[
        "compound",
        "stuck",
        "--street",
        "大沁他拉街道",
        "--database-url",
        url,
    ]);
    assert!(s.contains("调查摸底\t76"), "{s}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "pdf")
            && p.file_name() != Some("scan.pdf".as_ref())
        {
            out.push(p);
        }
    }
    out
}

/// An event dated after today (Beijing time) is refused through the command line too, with
/// the field and today named, in both languages; the step dated today then goes through.
#[test]
fn a_step_dated_after_today_is_refused() {
    let db = fresh_sqlite();
    let url = db.url.as_str();
    ok(&["demo", "--database-url", url]);
    let today = anju_app::today_in_china();
    let tomorrow = today
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string();
    let base = [
        "compound",
        "advance",
        "供销社家属院",
        "--street",
        "大沁他拉街道",
        "--to",
        "consulted",
        "--database-url",
        url,
    ];
    let mut args = base.to_vec();
    args.extend(["--date", tomorrow.as_str()]);
    let o = anju(&args);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("办理日期：{tomorrow} 晚于今天（{today}）")),
        "{err}"
    );
    let mut en = args.clone();
    en.extend(["--lang", "en"]);
    let err = stderr(&anju(&en));
    assert!(err.contains("is after today"), "{err}");
    let today = today.to_string();
    let mut args = base.to_vec();
    args.extend(["--date", today.as_str()]);
    ok(&args);
}

/// The step id on the line of `anju compound show` that names this event, and the path's version.
fn step_and_version(show: &str, event_zh: &str) -> (String, String) {
    let line = show
        .lines()
        .find(|l| l.contains(event_zh) && !l.contains('✗'))
        .unwrap_or_else(|| panic!("no step {event_zh} in {show}"));
    let id: String = line
        .trim_start()
        .trim_start_matches('#')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let version: String = show
        .split("（版本 ")
        .nth(1)
        .expect("version")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (id, version)
}

crate::surveys::both_engines!(correcting_a_step, correcting_a_step_from_the_command_line);
fn correcting_a_step_from_the_command_line(url: &str) {
    let c = "供销社家属院";
    let street = "大沁他拉街道";
    for step in [
        vec!["--to", "consulted", "--date", "2022-08-01"],
        vec![
            "--to",
            "mode_decided",
            "--mode",
            "街道兜底",
            "--date",
            "2022-08-05",
        ],
        vec!["--to", "in_service", "--date", "2022-08-10"],
    ] {
        let mut a = vec![
            "compound",
            "advance",
            c,
            "--street",
            street,
            "--database-url",
            url,
        ];
        a.extend_from_slice(&step);
        ok(&a);
    }
    let show = || {
        ok(&[
            "compound",
            "show",
            c,
            "--street",
            street,
            "--database-url",
            url,
        ])
    };
    let (svc, v) = step_and_version(&show(), "开始在管服务");
    let (consult, _) = step_and_version(&show(), "征求业主意见");
    let correct = |extra: &[&str]| {
        let mut a = vec![
            "compound",
            "correct",
            c,
            "--street",
            street,
            "--database-url",
            url,
        ];
        a.extend_from_slice(extra);
        anju(&a)
    };
    let refused = |extra: &[&str], says: &str| {
        let o = correct(extra);
        assert!(!o.status.success(), "{extra:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    };
    let tomorrow = anju_app::today_in_china()
        .tomorrow()
        .expect("date")
        .to_string();
    refused(
        &[
            "--step",
            &svc,
            "--on",
            "2022-09-01",
            "--reason",
            " ",
            "--version",
            &v,
        ],
        "更正原因：请填写",
    );
    refused(
        &[
            "--step",
            &svc,
            "--on",
            &tomorrow,
            "--reason",
            "x",
            "--version",
            &v,
        ],
        "晚于今天",
    );
    refused(
        &[
            "--step",
            &svc,
            "--on",
            "2022-09-01",
            "--reason",
            "x",
            "--version",
            "0",
        ],
        "已被他人修改",
    );
    refused(
        &[
            "--step",
            &consult,
            "--on",
            "2022-08-07",
            "--reason",
            "x",
            "--version",
            &v,
        ],
        "不再成立",
    );
    refused(
        &["--step", &svc, "--void", "--reason", "x", "--version", &v],
        "不能撤销",
    );
    let o = correct(&["--step", &svc, "--reason", "x", "--version", &v]);
    assert!(!o.status.success(), "--on or --void is required");
    let o = correct(&[
        "--step",
        &svc,
        "--void",
        "--reason",
        "x",
        "--version",
        &v,
        "--lang",
        "en",
    ]);
    assert!(stderr(&o).contains("cannot be voided"), "{}", stderr(&o));

    let out = ok(&[
        "compound",
        "correct",
        c,
        "--street",
        street,
        "--step",
        &svc,
        "--on",
        "2022-09-01",
        "--reason",
        "交接单日期为 9 月 1 日",
        "--version",
        &v,
        "--by",
        "李强",
        "--database-url",
        url,
    ]);
    assert!(
        out.contains(&format!("已更正：步骤 #{svc} 的日期改为 2022-09-01")),
        "{out}"
    );
    let after = show();
    assert!(after.contains("✗ 已更正为 2022-09-01"), "{after}");
    assert!(after.contains("交接单日期为 9 月 1 日 · 李强"), "{after}");
    assert!(after.contains(&format!("更正记录，替代 #{svc}")), "{after}");
    let (_, v2) = step_and_version(&after, "征求业主意见");
    refused(
        &[
            "--step",
            &svc,
            "--on",
            "2022-09-02",
            "--reason",
            "x",
            "--version",
            &v2,
        ],
        "已被更正",
    );
}

crate::surveys::both_engines!(
    selection_and_targets,
    a_selection_and_a_target_through_the_application_layer
);
/// `anju selection …` and `anju targets --add` go through the same use cases as the pages: an
/// announcement dated after today is refused naming the field, the steps run on the current
/// version, a target's share is checked naming it, and a due date years ahead is a plan.
fn a_selection_and_a_target_through_the_application_layer(url: &str) {
    let tomorrow = anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string();
    let open = |date: &str| {
        anju(&[
            "selection",
            "open",
            "--street",
            "大沁他拉街道",
            "--title",
            "命令行选聘",
            "--date",
            date,
            "--deadline",
            "2026-11-03",
            "--database-url",
            url,
        ])
    };
    let o = open(&tomorrow);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&format!("公告日期：{tomorrow} 晚于今天")),
        "{}",
        stderr(&o)
    );
    let o = open("2026-11-01");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("命令行选聘（大沁他拉街道）"), "{out}");
    let id: String = out
        .trim_start_matches("遴选 ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    for (co, date) in [("1", "2026-11-02"), ("2", "2026-11-03")] {
        ok(&[
            "selection",
            "register",
            &id,
            "--company",
            co,
            "--date",
            date,
            "--database-url",
            url,
        ]);
    }
    let out = ok(&[
        "selection",
        "screen",
        &id,
        "--qualified",
        "1",
        "--note",
        "资质齐全",
        "--date",
        "2026-11-04",
        "--database-url",
        url,
    ]);
    assert!(out.contains("合格") && out.contains("不合格"), "{out}");
    // A shortlist step dated tomorrow is refused; nothing is written.
    let o = anju(&[
        "selection",
        "shortlist",
        &id,
        "--company",
        "1",
        "--date",
        &tomorrow,
        "--database-url",
        url,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("办理日期："), "{}", stderr(&o));
    let out = ok(&[
        "selection",
        "shortlist",
        &id,
        "--company",
        "1",
        "--date",
        "2026-11-05",
        "--database-url",
        url,
    ]);
    assert!(out.contains("入围"), "{out}");
    let list = ok(&["selection", "list", "--database-url", url]);
    assert!(list.contains("命令行选聘"), "{list}");

    // Targets: the share named when out of range; a due date years ahead is a plan.
    let add = |share: &str| {
        anju(&[
            "targets",
            "--street",
            "大沁他拉街道",
            "--add",
            "covered",
            "--share",
            share,
            "--due",
            "2099-12-31",
            "--label",
            "远期目标",
            "--database-url",
            url,
        ])
    };
    let o = add("0");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("目标比例：须在 1 至 100 之间"),
        "{}",
        stderr(&o)
    );
    let o = add("80");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("远期目标"), "{}", stdout(&o));
    let o = anju(&[
        "targets",
        "--street",
        "大沁他拉街道",
        "--preset",
        "nowhere",
        "--database-url",
        url,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("未知预设“nowhere”"), "{}", stderr(&o));
}
