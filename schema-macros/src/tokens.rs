//! Declarations as Rust expressions that rebuild them at run time, through
//! `::schema_runtime::__private` paths only.

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::decl::{
    CheckDecl, ColumnDecl, DefaultDecl, EnumDecl, FkAction, IndexDecl, ReferenceDecl, TableDecl,
    TypeDecl, UniqueDecl,
};
use schema_core::grammar::ReadColumn;

pub fn table_decl(decl: &TableDecl, read: &[ReadColumn]) -> TokenStream {
    let TableDecl {
        rust_name,
        name,
        renamed_from,
        columns,
        primary_key,
        uniques,
        indexes,
        checks,
    } = decl;
    let rust_name = string(rust_name);
    let name = string(name);
    let renamed_from = option(renamed_from.as_ref().map(|s| string(s)));
    let columns = columns.iter().zip(read).map(|(c, r)| column(c, r));
    let primary_key = option(primary_key.as_ref().map(|cols| strings(cols)));
    let uniques = uniques.iter().map(unique);
    let indexes = indexes.iter().map(index);
    let checks = checks.iter().map(check);
    quote! {
        ::schema_runtime::__private::decl::TableDecl {
            rust_name: #rust_name,
            name: #name,
            renamed_from: #renamed_from,
            columns: ::schema_runtime::__private::vec![#(#columns),*],
            primary_key: #primary_key,
            uniques: ::schema_runtime::__private::vec![#(#uniques),*],
            indexes: ::schema_runtime::__private::vec![#(#indexes),*],
            checks: ::schema_runtime::__private::vec![#(#checks),*],
        }
    }
}

pub fn enum_decl(decl: &EnumDecl) -> TokenStream {
    let rust_name = string(&decl.rust_name);
    let name = string(&decl.name);
    let values = strings(&decl.values);
    let renamed = decl.renamed_values.iter().map(|(new, old)| {
        let (new, old) = (string(new), string(old));
        quote! { (#new, #old) }
    });
    quote! {
        ::schema_runtime::__private::decl::EnumDecl {
            rust_name: #rust_name,
            name: #name,
            values: #values,
            renamed_values: ::schema_runtime::__private::vec![#(#renamed),*],
        }
    }
}

fn column(decl: &ColumnDecl, read: &ReadColumn) -> TokenStream {
    let ColumnDecl {
        field,
        name,
        renamed_from,
        ty,
        nullable,
        primary_key,
        auto_increment,
        unique,
        index,
        default,
        references,
    } = decl;
    let field = string(field);
    let name = string(name);
    let renamed_from = option(renamed_from.as_ref().map(|s| string(s)));
    // An enum's SQL name comes from the field's whole type, the same type the proof names,
    // so a type without a mapping is reported once.
    let enum_field_ty = read
        .read
        .as_ref()
        .and_then(|r| r.unresolved.as_ref())
        .map(|_| &read.ty);
    let ty = type_decl(ty, enum_field_ty);
    let default = option(default.as_ref().map(default_decl));
    let references = option(references.as_ref().map(reference));
    quote! {
        ::schema_runtime::__private::decl::ColumnDecl {
            field: #field,
            name: #name,
            renamed_from: #renamed_from,
            ty: #ty,
            nullable: #nullable,
            primary_key: #primary_key,
            auto_increment: #auto_increment,
            unique: #unique,
            index: #index,
            default: #default,
            references: #references,
        }
    }
}

/// `field_ty` is the field type whose `SqlKind::ENUM_NAME` names an unresolved enum.
fn type_decl(ty: &TypeDecl, field_ty: Option<&syn::Type>) -> TokenStream {
    let path = quote!(::schema_runtime::__private::decl::TypeDecl);
    match ty {
        TypeDecl::Bool => quote!(#path::Bool),
        TypeDecl::I16 => quote!(#path::I16),
        TypeDecl::I32 => quote!(#path::I32),
        TypeDecl::I64 => quote!(#path::I64),
        TypeDecl::F32 => quote!(#path::F32),
        TypeDecl::F64 => quote!(#path::F64),
        TypeDecl::String => quote!(#path::String),
        TypeDecl::Bytes => quote!(#path::Bytes),
        TypeDecl::Uuid => quote!(#path::Uuid),
        TypeDecl::Date => quote!(#path::Date),
        TypeDecl::Time => quote!(#path::Time),
        TypeDecl::DateTime => quote!(#path::DateTime),
        TypeDecl::DateTimeTz => quote!(#path::DateTimeTz),
        TypeDecl::Decimal => quote!(#path::Decimal),
        TypeDecl::Json => quote!(#path::Json),
        TypeDecl::Array(inner) => {
            let inner = type_decl(inner, field_ty);
            quote!(#path::Array(::std::boxed::Box::new(#inner)))
        }
        TypeDecl::Enum(name) => match field_ty {
            Some(field_ty) => quote! {
                #path::Enum(::schema_runtime::__private::string(
                    <#field_ty as ::schema_runtime::__private::SqlKind>::ENUM_NAME,
                ))
            },
            None => {
                let name = string(name);
                quote!(#path::Enum(#name))
            }
        },
        TypeDecl::Sql(sql) => {
            let sql = string(sql);
            quote!(#path::Sql(#sql))
        }
    }
}

fn default_decl(default: &DefaultDecl) -> TokenStream {
    let path = quote!(::schema_runtime::__private::decl::DefaultDecl);
    match default {
        DefaultDecl::Int(n) => quote!(#path::Int(#n)),
        DefaultDecl::Float(f) => {
            let f = string(f);
            quote!(#path::Float(#f))
        }
        DefaultDecl::Bool(b) => quote!(#path::Bool(#b)),
        DefaultDecl::Str(s) => {
            let s = string(s);
            quote!(#path::Str(#s))
        }
        DefaultDecl::Sql(s) => {
            let s = string(s);
            quote!(#path::Sql(#s))
        }
    }
}

fn reference(reference: &ReferenceDecl) -> TokenStream {
    let table = string(&reference.table);
    let column = string(&reference.column);
    let on_delete = option(reference.on_delete.map(action));
    let on_update = option(reference.on_update.map(action));
    quote! {
        ::schema_runtime::__private::decl::ReferenceDecl {
            table: #table,
            column: #column,
            on_delete: #on_delete,
            on_update: #on_update,
        }
    }
}

fn action(action: FkAction) -> TokenStream {
    let path = quote!(::schema_runtime::__private::decl::FkAction);
    match action {
        FkAction::NoAction => quote!(#path::NoAction),
        FkAction::Restrict => quote!(#path::Restrict),
        FkAction::Cascade => quote!(#path::Cascade),
        FkAction::SetNull => quote!(#path::SetNull),
        FkAction::SetDefault => quote!(#path::SetDefault),
    }
}

fn unique(decl: &UniqueDecl) -> TokenStream {
    let name = option(decl.name.as_ref().map(|s| string(s)));
    let columns = strings(&decl.columns);
    quote! {
        ::schema_runtime::__private::decl::UniqueDecl { name: #name, columns: #columns }
    }
}

fn index(decl: &IndexDecl) -> TokenStream {
    let name = option(decl.name.as_ref().map(|s| string(s)));
    let columns = strings(&decl.columns);
    let predicate = option(decl.predicate.as_ref().map(|s| string(s)));
    quote! {
        ::schema_runtime::__private::decl::IndexDecl { name: #name, columns: #columns, predicate: #predicate }
    }
}

fn check(decl: &CheckDecl) -> TokenStream {
    let name = string(&decl.name);
    let expr = string(&decl.expr);
    quote! {
        ::schema_runtime::__private::decl::CheckDecl { name: #name, expr: #expr }
    }
}

fn string(s: &str) -> TokenStream {
    quote!(::schema_runtime::__private::string(#s))
}

fn strings(items: &[String]) -> TokenStream {
    let items = items.iter().map(|s| string(s));
    quote!(::schema_runtime::__private::vec![#(#items),*])
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
