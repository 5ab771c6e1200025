//! What a derive emits when the item has mistakes: the errors, plus a minimal impl so that
//! uses of the type elsewhere do not cascade into "trait not implemented" errors.

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::grammar::combine;
use syn::DeriveInput;

pub fn table(input: &DeriveInput, errors: Vec<syn::Error>) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = ident.to_string();
    let errors = compile_errors(errors);
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::schema_runtime::Table for #ident #ty_generics #where_clause {
                fn table() -> ::schema_runtime::__private::decl::TableDecl {
                    ::schema_runtime::__private::fallback_table(#name)
                }
            }
        };
    }
}

pub fn enum_(input: &DeriveInput, errors: Vec<syn::Error>) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = ident.to_string();
    let errors = compile_errors(errors);
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::schema_runtime::Enum for #ident #ty_generics #where_clause {
                fn enum_decl() -> ::schema_runtime::__private::decl::EnumDecl {
                    ::schema_runtime::__private::fallback_enum(#name)
                }
            }
            #[automatically_derived]
            impl #impl_generics ::schema_runtime::__private::SqlKind for #ident #ty_generics #where_clause {
                const KIND: u64 = ::schema_runtime::__private::kind::ENUM;
            }
        };
    }
}

fn compile_errors(errors: Vec<syn::Error>) -> TokenStream {
    combine(errors)
        .map(|e| e.to_compile_error())
        .unwrap_or_default()
}
