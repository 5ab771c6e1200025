#!/usr/bin/env bash
# The long crash run: a migrating process killed with SIGKILL at random moments, many times per
# database (PostgreSQL and SQLite); after every kill the recorded version must match the schema
# present and the next run must complete (tests/tests/runtime_crash.rs).
#
# Usage: bench/crash-soak.sh [TRIALS] [SEED]
#   TRIALS  kills per database (default 1000; CI runs 50)
#   SEED    replays an earlier run (each run prints its seed)
# PostgreSQL comes from SCHEMA_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
export SCHEMA_CRASH_TRIALS="${1:-1000}"
if [[ $# -ge 2 ]]; then
    export SCHEMA_CRASH_SEED="$2"
fi
# The soak must not skip silently when PostgreSQL is unreachable.
export CI="${CI:-1}"
exec cargo test -p schema-tests --test runtime_crash sigkill_at_random_moments -- --nocapture --test-threads 1
