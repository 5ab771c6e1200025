//! What happens to a run that is abandoned mid-statement (its future dropped: cancelled, or
//! the task panicked). Dropping the connection closes the socket, but PostgreSQL (before 14,
//! or without `client_connection_check_interval`) and MySQL only notice when the running
//! statement ends, and keep the migration lock until then. The guard, still armed when the
//! session is dropped, asks the server from another pooled connection to end the abandoned
//! backend, which rolls it back and releases the lock at once.

use super::super::DatabasePool;

pub(super) struct AbandonGuard {
    /// The pool and the server-side id of the session's connection; `None` when there is
    /// nothing to end (SQLite, or the id could not be read).
    target: Option<(DatabasePool, i64)>,
}

impl AbandonGuard {
    pub(super) fn new(pool: &DatabasePool, backend_id: Option<i64>) -> AbandonGuard {
        AbandonGuard {
            target: backend_id.map(|id| (pool.clone(), id)),
        }
    }

    /// The session ended normally: nothing to clean up.
    pub(super) fn disarm(&mut self) {
        self.target = None;
    }
}

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        let Some((pool, id)) = self.target.take() else {
            return;
        };
        // Without a runtime (the process is shutting down) the socket closing is all there is.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(end_backend(pool, id));
        }
    }
}

// With only SQLite compiled in there is no backend to end.
#[allow(unused_variables)]
async fn end_backend(pool: DatabasePool, id: i64) {
    match pool {
        #[cfg(feature = "postgres")]
        DatabasePool::Postgres(pool) => {
            let _ = sqlx::query("SELECT pg_terminate_backend($1::int)")
                .bind(id)
                .execute(&pool)
                .await;
        }
        #[cfg(feature = "mysql")]
        DatabasePool::Mysql(pool) => {
            // `id` is the server's own connection id, read as an integer: no user text.
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("KILL CONNECTION {id}")))
                .execute(&pool)
                .await;
        }
        #[allow(unreachable_patterns)]
        _ => {}
    }
}
