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
