use std::fmt;

/// Why a database could not be read into the model.
#[derive(Debug)]
pub enum Error {
    /// The catalog query failed (connection lost, missing privileges).
    Database(sqlx::Error),
    /// The database holds something the model cannot express; the message names it.
    Unsupported(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Database(e) => write!(
                f,
                "cannot read the database schema: {e} (check the database URL and that the user may read the catalog)"
            ),
            Error::Unsupported(what) => write!(f, "cannot read the database schema: {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Database(e) => Some(e),
            Error::Unsupported(_) => None,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Database(e)
    }
}
