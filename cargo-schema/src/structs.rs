//! The schema the structs declare: source files -> grammar -> declarations -> one dialect's
//! model. Every mistake comes back as a `file:line:col` diagnostic; nothing is compiled.

use crate::diagnostic::Diagnostic;
use crate::error::CliError;
use crate::package::SchemaPackage;
use crate::source::{self, SourceFile};
use schema_core::decl::Declarations;
use schema_core::grammar;
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A package's declarations, with where each struct and field was written.
pub struct PackageStructs {
    pub package: String,
    pub declarations: Declarations,
    places: Places,
}

/// Where each struct (by Rust name) and each of its fields was declared.
#[derive(Default)]
struct Places {
    structs: BTreeMap<String, Place>,
}

struct Place {
    at: Diagnostic,
    fields: BTreeMap<String, Diagnostic>,
}

/// Reads and links every source file of the package.
pub fn read(package: &SchemaPackage) -> Result<PackageStructs, CliError> {
    let files = source::read_tree(&package.source_roots)
        .map_err(|diagnostics| source_error(&package.name, None, diagnostics))?;
    let reads: Vec<(usize, grammar::FileRead)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (i, grammar::read_file(&f.ast)))
        .collect();
    let linked = grammar::link(reads);
    let mut diagnostics = Vec::new();
    for (index, error) in linked.errors {
        let file = files[index].path.clone();
        for single in error {
            diagnostics.push(Diagnostic::at_span(
                file.clone(),
                single.span(),
                single.to_string(),
            ));
        }
    }
    if !diagnostics.is_empty() {
        return Err(source_error(&package.name, None, diagnostics));
    }
    let places = Places::index(&files);
    Ok(PackageStructs {
        package: package.name.clone(),
        declarations: linked.declarations,
        places,
    })
}

impl PackageStructs {
    /// The dialect's schema and the rename hints from `renamed_from`.
    pub fn resolve(&self, dialect: Dialect) -> Result<(Schema, RenameHints), CliError> {
        schema_core::resolve::resolve(&self.declarations, dialect).map_err(|errors| {
            let diagnostics = errors
                .into_iter()
                .map(|e| self.place(&e.rust_name, e.field.as_deref(), e.message))
                .collect();
            source_error(&self.package, Some(dialect), diagnostics)
        })
    }

    fn place(&self, rust_name: &str, field: Option<&str>, message: String) -> Diagnostic {
        let place = self.places.structs.get(rust_name);
        let at = place.and_then(|p| field.and_then(|f| p.fields.get(f)).or(Some(&p.at)));
        match at {
            Some(at) => Diagnostic {
                message,
                ..at.clone()
            },
            None => Diagnostic {
                file: PathBuf::from(format!("<struct {rust_name}>")),
                line: 1,
                column: 1,
                message,
            },
        }
    }
}

impl Places {
    fn index(files: &[SourceFile]) -> Places {
        let mut places = Places::default();
        for file in files {
            places.items(file, &file.ast.items);
        }
        places
    }

    fn items(&mut self, file: &SourceFile, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Struct(s) if !source::is_cfg_test(&s.attrs) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let ident = f.ident.as_ref()?;
                            let name = ident.to_string();
                            let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
                            Some((
                                name,
                                Diagnostic::at_span(file.path.clone(), ident.span(), ""),
                            ))
                        })
                        .collect();
                    self.structs.entry(s.ident.to_string()).or_insert(Place {
                        at: Diagnostic::at_span(file.path.clone(), s.ident.span(), ""),
                        fields,
                    });
                }
                syn::Item::Mod(m) if !source::is_cfg_test(&m.attrs) => {
                    if let Some((_, inner)) = &m.content {
                        self.items(file, inner);
                    }
                }
                _ => {}
            }
        }
    }
}

fn source_error(package: &str, dialect: Option<Dialect>, diagnostics: Vec<Diagnostic>) -> CliError {
    let as_dialect = dialect.map(|d| format!(" for {d}")).unwrap_or_default();
    let count = diagnostics.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    CliError::new(format!(
        "could not read the schema of package `{package}`{as_dialect}: {count} {noun} in its sources; nothing written"
    ))
    .with_diagnostics(diagnostics)
}
