//! `#[derive(Enum)]` declarations -> enum types (values checked, names unique).

use super::{check_length, ResolveError};
use crate::decl::EnumDecl;
use crate::dialect::Dialect;
use crate::model::Enum;
use std::collections::BTreeMap;

pub(super) fn resolve_enums(
    decls: &[EnumDecl],
    dialect: Dialect,
    errors: &mut Vec<ResolveError>,
) -> BTreeMap<String, Enum> {
    let mut out: BTreeMap<String, Enum> = BTreeMap::new();
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for e in decls {
        let mut err = |field: Option<&str>, msg: String| {
            errors.push(ResolveError::on(&e.rust_name, field, msg));
        };
        if let Some(other) = owners.insert(&e.name, &e.rust_name) {
            err(
                None,
                format!(
                    "enum type `{}` is already declared by `{other}`: give one of them another `#[schema(name = \"...\")]`",
                    e.name
                ),
            );
            continue;
        }
        if dialect == Dialect::Postgres {
            if let Err(m) = check_length(&e.name, "enum type name", dialect) {
                err(None, m);
            }
        }
        if e.values.is_empty() {
            err(None, "an enum needs at least one variant".into());
        }
        let mut seen: Vec<&str> = Vec::new();
        for v in &e.values {
            if seen.contains(&v.as_str()) {
                err(
                    Some(v),
                    format!("two variants have the SQL value `{v}`: give one a different `#[schema(rename = \"...\")]`"),
                );
            }
            seen.push(v);
            if dialect == Dialect::Postgres && v.len() > 63 {
                err(
                    Some(v),
                    format!("the value `{v}` is longer than PostgreSQL's 63-byte limit for enum labels: use a shorter `rename`"),
                );
            }
        }
        out.insert(
            e.name.clone(),
            Enum {
                name: e.name.clone(),
                values: e.values.clone(),
            },
        );
    }
    out
}
