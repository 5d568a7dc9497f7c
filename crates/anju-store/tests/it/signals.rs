//! 风险线索: each signal raised by a planted case and not by a clean one, from the facts as the
//! store holds them, on both engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::lifecycle::{Event, Signer};
use anju_core::signals::{Severity, SignalKind};
use anju_core::{Area, ManagementMode, OwnersBody};
use anju_store::{CompoundFilter, NewContract, SignalScope, StepRequest, Store};

const STREET: &str = "大沁他拉街道";

async fn id_of(s: &Store, name: &str) -> i64 {
    s.list_compounds(&CompoundFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.compound.name == name)
        .unwrap()
        .id
}

async fn step(s: &Store, id: i64, event: Event, on: jiff::civil::Date) {
    let v = s.lifecycle(id).await.unwrap().version;
    s.advance(&officer(), id, v, &StepRequest::new(event, on))
        .await
        .unwrap();
}

async fn to_selected(s: &Store, id: i64, company_id: i64) {
    step(s, id, Event::Consult, date(2022, 8, 1)).await;
    let mode = ManagementMode::Professional;
    step(s, id, Event::DecideMode { mode }, date(2022, 8, 5)).await;
    let body = OwnersBody::None;
    step(s, id, Event::SettleOwners { body }, date(2022, 8, 10)).await;
    step(
        s,
        id,
        Event::SelectCompany { company_id },
        date(2022, 8, 20),
    )
    .await;
}

fn contract(id: i64, company_id: i64, served_m2: u32) -> NewContract {
    NewContract {
        compound_ids: vec![id],
        company_id,
        signer: Signer::Street,
        signer_name: Some("大沁他拉街道办事处".into()),
        signed_on: date(2022, 9, 1),
        entry_on: Some(date(2022, 10, 1)),
        term: Term::years(10),
        service_level: ServiceLevel::TWO,
        min_level: Some(ServiceLevel::TWO),
        fees: Fees::LIAOCHENG_2021,
        served_area: Area::from_m2(served_m2),
        notice_on: None,
    }
}

/// The planted cases and their clean twins:
/// - 幸福小区: contract 1 serves 15,000 ㎡ against a ledger 12,345.67 ㎡ (a), filed on day 11
///   (d); claimed from 2022-09-01, before its term and its entry on 2022-10-01 (e).
/// - 幸福 苑: the same name once normalised, same street (b).
/// - 光明家园: contract 2 serves 8,000 ㎡, filed on day 10; its claim lies inside the contract
///   but was paid 10,000.00 元 although the half-year's final assessment is 不合格 (f).
/// - 团结楼 assessed by its own company (c); 新华里 by the street office.
async fn plant(s: &Store) {
    let rows: Vec<_> = [
        ("幸福小区", "建设路3号楼", None),
        ("幸福 苑", "和平路8号", None),
        ("光明家园", "建设路９号", None),
        ("团结楼", "团结路1号", Some(("甲物业服务有限公司", 1))),
        ("新华里", "新华路2号", Some(("乙物业服务有限公司", 2))),
    ]
    .into_iter()
    .map(|(n, addr, co)| {
        let mut c = compound(n, STREET, "东城社区");
        c.address = Some(addr.into());
        c.coords = None;
        if let Some((co, k)) = co {
            c.mode = ManagementMode::Professional;
            c.company = Some(co.into());
            c.company_code = Some(code(k));
        }
        c
    })
    .collect();
    s.apply_ledger(&clerk(), &rows, date(2022, 6, 1))
        .await
        .unwrap();
    let co = s.upsert_company(&clerk(), "丙物业", None).await.unwrap();
    let mut ks = Vec::new();
    for (name, served) in [("幸福小区", 15_000), ("光明家园", 8_000)] {
        let id = id_of(s, name).await;
        to_selected(s, id, co).await;
        ks.push(
            s.sign_contract(&officer(), &contract(id, co, served))
                .await
                .unwrap(),
        );
    }
    s.file_contract(&officer(), ks[0].id, ks[0].version, date(2022, 9, 12))
        .await
        .unwrap();
    s.file_contract(&officer(), ks[1].id, ks[1].version, date(2022, 9, 11))
        .await
        .unwrap();

    use anju_core::assessment::{AssessorKind, Period};
    use anju_policy::rubric::Rubric;
    for (name, assessor) in [("团结楼", "甲物业服务有限公司"), ("新华里", "大沁他拉街道")]
    {
        let n = anju_store::NewAssessment {
            compound_id: id_of(s, name).await,
            period: Period::parse("2026H1").unwrap(),
            rubric: Rubric::builtin("erqi").unwrap(),
            assessor_kind: AssessorKind::Street,
            assessor: assessor.into(),
            events: vec![],
            survey: None,
            objection_days: None,
            evidence: vec![],
            sources: Default::default(),
        };
        s.create_assessment(&officer(), n).await.unwrap();
    }

    // A final 不合格 half-year for 光明家园, and the subsidy lines as the funding module keeps
    // them (planted directly: what matters here is what the detectors read).
    let gm = id_of(s, "光明家园").await;
    let xf = id_of(s, "幸福小区").await;
    let ts = "2023-07-01T00:00:00Z";
    anju_store::query(
        "INSERT INTO assessments (compound_id, company_id, period, period_kind, period_start, \
         period_end, rubric_id, assessor_kind, assessor, status, events, scorecard, score_e2, \
         grade_code, passed, objection_days, version, created_at, updated_at) \
         VALUES ($1, $2, '2023H1', 'half_year', '2023-01-01', '2023-06-30', 'erqi', 'street', \
         '大沁他拉街道', 'final', '[]', '{}', 6500, 'fail', 0, 5, 1, $3, $4)",
    )
    .bind(gm)
    .bind(co)
    .bind(ts)
    .bind(ts)
    .execute(s.pool())
    .await
    .unwrap();
    for (compound, k, start, end, status, amount) in [
        (xf, ks[0].id, "2022-09-01", "2023-08-31", "applied", 0i64),
        (
            gm,
            ks[1].id,
            "2022-10-01",
            "2023-09-30",
            "disbursed",
            1_000_000,
        ),
    ] {
        anju_store::query(
            "INSERT INTO subsidy_lines (compound_id, company_id, contract_id, kind, policy_id, \
             period, period_start, period_end, eligible, amount_fen, retained_fen, approved_fen, \
             payers, explanation_zh, explanation_en, status, version, created_at, updated_at) \
             VALUES ($1, $2, $3, 'subsidy', 'liaocheng-2021', '第1年', $4, $5, 1, $6, 0, $7, \
             '[]', '', '', $8, 1, $9, $10)",
        )
        .bind(compound)
        .bind(co)
        .bind(k)
        .bind(start)
        .bind(end)
        .bind(amount)
        .bind(amount)
        .bind(status)
        .bind(ts)
        .bind(ts)
        .execute(s.pool())
        .await
        .unwrap();
    }
}

both!(each_signal_raised_by_its_planted_case_only);
async fn each_signal_raised_by_its_planted_case_only(db: TestDb) {
    let s = &db.store;
    plant(s).await;
    let (all, claims) = s
        .signals(&SignalScope::default(), &[], date(2026, 11, 1))
        .await
        .unwrap();
    assert!(claims, "the subsidy lines are read");
    let got: Vec<(SignalKind, Severity, &str, &str)> = all
        .iter()
        .map(|x| {
            (
                x.kind,
                x.severity,
                x.compound.as_str(),
                x.evidence_zh.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                SignalKind::AreaAboveCensus,
                Severity::High,
                "幸福小区",
                "合同 1 服务面积 15,000.00 ㎡ 超过台账面积 12,345.67 ㎡（多 2,654.33 ㎡）"
            ),
            (
                SignalKind::DuplicateCompound,
                Severity::High,
                "幸福小区、幸福 苑",
                "同一街道「大沁他拉街道」：名称「幸福小区」与「幸福 苑」规范化后相同"
            ),
            (
                SignalKind::SelfAssessment,
                Severity::High,
                "团结楼",
                "考核 1（2026H1）的考核人「甲物业服务有限公司」即被考核企业本身「甲物业服务有限公司」"
            ),
            (
                SignalKind::ClaimOutsideContract,
                Severity::High,
                "幸福小区",
                "申报 1（2022-09-01 至 2023-08-31）：早于合同 1 期限开始 2022-10-01"
            ),
            (
                SignalKind::PaidDespiteFail,
                Severity::High,
                "光明家园",
                "申报 2（2022-10-01 至 2023-09-30）：考核结果为不合格，仍拨付 10,000.00 元"
            ),
            (
                SignalKind::LateFiling,
                Severity::Medium,
                "幸福小区",
                "合同 1 于 2022-09-01 签订，逾期备案（2022-09-12，逾期 1 天）"
            ),
            (
                SignalKind::ClaimOutsideContract,
                Severity::Medium,
                "幸福小区",
                "申报 1（2022-09-01 至 2023-08-31）：早于正式进场日 2022-10-01"
            ),
        ]
    );
    // Only one kind; another street sees nothing; the district (奈曼旗) sees all.
    let (late, _) = s
        .signals(
            &SignalScope::default(),
            &[SignalKind::LateFiling],
            date(2026, 11, 1),
        )
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    let other = SignalScope {
        street: Some("青龙山镇".into()),
        district: None,
    };
    assert!(
        s.signals(&other, &[], date(2026, 11, 1))
            .await
            .unwrap()
            .0
            .is_empty()
    );
    let district = SignalScope {
        street: None,
        district: Some("奈曼旗".into()),
    };
    assert_eq!(
        s.signals(&district, &[], date(2026, 11, 1))
            .await
            .unwrap()
            .0
            .len(),
        all.len()
    );
}

both!(a_clean_street_raises_nothing);
async fn a_clean_street_raises_nothing(db: TestDb) {
    let s = &db.store;
    let rows: Vec<_> = ["东风小区", "红旗小区"]
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let mut c = compound(n, STREET, "东城社区");
            c.address = Some(format!("胜利路{}号", i + 1));
            c.coords = None;
            c
        })
        .collect();
    s.apply_ledger(&clerk(), &rows, date(2022, 6, 1))
        .await
        .unwrap();
    let (all, claims) = s
        .signals(&SignalScope::default(), &[], date(2026, 11, 1))
        .await
        .unwrap();
    assert!(all.is_empty(), "{all:?}");
    assert!(claims);
}
