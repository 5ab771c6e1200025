//! The blog migrates its own database at start-up, then writes and reads a little data.
//!
//! SQLite (`blog.db` in the current directory) by default; PostgreSQL when `DATABASE_URL` is a
//! `postgres://` URL.

use schema_runtime::Migrator;
use std::error::Error;

static SQLITE_MIGRATIONS: Migrator = schema_runtime::embed_migrations!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = schema_runtime::embed_migrations!("migrations/postgres");

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://blog.db?mode=rwc".into());
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = sqlx::PgPool::connect(&url).await?;
        let report = POSTGRES_MIGRATIONS.run(&pool).await?;
        print_report("postgres", &report);
        blog::demo::postgres(&pool).await?;
    } else {
        let pool = sqlx::SqlitePool::connect(&url).await?;
        let report = SQLITE_MIGRATIONS.run(&pool).await?;
        print_report("sqlite", &report);
        blog::demo::sqlite(&pool).await?;
    }
    Ok(())
}

fn print_report(database: &str, report: &schema_runtime::migrator::Report) {
    if report.migrations.is_empty() {
        println!("{database}: schema up to date");
    }
    for m in &report.migrations {
        println!("{database}: applied {} ({} ms)", m.file, m.execution_ms);
    }
}
