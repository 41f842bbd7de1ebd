#!/usr/bin/env bash
# Runs every test: formatting and lints, the native unit and integration tests, and the
# end-to-end tests in headless Chromium against the real server. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-tools.sh --test
scripts/build-ui.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --features looplab-backend/browser-tests -- -D warnings
cargo test --workspace --features looplab-backend/browser-tests
