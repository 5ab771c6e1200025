//! One field -> one column: its SQL type, nullability, canonical default and auto-increment.

use crate::decl::{ColumnDecl, DefaultDecl, TypeDecl};
use crate::dialect::Dialect;
use crate::model::{Column, Enum};
use crate::sql_expr::canonical_expr;
use crate::types::{mysql_enum_type, quote_literal, sql_type};
use std::collections::BTreeMap;

/// The enum a column is typed with (directly or as an array element).
pub(super) fn enum_of(ty: &TypeDecl) -> Option<&str> {
    match ty {
        TypeDecl::Enum(name) => Some(name),
        TypeDecl::Array(inner) => enum_of(inner),
        _ => None,
    }
}

fn column_type(
    c: &ColumnDecl,
    enums: &BTreeMap<String, Enum>,
    dialect: Dialect,
) -> Result<String, String> {
    if let Some(name) = enum_of(&c.ty) {
        let Some(e) = enums.get(name) else {
            return Err(format!(
                "enum type `{name}` is not declared: derive `Enum` on it (`#[derive(Enum)]`) or set `sql_type = \"...\"`"
            ));
        };
        return match (&c.ty, dialect) {
            (TypeDecl::Enum(_), Dialect::Mysql) => Ok(mysql_enum_type(&e.values)),
            (TypeDecl::Array(_), Dialect::Postgres) => Ok(format!("{name}[]")),
            (TypeDecl::Array(_), _) => Err(format!(
                "`Vec<T>` arrays exist only on PostgreSQL, not on {dialect}: add `#[schema(sql_type = \"...\")]` (for example `text`) or use a separate table"
            )),
            _ => sql_type(&c.ty, dialect, false).map_err(|u| u.message),
        };
    }
    let rowid_key = dialect == Dialect::Sqlite && c.auto_increment;
    sql_type(&c.ty, dialect, rowid_key).map_err(|u| u.message)
}

fn is_integer(ty: &TypeDecl) -> bool {
    match ty {
        TypeDecl::I16 | TypeDecl::I32 | TypeDecl::I64 => true,
        TypeDecl::Sql(s) => {
            let s = s.to_ascii_lowercase();
            s.contains("int") || s.contains("serial")
        }
        _ => false,
    }
}

/// The default as a SQL literal, checked against the column's type.
fn default_sql(
    c: &ColumnDecl,
    enums: &BTreeMap<String, Enum>,
    dialect: Dialect,
) -> Result<Option<String>, String> {
    use TypeDecl as T;
    let Some(d) = &c.default else {
        return Ok(None);
    };
    let numeric = matches!(
        c.ty,
        T::I16 | T::I32 | T::I64 | T::F32 | T::F64 | T::Decimal | T::Sql(_)
    );
    let mismatch = |lit: &str| {
        Err(format!(
            "`default = {lit}` does not fit a `{}` column: write a literal of the column's type, or use `default_sql = \"...\"`",
            type_word(&c.ty)
        ))
    };
    let raw = match d {
        DefaultDecl::Int(i) if numeric => i.to_string(),
        DefaultDecl::Int(i) => return mismatch(&i.to_string()),
        DefaultDecl::Float(f) if matches!(c.ty, T::F32 | T::F64 | T::Decimal | T::Sql(_)) => {
            f.clone()
        }
        DefaultDecl::Float(f) => return mismatch(f),
        DefaultDecl::Bool(b) if matches!(c.ty, T::Bool | T::Sql(_)) => b.to_string(),
        DefaultDecl::Bool(b) => return mismatch(&b.to_string()),
        DefaultDecl::Str(s) => {
            if let T::Enum(name) = &c.ty {
                let values = enums.get(name).map(|e| e.values.as_slice()).unwrap_or(&[]);
                if !values.contains(s) {
                    return Err(format!(
                        "`default = \"{s}\"` is not a value of enum `{name}`; its values are: {}",
                        values.join(", ")
                    ));
                }
            } else if matches!(
                c.ty,
                T::Bool | T::I16 | T::I32 | T::I64 | T::F32 | T::F64 | T::Bytes | T::Array(_)
            ) {
                return mismatch(&format!("\"{s}\""));
            }
            quote_literal(s)
        }
        DefaultDecl::Sql(s) => {
            if s.trim().is_empty() {
                return Err(
                    "`default_sql` is empty: write a SQL expression such as `now()`".into(),
                );
            }
            s.clone()
        }
    };
    Ok(Some(canonical_expr(&raw, dialect)))
}

fn type_word(ty: &TypeDecl) -> String {
    match ty {
        TypeDecl::Enum(n) => format!("enum {n}"),
        TypeDecl::Sql(s) => s.clone(),
        TypeDecl::Array(inner) => format!("Vec<{}>", type_word(inner)),
        other => format!("{other:?}"),
    }
}

/// The column, or every problem with it (as messages for the field).
pub(super) fn resolve_column(
    c: &ColumnDecl,
    enums: &BTreeMap<String, Enum>,
    dialect: Dialect,
    single_key: bool,
) -> (Column, Vec<String>) {
    let mut problems = Vec::new();
    let ty = column_type(c, enums, dialect).unwrap_or_else(|m| {
        problems.push(m);
        String::new()
    });
    let default = default_sql(c, enums, dialect).unwrap_or_else(|m| {
        problems.push(m);
        None
    });
    if let Err(m) = super::check_length(&c.name, "column name", dialect) {
        problems.push(m);
    }
    if c.primary_key && c.nullable {
        problems.push(
            "a primary key column cannot be `Option<T>`: remove the `Option` or the `primary_key`"
                .into(),
        );
    }
    if c.auto_increment {
        if !is_integer(&c.ty) {
            problems
                .push("`auto_increment` needs an integer column (`i16`, `i32` or `i64`)".into());
        }
        if c.nullable {
            problems.push("an `auto_increment` column cannot be `Option<T>`".into());
        }
        if c.default.is_some() {
            problems.push("`auto_increment` and `default` exclude each other: remove one".into());
        }
        match dialect {
            Dialect::Sqlite if !(c.primary_key && single_key) => problems.push(
                "on SQLite `auto_increment` must be on the one `primary_key` column (SQLite's `integer PRIMARY KEY AUTOINCREMENT`)".into(),
            ),
            Dialect::Mysql if !c.primary_key => problems.push(
                "on MySQL an `auto_increment` column must be the `primary_key`".into(),
            ),
            _ => {}
        }
    }
    let column = Column {
        name: c.name.clone(),
        ty,
        nullable: c.nullable,
        default,
        auto_increment: c.auto_increment,
    };
    (column, problems)
}
