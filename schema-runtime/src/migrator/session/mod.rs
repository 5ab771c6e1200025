//! One dedicated database connection for a migration run, and the history-table operations on
//! it. The connection is taken out of the pool (`detach`) and closed at the end, so session
//! settings and the PostgreSQL/MySQL session lock never leak into the pool; if the run's
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
        let mut session = Session {
            conn,
            dialect: pool.dialect(),
            options: options.clone(),
            table: options.history_table.to_string(),
            key: i64::from_be_bytes(key_bytes) & i64::MAX,
            holds_lock: false,
            abandon: AbandonGuard::new(pool, None),
        };
        let backend_id = session.backend_id().await;
        session.abandon = AbandonGuard::new(pool, backend_id);
        session.configure().await?;
        Ok(session)
    }

    /// The server's id of this connection (PostgreSQL backend pid, MySQL connection id).
    async fn backend_id(&mut self) -> Option<i64> {
        let sql = match self.dialect {
            // Behind a transaction-pooling proxy the pid belongs to whichever server
            // connection ran the query, possibly someone else's later: never end it.
            Dialect::Postgres if self.options.lock_mode == LockMode::Transaction => return None,
            Dialect::Postgres => "SELECT pg_backend_pid()::bigint",
            Dialect::Mysql => "SELECT CAST(CONNECTION_ID() AS SIGNED)",
            Dialect::Sqlite => return None,
        };
        with_conn!(&mut self.conn, c => sqlx::query_scalar(sql).fetch_one(&mut *c).await.ok())
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
    ) -> Result<(), MigrateError> {
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

/// SQLite reports a held write lock as SQLITE_BUSY (code 5, extended codes 261/517).
pub(crate) fn sqlite_busy(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|db| {
        matches!(db.code().as_deref(), Some("5" | "261" | "517"))
            || db.message().contains("database is locked")
    })
}
