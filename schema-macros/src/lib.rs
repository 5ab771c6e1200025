//! Procedural macros of cargo-schema. Users reach them through `schema_runtime`.
//! Entry points only: each delegates to its module and turns errors into compile errors.

use proc_macro::TokenStream;

#[proc_macro_derive(Table, attributes(schema))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}

#[proc_macro_derive(Enum, attributes(schema))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
