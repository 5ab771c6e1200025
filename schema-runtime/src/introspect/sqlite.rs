//! SQLite: `pragma table_info / index_list / index_info / foreign_key_list` for structure, and
//! the stored `CREATE TABLE` text for what the pragmas leave out (unique and check names, check
//! expressions, AUTOINCREMENT).
//!
//! Primary keys and foreign keys get their default names (`<table>_pkey`,
//! `<table>_<columns>_fkey`) whatever the text says: SQLite never uses those names, and a
//! table or column renamed with `ALTER TABLE ... RENAME` keeps the old name in the stored
//! text, so the text's name would be stale. The planner agrees: on SQLite a change of only a
//! primary or foreign key's name runs nothing.

use super::sqlite_ddl::{index_predicate, parse_create_table, ConstraintKind, TableDdl};
use super::{fk_action, is_internal_table, sort_lists, Error};
use schema_core::model::{Check, Column, ForeignKey, Index, PrimaryKey, Schema, Table, Unique};
use schema_core::naming;
use schema_core::sql_expr::canonical_expr;
use schema_core::types::normalize_sql_type;
use schema_core::Dialect;
use sqlx::{Row, SqlitePool};

/// The main database of a SQLite connection pool.
pub async fn sqlite(pool: &SqlitePool) -> Result<Schema, Error> {
    let mut schema = Schema::empty(Dialect::Sqlite);
    let tables =
        sqlx::query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await?;
    for row in tables {
        let name: String = row.try_get("name")?;
        if is_internal_table(&name) {
            continue;
        }
        let sql: Option<String> = row.try_get("sql")?;
        let ddl = sql
            .as_deref()
            .and_then(parse_create_table)
            .unwrap_or_default();
        let table = read_table(pool, &name, &ddl).await?;
        schema.tables.insert(name, table);
    }
    sort_lists(&mut schema);
    Ok(schema)
}

async fn read_table(pool: &SqlitePool, name: &str, ddl: &TableDdl) -> Result<Table, Error> {
    let info = sqlx::query(
        r#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid"#,
    )
    .bind(name)
    .fetch_all(pool)
    .await?;
    let mut columns = Vec::new();
    let mut key: Vec<(i64, String)> = Vec::new();
    for row in &info {
        let column: String = row.try_get("name")?;
        let pk: i64 = row.try_get("pk")?;
        if pk > 0 {
            key.push((pk, column.clone()));
        }
        let declared: String = row.try_get("type")?;
        let not_null: bool = row.try_get("notnull")?;
        let default: Option<String> = row.try_get("dflt_value")?;
        let autoincrement = ddl
            .columns
            .iter()
            .any(|c| c.name == column && c.autoincrement);
        columns.push(Column {
            ty: normalize_sql_type(&declared, Dialect::Sqlite),
            nullable: !not_null,
            default: default.map(|d| canonical_expr(&d, Dialect::Sqlite)),
            auto_increment: autoincrement,
            name: column,
        });
    }
    key.sort();
    let key: Vec<String> = key.into_iter().map(|(_, c)| c).collect();
    // A rowid alias (`integer PRIMARY KEY`) can never hold NULL, whatever the text says.
    if let [only] = key.as_slice() {
        if let Some(col) = columns
            .iter_mut()
            .find(|c| &c.name == only && c.ty == "integer")
        {
            col.nullable = false;
        }
    }
    let mut table = Table {
        name: name.to_string(),
        columns,
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
    };
    if !key.is_empty() {
        table.primary_key = Some(PrimaryKey {
            name: naming::primary_key_name(name),
            columns: key,
        });
    }
    read_indexes(pool, &mut table, ddl).await?;
    read_foreign_keys(pool, &mut table).await?;
    table.checks = checks(name, ddl);
    Ok(table)
}

/// Every constraint of the table, column-level ones included.
fn all_constraints(ddl: &TableDdl) -> impl Iterator<Item = &super::sqlite_ddl::Constraint> {
    ddl.columns
        .iter()
        .flat_map(|c| c.constraints.iter())
        .chain(ddl.constraints.iter())
}

fn constraint_name(ddl: &TableDdl, matches: impl Fn(&ConstraintKind) -> bool) -> Option<String> {
    all_constraints(ddl)
        .find(|c| matches(&c.kind))
        .and_then(|c| c.name.clone())
}

async fn read_indexes(pool: &SqlitePool, table: &mut Table, ddl: &TableDdl) -> Result<(), Error> {
    let list = sqlx::query(r#"SELECT name, "unique", origin, partial FROM pragma_index_list(?1)"#)
        .bind(&table.name)
        .fetch_all(pool)
        .await?;
    for row in list {
        let index_name: String = row.try_get("name")?;
        let origin: String = row.try_get("origin")?;
        if origin == "pk" {
            continue;
        }
        let columns = index_columns(pool, &index_name).await?;
        if origin == "u" {
            let name = constraint_name(
                ddl,
                |k| matches!(k, ConstraintKind::Unique(c) if *c == columns),
            )
            .unwrap_or_else(|| naming::unique_name(&table.name, &columns));
            table.uniques.push(Unique { name, columns });
            continue;
        }
        let partial: bool = row.try_get("partial")?;
        let predicate = if partial {
            let sql: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
            )
            .bind(&index_name)
            .fetch_optional(pool)
            .await?
            .flatten();
            sql.as_deref()
                .and_then(index_predicate)
                .map(|p| canonical_expr(&p, Dialect::Sqlite))
        } else {
            None
        };
        table.indexes.push(Index {
            name: index_name,
            columns,
            unique: row.try_get("unique")?,
            predicate,
        });
    }
    Ok(())
}

async fn index_columns(pool: &SqlitePool, index: &str) -> Result<Vec<String>, Error> {
    let rows = sqlx::query("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
        .bind(index)
        .fetch_all(pool)
        .await?;
    let mut columns = Vec::new();
    for row in rows {
        let name: Option<String> = row.try_get("name")?;
        columns.push(name.ok_or_else(|| {
            Error::Unsupported(format!(
                "index `{index}` is on an expression, which the schema model cannot express: drop it or manage it in a hand-written migration"
            ))
        })?);
    }
    Ok(columns)
}

async fn read_foreign_keys(pool: &SqlitePool, table: &mut Table) -> Result<(), Error> {
    let rows = sqlx::query(
        r#"SELECT id, seq, "table" AS ref_table, "from" AS from_col, "to" AS to_col, on_update, on_delete
           FROM pragma_foreign_key_list(?1) ORDER BY id, seq"#,
    )
    .bind(&table.name)
    .fetch_all(pool)
    .await?;
    let mut grouped: Vec<(i64, ForeignKey, bool)> = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let from: String = row.try_get("from_col")?;
        let to: Option<String> = row.try_get("to_col")?;
        if grouped.last().map(|g| g.0) != Some(id) {
            let on_delete: String = row.try_get("on_delete")?;
            let on_update: String = row.try_get("on_update")?;
            let fk = ForeignKey {
                name: String::new(),
                columns: Vec::new(),
                ref_table: row.try_get("ref_table")?,
                ref_columns: Vec::new(),
                on_delete: action(&on_delete)?,
                on_update: action(&on_update)?,
            };
            grouped.push((id, fk, false));
        }
        if let Some((_, fk, implicit)) = grouped.last_mut() {
            fk.columns.push(from);
            match to {
                Some(to) => fk.ref_columns.push(to),
                None => *implicit = true,
            }
        }
    }
    for (_, mut fk, implicit_target) in grouped {
        if implicit_target {
            // `REFERENCES parent` without columns: the parent's primary key.
            fk.ref_columns = primary_key_columns(pool, &fk.ref_table).await?;
        }
        fk.name = naming::foreign_key_name(&table.name, &fk.columns.join("_"));
        table.foreign_keys.push(fk);
    }
    Ok(())
}

async fn primary_key_columns(pool: &SqlitePool, table: &str) -> Result<Vec<String>, Error> {
    let rows = sqlx::query("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
        .bind(table)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("name").map_err(Error::from))
        .collect()
}

fn action(sql: &str) -> Result<schema_core::model::FkAction, Error> {
    fk_action(sql).ok_or_else(|| Error::Unsupported(format!("unknown foreign key action `{sql}`")))
}

/// Check constraints; unnamed ones get PostgreSQL's default names (`<table>_<column>_check` on
/// a column, `<table>_check` on the table).
fn checks(table: &str, ddl: &TableDdl) -> Vec<Check> {
    let mut out = Vec::new();
    let column_checks = ddl.columns.iter().flat_map(|c| {
        c.constraints
            .iter()
            .map(move |k| (Some(c.name.as_str()), k))
    });
    let table_checks = ddl.constraints.iter().map(|k| (None, k));
    for (column, constraint) in column_checks.chain(table_checks) {
        if let ConstraintKind::Check(expr) = &constraint.kind {
            let name = constraint.name.clone().unwrap_or_else(|| match column {
                Some(col) => naming::column_check_name(table, col),
                None => format!("{table}_check"),
            });
            out.push(Check {
                name,
                expr: canonical_expr(expr, Dialect::Sqlite),
            });
        }
    }
    out
}
