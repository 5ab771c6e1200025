//! What the migrator tells its caller: status, plans, results, problems. All serializable, so
//! `cargo schema ... --format json` prints these values as they are.

use super::rollback_check::DataCheck;
use serde::Serialize;
use std::fmt;

/// Whether a run goes up (migrate) or down (rollback).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// A row of the history table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedMigration {
    pub version: i64,
    pub name: String,
    /// SHA-256 of the normalized up file, hexadecimal (see `schema_core::migrations::Checksum`).
    pub checksum: String,
    /// When it finished (UTC, as the database formats it).
    pub applied_at: Option<String>,
    pub execution_ms: i64,
    /// `false`: a `-- schema:no-transaction` (or MySQL) migration that started and did not
    /// finish; the next run resumes it.
    pub complete: bool,
    /// For an unfinished migration: how many statements already ran.
    pub statements_done: i64,
    /// For an unfinished migration: checksum of the statements already run, so a fixed file
    /// resumes where it stopped when those statements did not change.
    pub progress_checksum: Option<String>,
}

/// A disagreement between the history table and the migrations that makes the migrator refuse
/// to apply anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// An applied migration whose up file changed since.
    Changed {
        version: i64,
        file: String,
        recorded: String,
        current: String,
    },
    /// An applied migration that this binary or folder does not have.
    Missing { version: i64, name: String },
    /// A migration not yet applied, numbered below the highest applied one.
    OutOfOrder {
        version: i64,
        file: String,
        highest_applied: i64,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Changed { version, file, recorded, current } => write!(
                f,
                "migration {version} (`{file}`) was applied but the file changed since (recorded checksum {}…, file {}…): restore the applied content (e.g. from version control) and put the change in a new migration",
                &recorded[..recorded.len().min(12)],
                &current[..current.len().min(12)]
            ),
            Problem::Missing { version, name } => write!(
                f,
                "migration {version} `{name}` is applied in the database but missing from the migrations: restore its files, or deploy the build that contains it"
            ),
            Problem::OutOfOrder { version, file, highest_applied } => write!(
                f,
                "migration {version} (`{file}`) is new but numbered below migration {highest_applied}, which is already applied: renumber it above {highest_applied} (rename both its files) so it runs after it"
            ),
        }
    }
}

/// The state of one migration in a [`StatusReport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationState {
    Applied,
    Pending,
    /// Applied, and the file changed since.
    Changed,
    /// Started outside a transaction and not finished; the next run resumes it.
    Incomplete,
    /// Applied, and no longer among the migrations.
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MigrationStatus {
    pub version: i64,
    pub name: String,
    pub state: MigrationState,
    pub applied_at: Option<String>,
    pub execution_ms: Option<i64>,
}

/// Applied, pending, changed and missing migrations of one database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// The highest completely applied version.
    pub current_version: Option<i64>,
    /// Every migration known to the migrator or the database, by version.
    pub migrations: Vec<MigrationStatus>,
    /// What would make `run` refuse.
    pub problems: Vec<Problem>,
}

impl StatusReport {
    /// Nothing pending or unfinished, and no problems.
    pub fn is_up_to_date(&self) -> bool {
        self.problems.is_empty()
            && self
                .migrations
                .iter()
                .all(|m| m.state == MigrationState::Applied)
    }

    pub fn with_state(&self, state: MigrationState) -> impl Iterator<Item = &MigrationStatus> {
        self.migrations.iter().filter(move |m| m.state == state)
    }
}

/// What a run would do, computed by the same code that does it (for `--dry-run`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub direction: Direction,
    pub migrations: Vec<PlannedMigration>,
    /// A rollback's data checks (see `rollback_check`), run on the live database: what each
    /// down statement would delete or cannot put back. The rollback is refused when one of
    /// them [`refuses`](DataCheck::refuses). Empty for migrate.
    pub checks: Vec<DataCheck>,
}

impl Plan {
    /// Whether the run would be refused by its data checks.
    pub fn refused(&self) -> bool {
        self.checks.iter().any(DataCheck::refuses)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedMigration {
    pub version: i64,
    pub name: String,
    /// The file that runs (the up file for migrate, the down file for rollback).
    pub file: String,
    /// `false` for `-- schema:no-transaction` files and on MySQL (DDL commits implicitly).
    pub transactional: bool,
    /// The statements that will run, in order (an unfinished migration resumes after the
    /// statements already done).
    pub statements: Vec<String>,
    /// For each statement, the comment lines the file has just before it (the risk and data
    /// loss notes `generate` writes), one string, empty when there are none.
    pub comments: Vec<String>,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub direction: Direction,
    pub migrations: Vec<Applied>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub file: String,
    pub execution_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--format json` prints these values as they are: their field names are an interface.
    #[test]
    fn json_form_is_stable() {
        let report = StatusReport {
            current_version: Some(1),
            migrations: vec![MigrationStatus {
                version: 1,
                name: "init".into(),
                state: MigrationState::Changed,
                applied_at: Some("2026-01-01T00:00:00.000Z".into()),
                execution_ms: Some(3),
            }],
            problems: vec![Problem::OutOfOrder {
                version: 2,
                file: "0002_x.up.sql".into(),
                highest_applied: 3,
            }],
        };
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(
            json,
            r#"{"current_version":1,"migrations":[{"version":1,"name":"init","state":"changed","applied_at":"2026-01-01T00:00:00.000Z","execution_ms":3}],"problems":[{"kind":"out_of_order","version":2,"file":"0002_x.up.sql","highest_applied":3}]}"#
        );
        let plan = Plan {
            direction: Direction::Down,
            migrations: vec![PlannedMigration {
                version: 1,
                name: "init".into(),
                file: "0001_init.down.sql".into(),
                transactional: true,
                statements: vec!["DROP TABLE a".into()],
                comments: vec!["-- drop table a (destructive)".into()],
            }],
            checks: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&plan).unwrap(),
            r#"{"direction":"down","migrations":[{"version":1,"name":"init","file":"0001_init.down.sql","transactional":true,"statements":["DROP TABLE a"],"comments":["-- drop table a (destructive)"]}],"checks":[]}"#
        );
    }
}
