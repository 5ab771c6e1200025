//! The blog migrates its own database at start-up, then writes and reads a little data.
//!
//! SQLite (`blog.db` in the current directory) by default; PostgreSQL when `DATABASE_URL` is a
//! `postgres://` URL.

mod schema;

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
        println!("postgres: {report}");
        demo::postgres(&pool).await?;
    } else {
        let pool = sqlx::SqlitePool::connect(&url).await?;
        let report = SQLITE_MIGRATIONS.run(&pool).await?;
        println!("sqlite: {report}");
        demo::sqlite(&pool).await?;
    }
    Ok(())
}

mod demo;
