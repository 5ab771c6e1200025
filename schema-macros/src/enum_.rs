//! `#[derive(Enum)]`: implements `schema_runtime::Enum` and the kind the table derive proves.

use crate::{fallback, tokens};
use proc_macro2::TokenStream;
use quote::quote;
use schema_core::grammar;
use syn::DeriveInput;

pub fn derive(input: &DeriveInput) -> TokenStream {
    let read = match grammar::enum_(input) {
        Ok(read) => read,
        Err(errors) => return fallback::enum_(input, errors),
    };
    let ident = &input.ident;
    let decl = tokens::enum_decl(&read.decl);
    let sql_name = &read.decl.name;
    let values = &read.decl.values;
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::schema_runtime::Enum for #ident {
                fn enum_decl() -> ::schema_runtime::__private::decl::EnumDecl {
                    #decl
                }
            }
            #[automatically_derived]
            impl ::schema_runtime::__private::SqlKind for #ident {
                const KIND: u64 = ::schema_runtime::__private::kind::ENUM;
                const ENUM_NAME: &'static str = #sql_name;
                const ENUM_VALUES: &'static [&'static str] = &[#(#values),*];
            }
        };
    }
}
