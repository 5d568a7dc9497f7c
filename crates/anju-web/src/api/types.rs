//! The types the JSON API answers with where no lower layer has one (a page of the ledger, an
//! upload's receipt, an opened survey …), the error body, and [`Ty`]: how a row of the route
//! table names the Rust type of its body and of its answer, so that the OpenAPI document's
//! component schemas are derived from the types (`utoipa::ToSchema`) and not written by hand.

use anju_app::model::{CollectionFigures, FeeMonth, IssuedToken, StoredCompound, Survey};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

/// Named component schemas, as utoipa collects them.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// The Rust type of a body or an answer: its component's name and how to collect its schema and
/// every schema it refers to.
#[derive(Clone, Copy)]
pub struct Ty {
    name: fn() -> String,
    collect: fn(&mut Schemas),
    /// A JSON array of the type.
    list: bool,
}

fn collect<T: ToSchema>(out: &mut Schemas) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

fn name_of<T: ToSchema>() -> String {
    T::name().into_owned()
}

/// A body or an answer of type `T`.
pub fn ty<T: ToSchema>() -> Ty {
    Ty {
        name: name_of::<T>,
        collect: collect::<T>,
        list: false,
    }
}

/// An answer that is a JSON array of `T`.
pub fn list<T: ToSchema>() -> Ty {
    Ty {
        list: true,
        ..ty::<T>()
    }
}

impl Ty {
    /// The component's name (of the item type for a list).
    pub fn name(&self) -> String {
        (self.name)()
    }

    /// The schema a request or response refers to.
    pub fn reference(&self) -> Value {
        let r = json!({"$ref": format!("#/components/schemas/{}", self.name())});
        if self.list {
            json!({"type": "array", "items": r})
        } else {
            r
        }
    }

    /// Adds the type's schema and every schema it refers to.
    pub fn collect(&self, out: &mut Schemas) {
        (self.collect)(out)
    }
}

impl std::fmt::Debug for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.list {
            write!(f, "[{}]", self.name())
        } else {
            f.write_str(&self.name())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

/// The stable error codes (`WebError::code`).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    Csrf,
    NotFound,
    Conflict,
    Duplicate,
    BadRequest,
    Invalid,
    Refused,
    TooLarge,
    UnsupportedType,
    StoreError,
    RenderError,
}

/// Every refusal: a stable code and a message in the reader's language (Chinese by default)
/// that names the field or the record.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// 中文说明，指出字段或记录（?lang=en 时为英文）
    pub message: String,
    /// The field at fault (`invalid` only), its path in the body such as `findings[0].category`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Answers without a type of their own below the web

/// One page of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompoundPage {
    /// 符合条件的小区总数
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub pages: i64,
    pub items: Vec<StoredCompound>,
}

/// An uploaded file's receipt: its SHA-256 is what `evidence` lists name.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedEvidence {
    /// 文件内容的 SHA-256（十六进制），在 evidence 数组中引用
    pub sha256: String,
    /// 字节数
    pub size: i64,
    /// 按文件头识别的类型
    pub mime: String,
    pub original_name: String,
    pub uploaded_by: String,
    pub created_at: jiff::Timestamp,
}

/// A street's targets and their progress on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetProgress {
    pub street: String,
    pub as_of: jiff::civil::Date,
    pub targets: Vec<anju_core::targets::Progress>,
}

/// An issued link with the address a resident opens.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyLink {
    #[serde(flatten)]
    pub token: IssuedToken,
    /// 住户打开的地址 /s/<token>
    pub link: String,
}

/// Links for the tokens issued.
pub fn links(tokens: Vec<IssuedToken>) -> Vec<SurveyLink> {
    tokens
        .into_iter()
        .map(|t| SurveyLink {
            link: t.link(),
            token: t,
        })
        .collect()
}

/// A survey just opened with its first links.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedSurvey {
    pub survey: Survey,
    pub links: Vec<SurveyLink>,
}

/// A compound's fee collection over a range of months.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeeCollection {
    pub collection: CollectionFigures,
    /// 收缴率文字，如 "85.00 %"；无应收时为 null
    pub rate_text: Option<String>,
    pub months: Vec<FeeMonth>,
}

/// A commissioned evaluator (第三方测评机构) for a compound.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[schema(as = EvaluatorAssignment)]
pub struct EvaluatorJson {
    /// 测评机构账号的用户名
    pub evaluator: String,
    pub compound_id: i64,
}

// ---------------------------------------------------------------------------------------------
// The two schemas written by hand

/// The document itself. Its schema is the OpenAPI 3.1 specification's own (referred to by its
/// `$id`, not copied): no Rust type describes an OpenAPI document better than that.
pub struct OpenApiDocument;

impl PartialSchema for OpenApiDocument {
    fn schema() -> RefOr<Schema> {
        RefOr::Ref(utoipa::openapi::Ref::new(
            "https://spec.openapis.org/oas/3.1/schema/2022-10-07",
        ))
    }
}
impl ToSchema for OpenApiDocument {
    fn name() -> std::borrow::Cow<'static, str> {
        "OpenApi".into()
    }
}

/// An uploaded file: raw bytes, not JSON, so a binary string (`format: binary`) is all there is
/// to say.
pub struct Upload;

impl PartialSchema for Upload {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::Custom("binary".into())))
            .description(Some(
                "文件内容（直接作为请求体，或 multipart/form-data 的 file 字段）",
            ))
            .into()
    }
}
impl ToSchema for Upload {}
