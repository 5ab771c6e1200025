//! Identifier quoting: always quoted, so reserved words (`user`, `order`, `type`) work.

use crate::dialect::Dialect;

/// `"name"` (PostgreSQL, SQLite) or `` `name` `` (MySQL), with the quote character doubled.
pub fn ident(name: &str, dialect: Dialect) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    push_ident(&mut s, name, dialect);
    s
}

/// [`ident`] written onto `out`.
pub fn push_ident(out: &mut String, name: &str, dialect: Dialect) {
    let quote = match dialect {
        Dialect::Mysql => '`',
        Dialect::Postgres | Dialect::Sqlite => '"',
    };
    out.push(quote);
    for ch in name.chars() {
        if ch == quote {
            out.push(quote);
        }
        out.push(ch);
    }
    out.push(quote);
}

/// `("a", "b")`
pub fn ident_list(names: &[String], dialect: Dialect) -> String {
    let mut s = String::with_capacity(names.iter().map(|n| n.len() + 4).sum::<usize>() + 2);
    s.push('(');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        push_ident(&mut s, n, dialect);
    }
    s.push(')');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(ident("user", Dialect::Postgres), "\"user\"");
        assert_eq!(ident("a\"b", Dialect::Sqlite), "\"a\"\"b\"");
        assert_eq!(ident("order", Dialect::Mysql), "`order`");
        assert_eq!(ident("a`b\"c", Dialect::Mysql), "`a``b\"c`");
        assert_eq!(ident("", Dialect::Postgres), "\"\"");
        assert_eq!(ident_list(&[], Dialect::Postgres), "()");
        assert_eq!(
            ident_list(&["a".into(), "b".into()], Dialect::Postgres),
            "(\"a\", \"b\")"
        );
    }
}
