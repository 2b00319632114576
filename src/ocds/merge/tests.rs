use serde_json::{Map, Value, json};

use super::*;

fn parse(text: &str) -> Json {
    Json::from_raw(&serde_json::from_str::<Box<RawValue>>(text).unwrap()).unwrap()
}

fn value(json: &Json) -> Value {
    serde_json::to_value(json).unwrap()
}

const FIRST: &str = r#"{"ocid":"ocds-a1b2c3-1","id":"r1","date":"2026-01-01T00:00:00.000000Z","tag":["planning"],
    "tender":{"id":"t","title":"A","value":{"amount":10.50,"currency":"EUR"},"items":[{"id":"1","description":"x"}]},
    "parties":[{"id":"p1","name":"P1","roles":["buyer","funder"]},{"id":"p2","name":"P2","roles":["buyer"]}],
    "planning":{"budget":{"amount":{"amount":1.00,"currency":"EUR"}}}}"#;

/// Later, though given first: releases merge in date order.
const SECOND: &str = r#"{"ocid":"ocds-a1b2c3-1","id":"r2","date":"2026-01-02T00:00:00.000000Z","tag":["tender"],
    "tender":{"title":null,"status":"active","items":[]},
    "parties":[{"id":"p2","roles":["supplier"]},{"id":"p3","name":"P3"}],
    "planning":null,"awards":[{"status":"x"}]}"#;

// The expected results below are what ocdsmerge 0.8 gives for the same two releases.

#[test]
fn a_compiled_release_follows_the_merge_rules() {
    let compiled = compiled_release(&[parse(SECOND), parse(FIRST)]).unwrap();
    assert_eq!(
        value(&compiled),
        json!({
            "tag": ["compiled"], "id": "ocds-a1b2c3-1-2026-01-02T00:00:00.000000Z",
            "date": "2026-01-02T00:00:00.000000Z", "ocid": "ocds-a1b2c3-1",
            // title: null removes it; empty items change nothing.
            "tender": {"id": "t", "value": {"amount": 10.5, "currency": "EUR"}, "items": [{"id": "1", "description": "x"}], "status": "active"},
            // Merged by id; roles, a list of strings, replaced.
            "parties": [
                {"id": "p1", "name": "P1", "roles": ["buyer", "funder"]},
                {"id": "p2", "name": "P2", "roles": ["supplier"]},
                {"id": "p3", "name": "P3"}
            ],
            // An object set to null keeps its leaves, as in the reference implementation.
            "planning": {"budget": {"amount": {"amount": 1.0, "currency": "EUR"}}},
            "awards": [{"status": "x"}]
        })
    );
    let keys: Vec<&str> = match &compiled {
        Json::Object(fields) => fields.iter().map(|(k, _)| k.as_str()).collect(),
        _ => panic!(),
    };
    assert_eq!(keys[..4], ["tag", "id", "date", "ocid"]);
    let text = serde_json::to_string(&compiled).unwrap();
    assert!(text.contains(r#""amount":10.50"#) && text.contains(r#""amount":1.00"#), "amounts keep their text: {text}");
}

#[test]
fn a_versioned_release_keeps_each_value_with_its_release() {
    let versioned = value(&versioned_release(&[parse(SECOND), parse(FIRST)]).unwrap());
    let v = |id: &str, value: Value| {
        let (date, tag) = if id == "r1" { ("2026-01-01", "planning") } else { ("2026-01-02", "tender") };
        json!({"releaseID": id, "releaseDate": format!("{date}T00:00:00.000000Z"), "releaseTag": [tag], "value": value})
    };
    assert_eq!(
        versioned,
        json!({
            "ocid": "ocds-a1b2c3-1",
            "tender": {
                "id": [v("r1", json!("t"))],
                "title": [v("r1", json!("A")), v("r2", Value::Null)],
                "value": {"amount": [v("r1", json!(10.5))], "currency": [v("r1", json!("EUR"))]},
                "items": [{"id": "1", "description": [v("r1", json!("x"))]}],
                "status": [v("r2", json!("active"))]
            },
            "parties": [
                {"id": "p1", "name": [v("r1", json!("P1"))], "roles": [v("r1", json!(["buyer", "funder"]))]},
                {"id": "p2", "name": [v("r1", json!("P2"))], "roles": [v("r1", json!(["buyer"])), v("r2", json!(["supplier"]))]},
                {"id": "p3", "name": [v("r2", json!("P3"))]}
            ],
            "planning": {"budget": {"amount": {"amount": [v("r1", json!(1.0))], "currency": [v("r1", json!("EUR"))]}}},
            "awards": [{"status": [v("r2", json!("x"))]}]
        })
    );
}

#[test]
fn an_unchanged_value_adds_no_version_and_whole_lists_replace() {
    let release = |id: &str, day: u8, ids: &str| {
        parse(&format!(
            r#"{{"ocid":"o","id":"{id}","date":"2026-01-0{day}T00:00:00Z","tag":["planning"],"tender":{{"title":"T"}},
            "parties":[{{"id":"p","additionalIdentifiers":[{ids}]}}]}}"#
        ))
    };
    let a = r#"{"scheme":"BE-NIS","id":"1"}"#;
    let b = r#"{"scheme":"BE-NIS","id":"2"}"#;
    let releases = [release("r1", 1, a), release("r2", 2, a), release("r3", 3, b)];
    let versioned = value(&versioned_release(&releases).unwrap());
    assert_eq!(versioned["tender"]["title"].as_array().unwrap().len(), 1);
    assert_eq!(versioned["parties"][0]["additionalIdentifiers"].as_array().unwrap().len(), 2);
    let compiled = value(&compiled_release(&releases).unwrap());
    // Marked wholeListMerge: replaced, although its objects have an id.
    assert_eq!(compiled["parties"][0]["additionalIdentifiers"], json!([{"scheme": "BE-NIS", "id": "2"}]));
}

#[test]
fn equal_dates_keep_their_order_and_different_shapes_are_an_error() {
    let at = |id: &str, title: &str| {
        parse(&format!(r#"{{"ocid":"o","id":"{id}","date":"2026-01-01T00:00:00Z","tender":{{"title":"{title}"}}}}"#))
    };
    assert_eq!(value(&compiled_release(&[at("1", "first"), at("2", "second")]).unwrap())["tender"]["title"], "second");
    let shapes = [at("1", "x"), parse(r#"{"ocid":"o","id":"2","date":"2026-01-02T00:00:00Z","tender":[{"id":"a"}]}"#)];
    assert!(compiled_release(&shapes).is_err());
}

/// The rules of the release schema, as the reference implementation derives them: the
/// constants above must be those of the schema the export is validated against.
#[test]
fn the_rules_are_those_of_the_release_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ocds/release-schema-1.1.5.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut omit, mut whole) = (Vec::new(), Vec::new());
    rules(&schema, schema["properties"].as_object().unwrap(), "", &mut omit, &mut whole);
    omit.sort();
    whole.sort();
    assert_eq!(omit, OMIT_WHEN_MERGED);
    assert_eq!(whole, WHOLE_LIST_MERGE);
}

fn deref<'a>(schema: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
        Some(name) => deref(schema, &schema["definitions"][name]),
        None => value,
    }
}

fn types(value: &Value) -> Vec<&str> {
    match &value["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn rules(schema: &Value, properties: &Map<String, Value>, at: &str, omit: &mut Vec<String>, whole: &mut Vec<String>) {
    for (key, value) in properties {
        let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
        let value = deref(schema, value);
        let types = types(value);
        if value["omitWhenMerged"] == true || value["mergeStrategy"] == "ocdsOmit" {
            omit.push(path);
        } else if types.contains(&"array")
            && (value["wholeListMerge"] == true || value["mergeStrategy"] == "ocdsVersion")
        {
            whole.push(path);
        } else if types.contains(&"object") && value["properties"].is_object() {
            rules(schema, value["properties"].as_object().unwrap(), &path, omit, whole);
        } else if types.contains(&"array") && value.get("items").is_some() {
            let items = deref(schema, &value["items"]);
            let item_types = self::types(items);
            if item_types.iter().any(|t| *t != "object") {
                whole.push(path);
            } else if item_types.contains(&"object") && items["properties"].is_object() {
                if items["properties"].get("id").is_none() {
                    whole.push(path);
                } else {
                    rules(schema, items["properties"].as_object().unwrap(), &path, omit, whole);
                }
            }
        }
    }
}
