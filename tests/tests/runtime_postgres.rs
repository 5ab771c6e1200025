//! The migrator on PostgreSQL: round trip, failure, tamper, resumable non-transactional
//! migrations, lock release on every path, lock modes, password redaction.

mod runtime_support;

use runtime_support::{execute, scenarios, texts, Folder};
use schema_runtime::migrator::LockMode;
use schema_runtime::{DatabasePool, Dialect, MigrateError, MigratorOptions};
use schema_tests::testdb;
use std::time::{Duration, Instant};

async fn pool() -> Option<(testdb::TestDb, DatabasePool)> {
    let db = testdb::postgres().await?;
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
async fn failure_then_fix() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    scenarios::failure_then_fix(&pool, Dialect::Postgres).await;
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

#[tokio::test]
async fn down_files_read_when_rolling_back() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    scenarios::down_files_read_when_rolling_back(&pool).await;
    pool.close().await;
}

async fn index_validity(pool: &DatabasePool, name: &str) -> Vec<String> {
    texts(
        pool,
        &format!("SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '{name}'"),
    )
    .await
}

/// `CREATE UNIQUE INDEX CONCURRENTLY` fails on duplicates and leaves an INVALID index; after
/// the data is fixed, running again drops it and builds a valid one (with `IF NOT EXISTS`
/// alone the invalid index would silently stay).
#[tokio::test]
async fn failed_concurrent_index_is_rebuilt_on_the_next_run() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let folder = Folder::new(&[
        ("0001_items.up.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL);\nINSERT INTO items VALUES (1, 'a'), (2, 'a');\n"),
        ("0001_items.down.sql", "DROP TABLE items;"),
        (
            "0002_unique_code.up.sql",
            "-- schema:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_id_idx ON items (id);\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_code_key ON items (code);\n",
        ),
        ("0002_unique_code.down.sql", "-- schema:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS items_code_key;\nDROP INDEX CONCURRENTLY IF EXISTS items_id_idx;\n"),
    ]);
    let error = folder
        .migrator()
        .run(&pool)
        .await
        .expect_err("duplicate codes");
    let MigrateError::Statement(failure) = &error else {
        panic!("{error}")
    };
    assert!(!failure.transactional);
    assert_eq!(failure.line, 3);
    assert_eq!(failure.version_now, Some(1));
    assert!(error.to_string().contains("run again to resume"), "{error}");
    assert_eq!(index_validity(&pool, "items_code_key").await, vec!["false"]);
    let status = folder.migrator().status(&pool).await.unwrap();
    assert_eq!(
        status.migrations[1].state,
        schema_runtime::migrator::MigrationState::Incomplete
    );
    let plan = folder.migrator().plan_run(&pool, None).await.unwrap();
    assert_eq!(
        plan.migrations[0].statements.len(),
        1,
        "resumes at the failed statement"
    );

    execute(&pool, "DELETE FROM items WHERE id = 2").await;
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(index_validity(&pool, "items_code_key").await, vec!["true"]);
    assert_eq!(index_validity(&pool, "items_id_idx").await, vec!["true"]);
    assert!(folder
        .migrator()
        .status(&pool)
        .await
        .unwrap()
        .is_up_to_date());

    // The no-transaction down file runs statement by statement too.
    folder
        .migrator()
        .rollback_steps(&pool, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(index_validity(&pool, "items_code_key").await.is_empty());
    pool.close().await;
}

fn slow_folder(seconds: f64) -> Folder {
    Folder::new(&[
        (
            "0001_slow.up.sql",
            &format!("CREATE TABLE slow (id INTEGER);\nSELECT pg_sleep({seconds});\n"),
        ),
        ("0001_slow.down.sql", "DROP TABLE slow;"),
    ])
}

fn quick_wait() -> MigratorOptions {
    MigratorOptions::DEFAULT.lock_wait(Duration::from_secs(3))
}

/// While one run holds the lock, another waits `lock_wait` and then names the holder.
#[tokio::test]
async fn lock_wait_is_bounded_and_names_the_holder() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let slow = slow_folder(3.0).migrator();
    let holder_pool = pool.clone();
    let holder =
        tokio::spawn(async move { slow.run(&holder_pool).await.map(|r| r.migrations.len()) });
    tokio::time::sleep(Duration::from_millis(500)).await;

    let waiter = slow_folder(3.0)
        .migrator()
        .with_options(MigratorOptions::DEFAULT.lock_wait(Duration::from_millis(400)));
    let started = Instant::now();
    let error = waiter.run(&pool).await.expect_err("lock is held");
    assert!(matches!(error, MigrateError::LockTimeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let text = error.to_string();
    assert!(
        text.contains("pid") && text.contains("pg_terminate_backend"),
        "{text}"
    );

    assert_eq!(holder.await.unwrap().unwrap(), 1);
    pool.close().await;
}

/// The lock is released when a run fails, when its future is dropped mid-migration, and when
/// the task running it panics: the next run gets it at once.
#[tokio::test]
async fn lock_is_released_on_error_cancel_and_panic() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let broken = Folder::new(&[
        ("0001_bad.up.sql", "SELECT * FROM missing_table;"),
        ("0001_bad.down.sql", "SELECT 1;"),
    ]);
    broken.migrator().run(&pool).await.expect_err("SQL error");
    slow_folder(0.0)
        .migrator()
        .with_options(quick_wait())
        .rollback_to(&pool, 0)
        .await
        .expect("lock free after an error");

    // Cancelled: the future is dropped while a statement runs.
    let slow = slow_folder(30.0).migrator();
    let cancelled = tokio::time::timeout(Duration::from_millis(500), slow.run(&pool)).await;
    assert!(cancelled.is_err(), "the run was cancelled");
    let started = Instant::now();
    slow_folder(0.0)
        .migrator()
        .with_options(quick_wait())
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("lock free after cancel: {e}"));
    assert!(started.elapsed() < Duration::from_secs(3));
    slow_folder(0.0)
        .migrator()
        .rollback_to(&pool, 0)
        .await
        .unwrap();

    // Panicked: the task unwinds while holding the lock.
    let panicking_pool = pool.clone();
    let task = tokio::spawn(async move {
        let slow = slow_folder(30.0).migrator();
        tokio::select! {
            _ = slow.run(&panicking_pool) => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => panic!("task panics mid-migration"),
        }
    });
    assert!(task.await.unwrap_err().is_panic());
    slow_folder(0.0)
        .migrator()
        .with_options(quick_wait())
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("lock free after panic: {e}"));
    assert_eq!(
        texts(
            &pool,
            "SELECT count(*)::text FROM _schema_migrations WHERE complete"
        )
        .await,
        vec!["1"]
    );
    pool.close().await;
}

/// The transaction-level lock mode (for PgBouncer transaction pooling) applies transactional
/// migrations and refuses no-transaction ones with a message saying what to do.
#[tokio::test]
async fn transaction_lock_mode() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let options = MigratorOptions::DEFAULT
        .lock_mode(LockMode::Transaction)
        .lock_timeout(Some(Duration::from_secs(2)));
    let folder = Folder::new(&[
        ("0001_a.up.sql", "CREATE TABLE a (id INTEGER);"),
        ("0001_a.down.sql", "DROP TABLE a;"),
    ]);
    folder
        .migrator()
        .with_options(options.clone())
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(
        "0002_idx.up.sql",
        "-- schema:no-transaction\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);",
    );
    folder.write("0002_idx.down.sql", "DROP INDEX a_id_idx;");
    let error = folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .expect_err("no-tx refused");
    assert!(
        matches!(
            error,
            MigrateError::NoTransactionNeedsSessionLock { version: 2, .. }
        ),
        "{error}"
    );
    pool.close().await;
}

/// A password in a URL never appears in an error.
#[tokio::test]
async fn connection_errors_hide_the_password() {
    let error = DatabasePool::connect("postgres://app:hunter2secret@127.0.0.1:1/nowhere")
        .await
        .expect_err("nothing listens on port 1");
    let text = error.to_string();
    assert!(!text.contains("hunter2secret"), "{text}");
    assert!(text.contains("app:***@127.0.0.1"), "{text}");
    let unsupported = DatabasePool::connect("oracle://sys:topsecret@db/x")
        .await
        .expect_err("unsupported");
    assert!(
        !unsupported.to_string().contains("topsecret"),
        "{unsupported}"
    );
}

/// A custom history table keeps its own history, and a bad name is refused before any SQL.
#[tokio::test]
async fn history_table_option() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let folder = Folder::new(&[
        ("0001_a.up.sql", "CREATE TABLE a (id INTEGER);"),
        ("0001_a.down.sql", "DROP TABLE a;"),
    ]);
    let custom = folder
        .migrator()
        .with_options(MigratorOptions::DEFAULT.history_table("app_history"));
    custom.run(&pool).await.unwrap();
    assert_eq!(
        texts(&pool, "SELECT count(*)::text FROM app_history").await,
        vec!["1"]
    );
    let bad = folder
        .migrator()
        .with_options(MigratorOptions::DEFAULT.history_table("x; DROP TABLE a"));
    assert!(matches!(
        bad.run(&pool).await,
        Err(MigrateError::InvalidHistoryTable { .. })
    ));
    pool.close().await;
}

/// `CREATE INDEX CONCURRENTLY` in a transactional file fails with a hint naming the directive.
#[tokio::test]
async fn concurrent_index_in_a_transaction_hints_at_the_directive() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let folder = Folder::new(&[
        (
            "0001_a.up.sql",
            "CREATE TABLE a (id INTEGER);\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);\n",
        ),
        ("0001_a.down.sql", "DROP TABLE a;"),
    ]);
    let error = folder
        .migrator()
        .run(&pool)
        .await
        .expect_err("CIC in a transaction");
    let text = error.to_string();
    assert!(
        text.contains("-- schema:no-transaction") && text.contains("line 2"),
        "{text}"
    );
    assert!(
        runtime_support::tables(&pool).await.is_empty(),
        "rolled back"
    );
    pool.close().await;
}
