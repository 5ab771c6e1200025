//! SQL that reads the same in every dialect except for identifier quoting.

use super::quote::{ident, ident_list};
use crate::dialect::Dialect;
use crate::model::{FkAction, ForeignKey, Index};

pub fn create_index(table: &str, index: &Index, d: Dialect) -> String {
    let mut s = format!(
        "CREATE {}INDEX {} ON {} {}",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name, d),
        ident(table, d),
        ident_list(&index.columns, d)
    );
    if let Some(p) = &index.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s.push(';');
    s
}

/// `FOREIGN KEY ("a") REFERENCES "t" ("id") ON DELETE CASCADE` (actions only when not the default).
pub fn foreign_key_clause(fk: &ForeignKey, d: Dialect) -> String {
    let mut s = format!(
        "FOREIGN KEY {} REFERENCES {} {}",
        ident_list(&fk.columns, d),
        ident(&fk.ref_table, d),
        ident_list(&fk.ref_columns, d)
    );
    if fk.on_delete != FkAction::NoAction {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != FkAction::NoAction {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    s
}

/// `CREATE TABLE` with its column and constraint lines, one per line.
pub fn create_table(table: &str, lines: &[String], d: Dialect) -> String {
    format!(
        "CREATE TABLE {} (\n    {}\n);",
        ident(table, d),
        lines.join(",\n    ")
    )
}
