//! Applying migrations: [`Migrator`], built by `embed_migrations!()` at compile time or by
//! [`Migrator::from_dir`] at run time (the CLI), both through the one resolver in
//! `schema_core::migrations`.
//!
//! Guarantees:
//! - one transaction per migration, together with its history row (except files marked
//!   `-- schema:no-transaction` and on MySQL, where DDL commits implicitly: those record
//!   their progress statement by statement and resume where they stopped);
//! - one run at a time per database and history table: a PostgreSQL advisory lock on a
//!   dedicated connection (or a transaction-level lock for pooling proxies), an exclusive
//!   SQLite write transaction per migration, a MySQL `GET_LOCK`; always released; a run with
//!   nothing pending only reads the history (no lock, no wait for one, no write);
//! - nothing is applied when an applied file changed, an applied migration is missing, or a
//!   new migration is numbered below an applied one;
//! - a statement that hits the lock timeout (PostgreSQL `55P03`, MySQL/MariaDB 1205/3572) is
//!   retried with bounded, jittered exponential backoff ([`LockTimeoutRetry`](crate::migrator::LockTimeoutRetry)): the whole
//!   migration when it runs in a transaction (rolled back first, so no history row), only the
//!   statement otherwise (progress is recorded after each statement that succeeded); each
//!   retry is announced ([`RetryNotice`](crate::migrator::RetryNotice), stderr by default) and the last failure says how
//!   often the timeout was hit and how to find the blocking session. SQLite waits out its
//!   `busy_timeout` (`lock_wait`) instead and is not retried;
//! - a file's `SET` stays in that file: the run's connection never returns to the pool, and
//!   PostgreSQL settings are restored between migrations. See [`MigratorOptions`] for how the
//!   runner's `lock_timeout`, a file's own `SET LOCAL lock_timeout` and
//!   `CREATE INDEX CONCURRENTLY` interact.

#[cfg(feature = "_db")]
mod analysis;
mod error;
mod options;
#[cfg(feature = "_db")]
mod pool;
mod redact;
mod report;
pub mod rollback_check;
#[cfg(feature = "_db")]
mod run;
#[cfg(feature = "_db")]
pub(crate) mod session;
mod url;

pub use error::{MigrateError, StatementFailure};
pub use options::{
    LockMode, LockRetry, LockTimeoutRetry, MigratorOptions, RetryNotice, RollbackTarget,
};
#[cfg(feature = "_db")]
pub use pool::{DatabasePool, MigrationPool};
pub use redact::{check_url, redact, redact_url, Secrets, UrlProblem};
pub use report::{
    Applied, AppliedMigration, Direction, MigrationState, MigrationStatus, Plan, PlannedMigration,
    Problem, Report, StatusReport,
};
pub use rollback_check::{AcceptDataLoss, CheckKind, DataCheck, RollbackRefusal};
pub use url::{dialect_of_url, with_database};

#[cfg(feature = "_db")]
use run::Goal;
use schema_core::migrations::{read_dir_deferring_downs, Migration};
use std::borrow::Cow;
use std::path::Path;

/// A set of migrations and the settings to apply them with.
///
/// ```ignore
/// // In a package with a `migrations/` folder beside its Cargo.toml:
/// static MIGRATOR: schema_runtime::Migrator = schema_runtime::embed_migrations!();
/// # async fn start(pool: sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// MIGRATOR.run(&pool).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Migrator {
    migrations: Cow<'static, [Migration]>,
    options: MigratorOptions,
}

impl Migrator {
    /// Used by `embed_migrations!`; the resolver has already sorted and checked the set.
    #[doc(hidden)]
    pub const fn __embedded(migrations: &'static [Migration]) -> Migrator {
        Migrator {
            migrations: Cow::Borrowed(migrations),
            options: MigratorOptions::DEFAULT,
        }
    }

    /// Reads a migrations folder at run time, with the same rules as `embed_migrations!`.
    ///
    /// The down files are listed (so a missing or unpaired one is reported here) but read only
    /// when a rollback or its plan needs them: their text then, and a down file that cannot be
    /// read or has an invalid directive fails that rollback, before it undoes anything.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrator, MigrateError> {
        Ok(Migrator {
            migrations: Cow::Owned(read_dir_deferring_downs(dir.as_ref())?),
            options: MigratorOptions::DEFAULT,
        })
    }

    /// The same migrations with other settings (cheap: embedded migrations are not copied).
    pub fn with_options(&self, options: MigratorOptions) -> Migrator {
        Migrator {
            migrations: self.migrations.clone(),
            options,
        }
    }

    pub fn options(&self) -> &MigratorOptions {
        &self.options
    }

    /// The migrations, by version.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }
}

/// Running migrations needs a database: enable `postgres`, `sqlite` or `mysql`.
#[cfg(feature = "_db")]
impl Migrator {
    /// Applies every pending migration.
    pub async fn run<P: MigrationPool + ?Sized>(&self, pool: &P) -> Result<Report, MigrateError> {
        run::run(self, &pool.to_database_pool(), Goal::Up { to: None }).await
    }

    /// Applies pending migrations up to and including `version`.
    pub async fn run_to<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
        version: i64,
    ) -> Result<Report, MigrateError> {
        run::run(
            self,
            &pool.to_database_pool(),
            Goal::Up { to: Some(version) },
        )
        .await
    }

    /// Undoes, newest first, every applied migration above `version` (0: all of them).
    pub async fn rollback_to<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
        version: i64,
    ) -> Result<Report, MigrateError> {
        let goal = Goal::Down(RollbackTarget::To(version));
        run::run(self, &pool.to_database_pool(), goal).await
    }

    /// Undoes the `steps` most recently applied migrations.
    pub async fn rollback_steps<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
        steps: usize,
    ) -> Result<Report, MigrateError> {
        let goal = Goal::Down(RollbackTarget::Steps(steps));
        run::run(self, &pool.to_database_pool(), goal).await
    }

    /// Applied, pending, changed, unfinished and missing migrations. Reads only; creates
    /// nothing.
    pub async fn status<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
    ) -> Result<StatusReport, MigrateError> {
        let applied = self.read_history(&pool.to_database_pool()).await?;
        Ok(analysis::status(&self.migrations, &applied))
    }

    /// What `run_to` (`to: Some`) or `run` (`to: None`) would execute, without executing it.
    pub async fn plan_run<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
        to: Option<i64>,
    ) -> Result<Plan, MigrateError> {
        let pool = pool.to_database_pool();
        let applied = self.read_history(&pool).await?;
        let migrations = analysis::to_apply(&self.migrations, &applied, to)?;
        let migrations = analysis::with_scripts(migrations, Direction::Up)?;
        Ok(analysis::plan(
            pool.dialect(),
            Direction::Up,
            &migrations,
            &applied,
        ))
    }

    /// What a rollback would execute, without executing it, with its data checks
    /// ([`Plan::checks`]; the rollback would be refused when [`Plan::refused`]).
    pub async fn plan_rollback<P: MigrationPool + ?Sized>(
        &self,
        pool: &P,
        target: RollbackTarget,
    ) -> Result<Plan, MigrateError> {
        let pool = pool.to_database_pool();
        let applied = self.read_history(&pool).await?;
        let migrations = analysis::to_roll_back(&self.migrations, &applied, target)?;
        let migrations = analysis::with_scripts(migrations, Direction::Down)?;
        let mut plan = analysis::plan(pool.dialect(), Direction::Down, &migrations, &applied);
        plan.checks = self.data_checks(&pool, &migrations).await?;
        Ok(plan)
    }

    /// The rollback gate's findings for these down scripts, on a session of its own.
    async fn data_checks(
        &self,
        pool: &DatabasePool,
        scripts: &[(&Migration, Cow<'_, schema_core::migrations::Script>)],
    ) -> Result<Vec<DataCheck>, MigrateError> {
        let mut session = session::Session::open(pool, &self.options).await?;
        if let Err(error) = session.prepare(pool).await {
            session.release().await;
            return Err(error);
        }
        let dialect = session.dialect;
        let accept = &self.options.accept_data_loss;
        let checks =
            rollback_check::check_rollback(session.connection(), dialect, scripts, accept).await;
        session.release().await;
        checks
    }

    async fn read_history(
        &self,
        pool: &DatabasePool,
    ) -> Result<Vec<AppliedMigration>, MigrateError> {
        let mut session = session::Session::open(pool, &self.options).await?;
        if let Err(error) = session.prepare(pool).await {
            session.release().await;
            return Err(error);
        }
        let applied = match session.history_exists().await {
            Ok(true) => session.read_applied(true).await,
            Ok(false) => Ok(Vec::new()),
            Err(error) => Err(error),
        };
        session.release().await;
        applied
    }
}
