#!/usr/bin/env bash
# Installs the peers and builds everything the benchmarks run, all under bench/.work
# (git-ignored). Idempotent: skips what is already there.
#   hyperfine            apt
#   drizzle-kit          npm (drizzle-kit drizzle-orm pg) into bench/.work/node
#   sqlx-cli 0.9.0       cargo install into bench/.work/sqlx
#   cargo-schema         release build into bench/.work/target
#   syn-floor, apply-runner   release builds (bench crates, own workspaces)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
WORK=$BENCH/.work
mkdir -p "$WORK"
log() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null; then
  log "apt-get install hyperfine"
  DEBIAN_FRONTEND=noninteractive apt-get install -y hyperfine >/dev/null
fi
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y sqlite3 >/dev/null
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null

if [ ! -x "$WORK/node/node_modules/.bin/drizzle-kit" ]; then
  log "npm install drizzle-kit drizzle-orm pg"
  mkdir -p "$WORK/node"
  (cd "$WORK/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
     && npm install --no-audit --no-fund drizzle-kit drizzle-orm pg >/dev/null)
fi

if [ ! -x "$WORK/sqlx/bin/sqlx" ]; then
  log "cargo install sqlx-cli (takes ~2-4 min)"
  CARGO_TARGET_DIR=$WORK/sqlx-target cargo install --locked --quiet sqlx-cli@0.9.0 \
    --no-default-features --features postgres,sqlite,rustls --root "$WORK/sqlx"
fi

log "build cargo-schema (release)"
CARGO_TARGET_DIR=$WORK/target cargo build --quiet --release -p cargo-schema --manifest-path "$ROOT/Cargo.toml"
log "build syn-floor and apply-runner (release)"
CARGO_TARGET_DIR=$WORK/syn-floor-target cargo build --quiet --release --manifest-path "$BENCH/syn-floor/Cargo.toml"
cp -n "$ROOT/Cargo.lock" "$BENCH/apply-runner/Cargo.lock" 2>/dev/null || true
CARGO_TARGET_DIR=$WORK/target cargo build --quiet --release --manifest-path "$BENCH/apply-runner/Cargo.toml"
log "done"
