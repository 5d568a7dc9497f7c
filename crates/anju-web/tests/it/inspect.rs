//! Assessment entry and patrol entry through HTTP: the form scores as the CLI does, photos become
//! evidence, orders are answered only by their company, every form refuses a missing CSRF token
//! and keeps typed input on a validation error.

use crate::ledger_page::{DAQINTALA, post_multipart, send_raw};
use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use anju_core::assessment::{AssessorKind, Period};
use anju_policy::rubric::{Event, Rubric, SatisfactionRate, Survey};
use anju_store::{Actor, CompoundFilter, NewAssessment, StoredCompound};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A Daqintala compound with a company, and a compound of another company.
async fn compounds(t: &TestApp) -> (StoredCompound, StoredCompound) {
    let all = t
        .store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let mine = all
        .iter()
        .find(|c| c.compound.street == DAQINTALA && c.company_id.is_some())
        .expect("a Daqintala compound with a company")
        .clone();
    let other = all
        .iter()
        .find(|c| c.company_id.is_some() && c.company_id != mine.company_id)
        .expect("another company's compound")
        .clone();
    (mine, other)
}

fn id_from(location: &str, prefix: &str) -> i64 {
    location
        .trim_start_matches(prefix)
        .split(['?', '/'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

both_engines!(an_assessment_entered_on_the_form_scores_as_the_cli_does);
async fn an_assessment_entered_on_the_form_scores_as_the_cli_does(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let (c, _) = compounds(t).await;
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let uri = format!("/assessments/new?compound={}", c.id);
    let r = t.get_as(&s, &uri).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("本项满分 10 分"), "item 1's cap is shown");
    assert!(r.body.contains("name=\"d.1.not_filed\""));
    // Item 1 (10 points): no contract (−10) and not filed (−5) = −15, capped at the item's 10;
    // item 2: one missing element (−0.5); satisfaction 85 % → 10 points.
    // 100 − 10 − 0.5 = 89.5.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("period", "2026H1"),
            ("d.1.no_contract", "1"),
            ("d.1.not_filed", "1"),
            ("d.2.office_lacking", "1"),
            ("rate", "85%"),
            ("action", "submit"),
        ],
        &[("photo.1", "合同.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(r.location(), "/assessments/");
    let page = t.get_as(&s, &format!("/assessments/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<b id=\"total\">89.5</b>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("扣完为止"), "item 1 capped");
    assert!(page.body.contains("已提交"), "submitted");
    // The CLI's path (`anju assess new`): the same rubric and events through the store.
    let a = t.store.get_assessment(id).await.expect("stored");
    assert_eq!(a.evidence.len(), 1, "the photo is linked");
    let cli = t
        .store
        .create_assessment(
            &Actor::new("cli", "street"),
            NewAssessment {
                compound_id: c.id,
                period: Period::parse("2026H1").expect("period"),
                rubric: Rubric::builtin_or_path("erqi").expect("rubric"),
                assessor_kind: AssessorKind::Street,
                assessor: DAQINTALA.into(),
                events: vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(1, "not_filed", 1),
                    Event::new(2, "office_lacking", 1),
                ],
                survey: Some(Survey::from_rate(
                    SatisfactionRate::parse("85%").expect("rate"),
                )),
                objection_days: None,
                evidence: vec![],
                sources: Default::default(),
            },
        )
        .await
        .expect("cli path");
    assert_eq!(a.score, cli.score);
    assert_eq!(a.scorecard.items, cli.scorecard.items);
    // The workflow by role: 复核 by the housing authority (not without CSRF, not by the street),
    // 申诉 by the compound's own company only, then the decision makes it final.
    let ha = user_session(t, "zhujian", Role::HousingAuthority, UserScope::None).await;
    let review = format!("/assessments/{id}/review");
    let r = t.post_form(Some(&ha), &review, "outcome=upheld").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = t
        .post_form(
            Some(&s),
            &review,
            &format!("csrf={}&outcome=upheld", s.csrf),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a street office does not review"
    );
    let page = t.get_as(&ha, &format!("/assessments/{id}")).await;
    assert!(
        page.body
            .contains(&format!("action=\"/assessments/{id}/review\""))
    );
    let r = t
        .post_form(
            Some(&ha),
            &review,
            &format!(
                "csrf={}&version={}&outcome=upheld&reason=%E5%A6%82%E5%AE%9E",
                ha.csrf,
                t.store.get_assessment(id).await.expect("a").version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, other) = compounds(t).await;
    let other_co = other.compound.company.clone().expect("company");
    let o2 = user_session(t, "other", Role::Company, UserScope::Company(&other_co)).await;
    let object = format!("/assessments/{id}/object");
    let r = t
        .post_form(Some(&o2), &object, &format!("csrf={}&text=x", o2.csrf))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another company");
    let co = c.compound.company.clone().expect("company");
    let o1 = user_session(t, "mine", Role::Company, UserScope::Company(&co)).await;
    let page = t.get_as(&o1, &format!("/assessments/{id}")).await;
    assert!(
        page.body
            .contains(&format!("action=\"/assessments/{id}/object\"")),
        "申诉 offered"
    );
    let r = t
        .post_form(
            Some(&o1),
            &object,
            &format!(
                "csrf={}&version={}&text=+",
                o1.csrf,
                version_of(t, id).await
            ),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an empty objection"
    );
    let r = t
        .post_form(
            Some(&o1),
            &object,
            &format!(
                "csrf={}&version={}&text=%E5%90%88%E5%90%8C%E5%B7%B2%E7%AD%BE",
                o1.csrf,
                version_of(t, id).await
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            Some(&ha),
            &format!("/assessments/{id}/decide"),
            &format!(
                "csrf={}&version={}&outcome=upheld&reason=%E7%BB%B4%E6%8C%81",
                ha.csrf,
                version_of(t, id).await
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = t.store.get_assessment(id).await.expect("stored");
    assert_eq!(done.status.code(), "final");
    assert_eq!(done.objection.as_deref(), Some("合同已签"));
    let item1 = &a.scorecard.items[0];
    assert_eq!(
        item1.score,
        Some(rust_decimal::Decimal::ZERO),
        "never below zero"
    );
    assert!(item1.capped);
}

both_engines!(the_assessment_form_keeps_typed_input_and_refuses_without_csrf);
async fn the_assessment_form_keeps_typed_input_and_refuses_without_csrf(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let (c, other) = compounds(t).await;
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let uri = format!("/assessments/new?compound={}", c.id);
    let before = t.store.audit_count().await.expect("count");
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("period", "2026H1"),
            ("d.1.not_filed", "1"),
            ("d.2.office_lacking", "-1"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 2 项"), "{}", r.body);
    assert!(
        r.body.contains("name=\"d.2.office_lacking\" value=\"-1\"")
            && r.body.contains("name=\"d.1.not_filed\" value=\"1\"")
            && r.body.contains("name=\"period\" value=\"2026H1\""),
        "typed input kept"
    );
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[("period", "2026H1"), ("d.1.not_filed", "1")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(t.store.audit_count().await.expect("count"), before);
    // Another street's compound: 403.
    if other.compound.street != DAQINTALA {
        let r = t
            .get_as(&s, &format!("/assessments/new?compound={}", other.id))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    // An evaluator sees only what it was assigned.
    let e = user_session(t, "ceping", Role::Evaluator, UserScope::None).await;
    let r = t.get_as(&e, &uri).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not assigned");
    t.store
        .assign_evaluator(&Actor::new("district", "housing_authority"), "ceping", c.id)
        .await
        .expect("assign");
    let r = t.get_as(&e, &uri).await;
    assert_eq!(r.status, StatusCode::OK);
}

both_engines!(a_patrol_finding_with_a_photo_becomes_an_order_only_its_company_answers);
async fn a_patrol_finding_with_a_photo_becomes_an_order_only_its_company_answers(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let (c, other) = compounds(t).await;
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let uri = format!("/patrols/new?compound={}", c.id);
    let r = t.get_as(&s, &uri).await;
    assert_eq!(r.status, StatusCode::OK);
    // An order without a deadline: refused, what was typed kept.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("kind", "weekly_patrol"),
            ("date", "2026-11-20"),
            ("inspector", "李巡查"),
            ("f0.category", "safety"),
            ("f0.description", "消防通道堆放杂物"),
            ("f0.order", "1"),
        ],
        &[("f0.photo", "现场.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("问题 1") && r.body.contains("整改期限"),
        "{}",
        r.body
    );
    assert!(r.body.contains("消防通道堆放杂物") && r.body.contains("李巡查"));
    assert!(r.body.contains("name=\"f0.kept\""), "the photo is kept");
    // Without CSRF: 403.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[("kind", "weekly_patrol"), ("inspector", "李巡查")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With the deadline (already past, so the order shows overdue).
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("kind", "weekly_patrol"),
            ("date", "2026-01-05"),
            ("inspector", "李巡查"),
            ("f0.category", "safety"),
            ("f0.description", "消防通道堆放杂物"),
            ("f0.order", "1"),
            ("f0.deadline", "2026-01-10"),
        ],
        &[("f0.photo", "现场.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let pid = id_from(r.location(), "/patrols/");
    let p = t.store.get_patrol(pid).await.expect("patrol");
    assert_eq!(p.findings.len(), 1);
    assert_eq!(
        p.findings[0].evidence.len(),
        1,
        "the photo is the finding's"
    );
    let oid = p.findings[0].order_id.expect("an order");
    let page = t.get_as(&s, &format!("/patrols/{pid}")).await;
    assert!(page.body.contains("已逾期"), "overdue flagged");
    // The compound page links the patrol and its order to the patrol's page (where the
    // company answers).
    let compound = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(
        compound
            .body
            .matches(&format!("href=\"/patrols/{pid}\""))
            .count()
            >= 2,
        "{}",
        compound.body
    );
    let (photo, bytes) = send_raw(
        t,
        dir.path(),
        Request::get(format!(
            "/patrols/{pid}/photo/{}",
            p.findings[0].evidence[0]
        ))
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .expect("request"),
    )
    .await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(bytes, PNG, "the photo as uploaded");
    // The page draws it small (a thumbnail), the link opens the photo as uploaded; this test
    // PNG is only a header, so it has no thumbnail to give.
    assert!(
        page.body.contains(&format!(
            "/patrols/{pid}/photo/{}?thumb=1",
            p.findings[0].evidence[0]
        )),
        "{}",
        page.body
    );
    let (thumb, _) = send_raw(
        t,
        dir.path(),
        Request::get(format!(
            "/patrols/{pid}/photo/{}?thumb=1",
            p.findings[0].evidence[0]
        ))
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .expect("request"),
    )
    .await;
    assert_eq!(thumb.status, StatusCode::NOT_FOUND);
    // Another company: 403, and the order stays open.
    let other_co = other.compound.company.clone().expect("company");
    let o2 = user_session(t, "other", Role::Company, UserScope::Company(&other_co)).await;
    let answer = format!("/orders/{oid}/answer");
    let r = post_multipart(
        t,
        dir.path(),
        &o2,
        &answer,
        &[("csrf", &o2.csrf), ("text", "已清理")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The street cannot answer for the company either.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &answer,
        &[("csrf", &s.csrf), ("text", "已清理")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Its own company answers with a photo; an empty answer keeps nothing and names the field.
    let co = c.compound.company.clone().expect("company");
    let o1 = user_session(t, "mine", Role::Company, UserScope::Company(&co)).await;
    let r = post_multipart(
        t,
        dir.path(),
        &o1,
        &answer,
        &[("csrf", &o1.csrf), ("text", " ")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("整改回复"), "{}", r.body);
    // Without the version the page was made from, nothing is written (never "the current one").
    let r = post_multipart(
        t,
        dir.path(),
        &o1,
        &answer,
        &[("csrf", &o1.csrf), ("text", "已清理杂物")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("缺少版本号"), "{}", r.body);
    let v = t
        .store
        .get_order(oid)
        .await
        .expect("order")
        .version
        .to_string();
    let r = post_multipart(
        t,
        dir.path(),
        &o1,
        &answer,
        &[("csrf", &o1.csrf), ("version", &v), ("text", "已清理杂物")],
        &[("photo", "整改后.png", b"\x89PNG\r\n\x1a\n-after")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let o = t.store.get_order(oid).await.expect("order");
    assert_eq!(o.status.code(), "answered");
    assert!(o.answered_late, "answered after 2026-01-10");
    assert_eq!(o.evidence.len(), 1);
    // The street closes it; without CSRF it cannot.
    let r = t
        .post_form(Some(&s), &format!("/orders/{oid}/close"), "version=2")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_form(
            Some(&s),
            &format!("/orders/{oid}/close"),
            &format!("csrf={}&version={}", s.csrf, o.version),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        t.store.get_order(oid).await.expect("order").status.code(),
        "closed"
    );
    // And reopens it with a new deadline.
    let o = t.store.get_order(oid).await.expect("order");
    let r = t
        .post_form(
            Some(&s),
            &format!("/orders/{oid}/reopen"),
            &format!("csrf={}&version={}&deadline=2026-12-31", s.csrf, o.version),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let o = t.store.get_order(oid).await.expect("order");
    assert_eq!((o.status.code(), o.reopened), ("open", 1));
}

/// The version an assessment's page carries in its forms.
async fn version_of(t: &TestApp, id: i64) -> i64 {
    t.store
        .get_assessment(id)
        .await
        .expect("assessment")
        .version
}
