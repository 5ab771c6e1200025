//! How a [`Migrator`](super::Migrator) runs: history table, locking, timeouts.

use super::rollback_check::AcceptDataLoss;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Settings of a migrator. Start from [`MigratorOptions::DEFAULT`] and change what you need.
///
/// # Lock timeouts and retries
///
/// A migration statement that waits for a table lock queues every later query on that table
/// behind it (even plain `SELECT`s), so each lock-taking statement should run under a short
/// `lock_timeout` and fail rather than wait. The generated PostgreSQL migrations set one
/// themselves (`SET LOCAL lock_timeout = ...` in transactional files, `SET lock_timeout = ...`
/// in `-- schema:no-transaction` files); [`lock_timeout`](Self::lock_timeout) adds a
/// default for hand-written files. A statement that fails on the timeout (PostgreSQL SQLSTATE
/// `55P03`, MySQL/MariaDB error 1205 or 3572) is retried according to
/// [`retry`](Self::retry): a transactional migration is rolled back as a whole (no history
/// row) and run again; a no-transaction migration (and every MySQL migration) retries the
/// failing statement only, the statements before it stay applied and recorded. Each retry is
/// announced through [`on_lock_retry`](Self::on_lock_retry) (one line on stderr by default).
/// SQLite has no lock timeout of this kind: a writer waits up to `lock_wait` (its
/// `busy_timeout`) and then fails with [`MigrateError::LockTimeout`](super::MigrateError::LockTimeout),
/// without retry.
///
/// Session settings: a file's `SET` (without `LOCAL`) does not leak. The run uses a connection
/// of its own that is closed at the end, never returned to the pool; between migrations of one
/// run PostgreSQL settings are put back to what they were when the run started (`RESET ALL`,
/// then the connection's own settings and this runner's again), so one file's
/// `SET lock_timeout` or `SET search_path` does not apply to the next file or to the history
/// row. A no-transaction file that resumes after an interruption first runs again the plain
/// `SET` statements it had already run, so its later statements see the same settings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigratorOptions {
    /// The history table (default `_schema_migrations`): ASCII letters, digits and `_`,
    /// starting with a letter or `_`, at most 63 bytes.
    pub history_table: Cow<'static, str>,
    /// How long to wait for another process's migration lock before giving up with
    /// [`MigrateError::LockTimeout`](super::MigrateError::LockTimeout).
    pub lock_wait: Duration,
    pub lock_mode: LockMode,
    /// A default lock timeout for the migration statements (`None`, the default: the
    /// server's setting, which is no limit unless configured). PostgreSQL: `lock_timeout`, set
    /// for the run's connection (with [`LockMode::Transaction`], `SET LOCAL` in each
    /// migration's transaction); MySQL/MariaDB: `lock_wait_timeout` (metadata locks, DDL) and
    /// `innodb_lock_wait_timeout` (row locks), in whole seconds, at least 1; SQLite: unused
    /// (see `lock_wait`). A statement that waits longer for a lock fails instead of queueing
    /// every other query behind it, and is retried according to [`retry`](Self::retry).
    ///
    /// A file's own setting wins: `SET LOCAL lock_timeout` in a transactional file applies
    /// from that statement to the end of its transaction, `SET lock_timeout` in a
    /// no-transaction file to the rest of that file (and only that file). Mind
    /// `CREATE INDEX CONCURRENTLY` (and `REINDEX`/`DROP INDEX CONCURRENTLY`): besides the table
    /// lock it waits for every transaction in the database that holds an older snapshot, and
    /// that wait counts against `lock_timeout`. A default short enough for `ALTER TABLE`
    /// (hundreds of milliseconds, a few seconds) cancels it whenever any long transaction runs;
    /// a retry then drops the INVALID index it left and starts again, but may never get
    /// through. Keep this default at a few seconds or more, or let the no-transaction file set
    /// a longer `SET lock_timeout` before its concurrent index statements. On PostgreSQL keep
    /// it above the server's `deadlock_timeout` (1 s by default): an autovacuum worker that
    /// holds the table is cancelled only when a waiter has waited that long, so with a
    /// shorter timeout every try gives up while the vacuum runs on.
    pub lock_timeout: Option<Duration>,
    /// Retrying a migration statement that hit the lock timeout; default
    /// [`LockTimeoutRetry::DEFAULT`] (10 attempts).
    pub retry: LockTimeoutRetry,
    /// Where each retry is announced (default: one line on stderr).
    pub on_lock_retry: RetryNotice,
    /// Which data a rollback may delete (default none): before any down statement runs, a
    /// rollback that would drop a table or column holding data is refused
    /// ([`MigrateError::RollbackRefused`](super::MigrateError::RollbackRefused), with the row
    /// counts) unless its change is named here, by the key `generate` uses
    /// (`"drop column users.bio"`), or all are accepted. Rows the old schema cannot hold
    /// (values a narrowed type does not fit, NULLs before `SET NOT NULL`, rows a re-added
    /// check refuses) refuse the rollback whatever is accepted.
    pub accept_data_loss: AcceptDataLoss,
}

impl MigratorOptions {
    pub const DEFAULT: MigratorOptions = MigratorOptions {
        history_table: Cow::Borrowed("_schema_migrations"),
        lock_wait: Duration::from_secs(300),
        lock_mode: LockMode::Session,
        lock_timeout: None,
        retry: LockTimeoutRetry::DEFAULT,
        on_lock_retry: RetryNotice::Stderr,
        accept_data_loss: AcceptDataLoss::NONE,
    };

    /// See [`accept_data_loss`](Self::accept_data_loss).
    pub fn accept_data_loss(mut self, accept: AcceptDataLoss) -> Self {
        self.accept_data_loss = accept;
        self
    }

    pub fn history_table(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.history_table = name.into();
        self
    }

    pub fn lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    pub fn lock_mode(mut self, mode: LockMode) -> Self {
        self.lock_mode = mode;
        self
    }

    pub fn lock_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.lock_timeout = timeout;
        self
    }

    pub fn retry(mut self, retry: LockTimeoutRetry) -> Self {
        self.retry = retry;
        self
    }

    pub fn on_lock_retry(mut self, notice: RetryNotice) -> Self {
        self.on_lock_retry = notice;
        self
    }

    /// Calls `f` for each retry instead of writing to stderr.
    pub fn on_lock_retry_call(self, f: impl Fn(&LockRetry) + Send + Sync + 'static) -> Self {
        self.on_lock_retry(RetryNotice::Callback(Arc::new(f)))
    }
}

impl Default for MigratorOptions {
    fn default() -> Self {
        MigratorOptions::DEFAULT
    }
}

/// How concurrent migrators exclude each other on PostgreSQL (SQLite always uses an exclusive
/// write transaction per migration, MySQL a named `GET_LOCK` lock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockMode {
    /// A session advisory lock held for the whole run on a dedicated connection, which is
    /// closed afterwards, so the lock is released on every path. Needs a direct connection or
    /// a session-pooling proxy.
    #[default]
    Session,
    /// `pg_advisory_xact_lock` taken inside each migration's transaction, for transaction
    /// pooling proxies (PgBouncer `pool_mode = transaction`). Migrations marked
    /// `-- schema:no-transaction` are refused in this mode: run them once over a direct
    /// connection.
    Transaction,
}

/// What to do when a migration statement fails because it waited longer than the lock
/// timeout (see [`MigratorOptions`] for what is retried and how).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockTimeoutRetry {
    /// Fail at the first lock timeout.
    Never,
    /// Up to `attempts` tries in all (the first one included). Before try `k + 1` the runner
    /// waits `min(max_delay, base * factor^(k-1))`, scaled by a random factor between 0.5 and
    /// 1 (jitter, so that several instances retrying do not arrive together).
    Backoff {
        attempts: u32,
        base: Duration,
        factor: u32,
        max_delay: Duration,
    },
}

impl LockTimeoutRetry {
    /// 10 attempts, waiting about 250 ms, 500 ms, 1 s, 2 s, then 4 s in between (each scaled
    /// by the jitter: 12-24 s of waiting in all). Made for the generated files' short
    /// `lock_timeout` (1.5 s by default): each attempt stalls the table's queries at most
    /// that long, and the queue drains between attempts; with that timeout a migration keeps
    /// trying for about 27-39 s before it gives up (10 x 1.5 s of lock waits + the backoff).
    /// A blocking autovacuum does not need the retries: a wait longer than `deadlock_timeout`
    /// (1 s by default) has it cancelled during the first attempt.
    pub const DEFAULT: LockTimeoutRetry = LockTimeoutRetry::attempts(10);

    /// `attempts` tries with the default delays (250 ms doubling, at most 4 s).
    pub const fn attempts(attempts: u32) -> LockTimeoutRetry {
        LockTimeoutRetry::Backoff {
            attempts,
            base: Duration::from_millis(250),
            factor: 2,
            max_delay: Duration::from_secs(4),
        }
    }

    /// How many tries in all (at least 1).
    pub fn max_attempts(&self) -> u32 {
        match self {
            LockTimeoutRetry::Never => 1,
            LockTimeoutRetry::Backoff { attempts, .. } => (*attempts).max(1),
        }
    }

    /// The wait after failed try `attempt` (1-based), or `None` when it was the last one.
    /// `jitter` in `[0, 1)` picks the point between half the delay and the whole delay.
    #[cfg(feature = "_db")]
    pub(crate) fn delay_after(&self, attempt: u32, jitter: f64) -> Option<Duration> {
        let LockTimeoutRetry::Backoff {
            base,
            factor,
            max_delay,
            ..
        } = *self
        else {
            return None;
        };
        if attempt >= self.max_attempts() {
            return None;
        }
        let mut delay = base;
        for _ in 1..attempt {
            delay = delay.saturating_mul(factor.max(1));
            if delay >= max_delay {
                break;
            }
        }
        let delay = delay.min(max_delay);
        Some(delay.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
    }
}

impl Default for LockTimeoutRetry {
    fn default() -> Self {
        LockTimeoutRetry::DEFAULT
    }
}

/// One retry after a lock timeout, as announced through [`MigratorOptions::on_lock_retry`].
/// `Display` gives the stderr line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LockRetry {
    pub version: i64,
    /// The migration file.
    pub file: String,
    /// 1-based line of the statement that hit the timeout.
    pub line: usize,
    /// The statement, on one line, shortened.
    pub statement: String,
    /// The try that failed (1-based) and how many there are in all.
    pub attempt: u32,
    pub attempts: u32,
    /// How long the runner waits before the next try.
    pub wait: Duration,
    /// `true`: the whole migration was rolled back and runs again; `false`: only the statement
    /// runs again.
    pub whole_migration: bool,
}

impl fmt::Display for LockRetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.whole_migration {
            "rolled back, retrying the migration"
        } else {
            "retrying the statement"
        };
        write!(
            f,
            "cargo-schema: `{}` line {}: lock timeout on `{}` (attempt {} of {}); {what} in {} ms",
            self.file,
            self.line,
            self.statement,
            self.attempt,
            self.attempts,
            self.wait.as_millis()
        )
    }
}

/// Where [`LockRetry`] notices go.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum RetryNotice {
    /// One line on stderr per retry.
    #[default]
    Stderr,
    /// Nowhere.
    Quiet,
    /// To this function (a logger, a progress display, a test).
    Callback(Arc<dyn Fn(&LockRetry) + Send + Sync>),
}

impl RetryNotice {
    #[cfg(feature = "_db")]
    pub(crate) fn notify(&self, retry: &LockRetry) {
        match self {
            RetryNotice::Stderr => eprintln!("{retry}"),
            RetryNotice::Quiet => {}
            RetryNotice::Callback(f) => f(retry),
        }
    }
}

impl fmt::Debug for RetryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryNotice::Stderr => f.write_str("Stderr"),
            RetryNotice::Quiet => f.write_str("Quiet"),
            RetryNotice::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// Two callbacks are equal when they are the same function object.
impl PartialEq for RetryNotice {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RetryNotice::Stderr, RetryNotice::Stderr)
            | (RetryNotice::Quiet, RetryNotice::Quiet) => true,
            (RetryNotice::Callback(a), RetryNotice::Callback(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for RetryNotice {}

/// How far a rollback goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RollbackTarget {
    /// Undo every migration above this version (0: undo all).
    To(i64),
    /// Undo this many of the most recently applied migrations.
    Steps(usize),
}

/// Checks a history table name; identifiers are formatted into SQL, so only plain names pass.
#[cfg(feature = "_db")]
pub(crate) fn valid_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 63
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(all(test, feature = "_db"))]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_plain_identifiers() {
        assert!(valid_table_name("_schema_migrations"));
        assert!(valid_table_name("History2"));
        for bad in [
            "",
            "1abc",
            "a-b",
            "a.b",
            "a\"b",
            "a; DROP TABLE x",
            &"a".repeat(64),
        ] {
            assert!(!valid_table_name(bad), "{bad}");
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_bounded() {
        let retry = LockTimeoutRetry::Backoff {
            attempts: 6,
            base: Duration::from_millis(200),
            factor: 2,
            max_delay: Duration::from_millis(1000),
        };
        let full: Vec<_> = (1..=6).map(|k| retry.delay_after(k, 1.0)).collect();
        let ms = |d: u64| Some(Duration::from_millis(d));
        assert_eq!(
            full,
            vec![ms(200), ms(400), ms(800), ms(1000), ms(1000), None]
        );
        assert_eq!(retry.delay_after(1, 0.0), ms(100));
        assert_eq!(retry.delay_after(2, 0.5), ms(300));
        assert_eq!(LockTimeoutRetry::Never.delay_after(1, 0.5), None);
        assert_eq!(LockTimeoutRetry::Never.max_attempts(), 1);
        assert_eq!(LockTimeoutRetry::DEFAULT.max_attempts(), 10);
        let full: Duration = (1..10)
            .map(|k| LockTimeoutRetry::DEFAULT.delay_after(k, 1.0).unwrap())
            .sum();
        assert_eq!(full, Duration::from_millis(23_750));
        assert_eq!(LockTimeoutRetry::DEFAULT.delay_after(10, 1.0), None);
        assert_eq!(LockTimeoutRetry::attempts(0).max_attempts(), 1);
        assert_eq!(LockTimeoutRetry::attempts(0).delay_after(1, 0.5), None);
    }

    #[test]
    fn retry_line_names_file_statement_attempt_and_wait() {
        let line = LockRetry {
            version: 2,
            file: "0002_alter.up.sql".into(),
            line: 3,
            statement: "ALTER TABLE t ADD COLUMN x integer".into(),
            attempt: 1,
            attempts: 5,
            wait: Duration::from_millis(150),
            whole_migration: true,
        }
        .to_string();
        assert_eq!(line, "cargo-schema: `0002_alter.up.sql` line 3: lock timeout on `ALTER TABLE t ADD COLUMN x integer` (attempt 1 of 5); rolled back, retrying the migration in 150 ms");
    }
}
