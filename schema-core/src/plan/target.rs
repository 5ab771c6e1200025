//! What the migrations are generated for beyond the dialect: the PostgreSQL major version
//! (where the safety facts differ between versions) and the lock budgets written into each
//! PostgreSQL file. Read from `[package.metadata.schema]` by the CLI.

use serde::Serialize;

/// The default PostgreSQL major version: the oldest major still widely deployed that has every
/// fact the safe forms rely on (CHECK-proven `SET NOT NULL`, `ADD VALUE` in a transaction).
pub const DEFAULT_POSTGRES_VERSION: u32 = 15;
/// `lock_timeout` for every lock-taking statement: a statement that waits longer for its lock
/// fails instead of queueing every later query on the table behind it, so this is also the
/// longest one attempt can stall the table's reads and writes. The runtime retries a statement
/// that hit it (`schema_runtime::migrator::LockTimeoutRetry`), so the patience is in the
/// retries, not in one long wait.
///
/// 1500 ms, and not lower, because of autovacuum: an autovacuum worker holds
/// `SHARE UPDATE EXCLUSIVE` on the table it vacuums (which conflicts with every `ALTER TABLE`
/// the files run, `NOT VALID` constraints and `VALIDATE CONSTRAINT` included), and PostgreSQL
/// cancels it for a waiting lock request only when the waiter runs its deadlock check, after
/// `deadlock_timeout` (1 s by default). A `lock_timeout` at or below that gives up first: the
/// worker is never cancelled and every retry times out again for as long as the vacuum runs
/// (measured on PostgreSQL 15 behind a running autovacuum, 5 tries each: 500, 800 and
/// 1000 ms timed out every time, the vacuum untouched; 1050, 1100, 1200, 1500 and 2000 ms got
/// the lock every time after about 1.05 s, the server logging `canceling autovacuum task`).
/// 1.5 s leaves half a second of margin over the default `deadlock_timeout` (a loaded server,
/// a worker slow to notice its cancel) while keeping the stall of one attempt short. `bench/locks/RESULTS.md`
/// (`lock_queue`, and why 500 ms was reverted) has the measurements.
pub const DEFAULT_LOCK_TIMEOUT_MS: u64 = 1_500;
/// `lock_timeout` for `CREATE/DROP INDEX CONCURRENTLY`: they wait for every older snapshot in
/// the database, and that wait counts against the timeout, while their own lock
/// (`SHARE UPDATE EXCLUSIVE`) blocks neither reads nor writes.
pub const DEFAULT_CONCURRENT_LOCK_TIMEOUT_MS: u64 = 60_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// PostgreSQL major version (11, 12, ..., 18). Ignored by the other dialects.
    pub postgres_version: u32,
    pub lock_timeout_ms: u64,
    pub concurrent_lock_timeout_ms: u64,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            postgres_version: DEFAULT_POSTGRES_VERSION,
            lock_timeout_ms: DEFAULT_LOCK_TIMEOUT_MS,
            concurrent_lock_timeout_ms: DEFAULT_CONCURRENT_LOCK_TIMEOUT_MS,
        }
    }
}

impl Target {
    pub fn postgres(version: u32) -> Target {
        Target {
            postgres_version: version,
            ..Target::default()
        }
    }

    /// PostgreSQL 12+: `SET NOT NULL` skips its scan when a valid `CHECK (c IS NOT NULL)`
    /// proves it, and `ALTER TYPE .. ADD VALUE` may run inside a transaction.
    pub fn check_proves_not_null(&self) -> bool {
        self.postgres_version >= 12
    }

    /// PostgreSQL 18+: `ADD CONSTRAINT c NOT NULL col NOT VALID`, then `VALIDATE CONSTRAINT c`
    /// (a scan under `SHARE UPDATE EXCLUSIVE`), makes a column `NOT NULL` without the
    /// temporary CHECK.
    pub fn not_null_not_valid(&self) -> bool {
        self.postgres_version >= 18
    }

    pub fn add_value_in_transaction(&self) -> bool {
        self.postgres_version >= 12
    }

    /// PostgreSQL 11+: a non-volatile default on `ADD COLUMN` is stored in the catalog.
    pub fn fast_defaults(&self) -> bool {
        self.postgres_version >= 11
    }
}

/// `2000` -> `'2s'`, `1500` -> `'1500ms'`: the literal a `SET lock_timeout` takes.
pub fn timeout_literal(ms: u64) -> String {
    if ms % 1000 == 0 && ms > 0 {
        format!("'{}s'", ms / 1000)
    } else {
        format!("'{ms}ms'")
    }
}
