//! Database URLs, as the runtime reads and shows them: one owner for the whole project
//! (`schema_runtime::migrator::{redact, url}`), so the CLI and the library parse, redact and
//! rewrite URLs the same way.

pub use schema_runtime::migrator::{
    check_url, dialect_of_url, redact, redact_url, with_database, Secrets, UrlProblem,
};
