//! SQLite statements for one step, including the table rebuild.
//!
//! Primary key and foreign key constraints are written without names (SQLite cannot report
//! them back); check constraints keep theirs. An auto-increment key is written inline as
//! `integer NOT NULL PRIMARY KEY AUTOINCREMENT`, the form SQLite makes a rowid alias.

use super::common::{create_index, create_table, foreign_key_clause};
use super::quote::{ident, ident_list};
use super::Unsupported;
use crate::dialect::Dialect;
use crate::diff::Change;
use crate::model::{Column, Table};
use crate::plan::{Step, ValueRenames};
use crate::types::quote_literal;

const D: Dialect = Dialect::Sqlite;

fn q(name: &str) -> String {
    ident(name, D)
}

/// SQLite accepts bare constants and `CURRENT_*` as defaults; any other expression must be
/// parenthesized.
fn default_sql(d: &str) -> String {
    let t = d.trim();
    let constant = (t.starts_with('\'') && t.ends_with('\'') && t.len() >= 2)
        || t.strip_prefix('-').unwrap_or(t).parse::<f64>().is_ok()
        || [
            "true",
            "false",
            "null",
            "current_time",
            "current_date",
            "current_timestamp",
        ]
        .contains(&t.to_ascii_lowercase().as_str())
        || (t.starts_with('(') && t.ends_with(')'));
    if constant {
        t.to_string()
    } else {
        format!("({t})")
    }
}

fn inline_key(t: &Table) -> Option<&str> {
    let pk = t.primary_key.as_ref()?;
    match pk.columns.as_slice() {
        [only] if t.column(only).is_some_and(|c| c.auto_increment) => Some(only),
        _ => None,
    }
}

fn column_def(c: &Column, inline_key: bool) -> String {
    let mut s = format!("{} {}", q(&c.name), c.ty);
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if inline_key {
        s.push_str(" PRIMARY KEY");
        if c.auto_increment {
            s.push_str(" AUTOINCREMENT");
        }
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {}", default_sql(d)));
    }
    s
}

fn table_lines(t: &Table) -> Vec<String> {
    let key = inline_key(t);
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| column_def(c, key == Some(c.name.as_str())))
        .collect();
    if let (Some(pk), None) = (&t.primary_key, key) {
        lines.push(format!("PRIMARY KEY {}", ident_list(&pk.columns, D)));
    }
    for u in &t.uniques {
        lines.push(format!(
            "CONSTRAINT {} UNIQUE {}",
            q(&u.name),
            ident_list(&u.columns, D)
        ));
    }
    for fk in &t.foreign_keys {
        lines.push(foreign_key_clause(fk, D));
    }
    for c in &t.checks {
        lines.push(format!("CONSTRAINT {} CHECK ({})", q(&c.name), c.expr));
    }
    lines
}

fn create_table_sql(t: &Table) -> Vec<String> {
    let mut out = vec![create_table(&t.name, &table_lines(t), D)];
    out.extend(t.indexes.iter().map(|i| create_index(&t.name, i, D)));
    out
}

pub(super) fn render(step: &Step) -> Result<Vec<String>, Unsupported> {
    match step {
        Step::Change(c) => change(c),
        Step::RebuildTable {
            from,
            to,
            value_renames,
        } => Ok(rebuild(from, to, value_renames)),
        Step::AlterEnum { to, .. } => Err(Unsupported {
            dialect: D,
            what: format!("enum type {} (SQLite has no enum types)", to.name),
        }),
    }
}

fn change(c: &Change) -> Result<Vec<String>, Unsupported> {
    use Change::*;
    let alter = |table: &str, rest: String| format!("ALTER TABLE {} {rest};", q(table));
    Ok(match c {
        CreateTable(t) => create_table_sql(t),
        DropTable(t) => vec![format!("DROP TABLE {};", q(&t.name))],
        RenameTable { from, to } => vec![alter(from, format!("RENAME TO {}", q(to)))],
        AddColumn { table, column } => {
            vec![alter(
                table,
                format!("ADD COLUMN {}", column_def(column, false)),
            )]
        }
        DropColumn { table, column } => {
            vec![alter(table, format!("DROP COLUMN {}", q(&column.name)))]
        }
        RenameColumn { table, from, to } => {
            vec![alter(
                table,
                format!("RENAME COLUMN {} TO {}", q(from), q(to)),
            )]
        }
        AddIndex { table, index } => vec![create_index(table, index, D)],
        DropIndex { index, .. } => vec![format!("DROP INDEX {};", q(&index.name))],
        other => {
            return Err(Unsupported {
                dialect: D,
                what: format!("`{}` outside a table rebuild", other.summary()),
            })
        }
    })
}

/// The rebuild body; the runner turns foreign keys off around the transaction
/// (`-- schema:foreign-keys=off`) and runs `PRAGMA foreign_key_check` before committing, so
/// dropping the old table neither cascades to nor orphans the rows that reference it.
fn rebuild(from: &Table, to: &Table, value_renames: &[ValueRenames]) -> Vec<String> {
    let temp = format!("__new_{}", to.name);
    let mut new_shape = to.clone();
    new_shape.name = temp.clone();
    let mut out = vec![create_table(&temp, &table_lines(&new_shape), D)];
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in &to.columns {
        let Some(old) = from.column(&c.name) else {
            continue;
        };
        targets.push(q(&c.name));
        let mut source = q(&c.name);
        if let Some(v) = value_renames.iter().find(|v| v.column == c.name) {
            source = map_values(&source, &v.renamed);
        }
        if let (Some(d), true) = (&c.default, old.nullable && !c.nullable) {
            source = format!("coalesce({source}, {})", default_sql(d));
        }
        sources.push(source);
    }
    if !targets.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {};",
            q(&temp),
            targets.join(", "),
            sources.join(", "),
            q(&from.name)
        ));
    }
    out.push(format!("DROP TABLE {};", q(&from.name)));
    out.push(format!(
        "ALTER TABLE {} RENAME TO {};",
        q(&temp),
        q(&to.name)
    ));
    out.extend(to.indexes.iter().map(|i| create_index(&to.name, i, D)));
    out
}

/// `CASE "c" WHEN 'old' THEN 'new' ... ELSE "c" END`
fn map_values(column: &str, renamed: &[(String, String)]) -> String {
    let arms: Vec<String> = renamed
        .iter()
        .map(|(o, n)| format!("WHEN {} THEN {}", quote_literal(o), quote_literal(n)))
        .collect();
    format!("CASE {column} {} ELSE {column} END", arms.join(" "))
}
