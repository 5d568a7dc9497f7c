//! `anju policy …` and `anju subsidy`: the real binary, end to end.

use std::path::PathBuf;
use std::process::{Command, Output};

fn anju(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .args(args)
        .output()
        .expect("run anju")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../anju-policy/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn write_scenario(dir: &tempfile::TempDir, text: &str) -> String {
    let p = dir.path().join("scenario.toml");
    std::fs::write(&p, text).expect("write scenario");
    p.to_string_lossy().into_owned()
}

#[test]
fn policy_list_names_all_six() {
    let o = anju(&["policy", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for id in [
        "liaocheng-2021",
        "yantai-2022",
        "erqi-draft",
        "shanting-2020",
        "daqintala-2022-city",
        "daqintala-2022-street",
    ] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
}

#[test]
fn subsidy_json_matches_the_public_example() {
    let o = anju(&[
        "subsidy",
        "--policy",
        "liaocheng-2021",
        "--scenario",
        &fixture("liaocheng-example.toml"),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(j["total_payable"], "45360.00");
    assert_eq!(j["eligible"], true);
    assert_eq!(j["by_payer"]["district"], "45360.00");
    let periods = j["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    assert!(periods.iter().all(|p| p.get("payable").is_some()));
    let lines = periods[0]["explanation"].to_string();
    assert!(
        lines.contains("服务面积 5,000.00㎡ × 0.40 元/㎡/月"),
        "{lines}"
    );
}

#[test]
fn subsidy_table_in_both_languages() {
    let zh = anju(&[
        "subsidy",
        "--policy",
        "liaocheng-2021",
        "--scenario",
        &fixture("liaocheng-example.toml"),
    ]);
    assert!(zh.status.success(), "{}", stderr(&zh));
    let t = stdout(&zh);
    assert!(t.contains("合计支付：45,360.00 元"), "{t}");
    assert!(t.contains("（聊城方案 三、财政补贴标准）"), "{t}");
    let en = anju(&[
        "--lang",
        "en",
        "subsidy",
        "--policy",
        "liaocheng-2021",
        "--scenario",
        &fixture("liaocheng-example.toml"),
    ]);
    let t = stdout(&en);
    assert!(t.contains("Total payable: 45,360.00 yuan"), "{t}");
    assert!(
        t.contains("served area 5,000.00 m² × 0.40 yuan/m²/month"),
        "{t}"
    );
}

#[test]
fn subsidy_says_shanting_amounts_are_not_set() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = write_scenario(
        &dir,
        "[compound]\narea_m2 = 3000\nstatus = \"unmanaged\"\n[contract]\nsigned = 2020-10-01\nentry = 2020-10-01\nterm_years = 3\n",
    );
    let o = anju(&[
        "subsidy",
        "--policy",
        "shanting-2020",
        "--scenario",
        &s,
        "--format",
        "json",
    ]);
    assert!(!o.status.success());
    assert!(
        stdout(&o).is_empty(),
        "no amount is printed: {}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("尚无取值"), "{}", stderr(&o));
    let en = anju(&[
        "--lang",
        "en",
        "subsidy",
        "--policy",
        "shanting-2020",
        "--scenario",
        &s,
    ]);
    assert!(stderr(&en).contains("has no value yet"), "{}", stderr(&en));
}

#[test]
fn subsidy_names_a_missing_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = write_scenario(
        &dir,
        "[compound]\narea_m2 = 3000\nstatus = \"abandoned\"\n[contract]\nsigned = 2022-01-01\nentry = 2022-01-01\nterm_years = 3\n",
    );
    let o = anju(&["subsidy", "--policy", "liaocheng-2021", "--scenario", &s]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("results[period=1].score"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn policy_show_in_chinese_and_english() {
    let o = anju(&["policy", "show", "erqi-draft"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(
        t.contains("95分（含95分）以上") && t.contains("优秀") && t.contains("建筑面积"),
        "{t}"
    );
    let o = anju(&["--lang", "en", "policy", "show", "liaocheng-2021"]);
    let t = stdout(&o);
    assert!(
        t.contains("Who qualifies") && t.contains("period 1: 0.40 yuan/m²/month"),
        "{t}"
    );
}

#[test]
fn lint_exits_1_on_the_unresolved_copy_and_0_on_the_shipped_file() {
    let o = anju(&["policy", "lint", &fixture("liaocheng-unresolved.toml")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let t = stdout(&o);
    assert!(t.contains("恰好 60") && t.contains("恰好 15"), "{t}");
    for id in [
        "liaocheng-2021",
        "yantai-2022",
        "erqi-draft",
        "shanting-2020",
        "daqintala-2022-city",
        "daqintala-2022-street",
    ] {
        let o = anju(&["policy", "lint", id]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", stdout(&o));
    }
    let o = anju(&["--lang", "en", "policy", "lint", "liaocheng-2021"]);
    assert!(stdout(&o).contains("note line"), "{}", stdout(&o));
}

#[test]
fn bench_runs_on_a_small_sample() {
    let o = anju(&[
        "bench",
        "subsidy",
        "--compounds",
        "500",
        "--policy",
        "liaocheng-2021",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("liaocheng-2021") && t.contains("VmHWM"), "{t}");
}
