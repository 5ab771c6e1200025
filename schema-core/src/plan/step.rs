//! A step is what one block of SQL does. Most steps are one typed change; two are plan-level:
//! a PostgreSQL enum change that must retype the columns using the enum, and a SQLite table
//! rebuild that stands for every change of one table that `ALTER TABLE` cannot express.

use crate::diff::Change;
use crate::model::{Enum, Table};

/// A column whose type is an enum, at the moment an enum step runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumUsage {
    pub table: String,
    pub column: String,
    /// The column is an array of the enum (`user_role[]`).
    pub array: bool,
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Change(Change),
    /// PostgreSQL: rename values, then add the new ones in place, or (when values are removed
    /// or reordered) recreate the type and retype `usages`.
    AlterEnum {
        from: Enum,
        to: Enum,
        renamed_values: Vec<(String, String)>,
        usages: Vec<EnumUsage>,
    },
    /// SQLite: create the new shape, copy the rows, drop the old table, rename, recreate the
    /// indexes. `from` is the table as it is when the step runs (after native renames).
    RebuildTable {
        from: Table,
        to: Table,
    },
}

impl Step {
    pub fn inverse(&self) -> Step {
        match self {
            Step::Change(c) => Step::Change(c.inverse()),
            Step::AlterEnum {
                from,
                to,
                renamed_values,
                usages,
            } => Step::AlterEnum {
                from: to.clone(),
                to: from.clone(),
                renamed_values: renamed_values
                    .iter()
                    .map(|(a, b)| (b.clone(), a.clone()))
                    .collect(),
                usages: usages.clone(),
            },
            Step::RebuildTable { from, to } => Step::RebuildTable {
                from: to.clone(),
                to: from.clone(),
            },
        }
    }
}

/// A step in its place in the plan, with what it loses that the reverse step cannot restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    /// Sentences for the down file: data the up step destroys for good.
    pub lost_data: Vec<String>,
}
