//! Which `anju` command does what each API route does, so that `anju --help` and the OpenAPI
//! document describe the same operations. Every row of [`crate::api::table`] has one entry here
//! (a test in this crate), the document carries it as `x-anju-cli` on the operation, and a test
//! in anju-cli walks clap's command tree to confirm that every command named exists.

/// The command line's side of one API route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cli {
    /// The `anju` subcommand paths (words after `anju`) that do the same.
    Commands(&'static [&'static str]),
    /// No command does this, and why.
    Without(&'static str),
}

use Cli::{Commands as C, Without as W};

/// `(method, path, command)` for every API route.
pub const COMMANDS: &[(&str, &str, Cli)] = &[
    (
        "get",
        "/api/v1/openapi.json",
        W("API 自身的说明；命令行的说明是 anju --help"),
    ),
    (
        "get",
        "/api/v1/me",
        W("命令行没有登录会话：以管理员身份运行，操作人取 --by 或系统用户名"),
    ),
    ("get", "/api/v1/users", C(&["user list"])),
    ("post", "/api/v1/users", C(&["user add"])),
    (
        "post",
        "/api/v1/users/{id}/active",
        C(&["user disable", "user enable"]),
    ),
    ("post", "/api/v1/users/{id}/password", C(&["user passwd"])),
    ("get", "/api/v1/stats", C(&["stats"])),
    ("get", "/api/v1/compounds", C(&["export ledger"])),
    ("get", "/api/v1/ledger", C(&["export ledger"])),
    ("get", "/api/v1/compounds/{id}", C(&["compound show"])),
    ("put", "/api/v1/compounds/{id}", C(&["import ledger"])),
    (
        "get",
        "/api/v1/compounds/{id}/lifecycle",
        C(&["compound show"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/lifecycle",
        C(&["compound advance"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/steps/{step}/correction",
        C(&["compound correct"]),
    ),
    (
        "post",
        "/api/v1/evidence",
        W("命令行的写操作以 --evidence 直接附文件，不另行上传"),
    ),
    (
        "get",
        "/api/v1/compounds/{id}/contracts",
        C(&["contract list"]),
    ),
    ("post", "/api/v1/contracts", C(&["contract sign"])),
    ("post", "/api/v1/contracts/{id}/file", C(&["contract file"])),
    (
        "post",
        "/api/v1/contracts/{id}/terminate",
        C(&["contract terminate"]),
    ),
    (
        "get",
        "/api/v1/companies",
        C(&["company list", "company grades"]),
    ),
    ("get", "/api/v1/companies/{id}", C(&["company show"])),
    (
        "post",
        "/api/v1/companies/{id}/records",
        C(&["company record"]),
    ),
    ("get", "/api/v1/tasks", C(&["tasks list"])),
    ("post", "/api/v1/tasks", C(&["tasks add"])),
    ("post", "/api/v1/tasks/{id}/done", C(&["tasks done"])),
    ("get", "/api/v1/targets", C(&["targets"])),
    ("get", "/api/v1/assessments", C(&["assess list"])),
    ("post", "/api/v1/assessments", C(&["assess new"])),
    ("get", "/api/v1/assessments/{id}", C(&["assess show"])),
    (
        "post",
        "/api/v1/assessments/{id}/submit",
        C(&["assess submit"]),
    ),
    (
        "post",
        "/api/v1/assessments/{id}/review",
        C(&["assess review"]),
    ),
    (
        "post",
        "/api/v1/assessments/{id}/object",
        C(&["assess object"]),
    ),
    (
        "post",
        "/api/v1/assessments/{id}/decide",
        C(&["assess decide"]),
    ),
    (
        "post",
        "/api/v1/assessments/{id}/finalize",
        C(&["assess finalize"]),
    ),
    ("get", "/api/v1/compounds/{id}/patrols", C(&["patrol list"])),
    ("post", "/api/v1/patrols", C(&["patrol add"])),
    ("get", "/api/v1/orders", C(&["patrol orders"])),
    ("post", "/api/v1/orders/{id}/answer", C(&["patrol answer"])),
    ("get", "/api/v1/complaints", C(&["complaint list"])),
    ("post", "/api/v1/complaints", C(&["complaint add"])),
    (
        "post",
        "/api/v1/complaints/{id}/answer",
        C(&["complaint answer"]),
    ),
    (
        "post",
        "/api/v1/complaints/{id}/sign",
        C(&["complaint sign"]),
    ),
    (
        "post",
        "/api/v1/complaints/{id}/rate",
        C(&["complaint rate"]),
    ),
    (
        "post",
        "/api/v1/complaints/{id}/close",
        C(&["complaint close"]),
    ),
    (
        "post",
        "/api/v1/complaints/{id}/verify",
        C(&["complaint verify"]),
    ),
    ("get", "/api/v1/surveys", C(&["survey list"])),
    ("post", "/api/v1/surveys", C(&["survey new"])),
    ("get", "/api/v1/surveys/{id}/links", C(&["survey links"])),
    ("post", "/api/v1/surveys/{id}/links", C(&["survey issue"])),
    ("post", "/api/v1/surveys/{id}/close", C(&["survey close"])),
    (
        "post",
        "/api/v1/evaluator-assignments",
        C(&["assess assign"]),
    ),
    ("get", "/api/v1/surveys/{id}/results", C(&["survey result"])),
    ("get", "/api/v1/compounds/{id}/fees", C(&["fees rate"])),
    (
        "get",
        "/api/v1/compounds/{id}/accounts",
        C(&["accounts show"]),
    ),
    (
        "get",
        "/api/v1/funding/policies",
        C(&["funding policy list"]),
    ),
    (
        "post",
        "/api/v1/funding/policies",
        C(&["funding policy set"]),
    ),
    ("get", "/api/v1/dispatch", C(&["dispatch status"])),
    ("post", "/api/v1/dispatch/filings", C(&["dispatch file"])),
    (
        "get",
        "/api/v1/dispatch/filings/{id}",
        C(&["dispatch show"]),
    ),
    (
        "put",
        "/api/v1/dispatch/schedule",
        C(&["dispatch schedule"]),
    ),
    ("get", "/api/v1/departments", C(&["department list"])),
    ("post", "/api/v1/departments", C(&["department add"])),
    ("put", "/api/v1/departments/{id}", C(&["department update"])),
    ("post", "/api/v1/departments/seed", C(&["department seed"])),
    (
        "get",
        "/api/v1/departments/figures",
        C(&["referral figures"]),
    ),
    ("get", "/api/v1/referrals", C(&["referral list"])),
    ("post", "/api/v1/referrals", C(&["referral add"])),
    ("get", "/api/v1/referrals/{id}", C(&["referral show"])),
    (
        "post",
        "/api/v1/referrals/{id}/acknowledge",
        C(&["referral step --step acknowledge"]),
    ),
    (
        "post",
        "/api/v1/referrals/{id}/resolve",
        C(&["referral step --step resolve"]),
    ),
    (
        "post",
        "/api/v1/referrals/{id}/confirm",
        C(&["referral step --step confirm"]),
    ),
    (
        "post",
        "/api/v1/referrals/{id}/return",
        C(&["referral step --step return"]),
    ),
    ("get", "/api/v1/groups", C(&["org group list"])),
    ("post", "/api/v1/groups", C(&["org group add"])),
    ("get", "/api/v1/groups/{id}", C(&["org group show"])),
    (
        "post",
        "/api/v1/groups/{id}/members",
        C(&["org group members"]),
    ),
    (
        "post",
        "/api/v1/groups/{id}/members/{member_id}/leave",
        C(&["org group leave"]),
    ),
    ("get", "/api/v1/meetings", C(&["org meeting list"])),
    ("post", "/api/v1/meetings", C(&["org meeting add"])),
    ("get", "/api/v1/meetings/{id}", C(&["org meeting show"])),
    (
        "post",
        "/api/v1/meetings/{id}/decisions",
        C(&["org meeting decide"]),
    ),
    ("get", "/api/v1/censures", C(&["org censure list"])),
    ("post", "/api/v1/censures", C(&["org censure add"])),
    ("get", "/api/v1/censures/{id}", C(&["org censure show"])),
    ("get", "/api/v1/assignments", C(&["org assignment list"])),
    (
        "get",
        "/api/v1/assignments/{id}",
        C(&["org assignment show"]),
    ),
    (
        "post",
        "/api/v1/assignments/{id}/report",
        C(&["org assignment report"]),
    ),
    (
        "post",
        "/api/v1/assignments/{id}/close",
        C(&["org assignment close"]),
    ),
    (
        "post",
        "/api/v1/assignments/{id}/return",
        C(&["org assignment return"]),
    ),
    ("get", "/api/v1/compounds/{id}/party", C(&["party list"])),
    ("post", "/api/v1/compounds/{id}/party", C(&["party add"])),
    (
        "post",
        "/api/v1/party-records/{id}",
        C(&["party end", "party rectified"]),
    ),
    (
        "get",
        "/api/v1/compounds/{id}/owners-bodies",
        C(&["owners-body list"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/owners-bodies",
        C(&["owners-body start"]),
    ),
    (
        "get",
        "/api/v1/owners-bodies/{id}",
        C(&["owners-body show"]),
    ),
    (
        "post",
        "/api/v1/owners-bodies/{id}/elect",
        C(&["owners-body elect"]),
    ),
    (
        "post",
        "/api/v1/owners-bodies/{id}/file",
        C(&["owners-body file"]),
    ),
    (
        "post",
        "/api/v1/owners-bodies/{id}/end",
        C(&["owners-body end"]),
    ),
    (
        "post",
        "/api/v1/owners-bodies/{id}/members",
        C(&["owners-body members"]),
    ),
    (
        "get",
        "/api/v1/compounds/{id}/renovations",
        C(&["renovation list"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/renovations",
        C(&["renovation start"]),
    ),
    ("get", "/api/v1/renovations/{id}", C(&["renovation show"])),
    (
        "post",
        "/api/v1/renovations/{id}/dates",
        C(&["renovation date"]),
    ),
    (
        "post",
        "/api/v1/renovations/{id}/households",
        C(&["renovation answer"]),
    ),
    ("get", "/api/v1/compounds/{id}/fund", C(&["fund show"])),
    (
        "post",
        "/api/v1/compounds/{id}/fund/deposits",
        C(&["fund deposit"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/fund/uses",
        C(&["fund apply"]),
    ),
    ("post", "/api/v1/fund-uses/{id}/vote", C(&["fund vote"])),
    (
        "post",
        "/api/v1/fund-uses/{id}/approve",
        C(&["fund approve"]),
    ),
    ("post", "/api/v1/fund-uses/{id}/reject", C(&["fund reject"])),
    ("post", "/api/v1/fund-uses/{id}/pay", C(&["fund pay"])),
    (
        "get",
        "/api/v1/compounds/{id}/fee-standards",
        C(&["fee-standard list"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/fee-standards",
        C(&["fee-standard add"]),
    ),
    (
        "get",
        "/api/v1/compounds/{id}/households",
        C(&["household list"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/households",
        C(&["household add"]),
    ),
    (
        "post",
        "/api/v1/compounds/{id}/households/import",
        C(&["household import"]),
    ),
    ("get", "/api/v1/compounds/{id}/votes", C(&["vote list"])),
    ("post", "/api/v1/compounds/{id}/votes", C(&["vote open"])),
    ("get", "/api/v1/votes/{id}", C(&["vote show"])),
    ("post", "/api/v1/votes/{id}/paper", C(&["vote paper"])),
    ("post", "/api/v1/votes/{id}/close", C(&["vote close"])),
    ("post", "/api/v1/votes/{id}/apply", C(&["vote apply"])),
    (
        "get",
        "/api/v1/audit",
        W("审计日志在网页（/audit）和 API 中查阅；命令行尚无此命令"),
    ),
];

/// The command line's side of `method path`, if the route is listed.
pub fn cli_of(method: &str, path: &str) -> Option<Cli> {
    COMMANDS
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, c)| *c)
}

/// As the document carries it: `{"commands": ["anju …"]}` or `{"none": "why"}`.
pub fn extension(c: Cli) -> serde_json::Value {
    match c {
        Cli::Commands(cs) => {
            let cs: Vec<String> = cs.iter().map(|c| format!("anju {c}")).collect();
            serde_json::json!({ "commands": cs })
        }
        Cli::Without(why) => serde_json::json!({ "none": why }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_names_its_command_once() {
        let routes = crate::api::routes();
        for (m, p) in &routes {
            let n = COMMANDS
                .iter()
                .filter(|(cm, cp, _)| cm == m && cp == p)
                .count();
            assert_eq!(n, 1, "{m} {p}: {n} entries in api::cli::COMMANDS");
        }
        for (m, p, _) in COMMANDS {
            assert!(routes.contains(&(*m, *p)), "{m} {p} is not an API route");
        }
    }
}
