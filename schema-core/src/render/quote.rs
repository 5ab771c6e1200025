//! Identifier quoting: always quoted, so reserved words (`user`, `order`, `type`) work.

use crate::dialect::Dialect;

/// `"name"` (PostgreSQL, SQLite) or `` `name` `` (MySQL), with the quote character doubled.
pub fn ident(name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        Dialect::Postgres | Dialect::Sqlite => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// `("a", "b")`
pub fn ident_list(names: &[String], dialect: Dialect) -> String {
    let quoted: Vec<String> = names.iter().map(|n| ident(n, dialect)).collect();
    format!("({})", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ident("user", Dialect::Postgres), "\"user\"");
        assert_eq!(ident("a\"b", Dialect::Sqlite), "\"a\"\"b\"");
        assert_eq!(ident("order", Dialect::Mysql), "`order`");
        assert_eq!(
            ident_list(&["a".into(), "b".into()], Dialect::Postgres),
            "(\"a\", \"b\")"
        );
    }
}
