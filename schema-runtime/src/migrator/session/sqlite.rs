//! SQLite: `PRAGMA foreign_keys` around table rebuilds, `PRAGMA foreign_key_check`, and
//! `PRAGMA data_version` (has another connection changed the database?).

use crate::migrator::MigrateError;
use sqlx::SqliteConnection;

pub(super) async fn foreign_keys_enabled(
    conn: &mut SqliteConnection,
) -> Result<bool, MigrateError> {
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| MigrateError::database("reading PRAGMA foreign_keys", e))?;
    Ok(on != 0)
}

pub(super) async fn data_version(conn: &mut SqliteConnection) -> Result<i64, MigrateError> {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| MigrateError::database("reading PRAGMA data_version", e))
}

pub(super) async fn foreign_key_violations(
    conn: &mut SqliteConnection,
) -> Result<Vec<String>, MigrateError> {
    let rows: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| MigrateError::database("running PRAGMA foreign_key_check", e))?;
    Ok(rows
        .into_iter()
        .map(|(table, rowid, parent, _)| match rowid {
            Some(rowid) => format!("`{table}` row {rowid} references a missing `{parent}` row"),
            None => format!("a `{table}` row references a missing `{parent}` row"),
        })
        .collect())
}
