//! Typed changes -> ordered steps (up and down) with the risk of each change.
//!
//! The up steps are sorted into dependency order ([`order`]); the down steps are the up steps
//! reversed, each one inverted, so applying the down restores the previous schema exactly.
//! Where the up destroys data (a dropped table or column, removed enum values, a lossy type
//! change), the matching down step carries a note that the renderer writes as a SQL comment.
//!
//! Dialect specifics: on PostgreSQL and MySQL a new table's foreign keys become separate steps
//! after every table exists (so cycles between new tables work) and a dropped table's foreign
//! keys are dropped first; on SQLite they stay inline in `CREATE TABLE` (SQLite accepts forward
//! references) and every change `ALTER TABLE` cannot express is folded into one table rebuild.

mod order;
mod renames;
pub mod risk;
mod sqlite;
mod step;

pub use order::tables_in_dependency_order;
pub use risk::{classify, Risk, RiskLevel};
pub use step::{EnumUsage, PlannedStep, Step, ValueRenames};

use crate::dialect::Dialect;
use crate::diff::Change;
use crate::model::{Column, Schema, Table};
use renames::Renames;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub dialect: Dialect,
    /// Every change with its risk, in diff order.
    pub changes: Vec<(Change, Risk)>,
    pub up: Vec<PlannedStep>,
    pub down: Vec<PlannedStep>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Orders `changes` (from [`crate::diff::diff`] of `from` and `to`) for `to.dialect`.
pub fn plan(from: &Schema, to: &Schema, changes: &[Change]) -> Plan {
    let dialect = to.dialect;
    let ordered = order::tables_in_dependency_order(changes);
    let changes = ordered.as_slice();
    let renames = Renames::from_changes(changes, dialect);
    let mut up: Vec<PlannedStep> = match dialect {
        Dialect::Sqlite => sqlite::steps(from, to, changes, &renames),
        Dialect::Postgres | Dialect::Mysql => changes
            .iter()
            .flat_map(|c| split_steps(c, from, &renames, changes))
            .collect(),
    };
    up.sort_by_key(|s| order::phase(&s.step));
    let down = up
        .iter()
        .rev()
        .map(|s| PlannedStep {
            step: s.step.inverse(),
            lost_data: s.lost_data.clone(),
        })
        .collect();
    Plan {
        dialect,
        changes: changes
            .iter()
            .map(|c| (c.clone(), classify(c, dialect)))
            .collect(),
        up,
        down,
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
                None => String::new(),
            }
        )],
        Change::AlterColumn { table, from, to } => {
            let mut lost = Vec::new();
            if classify(change, Dialect::Postgres).level == RiskLevel::Destructive {
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
        _ => vec![],
    }
}

fn without_foreign_keys(t: &Table) -> Table {
    Table {
        foreign_keys: Vec::new(),
        ..t.clone()
    }
}

fn planned(step: Step, lost_data: Vec<String>) -> PlannedStep {
    PlannedStep { step, lost_data }
}

/// PostgreSQL and MySQL: a change as one or more steps.
fn split_steps(
    change: &Change,
    from: &Schema,
    renames: &Renames,
    all: &[Change],
) -> Vec<PlannedStep> {
    match change {
        Change::CreateTable(t) => {
            let mut steps = vec![planned(
                Step::Change(Change::CreateTable(without_foreign_keys(t))),
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
                Step::Change(Change::DropTable(without_foreign_keys(t))),
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
fn enum_usages(
    name: &str,
    from: &Schema,
    renames: &Renames,
    all: &[Change],
) -> Vec<crate::plan::EnumUsage> {
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
