//! What `#[derive(Table)]` and `#[derive(Enum)]` implement: the declaration of a type, read at
//! run time. The CLI reads the same declarations from source without compiling anything.

use schema_core::decl::{EnumDecl, TableDecl};

/// A struct that maps to a table. Derive it: `#[derive(schema_runtime::Table)]`.
pub trait Table {
    /// The table this struct declares, exactly as `cargo schema` reads it from source.
    fn table() -> TableDecl;
}

/// A fieldless enum that maps to an SQL enum type. Derive it: `#[derive(schema_runtime::Enum)]`.
pub trait Enum {
    /// The SQL enum type this enum declares, exactly as `cargo schema` reads it from source.
    fn enum_decl() -> EnumDecl;
}
