/// Why a database could not be read into the model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog query failed (connection lost, missing privileges).
    #[error(
        "cannot read the database schema: {0} (check the database URL and that the user may read the catalog)"
    )]
    Database(#[from] sqlx::Error),
    /// The database holds something the model cannot express; the message names it.
    #[error("cannot read the database schema: {0}")]
    Unsupported(String),
}
