//! The apply path at scale and with nothing to do: hundreds of tiny migrations apply in one
//! run with exact history rows, runs racing over them apply each exactly once, a run with
//! nothing pending neither waits for nor takes the lock, and a file's settings never reach the
//! next file (the connection's own settings come back exactly).

mod runtime_support;

use runtime_support::{execute, recorded_versions, texts, Folder};
use schema_runtime::migrator::LockMode;
use schema_runtime::{DatabasePool, Dialect, MigrateError, Migrator, MigratorOptions};
use schema_tests::testdb;
use std::time::{Duration, Instant};

const MANY: i64 = 300;

/// `count` migrations, each creating a table with an index and logging its version (so a
/// migration applied twice shows), after one that creates the log.
fn many(dialect: Dialect, count: i64) -> Folder {
    let folder = Folder::new(&[
        (
            "0001_log.up.sql",
            "CREATE TABLE applied_log (version INTEGER NOT NULL);\nINSERT INTO applied_log (version) VALUES (1);\n",
        ),
        ("0001_log.down.sql", "DROP TABLE applied_log;\n"),
    ]);
    let text = if dialect == Dialect::Mysql {
        "VARCHAR(40)"
    } else {
        "TEXT"
    };
    for version in 2..=count {
        folder.write(
            &format!("{version:04}_t{version}.up.sql"),
            &format!(
                "CREATE TABLE t{version} (id INTEGER PRIMARY KEY, label {text} NOT NULL);\n\
                 CREATE INDEX t{version}_label ON t{version} (label);\n\
                 INSERT INTO applied_log (version) VALUES ({version});\n"
            ),
        );
        folder.write(
            &format!("{version:04}_t{version}.down.sql"),
            &format!("DROP TABLE t{version};\n"),
        );
    }
    folder
}

/// The history holds one complete row per migration, with its name and its file's checksum,
/// and each migration ran exactly once.
async fn assert_history_exact(pool: &DatabasePool, migrator: &Migrator, dialect: Dialect) {
    let count = migrator.migrations().len() as i64;
    assert_eq!(
        recorded_versions(pool).await,
        (1..=count).collect::<Vec<_>>()
    );
    let row = match dialect {
        Dialect::Sqlite => "version || ' ' || name || ' ' || checksum",
        Dialect::Postgres => "CONCAT(version, ' ', name, ' ', checksum)",
        _ => "CAST(CONCAT(version, ' ', name, ' ', checksum) AS CHAR)",
    };
    let rows = texts(
        pool,
        &format!("SELECT {row} FROM _schema_migrations ORDER BY version"),
    )
    .await;
    let expected: Vec<String> = migrator
        .migrations()
        .iter()
        .map(|m| format!("{} {} {}", m.version, m.name, m.up.checksum.to_hex()))
        .collect();
    assert_eq!(rows, expected);
    let text = if dialect == Dialect::Mysql {
        "CHAR"
    } else {
        "TEXT"
    };
    let counts = texts(
        pool,
        &format!(
            "SELECT CAST(count(*) AS {text}) FROM applied_log GROUP BY version ORDER BY version"
        ),
    )
    .await;
    assert_eq!(
        counts,
        vec!["1".to_string(); count as usize],
        "each ran once"
    );
}

async fn many_tiny_migrations(pool: &DatabasePool, dialect: Dialect, count: i64) {
    let folder = many(dialect, count);
    let migrator = folder.migrator();
    let report = migrator.run(pool).await.unwrap_or_else(|e| panic!("{e}"));
    let versions: Vec<i64> = report.migrations.iter().map(|m| m.version).collect();
    assert_eq!(versions, (1..=count).collect::<Vec<_>>());
    assert_history_exact(pool, &migrator, dialect).await;
    let again = migrator.run(pool).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(again.migrations.is_empty(), "{again:?}");
    let status = migrator.status(pool).await.unwrap();
    assert!(status.is_up_to_date(), "{status:?}");
    assert_eq!(status.current_version, Some(count));

    // One more file: only it runs; a changed applied file is refused before anything runs.
    folder.write(
        &format!("{:04}_last.up.sql", count + 1),
        "INSERT INTO applied_log (version) VALUES (0);\n",
    );
    folder.write(&format!("{:04}_last.down.sql", count + 1), "SELECT 1;\n");
    let report = folder.migrator().run(pool).await.unwrap();
    assert_eq!(report.migrations.len(), 1);
    assert_eq!(report.migrations[0].version, count + 1);
    let half = count / 2;
    folder.write(
        &format!("{half:04}_t{half}.up.sql"),
        &format!("CREATE TABLE t{half} (id INTEGER PRIMARY KEY);\n"),
    );
    match folder.migrator().run(pool).await {
        Err(MigrateError::Refused(problems)) => assert_eq!(problems.len(), 1, "{problems:?}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn many_tiny_migrations_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let pool = DatabasePool::connect(&db.url).await.unwrap();
    many_tiny_migrations(&pool, Dialect::Postgres, MANY).await;
    pool.close().await;
}

#[tokio::test]
async fn many_tiny_migrations_sqlite() {
    let db = testdb::sqlite();
    let pool = DatabasePool::connect(&db.url).await.unwrap();
    many_tiny_migrations(&pool, Dialect::Sqlite, MANY).await;
    pool.close().await;
}

#[tokio::test]
async fn many_tiny_migrations_mysql() {
    let Some(db) = testdb::mysql().await else {
        return;
    };
    let pool = DatabasePool::connect(&db.url).await.unwrap();
    // MySQL's DDL commits one by one and each migration records its progress: fewer files.
    many_tiny_migrations(&pool, Dialect::Mysql, 60).await;
    pool.close().await;
}

/// Four runs (each with its own pool, as four application instances) start together on a
/// fresh database with the same 300 migrations: each migration runs exactly once, the history
/// is exact, and together the runs report each migration once. On SQLite the runs interleave
/// migration by migration, so each sees the others' commits between its own migrations.
async fn racing_runs(url: &str, dialect: Dialect, options: MigratorOptions) {
    let folder = many(dialect, MANY);
    let migrator = folder.migrator().with_options(options);
    let mut runs = Vec::new();
    for _ in 0..4 {
        let pool = DatabasePool::connect(url).await.unwrap();
        let migrator = migrator.clone();
        runs.push(tokio::spawn(async move {
            let report = migrator.run(&pool).await;
            pool.close().await;
            report
        }));
    }
    let mut applied = Vec::new();
    for run in runs {
        let report = run.await.unwrap().unwrap_or_else(|e| panic!("{e}"));
        applied.extend(report.migrations.iter().map(|m| m.version));
    }
    applied.sort();
    assert_eq!(applied, (1..=MANY).collect::<Vec<_>>());
    let pool = DatabasePool::connect(url).await.unwrap();
    assert_history_exact(&pool, &migrator, dialect).await;
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_runs_sqlite() {
    let db = testdb::sqlite();
    racing_runs(&db.url, Dialect::Sqlite, MigratorOptions::DEFAULT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_runs_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    racing_runs(&db.url, Dialect::Postgres, MigratorOptions::DEFAULT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_runs_postgres_transaction_lock() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let options = MigratorOptions::DEFAULT.lock_mode(LockMode::Transaction);
    racing_runs(&db.url, Dialect::Postgres, options).await;
}

/// SQLite's `PRAGMA data_version`, which lets a run skip reading the history again in each
/// migration's transaction, changes for a connection when another connection commits, and
/// only then.
#[tokio::test]
async fn sqlite_data_version_sees_other_connections_only() {
    use sqlx::Connection;
    let db = testdb::sqlite();
    let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
    let options = options.create_if_missing(true);
    let mut mine = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let mut other = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    async fn version(conn: &mut sqlx::SqliteConnection) -> i64 {
        sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(conn)
            .await
            .unwrap()
    }
    let start = version(&mut mine).await;
    sqlx::raw_sql("CREATE TABLE t (id INTEGER)")
        .execute(&mut mine)
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT")
        .execute(&mut mine)
        .await
        .unwrap();
    assert_eq!(version(&mut mine).await, start, "own commits leave it");
    sqlx::raw_sql("INSERT INTO t VALUES (2)")
        .execute(&mut other)
        .await
        .unwrap();
    let after = version(&mut mine).await;
    assert_ne!(after, start, "another connection's commit changes it");
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut mine)
        .await
        .unwrap();
    assert_eq!(
        version(&mut mine).await,
        after,
        "stable inside a transaction"
    );
    sqlx::raw_sql("COMMIT").execute(&mut mine).await.unwrap();
    mine.close().await.unwrap();
    other.close().await.unwrap();
}

fn quick(lock_wait_ms: u64) -> MigratorOptions {
    MigratorOptions::DEFAULT.lock_wait(Duration::from_millis(lock_wait_ms))
}

/// While one run holds the lock applying a slow migration, another run whose files are all
/// applied returns at once (its lock wait is 300 ms: it would time out if it waited). Then the
/// slow run finishes, and a run that does have something pending does wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_pending_does_not_take_the_lock_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let pool = DatabasePool::connect(&db.url).await.unwrap();
    let folder = many(Dialect::Postgres, 5);
    folder.migrator().run(&pool).await.unwrap();
    let applied = folder.migrator();
    folder.write("0006_slow.up.sql", "SELECT pg_sleep(2);\n");
    folder.write("0006_slow.down.sql", "SELECT 1;\n");
    let slow = folder.migrator();
    let slow_pool = pool.clone();
    let slow_run = tokio::spawn(async move { slow.run(&slow_pool).await });
    // Wait until the slow run holds the lock.
    let started = Instant::now();
    loop {
        let sleeping = texts(
            &pool,
            "SELECT pid::text FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2)%' AND state = 'active'",
        )
        .await;
        if !sleeping.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "slow run never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let other = DatabasePool::connect(&db.url).await.unwrap();
    let at = Instant::now();
    let report = applied
        .with_options(quick(300))
        .run(&other)
        .await
        .unwrap_or_else(|e| panic!("nothing pending must not wait for the lock: {e}"));
    assert!(report.migrations.is_empty());
    assert!(at.elapsed() < Duration::from_secs(1), "{:?}", at.elapsed());
    // With the slow migration pending too, the run waits for the lock and gives up.
    let waiting = folder.migrator().with_options(quick(300)).run(&other).await;
    assert!(
        matches!(waiting, Err(MigrateError::LockTimeout { .. })),
        "{waiting:?}"
    );
    let done = slow_run.await.unwrap().unwrap();
    assert_eq!(done.migrations.len(), 1);
    other.close().await;
    pool.close().await;
}

/// SQLite: another connection holds the write lock; a run with nothing pending still
/// succeeds at once and commits nothing (the database's `data_version`, as another
/// connection sees it, does not move).
#[tokio::test]
async fn nothing_pending_does_not_write_sqlite() {
    use sqlx::Connection;
    let db = testdb::sqlite();
    let pool = DatabasePool::connect(&db.url).await.unwrap();
    let folder = many(Dialect::Sqlite, 5);
    folder.migrator().run(&pool).await.unwrap();
    let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
    let mut writer = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let before: i64 = sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(&mut writer)
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut writer)
        .await
        .unwrap();
    let at = Instant::now();
    let report = folder
        .migrator()
        .with_options(quick(300))
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("nothing pending must not need the write lock: {e}"));
    assert!(report.migrations.is_empty());
    assert!(at.elapsed() < Duration::from_secs(1), "{:?}", at.elapsed());
    sqlx::raw_sql("COMMIT").execute(&mut writer).await.unwrap();
    let after: i64 = sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(&mut writer)
        .await
        .unwrap();
    assert_eq!(
        before, after,
        "a run with nothing pending committed something"
    );
    // Something pending: the run needs the write lock and waits for it.
    folder.write("0006_more.up.sql", "CREATE TABLE more (id INTEGER);\n");
    folder.write("0006_more.down.sql", "DROP TABLE more;\n");
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut writer)
        .await
        .unwrap();
    let waiting = folder.migrator().with_options(quick(300)).run(&pool).await;
    assert!(
        matches!(waiting, Err(MigrateError::LockTimeout { .. })),
        "{waiting:?}"
    );
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut writer)
        .await
        .unwrap();
    writer.close().await.unwrap();
    assert_eq!(
        folder.migrator().run(&pool).await.unwrap().migrations.len(),
        1
    );
    pool.close().await;
}

/// PostgreSQL: the connection starts with settings of its own (from the pool's
/// `after_connect`, one with a quote and a backslash); files change settings with `SET`. Each
/// file sees the connection's own settings, never the previous file's, and so does the history
/// row's `INSERT` (a changed `search_path` would misplace it).
#[tokio::test]
async fn settings_never_leak_between_files_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::raw_sql(
                    r"SET application_name = E'it''s a \\ test'; SET statement_timeout = '123s'",
                )
                .execute(conn)
                .await
                .map(drop)
            })
        })
        .connect(&db.url)
        .await
        .unwrap();
    let pool = DatabasePool::Postgres(pool);
    execute(
        &pool,
        "CREATE SCHEMA elsewhere; CREATE TABLE seen (version INTEGER, app TEXT, statement_timeout TEXT, lock_timeout TEXT, search_path TEXT)",
    )
    .await;
    let record = |v: i64| {
        format!("INSERT INTO public.seen VALUES ({v}, current_setting('application_name'), current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('search_path'));\n")
    };
    let mut files = Vec::new();
    for version in 1..=4i64 {
        let changes = if version % 2 == 1 {
            "SET lock_timeout = '7s';\nSET statement_timeout = '9s';\nSET search_path = elsewhere;\nSET application_name = 'changed';\n"
        } else {
            ""
        };
        files.push((
            format!("{version:04}_m{version}.up.sql"),
            format!("{}{changes}", record(version)),
        ));
        files.push((
            format!("{version:04}_m{version}.down.sql"),
            "SELECT 1;\n".to_string(),
        ));
    }
    let folder = runtime_support::folder_of(&files);
    let report = folder
        .migrator()
        .with_options(MigratorOptions::DEFAULT.lock_timeout(Some(Duration::from_secs(3))))
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.migrations.len(), 4);
    let seen = texts(
        &pool,
        "SELECT concat_ws(' | ', version, app, statement_timeout, lock_timeout, search_path) FROM seen ORDER BY version",
    )
    .await;
    let expected: Vec<String> = (1..=4)
        .map(|v| format!(r#"{v} | it's a \ test | 123s | 3s | "$user", public"#))
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(recorded_versions(&pool).await, vec![1, 2, 3, 4]);
    let misplaced = texts(
        &pool,
        "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'elsewhere'",
    )
    .await;
    assert_eq!(misplaced, vec!["0"]);
    pool.close().await;
}

/// `DatabasePool::connect` opens its first connection in the pool (the run uses it), and a URL
/// nothing listens on still fails at once with the driver's message, not after the pool's
/// 30-second acquire timeout.
#[tokio::test]
async fn a_refused_connection_fails_at_once() {
    let started = Instant::now();
    let error = DatabasePool::connect("postgres://app@127.0.0.1:1/nowhere")
        .await
        .expect_err("nothing listens on port 1");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error.to_string().to_lowercase().contains("refused"),
        "{error}"
    );
}
