//! 考核: the assessment workflow as a state machine, assessment periods and assessors.
//!
//! Seed 002 (二七区) 七(二): the street assesses each compound every half-year with the rubric of
//! the 附件, the district office reviews (复核) the result; seeds 001/003 add third-party
//! evaluators and quarterly checks. Scoring itself is the rubric's (anju-policy); this module
//! holds who may move an assessment where, and when:
//!
//! ```text
//! draft ──submit──► submitted ──review (复核: confirmed | adjusted + reason)──► reviewed
//! reviewed ──object (申诉, by the company, within objection_days of the review)──► objected
//! reviewed ──finalize (after the objection window, or the company waives)──► final
//! objected ──decide (upheld | adjusted + reason)──► final
//! ```
//!
//! A final assessment is immutable. Decisions the seeds leave open: the objection window is
//! counted in calendar days from the day after the review, the last day included (default 7,
//! configurable per assessment); an adjustment always needs a reason.

use serde::{Deserialize, Serialize};

/// Where an assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// 草稿
    Draft,
    /// 已提交
    Submitted,
    /// 已复核
    Reviewed,
    /// 申诉中
    Objected,
    /// 已定案
    Final,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 5] = [
        AssessmentStatus::Draft,
        AssessmentStatus::Submitted,
        AssessmentStatus::Reviewed,
        AssessmentStatus::Objected,
        AssessmentStatus::Final,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Submitted => "submitted",
            AssessmentStatus::Reviewed => "reviewed",
            AssessmentStatus::Objected => "objected",
            AssessmentStatus::Final => "final",
        }
    }

    pub fn from_code(s: &str) -> Option<AssessmentStatus> {
        AssessmentStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            AssessmentStatus::Draft => lang.pick("草稿", "draft"),
            AssessmentStatus::Submitted => lang.pick("已提交", "submitted"),
            AssessmentStatus::Reviewed => lang.pick("已复核", "reviewed"),
            AssessmentStatus::Objected => lang.pick("申诉中", "objected"),
            AssessmentStatus::Final => lang.pick("已定案", "final"),
        }
    }
}

/// The outcome of a review (复核) or of an objection (申诉处理).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 维持 / confirmed
    Upheld,
    /// 调整 / adjusted (needs a reason)
    Adjusted,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Adjusted => "adjusted",
        }
    }

    pub fn from_code(s: &str) -> Option<Outcome> {
        match s {
            "upheld" | "confirmed" => Some(Outcome::Upheld),
            "adjusted" => Some(Outcome::Adjusted),
            _ => None,
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Outcome::Upheld => lang.pick("维持", "upheld"),
            Outcome::Adjusted => lang.pick("调整", "adjusted"),
        }
    }
}

/// What someone does to an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AssessmentAction {
    Submit,
    Review {
        outcome: Outcome,
        reason: Option<String>,
    },
    Object {
        text: String,
    },
    /// Close without an objection: after the window, or when the company waives it.
    Finalize {
        waived: bool,
    },
    Decide {
        outcome: Outcome,
        reason: Option<String>,
    },
}

/// The facts a transition needs besides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowFacts {
    pub status: AssessmentStatus,
    pub reviewed_on: Option<jiff::civil::Date>,
    /// 申诉期 in calendar days after the review.
    pub objection_days: u32,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("考核当前为“{}”，不能{}", .from.label(crate::Lang::Zh), .action)]
    WrongStatus {
        from: AssessmentStatus,
        action: &'static str,
    },
    #[error("考核已定案，不能再修改；如需更改请另行作出决定并记录")]
    Final,
    #[error("调整须说明理由")]
    ReasonRequired,
    #[error("申诉内容不能为空")]
    EmptyObjection,
    #[error("申诉期已过（复核日 {reviewed_on} 起 {days} 日内，截至 {last_day}）")]
    ObjectionTooLate {
        reviewed_on: jiff::civil::Date,
        days: u32,
        last_day: jiff::civil::Date,
    },
    #[error("申诉期未满（截至 {last_day}），企业未放弃申诉前不能定案")]
    WindowOpen { last_day: jiff::civil::Date },
}

/// The last day of the objection window: `reviewed_on + days` (the day after the review is day 1).
pub fn objection_last_day(reviewed_on: jiff::civil::Date, days: u32) -> jiff::civil::Date {
    reviewed_on
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(reviewed_on)
}

fn action_zh(a: &AssessmentAction) -> &'static str {
    match a {
        AssessmentAction::Submit => "提交",
        AssessmentAction::Review { .. } => "复核",
        AssessmentAction::Object { .. } => "申诉",
        AssessmentAction::Finalize { .. } => "定案",
        AssessmentAction::Decide { .. } => "作出申诉处理决定",
    }
}

/// The one place the workflow's guards live: the status after `action` on date `on`.
pub fn transition(
    facts: WorkflowFacts,
    action: &AssessmentAction,
    on: jiff::civil::Date,
) -> Result<AssessmentStatus, WorkflowError> {
    use AssessmentStatus as S;
    if facts.status == S::Final {
        return Err(WorkflowError::Final);
    }
    let wrong = || WorkflowError::WrongStatus {
        from: facts.status,
        action: action_zh(action),
    };
    let needs_reason = |outcome: &Outcome, reason: &Option<String>| {
        *outcome == Outcome::Adjusted && reason.as_deref().is_none_or(|r| r.trim().is_empty())
    };
    match (facts.status, action) {
        (S::Draft, AssessmentAction::Submit) => Ok(S::Submitted),
        (S::Submitted, AssessmentAction::Review { outcome, reason }) => {
            if needs_reason(outcome, reason) {
                return Err(WorkflowError::ReasonRequired);
            }
            Ok(S::Reviewed)
        }
        (S::Reviewed, AssessmentAction::Object { text }) => {
            if text.trim().is_empty() {
                return Err(WorkflowError::EmptyObjection);
            }
            let reviewed_on = facts.reviewed_on.unwrap_or(on);
            let last_day = objection_last_day(reviewed_on, facts.objection_days);
            if on > last_day {
                return Err(WorkflowError::ObjectionTooLate {
                    reviewed_on,
                    days: facts.objection_days,
                    last_day,
                });
            }
            Ok(S::Objected)
        }
        (S::Reviewed, AssessmentAction::Finalize { waived }) => {
            let reviewed_on = facts.reviewed_on.unwrap_or(on);
            let last_day = objection_last_day(reviewed_on, facts.objection_days);
            if !waived && on <= last_day {
                return Err(WorkflowError::WindowOpen { last_day });
            }
            Ok(S::Final)
        }
        (S::Objected, AssessmentAction::Decide { outcome, reason }) => {
            if needs_reason(outcome, reason) {
                return Err(WorkflowError::ReasonRequired);
            }
            Ok(S::Final)
        }
        _ => Err(wrong()),
    }
}

/// 考核周期 kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    HalfYear,
    Year,
}

impl PeriodKind {
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::HalfYear => "half_year",
            PeriodKind::Year => "year",
        }
    }

    pub fn from_code(s: &str) -> Option<PeriodKind> {
        [
            PeriodKind::Month,
            PeriodKind::Quarter,
            PeriodKind::HalfYear,
            PeriodKind::Year,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// An assessment period with explicit dates: `2026-03` (month), `2026Q1`, `2026H1`, `2026`.
/// `2026H1` = 2026-01-01..=2026-06-30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: jiff::civil::Date,
    /// The last day, included.
    pub end: jiff::civil::Date,
}

/// `2026年上半年` → `2026H1`, `2026年第三季度` → `2026Q3`, `2026年3月` → `2026-03`,
/// `2026年`/`2026年度`/`2026年全年` → `2026`; `None` when the text is not written that way.
fn chinese_period(s: &str) -> Option<String> {
    let (year, rest) = s.split_once('年')?;
    let year = year.trim();
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim();
    let digit = |c: &str| match c {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    };
    let tail = match rest {
        "" | "度" | "全年" => String::new(),
        "上半年" => "H1".into(),
        "下半年" => "H2".into(),
        _ => {
            if let Some(q) = rest.strip_suffix("季度") {
                let q = q.trim_start_matches('第');
                format!("Q{}", digit(q)?)
            } else if let Some(m) = rest.strip_suffix('月') {
                let m: u8 = m.trim().parse().ok()?;
                format!("-{m:02}")
            } else {
                return None;
            }
        }
    };
    Some(format!("{year}{tail}"))
}

impl Period {
    /// Parses `2026`, `2026H1`/`2026-H2`, `2026Q3`/`2026-Q3`, `2026-03`, and the same as
    /// officials write them in Chinese: `2026年`, `2026年上半年`/`2026年下半年`,
    /// `2026年第三季度` (or `三季度`, `3季度`), `2026年3月`/`2026年03月`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = chinese_period(s.trim()).unwrap_or_else(|| s.trim().to_ascii_uppercase());
        let year: i16 = s.get(..4)?.parse().ok()?;
        if !(1900..=9999).contains(&year) {
            return None;
        }
        let rest = s.get(4..)?;
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let (kind, first_month, months) = if rest.is_empty() {
            (PeriodKind::Year, 1, 12)
        } else if let Some(h) = rest.strip_prefix('H') {
            let h: i8 = h.parse().ok()?;
            if !(1..=2).contains(&h) {
                return None;
            }
            (PeriodKind::HalfYear, (h - 1) * 6 + 1, 6)
        } else if let Some(q) = rest.strip_prefix('Q') {
            let q: i8 = q.parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            (PeriodKind::Quarter, (q - 1) * 3 + 1, 3)
        } else {
            if rest.len() != 2 {
                return None;
            }
            let m: i8 = rest.parse().ok()?;
            if !(1..=12).contains(&m) {
                return None;
            }
            (PeriodKind::Month, m, 1)
        };
        let start = jiff::civil::Date::new(year, first_month, 1).ok()?;
        let end = start
            .checked_add(jiff::Span::new().months(months))
            .ok()?
            .yesterday()
            .ok()?;
        Some(Period { kind, start, end })
    }

    /// The canonical text: `2026`, `2026H1`, `2026Q3`, `2026-03`.
    pub fn code(&self) -> String {
        let y = self.start.year();
        let m = self.start.month();
        match self.kind {
            PeriodKind::Year => format!("{y}"),
            PeriodKind::HalfYear => format!("{y}H{}", (m - 1) / 6 + 1),
            PeriodKind::Quarter => format!("{y}Q{}", (m - 1) / 3 + 1),
            PeriodKind::Month => format!("{y}-{m:02}"),
        }
    }

    pub fn contains(&self, d: jiff::civil::Date) -> bool {
        self.start <= d && d <= self.end
    }
}

/// Who assesses (考核单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessorKind {
    /// 街道办事处
    Street,
    /// 房管局 / 住建部门
    HousingAuthority,
    /// 第三方测评机构
    ThirdParty,
}

impl AssessorKind {
    pub fn code(self) -> &'static str {
        match self {
            AssessorKind::Street => "street",
            AssessorKind::HousingAuthority => "housing_authority",
            AssessorKind::ThirdParty => "third_party",
        }
    }

    pub fn from_code(s: &str) -> Option<AssessorKind> {
        [
            AssessorKind::Street,
            AssessorKind::HousingAuthority,
            AssessorKind::ThirdParty,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            AssessorKind::Street => lang.pick("街道", "street"),
            AssessorKind::HousingAuthority => {
                lang.pick("住房和城乡建设主管部门", "housing authority")
            }
            AssessorKind::ThirdParty => lang.pick("第三方测评机构", "third-party evaluator"),
        }
    }
}

/// Adds `n` working days to `from` (工作日): Saturdays, Sundays and the dates in `holidays` are
/// skipped. Public holidays (and the make-up working weekends 调休) are **not** modelled unless
/// the caller passes a holiday list. `n = 0` gives `from` itself.
pub fn add_working_days(
    from: jiff::civil::Date,
    n: u32,
    holidays: &[jiff::civil::Date],
) -> jiff::civil::Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.tomorrow().unwrap_or(d);
        let weekend = matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        if !weekend && !holidays.contains(&d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn facts(status: AssessmentStatus) -> WorkflowFacts {
        WorkflowFacts {
            status,
            reviewed_on: Some(date(2026, 7, 10)),
            objection_days: 7,
        }
    }

    #[test]
    fn the_workflow_and_its_guards() {
        use AssessmentStatus as S;
        let on = date(2026, 7, 12);
        let adjusted = |r: Option<&str>| AssessmentAction::Review {
            outcome: Outcome::Adjusted,
            reason: r.map(str::to_string),
        };
        let obj = AssessmentAction::Object {
            text: "扣分有误".into(),
        };
        for (status, action, when, expected) in [
            (S::Draft, AssessmentAction::Submit, on, Ok(S::Submitted)),
            (
                S::Submitted,
                adjusted(Some("复核发现重复扣分")),
                on,
                Ok(S::Reviewed),
            ),
            (
                S::Submitted,
                adjusted(None),
                on,
                Err(WorkflowError::ReasonRequired),
            ),
            (S::Reviewed, obj.clone(), date(2026, 7, 17), Ok(S::Objected)),
            (
                S::Reviewed,
                obj.clone(),
                date(2026, 7, 18),
                Err(WorkflowError::ObjectionTooLate {
                    reviewed_on: date(2026, 7, 10),
                    days: 7,
                    last_day: date(2026, 7, 17),
                }),
            ),
            (
                S::Reviewed,
                AssessmentAction::Finalize { waived: false },
                date(2026, 7, 17),
                Err(WorkflowError::WindowOpen {
                    last_day: date(2026, 7, 17),
                }),
            ),
            (
                S::Reviewed,
                AssessmentAction::Finalize { waived: false },
                date(2026, 7, 18),
                Ok(S::Final),
            ),
            (
                S::Reviewed,
                AssessmentAction::Finalize { waived: true },
                on,
                Ok(S::Final),
            ),
            (
                S::Objected,
                AssessmentAction::Decide {
                    outcome: Outcome::Upheld,
                    reason: None,
                },
                on,
                Ok(S::Final),
            ),
            (
                S::Final,
                AssessmentAction::Submit,
                on,
                Err(WorkflowError::Final),
            ),
            (
                S::Draft,
                obj.clone(),
                on,
                Err(WorkflowError::WrongStatus {
                    from: S::Draft,
                    action: "申诉",
                }),
            ),
        ] {
            assert_eq!(
                transition(facts(status), &action, when),
                expected,
                "{status:?} {action:?}"
            );
        }
    }

    #[test]
    fn periods_have_explicit_dates() {
        for (text, kind, start, end, code) in [
            (
                "2026H1",
                PeriodKind::HalfYear,
                date(2026, 1, 1),
                date(2026, 6, 30),
                "2026H1",
            ),
            (
                "2026-h2",
                PeriodKind::HalfYear,
                date(2026, 7, 1),
                date(2026, 12, 31),
                "2026H2",
            ),
            (
                "2026Q1",
                PeriodKind::Quarter,
                date(2026, 1, 1),
                date(2026, 3, 31),
                "2026Q1",
            ),
            (
                "2024-02",
                PeriodKind::Month,
                date(2024, 2, 1),
                date(2024, 2, 29),
                "2024-02",
            ),
            (
                "2026",
                PeriodKind::Year,
                date(2026, 1, 1),
                date(2026, 12, 31),
                "2026",
            ),
        ] {
            let p = Period::parse(text).expect(text);
            assert_eq!((p.kind, p.start, p.end), (kind, start, end), "{text}");
            assert_eq!(p.code(), code);
        }
        for bad in ["2026H3", "2026Q5", "2026-13", "26H1", "x"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        // As officials write them in Chinese.
        for (text, code) in [
            ("2024年上半年", "2024H1"),
            ("2024年下半年", "2024H2"),
            ("2024年第三季度", "2024Q3"),
            ("2024年一季度", "2024Q1"),
            ("2024年4季度", "2024Q4"),
            ("2024年3月", "2024-03"),
            ("2024年11月", "2024-11"),
            ("2024年", "2024"),
            ("2024年度", "2024"),
        ] {
            assert_eq!(
                Period::parse(text).map(|p| p.code()),
                Some(code.into()),
                "{text}"
            );
        }
        for bad in [
            "2024年第五季度",
            "2024年13月",
            "24年上半年",
            "下半年",
            "2024年中",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-11-20 is a Friday.
        assert_eq!(
            add_working_days(date(2026, 11, 20), 1, &[]),
            date(2026, 11, 23)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 20), 3, &[]),
            date(2026, 11, 25)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 21), 1, &[]),
            date(2026, 11, 23)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 20), 1, &[date(2026, 11, 23)]),
            date(2026, 11, 24)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 18), 0, &[]),
            date(2026, 11, 18)
        );
    }
}
