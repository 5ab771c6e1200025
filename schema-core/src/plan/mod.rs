//! Typed changes -> ordered steps (up and down) with the risk of each change.
//!
//! The up steps are sorted into dependency order ([`order`]); the down steps are the up steps
//! reversed, each one inverted, so applying the down restores the previous schema exactly.
//! Where the up destroys data (a dropped table or column, a lossy type change, NULLs replaced
//! by a default), the matching down step carries a note that the renderer writes as a SQL
//! comment.
//!
//! Dialect specifics: on PostgreSQL and MySQL a new table's foreign keys become separate steps
//! after every table exists (so cycles between new tables work) and a dropped table's foreign
//! keys are dropped first (on MySQL with the index InnoDB makes for a foreign key written
//! out: [`mysql`]); on SQLite they stay inline in `CREATE TABLE` (SQLite accepts forward
//! references) and every change `ALTER TABLE` cannot express is folded into one table rebuild.

mod lost;
mod mysql;
mod order;
mod renames;
pub mod risk;
mod split;
mod sqlite;
mod step;
pub mod target;

pub use order::{into_dependency_order, tables_in_dependency_order};
pub use risk::{classify, Hazard, Risk, RiskContext, RiskLevel};
pub use step::{EnumUsage, PlannedStep, Step, ValueRenames};
pub use target::Target;

use crate::dialect::Dialect;
use crate::diff::Change;
use crate::model::Schema;
use renames::Renames;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub dialect: Dialect,
    /// Every change with its risk (created tables parents first, dropped ones children first).
    pub changes: Vec<(Change, Risk)>,
    pub up: Vec<PlannedStep>,
    pub down: Vec<PlannedStep>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Orders `changes` (from [`crate::diff::diff`] of `from` and `to`) for `to.dialect`, with the
/// risks for the default [`Target`].
pub fn plan(from: &Schema, to: &Schema, changes: &[Change]) -> Plan {
    plan_for(from, to, changes, Target::default())
}

/// [`plan`] with the risks for `target` (PostgreSQL version).
pub fn plan_for(from: &Schema, to: &Schema, changes: &[Change], target: Target) -> Plan {
    let dialect = to.dialect;
    let ordered = order::tables_in_dependency_order(changes);
    let changes = ordered.as_slice();
    let renames = Renames::from_changes(changes, dialect);
    let mut up: Vec<PlannedStep> = match dialect {
        Dialect::Sqlite => sqlite::steps(from, to, changes, &renames),
        Dialect::Postgres => changes
            .iter()
            .flat_map(|c| split::split_steps(c, from, to, &renames, changes))
            .collect(),
        Dialect::Mysql => changes
            .iter()
            .flat_map(|c| split::split_steps(c, from, to, &renames, changes))
            .collect(),
    };
    up.sort_by_key(|s| order::phase(&s.step));
    if dialect == Dialect::Mysql {
        // The index a kept foreign key needs: created before the drops take its last covering
        // index, dropped after the adds give it one.
        let (before, after) = mysql::cover_changes(from, to, changes, &renames);
        let first_drop = up
            .iter()
            .position(|s| order::phase(&s.step) > order::DROP_FOREIGN_KEY)
            .unwrap_or(up.len());
        up.splice(first_drop..first_drop, before);
        let first_fk = up
            .iter()
            .position(|s| order::phase(&s.step) == order::ADD_FOREIGN_KEY)
            .unwrap_or(up.len());
        up.splice(first_fk..first_fk, after);
    }
    let down = up
        .iter()
        .rev()
        .map(|s| PlannedStep {
            step: s.step.inverse(),
            lost_data: s.lost_data.clone(),
        })
        .collect();
    let risks = RiskContext::for_changes(dialect, target, changes).with_checks_of(from);
    Plan {
        dialect,
        changes: changes
            .iter()
            .map(|c| (c.clone(), classify(c, &risks)))
            .collect(),
        up,
        down,
    }
}
