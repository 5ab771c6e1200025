//! Schema x Schema -> one migration: what changed (with risks), the up and down SQL, and a
//! slug for the file name. Writing files and refusing destructive changes is the caller's job
//! (the CLI); this only computes.

mod slug;

pub use slug::slug;

use crate::diff::{diff, Change};
use crate::model::{RenameHints, Schema};
use crate::plan::{plan_for, PlannedStep, Risk, RiskLevel, Step, Target};
use crate::render::{render, render_described, Described, Direction, RenderContext, Unsupported};
use serde::Serialize;
use std::fmt;

/// One change as the CLI reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangeReport {
    /// What changes, for people: `add column users.email text NOT NULL`.
    pub summary: String,
    pub risk: Risk,
    /// How it is carried out in this dialect: `ALTER TABLE .. ADD COLUMN`, `table rebuild`.
    pub action: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Generated {
    /// Empty: nothing to do.
    pub changes: Vec<ChangeReport>,
    /// The steps of the down migration that need an acknowledgement of their own (rolling
    /// back a widened type narrows it, rolling back an added enum value recreates the type):
    /// `generate` refuses them like [`Generated::changes`]. Where the key is one of the
    /// changes' (a rewriting type change and its rollback), one `--accept` covers both.
    pub rollback: Vec<ChangeReport>,
    pub up_sql: String,
    pub down_sql: String,
    /// From the changes: `create_users_posts`, `add_email_to_users`.
    pub slug: String,
    /// Some change is destructive: the CLI must refuse unless the user acknowledged it.
    pub destructive: bool,
}

impl Generated {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every change and rollback step that `generate` refuses without an acknowledgement.
    pub fn needing_accept(&self) -> impl Iterator<Item = &ChangeReport> {
        self.changes
            .iter()
            .chain(&self.rollback)
            .filter(|c| c.risk.accept.is_some())
    }

    /// The destructive changes, for the refusal message.
    pub fn destructive_changes(&self) -> impl Iterator<Item = &ChangeReport> {
        self.changes
            .iter()
            .filter(|c| c.risk.level == RiskLevel::Destructive)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenerateError {
    /// The snapshot and the code are for different dialects.
    DialectMismatch {
        from: crate::Dialect,
        to: crate::Dialect,
    },
    Unsupported(Unsupported),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::DialectMismatch { from, to } => write!(
                f,
                "the snapshot is for {from} but the package is configured for {to}: keep one migrations folder per dialect (`[[package.metadata.schema.target]]`)"
            ),
            GenerateError::Unsupported(u) => write!(
                f,
                "{u}: write this migration by hand with `cargo schema new <name>`"
            ),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<Unsupported> for GenerateError {
    fn from(u: Unsupported) -> Self {
        GenerateError::Unsupported(u)
    }
}

/// Diffs `from` (the committed snapshot; pass [`Schema::empty`] when there is none) against
/// `to` (the code) and renders the migration, for the default [`Target`].
pub fn generate(
    from: &Schema,
    to: &Schema,
    hints: &RenameHints,
) -> Result<Generated, GenerateError> {
    generate_for(from, to, hints, Target::default())
}

/// [`generate`] for `target` (PostgreSQL version, lock budgets).
pub fn generate_for(
    from: &Schema,
    to: &Schema,
    hints: &RenameHints,
    target: Target,
) -> Result<Generated, GenerateError> {
    if from.dialect != to.dialect && !from.is_empty() {
        return Err(GenerateError::DialectMismatch {
            from: from.dialect,
            to: to.dialect,
        });
    }
    let changes = crate::plan::into_dependency_order(diff(from, to, hints));
    let planned = plan_for(from, to, &changes, target);
    let ctx = RenderContext::new(from, to).with_target(target);
    let (up_sql, down_sql, rollback) = if changes.is_empty() {
        (String::new(), String::new(), Vec::new())
    } else {
        let (down_sql, down_steps) =
            render_described(&planned.down, to.dialect, &ctx, Direction::Down)?;
        (
            render(&planned.up, to.dialect, &ctx, Direction::Up)?,
            down_sql,
            rollback_reports(&planned.down, down_steps, to.dialect),
        )
    };
    let new_tables: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable(t) => Some(t.name.as_str()),
            _ => None,
        })
        .collect();
    let reports: Vec<ChangeReport> = planned
        .changes
        .iter()
        .map(|(c, risk)| {
            let existing = c.table().is_some_and(|t| !new_tables.contains(&t));
            ChangeReport {
                summary: c.summary(),
                risk: risk.clone(),
                action: match (to.dialect, existing) {
                    (crate::Dialect::Postgres, true) => postgres_safe_action(c, &target),
                    _ => None,
                }
                .unwrap_or_else(|| action(c, to.dialect, &planned.up)),
            }
        })
        .collect();
    Ok(Generated {
        destructive: reports
            .iter()
            .any(|r| r.risk.level == RiskLevel::Destructive),
        slug: slug(&changes),
        changes: reports,
        rollback,
        up_sql,
        down_sql,
    })
}

/// The down steps that need an acknowledgement, as the down file's comments judge them.
fn rollback_reports(
    down: &[PlannedStep],
    described: Vec<Described>,
    dialect: crate::Dialect,
) -> Vec<ChangeReport> {
    described
        .into_iter()
        .zip(down)
        .flat_map(|(d, s)| d.gates.into_iter().map(move |gate| (gate, s)))
        .map(|((summary, risk), s)| ChangeReport {
            summary,
            risk,
            action: match &s.step {
                Step::Change(c) => action(c, dialect, down),
                Step::AlterEnum {
                    from,
                    to,
                    renamed_values,
                    ..
                } => action(
                    &Change::AlterEnum {
                        from: from.clone(),
                        to: to.clone(),
                        renamed_values: renamed_values.clone(),
                    },
                    dialect,
                    down,
                ),
                Step::RebuildTable { to, .. } => format!("table rebuild of {}", to.name),
            },
        })
        .collect()
}

/// What the PostgreSQL safe form of a change to an existing table does, in a few words.
fn postgres_safe_action(c: &Change, target: &Target) -> Option<String> {
    use Change::*;
    Some(
        match c {
            AddIndex { .. } => "CREATE INDEX CONCURRENTLY, outside a transaction",
            DropIndex { .. } => "DROP INDEX CONCURRENTLY, outside a transaction",
            AddUnique { .. } => {
                "unique index built CONCURRENTLY, then ADD CONSTRAINT .. UNIQUE USING INDEX"
            }
            AddPrimaryKey { .. } => {
                "unique index built CONCURRENTLY, then ADD PRIMARY KEY USING INDEX"
            }
            AddForeignKey { .. } | AddCheck { .. } => {
                "ADD CONSTRAINT .. NOT VALID, then VALIDATE CONSTRAINT in its own transaction"
            }
            AlterColumn { from, to, .. }
                if from.nullable && !to.nullable && target.not_null_not_valid() =>
            {
                "ADD CONSTRAINT .. NOT NULL .. NOT VALID, then VALIDATE CONSTRAINT (no scan under a write lock)"
            }
            AlterColumn { from, to, .. }
                if from.nullable && !to.nullable && target.check_proves_not_null() =>
            {
                "CHECK (.. IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL without a scan"
            }
            _ => return None,
        }
        .to_string(),
    )
}

/// How a change is carried out, in a few words.
fn action(c: &Change, dialect: crate::Dialect, up: &[crate::plan::PlannedStep]) -> String {
    if dialect == crate::Dialect::Sqlite {
        if let Some(t) = c.table() {
            let rebuilt = up
                .iter()
                .any(|s| matches!(&s.step, Step::RebuildTable { to, .. } if to.name == t));
            let native = matches!(
                c,
                Change::CreateTable(_)
                    | Change::DropTable(_)
                    | Change::RenameTable { .. }
                    | Change::RenameColumn { .. }
            );
            if rebuilt && !native {
                return format!("table rebuild of {t}");
            }
            if let Change::RenameConstraint { kind, .. } = c {
                return if *kind == crate::diff::ConstraintKind::Index {
                    "DROP INDEX + CREATE INDEX".into()
                } else {
                    "nothing to run (SQLite does not store this name)".into()
                };
            }
        }
    }
    use Change::*;
    match c {
        CreateEnum(_) => "CREATE TYPE",
        DropEnum(_) => "DROP TYPE",
        AlterEnum {
            from,
            to,
            renamed_values,
        } => {
            use crate::render::postgres_enum::{strategy, EnumStrategy};
            return match strategy(from, to, renamed_values) {
                EnumStrategy::RenameOnly => "ALTER TYPE .. RENAME VALUE",
                EnumStrategy::AddInPlace => "ALTER TYPE .. ADD VALUE",
                EnumStrategy::Recreate => "new type, columns retyped, old type dropped",
            }
            .into();
        }
        CreateTable(_) => "CREATE TABLE",
        DropTable(_) => "DROP TABLE",
        RenameTable { .. } => "ALTER TABLE .. RENAME TO",
        AddColumn { .. } => "ALTER TABLE .. ADD COLUMN",
        DropColumn { .. } => "ALTER TABLE .. DROP COLUMN",
        RenameColumn { .. } => "ALTER TABLE .. RENAME COLUMN",
        AlterColumn { .. } => "ALTER TABLE .. ALTER COLUMN",
        AddIndex { .. } => "CREATE INDEX",
        DropIndex { .. } => "DROP INDEX",
        AddPrimaryKey { .. } | AddUnique { .. } | AddForeignKey { .. } | AddCheck { .. } => {
            "ALTER TABLE .. ADD CONSTRAINT"
        }
        DropPrimaryKey { .. } | DropUnique { .. } | DropForeignKey { .. } | DropCheck { .. } => {
            "ALTER TABLE .. DROP CONSTRAINT"
        }
        RenameConstraint { .. } => "RENAME",
        RenameValues { .. } => "UPDATE .. SET (renamed values)",
    }
    .to_string()
}
