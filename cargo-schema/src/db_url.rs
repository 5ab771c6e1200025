//! Database URLs: their dialect, their password hidden for messages, another database on
//! the same server.

use schema_core::Dialect;

pub fn dialect_of_url(url: &str) -> Option<Dialect> {
    let scheme = url.split(':').next()?;
    match scheme {
        "postgres" | "postgresql" => Some(Dialect::Postgres),
        "sqlite" => Some(Dialect::Sqlite),
        "mysql" | "mariadb" => Some(Dialect::Mysql),
        _ => None,
    }
}

/// The URL without its password, for messages: the runtime's redaction, so the CLI and the
/// library hide the same things.
pub use schema_runtime::migrator::redact;

/// `url` with its database replaced by `name`, query string kept: the runtime's, which the
/// test suite's throwaway databases use too.
pub use schema_runtime::migrator::with_database;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn url_schemes_name_dialects() {
        assert_eq!(dialect_of_url("postgresql://h/db"), Some(Dialect::Postgres));
        assert_eq!(dialect_of_url("sqlite::memory:"), Some(Dialect::Sqlite));
        assert_eq!(dialect_of_url("mariadb://h/db"), Some(Dialect::Mysql));
        assert_eq!(dialect_of_url("oracle://h"), None);
    }
}
