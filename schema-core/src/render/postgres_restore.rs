//! PostgreSQL: the down step that brings back a dropped `NOT NULL` column without a default.
//! Its values are gone (the down file says so), and `ADD COLUMN .. NOT NULL` alone fails on a
//! table that holds rows, so the rollback would fail exactly when it is needed. The column is
//! added with a placeholder default (the type's zero value), which fills the existing rows in
//! the catalog without a rewrite, and the default is dropped again: the schema is exactly the
//! one before the up.

use super::postgres::alter;
use crate::model::Column;

/// The zero value of a type, as a SQL literal; `None` for types without an obvious one.
pub(super) fn placeholder(ty: &str, enum_first_value: Option<&str>) -> Option<String> {
    if ty.ends_with("[]") {
        return Some("'{}'".into());
    }
    if let Some(first) = enum_first_value {
        return Some(crate::types::quote_literal(first));
    }
    let base = ty.split('(').next().unwrap_or(ty).trim();
    Some(
        match base {
            "smallint" | "integer" | "bigint" | "real" | "double precision" | "numeric" => "0",
            "text" | "varchar" | "char" | "citext" => "''",
            "boolean" => "false",
            "bytea" => "''",
            "uuid" => "'00000000-0000-0000-0000-000000000000'",
            "date" => "'epoch'",
            "timestamp" | "timestamptz" => "'epoch'",
            "time" => "'00:00'",
            "jsonb" | "json" => "'null'",
            _ => return None,
        }
        .to_string(),
    )
}

/// `ADD COLUMN .. NOT NULL DEFAULT <zero>` then `DROP DEFAULT`, or `None` when the column is
/// nullable, has a default, or its type has no placeholder.
pub(super) fn restore_required_column(
    table: &str,
    column: &Column,
    column_def: &str,
    zero: Option<String>,
) -> Option<Vec<String>> {
    if column.nullable || column.default.is_some() || column.auto_increment {
        return None;
    }
    let zero = zero?;
    Some(vec![
        alter(table, &format!("ADD COLUMN {column_def} DEFAULT {zero}")),
        alter(
            table,
            &format!(
                "ALTER COLUMN {} DROP DEFAULT",
                super::postgres::q(&column.name)
            ),
        ),
    ])
}
