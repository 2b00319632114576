//! The shape of the code, checked: where transactions begin, what `db` may import, where
//! backend-specific SQL, string comparisons of states and event types written as strings
//! may live, who reads `AppState`, that nothing below the handlers imports them and that
//! the API (`routes`) and the pages (`web`) do not import each other (docs/ARCHITECTURE.md).
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

/// The files that hold the request handlers' state or wire the application: only they may
/// name `AppState`, `crate::routes`, `crate::web` or `crate::state`.
fn is_top_layer(file: &str) -> bool {
    file.starts_with("src/routes/")
        || file.starts_with("src/web/")
        || ["src/startup.rs", "src/state.rs", "src/main.rs", "src/lib.rs"].contains(&file)
}

/// The modules of the crate a file names: every `crate::a::…` path, and the first segment
/// of each item of a `use crate::{a, b::…};` group (statements read whole, across lines).
fn crate_modules_named(file: &str) -> Vec<(usize, String)> {
    let lines = code_lines(|f| f == file);
    let mut named = Vec::new();
    for (_, number, line) in &lines {
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let module: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !module.is_empty() {
                named.push((*number, module));
            }
        }
    }
    let text: String = lines.iter().map(|(_, _, line)| format!("{line}\n")).collect();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("use crate::{") {
        let group = &rest[at + "use crate::{".len()..];
        let end = group.find("};").unwrap_or(group.len());
        let first_line = lines[text[..text.len() - rest.len() + at].matches('\n').count()].1;
        let mut depth = 0;
        let mut item = String::new();
        for c in group[..end].chars().chain([',']) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    let module: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !module.is_empty() {
                        named.push((first_line, module));
                    }
                    item.clear();
                    continue;
                }
                _ => {}
            }
            if depth == 0 {
                item.push(c);
            }
        }
        rest = &group[end..];
    }
    named
}

fn all_files() -> Vec<String> {
    let mut files: Vec<String> = code_lines(|_| true).into_iter().map(|(file, _, _)| file).collect();
    files.dedup();
    files
}

#[test]
fn app_state_is_read_only_by_the_handlers_and_the_wiring() {
    let found = offending(&code_lines(|f| !is_top_layer(f) || f == "src/lib.rs"), &["AppState"]);
    assert!(found.is_empty(), "AppState outside routes, web, startup, state and main:\n{}", found.join("\n"));
}

#[test]
fn nothing_below_the_handlers_imports_them() {
    let found: Vec<String> = all_files()
        .into_iter()
        .filter(|file| !is_top_layer(file))
        .flat_map(|file| {
            crate_modules_named(&file)
                .into_iter()
                .filter(|(_, module)| ["routes", "web", "state", "startup"].contains(&module.as_str()))
                .map(move |(line, module)| format!("{file}:{line}: crate::{module}"))
        })
        .collect();
    assert!(found.is_empty(), "a lower layer imports routes, web, state or startup:\n{}", found.join("\n"));
}

#[test]
fn routes_and_pages_do_not_import_each_other() {
    let mut found = Vec::new();
    for file in all_files() {
        let other = if file.starts_with("src/routes/") {
            "web"
        } else if file.starts_with("src/web/") {
            "routes"
        } else {
            continue;
        };
        for (line, module) in crate_modules_named(&file) {
            if module == other {
                found.push(format!("{file}:{line}: crate::{module}"));
            }
        }
    }
    assert!(found.is_empty(), "routes and web import each other:\n{}", found.join("\n"));
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
