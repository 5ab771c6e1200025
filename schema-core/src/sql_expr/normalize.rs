//! Rewrites of the tree: what databases add is dropped ([`simplify`]), renames applied.

use super::parse::{Expr, TIME_KEYWORDS};
use crate::dialect::Dialect;

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Keyword(_) => true,
        Expr::Array(items) => items.iter().all(is_literal),
        _ => false,
    }
}

fn is_text_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "text" | "varchar" | "character varying" | "char" | "character" | "bpchar" | "text[]"
    ) || ty.ends_with("varying[]")
}

fn is_numeric_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "integer"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "smallint"
            | "bigint"
            | "numeric"
            | "decimal"
            | "real"
            | "double precision"
            | "float4"
            | "float8"
    )
}

/// Drops what a database adds: casts of literals (and the text casts PostgreSQL puts on
/// columns compared with text), and rewrites `x = ANY (ARRAY[...])` as `x IN (...)`.
pub(super) fn simplify(e: Expr) -> Expr {
    use Expr::*;
    let b = |e: Box<Expr>| Box::new(simplify(*e));
    match e {
        Cast(inner, ty) => {
            let inner = simplify(*inner);
            match inner {
                Str(s) if is_numeric_type(&ty) && s.trim().parse::<f64>().is_ok() => {
                    Num(s.trim().to_string())
                }
                lit if is_literal(&lit) => lit,
                Ident(parts) if is_text_type(&ty) => Ident(parts),
                other => Cast(Box::new(other), ty),
            }
        }
        Num(n) => Num(canonical_number(&n)),
        // MariaDB prints `CURRENT_TIMESTAMP` as `current_timestamp()`.
        Func(name, args) if args.is_empty() && TIME_KEYWORDS.contains(&name.as_str()) => {
            Keyword(name)
        }
        Func(name, args) => Func(name, args.into_iter().map(simplify).collect()),
        Array(items) => Array(items.into_iter().map(simplify).collect()),
        Unary(op, inner) => Unary(op, b(inner)),
        Binary(op, l, r) => Binary(op, b(l), b(r)),
        Logic(op, items) => {
            let mut flat = Vec::new();
            for item in items.into_iter().map(simplify) {
                match item {
                    Logic(inner, sub) if inner == op => flat.extend(sub),
                    other => flat.push(other),
                }
            }
            Logic(op, flat)
        }
        IsNull(inner, neg) => IsNull(b(inner), neg),
        In(l, items, neg) => In(b(l), items.into_iter().map(simplify).collect(), neg),
        AnyArray(l, op, array) => match (op.as_str(), simplify(*array)) {
            ("= ANY", Array(items)) => In(b(l), items, false),
            ("<> ALL", Array(items)) => In(b(l), items, true),
            (_, array) => AnyArray(b(l), op, Box::new(array)),
        },
        // PostgreSQL stores `x BETWEEN a AND b` as `x >= a AND x <= b`.
        Between(x, lo, hi, neg) => {
            let (x, lo, hi) = (simplify(*x), simplify(*lo), simplify(*hi));
            let (low_op, high_op, join) = if neg {
                ("<", ">", "OR")
            } else {
                (">=", "<=", "AND")
            };
            Logic(
                join,
                vec![
                    Binary(low_op.into(), Box::new(x.clone()), Box::new(lo)),
                    Binary(high_op.into(), Box::new(x), Box::new(hi)),
                ],
            )
        }
        Like(l, op, r, neg) => Like(b(l), op, b(r), neg),
        other => other,
    }
}

/// `1.50` -> `1.5`, `2.0` -> `2`: PostgreSQL prints a float default without the zeros written.
fn canonical_number(n: &str) -> String {
    if n.contains('.') && !n.contains(['e', 'E']) {
        let trimmed = n.trim_end_matches('0').trim_end_matches('.');
        if trimmed.is_empty() || trimmed == "-" {
            return "0".into();
        }
        return trimmed.to_string();
    }
    n.to_string()
}

pub(super) fn rename_idents(e: Expr, new_name: &dyn Fn(&str) -> Option<String>) -> Expr {
    match e {
        Expr::Ident(parts) if parts.len() == 1 => match new_name(&parts[0]) {
            Some(renamed) => Expr::Ident(vec![renamed]),
            None => Expr::Ident(parts),
        },
        other => map_children(other, &|child| rename_idents(child, new_name)),
    }
}

/// `e` with `f` applied to each of its direct sub-expressions.
fn map_children(e: Expr, f: &dyn Fn(Expr) -> Expr) -> Expr {
    use Expr::*;
    let b = |e: Box<Expr>| Box::new(f(*e));
    let all = |items: Vec<Expr>| items.into_iter().map(f).collect();
    match e {
        Func(name, args) => Func(name, all(args)),
        Array(items) => Array(all(items)),
        Cast(inner, ty) => Cast(b(inner), ty),
        Unary(op, inner) => Unary(op, b(inner)),
        Binary(op, l, r) => Binary(op, b(l), b(r)),
        Logic(op, items) => Logic(op, all(items)),
        IsNull(inner, neg) => IsNull(b(inner), neg),
        In(l, items, neg) => In(b(l), all(items), neg),
        AnyArray(l, op, array) => AnyArray(b(l), op, b(array)),
        Between(x, lo, hi, neg) => Between(b(x), b(lo), b(hi), neg),
        Like(l, op, r, neg) => Like(b(l), op, b(r), neg),
        leaf => leaf,
    }
}

/// MariaDB stores `length(x)` (bytes there) as `octet_length(x)`: fold it back.
pub(super) fn function_aliases(e: Expr, dialect: Dialect) -> Expr {
    if dialect != Dialect::Mysql {
        return e;
    }
    rename_functions(e, &|name| (name == "octet_length").then_some("length"))
}

fn rename_functions(e: Expr, alias: &dyn Fn(&str) -> Option<&'static str>) -> Expr {
    match map_children(e, &|child| rename_functions(child, alias)) {
        Expr::Func(name, args) => Expr::Func(alias(&name).map_or(name, str::to_string), args),
        other => other,
    }
}
