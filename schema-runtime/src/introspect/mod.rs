//! Reads a live database back into the one schema model, normalized exactly the way
//! `schema_core::resolve` normalizes declarations, so a database compares equal to the schema it
//! was migrated to (drift checks, `verify --database-url`, the test corpus).
//!
//! Types go through `types::normalize_sql_type`; defaults, checks and partial-index predicates
//! through `sql_expr::canonical_expr`; constraint lists are sorted by name. Migration history
//! tables (`_schema_*`, `_sqlx_*`) and SQLite's own tables (`sqlite_*`) are left out.

mod error;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_ddl;

pub use error::Error;
#[cfg(feature = "mysql")]
pub use mysql::mysql;
#[cfg(feature = "postgres")]
pub use postgres::postgres;
#[cfg(feature = "sqlite")]
pub use sqlite::sqlite;

use schema_core::model::{FkAction, Schema, Table};

/// Tables that belong to the migration machinery or the database itself, not to the user.
pub fn is_internal_table(name: &str) -> bool {
    name.starts_with("_schema_") || name.starts_with("_sqlx_") || name.starts_with("sqlite_")
}

/// Sorts every named list of every table by name, the order the model promises.
fn sort_lists(schema: &mut Schema) {
    for table in schema.tables.values_mut() {
        sort_table(table);
    }
}

fn sort_table(table: &mut Table) {
    table.uniques.sort_by(|a, b| a.name.cmp(&b.name));
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    table.checks.sort_by(|a, b| a.name.cmp(&b.name));
}

/// `CASCADE`, `set null`, ... as the model's action (`None` for a spelling no database uses).
fn fk_action(sql: &str) -> Option<FkAction> {
    FkAction::parse(&sql.trim().to_ascii_lowercase())
}
