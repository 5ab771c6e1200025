//! How a [`Migrator`](super::Migrator) runs: history table, locking, timeouts.

use std::borrow::Cow;
use std::time::Duration;

/// Settings of a migrator. Start from [`MigratorOptions::DEFAULT`] and change what you need.
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
    /// PostgreSQL `lock_timeout` for the migration statements (`None`: the server's setting).
    /// A statement that waits longer for a table lock fails instead of queueing every other
    /// query behind it.
    pub lock_timeout: Option<Duration>,
    pub retry: LockTimeoutRetry,
}

impl MigratorOptions {
    pub const DEFAULT: MigratorOptions = MigratorOptions {
        history_table: Cow::Borrowed("_schema_migrations"),
        lock_wait: Duration::from_secs(300),
        lock_mode: LockMode::Session,
        lock_timeout: None,
        retry: LockTimeoutRetry::Never,
    };

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

/// What to do when a statement fails on `lock_timeout`. Only `Never` exists today; retrying
/// with backoff is planned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockTimeoutRetry {
    #[default]
    Never,
}

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
}
