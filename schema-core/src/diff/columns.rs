//! Columns of one paired table: added, dropped, renamed (by hint only) and altered.

use super::Change;
use crate::model::{Column, RenameHints, Table};

pub(super) struct ColumnPairs<'a> {
    /// (old column, new column), in the new table's column order.
    pub pairs: Vec<(&'a Column, &'a Column)>,
}

pub(super) fn pair_columns<'a>(
    old: &'a Table,
    new: &'a Table,
    hints: &RenameHints,
) -> ColumnPairs<'a> {
    let mut pairs = Vec::new();
    for col in &new.columns {
        if let Some(old_col) = old.column(&col.name) {
            pairs.push((old_col, col));
        } else if let Some(old_col) = hints
            .columns
            .get(&(new.name.clone(), col.name.clone()))
            .filter(|old_name| new.column(old_name).is_none())
            .and_then(|old_name| old.column(old_name))
        {
            pairs.push((old_col, col));
        }
    }
    ColumnPairs { pairs }
}

pub(super) fn column_changes(old: &Table, new: &Table, cp: &ColumnPairs<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    for col in &old.columns {
        if !cp.pairs.iter().any(|(o, _)| o.name == col.name) {
            changes.push(Change::DropColumn {
                table: old.name.clone(),
                column: col.clone(),
            });
        }
    }
    for (old_col, new_col) in &cp.pairs {
        if old_col.name != new_col.name {
            changes.push(Change::RenameColumn {
                table: new.name.clone(),
                from: old_col.name.clone(),
                to: new_col.name.clone(),
            });
        }
        let renamed = Column {
            name: new_col.name.clone(),
            ..(*old_col).clone()
        };
        if renamed != **new_col {
            changes.push(Change::AlterColumn {
                table: new.name.clone(),
                from: renamed,
                to: (*new_col).clone(),
            });
        }
    }
    for col in &new.columns {
        if !cp.pairs.iter().any(|(_, n)| n.name == col.name) {
            changes.push(Change::AddColumn {
                table: new.name.clone(),
                column: col.clone(),
            });
        }
    }
    changes
}
