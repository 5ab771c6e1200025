//! Tables: paired by name or by a `renamed_from` hint, then compared column by column and
//! constraint by constraint.

use super::{columns, constraints, values, Change};
use crate::dialect::Dialect;
use crate::model::{RenameHints, Schema, Table};
use crate::sql_expr::rename_columns;
use std::collections::BTreeMap;

/// How old names map to new names across the whole schema (only real renames are stored).
pub(super) struct Renames {
    pub dialect: Dialect,
    /// old table name -> new table name
    pub tables: BTreeMap<String, String>,
    /// (new table name, old column name) -> new column name
    pub columns: BTreeMap<(String, String), String>,
}

impl Renames {
    pub fn table<'a>(&'a self, old: &'a str) -> &'a str {
        self.tables.get(old).map(String::as_str).unwrap_or(old)
    }

    pub fn column<'a>(&'a self, new_table: &str, old: &'a str) -> &'a str {
        self.columns
            .get(&(new_table.to_string(), old.to_string()))
            .map(String::as_str)
            .unwrap_or(old)
    }

    /// A check expression or index predicate of `new_table` as the database rewrites it when
    /// the table's columns are renamed.
    pub fn expr(&self, new_table: &str, sql: &str) -> String {
        if !self.columns.keys().any(|(t, _)| t == new_table) {
            return sql.to_string();
        }
        rename_columns(
            sql,
            |c| {
                self.columns
                    .get(&(new_table.to_string(), c.to_string()))
                    .cloned()
            },
            self.dialect,
        )
    }
}

/// Pairs of (old table, new table).
fn pair_tables<'a>(
    from: &'a Schema,
    to: &'a Schema,
    hints: &RenameHints,
) -> Vec<(&'a Table, &'a Table)> {
    let mut pairs = Vec::new();
    for (name, new) in &to.tables {
        if let Some(old) = from.tables.get(name) {
            pairs.push((old, new));
        } else if let Some(old) = hints
            .tables
            .get(name)
            .filter(|old| !to.tables.contains_key(*old))
            .and_then(|old| from.tables.get(old))
        {
            pairs.push((old, new));
        }
    }
    pairs
}

pub(super) fn diff_tables(from: &Schema, to: &Schema, hints: &RenameHints) -> Vec<Change> {
    let pairs = pair_tables(from, to, hints);
    let mut renames = Renames {
        dialect: to.dialect,
        tables: BTreeMap::new(),
        columns: BTreeMap::new(),
    };
    for (old, new) in &pairs {
        if old.name != new.name {
            renames.tables.insert(old.name.clone(), new.name.clone());
        }
    }
    let column_pairs: Vec<columns::ColumnPairs> = pairs
        .iter()
        .map(|(old, new)| columns::pair_columns(old, new, hints))
        .collect();
    for (cp, (_, new)) in column_pairs.iter().zip(&pairs) {
        for (old_col, new_col) in &cp.pairs {
            if old_col.name != new_col.name {
                renames.columns.insert(
                    (new.name.clone(), old_col.name.clone()),
                    new_col.name.clone(),
                );
            }
        }
    }

    let mut changes = Vec::new();
    let paired_old: Vec<&str> = pairs.iter().map(|(o, _)| o.name.as_str()).collect();
    for (name, old) in &from.tables {
        if !paired_old.contains(&name.as_str()) {
            changes.push(Change::DropTable(old.clone()));
        }
    }
    let paired_new: Vec<&str> = pairs.iter().map(|(_, n)| n.name.as_str()).collect();
    for (name, new) in &to.tables {
        if !paired_new.contains(&name.as_str()) {
            changes.push(Change::CreateTable(new.clone()));
        }
    }
    for ((old, new), cp) in pairs.iter().zip(&column_pairs) {
        if old.name != new.name {
            changes.push(Change::RenameTable {
                from: old.name.clone(),
                to: new.name.clone(),
            });
        }
        changes.extend(columns::column_changes(old, new, cp));
        changes.extend(constraints::constraint_changes(old, new, &renames));
        changes.extend(values::value_renames(old, new, &renames, hints));
    }
    changes
}
