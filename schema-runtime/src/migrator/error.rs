//! What can go wrong when applying migrations, with what to do about it.

use super::redact::{redact, UrlProblem};
use super::report::Problem;
use super::rollback_check::RollbackRefusal;
use schema_core::migrations::ResolveError;
use std::fmt;
use std::time::Duration;

/// A migration run that did not complete. `Display` never shows a database password.
#[derive(Debug)]
#[non_exhaustive]
pub enum MigrateError {
    /// The migrations folder has problems (only from [`Migrator::from_dir`](super::Migrator::from_dir),
    /// or from a rollback of its migrations, which reads their down files then).
    Resolve(Vec<ResolveError>),
    /// The URL cannot be read as it is meant (the problem never quotes it).
    InvalidUrl(UrlProblem),
    /// The URL's scheme is not one this build supports.
    UnsupportedUrl {
        url: String,
    },
    Connect {
        url: String,
        message: String,
    },
    /// A database operation of the runner itself (not a migration statement) failed.
    Database {
        action: &'static str,
        message: String,
    },
    /// A statement of a migration file failed.
    Statement(Box<StatementFailure>),
    /// `PRAGMA foreign_key_check` found rows after a `-- schema:foreign-keys=off` migration.
    ForeignKeyCheck {
        version: i64,
        file: String,
        violations: Vec<String>,
    },
    /// The database's history and the migrations disagree; nothing was applied.
    Refused(Vec<Problem>),
    /// Another process held the migration lock for longer than `lock_wait`.
    LockTimeout {
        waited: Duration,
        holder: Option<String>,
    },
    /// A `-- schema:no-transaction` migration cannot run with [`LockMode::Transaction`](super::LockMode::Transaction).
    NoTransactionNeedsSessionLock {
        version: i64,
        file: String,
    },
    InvalidHistoryTable {
        name: String,
    },
    /// A target version that is not a migration of this set.
    UnknownVersion {
        version: i64,
    },
    /// `run_to` was asked for a version below the applied one.
    TargetBelowCurrent {
        target: i64,
        current: i64,
    },
    /// The rollback would lose data that was not acknowledged, or the old schema cannot hold
    /// the data there; nothing was undone. Every finding, with its counts and sample keys.
    RollbackRefused(Box<RollbackRefusal>),
    /// Rollback found a migration that was started but not finished.
    Incomplete {
        version: i64,
        name: String,
    },
}

/// Where and why a migration statement failed.
#[derive(Debug, Clone)]
pub struct StatementFailure {
    pub version: i64,
    pub file: String,
    /// 1-based line of the statement in the file.
    pub line: usize,
    pub statement: String,
    /// The database's message (with its SQLSTATE/code when it has one).
    pub message: String,
    /// Whether the file ran in a transaction (and so was rolled back as a whole).
    pub transactional: bool,
    /// The version the database is at after the failure.
    pub version_now: Option<i64>,
    /// How many times the statement failed on the lock timeout (PostgreSQL `55P03`, MySQL
    /// 1205/3572), retries included; 0 when it failed for another reason.
    pub lock_timeouts: u32,
}

impl MigrateError {
    #[cfg(feature = "_db")]
    pub(crate) fn database(action: &'static str, error: sqlx::Error) -> MigrateError {
        MigrateError::Database {
            action,
            message: database_message(&error),
        }
    }

    fn write_raw(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write;
        match self {
            MigrateError::Resolve(errors) => {
                write!(f, "the migrations folder has {} problem(s):", errors.len())?;
                for error in errors {
                    write!(f, "\n  - {error}")?;
                }
                Ok(())
            }
            MigrateError::InvalidUrl(problem) => write!(f, "{problem}"),
            MigrateError::UnsupportedUrl { url } => write!(
                f,
                "unsupported database URL `{url}`: use postgres://, postgresql://, sqlite:, mysql:// or mariadb:// (and enable the matching schema-runtime feature)"
            ),
            MigrateError::Connect { url, message } => {
                write!(f, "cannot connect to `{url}`: {message}")
            }
            MigrateError::Database { action, message } => {
                write!(f, "database error while {action}: {message}")
            }
            MigrateError::Statement(failure) => failure.write(f),
            MigrateError::ForeignKeyCheck { version, file, violations } => write!(
                f,
                "migration `{file}` left rows that violate foreign keys, so it was rolled back (the database stays below version {version}): {}; fix the data or the migration and run again",
                violations.join("; ")
            ),
            MigrateError::Refused(problems) => {
                write!(f, "refusing to migrate: the database history and the migration files disagree, nothing was applied:")?;
                for problem in problems {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
            MigrateError::LockTimeout { waited, holder } => {
                write!(
                    f,
                    "another migration run held the migration lock for more than {:.1}s",
                    waited.as_secs_f64()
                )?;
                if let Some(holder) = holder {
                    write!(f, " (holder: {holder})")?;
                }
                write!(f, "; wait for it to finish and run again, raise `lock_wait`, or stop the stuck process")
            }
            MigrateError::NoTransactionNeedsSessionLock { version, file } => write!(
                f,
                "migration {version} (`{file}`) is marked `-- schema:no-transaction`, which cannot be protected by a transaction-level lock: run it once over a direct connection (LockMode::Session), not through a transaction-pooling proxy"
            ),
            MigrateError::InvalidHistoryTable { name } => write!(
                f,
                "invalid history table name `{name}`: use ASCII letters, digits and `_`, starting with a letter or `_`, at most 63 bytes"
            ),
            MigrateError::UnknownVersion { version } => write!(
                f,
                "there is no migration {version}: pick a version from `cargo schema status`, or 0 for none"
            ),
            MigrateError::TargetBelowCurrent { target, current } => write!(
                f,
                "the database is at version {current}, above the target {target}: use rollback to go down"
            ),
            MigrateError::RollbackRefused(refusal) => write!(f, "{refusal}"),
            MigrateError::Incomplete { version, name } => write!(
                f,
                "migration {version} `{name}` was started but did not finish: run migrate to finish it before rolling back"
            ),
        }
    }
}

impl StatementFailure {
    fn write(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write;
        let now = match self.version_now {
            Some(version) => format!("version {version}"),
            None => "no migration applied".to_string(),
        };
        write!(
            f,
            "migration `{}` failed at line {}: {}\n  statement: {}\n",
            self.file,
            self.line,
            self.message,
            shorten(&self.statement, 400)
        )?;
        if self.lock_timeouts > 0 {
            let times = match self.lock_timeouts {
                1 => "once".to_string(),
                n => format!("{n} times"),
            };
            let find = if self.message.contains("55P03") {
                "find the session holding the lock with `SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE pid IN (SELECT pid FROM pg_locks WHERE relation IS NOT NULL AND granted) AND pid <> pg_backend_pid()` (pg_locks, pg_stat_activity; a session `idle in transaction` for long is the usual culprit; an `autovacuum worker` there is cancelled by the server only for a statement that has waited longer than `deadlock_timeout`, 1 s by default, so keep the lock timeout above that) and end it or let it finish"
            } else {
                "find the session holding the lock with `SHOW FULL PROCESSLIST` or `performance_schema.metadata_locks` / `information_schema.INNODB_TRX` and end it or let it finish"
            };
            let state = if self.transactional {
                format!("the migration was rolled back and the database stays at {now}")
            } else {
                format!("the statements before this one stay applied and the migration is recorded as unfinished (database at {now}); the next run resumes at this statement")
            };
            write!(
                f,
                "  the statement hit the lock timeout {times}: another session held a conflicting lock; {state}. {find}; or run again at a quieter time, or raise the lock timeout or the retry attempts (MigratorOptions::lock_timeout / retry)"
            )
        } else if self.transactional && self.message.contains("inside a transaction block") {
            write!(
                f,
                "  the statement cannot run in a transaction: put `-- schema:no-transaction` at the top of the file (the migration was rolled back; the database stays at {now})"
            )
        } else if self.transactional {
            write!(
                f,
                "  the migration was rolled back and the database stays at {now}; fix the file and run again"
            )
        } else {
            write!(
                f,
                "  the file runs outside a transaction: the statements before this one stay applied and the migration is recorded as unfinished (database at {now}); fix the statement and run again to resume"
            )
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((index, _)) => format!("{} ...", &text[..index]),
        None => text.to_string(),
    }
}

/// The database's own message, with its error code when it has one.
#[cfg(feature = "_db")]
pub(crate) fn database_message(error: &sqlx::Error) -> String {
    match error.as_database_error() {
        Some(db) => match db.code() {
            Some(code) => format!("{} (code {code})", db.message()),
            None => db.message().to_string(),
        },
        None => error.to_string(),
    }
}

impl fmt::Display for MigrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = String::new();
        self.write_raw(&mut raw)?;
        f.write_str(&redact(&raw))
    }
}

impl std::error::Error for MigrateError {}

impl From<Vec<ResolveError>> for MigrateError {
    fn from(errors: Vec<ResolveError>) -> Self {
        MigrateError::Resolve(errors)
    }
}
