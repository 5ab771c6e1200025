//! Steps -> SQL text, one renderer per dialect.
//!
//! The text is a plain SQL file that `psql`, `sqlite3` or `mysql` can run as it is: every
//! identifier quoted, every statement ending with `;` and a newline, and a short comment before
//! each step saying what it does and its risk. Special handling is requested by directives on
//! the first lines (see docs/architecture.md):
//!
//! - `-- schema:foreign-keys=off` (SQLite) when the file rebuilds a table or drops a table
//!   that other tables reference: the runner switches foreign keys off outside the transaction
//!   and runs `PRAGMA foreign_key_check` before committing.
//! - `-- schema:no-transaction` (PostgreSQL) when the file adds an enum value and a later
//!   statement uses it (a value added in a transaction cannot be used before it commits).
//!
//! Safe forms (`CREATE INDEX CONCURRENTLY`, `NOT VALID` + `VALIDATE`) are not emitted yet.
//! They plug in without touching the diff: a plan pass that splits such steps into their own
//! steps (and files), and the PostgreSQL arms for `AddIndex` / `AddForeignKey` / `AddCheck`.

mod common;
mod mysql;
mod postgres;
pub(crate) mod postgres_enum;
pub mod quote;
mod sqlite;

use crate::dialect::Dialect;
use crate::diff::{diff, Change};
use crate::model::{RenameHints, Schema};
use crate::plan::{classify, PlannedStep, Risk, RiskLevel, Step};
use crate::types::quote_literal;
use std::collections::BTreeSet;
use std::fmt;

pub const NO_TRANSACTION: &str = "-- schema:no-transaction";
pub const FOREIGN_KEYS_OFF: &str = "-- schema:foreign-keys=off";

/// What the renderer needs to know beyond the steps.
#[derive(Clone, Debug, Default)]
pub struct RenderContext {
    /// Native enum type names of both schemas (their names are quoted as types).
    pub enum_names: BTreeSet<String>,
    /// Tables some other table references with a foreign key, in either schema.
    pub referenced_tables: BTreeSet<String>,
}

impl RenderContext {
    pub fn new(from: &Schema, to: &Schema) -> RenderContext {
        let mut ctx = RenderContext::default();
        for s in [from, to] {
            ctx.enum_names.extend(s.enums.keys().cloned());
            for t in s.tables.values() {
                for fk in &t.foreign_keys {
                    if fk.ref_table != t.name {
                        ctx.referenced_tables.insert(fk.ref_table.clone());
                    }
                }
            }
        }
        ctx
    }
}

/// A step the dialect's renderer cannot express (yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub dialect: Dialect,
    pub what: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {} for {}", self.what, self.dialect)
    }
}

impl std::error::Error for Unsupported {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The SQL statements of one step, without comments.
pub fn statements(
    step: &Step,
    dialect: Dialect,
    ctx: &RenderContext,
) -> Result<Vec<String>, Unsupported> {
    match dialect {
        Dialect::Postgres => postgres::render(step, ctx),
        Dialect::Sqlite => sqlite::render(step),
        Dialect::Mysql => mysql::render(step),
    }
}

/// What a step does and its risk, for the comment above it.
pub fn describe(step: &Step, dialect: Dialect) -> (String, Risk) {
    match step {
        Step::Change(c) => (c.summary(), classify(c, dialect)),
        Step::AlterEnum {
            from,
            to,
            renamed_values,
            ..
        } => {
            let c = Change::AlterEnum {
                from: from.clone(),
                to: to.clone(),
                renamed_values: renamed_values.clone(),
            };
            (c.summary(), classify(&c, dialect))
        }
        Step::RebuildTable {
            from,
            to,
            value_renames,
        } => {
            let mut a = Schema::empty(dialect);
            a.tables.insert(from.name.clone(), from.clone());
            let mut b = Schema::empty(dialect);
            b.tables.insert(to.name.clone(), to.clone());
            let changes = diff(&a, &b, &RenameHints::default());
            let mut parts: Vec<String> = changes.iter().map(Change::summary).collect();
            parts.extend(value_renames.iter().map(|v| {
                Change::RenameValues {
                    table: to.name.clone(),
                    column: v.column.clone(),
                    renamed: v.renamed.clone(),
                }
                .summary()
            }));
            let worst = changes
                .iter()
                .map(|c| classify(c, dialect))
                .max_by_key(|r| r.level)
                .filter(|r| r.level == RiskLevel::Destructive);
            let risk = worst.unwrap_or(Risk {
                level: RiskLevel::NeedsCare,
                reason: "copies every row while holding the write lock".into(),
            });
            (
                format!("rebuild table {} ({})", to.name, parts.join("; ")),
                risk,
            )
        }
    }
}

/// The whole file for `steps`.
pub fn render(
    steps: &[PlannedStep],
    dialect: Dialect,
    ctx: &RenderContext,
    direction: Direction,
) -> Result<String, Unsupported> {
    let mut out = String::new();
    for directive in directives(steps, dialect, ctx) {
        out.push_str(directive);
        out.push('\n');
    }
    let lost: Vec<&String> = steps.iter().flat_map(|s| &s.lost_data).collect();
    if direction == Direction::Down && !lost.is_empty() {
        out.push_str("-- This down migration restores the schema but cannot restore all data:\n");
        for l in &lost {
            out.push_str(&format!("--   {l}\n"));
        }
    }
    for s in steps {
        let sql = statements(&s.step, dialect, ctx)?;
        let (summary, risk) = describe(&s.step, dialect);
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("-- {summary} ({})\n", risk.level.as_str()));
        if risk.level != RiskLevel::Safe {
            out.push_str(&format!("--   {}\n", risk.reason));
        }
        if direction == Direction::Down {
            for l in &s.lost_data {
                out.push_str(&format!("--   data not restored: {l}\n"));
            }
        }
        if matches!(s.step, Step::RebuildTable { .. }) {
            out.push_str("--   triggers and views on this table are not part of the schema model: recreate hand-written ones after this step\n");
        }
        for stmt in sql {
            out.push_str(&stmt);
            out.push('\n');
        }
    }
    Ok(out)
}

fn directives(steps: &[PlannedStep], dialect: Dialect, ctx: &RenderContext) -> Vec<&'static str> {
    let mut out = Vec::new();
    match dialect {
        Dialect::Sqlite => {
            let needs_fk_off = steps.iter().any(|s| match &s.step {
                Step::RebuildTable { .. } => true,
                Step::Change(Change::DropTable(t)) => ctx.referenced_tables.contains(&t.name),
                _ => false,
            });
            if needs_fk_off {
                out.push(FOREIGN_KEYS_OFF);
            }
        }
        Dialect::Postgres => {
            if uses_value_added_earlier(steps) {
                out.push(NO_TRANSACTION);
            }
        }
        Dialect::Mysql => {}
    }
    out
}

/// An enum step adds a value and a later step sets a default to it.
fn uses_value_added_earlier(steps: &[PlannedStep]) -> bool {
    steps.iter().enumerate().any(|(i, s)| {
        let Step::AlterEnum {
            from,
            to,
            renamed_values,
            ..
        } = &s.step
        else {
            return false;
        };
        if postgres_enum::strategy(from, to, renamed_values)
            != postgres_enum::EnumStrategy::AddInPlace
        {
            return false;
        }
        let added: Vec<String> = to
            .values
            .iter()
            .filter(|v| !from.values.contains(v))
            .map(|v| quote_literal(v))
            .collect();
        steps[i + 1..]
            .iter()
            .flat_map(|later| defaults_set(&later.step))
            .any(|d| added.contains(&d))
    })
}

fn defaults_set(step: &Step) -> Vec<String> {
    match step {
        Step::Change(Change::CreateTable(t)) => {
            t.columns.iter().filter_map(|c| c.default.clone()).collect()
        }
        Step::Change(Change::AddColumn { column, .. }) => column.default.iter().cloned().collect(),
        Step::Change(Change::AlterColumn { to, .. }) => to.default.iter().cloned().collect(),
        Step::AlterEnum { usages, .. } => usages.iter().filter_map(|u| u.default.clone()).collect(),
        _ => Vec::new(),
    }
}
