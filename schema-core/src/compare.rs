//! Comparing two schemas the way a database sees them.
//!
//! Column order is not part of the comparison: `ALTER TABLE .. ADD COLUMN` appends, so a
//! database migrated step by step orders its columns by history, while the structs (and the
//! snapshot) order them by field. Everything else must match exactly.

use crate::model::{Column, Schema, Table};
use std::collections::BTreeSet;
use std::fmt::Debug;

/// True when `a` and `b` describe the same database schema (column order aside).
pub fn equivalent(a: &Schema, b: &Schema) -> bool {
    differences(a, b).is_empty()
}

/// Every difference between `expected` and `actual`, one sentence each, in a stable order.
pub fn differences(expected: &Schema, actual: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if expected.dialect != actual.dialect {
        out.push(format!(
            "dialect: expected {}, found {}",
            expected.dialect, actual.dialect
        ));
    }
    for name in union(expected.enums.keys(), actual.enums.keys()) {
        match (expected.enums.get(name), actual.enums.get(name)) {
            (Some(_), None) => out.push(format!("enum {name} is missing")),
            (None, Some(_)) => out.push(format!("unexpected enum {name}")),
            (Some(e), Some(a)) if e.values != a.values => out.push(format!(
                "enum {name}: expected values {:?}, found {:?}",
                e.values, a.values
            )),
            _ => {}
        }
    }
    for name in union(expected.tables.keys(), actual.tables.keys()) {
        match (expected.tables.get(name), actual.tables.get(name)) {
            (Some(_), None) => out.push(format!("table {name} is missing")),
            (None, Some(_)) => out.push(format!("unexpected table {name}")),
            // Identical tables have no differences (the common case, checked cheaply).
            (Some(e), Some(a)) if e == a => {}
            (Some(e), Some(a)) => table_differences(e, a, &mut out),
            (None, None) => {}
        }
    }
    out
}

fn table_differences(expected: &Table, actual: &Table, out: &mut Vec<String>) {
    let t = &expected.name;
    let names = |table: &Table| {
        table
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    let (e_cols, a_cols) = (names(expected), names(actual));
    for col in union(e_cols.iter(), a_cols.iter()) {
        match (expected.column(col), actual.column(col)) {
            (Some(_), None) => out.push(format!("column {t}.{col} is missing")),
            (None, Some(_)) => out.push(format!("unexpected column {t}.{col}")),
            (Some(e), Some(a)) => column_differences(t, e, a, out),
            (None, None) => {}
        }
    }
    if expected.primary_key != actual.primary_key {
        out.push(format!(
            "table {t}: expected primary key {:?}, found {:?}",
            expected.primary_key, actual.primary_key
        ));
    }
    named_differences(
        t,
        "unique constraint",
        &expected.uniques,
        &actual.uniques,
        |u| &u.name,
        out,
    );
    named_differences(
        t,
        "index",
        &expected.indexes,
        &actual.indexes,
        |i| &i.name,
        out,
    );
    named_differences(
        t,
        "foreign key",
        &expected.foreign_keys,
        &actual.foreign_keys,
        |f| &f.name,
        out,
    );
    named_differences(
        t,
        "check",
        &expected.checks,
        &actual.checks,
        |c| &c.name,
        out,
    );
}

fn column_differences(table: &str, e: &Column, a: &Column, out: &mut Vec<String>) {
    let c = format!("column {table}.{}", e.name);
    if e.ty != a.ty {
        out.push(format!("{c}: expected type {}, found {}", e.ty, a.ty));
    }
    if e.nullable != a.nullable {
        let word = |n: bool| if n { "nullable" } else { "NOT NULL" };
        out.push(format!(
            "{c}: expected {}, found {}",
            word(e.nullable),
            word(a.nullable)
        ));
    }
    if e.default != a.default {
        out.push(format!(
            "{c}: expected default {}, found {}",
            e.default.as_deref().unwrap_or("none"),
            a.default.as_deref().unwrap_or("none")
        ));
    }
    if e.auto_increment != a.auto_increment {
        out.push(format!(
            "{c}: expected auto_increment {}, found {}",
            e.auto_increment, a.auto_increment
        ));
    }
}

fn named_differences<T: PartialEq + Debug>(
    table: &str,
    what: &str,
    expected: &[T],
    actual: &[T],
    name: impl Fn(&T) -> &String,
    out: &mut Vec<String>,
) {
    let all = union(expected.iter().map(&name), actual.iter().map(&name));
    for n in all {
        let e = expected.iter().find(|x| name(x) == n);
        let a = actual.iter().find(|x| name(x) == n);
        match (e, a) {
            (Some(_), None) => out.push(format!("table {table}: {what} {n} is missing")),
            (None, Some(_)) => out.push(format!("table {table}: unexpected {what} {n}")),
            (Some(e), Some(a)) if e != a => out.push(format!(
                "table {table}: {what} {n}: expected {e:?}, found {a:?}"
            )),
            _ => {}
        }
    }
}

fn union<'a>(
    a: impl Iterator<Item = &'a String>,
    b: impl Iterator<Item = &'a String>,
) -> BTreeSet<&'a String> {
    a.chain(b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::model::{Enum, Index};

    fn column(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            ty: ty.into(),
            nullable: false,
            default: None,
            auto_increment: false,
        }
    }

    fn schema(columns: Vec<Column>) -> Schema {
        let mut s = Schema::empty(Dialect::Postgres);
        s.tables.insert(
            "t".into(),
            Table {
                name: "t".into(),
                columns,
                primary_key: None,
                uniques: vec![],
                indexes: vec![],
                foreign_keys: vec![],
                checks: vec![],
            },
        );
        s
    }

    #[test]
    fn column_order_does_not_matter() {
        let a = schema(vec![column("a", "integer"), column("b", "text")]);
        let b = schema(vec![column("b", "text"), column("a", "integer")]);
        assert!(equivalent(&a, &b));
    }

    #[test]
    fn reports_each_difference_precisely() {
        let a = schema(vec![column("a", "integer"), column("b", "text")]);
        let mut b = schema(vec![column("a", "bigint"), column("c", "text")]);
        b.tables.get_mut("t").unwrap().indexes.push(Index {
            name: "t_a_idx".into(),
            columns: vec!["a".into()],
            unique: false,
            predicate: None,
        });
        b.enums.insert(
            "mood".into(),
            Enum {
                name: "mood".into(),
                values: vec!["ok".into()],
            },
        );
        assert_eq!(
            differences(&a, &b),
            vec![
                "unexpected enum mood",
                "column t.a: expected type integer, found bigint",
                "column t.b is missing",
                "unexpected column t.c",
                "table t: unexpected index t_a_idx",
            ]
        );
        assert!(differences(&a, &a).is_empty());
    }
}
