//! Finding `#[derive(Table)]` and `#[derive(Enum)]` items in one parsed source file.

use super::enum_::{enum_, ReadEnum};
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

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}
