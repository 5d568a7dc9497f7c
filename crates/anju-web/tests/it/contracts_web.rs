//! 合同登记簿 through HTTP: a street's officer sees the contracts of its street only (the other
//! street's is not in the query), the filing counted to the chosen date (a filing recorded later
//! had not happened then), the overdue filter, a company its own contracts, and the same list as
//! an xlsx workbook.

use crate::access_matrix::sign_contract_for;
use crate::compound_page::unmanaged_in;
use crate::support::{TestApp, UserScope, both_engines, served_compound, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const A: &str = "大沁他拉街道";
const B: &str = "山城街道";

both_engines!(the_register_lists_the_streets_contracts_as_of_a_date);
async fn the_register_lists_the_streets_contracts_as_of_a_date(t: &TestApp) {
    let served_a = served_compound(t, A).await;
    let served_b = served_compound(t, B).await;
    let in_a = unmanaged_in(t, A).await;
    let in_b = unmanaged_in(t, B).await;
    // Both signed 2026-10-02: the 10 days run to 2026-10-12.
    let ka = sign_contract_for(t, &in_a, served_a.company_id.expect("co")).await;
    let kb = sign_contract_for(t, &in_b, served_b.company_id.expect("co")).await;
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(A)).await;
    let r = t.get_as(&s, "/contracts").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("href=\"/contracts\""), "the bar links it");
    assert!(r.body.contains(&in_a.compound.name), "{}", r.body);
    assert!(
        !r.body.contains(&in_b.compound.name)
            && !r.body.contains(&format!("data-contract=\"{}\"", kb.id)),
        "street B's contract is not in street A's register"
    );
    assert!(
        r.body.contains("逾期未备案（期限 2026-10-12"),
        "not filed by today: overdue\n{}",
        r.body
    );
    // As of 2026-10-05 it was still within its 10 days.
    let r = t.get_as(&s, "/contracts?as_of=2026-10-05").await;
    assert!(
        r.body.contains("待备案（期限 2026-10-12，剩 7 天）"),
        "{}",
        r.body
    );
    let r = t.get_as(&s, "/contracts?as_of=2026-10-05&overdue=1").await;
    assert!(r.body.contains("id=\"none\""), "nothing overdue then");
    // Filed late on 2026-10-20: as of 2026-10-15 it was 3 days overdue and unfiled.
    let k = t.store.get_contract(ka.id).await.expect("k");
    t.store
        .file_contract(
            &anju_store::Actor::new("test", "street"),
            ka.id,
            k.version,
            jiff::civil::date(2026, 10, 20),
        )
        .await
        .expect("file");
    let r = t.get_as(&s, "/contracts?as_of=2026-10-15&overdue=1").await;
    assert!(
        r.body
            .contains("逾期未备案（期限 2026-10-12，已逾期 3 天）"),
        "{}",
        r.body
    );
    let r = t.get_as(&s, "/contracts").await;
    assert!(
        r.body.contains("逾期备案（2026-10-20，逾期 8 天）"),
        "{}",
        r.body
    );
    // Before the contract was signed it is not in the register of that day at all.
    let r = t.get_as(&s, "/contracts?as_of=2026-09-01").await;
    assert!(r.body.contains("id=\"none\""), "{}", r.body);
    assert!(r.body.contains("<b id=\"total\">0</b>"), "{}", r.body);
    // A date that is not one names the field.
    let r = t.get_as(&s, "/contracts?as_of=2026-13-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("截至日期"), "{}", r.body);
    // The same list as a workbook.
    let r = t.get_as(&s, "/contracts/xlsx?as_of=2026-10-15").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("PK"), "an xlsx");
    assert!(
        r.headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .contains("contracts-2026-10-15.xlsx")
    );
    // The company of B's contract sees its own contract, not A's.
    let co_b = served_b.compound.company.clone().expect("company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&co_b)).await;
    let r = t.get_as(&co, "/contracts").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&in_b.compound.name), "{}", r.body);
    if served_a.company_id != served_b.company_id {
        assert!(!r.body.contains(&in_a.compound.name));
    }
}
