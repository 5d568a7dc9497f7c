//! Credit grades through the real binary: `anju company show` and `anju serve`'s API grade a
//! company alike, both by the scheme `--scheme FILE` gives, and a record dated after today is
//! refused naming the field.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

fn days_from_today(n: i64) -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(n))
        .expect("date")
        .to_string()
}

/// The default scheme with 20 points per bad conduct instead of 5, in a file.
fn strict_scheme_file(dir: &std::path::Path) -> String {
    let text = anju_core::credit::DEFAULT_SCHEME_TOML
        .replace(
            "安居默认方案（非政策文件规定，可按本地方案替换）",
            "从严方案",
        )
        .replace("bad_conduct_points = \"5\"", "bad_conduct_points = \"20\"");
    let path = dir.join("strict.toml");
    std::fs::write(&path, text).expect("write scheme");
    path.display().to_string()
}

/// 甲物业 with an assessment of 86.5 and a bad conduct in the last month: 81.5 (AA) by the
/// default scheme, 66.5 (B) by the strict one.
fn company_with_records(url: &str) {
    let o = anju(&["company", "add", "--name", "甲物业", "--database-url", url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let on = days_from_today(-30);
    for args in [
        vec!["--kind", "assessment", "--score", "86.5", "--date", &on],
        vec![
            "--kind",
            "bad-conduct",
            "--note",
            "未公示收支",
            "--date",
            &on,
        ],
    ] {
        let mut a = vec!["company", "record", "甲物业"];
        a.extend(args);
        a.extend(["--database-url", url]);
        let o = anju(&a);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

fn json_of(args: &[&str]) -> Value {
    let o = anju(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

/// `anju serve --scheme FILE` on a free port; the admin's session cookie; the API's answer for
/// `path`. The server is stopped before returning.
fn served_json(url: &str, scheme: &str, path: &str) -> Value {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let port_text = port.to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_anju"))
        .args([
            "serve",
            "--demo",
            "--port",
            &port_text,
            "--scheme",
            scheme,
            "--database-url",
            url,
        ])
        .env_remove("ANJU_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        if line.expect("line").contains("安居已启动") {
            break;
        }
    }
    let http = |request: String| -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(request.as_bytes()).expect("send");
        let mut res = String::new();
        s.read_to_string(&mut res).expect("read");
        res
    };
    let form =
        http("GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_string());
    let cookie = form
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("login csrf cookie")
        .to_string();
    let marker = "name=\"csrf\" value=\"";
    let at = form.find(marker).expect("csrf field") + marker.len();
    let token: String = form[at..].chars().take_while(|c| *c != '"').collect();
    let body = format!("username=admin&password=anju-demo-2026&csrf={token}");
    let login = http(format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    let session = login
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("anju_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_string();
    let res = http(format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {session}\r\nConnection: close\r\n\r\n"
    ));
    child.kill().expect("stop serve");
    let _ = child.wait();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    let (_, body) = res.split_once("\r\n\r\n").expect("body");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn the_cli_and_the_served_api_grade_alike_by_the_scheme_given() {
    let db = fresh_sqlite();
    company_with_records(&db.url);
    let dir = tempfile::tempdir().expect("tempdir");
    let strict = strict_scheme_file(dir.path());

    let default = json_of(&[
        "company",
        "show",
        "甲物业",
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    assert_eq!(default["grade"]["score"], "81.5", "{default}");
    assert_eq!(default["grade"]["grade"], "AA");
    let cli = json_of(&[
        "company",
        "show",
        "甲物业",
        "--scheme",
        &strict,
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    assert_eq!(cli["grade"]["score"], "66.5", "{cli}");
    assert_eq!(cli["grade"]["grade"], "B");
    assert_eq!(cli["grade"]["scheme"], "从严方案");
    let grades = json_of(&[
        "company",
        "grades",
        "--scheme",
        &strict,
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    let row = grades
        .as_array()
        .and_then(|l| l.iter().find(|c| c["name"] == "甲物业"))
        .expect("甲物业 graded");
    assert_eq!(row["grade"], "B");

    // The server started with the same file answers the same grade, explanation and all.
    let id = cli["company"]["id"].as_i64().expect("id");
    let api = served_json(&db.url, &strict, &format!("/api/v1/companies/{id}"));
    assert_eq!(api["grade"], cli["grade"]);
    assert_eq!(api["records"], cli["records"]);
    assert_eq!(api["company"]["name"], "甲物业");

    // A scheme file with a gap between its bands stops the server before it starts.
    let gap = dir.path().join("gap.toml");
    std::fs::write(
        &gap,
        anju_core::credit::DEFAULT_SCHEME_TOML.replace("min = \"80\"", "min = \"81\""),
    )
    .expect("write");
    let o = anju(&[
        "serve",
        "--port",
        "1",
        "--scheme",
        &gap.display().to_string(),
        "--database-url",
        &db.url,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("空档"), "{}", stderr(&o));
}

#[test]
fn a_credit_record_dated_after_today_is_refused_naming_the_field() {
    let db = fresh_sqlite();
    let o = anju(&[
        "company",
        "add",
        "--name",
        "乙物业",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let tomorrow = days_from_today(1);
    let record = |lang: &str, date: &str| {
        anju(&[
            "--lang",
            lang,
            "company",
            "record",
            "乙物业",
            "--kind",
            "dismissal",
            "--date",
            date,
            "--database-url",
            &db.url,
        ])
    };
    let o = record("zh", &tomorrow);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("发生日期：") && e.contains("晚于今天"), "{e}");
    let o = record("en", &tomorrow);
    assert!(stderr(&o).contains("happened_on:"), "{}", stderr(&o));
    // A figure of another kind is refused too, naming it.
    let o = anju(&[
        "company",
        "record",
        "乙物业",
        "--kind",
        "dismissal",
        "--score",
        "90",
        "--date",
        &days_from_today(0),
        "--database-url",
        &db.url,
    ]);
    assert!(stderr(&o).contains("考核分："), "{}", stderr(&o));
    let file = json_of(&[
        "company",
        "show",
        "乙物业",
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    assert_eq!(
        file["records"],
        serde_json::json!([]),
        "nothing was written"
    );
    // Today is allowed: 80 − 10 = 70, A.
    let o = record("zh", &days_from_today(0));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("信用分 70，等级 A"), "{}", stdout(&o));
}
