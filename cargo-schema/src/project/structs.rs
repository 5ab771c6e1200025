//! The schema the structs declare: source files -> grammar -> declarations -> one dialect's
//! model. Every mistake comes back as a `file:line:col` diagnostic; nothing is compiled.

use crate::error::CliError;
use crate::output::diagnostic::Diagnostic;
use crate::project::package::SchemaPackage;
use crate::project::source::{self, SourceFile};
use schema_core::decl::Declarations;
use schema_core::grammar;
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use std::cell::OnceCell;
use std::path::PathBuf;

/// A package's declarations, and where to find the files they came from (for where each
/// struct and field was written).
pub struct PackageStructs {
    pub package: String,
    pub declarations: Declarations,
    /// The parsed files, read again only when a diagnostic needs a place: holding every
    /// syntax tree until then costs more (memory, page faults) than reading them again.
    files: OnceCell<Vec<SourceFile>>,
    source_roots: Vec<PathBuf>,
}

/// Reads and links every source file of the package.
pub fn read(package: &SchemaPackage) -> Result<PackageStructs, CliError> {
    // Parsing is most of the work and files are independent: with two or more cores it is
    // shared between threads. That path only succeeds when nothing is wrong; any problem is
    // found again (and reported) by the one-thread path below.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads > 1 {
        let plain = source::read_tree_parallel(&package.source_roots, threads, |ast| {
            grammar::read_file(ast).into_plain()
        });
        if let Some(declarations) = plain.and_then(grammar::link_plain) {
            return Ok(PackageStructs {
                package: package.name.clone(),
                declarations,
                source_roots: package.source_roots.clone(),
                files: OnceCell::new(),
            });
        }
    }
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
    Ok(PackageStructs {
        package: package.name.clone(),
        declarations: linked.declarations,
        source_roots: package.source_roots.clone(),
        files: OnceCell::new(),
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

    /// Where struct `rust_name` (the first of that name, in file order) or its `field` was
    /// declared.
    fn place(&self, rust_name: &str, field: Option<&str>, message: String) -> Diagnostic {
        let files = self
            .files
            .get_or_init(|| source::read_tree(&self.source_roots).unwrap_or_default());
        let found = files
            .iter()
            .find_map(|file| find_struct(&file.ast.items, rust_name).map(|s| (file, s)));
        let Some((file, item)) = found else {
            return Diagnostic {
                file: PathBuf::from(format!("<struct {rust_name}>")),
                line: 1,
                column: 1,
                message,
            };
        };
        // The last field of that name, as a map built from the fields would keep.
        let field_ident = field.and_then(|wanted| {
            item.fields
                .iter()
                .filter_map(|f| f.ident.as_ref())
                .filter(|ident| {
                    let name = ident.to_string();
                    name.strip_prefix("r#").unwrap_or(&name) == wanted
                })
                .last()
        });
        let span = field_ident.unwrap_or(&item.ident).span();
        Diagnostic::at_span(file.path.clone(), span, message)
    }
}

/// The first struct named `rust_name` among `items` and inline modules, outside `#[cfg(test)]`.
fn find_struct<'a>(items: &'a [syn::Item], rust_name: &str) -> Option<&'a syn::ItemStruct> {
    items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if !source::is_cfg_test(&s.attrs) && s.ident == rust_name => Some(s),
        syn::Item::Mod(m) if !source::is_cfg_test(&m.attrs) => m
            .content
            .as_ref()
            .and_then(|(_, inner)| find_struct(inner, rust_name)),
        _ => None,
    })
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
