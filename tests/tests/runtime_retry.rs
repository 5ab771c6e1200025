//! Lock timeouts on real servers: a migration blocked by another session's lock fails on its
//! lock timeout, is retried with backoff (the whole migration in a transaction, the statement
//! outside one), announces each retry, gives up after the configured attempts with an error
//! that says what to do, and keeps the history exact on every path. Also: a file's `SET`
//! never leaks into the next file or into the pool.

mod runtime_support;

use runtime_support::{execute, texts, Folder};
use schema_runtime::migrator::{LockRetry, LockTimeoutRetry, Report, StatementFailure};
use schema_runtime::{DatabasePool, MigrateError, MigratorOptions};
use schema_tests::testdb::{self, Server, TestDb};
use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A pool on `db`, or `None` (outside CI) when its server is unreachable.
async fn pool(db: Option<TestDb>) -> Option<(TestDb, DatabasePool)> {
    let db = db?;
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Some((db, pool))
}

/// `attempts` tries, waits doubling from `base_ms`, at most `max_ms`.
fn backoff(attempts: u32, base_ms: u64, max_ms: u64) -> LockTimeoutRetry {
    LockTimeoutRetry::Backoff {
        attempts,
        base: Duration::from_millis(base_ms),
        factor: 2,
        max_delay: Duration::from_millis(max_ms),
    }
}

/// Fast backoff for tests: `attempts` tries, 50 ms doubling, at most 200 ms.
fn quick(attempts: u32) -> LockTimeoutRetry {
    backoff(attempts, 50, 200)
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
    /// Runs `sql` on a new `C` connection to `url`; rolls back and closes it on release.
    async fn start<C>(url: &str, sql: &str) -> Blocker
    where
        C: Connection + 'static,
        for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    {
        let mut conn = C::connect(url).await.unwrap_or_else(|e| panic!("{e}"));
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

async fn history_len(pool: &DatabasePool) -> Vec<String> {
    texts(pool, "SELECT count(*)::text FROM _schema_migrations").await
}

/// `indisvalid` of the index `t_id_idx`, if it exists.
async fn t_id_idx_valid(pool: &DatabasePool) -> Vec<String> {
    texts(
        pool,
        "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_id_idx'",
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

/// Migration 2 of the transactional tests: adds `t.x` under a 100 ms `SET LOCAL lock_timeout`.
const ADD_X: &str = "SET LOCAL lock_timeout = '100ms';\nALTER TABLE t ADD COLUMN x INTEGER;\n";
const DROP_X: &str = "ALTER TABLE t DROP COLUMN x;";

/// A fresh database `db` at migration 1 of `folder`, with migration 2 (`{name}.up.sql`,
/// `{name}.down.sql`) written but not applied, and a second session that ran `blocker_sql`
/// and holds what it took. `None` (outside CI) when the server is unreachable.
async fn blocked(
    db: Option<TestDb>,
    folder: Folder,
    name: &str,
    up: &str,
    down: &str,
    blocker_sql: &str,
) -> Option<(TestDb, DatabasePool, Folder, Blocker)> {
    let (db, pool) = pool(db).await?;
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    folder.write(&format!("{name}.up.sql"), up);
    folder.write(&format!("{name}.down.sql"), down);
    let blocker = match db.server {
        Server::Postgres => Blocker::start::<PgConnection>(&db.url, blocker_sql).await,
        Server::Mysql => Blocker::start::<MySqlConnection>(&db.url, blocker_sql).await,
        Server::Sqlite => unreachable!("SQLite waits out its busy_timeout, no lock blocks it"),
    };
    Some((db, pool, folder, blocker))
}

/// [`blocked`] on PostgreSQL, from [`base_files`].
async fn blocked_postgres(
    name: &str,
    up: &str,
    down: &str,
    blocker_sql: &str,
) -> Option<(TestDb, DatabasePool, Folder, Blocker)> {
    blocked(
        testdb::postgres().await,
        base_files(),
        name,
        up,
        down,
        blocker_sql,
    )
    .await
}

/// A run of `folder` with `options` that succeeds.
async fn migrate(folder: &Folder, pool: &DatabasePool, options: MigratorOptions) -> Report {
    folder
        .migrator()
        .with_options(options)
        .run(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A run of `folder` with `options` that fails (`why`).
async fn migrate_fails(
    folder: &Folder,
    pool: &DatabasePool,
    options: MigratorOptions,
    why: &str,
) -> MigrateError {
    folder
        .migrator()
        .with_options(options)
        .run(pool)
        .await
        .expect_err(why)
}

/// The failed statement of `error`, which must be a statement failure.
fn statement_failure(error: &MigrateError) -> &StatementFailure {
    let MigrateError::Statement(failure) = error else {
        panic!("{error}")
    };
    failure
}

/// (a) A transactional migration with `SET LOCAL lock_timeout = '100ms'` meets an
/// `ACCESS EXCLUSIVE` lock held for about a second: it is rolled back and retried until the
/// lock is gone, each retry is announced, and the history gets exactly one row.
#[tokio::test]
async fn transactional_migration_is_retried_until_the_lock_is_released() {
    let Some((_db, pool, folder, mut blocker)) = blocked_postgres(
        "0002_x",
        ADD_X,
        DROP_X,
        "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE",
    )
    .await
    else {
        return;
    };
    blocker.release_after(Duration::from_millis(1000));
    let (options, seen) = recording(backoff(20, 100, 300));
    let started = Instant::now();
    let report = migrate(&folder, &pool, options).await;
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
    assert_eq!(history_len(&pool).await, vec!["2"]);
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
    let Some((_db, pool, folder, mut blocker)) =
        blocked_postgres("0002_x", ADD_X, DROP_X, "BEGIN; LOCK TABLE t IN SHARE MODE").await
    else {
        return;
    };
    blocker.release_after(Duration::from_millis(600));
    let (options, seen) = recording(quick(20));
    let options = options
        .lock_mode(schema_runtime::migrator::LockMode::Transaction)
        .lock_timeout(Some(Duration::from_secs(60)));
    let started = Instant::now();
    migrate(&folder, &pool, options).await;
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
    let Some((_db, pool, folder, blocker)) = blocked_postgres(
        "0002_x",
        &format!("CREATE TABLE before_x (id INTEGER);\n{ADD_X}"),
        DROP_X,
        "BEGIN; SELECT * FROM t WHERE id = 1 FOR UPDATE",
    )
    .await
    else {
        return;
    };

    let (options, seen) = recording(quick(3));
    let started = Instant::now();
    let error = migrate_fails(&folder, &pool, options, "the lock is never released").await;
    let took = started.elapsed();
    // 3 x 100 ms lock timeout + waits of at most 50 + 100 ms.
    assert!(took < Duration::from_secs(3), "{took:?}");
    let failure = statement_failure(&error);
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
        "an `autovacuum worker` there is cancelled by the server only for a statement that has waited longer than `deadlock_timeout`",
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
    let error = migrate_fails(&folder, &pool, never, "still locked").await;
    assert_eq!(statement_failure(&error).lock_timeouts, 1);
    assert!(
        error.to_string().contains("hit the lock timeout once"),
        "{error}"
    );
    assert!(seen.lock().unwrap().is_empty());
    assert!(history_rows(&pool, 2).await.is_empty());

    blocker.release_now().await;
    migrate(
        &folder,
        &pool,
        MigratorOptions::DEFAULT.on_lock_retry(schema_runtime::migrator::RetryNotice::Quiet),
    )
    .await;
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
    let Some((_db, pool, folder, mut blocker)) = blocked_postgres(
        "0002_idx",
        "-- schema:no-transaction\nCREATE TABLE side (id INTEGER);\nSET lock_timeout = '100ms';\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lt;\n",
        "-- schema:no-transaction\nDROP TABLE seen;\nDROP INDEX CONCURRENTLY t_id_idx;\nDROP TABLE side;\n",
        "BEGIN; INSERT INTO t VALUES (3)",
    )
    .await
    else {
        return;
    };

    let (options, seen) = recording(quick(3));
    let error = migrate_fails(&folder, &pool, options, "the writer never finishes").await;
    let failure = statement_failure(&error);
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
        t_id_idx_valid(&pool).await,
        vec!["false"],
        "the timed-out CREATE INDEX CONCURRENTLY leaves an INVALID index"
    );

    blocker.release_after(Duration::from_millis(1000));
    let (options, seen) = recording(backoff(30, 100, 200));
    migrate(&folder, &pool, options).await;
    assert!(
        !seen.lock().unwrap().is_empty(),
        "the resumed run waited without its lock_timeout"
    );
    assert_eq!(history_rows(&pool, 2).await, vec!["true 4"]);
    assert_eq!(texts(&pool, "SELECT lt FROM seen").await, vec!["100ms"]);
    assert_eq!(t_id_idx_valid(&pool).await, vec!["true"]);
    assert_eq!(history_len(&pool).await, vec!["2"]);
    pool.close().await;
}
/// A file's `SET` does not reach the next file, the history row or the pool; the runner's own
/// `lock_timeout` is back for each file, and a file's `SET LOCAL` wins inside its transaction.
#[tokio::test]
async fn settings_do_not_leak() {
    let Some((_db, pool)) = pool(testdb::postgres().await).await else {
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
    migrate(&folder, &pool, options).await;
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
    let Some((_db, pool, folder, mut blocker)) = blocked(
        testdb::mysql().await,
        Folder::new(&[
            (
                "0001_t.up.sql",
                "CREATE TABLE t (id INTEGER PRIMARY KEY) ENGINE=InnoDB;\nINSERT INTO t VALUES (1);\n",
            ),
            ("0001_t.down.sql", "DROP TABLE t;"),
        ]),
        "0002_x",
        "ALTER TABLE t ADD COLUMN x INTEGER;\n",
        "ALTER TABLE t DROP COLUMN x;\n",
        "START TRANSACTION; SELECT * FROM t",
    )
    .await
    else {
        return;
    };
    blocker.release_after(Duration::from_millis(1500));
    let (options, seen) = recording(quick(10));
    let started = Instant::now();
    migrate(
        &folder,
        &pool,
        options.lock_timeout(Some(Duration::from_millis(500))),
    )
    .await;
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
