//! mutua: local authorities post IT needs; identical needs are pooled, funded together,
//! procured once by the central purchasing office and published as free software.
//!
//! Layers, from the outside in: `routes` (HTTP) → `service` (one transaction per use case)
//! → `db` (diesel, SQLite or PostgreSQL) and `domain` (pure rules). See docs/ARCHITECTURE.md.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod app_data;
pub mod auth;
pub mod bootstrap;
pub mod cache;
pub mod client_address;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod idempotency;
pub mod mail;
pub mod metrics;
pub mod ocds;
pub mod ratelimit;
pub mod resource;
pub mod routes;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;

pub use startup::Application;
