//! Oversight: patrols and their rectification orders, complaints, and assessments (who may
//! assess which compound: a third-party evaluator only the compounds it was commissioned for).

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope, outside};
use anju_core::access::{Action, Role};
use anju_store::{
    Assessment, Complaint, ComplaintRules, NewComplaint, NewPatrol, Patrol, RectificationOrder,
    StoredCompound,
};
use jiff::civil::Date;

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
            Scope::Nothing => false,
            Scope::All => true,
            Scope::Region(_) => {
                let c = self.store().get_compound(compound_id).await?;
                who.can_see(self.store(), &c).await?
            }
        })
    }

    /// The order, refused unless it is the principal's to see.
    pub async fn order_in_scope(&self, who: &Principal, id: i64) -> Result<RectificationOrder> {
        let o = self.store().get_order(id).await?;
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
    pub async fn complaint_in_scope(&self, who: &Principal, id: i64) -> Result<Complaint> {
        let c = self.store().get_complaint(id).await?;
        if self
            .record_in_scope(who, c.compound_id, c.company_id)
            .await?
        {
            Ok(c)
        } else {
            Err(outside("投诉", "complaint", id))
        }
    }

    /// The name a third-party evaluator's account acts under (its organisation, else its login).
    pub fn evaluator_name(who: &Principal) -> String {
        who.organisation.clone().unwrap_or_else(|| who.name.clone())
    }

    /// The compound, when the principal may assess it: in scope and, for a third-party
    /// evaluator, commissioned (`evaluator_assignments`).
    pub async fn assessable(&self, who: &Principal, compound_id: i64) -> Result<StoredCompound> {
        let c = self.compound_in_scope(who, compound_id).await?;
        if who.role == Role::Evaluator {
            let me = App::evaluator_name(who);
            if !self.store().evaluator_assigned(&me, compound_id).await? {
                return Err(AppError::forbidden(
                    format!("测评机构“{me}”未受委托测评小区“{}”", c.compound.name),
                    format!("evaluator '{me}' is not assigned '{}'", c.compound.name),
                ));
            }
        }
        Ok(c)
    }

    /// Records a patrol (巡查) with its findings; each finding opens a rectification order.
    pub async fn add_patrol(&self, who: &Principal, p: NewPatrol) -> Result<Patrol> {
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
        let mut findings = p.findings;
        for f in &mut findings {
            f.description = check::text(
                Field::new("findings.description", "问题描述"),
                &f.description,
                NOTE_MAX,
                true,
            )?;
        }
        let p = NewPatrol {
            date,
            inspector,
            note,
            findings,
            ..p
        };
        Ok(self.store().add_patrol(&who.actor(), p).await?)
    }

    /// The company answers a rectification order (only the order's company answers).
    pub async fn answer_order(
        &self,
        who: &Principal,
        id: i64,
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
                id,
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
        id: i64,
        version: i64,
        on: Date,
    ) -> Result<RectificationOrder> {
        who.require(Action::Patrol)?;
        self.order_in_scope(who, id).await?;
        let on = EventDate::OrderClosing.check(on, self.today())?;
        Ok(self
            .store()
            .close_order(&who.actor(), id, version, on)
            .await?)
    }

    /// Records a complaint received by the street, the community or the 12345 hotline.
    pub async fn add_complaint(&self, who: &Principal, c: NewComplaint) -> Result<Complaint> {
        who.require(Action::Patrol)?;
        self.compound_in_scope(who, c.compound_id).await?;
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
        let rules = ComplaintRules {
            holidays: self
                .store()
                .holidays()
                .await?
                .into_iter()
                .map(|h| h.day)
                .collect(),
            ..ComplaintRules::default()
        };
        let c = NewComplaint {
            received_on,
            category,
            text,
            contact,
            ..c
        };
        Ok(self.store().add_complaint(&who.actor(), c, &rules).await?)
    }

    /// The company answers a complaint.
    pub async fn answer_complaint(
        &self,
        who: &Principal,
        id: i64,
        a: AnswerInput,
    ) -> Result<Complaint> {
        who.require(Action::AnswerOrders)?;
        let c = self.complaint_in_scope(who, id).await?;
        let text = check::text(Field::new("text", "答复内容"), &a.text, NOTE_MAX, true)?;
        let on = EventDate::ComplaintAnswer.check(a.on, self.today())?;
        let company = who.company_id.or(c.company_id).ok_or_else(|| {
            AppError::field(
                "company",
                "物业企业",
                "该投诉的小区没有物业企业，无需企业答复",
                "no company serves this compound",
            )
        })?;
        Ok(self
            .store()
            .answer_complaint(&who.actor(), id, a.version, company, &text, on)
            .await?)
    }

    /// Submits a scored assessment on the day it was scored.
    pub async fn submit_assessment(
        &self,
        who: &Principal,
        id: i64,
        version: i64,
        on: Date,
    ) -> Result<Assessment> {
        who.require(Action::Assess)?;
        let a = self.store().get_assessment(id).await?;
        self.assessable(who, a.compound_id).await?;
        let on = EventDate::Scoring.check(on, self.today())?;
        Ok(self
            .store()
            .submit_assessment(&who.actor(), id, version, on)
            .await?)
    }
}
