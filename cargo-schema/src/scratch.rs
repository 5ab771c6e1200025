//! A uniquely named PostgreSQL or MySQL database for `verify`'s replay, created on the server
//! of the given URL and dropped afterwards (also on Ctrl-C, see `replay`). A verify killed
//! outright leaves its database behind: the name carries its creation time, and the next verify
//! on the server drops scratch databases older than [`LEFTOVER_AFTER`].

use crate::db_url::{redact, with_database};
use crate::error::CliError;
use schema_runtime::DatabasePool;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PREFIX: &str = "cargo_schema_verify_";
/// No replay runs this long: an older scratch database is a leftover of a killed verify.
const LEFTOVER_AFTER: Duration = Duration::from_secs(6 * 3600);

/// A uniquely named database created for one replay.
pub struct Scratch {
    admin: DatabasePool,
    name: String,
    /// The scratch database's URL.
    pub url: String,
}

impl Scratch {
    pub async fn create(admin_url: &str) -> Result<Scratch, CliError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        // Letters, digits and `_` only, so formatting it into statements is safe:
        // `cargo_schema_verify_<pid>_<unix seconds>_<microseconds>`.
        let name = format!(
            "{PREFIX}{}_{}_{:06}",
            std::process::id(),
            now.as_secs(),
            now.subsec_micros()
        );
        let admin = DatabasePool::connect(admin_url).await.map_err(|e| {
            CliError::new(e.to_string())
                .hint("check --database-url / DATABASE_URL and that the server is running")
        })?;
        drop_leftovers(&admin, now).await;
        let create = match &admin {
            DatabasePool::Mysql(_) => format!("CREATE DATABASE `{name}`"),
            _ => format!("CREATE DATABASE \"{name}\""),
        };
        if let Err(e) = execute(&admin, create).await {
            admin.close().await;
            return Err(CliError::new(format!(
                "cannot create a scratch database on {}: {e}",
                redact(admin_url)
            ))
            .hint("verify needs a user that may CREATE DATABASE; or pass --no-replay"));
        }
        let url = with_database(admin_url, &name);
        Ok(Scratch { admin, name, url })
    }

    pub async fn drop_database(self) -> Result<(), CliError> {
        let name = &self.name;
        let dropped = drop_named(&self.admin, name).await;
        self.admin.close().await;
        dropped.map_err(|e| {
            CliError::new(format!("cannot drop scratch database `{name}`: {e}"))
                .hint(format!("drop it by hand: DROP DATABASE {name}"))
        })
    }
}

/// Drops the scratch databases of verifies that were killed before they could drop their own,
/// saying so on stderr. Best effort: a failure here must not stop this verify.
async fn drop_leftovers(admin: &DatabasePool, now: Duration) {
    let list = match admin {
        DatabasePool::Postgres(p) => {
            sqlx::query_scalar::<_, String>("SELECT datname FROM pg_database")
                .fetch_all(p)
                .await
        }
        DatabasePool::Mysql(p) => {
            sqlx::query_scalar::<_, String>(
                "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata",
            )
            .fetch_all(p)
            .await
        }
        _ => return,
    };
    let Ok(names) = list else { return };
    for name in names {
        let leftover = created_at(&name).is_some_and(|t| now.saturating_sub(t) > LEFTOVER_AFTER);
        if !leftover {
            continue;
        }
        if drop_named(admin, &name).await.is_ok() {
            eprintln!("note: dropped the scratch database `{name}`, left behind by a verify that was killed more than 6 hours ago");
        }
    }
}

/// `name` must be a scratch database name (letters, digits and `_`).
async fn drop_named(admin: &DatabasePool, name: &str) -> Result<(), sqlx::Error> {
    match admin {
        DatabasePool::Mysql(_) => execute(admin, format!("DROP DATABASE IF EXISTS `{name}`")).await,
        // `WITH (FORCE)` (PostgreSQL 13+) ends connections a failed migration left behind;
        // older servers get the plain statement.
        _ => match execute(
            admin,
            format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )
        .await
        {
            Ok(()) => Ok(()),
            Err(_) => execute(admin, format!("DROP DATABASE IF EXISTS \"{name}\"")).await,
        },
    }
}

/// When a scratch database of this naming was created; `None` for any other name.
fn created_at(name: &str) -> Option<Duration> {
    let rest = name.strip_prefix(PREFIX)?;
    let parts: Vec<&str> = rest.split('_').collect();
    let [pid, secs, micros] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(pid) && digits(secs) && digits(micros)) {
        return None;
    }
    secs.parse().ok().map(Duration::from_secs)
}

async fn execute(pool: &DatabasePool, sql: String) -> Result<(), sqlx::Error> {
    let statement = sqlx::raw_sql(sqlx::AssertSqlSafe(sql));
    match pool {
        DatabasePool::Postgres(p) => statement.execute(p).await.map(|_| ()),
        DatabasePool::Mysql(p) => statement.execute(p).await.map(|_| ()),
        DatabasePool::Sqlite(p) => statement.execute(p).await.map(|_| ()),
        _ => Err(sqlx::Error::Configuration(
            "this kind of database cannot hold a scratch database".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_this_scheme_have_a_creation_time() {
        assert_eq!(
            created_at("cargo_schema_verify_123_1763700000_000042"),
            Some(Duration::from_secs(1_763_700_000))
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
}
