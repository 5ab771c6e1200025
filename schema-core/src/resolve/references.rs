//! Checks across tables: foreign keys point at an existing unique column of the same type,
//! and index-backed names (keys, uniques, indexes) are unique in the whole schema.

use super::ResolveError;
use crate::decl::Declarations;
use crate::dialect::Dialect;
use crate::model::{Schema, Table};
use std::collections::BTreeMap;

pub(super) fn check(decls: &Declarations, schema: &Schema, errors: &mut Vec<ResolveError>) {
    for decl in &decls.tables {
        for c in &decl.columns {
            let Some(r) = &c.references else { continue };
            let err = |m: String| ResolveError::on(&decl.rust_name, Some(&c.field), m);
            let Some(target) = schema.tables.get(&r.table) else {
                errors.push(err(format!(
                    "`references = \"{}.{}\"` names table `{}`, which no `#[derive(Table)]` struct declares (tables: {})",
                    r.table,
                    r.column,
                    r.table,
                    table_list(schema)
                )));
                continue;
            };
            let Some(ref_col) = target.column(&r.column) else {
                errors.push(err(format!(
                    "`references = \"{}.{}\"`: table `{}` has no column `{}`",
                    r.table, r.column, r.table, r.column
                )));
                continue;
            };
            if !is_unique_column(target, &r.column) {
                errors.push(err(format!(
                    "`references = \"{}.{}\"`: a foreign key must point at a primary key or unique column; add `#[schema(unique)]` to `{}`",
                    r.table, r.column, r.column
                )));
            }
            let own = schema
                .tables
                .get(&decl.name)
                .and_then(|t| t.column(&c.name));
            if let Some(own) = own {
                if !own.ty.is_empty()
                    && !ref_col.ty.is_empty()
                    && !same_type(&own.ty, &ref_col.ty, schema.dialect)
                {
                    errors.push(err(format!(
                        "this column is `{}` but `{}.{}` is `{}`: a foreign key column must have the referenced column's type",
                        own.ty, r.table, r.column, ref_col.ty
                    )));
                }
            }
        }
    }
    index_names(decls, schema, errors);
}

fn table_list(schema: &Schema) -> String {
    let names: Vec<&str> = schema.tables.keys().map(String::as_str).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

fn is_unique_column(t: &Table, col: &str) -> bool {
    let single = |cols: &[String]| cols.len() == 1 && cols[0] == col;
    t.primary_key.as_ref().is_some_and(|p| single(&p.columns))
        || t.uniques.iter().any(|u| single(&u.columns))
        || t.indexes
            .iter()
            .any(|i| i.unique && i.predicate.is_none() && single(&i.columns))
}

/// SQLite compares by type affinity: `integer` and `bigint` are both INTEGER.
fn same_type(a: &str, b: &str, dialect: Dialect) -> bool {
    if a == b {
        return true;
    }
    dialect == Dialect::Sqlite && a.contains("int") && b.contains("int")
}

/// In declaration order, so the struct declared later is the one told to rename.
fn index_names(decls: &Declarations, schema: &Schema, errors: &mut Vec<ResolveError>) {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for decl in &decls.tables {
        let Some(t) = schema.tables.get(&decl.name) else {
            continue;
        };
        let names = t
            .primary_key
            .iter()
            .map(|p| p.name.as_str())
            .chain(t.uniques.iter().map(|u| u.name.as_str()))
            .chain(t.indexes.iter().map(|i| i.name.as_str()));
        for n in names {
            match owner.insert(n, &t.name) {
                Some(other) if other != t.name => errors.push(ResolveError::on(
                    &decl.rust_name,
                    None,
                    format!(
                        "the index name `{n}` is also used on table `{other}`; index names are shared by the whole schema: give one an explicit `name = \"...\"`"
                    ),
                )),
                _ => {}
            }
        }
    }
}
