//! The one error type of this crate. `Display` is Chinese; [`PolicyError::message`] gives
//! either language.

use anju_core::Lang;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PolicyError {
    /// The policy file is not valid TOML, has unknown keys, or breaks the format's rules.
    #[error("政策文件有误（第 {line} 行）：{msg}")]
    InvalidPolicy { line: usize, msg: String },
    #[error("没有编号为 {0} 的政策（anju policy list 列出全部政策）")]
    UnknownPolicy(String),
    /// The scenario file is not valid or has unknown keys.
    #[error("情景文件有误：{0}")]
    InvalidScenario(String),
    /// An input the policy needs is not given. Never read as zero.
    #[error("缺少输入 {key}：{why}")]
    MissingInput { key: String, why: String },
    #[error("输入 {key} 不合理：{msg}")]
    BadInput { key: String, msg: String },
    /// A parameter the computation needs has no value in the text.
    #[error(
        "政策参数「{label}」（{name}）尚无取值：{reason}（{clause}）。不能计算金额，也不会按 0 计算。"
    )]
    ParameterNotSet {
        name: String,
        label: String,
        reason: String,
        reason_en: String,
        clause: String,
    },
    /// The text gives no answer for this value and the file does not settle it.
    #[error("「{table}」未覆盖 {value}：文本对此没有规定，政策文件也未作解释，拒绝猜测。")]
    Gap { table: String, value: String },
    #[error("「{table}」中 {value} 同时属于 {tiers}：文本有重叠，政策文件未作解释，拒绝猜测。")]
    Overlap {
        table: String,
        value: String,
        tiers: String,
    },
    /// Left-over days of service the text does not say how to count.
    #[error(
        "第 {period} 期 {from} 至 {to} 的 {days} 天不足一个月，而政策未规定不足一个月如何计算：{reason}"
    )]
    PartMonth {
        period: u32,
        from: String,
        to: String,
        days: u32,
        reason: String,
        reason_en: String,
    },
    #[error("第 {period} 期没有适用的补贴标准（{what}）")]
    NoRate { period: u32, what: String },
}

impl PolicyError {
    /// A stable code, for JSON and for tests-as-data (`error = "parameter_not_set"`).
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::InvalidPolicy { .. } => "invalid_policy",
            PolicyError::UnknownPolicy(_) => "unknown_policy",
            PolicyError::InvalidScenario(_) => "invalid_scenario",
            PolicyError::MissingInput { .. } => "missing_input",
            PolicyError::BadInput { .. } => "bad_input",
            PolicyError::ParameterNotSet { .. } => "parameter_not_set",
            PolicyError::Gap { .. } => "gap",
            PolicyError::Overlap { .. } => "overlap",
            PolicyError::PartMonth { .. } => "part_month",
            PolicyError::NoRate { .. } => "no_rate",
        }
    }

    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Zh {
            return self.to_string();
        }
        match self {
            PolicyError::InvalidPolicy { line, msg } => {
                format!("policy file error (line {line}): {msg}")
            }
            PolicyError::UnknownPolicy(id) => {
                format!("no policy with id {id} ('anju policy list' lists them)")
            }
            PolicyError::InvalidScenario(m) => format!("scenario file error: {m}"),
            PolicyError::MissingInput { key, why } => format!("missing input {key}: {why}"),
            PolicyError::BadInput { key, msg } => format!("input {key} is not acceptable: {msg}"),
            PolicyError::ParameterNotSet {
                name,
                label: _,
                reason: _,
                reason_en,
                clause,
            } => format!(
                "policy parameter '{name}' has no value yet: {reason_en} ({clause}). No amount can be computed, and none is shown as 0."
            ),
            PolicyError::Gap { table, value } => format!(
                "'{table}' does not cover {value}: the text says nothing and the policy file does not settle it; refusing to guess."
            ),
            PolicyError::Overlap {
                table,
                value,
                tiers,
            } => format!(
                "in '{table}', {value} falls in {tiers}: the text overlaps and the policy file does not settle it; refusing to guess."
            ),
            PolicyError::PartMonth {
                period,
                from,
                to,
                days,
                reason: _,
                reason_en,
            } => format!(
                "period {period}: {days} day(s) from {from} to {to} make less than a month, and the policy does not say how to count them: {reason_en}"
            ),
            PolicyError::NoRate { period, what } => {
                format!("period {period} has no applicable rate ({what})")
            }
        }
    }
}
