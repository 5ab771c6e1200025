#!/usr/bin/env bash
# Benchmark 2: apply. M small migrations on PostgreSQL and SQLite, from empty and with nothing
# pending: Migrator::run (bench/apply-runner), cargo schema migrate, sqlx migrate run (sqlx-cli
# 0.9.0) and the floor: psql / sqlite3 running the same SQL, one transaction per migration, in
# one session, with no bookkeeping at all.
# Usage: bench/apply.sh [M...]  (default: 200 1000). Env: ROUNDS (3), RUNS (3), WARMUP (1),
# DBS ("postgres sqlite"). PostgreSQL: PGHOST/PGPORT/PGUSER (127.0.0.1:5432, postgres, trust).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(200 1000)
for tool in "$CS" "$APPLY" "$SQLX"; do
  [ -x "$tool" ] || { echo "missing $tool: run bench/setup.sh" >&2; exit 2; }
done
DBS=${DBS:-postgres sqlite}
TAG=bench_apply_$$
PGURL="postgres://$PGUSER@$PGHOST:$PGPORT"
LITE=$WORK/sqlite
mkdir -p "$LITE"
TOOLS=(runtime cli sqlx floor)
cleanup() {
  for t in "${TOOLS[@]}"; do
    for s in empty noop; do dropdb --if-exists "${TAG}_${t}_$s" 2>/dev/null || true; done
  done
}
trap cleanup EXIT

fresh_pg() { echo "bash -c 'dropdb --if-exists $1 && createdb $1'"; }
fresh_lite() { echo "bash -c 'rm -f $1 $1-journal $1-wal $1-shm && touch $1'"; }

for m in "${SIZES[@]}"; do
  P=$WORK/migrations/$m
  rm -rf "$P"
  python3 "$BENCH/gen_migrations.py" "$m" "$P"
  runs=${RUNS:-3}
  for db in $DBS; do
    # cmd TOOL TARGET: the command that applies the migrations to TARGET (db name or file)
    cmd() {
      local url
      if [ "$db" = postgres ]; then url="$PGURL/$2?sslmode=disable"; else url=sqlite://$2; fi
      case $1 in
        runtime) echo "$APPLY $P/cs-$db/migrations '$url'" ;;
        cli) echo "$CS schema migrate --manifest-path $P/cs-$db/Cargo.toml --database-url '$url'" ;;
        sqlx) echo "$SQLX migrate run --source $P/sqlx --database-url '$url'" ;;
        floor)
          if [ "$db" = postgres ]; then echo "psql -X -q -v ON_ERROR_STOP=1 -d $2 -f $P/floor.sql"
          else echo "sqlite3 -bail $2 .read\ $P/floor.sql"; fi ;;
      esac
    }
    # noop floor: connect and run one query (what any runner must at least do)
    noop_floor() {
      if [ "$db" = postgres ]; then echo "psql -X -q -d $1 -c select\ 1"
      else echo "sqlite3 $1 select\ 1"; fi
    }
    target() { if [ "$db" = postgres ]; then echo "${TAG}_$1_$2"; else echo "$LITE/$1_$2.db"; fi; }
    fresh() { if [ "$db" = postgres ]; then fresh_pg "$1"; else fresh_lite "$1"; fi; }
    label() {
      case $1 in
        runtime) echo "Migrator::run" ;; cli) echo "cargo schema migrate" ;;
        sqlx) echo "sqlx migrate run" ;;
        floor) if [ "$db" = postgres ]; then echo "floor: psql"; else echo "floor: sqlite3"; fi ;;
      esac
    }

    # Sanity: every tool applies all M from empty, then has nothing pending.
    for t in "${TOOLS[@]}"; do
      tg=$(target "$t" noop)
      bash -c "$(fresh "$tg" | sed "s/^bash -c '//; s/'\$//")"
      eval "$(cmd "$t" "$tg")" >/dev/null 2>"$WORK/apply-$t.log" || { cat "$WORK/apply-$t.log" >&2; exit 1; }
      if [ "$db" = postgres ]; then
        n=$(psql -X -At -d "$tg" -c "select count(*) from pg_tables where schemaname='public' and tablename ~ '^t[0-9]+$'")
      else
        n=$(sqlite3 "$tg" "select count(*) from sqlite_master where type='table' and name glob 't[0-9]*'")
      fi
      [ "$n" = "$m" ] || { echo "$t on $db: $n tables after applying $m migrations" >&2; exit 1; }
      [ "$t" = floor ] || eval "$(cmd "$t" "$tg")" >/dev/null 2>&1 || { echo "$t on $db: second run failed" >&2; exit 1; }
    done
    log "M=$m $db: all tools apply $m migrations; timing from empty ($ROUNDS rounds x $runs runs)"

    args=()
    for t in "${TOOLS[@]}"; do
      tg=$(target "$t" empty)
      args+=(-n "$(label "$t") (from empty)" --prepare "$(fresh "$tg")" "$(cmd "$t" "$tg")")
    done
    hf "apply-$db-$m-empty" "$runs" "${WARMUP:-1}" -- "${args[@]}"

    log "M=$m $db: timing nothing pending"
    args=()
    for t in "${TOOLS[@]}"; do
      tg=$(target "$t" noop)
      if [ "$t" = floor ]; then
        args+=(-n "floor: connect + SELECT 1 (nothing pending)" --prepare true "$(noop_floor "$tg")")
      else
        args+=(-n "$(label "$t") (nothing pending)" --prepare true "$(cmd "$t" "$tg")")
      fi
    done
    hf "apply-$db-$m-noop" "$((runs * 5))" "${WARMUP:-1}" -- "${args[@]}"

    for t in runtime cli sqlx; do
      tg=$(target "$t" empty)
      peak_rss "apply-$db-$m-empty" "$(label "$t") (from empty)" "$(fresh "$tg" | sed "s/^bash -c '//; s/'\$//")" -- bash -c "exec $(cmd "$t" "$tg")"
    done
  done
done
