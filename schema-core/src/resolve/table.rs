//! One `#[derive(Table)]` struct -> one table: columns, primary key, uniques, indexes,
//! foreign keys and checks, with default names and the dialect's enum representation.

use super::columns::resolve_column;
use super::{check_length, ResolveError};
use crate::decl::{TableDecl, TypeDecl};
use crate::dialect::Dialect;
use crate::model::{Check, Enum, FkAction, ForeignKey, Index, PrimaryKey, Table, Unique};
use crate::naming::{self, fit};
use crate::sql_expr::canonical_expr;
use crate::types::quote_literal;
use std::collections::BTreeMap;

struct Ctx<'a> {
    decl: &'a TableDecl,
    errors: &'a mut Vec<ResolveError>,
}

impl Ctx<'_> {
    fn err(&mut self, field: Option<&str>, message: impl Into<String>) {
        self.errors
            .push(ResolveError::on(&self.decl.rust_name, field, message));
    }

    /// Every listed column exists in the table.
    fn check_columns(&mut self, what: &str, cols: &[String], table: &Table) -> bool {
        let mut ok = true;
        if cols.is_empty() {
            self.err(None, format!("{what} lists no columns"));
            return false;
        }
        for c in cols {
            if table.column(c).is_none() {
                self.err(
                    None,
                    format!(
                        "{what} names `{c}`, which is not a column of `{}`",
                        table.name
                    ),
                );
                ok = false;
            }
        }
        ok
    }
}

pub(super) fn resolve_table(
    decl: &TableDecl,
    enums: &BTreeMap<String, Enum>,
    dialect: Dialect,
    errors: &mut Vec<ResolveError>,
) -> Table {
    let mut cx = Ctx { decl, errors };
    let name = decl.name.clone();
    if let Err(m) = check_length(&name, "table name", dialect) {
        cx.err(None, m);
    }
    let field_keys: Vec<&str> = decl
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.as_str())
        .collect();
    let single_key = decl.primary_key.is_none() && field_keys.len() == 1;

    let mut table = Table {
        name: name.clone(),
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
    };
    for c in &decl.columns {
        if table.column(&c.name).is_some() {
            cx.err(
                Some(&c.field),
                format!("column `{}` appears twice: give one field another `#[schema(column = \"...\")]`", c.name),
            );
            continue;
        }
        let (column, problems) = resolve_column(c, enums, dialect, single_key);
        for p in problems {
            cx.err(Some(&c.field), p);
        }
        table.columns.push(column);
    }
    if table.columns.is_empty() {
        cx.err(
            None,
            "a table needs at least one column (every field is `skip`ped)",
        );
    }

    primary_key(&mut cx, &mut table, &field_keys, dialect);
    uniques_and_indexes(&mut cx, &mut table, dialect);
    foreign_keys(&mut cx, &mut table, dialect);
    checks(&mut cx, &mut table, enums, dialect);
    if dialect == Dialect::Mysql {
        checks_on_changed_key_columns(&mut cx, &table);
    }

    table.uniques.sort_by(|a, b| a.name.cmp(&b.name));
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    table.checks.sort_by(|a, b| a.name.cmp(&b.name));
    duplicate_names(&mut cx, &table);
    table
}

fn primary_key(cx: &mut Ctx<'_>, table: &mut Table, field_keys: &[&str], dialect: Dialect) {
    let columns: Vec<String> = match (&cx.decl.primary_key, field_keys) {
        (Some(_), [_, ..]) => {
            cx.err(
                None,
                "both `primary_key(...)` on the struct and `primary_key` on a field: keep one",
            );
            return;
        }
        (Some(cols), []) => cols.clone(),
        (None, [one]) => vec![one.to_string()],
        (None, []) => return,
        (None, _) => {
            cx.err(
                None,
                format!(
                    "`primary_key` is on several fields ({}): for a composite key write `#[schema(primary_key({}))]` on the struct",
                    field_keys.join(", "),
                    field_keys.join(", ")
                ),
            );
            return;
        }
    };
    if !cx.check_columns("`primary_key(...)`", &columns, table) {
        return;
    }
    for c in &columns {
        if table.column(c).is_some_and(|col| col.nullable) {
            cx.err(
                None,
                format!("primary key column `{c}` cannot be `Option<T>`"),
            );
        }
    }
    table.primary_key = Some(PrimaryKey {
        name: fit(&naming::primary_key_name(&table.name), dialect),
        columns,
    });
}

fn uniques_and_indexes(cx: &mut Ctx<'_>, table: &mut Table, dialect: Dialect) {
    let decl = cx.decl;
    let mut uniques: Vec<(Option<String>, Vec<String>)> = decl
        .columns
        .iter()
        .filter(|c| c.unique)
        .map(|c| (None, vec![c.name.clone()]))
        .collect();
    uniques.extend(
        decl.uniques
            .iter()
            .map(|u| (u.name.clone(), u.columns.clone())),
    );
    for (explicit, columns) in uniques {
        if !cx.check_columns("`unique(...)`", &columns, table) {
            continue;
        }
        let name = named(
            cx,
            explicit,
            naming::unique_name(&table.name, &columns),
            dialect,
        );
        if dialect == Dialect::Sqlite {
            table.indexes.push(Index {
                name,
                columns,
                unique: true,
                predicate: None,
            });
        } else {
            table.uniques.push(Unique { name, columns });
        }
    }

    let mut indexes: Vec<(Option<String>, Vec<String>, Option<String>)> = decl
        .columns
        .iter()
        .filter(|c| c.index)
        .map(|c| (None, vec![c.name.clone()], None))
        .collect();
    indexes.extend(
        decl.indexes
            .iter()
            .map(|i| (i.name.clone(), i.columns.clone(), i.predicate.clone())),
    );
    for (explicit, columns, predicate) in indexes {
        if !cx.check_columns("`index(...)`", &columns, table) {
            continue;
        }
        if predicate.is_some() && dialect == Dialect::Mysql {
            cx.err(
                None,
                "MySQL has no partial indexes: remove `where = ...` from this index",
            );
            continue;
        }
        let name = named(
            cx,
            explicit,
            naming::index_name(&table.name, &columns),
            dialect,
        );
        table.indexes.push(Index {
            name,
            columns,
            unique: false,
            predicate: predicate.map(|p| canonical_expr(&p, dialect)),
        });
    }
}

/// The user's name (checked, never changed) or the default name fitted to the dialect.
fn named(cx: &mut Ctx<'_>, explicit: Option<String>, default: String, dialect: Dialect) -> String {
    match explicit {
        Some(n) => {
            if let Err(m) = check_length(&n, "name", dialect) {
                cx.err(None, m);
            }
            n
        }
        None => fit(&default, dialect),
    }
}

fn foreign_keys(cx: &mut Ctx<'_>, table: &mut Table, dialect: Dialect) {
    let decl = cx.decl;
    for c in &decl.columns {
        let Some(r) = &c.references else { continue };
        let on_delete = fk_action(r.on_delete.unwrap_or_default(), dialect);
        let on_update = fk_action(r.on_update.unwrap_or_default(), dialect);
        use crate::model::FkAction::{SetDefault, SetNull};
        if (on_delete == SetNull || on_update == SetNull) && !c.nullable {
            cx.err(
                Some(&c.field),
                "`set null` needs a nullable column: make the field `Option<T>` or pick another action",
            );
        }
        if dialect == Dialect::Mysql && (on_delete == SetDefault || on_update == SetDefault) {
            cx.err(
                Some(&c.field),
                "InnoDB does not carry out `set default` (MySQL refuses it, MariaDB accepts it and does nothing): pick another action",
            );
        }
        table.foreign_keys.push(ForeignKey {
            name: fit(&naming::foreign_key_name(&table.name, &c.name), dialect),
            columns: vec![c.name.clone()],
            ref_table: r.table.clone(),
            ref_columns: vec![r.column.clone()],
            on_delete,
            on_update,
        });
    }
}

/// InnoDB makes `RESTRICT` and `NO ACTION` one rule (checked at once, never deferred) and
/// introspection reports both as one (`RESTRICT`, read as no action): on MySQL a declared
/// `restrict` is stored as no action, so the resolved schema equals the introspected one.
pub(crate) fn fk_action(action: FkAction, dialect: Dialect) -> FkAction {
    match (dialect, action) {
        (Dialect::Mysql, FkAction::Restrict) => FkAction::NoAction,
        _ => action,
    }
}

/// MySQL and MariaDB refuse a check that reads a column its foreign key's action writes
/// (`on update cascade`/`set null`, `on delete set null`; error 1901 / 3823).
fn checks_on_changed_key_columns(cx: &mut Ctx<'_>, table: &Table) {
    use crate::model::FkAction::{Cascade, SetDefault, SetNull};
    let written: Vec<(&str, &ForeignKey)> = table
        .foreign_keys
        .iter()
        .filter(|fk| {
            matches!(fk.on_update, Cascade | SetNull | SetDefault)
                || matches!(fk.on_delete, SetNull | SetDefault)
        })
        .flat_map(|fk| fk.columns.iter().map(move |c| (c.as_str(), fk)))
        .collect();
    if written.is_empty() {
        return;
    }
    for check in &table.checks {
        let read = std::cell::RefCell::new(Vec::new());
        crate::sql_expr::rename_columns(
            &check.expr,
            |name| {
                read.borrow_mut().push(name.to_string());
                None
            },
            Dialect::Mysql,
        );
        for (column, fk) in &written {
            if read.borrow().iter().any(|r| r == column) {
                cx.err(
                    None,
                    format!(
                        "check `{}` reads column `{column}`, which foreign key `{}` changes (on delete {}, on update {}); MySQL refuses a check on such a column: drop the check or pick no action, restrict or (on delete) cascade",
                        check.name,
                        fk.name,
                        fk.on_delete.as_str(),
                        fk.on_update.as_str()
                    ),
                );
            }
        }
    }
}

fn checks(cx: &mut Ctx<'_>, table: &mut Table, enums: &BTreeMap<String, Enum>, dialect: Dialect) {
    let decl = cx.decl;
    for ch in &decl.checks {
        if let Err(m) = check_length(&ch.name, "check name", dialect) {
            cx.err(None, m);
        }
        if ch.expr.trim().is_empty() {
            cx.err(None, format!("check `{}` has an empty `expr`", ch.name));
            continue;
        }
        table.checks.push(Check {
            name: ch.name.clone(),
            expr: canonical_expr(&ch.expr, dialect),
        });
    }
    if dialect != Dialect::Sqlite {
        return;
    }
    for c in &decl.columns {
        let TypeDecl::Enum(name) = &c.ty else {
            continue;
        };
        let Some(values) = enums.get(name) else {
            continue;
        };
        table.checks.push(Check {
            name: fit(&naming::column_check_name(&table.name, &c.name), dialect),
            expr: enum_check_expr(&c.name, &values.values, dialect),
        });
    }
}

/// `role IN ('a', 'b')`, in the canonical expression text.
pub(crate) fn enum_check_expr(column: &str, values: &[String], dialect: Dialect) -> String {
    let vals: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
    let quoted = format!("\"{}\"", column.replace('"', "\"\""));
    canonical_expr(&format!("{quoted} IN ({})", vals.join(", ")), dialect)
}

/// Constraint names are unique within a table (PostgreSQL requires it across kinds).
fn duplicate_names(cx: &mut Ctx<'_>, table: &Table) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let names = table
        .primary_key
        .iter()
        .map(|p| (p.name.as_str(), "primary key"))
        .chain(
            table
                .uniques
                .iter()
                .map(|u| (u.name.as_str(), "unique constraint")),
        )
        .chain(table.indexes.iter().map(|i| (i.name.as_str(), "index")))
        .chain(
            table
                .foreign_keys
                .iter()
                .map(|f| (f.name.as_str(), "foreign key")),
        )
        .chain(table.checks.iter().map(|c| (c.name.as_str(), "check")));
    let mut dups = Vec::new();
    for (name, kind) in names {
        if let Some(other) = seen.insert(name, kind) {
            dups.push(format!(
                "the name `{name}` is used by a {other} and a {kind} of `{}`: name one of them explicitly (`name = \"...\"`) or remove the duplicate",
                table.name
            ));
        }
    }
    for d in dups {
        cx.err(None, d);
    }
}
