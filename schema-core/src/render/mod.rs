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
//!   It also marks every file that holds a PostgreSQL safe form ([`postgres_safe`]:
//!   `CONCURRENTLY`, `NOT VALID` + `VALIDATE`), and every file adding an enum value on
//!   PostgreSQL before 12.
//!
//! PostgreSQL files set `lock_timeout` first ([`crate::plan::Target`]): `SET LOCAL` in a
//! transactional file, a session `SET` in a `-- schema:no-transaction` file, where each
//! `CONCURRENTLY` statement gets the longer budget and the short one is set again after it.
//! MySQL files set `lock_wait_timeout` (whole seconds) the same way.
//!
//! A step whose change `generate` refuses without an acknowledgement carries the line
//! `--   requires: -- schema:accept <key>`, in the up file and in the down file alike (the
//! rollback of a safe change can rewrite a table: an added enum value, a widened type);
//! `cargo schema verify` reads it back.

mod common;
mod mysql;
mod postgres;
pub(crate) mod postgres_enum;
mod postgres_restore;
pub(crate) mod postgres_safe;
pub mod quote;
mod sqlite;

use crate::dialect::Dialect;
use crate::diff::{diff, Change};
use crate::model::{RenameHints, Schema, Table};
use crate::plan::target::timeout_literal;
use crate::plan::{classify, PlannedStep, Risk, RiskContext, RiskLevel, Step, Target};
use crate::types::quote_literal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub const NO_TRANSACTION: &str = "-- schema:no-transaction";
pub const FOREIGN_KEYS_OFF: &str = "-- schema:foreign-keys=off";
/// Before the acknowledgement key of a step `generate` refuses without one.
pub const REQUIRES_ACCEPT: &str = "--   requires: -- schema:accept ";

/// What the renderer needs to know beyond the steps.
#[derive(Clone, Debug, Default)]
pub struct RenderContext {
    /// Native enum type names of both schemas (their names are quoted as types).
    pub enum_names: BTreeSet<String>,
    /// Tables some other table references with a foreign key, in either schema.
    pub referenced_tables: BTreeSet<String>,
    /// PostgreSQL version and lock budgets.
    pub target: Target,
    /// Tables the rendered steps create (set by [`render`] from its steps): what is added to
    /// them gets the plain form, everything else on PostgreSQL the safe form.
    pub new_tables: BTreeSet<String>,
    /// The first value of each native enum (either schema): the placeholder of a restored
    /// required enum column.
    pub enum_first_values: BTreeMap<String, String>,
    /// Set by [`render`] for a down step that brings back what its up destroyed.
    pub restoring: bool,
    /// (table, column) pairs the checks of either schema read (see [`RiskContext`]).
    pub checked_columns: BTreeSet<(String, String)>,
}

impl RenderContext {
    pub fn new(from: &Schema, to: &Schema) -> RenderContext {
        let mut ctx = RenderContext::default();
        for s in [from, to] {
            ctx.checked_columns
                .extend(crate::plan::risk::checked_columns(s));
            ctx.enum_names.extend(s.enums.keys().cloned());
            for e in s.enums.values() {
                if let Some(first) = e.values.first() {
                    ctx.enum_first_values.insert(e.name.clone(), first.clone());
                }
            }
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

    pub fn with_target(mut self, target: Target) -> RenderContext {
        self.target = target;
        self
    }

    /// This context for one file of `steps`: the tables they create.
    fn for_steps(&self, steps: &[PlannedStep]) -> RenderContext {
        let mut ctx = self.clone();
        ctx.new_tables = steps
            .iter()
            .filter_map(|s| match &s.step {
                Step::Change(Change::CreateTable(t)) => Some(t.name.clone()),
                _ => None,
            })
            .collect();
        ctx
    }

    /// The classifier's view of a file of `steps`: its new tables and dropped checks.
    fn risks(&self, dialect: Dialect, steps: &[PlannedStep]) -> RiskContext {
        let changes = steps.iter().filter_map(|s| match &s.step {
            Step::Change(c) => Some(c),
            _ => None,
        });
        RiskContext {
            new_tables: self.new_tables.clone(),
            checked_columns: self.checked_columns.clone(),
            ..RiskContext::for_changes(dialect, self.target, changes)
        }
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
pub fn describe(step: &Step, risks: &RiskContext) -> (String, Risk) {
    let d = describe_in(step, risks, Direction::Up);
    (d.summary, d.risk)
}

/// A step as its comment states it.
#[derive(Clone, Debug)]
pub struct Described {
    pub summary: String,
    /// The step's verdict (for a SQLite rebuild, its worst change's).
    pub risk: Risk,
    /// Every change of the step that needs an acknowledgement, with its summary and verdict,
    /// one per key: a SQLite rebuild can carry several.
    pub gates: Vec<(String, Risk)>,
}

/// [`describe`] for a step of an up or a down file. In a down file, a step that only takes
/// back what its up step added (a table, a column, an index) or puts back what it removed needs
/// no acknowledgement of its own: the data it cannot bring back is listed in the file. A step
/// that transforms (a type changed back, an enum recreated without an added value) keeps its
/// acknowledgement: it rewrites or fails like the same change would going up, unless no column
/// uses the enum by then (nothing to rewrite or check).
fn describe_in(step: &Step, risks: &RiskContext, direction: Direction) -> Described {
    let gated = |c: &Change| direction == Direction::Up || !undoes(c);
    let dialect = risks.dialect;
    let single = |summary: String, risk: Risk| Described {
        gates: match risk.accept {
            Some(_) => vec![(summary.clone(), risk.clone())],
            None => Vec::new(),
        },
        summary,
        risk,
    };
    match step {
        Step::Change(c) => {
            let mut risk = classify(c, risks);
            if !gated(c) {
                risk.accept = None;
            }
            single(c.summary(), risk)
        }
        Step::AlterEnum {
            from,
            to,
            renamed_values,
            usages,
        } => {
            let c = Change::AlterEnum {
                from: from.clone(),
                to: to.clone(),
                renamed_values: renamed_values.clone(),
            };
            let mut risk = classify(&c, risks);
            if direction == Direction::Down && usages.is_empty() && risk.accept.is_some() {
                risk = Risk::new(
                    RiskLevel::Safe,
                    format!(
                        "no column uses {} when this step runs: the type is recreated, no row is rewritten or checked",
                        to.name
                    ),
                );
            }
            single(c.summary(), risk)
        }
        Step::RebuildTable {
            from,
            to,
            value_renames,
        } => {
            let changes = rebuild_changes(from, to, dialect);
            let mut parts: Vec<String> = changes.iter().map(Change::summary).collect();
            parts.extend(value_renames.iter().map(|v| {
                Change::RenameValues {
                    table: to.name.clone(),
                    column: v.column.clone(),
                    renamed: v.renamed.clone(),
                }
                .summary()
            }));
            let mut local = RiskContext {
                new_tables: risks.new_tables.clone(),
                ..RiskContext::for_changes(dialect, risks.target, &changes)
            };
            local.renamed_values.insert(
                to.name.clone(),
                value_renames
                    .iter()
                    .flat_map(|v| v.renamed.iter().cloned())
                    .collect(),
            );
            let judged: Vec<(String, Risk)> = changes
                .iter()
                .map(|c| {
                    let mut risk = classify(c, &local);
                    if !gated(c) {
                        risk.accept = None;
                    }
                    (c.summary(), risk)
                })
                .collect();
            let mut gates: Vec<(String, Risk)> = Vec::new();
            for (summary, risk) in &judged {
                if risk.accept.is_some() && !gates.iter().any(|(_, g)| g.accept == risk.accept) {
                    gates.push((summary.clone(), risk.clone()));
                }
            }
            let risk = judged
                .into_iter()
                .map(|(_, r)| r)
                .max_by_key(|r| (r.level, r.accept.is_some()))
                .filter(|r| r.level == RiskLevel::Destructive)
                .unwrap_or_else(|| {
                    Risk::new(
                        RiskLevel::NeedsCare,
                        "copies every row while holding the write lock",
                    )
                });
            Described {
                summary: format!("rebuild table {} ({})", to.name, parts.join("; ")),
                risk,
                gates,
            }
        }
    }
}

/// What each of `steps` does and its risk, judged as one file (the tables the file creates are
/// new): the comment [`render`] writes above each step (see [`describe_in`] for the down file).
pub fn step_risks(
    steps: &[PlannedStep],
    dialect: Dialect,
    ctx: &RenderContext,
    direction: Direction,
) -> Vec<Described> {
    let ctx = &ctx.for_steps(steps);
    let risks = ctx.risks(dialect, steps);
    steps
        .iter()
        .map(|s| describe_in(&s.step, &risks, direction))
        .collect()
}

/// The changes a table rebuild makes, as [`diff`] states them.
fn rebuild_changes(from: &Table, to: &Table, dialect: Dialect) -> Vec<Change> {
    let mut a = Schema::empty(dialect);
    a.tables.insert(from.name.clone(), from.clone());
    let mut b = Schema::empty(dialect);
    b.tables.insert(to.name.clone(), to.clone());
    diff(&a, &b, &RenameHints::default())
}

/// In a down file, what a step deletes that was written after the up migration ran: the
/// table or column the up migration added goes with its data.
fn deleted_by_down(step: &Step) -> Vec<String> {
    match step {
        Step::Change(c) => dropped_with_its_data(c).into_iter().collect(),
        Step::RebuildTable { from, to, .. } => rebuild_changes(from, to, Dialect::Sqlite)
            .iter()
            .filter_map(dropped_with_its_data)
            .collect(),
        Step::AlterEnum { .. } => Vec::new(),
    }
}

/// What a down step's dropped table or column takes with it.
fn dropped_with_its_data(change: &Change) -> Option<String> {
    match change {
        Change::DropTable(t) => Some(format!(
            "table {} is dropped with every row written to it since the up migration created it",
            t.name
        )),
        Change::DropColumn { table, column } => Some(format!(
            "column {table}.{} is dropped with every value written to it since the up migration added it",
            column.name
        )),
        _ => None,
    }
}

/// In a down file: the change removes an object or column its up step created, or recreates
/// one its up step dropped.
fn undoes(change: &Change) -> bool {
    use Change::*;
    matches!(
        change,
        DropTable(_)
            | DropColumn { .. }
            | DropEnum(_)
            | CreateTable(_)
            | AddColumn { .. }
            | CreateEnum(_)
            | AddUnique { .. }
            | AddIndex { .. }
            | AddPrimaryKey { .. }
            | AddForeignKey { .. }
    )
}

/// The whole file for `steps`.
pub fn render(
    steps: &[PlannedStep],
    dialect: Dialect,
    ctx: &RenderContext,
    direction: Direction,
) -> Result<String, Unsupported> {
    render_described(steps, dialect, ctx, direction).map(|(sql, _)| sql)
}

/// [`render`], with what each step's comment says ([`step_risks`]), for callers that report
/// the steps too.
pub fn render_described(
    steps: &[PlannedStep],
    dialect: Dialect,
    ctx: &RenderContext,
    direction: Direction,
) -> Result<(String, Vec<Described>), Unsupported> {
    let described = step_risks(steps, dialect, ctx, direction);
    let ctx = &ctx.for_steps(steps);
    let mut rendered = Vec::new();
    for s in steps {
        let restoring = direction == Direction::Down && !s.lost_data.is_empty();
        let sql = if restoring {
            let ctx = RenderContext {
                restoring,
                ..ctx.clone()
            };
            statements(&s.step, dialect, &ctx)?
        } else {
            statements(&s.step, dialect, ctx)?
        };
        rendered.push(sql);
    }
    let no_transaction =
        dialect == Dialect::Postgres && needs_no_transaction(steps, &rendered, ctx);
    let mut out = String::new();
    for directive in directives(steps, dialect, ctx, no_transaction) {
        out.push_str(directive);
        out.push('\n');
    }
    let deleted: Vec<Vec<String>> = steps
        .iter()
        .map(|s| match direction {
            Direction::Down => deleted_by_down(&s.step),
            Direction::Up => Vec::new(),
        })
        .collect();
    let lost: Vec<&String> = steps
        .iter()
        .zip(&deleted)
        .flat_map(|(s, d)| s.lost_data.iter().chain(d))
        .collect();
    if direction == Direction::Down && !lost.is_empty() {
        out.push_str("-- This down migration restores the schema but cannot restore all data:\n");
        for l in &lost {
            out.push_str(&format!("--   {l}\n"));
        }
    }
    let short = timeout_literal(ctx.target.lock_timeout_ms);
    let long = timeout_literal(ctx.target.concurrent_lock_timeout_ms);
    let setting = match dialect {
        Dialect::Postgres if no_transaction => Some(format!("SET lock_timeout = {short};")),
        Dialect::Postgres => Some(format!("SET LOCAL lock_timeout = {short};")),
        // Seconds, at least 1; the server default is a year, during which the waiting
        // metadata lock queues every later query on the table.
        Dialect::Mysql => Some(format!(
            "SET SESSION lock_wait_timeout = {};",
            ctx.target.lock_timeout_ms.div_ceil(1000).max(1)
        )),
        Dialect::Sqlite => None,
    };
    if let Some(setting) = setting.filter(|_| !steps.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("-- every lock-taking statement gives up after this long instead of queueing the table's queries\n");
        out.push_str(&setting);
        out.push('\n');
    }
    for (((s, sql), described), deleted) in steps.iter().zip(rendered).zip(&described).zip(deleted)
    {
        let Described {
            summary,
            risk,
            gates,
        } = described;
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("-- {summary} ({})\n", risk.level.as_str()));
        if risk.level != RiskLevel::Safe {
            out.push_str(&format!("--   {}\n", risk.reason));
        }
        // A down step is gated like an up step: rolling back a type change or an added enum
        // value rewrites tables too, and whoever runs it should have been told at review.
        for key in gates.iter().filter_map(|(_, r)| r.accept.as_ref()) {
            out.push_str(&format!("{REQUIRES_ACCEPT}{key}\n"));
        }
        if direction == Direction::Down {
            for l in s.lost_data.iter().chain(&deleted) {
                out.push_str(&format!("--   data not restored: {l}\n"));
            }
        }
        if matches!(s.step, Step::RebuildTable { .. }) {
            out.push_str("--   triggers and views on this table are not part of the schema model: recreate hand-written ones after this step\n");
        }
        for stmt in sql {
            let concurrent = no_transaction && postgres_safe::is_concurrent(&stmt);
            if concurrent {
                out.push_str(&format!("SET lock_timeout = {long};\n"));
            }
            out.push_str(&stmt);
            out.push('\n');
            if concurrent {
                out.push_str(&format!("SET lock_timeout = {short};\n"));
            }
        }
    }
    Ok((out, described))
}

/// PostgreSQL: a statement needs its own transaction (a safe form), an enum value is added
/// where a transaction cannot hold it, or an added value is used by a later statement.
fn needs_no_transaction(
    steps: &[PlannedStep],
    rendered: &[Vec<String>],
    ctx: &RenderContext,
) -> bool {
    let adds_value = steps.iter().any(|s| match &s.step {
        Step::AlterEnum {
            from,
            to,
            renamed_values,
            ..
        } => {
            postgres_enum::strategy(from, to, renamed_values)
                == postgres_enum::EnumStrategy::AddInPlace
        }
        _ => false,
    });
    uses_value_added_earlier(steps)
        || (adds_value && !ctx.target.add_value_in_transaction())
        || rendered
            .iter()
            .flatten()
            .any(|s| postgres_safe::needs_own_transaction(s))
}

fn directives(
    steps: &[PlannedStep],
    dialect: Dialect,
    ctx: &RenderContext,
    no_transaction: bool,
) -> Vec<&'static str> {
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
            if no_transaction {
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
