//! PostgreSQL enum changes: rename values in place, add values in place (`ADD VALUE .. BEFORE`),
//! or, when values are removed or reordered, build the new type under the name, move every
//! column over through `text`, and drop the old type (PostgreSQL cannot drop a value).

use super::postgres::{alter, create_enum, q};
use crate::dialect::Dialect;
use crate::model::Enum;
use crate::naming;
use crate::plan::EnumUsage;
use crate::types::quote_literal;

const D: Dialect = Dialect::Postgres;

pub(super) fn alter_enum(
    from: &Enum,
    to: &Enum,
    renamed: &[(String, String)],
    usages: &[EnumUsage],
) -> Vec<String> {
    let name = q(&to.name);
    let mut out = Vec::new();
    let mut current: Vec<String> = from.values.clone();
    for (old, new) in renamed {
        out.push(format!(
            "ALTER TYPE {name} RENAME VALUE {} TO {};",
            quote_literal(old),
            quote_literal(new)
        ));
        for v in current.iter_mut().filter(|v| *v == old) {
            *v = new.clone();
        }
    }
    if current == to.values {
        return out;
    }
    if strategy(from, to, renamed) == EnumStrategy::AddInPlace {
        for (i, v) in to.values.iter().enumerate() {
            if current.contains(v) {
                continue;
            }
            match to.values[i + 1..].iter().find(|n| current.contains(n)) {
                Some(next) => out.push(format!(
                    "ALTER TYPE {name} ADD VALUE {} BEFORE {};",
                    quote_literal(v),
                    quote_literal(next)
                )),
                None => out.push(format!("ALTER TYPE {name} ADD VALUE {};", quote_literal(v))),
            }
            current.push(v.clone());
        }
        return out;
    }
    let old_name = naming::fit(&format!("{}__old", to.name), D);
    out.push(format!("ALTER TYPE {name} RENAME TO {};", q(&old_name)));
    out.push(create_enum(&to.name, &to.values));
    for u in usages {
        let a = |rest: String| alter(&u.table, &format!("ALTER COLUMN {} {rest}", q(&u.column)));
        if u.default.is_some() {
            out.push(a("DROP DEFAULT".into()));
        }
        let (new_ty, via) = if u.array {
            (format!("{name}[]"), "text[]")
        } else {
            (name.clone(), "text")
        };
        out.push(a(format!(
            "TYPE {new_ty} USING {}::{via}::{new_ty}",
            q(&u.column)
        )));
        if let Some(d) = u.default.as_ref().filter(|d| default_still_valid(d, to)) {
            out.push(a(format!("SET DEFAULT {d}")));
        }
    }
    out.push(format!("DROP TYPE {};", q(&old_name)));
    out
}

/// A literal default naming a value the enum no longer has cannot be set again.
fn default_still_valid(default: &str, e: &Enum) -> bool {
    !default.starts_with('\'') || e.values.iter().any(|v| quote_literal(v) == default)
}

/// How an enum change is carried out on PostgreSQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnumStrategy {
    /// Only `RENAME VALUE`s.
    RenameOnly,
    /// Renames, then `ADD VALUE`s in place (the added values cannot be used before the
    /// transaction commits).
    AddInPlace,
    /// Values removed or reordered: a new type, columns retyped, the old type dropped.
    Recreate,
}

pub(crate) fn strategy(from: &Enum, to: &Enum, renamed: &[(String, String)]) -> EnumStrategy {
    let current: Vec<String> = from
        .values
        .iter()
        .map(|v| {
            renamed
                .iter()
                .find(|(old, _)| old == v)
                .map_or(v.clone(), |(_, new)| new.clone())
        })
        .collect();
    if current == to.values {
        EnumStrategy::RenameOnly
    } else if is_subsequence(&current, &to.values) {
        EnumStrategy::AddInPlace
    } else {
        EnumStrategy::Recreate
    }
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}
