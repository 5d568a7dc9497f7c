//! The compound page (/compounds/{id}) through HTTP: figures on the demo data, scope (403/404),
//! the lifecycle form with evidence, refused steps keeping what was typed, CSRF, the auditor,
//! and the contract's filing deadline.

use crate::support::{Res, Session, TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_store::{CompoundFilter, EvidenceDir, StoredCompound};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const DAQINTALA: &str = "大沁他拉街道";

pub(crate) async fn compound_named(t: &TestApp, name: &str) -> StoredCompound {
    t.store
        .list_compounds(&CompoundFilter {
            search: Some(name.to_string()),
            ..CompoundFilter::default()
        })
        .await
        .expect("list")
        .into_iter()
        .find(|c| c.compound.name == name)
        .unwrap_or_else(|| panic!("no compound {name}"))
}

/// The first unmanaged (census-stage) compound of a street.
pub(crate) async fn unmanaged_in(t: &TestApp, street: &str) -> StoredCompound {
    t.store
        .list_compounds(&CompoundFilter {
            street: Some(street.to_string()),
            mode: Some(anju_core::ManagementMode::None),
            ..CompoundFilter::default()
        })
        .await
        .expect("list")
        .into_iter()
        .next()
        .expect("an unmanaged compound")
}

/// A multipart/form-data body: text fields, then files (field, file name, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----anjutestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends a request to the app with evidence stored under `dir`.
async fn send_with_dir(t: &TestApp, dir: &std::path::Path, req: Request<Body>) -> Res {
    let res = anju_web::app(t.state.clone())
        .layer(axum::Extension(EvidenceDir::new(dir)))
        .oneshot(req)
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Res {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

async fn post_multipart(
    t: &TestApp,
    dir: &std::path::Path,
    s: &Session,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Res {
    let (ct, body) = multipart(fields, files);
    send_with_dir(
        t,
        dir,
        Request::post(uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

both_engines!(the_compound_page_shows_the_ledger_facts_and_sections);
async fn the_compound_page_shows_the_ledger_facts_and_sections(t: &TestApp) {
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let c = compound_named(t, "台联小区").await;
    // Two months of fees: 5,100.00 of 6,000.00 (85.00 %) and 4,500.00 of 6,000.00 (75.00 %);
    // together 9,600.00 of 12,000.00 = 80.00 %.
    for (m, billed, collected) in [("2026-09", "6000", "5100"), ("2026-10", "6000", "4500")] {
        t.store
            .set_fee_month(
                &anju_store::Actor::new("test", "company"),
                &anju_store::FeeInput {
                    compound_id: c.id,
                    month: anju_core::fees::Month::parse(m).expect("month"),
                    billed: anju_core::Fen::parse_yuan(billed).expect("yuan"),
                    collected: anju_core::Fen::parse_yuan(collected).expect("yuan"),
                },
                None,
            )
            .await
            .expect("fees");
    }
    let r = t.get_as(&admin, &format!("/compounds/{}", c.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let html = &r.body;
    assert!(html.contains("<h2>台联小区</h2>"), "{html}");
    // Every ledger field is on the page, numbers grouped.
    for label in [
        "小区名称",
        "街道",
        "社区",
        "建筑面积",
        "户数",
        "物业管理方式",
        "业主组织",
        "统一社会信用代码",
        "基础设施",
        "备注",
    ] {
        assert!(html.contains(&format!("<dt>{label}</dt>")), "{label}");
    }
    if let Some(h) = c.compound.households {
        let grouped = anju_core::money::group_thousands(u64::from(h));
        assert!(
            html.contains(&format!("<dd>{grouped}</dd>")),
            "households {grouped}"
        );
    }
    if let Some(a) = c.compound.area {
        assert!(html.contains(&a.display_m2()), "area in ㎡");
    }
    for section in [
        "全覆盖路径时间线",
        "物业服务合同",
        "考核",
        "巡查与整改",
        "投诉",
        "满意度调查",
        "物业费收缴",
        "收支公示",
        "审计记录",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(
        html.contains("应收 12,000.00 元，实收 9,600.00 元，收缴率 80.00 %"),
        "cumulative collection: {html}"
    );
    assert!(
        html.contains("<td>2026-09</td><td>6,000.00 元</td><td>5,100.00 元</td><td>85.00 %</td>")
    );
    assert!(html.contains("<td>75.00 %</td>"));
    // The administrator sees the forms; English is one switch away.
    assert!(html.contains("推进下一步"));
    let en = t
        .get_as(&admin, &format!("/compounds/{}?lang=en", c.id))
        .await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Ledger facts") && en.body.contains("Path to coverage"));

    // Unknown id: 404 page.
    let r = t.get_as(&admin, "/compounds/987654321").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("找不到"), "{}", r.body);

    // The ledger rows link to the page.
    let r = t.get_as(&admin, "/ledger?q=%E5%8F%B0%E8%81%94").await;
    assert!(
        r.body
            .contains(&format!("<a href=\"/compounds/{}\">台联小区</a>", c.id)),
        "{}",
        r.body
    );
    // A compound can also be found by street and name.
    let street = enc(&c.compound.street);
    let r = t
        .get_as(
            &admin,
            &format!("/compounds/find?street={street}&name={}", enc("台联小区")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/compounds/{}", c.id));
}

both_engines!(a_street_officer_cannot_open_another_streets_compound);
async fn a_street_officer_cannot_open_another_streets_compound(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let other = compound_named(t, "台联小区").await;
    assert_ne!(other.compound.street, DAQINTALA);
    let r = t.get_as(&s, &format!("/compounds/{}", other.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不在您的管辖范围内"), "{}", r.body);
    assert!(r.body.contains("<html"), "a page, not JSON");
    // Nor through the name lookup, nor in the ledger.
    let r = t
        .get_as(
            &s,
            &format!(
                "/compounds/find?street={}&name={}",
                enc(&other.compound.street),
                enc("台联小区")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.get_as(&s, "/ledger?q=%E5%8F%B0%E8%81%94").await;
    assert!(!r.body.contains("台联小区"));
    // Its own street's compound opens, with the forms of a street office.
    let mine = unmanaged_in(t, DAQINTALA).await;
    let r = t.get_as(&s, &format!("/compounds/{}", mine.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("推进下一步"));
    // A street office may not read the audit log.
    assert!(!r.body.contains("审计记录"));
}

both_engines!(a_company_user_cannot_open_another_companys_compound);
async fn a_company_user_cannot_open_another_companys_compound(t: &TestApp) {
    let all = t
        .store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let with_company: Vec<_> = all.iter().filter(|c| c.company_id.is_some()).collect();
    let mine = with_company[0];
    let theirs = with_company
        .iter()
        .find(|c| c.company_id != mine.company_id)
        .expect("a compound of another company");
    let company = mine.compound.company.clone().expect("company name");
    let s = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let r = t.get_as(&s, &format!("/compounds/{}", mine.id)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        !r.body.contains("推进下一步"),
        "a company does not advance the path"
    );
    let r = t.get_as(&s, &format!("/compounds/{}", theirs.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_engines!(advancing_through_the_form_changes_the_stage_and_the_timeline);
async fn advancing_through_the_form_changes_the_stage_and_the_timeline(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let c = unmanaged_in(t, DAQINTALA).await;
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(page.body.contains("调查摸底"), "census stage");
    assert!(
        page.body.contains("value=\"consult\""),
        "consult is offered"
    );
    assert!(
        !page.body.contains("value=\"enter\""),
        "entry is not offered"
    );

    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &format!("/compounds/{}/advance", c.id),
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "consult"),
            ("date", "2026-11-20"),
            ("note", "三承诺问卷已发放"),
        ],
        &[("evidence", "问卷.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/compounds/{}", c.id));

    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    let html = &page.body;
    assert!(html.contains("<b id=\"stage\">已征求意见</b>"), "{html}");
    assert!(html.contains("2026-11-20"), "the step's date");
    assert!(html.contains("「三承诺问卷已发放」"), "the note");
    assert!(html.contains("jiedao"), "the actor");
    let sha = anju_store::sha256_hex(PNG);
    let link = format!("/evidence/{sha}?compound={}", c.id);
    assert!(html.contains(&link), "evidence link");

    // The evidence file is served to who may see the compound, typed by its content.
    let file = send_with_dir(
        t,
        dir.path(),
        Request::get(&link)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "image/png");
    // … and not to an officer of another street.
    let other = user_session(
        t,
        "liaocheng",
        Role::Street,
        UserScope::Region(&compound_named(t, "台联小区").await.compound.street),
    )
    .await;
    let file = send_with_dir(
        t,
        dir.path(),
        Request::get(&link)
            .header(header::COOKIE, &other.cookie)
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(file.status, StatusCode::FORBIDDEN);
    let file = send_with_dir(
        t,
        dir.path(),
        Request::get(format!("/evidence/{sha}"))
            .header(header::COOKIE, &other.cookie)
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(
        file.status,
        StatusCode::NOT_FOUND,
        "a link must name its compound"
    );

    // The timeline names each file and draws each photo small: a real photo's thumbnail is a
    // JPEG of at most 320 px; a picture that does not decode has none (its name is shown).
    assert!(html.contains(">问卷.png</span>"), "the file's name: {html}");
    let get = |uri: String, who: &crate::support::Session| {
        let req = Request::get(uri)
            .header(header::COOKIE, &who.cookie)
            .body(Body::empty())
            .expect("req");
        let dir = dir.path().to_path_buf();
        async move { crate::ledger_page::send_raw(t, &dir, req).await }
    };
    let (r, _) = get(format!("{link}&thumb=1"), &s).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a broken PNG has no thumbnail"
    );
    let mut photo = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        1200,
        900,
        image::Rgb([20, 120, 200]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut photo),
        image::ImageFormat::Png,
    )
    .expect("png");
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &format!("/compounds/{}/advance", c.id),
        &[
            ("csrf", &s.csrf),
            ("version", "1"),
            ("to", "decide_mode"),
            ("mode", "professional"),
            ("date", "2026-11-21"),
        ],
        &[("evidence", "业主表决照片.png", &photo)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sha = anju_store::sha256_hex(&photo);
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    let thumb = format!("/evidence/{sha}?compound={}&thumb=1", c.id);
    assert!(
        page.body
            .contains(&format!("<img src=\"{}\"", thumb.replace('&', "&#38;")))
            || page
                .body
                .contains(&format!("<img src=\"{}\"", thumb.replace('&', "&amp;"))),
        "{}",
        page.body
    );
    let (r, bytes) = get(thumb.clone(), &s).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/jpeg");
    let small = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((small.width(), small.height()), (320, 240));
    // Kept: the second request is answered from the cache beside the files.
    assert!(
        dir.path()
            .join("thumbs")
            .join(format!("{sha}.jpg"))
            .exists()
    );
    // An officer of another street gets no thumbnail either.
    let (r, _) = get(thumb, &other).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_engines!(a_refused_step_keeps_the_typed_note_and_shows_the_reason);
async fn a_refused_step_keeps_the_typed_note_and_shows_the_reason(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let c = unmanaged_in(t, DAQINTALA).await;
    let uri = format!("/compounds/{}/advance", c.id);
    // Formal entry straight from the census: the core rules refuse it.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "enter"),
            ("note", "物业已经进场了"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("物业已经进场了"), "the note is kept");
    assert!(r.body.contains("id=\"advance-error\""), "{}", r.body);
    assert!(
        r.body.contains("调查摸底"),
        "the reason names the stage: {}",
        r.body
    );
    assert_eq!(t.store.lifecycle(c.id).await.expect("lc").steps.len(), 0);

    // The mode decision without a mode names the field.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "decide_mode"),
            ("note", "待定"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("管理模式：请选择"), "{}", r.body);
    assert!(r.body.contains("待定"));

    // A file that is not an image or PDF is refused by its content, the note kept.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "consult"),
            ("note", "附件"),
        ],
        &[("evidence", "evil.png", b"MZ\x90\0 not a picture")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不是可接受的文件类型"), "{}", r.body);
    assert!(r.body.contains("附件"));
    // Over the 20 MiB limit (by one byte): refused by size, in Chinese.
    let mut big = PNG.to_vec();
    big.resize(20 * 1024 * 1024 + 1, 0);
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "consult"),
            ("note", "大文件"),
        ],
        &[("evidence", "scan.png", &big)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("超过上限 20 MiB"), "{}", r.body);
    assert!(r.body.contains("大文件"));
    // The reason in English when the page is read in English.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &format!("{uri}?lang=en"),
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "enter"),
            ("note", "kept"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Record the next step") && r.body.contains(">kept</textarea>"));

    // A stale page: the Chinese conflict message.
    let ok = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[("csrf", &s.csrf), ("version", "0"), ("to", "consult")],
        &[],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[
            ("csrf", &s.csrf),
            ("version", "0"),
            ("to", "consult"),
            ("note", "重复"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已被他人修改"), "{}", r.body);
}

both_engines!(forms_without_csrf_and_auditor_posts_are_refused);
async fn forms_without_csrf_and_auditor_posts_are_refused(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let c = unmanaged_in(t, DAQINTALA).await;
    let uri = format!("/compounds/{}/advance", c.id);
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[("version", "0"), ("to", "consult")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("CSRF"), "{}", r.body);
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        &uri,
        &[("csrf", "forged"), ("version", "0"), ("to", "consult")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.store.lifecycle(c.id).await.expect("lc").steps.len(), 0);

    let a = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    let page = t.get_as(&a, &format!("/compounds/{}", c.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("审计记录"),
        "the auditor reads the audit history"
    );
    assert!(
        !page.body.contains("推进下一步"),
        "no forms for the auditor"
    );
    let r = post_multipart(
        t,
        dir.path(),
        &a,
        &uri,
        &[("csrf", &a.csrf), ("version", "0"), ("to", "consult")],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_form(
            Some(&a),
            &format!("/compounds/{}/file", c.id),
            &format!("csrf={}&contract_id=1&version=1", a.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A community officer may advance but not file contracts.
    assert_eq!(t.store.lifecycle(c.id).await.expect("lc").steps.len(), 0);
}

/// Walks a compound to 选定企业 through the form and signs a contract through the store,
/// signed on `signed_on`.
pub(crate) async fn signed_contract(
    t: &TestApp,
    dir: &std::path::Path,
    s: &Session,
    c: &StoredCompound,
    signed_on: jiff::civil::Date,
) -> anju_store::ContractRecord {
    let company = t.store.list_companies().await.expect("companies")[0].clone();
    let uri = format!("/compounds/{}/advance", c.id);
    let company_id = company.id.to_string();
    let steps: [&[(&str, &str)]; 4] = [
        &[("to", "consult")],
        &[("to", "decide_mode"), ("mode", "professional")],
        &[("to", "settle_owners"), ("body", "owners_committee")],
        &[("to", "select_company"), ("company", &company_id)],
    ];
    for step in steps {
        let v = t
            .store
            .lifecycle(c.id)
            .await
            .expect("lc")
            .version
            .to_string();
        let mut fields = vec![
            ("csrf", s.csrf.as_str()),
            ("version", v.as_str()),
            ("date", "2026-10-01"),
        ];
        fields.extend_from_slice(step);
        let r = post_multipart(t, dir, s, &uri, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{step:?}: {}", r.body);
    }
    t.store
        .sign_contract(
            &anju_store::Actor::new("test", "street"),
            &anju_store::NewContract {
                compound_ids: vec![c.id],
                company_id: company.id,
                signer: anju_core::lifecycle::Signer::OwnersBody,
                signer_name: Some("业主委员会".into()),
                signed_on,
                entry_on: None,
                term: anju_core::contract::Term::years(3),
                service_level: anju_core::contract::ServiceLevel::new(2).expect("level"),
                min_level: None,
                fees: anju_core::contract::Fees::LIAOCHENG_2021,
                served_area: c.compound.area.unwrap_or(anju_core::Area::ZERO),
                notice_on: None,
            },
        )
        .await
        .expect("sign")
}

both_engines!(the_contract_shows_its_filing_deadline_and_is_filed_through_the_form);
async fn the_contract_shows_its_filing_deadline_and_is_filed_through_the_form(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let c = unmanaged_in(t, DAQINTALA).await;
    // Signed 2026-10-02: 10 days from the next day, the deadline is 2026-10-12 (long past).
    let k = signed_contract(t, dir.path(), &s, &c, jiff::civil::date(2026, 10, 2)).await;
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body.contains("逾期未备案（期限 2026-10-12"),
        "{}",
        page.body
    );
    assert!(page.body.contains("badge overdue"));
    assert!(
        page.body.contains("签订物业服务合同"),
        "the signing is in the timeline"
    );

    // Filing without a date that parses names the field and keeps the page.
    let r = t
        .post_form(
            Some(&s),
            &format!("/compounds/{}/file", c.id),
            &format!(
                "csrf={}&contract_id={}&version={}&date=13%2F10",
                s.csrf, k.id, k.version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("日期：“13/10”不是有效日期"), "{}", r.body);

    let r = t
        .post_form(
            Some(&s),
            &format!("/compounds/{}/file", c.id),
            &format!(
                "csrf={}&contract_id={}&version={}&date=2026-10-13",
                s.csrf, k.id, k.version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body.contains("逾期备案（2026-10-13，逾期 1 天）"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("合同备案"),
        "the filing is in the timeline"
    );

    // The owners' dismissal survey: 50 % dissatisfied is not more than half; 50.1 % is.
    let dismissal = |owners: &str, respondents: &str, dissatisfied: &str| {
        format!(
            "csrf={}&contract_id={}&version={}&owners={owners}&respondents={respondents}&dissatisfied={dissatisfied}&date=2026-11-20",
            s.csrf, k.id, k.version
        )
    };
    let uri = format!("/compounds/{}/dismissal", c.id);
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body
            .contains(&format!("id=\"dismissal-form-{}\"", k.id)),
        "{}",
        page.body
    );
    let r = t
        .post_form(Some(&s), &uri, &dismissal("1000", "900", "901"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不满意人数"), "{}", r.body);
    assert!(r.body.contains("value=\"1000\""), "what was typed is kept");
    let r = t
        .post_form(Some(&s), &uri, &dismissal("1000", "十", "1"))
        .await;
    assert!(r.body.contains("参与调查人数：“十”不是整数"), "{}", r.body);
    for (dissatisfied, words) in [
        ("500", "未超过50%：不构成解聘条件"),
        ("501", "超过50%：已提出解聘提议"),
    ] {
        let r = t
            .post_form(Some(&s), &uri, &dismissal("1000", "900", dissatisfied))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
        assert!(
            page.body.contains(&format!(
                "2026-11-20：参与 900/1000 户，不满意 {dissatisfied} 户"
            )) && page.body.contains(words),
            "{}",
            page.body
        );
    }

    // Terminating needs a reason; the error names it.
    let k = t.store.get_contract(k.id).await.expect("k");
    let r = t
        .post_form(
            Some(&s),
            &format!("/compounds/{}/terminate", c.id),
            &format!(
                "csrf={}&contract_id={}&version={}&kind=exit&reason=",
                s.csrf, k.id, k.version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("终止原因：请填写"));
}

/// A reviewer commissions a third-party evaluator from the compound's page (the evaluator
/// accounts offered by name); the evaluator may then open the scoring form, which it could not
/// before. A blank name is refused on the page, a street office is not offered the form.
#[tokio::test]
async fn an_evaluator_is_commissioned_from_the_compound_page() {
    let t = TestApp::with_demo().await;
    let w = crate::access_matrix::world(&t).await;
    let id = w.inside.compound.id;
    let zj = user_session(&t, "zj", Role::HousingAuthority, UserScope::None).await;
    let cp = user_session(&t, "cp", Role::Evaluator, UserScope::None).await;
    let jd = user_session(
        &t,
        "jd",
        Role::Street,
        UserScope::Region(crate::access_matrix::STREET_A),
    )
    .await;
    let page = format!("/compounds/{id}");
    let form = format!("/assessments/new?compound={id}");
    assert_eq!(t.get_as(&cp, &form).await.status, StatusCode::FORBIDDEN);

    let r = t.get_as(&zj, &page).await;
    assert!(r.body.contains("id=\"commission\""), "{}", r.body);
    assert!(
        r.body.contains("<option value=\"cp\">"),
        "the evaluator offered: {}",
        r.body
    );
    assert!(
        !t.get_as(&jd, &page)
            .await
            .body
            .contains("id=\"commission\"")
    );

    let uri = format!("{page}/evaluators");
    let r = t
        .post_form(Some(&zj), &uri, &format!("csrf={}&evaluator=+", zj.csrf))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("测评机构"), "{}", r.body);
    let r = t
        .post_form(Some(&zj), &uri, &format!("csrf={}&evaluator=cp", zj.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&zj, &page).await;
    assert!(r.body.contains("受委托的第三方测评机构：cp"), "{}", r.body);
    assert_eq!(t.get_as(&cp, &form).await.status, StatusCode::OK);
    // A street office may not commission.
    let r = t
        .post_form(Some(&jd), &uri, &format!("csrf={}&evaluator=cp", jd.csrf))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

/// The path no longer stops at 已选定物业企业: the street signs the contract on the compound's
/// page with the company the path selected; a missing signer is refused with the form again;
/// the stage moves on to 已签订合同 and the contract is listed, ready to file.
#[tokio::test]
async fn a_contract_is_signed_on_the_compound_page() {
    use anju_core::lifecycle::Event;
    use anju_core::{ManagementMode, OwnersBody};
    use anju_store::{Actor, StepRequest};
    let t = TestApp::with_demo().await;
    let actor = Actor::new("test", "admin");
    let s = &t.store;
    let c = s
        .list_compounds(&CompoundFilter {
            street: Some("大沁他拉街道".into()),
            mode: Some(ManagementMode::None),
            ..CompoundFilter::default()
        })
        .await
        .expect("list")
        .into_iter()
        .next()
        .expect("an unmanaged compound");
    let co = s
        .upsert_company(&actor, "网页签约物业", None)
        .await
        .expect("company");
    let today = anju_app::today_in_china();
    for event in [
        Event::Consult,
        Event::DecideMode {
            mode: ManagementMode::Professional,
        },
        Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        Event::SelectCompany { company_id: co },
    ] {
        let v = s.lifecycle(c.id).await.expect("lifecycle").version;
        s.advance(&actor, c.id, v, &StepRequest::new(event, today))
            .await
            .expect("step");
    }
    let jd = user_session(&t, "jd", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let page = format!("/compounds/{}", c.id);
    let r = t.get_as(&jd, &page).await;
    assert!(
        r.body.contains("id=\"sign-form\"") && r.body.contains("网页签约物业"),
        "{}",
        r.body
    );
    let uri = format!("{page}/sign");
    let r = t
        .post_form(
            Some(&jd),
            &uri,
            &format!("csrf={}&years=3&level=2", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("签约方"), "{}", r.body);
    let r = t
        .post_form(
            Some(&jd),
            &uri,
            &format!(
                "csrf={}&signer=owners_body&years=3&level=2&fee_multi=0.90",
                jd.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&jd, &page).await;
    assert!(r.body.contains("已签订合同"), "{}", r.body);
    assert!(
        !r.body.contains("id=\"sign-form\""),
        "signed once: {}",
        r.body
    );
    let k = s.list_contracts(Some(c.id)).await.expect("contracts");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].company_id, co);
    assert_eq!(k[0].term.months, 36);
    assert_eq!(k[0].fees.multi, Some(anju_core::Fen(90)));
    // A company account is not offered the form and may not sign.
    let r = t
        .post_form(
            Some(&user_session(&t, "qy", Role::Company, UserScope::Company("网页签约物业")).await),
            &uri,
            "csrf=x&signer=owners_body&years=3&level=2",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
