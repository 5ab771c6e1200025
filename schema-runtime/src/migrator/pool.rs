//! The pools a migrator runs on, and connecting from a URL (for the CLI).

use super::redact::redact;
use super::MigrateError;
use schema_core::Dialect;

/// A pool of any database this build supports. `Migrator` methods take any sqlx pool of an
/// enabled database, or this.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum DatabasePool {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "mysql")]
    Mysql(sqlx::MySqlPool),
}

impl DatabasePool {
    /// Connects from a URL: `postgres://`, `postgresql://`, `sqlite:` (the file is created if
    /// missing), `mysql://` or `mariadb://`. Errors never show the URL's password.
    pub async fn connect(url: &str) -> Result<DatabasePool, MigrateError> {
        let connect_error = |error: sqlx::Error| MigrateError::Connect {
            url: redact(url),
            message: redact(&error.to_string()),
        };
        let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
        match scheme.as_str() {
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => {
                let options: sqlx::postgres::PgConnectOptions =
                    url.parse().map_err(connect_error)?;
                check::<sqlx::PgConnection>(&options)
                    .await
                    .map_err(connect_error)?;
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(2)
                    .connect_lazy_with(options);
                Ok(DatabasePool::Postgres(pool))
            }
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let options: sqlx::sqlite::SqliteConnectOptions =
                    url.parse().map_err(connect_error)?;
                let options = options.create_if_missing(true);
                check::<sqlx::SqliteConnection>(&options)
                    .await
                    .map_err(connect_error)?;
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(2)
                    .connect_lazy_with(options);
                Ok(DatabasePool::Sqlite(pool))
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let options: sqlx::mysql::MySqlConnectOptions =
                    url.parse().map_err(connect_error)?;
                check::<sqlx::MySqlConnection>(&options)
                    .await
                    .map_err(connect_error)?;
                let pool = sqlx::mysql::MySqlPoolOptions::new()
                    .max_connections(2)
                    .connect_lazy_with(options);
                Ok(DatabasePool::Mysql(pool))
            }
            _ => Err(MigrateError::UnsupportedUrl { url: redact(url) }),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "postgres")]
            DatabasePool::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "sqlite")]
            DatabasePool::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "mysql")]
            DatabasePool::Mysql(_) => Dialect::Mysql,
        }
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match self {
            #[cfg(feature = "postgres")]
            DatabasePool::Postgres(pool) => pool.close().await,
            #[cfg(feature = "sqlite")]
            DatabasePool::Sqlite(pool) => pool.close().await,
            #[cfg(feature = "mysql")]
            DatabasePool::Mysql(pool) => pool.close().await,
        }
    }
}

/// Opens and closes one connection, so a wrong URL fails at once with the driver's message
/// (a pool would retry until its acquire timeout, 30 seconds by default).
async fn check<C: sqlx::Connection>(options: &C::Options) -> Result<(), sqlx::Error> {
    C::connect_with(options).await?.close().await
}

mod sealed {
    pub trait Sealed {}
}

/// A pool the migrator can run on: `sqlx::PgPool`, `sqlx::SqlitePool`, `sqlx::MySqlPool`
/// (with the matching feature) or [`DatabasePool`].
pub trait MigrationPool: sealed::Sealed + Sync {
    #[doc(hidden)]
    fn to_database_pool(&self) -> DatabasePool;
}

impl sealed::Sealed for DatabasePool {}
impl MigrationPool for DatabasePool {
    fn to_database_pool(&self) -> DatabasePool {
        self.clone()
    }
}

#[cfg(feature = "postgres")]
impl sealed::Sealed for sqlx::PgPool {}
#[cfg(feature = "postgres")]
impl MigrationPool for sqlx::PgPool {
    fn to_database_pool(&self) -> DatabasePool {
        DatabasePool::Postgres(self.clone())
    }
}

#[cfg(feature = "sqlite")]
impl sealed::Sealed for sqlx::SqlitePool {}
#[cfg(feature = "sqlite")]
impl MigrationPool for sqlx::SqlitePool {
    fn to_database_pool(&self) -> DatabasePool {
        DatabasePool::Sqlite(self.clone())
    }
}

#[cfg(feature = "mysql")]
impl sealed::Sealed for sqlx::MySqlPool {}
#[cfg(feature = "mysql")]
impl MigrationPool for sqlx::MySqlPool {
    fn to_database_pool(&self) -> DatabasePool {
        DatabasePool::Mysql(self.clone())
    }
}
