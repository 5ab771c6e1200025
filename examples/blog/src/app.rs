//! Start-up: migrate the database the URL names, then do a little work with it.

use schema_runtime::migrator::Report;
use schema_runtime::Migrator;
use std::error::Error;

static SQLITE_MIGRATIONS: Migrator = schema_runtime::embed_migrations!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = schema_runtime::embed_migrations!("migrations/postgres");

/// The URL used when `DATABASE_URL` is not set: a SQLite file in the current directory.
pub const DEFAULT_URL: &str = "sqlite://blog.db?mode=rwc";

/// Migrates the database at `url` (PostgreSQL for `postgres://`/`postgresql://`, SQLite
/// otherwise), writes and reads a post, and returns what happened, one line each.
pub async fn run(url: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let mut lines = Vec::new();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = sqlx::PgPool::connect(url).await?;
        let report = POSTGRES_MIGRATIONS.run(&pool).await?;
        describe("postgres", &report, &mut lines);
        lines.extend(crate::demo::postgres(&pool).await?);
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(url).await?;
        let report = SQLITE_MIGRATIONS.run(&pool).await?;
        describe("sqlite", &report, &mut lines);
        lines.extend(crate::demo::sqlite(&pool).await?);
        pool.close().await;
    }
    Ok(lines)
}

fn describe(database: &str, report: &Report, lines: &mut Vec<String>) {
    if report.migrations.is_empty() {
        lines.push(format!("{database}: schema up to date"));
    }
    for m in &report.migrations {
        lines.push(format!(
            "{database}: applied {} ({} ms)",
            m.file, m.execution_ms
        ));
    }
}
