//! Dependency order of the up direction. Drops run first (foreign keys, then the constraints
//! and indexes, then tables, then columns), then renames, then enums, tables, columns,
//! constraints and indexes, foreign keys last, and unused enum types are dropped at the very
//! end. Every step in a phase depends only on earlier phases, so the down direction is the
//! same list reversed, each step inverted.

use super::step::Step;
use crate::diff::Change;
use crate::model::{Column, Table};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

pub(super) const DROP_FOREIGN_KEY: u8 = 0;
pub(super) const DROP_CONSTRAINT: u8 = 1;
pub(super) const DROP_TABLE: u8 = 2;
pub(super) const DROP_COLUMN: u8 = 3;
pub(super) const RENAME_TABLE: u8 = 4;
pub(super) const RENAME_COLUMN: u8 = 5;
pub(super) const RENAME_CONSTRAINT: u8 = 6;
pub(super) const ENUM: u8 = 7;
pub(super) const CREATE_TABLE: u8 = 8;
pub(super) const ADD_COLUMN: u8 = 9;
pub(super) const ALTER_COLUMN: u8 = 10;
pub(super) const ADD_CONSTRAINT: u8 = 11;
pub(super) const ADD_FOREIGN_KEY: u8 = 12;
pub(super) const DROP_ENUM: u8 = 13;

pub(super) fn phase(step: &Step) -> u8 {
    use Change::*;
    match step {
        Step::AlterEnum { .. } => ENUM,
        Step::RebuildTable { .. } => ALTER_COLUMN,
        Step::Change(c) => match c {
            DropForeignKey { .. } => DROP_FOREIGN_KEY,
            DropPrimaryKey { .. } | DropUnique { .. } | DropIndex { .. } | DropCheck { .. } => {
                DROP_CONSTRAINT
            }
            DropTable(_) => DROP_TABLE,
            DropColumn { .. } => DROP_COLUMN,
            RenameTable { .. } => RENAME_TABLE,
            RenameColumn { .. } => RENAME_COLUMN,
            RenameConstraint { .. } => RENAME_CONSTRAINT,
            CreateEnum(_) | AlterEnum { .. } => ENUM,
            CreateTable(_) => CREATE_TABLE,
            AddColumn { .. } => ADD_COLUMN,
            // Dropping only a default goes early: the old default may name an enum value
            // the enum step renames or removes.
            AlterColumn { from, to, .. }
                if to.default.is_none()
                    && from.default.is_some()
                    && Column {
                        default: None,
                        ..from.clone()
                    } == *to =>
            {
                DROP_CONSTRAINT
            }
            AlterColumn { .. } | RenameValues { .. } => ALTER_COLUMN,
            AddPrimaryKey { .. } | AddUnique { .. } | AddIndex { .. } | AddCheck { .. } => {
                ADD_CONSTRAINT
            }
            AddForeignKey { .. } => ADD_FOREIGN_KEY,
            DropEnum(_) => DROP_ENUM,
        },
    }
}

/// Indexes into `tables`, parents before the tables that reference them, otherwise in the
/// given order; a cycle is broken at its first table in that order. Linear in tables plus
/// foreign keys (Kahn's algorithm), so large schemas stay fast.
pub fn parents_first(tables: &[&Table]) -> Vec<usize> {
    let index: HashMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let mut waiting_on = vec![0usize; tables.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, t) in tables.iter().enumerate() {
        let mut parents: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter_map(|fk| index.get(fk.ref_table.as_str()).copied())
            .filter(|&p| p != i)
            .collect();
        parents.sort_unstable();
        parents.dedup();
        waiting_on[i] = parents.len();
        for p in parents {
            children[p].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..tables.len())
        .filter(|&i| waiting_on[i] == 0)
        .map(Reverse)
        .collect();
    let mut done = vec![false; tables.len()];
    let mut out = Vec::with_capacity(tables.len());
    while out.len() < tables.len() {
        let next = match ready.pop() {
            Some(Reverse(i)) if done[i] => continue,
            Some(Reverse(i)) => i,
            // Only cycles remain: take the first table still waiting.
            None => match (0..tables.len()).find(|&i| !done[i]) {
                Some(i) => i,
                None => break,
            },
        };
        done[next] = true;
        out.push(next);
        for &c in &children[next] {
            waiting_on[c] = waiting_on[c].saturating_sub(1);
            if waiting_on[c] == 0 && !done[c] {
                ready.push(Reverse(c));
            }
        }
    }
    out
}

/// `changes` with the created tables parents first and the dropped tables children first
/// (each kind keeps its positions), so every `CREATE TABLE` and `DROP TABLE` finds the tables
/// it depends on (SQLite checks inline foreign keys when a parent is dropped).
pub fn tables_in_dependency_order(changes: &[Change]) -> Vec<Change> {
    into_dependency_order(changes.to_vec())
}

/// [`tables_in_dependency_order`] in place: moves the changes, clones nothing.
pub fn into_dependency_order(mut changes: Vec<Change>) -> Vec<Change> {
    for creates in [true, false] {
        let positions: Vec<usize> = changes
            .iter()
            .enumerate()
            .filter(|(_, c)| match c {
                Change::CreateTable(_) => creates,
                Change::DropTable(_) => !creates,
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        let order = {
            let tables: Vec<&Table> = positions
                .iter()
                .filter_map(|&i| match &changes[i] {
                    Change::CreateTable(t) | Change::DropTable(t) => Some(t),
                    _ => None,
                })
                .collect();
            let mut order = parents_first(&tables);
            if !creates {
                order.reverse();
            }
            order
        };
        let mut taken: Vec<Option<Change>> = positions
            .iter()
            .map(|&i| {
                Some(std::mem::replace(
                    &mut changes[i],
                    Change::RenameTable {
                        from: String::new(),
                        to: String::new(),
                    },
                ))
            })
            .collect();
        for (slot, &pick) in positions.iter().zip(&order) {
            if let Some(c) = taken[pick].take() {
                changes[*slot] = c;
            }
        }
    }
    changes
}
