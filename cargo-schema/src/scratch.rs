//! The uniquely named PostgreSQL or MySQL databases of `verify`'s replay, created on the server
//! of the given URL and dropped afterwards (also when the replay is interrupted, see `replay`).
//!
//! A verify killed outright (SIGKILL, a lost machine) leaves its database behind. The name
//! carries its creation time by the server's clock (`cargo_schema_verify_<pid>_<server unix
//! seconds>_<microseconds>`), and the next verify on the server drops the scratch databases that
//! are older than [`LEFTOVER_AFTER`] by that same clock and that nobody is connected to: a
//! replay that is still running (however long, whatever the clocks of the machines running
//! the verifies say) is never touched.

use crate::db_url::{redact, with_database};
use crate::error::CliError;
use schema_runtime::DatabasePool;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PREFIX: &str = "cargo_schema_verify_";
/// A scratch database this old (by the server's clock) with no session on it is a leftover.
const LEFTOVER_AFTER: Duration = Duration::from_secs(6 * 3600);
/// How long dropping this verify's own scratch database may take (a lock it waits for, a
/// server that does not answer) before verify gives up and says so.
pub const DROP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a sweep's `DROP DATABASE` may wait for a MySQL metadata lock (seconds).
const SWEEP_LOCK_WAIT: u32 = 1;

/// A connection to the server's maintenance database, which creates and drops the scratch
/// databases.
pub struct Admin {
    pool: DatabasePool,
    url: String,
}

impl Admin {
    pub async fn connect(admin_url: &str) -> Result<Admin, CliError> {
        let pool = DatabasePool::connect(admin_url).await.map_err(|e| {
            CliError::new(e.to_string())
                .hint("check --database-url / DATABASE_URL and that the server is running")
        })?;
        Ok(Admin {
            pool,
            url: admin_url.to_string(),
        })
    }

    /// The maintenance database's URL (with its password: [`redact`] it for messages).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's clock, in unix seconds: scratch names are stamped and judged by it, so the
    /// clocks of the machines running verifies do not matter.
    pub async fn server_now(&self) -> Result<u64, CliError> {
        let now: Result<i64, sqlx::Error> = match &self.pool {
            DatabasePool::Postgres(p) => {
                sqlx::query_scalar("SELECT extract(epoch FROM now())::bigint")
                    .fetch_one(p)
                    .await
            }
            DatabasePool::Mysql(p) => {
                sqlx::query_scalar("SELECT CAST(UNIX_TIMESTAMP() AS SIGNED)")
                    .fetch_one(p)
                    .await
            }
            _ => Err(not_a_server()),
        };
        let now = now.map_err(|e| {
            CliError::new(format!(
                "cannot read the clock of {}: {e}",
                redact(&self.url)
            ))
        })?;
        Ok(u64::try_from(now).unwrap_or(0))
    }

    /// Drops the scratch databases that verifies stopped before they could drop them: older
    /// than [`LEFTOVER_AFTER`] by the server's clock (`now`) and with nobody connected. Best
    /// effort: a failure here must not stop this verify. Returns a note per database dropped.
    pub async fn sweep(&self, now: u64) -> Vec<String> {
        let candidates = match &self.pool {
            DatabasePool::Postgres(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT d.datname::text FROM pg_database d \
                     WHERE d.datname LIKE 'cargo\\_schema\\_verify\\_%' \
                     AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)",
                )
                .fetch_all(p)
                .await
            }
            DatabasePool::Mysql(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT CAST(s.schema_name AS CHAR) FROM information_schema.schemata s \
                     WHERE s.schema_name LIKE 'cargo\\_schema\\_verify\\_%' \
                     AND NOT EXISTS (SELECT 1 FROM information_schema.processlist p \
                                     WHERE p.db = s.schema_name)",
                )
                .fetch_all(p)
                .await
            }
            _ => return Vec::new(),
        };
        let Ok(names) = candidates else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        for name in names.into_iter().filter(|n| is_leftover(n, now)) {
            if self.drop_leftover(&name).await.is_ok() {
                notes.push(format!(
                    "dropped the scratch database `{name}`: created more than 6 hours ago (by the server's clock) and nobody connected to it, left behind by a verify that did not drop it (killed, or its drop failed)"
                ));
            }
        }
        notes
    }

    /// A plain `DROP DATABASE`: on PostgreSQL it fails while anyone is connected (someone
    /// connected after the sweep looked), and then the database is left alone; on MySQL it
    /// gives up at once on a metadata lock somebody holds.
    async fn drop_leftover(&self, name: &str) -> Result<(), sqlx::Error> {
        match &self.pool {
            DatabasePool::Postgres(p) => {
                let mut conn = p.acquire().await?;
                raw(&mut *conn, format!("DROP DATABASE IF EXISTS \"{name}\"")).await
            }
            DatabasePool::Mysql(p) => {
                let mut conn = p.acquire().await?;
                raw(
                    &mut *conn,
                    format!("SET SESSION lock_wait_timeout = {SWEEP_LOCK_WAIT}"),
                )
                .await?;
                raw(&mut *conn, format!("DROP DATABASE IF EXISTS `{name}`")).await
            }
            _ => Err(not_a_server()),
        }
    }

    /// Creates the scratch database `name` (from [`scratch_name`]); returns its URL.
    pub async fn create(&self, name: &str) -> Result<String, CliError> {
        let create = match &self.pool {
            DatabasePool::Mysql(_) => format!("CREATE DATABASE `{name}`"),
            _ => format!("CREATE DATABASE \"{name}\""),
        };
        let created = match &self.pool {
            DatabasePool::Postgres(p) => raw(p, create).await,
            DatabasePool::Mysql(p) => raw(p, create).await,
            _ => Err(not_a_server()),
        };
        if let Err(e) = created {
            return Err(CliError::new(format!(
                "cannot create a scratch database on {}: {e}",
                redact(&self.url)
            ))
            .hint("verify needs a user that may CREATE DATABASE; or pass --no-replay"));
        }
        Ok(with_database(&self.url, name))
    }

    /// Drops this verify's own scratch database `name`, ending the sessions still on it (a
    /// failed or interrupted migration's): PostgreSQL's `WITH (FORCE)` (13+; older servers
    /// get the plain statement), on MySQL `KILL` of the sessions whose database it is. A
    /// metadata lock is waited for [`DROP_TIMEOUT`] at most (the caller times the whole out).
    pub async fn drop_own(&self, name: &str) -> Result<(), sqlx::Error> {
        match &self.pool {
            DatabasePool::Postgres(p) => {
                let mut conn = p.acquire().await?;
                match raw(
                    &mut *conn,
                    format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                )
                .await
                {
                    Ok(()) => Ok(()),
                    Err(_) => raw(&mut *conn, format!("DROP DATABASE IF EXISTS \"{name}\"")).await,
                }
            }
            DatabasePool::Mysql(p) => {
                let mut conn = p.acquire().await?;
                raw(
                    &mut *conn,
                    format!("SET SESSION lock_wait_timeout = {}", DROP_TIMEOUT.as_secs()),
                )
                .await?;
                let sessions: Vec<i64> = sqlx::query_scalar(
                    "SELECT CAST(id AS SIGNED) FROM information_schema.processlist \
                     WHERE db = ? AND id <> CONNECTION_ID()",
                )
                .bind(name)
                .fetch_all(&mut *conn)
                .await
                .unwrap_or_default();
                for id in sessions {
                    // Gone already, or not ours to end: the DROP says what is left.
                    let _ = raw(&mut *conn, format!("KILL CONNECTION {id}")).await;
                }
                raw(&mut *conn, format!("DROP DATABASE IF EXISTS `{name}`")).await
            }
            _ => Err(not_a_server()),
        }
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// The name of a new scratch database, stamped with the server's clock (`now`, unix
/// seconds). Letters, digits and `_` only, so formatting it into statements is safe:
/// `cargo_schema_verify_<pid>_<server unix seconds>_<microseconds>` (the microseconds, of this
/// machine's clock, only keep two verifies of one process apart).
pub fn scratch_name(now: u64) -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_micros();
    format!("{PREFIX}{}_{now}_{micros:06}", std::process::id())
}

/// A scratch database of this naming, older than [`LEFTOVER_AFTER`] at the server time `now`.
fn is_leftover(name: &str, now: u64) -> bool {
    created_at(name).is_some_and(|t| now.saturating_sub(t) > LEFTOVER_AFTER.as_secs())
}

/// When a scratch database of this naming was created (server unix seconds); `None` for any
/// other name.
fn created_at(name: &str) -> Option<u64> {
    let rest = name.strip_prefix(PREFIX)?;
    let parts: Vec<&str> = rest.split('_').collect();
    let [pid, secs, micros] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(pid) && digits(secs) && digits(micros)) {
        return None;
    }
    secs.parse().ok()
}

async fn raw<'e, E>(executor: E, sql: String) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e>,
{
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(executor)
        .await
        .map(|_| ())
}

fn not_a_server() -> sqlx::Error {
    sqlx::Error::Configuration("a SQLite database cannot hold a scratch database".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_this_scheme_have_a_creation_time() {
        assert_eq!(
            created_at("cargo_schema_verify_123_1763700000_000042"),
            Some(1_763_700_000)
        );
        for other in [
            "cargo_schema_verify_123_456",
            "cargo_schema_verify_123_x_1",
            "cargo_schema_verify_123_1763700000_1_2",
            "app_production",
            "cargo_schema_verify_",
        ] {
            assert_eq!(created_at(other), None, "{other}");
        }
    }

    #[test]
    fn leftovers_are_judged_by_the_server_time_given() {
        let now = 1_763_700_000;
        let name = scratch_name(now);
        assert_eq!(created_at(&name), Some(now));
        assert!(!is_leftover(&name, now));
        assert!(!is_leftover(&name, now + 6 * 3600));
        assert!(is_leftover(&name, now + 6 * 3600 + 1));
        // A name stamped "in the future" (another clock) is not old.
        assert!(!is_leftover(&name, now - 3600));
        assert!(!is_leftover("app_production", now));
    }
}
