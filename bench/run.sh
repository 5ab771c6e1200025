#!/usr/bin/env bash
# All benchmarks, then BENCHMARKS.md's tables. Reproduce with:  bench/run.sh
# Env: ROUNDS (3) rounds of alternation; RUNS per round; GEN_SIZES ("100 1000 5000");
# APPLY_SIZES ("200 1000"); DERIVE_STRUCTS (200); ONLY ("generate apply derive").
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$BENCH/setup.sh"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
ONLY=${ONLY:-generate apply derive}

python3 - "$RESULTS/meta.json" <<PY
import json, os, subprocess, sys
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return "?"
meta = {
  "date (UTC)": sh("date -u '+%Y-%m-%d %H:%M'"),
  "CPU": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() + f" ({os.cpu_count()} cores)",
  "memory": sh("free -g | awk '/Mem:/ {print \$2\" GiB\"}'"),
  "OS": sh(". /etc/os-release && echo \$PRETTY_NAME") + ", kernel " + sh("uname -r"),
  "load average at start": sh("cut -d' ' -f1-3 /proc/loadavg"),
  "cargo-schema": sh("cd $ROOT && git rev-parse --short HEAD") + (" (+ uncommitted changes)" if sh("cd $ROOT && git status --porcelain -- schema-core schema-macros schema-runtime cargo-schema") else "") + ", release build",
  "rustc": sh("rustc --version"),
  "drizzle-kit": sh("$DRIZZLE --version 2>/dev/null | tr '\n' ' '") + ", node " + sh("node --version"),
  "sqlx-cli": sh("$SQLX --version"),
  "PostgreSQL": sh("psql -X -At -c 'show server_version'") + " at $PGHOST:$PGPORT (fsync " + sh("psql -X -At -c 'show fsync'") + ", synchronous_commit " + sh("psql -X -At -c 'show synchronous_commit'") + ")",
  "SQLite": "sqlite3 " + sh("sqlite3 --version | cut -d' ' -f1") + "; files on " + sh("df -T $WORK | awk 'NR==2 {print \$2}'"),
  "hyperfine": sh("hyperfine --version"),
  "rounds": "$ROUNDS (hyperfine runs each command's runs back to back; rounds alternate the commands)",
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
PY

for b in $ONLY; do
  case $b in
    generate) "$BENCH/generate.sh" ${GEN_SIZES:-100 1000 5000} ;;
    apply) "$BENCH/apply.sh" ${APPLY_SIZES:-200 1000} ;;
    derive) "$BENCH/derive.sh" "${DERIVE_STRUCTS:-200}" ;;
  esac
done
python3 - "$RESULTS/meta.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["load average at end"] = open("/proc/loadavg").read().split()[:3]
m["load average at end"] = " ".join(m["load average at end"]); json.dump(m, open(sys.argv[1], "w"), indent=1)
PY
python3 "$BENCH/report.py" "$RESULTS" "$ROOT/BENCHMARKS.md"
log "tables written to BENCHMARKS.md"
