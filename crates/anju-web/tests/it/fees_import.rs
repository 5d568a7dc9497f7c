//! 导入物业费收缴表 through HTTP: a company uploads a fee sheet of its compound (two months),
//! sees what was written and the months on the compound page; a sheet naming a compound outside
//! its area writes nothing and names the row; a per-household sheet fills the households page,
//! arrears summed; a street officer reads the households page but may not import.

use crate::ledger_page::post_multipart;
use crate::support::{TestApp, UserScope, both_engines, served_compound, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const A: &str = "大沁他拉街道";
const B: &str = "山城街道";

both_engines!(a_company_imports_its_fee_sheet_in_the_browser);
async fn a_company_imports_its_fee_sheet_in_the_browser(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let mine = served_compound(t, A).await;
    let other = served_compound(t, B).await;
    let company = mine.compound.company.clone().expect("company");
    let s = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let r = t.get_as(&s, &format!("/compounds/{}/fees", mine.id)).await;
    assert!(
        r.body.contains("href=\"/fees/import\""),
        "the fee page links it"
    );
    let r = t.get_as(&s, "/fees/import").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("action=\"/fees/import\""), "{}", r.body);
    let name = &mine.compound.name;
    let street = &mine.compound.street;
    let sheet = format!(
        "小区名称,所属街道,月份,应收,实收\n{name},{street},2026-09,\"10,000.00\",9000\n{name},{street},2026-10,10000,9500.50\n"
    );
    let up = |csv: String| {
        let csrf = s.csrf.clone();
        let dir = dir.path().to_path_buf();
        let s = s.clone();
        async move {
            post_multipart(
                t,
                &dir,
                &s,
                "/fees/import",
                &[("csrf", &csrf)],
                &[("file", "收缴表.csv", csv.as_bytes())],
            )
            .await
        }
    };
    let r = up(sheet).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("已导入 2 行：新增 2，更新 0，未变 0"),
        "{}",
        r.body
    );
    let page = t.get_as(&s, &format!("/compounds/{}/fees", mine.id)).await;
    assert!(page.body.contains("9,500.50 元"), "{}", page.body);
    // A compound outside the company's area: nothing written, the row named.
    let bad = format!(
        "小区名称,所属街道,月份,应收,实收\n{name},{street},2026-08,100,100\n{},{},2026-08,100,100\n",
        other.compound.name, other.compound.street
    );
    let r = up(bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("未导入任何数据"), "{}", r.body);
    assert!(
        r.body.contains(&format!(
            "<td class=\"num\">3</td><td></td><td></td><td>台账中没有小区“{}”</td>",
            other.compound.name
        )),
        "{}",
        r.body
    );
    let months = t.store.fee_months(mine.id, None).await.expect("months");
    assert_eq!(
        months.len(),
        2,
        "the good row of the refused sheet was not written"
    );
    // Per household: the households page lists those in arrears, summed.
    let households = format!(
        "小区名称,所属街道,户号,月份,应收,实收\n{name},{street},1-1-101,2026-11,100,100\n{name},{street},1-1-102,2026-11,100,40\n{name},{street},2-1-301,2026-11,120.5,0\n"
    );
    let r = up(households).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("已导入按户明细 3 行"), "{}", r.body);
    let street_s = user_session(t, "jiedao", Role::Street, UserScope::Region(A)).await;
    let compound = t
        .get_as(&street_s, &format!("/compounds/{}", mine.id))
        .await;
    assert!(
        compound
            .body
            .contains(&format!("href=\"/compounds/{}/households\"", mine.id))
    );
    let r = t
        .get_as(&street_s, &format!("/compounds/{}/households", mine.id))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<b id=\"owing\">2</b>"), "{}", r.body);
    assert!(r.body.contains("180.50 元"), "60 + 120.50: {}", r.body);
    assert!(!r.body.contains("1-1-101"), "paid in full: not listed");
    let r = t
        .get_as(
            &street_s,
            &format!("/compounds/{}/households?show=all&period=2026-11", mine.id),
        )
        .await;
    assert!(r.body.contains("1-1-101") && r.body.contains("<b id=\"households\">3</b>"));
    let r = t
        .get_as(
            &street_s,
            &format!("/compounds/{}/households?period=2026-13", mine.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("期间"), "{}", r.body);
    // The street reads, but fees are the company's to enter.
    let r = t.get_as(&street_s, "/fees/import").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
