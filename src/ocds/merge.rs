//! The OCDS 1.1 merge routine: the releases of one contracting process make its compiled
//! release (the latest value of every field) and its versioned release (every value of
//! every field, with the release it came from).
//!
//! It follows the standard's merging specification and does what its reference
//! implementation (`ocdsmerge`) does, which the tests compare it with:
//!
//! - releases are taken in `date` order (equal dates keep their given order);
//! - `id`, `date` and `tag` are left out (`omitWhenMerged`); a compiled release gets
//!   `tag: ["compiled"]`, `id: "{ocid}-{date of the last release}"` and that date;
//! - objects merge field by field, recursively; an empty object or array changes nothing;
//! - an array of objects merges by `id` (objects with the same `id` merge, others are
//!   appended in the order they first appear); an array holding anything but objects, or
//!   one the schema marks `wholeListMerge` ([`WHOLE_LIST_MERGE`]), is replaced whole;
//! - a field set to `null` is removed from the compiled release (and, as `ocdsmerge` does,
//!   the fields nested under an object set to `null` stay: only leaves are removed);
//! - in a versioned release every leaf becomes a list of `{releaseID, releaseDate,
//!   releaseTag, value}`, a new entry only when the value changes; `ocid` and the `id` of
//!   objects in arrays stay plain.
//!
//! Internally a release is flattened into `(path, leaf)` pairs, where a step into an array
//! is named by the object's `id`, merged as a map, and rebuilt: the reference
//! implementation's own method, so that even its corner cases agree.
//!
//! JSON is handled as a tree whose leaves keep the text they were written with
//! ([`Json`]): an amount in decimal euros (`1234.50`) is never parsed into a float, and is
//! written back as it came. Two leaves are the same value when their text is the same,
//! which holds for what [`crate::ocds`] writes (one way to write each value).

use std::{collections::HashMap, fmt};

use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{MapAccess, Visitor},
    ser::{SerializeMap, SerializeSeq},
};
use serde_json::value::RawValue;

/// Fields of a release left out of merged releases (`omitWhenMerged` in the 1.1.5 release
/// schema).
pub const OMIT_WHEN_MERGED: &[&str] = &["date", "id", "tag"];

/// Arrays of the 1.1.5 release schema replaced whole instead of merged by `id`, as dotted
/// paths from the release (a step into an array adds nothing): those marked
/// `wholeListMerge`, and arrays of non-objects or of objects without `id`. A unit test
/// derives the same list from `tests/data/ocds/release-schema-1.1.5.json`. Fields of
/// extensions merge by the general rules, which suit the budget breakdown extension (its
/// objects carry an `id`).
pub const WHOLE_LIST_MERGE: &[&str] = &[
    "awards.amendment.changes",
    "awards.amendments.changes",
    "awards.items.additionalClassifications",
    "awards.suppliers.additionalIdentifiers",
    "buyer.additionalIdentifiers",
    "contracts.amendment.changes",
    "contracts.amendments.changes",
    "contracts.implementation.transactions.payee.additionalIdentifiers",
    "contracts.implementation.transactions.payer.additionalIdentifiers",
    "contracts.items.additionalClassifications",
    "contracts.relatedProcesses.relationship",
    "parties.additionalIdentifiers",
    "parties.roles",
    "relatedProcesses.relationship",
    "tender.additionalProcurementCategories",
    "tender.amendment.changes",
    "tender.amendments.changes",
    "tender.items.additionalClassifications",
    "tender.procuringEntity.additionalIdentifiers",
    "tender.submissionMethod",
    "tender.tenderers.additionalIdentifiers",
];

/// A JSON value whose leaves (strings, numbers, booleans, null) keep their text.
#[derive(Clone, Debug)]
pub enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Leaf(Box<RawValue>),
}

/// Why releases could not be merged: they give one field different shapes.
#[derive(Debug)]
pub struct MergeError(String);

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

impl From<serde_json::Error> for MergeError {
    fn from(e: serde_json::Error) -> Self {
        MergeError(format!("a release is not JSON: {e}"))
    }
}

impl Json {
    /// The JSON of `value`, as serde writes it.
    pub fn of<T: Serialize>(value: &T) -> Result<Json, serde_json::Error> {
        Self::from_raw(&serde_json::value::to_raw_value(value)?)
    }

    fn from_raw(raw: &RawValue) -> Result<Json, serde_json::Error> {
        let text = raw.get();
        match text.trim_start().as_bytes().first() {
            Some(b'{') => {
                let RawObject(fields) = serde_json::from_str(text)?;
                let fields = fields.into_iter().map(|(k, v)| Ok((k, Self::from_raw(&v)?)));
                Ok(Json::Object(fields.collect::<Result<_, serde_json::Error>>()?))
            }
            Some(b'[') => {
                let items: Vec<Box<RawValue>> = serde_json::from_str(text)?;
                Ok(Json::Array(items.iter().map(|item| Self::from_raw(item)).collect::<Result<_, _>>()?))
            }
            _ => Ok(Json::Leaf(raw.to_owned())),
        }
    }

    fn leaf(value: &impl Serialize) -> Json {
        // Strings, string lists and leaves always serialise.
        Json::Leaf(serde_json::value::to_raw_value(value).unwrap_or_else(|_| null()))
    }

    fn is_null(&self) -> bool {
        matches!(self, Json::Leaf(raw) if raw.get().trim() == "null")
    }

    /// The field `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string leaf's text.
    fn as_str(&self) -> Option<String> {
        match self {
            Json::Leaf(raw) => serde_json::from_str(raw.get()).ok(),
            _ => None,
        }
    }

    /// What identifies an object in an array: its `id`, a string or a number (`1` and `"1"`
    /// are the same, as in the reference implementation).
    fn identifier(&self) -> Option<String> {
        let id = self.get("id")?;
        id.as_str().or_else(|| match id {
            Json::Leaf(raw) => Some(raw.get().trim().to_owned()),
            _ => None,
        })
    }

    /// Equal values: objects whatever the order of their fields, leaves by their text.
    fn same(&self, other: &Json) -> bool {
        match (self, other) {
            (Json::Leaf(a), Json::Leaf(b)) => a.get().trim() == b.get().trim(),
            (Json::Array(a), Json::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (Json::Object(a), Json::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| other.get(k).is_some_and(|w| v.same(w)))
            }
            _ => false,
        }
    }
}

fn null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Leaf(raw) => raw.serialize(serializer),
        }
    }
}

/// An object's fields in their order, each value as its raw text.
struct RawObject(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = RawObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push(entry);
                }
                Ok(RawObject(fields))
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// One step of a path into a release: a field, or the object of an array with this
/// identifier (the `id` it had is kept, to write it back).
#[derive(Clone, Debug)]
enum Step {
    Field(String),
    Item { identifier: String, id: Option<Json> },
}

impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Step::Field(a), Step::Field(b)) => a == b,
            (Step::Item { identifier: a, .. }, Step::Item { identifier: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl Eq for Step {}

impl std::hash::Hash for Step {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Step::Field(name) => (0u8, name).hash(state),
            Step::Item { identifier, .. } => (1u8, identifier).hash(state),
        }
    }
}

type Path = Vec<Step>;

/// `(path, value)` pairs in the order paths first appeared; setting a path again keeps its
/// place.
#[derive(Default)]
struct Flat {
    order: Vec<Path>,
    values: HashMap<Path, Json>,
}

impl Flat {
    fn set(&mut self, path: Path, value: Json) {
        if !self.values.contains_key(&path) {
            self.order.push(path.clone());
        }
        self.values.insert(path, value);
    }

    fn remove(&mut self, path: &Path) -> Option<Json> {
        let value = self.values.remove(path)?;
        self.order.retain(|p| p != path);
        Some(value)
    }

    fn entries(&self) -> impl Iterator<Item = (&Path, &Json)> {
        self.order.iter().filter_map(|p| self.values.get(p).map(|v| (p, v)))
    }
}

/// Merges releases; keeps the counter that names objects without `id` (each such object is
/// its own, never merged with another).
#[derive(Default)]
struct Flattener {
    anonymous: u64,
}

impl Flattener {
    /// The leaves of one release, by path, without the fields left out of merges.
    fn release(&mut self, release: &Json) -> Flat {
        let mut flat = Flat::default();
        if let Json::Object(fields) = release {
            for (name, value) in fields {
                if !OMIT_WHEN_MERGED.contains(&name.as_str()) {
                    self.visit(vec![Step::Field(name.clone())], name.clone(), value, &mut flat);
                }
            }
        }
        flat
    }

    fn visit(&mut self, path: Path, rule_path: String, value: &Json, flat: &mut Flat) {
        let whole = WHOLE_LIST_MERGE.contains(&rule_path.as_str())
            || matches!(value, Json::Array(items) if items.iter().any(|i| !matches!(i, Json::Object(_))));
        match value {
            Json::Leaf(_) => flat.set(path, value.clone()),
            _ if whole => flat.set(path, value.clone()),
            Json::Object(fields) => {
                for (name, v) in fields {
                    let mut inner = path.clone();
                    inner.push(Step::Field(name.clone()));
                    self.visit(inner, format!("{rule_path}.{name}"), v, flat);
                }
            }
            Json::Array(items) => {
                for item in items {
                    let identifier = item.identifier().unwrap_or_else(|| {
                        self.anonymous += 1;
                        format!("\u{0}{}", self.anonymous)
                    });
                    let mut inner = path.clone();
                    inner.push(Step::Item { identifier, id: item.get("id").cloned() });
                    self.visit(inner, rule_path.clone(), item, flat);
                }
            }
        }
    }
}

/// The releases in date order; equal dates keep their order (a stable sort, as the
/// reference implementation's).
fn by_date(releases: &[Json]) -> Vec<&Json> {
    let mut sorted: Vec<&Json> = releases.iter().collect();
    sorted.sort_by_key(|r| r.get("date").and_then(Json::as_str));
    sorted
}

/// The compiled release of one contracting process's releases.
pub fn compiled_release(releases: &[Json]) -> Result<Json, MergeError> {
    let mut flattener = Flattener::default();
    let mut merged = Flat::default();
    let field = |name: &str| vec![Step::Field(name.to_owned())];
    merged.set(field("tag"), Json::leaf(&["compiled"]));
    for release in by_date(releases) {
        let ocid = release.get("ocid").and_then(Json::as_str).unwrap_or_default();
        let date = release.get("date").and_then(Json::as_str).unwrap_or_default();
        merged.set(field("id"), Json::leaf(&format!("{ocid}-{date}")));
        merged.set(field("date"), Json::leaf(&date));
        merged.set(field("ocid"), Json::leaf(&ocid));
        let flat = flattener.release(release);
        for (path, value) in flat.entries() {
            merged.set(path.clone(), value.clone());
        }
    }
    unflatten(&merged)
}

/// The versioned release of one contracting process's releases.
///
/// Each path's history is a list that grows by one entry when its value changes, so the
/// cost is linear in the releases (copying a history at every change, as a first version
/// did, made it grow with the square of a pool's events).
pub fn versioned_release(releases: &[Json]) -> Result<Json, MergeError> {
    let mut flattener = Flattener::default();
    let mut order: Vec<Path> = Vec::new();
    let mut histories: HashMap<Path, Vec<Json>> = HashMap::new();
    let ocid_path = vec![Step::Field("ocid".to_owned())];
    let mut ocid = Json::Leaf(null());
    for release in by_date(releases) {
        let mut flat = flattener.release(release);
        flat.remove(&ocid_path);
        ocid = release.get("ocid").cloned().unwrap_or(Json::Leaf(null()));
        let version = |value: &Json| {
            Json::Object(vec![
                ("releaseID".to_owned(), release.get("id").cloned().unwrap_or(Json::Leaf(null()))),
                ("releaseDate".to_owned(), release.get("date").cloned().unwrap_or(Json::Leaf(null()))),
                ("releaseTag".to_owned(), release.get("tag").cloned().unwrap_or(Json::Leaf(null()))),
                ("value".to_owned(), value.clone()),
            ])
        };
        for (path, value) in flat.entries() {
            match histories.get_mut(path) {
                Some(history) => {
                    if history.last().and_then(|v| v.get("value")).is_some_and(|last| last.same(value)) {
                        continue;
                    }
                    history.push(version(value));
                }
                None => {
                    order.push(path.clone());
                    histories.insert(path.clone(), vec![version(value)]);
                }
            }
        }
    }
    let mut merged = Flat::default();
    if !releases.is_empty() {
        merged.set(ocid_path, ocid);
    }
    for path in order {
        if let Some(history) = histories.remove(&path) {
            merged.set(path, Json::Array(history));
        }
    }
    unflatten(&merged)
}

/// A tree being rebuilt: arrays remember the identifier of each of their objects.
enum Node {
    Object(Vec<(String, Node)>),
    Items(Vec<(String, Node)>),
    Value(Json),
}

fn unflatten(flat: &Flat) -> Result<Json, MergeError> {
    let mut root = Node::Object(Vec::new());
    for (path, value) in flat.entries() {
        place(&mut root, path, value)?;
    }
    Ok(into_json(root))
}

/// Puts one leaf at its path, making the objects and arrays on the way; a `null` leaf
/// makes the way but is not written.
fn place(node: &mut Node, path: &[Step], value: &Json) -> Result<(), MergeError> {
    let Some((step, rest)) = path.split_first() else { return Ok(()) };
    match (step, node) {
        (Step::Item { identifier, id }, Node::Items(items)) => {
            let index = match items.iter().position(|(i, _)| i == identifier) {
                Some(index) => index,
                None => {
                    let fields = id.iter().map(|id| ("id".to_owned(), Node::Value(id.clone()))).collect();
                    items.push((identifier.clone(), Node::Object(fields)));
                    items.len() - 1
                }
            };
            place(&mut items[index].1, rest, value)
        }
        (Step::Field(name), Node::Object(fields)) => {
            if let Some(index) = fields.iter().position(|(k, _)| k == name) {
                return place(&mut fields[index].1, rest, value);
            }
            let child = match rest.first() {
                None if value.is_null() => return Ok(()),
                None => Node::Value(value.clone()),
                Some(Step::Item { .. }) => Node::Items(Vec::new()),
                Some(Step::Field(_)) => Node::Object(Vec::new()),
            };
            fields.push((name.clone(), child));
            let last = fields.len() - 1;
            place(&mut fields[last].1, rest, value)
        }
        (step, _) => Err(MergeError(format!("releases give {step:?} different shapes (an object, an array, a value)"))),
    }
}

fn into_json(node: Node) -> Json {
    match node {
        Node::Object(fields) => Json::Object(fields.into_iter().map(|(k, v)| (k, into_json(v))).collect()),
        Node::Items(items) => Json::Array(items.into_iter().map(|(_, v)| into_json(v)).collect()),
        Node::Value(value) => value,
    }
}

#[cfg(test)]
mod tests;
