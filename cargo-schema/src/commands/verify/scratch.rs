//! The uniquely named PostgreSQL or MySQL databases of `verify`'s replay, created on the server
//! of the given URL and dropped afterwards (also when the replay is interrupted, see `replay`).
//!
//! A verify killed outright (SIGKILL, a lost machine) leaves its database behind. The name
//! carries its creation time by the server's clock (`cargo_schema_verify_<pid>_<server unix
//! seconds>_<microseconds>`), and the next verify on the server sweeps the scratch databases
//! that are older than [`LEFTOVER_AFTER`] by that same clock and that are not in use.
//!
//! In use means: a verify holds the database's lock ([`Claim`]: a PostgreSQL session-level
//! advisory lock keyed by the name, or a MySQL `GET_LOCK` of the name, taken on a dedicated
//! connection before the database is created and held until it is dropped), or somebody is
//! connected to it (the replay also keeps a session on it for as long as it runs, which a
//! verify of an older version sees). A sweep drops only what it could lock, after checking
//! under the lock that no other session holds it (on PostgreSQL through any maintenance
//! database: `pg_locks`) and that nobody is connected: a replay that is still running
//! (however long, between two connections or not, whatever the clocks of the machines running
//! the verifies say) is never touched.

use crate::database::url::{dialect_of_url, redact_url, with_database};
use crate::error::CliError;
use schema_core::Dialect;
use schema_runtime::DatabasePool;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PREFIX: &str = "cargo_schema_verify_";
/// A scratch database this old (by the server's clock) with no session on it is a leftover.
const LEFTOVER_AFTER: Duration = Duration::from_secs(6 * 3600);
/// How long dropping this verify's own scratch database may take before verify gives up and
/// says so (a server that does not answer). Generous: PostgreSQL's `DROP DATABASE` waits for a
/// checkpoint, which takes more than ten seconds on a server busy with other databases.
pub const DROP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long that drop may wait for a MySQL metadata lock somebody holds (seconds).
const DROP_LOCK_WAIT: u64 = 10;
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

    /// The maintenance database's URL (with its password: [`redact_url`] it for messages).
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
                redact_url(&self.url)
            ))
        })?;
        Ok(u64::try_from(now).unwrap_or(0))
    }

    /// Drops the scratch databases that verifies stopped before they could drop them: older
    /// than [`LEFTOVER_AFTER`] by the server's clock (`now`), not locked by a verify and with
    /// nobody connected. Best effort: a failure here must not stop this verify. Returns a note
    /// per database dropped.
    pub async fn sweep(&self, now: u64) -> Vec<String> {
        let Ok(names) = self.unconnected_scratch().await else {
            return Vec::new();
        };
        let leftovers: Vec<String> = names.into_iter().filter(|n| is_leftover(n, now)).collect();
        if leftovers.is_empty() {
            return Vec::new();
        }
        // A connection of its own, closed at the end: whatever happens, no lock outlives it.
        let Ok(mut conn) = Conn::open(&self.pool).await else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        for name in leftovers {
            if sweep_one(&mut conn, &name).await.unwrap_or(false) {
                notes.push(format!(
                    "dropped the scratch database `{name}`: created more than 6 hours ago (by the server's clock), no verify holds it and nobody is connected to it; a verify that did not drop it (killed, or its drop failed) left it behind"
                ));
            }
        }
        conn.close().await;
        notes
    }

    /// The scratch databases nobody is connected to right now.
    async fn unconnected_scratch(&self) -> Result<Vec<String>, sqlx::Error> {
        match &self.pool {
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
            _ => Err(not_a_server()),
        }
    }

    /// Creates the scratch database `name` (from [`scratch_name`]) under its lock, taken first
    /// on a connection of its own: returns its URL and the [`Claim`] that keeps sweeps away
    /// until [`Admin::drop_own`] has dropped it.
    pub async fn create(&self, name: &str) -> Result<(String, Claim), CliError> {
        let failed = |why: String| {
            CliError::new(format!(
                "cannot create a scratch database on {}: {why}",
                redact_url(&self.url)
            ))
        };
        let mut conn = Conn::open(&self.pool)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let created = async {
            if !conn
                .try_lock(name)
                .await
                .map_err(|e| failed(e.to_string()))?
            {
                return Err(failed(format!(
                    "another session holds the lock of `{name}`"
                )));
            }
            let create = match conn {
                Conn::Mysql(_) => format!("CREATE DATABASE `{name}`"),
                Conn::Postgres(_) => format!("CREATE DATABASE \"{name}\""),
            };
            conn.execute(create).await.map_err(|e| {
                failed(e.to_string())
                    .hint("verify needs a user that may CREATE DATABASE; or pass --no-replay")
            })
        }
        .await;
        match created {
            Ok(()) => Ok((with_database(&self.url, name), Claim { conn })),
            Err(e) => {
                conn.close().await;
                Err(e)
            }
        }
    }

    /// Drops this verify's own scratch database `name`, ending the sessions still on it (a
    /// failed or interrupted migration's): PostgreSQL's `WITH (FORCE)` (13+; older servers
    /// get the plain statement), on MySQL `KILL` of the sessions whose database it is. A
    /// metadata lock is waited for 10 s at most (the caller times the whole out, [`DROP_TIMEOUT`]).
    /// The claim is let go once the drop is done, or failed (a later sweep may then take it).
    pub async fn drop_own(&self, name: &str, claim: Claim) -> Result<(), sqlx::Error> {
        let Claim { mut conn } = claim;
        let dropped = conn.drop_forced(name).await;
        conn.close().await;
        dropped
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

/// What keeps a verify's scratch database from being swept: the connection that holds its
/// lock, from before the `CREATE DATABASE` until [`Admin::drop_own`]. Dropping the value
/// closes the connection, and the server lets the lock go with it.
pub struct Claim {
    conn: Conn,
}

/// A session on a scratch database, held for as long as its replay runs (see the module
/// comment); a plain connection, so no pool closes it while it is idle.
pub struct Keeper(Conn);

impl Keeper {
    pub async fn connect(scratch_url: &str) -> Result<Keeper, sqlx::Error> {
        use sqlx::Connection;
        let conn = match dialect_of_url(scratch_url) {
            Some(Dialect::Postgres) => {
                Conn::Postgres(sqlx::PgConnection::connect(scratch_url).await?)
            }
            Some(Dialect::Mysql) => Conn::Mysql(sqlx::MySqlConnection::connect(scratch_url).await?),
            _ => return Err(not_a_server()),
        };
        Ok(Keeper(conn))
    }

    pub async fn close(self) {
        self.0.close().await;
    }
}

/// A connection of its own to the maintenance database: the locks it takes are its own, and
/// it never goes back to the pool.
enum Conn {
    Postgres(sqlx::PgConnection),
    Mysql(sqlx::MySqlConnection),
}

impl Conn {
    async fn open(pool: &DatabasePool) -> Result<Conn, sqlx::Error> {
        match pool {
            DatabasePool::Postgres(p) => Ok(Conn::Postgres(p.acquire().await?.detach())),
            DatabasePool::Mysql(p) => Ok(Conn::Mysql(p.acquire().await?.detach())),
            _ => Err(not_a_server()),
        }
    }

    async fn execute(&mut self, sql: String) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql);
        match self {
            Conn::Postgres(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
            Conn::Mysql(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
        }
    }

    /// Takes the lock of the scratch database `name` if nobody holds it, without waiting.
    async fn try_lock(&mut self, name: &str) -> Result<bool, sqlx::Error> {
        match self {
            Conn::Postgres(c) => {
                sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(lock_key(name))
                    .fetch_one(c)
                    .await
            }
            Conn::Mysql(c) => {
                let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 0)")
                    .bind(name)
                    .fetch_one(c)
                    .await?;
                Ok(got == Some(1))
            }
        }
    }

    async fn unlock(&mut self, name: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Postgres(c) => sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(lock_key(name))
                .execute(c)
                .await
                .map(|_| ()),
            Conn::Mysql(c) => sqlx::query("SELECT RELEASE_LOCK(?)")
                .bind(name)
                .execute(c)
                .await
                .map(|_| ()),
        }
    }

    /// Whether another session holds the lock of the scratch database `name`. On PostgreSQL
    /// in any database: an advisory lock taken through another maintenance database does not
    /// conflict with this session's, but `pg_locks` shows it (key split as PostgreSQL files a
    /// bigint key: high half in `classid`, low half in `objid`, `objsubid` 1).
    async fn locked_elsewhere(&mut self, name: &str) -> Result<bool, sqlx::Error> {
        match self {
            Conn::Postgres(c) => {
                sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks \
                     WHERE locktype = 'advisory' AND objsubid = 1 AND granted \
                     AND classid::bigint = (($1::bigint >> 32) & 4294967295) \
                     AND objid::bigint = ($1::bigint & 4294967295) \
                     AND pid <> pg_backend_pid())",
                )
                .bind(lock_key(name))
                .fetch_one(c)
                .await
            }
            // `GET_LOCK` names are server-wide: this session holds it, nobody else does.
            Conn::Mysql(_) => Ok(false),
        }
    }

    /// How many sessions are connected to the database `name` (this one never is).
    async fn sessions_on(&mut self, name: &str) -> Result<i64, sqlx::Error> {
        match self {
            Conn::Postgres(c) => {
                sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1")
                    .bind(name)
                    .fetch_one(c)
                    .await
            }
            Conn::Mysql(c) => sqlx::query_scalar(
                "SELECT CAST(count(*) AS SIGNED) FROM information_schema.processlist WHERE db = ?",
            )
            .bind(name)
            .fetch_one(c)
            .await,
        }
    }

    /// A plain `DROP DATABASE`: on PostgreSQL it fails while anyone is connected (someone
    /// connected after the sweep looked), and then the database is left alone; on MySQL it
    /// gives up at once on a metadata lock somebody holds.
    async fn drop_leftover(&mut self, name: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Postgres(_) => {
                self.execute(format!("DROP DATABASE IF EXISTS \"{name}\""))
                    .await
            }
            Conn::Mysql(_) => {
                self.execute(format!("SET SESSION lock_wait_timeout = {SWEEP_LOCK_WAIT}"))
                    .await?;
                self.execute(format!("DROP DATABASE IF EXISTS `{name}`"))
                    .await
            }
        }
    }

    /// See [`Admin::drop_own`].
    async fn drop_forced(&mut self, name: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Postgres(_) => {
                let forced = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                match self.execute(forced).await {
                    Ok(()) => Ok(()),
                    Err(_) => {
                        self.execute(format!("DROP DATABASE IF EXISTS \"{name}\""))
                            .await
                    }
                }
            }
            Conn::Mysql(c) => {
                let sessions: Vec<i64> = sqlx::query_scalar(
                    "SELECT CAST(id AS SIGNED) FROM information_schema.processlist \
                     WHERE db = ? AND id <> CONNECTION_ID()",
                )
                .bind(name)
                .fetch_all(&mut *c)
                .await
                .unwrap_or_default();
                self.execute(format!("SET SESSION lock_wait_timeout = {DROP_LOCK_WAIT}"))
                    .await?;
                for id in sessions {
                    // Gone already, or not ours to end: the DROP says what is left.
                    let _ = self.execute(format!("KILL CONNECTION {id}")).await;
                }
                self.execute(format!("DROP DATABASE IF EXISTS `{name}`"))
                    .await
            }
        }
    }

    async fn close(self) {
        use sqlx::Connection;
        let _ = match self {
            Conn::Postgres(c) => c.close().await,
            Conn::Mysql(c) => c.close().await,
        };
    }
}

/// Drops the leftover `name` if its lock can be taken and, under the lock, nobody else holds
/// it (in another database) and still nobody is connected to it; the lock is let go
/// afterwards. `Ok(true)`: dropped. A verify takes the lock of a name before the database
/// exists and lets it go after it is dropped, so a database nobody holds now is nobody's.
async fn sweep_one(conn: &mut Conn, name: &str) -> Result<bool, sqlx::Error> {
    if !conn.try_lock(name).await? {
        return Ok(false);
    }
    let free = async {
        Ok::<_, sqlx::Error>(
            !conn.locked_elsewhere(name).await? && conn.sessions_on(name).await? == 0,
        )
    }
    .await;
    let dropped = match free {
        Ok(true) => conn.drop_leftover(name).await.map(|()| true),
        Ok(false) => Ok(false),
        Err(e) => Err(e),
    };
    let unlocked = conn.unlock(name).await;
    let dropped = dropped?;
    unlocked?;
    Ok(dropped)
}

/// The PostgreSQL advisory-lock key of the scratch database `name`: FNV-1a of the name (64
/// bits; a collision only makes a sweep leave a leftover for later). PostgreSQL scopes
/// advisory locks to the database a session is connected to: the lock is taken on the
/// maintenance database of the URL, and a sweep through another one looks for it in
/// `pg_locks`. (On MySQL the lock is `GET_LOCK` of the name itself, server-wide.)
pub fn lock_key(name: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"cargo_schema_verify lock: ".iter().chain(name.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
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
