//! The migrator on SQLite: round trip, failure, tamper, foreign-key rebuilds, locking.

mod runtime_support;

use runtime_support::{execute, scenarios, texts, Folder};
use schema_runtime::migrations::Down;
use schema_runtime::{DatabasePool, Dialect, MigrateError, Migrator, MigratorOptions};
use schema_tests::testdb;
use std::time::{Duration, Instant};

async fn pool() -> (testdb::TestDb, DatabasePool) {
    let db = testdb::sqlite();
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (db, pool)
}

#[tokio::test]
async fn round_trip() {
    let (_db, pool) = pool().await;
    scenarios::round_trip(&pool).await;
}

#[tokio::test]
async fn failure_then_fix() {
    let (_db, pool) = pool().await;
    scenarios::failure_then_fix(&pool, Dialect::Sqlite).await;
}

#[tokio::test]
async fn tamper() {
    let (_db, pool) = pool().await;
    scenarios::tamper(&pool).await;
}

#[tokio::test]
async fn down_files_read_when_rolling_back() {
    let (_db, pool) = pool().await;
    scenarios::down_files_read_when_rolling_back(&pool).await;
}

const PARENT_CHILD: &str = "CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT);\n\
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n\
INSERT INTO parent (id, label) VALUES (1, 'a'), (2, 'b');\n\
INSERT INTO child (id, parent_id) VALUES (10, 1), (20, 2);\n";

const REBUILD_PARENT: &str = "-- schema:foreign-keys=off\n\
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '');\n\
INSERT INTO parent_new (id, label) SELECT id, coalesce(label, '') FROM parent;\n\
DROP TABLE parent;\n\
ALTER TABLE parent_new RENAME TO parent;\n";

/// The table rebuild with `foreign_keys=OFF` keeps the child rows that an ON DELETE CASCADE
/// would have removed with foreign keys on, and foreign keys are on again afterwards.
#[tokio::test]
async fn foreign_keys_off_rebuild_keeps_child_rows() {
    let (_db, pool) = pool().await;
    assert_eq!(
        texts(
            &pool,
            "SELECT CAST(foreign_keys AS TEXT) FROM pragma_foreign_keys"
        )
        .await,
        vec!["1"]
    );
    let folder = Folder::new(&[
        ("0001_parent_child.up.sql", PARENT_CHILD),
        (
            "0001_parent_child.down.sql",
            "DROP TABLE child; DROP TABLE parent;",
        ),
        ("0002_rebuild_parent.up.sql", REBUILD_PARENT),
        ("0002_rebuild_parent.down.sql", "SELECT 1;"),
    ]);
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        texts(&pool, "SELECT CAST(count(*) AS TEXT) FROM child").await,
        vec!["2"]
    );
    let DatabasePool::Sqlite(sqlite) = &pool else {
        unreachable!()
    };
    let mut conn = sqlite.acquire().await.unwrap();
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(on, 1, "foreign keys are switched back on");
}

/// A rebuild that leaves dangling references fails `foreign_key_check` and is rolled back.
#[tokio::test]
async fn foreign_key_violations_roll_the_rebuild_back() {
    let (_db, pool) = pool().await;
    let folder = Folder::new(&[
        ("0001_parent_child.up.sql", PARENT_CHILD),
        ("0001_parent_child.down.sql", "DROP TABLE child; DROP TABLE parent;"),
        (
            "0002_lose_parents.up.sql",
            "-- schema:foreign-keys=off\nCREATE TABLE parent_new (id INTEGER PRIMARY KEY, label TEXT);\nINSERT INTO parent_new SELECT * FROM parent WHERE id = 1;\nDROP TABLE parent;\nALTER TABLE parent_new RENAME TO parent;\n",
        ),
        ("0002_lose_parents.down.sql", "SELECT 1;"),
    ]);
    let error = folder
        .migrator()
        .run(&pool)
        .await
        .expect_err("dangling child row");
    let MigrateError::ForeignKeyCheck {
        version,
        violations,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*version, 2);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        error.to_string().contains("0002_lose_parents.up.sql"),
        "{error}"
    );
    assert_eq!(
        texts(&pool, "SELECT CAST(count(*) AS TEXT) FROM parent").await,
        vec!["2"],
        "rolled back"
    );
}

/// Another writer holding the database makes the run wait `lock_wait`, then fail clearly.
#[tokio::test]
async fn a_held_write_lock_times_out_with_a_clear_message() {
    let (db, pool) = pool().await;
    let folder = Folder::new(&[
        ("0001_a.up.sql", "CREATE TABLE a (id INTEGER);"),
        ("0001_a.down.sql", "DROP TABLE a;"),
    ]);
    let blocker = DatabasePool::connect(&db.url).await.unwrap();
    let DatabasePool::Sqlite(blocker) = blocker else {
        unreachable!()
    };
    let mut holder = blocker.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .unwrap();

    let migrator = folder
        .migrator()
        .with_options(MigratorOptions::DEFAULT.lock_wait(Duration::from_millis(300)));
    let started = Instant::now();
    let error = migrator.run(&pool).await.expect_err("lock held");
    assert!(matches!(error, MigrateError::LockTimeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.to_string().contains("lock_wait"), "{error}");

    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *holder)
        .await
        .unwrap();
    migrator.run(&pool).await.unwrap_or_else(|e| panic!("{e}"));
    execute(&pool, "INSERT INTO a (id) VALUES (1)").await;
}

/// The folder read at run time and the same folder embedded at compile time agree.
#[test]
fn from_dir_matches_embedded() {
    static EMBEDDED: Migrator = schema_runtime::embed_migrations!("tests/runtime_fixtures/basic");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runtime_fixtures/basic");
    let loaded = Migrator::from_dir(dir).unwrap();
    assert_eq!(EMBEDDED.migrations().len(), 2);
    assert_eq!(loaded.migrations().len(), 2);
    for (embedded, loaded) in EMBEDDED.migrations().iter().zip(loaded.migrations()) {
        assert_eq!(
            (embedded.version, &embedded.name, &embedded.up),
            (loaded.version, &loaded.name, &loaded.up)
        );
        // The folder's down file is read when needed; the embedded one is in the binary.
        assert!(matches!(loaded.down, Down::File { .. }));
        assert!(matches!(embedded.down, Down::Script(_)));
        assert_eq!(embedded.down.load().unwrap(), loaded.down.load().unwrap());
    }
    assert!(
        EMBEDDED.migrations()[1]
            .up
            .directives()
            .unwrap()
            .no_transaction
    );
}

/// A `-- schema:no-transaction` file on SQLite runs statement by statement, records its
/// progress, and resumes after the statements that ran once the failing one is fixed.
#[tokio::test]
async fn no_transaction_file_resumes_after_a_fix() {
    let (_db, pool) = pool().await;
    let folder = Folder::new(&[
        ("0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
        ("0001_a.down.sql", "DROP TABLE a;"),
        (
            "0002_outside.up.sql",
            "-- schema:no-transaction\nINSERT INTO a (id) VALUES (1);\nINSERT INTO missing (id) VALUES (2);\n",
        ),
        ("0002_outside.down.sql", "DELETE FROM a;"),
    ]);
    let error = folder
        .migrator()
        .run(&pool)
        .await
        .expect_err("statement 2 fails");
    let MigrateError::Statement(failure) = &error else {
        panic!("{error}")
    };
    assert!(!failure.transactional);
    assert_eq!((failure.line, failure.version_now), (3, Some(1)));
    folder.write(
        "0002_outside.up.sql",
        "-- schema:no-transaction\nINSERT INTO a (id) VALUES (1);\nINSERT INTO a (id) VALUES (2);\n",
    );
    folder
        .migrator()
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The first INSERT ran once: repeating it would have failed on the primary key.
    assert_eq!(
        texts(&pool, "SELECT CAST(count(*) AS TEXT) FROM a").await,
        vec!["2"]
    );
    assert!(folder
        .migrator()
        .status(&pool)
        .await
        .unwrap()
        .is_up_to_date());
}
