//! One live test database of either dialect, behind one interface: apply a migration file,
//! run plain SQL, read rows back as text, introspect, and wipe everything for the next case.

use crate::apply;
use crate::testdb::{self, TestDb};
use schema_core::model::Schema;
use schema_core::Dialect;
use schema_runtime::introspect;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{AssertSqlSafe, MySqlPool, PgPool, Row, SqlitePool};

pub enum LiveDb {
    Postgres { pool: PgPool, _db: TestDb },
    Sqlite { pool: SqlitePool },
    Mysql { pool: MySqlPool, _db: TestDb },
}

impl LiveDb {
    /// A fresh PostgreSQL database, or `None` when the server is unreachable outside CI.
    pub async fn postgres() -> Option<LiveDb> {
        let db = testdb::postgres().await?;
        let pool = PgPool::connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to test database {}: {e}", db.name));
        Some(LiveDb::Postgres { pool, _db: db })
    }

    /// A fresh MySQL/MariaDB database, or `None` when the server is unreachable outside CI.
    /// Double quotes quote identifiers (`ANSI_QUOTES`), as in the other dialects.
    pub async fn mysql() -> Option<LiveDb> {
        let db = testdb::mysql().await?;
        let pool = sqlx::mysql::MySqlPoolOptions::new()
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
                        .execute(conn)
                        .await
                        .map(|_| ())
                })
            })
            .connect(&db.url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to test database {}: {e}", db.name));
        Some(LiveDb::Mysql { pool, _db: db })
    }

    /// A private in-memory SQLite database (one connection, so every query sees it).
    pub async fn sqlite() -> LiveDb {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("open an in-memory SQLite database");
        LiveDb::Sqlite { pool }
    }

    pub async fn open(dialect: Dialect) -> Option<LiveDb> {
        match dialect {
            Dialect::Postgres => LiveDb::postgres().await,
            Dialect::Sqlite => Some(LiveDb::sqlite().await),
            Dialect::Mysql => LiveDb::mysql().await,
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            LiveDb::Postgres { .. } => Dialect::Postgres,
            LiveDb::Sqlite { .. } => Dialect::Sqlite,
            LiveDb::Mysql { .. } => Dialect::Mysql,
        }
    }

    /// Applies a migration file, honouring its directives.
    pub async fn apply(&self, sql: &str) -> anyhow::Result<()> {
        match self {
            LiveDb::Postgres { pool, .. } => apply::postgres(pool, sql).await,
            LiveDb::Sqlite { pool } => apply::sqlite(pool, sql).await,
            LiveDb::Mysql { pool, .. } => apply::mysql(pool, sql).await,
        }
    }

    /// Runs plain SQL (seed rows).
    pub async fn execute(&self, sql: &str) -> anyhow::Result<()> {
        let sql = AssertSqlSafe(sql.to_string());
        match self {
            LiveDb::Postgres { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
            LiveDb::Sqlite { pool } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
            LiveDb::Mysql { pool, .. } => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        }?;
        Ok(())
    }

    /// The rows of `query`, every value read as text (`NULL` as `None`). `CAST(x AS TEXT)`
    /// is spelled `CAST(x AS CHAR)` on MySQL.
    pub async fn text_rows(&self, query: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
        let query = match self {
            LiveDb::Mysql { .. } => query.replace(" AS TEXT)", " AS CHAR)"),
            _ => query.to_string(),
        };
        let sql = AssertSqlSafe(query);
        let rows = match self {
            LiveDb::Postgres { pool, .. } => sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| (0..r.len()).map(|i| r.try_get(i)).collect())
                .collect::<Result<Vec<Vec<Option<String>>>, _>>()?,
            LiveDb::Sqlite { pool } => sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| (0..r.len()).map(|i| r.try_get(i)).collect())
                .collect::<Result<Vec<Vec<Option<String>>>, _>>()?,
            LiveDb::Mysql { pool, .. } => sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| (0..r.len()).map(|i| r.try_get(i)).collect())
                .collect::<Result<Vec<Vec<Option<String>>>, _>>()?,
        };
        Ok(rows)
    }

    pub async fn introspect(&self) -> anyhow::Result<Schema> {
        Ok(match self {
            LiveDb::Postgres { pool, .. } => introspect::postgres(pool, "public").await?,
            LiveDb::Sqlite { pool } => introspect::sqlite(pool).await?,
            LiveDb::Mysql { pool, .. } => introspect::mysql(pool).await?,
        })
    }

    /// Deletes every row of every table (the tables stay).
    pub async fn delete_all_rows(&self) -> anyhow::Result<()> {
        let schema = self.introspect().await?;
        if schema.tables.is_empty() {
            return Ok(());
        }
        let quoted: Vec<String> = schema
            .tables
            .keys()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect();
        let sql = match self {
            LiveDb::Postgres { .. } => format!("TRUNCATE {} CASCADE;", quoted.join(", ")),
            LiveDb::Sqlite { .. } => {
                let deletes: Vec<String> =
                    quoted.iter().map(|t| format!("DELETE FROM {t};")).collect();
                format!(
                    "PRAGMA foreign_keys = OFF;{}PRAGMA foreign_keys = ON;",
                    deletes.concat()
                )
            }
            LiveDb::Mysql { .. } => {
                let deletes: Vec<String> =
                    quoted.iter().map(|t| format!("DELETE FROM {t};")).collect();
                format!(
                    "SET FOREIGN_KEY_CHECKS = 0;{}SET FOREIGN_KEY_CHECKS = 1;",
                    deletes.concat()
                )
            }
        };
        self.execute(&sql).await
    }

    /// Drops every table and type, leaving an empty database for the next case.
    pub async fn reset(&self) -> anyhow::Result<()> {
        match self {
            LiveDb::Postgres { pool, .. } => {
                sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                    .execute(pool)
                    .await?;
            }
            LiveDb::Sqlite { pool } => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(pool)
                .await?;
                let mut sql = String::from("PRAGMA foreign_keys = OFF;");
                for t in tables {
                    sql.push_str(&format!("DROP TABLE \"{}\";", t.replace('"', "\"\"")));
                }
                sql.push_str("PRAGMA foreign_keys = ON;");
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(pool).await?;
            }
            LiveDb::Mysql { pool, .. } => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
                )
                .fetch_all(pool)
                .await?;
                let mut sql = String::from("SET FOREIGN_KEY_CHECKS = 0;");
                for t in tables {
                    sql.push_str(&format!("DROP TABLE \"{}\";", t.replace('"', "\"\"")));
                }
                sql.push_str("SET FOREIGN_KEY_CHECKS = 1;");
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(pool).await?;
            }
        }
        Ok(())
    }
}
