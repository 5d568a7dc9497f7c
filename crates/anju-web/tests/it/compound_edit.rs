//! 修改台账信息 and 新增小区 through HTTP: the form shows the row in the ledger's words, a
//! change is saved at the version shown and dated, a bad value comes back named with what was
//! typed, a move out of the area is refused, and a compound added by hand lands in the ledger.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

/// The form's inputs as sent back unchanged, with some replaced.
fn form_of(body: &str, csrf: &str, changes: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in body.split("name=\"").skip(1) {
        let name = &part[..part.find('"').unwrap_or(0)];
        if name == "csrf" || name.is_empty() {
            continue;
        }
        let value = if part.starts_with(&format!("{name}\"><option"))
            || part[..part.find('>').unwrap_or(0)].is_empty()
        {
            // A select: its selected option.
            let end = part.find("</select>").unwrap_or(part.len());
            let sel = &part[..end];
            sel.find(" selected>")
                .and_then(|i| sel[..i].rfind("value=\"").map(|j| &sel[j + 7..i - 1]))
                .unwrap_or("")
                .to_string()
        } else {
            part.find("value=\"")
                .map(|i| {
                    let v = &part[i + 7..];
                    v[..v.find('"').unwrap_or(0)].to_string()
                })
                .unwrap_or_default()
        };
        pairs.push((name.to_string(), value));
    }
    for (k, v) in changes {
        match pairs.iter_mut().find(|(n, _)| n == k) {
            Some(p) => p.1 = (*v).to_string(),
            None => pairs.push(((*k).to_string(), (*v).to_string())),
        }
    }
    let mut out = format!("csrf={csrf}");
    for (k, v) in pairs {
        out.push_str(&format!("&{}={}", enc(&k), enc(&html_unescape(&v))));
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

both_engines!(a_ledger_row_is_edited_and_a_compound_added_in_the_browser);
async fn a_ledger_row_is_edited_and_a_compound_added_in_the_browser(t: &TestApp) {
    let s = user_session(t, "li", Role::Street, UserScope::Region(STREET)).await;
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("all");
    let c = all
        .iter()
        .find(|c| {
            c.compound.street == STREET
                && c.compound.households.is_some()
                && c.compound.company.is_some()
        })
        .expect("a compound")
        .clone();
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body
            .contains(&format!("href=\"/compounds/{}/edit\"", c.id)),
        "the compound page links the form"
    );
    let r = t.get_as(&s, &format!("/compounds/{}/edit", c.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("name=\"小区名称\" value=\"{}\"", c.compound.name)),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("households"),
        "no internal field name on the page"
    );
    let uri = format!("/compounds/{}/edit", c.id);

    // A year that is not one: refused naming the column, what was typed kept, nothing saved.
    let bad = form_of(&r.body, &s.csrf, &[("建成年份", "明年"), ("户数", "321")]);
    let r2 = t.post_form(Some(&s), &uri, &bad).await;
    assert_eq!(r2.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r2.body);
    assert!(r2.body.contains("建成年份：“明年”"), "{}", r2.body);
    assert!(r2.body.contains("value=\"明年\""), "typed value kept");
    assert!(
        r2.body.contains("name=\"户数\" value=\"321\""),
        "the other change kept"
    );
    assert_eq!(
        t.store.get_compound(c.id).await.expect("c").version,
        c.version
    );

    // Saved: the households and the remarks, at the version shown.
    let good = form_of(&r.body, &s.csrf, &[("户数", "321"), ("备注", "网页修改")]);
    let r3 = t.post_form(Some(&s), &uri, &good).await;
    assert_eq!(r3.status, StatusCode::SEE_OTHER, "{}", r3.body);
    let after = t.store.get_compound(c.id).await.expect("c");
    assert_eq!(after.compound.households, Some(321));
    assert_eq!(after.compound.remarks.as_deref(), Some("网页修改"));
    assert_eq!(after.version, c.version + 1);
    assert_eq!(after.compound.name, c.compound.name, "the rest unchanged");
    assert_eq!(
        after.compound.coords, c.compound.coords,
        "the coordinates unchanged"
    );
    // The same form again: someone changed it since (the version shown is old).
    let r4 = t.post_form(Some(&s), &uri, &good).await;
    assert!(
        r4.status == StatusCode::CONFLICT || r4.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r4.status
    );
    assert!(r4.body.contains("已被他人修改"), "{}", r4.body);
    // Out of the area: a street's account may not move it to another street.
    let fresh = t.get_as(&s, &uri).await;
    let away = form_of(&fresh.body, &s.csrf, &[("所属街道", "山城街道")]);
    let r5 = t.post_form(Some(&s), &uri, &away).await;
    assert_eq!(r5.status, StatusCode::FORBIDDEN, "{}", r5.body);
    // A company's account may not open the form.
    let co = user_session(
        t,
        "wuye",
        Role::Company,
        UserScope::Company(c.compound.company.as_deref().expect("company")),
    )
    .await;
    assert_eq!(t.get_as(&co, &uri).await.status, StatusCode::FORBIDDEN);

    // 新增小区: from the ledger page, the street filled in.
    let ledger = t.get_as(&s, "/ledger").await;
    assert!(
        ledger.body.contains("href=\"/compounds/new\""),
        "the ledger links 新增小区"
    );
    let r = t.get_as(&s, "/compounds/new").await;
    assert!(
        r.body
            .contains(&format!("name=\"所属街道\" value=\"{STREET}\"")),
        "{}",
        r.body
    );
    let add = form_of(
        &r.body,
        &s.csrf,
        &[
            ("小区名称", "网页新增小区"),
            ("物业管理方式", "无物业（弃管）"),
            ("户数", "48"),
        ],
    );
    let r = t.post_form(Some(&s), "/compounds/new", &add).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let added = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("all");
    let n = added
        .iter()
        .find(|x| x.compound.name == "网页新增小区")
        .expect("added");
    assert_eq!(r.location(), format!("/compounds/{}", n.id));
    assert_eq!(n.compound.households, Some(48));
    // The same name again in that street: refused, naming it.
    let r = t.post_form(Some(&s), "/compounds/new", &add).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("已有名为“网页新增小区”的小区"),
        "{}",
        r.body
    );
    // Another street: outside the area.
    let other = form_of(
        &r.body,
        &s.csrf,
        &[("小区名称", "别处小区"), ("所属街道", "山城街道")],
    );
    let r = t.post_form(Some(&s), "/compounds/new", &other).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("所属街道：不在您的管辖范围内"),
        "{}",
        r.body
    );
}
