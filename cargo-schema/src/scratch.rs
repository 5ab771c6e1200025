//! A uniquely named PostgreSQL database for `verify`'s replay, created on the server of the
//! given URL and dropped afterwards.

use crate::db_url::{redact, with_database};
use crate::error::CliError;
use sqlx::Connection;
use std::time::{SystemTime, UNIX_EPOCH};

/// A uniquely named database created for one replay.
pub struct Scratch {
    admin_url: String,
    name: String,
    /// The scratch database's URL.
    pub url: String,
}

impl Scratch {
    pub async fn create(admin_url: &str) -> Result<Scratch, CliError> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let name = format!(
            "cargo_schema_verify_{}_{}",
            std::process::id(),
            nanos % 1_000_000_000
        );
        let mut admin = sqlx::PgConnection::connect(admin_url).await.map_err(|e| {
            CliError::new(format!("cannot connect to {}: {e}", redact(admin_url)))
                .hint("check --database-url / DATABASE_URL and that the server is running")
        })?;
        // The name is built from digits only above, so formatting it into the statement is safe.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .map_err(|e| {
                CliError::new(format!(
                    "cannot create a scratch database on {}: {e}",
                    redact(admin_url)
                ))
                .hint("verify needs a user that may CREATE DATABASE; or pass --no-replay")
            })?;
        let _ = admin.close().await;
        let url = with_database(admin_url, &name);
        Ok(Scratch {
            admin_url: admin_url.to_string(),
            name,
            url,
        })
    }

    pub async fn drop_database(self) -> Result<(), CliError> {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url)
            .await
            .map_err(|e| {
                CliError::new(format!("cannot drop scratch database `{}`: {e}", self.name))
            })?;
        // `WITH (FORCE)` (PostgreSQL 13+) ends connections a failed migration left behind;
        // older servers get the plain statement.
        let forced = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let plain = format!("DROP DATABASE IF EXISTS \"{}\"", self.name);
        let dropped = match sqlx::raw_sql(sqlx::AssertSqlSafe(forced))
            .execute(&mut admin)
            .await
        {
            Ok(done) => Ok(done),
            Err(_) => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(plain))
                    .execute(&mut admin)
                    .await
            }
        };
        dropped.map_err(|e| {
            CliError::new(format!("cannot drop scratch database `{}`: {e}", self.name))
                .hint(format!("drop it by hand: DROP DATABASE \"{}\"", self.name))
        })?;
        let _ = admin.close().await;
        Ok(())
    }
}
