//! The store's one error type. Messages are in Chinese: they reach officials through the CLI and
//! the web layer, which add a stable code.

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库地址 '{0}' 不受支持（应以 sqlite: 或 postgres:// 开头）")]
    UnsupportedUrl(String),

    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("数据库错误：{0}")]
    Database(sqlx::Error),

    /// Someone else changed the record since the caller read it (乐观锁/版本号不一致).
    #[error("{}（编号 {id}）已被他人修改：您读取的是第 {expected} 版，当前为第 {actual} 版，请刷新后重试", entity_zh(.entity))]
    Conflict {
        entity: &'static str,
        id: i64,
        expected: i64,
        actual: i64,
    },

    #[error("找不到{}（编号 {id}）", entity_zh(.entity))]
    NotFound { entity: &'static str, id: i64 },

    /// The data breaks a uniqueness rule (名称、统一社会信用代码 …).
    #[error("数据重复：{0}")]
    Duplicate(String),

    /// The data breaks a rule the store checks before writing; nothing was written.
    #[error("数据不合法：{0}")]
    Invalid(String),

    /// The caller may not do this (无权操作: another company's complaint or order, a survey link
    /// of another compound); nothing was written. The web layer answers 403.
    #[error("无权操作：{0}")]
    Forbidden(String),

    /// A rule refused the request; nothing was written. Shown in Chinese; `en` is what
    /// [`StoreError::message`] gives for English output.
    #[error("{zh}")]
    Refused { zh: String, en: String },

    /// A stored value cannot be read back into a domain type.
    #[error("数据库中的数据无法读取：{0}")]
    Corrupt(String),
}

impl StoreError {
    /// True for the errors a user can fix by reloading or changing the data (HTTP 409/422).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::Conflict { .. }
                | StoreError::NotFound { .. }
                | StoreError::Duplicate(_)
                | StoreError::Invalid(_)
                | StoreError::Forbidden(_)
                | StoreError::Refused { .. }
        )
    }

    /// The message in the reader's language: English where the error carries it, else Chinese.
    pub fn message(&self, lang: anju_core::Lang) -> String {
        match (self, lang) {
            (StoreError::Refused { en, .. }, anju_core::Lang::En) => en.clone(),
            _ => self.to_string(),
        }
    }

    /// A refusal in both languages.
    pub fn refused(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
        StoreError::Refused {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Duplicate(db.message().to_string());
        }
        StoreError::Database(e)
    }
}

/// The Chinese name of an entity code used in `audit_log.entity`.
pub fn entity_zh(entity: &str) -> &'static str {
    match entity {
        crate::audit::COMPOUND => "小区",
        crate::audit::COMPANY => "物业服务企业",
        crate::audit::REGION => "行政区域",
        crate::audit::LEDGER => "台账",
        crate::areas::AREA => "物业管理区域",
        crate::credit::COMPANY_RECORD => "信用档案记录",
        crate::tasks::TASK => "任务",
        crate::lifecycle::LIFECYCLE => "小区全覆盖路径",
        crate::corrections::STEP => "路径步骤",
        crate::departments::DEPARTMENT => "职能部门",
        crate::departments::REFERRAL => "吹哨事项",
        crate::dispatch_filings::DISPATCH_FILING => "调度表报送记录",
        crate::dispatch_filings::DISPATCH_SCHEDULE => "调度表报送安排",
        crate::owners_bodies::OWNERS_BODY => "业主组织",
        crate::votes::VOTE => "业主表决",
        crate::votes::HOUSEHOLD => "业主名册中的住户",
        crate::fund::FUND_USE => "维修资金使用申请",
        _ => "记录",
    }
}
