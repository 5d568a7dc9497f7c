//! Who may do what: the roles of DOMAIN.md and one permission table.
//!
//! A person acts in one [`Role`] and, for most roles, from one place in the region tree
//! (市 → 区 → 街道 → 社区) or for one company. This module answers only "may this role do this
//! kind of thing at all" ([`can`]); *where* (which compounds) is the scope check of the web
//! layer, which narrows every list to the viewer's region or company.
//!
//! The table, as decided here (DOMAIN.md names the roles; the seeds say who does each step):
//!
//! | action | admin | 住建 | 财政 | 街道 | 社区 | 企业 | 测评 | 审计 | 部门 | 业主组织 |
//! |---|---|---|---|---|---|---|---|---|---|---|
//! | view ledger, figures, compound pages | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | edit compounds, import ledgers | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |
//! | advance the path to coverage | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |
//! | correct a step of the path (更正) | ✓ | ✓ |  | ✓ |  |  |  |  |  |
//! | contracts, selections | ✓ | ✓ |  | ✓ |  |  |  |  |  |
//! | tasks and targets | ✓ | ✓ |  | ✓ |  |  |  |  |  |
//! | enter assessments | ✓ | ✓ |  | ✓ |  |  | ✓ |  |  |
//! | review (复核) assessments | ✓ | ✓ |  |  |  |  |  |  |  |
//! | patrols, orders, record complaints | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |
//! | answer orders and complaints | ✓ |  |  |  |  | ✓ |  |  |  |
//! | verify complaints (核实) | ✓ | ✓ |  | ✓ |  |  |  |  |  |
//! | surveys | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |
//! | fees and public accounts | ✓ |  |  |  |  | ✓ |  |  |  |
//! | companies and credit files | ✓ | ✓ |  |  |  |  |  |  |  |
//! | apply for / review subsidies | ✓ | ✓ |  | ✓ |  |  |  |  |  |
//! | approve subsidies | ✓ | ✓ |  |  |  |  |  |  |  |
//! | disburse | ✓ |  | ✓ |  |  |  |  |  |  |
//! | view the audit log | ✓ | ✓ |  |  |  |  |  | ✓ |  |
//! | upload evidence (photos, scans) | ✓ | ✓ |  | ✓ | ✓ | ✓ | ✓ |  |  | ✓ |
//! | budget projection (预算测算) | ✓ | ✓ | ✓ |  |  |  |  | ✓ |  |
//! | manage users | ✓ |  |  |  |  |  |  |  |  |  |
//! | departments and their duties | ✓ | ✓ |  |  |  |  |  |  |  |  |
//! | refer to a department (吹哨), confirm or return | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |  |
//! | acknowledge and resolve referrals (报到, 办结) | ✓ |  |  |  |  |  |  |  | ✓ |  |
//! | groups, meetings, 通报 and 约谈; 销号 of decisions | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |  |
//! | report a decision handed to one's unit done (报结) | ✓ | ✓ |  | ✓ | ✓ | ✓ |  |  | ✓ |  |
//! | renovation projects and their 三承诺 (老旧小区改造) | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |  |
//! | enter an approved fee standard (核定收费标准, for 发改) | ✓ | ✓ |  |  |  |  |  |  |  |  |
//! | owners' register and votes; a fund use applied for and its vote cited | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  | ✓ |
//! | maintenance fund: deposits, approval, payment (住建) | ✓ | ✓ |  |  |  |  |  |  |  |  |
//! | red property records (红色物业) | ✓ | ✓ |  | ✓ | ✓ |  |  |  |  |  |
//!
//! An owners' body member (业主组织: 业主委员会 or 物业管理委员会, seed 001 四（五）, 003 二（二）)
//! works for one compound: reads it (its ledger row, path, company, fund, votes, party records)
//! and runs its owners' votes — the register, opening a vote, paper ballots with their scans,
//! the count — and applies for a use of the maintenance fund and cites the vote that carried
//! it. Using a vote on the path (a company chosen or dismissed) stays with the street.
//!
//! A department's officer (部门, seed 003 四) sees the ledger of its district, takes the
//! referrals made to its department and uploads the evidence of its result; every other row of
//! the table is blank for it (upload evidence ✓).
//!
//! Uploading evidence is allowed to every role that takes a step evidence can support (the
//! path, assessments, patrols, answers to orders); the file is only attached by that step,
//! which checks its own permission and scope. A budget projection reads shipped policies and
//! the compounds in the viewer's area and changes nothing, so the auditor may run it too.
//!
//! 发改 (the price bureau that approves fee standards, seed 003 三（二）) has no account of its
//! own: the housing authority or the administrator enters its approval, naming its document.
//! Everyone who reads the ledger reads a compound's renovation and fee standards (a company only
//! its own compounds', by its scope).
//!
//! A correction (更正) re-dates or voids a step already recorded and recomputes what follows;
//! it is the street office's (or the district's) act of record, so the community, which records
//! steps, does not correct them.
//!
//! The auditor (审计) reads everything and changes nothing: every action that is a write is
//! refused to that role ([`Action::is_write`]). The administrator (系统管理员) is the one the
//! command line acts as, so it may do everything.

use serde::{Deserialize, Serialize};

/// A role a user acts in (DOMAIN.md "who uses it").
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员
    Admin,
    /// 住建部门 (市/区住建局, 房屋管理服务中心)
    HousingAuthority,
    /// 财政部门
    Finance,
    /// 街道办事处
    Street,
    /// 社区
    Community,
    /// 物业企业
    Company,
    /// 第三方测评机构
    Evaluator,
    /// 审计
    Auditor,
    /// 区职能部门 (seed 003 四: 住建, 发改, 民政 … 消防救援, 公安; the utilities)
    Department,
    /// 业主组织成员 (业主委员会、物业管理委员会): one compound's owners' body
    OwnersBody,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Admin,
        Role::HousingAuthority,
        Role::Finance,
        Role::Street,
        Role::Community,
        Role::Company,
        Role::Evaluator,
        Role::Auditor,
        Role::Department,
        Role::OwnersBody,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::HousingAuthority => "housing_authority",
            Role::Finance => "finance",
            Role::Street => "street",
            Role::Community => "community",
            Role::Company => "company",
            Role::Evaluator => "evaluator",
            Role::Auditor => "auditor",
            Role::Department => "department",
            Role::OwnersBody => "owners_body",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::HousingAuthority => "住建部门",
            Role::Finance => "财政部门",
            Role::Street => "街道办事处",
            Role::Community => "社区",
            Role::Company => "物业企业",
            Role::Evaluator => "第三方测评机构",
            Role::Auditor => "审计",
            Role::Department => "职能部门",
            Role::OwnersBody => "业主组织成员",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Role::Admin => "administrator",
            Role::HousingAuthority => "housing authority",
            Role::Finance => "finance bureau",
            Role::Street => "street office",
            Role::Community => "community",
            Role::Company => "property company",
            Role::Evaluator => "third-party evaluator",
            Role::Auditor => "auditor",
            Role::Department => "district department",
            Role::OwnersBody => "owners' body member",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    /// The code only.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// What people type: the code (`street`, `housing-authority`), the Chinese label (街道办事处)
    /// or a common short form (街道, 住建, 住建局, 财政, 企业, 物业, 测评, 管理员).
    pub fn parse(s: &str) -> Option<Role> {
        let t = s.trim();
        let code = t.to_ascii_lowercase().replace('-', "_");
        if let Some(r) = Role::from_code(&code) {
            return Some(r);
        }
        if let Some(r) = Role::ALL.into_iter().find(|r| r.zh() == t) {
            return Some(r);
        }
        Some(match t {
            "管理员" => Role::Admin,
            "住建" | "住建局" | "住建部门" | "房管中心" => Role::HousingAuthority,
            "财政" | "财政局" => Role::Finance,
            "街道" | "街道办" => Role::Street,
            "社区居委会" | "居委会" => Role::Community,
            "企业" | "物业" | "物业公司" => Role::Company,
            "测评" | "测评机构" | "第三方" => Role::Evaluator,
            "审计局" => Role::Auditor,
            "部门" | "区直部门" => Role::Department,
            "业委会" | "业主委员会" | "物管会" | "物业管理委员会" | "业主组织" => {
                Role::OwnersBody
            }
            _ => return None,
        })
    }

    /// Roles whose work is bounded by a place in the region tree; their accounts need a region.
    pub fn needs_region(self) -> bool {
        matches!(self, Role::Street | Role::Community | Role::Department)
    }

    /// Roles that act for one district department; their accounts need one.
    pub fn needs_department(self) -> bool {
        matches!(self, Role::Department)
    }

    /// Roles that act for one company; their accounts need a company.
    pub fn needs_company(self) -> bool {
        matches!(self, Role::Company)
    }

    /// Roles that work for one compound (an owners' body); their accounts need the compound.
    pub fn needs_compound(self) -> bool {
        matches!(self, Role::OwnersBody)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Something a user asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 台账, coverage figures, compound pages, reports.
    ViewLedger,
    /// Edit a compound's facts, import a ledger.
    EditCompounds,
    /// A step on the path to coverage (征求意见 … 进场).
    AdvanceLifecycle,
    /// 更正: re-date or void a recorded step of the path, with a reason.
    CorrectSteps,
    /// Sign, file, terminate contracts; run public selections.
    ManageContracts,
    /// Tasks and dated targets.
    ManageTasks,
    /// Enter an assessment (考核评分).
    Assess,
    /// 复核 and decide assessments, appeals.
    ReviewAssessments,
    /// Patrols, rectification orders, record complaints.
    Patrol,
    /// A company answers its rectification orders and complaints.
    AnswerOrders,
    /// 核实: the street finds a complaint substantiated or unfounded (only a substantiated one
    /// counts against the company).
    VerifyComplaints,
    /// Satisfaction surveys.
    ManageSurveys,
    /// Fee collection and 收支公示 entries.
    EnterFees,
    /// Register companies, add to credit files.
    ManageCompanies,
    /// Apply for and review (初审) subsidies.
    ReviewSubsidies,
    /// Approve (审批) subsidies.
    ApproveSubsidies,
    /// Disburse approved subsidies (拨付).
    Disburse,
    /// Read the audit log.
    ViewAuditLog,
    /// Create, disable accounts, reset passwords.
    ManageUsers,
    /// Upload a file (证明材料) that a step, an assessment, a patrol or an answer then cites.
    UploadEvidence,
    /// Project a subsidy policy's yearly cost (预算测算); reads only.
    ProjectBudget,
    /// Set up a district's departments and their duty categories.
    ManageDepartments,
    /// 吹哨: refer a finding, complaint or order to a department; confirm or return its result.
    Refer,
    /// 报到 and 办结: a department takes the referrals made to it.
    RespondReferrals,
    /// Leading groups and 专班, meetings and their decisions, 通报 and 约谈; 销号 of the
    /// decisions handed out.
    ManageOrganisation,
    /// 报结: a street, community, department or company reports an assignment done.
    ReportAssignments,
    /// Owners' votes: the register of households, opening a vote, paper ballots, counting,
    /// and using the result.
    RunVotes,
    /// Red property records (红色物业): a compound's 党支部/党小组, 党建指导员, cross appointments
    /// and 征询 (seed 002 一（一）、一（三）).
    ManageParty,
    /// 专项维修资金: deposits, approval of a use and its payment (住建, seed 003 三（一）).
    ManageFund,
    /// 老旧小区改造: a renovation project, its dates (and their corrections) and the 三承诺.
    ManageRenovation,
    /// 核定收费标准: enter the fee standard 发改 approved.
    SetFeeStandards,
}

impl Action {
    pub const ALL: [Action; 31] = [
        Action::ViewLedger,
        Action::EditCompounds,
        Action::AdvanceLifecycle,
        Action::CorrectSteps,
        Action::ManageContracts,
        Action::ManageTasks,
        Action::Assess,
        Action::ReviewAssessments,
        Action::Patrol,
        Action::AnswerOrders,
        Action::VerifyComplaints,
        Action::ManageSurveys,
        Action::EnterFees,
        Action::ManageCompanies,
        Action::ReviewSubsidies,
        Action::ApproveSubsidies,
        Action::Disburse,
        Action::ViewAuditLog,
        Action::ManageUsers,
        Action::UploadEvidence,
        Action::ProjectBudget,
        Action::ManageRenovation,
        Action::SetFeeStandards,
        Action::ManageDepartments,
        Action::Refer,
        Action::RespondReferrals,
        Action::ManageOrganisation,
        Action::ReportAssignments,
        Action::RunVotes,
        Action::ManageParty,
        Action::ManageFund,
    ];

    /// Whether the action changes anything (everything but reading).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Action::ViewLedger | Action::ViewAuditLog | Action::ProjectBudget
        )
    }

    pub fn zh(self) -> &'static str {
        match self {
            Action::ViewLedger => "查看台账",
            Action::EditCompounds => "编辑小区台账",
            Action::AdvanceLifecycle => "推进全覆盖工作步骤",
            Action::CorrectSteps => "更正全覆盖工作步骤",
            Action::ManageContracts => "管理选聘与合同",
            Action::ManageTasks => "管理任务与目标",
            Action::Assess => "考核评分",
            Action::ReviewAssessments => "复核考核结果",
            Action::Patrol => "巡查与整改",
            Action::AnswerOrders => "答复整改单与投诉",
            Action::VerifyComplaints => "核实投诉",
            Action::ManageSurveys => "满意度调查",
            Action::EnterFees => "录入收费与收支公示",
            Action::ManageCompanies => "管理物业企业与信用档案",
            Action::ReviewSubsidies => "申报与初审补贴",
            Action::ApproveSubsidies => "审批补贴",
            Action::Disburse => "拨付补贴",
            Action::ViewAuditLog => "查看审计日志",
            Action::ManageUsers => "管理账号",
            Action::UploadEvidence => "上传证明材料",
            Action::ProjectBudget => "预算测算",
            Action::ManageDepartments => "管理职能部门",
            Action::Refer => "向职能部门吹哨",
            Action::RespondReferrals => "报到并办理吹哨事项",
            Action::ManageOrganisation => "管理工作机构、会议与通报",
            Action::RunVotes => "组织业主表决",
            Action::ManageParty => "登记红色物业记录",
            Action::ManageFund => "管理专项维修资金",
            Action::ReportAssignments => "办理交办事项",
            Action::ManageRenovation => "老旧小区改造与三承诺",
            Action::SetFeeStandards => "录入核定收费标准",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Action::ViewLedger => "view the ledger",
            Action::EditCompounds => "edit compounds",
            Action::AdvanceLifecycle => "advance the path to coverage",
            Action::CorrectSteps => "correct steps of the path",
            Action::ManageContracts => "manage selections and contracts",
            Action::ManageTasks => "manage tasks and targets",
            Action::Assess => "enter assessments",
            Action::ReviewAssessments => "review assessments",
            Action::Patrol => "patrol and order rectification",
            Action::AnswerOrders => "answer orders and complaints",
            Action::VerifyComplaints => "verify complaints",
            Action::ManageSurveys => "run satisfaction surveys",
            Action::EnterFees => "enter fees and public accounts",
            Action::ManageCompanies => "manage companies and credit files",
            Action::ReviewSubsidies => "apply for and review subsidies",
            Action::ApproveSubsidies => "approve subsidies",
            Action::Disburse => "disburse subsidies",
            Action::ViewAuditLog => "view the audit log",
            Action::ManageUsers => "manage accounts",
            Action::UploadEvidence => "upload evidence",
            Action::ProjectBudget => "project budgets",
            Action::ManageDepartments => "manage departments",
            Action::Refer => "refer matters to departments",
            Action::RespondReferrals => "take referrals",
            Action::ManageOrganisation => "run groups, meetings and censures",
            Action::RunVotes => "run owners' votes",
            Action::ManageParty => "record red property",
            Action::ManageFund => "manage the maintenance fund",
            Action::ReportAssignments => "report assignments done",
            Action::ManageRenovation => "record renovation projects and commitments",
            Action::SetFeeStandards => "enter approved fee standards",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}

/// Whether a role may do an action at all (the table in the module doc).
pub fn can(role: Role, action: Action) -> bool {
    use Action as A;
    use Role as R;
    match role {
        R::Admin => true,
        R::Auditor => !action.is_write(),
        R::HousingAuthority => !matches!(
            action,
            A::AnswerOrders | A::EnterFees | A::Disburse | A::ManageUsers | A::RespondReferrals
        ),
        R::Finance => matches!(action, A::ViewLedger | A::Disburse | A::ProjectBudget),
        R::Street => matches!(
            action,
            A::ViewLedger
                | A::EditCompounds
                | A::AdvanceLifecycle
                | A::CorrectSteps
                | A::ManageContracts
                | A::ManageTasks
                | A::Assess
                | A::Patrol
                | A::VerifyComplaints
                | A::ManageSurveys
                | A::ReviewSubsidies
                | A::UploadEvidence
                | A::Refer
                | A::ManageOrganisation
                | A::ReportAssignments
                | A::RunVotes
                | A::ManageParty
                | A::ManageRenovation
        ),
        R::Community => matches!(
            action,
            A::ViewLedger
                | A::EditCompounds
                | A::AdvanceLifecycle
                | A::Patrol
                | A::ManageSurveys
                | A::UploadEvidence
                | A::Refer
                | A::ManageOrganisation
                | A::ReportAssignments
                | A::RunVotes
                | A::ManageParty
                | A::ManageRenovation
        ),
        R::Company => matches!(
            action,
            A::ViewLedger
                | A::AnswerOrders
                | A::EnterFees
                | A::UploadEvidence
                | A::ReportAssignments
        ),
        R::Evaluator => matches!(action, A::ViewLedger | A::Assess | A::UploadEvidence),
        R::Department => matches!(
            action,
            A::ViewLedger | A::RespondReferrals | A::UploadEvidence | A::ReportAssignments
        ),
        R::OwnersBody => matches!(action, A::ViewLedger | A::RunVotes | A::UploadEvidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_people_can_type_chinese() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(Role::parse(r.zh()), Some(r));
            assert_eq!(Role::parse(&r.code().to_uppercase()), Some(r));
        }
        assert_eq!(
            Role::parse("housing-authority"),
            Some(Role::HousingAuthority)
        );
        assert_eq!(Role::parse(" 街道 "), Some(Role::Street));
        assert_eq!(Role::parse("住建局"), Some(Role::HousingAuthority));
        assert_eq!(Role::parse("居民"), None, "residents need no account");
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn auditor_reads_everything_and_changes_nothing() {
        for a in Action::ALL {
            assert_eq!(can(Role::Auditor, a), !a.is_write(), "{a:?}");
        }
        assert!(can(Role::Auditor, Action::ViewAuditLog));
    }

    #[test]
    fn every_role_can_view_the_ledger_and_admin_can_do_everything() {
        for r in Role::ALL {
            assert!(can(r, Action::ViewLedger), "{r:?}");
        }
        for a in Action::ALL {
            assert!(can(Role::Admin, a), "{a:?}");
        }
    }

    /// The table, row by row: (role, action, allowed).
    #[test]
    fn permission_table() {
        use Action as A;
        use Role as R;
        let cases = [
            (R::Street, A::AdvanceLifecycle, true),
            (R::Street, A::ManageRenovation, true),
            (R::Community, A::ManageRenovation, true),
            (R::HousingAuthority, A::ManageRenovation, true),
            (R::Company, A::ManageRenovation, false),
            (R::Department, A::ManageRenovation, false),
            (R::HousingAuthority, A::SetFeeStandards, true),
            (R::Street, A::SetFeeStandards, false),
            (R::Community, A::SetFeeStandards, false),
            (R::Company, A::SetFeeStandards, false),
            (R::Department, A::SetFeeStandards, false),
            (R::Auditor, A::SetFeeStandards, false),
            (R::Street, A::ManageContracts, true),
            (R::Street, A::ApproveSubsidies, false),
            (R::Street, A::Disburse, false),
            (R::Street, A::ViewAuditLog, false),
            (R::Street, A::ManageUsers, false),
            (R::Community, A::AdvanceLifecycle, true),
            (R::Community, A::ManageContracts, false),
            (R::Street, A::CorrectSteps, true),
            (R::HousingAuthority, A::CorrectSteps, true),
            (R::Community, A::CorrectSteps, false),
            (R::Company, A::CorrectSteps, false),
            (R::Evaluator, A::CorrectSteps, false),
            (R::Finance, A::CorrectSteps, false),
            (R::Auditor, A::CorrectSteps, false),
            (R::Company, A::AnswerOrders, true),
            (R::Company, A::EnterFees, true),
            (R::Company, A::EditCompounds, false),
            (R::Company, A::Assess, false),
            (R::Company, A::Patrol, false),
            (R::Evaluator, A::Assess, true),
            (R::Evaluator, A::ReviewAssessments, false),
            (R::Evaluator, A::EditCompounds, false),
            (R::Finance, A::Disburse, true),
            (R::Finance, A::ApproveSubsidies, false),
            (R::Finance, A::EditCompounds, false),
            (R::HousingAuthority, A::ApproveSubsidies, true),
            (R::HousingAuthority, A::ReviewAssessments, true),
            (R::HousingAuthority, A::ViewAuditLog, true),
            (R::HousingAuthority, A::Disburse, false),
            (R::HousingAuthority, A::AnswerOrders, false),
            (R::HousingAuthority, A::ManageUsers, false),
            (R::HousingAuthority, A::UploadEvidence, true),
            (R::HousingAuthority, A::ProjectBudget, true),
            (R::Finance, A::ProjectBudget, true),
            (R::Finance, A::UploadEvidence, false),
            (R::Street, A::UploadEvidence, true),
            (R::Street, A::ProjectBudget, false),
            (R::Community, A::UploadEvidence, true),
            (R::Company, A::UploadEvidence, true),
            (R::Company, A::ProjectBudget, false),
            (R::Evaluator, A::UploadEvidence, true),
            (R::Auditor, A::UploadEvidence, false),
            (R::Auditor, A::ProjectBudget, true),
            (R::Street, A::VerifyComplaints, true),
            (R::HousingAuthority, A::VerifyComplaints, true),
            (R::Community, A::VerifyComplaints, false),
            (R::Company, A::VerifyComplaints, false),
            (R::Evaluator, A::VerifyComplaints, false),
            (R::Finance, A::VerifyComplaints, false),
            (R::Auditor, A::VerifyComplaints, false),
            (R::Department, A::RespondReferrals, true),
            (R::Department, A::Refer, false),
            (R::Department, A::Patrol, false),
            (R::Department, A::UploadEvidence, true),
            (R::Department, A::EditCompounds, false),
            (R::Street, A::Refer, true),
            (R::Community, A::Refer, true),
            (R::HousingAuthority, A::Refer, true),
            (R::HousingAuthority, A::ManageDepartments, true),
            (R::HousingAuthority, A::RespondReferrals, false),
            (R::Street, A::ManageDepartments, false),
            (R::Street, A::RespondReferrals, false),
            (R::Company, A::Refer, false),
        ];
        for (role, action, allowed) in cases {
            assert_eq!(can(role, action), allowed, "{role:?} {action:?}");
        }
    }

    #[test]
    fn only_company_answers_orders_and_only_finance_disburses() {
        let who = |a: Action| -> Vec<Role> {
            Role::ALL
                .into_iter()
                .filter(|r| *r != Role::Admin && can(*r, a))
                .collect()
        };
        assert_eq!(who(Action::AnswerOrders), vec![Role::Company]);
        assert_eq!(who(Action::Disburse), vec![Role::Finance]);
        assert_eq!(who(Action::ManageUsers), Vec::<Role>::new());
        assert_eq!(who(Action::RespondReferrals), vec![Role::Department]);
    }
}
