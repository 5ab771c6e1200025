//! Throwaway databases for tests.
//!
//! Every database test gets its own uniquely named database on the real server, dropped when the
//! [`TestDb`] is dropped, also when the test panics. Databases left behind by a killed test run
//! (their creating process is gone) are swept the next time a test database is created, so runs
//! can overlap without touching each other's databases.
//!
//! Servers: `SCHEMA_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) and
//! `SCHEMA_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/mysql`). With `CI` set, an
//! unreachable server fails the test; otherwise the test is skipped with a loud message.

use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const PREFIX: &str = "cs_test_";
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_MYSQL: &str = "mysql://root@127.0.0.1:3306/mysql";

static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Postgres,
    Mysql,
    Sqlite,
}

/// A database that exists for as long as this value does.
#[derive(Debug)]
pub struct TestDb {
    /// Connection URL of the throwaway database.
    pub url: String,
    /// Database name (the file path for SQLite).
    pub name: String,
    pub server: Server,
    admin_url: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// The URL of the same server's maintenance database (for creating more scratch databases).
    pub fn admin_url(&self) -> Option<&str> {
        self.admin_url.as_deref()
    }
}

pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

pub fn postgres_admin_url() -> String {
    std::env::var("SCHEMA_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_string())
}

pub fn mysql_admin_url() -> String {
    std::env::var("SCHEMA_TEST_MYSQL_URL").unwrap_or_else(|_| DEFAULT_MYSQL.to_string())
}

/// A fresh PostgreSQL database, or `None` (outside CI) when the server is unreachable.
pub async fn postgres() -> Option<TestDb> {
    let admin = postgres_admin_url();
    let mut conn = match PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => return unreachable_server("PostgreSQL", &admin, &e.to_string()),
    };
    sweep_postgres(&mut conn).await;
    let name = unique_name();
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    let _ = conn.close().await;
    Some(TestDb {
        url: replace_database(&admin, &name),
        name,
        server: Server::Postgres,
        admin_url: Some(admin),
        _dir: None,
    })
}

/// A fresh MySQL/MariaDB database, or `None` (outside CI) when the server is unreachable.
pub async fn mysql() -> Option<TestDb> {
    let admin = mysql_admin_url();
    let mut conn = match MySqlConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => return unreachable_server("MySQL/MariaDB", &admin, &e.to_string()),
    };
    sweep_mysql(&mut conn).await;
    let name = unique_name();
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    let _ = conn.close().await;
    Some(TestDb {
        url: replace_database(&admin, &name),
        name,
        server: Server::Mysql,
        admin_url: Some(admin),
        _dir: None,
    })
}

/// A fresh SQLite database file in its own temporary directory.
pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("cannot create a temporary directory");
    let path = dir.path().join("test.db");
    let name = path.display().to_string();
    TestDb {
        url: format!("sqlite://{name}?mode=rwc"),
        name,
        server: Server::Sqlite,
        admin_url: None,
        _dir: Some(dir),
    }
}

fn unreachable_server(what: &str, url: &str, error: &str) -> Option<TestDb> {
    if in_ci() {
        panic!("{what} is not reachable at {url} and CI is set, so this is a failure, not a skip: {error}");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string();
    eprintln!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !!! SKIPPED {test}: {what} is not reachable at {url}\n\
         !!! ({error})\n\
         !!! This test did NOT run. Start the server, or set CI=1 to make this a failure.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
    None
}

fn unique_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{PREFIX}{}_{}_{:08x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The pid that created a test database, from its name.
fn creator_pid(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('_').next()?.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn is_orphan(name: &str) -> bool {
    creator_pid(name).is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
}

async fn sweep_postgres(conn: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'cs\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names.into_iter().filter(|n| is_orphan(n)) {
        let _ = sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&mut *conn)
        .await;
    }
}

async fn sweep_mysql(conn: &mut MySqlConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata WHERE schema_name LIKE 'cs\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    for name in names.into_iter().filter(|n| is_orphan(n)) {
        let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`")))
            .execute(&mut *conn)
            .await;
    }
}

/// `scheme://user@host:port/old?params` -> `scheme://user@host:port/new?params`: the runtime's
/// URL surgery, the one the CLI's scratch databases use too.
pub use schema_runtime::migrator::with_database as replace_database;

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(admin) = self.admin_url.clone() else {
            return; // SQLite: the TempDir removes the file.
        };
        let name = self.name.clone();
        let server = self.server;
        // Drop may run inside a test's async runtime (or during a panic): use a fresh runtime
        // on its own thread so the drop always completes.
        let result = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(drop_database(server, &admin, &name))
        })
        .join();
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop test database {}: {e}", self.name),
            Err(_) => eprintln!("warning: dropping test database {} panicked", self.name),
        }
    }
}

async fn drop_database(server: Server, admin: &str, name: &str) -> Result<(), String> {
    match server {
        Server::Postgres => {
            let mut conn = PgConnection::connect(admin)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
            let _ = conn.close().await;
        }
        Server::Mysql => {
            let mut conn = MySqlConnection::connect(admin)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`")))
                .execute(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
            let _ = conn.close().await;
        }
        Server::Sqlite => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orphan_detection_reads_the_pid() {
        assert_eq!(creator_pid("cs_test_123_4_abcdef01"), Some(123));
        assert_eq!(creator_pid("other"), None);
        assert!(!is_orphan(&format!("cs_test_{}_0_0", std::process::id())));
    }
}
