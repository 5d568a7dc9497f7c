//! 工作台: `render_dashboard` over the demo ledger (figures, targets, charts, a planted overdue
//! filing, scope) and over a generated ledger (timed).

use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::lifecycle::{Event, Signer};
use anju_core::{Area, Lang, ManagementMode, OwnersBody};
use anju_store::{Actor, CompoundFilter, NewContract, StepRequest, Store};
use anju_web::dashboard::{render_dashboard, render_dashboard_uncached};
use jiff::civil::{Date, date};

const DAQINTALA: &str = "大沁他拉街道";
const TODAY: Date = date(2026, 11, 22);

fn actor() -> Actor {
    Actor::new("test", "admin")
}

async fn demo_store(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("dash.db").display());
    let store = Store::connect(&url).await.expect("connect");
    for c in anju_demo::demo_companies() {
        store
            .upsert_company(&actor(), &c.name, Some(c.credit_code.clone()))
            .await
            .expect("company");
    }
    store
        .apply_ledger(&actor(), &anju_demo::demo_ledger(), anju_demo::CENSUS_DATE)
        .await
        .expect("demo loads");
    store
}

fn street_filter(name: &str) -> CompoundFilter {
    CompoundFilter {
        street: Some(name.into()),
        ..CompoundFilter::default()
    }
}

/// The application over `store` with today fixed.
fn app_on(store: &Store, today: Date) -> anju_app::App {
    anju_app::App::new(store.clone()).with_clock(anju_app::Clock::Fixed(today))
}

/// A street officer of `name` reading in `lang`.
async fn street(store: &Store, name: &str, lang: Lang) -> anju_app::Principal {
    let r = store
        .find_region(anju_core::RegionLevel::Street, name)
        .await
        .expect("street");
    anju_app::Principal {
        name: "jd".into(),
        role: anju_core::access::Role::Street,
        region_id: Some(r.id),
        region_level: Some(anju_core::RegionLevel::Street),
        company_id: None,
        department_id: None,
        compound_id: None,
        organisation: None,
        region_name: Some(name.into()),
        lang,
        recorded_role: None,
    }
}

/// Walks an unmanaged Daqintala compound to a contract signed 2026-11-01 and never filed
/// (deadline 2026-11-11): on 2026-11-22 it is 11 days overdue. Returns the compound's name.
async fn plant_unfiled_contract(store: &Store) -> (i64, String) {
    let c = store
        .list_compounds(&CompoundFilter {
            mode: Some(ManagementMode::None),
            ..street_filter(DAQINTALA)
        })
        .await
        .expect("list")
        .into_iter()
        .next()
        .expect("an unmanaged compound");
    let co = store
        .upsert_company(&actor(), "奈曼旗安居物业服务有限公司", None)
        .await
        .expect("company");
    let steps = [
        (Event::Consult, date(2026, 9, 1)),
        (
            Event::DecideMode {
                mode: ManagementMode::Professional,
            },
            date(2026, 9, 5),
        ),
        (
            Event::SettleOwners {
                body: OwnersBody::OwnersCommittee,
            },
            date(2026, 9, 10),
        ),
        (Event::SelectCompany { company_id: co }, date(2026, 10, 1)),
    ];
    for (event, on) in steps {
        let v = store.lifecycle(c.id).await.expect("lifecycle").version;
        store
            .advance(&actor(), c.id, v, &StepRequest::new(event, on))
            .await
            .expect("step");
    }
    store
        .sign_contract(
            &actor(),
            &NewContract {
                compound_ids: vec![c.id],
                company_id: co,
                signer: Signer::OwnersBody,
                signer_name: Some("业主委员会".into()),
                signed_on: date(2026, 11, 1),
                entry_on: None,
                term: Term::years(3),
                service_level: ServiceLevel::TWO,
                min_level: Some(ServiceLevel::TWO),
                fees: Fees::LIAOCHENG_2021,
                served_area: Area::from_m2(5000),
                notice_on: None,
            },
        )
        .await
        .expect("sign");
    (c.id, c.compound.name)
}

#[tokio::test]
async fn dashboard_shows_the_streets_figures_targets_charts_and_overdue_filing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&dir).await;
    for t in anju_core::targets::daqintala_2022(DAQINTALA) {
        store.add_target(&actor(), &t).await.expect("target");
    }
    let (id, name) = plant_unfiled_contract(&store).await;
    let html = render_dashboard(
        &app_on(&store, TODAY),
        &street(&store, DAQINTALA, Lang::Zh).await,
        "大沁他拉街道",
    )
    .await
    .expect("renders");

    assert!(html.contains("<title>工作台"), "title");
    assert!(html.contains("范围：大沁他拉街道 · 截至 2026-11-22"));
    // Seed 004 一: 151 compounds; 74 with a company, 77 abandoned or self-managed with 3,796
    // households between them.
    assert!(
        html.contains("<b>151</b><span>小区数</span>"),
        "151 compounds"
    );
    assert!(
        html.contains("<b>74</b><span>有物业企业</span>"),
        "with a company"
    );
    assert!(
        html.contains(">77<small>3,796 户 · "),
        "unmanaged households"
    );
    assert!(
        html.contains("<b>77</b><span>弃管（含自管）</span>"),
        "unmanaged"
    );
    assert!(
        html.contains("<b>49.0 %</b><span>覆盖率</span>"),
        "74 / 151 = 49.0 %"
    );
    // The table agrees with anju-core's coverage figures over the same compounds.
    let list = store
        .list_compounds(&street_filter(DAQINTALA))
        .await
        .expect("list");
    let report = anju_core::stats::coverage(list.iter().map(|s| &s.compound));
    let area = format!("<b>{} ㎡</b>", report.total.area().grouped());
    assert!(html.contains(&area), "area {area}");
    let hh = anju_core::money::group_thousands(report.total.households);
    assert!(
        html.contains(&format!("<b>{hh}</b><span>户数</span>")),
        "households {hh}"
    );
    for community in &report.streets[0].communities {
        assert!(html.contains(&format!("<td>{}</td>", community.community)));
    }

    // Targets: baseline 77 unmanaged on 2022-07-01; 60 % → 47 required; nothing covered since.
    assert!(html.contains("2022年底完成60%无物业小区的物业引进工作"));
    assert!(
        html.contains("<td class=\"num\">77</td><td class=\"num\">47</td><td class=\"num\">0</td>")
    );
    assert!(html.contains("<span class=\"status overdue\">已逾期</span>"));

    // Four charts drawn on the server, none empty.
    assert_eq!(html.matches("role=\"img\"").count(), 4);
    assert!(!html.contains("暂无数据"));
    assert!(html.contains("目标 60%（2022-12-31）"), "target line");

    // The planted filing: 11 days past its 2026-11-11 deadline, linked to the compound.
    let section = html
        .split("id=\"alert-filing_overdue\"")
        .nth(1)
        .expect("filing alerts shown")
        .split("</details>")
        .next()
        .expect("section");
    assert!(section.contains(&format!("<a href=\"/compounds/{id}\">{name}</a>")));
    assert!(section.contains("合同未备案：期限 2026-11-11，已逾期 11 天"));
    assert!(section.contains("合同逾期未备案"));

    // A write shows at once: a task due yesterday appears in the cached page's place.
    store
        .add_task(
            &actor(),
            anju_store::NewTask {
                compound_id: id,
                title: "公示物业服务内容".into(),
                detail: None,
                responsible: "王敏".into(),
                deadline: date(2026, 11, 21),
            },
        )
        .await
        .expect("task");
    let html = render_dashboard(
        &app_on(&store, TODAY),
        &street(&store, DAQINTALA, Lang::Zh).await,
        "大沁他拉街道",
    )
    .await
    .expect("renders");
    assert!(html.contains("任务“公示物业服务内容”（责任人 王敏）：期限 2026-11-21，已逾期 1 天"));

    // English on request.
    let en = render_dashboard(
        &app_on(&store, TODAY),
        &street(&store, DAQINTALA, Lang::En).await,
        "Daqintala",
    )
    .await
    .expect("renders");
    assert!(en.contains("<html lang=\"en\">") && en.contains("Contracts not filed in time"));
    assert!(en.contains("11 days overdue"));

    // Another street's officer sees neither the compound nor the alert.
    let other = render_dashboard(
        &app_on(&store, TODAY),
        &street(&store, "山城街道", Lang::Zh).await,
        "山城街道",
    )
    .await
    .expect("renders");
    assert!(other.contains("<b>41</b><span>小区数</span>"));
    assert!(!other.contains("alert-filing_overdue"));
    assert!(!other.contains(&name));
    assert!(other.contains("本范围内的街道尚未设定阶段目标"));

    // The day of the deadline itself is on time.
    let on_time = render_dashboard(
        &app_on(&store, date(2026, 11, 11)),
        &street(&store, DAQINTALA, Lang::Zh).await,
        "",
    )
    .await
    .expect("renders");
    assert!(!on_time.contains("alert-filing_overdue"));
}

/// A generated ledger of `ANJU_DASH_BENCH_N` compounds (default 2,000) in SQLite; prints the
/// time per render (`--nocapture`). The figures must add up whatever the size.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_over_a_generated_ledger() {
    let n: usize = std::env::var("ANJU_DASH_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().expect("tempdir");
    // ANJU_DASH_BENCH_DB keeps the database for a look at the query plans.
    let path = std::env::var("ANJU_DASH_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("bench.db"));
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.expect("connect");
    let rows = anju_sheets::generate_bench_ledger(n, 2022);
    let households: u64 = rows
        .iter()
        .map(|c| u64::from(c.households.unwrap_or(0)))
        .sum();
    let t0 = std::time::Instant::now();
    store
        .apply_ledger(&actor(), &rows, date(2022, 6, 30))
        .await
        .expect("import");
    let import = t0.elapsed();
    let all = anju_app::Principal::admin("admin", Lang::Zh);
    let app = app_on(&store, TODAY);
    let runs = 5u32;
    let t = std::time::Instant::now();
    let mut html = String::new();
    for _ in 0..runs {
        html = render_dashboard_uncached(&app, &all, "全部")
            .await
            .expect("renders");
    }
    let uncached = t.elapsed() / runs;
    render_dashboard(&app, &all, "全部").await.expect("renders");
    let t = std::time::Instant::now();
    for _ in 0..runs * 20 {
        let again = render_dashboard(&app, &all, "全部").await.expect("renders");
        assert_eq!(again.len(), html.len());
    }
    let cached = t.elapsed() / (runs * 20);
    println!(
        "dashboard over {n} compounds: import {import:.2?}; render {uncached:.2?} uncached, \
         {cached:.2?} cached ({} KiB HTML)",
        html.len() / 1024
    );
    // Where the time goes.
    let t = std::time::Instant::now();
    let cells = store
        .coverage_cells(&CompoundFilter::default())
        .await
        .expect("cells");
    let t_cells = t.elapsed();
    let t = std::time::Instant::now();
    let from = anju_core::fees::Month::new(2024, 12).expect("month");
    let to = anju_core::fees::Month::new(2026, 11).expect("month");
    store
        .coverage_over_time(&CompoundFilter::default(), from, to)
        .await
        .expect("over time");
    let t_time = t.elapsed();
    let t = std::time::Instant::now();
    store
        .alerts(
            &CompoundFilter::default(),
            TODAY,
            anju_store::AlertOptions::default(),
        )
        .await
        .expect("alerts");
    let t_alerts = t.elapsed();
    println!(
        "  coverage cells {t_cells:.2?} ({} cells), coverage over time {t_time:.2?}, \
         alerts {t_alerts:.2?}",
        cells.len()
    );
    let grouped = anju_core::money::group_thousands(n as u64);
    assert!(html.contains(&format!("<b>{grouped}</b><span>小区数</span>")));
    let hh = anju_core::money::group_thousands(households);
    assert!(html.contains(&format!("<b>{hh}</b><span>户数</span>")));
}

/// `/` is the 工作台 of whoever logs in, over their own scope only.
#[tokio::test]
async fn the_dashboard_at_root_shows_the_viewers_scope_only() {
    use crate::support::{TestApp, UserScope, user_session};
    use anju_core::access::Role;
    use axum::http::StatusCode;
    let t = TestApp::with_demo().await;
    // Not logged in: sent to the login page.
    let r = t.get("/").await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let s = user_session(&t, "shancheng", Role::Street, UserScope::Region("山城街道")).await;
    for path in ["/", "/dashboard"] {
        let r = t.get_as(&s, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(r.body.contains("山城街道"), "{path}");
        assert!(!r.body.contains(DAQINTALA), "{path}: another street leaked");
        assert!(
            r.body.contains("<svg"),
            "{path}: charts drawn on the server"
        );
        // Who is signed in, with their own token for 退出登录 (added after the shared cache).
        assert!(
            r.body.contains("退出登录") && r.body.contains(&s.csrf),
            "{path}: {}",
            r.body
        );
    }
    // Another account of the same street gets the same figures but its own name and token.
    let other = user_session(
        &t,
        "shancheng2",
        Role::Street,
        UserScope::Region("山城街道"),
    )
    .await;
    let r = t.get_as(&other, "/").await;
    assert!(r.body.contains(&other.csrf) && !r.body.contains(&s.csrf));
    let r = t.get_as(&s, "/?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("lang=\"en\""), "English page");
    t.finish().await;
}

/// A company's 工作台 starts with every rectification order it still has to answer (not only
/// the overdue ones), each leading to its compound's patrols; other roles have no such list.
#[tokio::test]
async fn a_companys_dashboard_lists_its_open_orders() {
    use crate::support::{TestApp, UserScope, user_session};
    use anju_core::access::Role;
    let t = TestApp::with_demo().await;
    let w = crate::access_matrix::world(&t).await;
    let o = t.store.get_order(w.inside.order).await.expect("order");
    let company = user_session(
        &t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let r = t.get_as(&company, "/").await;
    assert!(r.body.contains("待回复的整改通知"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("href=\"/compounds/{}#patrols\"", o.compound_id)),
        "{}",
        r.body
    );
    assert!(r.body.contains(&o.description), "{}", r.body);
    let jd = user_session(
        &t,
        "jd",
        Role::Street,
        UserScope::Region(crate::access_matrix::STREET_A),
    )
    .await;
    assert!(!t.get_as(&jd, "/").await.body.contains("待回复的整改通知"));
    t.finish().await;
}

/// The 工作台's figures as a workbook: coverage by street and community (the street's own
/// only), the targets and today's alerts counted; the page links it.
#[tokio::test]
async fn the_dashboard_figures_download_as_a_workbook() {
    use crate::support::{TestApp, UserScope, user_session};
    use anju_core::access::Role;
    let t = TestApp::with_demo().await;
    let s = user_session(&t, "shancheng", Role::Street, UserScope::Region("山城街道")).await;
    let r = t.get_as(&s, "/dashboard").await;
    assert!(r.body.contains("href=\"/dashboard/xlsx\""), "{}", r.body);
    let dir = tempfile::tempdir().expect("dir");
    let (res, bytes) = crate::ledger_page::send_raw(
        &t,
        dir.path(),
        axum::http::Request::get("/dashboard/xlsx")
            .header(axum::http::header::COOKIE, &s.cookie)
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    let text = crate::access_matrix::xlsx_text(&bytes);
    let n = t
        .store
        .count_compounds(&CompoundFilter {
            street: Some("山城街道".into()),
            ..Default::default()
        })
        .await
        .expect("count");
    assert!(
        text.lines().any(|l| l.starts_with(&format!("合计  {n} "))),
        "the total row counts the street's {n} compounds:\n{text}"
    );
    assert!(text.contains("山城街道"), "{text}");
    assert!(!text.contains(DAQINTALA), "another street leaked:\n{text}");
    for sheet in ["物业管理覆盖情况", "阶段目标进度", "今日待办提醒"] {
        assert!(text.contains(sheet), "{sheet}:\n{text}");
    }
    t.finish().await;
}

/// An account of `role` bound to the region `name` at `level`.
async fn bound(
    store: &Store,
    role: anju_core::access::Role,
    level: anju_core::RegionLevel,
    name: &str,
) -> anju_app::Principal {
    let r = store.find_region(level, name).await.expect("region");
    anju_app::Principal {
        name: format!("{}-{name}", role.code()),
        role,
        region_id: Some(r.id),
        region_level: Some(level),
        company_id: None,
        department_id: None,
        compound_id: None,
        organisation: None,
        region_name: Some(name.into()),
        lang: Lang::Zh,
        recorded_role: None,
    }
}

/// The figures put together from the streets' kept pieces are, for every viewer, the figures
/// computed afresh over the whole scope.
async fn assert_pieces_add_up(app: &anju_app::App, viewers: &[anju_app::Principal], when: &str) {
    let from = anju_core::fees::Month::new(2024, 12).expect("month");
    let to = anju_core::fees::Month::new(2026, 11).expect("month");
    for v in viewers {
        let pieces = app.dashboard_figures(v, from, to).await.expect("pieces");
        let fresh = app
            .dashboard_figures_fresh(v, from, to)
            .await
            .expect("fresh");
        assert_eq!(pieces, fresh, "{when}: {}", v.name);
        for filter in [
            CompoundFilter::default(),
            CompoundFilter {
                mode: Some(ManagementMode::Professional),
                ..CompoundFilter::default()
            },
            street_filter(crate::access_matrix::STREET_B),
        ] {
            let kept = app
                .ledger_figures_kept(v, filter.clone())
                .await
                .expect("kept");
            let fresh = app
                .ledger_figures(v, filter.clone(), false)
                .await
                .expect("fresh");
            let report = |g: Vec<anju_core::stats::CoverageGroup>| {
                serde_json::to_value(anju_core::stats::coverage_of_groups(g)).expect("json")
            };
            assert_eq!(kept.places, fresh.places, "{when}: {} {filter:?}", v.name);
            assert_eq!(
                report(kept.groups),
                report(fresh.groups),
                "{when}: {} {filter:?}",
                v.name
            );
        }
    }
}

/// The 工作台 kept per street (issue 17 item 2): a write raises the counters of the streets it
/// touches only, in its own transaction; the city's figures put together from the streets'
/// pieces equal those computed afresh, for the city, a street, a community and a company,
/// before and after writes (an overdue task in one street, a compound moved to another street,
/// a new company); and a street's page is rebuilt only when its own sum moves.
async fn dashboard_pieces_follow_each_streets_writes(t: &crate::support::TestApp) {
    use crate::access_matrix::{STREET_A, STREET_B, world};
    use anju_core::RegionLevel;
    use anju_core::access::Role;
    let w = world(t).await;
    let app = t
        .state
        .app
        .clone()
        .with_clock(anju_app::Clock::Fixed(TODAY));
    let s = &t.store;
    let a = s
        .find_region(RegionLevel::Street, STREET_A)
        .await
        .expect("a");
    let b = s
        .find_region(RegionLevel::Street, STREET_B)
        .await
        .expect("b");
    let company = anju_app::Principal {
        name: "qy".into(),
        role: Role::Company,
        company_id: Some(w.inside.company),
        ..anju_app::Principal::admin("qy", Lang::Zh)
    };
    let viewers = [
        anju_app::Principal::admin("city", Lang::Zh),
        bound(s, Role::Street, RegionLevel::Street, STREET_A).await,
        bound(s, Role::Street, RegionLevel::Street, STREET_B).await,
        bound(s, Role::Community, RegionLevel::Community, &w.community).await,
        company,
    ];
    let street_a = &viewers[1];
    let street_b = &viewers[2];
    // Overdue tasks in both streets, so that the alert lists have items to merge.
    for (side, days) in [(&w.inside, 30), (&w.outside, 20)] {
        s.add_task(
            &actor(),
            anju_store::NewTask {
                compound_id: side.compound.id,
                title: format!("逾期 {days} 天的任务"),
                detail: None,
                responsible: "张三".into(),
                deadline: TODAY
                    .checked_sub(jiff::Span::new().days(days))
                    .expect("date"),
            },
        )
        .await
        .expect("task");
    }
    assert_pieces_add_up(&app, &viewers, "at first").await;
    // Twice: the second time every piece comes from the cache.
    assert_pieces_add_up(&app, &viewers, "again").await;

    let before = s.figure_versions().await.expect("versions");
    let (va, vb) = (
        app.figures_version(street_a).await.expect("a"),
        app.figures_version(street_b).await.expect("b"),
    );
    let task = s
        .add_task(
            &actor(),
            anju_store::NewTask {
                compound_id: w.inside.compound.id,
                title: "新的逾期任务".into(),
                detail: None,
                responsible: "李四".into(),
                deadline: TODAY.checked_sub(jiff::Span::new().days(3)).expect("date"),
            },
        )
        .await
        .expect("task");
    let after = s.figure_versions().await.expect("versions");
    assert_eq!(after.street(a.id), before.street(a.id) + 1, "A's counter");
    assert_eq!(after.street(b.id), before.street(b.id), "B's untouched");
    assert_eq!(after.city, before.city, "the city's untouched");
    assert!(app.figures_version(street_a).await.expect("a") != va);
    assert_eq!(app.figures_version(street_b).await.expect("b"), vb);
    assert_pieces_add_up(&app, &viewers, "after a task in A").await;
    let city = app
        .dashboard_figures(&viewers[0], TODAY_MONTHS.0, TODAY_MONTHS.1)
        .await
        .expect("figures");
    let tasks = city
        .alerts
        .iter()
        .find(|g| g.kind == anju_store::AlertKind::TaskOverdue)
        .expect("tasks");
    assert!(
        tasks.items.iter().any(|i| i.subject == task.title),
        "the new task is on the city's page"
    );
    // Ordered by deadline across streets: 30 days (A), 20 days (B), then 3 days (A).
    let days: Vec<i64> = tasks.items.iter().map(|i| i.days).collect();
    assert!(days.windows(2).all(|d| d[0] >= d[1]), "{days:?}");

    // A compound moved from B to A: both streets' counters move.
    let before = s.figure_versions().await.expect("versions");
    let moved = s
        .get_compound(w.outside.compound.id)
        .await
        .expect("compound");
    let mut c = moved.compound.clone();
    c.district = w.inside.compound.compound.district.clone();
    c.street = STREET_A.into();
    c.community = None;
    s.update_compound(&actor(), moved.id, moved.version, c)
        .await
        .expect("moved");
    let after = s.figure_versions().await.expect("versions");
    assert!(after.street(a.id) > before.street(a.id), "A gains it");
    assert!(after.street(b.id) > before.street(b.id), "B loses it");
    assert_eq!(after.city, before.city);
    assert_pieces_add_up(&app, &viewers, "after a move from B to A").await;

    // A new company belongs to no one street: the city's counter moves.
    let before = s.figure_versions().await.expect("versions");
    s.upsert_company(&actor(), "新成立物业服务有限公司", None)
        .await
        .expect("company");
    let after = s.figure_versions().await.expect("versions");
    assert!(after.city > before.city);
    assert_eq!(after.street(a.id), before.street(a.id));
    assert_pieces_add_up(&app, &viewers, "after a new company").await;

    // An account and a sign-in change no figure.
    let before = s.figure_versions().await.expect("versions");
    crate::support::create_user(
        s,
        "figures-nobody",
        Role::Street,
        crate::support::UserScope::Region(STREET_B),
    )
    .await;
    assert_eq!(s.figure_versions().await.expect("versions"), before);
}
crate::support::both_engines!(dashboard_pieces_follow_each_streets_writes);

/// The months [`assert_pieces_add_up`] reads.
const TODAY_MONTHS: (anju_core::fees::Month, anju_core::fees::Month) = (
    anju_core::fees::Month {
        year: 2024,
        month: 12,
    },
    anju_core::fees::Month {
        year: 2026,
        month: 11,
    },
);
