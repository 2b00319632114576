//! The walk-through of docs/API.md, run verbatim: the fenced blocks marked
//! ```` ```sh walkthrough ```` are joined in order into one script, run with
//! `bash -euo pipefail` against `mutua serve` (the real binary, on a fresh database) with
//! `BASE_URL`, `OFFICER_EMAIL` and `OFFICER_PASSWORD` set, as a reader would. Then the final
//! state the document describes is checked through the API and in the emails written.

use std::{
    collections::BTreeMap,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp},
    process::{FreshServer, Mail, run_with_timeout, tool_or_skip},
};

/// The opening line of a block that the test runs.
const MARK: &str = "```sh walkthrough";

/// The blocks marked [`MARK`], in order, without their fences.
fn walkthrough_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == MARK => current = Some(Vec::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.push(current.take().unwrap().join("\n")),
            Some(lines) => lines.push(line),
        }
    }
    assert!(current.is_none(), "docs/API.md: a walkthrough block is not closed");
    blocks
}

#[test]
fn blocks_are_extracted_in_order_and_other_blocks_are_left_out() {
    let markdown = "text\n```sh walkthrough\na=1\n```\n```sh\nnot run\n```\n```json\n{}\n```\n```sh walkthrough\necho $a\nb\n```\n";
    assert_eq!(walkthrough_blocks(markdown), ["a=1", "echo $a\nb"]);
}

/// The `.eml` files of `dir`, once `count` are there (the worker sends them just after the
/// change), plus a moment to catch any extra one.
fn emails(dir: &Path, count: usize) -> Vec<Mail> {
    let read = || -> Vec<Mail> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .map(|p| Mail::parse(&std::fs::read(p).unwrap()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while read().len() < count && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1_000));
    read()
}

#[tokio::test]
async fn the_api_walkthrough_runs_verbatim_and_ends_with_an_approved_pool() {
    if !tool_or_skip("jq", "apt-get install jq") || !tool_or_skip("curl", "apt-get install curl") {
        return;
    }
    let markdown = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/API.md")).unwrap();
    let blocks = walkthrough_blocks(&markdown);
    assert!(blocks.len() >= 8, "docs/API.md has {} walkthrough blocks", blocks.len());

    let fresh = FreshServer::start();
    let (server, outbox) = (&fresh.server, &fresh.outbox);

    let work = tempfile::tempdir().unwrap();
    let script = work.path().join("walkthrough.sh");
    std::fs::write(&script, blocks.join("\n\n")).unwrap();
    // A clean environment, as a reader's shell with only these three set: no proxy, no
    // ~/.curlrc.
    let finished = run_with_timeout(
        Command::new("bash")
            .args(["-euo", "pipefail"])
            .arg(&script)
            .current_dir(work.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BASE_URL", server.address())
            .env("OFFICER_EMAIL", OFFICER_EMAIL)
            .env("OFFICER_PASSWORD", PASSWORD),
        Duration::from_secs(120),
        work.path(),
    );
    assert!(
        finished.success,
        "the walkthrough of docs/API.md failed\n--- stdout\n{}\n--- stderr\n{}",
        finished.stdout, finished.stderr
    );
    assert!(finished.stdout.contains("idempotent-replayed: true"), "{}", finished.stdout);

    // The state the document ends with: one pool, both needs in it, funded by both
    // pledges, both confirmed by their councils, and approved; each commune pays its share
    // of the 40 000 € estimate.
    let app = TestApp::remote(server.address()).await;
    let pools: Value = app.get("/api/v1/pools", &app.officer_token).await.json().await.unwrap();
    assert_eq!(pools["total"], 1, "{pools}");
    let pool = &pools["items"][0];
    assert_eq!(pool["state"], "approved", "{pool}");
    assert_eq!(pool["needs_count"], 2);
    assert_eq!(pool["target_cents"], 4_000_000);
    assert_eq!(pool["pledged_cents"], 5_000_000);
    let shares: Vec<(&str, i64, i64)> = pool["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["name"].as_str().unwrap(), p["pledged_cents"].as_i64().unwrap(), p["share_cents"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(shares, [("Commune de Namur", 3_000_000, 2_400_000), ("Commune de Ciney", 2_000_000, 1_600_000)]);
    let pool_id = pool["id"].as_i64().unwrap();
    assert_eq!(
        app.event_types(pool_id).await,
        [
            "pool.created",
            "need.posted",
            "need.posted",
            "pledge.set",
            "pledge.set",
            "pool.funded",
            "pledge.confirmed",
            "pledge.confirmed",
            "pool.approved"
        ]
    );

    // The emails the document announces: funded to both members and the officer, approved
    // to both members.
    let mut sent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for mail in emails(outbox.path(), 5) {
        sent.entry(mail.event).or_default().push(mail.to);
    }
    sent.values_mut().for_each(|to| to.sort());
    let expected: BTreeMap<String, Vec<String>> = [
        ("pool.approved", vec!["luc.martin@ciney.example", "marie.dupont@namur.example"]),
        ("pool.funded", vec!["luc.martin@ciney.example", "marie.dupont@namur.example", OFFICER_EMAIL]),
    ]
    .into_iter()
    .map(|(event, to)| (event.to_owned(), to.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(sent, expected);
}
