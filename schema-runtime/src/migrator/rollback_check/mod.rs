//! The rollback gate: before any down statement runs, the down files are read into typed
//! operations (`schema_core::migrations::analyze`) and every operation that can lose data or
//! fail on the data is counted on the live database, with real queries:
//!
//! - **data loss** (refused unless acknowledged with the key `generate` uses): a dropped table
//!   that holds rows (`drop table t`), a dropped column that holds values (`drop column t.c`,
//!   also the columns a SQLite table rebuild leaves out of its copy);
//! - **the old schema cannot hold the data** (refused, whatever is acknowledged: the statement
//!   would fail half way, or truncate): values a narrowed type does not fit (an integer out of
//!   range, a string too long, an enum value the old type lacks), NULLs before `SET NOT NULL`,
//!   rows a re-added check refuses, duplicates before a re-added unique constraint; each with
//!   the count and up to five sample keys.
//!
//! A rollback of several migrations is followed through in order (newest first), so a column
//! renamed by one down file and dropped by the next is counted under its live name, and a
//! table or column the rollback itself creates holds nobody's data.

#[cfg(feature = "_db")]
mod probe;
#[cfg(feature = "_db")]
mod walk;

use serde::Serialize;
use std::fmt;

#[cfg(feature = "_db")]
pub(crate) use walk::{check_rollback, refuse_data_loss};

/// How many sample keys a finding names.
pub const SAMPLE_KEYS: usize = 5;

/// Which data loss a rollback may cause: none (the default), the changes named by their
/// `generate` keys (`"drop column users.bio"`), or any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AcceptDataLoss {
    pub all: bool,
    pub keys: Vec<String>,
}

impl AcceptDataLoss {
    pub const NONE: AcceptDataLoss = AcceptDataLoss {
        all: false,
        keys: Vec::new(),
    };

    pub fn all() -> AcceptDataLoss {
        AcceptDataLoss {
            all: true,
            keys: Vec::new(),
        }
    }

    pub fn keys<I: IntoIterator<Item = S>, S: Into<String>>(keys: I) -> AcceptDataLoss {
        AcceptDataLoss {
            all: false,
            keys: keys.into_iter().map(Into::into).collect(),
        }
    }

    pub fn accepts(&self, key: &str) -> bool {
        self.all || self.keys.iter().any(|k| k.trim() == key)
    }
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Data the rollback deletes: refused unless its key is acknowledged.
    DataLoss,
    /// Rows the old schema cannot hold: the statement would fail (or truncate). Refused; fix
    /// the rows first.
    WontFit,
}

/// One operation of a down file that meets data on the live database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataCheck {
    pub version: i64,
    pub file: String,
    /// 1-based line of the statement.
    pub line: usize,
    pub kind: CheckKind,
    /// What the statement does, in words (`drops column users.bio`).
    pub what: String,
    /// The rows it concerns, in words (`rows hold a value`).
    pub rows_are: String,
    pub rows: i64,
    /// Up to [`SAMPLE_KEYS`] primary keys (or values, for duplicates) of those rows.
    pub sample_keys: Vec<String>,
    /// For data loss: the key that acknowledges it (the words `generate` uses).
    pub accept: Option<String>,
    /// Whether the options acknowledge it (a data loss whose key was given).
    pub accepted: bool,
}

impl DataCheck {
    /// Whether this finding stops the rollback.
    pub fn refuses(&self) -> bool {
        !self.accepted
    }
}

impl fmt::Display for DataCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} line {}: {}: {} {}",
            self.file,
            self.line,
            self.what,
            self.rows,
            singular_if_one(self.rows, &self.rows_are)
        )?;
        if !self.sample_keys.is_empty() {
            let more = if self.rows > self.sample_keys.len() as i64 {
                ", ..."
            } else {
                ""
            };
            write!(f, " ({}{more})", self.sample_keys.join("; "))?;
        }
        match (&self.kind, &self.accept) {
            (CheckKind::DataLoss, Some(key)) if self.accepted => {
                write!(f, "; acknowledged as \"{key}\"")
            }
            (CheckKind::DataLoss, Some(key)) => write!(
                f,
                "; acknowledge the loss with \"{key}\" (`cargo schema rollback --accept \"{key}\"` or --allow-destructive; MigratorOptions::accept_data_loss), or keep the data elsewhere first"
            ),
            _ => write!(
                f,
                "; the old schema cannot hold them and the statement would fail part way: change or delete those rows first, or fix the down file"
            ),
        }
    }
}

/// `rows hold ...` said of one row.
fn singular_if_one(rows: i64, phrase: &str) -> String {
    if rows != 1 {
        return phrase.to_string();
    }
    for (many, one) in [
        ("rows hold ", "row holds "),
        ("rows are ", "row is "),
        ("rows violate ", "row violates "),
        ("values are held ", "value is held "),
    ] {
        if let Some(rest) = phrase.strip_prefix(many) {
            return format!("{one}{rest}");
        }
    }
    phrase.to_string()
}

/// A rollback refused before anything was undone: every finding of every down file (the
/// acknowledged ones too), so one run names all that stands in the way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RollbackRefusal {
    pub checks: Vec<DataCheck>,
}

impl RollbackRefusal {
    pub fn refusing(&self) -> impl Iterator<Item = &DataCheck> {
        self.checks.iter().filter(|c| c.refuses())
    }
}

impl fmt::Display for RollbackRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refusing = self.refusing().count();
        write!(
            f,
            "refusing to roll back, nothing was undone: {refusing} statement(s) of the down files would lose data or cannot run on the data there:"
        )?;
        for check in self.refusing() {
            write!(f, "\n  - {check}")?;
        }
        Ok(())
    }
}
