#!/usr/bin/env bash
# Benchmark: `cargo schema erd` on synthetic schemas of N tables (default: 100 1000), in every
# format, from a committed snapshot (the synthetic schema of schema-erd's tests: hub tables,
# chains, nullable and unique keys, self references, join tables, N/10 enums).
# Usage: bench/erd.sh [N...]   Env: RUNS (default 5), WARMUP (1).
# Needs cargo, python3 and hyperfine (`apt-get install hyperfine`); builds what it runs.
# Prints, per N and format, the wall time and the CPU time (user + system) per run: on a
# machine shared with other work the CPU time is the steadier number.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000)
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
command -v hyperfine >/dev/null || { echo "hyperfine is required: apt-get install hyperfine" >&2; exit 2; }

log "build cargo-schema and the snapshot writer (release)"
CARGO_TARGET_DIR=$WORK/target cargo build --quiet --release -p cargo-schema --manifest-path "$ROOT/Cargo.toml"
CARGO_TARGET_DIR=$WORK/target cargo build --quiet --release -p schema-erd --example synthetic_snapshot \
  --manifest-path "$ROOT/Cargo.toml"
WRITE=$WORK/target/release/examples/synthetic_snapshot

GEN=$WORK/erd
for n in "${SIZES[@]}"; do
  d=$GEN/$n
  rm -rf "$d"; mkdir -p "$d/src" "$d/migrations" "$d/out"
  printf '[package]\nname = "erd-bench"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[package.metadata.schema]\ndialect = "postgres"\nmigrations = "migrations"\n' > "$d/Cargo.toml"
  : > "$d/src/lib.rs"
  "$WRITE" "$n" > "$d/migrations/schema.snapshot.json"
  cmds=()
  for f in mermaid dot svg html; do
    cmds+=(-n "N=$n $f" "$CS schema erd --manifest-path $d/Cargo.toml --format $f --out $d/out/erd.$f")
  done
  log "N=$n: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(len(s["tables"]), "tables,", sum(len(t.get("foreign_keys", [])) for t in s["tables"].values()), "foreign keys,", len(s["enums"]), "enums")' "$d/migrations/schema.snapshot.json")"
  hyperfine -N --style basic --runs "$RUNS" --warmup "$WARMUP" \
    --export-json "$RESULTS/erd-$n.json" "${cmds[@]}" >&2
  ls -l "$d/out" >&2
done

python3 - "$RESULTS" "${SIZES[@]}" <<'PY'
import json, sys
results, sizes = sys.argv[1], sys.argv[2:]
print(f"{'command':<16} {'wall mean':>10} {'wall min':>9} {'cpu mean':>9}")
for n in sizes:
    for r in json.load(open(f"{results}/erd-{n}.json"))["results"]:
        cpu = r["user"] + r["system"]
        print(f"{r['command']:<16} {r['mean']:>9.3f}s {r['min']:>8.3f}s {cpu:>8.3f}s")
PY
