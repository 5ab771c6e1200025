//! Lock timeouts on real servers: a migration blocked by another session's lock fails on its
//! lock timeout, is retried with backoff (the whole migration in a transaction, the statement
//! outside one), announces each retry, gives up after the configured attempts with an error
//! that says what to do, and keeps the history exact on every path. Also: a file's `SET`
//! never leaks into the next file or into the pool.

mod runtime_support;

use runtime_support::{execute, texts, Folder};
use schema_runtime::migrator::{LockRetry, LockTimeoutRetry};
use schema_runtime::{DatabasePool, MigrateError, MigratorOptions};
use schema_tests::testdb;
use sqlx::{AssertSqlSafe, Connection};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

async fn pool() -> Option<(testdb::TestDb, DatabasePool)> {
    let db = testdb::postgres().await?;
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Some((db, pool))
}

/// Fast backoff for tests: `attempts` tries, 50 ms doubling, at most 200 ms.
fn quick(attempts: u32) -> LockTimeoutRetry {
    LockTimeoutRetry::Backoff {
        attempts,
        base: Duration::from_millis(50),
        factor: 2,
        max_delay: Duration::from_millis(200),
    }
}

/// Options that record every retry notice instead of printing it.
fn recording(retry: LockTimeoutRetry) -> (MigratorOptions, Arc<Mutex<Vec<LockRetry>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let options = MigratorOptions::DEFAULT
        .retry(retry)
        .on_lock_retry_call(move |r| sink.lock().unwrap().push(r.clone()));
    (options, seen)
}

/// A second session that runs `sql` (which takes a lock in an open transaction) and keeps it
/// until `release` is called or the value is dropped.
struct Blocker {
    conn: Option<tokio::task::JoinHandle<()>>,
    release: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Blocker {
    async fn postgres(url: &str, sql: &str) -> Blocker {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("blocker: {e}"));
        Blocker::hold(async move {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
            let _ = conn.close().await;
        })
    }

    async fn mysql(url: &str, sql: &str) -> Blocker {
        let mut conn = sqlx::MySqlConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("blocker: {e}"));
        Blocker::hold(async move {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
            let _ = conn.close().await;
        })
    }

    fn hold(end: impl std::future::Future<Output = ()> + Send + 'static) -> Blocker {
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = released.await;
            end.await;
        });
        Blocker {
            conn: Some(task),
            release: Some(release),
        }
    }

    /// Releases the lock after `delay`, from a background task.
    fn release_after(&mut self, delay: Duration) {
        let release = self.release.take().expect("not yet released");
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = release.send(());
        });
    }

    async fn release_now(mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
        if let Some(task) = self.conn.take() {
            task.await.expect("blocker task");
        }
    }
}

async fn history_rows(pool: &DatabasePool, version: i64) -> Vec<String> {
    texts(
        pool,
        &format!("SELECT complete::text || ' ' || statements_done::text FROM _schema_migrations WHERE version = {version}"),
    )
    .await
}

fn base_files() -> Folder {
    Folder::new(&[
        (
            "0001_t.up.sql",
            "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);\n",
        ),
        ("0001_t.down.sql", "DROP TABLE t;"),
    ])
}

/// (a) A transactional migration with `SET LOCAL lock_timeout = '100ms'` meets an
/// `ACCESS EXCLUSIVE` lock held for about a second: it is rolled back and retried until the
/// lock is gone, each retry is announced, and the history gets exactly one row.
#[tokio::test]
async fn transactional_migration_is_retried_until_the_lock_is_released() {
    let Some((db, pool)) = pool().await else {
        return;
    };
    let folder = base_files();
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(
        "0002_x.up.sql",
        "SET LOCAL lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN x INTEGER;\n",
    );
    folder.write("0002_x.down.sql", "ALTER TABLE t DROP COLUMN x;");
    let mut blocker =
        Blocker::postgres(&db.url, "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE").await;
    blocker.release_after(Duration::from_millis(1000));
    let (options, seen) = recording(LockTimeoutRetry::Backoff {
        attempts: 20,
        base: Duration::from_millis(100),
        factor: 2,
        max_delay: Duration::from_millis(300),
    });
    let started = Instant::now();
    let report = folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    assert_eq!(report.migrations.len(), 1);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "no retry announced");
    for (k, retry) in seen.iter().enumerate() {
        assert_eq!(retry.attempt, k as u32 + 1);
        assert_eq!(retry.attempts, 20);
        assert_eq!(retry.file, "0002_x.up.sql");
        assert_eq!(retry.line, 2);
        assert_eq!(retry.statement, "ALTER TABLE t ADD COLUMN x INTEGER");
        assert!(retry.whole_migration);
        assert!(retry.wait <= Duration::from_millis(300), "{retry}");
    }
    assert_eq!(history_rows(&pool, 2).await, vec!["true 2"]);
    assert_eq!(
        texts(&pool, "SELECT count(*)::text FROM _schema_migrations").await,
        vec!["2"]
    );
    assert_eq!(
        texts(&pool, "SELECT count(x)::text FROM t").await,
        vec!["0"],
        "column x exists"
    );
    pool.close().await;
}

/// The same under `LockMode::Transaction` (PgBouncer transaction pooling), where each attempt
/// takes the transaction-level migration lock and re-reads the history again, and the runner's
/// own `lock_timeout` is a `SET LOCAL` that the file's `SET LOCAL` overrides.
#[tokio::test]
async fn transaction_lock_mode_retries_too() {
    let Some((db, pool)) = pool().await else {
        return;
    };
    let folder = base_files();
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(
        "0002_x.up.sql",
        "SET LOCAL lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN x INTEGER;\n",
    );
    folder.write("0002_x.down.sql", "ALTER TABLE t DROP COLUMN x;");
    let mut blocker = Blocker::postgres(&db.url, "BEGIN; LOCK TABLE t IN SHARE MODE").await;
    blocker.release_after(Duration::from_millis(600));
    let (options, seen) = recording(quick(20));
    let options = options
        .lock_mode(schema_runtime::migrator::LockMode::Transaction)
        .lock_timeout(Some(Duration::from_secs(60)));
    let started = Instant::now();
    folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        !seen.lock().unwrap().is_empty(),
        "the file's 100 ms did not apply"
    );
    assert_eq!(history_rows(&pool, 2).await, vec!["true 2"]);
    pool.close().await;
}

/// (b) The lock is never released: the run fails after exactly the configured attempts, in
/// bounded time, with an error naming the file, the statement, the count and what to do; the
/// history stays at version 1 (no row for the rolled-back migration). With
/// `LockTimeoutRetry::Never` it fails at once, without notices.
#[tokio::test]
async fn transactional_migration_gives_up_after_the_attempts() {
    let Some((db, pool)) = pool().await else {
        return;
    };
    let folder = base_files();
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(
        "0002_x.up.sql",
        "CREATE TABLE before_x (id INTEGER);\nSET LOCAL lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN x INTEGER;\n",
    );
    folder.write("0002_x.down.sql", "ALTER TABLE t DROP COLUMN x;");
    let blocker =
        Blocker::postgres(&db.url, "BEGIN; SELECT * FROM t WHERE id = 1 FOR UPDATE").await;

    let (options, seen) = recording(quick(3));
    let started = Instant::now();
    let error = folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .expect_err("the lock is never released");
    let took = started.elapsed();
    // 3 x 100 ms lock timeout + waits of at most 50 + 100 ms.
    assert!(took < Duration::from_secs(3), "{took:?}");
    let MigrateError::Statement(failure) = &error else {
        panic!("{error}")
    };
    assert_eq!(failure.lock_timeouts, 3);
    assert!(failure.transactional);
    assert_eq!(failure.line, 3);
    assert_eq!(failure.version_now, Some(1));
    assert!(failure.message.contains("55P03"), "{}", failure.message);
    let text = error.to_string();
    for part in [
        "0002_x.up.sql",
        "ALTER TABLE t ADD COLUMN x INTEGER",
        "hit the lock timeout 3 times",
        "rolled back and the database stays at version 1",
        "pg_stat_activity",
        "pg_locks",
        "quieter time",
    ] {
        assert!(text.contains(part), "missing `{part}` in:\n{text}");
    }
    let attempts: Vec<_> = seen.lock().unwrap().iter().map(|r| r.attempt).collect();
    assert_eq!(attempts, vec![1, 2]);
    assert!(history_rows(&pool, 2).await.is_empty());
    assert!(
        texts(
            &pool,
            "SELECT tablename::text FROM pg_tables WHERE tablename = 'before_x'"
        )
        .await
        .is_empty(),
        "the rolled-back attempt left a table"
    );

    let (never, seen) = recording(LockTimeoutRetry::Never);
    let error = folder
        .migrator()
        .with_options(never)
        .run(&pool)
        .await
        .expect_err("still locked");
    let MigrateError::Statement(failure) = &error else {
        panic!("{error}")
    };
    assert_eq!(failure.lock_timeouts, 1);
    assert!(
        error.to_string().contains("hit the lock timeout once"),
        "{error}"
    );
    assert!(seen.lock().unwrap().is_empty());
    assert!(history_rows(&pool, 2).await.is_empty());

    blocker.release_now().await;
    folder
        .migrator()
        .with_options(
            MigratorOptions::DEFAULT.on_lock_retry(schema_runtime::migrator::RetryNotice::Quiet),
        )
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(history_rows(&pool, 2).await, vec!["true 3"]);
    pool.close().await;
}

/// (c) A `-- schema:no-transaction` file whose `CREATE INDEX CONCURRENTLY` waits for a writer's
/// open transaction (the index is created INVALID, then the wait for the writer times out).
/// First run: the statement is retried, then the run gives up; the statements before it stay
/// applied and recorded, the migration is unfinished. Second run, the writer finishing after
/// about a second: it resumes at the index statement, makes the file's `SET lock_timeout`
/// again (so the retries are 100 ms apart, not one unbounded wait), drops the INVALID index
/// and retries until the index is built.
#[tokio::test]
async fn no_transaction_statement_is_retried_and_resumes() {
    let Some((db, pool)) = pool().await else {
        return;
    };
    let folder = base_files();
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(
        "0002_idx.up.sql",
        "-- schema:no-transaction\nCREATE TABLE side (id INTEGER);\nSET lock_timeout = '100ms';\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lt;\n",
    );
    folder.write(
        "0002_idx.down.sql",
        "-- schema:no-transaction\nDROP TABLE seen;\nDROP INDEX CONCURRENTLY t_id_idx;\nDROP TABLE side;\n",
    );
    let blocker = Blocker::postgres(&db.url, "BEGIN; INSERT INTO t VALUES (3)").await;

    let (options, seen) = recording(quick(3));
    let error = folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .expect_err("the writer never finishes");
    let MigrateError::Statement(failure) = &error else {
        panic!("{error}")
    };
    assert_eq!(failure.lock_timeouts, 3, "{error}");
    assert!(!failure.transactional);
    assert_eq!(failure.line, 4);
    let text = error.to_string();
    assert!(text.contains("recorded as unfinished"), "{text}");
    assert!(text.contains("resumes at this statement"), "{text}");
    let retries = seen.lock().unwrap().clone();
    assert_eq!(retries.len(), 2);
    assert!(retries.iter().all(|r| !r.whole_migration && r.line == 4));
    // Two statements done; the third not recorded.
    assert_eq!(history_rows(&pool, 2).await, vec!["false 2"]);
    assert_eq!(
        texts(
            &pool,
            "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_id_idx'"
        )
        .await,
        vec!["false"],
        "the timed-out CREATE INDEX CONCURRENTLY leaves an INVALID index"
    );

    let mut blocker = blocker;
    blocker.release_after(Duration::from_millis(1000));
    let (options, seen) = recording(LockTimeoutRetry::Backoff {
        attempts: 30,
        base: Duration::from_millis(100),
        factor: 2,
        max_delay: Duration::from_millis(200),
    });
    folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !seen.lock().unwrap().is_empty(),
        "the resumed run waited without its lock_timeout"
    );
    assert_eq!(history_rows(&pool, 2).await, vec!["true 4"]);
    assert_eq!(texts(&pool, "SELECT lt FROM seen").await, vec!["100ms"]);
    assert_eq!(
        texts(
            &pool,
            "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_id_idx'"
        )
        .await,
        vec!["true"]
    );
    assert_eq!(
        texts(&pool, "SELECT count(*)::text FROM _schema_migrations").await,
        vec!["2"]
    );
    pool.close().await;
}

/// A file's `SET` does not reach the next file, the history row or the pool; the runner's own
/// `lock_timeout` is back for each file, and a file's `SET LOCAL` wins inside its transaction.
#[tokio::test]
async fn settings_do_not_leak() {
    let Some((_db, pool)) = pool().await else {
        return;
    };
    let server_default = texts(&pool, "SELECT current_setting('lock_timeout')").await;
    let folder = Folder::new(&[
        (
            "0001_notx.up.sql",
            "-- schema:no-transaction\nSET lock_timeout = '123ms';\nCREATE TABLE a (id INTEGER);\n",
        ),
        ("0001_notx.down.sql", "DROP TABLE a;"),
        (
            "0002_path.up.sql",
            "CREATE SCHEMA other;\nSET search_path = other;\nSET lock_timeout = '234ms';\nCREATE TABLE in_other (id INTEGER);\n",
        ),
        ("0002_path.down.sql", "DROP SCHEMA other CASCADE;"),
        (
            "0003_seen.up.sql",
            "CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lt, current_setting('search_path') AS sp;\n",
        ),
        ("0003_seen.down.sql", "DROP TABLE seen;"),
        (
            "0004_local.up.sql",
            "SET LOCAL lock_timeout = '50ms';\nCREATE TABLE seen_local AS SELECT current_setting('lock_timeout') AS lt;\n",
        ),
        ("0004_local.down.sql", "DROP TABLE seen_local;"),
    ]);
    let options = MigratorOptions::DEFAULT.lock_timeout(Some(Duration::from_secs(3)));
    folder
        .migrator()
        .with_options(options)
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        texts(&pool, "SELECT lt || ' | ' || sp FROM seen").await,
        vec!["3s | \"$user\", public"]
    );
    assert_eq!(
        texts(&pool, "SELECT lt FROM seen_local").await,
        vec!["50ms"]
    );
    assert_eq!(
        texts(
            &pool,
            "SELECT version::text FROM public._schema_migrations WHERE complete ORDER BY version"
        )
        .await,
        vec!["1", "2", "3", "4"],
        "every history row in the history table"
    );
    for _ in 0..3 {
        assert_eq!(
            texts(&pool, "SELECT current_setting('lock_timeout')").await,
            server_default
        );
        assert_eq!(
            texts(&pool, "SELECT current_setting('search_path')").await,
            vec!["\"$user\", public"]
        );
    }
    execute(&pool, "SELECT 1").await;
    pool.close().await;
}

/// (d) MariaDB/MySQL: `ALTER TABLE` waits for the metadata lock of another session's open
/// transaction; `lock_timeout` (1 s) becomes `lock_wait_timeout`, the 1205 error is retried
/// statement by statement until the transaction ends.
#[tokio::test]
async fn mysql_lock_wait_timeout_is_retried() {
    let Some(db) = testdb::mysql().await else {
        return;
    };
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let folder = Folder::new(&[
        (
            "0001_t.up.sql",
            "CREATE TABLE t (id INTEGER PRIMARY KEY) ENGINE=InnoDB;\nINSERT INTO t VALUES (1);\n",
        ),
        ("0001_t.down.sql", "DROP TABLE t;"),
    ]);
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write("0002_x.up.sql", "ALTER TABLE t ADD COLUMN x INTEGER;\n");
    folder.write("0002_x.down.sql", "ALTER TABLE t DROP COLUMN x;\n");
    let mut blocker = Blocker::mysql(&db.url, "START TRANSACTION; SELECT * FROM t").await;
    blocker.release_after(Duration::from_millis(1500));
    let (options, seen) = recording(quick(10));
    let started = Instant::now();
    folder
        .migrator()
        .with_options(options.lock_timeout(Some(Duration::from_millis(500))))
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(1400), "{took:?}");
    assert!(took < Duration::from_secs(8), "{took:?}");
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "no retry announced");
    assert!(seen
        .iter()
        .all(|r| !r.whole_migration && r.file == "0002_x.up.sql"));
    assert_eq!(
        texts(
            &pool,
            "SELECT CAST(CONCAT(complete, ' ', statements_done) AS CHAR) FROM _schema_migrations WHERE version = 2"
        )
        .await,
        vec!["1 1"]
    );
    assert_eq!(
        texts(
            &pool,
            "SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 't' AND column_name = 'x'"
        )
        .await,
        vec!["x"]
    );
    pool.close().await;
}
