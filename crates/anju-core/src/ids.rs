//! Record ids as types of their own, so a compound's id cannot be passed where an order's is meant.
//!
//! Each id wraps the database's `i64` key. On the wire (JSON, query strings, paths) it is that bare
//! number (`#[serde(transparent)]`), so the API's documents do not change; in Rust, the application
//! layer's use cases take and return these types, and the adapters (pages, API, command line) turn
//! a path segment or a flag into one with [`std::str::FromStr`], whose refusal names the record in
//! Chinese and English.
//!
//! The store still reads and writes the bare key (issue 17 rewrites its rows as typed structs);
//! `.get()` and `From<i64>` are the two crossings.

use std::fmt;
use std::str::FromStr;

/// An id that could not be read: the record's name, and what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what_en} id must be a whole number, got '{given}'")]
pub struct BadId {
    pub what_zh: &'static str,
    pub what_en: &'static str,
    pub given: String,
}

impl BadId {
    /// The refusal in the reader's language.
    pub fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Zh => format!("{}编号不合法：“{}”（应为整数）", self.what_zh, self.given),
            crate::Lang::En => self.to_string(),
        }
    }
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident: $zh:literal, $en:literal;)+) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// What the id names, in Chinese and English (for messages).
            pub const WHAT: (&'static str, &'static str) = ($zh, $en);

            /// The database key.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v)
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = BadId;

            fn from_str(s: &str) -> Result<Self, BadId> {
                s.trim().parse().map($name).map_err(|_| BadId {
                    what_zh: $zh,
                    what_en: $en,
                    given: s.to_string(),
                })
            }
        }
    )+};
}

ids! {
    /// A compound (小区) of the ledger.
    CompoundId: "小区", "compound";
    /// A property service contract (物业服务合同).
    ContractId: "合同", "contract";
    /// A property company (物业企业).
    CompanyId: "物业企业", "company";
    /// A region: city, district, street or community.
    RegionId: "区域", "region";
    /// A user account.
    UserId: "账号", "account";
    /// A login session.
    SessionId: "会话", "session";
    /// A patrol (巡查).
    PatrolId: "巡查", "patrol";
    /// A rectification order (整改单).
    OrderId: "整改单", "rectification order";
    /// A complaint (投诉).
    ComplaintId: "投诉", "complaint";
    /// A satisfaction survey (满意度调查).
    SurveyId: "调查", "survey";
    /// A task on a list (任务).
    TaskId: "任务", "task";
    /// An assessment (考核).
    AssessmentId: "考核", "assessment";
    /// A company selection (选聘).
    SelectionId: "选聘", "selection";
    /// A subsidy line (补贴明细).
    LineId: "补贴明细", "subsidy line";
    /// A subsidy run (补贴测算批次).
    RunId: "测算批次", "subsidy run";
    /// A step of a compound's path (路径步骤).
    StepId: "步骤", "step";
    /// A district department (职能部门).
    DepartmentId: "职能部门", "department";
    /// A referral to a department (吹哨).
    ReferralId: "吹哨事项", "referral";
    /// A leading group, 专班 or 联席会议 (工作机构).
    GroupId: "工作机构", "group";
    /// A meeting (会议).
    MeetingId: "会议", "meeting";
    /// A 通报 or 约谈.
    CensureId: "通报约谈", "censure";
    /// A meeting's decision or a 通报's follow-up (交办事项).
    AssignmentId: "交办事项", "assignment";
    /// An owners' body (业主组织).
    OwnersBodyId: "业主组织", "owners body";
    /// A renovation project (老旧小区改造项目).
    RenovationId: "改造项目", "renovation project";
    /// An owners' vote (业主表决).
    VoteId: "业主表决", "vote";
    /// A household of the owners' register (业主名册).
    HouseholdId: "住户", "household";
    /// A red property record (红色物业记录).
    PartyRecordId: "红色物业记录", "red property record";
    /// A use of the maintenance fund (维修资金使用申请).
    FundUseId: "维修资金使用申请", "fund use";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_its_number_and_names_its_record_when_it_cannot() {
        assert_eq!(" 42 ".parse::<CompoundId>(), Ok(CompoundId(42)));
        let e = "4x".parse::<OrderId>().err();
        let zh = e.as_ref().map(|e| e.message(crate::Lang::Zh));
        assert_eq!(zh.as_deref(), Some("整改单编号不合法：“4x”（应为整数）"));
        let en = e.map(|e| e.message(crate::Lang::En));
        let want = "rectification order id must be a whole number, got '4x'";
        assert_eq!(en.as_deref(), Some(want));
    }

    #[test]
    fn an_id_is_a_bare_number_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&ComplaintId(7)).ok().as_deref(),
            Some("7")
        );
        let back: Option<ComplaintId> = serde_json::from_str("7").ok();
        assert_eq!(back, Some(ComplaintId(7)));
    }
}
