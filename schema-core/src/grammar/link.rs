//! The package-level step: resolves type names the grammar could not map by themselves to
//! the package's `#[derive(Enum)]` enums, and checks names that must be unique in a package.

use super::attr::one_of;
use super::file::FileRead;
use super::suggest::closest;
use super::table::ReadColumn;
use super::ty::{cannot_map_message, shown};
use crate::decl::{ColumnDecl, Declarations, DefaultDecl, EnumDecl, TableDecl, TypeDecl};
use std::collections::BTreeMap;

/// The declarations of a package and every error found reading or linking it, each paired
/// with the key of the file it belongs to.
#[derive(Clone, Debug)]
pub struct Linked<K> {
    pub declarations: Declarations,
    pub errors: Vec<(K, syn::Error)>,
}

/// Links the files of one package. `K` identifies a file (a path, an index): errors come back
/// with the key of the file whose spans they carry.
pub fn link<K: Clone>(files: Vec<(K, FileRead)>) -> Linked<K> {
    let mut errors: Vec<(K, syn::Error)> = Vec::new();
    let mut enums_by_rust: BTreeMap<String, Vec<EnumDecl>> = BTreeMap::new();
    let mut enum_sql_names: BTreeMap<String, String> = BTreeMap::new();
    let mut declarations = Declarations::default();

    for (key, file) in &files {
        for read in &file.enums {
            let decl = &read.decl;
            match enum_sql_names.get(&decl.name) {
                Some(first) if *first != decl.rust_name => errors.push((
                    key.clone(),
                    syn::Error::new(
                        read.span,
                        format!(
                            "SQL enum type `{}` is declared twice, by `{first}` and by `{}`: give one another `#[schema(name = \"...\")]`",
                            decl.name, decl.rust_name
                        ),
                    ),
                )),
                _ => {
                    enum_sql_names.insert(decl.name.clone(), decl.rust_name.clone());
                }
            }
            let same_name = enums_by_rust.entry(decl.rust_name.clone()).or_default();
            if !same_name.contains(decl) {
                same_name.push(decl.clone());
                declarations.enums.push(decl.clone());
            }
        }
    }

    let mut table_names: BTreeMap<String, String> = BTreeMap::new();
    for (key, file) in files {
        errors.extend(file.errors.into_iter().map(|e| (key.clone(), e)));
        for read in file.tables {
            let mut decl = read.decl;
            if let Some(first) = table_names.get(&decl.name) {
                errors.push((
                    key.clone(),
                    syn::Error::new(
                        read.span,
                        format!(
                            "table `{}` is declared twice, by `{first}` and by `{}`: give one another `#[schema(table = \"...\")]`",
                            decl.name, decl.rust_name
                        ),
                    ),
                ));
            } else {
                table_names.insert(decl.name.clone(), decl.rust_name.clone());
            }
            for (column, read_column) in decl.columns.iter_mut().zip(&read.columns) {
                let Some(unresolved) = read_column
                    .read
                    .as_ref()
                    .and_then(|r| r.unresolved.as_ref())
                else {
                    continue;
                };
                match enums_by_rust.get(&unresolved.name).map(Vec::as_slice) {
                    Some([only]) => {
                        set_enum_name(&mut column.ty, &only.name);
                        if let Some(error) = default_not_a_value(column, read_column, only) {
                            errors.push((key.clone(), error));
                        }
                    }
                    Some(several) => {
                        let names: Vec<String> =
                            several.iter().map(|e| format!("`{}`", e.name)).collect();
                        errors.push((
                            key.clone(),
                            syn::Error::new_spanned(
                                &unresolved.leaf,
                                format!(
                                    "`{}` names several `#[derive(Enum)]` enums in this package ({}): rename one, or add `#[schema(sql_type = \"...\")]`",
                                    unresolved.name,
                                    names.join(", ")
                                ),
                            ),
                        ));
                    }
                    None => errors.push((
                        key.clone(),
                        syn::Error::new_spanned(
                            &unresolved.leaf,
                            cannot_map_message(&shown(&unresolved.leaf)),
                        ),
                    )),
                }
            }
            declarations.tables.push(decl);
        }
    }
    Linked {
        declarations,
        errors,
    }
}

/// What [`link`] needs of one file that read without errors, with no syntax tree left in it
/// (so it can be made on another thread: syn's trees cannot cross threads).
#[derive(Clone, Debug, Default)]
pub struct PlainRead {
    pub enums: Vec<EnumDecl>,
    pub tables: Vec<PlainTable>,
}

/// A table of a [`PlainRead`].
#[derive(Clone, Debug)]
pub struct PlainTable {
    pub decl: TableDecl,
    /// The columns whose type names an enum of the package: (column index, Rust type name,
    /// whether a `default = ...` was written).
    pub unresolved: Vec<(usize, String, bool)>,
}

impl FileRead {
    /// The file without its syntax trees, or `None` when it has errors (only [`link`] can
    /// report those).
    pub fn into_plain(self) -> Option<PlainRead> {
        if !self.errors.is_empty() {
            return None;
        }
        let enums = self.enums.into_iter().map(|e| e.decl).collect();
        let tables = self
            .tables
            .into_iter()
            .map(|read| {
                let unresolved = read
                    .columns
                    .iter()
                    .enumerate()
                    .filter_map(|(index, column)| {
                        let unresolved = column.read.as_ref()?.unresolved.as_ref()?;
                        Some((index, unresolved.name.clone(), column.default.is_some()))
                    })
                    .collect();
                PlainTable {
                    decl: read.decl,
                    unresolved,
                }
            })
            .collect();
        Some(PlainRead { enums, tables })
    }
}

/// [`link`] for files that read cleanly: the same declarations when `link` would find no
/// error, `None` when it would find one (run `link` on the syntax trees to report it).
pub fn link_plain(files: Vec<PlainRead>) -> Option<Declarations> {
    let mut enums_by_rust: BTreeMap<String, Vec<EnumDecl>> = BTreeMap::new();
    let mut enum_sql_names: BTreeMap<String, String> = BTreeMap::new();
    let mut declarations = Declarations::default();
    for file in &files {
        for decl in &file.enums {
            match enum_sql_names.get(&decl.name) {
                Some(first) if *first != decl.rust_name => return None,
                _ => {
                    enum_sql_names.insert(decl.name.clone(), decl.rust_name.clone());
                }
            }
            let same_name = enums_by_rust.entry(decl.rust_name.clone()).or_default();
            if !same_name.contains(decl) {
                same_name.push(decl.clone());
                declarations.enums.push(decl.clone());
            }
        }
    }
    let mut table_names: BTreeMap<String, ()> = BTreeMap::new();
    for file in files {
        for table in file.tables {
            let mut decl = table.decl;
            if table_names.insert(decl.name.clone(), ()).is_some() {
                return None;
            }
            for (index, name, has_default) in table.unresolved {
                let Some([only]) = enums_by_rust.get(&name).map(Vec::as_slice) else {
                    return None;
                };
                let column = decl.columns.get_mut(index)?;
                set_enum_name(&mut column.ty, &only.name);
                if let Some(DefaultDecl::Str(value)) = &column.default {
                    if has_default && !only.values.contains(value) {
                        return None;
                    }
                }
            }
            declarations.tables.push(decl);
        }
    }
    Some(declarations)
}

/// A string `default` of an enum column must be one of the enum's values. The derive proves
/// the same at compile time (`schema_runtime::__private::has_value`).
fn default_not_a_value(
    column: &ColumnDecl,
    read: &ReadColumn,
    decl: &EnumDecl,
) -> Option<syn::Error> {
    let Some(DefaultDecl::Str(value)) = &column.default else {
        return None;
    };
    if decl.values.contains(value) {
        return None;
    }
    let message = default_not_a_value_message(value, &decl.rust_name);
    let values: Vec<&str> = decl.values.iter().map(String::as_str).collect();
    let hint = match closest(value, &values) {
        Some(close) => format!(": did you mean `{close}`?"),
        None => format!(": expected {}", one_of(&values)),
    };
    let expr = read.default.as_ref()?;
    Some(syn::Error::new_spanned(expr, format!("{message}{hint}")))
}

/// Shared with the derive, whose compile-time check cannot list the values.
pub fn default_not_a_value_message(value: &str, enum_name: &str) -> String {
    format!("`default = \"{value}\"` is not a value of `{enum_name}`")
}

/// Replaces the innermost `Enum(<Rust name>)` placeholder with the SQL type name.
fn set_enum_name(ty: &mut TypeDecl, sql_name: &str) {
    match ty {
        TypeDecl::Array(inner) => set_enum_name(inner, sql_name),
        TypeDecl::Enum(name) => *name = sql_name.to_string(),
        _ => {}
    }
}
