//! `embed_migrations!()` / `embed_migrations!("path")`: reads the migrations folder at compile
//! time with the shared resolver and expands to a `schema_runtime::Migrator` constant.
//!
//! Rebuild tracking: every file is also named in an `include_bytes!`, so cargo rebuilds when a
//! file changes or is removed. A file *added* to the folder cannot be noticed that way
//! (`proc_macro::tracked::path`, which would let the macro declare the folder itself, is still
//! unstable: rust-lang/rust#99515), so the macro also tracks the folder's committed snapshot,
//! `schema.snapshot.json`: `cargo schema generate` and `cargo schema new` rewrite it with every
//! migration they add, and a merge or pull that brings migrations brings its new version too.
//! Only a folder without a snapshot (migrations written entirely by hand) needs the package's
//! build script to declare it with `cargo::rerun-if-changed=migrations`; when such a package has
//! no build script at all (cargo sets `OUT_DIR` only for packages that have one), the expansion
//! carries a warning that says so.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use schema_core::migrations::{read_dir, Migration, ResolveError, Script};
use schema_core::snapshot::FILE_NAME as SNAPSHOT_FILE;
use std::path::{Path, PathBuf};
use syn::LitStr;

const DEFAULT_FOLDER: &str = "migrations";

pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let (relative, span) = if input.is_empty() {
        (DEFAULT_FOLDER.to_string(), Span::call_site())
    } else {
        let literal: LitStr = syn::parse2(input).map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the migrations folder as a string literal, relative to the package root: `embed_migrations!(\"migrations\")`",
            )
        })?;
        (literal.value(), literal.span())
    };
    let folder = package_root(span)?.join(&relative);
    let migrations = read_dir(&folder).map_err(|errors| {
        let mut combined: Option<syn::Error> = None;
        for error in errors {
            let error = syn::Error::new(span, format!("embed_migrations!: {error}"));
            match combined.as_mut() {
                Some(all) => all.combine(error),
                None => combined = Some(error),
            }
        }
        combined.unwrap_or_else(|| syn::Error::new(span, "embed_migrations!: unreadable folder"))
    })?;
    let canonical = folder.canonicalize().unwrap_or(folder);
    let tracked = migrations
        .iter()
        .flat_map(|m| [&*m.up.file, m.down.file()])
        .map(|file| track(&canonical, file));
    let values = migrations
        .iter()
        .map(migration_tokens)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| syn::Error::new(span, format!("embed_migrations!: {error}")))?;
    let snapshot = canonical.join(SNAPSHOT_FILE);
    let (snapshot_tracking, warning) = if snapshot.is_file() {
        let path = snapshot.display().to_string();
        (
            quote! { const _: &[u8] = ::core::include_bytes!(#path); },
            TokenStream::new(),
        )
    } else {
        (TokenStream::new(), missing_build_script_warning(&relative))
    };
    Ok(quote! {
        {
            #(#tracked)*
            #snapshot_tracking
            #warning
            ::schema_runtime::Migrator::__embedded(&[#(#values),*])
        }
    })
}

fn package_root(span: Span) -> syn::Result<PathBuf> {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                span,
                "embed_migrations!: CARGO_MANIFEST_DIR is not set; build the package with cargo",
            )
        })
}

fn track(folder: &Path, file: &str) -> TokenStream {
    let path = folder.join(file).display().to_string();
    quote! { const _: &[u8] = ::core::include_bytes!(#path); }
}

/// `read_dir` has read both files: `load` only borrows the down script.
fn migration_tokens(migration: &Migration) -> Result<TokenStream, ResolveError> {
    let version = migration.version;
    let name = &*migration.name;
    let up = script_tokens(&migration.up);
    let down = migration.down.load()?;
    let down = script_tokens(&down);
    Ok(quote! {
        ::schema_runtime::migrations::Migration {
            version: #version,
            name: ::std::borrow::Cow::Borrowed(#name),
            up: #up,
            down: ::schema_runtime::migrations::Down::Script(#down),
        }
    })
}

fn script_tokens(script: &Script) -> TokenStream {
    let file = &*script.file;
    let sql = &*script.sql;
    let checksum = script.checksum.0;
    quote! {
        ::schema_runtime::migrations::Script {
            file: ::std::borrow::Cow::Borrowed(#file),
            sql: ::std::borrow::Cow::Borrowed(#sql),
            checksum: ::schema_runtime::migrations::Checksum([#(#checksum),*]),
        }
    }
}

/// A warning (stable proc macros can only warn through a deprecated item) when the folder has no
/// snapshot and the package has no build script, so new migration files would not trigger a
/// rebuild.
fn missing_build_script_warning(folder: &str) -> TokenStream {
    if std::env::var_os("OUT_DIR").is_some() {
        return TokenStream::new();
    }
    let note = format!(
        "embed_migrations!: this package has no build script, so cargo will not rebuild when a new migration file is added to `{folder}`; add a build.rs with `fn main() {{ println!(\"cargo::rerun-if-changed={folder}\"); }}`"
    );
    quote! {
        #[deprecated(note = #note)]
        #[allow(non_upper_case_globals)]
        const add_a_build_rs_that_tracks_the_migrations_folder: () = ();
        #[allow(clippy::let_unit_value)]
        let _ = add_a_build_rs_that_tracks_the_migrations_folder;
    }
}
