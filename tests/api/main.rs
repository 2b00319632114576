//! Black-box tests of mutua over HTTP, one binary. Each test spawns its own app on port 0
//! with its own database (see `helpers`).

mod abuse;
mod architecture;
mod auth;
mod authorization;
mod browser;
mod cache;
mod concurrency;
mod council;
mod duplicates;
mod durability;
mod errors;
mod faults;
mod funding;
mod health;
mod helpers;
mod idempotency;
mod lifecycle;
mod mail;
mod maintenance;
mod matching;
mod matching_eval;
mod metrics;
mod needs;
mod ocds;
mod ocds_tools;
mod openapi_examples;
mod organisations;
mod process;
mod security;
mod walkthrough;
mod web;
mod web_browser;
mod web_cache;
mod web_client;
mod web_council;
