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

/// `url` with its database path replaced by `name`, query string kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[after_scheme..].find('/').map(|i| i + after_scheme);
    let host = match path_start {
        Some(i) => &base[..i],
        None => base,
    };
    match query {
        Some(q) => format!("{host}/{name}?{q}"),
        None => format!("{host}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_url_replaces_only_the_database() {
        assert_eq!(
            with_database(
                "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
                "s1"
            ),
            "postgres://postgres@127.0.0.1:5432/s1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://localhost", "s1"),
            "postgres://localhost/s1"
        );
    }

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
