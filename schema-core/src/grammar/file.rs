//! Finding `#[derive(Table)]` and `#[derive(Enum)]` items in one parsed source file.

use super::enum_::{enum_, ReadEnum};
use super::symbol::SCHEMA;
use super::table::{table_ref, DataRef, ItemRef, ReadTable};
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Item, Path, Token};

/// What one file declares. Errors are kept beside the items that read cleanly, so one bad
/// struct does not hide the others.
#[derive(Clone, Debug, Default)]
pub struct FileRead {
    pub tables: Vec<ReadTable>,
    pub enums: Vec<ReadEnum>,
    pub errors: Vec<syn::Error>,
}

/// Reads every item deriving `Table` or `Enum` (any path ending in those names) at the top of
/// `file` and inside inline `mod { ... }` blocks, skipping items and modules under `#[cfg(test)]`.
pub fn read_file(file: &syn::File) -> FileRead {
    let mut out = FileRead::default();
    read_items(&file.items, &mut out);
    out
}

fn read_items(items: &[Item], out: &mut FileRead) {
    for item in items {
        // The item borrowed as the grammar reads it, and its attributes inside (fields,
        // variants). A `DeriveInput` (a clone) is made only for `derive(Enum)`.
        let (input, inner): (ItemRef, Vec<&Attribute>) = match item {
            Item::Struct(s) => (
                ItemRef::from(s),
                s.fields.iter().flat_map(|f| &f.attrs).collect(),
            ),
            Item::Enum(e) => (
                ItemRef {
                    attrs: &e.attrs,
                    ident: &e.ident,
                    generics: &e.generics,
                    data: DataRef::Enum(e.enum_token),
                },
                e.variants.iter().flat_map(|v| &v.attrs).collect(),
            ),
            Item::Union(u) => (
                ItemRef {
                    attrs: &u.attrs,
                    ident: &u.ident,
                    generics: &u.generics,
                    data: DataRef::Union(u.union_token),
                },
                u.fields.named.iter().flat_map(|f| &f.attrs).collect(),
            ),
            Item::Mod(m) => {
                if let (false, Some((_, content))) = (is_cfg_test(&m.attrs), &m.content) {
                    read_items(content, out);
                }
                continue;
            }
            _ => continue,
        };
        if is_cfg_test(input.attrs) {
            continue;
        }
        report_conditional_attributes(input.attrs, &inner, &mut out.errors);
        let derives = derives(input.attrs);
        if derives.iter().any(|d| d == "Table") {
            match table_ref(input) {
                Ok(read) => out.tables.push(read),
                Err(errors) => out.errors.extend(errors),
            }
        }
        if derives.iter().any(|d| d == "Enum") {
            let input: DeriveInput = match item {
                Item::Struct(s) => s.clone().into(),
                Item::Enum(e) => e.clone().into(),
                Item::Union(u) => u.clone().into(),
                _ => continue,
            };
            match enum_(&input) {
                Ok(read) => out.enums.push(read),
                Err(errors) => out.errors.extend(errors),
            }
        }
    }
}

/// The last segment of every path in `#[derive(...)]`.
fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut names = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated) {
            names.extend(
                paths
                    .iter()
                    .filter_map(|p| p.segments.last())
                    .map(|s| s.ident.to_string()),
            );
        }
    }
    names
}

/// `#[cfg_attr(pred, derive(Table))]` and `#[cfg_attr(pred, schema(...))]` depend on a cfg
/// the CLI cannot evaluate: reading around them would silently leave a table or a key out of
/// the migrations, so they are errors.
/// `attrs` are the item's, `inner` those of its fields or variants.
fn report_conditional_attributes(
    attrs: &[Attribute],
    inner: &[&Attribute],
    errors: &mut Vec<syn::Error>,
) {
    for attr in attrs.iter().chain(inner.iter().copied()) {
        if !attr.path().is_ident("cfg_attr") {
            continue;
        }
        let Ok(metas) = attr.parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let conditional = metas.iter().skip(1).any(|meta| {
            let path = meta.path();
            path.is_ident(SCHEMA)
                || (path.is_ident("derive")
                    && meta
                        .require_list()
                        .and_then(|l| {
                            l.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                        })
                        .is_ok_and(|paths| {
                            paths
                                .iter()
                                .filter_map(|p| p.segments.last())
                                .any(|s| s.ident == "Table" || s.ident == "Enum")
                        }))
        });
        if conditional {
            errors.push(syn::Error::new_spanned(
                attr,
                "cargo schema cannot evaluate `cfg_attr`: write `derive(Table)`, `derive(Enum)` and `#[schema(...)]` unconditionally (put `#[cfg(...)]` on the whole item instead)",
            ));
        }
    }
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}
