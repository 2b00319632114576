//! Black-box tests of mutua over HTTP, one binary. Each test spawns its own app on port 0
//! with its own database (see `helpers`).

mod auth;
mod errors;
mod health;
mod helpers;
mod organisations;
