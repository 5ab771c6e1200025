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

// A migration holds a handful of steps: boxing the large variant would only add noise.
#[allow(clippy::large_enum_variant)]
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
    /// indexes. `from` is the table as it is when the step runs (after native renames);
    /// `value_renames` maps renamed enum values while copying.
    RebuildTable {
        from: Table,
        to: Table,
        value_renames: Vec<ValueRenames>,
    },
}

/// Values of one column renamed while a rebuild copies it: `(old, new)` pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueRenames {
    pub column: String,
    pub renamed: Vec<(String, String)>,
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
            Step::RebuildTable {
                from,
                to,
                value_renames,
            } => Step::RebuildTable {
                from: to.clone(),
                to: from.clone(),
                value_renames: value_renames
                    .iter()
                    .map(|v| ValueRenames {
                        column: v.column.clone(),
                        renamed: v
                            .renamed
                            .iter()
                            .map(|(a, b)| (b.clone(), a.clone()))
                            .collect(),
                    })
                    .collect(),
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
