//! What the statements of a migration file do to the data, as typed operations: read from
//! the SQL itself, so generated and hand-written files are judged alike.
//!
//! The runtime's rollback gate (and `plan`'s pre-flight checks) turn these into row counts on
//! the live database: a dropped table or column that holds data, a type that no longer fits
//! the values, NULLs before `SET NOT NULL`, rows a re-added check or unique constraint refuses,
//! a SQLite table rebuild's copy (`CREATE TABLE __new_t ...; INSERT INTO __new_t SELECT ... FROM
//! t; DROP TABLE t; ALTER TABLE __new_t RENAME TO t`). A statement the reader does not know is
//! [`Operation::Other`]: nothing is assumed about it.
//!
//! The reader is small and hand-written on purpose: migration DDL is a handful of statement
//! shapes, expressions (checks, `USING`, the copy's `SELECT` list) are kept as the text they
//! were written in and handed back to the database, and a full SQL grammar crate would cost
//! more build time than the whole of `schema-core`.

mod read;
mod tokens;

use super::split::{split_statements, Statement};
use crate::Dialect;
use serde::Serialize;

/// One statement and what it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnalyzedStatement<'a> {
    #[serde(skip)]
    pub statement: Statement<'a>,
    /// 1-based line of the statement in the file.
    pub line: usize,
    pub operations: Vec<Operation>,
}

/// A column as a statement declares it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnDef {
    pub name: String,
    /// The type as written (`varchar(20)`, `ENUM('a','b')`, `integer`); empty when none.
    pub ty: String,
    pub not_null: bool,
    /// Inline `CHECK (...)` expressions.
    pub checks: Vec<String>,
    pub unique: bool,
}

/// What a statement does to the data. Names are as the database reads them (PostgreSQL folds
/// bare names to lower case), without a schema qualifier; expressions are SQL text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    CreateTable {
        table: String,
        columns: Vec<ColumnDef>,
        /// Table-level `CHECK (...)` expressions.
        checks: Vec<String>,
        /// Table-level `UNIQUE (...)` / `PRIMARY KEY (...)` column lists.
        uniques: Vec<Vec<String>>,
    },
    DropTable {
        table: String,
    },
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: ColumnDef,
    },
    DropColumn {
        table: String,
        column: String,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// `ALTER COLUMN .. TYPE` (PostgreSQL), `MODIFY` / `CHANGE` (MySQL): the values must fit.
    SetType {
        table: String,
        column: String,
        ty: String,
        /// PostgreSQL's `USING` expression.
        using: Option<String>,
    },
    /// `SET NOT NULL`, or a MySQL `MODIFY` that says `NOT NULL`.
    SetNotNull {
        table: String,
        column: String,
    },
    /// `ADD [CONSTRAINT n] CHECK (expr)`; `validated: false` for `NOT VALID` (existing rows
    /// are not checked until `VALIDATE CONSTRAINT`).
    AddCheck {
        table: String,
        name: Option<String>,
        expr: String,
        validated: bool,
    },
    /// `VALIDATE CONSTRAINT n`: the rows are checked now.
    ValidateConstraint {
        table: String,
        name: String,
    },
    /// A unique constraint or unique index over plain columns.
    AddUnique {
        table: String,
        columns: Vec<String>,
    },
    /// `INSERT INTO into (columns) SELECT exprs FROM from`: the rows of `from`, moved.
    CopyRows {
        into: String,
        columns: Vec<String>,
        from: String,
        exprs: Vec<String>,
        /// Anything after the source table (`WHERE`, a join): not every row is copied.
        filtered: bool,
    },
    CreateEnum {
        name: String,
        values: Vec<String>,
    },
    RenameType {
        from: String,
        to: String,
    },
    /// A statement that does something else (or that this reader does not know).
    Other,
}

/// Every statement of a file, as the given dialect reads it, with its operations.
pub fn analyze(sql: &str, dialect: Dialect) -> Vec<AnalyzedStatement<'_>> {
    split_statements(sql, dialect)
        .into_iter()
        .map(|statement| AnalyzedStatement {
            line: statement.line,
            operations: analyze_statement(statement.sql, dialect),
            statement,
        })
        .collect()
}

/// The operations of one statement (without its `;`); `[Other]` when it is not understood.
pub fn analyze_statement(sql: &str, dialect: Dialect) -> Vec<Operation> {
    match read::statement(sql, dialect) {
        Some(operations) if !operations.is_empty() => operations,
        _ => vec![Operation::Other],
    }
}

#[cfg(test)]
mod tests;
