#!/usr/bin/env bash
# Builds the page into dist/ with Trunk, with a brotli and a gzip copy of each wasm, js and css
# file. The frontend is compiled by Debian's rustc-web, which
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

# Trunk builds into a stage of its own; dist/ then takes only the files whose bytes changed.
# The server compiles dist/ into its binary (backend/build.rs watches it), so a page built
# again unchanged leaves the backend as it was instead of recompiling it and every test.
stage="$CARGO_TARGET_DIR/page"
# No --offline: it would reach cargo too, and building std fetches its dependencies once.
# Trunk downloads no tool: Trunk.toml pins the wasm-bindgen on PATH, and wasm-opt is off.
trunk build --release --dist "$stage" "$@"
mkdir -p dist
changed=()
for built in "$stage"/*; do
    file="dist/${built##*/}"
    if ! cmp -s "$built" "$file"; then
        cp "$built" "$file"
        changed+=("$file")
    fi
done
for file in dist/*; do
    name="${file##*/}"
    [[ -e "$stage/${name%.gz}" || -e "$stage/${name%.br}" ]] || rm -f "$file"
done
# Precompressed copies, which the server sends to browsers that accept them: brotli (Debian's
# brotli, see ensure-tools.sh) and gzip, made again only for files that changed.
for file in dist/*.wasm dist/*.js dist/*.css; do
    fresh=false
    for c in "${changed[@]}"; do [[ "$c" == "$file" ]] && fresh=true; done
    if $fresh || [[ ! -e "$file.gz" ]]; then gzip -9 -k -f "$file"; fi
    if command -v brotli >/dev/null && { $fresh || [[ ! -e "$file.br" ]]; }; then
        brotli -q 11 -k -f "$file"
    fi
done
