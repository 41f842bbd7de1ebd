#!/usr/bin/env bash
# Runs every test: formatting and lints, the native unit and integration tests, and the
# end-to-end tests in headless Chromium against the real server. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-tools.sh --test
scripts/build-ui.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
cargo clippy --workspace --all-targets --features looplab-backend/browser-tests -- -D warnings
CARGO_TARGET_DIR=.fuzz-target cargo clippy --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings
cargo test --workspace --exclude looplab-backend
# The Python reader is behind a feature the page does not carry: test it with it on.
cargo test -p looplab-shared --features parse
# Ten seconds of coverage-guided fuzzing a target; longer runs are in docs/RELIABILITY.md.
scripts/fuzz.sh --seconds 10
cargo test -p looplab-backend --features browser-tests --lib --bins --test it
# CPython as the oracle: every preset and every program of tests/python/ run by python3 and
# by looplab, their consoles and times compared.
cargo test -p looplab-backend --features browser-tests --test cpython
# Each browser test starts its own Chromium: two at a time keep a two-core machine's timings
# honest for the runs they watch.
cargo test -p looplab-backend --features browser-tests --test browser -- --test-threads=2

# Every run kills its whole process group, every browser test its browser and every proxy
# test its nginx: after the suite none of those processes may remain. A browser's renderers
# leave by themselves once the browser is gone, a moment later: look again for up to ten
# seconds before failing.
pattern='looplab __(runner|worker)|chromium.*--test-type=webdriver|nginx: master process .*looplab-nginx-'
for _ in $(seq 100); do
    pgrep -f "$pattern" >/dev/null || break
    sleep 0.1
done
if leftovers=$(pgrep -af "$pattern"); then
    echo "processes of looplab runs, browser tests or proxy tests outlived the tests:" >&2
    echo "$leftovers" >&2
    exit 1
fi
echo "no looplab run, test browser or test nginx left behind"
