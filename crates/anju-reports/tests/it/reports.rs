//! Each report: built from store data on both engines, then written and read back cell by cell
//! against what the seed's layout and a hand calculation say.

use crate::fixture::{self, DONGCHENG, SHANCHENG, TASK3, TASK4, date, id};
use crate::support::{TestDb, both};
use crate::xlsx::round_trip;
use anju_core::ManagementMode;
use anju_reports::{
    AccountsParams, DispatchParams, RankRule, RankingParams, Scope, ScoresParams, TaskList,
    build_accounts, build_coverage, build_dispatch, build_ranking, build_scores, build_tasks,
};
use rust_decimal::Decimal;

fn street(s: &str) -> Scope {
    Scope {
        district: None,
        street: Some(s.into()),
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

both!(dispatch_sheet_follows_annex_5);
async fn dispatch_sheet_follows_annex_5(db: TestDb) {
    fixture::setup(&db).await;
    let r = build_dispatch(
        &db.store,
        &DispatchParams {
            scope: Scope::default(),
            date: None,
            today: date(2026, 11, 22),
        },
    )
    .await
    .unwrap();
    // The latest filing day on or before 11-22 is the 15th.
    assert_eq!(r.report_date, date(2026, 11, 15));
    assert!(!r.off_schedule);
    assert_eq!(r.compounds, 5);
    let names: Vec<&str> = r.streets.iter().map(|s| s.street.as_str()).collect();
    assert_eq!(names, vec![DONGCHENG, SHANCHENG]);

    let b = round_trip(&r.sheets());
    assert_eq!(b.names, strs(&[DONGCHENG, SHANCHENG]));
    let s = SHANCHENG;
    assert_eq!(b.text(s, 0, 0), "住宅小区物业管理全覆盖进展情况调度表");
    assert_eq!(
        b.text(s, 1, 0),
        "山城街道办事处　　　　报送日期：2026-11-15"
    );
    assert_eq!(
        b.row(s, 2, 11),
        strs(&[
            "序号",
            "社区名称",
            "小区名称",
            "类别",
            "入驻物业管理企业名称",
            "物业管理性质\n（自主或外聘物业公司）",
            "入驻时间",
            "服务内容",
            "物业负责人",
            "联系电话",
            "备注",
        ])
    );
    let company = fixture::COMPANY;
    let want: [[&str; 11]; 4] = [
        [
            "1",
            "梅园社区",
            "梅花园",
            "1",
            company,
            "外聘物业公司",
            "",
            "",
            "张经理",
            "0632-8869917",
            "改造后引进",
        ],
        [
            "2",
            "梅园社区",
            "龙珠百合",
            "2",
            company,
            "外聘物业公司",
            "",
            "",
            "张经理",
            "0632-8869917",
            "",
        ],
        [
            "3",
            "梅园社区",
            "四十中宿舍",
            "3",
            "",
            "无物业（弃管）",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "4",
            "紫薇社区",
            "银山小区",
            "3",
            "",
            "街道兜底简易物业",
            "",
            "保洁、保安、维护秩序等基础性物业服务",
            "",
            "",
            "",
        ],
    ];
    for (i, w) in want.iter().enumerate() {
        let r = 3 + u32::try_from(i).unwrap();
        assert_eq!(b.row(s, r, 11), strs(w), "row {r}");
        assert!(
            b.is_number(s, r, 0) && b.is_number(s, r, 3),
            "序号 and 类别 are numbers"
        );
    }
    assert!(b.text(s, 7, 0).starts_with("注：1.根据小区实际情况"));
    assert!(b.text(s, 8, 0).starts_with("2.每月1号、15号报送"));
    // Title, subtitle and notes merged across the 11 columns.
    assert_eq!(
        b.merged(s),
        vec![
            ((0, 0), (0, 10)),
            ((1, 0), (1, 10)),
            ((7, 0), (7, 10)),
            ((8, 0), (8, 10))
        ]
    );
    // Another street's sheet numbers from 1.
    assert_eq!(b.row(DONGCHENG, 3, 3), strs(&["1", "东城社区", "东城一区"]));

    // A date that is not the 1st or the 15th is written, flagged.
    let r = build_dispatch(
        &db.store,
        &DispatchParams {
            scope: street(SHANCHENG),
            date: Some(date(2026, 11, 16)),
            today: date(2026, 11, 22),
        },
    )
    .await
    .unwrap();
    assert!(r.off_schedule);
    assert_eq!(r.streets.len(), 1);
    // A street with no compound is refused, naming it.
    let e = build_dispatch(
        &db.store,
        &DispatchParams {
            scope: street("不存在街道"),
            date: None,
            today: date(2026, 11, 22),
        },
    )
    .await
    .unwrap_err();
    assert!(e.message(anju_core::Lang::Zh).contains("不存在街道"), "{e}");
}

both!(task_lists_follow_annexes_3_and_4);
async fn task_lists_follow_annexes_3_and_4(db: TestDb) {
    let cs = fixture::setup(&db).await;
    fixture::tasks(&db, &cs).await;
    let r3 = build_tasks(&db.store, &street(SHANCHENG), TaskList::Annex3)
        .await
        .unwrap();
    assert_eq!(r3.tasks, 2);
    let b = round_trip(&r3.sheets());
    let s = "附件3";
    assert_eq!(
        b.text(s, 0, 0),
        "山亭区实施物业企业管理的住宅小区提升任务一览表"
    );
    assert_eq!(
        b.row(s, 1, 7),
        strs(&[
            "序号",
            "镇（街）",
            "社区名称",
            "实施物业企业管理的住宅小区",
            "提升任务",
            "责任人",
            "完成时间"
        ])
    );
    assert_eq!(
        b.row(s, 2, 7),
        strs(&[
            "1",
            "山城街道\n（2个）",
            "梅园社区（2）",
            "梅花园、龙珠百合",
            TASK3,
            "郭振华",
            "2020-11-30"
        ])
    );
    assert!(b.is_date(s, 2, 6), "完成时间 is a date");
    assert_eq!(b.text(s, 3, 0), "");

    // 附件4: the unmanaged compound; the street-fallback one's task was cancelled.
    let r4 = build_tasks(&db.store, &Scope::default(), TaskList::Annex4)
        .await
        .unwrap();
    assert_eq!(r4.tasks, 1);
    let b = round_trip(&r4.sheets());
    let s = "附件4";
    // Two districts in scope: no district prefix.
    assert_eq!(b.text(s, 0, 0), "实施住宅小区物业管理全覆盖任务一览表");
    assert_eq!(b.text(s, 1, 3), "未实施物业管理的住宅小区");
    assert_eq!(b.text(s, 1, 4), "工作任务");
    assert_eq!(
        b.row(s, 2, 7),
        strs(&[
            "1",
            "山城街道\n（1个）",
            "梅园社区（1）",
            "四十中宿舍",
            TASK4,
            "郭振华",
            "2020-11-15"
        ])
    );
}

both!(task_list_merges_street_and_shared_task_cells);
async fn task_list_merges_street_and_shared_task_cells(db: TestDb) {
    let cs = fixture::setup(&db).await;
    // Two communities under one task: 梅园社区 and 紫薇社区 (银山小区 is basic cover: 附件4).
    for name in ["四十中宿舍", "银山小区"] {
        db.store
            .add_task(
                &fixture::clerk(),
                anju_store::NewTask {
                    compound_id: id(&cs, name),
                    title: "全覆盖".into(),
                    detail: Some(TASK4.into()),
                    responsible: "郭振华".into(),
                    deadline: date(2020, 11, 15),
                },
            )
            .await
            .unwrap();
    }
    let r = build_tasks(&db.store, &street(SHANCHENG), TaskList::Annex4)
        .await
        .unwrap();
    let b = round_trip(&r.sheets());
    let s = "附件4";
    assert_eq!(
        b.row(s, 2, 4),
        strs(&["1", "山城街道\n（2个）", "梅园社区（1）", "四十中宿舍"])
    );
    assert_eq!(b.row(s, 3, 4), strs(&["", "", "紫薇社区（1）", "银山小区"]));
    // 序号, 镇（街）, task, 责任人, 完成时间 merged over the two rows (as the seed prints them).
    let m = b.merged(s);
    for col in [0, 1, 4, 5, 6] {
        assert!(
            m.contains(&((2, col), (3, col))),
            "column {col} merged: {m:?}"
        );
    }
    assert!(!m.iter().any(|(a, _)| a.1 == 2 || a.1 == 3));
}

both!(coverage_report_matches_stats);
async fn coverage_report_matches_stats(db: TestDb) {
    fixture::setup(&db).await;
    let r = build_coverage(&db.store, &Scope::default()).await.unwrap();
    // The same figures `anju stats` computes over the same compounds.
    let all = db.store.all_compounds_for_stats(None).await.unwrap();
    let stats = anju_core::stats::coverage(all.iter().map(|c| &c.compound));
    assert_eq!(
        serde_json::to_value(&r.report).unwrap(),
        serde_json::to_value(&stats).unwrap()
    );
    // The bands' reading is stated under the table (seed 004's 30户以下 / 30户以上 overlap at 30).
    let notes = &r.sheets()[0].notes;
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("读法 household_band = under_30：")
                && n.contains("恰好 30 户的小区计入后一档")),
        "{notes:?}"
    );
    let b = round_trip(&r.sheets());
    let s = "覆盖情况";
    assert_eq!(b.text(s, 0, 0), "物业管理覆盖情况统计表");
    assert_eq!(b.text(s, 1, 0), "范围：全部");
    // Group headings over two heading rows.
    assert_eq!(b.text(s, 2, 2), "合计");
    assert_eq!(b.text(s, 2, 5), "有物业企业服务");
    assert_eq!(b.text(s, 2, 8), "弃管（含自管）小区");
    assert_eq!(b.text(s, 2, 0), "街道");
    assert_eq!(b.text(s, 3, 8), "小区数");
    let m = b.merged(s);
    assert!(
        m.contains(&((2, 0), (3, 0))) && m.contains(&((2, 8), (2, 12))),
        "{m:?}"
    );
    // By hand: 东城街道 1 compound (40 户, abandoned, 30+), 山城街道 4 (284 户: two with a
    // company, one with a committee; one street fallback; one abandoned under 30 户).
    let want: [[&str; 15]; 6] = [
        [
            "东城街道",
            "小计",
            "1",
            "40",
            "10000",
            "0",
            "0",
            "0",
            "1",
            "0",
            "40",
            "0",
            "1",
            "0",
            "0",
        ],
        [
            "东城街道",
            "东城社区",
            "1",
            "40",
            "10000",
            "0",
            "0",
            "0",
            "1",
            "0",
            "40",
            "0",
            "1",
            "0",
            "0",
        ],
        [
            "山城街道",
            "小计",
            "4",
            "284",
            "40000",
            "2",
            "1",
            "1",
            "1",
            "0",
            "24",
            "1",
            "0",
            "1",
            "75",
        ],
        [
            "山城街道",
            "梅园社区",
            "3",
            "224",
            "30000",
            "2",
            "1",
            "0",
            "1",
            "0",
            "24",
            "1",
            "0",
            "1",
            "66.7",
        ],
        [
            "山城街道",
            "紫薇社区",
            "1",
            "60",
            "10000",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "100",
        ],
        [
            "合计", "", "5", "324", "50000", "2", "1", "1", "2", "0", "64", "1", "1", "1", "60",
        ],
    ];
    for (i, w) in want.iter().enumerate() {
        let row = 4 + u32::try_from(i).unwrap();
        assert_eq!(b.row(s, row, 15), strs(w), "row {row}");
        for c in 2..15 {
            assert!(b.is_number(s, row, c), "row {row} col {c} is a number");
        }
    }
}

both!(ranking_uses_month_end_and_shares_ties);
async fn ranking_uses_month_end_and_shares_ties(db: TestDb) {
    let cs = fixture::setup(&db).await;
    // 四十中宿舍 gets a company on 2026-03-10.
    let sc = db.store.get_compound(id(&cs, "四十中宿舍")).await.unwrap();
    let mut c = sc.compound.clone();
    c.mode = ManagementMode::Professional;
    c.company = Some(fixture::COMPANY.into());
    db.store
        .update_compound_dated(&fixture::clerk(), sc.id, sc.version, c, date(2026, 3, 10))
        .await
        .unwrap();
    let feb = build_ranking(
        &db.store,
        &RankingParams {
            scope: Scope::default(),
            month: "2026-02".into(),
            rule: RankRule::default(),
        },
    )
    .await
    .unwrap();
    assert_eq!(feb.as_of, date(2026, 2, 28));
    // February: neither street's unmanaged compound is covered yet: a tie, both first.
    let got: Vec<(u32, Option<&str>, Decimal)> = feb
        .streets
        .iter()
        .map(|r| (r.rank, r.street.as_deref(), r.progress_percent))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Some(SHANCHENG), Decimal::new(0, 2)),
            (1, Some(DONGCHENG), Decimal::new(0, 2)),
        ]
    );
    let mar = build_ranking(
        &db.store,
        &RankingParams {
            scope: Scope::default(),
            month: "2026-03".into(),
            rule: RankRule::default(),
        },
    )
    .await
    .unwrap();
    let b = round_trip(&mar.sheets());
    assert_eq!(b.names, strs(&["区排名", "街道排名"]));
    let s = "街道排名";
    assert_eq!(b.text(s, 1, 0), "考核月份：2026-03　　统计截止：2026-03-31");
    assert_eq!(
        b.row(s, 2, 9),
        strs(&[
            "名次",
            "区",
            "街道（镇）",
            "小区总数",
            "无物业小区",
            "已实现物业管理",
            "全覆盖进度（%）",
            "已成立业主组织",
            "业主组织组建率（%）"
        ])
    );
    assert_eq!(
        b.row(s, 3, 9),
        strs(&["1", "山亭区", SHANCHENG, "4", "1", "1", "100", "0", "0"])
    );
    assert_eq!(
        b.row(s, 4, 9),
        strs(&["2", "高新区", DONGCHENG, "1", "1", "0", "0", "0", "0"])
    );
    assert!(b.is_number(s, 3, 6));
    assert_eq!(b.row("区排名", 3, 3), strs(&["1", "山亭区", "4"]));
    assert!(b.text(s, 5, 0).contains("两项均相同的名次并列"));
    assert!(b.text(s, 5, 0).contains("以上排名规则为安居自定"));
    assert!(b.text(s, 5, 0).contains("“组织机构建立”不在台账数据中"));
    // The reporting office may choose a weighted score instead (Anju's own, stated on the
    // sheet): 70 % coverage + 30 % owners' bodies, 100 × 0.7 + 0 × 0.3 = 70.00.
    let weighted = build_ranking(
        &db.store,
        &RankingParams {
            scope: Scope::default(),
            month: "2026-03".into(),
            rule: RankRule::Weighted { coverage: 70 },
        },
    )
    .await
    .unwrap();
    let w = round_trip(&weighted.sheets());
    assert_eq!(w.text(s, 2, 9), "综合得分");
    assert_eq!(
        w.row(s, 3, 10),
        strs(&[
            "1",
            "山亭区",
            SHANCHENG,
            "4",
            "1",
            "1",
            "100",
            "0",
            "0",
            "70"
        ])
    );
    assert!(
        w.text(s, 5, 0)
            .contains("全覆盖进度 × 70% + 业主组织组建率 × 30%")
    );
    // A period that is not a month is refused.
    let e = build_ranking(
        &db.store,
        &RankingParams {
            scope: Scope::default(),
            month: "2026-H1".into(),
            rule: RankRule::default(),
        },
    )
    .await
    .unwrap_err();
    assert!(e.message(anju_core::Lang::Zh).contains("YYYY-MM"));
}

both!(score_sheet_follows_erqi_annex);
async fn score_sheet_follows_erqi_annex(db: TestDb) {
    let cs = fixture::setup(&db).await;
    let a = fixture::assessment(&db, &cs).await;
    let r = build_scores(
        &db.store,
        &ScoresParams {
            scope: street(SHANCHENG),
            period: "2026-H1".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(r.period_label, "2026年上半年");
    assert_eq!(r.sheets.len(), 1);
    assert_eq!(r.missing, strs(&["四十中宿舍", "龙珠百合", "银山小区"]));
    let b = round_trip(&r.sheets());
    let s = "梅花园";
    assert_eq!(
        b.text(s, 0, 0),
        "二七区老旧小区物业管理考核评分细则（2026年上半年）"
    );
    assert!(
        b.text(s, 1, 0).contains("状态：草稿"),
        "{}",
        b.text(s, 1, 0)
    );
    assert_eq!(
        b.row(s, 2, 7),
        strs(&[
            "序号",
            "考核大项",
            "考核分项",
            "分值",
            "评分标准",
            "扣分情况",
            "得分"
        ])
    );
    assert_eq!(
        b.row(s, 3, 7),
        strs(&[
            "1",
            "基础工作（20分）",
            "签订正式物业管理服务合同，在街道办事处、行业主管部门备案。",
            "10",
            "未签合同扣10分，未备案扣5分",
            "",
            "10",
        ])
    );
    // 20 items then 合计 and 等次.
    let rubric = anju_policy::rubric::Rubric::builtin("erqi").unwrap();
    assert_eq!(rubric.items.len(), 20);
    let row15 = 3 + 14;
    assert_eq!(b.text(s, row15, 0), "15");
    assert_eq!(b.text(s, row15, 6), "0", "capped at the item's 4 points");
    assert!(
        b.text(s, row15, 5).contains("50次"),
        "{}",
        b.text(s, row15, 5)
    );
    assert!(b.text(s, row15, 5).contains("扣分以本项分值4分为限"));
    let row20 = 3 + 19;
    assert_eq!(
        b.text(s, row20, 6),
        "",
        "satisfaction not scored without a survey"
    );
    assert!(b.text(s, row20, 5).starts_with("不计分："));
    assert_eq!(b.text(s, 23, 1), "合计");
    assert_eq!(b.text(s, 23, 3), "100");
    // By hand: 90 scored points − 4 (item 15) − item 4's one deduction.
    let d4 = rubric.item(4).unwrap().deductions[0].points;
    assert_eq!(a.score, Decimal::from(86) - d4);
    assert_eq!(
        b.text(s, 23, 6),
        (Decimal::from(86) - d4).normalize().to_string()
    );
    assert_eq!(b.text(s, 24, 1), "考核等次");
    assert_eq!(b.text(s, 24, 6), "未评定（有未计分项）");
    // 考核大项 merged over its items (basics: items 1–5 → rows 3–7).
    assert!(b.merged(s).contains(&((3, 1), (7, 1))), "{:?}", b.merged(s));
    // No assessment in the period: refused with the period in words.
    let e = build_scores(
        &db.store,
        &ScoresParams {
            scope: street(SHANCHENG),
            period: "2026-H2".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(e.message(anju_core::Lang::Zh).contains("2026年下半年"));
}

both!(public_accounts_add_up_to_the_fen);
async fn public_accounts_add_up_to_the_fen(db: TestDb) {
    let cs = fixture::setup(&db).await;
    fixture::accounts(&db, &cs).await;
    let r = build_accounts(
        &db.store,
        &AccountsParams {
            scope: street(SHANCHENG),
            compound: None,
            period: "2026-Q1".into(),
            owners_share: Decimal::from(10),
        },
    )
    .await
    .unwrap();
    // Only the compound with entries.
    assert_eq!(r.rows.len(), 1);
    let b = round_trip(&r.sheets());
    assert_eq!(b.names, strs(&["汇总", "梅花园"]));
    let s = "汇总";
    assert_eq!(
        b.text(s, 1, 0),
        "范围：山城街道　　公示期间：2026-Q1　　单位：元"
    );
    // By hand: income 10,000.00 + 1,234.56 + 5,000.00 = 16,234.56; spending 3,000.00 +
    // 1,500.50 = 4,500.50; balance 11,734.06; owners' body 10 % of 10,000.00 = 1,000.00.
    assert_eq!(
        b.row(s, 3, 10),
        strs(&[
            "1",
            SHANCHENG,
            "梅花园",
            "10000",
            "1234.56",
            "5000",
            "16234.56",
            "4500.5",
            "11734.06",
            "1000"
        ])
    );
    assert_eq!(
        b.row(s, 4, 10),
        strs(&[
            "", "合计", "", "10000", "1234.56", "5000", "16234.56", "4500.5", "11734.06", "1000"
        ])
    );
    assert!(b.is_number(s, 3, 6));
    let d = "梅花园";
    assert_eq!(b.text(d, 0, 0), "梅花园物业服务收支情况公示表");
    assert_eq!(
        b.row(d, 2, 4),
        strs(&["项目", "类别", "金额（元）", "说明"])
    );
    assert_eq!(b.row(d, 3, 1), strs(&["一、收入"]));
    assert_eq!(b.row(d, 4, 3), strs(&["物业服务费收入", "", "10000"]));
    let find = |label: &str| {
        (0..40u32)
            .find(|r| b.text(d, *r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(b.text(d, find("收入合计"), 2), "16234.56");
    assert_eq!(b.text(d, find("支出合计"), 2), "4500.5");
    assert_eq!(b.text(d, find("三、结余"), 2), "11734.06");
    assert_eq!(b.text(d, find("业主委员会分成"), 2), "1000");
    assert_eq!(b.text(d, find("业主委员会分成"), 3), "物业服务费收入的10%");
    // One named compound that has nothing for the period still gets its (empty) statement.
    let one = build_accounts(
        &db.store,
        &AccountsParams {
            scope: street(SHANCHENG),
            compound: Some("龙珠百合".into()),
            period: "2026-Q1".into(),
            owners_share: Decimal::from(10),
        },
    )
    .await
    .unwrap();
    assert_eq!(one.total.income, anju_core::Fen::ZERO);
    // A share outside 6–10 % is refused by the statement rules.
    assert!(
        build_accounts(
            &db.store,
            &AccountsParams {
                scope: street(SHANCHENG),
                compound: None,
                period: "2026-Q1".into(),
                owners_share: Decimal::from(11),
            },
        )
        .await
        .is_err()
    );
}

both!(dispatch_shows_entry_and_service_of_the_contract);
async fn dispatch_shows_entry_and_service_of_the_contract(db: TestDb) {
    use anju_core::contract::{Fees, ServiceLevel, Term};
    use anju_core::lifecycle::{Event, Signer};
    use anju_core::{Area, OwnersBody};
    use anju_store::{NewContract, StepRequest};
    let cs = fixture::setup(&db).await;
    let s = &db.store;
    let cid = id(&cs, "东城一区");
    let co = s
        .list_companies()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == fixture::COMPANY)
        .unwrap()
        .id;
    let step = |event: Event, on| async move {
        let v = s.lifecycle(cid).await.unwrap().version;
        s.advance(&fixture::clerk(), cid, v, &StepRequest::new(event, on))
            .await
            .unwrap();
    };
    step(Event::Consult, date(2026, 2, 1)).await;
    step(
        Event::DecideMode {
            mode: ManagementMode::Professional,
        },
        date(2026, 2, 5),
    )
    .await;
    step(
        Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        date(2026, 2, 10),
    )
    .await;
    step(Event::SelectCompany { company_id: co }, date(2026, 2, 20)).await;
    let k = s
        .sign_contract(
            &fixture::clerk(),
            &NewContract {
                compound_ids: vec![cid],
                company_id: co,
                signer: Signer::OwnersBody,
                signer_name: Some("东城一区业主委员会".into()),
                signed_on: date(2026, 3, 1),
                entry_on: Some(date(2026, 4, 1)),
                term: Term::years(3),
                service_level: ServiceLevel::TWO,
                min_level: Some(ServiceLevel::TWO),
                fees: Fees::LIAOCHENG_2021,
                served_area: Area::from_m2(8000),
                notice_on: None,
            },
        )
        .await
        .unwrap();
    let params = DispatchParams {
        scope: street(DONGCHENG),
        date: None,
        today: date(2026, 4, 3),
    };
    // Signed but not yet entered: nobody serves it, no entry date yet.
    let r = build_dispatch(s, &params).await.unwrap();
    let row = &r.streets[0].rows[0];
    assert_eq!(row.nature, "无物业（弃管）");
    assert_eq!(row.entry_on, None);
    s.file_contract(&fixture::clerk(), k.id, k.version, date(2026, 3, 5))
        .await
        .unwrap();
    step(Event::Enter, date(2026, 4, 1)).await;
    step(Event::StartService, date(2026, 4, 1)).await;
    let r = build_dispatch(s, &params).await.unwrap();
    assert_eq!(r.report_date, date(2026, 4, 1));
    let b = round_trip(&r.sheets());
    assert_eq!(
        b.row(DONGCHENG, 3, 11),
        strs(&[
            "1",
            "东城社区",
            "东城一区",
            "2",
            fixture::COMPANY,
            "外聘物业公司",
            "2026-04-01",
            "物业服务（二级服务标准）",
            "张经理",
            "0632-8869917",
            "",
        ])
    );
    assert!(b.is_date(DONGCHENG, 3, 6), "入驻时间 is a date");
}
