//! The table and column renames of a change list, and the old tables as they look once those
//! renames have run (the state the later steps of a plan start from).

use crate::diff::Change;
use crate::model::Table;
use crate::sql_expr::rename_columns;
use crate::Dialect;
use std::collections::BTreeMap;

pub(super) struct Renames {
    dialect: Dialect,
    /// old table name -> new table name
    tables: BTreeMap<String, String>,
    /// (new table name, old column name) -> new column name
    columns: BTreeMap<(String, String), String>,
}

impl Renames {
    pub fn from_changes(changes: &[Change], dialect: Dialect) -> Renames {
        let mut r = Renames {
            dialect,
            tables: BTreeMap::new(),
            columns: BTreeMap::new(),
        };
        for c in changes {
            match c {
                Change::RenameTable { from, to } => {
                    r.tables.insert(from.clone(), to.clone());
                }
                Change::RenameColumn { table, from, to } => {
                    r.columns.insert((table.clone(), from.clone()), to.clone());
                }
                _ => {}
            }
        }
        r
    }

    pub fn table<'a>(&'a self, old: &'a str) -> &'a str {
        self.tables.get(old).map(String::as_str).unwrap_or(old)
    }

    fn column<'a>(&'a self, new_table: &str, old: &'a str) -> &'a str {
        self.columns
            .get(&(new_table.to_string(), old.to_string()))
            .map(String::as_str)
            .unwrap_or(old)
    }

    fn columns(&self, new_table: &str, cols: &[String]) -> Vec<String> {
        cols.iter()
            .map(|c| self.column(new_table, c).to_string())
            .collect()
    }

    /// A check or predicate of table `new_table` with its renamed columns renamed.
    fn expression(&self, new_table: &str, expr: &str) -> String {
        let renamed = |c: &str| {
            self.columns
                .get(&(new_table.to_string(), c.to_string()))
                .cloned()
        };
        if self.columns.keys().any(|(t, _)| t == new_table) {
            rename_columns(expr, renamed, self.dialect)
        } else {
            expr.to_string()
        }
    }

    /// `old` after its own rename and the renames of its columns (and of the tables and
    /// columns its foreign keys point at), as the database holds it once the renames have run.
    pub fn apply(&self, old: &Table) -> Table {
        let name = self.table(&old.name).to_string();
        let mut t = old.clone();
        for c in &mut t.columns {
            c.name = self.column(&name, &c.name).to_string();
        }
        if let Some(pk) = &mut t.primary_key {
            pk.columns = self.columns(&name, &pk.columns);
        }
        for u in &mut t.uniques {
            u.columns = self.columns(&name, &u.columns);
        }
        for i in &mut t.indexes {
            i.columns = self.columns(&name, &i.columns);
            i.predicate = i.predicate.as_ref().map(|p| self.expression(&name, p));
        }
        // The database rewrites checks on `RENAME COLUMN` (a SQLite rebuild that runs after the
        // renames, or its inverse in the down, must not name the old columns).
        for c in &mut t.checks {
            c.expr = self.expression(&name, &c.expr);
        }
        for fk in &mut t.foreign_keys {
            fk.columns = self.columns(&name, &fk.columns);
            fk.ref_table = self.table(&fk.ref_table).to_string();
            fk.ref_columns = self.columns(&fk.ref_table, &fk.ref_columns);
        }
        t.name = name;
        t
    }
}
