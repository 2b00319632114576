//! The shape of the code, checked: where transactions begin, what `db` may import, where
//! backend-specific SQL, string comparisons of states and event types written as strings
//! may live (docs/ARCHITECTURE.md).
//! Each rule is a search over the source files, so a change that breaks one fails here
//! with the file and line.

use std::path::{Path, PathBuf};

use mutua::domain::events::EventKind;

/// Every file under `dir`, whatever its kind.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files(dir).into_iter().filter(|path| path.extension().is_some_and(|e| e == "rs")).collect()
}

/// Lines of code (comments left out) of the files under `src/` for which `select` holds.
fn code_lines(select: impl Fn(&str) -> bool) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines = Vec::new();
    for path in rust_files(&root.join("src")) {
        let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if !select(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") {
                lines.push((relative.clone(), number + 1, line.to_owned()));
            }
        }
    }
    lines
}

fn offending(lines: &[(String, usize, String)], needles: &[&str]) -> Vec<String> {
    lines
        .iter()
        .filter(|(_, _, line)| needles.iter().any(|n| line.contains(n)))
        .map(|(file, number, line)| format!("{file}:{number}: {}", line.trim()))
        .collect()
}

#[test]
fn transactions_begin_only_in_db() {
    let outside = code_lines(|f| !f.starts_with("src/db/"));
    let found = offending(
        &outside,
        &[".transaction(", "begin_transaction", "BEGIN", "TransactionManager", "build_transaction"],
    );
    assert!(found.is_empty(), "transactions begun outside src/db:\n{}", found.join("\n"));
}

#[test]
fn db_does_not_use_auth() {
    let found = offending(&code_lines(|f| f.starts_with("src/db/")), &["crate::auth", "auth::"]);
    assert!(found.is_empty(), "src/db imports auth:\n{}", found.join("\n"));
}

#[test]
fn backend_specific_sql_only_in_db() {
    let outside = code_lines(|f| !f.starts_with("src/db/"));
    let found = offending(
        &outside,
        &["sql_query", "DbConnection", "PgConnection", "SqliteConnection", "pg_advisory", "diesel::dsl::sql"],
    );
    assert!(found.is_empty(), "backend-specific SQL outside src/db:\n{}", found.join("\n"));
}

#[test]
fn states_and_roles_are_never_compared_with_strings_outside_db_and_their_enums() {
    let words = [
        "open",
        "funded",
        "approved",
        "rejected",
        "awarded",
        "delivered",
        "expired",
        "cancelled",
        "merged",
        "active",
        "withdrawn",
        "officer",
        "member",
        "pending",
        "sent",
        "dead",
    ];
    let needles: Vec<String> = words
        .iter()
        .flat_map(|w| [format!("== \"{w}\""), format!("!= \"{w}\""), format!(".eq(\"{w}\")"), format!("\"{w}\" ==")])
        .collect();
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let outside =
        code_lines(|f| !f.starts_with("src/db/") && f != "src/domain/kinds.rs" && f != "src/domain/pool_state.rs");
    let found = offending(&outside, &needles);
    assert!(found.is_empty(), "a state or role compared with a string:\n{}", found.join("\n"));
}

#[test]
fn routes_and_pages_call_services_not_queries() {
    // A query of `db::models` takes the transaction as its first argument: `pool::find(tx, …)`.
    let models = ["event", "idempotency", "need", "organisation", "outbox", "pledge", "pool", "user", "web_session"];
    let found: Vec<String> = code_lines(|f| f.starts_with("src/routes/") || f.starts_with("src/web/"))
        .into_iter()
        .filter(|(_, _, line)| models.iter().any(|m| line.contains(&format!("{m}::")) && line.contains("(tx")))
        .filter(|(_, _, line)| !line.contains("service::"))
        .map(|(file, number, line)| format!("{file}:{number}: {}", line.trim()))
        .collect();
    assert!(found.is_empty(), "routes or pages querying the database without a service:\n{}", found.join("\n"));
}

#[test]
fn the_role_rule_has_one_home() {
    // Refusing a role is written once, in the capabilities (`src/auth/capability.rs`); a
    // page's only other refusal is its form token's. Roles are read elsewhere only for what
    // a page shows or who sees which rows, never compared to grant an action.
    let outside = code_lines(|f| f != "src/auth/capability.rs" && f != "src/error.rs");
    let found: Vec<String> = offending(&outside, &["Forbidden(\""])
        .into_iter()
        .filter(|line| !line.contains("Forbidden(\"csrf\")"))
        .collect();
    assert!(found.is_empty(), "a role refused outside src/auth/capability.rs:\n{}", found.join("\n"));
    let built = offending(&code_lines(|f| !f.starts_with("src/auth/")), &["Capability::of(", "WebUser::new("]);
    assert!(built.is_empty(), "a capability built outside src/auth:\n{}", built.join("\n"));
}

/// The code of a file before its unit tests (`#[cfg(test)]` items close a file here).
fn before_tests(lines: Vec<(String, usize, String)>) -> Vec<(String, usize, String)> {
    let mut in_tests: Option<String> = None;
    lines
        .into_iter()
        .filter(|(file, _, line)| {
            if in_tests.as_deref() != Some(file.as_str()) && line == "#[cfg(test)]" {
                in_tests = Some(file.clone());
            }
            in_tests.as_deref() != Some(file.as_str())
        })
        .collect()
}

#[test]
fn event_types_are_named_only_in_the_domain() {
    // The names come from the enum itself, so a new event is checked as soon as it exists.
    let needles: Vec<String> = EventKind::ALL.iter().map(|kind| format!("\"{}\"", kind.as_str())).collect();
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    let outside = before_tests(code_lines(|f| !f.starts_with("src/domain/") && !f.ends_with("/tests.rs")));
    let found = offending(&outside, &needles);
    assert!(found.is_empty(), "an event type written as a string outside src/domain:\n{}", found.join("\n"));
}

#[test]
fn the_matcher_keeps_its_data_out_of_its_code() {
    // Word lists and the dictionary live in data/matching/ (docs/MATCHING.md); a file over
    // 40 KB under src/domain/matching is data written as code, or code that grew too big.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain/matching");
    let found: Vec<String> = files(&dir)
        .into_iter()
        .map(|path| (std::fs::metadata(&path).unwrap().len(), path))
        .filter(|(size, _)| *size > 40_000)
        .map(|(size, path)| format!("{}: {size} bytes", path.display()))
        .collect();
    assert!(found.is_empty(), "files over 40 KB under src/domain/matching:\n{}", found.join("\n"));
}
