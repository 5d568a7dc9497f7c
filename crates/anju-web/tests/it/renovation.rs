//! 老旧小区改造 through the pages (issue 19 item 5): the street records a project whose works
//! started the day before the company was chosen and sees seed 002 六（一）'s alert on the
//! project page and the 工作台; a correction of the date needs its reason and is kept; a date
//! tomorrow is refused; one household's 三承诺 entered on the phone form, answered again as an
//! update, a refused form keeping what was typed; a questionnaire sheet imported all or nothing.
//! And the fee standard (item 4): the housing authority enters 发改's approval, a contract
//! charging above the standard in force on its signing day shows on the compound page, the
//! fee-standard page and the 工作台 in 元/㎡·月; a street officer may read but not enter it.

use crate::access_matrix::{STREET_A, world};
use crate::ledger_page::post_multipart;
use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

fn version_in(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

both_engines!(works_started_before_a_company_is_chosen_are_flagged_and_corrected_with_a_reason);
async fn works_started_before_a_company_is_chosen_are_flagged_and_corrected_with_a_reason(
    t: &TestApp,
) {
    let w = world(t).await;
    let street = user_session(t, "rn_jd", Role::Street, UserScope::Region(STREET_A)).await;
    // The compound whose path chose its company and signed on 2026-10-01.
    let compound = w.inside.contract_compound;
    let page = t.get_as(&street, &format!("/compounds/{compound}")).await;
    assert!(
        page.body
            .contains(&format!("/compounds/{compound}/renovation")),
        "the compound page links it"
    );
    let start = |construction: &str, name: &str| {
        format!(
            "csrf={}&name={}&procedures_on=2026-08-01&construction_on={construction}",
            street.csrf,
            enc(name)
        )
    };
    // A date tomorrow is refused, what was typed kept.
    let tomorrow = t.state.app.today().tomorrow().expect("tomorrow");
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/renovation"),
            &start(&tomorrow.to_string(), "第一批改造"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("施工进场日期"), "{}", r.body);
    assert!(r.body.contains("第一批改造"), "kept: {}", r.body);
    // The works started the day before the company was chosen (2026-10-01).
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/renovation"),
            &start("2026-09-30", "第一批改造"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .location()
        .trim_start_matches("/renovations/")
        .parse()
        .expect("a project's page");
    let page = t.get_as(&street, &format!("/renovations/{id}")).await;
    assert!(
        page.body.contains("施工进场前未选定物业企业"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("务必于施工进场前选定物业服务企业"),
        "names the clause: {}",
        page.body
    );
    assert!(page.body.contains("六（一）"), "{}", page.body);
    // Shown on the street's 工作台 too, linking the project.
    let dash = t.get_as(&street, "/").await;
    assert!(
        dash.body.contains("老旧小区改造与物业进驻脱节"),
        "{}",
        dash.body
    );
    assert!(
        dash.body.contains(&format!("/renovations/{id}")),
        "{}",
        dash.body
    );
    // A correction without its reason is refused; with it, kept beside the old day.
    let v = version_in(&page.body);
    let correct = |reason: &str, v: &str| {
        format!(
            "csrf={}&version={v}&milestone=construction&date=2026-10-01&reason={}",
            street.csrf,
            enc(reason)
        )
    };
    let r = t
        .post_form(
            Some(&street),
            &format!("/renovations/{id}/date"),
            &correct("", &v),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("更正须写明原因"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/renovations/{id}/date"),
            &correct("进场日期登记错误，以监理日志为准", &v),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get_as(&street, &format!("/renovations/{id}")).await;
    assert!(
        !page.body.contains("施工进场前未选定物业企业"),
        "chosen on the day the works start is in time: {}",
        page.body
    );
    assert!(page.body.contains("施工期间未试运行"), "{}", page.body);
    assert!(
        page.body.contains("进场日期登记错误，以监理日志为准"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("2026-09-30"),
        "the old day: {}",
        page.body
    );
    let audit = t
        .store
        .audit_entries(&anju_store::AuditFilter {
            entity: Some("renovation_project".into()),
            entity_id: Some(id),
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(audit.len(), 2, "recorded, then corrected");
    // 三承诺: one household on the phone form; a refusal keeps what was typed.
    let household = |house: &str, owner: &str, ticks: &str| {
        format!(
            "csrf={}&house={}&owner={}{ticks}",
            street.csrf,
            enc(house),
            enc(owner)
        )
    };
    let r = t
        .post_form(
            Some(&street),
            &format!("/renovations/{id}/households"),
            &household(" ", "张桂兰", "&demolish=1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("房号：请填写"), "{}", r.body);
    assert!(r.body.contains("张桂兰"), "kept: {}", r.body);
    let all = "&demolish=1&maintenance_fund=1&repair_fees=1";
    let r = t
        .post_form(
            Some(&street),
            &format!("/renovations/{id}/households"),
            &household("3-2-501", "张桂兰", all),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Answered again: an update, not a second household.
    let r = t
        .post_form(
            Some(&street),
            &format!("/renovations/{id}/households"),
            &household("3-2-501", "张桂兰", "&demolish=1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rows = t.store.commitments_of(id).await.expect("households");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].version, 2);
    assert!(rows[0].commitments.demolish && !rows[0].commitments.repair_fees);
    let page = t.get_as(&street, &format!("/renovations/{id}")).await;
    assert!(page.body.contains("已登记 1 户"), "{}", page.body);
    assert!(page.body.contains("（已更新）"), "{}", page.body);
    // The questionnaire: any problem imports nothing, every problem named by row and column.
    let dir = tempfile::tempdir().expect("dir");
    let bad = "房号,业主姓名,拆除违建,缴纳维修资金,缴纳物业维修费用\n3-2-502,,是,是,是\n3-2-503,,是,,否\n";
    let r = post_multipart(
        t,
        dir.path(),
        &street,
        &format!("/renovations/{id}/import"),
        &[("csrf", &street.csrf)],
        &[("file", "问卷.csv", bad.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 3 行，缴纳维修资金 (D)"), "{}", r.body);
    assert_eq!(t.store.commitments_of(id).await.expect("h").len(), 1);
    let good = "房号,业主姓名,拆除违建,缴纳维修资金,缴纳物业维修费用\n3-2-501,张桂兰,是,是,是\n3-2-502,,是,是,否\n";
    let r = post_multipart(
        t,
        dir.path(),
        &street,
        &format!("/renovations/{id}/import"),
        &[("csrf", &street.csrf)],
        &[("file", "问卷.csv", good.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 1 户，更新 1 户"), "{}", r.body);
    let rows = t.store.commitments_of(id).await.expect("households");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|h| h.house == "3-2-501" && h.commitments.all())
    );
    // A company reads the project of a compound it serves? Not this one: the contract's
    // company serves it, and the page is read-only for it.
    let company = user_session(
        t,
        "rn_wy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let r = t.get_as(&company, &format!("/renovations/{id}")).await;
    if r.status == StatusCode::OK {
        assert!(!r.body.contains("record-household"), "{}", r.body);
    }
}

both_engines!(a_fee_above_the_approved_standard_is_named_in_yuan);
async fn a_fee_above_the_approved_standard_is_named_in_yuan(t: &TestApp) {
    let w = world(t).await;
    let zj = user_session(t, "rn_zj", Role::HousingAuthority, UserScope::None).await;
    let street = user_session(t, "rn_jd2", Role::Street, UserScope::Region(STREET_A)).await;
    // The contract of the world's contract compound.
    let compound = w.inside.contract_compound;
    let contract = t
        .store
        .get_contract(w.inside.contract)
        .await
        .expect("contract");
    let fee = contract.fees.multi.expect("a multi-storey fee");
    assert!(fee.0 > 1, "{fee:?}");
    let below = anju_core::Fen(fee.0 - 1);
    let signed = contract.signed_on;
    let after = signed.tomorrow().expect("date").to_string();
    let signed = signed.to_string();
    let add = |multi: String, on: &str, doc: &str| {
        format!(
            "csrf={}&multi={multi}&doc_no={}&approved_on={on}&department={}",
            zj.csrf,
            enc(doc),
            enc("区发改局")
        )
    };
    // The street may read the page but not enter a standard.
    let r = t
        .get_as(&street, &format!("/compounds/{compound}/fee-standards"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("add-fee-standard"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/fee-standards"),
            &format!("csrf={}&multi=1.00&doc_no=x&department=y", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A standard equal to the contract's fee, approved before signing: not above.
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fee-standards"),
            &add(fee.plain(), "2026-01-01", "发改〔2026〕1号"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get_as(&zj, &format!("/compounds/{compound}/fee-standards"))
        .await;
    assert!(!page.body.contains("高于核定标准"), "{}", page.body);
    // A lower standard approved after the signing does not reach back to it.
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fee-standards"),
            &add(below.plain(), &after, "发改〔2026〕9号"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get_as(&zj, &format!("/compounds/{compound}/fee-standards"))
        .await;
    assert!(!page.body.contains("高于核定标准"), "{}", page.body);
    // Approved on the signing day itself: in force that day, and the contract is above it.
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fee-standards"),
            &add(below.plain(), &signed, "发改〔2026〕8号"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let want = format!(
        "多层 {} 元/㎡·月，高于核定标准 {} 元/㎡·月",
        fee.plain(),
        below.plain()
    );
    let page = t
        .get_as(&zj, &format!("/compounds/{compound}/fee-standards"))
        .await;
    assert!(page.body.contains(&want), "{want}: {}", page.body);
    assert!(page.body.contains("发改〔2026〕8号"), "{}", page.body);
    let page = t.get_as(&street, &format!("/compounds/{compound}")).await;
    assert!(
        page.body.contains(&want),
        "the compound page: {}",
        page.body
    );
    let dash = t.get_as(&street, "/").await;
    assert!(dash.body.contains("合同收费高于核定标准"), "{}", dash.body);
    assert!(dash.body.contains(&want), "{}", dash.body);
    // A refused form keeps what was typed.
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fee-standards"),
            &add("一块二".into(), &signed, "发改〔2026〕10号"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("发改〔2026〕10号"), "kept: {}", r.body);
}
