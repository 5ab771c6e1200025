//! Shared by `migrate`, `rollback` and `status`: the URL, the one target it belongs to, the
//! runtime's `Migrator` for that target's folder, and what a `MigrateError` means for the
//! exit status. The commands never run SQL themselves: the runtime library does.

pub mod url;

use crate::cli::PackageArgs;
use crate::database::url::{dialect_of_url, redact_url};
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::{display_path, Output};
use crate::project::package::{self, SchemaTarget};
use schema_runtime::{DatabasePool, MigrateError, Migrator};
use std::future::Future;

/// Everything a database command needs.
pub struct Session {
    pub target: SchemaTarget,
    pub migrator: Migrator,
    pub url: String,
}

/// Resolves the URL and the one target of that URL's dialect among the selected packages.
pub fn open(url: Option<&str>, packages: &PackageArgs) -> Result<Session, CliError> {
    let url = url.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        CliError::new("no database URL")
            .hint("pass `--database-url postgres://...` (or sqlite:path, mysql://...), or set DATABASE_URL")
    })?;
    let dialect = dialect_of_url(url).ok_or_else(|| {
        CliError::new(format!("`{}` is not a database URL", redact_url(url)))
            .hint("use postgres://user@host/db, sqlite:path/to/file.db or mysql://user@host/db")
    })?;
    crate::database::url::check_url(url).map_err(|problem| {
        CliError::new(format!("--database-url: {problem}"))
            .hint("fix --database-url / DATABASE_URL")
    })?;
    let mut candidates = Vec::new();
    for package in package::select(packages)? {
        for target in package.targets {
            if target.dialect == dialect {
                candidates.push((package.name.clone(), target));
            }
        }
    }
    let target = match candidates.len() {
        0 => {
            return Err(CliError::new(format!(
                "the database URL is {dialect}, but no selected package has a {dialect} target"
            ))
            .hint("check the URL, or select the package with `-p`"))
        }
        1 => candidates.remove(0).1,
        _ => {
            let names: Vec<String> = candidates
                .iter()
                .map(|(p, t)| format!("{p} ({})", display_path(&t.migrations)))
                .collect();
            return Err(CliError::new(format!(
                "several {dialect} targets match the URL: {}",
                names.join(", ")
            ))
            .hint("pick one with `-p PACKAGE`"));
        }
    };
    let migrator = Migrator::from_dir(&target.migrations).map_err(|e| {
        CliError::new(format!("{e}")).hint(format!(
            "fix the files in {} (`cargo schema verify` explains each problem)",
            display_path(&target.migrations)
        ))
    })?;
    Ok(Session {
        target,
        migrator,
        url: url.to_string(),
    })
}

/// Runs `work` with a pool connected to the session's database, and closes the pool.
pub fn with_pool<T, E, F, Fut>(session: &Session, work: F) -> Result<T, E>
where
    E: From<CliError>,
    F: FnOnce(DatabasePool) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let pool = DatabasePool::connect(&session.url).await.map_err(|e| {
            CliError::new(e.to_string())
                .hint("check --database-url / DATABASE_URL and that the server is running")
        })?;
        let result = work(pool.clone()).await;
        pool.close().await;
        result
    })
}

/// A failure the command reports with exit status 1 (the run stopped, the database is at its
/// last good version, or the history disagrees with the files), or an error (exit 2).
pub enum Failure {
    Failed(MigrateError),
    Error(CliError),
}

impl From<CliError> for Failure {
    fn from(e: CliError) -> Self {
        Failure::Error(e)
    }
}

pub fn classify(error: MigrateError) -> Failure {
    match error {
        MigrateError::Statement(_)
        | MigrateError::ForeignKeyCheck { .. }
        | MigrateError::Refused(_)
        | MigrateError::RollbackRefused(_)
        | MigrateError::Incomplete { .. } => Failure::Failed(error),
        other => Failure::Error(CliError::new(other.to_string())),
    }
}

/// What a failure comes to: an error (exit status 2), or `<command> failed: ...` (1).
pub fn report_failure(failure: Failure, command: &str, out: &mut Output) -> CommandResult {
    match failure {
        Failure::Error(e) => Err(e),
        Failure::Failed(e) => {
            out.json(&serde_json::json!({"status": "failed", "error": e.to_string()}));
            Ok(Outcome::problems(format!("{command} failed: {e}")))
        }
    }
}
