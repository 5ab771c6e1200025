//! One dedicated database connection for a migration run, and the history-table operations on
//! it. The connection is taken out of the pool (`detach`) and closed at the end, so session
//! settings and the PostgreSQL/MySQL session lock never leak into the pool; between migrations
//! PostgreSQL settings are restored to the ones the run started with (`restore_settings`), so
//! a file's `SET` does not leak into the next file either; if the run's
//! future is dropped (cancelled, or the task panicked) the connection is dropped with it,
//! which closes the socket and makes the server release the lock and roll back; a statement
//! still running on the server is ended from another connection (see `abandon`).

mod abandon;
pub(crate) mod history;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use super::options::valid_table_name;
use super::{DatabasePool, LockMode, MigrateError, MigratorOptions};
use abandon::AbandonGuard;
use schema_core::migrations::Statement;
use schema_core::Dialect;
use sqlx::{AssertSqlSafe, Connection};

pub(crate) enum Conn {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgConnection),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqliteConnection),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::MySqlConnection),
}

/// Runs `$body` with `$c` bound to the concrete `&mut` connection, whatever the database.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "postgres")]
            $crate::migrator::session::Conn::Postgres($c) => $body,
            #[cfg(feature = "sqlite")]
            $crate::migrator::session::Conn::Sqlite($c) => $body,
            #[cfg(feature = "mysql")]
            $crate::migrator::session::Conn::Mysql($c) => $body,
        }
    };
}
pub(crate) use with_conn;

pub(crate) struct Session {
    conn: Conn,
    pub(crate) dialect: Dialect,
    pub(crate) options: MigratorOptions,
    /// The history table, validated (identifiers cannot be bound, so only plain names pass).
    table: String,
    /// The advisory-lock key: derived from the history table, so two migrator sets with
    /// different tables in one database do not block each other.
    key: i64,
    holds_lock: bool,
    abandon: AbandonGuard,
    /// PostgreSQL: the SQL that puts back the settings made with `SET` on this connection
    /// before any migration ran (by the pool's `after_connect` and by `configure`): `RESET ALL`
    /// then one `set_config` per setting, sent as one simple query by `restore_settings`.
    restore: String,
    /// Whether `prepare` ran (the connection is configured and its baseline read).
    prepared: bool,
}

impl Session {
    pub(crate) async fn open(
        pool: &DatabasePool,
        options: &MigratorOptions,
    ) -> Result<Session, MigrateError> {
        if !valid_table_name(&options.history_table) {
            return Err(MigrateError::InvalidHistoryTable {
                name: options.history_table.to_string(),
            });
        }
        let acquire = |e| MigrateError::database("taking a connection from the pool", e);
        let conn = match pool {
            #[cfg(feature = "postgres")]
            DatabasePool::Postgres(p) => {
                Conn::Postgres(p.acquire().await.map_err(acquire)?.detach())
            }
            #[cfg(feature = "sqlite")]
            DatabasePool::Sqlite(p) => Conn::Sqlite(p.acquire().await.map_err(acquire)?.detach()),
            #[cfg(feature = "mysql")]
            DatabasePool::Mysql(p) => Conn::Mysql(p.acquire().await.map_err(acquire)?.detach()),
        };
        let key_source = format!("cargo-schema migrations: {}", options.history_table);
        let digest = schema_core::migrations::Checksum::of_normalized(&key_source).0;
        let mut key_bytes = [0u8; 8];
        key_bytes.copy_from_slice(&digest[..8]);
        let session = Session {
            conn,
            dialect: pool.dialect(),
            options: options.clone(),
            table: options.history_table.to_string(),
            key: i64::from_be_bytes(key_bytes) & i64::MAX,
            holds_lock: false,
            abandon: AbandonGuard::new(pool, None),
            restore: String::new(),
            prepared: false,
        };
        // Until `prepare`, nothing runs on the connection: a run with nothing pending only
        // reads the history.
        Ok(session)
    }

    /// Gets the connection ready to change the database: arms the clean-up of an abandoned
    /// run, applies the runner's settings (`lock_timeout`, SQLite `busy_timeout`, ...) and
    /// records the settings `restore_settings` puts back between migrations. Idempotent.
    pub(crate) async fn prepare(&mut self, pool: &DatabasePool) -> Result<(), MigrateError> {
        if self.prepared {
            return Ok(());
        }
        let backend_id = self.backend_id().await;
        self.abandon = AbandonGuard::new(pool, backend_id);
        self.configure().await?;
        let baseline = self.session_settings().await?;
        self.restore = restore_sql(&baseline);
        self.prepared = true;
        Ok(())
    }

    /// PostgreSQL: the settings made with `SET` in this session, as `(name, value)`.
    async fn session_settings(&mut self) -> Result<Vec<(String, String)>, MigrateError> {
        match &mut self.conn {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) => {
                use sqlx::FromRow;
                let read = |e| MigrateError::database("reading the connection's settings", e);
                let rows = sqlx::raw_sql(
                    "SELECT name, current_setting(name) FROM pg_settings WHERE source = 'session' ORDER BY name",
                )
                .fetch_all(&mut *c)
                .await
                .map_err(read)?;
                rows.iter()
                    .map(|row| <(String, String)>::from_row(row).map_err(read))
                    .collect()
            }
            #[allow(unreachable_patterns)]
            _ => Ok(Vec::new()),
        }
    }

    /// PostgreSQL: undoes the `SET`s a migration file made (`RESET ALL` returns to the
    /// server, role, database and connection-string values), then makes again the ones this
    /// session started with, in one round trip. Inside a transaction it takes effect with the
    /// commit. Other databases: nothing (their connection is closed at the end of the run).
    pub(crate) async fn restore_settings(&mut self) -> Result<(), MigrateError> {
        if self.dialect != Dialect::Postgres {
            return Ok(());
        }
        debug_assert!(self.prepared, "restore_settings before prepare");
        let Session { conn, restore, .. } = self;
        let sql = AssertSqlSafe(restore.clone());
        with_conn!(conn, c => sqlx::raw_sql(sql).execute(&mut *c).await.map(drop))
            .map_err(|e| MigrateError::database("restoring the connection's settings", e))
    }

    /// The server's id of this connection (PostgreSQL backend pid, MySQL connection id).
    async fn backend_id(&mut self) -> Option<i64> {
        match &mut self.conn {
            // Behind a transaction-pooling proxy the pid belongs to whichever server
            // connection ran the query, possibly someone else's later: never end it.
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) if self.options.lock_mode == LockMode::Session => {
                use sqlx::Row;
                // A simple query: one round trip, where a prepared one takes two.
                let row = sqlx::raw_sql("SELECT pg_backend_pid()::bigint")
                    .fetch_one(&mut *c)
                    .await
                    .ok()?;
                row.try_get(0).ok()
            }
            #[cfg(feature = "mysql")]
            Conn::Mysql(c) => sqlx::query_scalar("SELECT CAST(CONNECTION_ID() AS SIGNED)")
                .fetch_one(&mut *c)
                .await
                .ok(),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// SQLite: `PRAGMA data_version`, which changes when another connection commits to the
    /// database (and only then: this connection's own commits leave it as it is). Other
    /// databases: `None`.
    pub(crate) async fn data_version(&mut self) -> Result<Option<i64>, MigrateError> {
        match &mut self.conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(c) => sqlite::data_version(c).await.map(Some),
            #[allow(unreachable_patterns)]
            _ => Ok(None),
        }
    }

    async fn configure(&mut self) -> Result<(), MigrateError> {
        let settings = match self.dialect {
            Dialect::Sqlite => vec![format!(
                "PRAGMA busy_timeout = {}",
                self.options.lock_wait.as_millis().min(i32::MAX as u128)
            )],
            Dialect::Postgres if self.options.lock_mode == LockMode::Session => self
                .options
                .lock_timeout
                .map(|t| format!("SET lock_timeout = {}", t.as_millis().max(1)))
                .into_iter()
                .collect(),
            Dialect::Mysql => match self.options.lock_timeout {
                // Whole seconds, at least 1 (both variables are integers).
                Some(t) => {
                    let seconds = t.as_secs() + u64::from(t.subsec_nanos() > 0);
                    let seconds = seconds.clamp(1, 31_536_000);
                    vec![
                        format!("SET SESSION lock_wait_timeout = {seconds}"),
                        format!("SET SESSION innodb_lock_wait_timeout = {seconds}"),
                    ]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        if self.dialect == Dialect::Postgres && self.options.lock_mode == LockMode::Session {
            // If this run is cancelled or its process dies, the server only notices the closed
            // socket when the running statement ends, and keeps the lock until then. PostgreSQL
            // 14+ can poll the socket during a statement; older servers reject the setting,
            // which is harmless. Not behind a transaction-pooling proxy, where a session
            // setting would stick to whichever server connection ran it.
            let _ = self
                .execute("SET client_connection_check_interval = 500")
                .await;
        }
        for setting in settings {
            self.execute(&setting)
                .await
                .map_err(|e| MigrateError::database("configuring the migration connection", e))?;
        }
        Ok(())
    }

    /// Whether exclusion comes from each migration's own transaction (SQLite's write lock,
    /// PostgreSQL `pg_advisory_xact_lock`) rather than a lock held for the whole run; the
    /// runner then re-reads the history inside each transaction.
    pub(crate) fn per_migration_lock(&self) -> bool {
        match self.dialect {
            Dialect::Sqlite => true,
            Dialect::Postgres => self.options.lock_mode == LockMode::Transaction,
            Dialect::Mysql => false,
        }
    }

    /// Takes the run-wide lock, waiting at most `lock_wait`.
    pub(crate) async fn lock(&mut self) -> Result<(), MigrateError> {
        self.holds_lock = self.take_run_lock().await?;
        Ok(())
    }

    // Which databases are compiled in decides which bindings are used.
    #[allow(unused_variables)]
    async fn take_run_lock(&mut self) -> Result<bool, MigrateError> {
        let Session {
            conn,
            options,
            table,
            key,
            ..
        } = self;
        match conn {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) if options.lock_mode == LockMode::Session => {
                postgres::lock(c, *key, options.lock_wait).await?;
                Ok(true)
            }
            #[cfg(feature = "mysql")]
            Conn::Mysql(c) => {
                mysql::lock(c, table, options.lock_wait).await?;
                Ok(true)
            }
            #[allow(unreachable_patterns)]
            _ => Ok(false),
        }
    }

    /// Releases the lock and closes the connection. Errors are ignored: closing the
    /// connection releases the lock on the server anyway.
    #[allow(unused_variables)]
    pub(crate) async fn release(self) {
        let Session {
            mut conn,
            table,
            key,
            holds_lock,
            mut abandon,
            ..
        } = self;
        if holds_lock {
            match &mut conn {
                #[cfg(feature = "postgres")]
                Conn::Postgres(c) => postgres::unlock(c, key).await,
                #[cfg(feature = "mysql")]
                Conn::Mysql(c) => mysql::unlock(c, &table).await,
                #[allow(unreachable_patterns)]
                _ => {}
            }
        }
        let _ = with_conn!(conn, c => c.close().await);
        abandon.disarm();
    }

    /// Runs one SQL text as it is (no bind parameters, simple protocol where it matters).
    /// The run's connection, for read-only checks on it (the rollback gate).
    pub(crate) fn connection(&mut self) -> &mut Conn {
        &mut self.conn
    }

    pub(crate) async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let query = sqlx::raw_sql(AssertSqlSafe(sql.to_string()));
        with_conn!(&mut self.conn, c => query.execute(&mut *c).await.map(drop))
    }

    /// Starts a migration's transaction, taking the per-migration lock where that is the mode.
    pub(crate) async fn begin(&mut self) -> Result<(), MigrateError> {
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            _ => "BEGIN",
        };
        self.execute(begin)
            .await
            .map_err(|e| self.error("starting a migration transaction", e))?;
        let Session {
            conn, options, key, ..
        } = self;
        match conn {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) if options.lock_mode == LockMode::Transaction => {
                postgres::lock_transaction(c, *key, options).await
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = (options, key);
                Ok(())
            }
        }
    }

    /// A failed runner operation; on SQLite, waiting out `busy_timeout` behind another writer
    /// is the lock timeout.
    pub(crate) fn error(&self, action: &'static str, error: sqlx::Error) -> MigrateError {
        if self.dialect == Dialect::Sqlite && sqlite_busy(&error) {
            MigrateError::LockTimeout {
                waited: self.options.lock_wait,
                holder: Some("another connection is writing to this SQLite database".into()),
            }
        } else {
            MigrateError::database(action, error)
        }
    }

    pub(crate) async fn commit(&mut self) -> Result<(), MigrateError> {
        self.execute("COMMIT")
            .await
            .map_err(|e| self.error("committing a migration", e))
    }

    /// Rolls back the open transaction, if any; errors are ignored (there may be none open).
    pub(crate) async fn rollback(&mut self) {
        let _ = self.execute("ROLLBACK").await;
    }

    /// SQLite: reads `PRAGMA foreign_keys`; other databases report `false`.
    pub(crate) async fn foreign_keys_enabled(&mut self) -> Result<bool, MigrateError> {
        match &mut self.conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(c) => sqlite::foreign_keys_enabled(c).await,
            #[allow(unreachable_patterns)]
            _ => Ok(false),
        }
    }

    pub(crate) async fn set_foreign_keys(&mut self, on: bool) -> Result<(), MigrateError> {
        let sql = if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        };
        self.execute(sql)
            .await
            .map_err(|e| MigrateError::database("setting PRAGMA foreign_keys", e))
    }

    /// SQLite: the rows `PRAGMA foreign_key_check` reports, described.
    pub(crate) async fn foreign_key_violations(&mut self) -> Result<Vec<String>, MigrateError> {
        match &mut self.conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(c) => sqlite::foreign_key_violations(c).await,
            #[allow(unreachable_patterns)]
            _ => Ok(Vec::new()),
        }
    }

    /// PostgreSQL: drops INVALID indexes that a failed `CREATE INDEX CONCURRENTLY` of these
    /// statements left behind, so re-running them rebuilds the index.
    pub(crate) async fn drop_invalid_indexes(
        &mut self,
        statements: &[Statement<'_>],
    ) -> Result<(), sqlx::Error> {
        match &mut self.conn {
            #[cfg(feature = "postgres")]
            Conn::Postgres(c) => postgres::drop_invalid_indexes(c, statements).await,
            #[allow(unreachable_patterns)]
            _ => {
                let _ = statements;
                Ok(())
            }
        }
    }
}

/// A statement that gave up waiting for a lock: PostgreSQL `55P03` lock_not_available (a
/// `lock_timeout`, or `NOWAIT`), MySQL/MariaDB 1205 `ER_LOCK_WAIT_TIMEOUT` (row locks after
/// `innodb_lock_wait_timeout`, metadata locks after `lock_wait_timeout`) and 3572
/// `ER_LOCK_NOWAIT`. SQLite's SQLITE_BUSY is not one: `busy_timeout` already waited.
pub(crate) fn lock_not_available(error: &sqlx::Error) -> bool {
    let Some(db) = error.as_database_error() else {
        return false;
    };
    if db.code().as_deref() == Some("55P03") {
        return true;
    }
    #[cfg(feature = "mysql")]
    if let Some(mysql) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(mysql.number(), 1205 | 3572);
    }
    false
}

/// Whether a statement changes a session setting that a resumed no-transaction file must make
/// again on its new connection: `SET name ...` / `SET SESSION ...` (not `SET LOCAL`, which
/// ends with its transaction, and not MySQL's server-wide `SET GLOBAL` / `SET PERSIST`).
pub(crate) fn session_setting(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    // Leading comments.
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let mut words = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '@' | '=' | '.'))
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    if !first.eq_ignore_ascii_case("SET") {
        return false;
    }
    let second = words.next().unwrap_or("").to_ascii_uppercase();
    !matches!(
        second.as_str(),
        "" | "LOCAL" | "GLOBAL" | "PERSIST" | "PERSIST_ONLY" | "TRANSACTION" | "CONSTRAINTS"
    )
}

/// PostgreSQL: `RESET ALL`, then `set_config` for each `(name, value)` a session started with,
/// as one simple query (the values are literals: no parameters in a multi-statement query).
fn restore_sql(baseline: &[(String, String)]) -> String {
    let mut sql = String::from("RESET ALL");
    for (name, value) in baseline {
        sql.push_str("; SELECT set_config(");
        sql.push_str(&pg_literal(name));
        sql.push_str(", ");
        sql.push_str(&pg_literal(value));
        sql.push_str(", false)");
    }
    sql
}

/// A PostgreSQL string literal of any text, whatever `standard_conforming_strings` is.
pub(crate) fn pg_literal(text: &str) -> String {
    let quoted = text.replace('\'', "''");
    if quoted.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}

/// SQLite reports a held write lock as SQLITE_BUSY (code 5, extended codes 261/517).
pub(crate) fn sqlite_busy(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|db| {
        matches!(db.code().as_deref(), Some("5" | "261" | "517"))
            || db.message().contains("database is locked")
    })
}

#[cfg(test)]
mod tests {
    use super::session_setting;

    #[test]
    fn recognizes_session_settings() {
        for sql in [
            "SET lock_timeout = '5s'",
            "set search_path TO app, public",
            "SET SESSION lock_wait_timeout = 2",
            "-- give the index time\nSET lock_timeout = '10min'",
            "/* x */ SET statement_timeout = 0",
            "SET @@SESSION.innodb_lock_wait_timeout = 1",
        ] {
            assert!(session_setting(sql), "{sql}");
        }
        for sql in [
            "SET LOCAL lock_timeout = '1s'",
            "SET GLOBAL max_connections = 10",
            "SET @@GLOBAL.max_connections = 10",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "SET CONSTRAINTS ALL DEFERRED",
            "UPDATE t SET a = 1",
            "SELECT 1",
            "SETTLE",
        ] {
            assert!(!session_setting(sql), "{sql}");
        }
    }
}
