//! PostgreSQL and MySQL: changes as steps. A new table's foreign keys become separate steps
//! after every table exists (so cycles between new tables work); a dropped table's foreign
//! keys are dropped first; an enum change learns which columns it must retype; a changed
//! default of an altered enum column is dropped before the enum step and set after it. On
//! MySQL the index InnoDB makes for a foreign key is written out, and renamed enum values are
//! renamed by widening the column's value list, updating, narrowing; a renamed foreign key or
//! check is dropped and added under its new name ([`super::mysql`]).

use super::lost::lost_data;
use super::renames::Renames;
use super::step::{EnumUsage, PlannedStep, Step};
use crate::diff::{Change, ConstraintKind};
use crate::model::{Column, Schema, Table};
use crate::Dialect;

fn without_foreign_keys(t: &Table) -> Table {
    Table {
        foreign_keys: Vec::new(),
        ..t.clone()
    }
}

/// `t` as its `CREATE TABLE` step makes it (and a `DROP TABLE` step's down remakes it): without
/// foreign keys, which are separate steps; on MySQL with the index each of them needs.
fn created(t: &Table, to: &Schema) -> Table {
    match to.dialect {
        Dialect::Mysql => super::mysql::with_foreign_key_indexes(t),
        _ => without_foreign_keys(t),
    }
}

fn planned(step: Step, lost_data: Vec<String>) -> PlannedStep {
    PlannedStep { step, lost_data }
}

/// PostgreSQL and MySQL: a change as one or more steps.
pub(super) fn split_steps(
    change: &Change,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    all: &[Change],
) -> Vec<PlannedStep> {
    match change {
        Change::CreateTable(t) => {
            let mut steps = vec![planned(
                Step::Change(Change::CreateTable(created(t, to))),
                vec![],
            )];
            steps.extend(t.foreign_keys.iter().map(|fk| {
                planned(
                    Step::Change(Change::AddForeignKey {
                        table: t.name.clone(),
                        foreign_key: fk.clone(),
                    }),
                    vec![],
                )
            }));
            steps
        }
        Change::DropTable(t) => {
            let mut steps: Vec<PlannedStep> = t
                .foreign_keys
                .iter()
                .map(|fk| {
                    planned(
                        Step::Change(Change::DropForeignKey {
                            table: t.name.clone(),
                            foreign_key: fk.clone(),
                        }),
                        vec![],
                    )
                })
                .collect();
            steps.push(planned(
                Step::Change(Change::DropTable(created(t, to))),
                lost_data(change),
            ));
            steps
        }
        Change::AlterEnum {
            from: old,
            to,
            renamed_values,
        } => vec![planned(
            Step::AlterEnum {
                from: old.clone(),
                to: to.clone(),
                renamed_values: renamed_values.clone(),
                usages: enum_usages(&old.name, from, renames, all),
            },
            lost_data(change),
        )],
        Change::AlterColumn {
            table,
            from: old,
            to,
        } if old.default.is_some()
            && to.default.is_some()
            && old.default != to.default
            && enum_altered(&to.ty, all) =>
        {
            // The old default must go before the enum step and the new one come after it.
            let bare = Column {
                default: None,
                ..old.clone()
            };
            vec![
                planned(
                    Step::Change(Change::AlterColumn {
                        table: table.clone(),
                        from: old.clone(),
                        to: bare.clone(),
                    }),
                    vec![],
                ),
                planned(
                    Step::Change(Change::AlterColumn {
                        table: table.clone(),
                        from: bare,
                        to: to.clone(),
                    }),
                    lost_data(change),
                ),
            ]
        }
        Change::DropForeignKey { table, foreign_key } if to.dialect == Dialect::Mysql => {
            super::mysql::drop_foreign_key(change, table, foreign_key, from, to, renames)
        }
        Change::AddForeignKey { table, foreign_key } if to.dialect == Dialect::Mysql => {
            super::mysql::add_foreign_key(change, table, foreign_key, from, to, renames)
        }
        Change::RenameConstraint {
            table,
            kind: ConstraintKind::ForeignKey,
            from: old,
            to: new,
        } if to.dialect == Dialect::Mysql => {
            super::mysql::rename_foreign_key(table, old, new, from, to, renames)
                .unwrap_or_else(|| vec![planned(Step::Change(change.clone()), vec![])])
        }
        Change::RenameConstraint {
            table,
            kind: ConstraintKind::Check,
            from: old,
            to: new,
        } if to.dialect == Dialect::Mysql => {
            super::mysql::rename_check(table, old, new, from, to, renames)
                .unwrap_or_else(|| vec![planned(Step::Change(change.clone()), vec![])])
        }
        Change::AlterColumn {
            table,
            from: old,
            to: new,
        } if to.dialect == Dialect::Mysql => {
            super::mysql::alter_column(change, table, old, new, all)
        }
        Change::RenameValues { .. }
            if to.dialect == Dialect::Mysql
                && super::mysql::renames_in_alter_column(change, all) =>
        {
            vec![]
        }
        other => vec![planned(Step::Change(other.clone()), lost_data(other))],
    }
}

/// `ty` (or its element type) is an enum this change list alters.
fn enum_altered(ty: &str, all: &[Change]) -> bool {
    let base = ty.strip_suffix("[]").unwrap_or(ty);
    all.iter()
        .any(|c| matches!(c, Change::AlterEnum { to, .. } if to.name == base))
}

/// The columns typed with enum `name` once drops and renames have run (the moment the enum
/// step runs).
fn enum_usages(name: &str, from: &Schema, renames: &Renames, all: &[Change]) -> Vec<EnumUsage> {
    let array = format!("{name}[]");
    let mut usages = Vec::new();
    for old in from.tables.values() {
        if all
            .iter()
            .any(|c| matches!(c, Change::DropTable(t) if t.name == old.name))
        {
            continue;
        }
        let dropped: Vec<&str> = all
            .iter()
            .filter_map(|c| match c {
                Change::DropColumn { table, column } if *table == old.name => {
                    Some(column.name.as_str())
                }
                _ => None,
            })
            .collect();
        let kept = Table {
            columns: old
                .columns
                .iter()
                .filter(|c| !dropped.contains(&c.name.as_str()))
                .cloned()
                .collect(),
            ..old.clone()
        };
        let now = renames.apply(&kept);
        for c in &now.columns {
            if c.ty == name || c.ty == array {
                usages.push(EnumUsage {
                    table: now.name.clone(),
                    column: c.name.clone(),
                    array: c.ty == array,
                    default: c.default.clone(),
                });
            }
        }
    }
    usages
}
