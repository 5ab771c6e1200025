//! The migrator on MySQL/MariaDB: the basic path (DDL commits implicitly there, so every
//! migration runs statement by statement with recorded progress).

mod runtime_support;

use runtime_support::scenarios;
use schema_runtime::{DatabasePool, Dialect};
use schema_tests::testdb;

async fn pool() -> Option<(testdb::TestDb, DatabasePool)> {
    let db = testdb::mysql().await?;
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Some((db, pool))
}

#[tokio::test]
async fn round_trip() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    scenarios::round_trip(&pool).await;
    pool.close().await;
}

#[tokio::test]
async fn failure_then_fix_resumes_after_the_statements_that_ran() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    scenarios::failure_then_fix(&pool, Dialect::Mysql).await;
    pool.close().await;
}

#[tokio::test]
async fn tamper() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    scenarios::tamper(&pool).await;
    pool.close().await;
}

/// A run cancelled while a statement executes does not keep the lock until the statement
/// ends: the abandoned connection is ended from another one.
#[tokio::test]
async fn a_cancelled_run_releases_the_lock_at_once() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let slow = runtime_support::Folder::new(&[
        ("0001_slow.up.sql", "SELECT SLEEP(30);"),
        ("0001_slow.down.sql", "SELECT 1;"),
    ]);
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        slow.migrator().run(&pool),
    )
    .await;
    assert!(cancelled.is_err(), "the run was cancelled");
    let quick = runtime_support::Folder::new(&[
        ("0001_slow.up.sql", "SELECT 1;"),
        ("0001_slow.down.sql", "SELECT 1;"),
    ]);
    let options =
        schema_runtime::MigratorOptions::DEFAULT.lock_wait(std::time::Duration::from_secs(5));
    let started = std::time::Instant::now();
    quick
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("lock free after cancel: {e}"));
    // Without ending the abandoned connection MySQL keeps the lock for seconds (measured:
    // about 4.5 s here), until it notices the closed socket.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    pool.close().await;
}
