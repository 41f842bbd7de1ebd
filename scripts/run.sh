#!/usr/bin/env bash
# Runs the playground: installs what is missing, builds the page, starts one server.
# Arguments go to `looplab` (try --help): scripts/run.sh --port 9000
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-tools.sh
scripts/build-ui.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release --quiet -p looplab-backend --bin looplab -- "$@"
