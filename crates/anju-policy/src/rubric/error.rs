//! The one error type of the rubric module: Chinese by default, English through [`RubricError::message`].

use anju_core::Lang;

/// Which event in an events file (1-based), for messages that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    /// 1-based position in the file's `[[events]]` list.
    pub index: usize,
    pub item: i64,
    pub code: String,
    pub note: Option<String>,
}

impl EventRef {
    fn zh(&self) -> String {
        let note = self
            .note
            .as_deref()
            .map(|n| format!("，备注“{n}”"))
            .unwrap_or_default();
        format!(
            "第 {} 个事件（第 {} 项，代码 {}{note}）",
            self.index, self.item, self.code
        )
    }
    fn en(&self) -> String {
        let note = self
            .note
            .as_deref()
            .map(|n| format!(", note \"{n}\""))
            .unwrap_or_default();
        format!(
            "event #{} (item {}, code {}{note})",
            self.index, self.item, self.code
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    #[error("没有名为“{0}”的内置评分表（可用：{1}）；也可给出评分表文件路径")]
    UnknownRubric(String, String),
    #[error("读取文件 {path} 失败：{reason}")]
    Io { path: String, reason: String },
    #[error("评分表文件格式错误：{0}")]
    RubricSyntax(String),
    #[error("评分表无效：{zh}")]
    Invalid { zh: String, en: String },
    #[error("事件文件格式错误：{0}")]
    EventsSyntax(String),
    #[error("事件文件针对评分表“{file}”，但本次使用评分表“{chosen}”")]
    RubricMismatch { file: String, chosen: String },
    #[error("{}：评分表没有第 {} 项", .0.zh(), .0.item)]
    UnknownItem(EventRef),
    #[error("{}：第 {} 项没有扣分代码“{}”（可用：{}）", .event.zh(), .event.item, .event.code, .known.join("、"))]
    UnknownCode { event: EventRef, known: Vec<String> },
    #[error("{}：次数 {count} 不能为负数", .event.zh())]
    NegativeCount { event: EventRef, count: i64 },
    #[error("{}：次数 {count} 过大", .event.zh())]
    CountTooLarge { event: EventRef, count: i64 },
    #[error("{}：该项为一次性扣分，每个考核期最多计 1 次，累计已达 {total} 次", .event.zh())]
    FlatCountedTwice { event: EventRef, total: u64 },
    #[error("{}：第 {} 项按满意度调查计分，不接受扣分事件，请在 [survey] 中填写调查结果", .0.zh(), .0.item)]
    NotADeductionItem(EventRef),
    #[error("满意度“{0}”无效：应为 0 到 1 之间的小数（如 0.83）或百分数字符串（如 \"83%\"）")]
    BadRate(String),
    #[error("满意度调查数据无效：{zh}")]
    BadSurvey { zh: String, en: String },
}

impl RubricError {
    pub(crate) fn invalid(zh: impl Into<String>, en: impl Into<String>) -> RubricError {
        RubricError::Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub(crate) fn bad_survey(zh: impl Into<String>, en: impl Into<String>) -> RubricError {
        RubricError::BadSurvey {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Zh {
            return self.to_string();
        }
        match self {
            RubricError::UnknownRubric(name, known) => format!(
                "no built-in rubric named \"{name}\" (available: {known}); a path to a rubric file also works"
            ),
            RubricError::Io { path, reason } => format!("cannot read {path}: {reason}"),
            RubricError::RubricSyntax(e) => format!("rubric file is not valid: {e}"),
            RubricError::Invalid { en, .. } => format!("invalid rubric: {en}"),
            RubricError::EventsSyntax(e) => format!("events file is not valid: {e}"),
            RubricError::RubricMismatch { file, chosen } => format!(
                "the events file is for rubric \"{file}\" but rubric \"{chosen}\" was chosen"
            ),
            RubricError::UnknownItem(ev) => {
                format!("{}: the rubric has no item {}", ev.en(), ev.item)
            }
            RubricError::UnknownCode { event, known } => format!(
                "{}: item {} has no deduction code \"{}\" (known: {})",
                event.en(),
                event.item,
                event.code,
                known.join(", ")
            ),
            RubricError::NegativeCount { event, count } => {
                format!("{}: count {count} cannot be negative", event.en())
            }
            RubricError::CountTooLarge { event, count } => {
                format!("{}: count {count} is too large", event.en())
            }
            RubricError::FlatCountedTwice { event, total } => format!(
                "{}: a flat deduction counts at most once per assessment, this makes {total}",
                event.en()
            ),
            RubricError::NotADeductionItem(ev) => format!(
                "{}: item {} is scored from the satisfaction survey, not from deductions; put the survey under [survey]",
                ev.en(),
                ev.item
            ),
            RubricError::BadRate(s) => format!(
                "satisfaction \"{s}\" is not valid: give a fraction between 0 and 1 (0.83) or a percentage string (\"83%\")"
            ),
            RubricError::BadSurvey { en, .. } => format!("invalid survey data: {en}"),
        }
    }
}
