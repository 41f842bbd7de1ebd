#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of everything looplab parses from strangers:
# scenarios, share links, client messages and Python programs. See docs/RELIABILITY.md.
#
#   scripts/fuzz.sh                    each target for 10 s (what scripts/test.sh runs)
#   scripts/fuzz.sh --seconds 300      each target for five minutes
#   scripts/fuzz.sh --runs 1000000     each target for a million executions
#   scripts/fuzz.sh --runs 1000000 link    one target
#
# A failing input is saved under fuzz/artifacts/TARGET/ and the script fails; replay it with
#   .fuzz-target/x86_64-unknown-linux-gnu/release/TARGET fuzz/artifacts/TARGET/crash-...
# The corpus grows in .fuzz-corpus/ across runs and starts from the presets.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=(-max_total_time=10)
targets=()
while (($#)); do
    case "$1" in
        --seconds) limit=(-max_total_time="$2"); shift 2 ;;
        --runs) limit=(-runs="$2"); shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
((${#targets[@]})) || targets=(scenario link client_msg python)

host=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR="$PWD/.fuzz-target"
# The flags cargo-fuzz uses for libFuzzer's coverage, all stable. Passing --target keeps them
# off build scripts and proc macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
targets_bins=("${targets[@]/#/--bin=}")
cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target "$host" "${targets_bins[@]}"
bin="$CARGO_TARGET_DIR/$host/release"

corpus=.fuzz-corpus
seeds="$corpus/seeds"
# The seed writer is a plain program: without --target and the coverage flags.
RUSTFLAGS='' cargo run --quiet --release --manifest-path fuzz/Cargo.toml --bin seeds -- "$seeds"
for t in "${targets[@]}"; do
    mkdir -p "$corpus/$t" "fuzz/artifacts/$t"
    dict="$seeds/json.dict"
    [[ $t == python ]] && dict="$seeds/python.dict"
    echo "fuzz $t: ${limit[*]}"
    # The last lines say how many executions ran and at what rate.
    "$bin/$t" "$corpus/$t" "$seeds/$t" -dict="$dict" "${limit[@]}" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="fuzz/artifacts/$t/" 2>"$corpus/$t.log" \
        || { tail -40 "$corpus/$t.log" >&2; echo "fuzz $t: FAILED, input in fuzz/artifacts/$t/" >&2; exit 1; }
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$corpus/$t.log" | sed 's/^/  /'
done
