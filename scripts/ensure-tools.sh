#!/usr/bin/env bash
# Installs what building and testing looplab needs, skipping whatever is already present.
# Only package registries are used: Debian's apt, crates.io, npm and PyPI. Safe to run again: a second
# run with everything present takes about a second.
#
#   scripts/ensure-tools.sh          # tools for building and running the playground
#   scripts/ensure-tools.sh --test   # plus the browser and its driver for end-to-end tests, and nginx
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130 # must equal the `wasm-bindgen` pin in frontend/Cargo.toml
TRUNK_VERSION=0.21.14        # 0.22 needs a newer rustc than these machines can have
BINARYEN_VERSION=132         # must equal `wasm_opt` in Trunk.toml
FASTAPI_VERSION=0.115.0      # the CPython oracle serves the web programs with these
UVICORN_VERSION=0.32.0
# wasm-opt from npm's binaryen package (a build that runs on node): Debian's binaryen is too
# old to read what rustc emits, and Trunk must not download its own. scripts/build-ui.sh puts
# this folder's bin/ on PATH.
BINARYEN_DIR="$HOME/.local/lib/looplab-binaryen"
# axe-core, the accessibility checker the browser tests inject into the page (never shipped
# in it). backend/tests/browser/a11y.rs reads it from this folder.
AXE_VERSION=4.14.1
AXE_DIR="$HOME/.local/lib/looplab-axe"

want_browser=false
[[ "${1:-}" == "--test" ]] && want_browser=true

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

sudo_if_needed() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    if ! $apt_updated; then
        log "apt-get update"
        sudo_if_needed apt-get update -qq
        apt_updated=true
    fi
    log "apt-get install ${missing[*]}"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Debian's rustc-web (with its std sources) compiles the frontend to wasm32, because rustup here
# cannot download the wasm32 standard library. lld-22 provides the rust-lld that it links with.
apt_install rustc-web cargo-web rust-web-src lld-22 pkg-config
# brotli compresses the page's files once, at build time (scripts/build-ui.sh).
apt_install brotli
# npm installs wasm-opt below; a machine with node from elsewhere already has it.
command -v npm >/dev/null 2>&1 || apt_install npm
# The browser and its driver for end-to-end tests; g++ builds libFuzzer for scripts/fuzz.sh.
$want_browser && apt_install chromium chromium-driver g++
# nginx in front of two replicas for the reverse-proxy tests (their own config and prefix in a
# temporary folder: Debian's service is not used), and openssl to make their certificate.
$want_browser && apt_install nginx openssl

export PATH="$HOME/.cargo/bin:$PATH"

have_version() { # have_version BIN VERSION: BIN exists and prints VERSION in its --version
    command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file names a crate version the registry here does not serve.
    cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! have_version trunk "$TRUNK_VERSION"; then
    log "cargo install trunk $TRUNK_VERSION (10-20 minutes, once)"
    # --locked: without it a newer lightningcss is chosen that does not compile.
    cargo install --quiet --force --locked trunk --version "$TRUNK_VERSION"
fi

wasm_opt="$BINARYEN_DIR/node_modules/binaryen/bin/wasm-opt"
if ! { [[ -x "$wasm_opt" ]] && "$wasm_opt" --version 2>/dev/null | grep -qF "version $BINARYEN_VERSION"; }; then
    log "npm install binaryen@$BINARYEN_VERSION (wasm-opt, once)"
    mkdir -p "$BINARYEN_DIR"
    npm install --silent --no-audit --no-fund --prefix "$BINARYEN_DIR" "binaryen@$BINARYEN_VERSION.0.0"
fi

if $want_browser; then
    axe="$AXE_DIR/node_modules/axe-core"
    if ! { [[ -f "$axe/axe.min.js" ]] && grep -qF "\"version\": \"$AXE_VERSION\"" "$axe/package.json"; }; then
        log "npm install axe-core@$AXE_VERSION (accessibility checks, once)"
        mkdir -p "$AXE_DIR"
        npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION"
    fi
fi

# CPython for the differential tests, with FastAPI and uvicorn for the web programs, in a
# virtual environment of the checkout's own.
if $want_browser; then
    oracle="$(cd "$(dirname "$0")/.." && pwd)/.oracle-venv"
    if ! "$oracle/bin/python3" -c "import fastapi, uvicorn" 2>/dev/null; then
        command -v python3 >/dev/null 2>&1 || apt_install python3
        python3 -m venv "$oracle" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$oracle"; }
        log "pip install fastapi $FASTAPI_VERSION uvicorn $UVICORN_VERSION (the CPython oracle's web server, once)"
        "$oracle/bin/pip" install --quiet --disable-pip-version-check \
            "fastapi==$FASTAPI_VERSION" "uvicorn==$UVICORN_VERSION"
    fi
fi

log "tools ready"
