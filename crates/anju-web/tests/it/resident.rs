//! Resident pages without login: the survey by its link or QR code, the compound's public page
//! with its complaint form, and the printable QR sheet.

use anju_core::accounts::EntryKind;
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::lifecycle::{Event, Signer};
use anju_core::oversight::ComplaintSource;
use anju_core::{Area, Fen, Lang, ManagementMode, OwnersBody};
use anju_store::{
    Actor, ComplaintFilter, IssuedToken, NewAccountEntry, NewContract, NewSurvey, StepRequest,
    Store, Survey, SurveyRule,
};
use anju_web::{AppState, app, survey_qr_sheet};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::date;
use tower::ServiceExt;

struct Resident {
    _dir: tempfile::TempDir,
    state: AppState,
    store: Store,
    /// 台联小区 and 明珠苑 (Liaocheng demo compounds).
    a: i64,
    b: i64,
}

fn officer() -> Actor {
    Actor::new("街道办 王科长", "street")
}

impl Resident {
    async fn new() -> Resident {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("web.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store
            .apply_ledger(&officer(), &anju_demo::demo_ledger(), date(2026, 11, 22))
            .await
            .expect("demo loads");
        let all = store
            .list_compounds(&Default::default())
            .await
            .expect("compounds");
        let id = |n: &str| {
            all.iter()
                .find(|c| c.compound.name == n)
                .expect("demo compound")
                .id
        };
        let (a, b) = (id("台联小区"), id("明珠苑"));
        Resident {
            _dir: dir,
            state: AppState::new(anju_app::App::new(store.clone()), true),
            store,
            a,
            b,
        }
    }

    fn store(&self) -> &Store {
        &self.store
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, String, Option<String>) {
        let res = app(self.state.clone())
            .oneshot(req)
            .await
            .expect("response");
        let status = res.status();
        let ctype = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned(), ctype)
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let req = Request::get(uri)
            .header(header::HOST, "anju.test:8080")
            .body(Body::empty())
            .expect("request");
        let (s, b, _) = self.send(req).await;
        (s, b)
    }

    async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post(uri)
            .header(header::HOST, "anju.test:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let (s, b, _) = self.send(req).await;
        (s, b)
    }

    async fn survey(&self, compound: i64, tokens: u32) -> (Survey, Vec<IssuedToken>) {
        self.store()
            .create_survey(
                &officer(),
                &NewSurvey {
                    compound_id: compound,
                    period: "2026H2".into(),
                    starts_on: None,
                    ends_on: None,
                    rule: SurveyRule::Erqi,
                    households: Some(30),
                    tokens: Some(tokens),
                },
            )
            .await
            .expect("survey")
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn survey_link_shows_the_compound_and_takes_one_answer() {
    let t = Resident::new().await;
    let (survey, tokens) = t.survey(t.a, 3).await;
    let link = format!("/s/{}", tokens[0].token);

    let (status, html) = t.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("台联小区"), "compound name");
    assert!(
        html.contains("您对本小区的物业服务是否满意"),
        "the question"
    );
    assert!(html.contains("width=device-width"), "phone viewport");
    assert!(
        html.contains(&format!("http://anju.test:8080/s/{}", tokens[0].token)),
        "the absolute link under the QR code, from the Host header"
    );
    assert!(html.contains("<svg"), "QR code inline");
    let (_, en) = t.get(&format!("{link}?lang=en")).await;
    assert!(en.contains("Are you satisfied with the property service"));

    // The QR code alone, as SVG.
    let (status, svg, ctype) = t
        .send(
            Request::get(format!("{link}/qr.svg"))
                .header(header::HOST, "anju.test:8080")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype.as_deref(), Some("image/svg+xml; charset=utf-8"));
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));

    // No choice made: refused, the field named, the comment kept.
    let (status, html) = t.post(&link, &[("comment", "楼道灯坏了")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请选择“是否满意”"), "{html}");
    assert!(html.contains("楼道灯坏了"), "what was typed is kept");
    assert_eq!(
        t.store()
            .survey_result(survey.id)
            .await
            .expect("r")
            .responses,
        0
    );

    // Answered once.
    let (status, html) = t
        .post(
            &link,
            &[
                ("satisfied", "no"),
                ("score", "2"),
                ("comment", "楼道灯坏了"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("提交成功"));
    let r = t.store().survey_result(survey.id).await.expect("result");
    assert_eq!((r.responses, r.satisfied, r.dissatisfied), (1, 0, 1));

    // Second use refused with a clear message; still one response.
    let (status, html) = t.post(&link, &[("satisfied", "yes")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        html.contains("该问卷链接已使用过，每户只能提交一次"),
        "{html}"
    );
    let (_, html) = t.get(&link).await;
    assert!(html.contains("已使用过") && !html.contains("<form"));
    let (_, en) = t
        .post(&format!("{link}?lang=en"), &[("satisfied", "yes")])
        .await;
    assert!(en.contains("already been used"), "{en}");
    assert_eq!(
        t.store()
            .survey_result(survey.id)
            .await
            .expect("r")
            .responses,
        1
    );

    // A token only for its own compound.
    let (status, html) = t
        .post(
            &format!("/s/{}", tokens[1].token),
            &[("compound", &t.b.to_string()), ("satisfied", "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        html.contains("无权操作") && html.contains("不属于该小区"),
        "{html}"
    );

    // A closed survey takes no answer.
    let s = t.store().get_survey(survey.id).await.expect("survey");
    t.store()
        .close_survey(&officer(), s.id, s.version)
        .await
        .expect("close");
    let (status, html) = t
        .post(&format!("/s/{}", tokens[2].token), &[("satisfied", "yes")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("调查已结束"), "{html}");

    // An unknown token.
    let (status, html) = t.get("/s/00000000000000000000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("问卷链接无效"));
}

#[tokio::test]
async fn printable_sheet_has_one_qr_code_per_token() {
    let t = Resident::new().await;
    let (survey, tokens) = t.survey(t.a, 4).await;
    let html =
        survey_qr_sheet(&survey, &tokens, "https://anju.example.cn/", Lang::Zh).expect("sheet");
    assert_eq!(html.matches("<svg").count(), 4);
    for tk in &tokens {
        assert!(html.contains(&format!("https://anju.example.cn/s/{}", tk.token)));
    }
    assert!(html.contains("第 1 户") && html.contains("第 4 户"));
    assert!(html.contains("size:A4"));
    assert!(html.contains("台联小区"));
    assert!(survey_qr_sheet(&survey, &tokens, "anju.example.cn", Lang::Zh).is_err());
}

async fn sign_contract(s: &Store, id: i64) {
    let co = s
        .upsert_company(&officer(), "聊城安泰物业", None)
        .await
        .expect("company");
    for (event, on) in [
        (Event::Consult, date(2022, 8, 1)),
        (
            Event::DecideMode {
                mode: ManagementMode::Professional,
            },
            date(2022, 8, 5),
        ),
        (
            Event::SettleOwners {
                body: OwnersBody::OwnersCommittee,
            },
            date(2022, 8, 10),
        ),
        (Event::SelectCompany { company_id: co }, date(2022, 8, 20)),
    ] {
        let v = s.lifecycle(id).await.expect("lifecycle").version;
        s.advance(&officer(), id, v, &StepRequest::new(event, on))
            .await
            .expect("step");
    }
    s.sign_contract(
        &officer(),
        &NewContract {
            compound_ids: vec![id],
            company_id: co,
            signer: Signer::OwnersBody,
            signer_name: None,
            signed_on: date(2022, 9, 1),
            entry_on: Some(date(2022, 10, 1)),
            term: Term::years(10),
            service_level: ServiceLevel::TWO,
            min_level: Some(ServiceLevel::TWO),
            fees: Fees::LIAOCHENG_2021,
            served_area: Area::from_m2(8000),
            notice_on: Some(date(2022, 9, 2)),
        },
    )
    .await
    .expect("contract");
}

#[tokio::test]
async fn public_page_shows_notice_accounts_and_takes_complaints() {
    let t = Resident::new().await;
    let s = t.store();
    sign_contract(s, t.a).await;
    for (period, kind, cat, fen) in [
        ("2026-10", EntryKind::IncomeFees, None, 1_234_567),
        ("2026-10", EntryKind::IncomePublicRevenue, None, 50_000),
        ("2026-10", EntryKind::Spending, Some("保洁"), 300_000),
        ("2026-09", EntryKind::IncomeFees, None, 1_000_000),
    ] {
        s.add_account_entry(
            &officer(),
            &NewAccountEntry {
                compound_id: t.a,
                period: period.into(),
                kind,
                category: cat.map(str::to_string),
                amount: Fen(fen),
                note: None,
            },
        )
        .await
        .expect("entry");
    }
    let key = s.compound_public_key(&officer(), t.a).await.expect("key");
    assert_eq!(
        s.compound_public_key(&officer(), t.a).await.expect("again"),
        key,
        "the same key ever after"
    );
    assert_eq!(key.len(), 32, "160 random bits in base32");
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
    );
    assert_ne!(
        s.compound_public_key(&officer(), t.b).await.expect("b"),
        key
    );

    let page = format!("/p/{key}");
    let (status, html) = t.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("台联小区"));
    assert!(
        html.contains("聊城安泰物业"),
        "the company from the contract"
    );
    assert!(
        html.contains("0.50 元/㎡·月") && html.contains("0.90 元/㎡·月"),
        "fees"
    );
    assert!(html.contains("二级"), "service level");
    // The latest period by default: 2026-10. Fees 12,345.67 → 10 % = 1,234.57 (half-up).
    assert!(html.contains("12,345.67 元"), "{html}");
    assert!(html.contains("1,234.57 元"), "owners' share");
    assert!(html.contains("10%"), "share percent shown");
    assert!(html.contains("保洁") && html.contains("3,000.00 元"));
    let (_, sept) = t.get(&format!("{page}?period=2026-09")).await;
    assert!(sept.contains("10,000.00 元") && !sept.contains("12,345.67"));
    let (_, en) = t.get(&format!("{page}?lang=en")).await;
    assert!(en.contains("Public accounts") && en.contains("body share of fee income"));
    // A compound without an owners' body: its accounts show no share for one.
    let none = s
        .list_compounds(&Default::default())
        .await
        .expect("compounds")
        .into_iter()
        .find(|c| !c.compound.owners_body.exists())
        .expect("a compound without an owners' body");
    s.add_account_entry(
        &officer(),
        &NewAccountEntry {
            compound_id: none.id,
            period: "2026-10".into(),
            kind: EntryKind::IncomeFees,
            category: None,
            amount: Fen(500_000),
            note: None,
        },
    )
    .await
    .expect("entry");
    let other = s
        .compound_public_key(&officer(), none.id)
        .await
        .expect("key");
    let (_, html) = t.get(&format!("/p/{other}")).await;
    assert!(
        html.contains("尚未成立业主委员会或物业管理委员会，物业费收入不提取业主组织分成"),
        "{html}"
    );
    assert!(!html.contains("归业主委员会"), "{html}");

    // Never the numeric id; an unknown key is not found.
    let (status, _) = t.get(&format!("/p/{}", t.a)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = t.get("/p/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A rejected complaint keeps what was typed and names the field.
    let form = format!("{page}/complaint");
    let (status, html) = t
        .post(
            &form,
            &[
                ("category", "环境卫生"),
                ("text", "   "),
                ("contact", "138 0000 0000"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("投诉内容：请填写"), "{html}");
    assert!(html.contains("138 0000 0000"), "contact kept");
    assert!(
        html.contains("<option value=\"环境卫生\" selected>"),
        "category kept"
    );
    let (status, html) = t
        .post(&form, &[("text", "垃圾桶满了"), ("category", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("投诉类别：请从列表中选择") && html.contains("垃圾桶满了"));
    assert!(
        s.list_complaints(&ComplaintFilter::default())
            .await
            .expect("list")
            .is_empty()
    );

    // Accepted: a complaint from a resident, assigned to the compound's company.
    let (status, html) = t
        .post(
            &form,
            &[
                ("category", "环境卫生"),
                ("text", "3号楼垃圾桶三天未清"),
                ("contact", "王女士 13800000000"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{html}");
    assert!(html.contains("已收到您的投诉"));
    let list = s
        .list_complaints(&ComplaintFilter::default())
        .await
        .expect("list");
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(c.compound_id, t.a);
    assert_eq!(c.source, ComplaintSource::Resident);
    assert_eq!(c.category, "环境卫生");
    assert_eq!(c.contact.as_deref(), Some("王女士 13800000000"));
    assert_eq!(c.company.as_deref(), Some("聊城安泰物业"));
}

/// A compound whose company the ledger names but whose contract is not on record: the page
/// names the company (and how to reach it) instead of saying there is none.
#[tokio::test]
async fn public_page_names_the_ledgers_company_before_its_contract_is_on_record() {
    let t = Resident::new().await;
    let s = t.store();
    let all = s
        .list_compounds(&Default::default())
        .await
        .expect("compounds");
    let served = all
        .iter()
        .find(|c| c.company_id.is_some() && c.id != t.a && c.id != t.b)
        .expect("a compound with a company in the ledger");
    let company = served.compound.company.clone().expect("its company");
    let key = s
        .compound_public_key(&officer(), served.id)
        .await
        .expect("key");
    let (status, html) = t.get(&format!("/p/{key}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("物业服务企业") && html.contains(&company),
        "{html}"
    );
    assert!(
        !html.contains("本小区目前没有在履行的物业服务合同"),
        "{html}"
    );
    assert!(html.contains("合同尚未在系统中登记"), "{html}");
}
