//! A uniquely named PostgreSQL or MySQL database for `verify`'s replay, created on the server
//! of the given URL and dropped afterwards.

use crate::db_url::{redact, with_database};
use crate::error::CliError;
use schema_runtime::DatabasePool;
use std::time::{SystemTime, UNIX_EPOCH};

/// A uniquely named database created for one replay.
pub struct Scratch {
    admin: DatabasePool,
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
        // Letters, digits and `_` only, so formatting it into statements is safe.
        let name = format!(
            "cargo_schema_verify_{}_{}",
            std::process::id(),
            nanos % 1_000_000_000
        );
        let admin = DatabasePool::connect(admin_url).await.map_err(|e| {
            CliError::new(e.to_string())
                .hint("check --database-url / DATABASE_URL and that the server is running")
        })?;
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
        let dropped = match &self.admin {
            DatabasePool::Mysql(_) => {
                execute(&self.admin, format!("DROP DATABASE IF EXISTS `{name}`")).await
            }
            // `WITH (FORCE)` (PostgreSQL 13+) ends connections a failed migration left behind;
            // older servers get the plain statement.
            _ => match execute(
                &self.admin,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await
            {
                Ok(()) => Ok(()),
                Err(_) => execute(&self.admin, format!("DROP DATABASE IF EXISTS \"{name}\"")).await,
            },
        };
        self.admin.close().await;
        dropped.map_err(|e| {
            CliError::new(format!("cannot drop scratch database `{name}`: {e}"))
                .hint(format!("drop it by hand: DROP DATABASE {name}"))
        })
    }
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
