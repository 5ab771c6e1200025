//! The model as declarations and as seed rows.

use super::{seed_value, Column, Model, Table, ENUM_NAME};
use crate::build::{col, enum_type, table, Col, Tbl};
use schema_core::decl::{Declarations, TypeDecl};

impl Model {
    /// The model as declarations (with this step's `renamed_from` markers).
    pub fn decls(&self) -> Declarations {
        let enums = self
            .enum_values
            .as_ref()
            .map(|v| {
                let values: Vec<&str> = v.iter().map(String::as_str).collect();
                vec![enum_type(ENUM_NAME, &values)]
            })
            .unwrap_or_default();
        let tables = self.tables.iter().map(|t| table_decl(t).0).collect();
        Declarations { enums, tables }
    }

    /// `INSERT` statements for the seeded rows of every table that has them.
    pub fn seed_sql(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in self.tables.iter().filter(|t| t.rows > 0) {
            let mut cols = vec!["\"id\"".to_string()];
            cols.extend(t.columns.iter().map(|c| quote(&c.name)));
            let rows: Vec<String> = (1..=t.rows)
                .map(|r| {
                    let mut vals = vec![r.to_string()];
                    vals.extend(
                        t.columns
                            .iter()
                            .map(|c| seed_value(c.ty, r, self.enum_values.as_ref())),
                    );
                    format!("({})", vals.join(", "))
                })
                .collect();
            out.push(format!(
                "INSERT INTO {} ({}) VALUES {};",
                quote(&t.name),
                cols.join(", "),
                rows.join(", ")
            ));
        }
        out
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn table_decl(t: &Table) -> Tbl {
    let mut id = col("id", TypeDecl::I64).pk();
    if t.auto_id {
        id = id.auto();
    }
    let mut decl = table(&t.name).col(id);
    if let Some(old) = &t.renamed_from {
        decl = decl.renamed_from(old);
    }
    for c in &t.columns {
        decl = decl.col(column_decl(c));
    }
    for (name, column) in &t.checks {
        decl = decl.check(name, &format!("{} >= 0", quote(column)));
    }
    for (unique, cols) in &t.composites {
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        decl = if *unique {
            decl.unique(&cols)
        } else {
            decl.index(&cols)
        };
    }
    for (name, column) in &t.partial_indexes {
        decl = decl.index_named_where(name, &[column], &format!("{} IS NOT NULL", quote(column)));
    }
    decl
}

fn column_decl(c: &Column) -> Col {
    let mut d = col(&c.name, c.ty.decl());
    if c.nullable {
        d = d.null();
    }
    if let Some(def) = &c.default {
        d = d.default(def.clone());
    }
    if c.unique {
        d = d.unique();
    }
    if c.index {
        d = d.index();
    }
    if let Some((target, action)) = &c.fk {
        d = d.references(target, "id").on_delete(*action);
    }
    if let Some(old) = &c.renamed_from {
        d = d.renamed_from(old);
    }
    d
}
