# Sourced by the bench scripts: paths, tools, and an alternating hyperfine driver.
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
WORK=$BENCH/.work
RESULTS=${RESULTS:-$WORK/results}
CS=$WORK/target/release/cargo-schema
SYN=$WORK/syn-floor-target/release/syn-floor
APPLY=$WORK/target/release/apply-runner
DRIZZLE=$WORK/node/node_modules/.bin/drizzle-kit
SQLX=$WORK/sqlx/bin/sqlx
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
# No TLS and no GSSAPI for any client (psql, sqlx-cli, cargo-schema): the benchmarks measure the
# migration runners, not a TLS handshake (both CLIs are built with rustls).
export PGSSLMODE=disable PGGSSENCMODE=disable
unset DATABASE_URL
export NO_COLOR=1 CARGO_TERM_COLOR=never
# Rounds of alternation: each round runs every command RUNS times (hyperfine runs one
# command's runs back to back; rounds interleave the commands so load drift hits all alike).
ROUNDS=${ROUNDS:-3}
mkdir -p "$RESULTS"
log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }

# hf NAME RUNS WARMUP -- hyperfine args (commands with -n/--prepare as usual)
# Runs ROUNDS rounds, writing $RESULTS/NAME.rK.json; report.py merges the rounds.
hf() {
  local name=$1 runs=$2 warm=$3; shift 4
  local r
  for r in $(seq 1 "$ROUNDS"); do
    hyperfine -N --style basic --runs "$runs" --warmup "$warm" \
      --export-json "$RESULTS/$name.r$r.json" "$@" >&2
  done
}

# peak_rss NAME LABEL PREPARE -- command...
# Runs PREPARE (a shell string, may be ""), then the command once under /usr/bin/time -v;
# appends {"bench","command","max_rss_kb","exit"} to $RESULTS/rss.jsonl.
peak_rss() {
  local name=$1 label=$2 prep=$3; shift 4
  local tf=$WORK/time.out kb rc=0
  [ -n "$prep" ] && bash -c "$prep"
  /usr/bin/time -v -o "$tf" "$@" >/dev/null 2>&1 || rc=$?
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  printf '{"bench":"%s","command":"%s","max_rss_kb":%s,"exit":%s}\n' "$name" "$label" "${kb:-null}" "$rc" >> "$RESULTS/rss.jsonl"
}
