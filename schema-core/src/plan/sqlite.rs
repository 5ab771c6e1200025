//! SQLite planning. `ALTER TABLE` can rename tables and columns, add a column (nullable, or
//! with a constant default) and drop a column that is not part of the primary key; indexes are
//! created and dropped on their own. Every other change of a table (types, nullability,
//! defaults, keys, foreign keys, checks) is folded into one rebuild of that table (the
//! procedure from <https://www.sqlite.org/lang_altertable.html>, section 7), which runs after
//! the native renames.
//!
//! SQLite does not store primary key and foreign key names in a way it reports back, so a
//! change of only their name runs nothing.

use super::lost::lost_data_on_sqlite;
use super::renames::Renames;
use super::step::{PlannedStep, Step, ValueRenames};
use crate::diff::{Change, ConstraintKind};
use crate::model::{Column, Schema, Table};
use std::collections::BTreeMap;

/// The (new) name of the existing table a change alters; `None` for whole-table creates and
/// drops.
fn altered_table(change: &Change, renames: &Renames) -> Option<String> {
    use Change::*;
    match change {
        CreateEnum(_) | DropEnum(_) | AlterEnum { .. } | CreateTable(_) | DropTable(_) => None,
        DropColumn { table, .. }
        | DropPrimaryKey { table, .. }
        | DropUnique { table, .. }
        | DropIndex { table, .. }
        | DropForeignKey { table, .. }
        | DropCheck { table, .. } => Some(renames.table(table).to_string()),
        other => other.table().map(str::to_string),
    }
}

/// `ALTER TABLE` can do the change, and its inverse too (the down runs the inverse steps).
fn native(change: &Change, from: &Schema) -> bool {
    use Change::*;
    match change {
        RenameTable { .. } | RenameColumn { .. } | AddIndex { .. } | DropIndex { .. } => true,
        RenameConstraint { kind, .. } => *kind != ConstraintKind::Check,
        AddColumn { column, .. } => can_add_column(column),
        DropColumn { table, column } => {
            let in_key = from
                .tables
                .get(table)
                .and_then(|t| t.primary_key.as_ref())
                .is_some_and(|pk| pk.columns.contains(&column.name));
            // The down adds it back natively, so it must be a column `ADD COLUMN` accepts.
            !in_key && can_add_column(column)
        }
        _ => false,
    }
}

/// `ALTER TABLE .. ADD COLUMN` accepts the column: not a key, and a NOT NULL column needs a
/// non-NULL constant default (expressions and `CURRENT_*` are refused).
pub(crate) fn can_add_column(c: &Column) -> bool {
    if c.auto_increment {
        return false;
    }
    match &c.default {
        None => c.nullable,
        Some(d) if d.eq_ignore_ascii_case("null") => c.nullable,
        Some(d) => is_constant(d),
    }
}

fn is_constant(d: &str) -> bool {
    let d = d.trim();
    (d.len() >= 2 && d.starts_with('\'') && d.ends_with('\''))
        || d.eq_ignore_ascii_case("true")
        || d.eq_ignore_ascii_case("false")
        || d.strip_prefix('-').unwrap_or(d).parse::<f64>().is_ok()
}

pub(super) fn steps(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    renames: &Renames,
) -> Vec<PlannedStep> {
    let mut rebuilt: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut value_renames: BTreeMap<String, Vec<ValueRenames>> = BTreeMap::new();
    for c in changes {
        if let Some(t) = altered_table(c, renames) {
            if !native(c, from) {
                rebuilt.entry(t.clone()).or_default();
            }
            if let Change::RenameValues {
                column, renamed, ..
            } = c
            {
                value_renames.entry(t).or_default().push(ValueRenames {
                    column: column.clone(),
                    renamed: renamed.clone(),
                });
            }
        }
    }
    let mut steps = Vec::new();
    for c in changes {
        let table = altered_table(c, renames);
        let keep_native = matches!(c, Change::RenameTable { .. } | Change::RenameColumn { .. });
        if let Some(lost) = table.as_ref().and_then(|t| rebuilt.get_mut(t)) {
            if !keep_native {
                lost.extend(lost_data_on_sqlite(c));
                continue;
            }
        }
        match c {
            Change::RenameConstraint {
                table,
                kind: ConstraintKind::Index,
                from: old_name,
                to: new_name,
            } => {
                // The drop runs before the renames: it names the table and columns as they were.
                let original = original_table(from, table, renames);
                let old_index =
                    original.and_then(|t| t.indexes.iter().find(|i| i.name == *old_name).cloned());
                let old_table_name = original.map_or(table.clone(), |t| t.name.clone());
                let new_index = to
                    .tables
                    .get(table)
                    .and_then(|t| t.indexes.iter().find(|i| i.name == *new_name));
                if let (Some(old_index), Some(new_index)) = (old_index, new_index) {
                    steps.push(PlannedStep {
                        step: Step::Change(Change::DropIndex {
                            table: old_table_name,
                            index: old_index,
                        }),
                        lost_data: vec![],
                    });
                    steps.push(PlannedStep {
                        step: Step::Change(Change::AddIndex {
                            table: table.clone(),
                            index: new_index.clone(),
                        }),
                        lost_data: vec![],
                    });
                }
            }
            Change::RenameConstraint { .. } => {}
            other => steps.push(PlannedStep {
                step: Step::Change(other.clone()),
                lost_data: lost_data_on_sqlite(other),
            }),
        }
    }
    for (name, lost) in rebuilt {
        if let (Some(old), Some(new)) = (old_table(from, &name, renames), to.tables.get(&name)) {
            steps.push(PlannedStep {
                step: Step::RebuildTable {
                    from: old,
                    to: new.clone(),
                    value_renames: value_renames.remove(&name).unwrap_or_default(),
                },
                lost_data: lost,
            });
        }
    }
    steps
}

/// The old table that becomes `new_name`, as it was before any rename. A table renamed to
/// `new_name` wins over a table already called `new_name` (that one is being dropped).
fn original_table<'a>(from: &'a Schema, new_name: &str, renames: &Renames) -> Option<&'a Table> {
    let renamed = from
        .tables
        .values()
        .find(|t| t.name != new_name && renames.table(&t.name) == new_name);
    renamed.or_else(|| {
        from.tables
            .get(new_name)
            .filter(|t| renames.table(&t.name) == new_name)
    })
}

/// The old table that becomes `new_name`, as it is after the native renames.
fn old_table(from: &Schema, new_name: &str, renames: &Renames) -> Option<Table> {
    original_table(from, new_name, renames).map(|t| renames.apply(t))
}
