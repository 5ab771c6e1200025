//! `verify`'s replay: apply every up migration to a scratch database (through the runtime's
//! `Migrator`, the one runner), read it back with introspection and compare it with the
//! snapshot; then all downs must leave it empty and all ups again must rebuild the snapshot.
//! SQLite replays in memory; PostgreSQL and MySQL on a uniquely named scratch database created
//! on the `--database-url` server and always dropped.

use crate::db_url::{dialect_of_url, redact};
use crate::error::CliError;
use crate::package::SchemaTarget;
use crate::problem::Problem;
use crate::scratch::Scratch;
use schema_core::model::Schema;
use schema_core::snapshot::Snapshot;
use schema_core::Dialect;
use schema_runtime::{DatabasePool, MigrateError, Migrator};
use sqlx::Connection;

pub enum ReplayPlan {
    /// Why the replay does not run.
    Skip(String),
    Run(Replay),
}

pub enum Replay {
    SqliteMemory,
    /// A server URL; the scratch database is created next to the one it names.
    Server {
        url: String,
    },
}

impl Replay {
    pub fn describe(&self) -> String {
        match self {
            Replay::SqliteMemory => "an in-memory SQLite database".to_string(),
            Replay::Server { url } => format!("a scratch database on {}", redact(url)),
        }
    }
}

/// How to replay `target`. `dialect_chosen`: the user picked the target with `--dialect`, so
/// a URL of another kind is a mistake rather than a URL meant for another target.
pub fn plan(
    target: &SchemaTarget,
    url: Option<&str>,
    dialect_chosen: bool,
) -> Result<ReplayPlan, CliError> {
    if target.dialect == Dialect::Sqlite {
        return Ok(ReplayPlan::Run(Replay::SqliteMemory));
    }
    let Some(url) = url else {
        return Ok(ReplayPlan::Skip(format!(
            "pass `--database-url` (or set DATABASE_URL) to a {} server where a scratch database may be created",
            target.dialect
        )));
    };
    let url_dialect = dialect_of_url(url).ok_or_else(|| {
        CliError::new(format!("`{}` is not a database URL", redact(url)))
            .hint("use postgres://user@host/db, mysql://user@host/db or sqlite:path")
    })?;
    if url_dialect != target.dialect && !dialect_chosen {
        return Ok(ReplayPlan::Skip(format!(
            "--database-url is a {url_dialect} URL; replay this target with `--dialect {} --database-url <{} URL>`",
            target.dialect, target.dialect
        )));
    }
    if url_dialect != target.dialect {
        return Err(CliError::new(format!(
            "--database-url is a {url_dialect} URL, but this target's dialect is {}",
            target.dialect
        ))
        .hint("pick the matching target with `--dialect`"));
    }
    Ok(ReplayPlan::Run(Replay::Server {
        url: url.to_string(),
    }))
}

pub fn run(
    replay: &Replay,
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Vec<Problem>, CliError> {
    let migrator = Migrator::from_dir(&target.migrations)
        .map_err(|e| CliError::new(format!("cannot load the migrations for the replay: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        match replay {
            Replay::SqliteMemory => {
                let open_error = |e: sqlx::Error| {
                    CliError::new(format!("cannot open an in-memory SQLite database: {e}"))
                };
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect("sqlite::memory:")
                    .await
                    .map_err(open_error)?;
                // An in-memory database lives while one of its connections is open, and the
                // migrator works on a connection of its own: this one keeps the database alive.
                let keeper = pool.acquire().await.map_err(open_error)?.detach();
                let result = replay_on(
                    &migrator,
                    &DatabasePool::Sqlite(pool.clone()),
                    target,
                    snapshot,
                )
                .await;
                pool.close().await;
                let _ = keeper.close().await;
                result
            }
            Replay::Server { url } => {
                let scratch = Scratch::create(url).await?;
                let work = async {
                    match DatabasePool::connect(&scratch.url).await {
                        Ok(pool) => {
                            let result = replay_on(&migrator, &pool, target, snapshot).await;
                            pool.close().await;
                            result
                        }
                        Err(e) => Err(CliError::new(format!(
                            "cannot connect to the scratch database: {e}"
                        ))),
                    }
                };
                // Interrupted, the scratch database is still dropped (a verify killed outright
                // leaves it to the next verify's sweep).
                let result = tokio::select! {
                    result = work => result,
                    signal = interrupted() => Err(CliError::new(format!(
                        "{signal}: the replay stopped; its scratch database is dropped"
                    ))),
                };
                scratch.drop_database().await?;
                result
            }
        }
    })
}

/// Resolves when the process is asked to stop (Ctrl-C, or SIGTERM as CI runners send on a
/// timeout), with the signal's name; never when signals cannot be watched.
async fn interrupted() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).ok();
        let terminate = async {
            match term.as_mut() {
                Some(t) => t.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Ok(()) = tokio::signal::ctrl_c() => "interrupted",
            _ = terminate => "terminated",
        }
    }
    #[cfg(not(unix))]
    {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "interrupted",
            Err(_) => std::future::pending().await,
        }
    }
}

/// Up, compare; down, compare with empty; up again, compare. Stops at the first difference.
async fn replay_on(
    migrator: &Migrator,
    pool: &DatabasePool,
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Vec<Problem>, CliError> {
    let mut steps = Steps::default();
    steps.record(migrator.run(pool).await, "up");
    if steps.ok() {
        steps.compare(
            introspect(pool).await?,
            &snapshot.schema,
            "after all up migrations",
        );
        steps.record(migrator.rollback_to(pool, 0).await, "down");
    }
    if steps.ok() {
        let empty = Schema::empty(target.dialect);
        steps.compare(introspect(pool).await?, &empty, "after all down migrations");
        steps.record(migrator.run(pool).await, "up again");
    }
    if steps.ok() {
        steps.compare(
            introspect(pool).await?,
            &snapshot.schema,
            "after all up migrations again",
        );
    }
    Ok(steps.problems)
}

async fn introspect(pool: &DatabasePool) -> Result<Schema, CliError> {
    let result = match pool {
        DatabasePool::Sqlite(p) => schema_runtime::introspect::sqlite(p).await,
        DatabasePool::Postgres(p) => schema_runtime::introspect::postgres(p, "public").await,
        DatabasePool::Mysql(p) => schema_runtime::introspect::mysql(p).await,
        _ => {
            return Err(CliError::new(
                "reading this kind of database back into the schema model is not supported yet",
            ))
        }
    };
    result.map_err(|e| CliError::new(format!("replay: {e}")))
}

/// The problems found so far; the replay stops at the first failed step.
#[derive(Default)]
struct Steps {
    problems: Vec<Problem>,
    failed: bool,
}

impl Steps {
    fn ok(&self) -> bool {
        !self.failed
    }

    fn record<T>(&mut self, result: Result<T, MigrateError>, direction: &str) {
        if let Err(e) = result {
            self.failed = true;
            self.problems.push(Problem::new(
                "replay_failed",
                format!("applying the {direction} migrations to a scratch database failed: {e}"),
                "fix the failing migration file (a hand-written one, or restore a generated one with `git checkout`), then run `cargo schema verify` again",
            ));
        }
    }

    fn compare(&mut self, actual: Schema, expected: &Schema, when: &str) {
        let differences = schema_core::compare::differences(expected, &actual);
        if differences.is_empty() {
            return;
        }
        self.failed = true;
        self.problems.push(Problem::new(
            "replay_drift",
            format!(
                "{when}, the scratch database differs from the snapshot: {}",
                differences.join("; ")
            ),
            "a migration does not do what the snapshot records (usually a hand-written migration that changes the schema, or an edited down file): move schema changes into the structs and `cargo schema generate`, keep hand-written migrations to data",
        ));
    }
}
