//! OpenAPI schemas written by hand for the few types whose JSON a derive cannot see: a value
//! serialized through `String` (`#[serde(try_from = "String", into = "String")]`) or by a custom
//! `Serialize` (the oversight codes). Every other type derives `utoipa::ToSchema`, so the API's
//! document (anju-web `api`) follows the types.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// A string schema: what it is, an optional pattern, and its values when they are a closed list.
pub fn text(description: &str, pattern: Option<&str>, values: Option<&[&str]>) -> RefOr<Schema> {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(pattern);
    if let Some(v) = values {
        b = b.enum_values(Some(v.iter().copied()));
    }
    b.into()
}

impl utoipa::PartialSchema for crate::fees::Month {
    fn schema() -> RefOr<Schema> {
        text("月份 YYYY-MM", Some(r"^\d{4}-\d{2}$"), None)
    }
}
impl utoipa::ToSchema for crate::fees::Month {}

impl utoipa::PartialSchema for crate::credit_code::CreditCode {
    fn schema() -> RefOr<Schema> {
        text(
            "统一社会信用代码（18 位，GB 32100-2015 校验）",
            Some("^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
            None,
        )
    }
}
impl utoipa::ToSchema for crate::credit_code::CreditCode {}

/// A `Decimal` as a request takes it: rust_decimal reads a JSON string ("85.5") or number
/// (85.5) alike, and writes a string; answers use the derived `string` schema. Null is absent.
pub fn decimal_input() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Number,
            Type::Null,
        ]))
        .description(Some("精确小数：字符串（\"85.5\"）或数字（85.5）"))
        .pattern(Some(r"^-?\d+(\.\d+)?$"))
        .into()
}
