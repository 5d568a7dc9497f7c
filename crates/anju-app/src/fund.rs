//! 专项维修资金 as use cases (issue 19 item 4; seed 003 三（一）: 区住建局负责物业专项维修资金的归集
//! 管理和使用). 住建 ([`Action::ManageFund`]) records the money in — 首期归集/缴存, or 续筹 citing a
//! carried owners' vote to raise the fund (筹集维修资金: three quarters, 民法典 第二百七十八条; a vote
//! that fell short is refused as the basis) — and approves and pays each use. The street or the
//! community ([`Action::RunVotes`]) applies for a use (what, cost, quotes) and records the owners'
//! vote that carried it (使用维修资金: more than half); approval waits for that vote, payment for
//! approval and for the balance. A vote's result is used once. Anyone who reads the compound reads
//! its fund; a resident reads the balance and the uses paid on the compound's public page.

use crate::App;
use crate::check::{self, Field, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::Result;
use crate::principal::{Principal, outside};
use anju_core::Fen;
use anju_core::access::Action;
use anju_core::ids::{CompoundId, FundUseId, VoteId};
use anju_core::vote::Matter;
use anju_store::{FundAccount, FundEntry, FundUse, FundUseStep, NewFundEntry, NewFundUse};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Money into a compound's fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundDepositInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    /// In fen.
    #[schema(value_type = i64)]
    pub amount: Fen,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    #[serde(default)]
    pub note: Option<String>,
    /// 续筹: the carried owners' vote to raise the fund; none for a deposit (首期归集/缴存).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub vote_id: Option<VoteId>,
}

/// A use applied for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundUseInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    /// What the money is for (更换电梯、屋面防水 …).
    pub title: String,
    /// In fen.
    #[schema(value_type = i64)]
    pub cost: Fen,
    /// 报价 as gathered.
    #[serde(default)]
    pub quotes: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub applied_on: Date,
}

/// What a step of a use is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundStepKind {
    /// 业主表决通过 (needs `vote_id`).
    Vote,
    /// 住建审批.
    Approve,
    /// 驳回 (needs `reason`).
    Reject,
    /// 拨付 (needs `amount`).
    Pay,
}

/// A step of a use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FundStepInput {
    pub step: FundStepKind,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub vote_id: Option<VoteId>,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub amount: Option<Fen>,
    #[serde(default)]
    pub reason: Option<String>,
    pub version: i64,
}

fn positive(f: Field, amount: Fen) -> Result<Fen> {
    if amount.0 <= 0 {
        return Err(f.error("金额须大于 0", "must be more than 0"));
    }
    Ok(amount)
}

impl App {
    /// A compound's fund: balance, entries, uses.
    pub async fn fund_account(&self, who: &Principal, compound: CompoundId) -> Result<FundAccount> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        Ok(self.store().fund_account(compound.get()).await?)
    }

    /// A carried vote of this compound on `matter`, not used yet: the basis of a fund decision.
    async fn fund_vote(
        &self,
        compound: i64,
        id: VoteId,
        matter: Matter,
    ) -> Result<anju_store::VoteRecord> {
        let f = Field::new("vote_id", "业主表决");
        let v = self.store().get_vote(id.get()).await?;
        if v.compound_id != compound || v.matter != matter {
            return Err(f.error(
                format!(
                    "编号 {id} 的表决不是本小区“{}”的表决",
                    matter.label(anju_core::Lang::Zh)
                ),
                "not this compound's vote on that matter",
            ));
        }
        if v.closed_on.is_none() {
            return Err(f.error("该表决尚未计票", "the vote is still open"));
        }
        if v.carried_option.is_none() {
            return Err(f.error(
                format!(
                    "表决未通过，不能作为业主共同决定：{}",
                    v.result
                        .as_ref()
                        .and_then(|r| r.why_not(anju_core::Lang::Zh))
                        .unwrap_or_default()
                ),
                "the vote did not carry",
            ));
        }
        if v.applied_note.is_some() {
            return Err(f.error("该表决结果已经使用过", "already used"));
        }
        Ok(v)
    }

    /// Money in (住建): a deposit, or 续筹 citing a carried vote to raise the fund.
    pub async fn deposit_fund(&self, who: &Principal, d: FundDepositInput) -> Result<FundEntry> {
        who.require(Action::ManageFund)?;
        self.compound_in_scope(who, d.compound_id).await?;
        let amount = positive(Field::new("amount", "金额"), d.amount)?;
        let on = EventDate::FundStep.check_as("on", "缴存日期", d.on, self.today())?;
        let note = check::opt_text(
            Field::new("note", "说明"),
            d.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let vote = match d.vote_id {
            Some(id) => Some(
                self.fund_vote(d.compound_id.get(), id, Matter::RaiseFund)
                    .await?,
            ),
            None => None,
        };
        let entry = self
            .store()
            .add_fund_entry(
                &who.actor(),
                NewFundEntry {
                    compound_id: d.compound_id.get(),
                    kind: if vote.is_some() { "raised" } else { "deposit" },
                    amount,
                    on,
                    note,
                    vote_id: vote.as_ref().map(|v| v.id),
                },
            )
            .await?;
        if let Some(v) = vote {
            self.store()
                .note_vote_applied(
                    &who.actor(),
                    v.id,
                    &format!("据此续筹维修资金 {}", amount.display_yuan()),
                )
                .await?;
        }
        Ok(entry)
    }

    /// A use applied for by the street or community.
    pub async fn apply_fund_use(&self, who: &Principal, u: FundUseInput) -> Result<FundUse> {
        who.require(Action::RunVotes)?;
        self.compound_in_scope(who, u.compound_id).await?;
        let title = check::text(Field::new("title", "使用事项"), &u.title, 200, false)?;
        let cost = positive(Field::new("cost", "预算金额"), u.cost)?;
        let quotes = check::opt_text(
            Field::new("quotes", "报价"),
            u.quotes.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let applied_on =
            EventDate::FundStep.check_as("applied_on", "申请日期", u.applied_on, self.today())?;
        Ok(self
            .store()
            .apply_fund_use(
                &who.actor(),
                NewFundUse {
                    compound_id: u.compound_id.get(),
                    title,
                    cost,
                    quotes,
                    applied_on,
                },
            )
            .await?)
    }

    async fn fund_use_in_scope(&self, who: &Principal, id: FundUseId) -> Result<FundUse> {
        who.require(Action::ViewLedger)?;
        let u = self.store().get_fund_use(id.get()).await?;
        if self.sees_compound(who, u.compound_id).await? {
            Ok(u)
        } else {
            Err(outside("维修资金使用申请", "fund use", id))
        }
    }

    /// The compound a use belongs to, for a reader who may see it.
    pub async fn fund_use_compound(&self, who: &Principal, id: FundUseId) -> Result<CompoundId> {
        Ok(CompoundId::from(
            self.fund_use_in_scope(who, id).await?.compound_id,
        ))
    }

    /// A step of a use: the owners' vote (street, community), approval, rejection, payment (住建).
    pub async fn fund_use_step(
        &self,
        who: &Principal,
        id: FundUseId,
        s: FundStepInput,
    ) -> Result<FundUse> {
        who.require(match s.step {
            FundStepKind::Vote => Action::RunVotes,
            _ => Action::ManageFund,
        })?;
        let u = self.fund_use_in_scope(who, id).await?;
        // A stale form is told so before anything it says is weighed (the store checks again
        // under its lock).
        if u.version != s.version {
            return Err(anju_store::StoreError::Conflict {
                entity: "fund_use",
                id: u.id,
                expected: s.version,
                actual: u.version,
            }
            .into());
        }
        let on = EventDate::FundStep.check(s.on, self.today())?;
        if on < u.applied_on {
            return Err(Field::new("on", "办理日期").error(
                format!("{on} 早于申请日期 {}", u.applied_on),
                "before the application",
            ));
        }
        let mut vote = None;
        let step = match s.step {
            FundStepKind::Vote => {
                let Some(vid) = s.vote_id else {
                    return Err(Field::new("vote_id", "业主表决")
                        .error("请选择通过的“使用维修资金”表决", "choose the carried vote"));
                };
                let v = self.fund_vote(u.compound_id, vid, Matter::UseFund).await?;
                let step = FundUseStep::Voted { vote_id: v.id };
                vote = Some(v);
                step
            }
            FundStepKind::Approve => FundUseStep::Approve { on },
            FundStepKind::Reject => FundUseStep::Reject {
                on,
                reason: check::text(
                    Field::new("reason", "驳回理由"),
                    s.reason.as_deref().unwrap_or(""),
                    NOTE_MAX,
                    true,
                )?,
            },
            FundStepKind::Pay => FundUseStep::Pay {
                on,
                amount: positive(Field::new("amount", "拨付金额"), s.amount.unwrap_or(u.cost))?,
            },
        };
        let done = self
            .store()
            .fund_use_step(&who.actor(), id.get(), s.version, step)
            .await?;
        if let Some(v) = vote {
            self.store()
                .note_vote_applied(
                    &who.actor(),
                    v.id,
                    &format!("据此使用维修资金：{}", done.title),
                )
                .await?;
        }
        Ok(done)
    }
}
