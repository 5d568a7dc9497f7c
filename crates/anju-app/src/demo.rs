//! The demo (演示数据, anju-demo's pure data) written into a database: its companies and
//! ledger, one account per role, and Shanting's task lists (seed 003 附件3/附件4). Every load is
//! idempotent: a second run changes nothing. An administrator's job: the command line's
//! `anju demo`, `anju serve --demo` and the benchmarks seed through here.

use crate::App;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::RegionLevel;
use anju_core::access::{Action, Role};
use anju_store::{ApplySummary, CompoundFilter, NewTask, NewUser, User};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "anju-demo-2026";
/// The demo department officer (区消防救援大队 of the district above Daqintala).
pub const DEMO_DEPARTMENT_USER: &str = "xiaofang";
/// The demo's owners' body member (业委会), of the compound with the register and the votes.
pub const DEMO_OWNERS_BODY_USER: &str = "yeweihui";
/// The department the demo officer acts for (seed 003 四（八）).
pub const DEMO_FIRE_BRIGADE: &str = "区消防救援大队";

/// What loading the demo ledger did.
#[derive(Debug, Clone)]
pub struct DemoLoaded {
    /// Compounds in the demo ledger.
    pub compounds: usize,
    pub summary: ApplySummary,
}

/// What loading Shanting's task lists did.
#[derive(Debug, Clone)]
pub struct DemoTasks {
    pub created: usize,
    /// Already there (a second load).
    pub skipped: usize,
    /// `community/name` of the seed's compounds the ledger does not hold.
    pub missing: Vec<String>,
}

/// A demo account: username, display name, role, region id, company id.
type DemoAccount = (&'static str, &'static str, Role, Option<i64>, Option<i64>);

fn require_city_admin(who: &Principal) -> Result<()> {
    who.require(Action::ManageUsers)?;
    if matches!(who.scope(), Scope::All) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "只有全市范围的管理员可以载入演示数据",
            "only a city-wide administrator may load the demo",
        ))
    }
}

/// The demo password's hash, computed once (argon2 is slow on purpose) and shared by every
/// demo account.
fn demo_hash(hash: &mut Option<String>) -> Result<String> {
    if let Some(h) = hash {
        return Ok(h.clone());
    }
    let h = crate::users::hash_password(DEMO_PASSWORD).map_err(|e| {
        AppError::Store(anju_store::StoreError::Invalid(format!(
            "密码散列失败：{e}"
        )))
    })?;
    *hash = Some(h.clone());
    Ok(h)
}
impl App {
    /// Copies an embedded (SQLite) database to a new file while it may be serving (`anju
    /// backup`); a city-wide administrator's job, as the demo is. PostgreSQL is refused, naming
    /// `pg_dump`.
    pub async fn backup_database(&self, who: &Principal, to: &std::path::Path) -> Result<()> {
        require_city_admin(who)?;
        Ok(self.store.backup_sqlite(to).await?)
    }

    /// Loads the demo companies and ledger (as of the census date, 2022-06-30).
    pub async fn load_demo(&self, who: &Principal) -> Result<DemoLoaded> {
        require_city_admin(who)?;
        let actor = who.actor();
        for c in anju_demo::demo_companies() {
            self.store
                .upsert_company(&actor, &c.name, Some(c.credit_code.clone()))
                .await?;
        }
        let rows = anju_demo::demo_ledger();
        let summary = self
            .store
            .apply_ledger(&actor, &rows, anju_demo::CENSUS_DATE)
            .await?;
        Ok(DemoLoaded {
            compounds: rows.len(),
            summary,
        })
    }

    /// Creates one demo account per role (existing usernames are left alone), all with
    /// [`DEMO_PASSWORD`], and returns the demo accounts. Needs the demo ledger loaded.
    pub async fn ensure_demo_accounts(&self, who: &Principal) -> Result<Vec<User>> {
        require_city_admin(who)?;
        let regions = self.store.list_regions().await?;
        let street = |name: &str| {
            regions
                .iter()
                .find(|r| r.level == RegionLevel::Street && r.name == name)
                .map(|r| r.id)
        };
        let daqintala = street(anju_demo::daqintala::STREET);
        let community = daqintala.and_then(|s| {
            regions
                .iter()
                .filter(|r| r.level == RegionLevel::Community && r.parent_id == Some(s))
                .min_by(|a, b| a.name.cmp(&b.name))
                .map(|r| r.id)
        });
        // The company serving the most Daqintala compounds.
        let company = match daqintala {
            Some(s) => {
                let list = self
                    .store
                    .list_compounds(&CompoundFilter {
                        region_id: Some(s),
                        ..CompoundFilter::default()
                    })
                    .await?;
                let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
                for c in list.iter().filter_map(|c| c.company_id) {
                    *counts.entry(c).or_default() += 1;
                }
                counts
                    .into_iter()
                    .max_by_key(|(id, n)| (*n, -id))
                    .map(|(id, _)| id)
            }
            None => None,
        };
        let plan: [DemoAccount; 9] = [
            ("admin", "系统管理员", Role::Admin, None, None),
            ("zhujian", "住建局 王局", Role::HousingAuthority, None, None),
            ("caizheng", "财政局 赵科", Role::Finance, None, None),
            (
                "daqintala",
                "大沁他拉街道 李强",
                Role::Street,
                daqintala,
                None,
            ),
            (
                "shancheng",
                "山城街道 郭振华",
                Role::Street,
                street(anju_demo::shanting::STREET),
                None,
            ),
            ("shequ", "社区 王敏", Role::Community, community, None),
            ("wuye", "物业企业 张经理", Role::Company, None, company),
            ("ceping", "测评机构 陈工", Role::Evaluator, None, None),
            ("shenji", "审计 刘审", Role::Auditor, None, None),
        ];
        let mut hash: Option<String> = None;
        let actor = who.actor();
        for (username, display, role, region_id, company_id) in plan {
            if (role.needs_region() && region_id.is_none())
                || (role.needs_company() && company_id.is_none())
                || self.store.find_user(username).await?.is_some()
            {
                continue;
            }
            let h = demo_hash(&mut hash)?;
            self.store
                .create_user(
                    &actor,
                    NewUser {
                        username: username.into(),
                        display_name: display.into(),
                        password_hash: h,
                        role,
                        region_id,
                        company_id,
                        department_id: None,
                        compound_id: None,
                    },
                )
                .await?;
        }
        // The district above Daqintala gets seed 003's departments, and its fire brigade an
        // officer's account (镇街吹哨、部门报到).
        let district = daqintala
            .and_then(|s| regions.iter().find(|r| r.id == s))
            .and_then(|s| s.parent_id)
            .filter(|d| {
                regions
                    .iter()
                    .any(|r| r.id == *d && r.level == RegionLevel::District)
            });
        if let Some(d) = district {
            self.seed_departments(who, d).await?;
            let fire = self
                .store
                .list_departments(Some(d), false)
                .await?
                .into_iter()
                .find(|x| x.district_id == d && x.name == DEMO_FIRE_BRIGADE);
            if let Some(f) = fire
                && self.store.find_user(DEMO_DEPARTMENT_USER).await?.is_none()
            {
                let h = demo_hash(&mut hash)?;
                self.store
                    .create_user(
                        &actor,
                        NewUser {
                            username: DEMO_DEPARTMENT_USER.into(),
                            display_name: "区消防救援大队 孙队".into(),
                            password_hash: h,
                            role: Role::Department,
                            region_id: Some(d),
                            company_id: None,
                            department_id: Some(f.id),
                            compound_id: None,
                        },
                    )
                    .await?;
            }
        }
        if let (Some(d), Some(st)) = (district, daqintala) {
            self.demo_organisation(who, d, st, community, company)
                .await?;
            self.demo_votes(who, community.unwrap_or(st)).await?;
            // The owners' committee's member of that compound (业委会 王主任).
            if let Some(c) = self.demo_votes_compound(community.unwrap_or(st)).await?
                && self.store.find_user(DEMO_OWNERS_BODY_USER).await?.is_none()
            {
                let h = demo_hash(&mut hash)?;
                self.store
                    .create_user(
                        &actor,
                        NewUser {
                            username: DEMO_OWNERS_BODY_USER.into(),
                            display_name: format!("{} 业委会 王主任", c.compound.name),
                            password_hash: h,
                            role: Role::OwnersBody,
                            region_id: Some(c.street_id),
                            company_id: None,
                            department_id: None,
                            compound_id: Some(c.id),
                        },
                    )
                    .await?;
            }
        }
        if let Some(st) = daqintala {
            self.demo_renovation(who, community.unwrap_or(st)).await?;
        }
        let mut demo_names: Vec<&str> = plan.iter().map(|p| p.0).collect();
        demo_names.push(DEMO_DEPARTMENT_USER);
        demo_names.push(DEMO_OWNERS_BODY_USER);
        Ok(self
            .store
            .list_users()
            .await?
            .into_iter()
            .filter(|u| demo_names.contains(&u.username.as_str()))
            .collect())
    }

    /// The demo's renovation (issue 19 items 4 and 5), once: the first unmanaged compound (by
    /// name) of `region` gets a renovation project whose construction started a month ago with
    /// no company chosen (so the 工作台 and the project page show seed 002 六（一）'s alert), five
    /// households' 三承诺, and a fee standard approved two months ago.
    async fn demo_renovation(&self, who: &Principal, region: i64) -> Result<()> {
        use crate::renovation::{CommitmentInput, FeeStandardInput, RenovationInput};
        use anju_core::Fen;
        use anju_core::contract::Fees;
        use anju_core::ids::{CompoundId, RenovationId};
        use anju_core::renovation::Commitments;
        let list = self
            .store
            .list_compounds(&CompoundFilter {
                region_id: Some(region),
                ..CompoundFilter::default()
            })
            .await?;
        let Some(c) = list
            .iter()
            .filter(|c| c.company_id.is_none())
            .min_by(|a, b| a.compound.name.cmp(&b.compound.name).then(a.id.cmp(&b.id)))
        else {
            return Ok(());
        };
        let id = CompoundId(c.id);
        if !self.store.renovations_of(c.id).await?.is_empty() {
            return Ok(());
        }
        let today = self.today();
        let ago = |days: i64| {
            today
                .checked_sub(jiff::Span::new().days(days))
                .unwrap_or(today)
        };
        let street = who.clone().recorded_as("street");
        let p = self
            .start_renovation(
                &street,
                RenovationInput {
                    compound_id: id,
                    name: "2026年老旧小区综合改造（第一批）".into(),
                    procedures_on: Some(ago(120)),
                    construction_on: Some(ago(30)),
                    acceptance_on: None,
                    note: Some("演示数据：施工已进场，尚未选定物业服务企业".into()),
                },
            )
            .await?;
        let yes = Commitments {
            demolish: true,
            maintenance_fund: true,
            repair_fees: true,
        };
        let answers = [
            ("1-1-101", "张桂兰", yes),
            ("1-1-102", "刘德明", yes),
            ("1-2-201", "", yes),
            (
                "2-1-301",
                "王秀英",
                Commitments {
                    demolish: false,
                    ..yes
                },
            ),
            (
                "2-1-302",
                "",
                Commitments {
                    repair_fees: false,
                    maintenance_fund: false,
                    ..yes
                },
            ),
        ];
        for (house, owner, commitments) in answers {
            self.answer_commitments(
                &street,
                RenovationId(p.id),
                CommitmentInput {
                    house: house.into(),
                    owner: Some(owner.into()),
                    commitments,
                },
            )
            .await?;
        }
        self.add_fee_standard(
            &who.clone().recorded_as("housing_authority"),
            FeeStandardInput {
                compound_id: id,
                fees: Fees {
                    multi: Some(Fen(60)),
                    high: Some(Fen(90)),
                },
                doc_no: "奈发改价字〔2026〕12号".into(),
                approved_on: ago(60),
                department: "旗发展和改革委员会".into(),
                note: None,
            },
        )
        .await?;
        Ok(())
    }

    /// The demo's organisation (issue 18 item 3), once: the district's leading group (a roster as
    /// seed 003 附件1 prints one; the names are invented), a 调度会 of Daqintala ten days ago whose
    /// decisions went to its first community (now overdue) and to the fire brigade, and a 约谈 of
    /// the demo company with a 整改要求.
    async fn demo_organisation(
        &self,
        who: &Principal,
        district: i64,
        street: i64,
        community: Option<i64>,
        company: Option<i64>,
    ) -> Result<()> {
        use crate::organisation::{CensureInput, GroupInput, MeetingInput};
        use anju_core::organisation::{CensureKind, GroupKind, MeetingKind, UnitKind};
        use anju_store::{NewDecision, OrgScope, Unit};
        if !self
            .store
            .list_groups(OrgScope::Region(district))
            .await?
            .is_empty()
        {
            return Ok(());
        }
        let today = self.today();
        let ago = |days: i64| {
            today
                .checked_sub(jiff::Span::new().days(days))
                .unwrap_or(today)
        };
        self.add_group(
            who,
            GroupInput {
                region_id: district,
                kind: GroupKind::LeadingGroup,
                name: "住宅小区物业管理工作领导小组".into(),
                office: None,
                document: Some("奈政办发〔2026〕12号".into()),
                established_on: ago(90),
                members: Vec::new(),
                roster: Some(
                    "组  长：王  刚  旗委常委、政府副旗长\n副组长：李  华  政府副旗长\n\
                     成  员：张  伟  旗住建局局长\n赵  敏  旗民政局局长\n孙  磊  旗消防救援大队大队长\n\
                     李  强  大沁他拉街道办事处主任\n\
                     领导小组下设办公室，办公室设在旗住建局，张伟同志兼任办公室主任。"
                        .into(),
                ),
            },
        )
        .await?;
        let fire = self
            .store
            .list_departments(Some(district), true)
            .await?
            .into_iter()
            .find(|x| x.district_id == district && x.name == DEMO_FIRE_BRIGADE);
        let mut decisions = Vec::new();
        if let Some(c) = community {
            decisions.push(NewDecision {
                unit: Unit {
                    kind: UnitKind::Region,
                    id: c,
                },
                text: "完成社区内无物业小区摸底，报送业主意见征求情况".into(),
                deadline: ago(3),
            });
        }
        if let Some(f) = fire {
            decisions.push(NewDecision {
                unit: Unit {
                    kind: UnitKind::Department,
                    id: f.id,
                },
                text: "对老旧小区消防通道占用开展联合检查".into(),
                deadline: today
                    .checked_add(jiff::Span::new().days(10))
                    .unwrap_or(today),
            });
        }
        self.add_meeting(
            who,
            MeetingInput {
                region_id: street,
                group_id: None,
                kind: MeetingKind::Dispatch,
                title: "物业管理全覆盖工作调度会".into(),
                held_on: ago(10),
                place: Some("街道办事处三楼会议室".into()),
                attendees: "街道办事处主任、分管副主任、各社区书记、旗住建局物业科".into(),
                minutes: "通报各社区摸底和业主意见征求进度；部署下一阶段选聘和兜底工作。".into(),
                decisions,
            },
        )
        .await?;
        if let Some(co) = company {
            self.add_censure(
                who,
                CensureInput {
                    region_id: street,
                    kind: CensureKind::Interview,
                    unit: Unit {
                        kind: UnitKind::Company,
                        id: co,
                    },
                    on_day: ago(5),
                    reason: "季度考核垃圾清运、公共照明项目扣分较多，居民投诉集中".into(),
                    document: None,
                    interviewee: Some("项目经理".into()),
                    follow_up: Some("两周内完成垃圾清运和照明整改，报街道物业办".into()),
                    follow_up_deadline: Some(
                        today
                            .checked_add(jiff::Span::new().days(9))
                            .unwrap_or(today),
                    ),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The compound of the demo's register, votes and fund: the first of `region` by name.
    async fn demo_votes_compound(&self, region: i64) -> Result<Option<anju_store::StoredCompound>> {
        let mut compounds = self
            .store
            .list_compounds(&anju_store::CompoundFilter {
                region_id: Some(region),
                ..anju_store::CompoundFilter::default()
            })
            .await?;
        compounds.sort_by(|a, b| a.compound.name.cmp(&b.compound.name));
        Ok(compounds.into_iter().next())
    }

    /// The demo's owners' register, vote and fund (issue 19 items 2 and 4), once: on the first
    /// compound of the community (by name), twelve households; 首期归集 of 200,000.00 元 sixty
    /// days ago; a use (单元门禁更换, 36,800.00 元) carried forty to thirty days ago by ten of the
    /// twelve households, approved and paid; and a vote to raise the fund, open until next week.
    async fn demo_votes(&self, who: &Principal, region: i64) -> Result<()> {
        use anju_core::Fen;
        use anju_core::vote::{Choice, Matter};
        use anju_store::{
            BallotChoice, FundUseStep, NewFundEntry, NewFundUse, NewHousehold, NewVote,
        };
        let Some(c) = self.demo_votes_compound(region).await? else {
            return Ok(());
        };
        let c = &c;
        if !self.store.households_of(c.id).await?.is_empty() {
            return Ok(());
        }
        let actor = who.actor();
        let today = self.today();
        let ago = |days: i64| {
            today
                .checked_sub(jiff::Span::new().days(days))
                .unwrap_or(today)
        };
        let surnames = [
            "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
        ];
        let rows: Vec<NewHousehold> = (0..12)
            .map(|i| NewHousehold {
                unit: format!(
                    "{}-{}-{}0{}",
                    1 + i / 6,
                    1 + (i % 6) / 2,
                    1 + (i % 6) / 2,
                    1 + i % 2
                ),
                owner_name: Some(format!("{}业主", surnames[i])),
                area_centi: [8_856, 10_213, 7_620, 12_045, 9_330, 8_856][i % 6],
            })
            .collect();
        self.store.import_households(&actor, c.id, &rows).await?;
        self.store
            .add_fund_entry(
                &actor,
                NewFundEntry {
                    compound_id: c.id,
                    kind: "deposit",
                    amount: Fen(20_000_000),
                    on: ago(60),
                    note: Some("首期归集".into()),
                    vote_id: None,
                },
            )
            .await?;
        let use_ = self
            .store
            .apply_fund_use(
                &actor,
                NewFundUse {
                    compound_id: c.id,
                    title: "单元门禁更换".into(),
                    cost: Fen(3_680_000),
                    quotes: Some("安达智能 36,800.00 元；恒通门业 39,200.00 元".into()),
                    applied_on: ago(45),
                },
            )
            .await?;
        let vote = self
            .store
            .open_vote(
                &actor,
                NewVote {
                    compound_id: c.id,
                    matter: Matter::UseFund,
                    question: "使用专项维修资金 36,800.00 元更换各单元门禁".into(),
                    owners_body_id: None,
                    opens_on: ago(40),
                    closes_on: ago(30),
                    options: vec![("同意".into(), None)],
                },
            )
            .await?;
        for (i, b) in self.store.vote_ballots(vote.id).await?.iter().enumerate() {
            let choice = match i {
                0..=7 => Choice::ForOption,
                8 | 9 => Choice::Against,
                _ => continue,
            };
            let option_no = (choice == Choice::ForOption).then_some(1);
            self.store
                .cast_ballot(&b.token, BallotChoice { choice, option_no }, ago(35))
                .await?;
        }
        let vote = self
            .store
            .close_vote(&actor, vote.id, vote.version, ago(30))
            .await?;
        let mut u = self
            .store
            .fund_use_step(
                &actor,
                use_.id,
                use_.version,
                FundUseStep::Voted { vote_id: vote.id },
            )
            .await?;
        self.store
            .note_vote_applied(&actor, vote.id, "据此使用维修资金：单元门禁更换")
            .await?;
        u = self
            .store
            .fund_use_step(
                &actor,
                u.id,
                u.version,
                FundUseStep::Approve { on: ago(25) },
            )
            .await?;
        self.store
            .fund_use_step(
                &actor,
                u.id,
                u.version,
                FundUseStep::Pay {
                    on: ago(20),
                    amount: Fen(3_680_000),
                },
            )
            .await?;
        self.store
            .open_vote(
                &actor,
                NewVote {
                    compound_id: c.id,
                    matter: Matter::RaiseFund,
                    question: "按每平方米 30 元续筹专项维修资金".into(),
                    owners_body_id: None,
                    opens_on: today,
                    closes_on: today
                        .checked_add(jiff::Span::new().days(7))
                        .unwrap_or(today),
                    options: vec![("同意".into(), None)],
                },
            )
            .await?;
        Ok(())
    }

    /// Seed 003 附件3/附件4: one task per compound of each community row, responsible person and
    /// deadline as the seed gives them (11月底 → 2020-11-30, 11月15日 → 2020-11-15). Refused,
    /// naming the street, when the demo ledger is not loaded.
    pub async fn load_shanting_tasks(&self, who: &Principal) -> Result<DemoTasks> {
        use anju_demo::shanting::{self, List};
        who.require(Action::ManageTasks)?;
        let compounds = self
            .compounds(
                who,
                CompoundFilter {
                    street: Some(shanting::STREET.to_string()),
                    ..CompoundFilter::default()
                },
            )
            .await?;
        if compounds.is_empty() {
            return Err(AppError::field(
                "street",
                "街道",
                "山城街道没有小区：请先载入演示数据",
                "山城街道 has no compounds: load the demo data first",
            ));
        }
        let mut new = Vec::new();
        let mut missing = Vec::new();
        for row in shanting::tasks() {
            let title = match row.list {
                List::Annex3 => "物业管理整治提升（附件3）",
                List::Annex4 => "物业管理全覆盖（附件4）",
            };
            let deadline: jiff::civil::Date = row.deadline.parse().map_err(|_| {
                AppError::field(
                    "deadline",
                    "完成时间",
                    format!("种子数据的日期“{}”无法识别", row.deadline),
                    format!("seed deadline '{}' is not a date", row.deadline),
                )
            })?;
            for name in &row.compounds {
                match compounds.iter().find(|c| {
                    c.compound.name == *name
                        && c.compound.community.as_deref() == Some(row.community)
                }) {
                    Some(c) => new.push(NewTask {
                        compound_id: c.id,
                        title: title.to_string(),
                        detail: Some(format!("{}（完成时间：{}）", row.task, row.deadline_text)),
                        responsible: row.responsible.to_string(),
                        deadline,
                    }),
                    None => missing.push(format!("{}/{}", row.community, name)),
                }
            }
        }
        let (created, skipped) = self.add_tasks_once(who, &new).await?;
        Ok(DemoTasks {
            created: created.len(),
            skipped,
            missing,
        })
    }
}
