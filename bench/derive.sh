#!/usr/bin/env bash
# Benchmark 3: compile cost of the derive. A crate of S structs x 10 fields (plus one enum per
# 10 structs), four ways: no derive, #[derive(Table)] (+ Enum), #[derive(sqlx::FromRow)]
# (+ sqlx::Type), #[derive(Serialize, Deserialize)]. Each crate has its own target dir and is
# built once; then incremental `cargo check` after touching src/lib.rs is timed.
# Usage: bench/derive.sh [S]  (default 200). Env: ROUNDS (3), RUNS (5), WARMUP (1).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
S=${1:-200}
KINDS=(none table fromrow serde)
D=$WORK/derive
mkdir -p "$D"
declare -A LABEL=(
  [none]="no derive"
  [table]="#[derive(Table)]"
  [fromrow]="#[derive(sqlx::FromRow)]"
  [serde]="#[derive(Serialize, Deserialize)]"
)
# The Table crate builds against a snapshot of the workspace sources taken now, so edits made
# elsewhere in the checkout while the benchmark runs cannot trigger rebuilds inside timed runs.
SNAP=$D/src-snapshot
rm -rf "$SNAP"; mkdir -p "$SNAP"
(cd "$ROOT" && cp -r Cargo.toml Cargo.lock schema-core schema-macros schema-runtime cargo-schema tests examples "$SNAP/")
find "$SNAP" -name target -type d -prune -exec rm -rf {} +
args=()
for k in "${KINDS[@]}"; do
  c=$D/$k-$S
  # Keep the target dir (deps built once); rewrite only the sources.
  rm -rf "$c/src"
  python3 "$BENCH/gen_schema.py" "$S" "$c.gen" --derive "$k" --runtime "$SNAP/schema-runtime" >/dev/null
  mkdir -p "$c"; cp -r "$c.gen/rust/." "$c/"; rm -rf "$c.gen"
  log "$k: building once (dependencies)"
  CARGO_TARGET_DIR=$c/target cargo check --quiet --manifest-path "$c/Cargo.toml" >&2
  CARGO_TARGET_DIR=$c/target cargo check --quiet --offline --manifest-path "$c/Cargo.toml" >&2
  args+=(-n "${LABEL[$k]}" --prepare "touch $c/src/lib.rs"
    "env CARGO_TARGET_DIR=$c/target cargo check --quiet --offline --manifest-path $c/Cargo.toml")
done
hf "derive-$S" "${RUNS:-5}" "${WARMUP:-1}" -- "${args[@]}"
