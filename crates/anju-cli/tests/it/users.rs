//! `anju user` and the demo accounts of `anju serve --demo`, through the real binary.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};

/// Runs `anju` with `input` on standard input and extra environment variables.
fn anju_with(args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anju"));
    cmd.args(args)
        .env_remove("ANJU_DATABASE_URL")
        .env_remove("ANJU_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn anju");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("anju output")
}

/// Every byte of the database (main file and WAL), as text, to look for plain passwords.
fn database_bytes(url: &str) -> String {
    let path = url.trim_start_matches("sqlite://");
    let mut all = Vec::new();
    for p in [path.to_string(), format!("{path}-wal")] {
        if let Ok(mut f) = std::fs::File::open(&p) {
            f.read_to_end(&mut all).expect("read db");
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn accounts_are_created_with_a_password_from_stdin_or_the_environment_never_an_argument() {
    let db = fresh_sqlite();
    let d = db.url.as_str();
    let o = anju(&["demo", "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));

    let secret = "街道-secret-2026";
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "liqiang",
            "--role",
            "street",
            "--street",
            "大沁他拉街道",
            "--display-name",
            "李强",
            "--password-stdin",
            "--database-url",
            d,
        ],
        &format!("{secret}\n"),
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("已创建账号“liqiang”（街道办事处，大沁他拉街道）"),
        "{}",
        stdout(&o)
    );

    // No password given: refused, pointing at stdin and ANJU_PASSWORD.
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "auditor",
            "--database-url",
            d,
        ],
        "",
        &[],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ANJU_PASSWORD"), "{}", stderr(&o));
    // A password argument does not exist.
    let o = anju(&[
        "user",
        "add",
        "--username",
        "x",
        "--role",
        "auditor",
        "--password",
        "abcdefgh",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    // Too short (7 characters): refused; 8 from the environment: accepted.
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "auditor",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "1234567")],
    );
    assert!(stderr(&o).contains("密码：至少 8 个字符"), "{}", stderr(&o));
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "审计",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A company account names its company; a street account its street.
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "y",
            "--role",
            "company",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(stderr(&o).contains("须指定所属物业企业"), "{}", stderr(&o));
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "y",
            "--role",
            "street",
            "--street",
            "不存在街道",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(
        stderr(&o).contains("找不到区域“不存在街道”"),
        "{}",
        stderr(&o)
    );
    // The same username twice: refused.
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "auditor",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(stderr(&o).contains("用户名“x”已存在"), "{}", stderr(&o));

    let o = anju_with(
        &[
            "user",
            "passwd",
            "liqiang",
            "--password-stdin",
            "--database-url",
            d,
        ],
        "another-secret-9\n",
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = anju(&["user", "disable", "x", "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = anju(&["user", "list", "--database-url", d]);
    let out = stdout(&o);
    assert!(
        out.contains("liqiang") && out.contains("大沁他拉街道"),
        "{out}"
    );
    assert!(out.contains("停用"), "x is disabled: {out}");

    let bytes = database_bytes(d);
    assert!(bytes.contains("$argon2id$"), "hashes are stored");
    for plain in [secret, "another-secret-9", "12345678"] {
        assert!(!bytes.contains(plain), "'{plain}' stored in plain");
    }
}

#[test]
fn the_command_line_meets_the_applications_account_rules_with_the_field_named() {
    let db = fresh_sqlite();
    let d = db.url.as_str();
    let o = anju(&["demo", "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let add = |extra: &[&str]| {
        let mut args = vec!["user", "add", "--role", "auditor", "--database-url", d];
        args.extend_from_slice(extra);
        anju_with(&args, "", &[("ANJU_PASSWORD", "12345678")])
    };
    for (extra, says) in [
        (
            &["--username", "a b"][..],
            "用户名：“a b”含有空格，用户名不能含空格",
        ),
        (&["--username", "\u{1b}x"][..], "用户名："),
        (
            &["--username", "ok", "--display-name", &"名".repeat(101)][..],
            "姓名：最多 100 个字，现有 101 个字",
        ),
    ] {
        let o = add(extra);
        assert!(!o.status.success(), "{says}");
        assert!(stderr(&o).contains(says), "{says}: {}", stderr(&o));
    }
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "ok",
            "--role",
            "mayor",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(
        stderr(&o).contains("角色：未知的角色“mayor”"),
        "{}",
        stderr(&o)
    );
    // In English the field is named by its key.
    let o = anju_with(
        &[
            "user",
            "add",
            "--username",
            "a b",
            "--role",
            "auditor",
            "--lang",
            "en",
            "--database-url",
            d,
        ],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(
        stderr(&o).contains("username: 'a b' contains a space"),
        "{}",
        stderr(&o)
    );
    // An account that does not exist: named.
    let o = anju_with(
        &["user", "passwd", "nobody", "--database-url", d],
        "",
        &[("ANJU_PASSWORD", "12345678")],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("用户名：找不到账号“nobody”"),
        "{}",
        stderr(&o)
    );
    let o = anju(&["user", "enable", "nobody", "--database-url", d]);
    assert!(stderr(&o).contains("找不到账号“nobody”"), "{}", stderr(&o));
    // A new password too short for a reset.
    let o = add(&["--username", "ok"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = anju_with(
        &["user", "passwd", "ok", "--database-url", d],
        "",
        &[("ANJU_PASSWORD", "1234567")],
    );
    assert!(stderr(&o).contains("密码：至少 8 个字符"), "{}", stderr(&o));
    // An owners' body member's account: its compound named, or refused naming the field.
    let member = |extra: &[&str]| {
        let mut args = vec![
            "user",
            "add",
            "--username",
            "wzr",
            "--role",
            "业委会",
            "--database-url",
            d,
        ];
        args.extend_from_slice(extra);
        anju_with(&args, "", &[("ANJU_PASSWORD", "12345678")])
    };
    let o = member(&[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("所在小区"), "{}", stderr(&o));
    let o = member(&["--compound", "没有这个小区"]);
    assert!(
        stderr(&o).contains("找不到小区“没有这个小区”"),
        "{}",
        stderr(&o)
    );
    let o = member(&["--compound", "祥和苑"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("业主组织成员") && stdout(&o).contains("祥和苑"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_funding_policy_is_assigned_through_the_application() {
    let db = fresh_sqlite();
    let d = db.url.as_str();
    let o = anju(&["demo", "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let set = |policy: &str| {
        anju(&[
            "funding",
            "policy",
            "set",
            "--street",
            "大沁他拉街道",
            "--policy",
            policy,
            "--from",
            "2021-11-15",
            "--database-url",
            d,
        ])
    };
    let o = set("nowhere");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("政策编号：没有编号为“nowhere”的政策（可用："),
        "{}",
        stderr(&o)
    );
    let o = set("liaocheng-2021");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = anju(&["funding", "policy", "list", "--database-url", d]);
    assert!(
        stdout(&o).contains("liaocheng-2021") && stdout(&o).contains("大沁他拉街道"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn serve_demo_creates_an_account_per_role_that_can_log_in() {
    let db = fresh_sqlite();
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
            "--database-url",
            &db.url,
        ])
        .env_remove("ANJU_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut printed = String::new();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("安居已启动") {
            break;
        }
    }
    // Log in as the Daqintala street officer over a real socket, as a browser does: the form
    // first (its CSRF cookie and token), then the POST.
    let http = |request: String| -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(request.as_bytes()).expect("send");
        let mut res = String::new();
        s.read_to_string(&mut res).expect("read");
        res
    };
    let login = |user: &str, pw: &str| -> String {
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
        let body = format!("username={user}&password={pw}&csrf={token}");
        http(format!(
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ))
    };
    let ok = login("daqintala", "anju-demo-2026");
    let bad = login("daqintala", "wrong-password");
    child.kill().expect("stop serve");
    let _ = child.wait();

    assert!(
        printed.contains("演示账号（密码均为 anju-demo-2026）"),
        "{printed}"
    );
    for (user, role) in [
        ("admin", "系统管理员"),
        ("zhujian", "住建部门"),
        ("caizheng", "财政部门"),
        ("daqintala", "街道办事处"),
        ("shequ", "社区"),
        ("wuye", "物业企业"),
        ("ceping", "第三方测评机构"),
        ("shenji", "审计"),
    ] {
        assert!(
            printed
                .lines()
                .any(|l| l.contains(user) && l.contains(role)),
            "{user} {role} in {printed}"
        );
    }
    assert!(ok.starts_with("HTTP/1.1 303"), "{ok}");
    assert!(ok.contains("anju_session="), "{ok}");
    assert!(bad.starts_with("HTTP/1.1 401"), "{bad}");
}
