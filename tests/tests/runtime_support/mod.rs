//! Helpers shared by the runtime tests: migration folders on disk and schema inspection.

#![allow(dead_code)]

use schema_runtime::{DatabasePool, Migrator};
use sqlx::AssertSqlSafe;
use std::path::{Path, PathBuf};

/// A migrations folder in a temporary directory.
pub struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    pub fn new(files: &[(&str, &str)]) -> Folder {
        let folder = Folder {
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        for (name, content) in files {
            folder.write(name, content);
        }
        folder
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.file(name), content).expect("write migration file");
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.file(name)).expect("remove migration file");
    }

    pub fn migrator(&self) -> Migrator {
        Migrator::from_dir(self.path()).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Up and down files for migration `version` that create and drop `table`.
pub fn create_table(version: i64, table: &str) -> [(String, String); 2] {
    [
        (
            format!("{version:04}_create_{table}.up.sql"),
            format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY);\n"),
        ),
        (
            format!("{version:04}_create_{table}.down.sql"),
            format!("DROP TABLE {table};\n"),
        ),
    ]
}

pub fn folder_of(files: &[(String, String)]) -> Folder {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_str()))
        .collect();
    Folder::new(&refs)
}

/// Runs one query and returns the first column of every row as text.
pub async fn texts(pool: &DatabasePool, sql: &str) -> Vec<String> {
    let sql = sql.to_string();
    match pool {
        DatabasePool::Postgres(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        DatabasePool::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        DatabasePool::Mysql(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        _ => panic!("unsupported pool"),
    }
    .unwrap_or_else(|e| panic!("query failed: {e}"))
}

pub async fn execute(pool: &DatabasePool, sql: &str) {
    let sql = sql.to_string();
    let result = match pool {
        DatabasePool::Postgres(p) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(p).await.map(drop),
        DatabasePool::Sqlite(p) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(p).await.map(drop),
        DatabasePool::Mysql(p) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(p).await.map(drop),
        _ => panic!("unsupported pool"),
    };
    result.unwrap_or_else(|e| panic!("statement failed: {e}"));
}

/// User tables of the database (not the history table), sorted.
pub async fn tables(pool: &DatabasePool) -> Vec<String> {
    let sql = match pool {
        DatabasePool::Postgres(_) => "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_schema_migrations' ORDER BY 1",
        DatabasePool::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_schema_migrations' ORDER BY 1",
        DatabasePool::Mysql(_) => "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> '_schema_migrations' ORDER BY 1",
        _ => panic!("unsupported pool"),
    };
    texts(pool, sql).await
}

/// Versions recorded as finished in the history table.
pub async fn recorded_versions(pool: &DatabasePool) -> Vec<i64> {
    let sql = "SELECT version FROM _schema_migrations WHERE complete = TRUE ORDER BY version";
    let sql = sql.to_string();
    match pool {
        DatabasePool::Postgres(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        DatabasePool::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        DatabasePool::Mysql(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        _ => panic!("unsupported pool"),
    }
    .unwrap_or_else(|e| panic!("reading history failed: {e}"))
}
pub mod scenarios;
