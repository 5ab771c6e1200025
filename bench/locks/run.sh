#!/usr/bin/env bash
# Lock benchmark (issue 6): the longest write stall while a schema change runs on PostgreSQL,
# for the SQL drizzle-kit emits (naive) and for the migration cargo-schema generates.
#
# usage: bench/locks/run.sh [CASE...]      (default: all seven cases)
# env:   ROWS (1000000) PARENTS (1000) WRITERS (4 pgbench connections) RATE (400 writes/s in all)
#        WARM (2 s of load before the migration) TAIL (1 s after) REPEAT (3 runs of each variant,
#        alternating naive and generated) PGHOST/PGPORT/PGUSER
#        CS (a cargo-schema binary; default: built from `git archive HEAD` into bench/.work/locks-target)
#
# For each case: bench/locks/fixture/src/lib.rs (before) and fixture/cases/CASE.rs (after) go
# through `cargo schema generate` (0001 baseline, 0002 the change); fixture/drizzle/{before,CASE}.ts
# go through `drizzle-kit generate` (its second file is the naive SQL; without drizzle-kit,
# bench/locks/naive/CASE.sql, recorded from drizzle-kit 0.31, is used). One base database holds
# the baseline (applied by `cargo schema migrate`) and ROWS rows; every run copies it
# (CREATE DATABASE ... TEMPLATE), starts pgbench (WRITERS connections, RATE writes/s: updates
# and inserts on items, updates on parents; per-write latency log), runs the migration, stops the
# load and computes the stall with stall.py. The naive SQL runs in one transaction with psql (as
# drizzle's migrator runs it); the generated one with `cargo schema migrate`, the runtime, which
# honours `-- schema:no-transaction`. Results: bench/.work/locks/results.{jsonl,md}.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$ROOT/bench/.work/locks
ROWS=${ROWS:-1000000} PARENTS=${PARENTS:-1000} WRITERS=${WRITERS:-4} RATE=${RATE:-400}
WARM=${WARM:-2} TAIL=${TAIL:-1} REPEAT=${REPEAT:-3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
unset DATABASE_URL PGDATABASE
export NO_COLOR=1 CARGO_TERM_COLOR=never
ALL=(add_index add_unique add_foreign_key add_not_null_column_default set_not_null widen_varchar varchar_to_text lock_queue)
# lock_queue: the add_not_null_column_default change while another session has read items in a
# transaction it keeps open for HOLD seconds: the migration's ACCESS EXCLUSIVE request waits,
# and every write queues behind it (what lock_timeout bounds).
HOLD=${HOLD:-4}
CASES=("$@"); [ ${#CASES[@]} -gt 0 ] || CASES=("${ALL[@]}")
DRIZZLE=$ROOT/bench/.work/node/node_modules/.bin/drizzle-kit
log() { printf '[locks %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
url() { echo "postgres://$PGUSER@$PGHOST:$PGPORT/$1"; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

for c in "${CASES[@]}"; do
  [ -f "$HERE/fixture/cases/$c.rs" ] || { echo "unknown case $c (one of: ${ALL[*]})" >&2; exit 2; }
done
command -v pgbench >/dev/null || { echo "pgbench not found (it comes with PostgreSQL)" >&2; exit 2; }
"${PSQL[@]}" -d postgres -c 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT" >&2; exit 2; }

if [ -n "${CS:-}" ]; then
  CS_INFO="CS=$CS (given; built $(date -u -r "$CS" '+%H:%M UTC'))"
else
  # Built from the committed tree (git archive HEAD), so edits in progress in the checkout
  # are not measured; incremental across runs.
  rev=$(git -C "$ROOT" rev-parse --short HEAD)
  log "building cargo-schema from git $rev (bench/.work/locks-src, CARGO_TARGET_DIR=bench/.work/locks-target)"
  rm -rf "$ROOT/bench/.work/locks-src" && mkdir -p "$ROOT/bench/.work/locks-src"
  git -C "$ROOT" archive HEAD | tar -x -C "$ROOT/bench/.work/locks-src"
  (cd "$ROOT/bench/.work/locks-src" && CARGO_TARGET_DIR=$ROOT/bench/.work/locks-target cargo build -q -p cargo-schema)
  CS=$ROOT/bench/.work/locks-target/debug/cargo-schema
  CS_INFO="debug build of git $rev (committed tree)"
fi

rm -rf "$WORK/cases" "$WORK/base" "$WORK/runs"
mkdir -p "$WORK/cases" "$WORK/runs"
[ -e "$WORK/node_modules" ] || ln -sfn "$ROOT/bench/.work/node/node_modules" "$WORK/node_modules"

# A copy of the fixture package whose lib.rs is $2, with the runtime path made absolute.
package() {
  mkdir -p "$1/src"
  sed "s|path = \"../../../schema-runtime\"|path = \"$ROOT/schema-runtime\"|" "$HERE/fixture/Cargo.toml" >"$1/Cargo.toml"
  cp "$2" "$1/src/lib.rs"
}
generate() { # dir slug
  "$CS" schema generate --manifest-path "$1/Cargo.toml" --name "$2" >"$1/generate-$2.log" 2>&1 \
    || { cat "$1/generate-$2.log" >&2; exit 1; }
}

log "generating the baseline and the migration of each case"
package "$WORK/base" "$HERE/fixture/src/lib.rs"
generate "$WORK/base" baseline
for c in "${CASES[@]}"; do
  d=$WORK/cases/$c
  package "$d/pkg" "$HERE/fixture/src/lib.rs"
  generate "$d/pkg" baseline
  cmp -s "$d/pkg/migrations/0001_baseline.up.sql" "$WORK/base/migrations/0001_baseline.up.sql" \
    || { echo "$c: the baseline migration differs between runs of generate" >&2; exit 1; }
  cp "$HERE/fixture/cases/$c.rs" "$d/pkg/src/lib.rs"
  # A change generate refuses until acknowledged (exit 1) is acknowledged, as a user would,
  # and the report says so.
  rc=0; "$CS" schema generate --manifest-path "$d/pkg/Cargo.toml" --name "$c" >"$d/pkg/generate-$c.log" 2>&1 || rc=$?
  if [ $rc -eq 1 ] && grep -q '^error: refused' "$d/pkg/generate-$c.log"; then
    log "$c: generate asks for an acknowledgement: $(grep -m1 -A1 '^error: refused' "$d/pkg/generate-$c.log" | tail -1 | sed 's/^ *//')"
    echo yes >"$d/acknowledged"
    "$CS" schema generate --allow-destructive --manifest-path "$d/pkg/Cargo.toml" --name "$c" >"$d/pkg/generate-$c.log" 2>&1 \
      || { cat "$d/pkg/generate-$c.log" >&2; exit 1; }
  elif [ $rc -ne 0 ]; then
    cat "$d/pkg/generate-$c.log" >&2; exit 1
  fi
  ls "$d"/pkg/migrations/0002_*.up.sql >/dev/null 2>&1 || { echo "$c: generate wrote no 0002" >&2; exit 1; }
  cp "$d"/pkg/migrations/0002_*.up.sql "$d/generated.sql"

  if [ -x "$DRIZZLE" ]; then
    mkdir -p "$d/drizzle"
    for side in before "$c"; do
      # drizzle-kit wants a relative --out; schema.ts finds drizzle-orm in $WORK/node_modules.
      cp "$HERE/fixture/drizzle/$side.ts" "$d/schema.ts"
      (cd "$d" && "$DRIZZLE" generate --dialect postgresql --schema schema.ts --out drizzle) \
        >"$d/drizzle.log" 2>&1 || { cat "$d/drizzle.log" >&2; exit 1; }
    done
    sed 's/--> statement-breakpoint//' "$d"/drizzle/0001_*.sql >"$d/naive.sql"
    cmp -s "$d/naive.sql" "$HERE/naive/$c.sql" \
      || log "$c: drizzle-kit now emits something else than bench/locks/naive/$c.sql (using drizzle-kit's)"
  else
    log "$c: no drizzle-kit in bench/.work/node (bench/setup.sh installs it): using bench/locks/naive/$c.sql"
    cp "$HERE/naive/$c.sql" "$d/naive.sql"
  fi
done

BASE=locks_base_$$
cleanup() {
  for db in $("${PSQL[@]}" -At -d postgres -c "select datname from pg_database where datname like 'locks_%_$$'"); do
    dropdb --if-exists --force "$db" 2>/dev/null || true
  done
}
trap cleanup EXIT
log "base database $BASE: baseline via cargo schema migrate, $ROWS items, $PARENTS parents"
createdb "$BASE"
"$CS" schema migrate --manifest-path "$WORK/base/Cargo.toml" --database-url "$(url "$BASE")" >"$WORK/base/migrate.log" 2>&1 \
  || { cat "$WORK/base/migrate.log" >&2; exit 1; }
"${PSQL[@]}" -d "$BASE" -v rows="$ROWS" -v parents="$PARENTS" -f "$HERE/load/setup.sql"

# effect CASE: a query that returns t when the change is in place (both variants, any names).
effect() {
  case $1 in
    add_index) echo "select bool_or(i.indisvalid) from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0] where i.indrelid = 'items'::regclass and a.attname = 'parent_id' and i.indnatts = 1" ;;
    add_unique) echo "select bool_or(c.convalidated and i.indisvalid) from pg_constraint c join pg_index i on i.indexrelid = c.conindid where c.conrelid = 'items'::regclass and c.contype = 'u'" ;;
    add_foreign_key) echo "select bool_or(convalidated) from pg_constraint where conrelid = 'items'::regclass and contype = 'f' and confrelid = 'parents'::regclass" ;;
    add_not_null_column_default|lock_queue) echo "select attnotnull from pg_attribute where attrelid = 'items'::regclass and attname = 'flags'" ;;
    set_not_null) echo "select attnotnull and not exists (select 1 from pg_constraint where conrelid = 'items'::regclass and contype = 'c') from pg_attribute where attrelid = 'items'::regclass and attname = 'score'" ;;
    widen_varchar) echo "select format_type(atttypid, atttypmod) = 'character varying(100)' from pg_attribute where attrelid = 'items'::regclass and attname = 'code'" ;;
    varchar_to_text) echo "select format_type(atttypid, atttypmod) = 'text' from pg_attribute where attrelid = 'items'::regclass and attname = 'code'" ;;
  esac
}

# run CASE VARIANT REP: one measured run; appends a JSON line to results.jsonl.
run() {
  local c=$1 v=$2 r=$3 dir=$WORK/runs/$1-$2-$3 db=locks_run_$$ t0 t1 rc=0 pg=0
  mkdir -p "$dir"
  phase() { printf '%s %s\n' "$(date +%s.%N)" "$1" >>"$dir/phases.log"; }
  phase copy
  createdb -T "$BASE" "$db"
  phase load
  pgbench -n -c "$WRITERS" -j 2 -R "$RATE" -T 600 -l --log-prefix "$dir/lat" \
    -D rows="$ROWS" -D parents="$PARENTS" \
    -f "$HERE/load/update_item.sql@2" -f "$HERE/load/insert_item.sql@2" -f "$HERE/load/update_parent.sql@1" \
    "$db" >"$dir/pgbench.log" 2>&1 &
  local bench=$!
  sleep "$WARM"
  local blocker=
  if [ "$c" = lock_queue ]; then
    "${PSQL[@]}" -d "$db" -c "BEGIN; SELECT count(*) FROM items WHERE id = 1; SELECT pg_sleep($HOLD); COMMIT;" >/dev/null 2>&1 &
    blocker=$!
    sleep 0.3
  fi
  t0=$(date +%s.%N)
  if [ "$v" = naive ]; then
    "${PSQL[@]}" -1 -d "$db" -f "$WORK/cases/$c/naive.sql" >"$dir/migration.log" 2>&1 || rc=$?
  else
    "$CS" schema migrate --manifest-path "$WORK/cases/$c/pkg/Cargo.toml" --database-url "$(url "$db")" \
      >"$dir/migration.log" 2>&1 || rc=$?
  fi
  t1=$(date +%s.%N)
  [ -z "$blocker" ] || wait "$blocker" || true
  phase tail
  sleep "$TAIL"
  "${PSQL[@]}" -d "$db" -c 'UPDATE bench_ctl SET stop = 1'
  wait "$bench" || pg=$?
  phase stopped
  # pgbench exits 2 when clients end on an error: expected here, every client ends on stop.
  local aborted unexpected
  aborted=$(grep -c 'aborted in command' "$dir/pgbench.log" || true)
  unexpected=$(grep 'ERROR' "$dir/pgbench.log" | grep -vc 'division by zero' || true)
  if [ "$rc" -ne 0 ] || [ "$unexpected" -ne 0 ] || [ "$aborted" -ne "$WRITERS" ]; then
    log "$c/$v: migration exit $rc, pgbench exit $pg, $aborted clients stopped, $unexpected unexpected errors"
    cat "$dir/migration.log" >&2; grep ERROR "$dir/pgbench.log" | grep -v 'division by zero' >&2 || true
  fi
  local stats applied
  applied=$("${PSQL[@]}" -At -d "$db" -c "$(effect "$c")")
  [ "$applied" = t ] || [ "$rc" -ne 0 ] || log "$c/$v: the migration succeeded but the change is not in place"
  stats=$(python3 "$HERE/stall.py" "$t0" "$t1" "$dir"/lat.*)
  python3 - "$c" "$v" "$r" "$rc" "$applied" "$stats" >>"$WORK/results.jsonl" <<'EOF'
import json, sys
c, v, r, rc, applied, stats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], json.loads(sys.argv[6])
print(json.dumps({"case": c, "variant": v, "rep": r, "migration_exit": rc, "applied": applied == "t", **stats}))
EOF
  log "$c/$v #$r: $stats"
  phase drop
  dropdb --force "$db"
  phase done
}

: >"$WORK/results.jsonl"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for c in "${CASES[@]}"; do
  for r in $(seq 1 "$REPEAT"); do
    run "$c" naive "$r"
    run "$c" generated "$r"
  done
done
{
  echo "- run: $(date -u '+%Y-%m-%d %H:%M UTC'); cargo-schema: $CS_INFO; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM (shared with other work)"
  echo "- PostgreSQL: $("${PSQL[@]}" -At -d postgres -c 'show server_version'); items: $ROWS rows, parents: $PARENTS rows"
  echo "- load: pgbench, $WRITERS connections, $RATE writes/s in all (UPDATE items 2 : INSERT items 2 : UPDATE parents 1), $REPEAT runs per variant"
  echo
  python3 "$HERE/report.py" "$WORK" "${CASES[@]}"
} >"$WORK/results.md"
cat "$WORK/results.md"
