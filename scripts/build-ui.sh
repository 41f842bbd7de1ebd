#!/usr/bin/env bash
# Builds the page into dist/ with Trunk. The frontend is compiled by Debian's rustc-web, which
# can build the wasm32 standard library from source, in its own target directory so that it
# and rustup's compiler never invalidate each other's artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."

# wasm-opt (npm's binaryen, see ensure-tools.sh) first, where Trunk looks for it.
export PATH="$HOME/.local/lib/looplab-binaryen/node_modules/binaryen/bin:/usr/bin:$PATH:$HOME/.cargo/bin"
export RUSTC_BOOTSTRAP=1                      # -Zbuild-std on a stable compiler
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_DIR="$PWD/.wasm-target"
export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"

# No --offline: it would reach cargo too, and building std fetches its dependencies once.
# Trunk downloads no tool: Trunk.toml pins the wasm-bindgen on PATH, and wasm-opt is off.
trunk build --release "$@"
# Precompressed copies, which the server sends to browsers that accept gzip.
gzip -9 -k -f dist/*.wasm dist/*.js dist/*.css
