//! Crash and concurrency proofs with real processes (`migrate_worker`):
//! - a migrating process killed with SIGKILL at random moments always leaves the recorded
//!   version matching the schema actually present, and the next run completes;
//! - 8 processes started at once on a fresh database apply each migration exactly once and
//!   all succeed.
//!
//! `SCHEMA_CRASH_TRIALS` sets the number of kills per database (default 50; `bench/crash-soak.sh`
//! runs many more) and `SCHEMA_CRASH_SEED` replays a run.

mod runtime_support;

use runtime_support::{execute, recorded_versions, tables, texts, Folder};
use schema_runtime::migrator::AcceptDataLoss;
use schema_runtime::{DatabasePool, Dialect, MigratorOptions};
use schema_tests::testdb;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MIGRATIONS: i64 = 8;
/// The migration that runs outside a transaction (PostgreSQL) or rebuilds a table with
/// foreign keys off (SQLite).
const SPECIAL: i64 = 5;
const ROWS: i64 = 300;

fn table_migration(dialect: Dialect, version: i64) -> (String, String) {
    let fill = match dialect {
        Dialect::Postgres => format!("INSERT INTO t{version} (id, v) SELECT g, g FROM generate_series(1, {ROWS}) AS g"),
        _ => format!("INSERT INTO t{version} (id, v) WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {ROWS}) SELECT n, n FROM g"),
    };
    (
        format!("CREATE TABLE t{version} (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);\n{fill};\nINSERT INTO applied_log (version) VALUES ({version});\n"),
        format!("DROP TABLE t{version};\n"),
    )
}

fn special_migration(dialect: Dialect) -> (String, String) {
    match dialect {
        Dialect::Postgres => (
            "-- schema:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t2_v_idx ON t2 (v);\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t3_v_key ON t3 (v);\n".into(),
            "-- schema:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS t3_v_key;\nDROP INDEX CONCURRENTLY IF EXISTS t2_v_idx;\n".into(),
        ),
        _ => (
            "-- schema:foreign-keys=off\nCREATE TABLE t2_new (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, w INTEGER NOT NULL DEFAULT 0);\nINSERT INTO t2_new (id, v) SELECT id, v FROM t2;\nDROP TABLE t2;\nALTER TABLE t2_new RENAME TO t2;\nINSERT INTO applied_log (version) VALUES (5);\n".into(),
            "CREATE TABLE t2_old (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);\nINSERT INTO t2_old SELECT id, v FROM t2;\nDROP TABLE t2;\nALTER TABLE t2_old RENAME TO t2;\n".into(),
        ),
    }
}

fn folder(dialect: Dialect) -> Folder {
    let folder = Folder::new(&[
        ("0001_log.up.sql", "CREATE TABLE applied_log (version INTEGER NOT NULL);\nINSERT INTO applied_log (version) VALUES (1);\n"),
        ("0001_log.down.sql", "DROP TABLE applied_log;\n"),
    ]);
    for version in 2..=MIGRATIONS {
        let (up, down) = if version == SPECIAL {
            special_migration(dialect)
        } else {
            table_migration(dialect, version)
        };
        folder.write(&format!("{version:04}_m{version}.up.sql"), &up);
        folder.write(&format!("{version:04}_m{version}.down.sql"), &down);
    }
    folder
}

fn worker(url: &str, folder: &Folder) -> Child {
    Command::new(env!("CARGO_BIN_EXE_migrate_worker"))
        .arg(url)
        .arg(folder.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start migrate_worker")
}

/// A small xorshift generator: the tests need cheap reproducible randomness, not quality.
struct Random(u64);

impl Random {
    fn from_env() -> Random {
        let seed = std::env::var("SCHEMA_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash test seed: SCHEMA_CRASH_SEED={seed}");
        Random(seed)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

fn trials() -> usize {
    std::env::var("SCHEMA_CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(50)
}

/// The recorded version matches the schema: every migration up to it is fully there, nothing
/// transactional above it exists, and at most the non-transactional one is unfinished.
async fn assert_consistent(pool: &DatabasePool, dialect: Dialect, trial: usize) {
    let recorded = recorded_versions(pool).await;
    let version = recorded.last().copied().unwrap_or(0);
    assert_eq!(
        recorded,
        (1..=version).collect::<Vec<_>>(),
        "trial {trial}: history has gaps"
    );
    let unfinished = texts(
        pool,
        "SELECT CAST(version AS TEXT) FROM _schema_migrations WHERE complete = FALSE",
    )
    .await;
    assert!(
        unfinished.is_empty()
            || (dialect == Dialect::Postgres
                && unfinished == vec![SPECIAL.to_string()]
                && version == SPECIAL - 1),
        "trial {trial}: unexpected unfinished migrations {unfinished:?} at version {version}"
    );
    let present = tables(pool).await;
    for v in 2..=MIGRATIONS {
        if v == SPECIAL {
            continue;
        }
        let name = format!("t{v}");
        assert_eq!(
            present.contains(&name),
            v <= version,
            "trial {trial}: table {name} vs recorded version {version}"
        );
        if v <= version {
            let rows = texts(pool, &format!("SELECT CAST(count(*) AS TEXT) FROM {name}")).await;
            assert_eq!(
                rows,
                vec![ROWS.to_string()],
                "trial {trial}: {name} half filled"
            );
        }
    }
    if version >= 1 {
        let logged = texts(pool, "SELECT CAST(count(*) AS TEXT) FROM applied_log").await;
        let expected = match dialect {
            Dialect::Postgres if version >= SPECIAL => version - 1,
            _ => version,
        };
        assert_eq!(
            logged,
            vec![expected.to_string()],
            "trial {trial}: applied_log vs version {version}"
        );
    } else {
        assert!(
            !present.contains(&"applied_log".to_string()),
            "trial {trial}: migration 1 half applied"
        );
    }
    if dialect == Dialect::Sqlite && version >= SPECIAL {
        let columns = texts(
            pool,
            "SELECT name FROM pragma_table_info('t2') WHERE name = 'w'",
        )
        .await;
        assert_eq!(
            columns,
            vec!["w"],
            "trial {trial}: rebuild recorded but not present"
        );
    }
    if dialect == Dialect::Postgres && version >= SPECIAL {
        let valid = texts(pool, "SELECT bool_and(i.indisvalid)::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t2_v_idx', 't3_v_key')").await;
        assert_eq!(
            valid,
            vec!["true"],
            "trial {trial}: indexes recorded but not valid"
        );
    }
}

/// A killed client's last messages may still be in the server's hands (a COMMIT sent just
/// before the kill): wait until its backend is gone before looking at the database.
async fn wait_for_killed_sessions(url: &str, dialect: Dialect) {
    if dialect != Dialect::Postgres {
        return;
    }
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let started = Instant::now();
    loop {
        let others: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        if others == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "a killed worker's session did not end"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = conn.close().await;
}

async fn crash_trials(url: &str, dialect: Dialect) {
    let folder = folder(dialect);
    // Each trial rolls back the rows it wrote: their loss is this test's own.
    let migrator = folder
        .migrator()
        .with_options(MigratorOptions::DEFAULT.accept_data_loss(AcceptDataLoss::all()));

    // Calibrate: how long a full run takes in a fresh process (the fastest of three, so one
    // slow cold start does not push the kills past the end of most runs).
    let pool = DatabasePool::connect(url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut full_run = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let status = worker(url, &folder).wait().unwrap();
        assert!(status.success());
        full_run = full_run.min(started.elapsed());
        migrator
            .rollback_to(&pool, 0)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    pool.close().await;

    let mut window = full_run;
    let mut random = Random::from_env();
    let trials = trials();
    let mut killed_mid_run = 0;
    for trial in 0..trials {
        let mut child = worker(url, &folder);
        let delay = random.below(window.as_millis() as u64 + 1);
        std::thread::sleep(Duration::from_millis(delay));
        // Adapt the window so about half the kills land before the run ends (window near
        // twice the real run time under the current load): every phase of a run gets hit.
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
            window = window.mul_f64(1.15);
        } else {
            window = window.mul_f64(0.87).max(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
        wait_for_killed_sessions(url, dialect).await;
        let pool = DatabasePool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_consistent(&pool, dialect, trial).await;

        // The next run completes from wherever the killed one stopped.
        migrator
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("trial {trial}: run after kill failed: {e}"));
        assert_eq!(
            recorded_versions(&pool).await,
            (1..=MIGRATIONS).collect::<Vec<_>>()
        );
        assert_consistent(&pool, dialect, trial).await;
        migrator
            .rollback_to(&pool, 0)
            .await
            .unwrap_or_else(|e| panic!("trial {trial}: rollback failed: {e}"));
        assert!(
            tables(&pool).await.is_empty(),
            "trial {trial}: rollback left tables"
        );
        pool.close().await;
    }
    eprintln!(
        "{dialect}: {trials} trials, {killed_mid_run} killed mid-run (calibrated run {full_run:?}, final window {window:?})"
    );
    assert!(
        killed_mid_run * 4 >= trials,
        "only {killed_mid_run} of {trials} kills landed mid-run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    crash_trials(&db.url, Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_sqlite() {
    let db = testdb::sqlite();
    crash_trials(&db.url, Dialect::Sqlite).await;
}

async fn eight_at_once(url: &str, dialect: Dialect) {
    let text = if dialect == Dialect::Mysql {
        "CHAR"
    } else {
        "TEXT"
    };
    let folder = folder(dialect);
    let workers: Vec<Child> = (0..8).map(|_| worker(url, &folder)).collect();
    for (index, child) in workers.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "worker {index} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let pool = DatabasePool::connect(url).await.unwrap();
    assert_eq!(
        recorded_versions(&pool).await,
        (1..=MIGRATIONS).collect::<Vec<_>>()
    );
    let counts = texts(
        &pool,
        &format!(
            "SELECT CAST(count(*) AS {text}) FROM applied_log GROUP BY version ORDER BY version"
        ),
    )
    .await;
    let expected = if dialect == Dialect::Postgres {
        MIGRATIONS - 1
    } else {
        MIGRATIONS
    };
    assert_eq!(
        counts,
        vec!["1".to_string(); expected as usize],
        "each migration ran exactly once"
    );
    execute(&pool, "SELECT 1").await;
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_at_once_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    eight_at_once(&db.url, Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_at_once_sqlite() {
    let db = testdb::sqlite();
    eight_at_once(&db.url, Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_processes_at_once_mysql() {
    let Some(db) = testdb::mysql().await else {
        return;
    };
    eight_at_once(&db.url, Dialect::Mysql).await;
}
