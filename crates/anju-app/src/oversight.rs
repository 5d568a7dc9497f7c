//! Oversight: patrols and their rectification orders, complaints, and assessments (who may
//! assess which compound: a third-party evaluator only the compounds it was commissioned for).

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope, outside};
use anju_core::access::{Action, Role};
use anju_core::assessment::{AssessorKind, Outcome, Period};
use anju_core::oversight::{ComplaintSource, FindingCategory, PatrolKind};
use anju_core::{AssessmentId, ComplaintId, CompoundId, OrderId, PatrolId};
use anju_policy::rubric::{Event, Rubric, Survey as SurveyScore};
use anju_store::{
    Assessment, AssessmentFilter, Complaint, ComplaintFilter, ComplaintRules, NewAssessment,
    NewComplaint, NewFinding, NewPatrol, OrderFilter, Patrol, RectificationOrder, StoreError,
    StoredCompound, Survey, SurveyFilter,
};
use jiff::civil::Date;

/// The most days one 法定节假日 entry may span (the longest, 国庆, is 8).
pub const HOLIDAY_MAX_DAYS: i32 = 31;

/// A scored assessment as entered (考核评分).
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    pub compound_id: i64,
    pub period: Period,
    pub rubric: Rubric,
    /// Who assesses: `None` follows from the principal's account (an evaluator under its
    /// organisation, a street or community office under its region, anyone else as the housing
    /// authority). Only an administrator (the command line) may name another.
    pub assessor: Option<(AssessorKind, String)>,
    pub events: Vec<Event>,
    pub survey: Option<SurveyScore>,
    /// 申诉期 in days (the store's default when `None`).
    pub objection_days: Option<u32>,
    pub evidence: Vec<String>,
    /// Submit it at once, scored today.
    pub submit: bool,
    /// The Erqi party items (6–9) counted from the compound's red property records; a count
    /// given in `events` that differs is kept as typed (`App::party_counts_for`).
    pub party_from_records: bool,
}

/// A step of a complaint after it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplaintStep {
    /// 签收 by the compound's company.
    Sign { on: Date },
    /// The resident's rating of the answer, 1–5.
    Rate { rating: u32 },
    /// 办结 by the street or community.
    Close { on: Date },
    /// 核实 by the street: substantiated or unfounded, with what was found. Only a
    /// substantiated complaint counts against the company in its credit file.
    Verify {
        verdict: anju_core::oversight::ComplaintVerdict,
        note: String,
        on: Date,
    },
}

/// A step of an assessment after its submission.
#[derive(Debug, Clone)]
pub enum AssessmentStep {
    /// 复核 by the district: confirmed, or adjusted with a reason and, optionally, the corrected
    /// events (re-scored with the assessment's own rubric).
    Review {
        outcome: Outcome,
        reason: Option<String>,
        events: Option<Vec<Event>>,
    },
    /// 申诉 by the compound's company, within the objection window.
    Object { text: String },
    /// 申诉处理决定: upheld or adjusted; the assessment is then final.
    Decide {
        outcome: Outcome,
        reason: Option<String>,
        events: Option<Vec<Event>>,
    },
    /// 定案 without an objection (after the window, or at once when the company waived it).
    Finalize { waived: bool },
}

impl AssessmentStep {
    /// The permission the step needs.
    pub fn action(&self) -> Action {
        match self {
            AssessmentStep::Object { .. } => Action::AnswerOrders,
            _ => Action::ReviewAssessments,
        }
    }
}

/// A patrol as the inspector records it; each finding may open a rectification order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = NewPatrol)]
pub struct PatrolInput {
    pub compound_id: CompoundId,
    pub kind: PatrolKind,
    /// 巡查日期（不得晚于今天）
    pub date: Date,
    pub inspector: String,
    pub note: Option<String>,
    #[serde(default)]
    pub findings: Vec<FindingInput>,
}

/// One finding of a patrol.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = NewFinding)]
pub struct FindingInput {
    pub category: FindingCategory,
    pub description: String,
    /// 已上传照片的 SHA-256（POST /api/v1/evidence 的返回）
    #[serde(default)]
    pub evidence: Vec<String>,
    /// 填写时向小区的物业企业发出整改单，整改期限至该日（含）
    pub order_deadline: Option<Date>,
}

/// A complaint as it is received (the API's body takes `source` by its code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintInput {
    pub compound_id: CompoundId,
    pub source: ComplaintSource,
    /// 类别 (环境卫生, 维修, 收费, 秩序 …), free text.
    pub category: String,
    pub text: String,
    pub received_on: Date,
    /// 联系方式 a resident may leave (optional).
    pub contact: Option<String>,
}

/// An answer to an order or a complaint.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub version: i64,
    pub text: String,
    pub on: Date,
    pub evidence: Vec<String>,
}

impl App {
    /// Whether a record of `compound_id`, served by `company_id`, is the principal's to see: a
    /// company sees its own records, everyone else the records of compounds in their scope.
    async fn record_in_scope(
        &self,
        who: &Principal,
        compound_id: i64,
        company_id: Option<i64>,
    ) -> Result<bool> {
        Ok(match who.scope() {
            Scope::Company(own) => company_id == Some(own),
            Scope::Compound(own) => compound_id == own,
            Scope::Nothing => false,
            Scope::All => true,
            Scope::Region(_) => self.sees_compound(who, compound_id).await?,
        })
    }

    /// The order, refused unless it is the principal's to see.
    pub async fn order_in_scope(&self, who: &Principal, id: OrderId) -> Result<RectificationOrder> {
        let o = self.store().get_order(id.get()).await?;
        if self
            .record_in_scope(who, o.compound_id, Some(o.company_id))
            .await?
        {
            Ok(o)
        } else {
            Err(outside("整改单", "order", id))
        }
    }

    /// The complaint, refused unless it is the principal's to see.
    pub async fn complaint_in_scope(&self, who: &Principal, id: ComplaintId) -> Result<Complaint> {
        let c = self.store().get_complaint(id.get()).await?;
        if self
            .record_in_scope(who, c.compound_id, c.company_id)
            .await?
        {
            Ok(c)
        } else {
            Err(outside("投诉", "complaint", id))
        }
    }

    /// The rectification orders the principal may see: a company its own, everyone else those
    /// of the compounds in their scope (a condition of the query).
    pub async fn orders(
        &self,
        who: &Principal,
        mut f: OrderFilter,
    ) -> Result<Vec<RectificationOrder>> {
        who.require(Action::ViewLedger)?;
        f.scope = who.scope();
        Ok(self.store().list_orders(&f).await?)
    }

    /// The complaints the principal may see: a company those against it, everyone else those
    /// of the compounds in their scope.
    pub async fn complaints(
        &self,
        who: &Principal,
        mut f: ComplaintFilter,
    ) -> Result<Vec<Complaint>> {
        who.require(Action::ViewLedger)?;
        f.scope = who.scope();
        Ok(self.store().list_complaints(&f).await?)
    }

    /// The assessments the principal may see: a company those of its service, a third-party
    /// evaluator those of the compounds it was commissioned for, everyone else those of the
    /// compounds in their scope.
    pub async fn assessments(
        &self,
        who: &Principal,
        mut f: AssessmentFilter,
    ) -> Result<Vec<Assessment>> {
        who.require(Action::ViewLedger)?;
        f.scope = who.scope();
        if who.role == Role::Evaluator {
            f.as_evaluator = Some(Self::evaluator_name(who));
        }
        Ok(self.store().list_assessments(&f).await?)
    }

    /// One assessment, refused unless the principal may see it (as [`App::assessments`]).
    pub async fn assessment(&self, who: &Principal, id: AssessmentId) -> Result<Assessment> {
        who.require(Action::ViewLedger)?;
        let a = self.store().get_assessment(id.get()).await?;
        if !self
            .record_in_scope(who, a.compound_id, a.company_id)
            .await?
        {
            return Err(outside("考核", "assessment", id));
        }
        if who.role == Role::Evaluator {
            self.assessable(who, CompoundId(a.compound_id)).await?;
        }
        Ok(a)
    }

    /// The satisfaction surveys the principal may see: those of the compounds in their scope
    /// (a company: the compounds it serves).
    pub async fn surveys(&self, who: &Principal, mut f: SurveyFilter) -> Result<Vec<Survey>> {
        who.require(Action::ViewLedger)?;
        f.scope = who.scope();
        Ok(self.store().list_surveys(&f).await?)
    }

    /// The name a third-party evaluator's account acts under (its organisation, else its login).
    pub fn evaluator_name(who: &Principal) -> String {
        who.organisation.clone().unwrap_or_else(|| who.name.clone())
    }

    /// The compound, when the principal may assess it: in scope and, for a third-party
    /// evaluator, commissioned (`evaluator_assignments`).
    pub async fn assessable(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<StoredCompound> {
        let c = self.compound_in_scope(who, compound_id).await?;
        if who.role == Role::Evaluator {
            let me = App::evaluator_name(who);
            if !self
                .store()
                .evaluator_assigned(&me, compound_id.get())
                .await?
            {
                return Err(AppError::forbidden(
                    format!("测评机构“{me}”未受委托测评小区“{}”", c.compound.name),
                    format!("evaluator '{me}' is not assigned '{}'", c.compound.name),
                ));
            }
        }
        Ok(c)
    }

    /// Whether the principal may enter an assessment of this compound (a page offers the form
    /// only then): the role's permission and, for an evaluator, its commission.
    pub async fn may_assess(&self, who: &Principal, compound_id: CompoundId) -> Result<bool> {
        if who.require(Action::Assess).is_err() {
            return Ok(false);
        }
        match self.assessable(who, compound_id).await {
            Ok(_) => Ok(true),
            Err(AppError::Forbidden { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Records a patrol (巡查) with its findings; each finding opens a rectification order.
    pub async fn add_patrol(&self, who: &Principal, p: PatrolInput) -> Result<Patrol> {
        who.require(Action::Patrol)?;
        self.compound_in_scope(who, p.compound_id).await?;
        let date = EventDate::Patrol.check_as("date", "巡查日期", p.date, self.today())?;
        let inspector = check::text(
            Field::new("inspector", "巡查人"),
            &p.inspector,
            NAME_MAX,
            false,
        )?;
        let note = check::opt_text(
            Field::new("note", "说明"),
            p.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let mut findings = Vec::with_capacity(p.findings.len());
        for (i, f) in p.findings.into_iter().enumerate() {
            if f.order_deadline.is_some_and(|d| d < date) {
                let n = i + 1;
                return Err(AppError::Invalid(crate::error::FieldError {
                    field: "findings.order_deadline".into(),
                    zh: format!("问题 {n}：整改期限不能早于巡查日期"),
                    en: format!("finding {n}: the deadline cannot be before the patrol date"),
                }));
            }
            findings.push(NewFinding {
                category: f.category,
                description: check::text(
                    Field::new("findings.description", "问题描述"),
                    &f.description,
                    NOTE_MAX,
                    true,
                )?,
                evidence: f.evidence,
                order_deadline: f.order_deadline,
            });
        }
        let p = NewPatrol {
            compound_id: p.compound_id.get(),
            kind: p.kind,
            date,
            inspector,
            note,
            findings,
        };
        let patrol = self.store().add_patrol(&who.actor(), p).await?;
        self.notify_orders(&patrol).await;
        Ok(patrol)
    }

    /// Each rectification order a patrol opened reaches its company's inbox.
    async fn notify_orders(&self, patrol: &Patrol) {
        for f in &patrol.findings {
            let Some(id) = f.order_id else { continue };
            let Ok(o) = self.store().get_order(id).await else {
                continue;
            };
            let to = self.company_people(o.company_id).await;
            let n = anju_store::NewNotice {
                kind: "order".into(),
                title: format!("新整改通知：{}", o.compound),
                body: format!("{}，整改期限 {}。", o.description, o.deadline),
                link: Some(format!("/patrols/{}", patrol.id)),
                dedupe: None,
            };
            self.notify(&to, n).await;
        }
    }

    /// A new complaint reaches its company's inbox; on a compound no company serves, the
    /// street's and the community's (it lands with them, never with nobody).
    async fn notify_complaint(&self, c: &Complaint) {
        let to = match c.company_id {
            Some(company) => self.company_people(company).await,
            None => match self.store().get_compound(c.compound_id).await {
                Ok(k) => {
                    let mut to = self.region_people(Role::Street, k.street_id).await;
                    if let Some(m) = k.community_id {
                        to.extend(self.region_people(Role::Community, m).await);
                    }
                    to
                }
                Err(_) => Vec::new(),
            },
        };
        let n = anju_store::NewNotice {
            kind: "complaint".into(),
            title: if c.company_id.is_some() {
                format!("新投诉：{}", c.compound)
            } else {
                format!("无物业小区的投诉，请街道、社区处理：{}", c.compound)
            },
            body: format!(
                "{}：{}（签收期限 {}，答复期限 {}）",
                c.category,
                c.text.chars().take(80).collect::<String>(),
                c.sign_deadline,
                c.answer_deadline
            ),
            link: Some(format!("/complaints/{}", c.id)),
            dedupe: None,
        };
        self.notify(&to, n).await;
    }

    /// The company answers a rectification order (only the order's company answers).
    pub async fn answer_order(
        &self,
        who: &Principal,
        id: OrderId,
        a: AnswerInput,
    ) -> Result<RectificationOrder> {
        who.require(Action::AnswerOrders)?;
        let o = self.order_in_scope(who, id).await?;
        let text = check::text(Field::new("text", "答复内容"), &a.text, NOTE_MAX, true)?;
        let on = EventDate::OrderAnswer.check(a.on, self.today())?;
        Ok(self
            .store()
            .answer_order(
                &who.actor(),
                id.get(),
                a.version,
                who.company_id.unwrap_or(o.company_id),
                &text,
                &a.evidence,
                on,
            )
            .await?)
    }

    /// The inspector accepts an answered order (验收销号).
    pub async fn close_order(
        &self,
        who: &Principal,
        id: OrderId,
        version: i64,
        on: Date,
    ) -> Result<RectificationOrder> {
        who.require(Action::Patrol)?;
        self.order_in_scope(who, id).await?;
        let on = EventDate::OrderClosing.check(on, self.today())?;
        Ok(self
            .store()
            .close_order(&who.actor(), id.get(), version, on)
            .await?)
    }

    /// The inspector reopens an answered or closed order (复查不合格), with a new deadline when
    /// given (a plan: it may lie ahead, never before today).
    pub async fn reopen_order(
        &self,
        who: &Principal,
        id: OrderId,
        version: i64,
        deadline: Option<Date>,
    ) -> Result<RectificationOrder> {
        who.require(Action::Patrol)?;
        self.order_in_scope(who, id).await?;
        if let Some(d) = deadline
            && d < self.today()
        {
            return Err(AppError::field(
                "deadline",
                "新的整改期限",
                format!("{d} 早于今天（{}）", self.today()),
                format!("{d} is before today ({})", self.today()),
            ));
        }
        Ok(self
            .store()
            .reopen_order(&who.actor(), id.get(), version, deadline)
            .await?)
    }

    /// An order with the patrol that found it and its compound, when the principal may see it.
    pub async fn order_with_patrol(
        &self,
        who: &Principal,
        id: OrderId,
    ) -> Result<(RectificationOrder, Patrol, StoredCompound)> {
        let o = self.order_in_scope(who, id).await?;
        let c = self
            .compound_in_scope(who, CompoundId(o.compound_id))
            .await?;
        let p = self
            .store()
            .list_patrols(o.compound_id)
            .await?
            .into_iter()
            .find(|p| p.findings.iter().any(|f| f.id == o.finding_id))
            .ok_or(StoreError::NotFound {
                entity: "patrol",
                id: o.finding_id,
            })?;
        Ok((o, p, c))
    }

    /// Records a complaint received by the street, the community or the 12345 hotline. Its
    /// deadlines count working days past the registered holidays; `days` (签收, 答复 working
    /// days) replaces the defaults, for an administrator only (the command line's flags).
    pub async fn add_complaint(
        &self,
        who: &Principal,
        c: ComplaintInput,
        days: Option<(u32, u32)>,
    ) -> Result<Complaint> {
        who.require(Action::Patrol)?;
        self.compound_in_scope(who, c.compound_id).await?;
        if days.is_some() && who.role != Role::Admin {
            return Err(AppError::field(
                "sign_days",
                "签收时限",
                "按规定的工作日计算，不能另填",
                "follows the rules and cannot be given",
            ));
        }
        let c = self.checked_complaint(c)?;
        let rules = self.complaint_rules(days).await?;
        let c = self.store().add_complaint(&who.actor(), c, &rules).await?;
        self.notify_complaint(&c).await;
        Ok(c)
    }

    /// A resident's complaint from a compound's public page (no account): received today, its
    /// deadlines counted as every other complaint's.
    pub async fn resident_complaint(&self, c: ComplaintInput) -> Result<Complaint> {
        let c = self.checked_complaint(ComplaintInput {
            source: anju_core::oversight::ComplaintSource::Resident,
            received_on: self.today(),
            ..c
        })?;
        let rules = self.complaint_rules(None).await?;
        let actor = anju_store::Actor::new("居民（小区公示页）", "resident");
        let c = self.store().add_complaint(&actor, c, &rules).await?;
        self.notify_complaint(&c).await;
        Ok(c)
    }

    /// A complaint's fields checked: received not after today, texts within their limits.
    fn checked_complaint(&self, c: ComplaintInput) -> Result<NewComplaint> {
        let received_on = EventDate::ComplaintReceived.check(c.received_on, self.today())?;
        let category = check::text(
            Field::new("category", "投诉类别"),
            &c.category,
            NAME_MAX,
            false,
        )?;
        let text = check::text(Field::new("text", "投诉内容"), &c.text, NOTE_MAX, true)?;
        let contact = check::opt_text(
            Field::new("contact", "联系方式"),
            c.contact.as_deref(),
            NAME_MAX,
            false,
        )?;
        Ok(NewComplaint {
            compound_id: c.compound_id.get(),
            source: c.source,
            received_on,
            category,
            text,
            contact,
        })
    }

    /// The deadlines' rules: the registered holidays, the default working days unless `days`.
    async fn complaint_rules(&self, days: Option<(u32, u32)>) -> Result<ComplaintRules> {
        let defaults = ComplaintRules::default();
        let (sign, answer) =
            days.unwrap_or((defaults.sign_working_days, defaults.answer_working_days));
        Ok(ComplaintRules {
            sign_working_days: sign,
            answer_working_days: answer,
            holidays: self
                .store()
                .holidays()
                .await?
                .into_iter()
                .map(|h| h.day)
                .collect(),
        })
    }

    /// A step of a complaint after it was received: the company signs for it (签收), the
    /// resident's rating (评价, 1–5, recorded by the street or community), the street closes it
    /// (办结). Dates are not after today.
    pub async fn complaint_step(
        &self,
        who: &Principal,
        id: ComplaintId,
        version: i64,
        step: ComplaintStep,
    ) -> Result<Complaint> {
        let actor = who.actor();
        let store = self.store();
        match step {
            ComplaintStep::Sign { on } => {
                who.require(Action::AnswerOrders)?;
                let c = self.complaint_in_scope(who, id).await?;
                let on = EventDate::ComplaintSigned.check(on, self.today())?;
                let company = Self::answering_company(who, &c)?;
                Ok(store
                    .sign_complaint(&actor, id.get(), version, company, on)
                    .await?)
            }
            ComplaintStep::Rate { rating } => {
                who.require(Action::Patrol)?;
                self.complaint_in_scope(who, id).await?;
                check::within(Field::new("rating", "评价"), i64::from(rating), 1, 5)?;
                Ok(store
                    .rate_complaint(&actor, id.get(), version, rating)
                    .await?)
            }
            ComplaintStep::Close { on } => {
                who.require(Action::Patrol)?;
                self.complaint_in_scope(who, id).await?;
                let on = EventDate::ComplaintClosed.check(on, self.today())?;
                Ok(store.close_complaint(&actor, id.get(), version, on).await?)
            }
            ComplaintStep::Verify { verdict, note, on } => {
                who.require(Action::VerifyComplaints)?;
                self.complaint_in_scope(who, id).await?;
                let note = check::text(Field::new("note", "核实情况"), &note, NOTE_MAX, true)?;
                let on = EventDate::ComplaintVerified.check(on, self.today())?;
                Ok(store
                    .verify_complaint(&actor, id.get(), version, verdict, &note, on)
                    .await?)
            }
        }
    }

    /// The company that signs for and answers a complaint: the principal's own company, or,
    /// for an administrator, the complaint's.
    fn answering_company(who: &Principal, c: &Complaint) -> Result<i64> {
        who.company_id.or(c.company_id).ok_or_else(|| {
            AppError::field(
                "company",
                "物业企业",
                "该投诉的小区没有物业企业，无需企业处理",
                "no company serves this compound",
            )
        })
    }

    /// The company answers a complaint.
    pub async fn answer_complaint(
        &self,
        who: &Principal,
        id: ComplaintId,
        a: AnswerInput,
    ) -> Result<Complaint> {
        who.require(Action::AnswerOrders)?;
        let c = self.complaint_in_scope(who, id).await?;
        let text = check::text(Field::new("text", "答复内容"), &a.text, NOTE_MAX, true)?;
        let on = EventDate::ComplaintAnswer.check(a.on, self.today())?;
        let company = Self::answering_company(who, &c)?;
        Ok(self
            .store()
            .answer_complaint(&who.actor(), id.get(), a.version, company, &text, on)
            .await?)
    }

    /// Submits a scored assessment on the day it was scored.
    pub async fn submit_assessment(
        &self,
        who: &Principal,
        id: AssessmentId,
        version: i64,
        on: Date,
    ) -> Result<Assessment> {
        who.require(Action::Assess)?;
        let a = self.store().get_assessment(id.get()).await?;
        self.assessable(who, CompoundId(a.compound_id)).await?;
        let on = EventDate::Scoring.check(on, self.today())?;
        Ok(self
            .store()
            .submit_assessment(&who.actor(), id.get(), version, on)
            .await?)
    }

    /// Who assesses, from the account: an evaluator under its organisation, a street or
    /// community office under its region, anyone else as the housing authority (住建部门).
    pub fn assessor_of(who: &Principal) -> (AssessorKind, String) {
        match who.role {
            Role::Evaluator => (AssessorKind::ThirdParty, Self::evaluator_name(who)),
            Role::Street | Role::Community => (
                AssessorKind::Street,
                who.region_name.clone().unwrap_or_else(|| who.name.clone()),
            ),
            _ => (
                AssessorKind::HousingAuthority,
                who.region_name
                    .as_deref()
                    .map_or_else(|| "住建部门".to_string(), |r| format!("{r}住建部门")),
            ),
        }
    }

    /// Scores a compound for a period (a draft, or submitted at once).
    pub async fn create_assessment(
        &self,
        who: &Principal,
        a: AssessmentInput,
    ) -> Result<Assessment> {
        who.require(Action::Assess)?;
        self.assessable(who, CompoundId(a.compound_id)).await?;
        let (assessor_kind, assessor) = match a.assessor {
            Some((kind, name)) if who.role == Role::Admin => (
                kind,
                check::text(Field::new("assessor", "考核单位"), &name, NAME_MAX, false)?,
            ),
            Some(_) => {
                return Err(AppError::field(
                    "assessor",
                    "考核单位",
                    "由登录账号决定，不能另填",
                    "follows from the account and cannot be given",
                ));
            }
            None => Self::assessor_of(who),
        };
        // A period still to come has had no service to score (as a subsidy run's).
        let today = self.today();
        if a.period.start > today {
            return Err(AppError::field(
                "period",
                "考核期",
                format!(
                    "{} 始于 {}，晚于今天（{today}），尚未开始的期间不能考核",
                    a.period.code(),
                    a.period.start
                ),
                format!(
                    "{} begins on {}, after today ({today})",
                    a.period.code(),
                    a.period.start
                ),
            ));
        }
        if let Some(d) = a.objection_days {
            check::within(
                Field::new("objection_days", "申诉期（天）"),
                i64::from(d),
                0,
                365,
            )?;
        }
        let (events, sources) = if a.party_from_records {
            let counts = self
                .party_counts(who, CompoundId(a.compound_id), a.period.start, a.period.end)
                .await?;
            Self::party_counts_for(&a.rubric, a.events, &counts)
        } else {
            (a.events, Default::default())
        };
        let created = self
            .store()
            .create_assessment(
                &who.actor(),
                NewAssessment {
                    compound_id: a.compound_id,
                    period: a.period,
                    rubric: a.rubric,
                    assessor_kind,
                    assessor,
                    events,
                    survey: a.survey,
                    objection_days: a.objection_days,
                    evidence: a.evidence,
                    sources,
                },
            )
            .await?;
        if !a.submit {
            return Ok(created);
        }
        Ok(self
            .store()
            .submit_assessment(&who.actor(), created.id, created.version, self.today())
            .await?)
    }

    /// The company that may object to the assessment: the compound's company as it was when
    /// the assessment was made (an administrator not answering for a company objects for it);
    /// anyone else is refused.
    pub fn objector(who: &Principal, a: &Assessment) -> Result<i64> {
        match (who.company_id, who.role, a.company_id) {
            (Some(mine), _, Some(theirs)) if mine == theirs => Ok(mine),
            (None, Role::Admin, Some(theirs)) => Ok(theirs),
            _ => Err(AppError::forbidden(
                format!("只有小区“{}”的物业服务企业可以对本考核申诉", a.compound),
                format!("only the company of '{}' may object", a.compound),
            )),
        }
    }

    /// A step of the assessment's workflow after submission (复核、申诉、申诉处理、定案), dated
    /// `on` (not after today). Only the compound's company (as it was when the assessment was
    /// made) may object; an administrator objects for it.
    pub async fn assessment_step(
        &self,
        who: &Principal,
        id: AssessmentId,
        version: i64,
        step: AssessmentStep,
        on: Date,
    ) -> Result<Assessment> {
        who.require(step.action())?;
        let a = self.assessment(who, id).await?;
        let on = EventDate::AssessmentStep.check(on, self.today())?;
        let reason_field = Field::new("reason", "理由");
        let rubric = || {
            Rubric::builtin_or_path(&a.rubric_id).map_err(|e| {
                AppError::field(
                    "events",
                    "扣分事项",
                    format!(
                        "评分细则“{}”无法载入：{}",
                        a.rubric_id,
                        e.message(anju_core::Lang::Zh)
                    ),
                    format!(
                        "rubric '{}' cannot be loaded: {}",
                        a.rubric_id,
                        e.message(anju_core::Lang::En)
                    ),
                )
            })
        };
        let actor = who.actor();
        let store = self.store();
        Ok(match step {
            AssessmentStep::Review {
                outcome,
                reason,
                events,
            } => {
                let reason = check::opt_text(reason_field, reason.as_deref(), NOTE_MAX, true)?;
                let r = events.as_ref().map(|_| rubric()).transpose()?;
                let adjusted = r.as_ref().zip(events);
                store
                    .review_assessment(
                        &actor,
                        id.get(),
                        version,
                        outcome,
                        reason.as_deref(),
                        adjusted,
                        on,
                    )
                    .await?
            }
            AssessmentStep::Decide {
                outcome,
                reason,
                events,
            } => {
                let reason = check::opt_text(reason_field, reason.as_deref(), NOTE_MAX, true)?;
                let r = events.as_ref().map(|_| rubric()).transpose()?;
                let adjusted = r.as_ref().zip(events);
                store
                    .decide_objection(
                        &actor,
                        id.get(),
                        version,
                        outcome,
                        reason.as_deref(),
                        adjusted,
                        on,
                    )
                    .await?
            }
            AssessmentStep::Finalize { waived } => {
                store
                    .finalize_assessment(&actor, id.get(), version, waived, on)
                    .await?
            }
            AssessmentStep::Object { text } => {
                let company = Self::objector(who, &a)?;
                let text = check::text(Field::new("text", "申诉理由"), &text, NOTE_MAX, true)?;
                store
                    .object_assessment(&actor, id.get(), version, company, &text, on)
                    .await?
            }
        })
    }

    /// The third-party evaluators (测评机构) a reviewer may commission: the organisation of
    /// each active evaluator account (its login where it names none), sorted, once each.
    pub async fn evaluator_names(&self, who: &Principal) -> Result<Vec<String>> {
        who.require(Action::ReviewAssessments)?;
        let mut names: Vec<String> = self
            .store()
            .list_users()
            .await?
            .into_iter()
            .filter(|u| u.role == Role::Evaluator && u.active)
            .map(|u| u.company_name.unwrap_or(u.username))
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// The evaluators commissioned for a compound in the principal's scope.
    pub async fn compound_evaluators(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<Vec<String>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().compound_evaluators(compound_id.get()).await?)
    }

    /// Commissions a third-party evaluator (测评机构) to assess a compound; commissioning it
    /// again changes nothing. The evaluator's accounts then score that compound only.
    pub async fn commission_evaluator(
        &self,
        who: &Principal,
        evaluator: &str,
        compound_id: CompoundId,
    ) -> Result<StoredCompound> {
        who.require(Action::ReviewAssessments)?;
        let c = self.compound_in_scope(who, compound_id).await?;
        let evaluator = check::text(
            Field::new("evaluator", "测评机构"),
            evaluator,
            NAME_MAX,
            false,
        )?;
        self.store()
            .assign_evaluator(&who.actor(), &evaluator, compound_id.get())
            .await?;
        Ok(c)
    }
}

impl App {
    /// A compound's patrols, newest first, in scope.
    pub async fn patrols(&self, who: &Principal, compound_id: CompoundId) -> Result<Vec<Patrol>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().list_patrols(compound_id.get()).await?)
    }

    /// One patrol, refused unless its compound lies in scope (the refusal names the patrol).
    pub async fn patrol(&self, who: &Principal, id: PatrolId) -> Result<Patrol> {
        who.require(Action::ViewLedger)?;
        let p = self.store().get_patrol(id.get()).await?;
        if self.sees_compound(who, p.compound_id).await? {
            Ok(p)
        } else {
            Err(crate::principal::outside("巡查记录", "patrol", id))
        }
    }

    /// Links stored evidence files (by SHA-256) to a complaint at `stage`.
    pub async fn attach_complaint_evidence(
        &self,
        who: &Principal,
        id: ComplaintId,
        stage: anju_store::ComplaintStage,
        sha256: &[String],
    ) -> Result<()> {
        who.require(Action::UploadEvidence)?;
        self.complaint_in_scope(who, id).await?;
        Ok(self
            .store()
            .attach_complaint_evidence(&who.actor(), id.get(), stage, sha256)
            .await?)
    }

    /// A complaint's evidence files by stage.
    pub async fn complaint_evidence(
        &self,
        who: &Principal,
        id: ComplaintId,
    ) -> Result<Vec<(anju_store::ComplaintStage, anju_store::Evidence)>> {
        self.complaint_in_scope(who, id).await?;
        Ok(self.store().complaint_evidence(id.get()).await?)
    }

    /// The public holidays the working-day deadlines skip.
    pub async fn holidays(&self, who: &Principal) -> Result<Vec<anju_store::Holiday>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store().holidays().await?)
    }
}

/// The complaints a list shows, as of a day: those selected (or only the overdue ones) and
/// the overdue counts over all selected.
#[derive(Debug, Clone)]
pub struct ComplaintOverview {
    pub complaints: Vec<Complaint>,
    pub overdue: anju_store::ComplaintOverdue,
}

impl App {
    /// The events a compound's rectification orders add to an assessment of `period` (the
    /// 二七 rubric's items, `ERQI_ORDER_MAPPING`), as of today.
    pub async fn order_events(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        period: &anju_core::assessment::Period,
    ) -> Result<Vec<anju_policy::rubric::Event>> {
        who.require(Action::Assess)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self
            .store()
            .order_events(
                compound_id.get(),
                period,
                self.today(),
                anju_store::ERQI_ORDER_MAPPING,
            )
            .await?)
    }

    /// The complaints `f` selects in scope as of `as_of`, only the overdue ones (签收 or 答复
    /// late) when `overdue_only`, with the overdue counts over all selected.
    pub async fn complaint_overview(
        &self,
        who: &Principal,
        f: ComplaintFilter,
        as_of: Date,
        overdue_only: bool,
    ) -> Result<ComplaintOverview> {
        let all = self.complaints(who, f).await?;
        let overdue = anju_store::ComplaintOverdue::of(&all, as_of);
        let complaints = all
            .into_iter()
            .filter(|c| !overdue_only || c.sign_overdue(as_of) || c.answer_overdue(as_of))
            .collect();
        Ok(ComplaintOverview {
            complaints,
            overdue,
        })
    }

    /// Registers the public holidays `from` to `to` (inclusive; one day without `to`) under
    /// `name`: complaint deadlines count working days past them.
    pub async fn add_holidays(
        &self,
        who: &Principal,
        from: Date,
        to: Option<Date>,
        name: &str,
    ) -> Result<Vec<anju_store::Holiday>> {
        who.require(Action::Patrol)?;
        let name = check::text(Field::new("name", "节假日名称"), name, NAME_MAX, false)?;
        let last = to.unwrap_or(from);
        // A holiday is days, not a season: a typo in the year must not add thousands of days.
        if (last - from).get_days() >= HOLIDAY_MAX_DAYS {
            return Err(AppError::field(
                "to",
                "结束日期",
                format!("一次最多登记 {HOLIDAY_MAX_DAYS} 天（{from} 至 {last} 过长）"),
                format!("at most {HOLIDAY_MAX_DAYS} days at once ({from} to {last} is too long)"),
            ));
        }
        if last < from {
            return Err(AppError::field(
                "to",
                "结束日期",
                format!("不能早于开始日期 {from}"),
                format!("must not be before the start {from}"),
            ));
        }
        let mut days = Vec::new();
        let mut d = from;
        while d <= last {
            days.push(d);
            d = d.tomorrow().map_err(|_| {
                AppError::field(
                    "to",
                    "结束日期",
                    "超出日期范围",
                    "out of the calendar's range",
                )
            })?;
        }
        Ok(self
            .store()
            .add_holidays(&who.actor(), &days, &name)
            .await?)
    }

    /// Refused unless the principal may write complaint counts into credit files: a company's
    /// file is the city's, so only an account over the whole city (the page offers the form by
    /// this same rule).
    pub fn may_record_complaint_counts(&self, who: &Principal) -> Result<()> {
        who.require(Action::ManageCompanies)?;
        if who.scope() != Scope::All {
            return Err(AppError::forbidden(
                "投诉件数按全市统计后记入企业信用档案，须由市级账号办理",
                "complaint counts go into a company's file city-wide: a city-level account records them",
            ));
        }
        Ok(())
    }

    /// Writes each company's complaint figures of `period` into its credit file (信用档案),
    /// dated `on`: a record of something done, so never after today, and of a period that has
    /// ended by then. A company's file is the
    /// city's, so its counts are too: an account bounded to a district or street is refused
    /// (it would count only its own area's complaints, once for the whole city).
    pub async fn record_complaint_counts(
        &self,
        who: &Principal,
        period: &anju_core::assessment::Period,
        on: Date,
    ) -> Result<Vec<anju_store::CompanyRecord>> {
        self.may_record_complaint_counts(who)?;
        let on = EventDate::CreditRecord.check(on, self.today())?;
        // A period is counted once (the store skips a company already recorded for it), so a
        // count made while the period runs would stand in for the full one: only ended periods.
        if period.end >= on {
            return Err(Field::new("period", "统计周期").error(
                format!(
                    "{} 至 {} 尚未结束（记入日期 {on}）：周期结束后再记入，每个周期只记一次",
                    period.code(),
                    period.end
                ),
                format!(
                    "{} runs to {} and has not ended on {on}: record it once the period is over (each period is recorded once)",
                    period.code(),
                    period.end
                ),
            ));
        }
        Ok(self
            .store()
            .record_complaint_counts(&who.actor(), period, on)
            .await?)
    }
}
