//! The OpenAPI document shows an example of every request body and every response: the
//! docs page at `/docs/` fills "Try it out" and the response samples from them.

use std::collections::HashSet;

use serde_json::Value;

use crate::helpers::spawn_app;

/// Where the document lacks an example: every scalar (or free-form object) reached from a
/// schema must carry `example` or `examples`, unless the media type has one for the whole
/// body. Enumerations count as exemplified: their values are listed. Each component schema
/// is looked at once.
struct Finder<'a> {
    schemas: &'a serde_json::Map<String, Value>,
    seen: HashSet<String>,
    missing: Vec<String>,
}

impl Finder<'_> {
    fn media(&mut self, media: &Value, at: &str) {
        if media.get("example").is_some() || media.get("examples").is_some() {
            return;
        }
        match media.get("schema") {
            Some(schema) => self.schema(schema, at),
            None => self.missing.push(format!("{at}: no schema")),
        }
    }

    fn schema(&mut self, schema: &Value, at: &str) {
        if schema.get("example").is_some() || schema.get("examples").is_some() || schema.get("enum").is_some() {
            return;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/components/schemas/").to_owned();
            if self.seen.insert(name.clone()) {
                match self.schemas.get(&name) {
                    Some(resolved) => self.schema(resolved, &name),
                    None => self.missing.push(format!("{at}: dangling {reference}")),
                }
            }
            return;
        }
        let mut composite = false;
        for key in ["oneOf", "anyOf", "allOf"] {
            for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
                composite = true;
                self.schema(branch, at);
            }
        }
        if let Some(items) = schema.get("items") {
            self.schema(items, &format!("{at}[]"));
            return;
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.schema(property, &format!("{at}.{name}"));
            }
            return;
        }
        let only_null = schema.get("type").and_then(Value::as_str) == Some("null");
        if !composite && !only_null {
            self.missing.push(at.to_owned());
        }
    }
}

#[tokio::test]
async fn every_request_body_and_response_of_the_openapi_document_has_examples() {
    let app = spawn_app().await;
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut finder = Finder {
        schemas: doc["components"]["schemas"].as_object().unwrap(),
        seen: HashSet::new(),
        missing: Vec::new(),
    };
    let mut bodies = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let contents = operation["requestBody"]["content"].as_object();
            for (content_type, media) in contents.into_iter().flatten() {
                bodies += 1;
                finder.media(media, &format!("{method} {path} request body ({content_type})"));
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                for (content_type, media) in response["content"].as_object().into_iter().flatten() {
                    finder.media(media, &format!("{method} {path} {status} ({content_type})"));
                }
            }
        }
    }
    // A check that looked at nothing would pass for the wrong reason.
    assert!(bodies >= 14, "only {bodies} request bodies found");
    assert!(finder.seen.contains("PoolResponse") && finder.seen.contains("CreateNeed"), "{:?}", finder.seen);
    assert!(finder.missing.is_empty(), "no example for:\n{}", finder.missing.join("\n"));
}

/// The rule itself: a property without an example is found, through references, arrays
/// and nullable unions.
#[test]
fn the_finder_finds_a_property_without_example() {
    let schemas = serde_json::json!({
        "Outer": {"type": "object", "properties": {
            "ok": {"type": "integer", "example": 1},
            "state": {"type": "string", "enum": ["open"]},
            "inner": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Inner"}]},
        }},
        "Inner": {"type": "object", "properties": {
            "list": {"type": "array", "items": {"type": "string"}},
        }},
    });
    let mut finder = Finder { schemas: schemas.as_object().unwrap(), seen: HashSet::new(), missing: Vec::new() };
    finder.media(&serde_json::json!({"schema": {"$ref": "#/components/schemas/Outer"}}), "body");
    assert_eq!(finder.missing, ["Inner.list[]"]);
    let mut whole = Finder { schemas: schemas.as_object().unwrap(), seen: HashSet::new(), missing: Vec::new() };
    whole.media(&serde_json::json!({"schema": {"$ref": "#/components/schemas/Inner"}, "example": {"list": []}}), "b");
    assert!(whole.missing.is_empty());
}
