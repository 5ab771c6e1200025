//! The table and column renames of a change list, and the old tables as they look once those
//! renames have run (the state the later steps of a plan start from).

use crate::diff::Change;
use crate::model::Table;
use std::collections::BTreeMap;

#[derive(Default)]
pub(super) struct Renames {
    /// old table name -> new table name
    tables: BTreeMap<String, String>,
    /// (new table name, old column name) -> new column name
    columns: BTreeMap<(String, String), String>,
}

impl Renames {
    pub fn from_changes(changes: &[Change]) -> Renames {
        let mut r = Renames::default();
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
