//! What a down migration cannot give back: one sentence per thing an up step destroys.

use super::risk::{sqlite_affinity, type_change, TypeChange};
use crate::diff::Change;
use crate::model::Column;

/// On SQLite: [`lost_data`], except that a type change within one storage class loses
/// nothing (SQLite enforces no size, length or precision of a declared type).
pub(crate) fn lost_data_on_sqlite(change: &Change) -> Vec<String> {
    match change {
        Change::AlterColumn { table, from, to } => altered_column(
            table,
            from,
            to,
            sqlite_affinity(&from.ty) != sqlite_affinity(&to.ty),
        ),
        _ => lost_data(change),
    }
}

/// What the down migration cannot give back after `change` ran.
pub(crate) fn lost_data(change: &Change) -> Vec<String> {
    match change {
        Change::DropTable(t) => vec![format!(
            "table {} is recreated empty: the rows the up migration deleted are not restored",
            t.name
        )],
        Change::DropColumn { table, column } => vec![format!(
            "column {table}.{} is recreated{}: the values the up migration deleted are not restored",
            column.name,
            match &column.default {
                Some(d) => format!(" with its default {d}"),
                None if column.nullable => " holding NULL".to_string(),
                // PostgreSQL's down fills a placeholder (render/postgres_restore.rs).
                None => " holding a placeholder (the type's zero value) in existing rows".to_string(),
            }
        )],
        Change::AlterColumn { table, from, to } => altered_column(table, from, to, true),
        _ => vec![],
    }
}

/// What changing `from` into `to` loses for good; `types_can_lose`: whether the dialect keeps
/// a lossy type change's loss (SQLite keeps every value within one storage class).
fn altered_column(table: &str, from: &Column, to: &Column, types_can_lose: bool) -> Vec<String> {
    let mut lost = Vec::new();
    if types_can_lose && type_change(&from.ty, &to.ty) == TypeChange::Lossy {
        lost.push(format!(
            "column {table}.{} goes back to {}, but precision lost in the change to {} is not restored",
            to.name, from.ty, to.ty
        ));
    }
    if let (true, false, Some(d)) = (from.nullable, to.nullable, &to.default) {
        lost.push(format!(
            "column {table}.{} accepts NULL again, but the rows the up migration set to {d} keep that value",
            to.name
        ));
    }
    lost
}
