//! PostgreSQL safe forms for changes to tables that already exist (a table created in the same
//! migration is empty and gets the plain form):
//!
//! - indexes: `CREATE [UNIQUE] INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY` (no write lock;
//!   outside a transaction);
//! - unique constraints and primary keys: a concurrently built unique index, then
//!   `ADD CONSTRAINT .. USING INDEX` (a brief lock, no build);
//! - foreign keys and checks: `ADD CONSTRAINT .. NOT VALID`, then `VALIDATE CONSTRAINT`, which
//!   scans under `SHARE UPDATE EXCLUSIVE` (reads and writes go on) in its own transaction;
//! - `SET NOT NULL` (PostgreSQL 12-17): a `CHECK (col IS NOT NULL) NOT VALID`, validated, proves
//!   the column holds no NULL, so `SET NOT NULL` skips its scan; the check is dropped after.
//!   PostgreSQL 18+: `ADD CONSTRAINT .. NOT NULL col NOT VALID` (no scan; new rows are checked
//!   at once), then `VALIDATE CONSTRAINT` (the scan, under `SHARE UPDATE EXCLUSIVE`): the
//!   column ends up `NOT NULL` with one brief `ACCESS EXCLUSIVE` lock instead of three.
//!
//! Every statement here needs its own transaction, so the file that holds one runs with
//! `-- schema:no-transaction` (each statement commits on its own; the runner records progress
//! after each and resumes at the failed one).

use super::common::{create_index, foreign_key_clause};
use super::postgres::{alter, q};
use crate::dialect::Dialect;
use crate::model::{ForeignKey, Index};
use crate::naming;

const D: Dialect = Dialect::Postgres;

pub(super) fn create_index_concurrently(table: &str, index: &Index) -> String {
    let plain = create_index(table, index, D);
    let keyword = if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    };
    format!(
        "{keyword}CONCURRENTLY {}",
        plain.strip_prefix(keyword).unwrap_or(&plain)
    )
}

pub(super) fn drop_index_concurrently(name: &str) -> String {
    format!("DROP INDEX CONCURRENTLY {};", q(name))
}

/// A unique constraint or primary key from a concurrently built unique index.
pub(super) fn constraint_using_index(
    table: &str,
    name: &str,
    columns: &[String],
    kind: &str,
) -> Vec<String> {
    let index = Index {
        name: name.to_string(),
        columns: columns.to_vec(),
        unique: true,
        predicate: None,
    };
    vec![
        create_index_concurrently(table, &index),
        alter(
            table,
            &format!("ADD CONSTRAINT {} {kind} USING INDEX {}", q(name), q(name)),
        ),
    ]
}

pub(super) fn foreign_key_not_valid(table: &str, fk: &ForeignKey) -> Vec<String> {
    vec![
        alter(
            table,
            &format!(
                "ADD CONSTRAINT {} {} NOT VALID",
                q(&fk.name),
                foreign_key_clause(fk, D)
            ),
        ),
        validate(table, &fk.name),
    ]
}

pub(super) fn check_not_valid(table: &str, name: &str, expr: &str) -> Vec<String> {
    vec![
        alter(
            table,
            &format!("ADD CONSTRAINT {} CHECK ({expr}) NOT VALID", q(name)),
        ),
        validate(table, name),
    ]
}

fn validate(table: &str, name: &str) -> String {
    alter(table, &format!("VALIDATE CONSTRAINT {}", q(name)))
}

/// `SET NOT NULL` proven by a validated check, which is dropped afterwards.
pub(super) fn set_not_null(table: &str, column: &str) -> Vec<String> {
    let check = naming::fit(&format!("{table}_{column}_not_null"), D);
    let mut out = check_not_valid(table, &check, &format!("{} IS NOT NULL", q(column)));
    out.push(alter(
        table,
        &format!("ALTER COLUMN {} SET NOT NULL", q(column)),
    ));
    out.push(alter(table, &format!("DROP CONSTRAINT {}", q(&check))));
    out
}

/// PostgreSQL 18+: a named `NOT NULL .. NOT VALID` constraint, then validated. Checked on
/// PostgreSQL 18.4: the `ADD` takes `ACCESS EXCLUSIVE` without scanning (4 ms on 1M rows) and
/// already rejects new NULLs; `VALIDATE` scans under `SHARE UPDATE EXCLUSIVE` (writes go on)
/// and fails with the constraint left NOT VALID if a row holds NULL; afterwards the column is
/// `NOT NULL` like one after `SET NOT NULL` (`attnotnull`, a validated `contype = 'n'`
/// constraint of this name), and `ALTER COLUMN .. DROP NOT NULL` removes the constraint.
pub(super) fn not_null_not_valid(table: &str, column: &str) -> Vec<String> {
    let name = naming::fit(&format!("{table}_{column}_not_null"), D);
    vec![
        alter(
            table,
            &format!(
                "ADD CONSTRAINT {} NOT NULL {} NOT VALID",
                q(&name),
                q(column)
            ),
        ),
        validate(table, &name),
    ]
}

/// Statements that must run outside a transaction block, or in their own transaction.
pub(crate) fn needs_own_transaction(statement: &str) -> bool {
    is_concurrent(statement) || statement.contains(" VALIDATE CONSTRAINT ")
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY`: they wait for older
/// snapshots and get the longer lock budget.
pub(crate) fn is_concurrent(statement: &str) -> bool {
    [
        "CREATE INDEX CONCURRENTLY ",
        "CREATE UNIQUE INDEX CONCURRENTLY ",
        "DROP INDEX CONCURRENTLY ",
    ]
    .iter()
    .any(|p| statement.starts_with(p))
}
