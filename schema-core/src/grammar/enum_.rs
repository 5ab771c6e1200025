//! `#[derive(Enum)]` enums: unit variants whose SQL values are their snake_case names or
//! `rename`.

use super::attr::{EnumAttrs, VariantAttrs};
use super::check::check_no_generics;
use super::ctxt::Ctxt;
use crate::decl::EnumDecl;
use crate::naming::{snake_case, unraw};
use proc_macro2::Span;
use std::collections::BTreeMap;
use syn::{Data, DeriveInput, Fields};

/// An enum read by the grammar.
#[derive(Clone, Debug)]
pub struct ReadEnum {
    pub decl: EnumDecl,
    /// The enum's identifier.
    pub span: Span,
}

/// Reads a `#[derive(Enum)]` enum. All mistakes of the item come back together.
pub fn enum_(input: &DeriveInput) -> Result<ReadEnum, Vec<syn::Error>> {
    let cx = Ctxt::new();
    let read = read(&cx, input);
    let errors = cx.finish();
    match read {
        Some(read) if errors.is_empty() => Ok(read),
        _ => Err(errors),
    }
}

fn read(cx: &Ctxt, input: &DeriveInput) -> Option<ReadEnum> {
    let attrs = EnumAttrs::from_attrs(cx, &input.attrs);
    check_no_generics(cx, &input.generics, "Enum");
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(s) => {
            cx.error_spanned_by(s.struct_token, "`#[derive(Enum)]` works on enums with unit variants: for a table use `#[derive(Table)]`");
            return None;
        }
        Data::Union(u) => {
            cx.error_spanned_by(
                u.union_token,
                "`#[derive(Enum)]` works on enums with unit variants, not unions",
            );
            return None;
        }
    };
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            format!(
                "`{}` has no variants: an SQL enum needs at least one value",
                input.ident
            ),
        );
    }
    let mut values = Vec::new();
    let mut renamed_values: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for variant in &data.variants {
        let vattrs = VariantAttrs::from_attrs(cx, &variant.attrs);
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!("variant `{}` carries data: `#[derive(Enum)]` needs unit variants, whose names are the SQL values", variant.ident),
            );
        }
        let value = match vattrs.rename.value() {
            Some(lit) => lit.value(),
            None => snake_case(&variant.ident.to_string()),
        };
        if let Some(first) = seen.get(&value) {
            let message = format!(
                "value `{value}` is used twice, by `{first}` and by `{}`: give one a different `#[schema(rename = \"...\")]`",
                variant.ident
            );
            match vattrs.rename.value() {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(&variant.ident, message),
            }
        } else {
            seen.insert(value.clone(), variant.ident.to_string());
        }
        if let Some(old) = vattrs.renamed_from.value() {
            if old.value() == value {
                cx.error_spanned_by(
                    old,
                    format!("`renamed_from = \"{value}\"` is the variant's current value: remove it once the rename has been generated, or name the old value"),
                );
            } else {
                renamed_values.push((value.clone(), old.value()));
            }
        }
        values.push(value);
    }
    let rust_name = unraw(&input.ident.to_string()).to_string();
    let name = match attrs.name.value() {
        Some(lit) => lit.value(),
        None => snake_case(&rust_name),
    };
    Some(ReadEnum {
        decl: EnumDecl {
            rust_name,
            name,
            values,
            renamed_values,
        },
        span: input.ident.span(),
    })
}
