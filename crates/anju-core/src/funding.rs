//! 补贴资金的路径 (the money's path): a subsidy line is computed by a run (草稿), applied for by the
//! company (申报), reviewed by the street (街道审核), reviewed again by the district (区级复核),
//! approved (批准) and disbursed by finance (拨付); any review may return it to the applicant
//! for correction (退回修改), who applies again. Seeds: 000 四（二）申报、（三）拨付流程;
//! 001 三（四）奖补资金实行年度拨付; 002 七（二）4 复核 → 区政府同意 → 区财政局拨付.
//!
//! One pure [`transition`] holds every guard and refuses with the reason in Chinese and English.
//! Decisions the seeds leave open:
//! - an ineligible line (不符合条件 or 缺少考核结果) cannot be applied for: the run states why;
//! - an approved amount changes only by an adjustment decision (调整决定) with a reason, and only
//!   before it is disbursed (after that, money is recovered by a separate decision, not here);
//! - the infrastructure grant (seed 004 三（五）: 5000元至10000元) includes both ends (至).

use crate::Fen;
use crate::Lang;
use crate::assessment::Period;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a subsidy line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// 草稿: computed by a run, not applied for.
    Draft,
    /// 已被重算取代: a later run of the same scope and period replaced this draft.
    Superseded,
    /// 已申报
    Applied,
    /// 街道已审核
    StreetReviewed,
    /// 区级已复核
    DistrictReviewed,
    /// 已批准
    Approved,
    /// 已拨付
    Disbursed,
    /// 已退回修改
    Returned,
}

impl LineStatus {
    pub const ALL: [LineStatus; 8] = [
        LineStatus::Draft,
        LineStatus::Superseded,
        LineStatus::Applied,
        LineStatus::StreetReviewed,
        LineStatus::DistrictReviewed,
        LineStatus::Approved,
        LineStatus::Disbursed,
        LineStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LineStatus::Draft => "draft",
            LineStatus::Superseded => "superseded",
            LineStatus::Applied => "applied",
            LineStatus::StreetReviewed => "street_reviewed",
            LineStatus::DistrictReviewed => "district_reviewed",
            LineStatus::Approved => "approved",
            LineStatus::Disbursed => "disbursed",
            LineStatus::Returned => "returned",
        }
    }

    pub fn from_code(s: &str) -> Option<LineStatus> {
        LineStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LineStatus::Draft => lang.pick("草稿", "draft"),
            LineStatus::Superseded => lang.pick("已被重算取代", "superseded"),
            LineStatus::Applied => lang.pick("已申报", "applied"),
            LineStatus::StreetReviewed => lang.pick("街道已审核", "reviewed by the street"),
            LineStatus::DistrictReviewed => lang.pick("区级已复核", "reviewed by the district"),
            LineStatus::Approved => lang.pick("已批准", "approved"),
            LineStatus::Disbursed => lang.pick("已拨付", "disbursed"),
            LineStatus::Returned => lang.pick("已退回修改", "returned for correction"),
        }
    }

    /// In the path (申报 onwards): the line claims its compound and period, so no other line
    /// may be applied for over the same compound, kind and days.
    pub fn claims(self) -> bool {
        !matches!(self, LineStatus::Draft | LineStatus::Superseded)
    }

    /// A rerun may replace it (only a draft; never anything applied for or approved).
    pub fn replaceable(self) -> bool {
        self == LineStatus::Draft
    }
}

/// What a line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// 补贴（按政策计算，本期应付部分）
    Subsidy,
    /// 质保金（预留部分）释放: seed 000 四（一）剩余10%.
    RetentionRelease,
    /// 基础设施投入资金: seed 004 三（五）.
    Infrastructure,
}

impl LineKind {
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Subsidy => "subsidy",
            LineKind::RetentionRelease => "retention_release",
            LineKind::Infrastructure => "infrastructure",
        }
    }

    pub fn from_code(s: &str) -> Option<LineKind> {
        [
            LineKind::Subsidy,
            LineKind::RetentionRelease,
            LineKind::Infrastructure,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LineKind::Subsidy => lang.pick("补贴", "subsidy"),
            LineKind::RetentionRelease => lang.pick("预留金（质保金）释放", "retention released"),
            LineKind::Infrastructure => lang.pick("基础设施投入资金", "infrastructure grant"),
        }
    }
}

/// A step on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 申报 (the company; again after a return)
    Apply,
    /// 街道审核
    StreetReview,
    /// 区级复核
    DistrictReview,
    /// 批准
    Approve,
    /// 拨付至街道: finance pays the street, which then pays the company (seed 002 七（二）4
    /// "区财政局依据考核结果向相关街道办事处拨付奖补资金，由街道办事处向辖区物业企业兑付"); the
    /// line stays approved until the street pays.
    DisburseToStreet,
    /// 拨付 (to the company: finance, or whoever the policy names)
    Disburse,
    /// 退回修改 (back to the applicant)
    Return,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Apply,
        Action::StreetReview,
        Action::DistrictReview,
        Action::Approve,
        Action::DisburseToStreet,
        Action::Disburse,
        Action::Return,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Apply => "apply",
            Action::StreetReview => "street_review",
            Action::DistrictReview => "district_review",
            Action::Approve => "approve",
            Action::DisburseToStreet => "disburse_to_street",
            Action::Disburse => "disburse",
            Action::Return => "return",
        }
    }

    pub fn from_code(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Apply => lang.pick("申报", "apply"),
            Action::StreetReview => lang.pick("街道审核", "street review"),
            Action::DistrictReview => lang.pick("区级复核", "district review"),
            Action::Approve => lang.pick("批准", "approve"),
            Action::DisburseToStreet => lang.pick("拨付至街道", "pay the street"),
            Action::Disburse => lang.pick("拨付", "disburse"),
            Action::Return => lang.pick("退回修改", "return for correction"),
        }
    }
}

/// A refusal, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingError {
    pub zh: String,
    pub en: String,
}

impl FundingError {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> FundingError {
        FundingError {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl fmt::Display for FundingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

impl std::error::Error for FundingError {}

/// One step of a policy's approval chain after 申报: what is done, the role of the person who
/// does it, and the office the policy names (seed 002 七（二）4: the renovation HQ office
/// reviews, a district leader approves, district finance pays the street, the street pays the
/// company; seed 000 四（三）: 开发区建设管理部 pays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStep {
    pub action: Action,
    pub role: crate::access::Role,
    /// The office as the policy names it (改造指挥部办公室, 区财政局 …).
    pub by_zh: String,
    pub by_en: String,
}

impl ChainStep {
    /// Whether `role` takes this step: its own role, and the administrator.
    pub fn taken_by(&self, role: crate::access::Role) -> bool {
        role == self.role || role == crate::access::Role::Admin
    }
}

/// Whether `role` is on the money's path: it reviews, approves or pays (and may start a run).
pub fn on_money_path(role: crate::access::Role) -> bool {
    use crate::access::{Action as Perm, can};
    can(role, Perm::ReviewSubsidies)
        || can(role, Perm::ApproveSubsidies)
        || can(role, Perm::Disburse)
}

/// Who reviews, approves and pays a policy's lines, in order, after the company's 申报. A
/// policy file names its own chain; without one, Anju's standard chain
/// ([`Chain::standard`]) applies, and says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    pub steps: Vec<ChainStep>,
    /// Named by the policy file (else Anju's standard chain).
    pub named: bool,
}

/// What a line waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next<'a> {
    /// The company's 申报 (again after a return).
    Apply,
    Step(&'a ChainStep),
}

impl Chain {
    /// Anju's own chain where a policy names none: the street reviews (街道审核), the district
    /// housing office reviews again (区级复核) and approves, finance pays.
    pub fn standard() -> Chain {
        use crate::access::Role;
        let step = |action, role, zh: &str, en: &str| ChainStep {
            action,
            role,
            by_zh: zh.to_string(),
            by_en: en.to_string(),
        };
        Chain {
            steps: vec![
                step(
                    Action::StreetReview,
                    Role::Street,
                    "街道办事处",
                    "the street office",
                ),
                step(
                    Action::DistrictReview,
                    Role::HousingAuthority,
                    "区级物业主管部门",
                    "the district housing office",
                ),
                step(
                    Action::Approve,
                    Role::HousingAuthority,
                    "区级物业主管部门",
                    "the district housing office",
                ),
                step(Action::Disburse, Role::Finance, "财政部门", "finance"),
            ],
            named: false,
        }
    }

    /// A chain a policy names, checked: reviews, then one approval, then the payment (to the
    /// company, optionally through the street first); no step twice.
    pub fn named(steps: Vec<ChainStep>) -> Result<Chain, FundingError> {
        let actions: Vec<Action> = steps.iter().map(|s| s.action).collect();
        let bad = |zh: &str, en: &str| Err(FundingError::new(zh, en));
        if actions.last() != Some(&Action::Disburse) {
            return bad(
                "审批流程须以拨付（disburse）结束",
                "the chain must end with disburse",
            );
        }
        let Some(approve) = actions.iter().position(|a| *a == Action::Approve) else {
            return bad(
                "审批流程须有一步批准（approve）",
                "the chain needs an approve step",
            );
        };
        for (i, a) in actions.iter().enumerate() {
            if actions[..i].contains(a) {
                return bad(
                    "审批流程中同一步骤出现两次",
                    "a step appears twice in the chain",
                );
            }
            let fits = match a {
                Action::StreetReview | Action::DistrictReview => i < approve,
                Action::Approve | Action::Disburse => true,
                Action::DisburseToStreet => i > approve && i + 2 == actions.len(),
                Action::Apply | Action::Return => false,
            };
            if !fits {
                return Err(FundingError::new(
                    format!("审批流程中“{}”的位置不对", a.label(Lang::Zh)),
                    format!("'{}' is out of place in the chain", a.label(Lang::En)),
                ));
            }
        }
        Ok(Chain { steps, named: true })
    }

    /// The chain a line walks: this one, unless the line is already part-way along a path this
    /// chain does not have (a line begun under Anju's standard chain before its policy named its
    /// own: its last step is not one of this chain's), which finishes the standard way.
    pub fn for_line(self, status: LineStatus, last: Option<Action>) -> Chain {
        let begun = !matches!(
            status,
            LineStatus::Draft | LineStatus::Returned | LineStatus::Superseded | LineStatus::Applied
        );
        match last {
            Some(a)
                if begun
                    && a != Action::Apply
                    && a != Action::Return
                    && !self.steps.iter().any(|s| s.action == a) =>
            {
                Chain::standard()
            }
            _ => self,
        }
    }

    /// The status a chain step leaves a line in.
    fn status_after(action: Action) -> LineStatus {
        match action {
            Action::Apply => LineStatus::Applied,
            Action::StreetReview => LineStatus::StreetReviewed,
            Action::DistrictReview => LineStatus::DistrictReviewed,
            Action::Approve | Action::DisburseToStreet => LineStatus::Approved,
            Action::Disburse => LineStatus::Disbursed,
            Action::Return => LineStatus::Returned,
        }
    }

    /// How many of the chain's steps are done, from the line's status and the last step taken
    /// on it (`last`: needed when two steps leave the same status, 批准 and 拨付至街道).
    fn done(&self, status: LineStatus, last: Option<Action>) -> usize {
        match status {
            LineStatus::Draft
            | LineStatus::Returned
            | LineStatus::Superseded
            | LineStatus::Applied => 0,
            LineStatus::Disbursed => self.steps.len(),
            _ => {
                let by_last = last.and_then(|a| self.steps.iter().position(|s| s.action == a));
                let by_status = self
                    .steps
                    .iter()
                    .rposition(|s| Self::status_after(s.action) == status);
                by_last.or(by_status).map_or(0, |i| i + 1)
            }
        }
    }

    /// What a line in `status` (its last step `last`) waits for; `None` when it is paid or
    /// superseded.
    pub fn next(&self, status: LineStatus, last: Option<Action>) -> Option<Next<'_>> {
        match status {
            LineStatus::Draft | LineStatus::Returned => Some(Next::Apply),
            LineStatus::Superseded | LineStatus::Disbursed => None,
            _ => self.steps.get(self.done(status, last)).map(Next::Step),
        }
    }

    /// The chain's step that `action` is, on a line in `status` (a return is taken by whoever
    /// takes the awaited review or approval); `None` for an application, or a step the chain
    /// does not have.
    pub fn step_for(
        &self,
        status: LineStatus,
        last: Option<Action>,
        action: Action,
    ) -> Option<&ChainStep> {
        match action {
            Action::Apply => None,
            Action::Return => self.may_return(status, last),
            a => self.steps.iter().find(|s| s.action == a),
        }
    }

    /// Whether `role` may take `action` on a line in `status`, or why not, naming the office
    /// that takes it: the company (or the administrator) applies; each step is its chain
    /// role's, and the administrator's; a step the chain does not have is open to the roles on
    /// the money's path (who review, approve or pay) and refused as a wrong turn by
    /// [`Chain::transition`].
    pub fn may_take(
        &self,
        role: crate::access::Role,
        status: LineStatus,
        last: Option<Action>,
        action: Action,
    ) -> Result<(), FundingError> {
        use crate::access::Role;
        let step = self.step_for(status, last, action);
        let allowed = match (action, step) {
            (Action::Apply, _) => matches!(role, Role::Company | Role::Admin),
            (_, Some(s)) => s.taken_by(role),
            (_, None) => on_money_path(role),
        };
        if allowed {
            return Ok(());
        }
        let (by_zh, by_en) = step.map_or_else(Default::default, |s| {
            (
                format!("；此步由{}（{}）办理", s.by_zh, s.role.zh()),
                format!(": this step is taken by {} ({})", s.by_en, s.role.en()),
            )
        });
        Err(FundingError::new(
            format!("“{}”角色无权{}{by_zh}", role.zh(), action.label(Lang::Zh)),
            format!(
                "the role '{}' may not {}{by_en}",
                role.en(),
                action.label(Lang::En)
            ),
        ))
    }

    /// Whether the line may be returned for correction now: while it waits for a review or
    /// the approval (an approved amount changes only by an adjustment).
    pub fn may_return(&self, status: LineStatus, last: Option<Action>) -> Option<&ChainStep> {
        match self.next(status, last) {
            Some(Next::Step(s))
                if matches!(
                    s.action,
                    Action::StreetReview | Action::DistrictReview | Action::Approve
                ) =>
            {
                Some(s)
            }
            _ => None,
        }
    }

    /// The next status of a line after `action`, or why not. `eligible`: the run found the line
    /// payable (an ineligible line explains itself and cannot be applied for).
    pub fn transition(
        &self,
        status: LineStatus,
        last: Option<Action>,
        action: Action,
        eligible: bool,
    ) -> Result<LineStatus, FundingError> {
        use LineStatus as S;
        let wrong = || {
            let waits = match self.next(status, last) {
                Some(Next::Apply) => format!("（等待{}）", Action::Apply.label(Lang::Zh)),
                Some(Next::Step(s)) => format!("（等待{}{}）", s.by_zh, s.action.label(Lang::Zh)),
                None => String::new(),
            };
            FundingError::new(
                format!(
                    "当前状态为“{}”{waits}，不能{}",
                    status.label(Lang::Zh),
                    action.label(Lang::Zh)
                ),
                format!(
                    "the line is {}: cannot {}",
                    status.label(Lang::En),
                    action.label(Lang::En)
                ),
            )
        };
        match (status, action) {
            (S::Draft | S::Returned, Action::Apply) if !eligible => Err(FundingError::new(
                "该小区本期不符合补贴条件（见说明），不能申报",
                "the compound is not eligible for this period (see the explanation): cannot apply",
            )),
            (S::Superseded, _) => Err(FundingError::new(
                "该行已被重算取代，请使用最新一次测算的结果",
                "this line was superseded by a later run: use the latest one",
            )),
            (S::Draft | S::Returned, Action::Apply) => Ok(S::Applied),
            (S::Approved | S::Disbursed, Action::Return) => Err(FundingError::new(
                "已批准的金额不能退回修改；如需改变金额，请作出调整决定",
                "an approved amount cannot be returned: make an adjustment decision instead",
            )),
            (_, Action::Return) if self.may_return(status, last).is_some() => Ok(S::Returned),
            (_, a) => match self.next(status, last) {
                Some(Next::Step(s)) if s.action == a => Ok(Self::status_after(a)),
                _ => Err(wrong()),
            },
        }
    }
}

/// The next status of a line after `action` on Anju's standard chain ([`Chain::transition`]).
pub fn transition(
    status: LineStatus,
    action: Action,
    eligible: bool,
) -> Result<LineStatus, FundingError> {
    Chain::standard().transition(status, None, action, eligible)
}

/// Checks an adjustment decision (调整决定) of an approved amount.
pub fn check_adjustment(
    status: LineStatus,
    old: Fen,
    new: Fen,
    reason: &str,
) -> Result<(), FundingError> {
    if status != LineStatus::Approved {
        return Err(FundingError::new(
            format!(
                "只有已批准、尚未拨付的金额可以调整（当前：{}）",
                status.label(Lang::Zh)
            ),
            format!(
                "only an approved amount not yet disbursed can be adjusted (now: {})",
                status.label(Lang::En)
            ),
        ));
    }
    if reason.trim().is_empty() {
        return Err(FundingError::new(
            "调整决定须写明理由",
            "an adjustment decision needs its reason",
        ));
    }
    if new.is_negative() {
        return Err(FundingError::new(
            "调整后的金额不能为负",
            "the adjusted amount cannot be negative",
        ));
    }
    if new == old {
        return Err(FundingError::new(
            format!("调整后的金额与原批准金额相同（{} 元）", old.plain()),
            format!("the new amount equals the approved one ({})", old.plain()),
        ));
    }
    Ok(())
}

/// 基础设施投入资金的下限与上限 (seed 004 三（五）: 5000元至10000元, both included).
pub const INFRA_GRANT_MIN: Fen = Fen(500_000);
pub const INFRA_GRANT_MAX: Fen = Fen(1_000_000);

/// An infrastructure grant worked out as seed 004 三（五） says: "按比例给与物业服务企业进行
/// 5000元至10000元的设备设施投入资金" — `share_percent` % (1–100) of what the company itself
/// invested, rounded half-up to the fen once, at most 10,000 元 (the upper end of the range);
/// a proportion that comes to less than 5,000 元 is refused (the range's lower end), naming
/// the sum. Returns the grant and whether the cap applied.
pub fn infra_grant(investment: Fen, share_percent: u32) -> Result<(Fen, bool), FundingError> {
    if !(1..=100).contains(&share_percent) {
        return Err(FundingError::new(
            format!("补助比例 {share_percent}% 须在 1% 至 100% 之间"),
            format!("a share of {share_percent}% is not within 1–100 %"),
        ));
    }
    if investment.0 <= 0 {
        return Err(FundingError::new(
            "企业投入金额须大于 0".to_string(),
            "the company's investment must be more than 0".to_string(),
        ));
    }
    let raw = (i128::from(investment.0) * i128::from(share_percent) + 50) / 100;
    let raw = Fen(i64::try_from(raw).unwrap_or(i64::MAX));
    if raw > INFRA_GRANT_MAX {
        return Ok((INFRA_GRANT_MAX, true));
    }
    check_infra_grant(raw).map_err(|_| {
        FundingError::new(
            format!(
                "企业投入 {} 元 × {share_percent}% = {} 元，低于方案下限 5,000 元（大沁他拉方案 三（五）：5000元至10000元）",
                investment.grouped(),
                raw.grouped()
            ),
            format!(
                "{} yuan invested × {share_percent}% = {} yuan, under the plan's 5,000 yuan (Daqintala 3(5): 5,000–10,000 yuan)",
                investment.grouped(),
                raw.grouped()
            ),
        )
    })?;
    Ok((raw, false))
}

/// Checks an infrastructure grant's amount against seed 004's 5,000–10,000 元.
pub fn check_infra_grant(amount: Fen) -> Result<(), FundingError> {
    if amount < INFRA_GRANT_MIN || amount > INFRA_GRANT_MAX {
        return Err(FundingError::new(
            format!(
                "基础设施投入资金 {} 元不在 5000 元至 10000 元之间（大沁他拉方案 三（五））",
                amount.plain()
            ),
            format!(
                "an infrastructure grant of {} yuan is outside 5,000–10,000 yuan (Daqintala 3(5))",
                amount.plain()
            ),
        ));
    }
    Ok(())
}

/// The period a run covers: a calendar period (month, quarter, half-year, year) or one contract
/// year, counted per compound from the day its policy counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunPeriod {
    Calendar(Period),
    /// 合同第 n 年 (1-based).
    ContractYear(u16),
}

impl RunPeriod {
    /// `2023`, `2023H1`, `2023Q2`, `2023-03`, or a contract year `cy2` / `contract-year-2` /
    /// `合同第2年`.
    pub fn parse(s: &str) -> Result<RunPeriod, FundingError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let n = lower
            .strip_prefix("cy")
            .or_else(|| lower.strip_prefix("contract-year-"))
            .or_else(|| t.strip_prefix("合同第").and_then(|r| r.strip_suffix('年')));
        if let Some(n) = n {
            return match n.trim().parse::<u16>() {
                Ok(k) if (1..=100).contains(&k) => Ok(RunPeriod::ContractYear(k)),
                _ => Err(bad_period(s)),
            };
        }
        Period::parse(t)
            .map(RunPeriod::Calendar)
            .ok_or_else(|| bad_period(s))
    }

    /// The canonical text: `2023`, `2023H1`, `2023Q2`, `2023-03`, `cy2`.
    pub fn code(&self) -> String {
        match self {
            RunPeriod::Calendar(p) => p.code(),
            RunPeriod::ContractYear(n) => format!("cy{n}"),
        }
    }

    pub fn label(&self, lang: Lang) -> String {
        match (self, lang) {
            (RunPeriod::Calendar(p), _) => p.code(),
            (RunPeriod::ContractYear(n), Lang::Zh) => format!("合同第{n}年"),
            (RunPeriod::ContractYear(n), Lang::En) => format!("contract year {n}"),
        }
    }

    /// The days covered, both ends included; `from` is the day the compound's subsidy counts
    /// from (used by a contract year only). `None` if out of the calendar's range.
    pub fn window(&self, from: Date) -> Option<(Date, Date)> {
        match self {
            RunPeriod::Calendar(p) => Some((p.start, p.end)),
            RunPeriod::ContractYear(n) => {
                let start = from
                    .checked_add(jiff::Span::new().years(i64::from(*n) - 1))
                    .ok()?;
                let end = from
                    .checked_add(jiff::Span::new().years(i64::from(*n)))
                    .ok()?
                    .yesterday()
                    .ok()?;
                Some((start, end))
            }
        }
    }
}

fn bad_period(s: &str) -> FundingError {
    FundingError::new(
        format!("期间“{s}”无法识别：可写 2023、2023H1、2023Q2、2023-03 或合同年 cy2"),
        format!("period '{s}' not understood: write 2023, 2023H1, 2023Q2, 2023-03 or cy2"),
    )
}

/// A policy period is settled in the run whose window holds its last day (paid after the period
/// is served and assessed: 每年度申报, 每半年考核拨付一次).
pub fn settles_in(last_day: Date, window: (Date, Date)) -> bool {
    window.0 <= last_day && last_day <= window.1
}

/// Two day ranges (both ends included) share a day.
pub fn overlaps(a: (Date, Date), b: (Date, Date)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[cfg(test)]
mod tests {

    /// Seed 004 三（五）: 按比例, 5000元至10000元 — worked by hand: 12,000 元 × 50 % = 6,000 元;
    /// 30,000 × 50 % = 15,000, capped at 10,000; 9,999.99 × 50 % = 4,999.995 → 5,000.00
    /// (half-up, once), the lower end included; 9,999.98 × 50 % = 4,999.99, refused.
    #[test]
    fn infra_grants_are_a_share_of_the_investment_within_5000_and_10000() {
        assert_eq!(infra_grant(Fen(1_200_000), 50), Ok((Fen(600_000), false)));
        assert_eq!(infra_grant(Fen(3_000_000), 50), Ok((Fen(1_000_000), true)));
        assert_eq!(infra_grant(Fen(2_000_000), 50), Ok((Fen(1_000_000), false)));
        assert_eq!(infra_grant(Fen(999_999), 50), Ok((Fen(500_000), false)));
        let e = infra_grant(Fen(999_998), 50).expect_err("under 5,000");
        assert!(
            e.zh.contains("9,999.98 元") && e.zh.contains("4,999.99 元"),
            "{}",
            e.zh
        );
        assert!(infra_grant(Fen(1_200_000), 0).is_err());
        assert!(infra_grant(Fen(1_200_000), 101).is_err());
        assert!(infra_grant(Fen(0), 50).is_err());
    }

    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_whole_path_and_its_refusals() {
        use Action as A;
        use LineStatus as S;
        let mut s = S::Draft;
        for (a, next) in [
            (A::Apply, S::Applied),
            (A::StreetReview, S::StreetReviewed),
            (A::DistrictReview, S::DistrictReviewed),
            (A::Approve, S::Approved),
            (A::Disburse, S::Disbursed),
        ] {
            s = transition(s, a, true).expect("legal step");
            assert_eq!(s, next);
        }
        // Skipping the district review is refused, in both languages.
        let e = transition(S::StreetReviewed, A::Approve, true).expect_err("skip");
        assert_eq!(
            e.zh,
            "当前状态为“街道已审核”（等待区级物业主管部门区级复核），不能批准"
        );
        assert_eq!(
            e.message(Lang::En),
            "the line is reviewed by the street: cannot approve"
        );
        // Returned from any review, then applied again.
        for from in [S::Applied, S::StreetReviewed, S::DistrictReviewed] {
            assert_eq!(transition(from, A::Return, true), Ok(S::Returned));
        }
        assert_eq!(transition(S::Returned, A::Apply, true), Ok(S::Applied));
        assert!(transition(S::Approved, A::Return, true).is_err());
        assert!(transition(S::Disbursed, A::Disburse, true).is_err());
        assert!(transition(S::Draft, A::Apply, false).is_err());
        assert!(transition(S::Superseded, A::Apply, true).is_err());
    }

    /// Seed 002 七（二）4 worked by hand: 指挥部办公室复核 → 区政府领导同意 → 区财政局拨付至街道 →
    /// 街道办事处兑付 to the company; no street review in between, and the street pays only
    /// after finance has paid it.
    #[test]
    fn a_chain_named_by_the_policy_is_followed_step_by_step() {
        use crate::access::Role as R;
        use Action as A;
        use LineStatus as S;
        let step = |action, role, by: &str| ChainStep {
            action,
            role,
            by_zh: by.into(),
            by_en: by.into(),
        };
        let erqi = Chain::named(vec![
            step(
                A::DistrictReview,
                R::HousingAuthority,
                "区老旧小区综合改造工作指挥部办公室",
            ),
            step(A::Approve, R::HousingAuthority, "区政府领导"),
            step(A::DisburseToStreet, R::Finance, "区财政局"),
            step(A::Disburse, R::Street, "街道办事处"),
        ])
        .expect("a good chain");
        let mut s = S::Draft;
        let mut last = None;
        assert_eq!(erqi.next(s, last), Some(Next::Apply));
        for (a, after) in [
            (A::Apply, S::Applied),
            (A::DistrictReview, S::DistrictReviewed),
            (A::Approve, S::Approved),
            (A::DisburseToStreet, S::Approved),
            (A::Disburse, S::Disbursed),
        ] {
            // The street's review is not this policy's step, nor is paying before finance has.
            assert!(erqi.transition(s, last, A::StreetReview, true).is_err());
            if a != A::Disburse {
                assert!(
                    erqi.transition(s, last, A::Disburse, true).is_err(),
                    "{a:?}"
                );
            }
            s = erqi.transition(s, last, a, true).expect("legal step");
            last = Some(a);
            assert_eq!(s, after);
        }
        assert_eq!(erqi.next(s, last), None);
        // Returned while waiting for the HQ office's review or the approval, by that office.
        let r = erqi
            .may_return(S::Applied, Some(A::Apply))
            .expect("returnable");
        assert_eq!(r.by_zh, "区老旧小区综合改造工作指挥部办公室");
        assert!(erqi.may_return(S::Approved, Some(A::Approve)).is_none());
        // A line already reviewed by the district under the standard chain before the policy
        // named its own finishes the standard way; one not yet reviewed takes the new chain.
        let liaocheng = Chain::named(vec![
            step(A::StreetReview, R::Street, "街道（园区）"),
            step(A::Approve, R::HousingAuthority, "开发区建设管理部"),
            step(A::Disburse, R::HousingAuthority, "开发区建设管理部"),
        ])
        .expect("a good chain");
        let old = liaocheng
            .clone()
            .for_line(S::DistrictReviewed, Some(A::DistrictReview));
        assert!(!old.named);
        assert_eq!(
            old.transition(
                S::DistrictReviewed,
                Some(A::DistrictReview),
                A::Approve,
                true
            ),
            Ok(S::Approved)
        );
        assert!(liaocheng.clone().for_line(S::Applied, Some(A::Apply)).named);
        // Bad chains are refused.
        for bad in [
            vec![step(A::Approve, R::Street, "x")],
            vec![step(A::Disburse, R::Finance, "x")],
            vec![
                step(A::Approve, R::Street, "x"),
                step(A::StreetReview, R::Street, "x"),
                step(A::Disburse, R::Finance, "x"),
            ],
            vec![
                step(A::DisburseToStreet, R::Finance, "x"),
                step(A::Approve, R::Street, "x"),
                step(A::Disburse, R::Finance, "x"),
            ],
        ] {
            assert!(Chain::named(bad).is_err());
        }
    }

    #[test]
    fn adjustments_only_of_approved_amounts_with_a_reason() {
        let ok = check_adjustment(LineStatus::Approved, Fen(100), Fen(90), "面积核减");
        assert_eq!(ok, Ok(()));
        assert!(check_adjustment(LineStatus::Applied, Fen(100), Fen(90), "x").is_err());
        assert!(check_adjustment(LineStatus::Disbursed, Fen(100), Fen(90), "x").is_err());
        assert!(check_adjustment(LineStatus::Approved, Fen(100), Fen(90), " ").is_err());
        assert!(check_adjustment(LineStatus::Approved, Fen(100), Fen(100), "x").is_err());
        assert!(check_adjustment(LineStatus::Approved, Fen(100), Fen(-1), "x").is_err());
    }

    #[test]
    fn infrastructure_grant_bounds_include_both_ends() {
        for (fen, ok) in [
            (499_999, false),
            (500_000, true),
            (800_000, true),
            (1_000_000, true),
            (1_000_001, false),
        ] {
            assert_eq!(check_infra_grant(Fen(fen)).is_ok(), ok, "{fen}");
        }
    }

    #[test]
    fn run_periods_and_their_windows() {
        let from = date(2022, 9, 1);
        for (text, code, window) in [
            ("2023", "2023", (date(2023, 1, 1), date(2023, 12, 31))),
            ("2023h2", "2023H2", (date(2023, 7, 1), date(2023, 12, 31))),
            ("2023Q1", "2023Q1", (date(2023, 1, 1), date(2023, 3, 31))),
            ("2023-02", "2023-02", (date(2023, 2, 1), date(2023, 2, 28))),
            ("cy1", "cy1", (date(2022, 9, 1), date(2023, 8, 31))),
            ("合同第3年", "cy3", (date(2024, 9, 1), date(2025, 8, 31))),
        ] {
            let p = RunPeriod::parse(text).expect(text);
            assert_eq!(p.code(), code);
            assert_eq!(p.window(from), Some(window), "{text}");
        }
        assert!(RunPeriod::parse("cy0").is_err());
        assert!(RunPeriod::parse("2023H3").is_err());
        // A contract year from 31 January ends on 30 January (end-of-month rule).
        assert_eq!(
            RunPeriod::ContractYear(1).window(date(2024, 1, 31)),
            Some((date(2024, 1, 31), date(2025, 1, 30)))
        );
        assert!(settles_in(date(2023, 8, 31), (from, date(2023, 8, 31))));
        assert!(!settles_in(date(2023, 9, 1), (from, date(2023, 8, 31))));
        assert!(overlaps(
            (date(2023, 1, 1), date(2023, 6, 30)),
            (date(2023, 6, 30), date(2023, 12, 31))
        ));
        assert!(!overlaps(
            (date(2023, 1, 1), date(2023, 6, 30)),
            (date(2023, 7, 1), date(2023, 12, 31))
        ));
    }
}
