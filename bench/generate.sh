#!/usr/bin/env bash
# Benchmark 1: generate. The same synthetic schema of N tables as Rust structs and as a drizzle
# TypeScript schema; times cargo schema generate (from empty), cargo schema verify (nothing to
# do), drizzle-kit generate (from empty, nothing to do) and the floor: syn parsing the same
# Rust files. Usage: bench/generate.sh [N...]   (default: 100 1000 5000)
# Env: ROUNDS (3), RUNS (per round, default 5), WARMUP (1); N>=5000: ROUNDS_BIG (2) x RUNS_BIG (2),
# no warm-up. CS_ALT=path CS_ALT_LABEL=text: also time a second cargo-schema build.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 5000)
for tool in "$CS" "$SYN" "$DRIZZLE"; do
  [ -x "$tool" ] || { echo "missing $tool: run bench/setup.sh" >&2; exit 2; }
done
GEN=$WORK/gen
mkdir -p "$GEN"
# drizzle-kit loads schema.ts, which imports drizzle-orm: resolvable from any parent folder.
ln -sfn "$WORK/node/node_modules" "$GEN/node_modules"

for n in "${SIZES[@]}"; do
  d=$GEN/$n
  log "N=$n: writing the schema (Rust + drizzle)"
  rm -rf "$d"
  python3 "$BENCH/gen_schema.py" "$n" "$d" --derive table
  # Two copies of the Rust package: one generated from empty on every run, one kept at
  # "nothing to do" for verify. Same for drizzle's output folder.
  cp -r "$d/rust" "$d/rust-kept"
  "$CS" schema generate --manifest-path "$d/rust-kept/Cargo.toml" >/dev/null 2>"$d/cs-first.log" \
    || { cat "$d/cs-first.log" >&2; exit 1; }
  "$CS" schema verify --manifest-path "$d/rust-kept/Cargo.toml" >/dev/null 2>"$d/cs-verify.log" \
    || { cat "$d/cs-verify.log" >&2; exit 1; }
  # drizzle-kit runs inside the drizzle folder with relative paths: with an absolute --out it
  # reads the existing snapshots from "./<absolute path>" and fails (printing ENOENT, exit 0).
  (cd "$d/drizzle" && "$DRIZZLE" generate --dialect postgresql --schema ./schema.ts --out ./kept) \
    >"$d/dz-first.log" 2>&1 || { cat "$d/dz-first.log" >&2; exit 1; }
  (cd "$d/drizzle" && "$DRIZZLE" generate --dialect postgresql --schema ./schema.ts --out ./kept) \
    >"$d/dz-second.log" 2>&1 || true
  grep -q 'No schema changes' "$d/dz-second.log" \
    || { echo "drizzle-kit's nothing-to-do run did not say so:" >&2; cat "$d/dz-second.log" >&2; exit 1; }
  items=$("$SYN" "$d/rust/src")
  log "N=$n: cargo-schema wrote $(ls "$d/rust-kept/migrations" | wc -l) files; drizzle $(ls "$d/drizzle/kept" | wc -l) entries; syn saw $items items"

  # N >= 5000: fewer runs and rounds, no warm-up (drizzle-kit takes ~10-20 s per run there).
  # Same schema? Apply both tools' SQL to scratch PostgreSQL databases and compare what exists.
  if [ "$n" -le 1000 ] && psql -X -q -c 'select 1' >/dev/null 2>&1; then
    q="select (select count(*) from pg_tables where schemaname='public')||' tables, '||(select count(*) from information_schema.columns where table_schema='public')||' columns, '||(select count(*) from pg_indexes where schemaname='public')||' indexes, '||(select count(*) from pg_constraint where contype='f')||' foreign keys, '||(select count(*) from pg_type where typtype='e')||' enums'"
    got=()
    for w in cs dz; do
      db=bench_gen_eq_$$_$w; dropdb --if-exists "$db" 2>/dev/null; createdb "$db"
      if [ $w = cs ]; then cat "$d"/rust-kept/migrations/0001_*.up.sql; else sed 's/--> statement-breakpoint//' "$d"/drizzle/kept/0000_*.sql; fi \
        | psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
      got+=("$(psql -X -At -d "$db" -c "$q")"); dropdb "$db"
    done
    log "N=$n: applied to PostgreSQL: cargo-schema: ${got[0]}; drizzle-kit: ${got[1]}"
    [ "${got[0]}" = "${got[1]}" ] || { echo "the two schemas differ" >&2; exit 1; }
  fi

  runs=${RUNS:-5} rounds=$ROUNDS warm=${WARMUP:-1}
  if [ "$n" -ge 5000 ]; then runs=${RUNS_BIG:-2} rounds=${ROUNDS_BIG:-2} warm=0; fi
  CS_GEN="$CS schema generate --manifest-path $d/rust/Cargo.toml"
  CS_VER="$CS schema verify --manifest-path $d/rust-kept/Cargo.toml"
  DZ_GEN="$DRIZZLE generate --dialect postgresql --schema ./schema.ts --out ./out"
  DZ_NOP="$DRIZZLE generate --dialect postgresql --schema ./schema.ts --out ./kept"
  FLOOR="$SYN $d/rust/src"
  EMPTY_CS="rm -rf $d/rust/migrations"
  EMPTY_DZ="rm -rf $d/drizzle/out"
  log "N=$n: timing ($rounds rounds x $runs runs)"
  args=(
    -n "cargo schema generate (from empty)" --prepare "$EMPTY_CS" "$CS_GEN"
    -n "cargo schema verify (nothing to do)" --prepare "true" "$CS_VER"
    -n "drizzle-kit generate (from empty)" --prepare "$EMPTY_DZ" "$DZ_GEN"
    -n "drizzle-kit generate (nothing to do)" --prepare "true" "$DZ_NOP"
    -n "floor: syn parse of the same files" --prepare "true" "$FLOOR"
  )
  # A second cargo-schema build (e.g. with a proposed fix, see BENCHMARKS.md), if given.
  if [ -n "${CS_ALT:-}" ]; then
    args+=(-n "cargo schema generate (from empty) [${CS_ALT_LABEL:-alt}]" --prepare "$EMPTY_CS"
      "$CS_ALT schema generate --manifest-path $d/rust/Cargo.toml")
  fi
  # hyperfine runs in the drizzle folder (drizzle-kit's relative paths); the rest is absolute.
  (cd "$d/drizzle" && ROUNDS=$rounds hf "generate-$n" "$runs" "$warm" -- "${args[@]}")

  log "N=$n: peak memory"
  peak_rss "generate-$n" "cargo schema generate (from empty)" "$EMPTY_CS" -- $CS_GEN
  peak_rss "generate-$n" "cargo schema verify (nothing to do)" "" -- $CS_VER
  (cd "$d/drizzle" && peak_rss "generate-$n" "drizzle-kit generate (from empty)" "$EMPTY_DZ" -- $DZ_GEN)
  (cd "$d/drizzle" && peak_rss "generate-$n" "drizzle-kit generate (nothing to do)" "" -- $DZ_NOP)
  peak_rss "generate-$n" "floor: syn parse of the same files" "" -- $FLOOR
  if [ -n "${CS_ALT:-}" ]; then
    peak_rss "generate-$n" "cargo schema generate (from empty) [${CS_ALT_LABEL:-alt}]" "$EMPTY_CS" -- \
      $CS_ALT schema generate --manifest-path $d/rust/Cargo.toml
  fi
done
