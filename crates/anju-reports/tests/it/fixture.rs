//! Five compounds in two streets of two districts, written through the store as a ledger import
//! on 2026-01-05, with a company's contacts, tasks, an assessment and account entries.

use crate::support::TestDb;
use anju_core::accounts::EntryKind;
use anju_core::assessment::{AssessorKind, Period};
use anju_core::task::TaskStatus;
use anju_core::{Area, Category, Compound, CreditCode, Fen, ManagementMode, OwnersBody};
use anju_policy::rubric::{Event, Rubric};
use anju_store::{
    Actor, CompanyUpdate, CompoundFilter, NewAccountEntry, NewAssessment, NewTask, StoredCompound,
};

pub const SHANCHENG: &str = "山城街道";
pub const DONGCHENG: &str = "东城街道";
pub const COMPANY: &str = "山亭物业服务有限公司";
pub const TASK3: &str = "集中开展环境卫生、道路设施、车辆停放、服务质量4项攻坚行动。";
pub const TASK4: &str = "采取“因区制宜、一区一策”的办法实现物业管理全覆盖。";

pub fn clerk() -> Actor {
    Actor::new("王敏", "street")
}

pub fn date(y: i16, m: i8, d: i8) -> jiff::civil::Date {
    jiff::civil::date(y, m, d)
}

fn c(
    name: &str,
    district: &str,
    street: &str,
    community: &str,
    mode: ManagementMode,
    category: Category,
    households: u32,
) -> Compound {
    let mut c = Compound::new(name, street, mode);
    c.district = Some(district.into());
    c.community = Some(community.into());
    c.category = Some(category);
    c.households = Some(households);
    c.area = Some(Area::from_centi(1_000_000));
    if mode == ManagementMode::Professional {
        c.company = Some(COMPANY.into());
        c.company_code = Some(CreditCode::complete("91370406MA0000001").expect("code"));
    }
    c
}

pub fn ledger() -> Vec<Compound> {
    use ManagementMode::*;
    let mut rows = vec![
        c(
            "梅花园",
            "山亭区",
            SHANCHENG,
            "梅园社区",
            Professional,
            Category::One,
            120,
        ),
        c(
            "龙珠百合",
            "山亭区",
            SHANCHENG,
            "梅园社区",
            Professional,
            Category::Two,
            80,
        ),
        c(
            "四十中宿舍",
            "山亭区",
            SHANCHENG,
            "梅园社区",
            None,
            Category::Three,
            24,
        ),
        c(
            "银山小区",
            "山亭区",
            SHANCHENG,
            "紫薇社区",
            StreetFallback,
            Category::Three,
            60,
        ),
        c(
            "东城一区",
            "高新区",
            DONGCHENG,
            "东城社区",
            None,
            Category::Two,
            40,
        ),
    ];
    rows[0].owners_body = OwnersBody::OwnersCommittee;
    rows[0].remarks = Some("改造后引进".into());
    rows
}

/// Every compound, by name.
pub async fn setup(db: &TestDb) -> Vec<StoredCompound> {
    let s = &db.store;
    s.apply_ledger(&clerk(), &ledger(), date(2026, 1, 5))
        .await
        .unwrap();
    let co = s
        .list_companies()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == COMPANY)
        .unwrap();
    s.update_company(
        &clerk(),
        co.id,
        co.version,
        CompanyUpdate {
            name: co.name.clone(),
            credit_code: co.credit_code.clone(),
            contact_person: Some("张经理".into()),
            phone: Some("0632-8869917".into()),
        },
    )
    .await
    .unwrap();
    s.list_compounds(&CompoundFilter::default()).await.unwrap()
}

pub fn id(cs: &[StoredCompound], name: &str) -> i64 {
    cs.iter().find(|c| c.compound.name == name).unwrap().id
}

pub async fn tasks(db: &TestDb, cs: &[StoredCompound]) {
    let s = &db.store;
    for (name, text, deadline) in [
        ("梅花园", TASK3, date(2020, 11, 30)),
        ("龙珠百合", TASK3, date(2020, 11, 30)),
        ("四十中宿舍", TASK4, date(2020, 11, 15)),
        ("银山小区", TASK4, date(2020, 11, 15)),
    ] {
        s.add_task(
            &clerk(),
            NewTask {
                compound_id: id(cs, name),
                title: "物业管理".into(),
                detail: Some(format!("{text}（完成时间：11月底）")),
                responsible: "郭振华".into(),
                deadline,
            },
        )
        .await
        .unwrap();
    }
    // A cancelled task is not listed.
    let t = s
        .list_tasks(&anju_store::TaskFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.compound == "银山小区")
        .unwrap();
    s.set_task_status(&clerk(), t.id, t.version, TaskStatus::Cancelled, None)
        .await
        .unwrap();
}

/// Item 15 (4 points): 50 events × 0.5 = 25, capped at 4; item 4: one event.
pub fn erqi_events() -> Vec<Event> {
    let r = Rubric::builtin("erqi").unwrap();
    let mut out = Vec::new();
    for (no, count) in [(15u32, 50u32), (4, 1)] {
        let code = r.item(no).unwrap().deductions[0].code.clone();
        out.push(Event::new(no, &code, count));
    }
    out
}

pub async fn assessment(db: &TestDb, cs: &[StoredCompound]) -> anju_store::Assessment {
    db.store
        .create_assessment(
            &clerk(),
            NewAssessment {
                compound_id: id(cs, "梅花园"),
                period: Period::parse("2026H1").unwrap(),
                rubric: Rubric::builtin("erqi").unwrap(),
                assessor_kind: AssessorKind::Street,
                assessor: SHANCHENG.into(),
                events: erqi_events(),
                survey: None,
                objection_days: None,
                evidence: vec![],
                sources: Default::default(),
            },
        )
        .await
        .unwrap()
}

pub async fn accounts(db: &TestDb, cs: &[StoredCompound]) {
    for (kind, category, fen) in [
        (EntryKind::IncomeFees, None, 1_000_000),
        (EntryKind::IncomePublicRevenue, None, 123_456),
        (EntryKind::IncomeSubsidy, None, 500_000),
        (EntryKind::Spending, Some("保洁"), 300_000),
        (EntryKind::Spending, Some("维修"), 150_050),
    ] {
        db.store
            .add_account_entry(
                &clerk(),
                &NewAccountEntry {
                    compound_id: id(cs, "梅花园"),
                    period: "2026-Q1".into(),
                    kind,
                    category: category.map(str::to_string),
                    amount: Fen(fen),
                    note: None,
                },
            )
            .await
            .unwrap();
    }
}
