//! The docs page in a real browser: Swagger UI builds the list of operations with
//! JavaScript from `/api/openapi.json`, so only a browser shows whether it works.
//!
//! Debian's headless Chromium with `--dump-dom` prints the page once loaded; without
//! `--virtual-time-budget` it prints it before Swagger UI has fetched and rendered the
//! document (no operation at all). The budget lets the page's timers and fetches run, in
//! virtual time, until the page is idle or the budget is spent.

use std::{process::Command, time::Duration};

use crate::process::{FreshServer, run_with_timeout, tool_or_skip};

const CHROMIUM: &str = "chromium";

#[tokio::test]
async fn the_docs_page_lists_the_operations_in_a_headless_browser() {
    if !tool_or_skip(CHROMIUM, "apt-get install chromium") {
        return;
    }
    let fresh = FreshServer::start();
    let server = &fresh.server;

    let work = tempfile::tempdir().unwrap();
    let profile = work.path().join("profile");
    let finished = run_with_timeout(
        Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("{}/docs/", server.address())),
        Duration::from_secs(120),
        work.path(),
    );
    assert!(finished.success, "chromium failed\n--- stderr\n{}", finished.stderr);
    let dom = finished.stdout;
    // Swagger UI writes each operation's path in a `data-path` attribute (the visible text
    // has <wbr> between segments) and its summary, the first paragraph of the handler's
    // doc comment, as text.
    let expected = [
        r#"data-path="/api/v1/auth/login""#,
        r#"data-path="/api/v1/needs""#,
        r#"data-path="/api/v1/needs/{id}/move""#,
        r#"data-path="/api/v1/pools/{id}/pledge""#,
        r#"data-path="/api/v1/pools/{id}/approve""#,
        r#"data-path="/api/v1/ocds/releases""#,
        "Exchanges an email and password for an access token.",
        "Posts a need.",
        "Approves a funded pool. No body.",
        "Every release of every pool, one per change",
    ];
    let absent: Vec<&str> = expected.iter().copied().filter(|needle| !dom.contains(needle)).collect();
    assert!(
        absent.is_empty(),
        "the docs page does not show {absent:?}\n--- page ({} bytes, start)\n{}\n--- stderr\n{}",
        dom.len(),
        dom.chars().take(3_000).collect::<String>(),
        finished.stderr
    );
    // Every operation of the document is listed, once per method.
    assert!(dom.matches("data-path=\"/api/v1/").count() >= 30, "{} operations", dom.matches("data-path=").count());
}
