//! MySQL (and MariaDB) statements: tables, columns (`MODIFY COLUMN` restates a changed one),
//! keys, uniques, indexes, checks and foreign keys, enum values renamed in the rows. What is
//! still to come (renaming checks and foreign keys, safe online forms) is refused with a clear
//! error instead of guessed.

use super::common::{create_index, create_table, foreign_key_clause};
use super::quote::{ident, ident_list};
use super::Unsupported;
use crate::dialect::Dialect;
use crate::diff::{Change, ConstraintKind};
use crate::model::{Column, Table};
use crate::plan::Step;
use crate::types::quote_literal;

const D: Dialect = Dialect::Mysql;

fn q(name: &str) -> String {
    ident(name, D)
}

fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", q(&c.name), c.ty);
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.auto_increment {
        s.push_str(" AUTO_INCREMENT");
    }
    s
}

fn create_table_sql(t: &Table) -> Vec<String> {
    let mut lines: Vec<String> = t.columns.iter().map(column_def).collect();
    if let Some(pk) = &t.primary_key {
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
        lines.push(format!(
            "CONSTRAINT {} {}",
            q(&fk.name),
            foreign_key_clause(fk, D)
        ));
    }
    for c in &t.checks {
        lines.push(format!("CONSTRAINT {} CHECK ({})", q(&c.name), c.expr));
    }
    let mut out = vec![create_table(&t.name, &lines, D)];
    out.extend(t.indexes.iter().map(|i| create_index(&t.name, i, D)));
    out
}

/// `UPDATE t SET c = CASE c WHEN 'old' THEN 'new' .. ELSE c END WHERE c IN ('old', ..);`
fn rename_values(table: &str, column: &str, renamed: &[(String, String)]) -> String {
    let col = q(column);
    let arms: Vec<String> = renamed
        .iter()
        .map(|(o, n)| format!("WHEN {} THEN {}", quote_literal(o), quote_literal(n)))
        .collect();
    let old: Vec<String> = renamed.iter().map(|(o, _)| quote_literal(o)).collect();
    format!(
        "UPDATE {} SET {col} = CASE {col} {} ELSE {col} END WHERE {col} IN ({});",
        q(table),
        arms.join(" "),
        old.join(", ")
    )
}

pub(super) fn render(step: &Step) -> Result<Vec<String>, Unsupported> {
    use Change::*;
    let unsupported = |what: String| Unsupported { dialect: D, what };
    let Step::Change(c) = step else {
        return Err(unsupported("this enum or table-rebuild step".into()));
    };
    let alter = |table: &str, rest: String| format!("ALTER TABLE {} {rest};", q(table));
    Ok(match c {
        CreateTable(t) => create_table_sql(t),
        DropTable(t) => vec![format!("DROP TABLE {};", q(&t.name))],
        RenameTable { from, to } => vec![format!("RENAME TABLE {} TO {};", q(from), q(to))],
        AddColumn { table, column } => vec![alter(table, format!("ADD COLUMN {}", column_def(column)))],
        DropColumn { table, column } => vec![alter(table, format!("DROP COLUMN {}", q(&column.name)))],
        RenameColumn { table, from, to } => {
            vec![alter(table, format!("RENAME COLUMN {} TO {}", q(from), q(to)))]
        }
        AddIndex { table, index } if index.predicate.is_none() => vec![create_index(table, index, D)],
        DropIndex { table, index } => vec![alter(table, format!("DROP INDEX {}", q(&index.name)))],
        RenameConstraint {
            table,
            kind: ConstraintKind::Index | ConstraintKind::Unique,
            from,
            to,
        } => vec![alter(table, format!("RENAME INDEX {} TO {}", q(from), q(to)))],
        // MySQL names every primary key `PRIMARY`: there is nothing to rename.
        RenameConstraint {
            kind: ConstraintKind::PrimaryKey,
            ..
        } => vec![],
        AddForeignKey { table, foreign_key } => vec![alter(
            table,
            format!("ADD CONSTRAINT {} {}", q(&foreign_key.name), foreign_key_clause(foreign_key, D)),
        )],
        DropForeignKey { table, foreign_key } => {
            vec![alter(table, format!("DROP FOREIGN KEY {}", q(&foreign_key.name)))]
        }
        // MODIFY restates the whole column: type, nullability, default, auto-increment.
        AlterColumn { table, from, to } => {
            let mut out = Vec::new();
            if let (true, false, Some(d)) = (from.nullable, to.nullable, &to.default) {
                // Existing NULLs take the default instead of failing (as on PostgreSQL).
                let col = q(&to.name);
                out.push(format!("UPDATE {} SET {col} = {d} WHERE {col} IS NULL;", q(table)));
            }
            out.push(alter(table, format!("MODIFY COLUMN {}", column_def(to))));
            out
        }
        AddPrimaryKey { table, primary_key } => vec![alter(
            table,
            format!("ADD PRIMARY KEY {}", ident_list(&primary_key.columns, D)),
        )],
        DropPrimaryKey { table, .. } => vec![alter(table, "DROP PRIMARY KEY".into())],
        AddUnique { table, unique } => vec![alter(
            table,
            format!("ADD CONSTRAINT {} UNIQUE {}", q(&unique.name), ident_list(&unique.columns, D)),
        )],
        DropUnique { table, unique } => vec![alter(table, format!("DROP INDEX {}", q(&unique.name)))],
        AddCheck { table, check } => vec![alter(
            table,
            format!("ADD CONSTRAINT {} CHECK ({})", q(&check.name), check.expr),
        )],
        DropCheck { table, check } => {
            vec![alter(table, format!("DROP CONSTRAINT {}", q(&check.name)))]
        }
        // Between widening the column's value list and narrowing it (plan/mysql.rs).
        RenameValues {
            table,
            column,
            renamed,
        } => vec![rename_values(table, column, renamed)],
        other => {
            return Err(unsupported(format!(
                "`{}` (the MySQL renderer does not cover it yet: write this migration by hand with `cargo schema new`)",
                other.summary()
            )))
        }
    })
}
