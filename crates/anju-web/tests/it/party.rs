//! Red property through the pages (issue 19 item 3): the community records a 三方联动议事会 for
//! October and November (the organisation pages), a 党支部, a company head on the 两委 and a
//! 征询; the assessment form for 2026Q4 shows the party items counted from them (item 7: one
//! month missed, December) marked 据记录, the saved assessment scores them, and a count typed
//! over the records' is kept and marked 手工填写.

use crate::access_matrix::world;
use crate::ledger_page::post_multipart;
use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_policy::rubric::CountOrigin;
use axum::http::StatusCode;
use rust_decimal::Decimal;

fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/assessments/")
        .split(['?', '/'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

both_engines!(the_party_items_are_scored_from_records);
async fn the_party_items_are_scored_from_records(t: &TestApp) {
    let w = world(t).await;
    let s = &t.store;
    let compound = w.inside.compound.id;
    let street_id = w.inside.street_region;
    let community_id = s
        .list_regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == w.community && r.parent_id == Some(street_id))
        .expect("the community")
        .id;
    let community = user_session(t, "p_sq", Role::Community, UserScope::Region(&w.community)).await;
    for (held_on, title) in [
        ("2026-10-15", "十月三方联动议事会"),
        ("2026-11-30", "十一月三方联动议事会"),
    ] {
        let r = t
            .post_form(
                Some(&community),
                "/organisation/meetings/new",
                &format!(
                    "csrf={}&region={community_id}&kind=tripartite&title={}&held_on={held_on}&attendees={}&minutes={}",
                    community.csrf,
                    enc(title),
                    enc("社区书记、业委会主任、物业项目经理"),
                    enc("商定楼道清理时间"),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // The compound page links the records; the community adds three.
    let page = t
        .get_as(&community, &format!("/compounds/{compound}"))
        .await;
    assert!(
        page.body.contains(&format!("/compounds/{compound}/party")),
        "{}",
        page.body
    );
    let add = |fields: String| {
        let csrf = community.csrf.clone();
        let c = &community;
        async move {
            t.post_form(
                Some(c),
                &format!("/compounds/{compound}/party"),
                &format!("csrf={csrf}&{fields}"),
            )
            .await
        }
    };
    let r = add(format!(
        "kind=branch&name={}&members=3&started_on=2026-10-08",
        enc("阳光物业项目党支部")
    ))
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = add(format!(
        "kind=head_in_committee&name={}&started_on=2026-10-09",
        enc("王经理")
    ))
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A 征询 with more rectified than suggested is refused, what was typed kept.
    let r = add("kind=consultation&suggestions=3&rectified=4&started_on=2026-11-20".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("已整改（条）：须在 0 至 3 之间"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"2026-11-20\""), "{}", r.body);
    let r = add("kind=consultation&suggestions=3&rectified=2&started_on=2026-11-20".into()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = t
        .get_as(&community, &format!("/compounds/{compound}/party"))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("阳光物业项目党支部"), "{}", list.body);
    assert!(
        list.body.contains("合理化建议 3，已整改 2"),
        "{}",
        list.body
    );

    // The assessment form for 2026Q4, pre-filled from the records.
    let street = user_session(
        t,
        "p_jd",
        Role::Street,
        UserScope::Region(crate::access_matrix::STREET_A),
    )
    .await;
    let uri = format!("/assessments/new?compound={compound}&period=2026Q4");
    let form = t.get_as(&street, &uri).await;
    assert_eq!(form.status, StatusCode::OK);
    for want in [
        "据记录",
        "name=\"d.7.tripartite_meeting_missed\" value=\"1\"",
        "未召开三方联动议事会的月份：2026-12",
        "name=\"d.8.cross_appointment_lacking\" value=\"1\"",
        "name=\"d.6.party_org_lacking\" value=\"0\"",
        "name=\"d.9.suggestion_not_rectified\" value=\"1\"",
        "name=\"party_from_records\" value=\"1\"",
    ] {
        assert!(form.body.contains(want), "{want}: {}", form.body);
    }
    // Saved as the browser sends it: item 7 −0.5, item 8 −5, item 9 −0.5 → 94.
    let dir = tempfile::tempdir().expect("dir");
    let post = uri.replace("&period=2026Q4", "");
    let send = |cross: &'static str| {
        let dir = dir.path().to_path_buf();
        let post = post.clone();
        let street = &street;
        async move {
            post_multipart(
                t,
                &dir,
                street,
                &post,
                &[
                    ("csrf", &street.csrf),
                    ("party_from_records", "1"),
                    ("period", "2026Q4"),
                    ("d.6.party_org_lacking", "0"),
                    ("d.7.tripartite_meeting_missed", "1"),
                    ("d.8.cross_appointment_lacking", cross),
                    ("d.9.consultation_not_held", "0"),
                    ("d.9.suggestion_not_rectified", "1"),
                    ("rate", "85%"),
                    ("action", "draft"),
                ],
                &[],
            )
            .await
        }
    };
    let r = send("1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = s
        .get_assessment(id_from(r.location()))
        .await
        .expect("saved");
    assert_eq!(a.score, Decimal::from(94), "{:?}", a.scorecard);
    let src = &a.scorecard.sources;
    assert_eq!(src.len(), 5, "{src:?}");
    assert!(
        src.values().all(|s| s.origin == CountOrigin::Records),
        "{src:?}"
    );
    assert_eq!(src["tripartite_meeting_missed"].count, 1);
    let shown = t.get_as(&street, &format!("/assessments/{}", a.id)).await;
    assert!(
        shown
            .body
            .contains("据记录：1 次（未召开三方联动议事会的月份：2026-12）"),
        "{}",
        shown.body
    );

    // The assessor types 0 over the records' 1 for item 8: kept, marked typed → 99.
    let r = send("0").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = s
        .get_assessment(id_from(r.location()))
        .await
        .expect("saved");
    assert_eq!(b.score, Decimal::from(99), "{:?}", b.scorecard);
    let cross = &b.scorecard.sources["cross_appointment_lacking"];
    assert_eq!(cross.origin, CountOrigin::Typed);
    assert_eq!((cross.records, cross.count), (1, 0));
    let shown = t.get_as(&street, &format!("/assessments/{}", b.id)).await;
    assert!(
        shown.body.contains("手工填写：0 次（记录计 1 次"),
        "{}",
        shown.body
    );
}
