//! One navigation on every signed-in page: for every demo account, each link the bar shows
//! opens (never 403), the bar shows exactly the pages the role may open, and the 工作台 carries
//! the same bar (with the language switch, who is signed in and 退出登录) as the other pages.

use crate::support::{TestApp, both_engines, login};
use anju_core::Lang;
use axum::http::StatusCode;

const PASSWORD: &str = anju_app::demo::DEMO_PASSWORD;

/// The links of the page's `<nav>`, as written.
fn nav_links(body: &str) -> Vec<String> {
    let Some(start) = body.find("<nav>") else {
        return Vec::new();
    };
    let end = body[start..]
        .find("</nav>")
        .map_or(body.len(), |e| start + e);
    body[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

/// The `<header>` … `</header>` of a page.
fn header(body: &str) -> &str {
    let a = body.find("<header>").expect("a header");
    let b = body[a..].find("</header>").expect("header ends") + a;
    &body[a..b]
}

async fn every_role_sees_only_pages_it_may_open(t: &TestApp) {
    let admin = anju_app::Principal::admin("nav-test", Lang::Zh);
    let accounts = t
        .state
        .app
        .ensure_demo_accounts(&admin)
        .await
        .expect("demo accounts");
    // One per role (the department's officer is 区消防救援大队's), and the second street's.
    let roles: std::collections::BTreeSet<_> = accounts.iter().map(|u| u.role).collect();
    assert_eq!(
        roles.len(),
        anju_core::access::Role::ALL.len(),
        "every demo role has an account"
    );
    assert_eq!(accounts.len(), 11);
    for user in accounts {
        let s = login(t, &user.username, PASSWORD).await;
        // An owners' body member's 工作台 is its compound's page.
        let landing = if user.role == anju_core::access::Role::OwnersBody {
            let r = t.get_as(&s, "/dashboard").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            r.location().to_string()
        } else {
            "/dashboard".to_string()
        };
        let dash = t.get_as(&s, &landing).await;
        assert_eq!(
            dash.status,
            StatusCode::OK,
            "{}: {}",
            user.username,
            dash.body
        );
        let links = nav_links(&dash.body);
        assert!(
            links.contains(&landing) && links.iter().any(|l| l == "/ledger"),
            "{}: {links:?}",
            user.username
        );
        let dash_header = header(&dash.body);
        assert!(dash_header.contains("退出登录"), "{}", user.username);
        assert!(dash_header.contains("English"), "{}", user.username);
        assert!(
            dash_header.contains(&user.display_name),
            "{}: the name is shown",
            user.username
        );
        assert!(
            dash_header.contains(user.role.label(Lang::Zh)),
            "{}: the role is shown",
            user.username
        );
        for link in &links {
            let r = t.get_as(&s, link).await;
            assert_ne!(
                r.status,
                StatusCode::FORBIDDEN,
                "{} ({:?}) is shown {link} but refused: {}",
                user.username,
                user.role,
                r.body
            );
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{} {link}: {}",
                user.username,
                r.body
            );
            // The same bar on every page (only which link is the current one differs).
            assert_eq!(
                nav_links(&r.body),
                links,
                "{}: {link} has another navigation",
                user.username
            );
            assert!(
                header(&r.body).contains("退出登录"),
                "{} {link}",
                user.username
            );
        }
        // And a page the bar does not offer is one the role may not open.
        for page in ["/budget", "/audit", "/users", "/signals"] {
            if !links.iter().any(|l| l == page) {
                let r = t.get_as(&s, page).await;
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{}: {page} is not offered but opens",
                    user.username
                );
            }
        }
        // In English, the links keep the language.
        let en = t.get_as(&s, &format!("{landing}?lang=en")).await;
        let en_links = nav_links(&en.body);
        assert_eq!(en_links.len(), links.len());
        assert!(
            en_links.iter().all(|l| l.ends_with("lang=en")),
            "{en_links:?}"
        );
        assert!(header(&en.body).contains("Sign out"));
        assert!(header(&en.body).contains("中文"));
    }
}
both_engines!(every_role_sees_only_pages_it_may_open);

async fn role_specific_links(t: &TestApp) {
    let admin = anju_app::Principal::admin("nav-test", Lang::Zh);
    t.state
        .app
        .ensure_demo_accounts(&admin)
        .await
        .expect("demo accounts");
    let links = |name: &'static str| async move {
        let s = login(t, name, PASSWORD).await;
        nav_links(&t.get_as(&s, "/ledger").await.body)
    };
    let a = links("admin").await;
    for p in ["/users", "/audit", "/budget", "/signals"] {
        assert!(a.iter().any(|l| l == p), "admin: {p} in {a:?}");
    }
    let w = links("wuye").await;
    for p in ["/users", "/audit", "/budget", "/signals"] {
        assert!(!w.iter().any(|l| l == p), "company: {p} in {w:?}");
    }
    let c = links("caizheng").await;
    assert!(c.iter().any(|l| l == "/budget"), "finance: {c:?}");
    assert!(!c.iter().any(|l| l == "/audit"), "finance: {c:?}");
}
both_engines!(role_specific_links);
