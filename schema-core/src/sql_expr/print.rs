//! The tree back to text, with as few parentheses as precedence allows.

use super::parse::{Expr, ADD, AND, CMP, CONCAT, MUL, NOT, OR, UNARY};
use crate::dialect::Dialect;

/// Words that cannot be printed as unquoted identifiers.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "between",
    "case",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "default",
    "desc",
    "distinct",
    "else",
    "end",
    "false",
    "for",
    "foreign",
    "from",
    "group",
    "in",
    "index",
    "is",
    "key",
    "like",
    "limit",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "primary",
    "references",
    "select",
    "table",
    "then",
    "to",
    "true",
    "type",
    "union",
    "unique",
    "user",
    "using",
    "when",
    "where",
    "with",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "ilike",
    "glob",
];

fn power_of(e: &Expr) -> u8 {
    match e {
        Expr::Logic("OR", _) => OR,
        Expr::Logic(_, _) => AND,
        Expr::Unary("NOT", _) => NOT,
        Expr::IsNull(..)
        | Expr::In(..)
        | Expr::AnyArray(..)
        | Expr::Between(..)
        | Expr::Like(..) => CMP,
        Expr::Binary(op, _, _) => match op.as_str() {
            "||" => CONCAT,
            "+" | "-" => ADD,
            "*" | "/" | "%" => MUL,
            _ => CMP,
        },
        Expr::Unary(..) => UNARY,
        _ => u8::MAX,
    }
}

pub(super) fn print(e: &Expr, dialect: Dialect) -> String {
    let mut out = String::new();
    write(e, dialect, &mut out);
    out
}

/// Writes `e` as an operand that binds at least as tightly as `min` (`strict`: more tightly).
fn operand(e: &Expr, min: u8, strict: bool, dialect: Dialect, out: &mut String) {
    let p = power_of(e);
    if p < min || (strict && p == min) {
        out.push('(');
        write(e, dialect, out);
        out.push(')');
    } else {
        write(e, dialect, out);
    }
}

fn write(e: &Expr, dialect: Dialect, out: &mut String) {
    use Expr::*;
    match e {
        Num(n) => out.push_str(n),
        Str(s) => out.push_str(&crate::types::quote_literal(s)),
        Keyword(k) if k == "true" || k == "false" => out.push_str(k),
        Keyword(k) => out.push_str(&k.to_uppercase()),
        Ident(parts) => {
            let printed: Vec<String> = parts
                .iter()
                .map(|p| quote_ident_if_needed(p, dialect))
                .collect();
            out.push_str(&printed.join("."));
        }
        Star => out.push('*'),
        Func(name, args) => {
            out.push_str(name);
            out.push('(');
            comma_list(args, dialect, out);
            out.push(')');
        }
        Array(items) => {
            out.push_str("ARRAY[");
            comma_list(items, dialect, out);
            out.push(']');
        }
        Cast(inner, ty) => {
            operand(inner, u8::MAX, false, dialect, out);
            out.push_str("::");
            out.push_str(ty);
        }
        Unary(op, inner) => {
            let p = power_of(e);
            out.push_str(op);
            if *op == "NOT" {
                out.push(' ');
            }
            operand(inner, p, false, dialect, out);
        }
        Binary(op, l, r) => {
            let p = power_of(e);
            operand(l, p, p == CMP, dialect, out);
            out.push(' ');
            out.push_str(op);
            out.push(' ');
            operand(r, p, true, dialect, out);
        }
        Logic(op, items) => {
            let p = power_of(e);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push_str(op);
                    out.push(' ');
                }
                operand(item, p, true, dialect, out);
            }
        }
        IsNull(inner, neg) => {
            operand(inner, CMP, true, dialect, out);
            out.push_str(if *neg { " IS NOT NULL" } else { " IS NULL" });
        }
        In(l, items, neg) => {
            operand(l, CMP, true, dialect, out);
            out.push_str(if *neg { " NOT IN (" } else { " IN (" });
            comma_list(items, dialect, out);
            out.push(')');
        }
        AnyArray(l, op, array) => {
            operand(l, CMP, true, dialect, out);
            out.push(' ');
            out.push_str(op);
            out.push_str(" (");
            write(array, dialect, out);
            out.push(')');
        }
        Between(x, lo, hi, neg) => {
            operand(x, CMP, true, dialect, out);
            out.push_str(if *neg { " NOT BETWEEN " } else { " BETWEEN " });
            operand(lo, CMP, true, dialect, out);
            out.push_str(" AND ");
            operand(hi, CMP, true, dialect, out);
        }
        Like(l, op, r, neg) => {
            operand(l, CMP, true, dialect, out);
            out.push(' ');
            if *neg {
                out.push_str("NOT ");
            }
            out.push_str(op);
            out.push(' ');
            operand(r, CMP, true, dialect, out);
        }
    }
}

fn comma_list(items: &[Expr], dialect: Dialect, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(item, dialect, out);
    }
}

/// An identifier as SQL text: bare when it is a plain lower-case word, quoted otherwise
/// (double quotes; backticks on MySQL).
pub fn quote_ident_if_needed(name: &str, dialect: Dialect) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name);
    if plain {
        return name.to_string();
    }
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}
