//! MySQL and MariaDB: `information_schema` of the connection's current database.
//!
//! What the server reports differently from what resolve declares, folded here:
//! integer display widths (`int(11)` -> `int`), `tinyint(1)` -> `boolean` (and its defaults
//! `1`/`0` -> `true`/`false`), MariaDB's `json` (a `longtext` with a `json_valid` check named
//! after the column) -> `json`, the `NULL` default of a nullable column -> no default, the
//! primary key's fixed name `PRIMARY` -> `<table>_pkey`, `RESTRICT` (InnoDB's spelling of the
//! default) -> no action, and the index InnoDB adds for a foreign key -> not an index.

use super::{fk_action, is_internal_table, sort_lists, Error};
use schema_core::model::{
    Check, Column, FkAction, ForeignKey, Index, PrimaryKey, Schema, Table, Unique,
};
use schema_core::naming;
use schema_core::sql_expr::canonical_expr;
use schema_core::types::normalize_sql_type;
use schema_core::Dialect;
use sqlx::mysql::MySqlRow;
use sqlx::{MySqlPool, Row};
use std::collections::BTreeMap;

const D: Dialect = Dialect::Mysql;

const COLUMNS: &str = "
SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(COLUMN_NAME AS CHAR) AS name,
       CAST(COLUMN_TYPE AS CHAR) AS column_type, CAST(DATA_TYPE AS CHAR) AS data_type,
       CAST(IS_NULLABLE AS CHAR) AS is_nullable, CAST(COLUMN_DEFAULT AS CHAR) AS column_default,
       CAST(EXTRA AS CHAR) AS extra
FROM information_schema.COLUMNS c
WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME IN (SELECT TABLE_NAME FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE')
ORDER BY TABLE_NAME, ORDINAL_POSITION";

const INDEX_COLUMNS: &str = "
SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(INDEX_NAME AS CHAR) AS name,
       CAST(NON_UNIQUE AS SIGNED) AS non_unique, CAST(COLUMN_NAME AS CHAR) AS column_name
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

const UNIQUE_CONSTRAINTS: &str = "
SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(CONSTRAINT_NAME AS CHAR) AS name
FROM information_schema.TABLE_CONSTRAINTS
WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'UNIQUE'";

const FOREIGN_KEYS: &str = "
SELECT CAST(k.TABLE_NAME AS CHAR) AS table_name, CAST(k.CONSTRAINT_NAME AS CHAR) AS name,
       CAST(k.COLUMN_NAME AS CHAR) AS column_name,
       CAST(k.REFERENCED_TABLE_NAME AS CHAR) AS ref_table,
       CAST(k.REFERENCED_COLUMN_NAME AS CHAR) AS ref_column,
       CAST(r.DELETE_RULE AS CHAR) AS on_delete, CAST(r.UPDATE_RULE AS CHAR) AS on_update
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/// MariaDB names the table of a check; MySQL 8 only through `TABLE_CONSTRAINTS`.
const CHECKS_MARIADB: &str = "
SELECT CAST(TABLE_NAME AS CHAR) AS table_name, CAST(CONSTRAINT_NAME AS CHAR) AS name,
       CAST(CHECK_CLAUSE AS CHAR) AS clause
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()";

const CHECKS_MYSQL: &str = "
SELECT CAST(t.TABLE_NAME AS CHAR) AS table_name, CAST(c.CONSTRAINT_NAME AS CHAR) AS name,
       CAST(c.CHECK_CLAUSE AS CHAR) AS clause
FROM information_schema.CHECK_CONSTRAINTS c
JOIN information_schema.TABLE_CONSTRAINTS t
  ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME
 AND t.CONSTRAINT_TYPE = 'CHECK'
WHERE c.CONSTRAINT_SCHEMA = DATABASE()";

/// The current database of a MySQL or MariaDB connection pool.
pub async fn mysql(pool: &MySqlPool) -> Result<Schema, Error> {
    let mut schema = Schema::empty(D);
    for row in sqlx::query(COLUMNS).fetch_all(pool).await? {
        let table: String = row.try_get("table_name")?;
        if is_internal_table(&table) {
            continue;
        }
        let column = column(&row)?;
        table_entry(&mut schema, &table).columns.push(column);
    }
    read_checks(pool, &mut schema).await?;
    let foreign_keys = read_foreign_keys(pool, &mut schema).await?;
    read_indexes(pool, &mut schema, &foreign_keys).await?;
    sort_lists(&mut schema);
    Ok(schema)
}

fn table_entry<'a>(schema: &'a mut Schema, name: &str) -> &'a mut Table {
    schema
        .tables
        .entry(name.to_string())
        .or_insert_with(|| Table {
            name: name.to_string(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
        })
}

/// One column. String defaults come back quoted from MariaDB and bare from MySQL 8.
fn column(row: &MySqlRow) -> Result<Column, Error> {
    let column_type: String = row.try_get("column_type")?;
    let data_type: String = row.try_get("data_type")?;
    let extra: String = row.try_get("extra")?;
    let nullable = row.try_get::<String, _>("is_nullable")? == "YES";
    let ty = column_type_name(&column_type);
    let raw_default: Option<String> = row.try_get("column_default")?;
    let is_string = matches!(
        data_type.to_ascii_lowercase().as_str(),
        "char" | "varchar" | "text" | "tinytext" | "mediumtext" | "longtext" | "enum" | "set"
    );
    let expression_default = extra.to_ascii_lowercase().contains("default_generated");
    let default = raw_default
        .filter(|d| !(nullable && d.eq_ignore_ascii_case("null")))
        .map(|d| {
            if is_string && !expression_default && !d.starts_with('\'') {
                schema_core::types::quote_literal(&d)
            } else {
                d
            }
        })
        .map(|d| match (ty.as_str(), d.as_str()) {
            ("boolean", "1") => "true".to_string(),
            ("boolean", "0") => "false".to_string(),
            _ => canonical_expr(&d, D),
        });
    Ok(Column {
        name: row.try_get("name")?,
        ty,
        nullable,
        default,
        auto_increment: extra.to_ascii_lowercase().contains("auto_increment"),
    })
}

/// `int(11)` -> `int`, `tinyint(1)` -> `boolean`, `bigint(20) unsigned` -> `bigint unsigned`.
fn column_type_name(column_type: &str) -> String {
    let t = column_type.trim().to_ascii_lowercase();
    if t == "tinyint(1)" {
        return "boolean".into();
    }
    let integers = [
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "integer",
        "bigint",
    ];
    if let Some(open) = t.find('(') {
        if integers.contains(&&t[..open]) {
            if let Some(close) = t[open..].find(')') {
                let rest = &t[open + close + 1..];
                return normalize_sql_type(&format!("{}{rest}", &t[..open]), D);
            }
        }
    }
    if !t.starts_with("enum(") && !t.starts_with("set(") {
        return normalize_sql_type(&t, D);
    }
    // Enum values are case-sensitive literals: keep them as the server wrote them.
    column_type.trim().to_string()
}

async fn read_checks(pool: &MySqlPool, schema: &mut Schema) -> Result<(), Error> {
    let rows = match sqlx::query(CHECKS_MARIADB).fetch_all(pool).await {
        Ok(rows) => rows,
        Err(_) => sqlx::query(CHECKS_MYSQL).fetch_all(pool).await?,
    };
    for row in rows {
        let table: String = row.try_get("table_name")?;
        let name: String = row.try_get("name")?;
        let clause: String = row.try_get("clause")?;
        let Some(table) = schema.tables.get_mut(&table) else {
            continue;
        };
        let expr = canonical_expr(&clause, D);
        // MariaDB's `json` is `longtext` plus `CHECK (json_valid(col))` named after the column.
        let json_column = table
            .columns
            .iter_mut()
            .find(|c| c.name == name && c.ty == "longtext")
            .filter(|c| expr == format!("json_valid({})", quoted_ident(&c.name)));
        if let Some(col) = json_column {
            col.ty = "json".into();
            continue;
        }
        table.checks.push(Check { name, expr });
    }
    Ok(())
}

fn quoted_ident(name: &str) -> String {
    schema_core::sql_expr::quote_ident_if_needed(name, D)
}

/// Reads foreign keys; returns `(table, constraint name) -> columns` so the index InnoDB
/// creates for each can be left out.
async fn read_foreign_keys(
    pool: &MySqlPool,
    schema: &mut Schema,
) -> Result<BTreeMap<(String, String), Vec<String>>, Error> {
    let mut seen = BTreeMap::new();
    for row in sqlx::query(FOREIGN_KEYS).fetch_all(pool).await? {
        let table_name: String = row.try_get("table_name")?;
        let name: String = row.try_get("name")?;
        let column: String = row.try_get("column_name")?;
        let ref_column: String = row.try_get("ref_column")?;
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        match table.foreign_keys.iter_mut().find(|f| f.name == name) {
            Some(fk) => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            None => {
                let on_delete: String = row.try_get("on_delete")?;
                let on_update: String = row.try_get("on_update")?;
                table.foreign_keys.push(ForeignKey {
                    name: name.clone(),
                    columns: vec![column],
                    ref_table: row.try_get("ref_table")?,
                    ref_columns: vec![ref_column],
                    on_delete: action(&on_delete)?,
                    on_update: action(&on_update)?,
                });
            }
        }
        let fk_columns = table
            .foreign_keys
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.columns.clone())
            .unwrap_or_default();
        seen.insert((table_name, name), fk_columns);
    }
    Ok(seen)
}

/// InnoDB treats `NO ACTION` as `RESTRICT` and reports the default as `RESTRICT`.
fn action(rule: &str) -> Result<FkAction, Error> {
    match fk_action(rule) {
        Some(FkAction::Restrict) => Ok(FkAction::NoAction),
        Some(a) => Ok(a),
        None => Err(Error::Unsupported(format!(
            "unknown foreign key rule `{rule}`"
        ))),
    }
}

async fn read_indexes(
    pool: &MySqlPool,
    schema: &mut Schema,
    foreign_keys: &BTreeMap<(String, String), Vec<String>>,
) -> Result<(), Error> {
    let mut unique_constraints = std::collections::BTreeSet::new();
    for row in sqlx::query(UNIQUE_CONSTRAINTS).fetch_all(pool).await? {
        let table: String = row.try_get("table_name")?;
        let name: String = row.try_get("name")?;
        unique_constraints.insert((table, name));
    }
    let mut indexes: Vec<(String, String, bool, Vec<String>)> = Vec::new();
    for row in sqlx::query(INDEX_COLUMNS).fetch_all(pool).await? {
        let table: String = row.try_get("table_name")?;
        let name: String = row.try_get("name")?;
        let non_unique: i64 = row.try_get("non_unique")?;
        let column: Option<String> = row.try_get("column_name")?;
        let column = column.ok_or_else(|| {
            Error::Unsupported(format!(
                "index `{name}` on `{table}` is on an expression, which the schema model cannot express: drop it or manage it in a hand-written migration"
            ))
        })?;
        match indexes.last_mut() {
            Some(last) if last.0 == table && last.1 == name => last.3.push(column),
            _ => indexes.push((table, name, non_unique == 0, vec![column])),
        }
    }
    for (table_name, name, unique, columns) in indexes {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        if name == "PRIMARY" {
            table.primary_key = Some(PrimaryKey {
                name: naming::fit(&naming::primary_key_name(&table_name), D),
                columns,
            });
        } else if unique && unique_constraints.contains(&(table_name.clone(), name.clone())) {
            table.uniques.push(Unique { name, columns });
        } else if foreign_keys.get(&(table_name.clone(), name.clone())) == Some(&columns) {
            // The index InnoDB created to back the foreign key of the same name.
        } else {
            table.indexes.push(Index {
                name,
                columns,
                unique,
                predicate: None,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::column_type_name;

    #[test]
    fn display_widths_and_booleans() {
        assert_eq!(column_type_name("int(11)"), "int");
        assert_eq!(column_type_name("bigint(20)"), "bigint");
        assert_eq!(column_type_name("bigint(20) unsigned"), "bigint unsigned");
        assert_eq!(column_type_name("tinyint(1)"), "boolean");
        assert_eq!(column_type_name("varchar(255)"), "varchar(255)");
        assert_eq!(column_type_name("decimal(65,30)"), "decimal(65,30)");
        assert_eq!(column_type_name("enum('a','B')"), "enum('a','B')");
        assert_eq!(column_type_name("double"), "double");
    }
}
