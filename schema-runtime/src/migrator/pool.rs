//! The pools a migrator runs on, and connecting from a URL (for the CLI).

use super::redact::{check_url, redact_url, Secrets};
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
    /// missing), `mysql://` or `mariadb://`. Errors never show the URL's password; a URL the driver
    /// would misread (an unencoded `/`, `#` or `?` in the password, no `//`) is refused with
    /// [`MigrateError::InvalidUrl`], which shows none of it.
    pub async fn connect(url: &str) -> Result<DatabasePool, MigrateError> {
        check_url(url).map_err(MigrateError::InvalidUrl)?;
        let secrets = Secrets::of(url);
        let connect_error = |error: sqlx::Error| MigrateError::Connect {
            url: redact_url(url),
            message: secrets.redact(&error.to_string()),
        };
        let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
        match scheme.as_str() {
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => {
                let options: sqlx::postgres::PgConnectOptions =
                    url.parse().map_err(connect_error)?;
                let pool = connected(sqlx::postgres::PgPoolOptions::new(), options)
                    .await
                    .map_err(connect_error)?;
                Ok(DatabasePool::Postgres(pool))
            }
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let options: sqlx::sqlite::SqliteConnectOptions =
                    url.parse().map_err(connect_error)?;
                let options = options.create_if_missing(true);
                let pool = connected(sqlx::sqlite::SqlitePoolOptions::new(), options)
                    .await
                    .map_err(connect_error)?;
                Ok(DatabasePool::Sqlite(pool))
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let options: sqlx::mysql::MySqlConnectOptions =
                    url.parse().map_err(connect_error)?;
                let pool = connected(sqlx::mysql::MySqlPoolOptions::new(), options)
                    .await
                    .map_err(connect_error)?;
                Ok(DatabasePool::Mysql(pool))
            }
            _ => Err(MigrateError::UnsupportedUrl {
                url: redact_url(url),
            }),
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

/// A pool of at most two connections, one of them open (the run takes it: one connection
/// made, not two). The pool retries a refused connection, or a server that is starting up,
/// until its acquire timeout (30 seconds by default): when the first connection takes more
/// than a moment, one direct attempt makes a wrong URL fail at once with the driver's message.
async fn connected<DB: sqlx::Database>(
    pool: sqlx::pool::PoolOptions<DB>,
    options: <DB::Connection as sqlx::Connection>::Options,
) -> Result<sqlx::Pool<DB>, sqlx::Error> {
    let eager = pool.max_connections(2).connect_with(options.clone());
    tokio::pin!(eager);
    match tokio::time::timeout(std::time::Duration::from_millis(250), &mut eager).await {
        Ok(result) => result,
        Err(_) => {
            check::<DB::Connection>(&options).await?;
            eager.await
        }
    }
}

/// Opens and closes one connection: the driver's own error, at once.
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
