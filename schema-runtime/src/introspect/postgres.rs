//! PostgreSQL: the catalog (`pg_class`, `pg_attribute`, `pg_constraint`, `pg_index`, `pg_enum`)
//! of one schema.

use super::{fk_action, is_internal_table, sort_lists, Error};
use schema_core::model::{
    Check, Column, Enum, ForeignKey, Index, PrimaryKey, Schema, Table, Unique,
};
use schema_core::sql_expr::canonical_expr;
use schema_core::types::normalize_sql_type;
use schema_core::Dialect;
use sqlx::{PgPool, Row};

const ENUMS: &str = "
SELECT t.typname::text AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typtype = 'e'";

const COLUMNS: &str = "
SELECT c.relname::text AS table_name, a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS formatted,
       t.typtype::text AS typtype, t.typname::text AS typname,
       et.typtype::text AS elem_typtype, et.typname::text AS elem_typname,
       a.attnotnull AS not_null, a.attidentity::text AS identity,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum";

const CONSTRAINTS: &str = "
SELECT c.relname::text AS table_name, k.conname::text AS name, k.contype::text AS kind,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(num, ord)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num
             ORDER BY u.ord) AS columns,
       rc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(num, ord)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num
             ORDER BY u.ord) AS ref_columns,
       k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid
WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f', 'c')";

/// Indexes that do not back a primary key, unique or exclusion constraint.
const INDEXES: &str = "
SELECT c.relname::text AS table_name, ic.relname::text AS name, i.indisunique AS is_unique,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k) AS columns,
       pg_get_expr(i.indpred, i.indrelid) AS predicate
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))";

/// The schema `schema_name` (usually `public`) of a PostgreSQL database.
pub async fn postgres(pool: &PgPool, schema_name: &str) -> Result<Schema, Error> {
    let mut schema = Schema::empty(Dialect::Postgres);
    for row in sqlx::query(ENUMS).bind(schema_name).fetch_all(pool).await? {
        let name: String = row.try_get("name")?;
        let values: Vec<String> = row.try_get("labels")?;
        schema.enums.insert(name.clone(), Enum { name, values });
    }
    for row in sqlx::query(COLUMNS)
        .bind(schema_name)
        .fetch_all(pool)
        .await?
    {
        let table: String = row.try_get("table_name")?;
        if is_internal_table(&table) {
            continue;
        }
        let column = column(&row)?;
        table_entry(&mut schema, &table).columns.push(column);
    }
    for row in sqlx::query(CONSTRAINTS)
        .bind(schema_name)
        .fetch_all(pool)
        .await?
    {
        let table: String = row.try_get("table_name")?;
        if let Some(table) = schema.tables.get_mut(&table) {
            add_constraint(table, &row)?;
        }
    }
    for row in sqlx::query(INDEXES)
        .bind(schema_name)
        .fetch_all(pool)
        .await?
    {
        let table: String = row.try_get("table_name")?;
        if let Some(table) = schema.tables.get_mut(&table) {
            let predicate: Option<String> = row.try_get("predicate")?;
            let columns: Vec<String> = row.try_get("columns")?;
            table.indexes.push(Index {
                name: row.try_get("name")?,
                columns: columns.iter().map(|c| unquote_ident(c)).collect(),
                unique: row.try_get("is_unique")?,
                predicate: predicate.map(|p| canonical_expr(&p, Dialect::Postgres)),
            });
        }
    }
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

fn column(row: &sqlx::postgres::PgRow) -> Result<Column, Error> {
    let formatted: String = row.try_get("formatted")?;
    let typtype: String = row.try_get("typtype")?;
    let elem_typtype: Option<String> = row.try_get("elem_typtype")?;
    // Enum names come bare from the catalog: `format_type` would quote or schema-qualify them.
    let ty = if typtype == "e" {
        row.try_get::<String, _>("typname")?
    } else if elem_typtype.as_deref() == Some("e") {
        format!("{}[]", row.try_get::<String, _>("elem_typname")?)
    } else {
        normalize_sql_type(&formatted, Dialect::Postgres)
    };
    let identity: String = row.try_get("identity")?;
    let auto_increment = identity == "a" || identity == "d";
    let default: Option<String> = row.try_get("default_expr")?;
    let not_null: bool = row.try_get("not_null")?;
    Ok(Column {
        name: row.try_get("name")?,
        ty,
        nullable: !not_null,
        default: default.map(|d| canonical_expr(&d, Dialect::Postgres)),
        auto_increment,
    })
}

fn add_constraint(table: &mut Table, row: &sqlx::postgres::PgRow) -> Result<(), Error> {
    let name: String = row.try_get("name")?;
    let kind: String = row.try_get("kind")?;
    let columns: Vec<String> = row.try_get("columns")?;
    match kind.as_str() {
        "p" => table.primary_key = Some(PrimaryKey { name, columns }),
        "u" => table.uniques.push(Unique { name, columns }),
        "f" => {
            let on_delete: String = row.try_get("on_delete")?;
            let on_update: String = row.try_get("on_update")?;
            table.foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_table: row
                    .try_get::<Option<String>, _>("ref_table")?
                    .unwrap_or_default(),
                ref_columns: row.try_get("ref_columns")?,
                on_delete: action(&on_delete)?,
                on_update: action(&on_update)?,
            });
        }
        _ => {
            let definition: String = row.try_get("definition")?;
            table.checks.push(Check {
                name,
                expr: canonical_expr(check_body(&definition), Dialect::Postgres),
            });
        }
    }
    Ok(())
}

/// `CHECK ((age >= 0)) NOT VALID` -> `(age >= 0)`.
fn check_body(definition: &str) -> &str {
    let body = definition.trim();
    let body = body.strip_suffix("NOT VALID").unwrap_or(body).trim_end();
    let body = body.strip_suffix("NO INHERIT").unwrap_or(body).trim_end();
    body.strip_prefix("CHECK").unwrap_or(body).trim()
}

fn action(code: &str) -> Result<schema_core::model::FkAction, Error> {
    let spelled = match code {
        "a" => "no action",
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        other => other,
    };
    fk_action(spelled)
        .ok_or_else(|| Error::Unsupported(format!("unknown foreign key action code `{code}`")))
}

/// `"order"` -> `order` (`pg_get_indexdef` quotes names that need it); expressions stay as
/// they are.
fn unquote_ident(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if !inner.replace("\"\"", "").contains('"') => inner.replace("\"\"", "\""),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_bodies() {
        assert_eq!(check_body("CHECK ((age >= 0))"), "((age >= 0))");
        assert_eq!(check_body("CHECK ((age >= 0)) NOT VALID"), "((age >= 0))");
    }

    #[test]
    fn index_columns_unquoted() {
        assert_eq!(unquote_ident("\"order\""), "order");
        assert_eq!(unquote_ident("a\"b"), "a\"b");
        assert_eq!(unquote_ident("\"x\"\"y\""), "x\"y");
        assert_eq!(unquote_ident("lower(email)"), "lower(email)");
    }
}
