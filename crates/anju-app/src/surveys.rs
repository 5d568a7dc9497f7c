//! Satisfaction surveys (满意度调查): opened on a compound with its sampling rule, links issued
//! to households, answered by residents through a one-time link, closed (a valid survey with a
//! dissatisfied majority records a dismissal proposal on the contract, seed 003).

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::access::Action;
use anju_core::{CompoundId, SurveyId};
use anju_store::{IssuedToken, NewSurvey, Survey, SurveyAnswer, SurveyResult, SurveyRule};
use jiff::civil::Date;

/// At most this many links are issued at once (a compound of 5,000 households is large).
pub const TOKENS_MAX: u32 = 5_000;

/// A survey as an official opens it.
#[derive(Debug, Clone)]
pub struct SurveyInput {
    pub compound_id: i64,
    /// 调查期间: 2026H1, 2026年上半年 …
    pub period: String,
    pub rule: SurveyRule,
    /// 总户数: the ledger's figure when `None`.
    pub households: Option<u32>,
    /// Links to issue now: the required sample when `None`.
    pub tokens: Option<u32>,
    /// 调查起止: plans, so they may lie ahead; the start not after the end.
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

impl App {
    /// The survey, refused unless its compound lies in the principal's scope.
    pub async fn survey_in_scope(&self, who: &Principal, id: SurveyId) -> Result<Survey> {
        let s = self.store().get_survey(id.get()).await?;
        if !self.sees_compound(who, s.compound_id).await? {
            return Err(outside("满意度调查", "survey", id));
        }
        Ok(s)
    }

    /// Opens a survey and issues its first links.
    pub async fn open_survey(
        &self,
        who: &Principal,
        s: SurveyInput,
    ) -> Result<(Survey, Vec<IssuedToken>)> {
        who.require(Action::ManageSurveys)?;
        self.compound_in_scope(who, CompoundId(s.compound_id))
            .await?;
        let period = check::text(Field::new("period", "调查期间"), &s.period, NAME_MAX, false)?;
        // The subsidy run reads a survey by its period: one that does not parse is refused here.
        if anju_core::assessment::Period::parse(&period).is_none() {
            return Err(Field::new("period", "调查期间").error(
                format!("“{period}”无法识别（应为 2026H2、2026Q3、2026-11 或 2026 这样的写法）"),
                format!(
                    "'{period}' is not a period (write it like 2026H2, 2026Q3, 2026-11 or 2026)"
                ),
            ));
        }
        if let Some(h) = s.households {
            check::within(
                Field::new("households", "总户数"),
                i64::from(h),
                1,
                1_000_000,
            )?;
        }
        if let Some(n) = s.tokens {
            tokens_within(n)?;
        }
        if let (Some(a), Some(b)) = (s.starts_on, s.ends_on)
            && a > b
        {
            return Err(AppError::field(
                "ends_on",
                "结束日期",
                format!("{b} 早于开始日期 {a}"),
                format!("{b} is before the start {a}"),
            ));
        }
        let new = NewSurvey {
            compound_id: s.compound_id,
            period,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            rule: s.rule,
            households: s.households,
            tokens: s.tokens,
        };
        Ok(self.store().create_survey(&who.actor(), &new).await?)
    }

    /// Issues `count` more links of an open survey.
    pub async fn issue_survey_links(
        &self,
        who: &Principal,
        id: SurveyId,
        count: u32,
    ) -> Result<Vec<IssuedToken>> {
        who.require(Action::ManageSurveys)?;
        self.survey_in_scope(who, id).await?;
        tokens_within(count)?;
        Ok(self
            .store()
            .issue_survey_tokens(&who.actor(), id.get(), count)
            .await?)
    }

    /// A survey's links (to reprint them), for those who run it.
    pub async fn survey_links(&self, who: &Principal, id: SurveyId) -> Result<Vec<IssuedToken>> {
        who.require(Action::ManageSurveys)?;
        self.survey_in_scope(who, id).await?;
        Ok(self.store().survey_tokens(id.get()).await?)
    }

    /// A survey's result (sample, responses, rate, validity).
    pub async fn survey_result(&self, who: &Principal, id: SurveyId) -> Result<SurveyResult> {
        who.require(Action::ViewLedger)?;
        self.survey_in_scope(who, id).await?;
        Ok(self.store().survey_result(id.get()).await?)
    }

    /// Closes a survey; a valid one with a dissatisfied majority records a dismissal proposal.
    pub async fn close_survey(
        &self,
        who: &Principal,
        id: SurveyId,
        version: i64,
    ) -> Result<SurveyResult> {
        who.require(Action::ManageSurveys)?;
        self.survey_in_scope(who, id).await?;
        Ok(self
            .store()
            .close_survey(&who.actor(), id.get(), version)
            .await?)
    }

    /// A resident's answer through a one-time link (no account: the link is the right).
    pub async fn answer_survey(
        &self,
        token: &str,
        compound_id: CompoundId,
        answer: SurveyAnswer,
    ) -> Result<()> {
        if let Some(s) = answer.score {
            check::within(Field::new("score", "评分"), i64::from(s), 1, 5)?;
        }
        let comment = check::opt_text(
            Field::new("comment", "意见建议"),
            answer.comment.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let token = token.trim().trim_start_matches("/s/");
        Ok(self
            .store()
            .answer_survey(
                token,
                compound_id.get(),
                &SurveyAnswer { comment, ..answer },
            )
            .await?)
    }
}

fn tokens_within(n: u32) -> Result<u32> {
    check::within(
        Field::new("tokens", "问卷链接数"),
        i64::from(n),
        1,
        i64::from(TOKENS_MAX),
    )?;
    Ok(n)
}
