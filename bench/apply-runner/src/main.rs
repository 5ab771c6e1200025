//! `apply-runner DIR URL`: what an application does at start-up. Connects a sqlx pool (two
//! connections, like the CLI: the PostgreSQL lock holds one), reads the migrations folder with
//! `Migrator::from_dir` (the same resolver `embed_migrations!` uses), runs `Migrator::run`,
//! and prints how many migrations it applied. Exit 1 on any error.

use schema_runtime::Migrator;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(url)) = (args.next(), args.next()) else {
        eprintln!("usage: apply-runner MIGRATIONS_DIR DATABASE_URL");
        std::process::exit(2);
    };
    if let Err(e) = run(&dir, &url).await {
        eprintln!("apply-runner: {e}");
        std::process::exit(1);
    }
}

async fn run(dir: &str, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let migrator = Migrator::from_dir(dir)?;
    let applied = if url.starts_with("sqlite:") {
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options.create_if_missing(true))
            .await?;
        let report = migrator.run(&pool).await?;
        pool.close().await;
        report.migrations.len()
    } else {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(url)
            .await?;
        let report = migrator.run(&pool).await?;
        pool.close().await;
        report.migrations.len()
    };
    println!("{applied}");
    Ok(())
}
