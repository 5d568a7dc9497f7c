//! The application layer's one error type: a refusal a user can fix names the field it concerns
//! (the API key, e.g. `on`, and the label a person reads, e.g. 备案日期) in both languages.

use anju_core::Lang;
use anju_store::StoreError;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// A value that breaks a rule before anything reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The key in an API body or a form (`on`, `served_area`, `version`).
    pub field: String,
    /// The whole message in Chinese, starting with the field's label (`备案日期：…`).
    pub zh: String,
    /// The whole message in English, starting with the key (`on: …`).
    pub en: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; nothing was written (HTTP 422 naming the field).
    #[error("{}", .0.zh)]
    Invalid(FieldError),
    /// The password given to prove who one is was wrong (HTTP 422 naming the field, as
    /// [`AppError::Invalid`]); a type of its own so that an adapter can count it against a
    /// limit of attempts without reading the message.
    #[error("{}", .0.zh)]
    WrongPassword(FieldError),
    /// The role or scope does not allow this (HTTP 403).
    #[error("无权操作：{zh}")]
    Forbidden { zh: String, en: String },
    /// An uploaded file refused for what it is (HTTP 413 / 415): too large, or not a kind of
    /// file the programme accepts. The message names the file.
    #[error("{zh}")]
    File {
        problem: FileProblem,
        zh: String,
        en: String,
    },
    /// What the store said (its refusals, conflicts, not-found and failures).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an uploaded file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    TooLarge,
    UnsupportedType,
}

impl AppError {
    /// A refusal of one field: `label` is what a person reads (备案日期), `field` the API key.
    pub fn field(
        field: &str,
        label_zh: &str,
        problem_zh: impl std::fmt::Display,
        problem_en: impl std::fmt::Display,
    ) -> AppError {
        AppError::Invalid(FieldError {
            field: field.to_string(),
            zh: format!("{label_zh}：{problem_zh}"),
            en: format!("{field}: {problem_en}"),
        })
    }

    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Forbidden {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AppError::Invalid(f) | AppError::WrongPassword(f), Lang::Zh) => f.zh.clone(),
            (AppError::Invalid(f) | AppError::WrongPassword(f), Lang::En) => f.en.clone(),
            (AppError::Forbidden { zh, .. }, Lang::Zh) => format!("无权操作：{zh}"),
            (AppError::Forbidden { en, .. }, Lang::En) => format!("not allowed: {en}"),
            (AppError::File { zh, .. }, Lang::Zh) => zh.clone(),
            (AppError::File { en, .. }, Lang::En) => en.clone(),
            (AppError::Store(e), lang) => e.message(lang),
        }
    }

    /// The field a refusal names, if any.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            AppError::Invalid(f) | AppError::WrongPassword(f) => Some(&f.field),
            _ => None,
        }
    }
}
