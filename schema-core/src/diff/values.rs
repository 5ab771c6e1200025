//! Enum value renames in columns without a native enum type (SQLite): the column's check
//! `<table>_<column>_check` lists the values (`role IN ('a', 'b')`); a rename hint whose old
//! value left the list and whose new value joined it renames the value in that column.

use super::tables::Renames;
use super::Change;
use crate::dialect::Dialect;
use crate::model::{RenameHints, Table};
use crate::naming::{column_check_name, fit};

pub(super) fn value_renames(
    old: &Table,
    new: &Table,
    renames: &Renames,
    hints: &RenameHints,
) -> Vec<Change> {
    if renames.dialect != Dialect::Sqlite || hints.enum_values.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for col in &new.columns {
        let old_col = old
            .columns
            .iter()
            .find(|c| renames.column(&new.name, &c.name) == col.name);
        let Some(old_col) = old_col else { continue };
        let check_of = |t: &Table, c: &str| {
            let name = fit(&column_check_name(&t.name, c), renames.dialect);
            t.checks
                .iter()
                .find(|k| k.name == name)
                .and_then(|k| in_list(&k.expr))
        };
        let (Some(before), Some(after)) = (check_of(old, &old_col.name), check_of(new, &col.name))
        else {
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

/// The string literals of `column IN ('a', 'b')`.
fn in_list(expr: &str) -> Option<Vec<String>> {
    let start = expr.find(" IN (")? + " IN (".len();
    let body = expr[start..].strip_suffix(')')?;
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
    use super::in_list;

    #[test]
    fn reads_the_values_of_an_in_list() {
        assert_eq!(
            in_list("role IN ('a', 'it''s', 'read-only')"),
            Some(vec!["a".into(), "it's".into(), "read-only".into()])
        );
        assert_eq!(in_list("age >= 0"), None);
        assert_eq!(in_list("role IN (1, 2)"), None);
    }
}
