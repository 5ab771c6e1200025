//! Rules that relate keys, fields and types of one item. Each `check_*` records its mistakes
//! in the [`Ctxt`] and never stops the others.

use super::attr::{one_of, List};
use super::ctxt::Ctxt;
use super::suggest::closest;
use super::symbol::{self, FK_ACTIONS};
use super::table::{Field, Table};
use crate::decl::{DefaultDecl, FkAction, ReferenceDecl, TypeDecl};
use crate::naming::unraw;
use std::collections::BTreeMap;
use syn::{Expr, ExprLit, ExprUnary, Generics, Ident, Lit, LitStr, UnOp};

pub(crate) fn check_table(cx: &Ctxt, table: &Table) {
    check_has_columns(cx, table);
    check_renamed_from_differs(cx, table);
    check_skip_alone(cx, table);
    check_duplicate_columns(cx, table);
    check_primary_key(cx, table);
    check_auto_increment(cx, table);
    check_defaults(cx, table);
    check_references(cx, table);
    check_lists(cx, table);
    check_checks(cx, table);
    check_explicit_names_unique(cx, table);
}

/// Generic structs and enums have no single SQL shape.
pub(crate) fn check_no_generics(cx: &Ctxt, generics: &Generics, derive: &str) {
    if !generics.params.is_empty() {
        cx.error_spanned_by(
            generics,
            format!("`#[derive({derive})]` does not support generic parameters: a table or enum type has one fixed shape"),
        );
    }
}

// A table needs at least one column.
fn check_has_columns(cx: &Ctxt, table: &Table) {
    if table.fields.iter().all(Field::skipped) {
        cx.error_spanned_by(
            table.ident,
            format!(
                "`{}` has no columns: a table needs at least one field without `skip`",
                table.ident
            ),
        );
    }
}

// `renamed_from` names the old name; equal to the current one it would rename nothing.
fn check_renamed_from_differs(cx: &Ctxt, table: &Table) {
    if let Some(old) = table.attrs.renamed_from.value() {
        if old.value() == table.name {
            cx.error_spanned_by(
                old,
                format!("`renamed_from` is the table's current name `{}`: remove it, or give the old name", table.name),
            );
        }
    }
    for field in &table.fields {
        if let Some(old) = field.attrs.renamed_from.value() {
            if old.value() == field.column {
                cx.error_spanned_by(
                    old,
                    format!("`renamed_from` is the column's current name `{}`: remove it, or give the old name", field.column),
                );
            }
        }
    }
}

// A skipped field is not a column, so column keys on it would silently do nothing.
fn check_skip_alone(cx: &Ctxt, table: &Table) {
    for field in table.fields.iter().filter(|f| f.skipped()) {
        for key in field.attrs.column_keys() {
            cx.error_spanned_by(
                key,
                format!("`{key}` has no effect on a skipped field: remove it, or remove `skip`"),
            );
        }
    }
}

// Two fields may not end up as the same SQL column (`column = "..."` can make them collide).
fn check_duplicate_columns(cx: &Ctxt, table: &Table) {
    let mut seen: BTreeMap<&str, &Field> = BTreeMap::new();
    for field in table.fields.iter().filter(|f| !f.skipped()) {
        match seen.get(field.column.as_str()) {
            Some(first) => {
                let message = format!(
                    "column `{}` is declared twice, by field `{}` and by field `{}`: rename one with `#[schema(column = \"...\")]`",
                    field.column, first.ident, field.ident
                );
                match field.attrs.column.value() {
                    Some(lit) => cx.error_spanned_by(lit, message),
                    None => cx.error_spanned_by(field.ident, message),
                }
            }
            None => {
                seen.insert(&field.column, field);
            }
        }
    }
}

// One primary key per table: a field flag, or one composite list on the struct.
fn check_primary_key(cx: &Ctxt, table: &Table) {
    let mut first: Option<&Field> = None;
    for field in &table.fields {
        let Some(key) = field.attrs.primary_key.key() else {
            continue;
        };
        if table.attrs.primary_key.is_set() {
            cx.error_spanned_by(
                key,
                "the struct already declares `primary_key(...)`: remove this `primary_key`, or list this field there",
            );
        } else if let Some(first) = first {
            cx.error_spanned_by(
                key,
                format!(
                    "a table has one primary key and `{}` already is it: for a composite key write `#[schema(primary_key({}, {}))]` on the struct",
                    first.ident, first.ident, field.ident
                ),
            );
        } else {
            first = Some(field);
        }
    }
}

// The database generates the value of an integer primary key.
fn check_auto_increment(cx: &Ctxt, table: &Table) {
    for field in &table.fields {
        let Some(key) = field.attrs.auto_increment.key() else {
            continue;
        };
        if field.skipped() {
            continue;
        }
        if !field.attrs.primary_key.is_set() {
            cx.error_spanned_by(key, "`auto_increment` needs the field to be the primary key: add `primary_key`, as in `#[schema(primary_key, auto_increment)]`");
        }
        if let Some(read) = &field.read {
            let integer = matches!(read.ty, TypeDecl::I16 | TypeDecl::I32 | TypeDecl::I64)
                && read.unresolved.is_none();
            if !integer || read.nullable {
                cx.error_spanned_by(
                    field.ty,
                    format!("`auto_increment` needs an integer type (`i16`, `i32` or `i64`), but field `{}` is `{}`", field.ident, read.reads_as),
                );
            }
        }
        if let Some(default) = field.attrs.default.key().or(field.attrs.default_sql.key()) {
            cx.error_spanned_by(default, format!("an `auto_increment` column gets its value from the database: remove `{default}`"));
        }
    }
}

// `default` is a literal of the column's kind; `default_sql` is the raw alternative.
fn check_defaults(cx: &Ctxt, table: &Table) {
    for field in table.fields.iter().filter(|f| !f.skipped()) {
        if let (Some(_), Some(key)) = (field.attrs.default.key(), field.attrs.default_sql.key()) {
            cx.error_spanned_by(
                key,
                "`default` and `default_sql` both set a default: keep one",
            );
        }
        let Some(expr) = field.attrs.default.value() else {
            continue;
        };
        let value = match parse_default(expr) {
            Ok(value) => value,
            Err(message) => {
                cx.error_spanned_by(expr, message);
                continue;
            }
        };
        if field.attrs.sql_type.is_set() {
            continue;
        }
        let Some(read) = &field.read else { continue };
        if let Err(message) = default_fits(&value, &read.ty, &read.reads_as) {
            cx.error_spanned_by(expr, message);
        }
    }
}

/// A `default = <literal>` value, or what is wrong with it.
fn parse_default(expr: &Expr) -> Result<DefaultDecl, String> {
    let not_literal = || {
        "`default` takes a literal (integer, float, bool or string): for an SQL expression write `default_sql = \"...\"`".to_string()
    };
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit {
                lit: lit @ (Lit::Int(_) | Lit::Float(_)),
                ..
            }) => (true, lit),
            _ => return Err(not_literal()),
        },
        Expr::Group(g) => return parse_default(&g.expr),
        _ => return Err(not_literal()),
    };
    let sign = if negative { "-" } else { "" };
    match lit {
        Lit::Int(int) => format!("{sign}{}", int.base10_digits())
            .parse::<i64>()
            .map(DefaultDecl::Int)
            .map_err(|_| "integer default out of range: it must fit in `i64`".to_string()),
        Lit::Float(float) => Ok(DefaultDecl::Float(format!(
            "{sign}{}",
            float.base10_digits()
        ))),
        Lit::Bool(b) => Ok(DefaultDecl::Bool(b.value)),
        Lit::Str(s) => Ok(DefaultDecl::Str(s.value())),
        _ => Err(not_literal()),
    }
}

/// Whether a default literal suits the column's logical type.
fn default_fits(value: &DefaultDecl, ty: &TypeDecl, reads_as: &str) -> Result<(), String> {
    use TypeDecl as T;
    let (got, fits) = match value {
        DefaultDecl::Int(n) => {
            let range = match ty {
                T::I16 => Some((i16::MIN as i64, i16::MAX as i64)),
                T::I32 => Some((i32::MIN as i64, i32::MAX as i64)),
                _ => None,
            };
            if let Some((lo, hi)) = range {
                if *n < lo || *n > hi {
                    return Err(format!(
                        "default {n} does not fit in `{reads_as}` (from {lo} to {hi})"
                    ));
                }
            }
            (
                "an integer",
                matches!(ty, T::I16 | T::I32 | T::I64 | T::F32 | T::F64 | T::Decimal),
            )
        }
        DefaultDecl::Float(_) => ("a float", matches!(ty, T::F32 | T::F64 | T::Decimal)),
        DefaultDecl::Bool(_) => ("a bool", matches!(ty, T::Bool)),
        DefaultDecl::Str(_) => (
            "a string",
            matches!(
                ty,
                T::String
                    | T::Uuid
                    | T::Date
                    | T::Time
                    | T::DateTime
                    | T::DateTimeTz
                    | T::Json
                    | T::Enum(_)
            ),
        ),
        DefaultDecl::Sql(_) => ("an SQL expression", true),
    };
    if fits {
        return Ok(());
    }
    let expected = match ty {
        T::Bool => "`default = true` or `default = false`",
        T::I16 | T::I32 | T::I64 => "an integer, as in `default = 0`",
        T::F32 | T::F64 | T::Decimal => "a number, as in `default = 0.0`",
        T::Bytes | T::Array(_) => "no literal: use `default_sql = \"...\"`",
        _ => "a string, as in `default = \"...\"`",
    };
    Err(format!(
        "{got} default does not fit `{reads_as}`: expected {expected}"
    ))
}

/// The checked `default`/`default_sql` of a field.
pub(crate) fn default_decl(field: &Field) -> Option<DefaultDecl> {
    if let Some(sql) = field.attrs.default_sql.value() {
        return Some(DefaultDecl::Sql(sql.value()));
    }
    field
        .attrs
        .default
        .value()
        .and_then(|e| parse_default(e).ok())
}

// `references = "table.column"`, with `on_delete`/`on_update` among the SQL actions.
fn check_references(cx: &Ctxt, table: &Table) {
    for field in table.fields.iter().filter(|f| !f.skipped()) {
        if let Some(lit) = field.attrs.references.value() {
            if parse_reference(lit).is_none() {
                cx.error_spanned_by(
                    lit,
                    format!("`references` names an SQL table and column, as in `references = \"orgs.id\"`, not `{}`", lit.value()),
                );
            }
        }
        for slot in [&field.attrs.on_delete, &field.attrs.on_update] {
            let Some(key) = slot.get() else { continue };
            if !field.attrs.references.is_set() {
                cx.error_spanned_by(
                    &key.key,
                    format!(
                        "`{}` needs a foreign key: add `references = \"table.column\"`",
                        key.key
                    ),
                );
            }
            if parse_action(&key.value).is_none() {
                let given = key.value.value();
                let hint = closest(&given.to_lowercase(), FK_ACTIONS)
                    .map(|s| format!(": did you mean `\"{s}\"`?"))
                    .unwrap_or_else(|| format!(": expected {}", one_of(FK_ACTIONS)));
                cx.error_spanned_by(
                    &key.value,
                    format!("unknown action `{given}` for `{}`{hint}", key.key),
                );
            }
        }
    }
}

fn parse_reference(lit: &LitStr) -> Option<(String, String)> {
    let value = lit.value();
    let (table, column) = value.split_once('.')?;
    let valid = |s: &str| !s.is_empty() && s.trim() == s && !s.contains('.');
    (valid(table) && valid(column)).then(|| (table.to_string(), column.to_string()))
}

fn parse_action(lit: &LitStr) -> Option<FkAction> {
    let words: Vec<String> = lit
        .value()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let action = match words.join(" ").as_str() {
        "cascade" => FkAction::Cascade,
        "restrict" => FkAction::Restrict,
        "set null" => FkAction::SetNull,
        "set default" => FkAction::SetDefault,
        "no action" => FkAction::NoAction,
        _ => return None,
    };
    Some(action)
}

/// The checked `references` of a field.
pub(crate) fn reference_decl(field: &Field) -> Option<ReferenceDecl> {
    let (table, column) = parse_reference(field.attrs.references.value()?)?;
    Some(ReferenceDecl {
        table,
        column,
        on_delete: field.attrs.on_delete.value().and_then(parse_action),
        on_update: field.attrs.on_update.value().and_then(parse_action),
    })
}

// `index(...)`, `unique(...)` and `primary_key(...)` name existing, non-skipped fields, once each.
fn check_lists(cx: &Ctxt, table: &Table) {
    let lists = table
        .attrs
        .indexes
        .iter()
        .chain(&table.attrs.uniques)
        .chain(table.attrs.primary_key.value());
    for list in lists {
        check_list_columns(cx, table, list);
    }
}

fn check_list_columns(cx: &Ctxt, table: &Table, list: &List) {
    if list.columns.is_empty() {
        cx.error_spanned_by(
            &list.key,
            format!(
                "`{}(...)` needs at least one field: `{}(a, b)`",
                list.key, list.key
            ),
        );
    }
    let mut seen: Vec<String> = Vec::new();
    for ident in &list.columns {
        let name = unraw(&ident.to_string()).to_string();
        match table.field(&name) {
            None => {
                let names: Vec<&str> = table.fields.iter().map(|f| f.name.as_str()).collect();
                let hint = closest(&name, &names)
                    .map(|s| format!(": did you mean `{s}`?"))
                    .unwrap_or_default();
                cx.error_spanned_by(
                    ident,
                    format!("no field `{name}` in `{}`{hint}", table.ident),
                );
            }
            Some(field) if field.skipped() => {
                cx.error_spanned_by(ident, format!("field `{name}` is skipped, so it is not a column: remove it from `{}(...)`", list.key));
            }
            Some(_) if seen.contains(&name) => {
                cx.error_spanned_by(
                    ident,
                    format!("field `{name}` is listed twice in `{}(...)`", list.key),
                );
            }
            Some(_) => seen.push(name),
        }
    }
}

// A check constraint needs both its name and its SQL expression.
fn check_checks(cx: &Ctxt, table: &Table) {
    for list in &table.attrs.checks {
        for option in [symbol::NAME, symbol::EXPR] {
            if !list.written.iter().any(|w| w == option) {
                cx.error_spanned_by(
                    &list.key,
                    format!("`check` needs `{option} = \"...\"`: `check(name = \"...\", expr = \"...\")`"),
                );
            }
        }
    }
}

// Index, unique and check names share one namespace per table (PostgreSQL even per schema):
// two of them with the same explicit name would fail when the migration runs.
fn check_explicit_names_unique(cx: &Ctxt, table: &Table) {
    let lists = table
        .attrs
        .indexes
        .iter()
        .chain(&table.attrs.uniques)
        .chain(&table.attrs.checks);
    let mut seen: BTreeMap<String, &Ident> = BTreeMap::new();
    for list in lists {
        let Some(name) = list.option(symbol::NAME) else {
            continue;
        };
        match seen.get(&name.value()) {
            Some(first) => cx.error_spanned_by(
                name,
                format!("name `{}` is already used by `{first}(...)` on this table: give this one another `name`", name.value()),
            ),
            None => {
                seen.insert(name.value(), &list.key);
            }
        }
    }
}
