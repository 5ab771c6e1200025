//! Another database on the same server: the URL surgery the CLI's scratch databases and the
//! test suite's throwaway databases both need.

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
    use super::with_database;

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
