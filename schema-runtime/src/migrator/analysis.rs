//! Pure decisions: given the migrations and the history rows, what is the status, what is
//! refused, and what runs. The runner, `status` and `--dry-run` all call these, so a dry run
//! shows exactly what a run does.

use super::report::{
    AppliedMigration, Direction, MigrationState, MigrationStatus, Plan, PlannedMigration, Problem,
    StatusReport,
};
use super::{MigrateError, RollbackTarget};
use schema_core::migrations::{Checksum, Migration, Script, Statement};
use schema_core::Dialect;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// The highest completely applied version.
pub(crate) fn current_version(applied: &[AppliedMigration]) -> Option<i64> {
    applied
        .iter()
        .filter(|a| a.complete)
        .map(|a| a.version)
        .max()
}

/// The resolver sorts migrations by version: a binary search keeps the checks below
/// O(M log M) for M migrations (a miss, rare, looks again linearly in case they are not).
fn find(migrations: &[Migration], version: i64) -> Option<&Migration> {
    match migrations.binary_search_by_key(&version, |m| m.version) {
        Ok(index) => Some(&migrations[index]),
        Err(_) => migrations.iter().find(|m| m.version == version),
    }
}

pub(crate) fn problems(migrations: &[Migration], applied: &[AppliedMigration]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for row in applied {
        match find(migrations, row.version) {
            None => problems.push(Problem::Missing {
                version: row.version,
                name: row.name.clone(),
            }),
            Some(m) if row.complete && !m.up.checksum.is_hex(&row.checksum) => {
                problems.push(Problem::Changed {
                    version: row.version,
                    file: m.up.file.to_string(),
                    recorded: row.checksum.clone(),
                    current: m.up.checksum.to_hex(),
                })
            }
            Some(_) => {}
        }
    }
    if let Some(highest) = applied.iter().map(|a| a.version).max() {
        let recorded: HashSet<i64> = applied.iter().map(|a| a.version).collect();
        for m in migrations {
            if !recorded.contains(&m.version) && m.version < highest {
                problems.push(Problem::OutOfOrder {
                    version: m.version,
                    file: m.up.file.to_string(),
                    highest_applied: highest,
                });
            }
        }
    }
    problems
}

pub(crate) fn status(migrations: &[Migration], applied: &[AppliedMigration]) -> StatusReport {
    let mut by_version: BTreeMap<i64, MigrationStatus> = BTreeMap::new();
    for m in migrations {
        by_version.insert(
            m.version,
            MigrationStatus {
                version: m.version,
                name: m.name.to_string(),
                state: MigrationState::Pending,
                applied_at: None,
                execution_ms: None,
            },
        );
    }
    for row in applied {
        let state = match find(migrations, row.version) {
            None => MigrationState::Missing,
            Some(_) if !row.complete => MigrationState::Incomplete,
            Some(m) if !m.up.checksum.is_hex(&row.checksum) => MigrationState::Changed,
            Some(_) => MigrationState::Applied,
        };
        by_version.insert(
            row.version,
            MigrationStatus {
                version: row.version,
                name: row.name.clone(),
                state,
                applied_at: row.applied_at.clone(),
                execution_ms: row.complete.then_some(row.execution_ms),
            },
        );
    }
    StatusReport {
        current_version: current_version(applied),
        migrations: by_version.into_values().collect(),
        problems: problems(migrations, applied),
    }
}

/// The migrations `run`/`run_to` applies, in order; refuses on any [`Problem`].
pub(crate) fn to_apply<'m>(
    migrations: &'m [Migration],
    applied: &[AppliedMigration],
    target: Option<i64>,
) -> Result<Vec<&'m Migration>, MigrateError> {
    let problems = problems(migrations, applied);
    if !problems.is_empty() {
        return Err(MigrateError::Refused(problems));
    }
    if let Some(target) = target {
        if target != 0 && find(migrations, target).is_none() {
            return Err(MigrateError::UnknownVersion { version: target });
        }
        if let Some(current) = current_version(applied).filter(|&c| c > target) {
            return Err(MigrateError::TargetBelowCurrent { target, current });
        }
    }
    let complete: HashSet<i64> = applied
        .iter()
        .filter(|a| a.complete)
        .map(|a| a.version)
        .collect();
    Ok(migrations
        .iter()
        .filter(|m| target.is_none_or(|t| m.version <= t))
        .filter(|m| !complete.contains(&m.version))
        .collect())
}

/// The migrations a rollback undoes, newest first; refuses when one of them changed, is
/// missing, or is unfinished.
pub(crate) fn to_roll_back<'m>(
    migrations: &'m [Migration],
    applied: &[AppliedMigration],
    target: RollbackTarget,
) -> Result<Vec<&'m Migration>, MigrateError> {
    let mut rows: Vec<&AppliedMigration> = applied.iter().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.version));
    let rows: Vec<&AppliedMigration> = match target {
        RollbackTarget::To(version) => {
            let known = version == 0
                || find(migrations, version).is_some()
                || applied.iter().any(|a| a.version == version);
            if !known {
                return Err(MigrateError::UnknownVersion { version });
            }
            rows.into_iter().filter(|r| r.version > version).collect()
        }
        RollbackTarget::Steps(steps) => rows.into_iter().take(steps).collect(),
    };
    let mut problems = Vec::new();
    let mut undo = Vec::new();
    for row in rows {
        if !row.complete {
            return Err(MigrateError::Incomplete {
                version: row.version,
                name: row.name.clone(),
            });
        }
        match find(migrations, row.version) {
            None => problems.push(Problem::Missing {
                version: row.version,
                name: row.name.clone(),
            }),
            Some(m) if !m.up.checksum.is_hex(&row.checksum) => problems.push(Problem::Changed {
                version: row.version,
                file: m.up.file.to_string(),
                recorded: row.checksum.clone(),
                current: m.up.checksum.to_hex(),
            }),
            Some(m) => undo.push(m),
        }
    }
    if problems.is_empty() {
        Ok(undo)
    } else {
        Err(MigrateError::Refused(problems))
    }
}

/// The checksum of the statements an unfinished migration already ran.
pub(crate) fn progress_checksum(statements: &[Statement<'_>]) -> String {
    let joined: Vec<&str> = statements.iter().map(|s| s.sql).collect();
    Checksum::of_normalized(&joined.join("\n;\n")).to_hex()
}

/// Where an unfinished migration resumes: after the statements already run if the file is
/// unchanged or those statements are, otherwise from the start.
pub(crate) fn resume_at(
    migration: &Migration,
    row: Option<&AppliedMigration>,
    statements: &[Statement<'_>],
) -> usize {
    let Some(row) = row.filter(|r| !r.complete) else {
        return 0;
    };
    let done = usize::try_from(row.statements_done)
        .unwrap_or(0)
        .min(statements.len());
    let same_file = row.checksum == migration.up.checksum.to_hex();
    let same_prefix =
        row.progress_checksum.as_deref() == Some(progress_checksum(&statements[..done]).as_str());
    if same_file || same_prefix {
        done
    } else {
        0
    }
}

/// Whether a file runs inside a transaction on this dialect.
pub(crate) fn transactional(dialect: Dialect, sql_directives_no_tx: bool) -> bool {
    !sql_directives_no_tx && dialect != Dialect::Mysql
}

/// Each migration with the script it runs in `direction`. A folder's down files are read here,
/// when a rollback (or its plan) needs them: their current text, and every unreadable or
/// invalid one reported before anything is undone.
pub(crate) fn with_scripts(
    migrations: Vec<&Migration>,
    direction: Direction,
) -> Result<Vec<(&Migration, Cow<'_, Script>)>, MigrateError> {
    let mut scripts = Vec::with_capacity(migrations.len());
    let mut errors = Vec::new();
    for m in migrations {
        let script = match direction {
            Direction::Up => Ok(Cow::Borrowed(&m.up)),
            Direction::Down => m.down.load(),
        };
        match script {
            Ok(script) => scripts.push((m, script)),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(scripts)
    } else {
        Err(MigrateError::Resolve(errors))
    }
}

pub(crate) fn plan(
    dialect: Dialect,
    direction: Direction,
    migrations: &[(&Migration, Cow<'_, Script>)],
    applied: &[AppliedMigration],
) -> Plan {
    let planned = migrations
        .iter()
        .map(|(m, script)| {
            let statements = script.statements(dialect);
            let no_tx = script
                .directives()
                .map(|d| d.no_transaction)
                .unwrap_or(false);
            let skip = match direction {
                Direction::Up => resume_at(
                    m,
                    applied.iter().find(|a| a.version == m.version),
                    &statements,
                ),
                Direction::Down => 0,
            };
            PlannedMigration {
                version: m.version,
                name: m.name.to_string(),
                file: script.file.to_string(),
                transactional: transactional(dialect, no_tx),
                statements: statements[skip..]
                    .iter()
                    .map(|s| s.sql.to_string())
                    .collect(),
                comments: comments_before(&script.sql, &statements)[skip..].to_vec(),
            }
        })
        .collect();
    Plan {
        direction,
        migrations: planned,
        checks: Vec::new(),
    }
}

/// For each statement of `sql`, the comment lines between it and the statement before it
/// (directives left out), one string.
fn comments_before(sql: &str, statements: &[Statement<'_>]) -> Vec<String> {
    let base = sql.as_ptr() as usize;
    let mut previous_end = 0;
    statements
        .iter()
        .map(|statement| {
            let start = (statement.sql.as_ptr() as usize)
                .saturating_sub(base)
                .min(sql.len());
            let between = sql.get(previous_end..start).unwrap_or("");
            previous_end = (start + statement.sql.len()).min(sql.len());
            between
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("--") && !l.starts_with("-- schema:"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::migrations::{resolve_files, SourceFile};

    fn migrations(specs: &[(i64, &str)]) -> Vec<Migration> {
        let files = specs
            .iter()
            .flat_map(|(v, sql)| {
                [
                    SourceFile {
                        name: format!("{v:04}_m{v}.up.sql"),
                        content: sql.to_string(),
                    },
                    SourceFile {
                        name: format!("{v:04}_m{v}.down.sql"),
                        content: format!("DROP TABLE t{v};"),
                    },
                ]
            })
            .collect();
        resolve_files(files).unwrap()
    }

    fn row(m: &Migration) -> AppliedMigration {
        AppliedMigration {
            version: m.version,
            name: m.name.to_string(),
            checksum: m.up.checksum.to_hex(),
            applied_at: None,
            execution_ms: 1,
            complete: true,
            statements_done: 1,
            progress_checksum: None,
        }
    }

    #[test]
    fn pending_migrations_apply_in_order_up_to_the_target() {
        let ms = migrations(&[(1, "A;"), (2, "B;"), (3, "C;")]);
        let applied = vec![row(&ms[0])];
        let all: Vec<i64> = to_apply(&ms, &applied, None)
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(all, vec![2, 3]);
        let to2: Vec<i64> = to_apply(&ms, &applied, Some(2))
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(to2, vec![2]);
        assert!(matches!(
            to_apply(&ms, &applied, Some(9)),
            Err(MigrateError::UnknownVersion { version: 9 })
        ));
        let applied = vec![row(&ms[0]), row(&ms[1])];
        assert!(matches!(
            to_apply(&ms, &applied, Some(1)),
            Err(MigrateError::TargetBelowCurrent {
                target: 1,
                current: 2
            })
        ));
    }

    #[test]
    fn changed_missing_and_out_of_order_are_refused_together() {
        let ms = migrations(&[(1, "A;"), (2, "B;"), (3, "C;")]);
        let mut changed = row(&ms[0]);
        changed.checksum = Checksum::of("other").to_hex();
        let mut missing = row(&ms[2]);
        missing.version = 7;
        let applied = vec![changed, row(&ms[2]), missing];
        let Err(MigrateError::Refused(problems)) = to_apply(&ms, &applied, None) else {
            panic!("expected a refusal");
        };
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(matches!(problems[0], Problem::Changed { version: 1, .. }));
        assert!(matches!(problems[1], Problem::Missing { version: 7, .. }));
        assert!(matches!(
            problems[2],
            Problem::OutOfOrder {
                version: 2,
                highest_applied: 7,
                ..
            }
        ));
    }

    #[test]
    fn rollback_undoes_newest_first() {
        let ms = migrations(&[(1, "A;"), (2, "B;"), (3, "C;")]);
        let applied: Vec<_> = ms.iter().map(row).collect();
        let to1: Vec<i64> = to_roll_back(&ms, &applied, RollbackTarget::To(1))
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(to1, vec![3, 2]);
        let one: Vec<i64> = to_roll_back(&ms, &applied, RollbackTarget::Steps(1))
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(one, vec![3]);
        assert_eq!(
            to_roll_back(&ms, &applied, RollbackTarget::To(0))
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn unfinished_migrations_resume_when_their_done_part_is_unchanged() {
        let ms = migrations(&[(1, "A; B; C;")]);
        let statements = ms[0].up.statements(Dialect::Postgres);
        let mut unfinished = row(&ms[0]);
        unfinished.complete = false;
        unfinished.statements_done = 2;
        assert_eq!(resume_at(&ms[0], Some(&unfinished), &statements), 2);
        // The file was fixed after the second statement failed: the first two are unchanged.
        let fixed = migrations(&[(1, "A; B; D;")]);
        let fixed_statements = fixed[0].up.statements(Dialect::Postgres);
        unfinished.progress_checksum = Some(progress_checksum(&statements[..2]));
        assert_eq!(
            resume_at(&fixed[0], Some(&unfinished), &fixed_statements),
            2
        );
        let rewritten = migrations(&[(1, "X; B; C;")]);
        let rewritten_statements = rewritten[0].up.statements(Dialect::Postgres);
        assert_eq!(
            resume_at(&rewritten[0], Some(&unfinished), &rewritten_statements),
            0
        );
    }

    #[test]
    fn status_lists_every_state() {
        let ms = migrations(&[(1, "A;"), (2, "B;"), (3, "C;")]);
        let mut unfinished = row(&ms[1]);
        unfinished.complete = false;
        let mut gone = row(&ms[0]);
        gone.version = 9;
        let report = status(&ms, &[row(&ms[0]), unfinished, gone]);
        let states: Vec<MigrationState> = report.migrations.iter().map(|m| m.state).collect();
        use MigrationState::*;
        assert_eq!(states, vec![Applied, Incomplete, Pending, Missing]);
        assert_eq!(report.current_version, Some(9));
        assert!(!report.is_up_to_date());
    }
}
