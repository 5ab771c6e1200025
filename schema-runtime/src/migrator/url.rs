//! Database URLs: the dialect a scheme names, and another database on the same server (the URL
//! surgery the CLI's scratch databases and the test suite's throwaway databases both need).
//! What of a URL may be printed is `redact`'s.

use schema_core::Dialect;

/// The dialect of a URL's scheme: `postgres:`/`postgresql:`, `sqlite:`, `mysql:`/`mariadb:`
/// (in any case); `None` for any other.
pub fn dialect_of_url(url: &str) -> Option<Dialect> {
    let scheme = url.split(':').next()?.to_ascii_lowercase();
    match scheme.as_str() {
        "postgres" | "postgresql" => Some(Dialect::Postgres),
        "sqlite" => Some(Dialect::Sqlite),
        "mysql" | "mariadb" => Some(Dialect::Mysql),
        _ => None,
    }
}

/// `url` with its database replaced by `database`: `scheme://user:password@host:port/old?params`
/// becomes `scheme://user:password@host:port/database?params`. Everything before the path
/// (credentials, host, port) and the query string are kept; a URL without a path gets one.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[authority_start..]
        .find('/')
        .map(|i| authority_start + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_name_dialects() {
        assert_eq!(dialect_of_url("postgresql://h/db"), Some(Dialect::Postgres));
        assert_eq!(dialect_of_url("POSTGRES://h/db"), Some(Dialect::Postgres));
        assert_eq!(dialect_of_url("sqlite::memory:"), Some(Dialect::Sqlite));
        assert_eq!(dialect_of_url("mariadb://h/db"), Some(Dialect::Mysql));
        assert_eq!(dialect_of_url("oracle://h"), None);
    }

    #[test]
    fn only_the_database_changes() {
        for (url, database, want) in [
            (
                "postgres://postgres@127.0.0.1:5432/postgres",
                "x",
                "postgres://postgres@127.0.0.1:5432/x",
            ),
            (
                "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
                "s1",
                "postgres://postgres@127.0.0.1:5432/s1?sslmode=disable",
            ),
            (
                "mysql://root@127.0.0.1:3306/mysql?ssl-mode=disabled",
                "y",
                "mysql://root@127.0.0.1:3306/y?ssl-mode=disabled",
            ),
            (
                "postgres://app:s3cr%2Ft@db.internal:6432/prod?sslmode=require&application_name=a/b",
                "scratch",
                "postgres://app:s3cr%2Ft@db.internal:6432/scratch?sslmode=require&application_name=a/b",
            ),
        ] {
            assert_eq!(with_database(url, database), want, "{url}");
        }
    }

    #[test]
    fn a_url_without_a_database_gets_one() {
        assert_eq!(with_database("postgres://h", "z"), "postgres://h/z");
        assert_eq!(
            with_database("postgres://localhost", "s1"),
            "postgres://localhost/s1"
        );
        assert_eq!(
            with_database("mysql://root@h:3306?ssl-mode=disabled", "d"),
            "mysql://root@h:3306/d?ssl-mode=disabled"
        );
    }

    #[test]
    fn unix_socket_urls_keep_their_socket() {
        // The socket directory in the query string (its slashes are not the path) ...
        assert_eq!(
            with_database("postgres:///old?host=/var/run/postgresql", "new"),
            "postgres:///new?host=/var/run/postgresql"
        );
        // ... or percent-encoded as the host.
        assert_eq!(
            with_database("postgres://u@%2Fvar%2Frun%2Fpostgresql/old", "new"),
            "postgres://u@%2Fvar%2Frun%2Fpostgresql/new"
        );
    }
}
