//! The risk classifier: one verdict per typed change (never SQL text), for a dialect and a
//! [`Target`] (PostgreSQL major version). Each verdict carries the level, the hazards with the
//! reason in words, the lock taken, the safe alternative, and, when `generate` must not write
//! the change without an acknowledgement, the words to acknowledge it with.
//!
//! Objects created in the same migration (a new table with its keys, indexes, foreign keys
//! and checks) are safe: the table is empty and nobody uses it yet.

mod rules;
mod types;

pub use types::{inline_enum_values, sqlite_affinity, type_change, TypeChange};

use super::target::Target;
use crate::dialect::Dialect;
use crate::diff::Change;
use crate::model::Schema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Safe,
    NeedsCare,
    Destructive,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Safe => "safe",
            RiskLevel::NeedsCare => "needs care",
            RiskLevel::Destructive => "destructive",
        }
    }
}

/// Why a change is risky (the classes of the migration-safety catalog).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Data is deleted or silently changed.
    DataLoss,
    /// A lock blocks reads or writes for as long as the statement (or a scan) runs.
    Lock,
    /// The statement fails when existing rows do not satisfy it.
    FailsOnExistingData,
    /// The application version still running during the deploy breaks.
    BreaksOldApp,
    /// The statement cannot run (or its effect cannot be used) inside a transaction.
    Transaction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub level: RiskLevel,
    /// Why, in words: the hazards, the lock and how long it is held.
    pub reason: String,
    pub hazards: Vec<Hazard>,
    /// The strongest table lock the plain statement takes (`ACCESS EXCLUSIVE`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<&'static str>,
    /// What to do instead (or what the generated safe form does), in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safe_alternative: Option<String>,
    /// `generate` refuses the change until acknowledged with `--accept "<this>"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
}

impl Risk {
    pub(crate) fn new(level: RiskLevel, reason: impl Into<String>) -> Risk {
        Risk {
            level,
            reason: reason.into(),
            hazards: Vec::new(),
            lock: None,
            safe_alternative: None,
            accept: None,
        }
    }

    pub(crate) fn safe(reason: impl Into<String>) -> Risk {
        Risk::new(RiskLevel::Safe, reason)
    }

    pub(crate) fn hazards(mut self, hazards: &[Hazard]) -> Risk {
        self.hazards.extend_from_slice(hazards);
        self.hazards.sort();
        self.hazards.dedup();
        self
    }

    pub(crate) fn lock(mut self, lock: &'static str) -> Risk {
        self.lock = Some(lock);
        self
    }

    pub(crate) fn instead(mut self, alternative: impl Into<String>) -> Risk {
        self.safe_alternative = Some(alternative.into());
        self
    }

    /// `generate` refuses it until acknowledged.
    pub(crate) fn needs_accept(mut self, change: &Change) -> Risk {
        self.accept = Some(change.accept_key());
        self
    }

    pub fn requires_accept(&self) -> bool {
        self.accept.is_some()
    }
}

/// Everything the classifier looks at besides the change itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RiskContext {
    pub dialect: Dialect,
    pub target: Target,
    /// Tables created in this migration: everything added to them is safe.
    pub new_tables: BTreeSet<String>,
    /// Checks this migration drops, by (table, name): their expressions, so a check dropped
    /// and added again under its name (SQLite's enum `IN (...)` check) is judged as a change.
    pub dropped_checks: BTreeMap<(String, String), String>,
    /// (table, column) pairs a check constraint of the table reads, before the migration:
    /// changing such a column's type re-validates the check with a scan under the lock.
    pub checked_columns: BTreeSet<(String, String)>,
    /// Values this migration renames in place, by table (`(old, new)`, SQLite's enum checks):
    /// a check that loses a renamed value loses no row's value.
    pub renamed_values: BTreeMap<String, Vec<(String, String)>>,
}

impl RiskContext {
    pub fn new(dialect: Dialect, target: Target) -> RiskContext {
        RiskContext {
            dialect,
            target,
            new_tables: BTreeSet::new(),
            dropped_checks: BTreeMap::new(),
            checked_columns: BTreeSet::new(),
            renamed_values: BTreeMap::new(),
        }
    }

    /// Adds the columns the checks of `schema`'s tables read.
    pub fn with_checks_of(mut self, schema: &Schema) -> RiskContext {
        self.checked_columns.extend(checked_columns(schema));
        self
    }

    /// The context of a migration made of `changes` (its new tables).
    pub fn for_changes<'a, I>(dialect: Dialect, target: Target, changes: I) -> RiskContext
    where
        I: IntoIterator<Item = &'a Change>,
        I::IntoIter: Clone,
    {
        let changes = changes.into_iter();
        RiskContext {
            new_tables: changes
                .clone()
                .filter_map(|c| match c {
                    Change::CreateTable(t) => Some(t.name.clone()),
                    _ => None,
                })
                .collect(),
            dropped_checks: changes
                .clone()
                .filter_map(|c| match c {
                    Change::DropCheck { table, check } => {
                        Some(((table.clone(), check.name.clone()), check.expr.clone()))
                    }
                    _ => None,
                })
                .collect(),
            renamed_values: changes.fold(BTreeMap::new(), |mut map, c| {
                if let Change::RenameValues { table, renamed, .. } = c {
                    map.entry(table.clone())
                        .or_insert_with(Vec::new)
                        .extend(renamed.iter().cloned());
                }
                map
            }),
            ..RiskContext::new(dialect, target)
        }
    }

    pub(crate) fn is_new(&self, table: &str) -> bool {
        self.new_tables.contains(table)
    }

    pub(crate) fn pg(&self) -> bool {
        self.dialect == Dialect::Postgres
    }
}

/// (table, column) pairs the check constraints of `schema`'s tables read.
pub fn checked_columns(schema: &Schema) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for t in schema.tables.values() {
        for c in &t.checks {
            let seen = std::cell::RefCell::new(Vec::new());
            crate::sql_expr::rename_columns(
                &c.expr,
                |name| {
                    seen.borrow_mut().push(name.to_string());
                    None
                },
                schema.dialect,
            );
            out.extend(seen.into_inner().into_iter().map(|c| (t.name.clone(), c)));
        }
    }
    out
}

/// The verdict for one change.
pub fn classify(change: &Change, ctx: &RiskContext) -> Risk {
    rules::classify(change, ctx)
}
