//! Finding `#[derive(Table)]` and `#[derive(Enum)]` items in one parsed source file.

use super::enum_::{enum_, ReadEnum};
use super::symbol::SCHEMA;
use super::table::{table, ReadTable};
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
        let (attrs, input): (&[Attribute], Option<DeriveInput>) = match item {
            Item::Struct(s) => (&s.attrs, Some(s.clone().into())),
            Item::Enum(e) => (&e.attrs, Some(e.clone().into())),
            Item::Union(u) => (&u.attrs, Some(u.clone().into())),
            Item::Mod(m) => {
                if let (false, Some((_, content))) = (is_cfg_test(&m.attrs), &m.content) {
                    read_items(content, out);
                }
                continue;
            }
            _ => continue,
        };
        let Some(input) = input else { continue };
        if is_cfg_test(attrs) {
            continue;
        }
        report_conditional_attributes(&input, &mut out.errors);
        let derives = derives(attrs);
        if derives.iter().any(|d| d == "Table") {
            match table(&input) {
                Ok(read) => out.tables.push(read),
                Err(errors) => out.errors.extend(errors),
            }
        }
        if derives.iter().any(|d| d == "Enum") {
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
fn report_conditional_attributes(input: &DeriveInput, errors: &mut Vec<syn::Error>) {
    let field_attrs: Vec<&Attribute> = match &input.data {
        syn::Data::Struct(s) => s.fields.iter().flat_map(|f| &f.attrs).collect(),
        syn::Data::Enum(e) => e.variants.iter().flat_map(|v| &v.attrs).collect(),
        syn::Data::Union(u) => u.fields.named.iter().flat_map(|f| &f.attrs).collect(),
    };
    for attr in input.attrs.iter().chain(field_attrs) {
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
