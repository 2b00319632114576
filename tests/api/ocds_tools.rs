//! What the OCDS tests check the export with, all offline: the official OCDS 1.1.5 JSON
//! schemas (`tests/data/ocds`), and the Open Contracting Partnership's own tools from PyPI,
//! `libcoveocds` (the data review library, given the standard as a local zip) and
//! `ocdsmerge` (the reference merge routine, given the release schema as a local file).

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

/// The fields of the declared extensions, which libcoveocds cannot know offline (every
/// field under one is the extension's too): from a package, `links` (pagination: `next`,
/// `prev`, `all`); from a release, `budgetBreakdown` in `Budget` (budget breakdown: `id`,
/// `description`, `amount`, `uri`, `period`, `sourceParty`).
const PACKAGE_EXTENSION_FIELDS: &[&str] = &["/links"];
const RELEASE_EXTENSION_FIELDS: &[&str] = &["/planning/budget/budgetBreakdown"];

/// Where a release sits in a package.
const RELEASE_ROOTS: &[&str] =
    &["/releases", "/records/releases", "/records/compiledRelease", "/records/versionedRelease"];

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ocds").join(name)
}

/// Validators of the packages and of one release, `format` included. The release and
/// versioned release schemas are registered under the URLs the package schemas refer to
/// them by.
pub struct Schemas {
    pub release_package: jsonschema::Validator,
    pub record_package: jsonschema::Validator,
    pub release: jsonschema::Validator,
}

impl Schemas {
    pub fn load() -> Self {
        let read = |name: &str| -> Value {
            let path = data(name);
            serde_json::from_str(&std::fs::read_to_string(&path).expect("schema file")).expect("schema is JSON")
        };
        let base = "https://standard.open-contracting.org/schema/1__1__5";
        let release = read("release-schema-1.1.5.json");
        let registry = jsonschema::Registry::new()
            .add(format!("{base}/release-schema.json"), release.clone())
            .unwrap()
            .add(
                format!("{base}/versioned-release-validation-schema.json"),
                read("versioned-release-validation-schema-1.1.5.json"),
            )
            .unwrap()
            .prepare()
            .unwrap();
        let options = || jsonschema::options().offline().should_validate_formats(true);
        let package = |name: &str| options().with_registry(&registry).build(&read(name)).expect(name);
        Schemas {
            release_package: package("release-package-schema-1.1.5.json"),
            record_package: package("record-package-schema-1.1.5.json"),
            release: options().build(&release).expect("release schema"),
        }
    }

    pub fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }

    /// Asserts a package valid (a release package: each of its releases too). `links` comes
    /// from the pagination extension, which the core schemas allow as an extra field.
    pub fn assert_valid(&self, package: &Value) {
        let validator = if package.get("records").is_some() { &self.record_package } else { &self.release_package };
        let errors = Self::errors(validator, package);
        assert!(errors.is_empty(), "package invalid: {errors:#?}");
        for release in package["releases"].as_array().into_iter().flatten() {
            let errors = Self::errors(&self.release, release);
            assert!(errors.is_empty(), "release {} invalid: {errors:#?}", release["id"]);
        }
    }
}

/// Whether libcoveocds and ocdsmerge can be run. Outside CI (`CI` unset) a test without
/// them is skipped with a notice; in CI it fails.
pub fn reference_tools() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import libcoveocds, ocdsmerge"])
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        let install = "python3 -m pip install libcoveocds ocdsmerge";
        assert!(std::env::var_os("CI").is_none(), "libcoveocds and ocdsmerge are required in CI: {install}");
        eprintln!("SKIPPED: libcoveocds and ocdsmerge are not installed ({install}); CI runs this check");
    }
    found
}

/// Runs a Python tool offline: any attempt to reach the network goes to a closed local
/// port and fails at once (the test would then see the tool's error).
fn python(args: &[&str]) -> Value {
    let output = Command::new("python3")
        .args(args)
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .expect("run python3");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "python3 {args:?} failed: {stderr}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("python3 {args:?} printed no JSON ({e}): {stderr}"))
}

fn write(dir: &Path, package: &Value) -> String {
    let path = dir.join("package.json");
    std::fs::write(&path, serde_json::to_vec(package).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// What libcoveocds 0.17 says of a package, checked on the standard 1.1.5 as a local zip.
///
/// libcoveocds would fetch the declared extensions, which it cannot offline; it is given
/// the package without its `extensions`, and the fields it then reports as additional must
/// all be fields of those extensions ([`RELEASE_EXTENSION_FIELDS`], [`PACKAGE_EXTENSION_FIELDS`]): they count as declared.
pub fn libcoveocds(package: &Value) -> Review {
    let dir = tempfile::tempdir().unwrap();
    let mut without_extensions = package.clone();
    let declared = without_extensions.as_object_mut().unwrap().remove("extensions");
    let declared: Vec<&str> =
        declared.as_ref().and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(declared.iter().any(|e| e.contains("ocds_budget_breakdown_extension")), "{declared:?}");
    assert!(declared.iter().any(|e| e.contains("ocds_pagination_extension")), "{declared:?}");
    let zip = data("standard-1__1__5.zip");
    let file = write(dir.path(), &without_extensions);
    // Its command line, but with the one schema it would fetch served from the zip too.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/libcoveocds_offline.py");
    Review(python(&[&script.to_string_lossy(), "--standard-zip", &zip.to_string_lossy(), &file]))
}

/// A libcoveocds report.
pub struct Review(pub Value);

impl Review {
    pub fn validation_errors(&self) -> &Value {
        &self.0["validation_errors"]
    }

    /// Conformance errors (such as an ocid prefix of the wrong form); none is `{}`.
    pub fn conformance_errors(&self) -> Value {
        self.0.get("conformance_errors").cloned().unwrap_or_else(|| Value::Object(Default::default()))
    }

    /// The additional fields that no declared extension defines: `path/field`.
    pub fn undeclared_fields(&self) -> Vec<String> {
        let all = self.0["all_additional_fields"].as_array().cloned().unwrap_or_default();
        all.iter()
            .map(|f| format!("{}/{}", f["path"].as_str().unwrap_or(""), f["field_name"].as_str().unwrap_or("")))
            .filter(|field| !declared_by_extension(field))
            .collect()
    }

    /// What the additional checks found (empty fields and the like).
    pub fn additional_checks(&self) -> &Value {
        &self.0["additional_checks"]
    }
}

/// Whether `field` (such as `/releases/planning/budget/budgetBreakdown/amount`) is a field
/// of a declared extension.
fn declared_by_extension(field: &str) -> bool {
    let under = |path: &str| field == path || field.starts_with(&format!("{path}/"));
    PACKAGE_EXTENSION_FIELDS.iter().any(|f| under(f))
        || RELEASE_EXTENSION_FIELDS.iter().any(|f| RELEASE_ROOTS.iter().any(|root| under(&format!("{root}{f}"))))
}

/// ocdsmerge's compiled and versioned release of each record: `[{ocid, compiledRelease,
/// versionedRelease}]`.
pub fn ocdsmerge(record_package: &Value) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), record_package);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/ocds_merge.py");
    let schema = data("release-schema-1.1.5.json");
    let merged = python(&[&script.to_string_lossy(), &schema.to_string_lossy(), &file]);
    merged.as_array().expect("a list").clone()
}

#[test]
fn extension_fields_are_recognised_wherever_the_release_sits() {
    for field in [
        "/releases/planning/budget/budgetBreakdown",
        "/records/compiledRelease/planning/budget/budgetBreakdown/sourceParty",
        "/records/versionedRelease/planning/budget/budgetBreakdown/amount",
        "/links",
        "/links/next",
    ] {
        assert!(declared_by_extension(field), "{field}");
    }
    for field in ["/releases/planning/budgetBreakdown", "/releases/links", "/releases/planning/budget/budgetBreakdownX"]
    {
        assert!(!declared_by_extension(field), "{field}");
    }
}
