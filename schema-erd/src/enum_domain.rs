//! Enums without a named type: MySQL's inline `enum('a','b')` column type and SQLite's
//! `CHECK (col IN ('a', 'b'))` (how `resolve` writes a `#[derive(Enum)]` column there) list
//! their values on the column. The diagram draws them as enum boxes too.

use schema_core::model::Table;

/// `user_role` for `user_role[]`: the type an array column holds.
pub fn element_type(ty: &str) -> &str {
    ty.strip_suffix("[]").unwrap_or(ty)
}

/// The columns of `table` whose values are listed, with the values, in column order.
pub fn listed_values(table: &Table) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for column in &table.columns {
        let inline = column
            .ty
            .strip_prefix("enum(")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(literal_list);
        let checked = || {
            table
                .checks
                .iter()
                .find_map(|check| in_list(&check.expr).filter(|(c, _)| *c == column.name))
                .map(|(_, values)| values)
        };
        if let Some(values) = inline.or_else(checked) {
            found.push((column.name.clone(), values));
        }
    }
    found
}

/// `role IN ('admin', 'member')` (canonical form; the column may be quoted) as the column
/// and its values; `None` for any other expression.
fn in_list(expr: &str) -> Option<(String, Vec<String>)> {
    let (column, rest) = expr.split_once(" IN (")?;
    let column = unquote_identifier(column.trim())?;
    let values = literal_list(rest.strip_suffix(')')?)?;
    Some((column, values))
}

fn unquote_identifier(s: &str) -> Option<String> {
    for quote in ['"', '`'] {
        if let Some(inner) = s.strip_prefix(quote).and_then(|s| s.strip_suffix(quote)) {
            let doubled = format!("{quote}{quote}");
            return Some(inner.replace(&doubled, &quote.to_string()));
        }
    }
    let plain = !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    plain.then(|| s.to_string())
}

/// `'a', 'it''s'` -> `["a", "it's"]`; `None` unless the text is only string literals
/// separated by commas.
fn literal_list(s: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = s.trim().chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                c => value.push(c),
            }
        }
        values.push(value);
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        match chars.next() {
            None => return Some(values),
            Some(',') => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literal_lists() {
        assert_eq!(
            literal_list("'a', 'it''s','b c'"),
            Some(vec!["a".into(), "it's".into(), "b c".into()])
        );
        assert_eq!(literal_list("'a', 1"), None);
        assert_eq!(literal_list("'a"), None);
        assert_eq!(literal_list(""), None);
    }

    #[test]
    fn reads_in_checks() {
        assert_eq!(
            in_list("role IN ('admin', 'member')"),
            Some(("role".into(), vec!["admin".into(), "member".into()]))
        );
        assert_eq!(
            in_list("\"type\" IN ('x')"),
            Some(("type".into(), vec!["x".into()]))
        );
        assert_eq!(in_list("age >= 0"), None);
        assert_eq!(in_list("a IN (1, 2)"), None);
        assert_eq!(in_list("lower(a) IN ('x')"), None);
    }

    #[test]
    fn array_columns_hold_their_element_type() {
        assert_eq!(element_type("user_role[]"), "user_role");
        assert_eq!(element_type("text"), "text");
    }
}
