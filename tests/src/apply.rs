//! Applies a generated migration file's text to a test database the way the runner does:
//! statement by statement (split by `schema_core::migrations`), in one transaction unless the
//! file says `-- schema:no-transaction`, and for `-- schema:foreign-keys=off` (SQLite table
//! rebuilds) with `PRAGMA foreign_keys=OFF` around the transaction and a
//! `PRAGMA foreign_key_check` before it commits.

use anyhow::{bail, Context};
use schema_core::migrations::{split_statements, Directives};
use schema_core::Dialect;
use sqlx::{AssertSqlSafe, Connection, MySqlPool, PgPool, Row, SqlitePool};

/// Runs `sql` (a whole migration file) on PostgreSQL.
pub async fn postgres(pool: &PgPool, sql: &str) -> anyhow::Result<()> {
    let directives = Directives::parse(sql).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = pool.acquire().await?;
    let statements = split_statements(sql, Dialect::Postgres);
    if directives.no_transaction {
        for st in statements {
            run(&mut *conn, st.sql, st.line).await?;
        }
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    for st in statements {
        run(&mut *tx, st.sql, st.line).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Runs `sql` (a whole migration file) on MySQL: statement by statement on one connection
/// (MySQL commits DDL implicitly, so a transaction would not hold it).
pub async fn mysql(pool: &MySqlPool, sql: &str) -> anyhow::Result<()> {
    Directives::parse(sql).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = pool.acquire().await?;
    for st in split_statements(sql, Dialect::Mysql) {
        run(&mut *conn, st.sql, st.line).await?;
    }
    Ok(())
}

/// Runs `sql` (a whole migration file) on SQLite.
pub async fn sqlite(pool: &SqlitePool, sql: &str) -> anyhow::Result<()> {
    let directives = Directives::parse(sql).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = pool.acquire().await?;
    let statements = split_statements(sql, Dialect::Sqlite);
    if directives.no_transaction {
        for st in statements {
            run(&mut *conn, st.sql, st.line).await?;
        }
        return Ok(());
    }
    if directives.foreign_keys_off {
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await?;
    }
    let outcome = sqlite_transaction(&mut conn, &statements, directives.foreign_keys_off).await;
    if directives.foreign_keys_off {
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut *conn)
            .await?;
    }
    outcome
}

async fn sqlite_transaction(
    conn: &mut sqlx::SqliteConnection,
    statements: &[schema_core::migrations::Statement<'_>],
    check_foreign_keys: bool,
) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    for st in statements {
        run(&mut *tx, st.sql, st.line).await?;
    }
    if check_foreign_keys {
        let violations = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut *tx)
            .await?;
        if let Some(first) = violations.first() {
            let table: String = first.try_get(0).unwrap_or_default();
            bail!(
                "{} foreign key violation(s) after the rebuild (first in table `{table}`): rolled back",
                violations.len()
            );
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn run<'c, E>(executor: E, sql: &str, line: usize) -> anyhow::Result<()>
where
    E: sqlx::Executor<'c>,
{
    executor
        .execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string())))
        .await
        .with_context(|| format!("statement at line {line} failed:\n{sql}"))?;
    Ok(())
}
