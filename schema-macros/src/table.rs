//! `#[derive(Table)]`: implements `schema_runtime::Table` and proves, per field, that the real
//! type is the one the grammar read from its name.

use crate::{fallback, tokens};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use schema_core::decl::{ColumnDecl, DefaultDecl};
use schema_core::grammar::{self, ReadColumn};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericArgument, PathArguments, Type};

pub fn derive(input: &DeriveInput) -> TokenStream {
    let read = match grammar::table(input) {
        Ok(read) => read,
        Err(errors) => return fallback::table(input, errors),
    };
    let ident = &input.ident;
    let decl = tokens::table_decl(&read.decl, &read.columns);
    let proofs = read.columns.iter().filter_map(proof);
    let enum_defaults = read
        .columns
        .iter()
        .zip(&read.decl.columns)
        .filter_map(|(column, decl)| enum_default_proof(column, decl));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::schema_runtime::Table for #ident {
                fn table() -> ::schema_runtime::__private::decl::TableDecl {
                    #decl
                }
            }
            #(#proofs)*
            #(#enum_defaults)*
        };
    }
}

/// A compile-time assertion that the field's real type has the kind its name was read as.
/// A type with no kind at all fails on the trait bound instead, with the trait's own message.
fn proof(column: &ReadColumn) -> Option<TokenStream> {
    let read = column.read.as_ref()?;
    let ty = &column.ty;
    let field = grammar_field_name(column);
    let written = grammar::shown(ty);
    let message = match &read.unresolved {
        Some(unresolved) => format!(
            "field `{field}`: cargo-schema reads `{}` as a `#[derive(Enum)]` enum, but the real type is not one: derive `Enum` for it, or add `#[schema(sql_type = \"...\")]`",
            unresolved.name
        ),
        None if written == read.reads_as => format!(
            "field `{field}`: cargo-schema reads `{written}` by its name, but the real type is something else: use the real type's name, or add `#[schema(sql_type = \"...\")]`"
        ),
        None => format!(
            "field `{field}`: cargo-schema reads `{written}` as `{}` by its name, but the real type is something else: use the real type's name, or add `#[schema(sql_type = \"...\")]`",
            read.reads_as
        ),
    };
    let kind = read.kind;
    Some(quote_spanned! {misread_name(ty).span()=>
        const _: () = {
            if <#ty as ::schema_runtime::__private::SqlKind>::KIND != #kind {
                ::core::panic!(#message);
            }
        };
    })
}

/// A compile-time assertion that a string `default` of an enum column is one of its values
/// (the CLI checks the same in `grammar::link`).
fn enum_default_proof(column: &ReadColumn, decl: &ColumnDecl) -> Option<TokenStream> {
    let unresolved = column.read.as_ref()?.unresolved.as_ref()?;
    let Some(DefaultDecl::Str(value)) = &decl.default else {
        return None;
    };
    let span = column
        .default
        .as_ref()
        .map_or_else(|| column.ty.span(), |d| d.span());
    let ty = &column.ty;
    let message = format!(
        "field `{}`: {}: use one of its SQL values (the variant names in snake_case, or their `rename`)",
        grammar_field_name(column),
        grammar::default_not_a_value_message(value, &unresolved.name)
    );
    Some(quote_spanned! {span=>
        const _: () = {
            if !::schema_runtime::__private::has_value(
                <#ty as ::schema_runtime::__private::SqlKind>::ENUM_VALUES,
                #value,
            ) {
                ::core::panic!(#message);
            }
        };
    })
}

/// The part of a type whose name was read: the innermost type of `Option<..>`/`Vec<..>`, and
/// of a path its last segment (`NaiveDate` in `Vec<chrono::NaiveDate>`). A compile error
/// about a wrong reading points there.
fn misread_name(ty: &Type) -> &dyn Spanned {
    match ty {
        Type::Paren(p) => misread_name(&p.elem),
        Type::Group(g) => misread_name(&g.elem),
        Type::Path(path) => match path.path.segments.last() {
            Some(last) => match &last.arguments {
                PathArguments::AngleBracketed(args)
                    if last.ident == "Option" || last.ident == "Vec" =>
                {
                    match args.args.first() {
                        Some(GenericArgument::Type(inner)) => misread_name(inner),
                        _ => &last.ident,
                    }
                }
                _ => &last.ident,
            },
            None => ty,
        },
        other => other,
    }
}

fn grammar_field_name(column: &ReadColumn) -> String {
    schema_core::naming::unraw(&column.field.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proves_each_read_field_and_not_sql_type_fields() {
        let input: DeriveInput = syn::parse_quote! {
            struct User {
                id: uuid::Uuid,
                #[schema(sql_type = "citext")]
                email: String,
                role: Option<Role>,
            }
        };
        let out = derive(&input).to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert_eq!(out.matches("SqlKind > :: KIND").count(), 2, "{out}");
        assert!(out.contains("field `id`: cargo-schema reads `uuid::Uuid` by its name"));
        assert!(out.contains("field `role`: cargo-schema reads `Role` as a `#[derive(Enum)]` enum"));
        assert!(out.contains("ENUM_NAME"));
    }

    #[test]
    fn mistakes_become_errors_with_a_fallback_impl() {
        let input: DeriveInput = syn::parse_quote! {
            struct User {
                #[schema(primary_ky)]
                id: i64,
            }
        };
        let out = derive(&input).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("fallback_table"), "{out}");
    }
}
