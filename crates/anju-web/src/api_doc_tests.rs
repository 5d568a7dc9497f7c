//! The OpenAPI document as a whole: its snapshot, no untyped body, and its validity against
//! the OpenAPI 3.1 specification's own JSON Schema (vendored, so the test runs offline).

use crate::api::openapi;
use serde_json::Value;

/// The OAS 3.1 schema, version 2022-10-07, as published by the OpenAPI Initiative
/// (spec.openapis.org/oas/3.1/schema/2022-10-07; Apache-2.0), vendored for offline tests.
const OAS_31_SCHEMA: &str = include_str!("../tests/it/oas-3.1-schema.json");

/// Values that are any JSON on purpose, with the reason: an audit entry holds a copy of the
/// record it concerns, whose type depends on `entity` (a compound, a contract, a user …).
const ANY_JSON: &[&str] = &[
    "/components/schemas/AuditEntry/properties/before",
    "/components/schemas/AuditEntry/properties/after",
];

#[test]
fn the_document_is_snapshotted() {
    insta::assert_json_snapshot!("openapi", openapi());
}

/// Where a schema says nothing about its value: `additionalProperties: true`, an object with
/// no properties (and no composition or typed map), or the empty schema `{}`.
fn untyped(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if o.get("additionalProperties") == Some(&Value::Bool(true)) {
                out.push(format!("{path}: additionalProperties: true"));
            }
            let is_object = match o.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
                _ => false,
            };
            let described = ["properties", "allOf", "oneOf", "anyOf", "$ref"]
                .iter()
                .any(|k| o.contains_key(*k))
                || o.get("additionalProperties").is_some_and(Value::is_object);
            if is_object && !described {
                out.push(format!("{path}: an object without properties"));
            }
            for (k, x) in o {
                let here = format!("{path}/{k}");
                // A map of names to schemas is not itself a schema.
                let schema_like = !matches!(
                    k.as_str(),
                    "properties" | "schemas" | "paths" | "responses" | "content"
                );
                if x.as_object().is_some_and(|m| m.is_empty())
                    && schema_like
                    && !ANY_JSON.contains(&here.as_str())
                {
                    out.push(format!("{here}: the empty schema {{}}"));
                }
                untyped(x, &here, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                untyped(x, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_schema_is_untyped() {
    let doc = openapi();
    let mut found = Vec::new();
    untyped(&doc["components"], "/components", &mut found);
    untyped(&doc["paths"], "/paths", &mut found);
    assert!(found.is_empty(), "untyped schemas:\n{}", found.join("\n"));
}

#[test]
fn the_walker_finds_untyped_schemas() {
    let mut found = Vec::new();
    let bad = serde_json::json!({
        "A": {"type": "object", "additionalProperties": true},
        "B": {"type": ["object", "null"]},
        "C": {"type": "object", "properties": {"x": {}}},
        "D": {"type": "object", "additionalProperties": {"type": "integer"}},
    });
    untyped(&bad, "", &mut found);
    assert_eq!(
        found,
        [
            "/A: additionalProperties: true",
            "/A: an object without properties",
            "/B: an object without properties",
            "/C/properties/x: the empty schema {}",
        ]
    );
}

#[test]
fn every_body_and_answer_names_a_component() {
    for r in crate::api::table() {
        let d = r.doc;
        let names = d.body.iter().chain([&d.response]).map(|t| t.name());
        let doc = openapi();
        for n in names {
            assert!(
                doc["components"]["schemas"].get(&n).is_some(),
                "{} {}: {n} is not a component",
                d.method,
                d.path
            );
        }
    }
}

#[test]
fn the_document_validates_against_the_openapi_3_1_schema() {
    let schema: Value = serde_json::from_str(OAS_31_SCHEMA).expect("the vendored schema is JSON");
    assert_eq!(
        schema["$id"], "https://spec.openapis.org/oas/3.1/schema/2022-10-07",
        "the vendored schema is the 2022-10-07 one"
    );
    let validator = jsonschema::draft202012::new(&schema).expect("the OAS schema compiles");
    let doc = openapi();
    let problems: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // And the validator does refuse a broken document.
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/me"]["get"]["responses"] = serde_json::json!("none");
    assert!(!validator.is_valid(&broken));
}

/// Every component is a valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1), and every
/// `$ref` in it resolves: the OAS schema above checks the document's shape, not the schemas'.
#[test]
fn every_component_is_a_valid_json_schema_whose_references_resolve() {
    const DOC: &str = "https://anju.invalid/api/v1/openapi.json";
    let doc = openapi();
    let oas: Value = serde_json::from_str(OAS_31_SCHEMA).expect("json");
    let registry = jsonschema::Registry::new()
        .add(DOC, doc.clone())
        .expect("the document")
        .add("https://spec.openapis.org/oas/3.1/schema/2022-10-07", oas)
        .expect("the OAS schema")
        .prepare()
        .expect("registry");
    let mut problems = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        let mut own = schema.clone();
        if let Some(o) = own.as_object_mut() {
            o.insert(
                "$schema".into(),
                "https://json-schema.org/draft/2020-12/schema".into(),
            );
        }
        if let Err(e) = jsonschema::meta::validate(&own) {
            problems.push(format!("{name}: {e}"));
        }
        let by_ref = serde_json::json!({"$ref": format!("{DOC}#/components/schemas/{name}")});
        if let Err(e) = jsonschema::options()
            .with_registry(&registry)
            .build(&by_ref)
        {
            problems.push(format!("{name}: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Both checks can fail.
    let missing = serde_json::json!({"$ref": format!("{DOC}#/components/schemas/NoSuchType")});
    assert!(
        jsonschema::options()
            .with_registry(&registry)
            .build(&missing)
            .is_err()
    );
    let bad = serde_json::json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "whole"});
    assert!(jsonschema::meta::validate(&bad).is_err());
}
