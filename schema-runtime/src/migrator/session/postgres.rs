//! PostgreSQL: the advisory lock (session or transaction level) and the clean-up of INVALID
//! indexes left by an interrupted `CREATE INDEX CONCURRENTLY`.

use crate::migrator::{MigrateError, MigratorOptions};
use schema_core::migrations::Statement;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use std::time::{Duration, Instant};

/// Polls `pg_try_advisory_lock` instead of blocking in `pg_advisory_lock`: a blocked waiter
/// holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the lock holder would wait for it
/// forever.
pub(super) async fn lock(
    conn: &mut PgConnection,
    key: i64,
    wait: Duration,
) -> Result<(), MigrateError> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(25);
    loop {
        // `key` is a number computed here: a simple query, one round trip.
        let acquired: bool =
            sqlx::raw_sql(AssertSqlSafe(format!("SELECT pg_try_advisory_lock({key})")))
                .fetch_one(&mut *conn)
                .await
                .and_then(|row| row.try_get(0))
                .map_err(|e| MigrateError::database("taking the migration lock", e))?;
        if acquired {
            return Ok(());
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Err(MigrateError::LockTimeout {
                waited,
                holder: holder(conn, key).await,
            });
        }
        tokio::time::sleep(delay.min(wait - waited)).await;
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

pub(super) async fn unlock(conn: &mut PgConnection, key: i64) {
    let _ = sqlx::raw_sql(AssertSqlSafe(format!("SELECT pg_advisory_unlock({key})")))
        .execute(&mut *conn)
        .await;
}

/// Inside a transaction: waits (bounded by `lock_wait`) for the transaction-level lock, then
/// applies the statements' `lock_timeout`.
pub(super) async fn lock_transaction(
    conn: &mut PgConnection,
    key: i64,
    options: &MigratorOptions,
) -> Result<(), MigrateError> {
    let wait_ms = options.lock_wait.as_millis().max(1);
    set_local_lock_timeout(conn, &format!("{wait_ms}")).await?;
    let locked = sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(key)
        .execute(&mut *conn)
        .await;
    if let Err(error) = locked {
        let timed_out = error
            .as_database_error()
            .is_some_and(|db| db.code().as_deref() == Some("55P03"));
        return Err(if timed_out {
            MigrateError::LockTimeout {
                waited: options.lock_wait,
                holder: None,
            }
        } else {
            MigrateError::database("taking the migration lock", error)
        });
    }
    let statement_timeout = match options.lock_timeout {
        Some(timeout) => format!("{}", timeout.as_millis().max(1)),
        None => "DEFAULT".to_string(),
    };
    set_local_lock_timeout(conn, &statement_timeout).await
}

async fn set_local_lock_timeout(conn: &mut PgConnection, value: &str) -> Result<(), MigrateError> {
    // `value` is a number of milliseconds or DEFAULT, built above, never user text.
    sqlx::raw_sql(AssertSqlSafe(format!("SET LOCAL lock_timeout = {value}")))
        .execute(&mut *conn)
        .await
        .map(drop)
        .map_err(|e| MigrateError::database("setting lock_timeout", e))
}

/// Who holds the session lock, for the timeout message.
async fn holder(conn: &mut PgConnection, key: i64) -> Option<String> {
    let row: Option<(i32, String, String)> = sqlx::query_as(
        "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, '') \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 LIMIT 1",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .ok()
    .flatten();
    row.map(|(pid, app, state)| {
        format!("PostgreSQL backend pid {pid}, application `{app}`, state `{state}`; if it is stuck, end it with SELECT pg_terminate_backend({pid})")
    })
}

/// Errors are the driver's, so the runner can tell a lock timeout (the `DROP INDEX
/// CONCURRENTLY` waits like the statement it cleans up for) from other failures.
pub(super) async fn drop_invalid_indexes(
    conn: &mut PgConnection,
    statements: &[Statement<'_>],
) -> Result<(), sqlx::Error> {
    for name in statements
        .iter()
        .filter_map(|s| concurrent_index_name(s.sql))
    {
        let invalid: Vec<String> = sqlx::query_scalar(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE NOT i.indisvalid AND c.relname = $1 AND pg_table_is_visible(c.oid)",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        for index in invalid {
            // `index` is the server's own quoted regclass text.
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP INDEX CONCURRENTLY IF EXISTS {index}"
            )))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The index name of `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON ...`.
fn concurrent_index_name(sql: &str) -> Option<String> {
    let mut words = sql.split_whitespace().map(|w| w.to_string());
    let mut next_upper = || words.next().map(|w| w.to_ascii_uppercase());
    if next_upper()? != "CREATE" {
        return None;
    }
    let mut word = next_upper()?;
    if word == "UNIQUE" {
        word = next_upper()?;
    }
    if word != "INDEX" || next_upper()? != "CONCURRENTLY" {
        return None;
    }
    let mut rest: Vec<String> = sql
        .split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case("CONCURRENTLY"))
        .skip(1)
        .map(str::to_string)
        .collect();
    if rest.len() >= 3
        && rest[0].eq_ignore_ascii_case("IF")
        && rest[1].eq_ignore_ascii_case("NOT")
        && rest[2].eq_ignore_ascii_case("EXISTS")
    {
        rest.drain(..3);
    }
    let name = rest.first()?;
    if name.eq_ignore_ascii_case("ON") {
        return None;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    Some(
        match last.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => last.to_ascii_lowercase(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::concurrent_index_name;

    #[test]
    fn finds_the_name_of_a_concurrent_index() {
        assert_eq!(
            concurrent_index_name("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"),
            Some("users_email_idx".into())
        );
        assert_eq!(
            concurrent_index_name(
                "create unique index concurrently if not exists \"Odd\"\"Name\" on t (a)"
            ),
            Some("Odd\"Name".into())
        );
        assert_eq!(
            concurrent_index_name("CREATE INDEX CONCURRENTLY public.Idx ON t (a)"),
            Some("idx".into())
        );
        assert_eq!(
            concurrent_index_name("CREATE INDEX CONCURRENTLY ON t (a)"),
            None
        );
        assert_eq!(concurrent_index_name("CREATE INDEX i ON t (a)"), None);
    }
}
