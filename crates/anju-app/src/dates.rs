//! Which dates record events and which are plans: the one place that says so.
//!
//! An **event** is something that has happened: a consultation, any step of a compound's path,
//! a signing, a filing (备案), an entry (进场), a termination, a patrol, an answer, a payment, a
//! grant, a disbursement (拨付), an assessment's scoring, a fee month's collection, a
//! selection's announcement and steps, a building year (建成年份), what a credit-file record
//! records (考核、不良行为、投诉、解聘). An event dated after today (Beijing time,
//! [`crate::Clock`]) is refused: a filing dated next year must not make a compound count as
//! filed today, and an entry dated next year must not make it count as covered.
//!
//! A **plan or deadline** may lie ahead: a contract's end, a target's due date, a task's
//! deadline, a survey's closing day, a selection's registration deadline, a notice period.
//! Those are never checked here.

use crate::error::{AppError, Result};
use jiff::civil::Date;

/// A date that records something that has happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventDate {
    /// A step of the path to coverage (征求意见、确定模式、业主组织、选定企业、试运行、进场 …).
    Step,
    /// 签订合同
    Signing,
    /// 进场日期 written on a contract
    Entry,
    /// 公示日期 of a contract's services and fees
    Notice,
    /// 合同备案
    Filing,
    /// 合同终止
    Termination,
    /// 业主满意度（解聘）调查
    DismissalSurvey,
    /// 巡查、检查
    Patrol,
    /// 整改答复
    OrderAnswer,
    /// 整改验收（销号）
    OrderClosing,
    /// 投诉受理
    ComplaintReceived,
    /// 投诉答复
    ComplaintAnswer,
    /// 考核评分（提交）
    Scoring,
    /// 收支公示的一笔收支
    AccountEntry,
    /// 资金拨付、审核、批准
    Payment,
    /// 基础设施补助发放
    Grant,
    /// 任务完成
    TaskDone,
    /// 考核复核、申诉、申诉处理、定案
    AssessmentStep,
    /// 投诉签收
    ComplaintSigned,
    /// 投诉办结
    ComplaintClosed,
    /// 投诉核实
    ComplaintVerified,
    /// 信用档案的一条记录（考核、不良行为、投诉、解聘）所记之事发生的日期
    CreditRecord,
    /// 选聘公告的发布
    Announcement,
    /// 选聘的一步（报名、资格审查、入围、推荐、选定）
    SelectionStep,
    /// 吹哨（向职能部门移交事项）
    Referral,
    /// 吹哨事项的一步（报到、办结、确认、退回）
    ReferralStep,
    /// 领导小组、专班、联席会议的成立
    GroupEstablished,
    /// 成员加入工作机构
    MemberJoined,
    /// 成员离开工作机构
    MemberLeft,
    /// 会议的召开
    Meeting,
    /// 通报、约谈
    Censure,
    /// 交办事项的一步（交办、报结、销号、退回）
    AssignmentStep,
    /// 业主组织筹备组的成立
    BodyPrepared,
    /// 业主组织的一步（选举、备案、届满）与成员加入
    BodyStep,
    /// 老旧小区改造的节点（手续办理、施工进场、竣工验收）及其更正
    RenovationMilestone,
    /// 收费标准的核定（发改部门的核定日期）
    FeeApproved,
    /// 业主表决的开始
    VoteOpened,
    /// 纸质选票的收到
    BallotReceived,
    /// 业主表决的结束（计票）
    VoteClosed,
    /// 红色物业记录的开始（成立、派驻、任职）或征询
    PartyStarted,
    /// 红色物业记录的结束
    PartyEnded,
    /// 维修资金的缴存、审批、拨付与申请
    FundStep,
}

impl EventDate {
    /// The label a person reads and the key an API body uses.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            EventDate::Step => ("办理日期", "on"),
            EventDate::Signing => ("签订日期", "signed_on"),
            EventDate::Entry => ("进场日期", "entry_on"),
            EventDate::Notice => ("公示日期", "notice_on"),
            EventDate::Filing => ("备案日期", "on"),
            EventDate::Termination => ("终止日期", "on"),
            EventDate::DismissalSurvey => ("调查日期", "on"),
            EventDate::Patrol => ("巡查日期", "on"),
            EventDate::OrderAnswer => ("答复日期", "on"),
            EventDate::OrderClosing => ("验收日期", "on"),
            EventDate::ComplaintReceived => ("受理日期", "received_on"),
            EventDate::ComplaintAnswer => ("答复日期", "on"),
            EventDate::Scoring => ("评分日期", "on"),
            EventDate::AccountEntry => ("收支日期", "on"),
            EventDate::Payment => ("办理日期", "on"),
            EventDate::Grant => ("发放日期", "on"),
            EventDate::TaskDone => ("完成日期", "on"),
            EventDate::AssessmentStep => ("办理日期", "on"),
            EventDate::ComplaintSigned => ("签收日期", "on"),
            EventDate::ComplaintClosed => ("办结日期", "on"),
            EventDate::ComplaintVerified => ("核实日期", "on"),
            EventDate::CreditRecord => ("发生日期", "happened_on"),
            EventDate::Announcement => ("公告日期", "announced_on"),
            EventDate::SelectionStep => ("办理日期", "on"),
            EventDate::Referral => ("吹哨日期", "referred_on"),
            EventDate::ReferralStep => ("办理日期", "on"),
            EventDate::RenovationMilestone => ("节点日期", "on"),
            EventDate::FeeApproved => ("核定日期", "approved_on"),
            EventDate::GroupEstablished => ("成立日期", "established_on"),
            EventDate::MemberJoined => ("加入日期", "joined_on"),
            EventDate::MemberLeft => ("离任日期", "left_on"),
            EventDate::Meeting => ("会议日期", "held_on"),
            EventDate::Censure => ("通报日期", "on_day"),
            EventDate::AssignmentStep => ("办理日期", "on"),
            EventDate::BodyPrepared => ("筹备组成立日期", "prepared_on"),
            EventDate::BodyStep => ("办理日期", "on"),
            EventDate::VoteOpened => ("表决开始日期", "opens_on"),
            EventDate::BallotReceived => ("收到选票日期", "received_on"),
            EventDate::VoteClosed => ("计票日期", "on"),
            EventDate::PartyStarted => ("开始日期", "started_on"),
            EventDate::PartyEnded => ("结束日期", "ended_on"),
            EventDate::FundStep => ("办理日期", "on"),
        }
    }

    /// `on`, unless it lies after `today`. The message names the field, the date and today.
    pub fn check(self, on: Date, today: Date) -> Result<Date> {
        let (zh, key) = self.label();
        self.check_as(key, zh, on, today)
    }

    /// As [`EventDate::check`], naming the field as the caller's form or body names it.
    pub fn check_as(self, key: &str, label_zh: &str, on: Date, today: Date) -> Result<Date> {
        if on > today {
            return Err(AppError::field(
                key,
                label_zh,
                format!(
                    "{on} 晚于今天（{today}），尚未发生的事不能登记；如是计划日期，请到发生后再录入"
                ),
                format!(
                    "{on} is after today ({today}); an event that has not happened cannot be recorded"
                ),
            ));
        }
        Ok(on)
    }
}

/// A year something was built: not after this year. `key` names the field as the caller's
/// body does (`compound.built_year`).
pub fn built_year(key: &str, year: i64, today: Date) -> Result<i64> {
    let this = i64::from(today.year());
    if year > this {
        return Err(AppError::field(
            key,
            "建成年份",
            format!("{year} 年晚于今年（{this} 年），尚未建成的小区不能登记建成年份"),
            format!("{year} is after this year ({this})"),
        ));
    }
    Ok(year)
}

/// A month whose fees were collected: not after this month.
pub fn fee_month(month: anju_core::fees::Month, today: Date) -> Result<anju_core::fees::Month> {
    let now = anju_core::fees::Month::of(today);
    if month > now {
        return Err(AppError::field(
            "month",
            "月份",
            format!("{month} 晚于本月（{now}），尚未到来的月份不能登记收缴"),
            format!("{month} is after this month ({now}); future collections cannot be recorded"),
        ));
    }
    Ok(month)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn today_is_allowed_tomorrow_is_not() {
        let today = date(2026, 12, 6);
        assert!(EventDate::Filing.check(today, today).is_ok());
        assert!(EventDate::Filing.check(date(2020, 1, 1), today).is_ok());
        let e = EventDate::Filing.check(date(2026, 12, 7), today).err();
        assert_eq!(
            e.map(|e| e.message(anju_core::Lang::Zh)).as_deref(),
            Some(
                "备案日期：2026-12-07 晚于今天（2026-12-06），尚未发生的事不能登记；如是计划日期，请到发生后再录入"
            )
        );
    }

    #[test]
    fn years_and_months() {
        let today = date(2026, 12, 6);
        assert!(built_year("built_year", 2026, today).is_ok());
        let e = built_year("compound.built_year", 2027, today).err();
        assert_eq!(
            e.as_ref().and_then(|e| e.field_name()),
            Some("compound.built_year")
        );
        let m = |s: &str| anju_core::fees::Month::parse(s).ok();
        assert!(m("2026-12").is_some_and(|x| fee_month(x, today).is_ok()));
        assert!(m("2027-01").is_some_and(|x| fee_month(x, today).is_err()));
    }
}
