//! Applies a migrations folder to a database and exits: 0 applied (or nothing to do),
//! 1 the migrator refused or failed, 2 bad arguments. The crash and concurrency tests start
//! many of these at once and kill them at random moments.
//!
//! Usage: migrate_worker <database-url> <migrations-dir> [lock-wait-ms]

use schema_runtime::{DatabasePool, Migrator, MigratorOptions};
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(url), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: migrate_worker <database-url> <migrations-dir> [lock-wait-ms]");
        std::process::exit(2);
    };
    let lock_wait = args
        .get(2)
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(60));
    let code = match migrate(url, dir, lock_wait).await {
        Ok(applied) => {
            println!("applied {applied}");
            0
        }
        Err(error) => {
            eprintln!("migrate_worker: {error}");
            1
        }
    };
    std::process::exit(code);
}

async fn migrate(
    url: &str,
    dir: &str,
    lock_wait: Duration,
) -> Result<usize, schema_runtime::MigrateError> {
    let migrator =
        Migrator::from_dir(dir)?.with_options(MigratorOptions::DEFAULT.lock_wait(lock_wait));
    let pool = DatabasePool::connect(url).await?;
    let report = migrator.run(&pool).await;
    pool.close().await;
    Ok(report?.migrations.len())
}
