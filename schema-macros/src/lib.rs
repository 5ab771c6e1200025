//! Procedural macros of cargo-schema. Users reach them through `schema_runtime`.
//! Entry points only: each delegates to its module, which turns errors into compile errors.

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod embed;
mod enum_;
mod fallback;
mod table;
mod tokens;

#[proc_macro_derive(Table, attributes(schema))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    table::derive(&input).into()
}

#[proc_macro_derive(Enum, attributes(schema))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    enum_::derive(&input).into()
}

/// Embeds the migrations folder (default `migrations` beside Cargo.toml) as a `Migrator`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
