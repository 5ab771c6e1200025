//! `#[derive(Table)]` structs: the typed IR of a struct and its fields, and the [`TableDecl`]
//! built from it once `check.rs` has accepted it.

use super::attr::{FieldAttrs, List, TableAttrs};
use super::check;
use super::ctxt::Ctxt;
use super::ty::{read_type, ReadType};
use crate::decl::{CheckDecl, ColumnDecl, IndexDecl, TableDecl, TypeDecl, UniqueDecl};
use crate::naming::{snake_case, unraw};
use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Ident, Type};

/// A struct read by the grammar.
#[derive(Clone, Debug)]
pub struct ReadTable {
    pub decl: TableDecl,
    /// The struct's identifier, for errors about the whole table.
    pub span: Span,
    /// One per entry of `decl.columns`, in the same order.
    pub columns: Vec<ReadColumn>,
}

/// How a column's type was read, for the derive's compile-time proof and for [`super::link`].
#[derive(Clone, Debug)]
pub struct ReadColumn {
    /// The field as written (`r#type`).
    pub field: Ident,
    /// The field's type as written.
    pub ty: Type,
    /// `None` when `sql_type` gives the type: there is nothing to prove.
    pub read: Option<ReadType>,
    /// `default = <literal>` as written, for errors about its value once the type is known.
    pub default: Option<syn::Expr>,
}

/// The IR of one struct, with everything the checks need.
pub(crate) struct Table<'a> {
    pub ident: &'a Ident,
    pub attrs: TableAttrs,
    pub fields: Vec<Field<'a>>,
    /// The SQL table name.
    pub name: String,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    /// The Rust field name without `r#`.
    pub name: String,
    /// The SQL column name.
    pub column: String,
    /// The reading of the type, or `None` when the field is skipped, has `sql_type`, or could
    /// not be read (that error is already recorded).
    pub read: Option<ReadType>,
}

impl Field<'_> {
    pub fn skipped(&self) -> bool {
        self.attrs.skip.is_set()
    }
}

/// An item as [`table`] reads it, borrowed from a `DeriveInput` (the derive) or from a parsed
/// file's `ItemStruct` (the CLI, which so need not clone the item).
pub(crate) struct ItemRef<'a> {
    pub attrs: &'a [syn::Attribute],
    pub ident: &'a Ident,
    pub generics: &'a syn::Generics,
    pub data: DataRef<'a>,
}

/// The body of an [`ItemRef`].
pub(crate) enum DataRef<'a> {
    Struct(&'a Fields),
    Enum(syn::token::Enum),
    Union(syn::token::Union),
}

impl<'a> From<&'a DeriveInput> for ItemRef<'a> {
    fn from(input: &'a DeriveInput) -> Self {
        ItemRef {
            attrs: &input.attrs,
            ident: &input.ident,
            generics: &input.generics,
            data: match &input.data {
                Data::Struct(s) => DataRef::Struct(&s.fields),
                Data::Enum(e) => DataRef::Enum(e.enum_token),
                Data::Union(u) => DataRef::Union(u.union_token),
            },
        }
    }
}

impl<'a> From<&'a syn::ItemStruct> for ItemRef<'a> {
    fn from(item: &'a syn::ItemStruct) -> Self {
        ItemRef {
            attrs: &item.attrs,
            ident: &item.ident,
            generics: &item.generics,
            data: DataRef::Struct(&item.fields),
        }
    }
}

/// Reads a `#[derive(Table)]` struct. All mistakes of the item come back together.
pub fn table(input: &DeriveInput) -> Result<ReadTable, Vec<syn::Error>> {
    table_ref(ItemRef::from(input))
}

/// [`table`] on a borrowed item.
pub(crate) fn table_ref(input: ItemRef<'_>) -> Result<ReadTable, Vec<syn::Error>> {
    let cx = Ctxt::new();
    let parsed = Table::from_ast(&cx, &input);
    if let Some(table) = &parsed {
        check::check_table(&cx, table);
    }
    let errors = cx.finish();
    match parsed {
        Some(table) if errors.is_empty() => Ok(table.into_read()),
        _ => Err(errors),
    }
}

impl<'a> Table<'a> {
    fn from_ast(cx: &Ctxt, input: &ItemRef<'a>) -> Option<Self> {
        let attrs = TableAttrs::from_attrs(cx, input.attrs);
        check::check_no_generics(cx, input.generics, "Table");
        let named = match input.data {
            DataRef::Struct(fields) => match fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(fields, "`#[derive(Table)]` needs named fields: a column takes its name from its field, write `struct Name { field: Type }`");
                    None
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        input.ident,
                        "`#[derive(Table)]` needs named fields: a unit struct has no columns",
                    );
                    None
                }
            },
            DataRef::Enum(enum_token) => {
                cx.error_spanned_by(enum_token, "`#[derive(Table)]` works on structs with named fields: for an SQL enum type use `#[derive(Enum)]`");
                None
            }
            DataRef::Union(union_token) => {
                cx.error_spanned_by(
                    union_token,
                    "`#[derive(Table)]` works on structs with named fields, not unions",
                );
                None
            }
        }?;
        let fields = named
            .named
            .iter()
            .filter_map(|f| Field::from_ast(cx, f))
            .collect();
        let name = match attrs.table.value() {
            Some(lit) => lit.value(),
            None => snake_case(&input.ident.to_string()),
        };
        Some(Table {
            ident: input.ident,
            attrs,
            fields,
            name,
        })
    }

    pub fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn into_read(self) -> ReadTable {
        let columns: Vec<&Field> = self.fields.iter().filter(|f| !f.skipped()).collect();
        let decl = TableDecl {
            rust_name: unraw(&self.ident.to_string()).to_string(),
            name: self.name.clone(),
            renamed_from: self.attrs.renamed_from.value().map(|l| l.value()),
            columns: columns.iter().map(|f| column_decl(f)).collect(),
            primary_key: self.attrs.primary_key.value().map(|l| self.column_names(l)),
            uniques: self
                .attrs
                .uniques
                .iter()
                .map(|l| UniqueDecl {
                    name: l.option(super::symbol::NAME).map(|s| s.value()),
                    columns: self.column_names(l),
                })
                .collect(),
            indexes: self
                .attrs
                .indexes
                .iter()
                .map(|l| IndexDecl {
                    name: l.option(super::symbol::NAME).map(|s| s.value()),
                    columns: self.column_names(l),
                    predicate: l.option(super::symbol::WHERE).map(|s| s.value()),
                })
                .collect(),
            checks: self
                .attrs
                .checks
                .iter()
                .map(|l| CheckDecl {
                    name: l
                        .option(super::symbol::NAME)
                        .map(|s| s.value())
                        .unwrap_or_default(),
                    expr: l
                        .option(super::symbol::EXPR)
                        .map(|s| s.value())
                        .unwrap_or_default(),
                })
                .collect(),
        };
        let columns = columns
            .iter()
            .map(|f| ReadColumn {
                field: f.ident.clone(),
                ty: f.ty.clone(),
                read: f.read.clone(),
                default: f.attrs.default.value().cloned(),
            })
            .collect();
        ReadTable {
            decl,
            span: self.ident.span(),
            columns,
        }
    }

    /// The SQL column names of a checked list of fields.
    fn column_names(&self, list: &List) -> Vec<String> {
        list.columns
            .iter()
            .filter_map(|ident| self.field(unraw(&ident.to_string())))
            .map(|f| f.column.clone())
            .collect()
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field) -> Option<Self> {
        let ident = field.ident.as_ref()?;
        let attrs = FieldAttrs::from_attrs(cx, &field.attrs);
        let name = unraw(&ident.to_string()).to_string();
        let column = match attrs.column.value() {
            Some(lit) => lit.value(),
            None => name.clone(),
        };
        let read = if attrs.skip.is_set() || attrs.sql_type.is_set() {
            None
        } else {
            read_type(&field.ty).map_err(|e| cx.syn_error(e)).ok()
        };
        Some(Field {
            ident,
            ty: &field.ty,
            attrs,
            name,
            column,
            read,
        })
    }

    /// `Option<T>` at the top of the type, whether or not the rest could be read.
    fn nullable(&self) -> bool {
        match &self.read {
            Some(read) => read.nullable,
            None => super::ty::is_option(self.ty),
        }
    }
}

fn column_decl(f: &Field) -> ColumnDecl {
    let ty = match (&f.attrs.sql_type.value(), &f.read) {
        (Some(lit), _) => TypeDecl::Sql(lit.value()),
        (None, Some(read)) => read.ty.clone(),
        // Unreachable after a clean check: a field without a reading has an error recorded.
        (None, None) => TypeDecl::Sql(String::new()),
    };
    ColumnDecl {
        field: f.name.clone(),
        name: f.column.clone(),
        renamed_from: f.attrs.renamed_from.value().map(|l| l.value()),
        ty,
        nullable: f.nullable(),
        primary_key: f.attrs.primary_key.is_set(),
        auto_increment: f.attrs.auto_increment.is_set(),
        unique: f.attrs.unique.is_set(),
        index: f.attrs.index.is_set(),
        default: check::default_decl(f),
        references: check::reference_decl(f),
    }
}
