//! Enum value renames in columns without a native enum type. SQLite: the column's check
//! `<table>_<column>_check` lists the values (`role IN ('a', 'b')`); MySQL: the column type
//! lists them (`enum('a','b')`). A rename hint whose old value left the list and whose new
//! value joined it renames the value in that column.

use super::tables::Renames;
use super::Change;
use crate::dialect::Dialect;
use crate::model::{RenameHints, Table};
use crate::naming::{column_check_name, fit};

/// The values column `c` of `t` may hold, as its dialect lists them.
fn listed_values(t: &Table, c: &str, dialect: Dialect) -> Option<Vec<String>> {
    match dialect {
        Dialect::Sqlite => {
            let name = fit(&column_check_name(&t.name, c), dialect);
            t.checks
                .iter()
                .find(|k| k.name == name)
                .and_then(|k| in_list(&k.expr))
        }
        Dialect::Mysql => t.column(c).and_then(|col| enum_type_values(&col.ty)),
        // Native enum types: the enum step renames values (`ALTER TYPE .. RENAME VALUE`).
        Dialect::Postgres => None,
    }
}

pub(super) fn value_renames(
    old: &Table,
    new: &Table,
    renames: &Renames,
    hints: &RenameHints,
) -> Vec<Change> {
    if renames.dialect == Dialect::Postgres || hints.enum_values.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for col in &new.columns {
        let old_col = old
            .columns
            .iter()
            .find(|c| renames.column(&new.name, &c.name) == col.name);
        let Some(old_col) = old_col else { continue };
        let (Some(before), Some(after)) = (
            listed_values(old, &old_col.name, renames.dialect),
            listed_values(new, &col.name, renames.dialect),
        ) else {
            continue;
        };
        let renamed: Vec<(String, String)> = hints
            .enum_values
            .iter()
            .filter(|((_, new_value), old_value)| {
                before.contains(old_value)
                    && !after.contains(old_value)
                    && after.contains(new_value)
                    && !before.contains(new_value)
            })
            .map(|((_, new_value), old_value)| (old_value.clone(), new_value.clone()))
            .collect();
        if !renamed.is_empty() {
            out.push(Change::RenameValues {
                table: new.name.clone(),
                column: col.name.clone(),
                renamed,
            });
        }
    }
    out
}

/// The values of MySQL's inline `enum('a','b')` type.
pub(crate) fn enum_type_values(ty: &str) -> Option<Vec<String>> {
    string_literals(ty.strip_prefix("enum(")?.strip_suffix(')')?)
}

/// The string literals of `column IN ('a', 'b')`.
fn in_list(expr: &str) -> Option<Vec<String>> {
    let start = expr.find(" IN (")? + " IN (".len();
    string_literals(expr[start..].strip_suffix(')')?)
}

/// `'a', 'it''s'` -> `a`, `it's`.
fn string_literals(body: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ') {
            chars.next();
        }
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
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{enum_type_values, in_list};

    #[test]
    fn reads_the_values_of_an_in_list() {
        assert_eq!(
            in_list("role IN ('a', 'it''s', 'read-only')"),
            Some(vec!["a".into(), "it's".into(), "read-only".into()])
        );
        assert_eq!(in_list("age >= 0"), None);
        assert_eq!(in_list("role IN (1, 2)"), None);
    }

    #[test]
    fn reads_the_values_of_a_mysql_enum_type() {
        assert_eq!(
            enum_type_values("enum('a','it''s','x,y')"),
            Some(vec!["a".into(), "it's".into(), "x,y".into()])
        );
        assert_eq!(enum_type_values("varchar(20)"), None);
    }
}
