//! Schema x Schema -> typed changes.
//!
//! Tables and columns are paired by name, or through an explicit rename hint
//! (`renamed_from`); a rename is never guessed, so a column that disappears without a hint is
//! a drop. Constraints and indexes are paired by name; an unpaired old one and an unpaired new
//! one with the same definition (after table and column renames) are a rename, which is what
//! keeps `users_pkey` from being dropped and re-added when `users` becomes `accounts`. A
//! column rename carries the checks and partial-index predicates that name the column along
//! (the database rewrites them the same way). Enum value renames come from
//! `RenameHints::enum_values` only: PostgreSQL gets them in [`Change::AlterEnum`], SQLite as
//! [`Change::RenameValues`] on the columns whose check lists the values.
//!
//! The output order is deterministic (enums, then tables by name) but it is not an execution
//! order: [`crate::plan`] orders the changes for a dialect.

mod change;
mod columns;
mod constraints;
mod enums;
mod tables;
mod values;

pub use change::{column_delta, removed_enum_values, Change, ConstraintKind};
pub(crate) use values::enum_type_values;

use crate::model::{RenameHints, Schema};

/// The changes that turn `from` into `to`. Renames come only from `hints`.
pub fn diff(from: &Schema, to: &Schema, hints: &RenameHints) -> Vec<Change> {
    let mut changes = enums::diff_enums(from, to, hints);
    changes.extend(tables::diff_tables(from, to, hints));
    changes
}
