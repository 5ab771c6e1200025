//! What `erd` draws: the snapshot of the one selected target, or a live database.

use crate::cli::PackageArgs;
use crate::database::url::{dialect_of_url, redact};
use crate::error::CliError;
use crate::output::{display_path, Output};
use crate::project::package;
use crate::project::snapshot_file;
use schema_core::model::Schema;
use schema_runtime::DatabasePool;

pub struct Drawn {
    pub schema: Schema,
    /// Where it came from: `blog (postgres) at 0004_add_index_to_comments`, a redacted URL.
    pub title: String,
}

/// The committed snapshot of the one target the selection names.
pub fn snapshot(packages: &PackageArgs) -> Result<Drawn, CliError> {
    let mut targets = Vec::new();
    for package in package::select(packages)? {
        for target in package.targets {
            targets.push((package.name.clone(), target));
        }
    }
    let (name, target) = match targets.len() {
        1 => targets.remove(0),
        0 => {
            return Err(
                CliError::new("no package with `[package.metadata.schema]` to draw")
                    .hint("run inside the package, or select it with `-p` / `--manifest-path`"),
            )
        }
        _ => {
            let names: Vec<String> = targets
                .iter()
                .map(|(p, t)| format!("{p} ({})", t.dialect))
                .collect();
            return Err(
                CliError::new(format!("several schemas to draw: {}", names.join(", "))).hint(
                    format!(
                        "pick one with `--dialect {}` (or `-p PACKAGE`)",
                        targets[0].1.dialect
                    ),
                ),
            );
        }
    };
    let path = snapshot_file::path(&target);
    if !path.exists() {
        return Err(CliError::new(format!(
            "{name} ({}) has no snapshot yet: {} does not exist",
            target.dialect,
            display_path(&path)
        ))
        .hint("run `cargo schema generate` first, or draw a live database with `--database-url`"));
    }
    let snapshot = snapshot_file::load(&target)?;
    let at = snapshot
        .last()
        .map(|m| format!(" at {}", m.id()))
        .unwrap_or_default();
    Ok(Drawn {
        schema: snapshot.schema,
        title: format!("{name} ({}){at}", target.dialect),
    })
}

/// The live database at `url`, read back into the schema model.
pub fn database(url: &str, out: &mut Output) -> Result<Drawn, CliError> {
    let shown = redact(url);
    if dialect_of_url(url).is_none() {
        return Err(CliError::new(format!("`{shown}` is not a database URL"))
            .hint("use postgres://user@host/db, sqlite:path/to/file.db or mysql://user@host/db"));
    }
    crate::database::url::check_url(url).map_err(|problem| {
        CliError::new(format!("--database-url: {problem}"))
            .hint("fix --database-url / DATABASE_URL")
    })?;
    out.status("Reading", format!("the schema of {shown}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("cannot start the async runtime: {e}")))?;
    let schema = runtime.block_on(async {
        let pool = DatabasePool::connect(url).await.map_err(|e| {
            CliError::new(e.to_string())
                .hint("check --database-url / DATABASE_URL and that the server is running (or draw the snapshot with `--snapshot`)")
        })?;
        let result = match &pool {
            DatabasePool::Postgres(p) => schema_runtime::introspect::postgres(p, "public").await,
            DatabasePool::Sqlite(p) => schema_runtime::introspect::sqlite(p).await,
            DatabasePool::Mysql(p) => schema_runtime::introspect::mysql(p).await,
            _ => {
                pool.close().await;
                return Err(CliError::new("reading this kind of database is not supported"));
            }
        };
        pool.close().await;
        result.map_err(|e| CliError::new(format!("cannot read the schema of {shown}: {e}")))
    })?;
    Ok(Drawn {
        schema,
        title: shown,
    })
}
