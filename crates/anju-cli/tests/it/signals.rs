//! `anju signals`: the real binary on SQLite, over a database planted through the store (a
//! contract over its census area and filed late, a duplicate compound, a company scoring
//! itself) beside clean twins of each.

use anju_core::assessment::{AssessorKind, Period};
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::lifecycle::{Event, Signer};
use anju_core::{Area, Compound, CreditCode, ManagementMode, OwnersBody};
use anju_policy::rubric::Rubric;
use anju_store::{Actor, CompoundFilter, NewAssessment, NewContract, StepRequest, Store};
use jiff::civil::date;
use std::process::{Command, Output};

fn anju(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .output()
        .expect("run anju")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn row(name: &str, street: &str, addr: &str, company: Option<(&str, &str)>) -> Compound {
    let mut c = Compound::new(name, street, ManagementMode::None);
    c.district = Some("奈曼旗".into());
    c.address = Some(addr.into());
    c.area = Some(Area::from_m2(10_000));
    c.households = Some(100);
    if let Some((co, k)) = company {
        c.mode = ManagementMode::Professional;
        c.company = Some(co.into());
        c.company_code = Some(CreditCode::complete(k).expect("code"));
    }
    c
}

async fn plant(db: &str) {
    let s = Store::connect(db).await.expect("connect");
    let clerk = Actor::new("王敏", "community");
    let officer = Actor::new("李强", "street");
    let rows = vec![
        row("幸福小区", "大沁他拉街道", "建设路3号楼", None),
        row("幸福苑", "大沁他拉街道", "和平路8号", None),
        row("光明家园", "大沁他拉街道", "建设路9号", None),
        // The same name in another street: not a duplicate.
        row("幸福小区", "青龙山镇", "建设路3号楼", None),
        row(
            "团结楼",
            "大沁他拉街道",
            "团结路1号",
            Some(("甲物业服务有限公司", "91150525MA0000001")),
        ),
        row(
            "新华里",
            "大沁他拉街道",
            "新华路2号",
            Some(("乙物业服务有限公司", "91150525MA0000002")),
        ),
    ];
    s.apply_ledger(&clerk, &rows, date(2022, 6, 1))
        .await
        .expect("ledger");
    let all = s
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let id = |name: &str, street: &str| {
        all.iter()
            .find(|c| c.compound.name == name && c.compound.street == street)
            .expect("compound")
            .id
    };
    let co = s
        .upsert_company(&clerk, "丙物业", None)
        .await
        .expect("company");
    let mut ks = Vec::new();
    for (name, served) in [("幸福小区", 12_000), ("光明家园", 10_000)] {
        let cid = id(name, "大沁他拉街道");
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
                    body: OwnersBody::None,
                },
                date(2022, 8, 10),
            ),
            (Event::SelectCompany { company_id: co }, date(2022, 8, 20)),
        ] {
            let v = s.lifecycle(cid).await.expect("lifecycle").version;
            s.advance(&officer, cid, v, &StepRequest::new(event, on))
                .await
                .expect("step");
        }
        let k = NewContract {
            compound_ids: vec![cid],
            company_id: co,
            signer: Signer::Street,
            signer_name: None,
            signed_on: date(2022, 9, 1),
            entry_on: Some(date(2022, 10, 1)),
            term: Term::years(10),
            service_level: ServiceLevel::TWO,
            min_level: Some(ServiceLevel::TWO),
            fees: Fees::LIAOCHENG_2021,
            served_area: Area::from_m2(served),
            notice_on: None,
        };
        ks.push(s.sign_contract(&officer, &k).await.expect("sign"));
    }
    // Day 11 is late, day 10 on time (民法典 第二百零一条).
    s.file_contract(&officer, ks[0].id, ks[0].version, date(2022, 9, 12))
        .await
        .expect("file");
    s.file_contract(&officer, ks[1].id, ks[1].version, date(2022, 9, 11))
        .await
        .expect("file");
    for (name, assessor) in [("团结楼", "甲物业服务有限公司"), ("新华里", "大沁他拉街道")]
    {
        let n = NewAssessment {
            compound_id: id(name, "大沁他拉街道"),
            period: Period::parse("2026H1").expect("period"),
            rubric: Rubric::builtin("erqi").expect("rubric"),
            assessor_kind: AssessorKind::Street,
            assessor: assessor.into(),
            events: vec![],
            survey: None,
            objection_days: None,
            evidence: vec![],
            sources: Default::default(),
        };
        s.create_assessment(&officer, n).await.expect("assessment");
    }
    s.close().await;
}

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("anju.db").display());
    tokio::runtime::Runtime::new()
        .expect("rt")
        .block_on(plant(&db));
    (dir, db)
}

#[test]
fn signals_list_each_planted_case_with_its_evidence() {
    let (_dir, db) = setup();
    let o = anju(
        &db,
        &[
            "signals",
            "--street",
            "大沁他拉街道",
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let got: Vec<(&str, &str, &str, &str)> = v["signals"]
        .as_array()
        .expect("signals")
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().expect("kind"),
                s["severity"].as_str().expect("severity"),
                s["compound"].as_str().expect("compound"),
                s["evidence"].as_str().expect("evidence"),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "area_above_census",
                "high",
                "幸福小区",
                "合同 1 服务面积 12,000.00 ㎡ 超过台账面积 10,000.00 ㎡（多 2,000.00 ㎡）"
            ),
            (
                "duplicate_compound",
                "high",
                "幸福小区、幸福苑",
                "同一街道「大沁他拉街道」：名称「幸福小区」与「幸福苑」规范化后相同"
            ),
            (
                "self_assessment",
                "high",
                "团结楼",
                "考核 1（2026H1）的考核人「甲物业服务有限公司」即被考核企业本身「甲物业服务有限公司」"
            ),
            (
                "late_filing",
                "medium",
                "幸福小区",
                "合同 1 于 2022-09-01 签订，逾期备案（2022-09-12，逾期 1 天）"
            ),
        ]
    );
    assert_eq!(v["claims_checked"], true);

    // The table, one kind, English, and a street with nothing.
    let o = anju(
        &db,
        &["signals", "--district", "奈曼旗", "--as-of", "2026-11-01"],
    );
    let out = stdout(&o);
    assert!(out.contains("风险线索 4 条（截至 2026-11-01）"), "{out}");
    assert!(out.contains("服务面积超过台账面积"), "{out}");
    assert!(out.contains("丙物业"), "{out}");
    let o = anju(
        &db,
        &[
            "--lang",
            "en",
            "signals",
            "--kind",
            "late-filing",
            "--as-of",
            "2026-11-01",
        ],
    );
    let out = stdout(&o);
    assert!(out.contains("1 signals"), "{out}");
    assert!(
        out.contains("contract 1 signed 2022-09-01: filed late (2022-09-12, 1 days late)"),
        "{out}"
    );
    let o = anju(
        &db,
        &["signals", "--street", "青龙山镇", "--as-of", "2026-11-01"],
    );
    assert!(stdout(&o).contains("未发现风险线索"), "{}", stdout(&o));
    let o = anju(&db, &["signals", "--kind", "虚报"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("未知的线索类型"));
}
