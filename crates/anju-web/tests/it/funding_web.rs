//! /funding through HTTP: the money's path (申报 → 街道审核 → 区级复核 → 批准 → 拨付, with a return
//! for correction) taken by the right roles, wrong roles refused with 403, a company refused
//! for another company's compound, a double application refused in Chinese, the payer totals,
//! and the compound page's fragment. On both engines.

use crate::support::{Session, TestApp, UserScope, both_engines, user_session};
use anju_core::Lang;
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";
const DISTRICT: &str = "奈曼旗";

/// (compound id, its company's name) in the street, and another company's name.
async fn pick(t: &TestApp) -> (i64, String, String) {
    let store = &t.store;
    let companies = store.list_companies().await.expect("companies");
    let name_of = |id: i64| {
        companies
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .expect("company")
    };
    let all = store
        .list_compounds(&Default::default())
        .await
        .expect("compounds");
    let street_id = store
        .find_region(anju_core::RegionLevel::Street, STREET)
        .await
        .expect("street")
        .id;
    let c = all
        .iter()
        .find(|c| c.street_id == street_id && c.company_id.is_some())
        .expect("a compound with a company");
    let own = c.company_id.expect("company");
    let other = all
        .iter()
        .filter_map(|x| x.company_id)
        .find(|id| *id != own)
        .expect("another company");
    (c.id, name_of(own), name_of(other))
}

async fn step(
    t: &TestApp,
    s: &Session,
    line: i64,
    action: &str,
    comment: &str,
) -> crate::support::Res {
    let version = t.store.get_subsidy_line(line).await.expect("line").version;
    t.post_form(
        Some(s),
        &format!("/funding/lines/{line}/step"),
        &format!(
            "csrf={}&version={version}&action={action}&date=2026-03-10&comment={}",
            s.csrf,
            crate::support::enc(comment)
        ),
    )
    .await
}

async fn status_of(t: &TestApp, s: &Session, line: i64) -> String {
    let r = t.get_as(s, &format!("/funding/lines/{line}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r.body.find("id=\"status\">").expect("status") + "id=\"status\">".len();
    r.body[at..].chars().take_while(|c| *c != '<').collect()
}

both_engines!(money_path_through_the_web);
async fn money_path_through_the_web(t: &TestApp) {
    let (cid, own, other) = pick(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    let co = user_session(t, "co", Role::Company, UserScope::Company(&own)).await;
    let co2 = user_session(t, "co2", Role::Company, UserScope::Company(&other)).await;
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::Region(DISTRICT)).await;
    let cz = user_session(t, "cz", Role::Finance, UserScope::None).await;

    // The street records an infrastructure grant (a line of its own).
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound_id={cid}&investment=16000&share=50&date=2026-03-01&note=%E5%AE%89%E9%98%B2",
                jd.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let line: i64 = r
        .location()
        .trim_start_matches("/funding/lines/")
        .parse()
        .expect("line id");
    // Once per compound: a second grant is refused, naming the first.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound_id={cid}&investment=12000&share=60",
                jd.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&format!("第 {line} 号")), "{}", r.body);
    assert!(r.body.contains("每个小区只给一次"), "{}", r.body);

    // Only the serving company applies: another company and the street are refused.
    let r = step(t, &co2, line, "apply", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = step(t, &jd, line, "apply", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The company sees no buttons on another company's line… and its own has 申报.
    let page = t.get_as(&co, &format!("/funding/lines/{line}")).await;
    assert!(page.body.contains("value=\"apply\""), "{}", page.body);

    let r = step(t, &co, line, "apply", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status_of(t, &co, line).await, "已申报");
    // A double application: refused, in Chinese.
    let r = step(t, &co, line, "apply", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能申报"), "{}", r.body);

    // Finance cannot review; the street reviews.
    let r = step(t, &cz, line, "street_review", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = step(t, &jd, line, "street_review", "材料齐全").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The district returns it (a comment is required), the company applies again.
    let r = step(t, &zj, line, "return", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("退回修改须写明原因"), "{}", r.body);
    let r = step(t, &zj, line, "return", "请补充发票").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status_of(t, &zj, line).await, "已退回修改");
    assert_eq!(
        step(t, &co, line, "apply", "已补充").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        step(t, &jd, line, "street_review", "").await.status,
        StatusCode::SEE_OTHER
    );
    // The street may not take the district's step.
    assert_eq!(
        step(t, &jd, line, "district_review", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(t, &zj, line, "district_review", "同意").await.status,
        StatusCode::SEE_OTHER
    );
    // Finance may not approve; the housing authority does.
    assert_eq!(
        step(t, &cz, line, "approve", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(t, &zj, line, "approve", "").await.status,
        StatusCode::SEE_OTHER
    );
    // The housing authority may not disburse; finance does.
    assert_eq!(
        step(t, &zj, line, "disburse", "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(t, &cz, line, "disburse", "").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status_of(t, &cz, line).await, "已拨付");

    // Every step with its person, date and comment.
    let page = t.get_as(&zj, &format!("/funding/lines/{line}")).await;
    for needle in [
        "请补充发票",
        "材料齐全",
        "2026-03-10",
        "测试 cz",
        "8,000.00",
    ] {
        assert!(page.body.contains(needle), "{needle}: {}", page.body);
    }
    // The list: the payer's total.
    let list = t.get_as(&zj, "/funding").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("街道办事处"), "{}", list.body);
    assert!(
        list.body
            .contains("<span class=\"num\" id=\"total\">8,000.00</span>")
    );
    // Another company's user sees none of it.
    let list = t.get_as(&co2, "/funding").await;
    assert!(!list.body.contains(&format!("/funding/lines/{line}\"")));
    assert_eq!(
        t.get_as(&co2, &format!("/funding/lines/{line}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The disbursement list for the street and year: a valid xlsx holding the line, its
    // payer and the amount; the printable page shows the same.
    let street = crate::support::enc(STREET);
    let (status, _, bytes) = crate::reports_web::get_bytes(
        t,
        &jd,
        &format!("/reports/disbursement-list/xlsx?street={street}&period=2026"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let text: Vec<String> = crate::reports_web::cells(&bytes)
        .iter()
        .flat_map(|(_, rows)| rows.iter().flatten().map(|c| c.to_string()))
        .collect();
    assert!(text.iter().any(|c| c == "8000"), "{text:?}");
    assert!(text.iter().any(|c| c.contains("街道办事处")), "{text:?}");
    let page = t
        .get_as(
            &jd,
            &format!("/reports/disbursement-list?street={street}&period=2026"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("8,000.00"), "{}", page.body);

    // The compound page's fragment, in both languages.
    let zh = anju_web::compound_subsidies_html(
        &t.state.app,
        &anju_app::Principal::admin("admin", Lang::Zh),
        cid,
    )
    .await
    .expect("fragment");
    assert!(
        zh.contains("基础设施投入资金") && zh.contains("8,000.00"),
        "{zh}"
    );
    assert!(zh.contains("安防"), "{zh}");
    let en = anju_web::compound_subsidies_html(
        &t.state.app,
        &anju_app::Principal::admin("admin", Lang::En),
        cid,
    )
    .await
    .expect("fragment");
    assert!(
        en.contains("Infrastructure grant: 16,000.00 yuan invested × 50% = 8,000.00 yuan"),
        "{en}"
    );
}

both_engines!(runs_by_role_and_area);
async fn runs_by_role_and_area(t: &TestApp) {
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    let community = anju_demo::regions()[0].3[0];
    let sq = user_session(t, "sq", Role::Community, UserScope::Region(community)).await;
    let form = |s: &Session, region: &str, period: &str| {
        format!(
            "csrf={}&level=street&region={}&period={period}",
            s.csrf,
            crate::support::enc(region)
        )
    };
    // A community account may not run subsidies.
    let r = t
        .post_form(Some(&sq), "/funding/runs", &form(&sq, STREET, "2026"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A street officer only for their own street.
    let r = t
        .post_form(Some(&jd), "/funding/runs", &form(&jd, "山城街道", "2026"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A bad period names the field.
    let r = t
        .post_form(Some(&jd), "/funding/runs", &form(&jd, STREET, "明年"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("期间："), "{}", r.body);
    // No CSRF token: refused.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/runs",
            "level=street&region=x&period=2026",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_engines!(a_run_started_on_the_web);
async fn a_run_started_on_the_web(t: &TestApp) {
    let store = &t.store;
    let sid = store
        .find_region(anju_core::RegionLevel::Street, STREET)
        .await
        .expect("street")
        .id;
    store
        .set_funding_policy(
            &anju_store::Actor::new("test", "admin"),
            sid,
            "liaocheng-2021",
            jiff::civil::date(2021, 11, 15),
        )
        .await
        .expect("policy");
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    let r = t
        .post_form(
            Some(&jd),
            "/funding/runs",
            &format!(
                "csrf={}&level=street&region={}&period=2026",
                jd.csrf,
                crate::support::enc(STREET)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location().starts_with("/funding?run="),
        "{}",
        r.location()
    );
    let page = t.get_as(&jd, r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    let lines = store
        .subsidy_lines(&anju_store::LineFilter {
            region_id: Some(sid),
            ..Default::default()
        })
        .await
        .expect("lines");
    // The run is listed; every line it made (the demo street has no contract yet, so there
    // may be none) with its explanation.
    let run_id = r.location().trim_start_matches("/funding?run=");
    assert!(
        page.body
            .contains(&format!("/funding?run={run_id}\">{run_id}</a>")),
        "{}",
        page.body
    );
    // Every line is listed with its reason or explanation.
    for l in &lines {
        assert!(
            page.body.contains(&format!("/funding/lines/{}\"", l.id)),
            "line {}",
            l.id
        );
        let first = l.explanation(Lang::Zh).lines().next().unwrap_or("");
        assert!(page.body.contains(&askama_escape(first)), "{first}");
    }
}

/// HTML-escapes like the templates do (enough for the explanation text).
fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

both_engines!(a_policy_is_assigned_on_the_funding_page);
async fn a_policy_is_assigned_on_the_funding_page(t: &TestApp) {
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    // The approving office sees the form with the shipped policies by title, in words.
    let r = t.get_as(&zj, "/funding").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"policy-form\""), "{}", r.body);
    assert!(r.body.contains("liaocheng-2021"), "{}", r.body);
    assert!(
        !r.body.contains("anju funding"),
        "no command line named: {}",
        r.body
    );
    // A street office reads which policy applies, but has no form.
    assert!(
        !t.get_as(&jd, "/funding")
            .await
            .body
            .contains("id=\"policy-form\"")
    );
    let form = |s: &Session, region: &str, policy: &str| {
        format!(
            "csrf={}&level=street&region={}&policy={policy}&valid_from=2026-01-01",
            s.csrf,
            crate::support::enc(region)
        )
    };
    // An unknown policy is refused naming it, the list of known ones given.
    let r = t
        .post_form(
            Some(&zj),
            "/funding/policies",
            &form(&zj, STREET, "nowhere-1999"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("nowhere-1999") && r.body.contains("liaocheng-2021"));
    let r = t
        .post_form(
            Some(&zj),
            "/funding/policies",
            &form(&zj, STREET, "daqintala-2022-city"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&jd, "/funding").await;
    assert!(
        r.body.contains("daqintala-2022-city") && r.body.contains("2026-01-01"),
        "{}",
        r.body
    );
    // A street office may not assign.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/policies",
            &form(&jd, STREET, "liaocheng-2021"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

both_engines!(the_grant_form_offers_compounds_by_name_in_scope);
async fn the_grant_form_offers_compounds_by_name_in_scope(t: &TestApp) {
    use crate::support::enc;
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("compounds");
    // Grants go to compounds a company has taken over.
    let inside = all
        .iter()
        .find(|c| c.compound.street == STREET && c.company_id.is_some())
        .expect("a served compound of the street");
    let outside = all
        .iter()
        .find(|c| c.compound.street != STREET)
        .expect("a compound elsewhere");
    let label =
        |c: &anju_store::StoredCompound| format!("{}（{}）", c.compound.name, c.compound.street);
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    let page = t.get_as(&jd, "/funding").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // No id to read off a URL: a list of the street's compounds by name.
    assert!(!page.body.contains("name=\"compound_id\""), "{}", page.body);
    assert!(!page.body.contains("小区编号"));
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\">", label(inside))),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(&label(outside)),
        "only compounds in scope are offered"
    );
    // Refused (9,000 × 50 % = 4,500, under 5,000): the form comes back with what was typed.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound={}&investment=9000&share=50&date=2026-03-01&note={}",
                jd.csrf,
                enc(&label(inside)),
                enc("安防改造")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(&format!(
            "name=\"compound\" list=\"infra-compounds\" value=\"{}\"",
            label(inside)
        )),
        "the compound kept: {}",
        r.body
    );
    assert!(r.body.contains("value=\"9000\""), "the investment kept");
    assert!(
        r.body
            .contains("企业投入 9,000.00 元 × 50% = 4,500.00 元，低于方案下限 5,000 元"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"安防改造\""), "the note kept");
    // A compound outside the account's scope, typed by name: not found, nothing recorded.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound={}&investment=16000&share=50",
                jd.csrf,
                enc(&label(outside))
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("找不到小区"), "{}", r.body);
    // Nothing chosen.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!("csrf={}&compound=&investment=16000&share=50", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请从列表中选择小区"));
    // Chosen from the list: recorded for that compound.
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound={}&investment=16000&share=50&date=2026-03-01",
                jd.csrf,
                enc(&label(inside))
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let line = t.get_as(&jd, r.location()).await;
    assert_eq!(line.status, StatusCode::OK);
    assert!(line.body.contains(&inside.compound.name), "{}", line.body);
    // The name alone works too (another compound: one grant per compound).
    let second = all
        .iter()
        .filter(|c| c.compound.street == STREET && c.id != inside.id && c.company_id.is_some())
        .find(|c| {
            all.iter()
                .filter(|x| x.compound.name == c.compound.name)
                .count()
                == 1
        })
        .expect("another compound of the street, its name unique");
    let r = t
        .post_form(
            Some(&jd),
            "/funding/infra",
            &format!(
                "csrf={}&compound={}&investment=12000&share=50&date=2026-03-02",
                jd.csrf,
                enc(&second.compound.name)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A company's account is not offered the form.
    let company = all
        .iter()
        .find_map(|c| c.compound.company.clone())
        .expect("a company");
    let co = user_session(t, "co", Role::Company, UserScope::Company(&company)).await;
    let page = t.get_as(&co, "/funding").await;
    assert!(!page.body.contains("infra-form"));
}
