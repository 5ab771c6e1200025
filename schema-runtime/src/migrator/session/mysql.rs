//! MySQL/MariaDB: a named server lock (`GET_LOCK`), scoped to the database and history table.

use crate::migrator::MigrateError;
use sqlx::MySqlConnection;
use std::time::{Duration, Instant};

/// Lock names are server-wide and at most 64 characters: hash the database and table names.
const LOCK_NAME: &str = "SHA2(CONCAT('cargo-schema:', DATABASE(), ':', ?), 256)";

pub(super) async fn lock(
    conn: &mut MySqlConnection,
    table: &str,
    wait: Duration,
) -> Result<(), MigrateError> {
    let started = Instant::now();
    let seconds = wait.as_secs_f64().ceil().max(0.0) as i64;
    let acquired: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT GET_LOCK({LOCK_NAME}, ?)"
    )))
    .bind(table)
    .bind(seconds)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| MigrateError::database("taking the migration lock", e))?;
    if acquired == Some(1) {
        return Ok(());
    }
    let holder: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT IS_USED_LOCK({LOCK_NAME})"
    )))
    .bind(table)
    .fetch_one(&mut *conn)
    .await
    .ok()
    .flatten();
    Err(MigrateError::LockTimeout {
        waited: started.elapsed(),
        holder: holder
            .map(|id| format!("MySQL connection id {id}; if it is stuck, end it with KILL {id}")),
    })
}

pub(super) async fn unlock(conn: &mut MySqlConnection, table: &str) {
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT RELEASE_LOCK({LOCK_NAME})"
    )))
    .bind(table)
    .execute(&mut *conn)
    .await;
}
