#!/usr/bin/env bash
# Performance, measured against the machine's own ceilings in one run:
#   bash scripts/bench.sh            # SQLite and PostgreSQL
#   BACKENDS=sqlite bash scripts/bench.sh
# Builds the release binary, installs wrk if missing, prints one table and writes it to
# docs/PERFORMANCE.md. PostgreSQL is reached at MUTUA_BENCH_PG (default the local server).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked --quiet
exec python3 scripts/bench/run.py "$@"
