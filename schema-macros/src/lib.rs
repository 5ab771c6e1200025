//! Procedural macros of cargo-schema. Users reach them through `schema_runtime`.
//! Entry points only: each delegates to its module, which turns errors into compile errors.

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod embed;
mod enum_;
mod fallback;
mod table;
mod tokens;

/// Declares a table: implements `schema_runtime::Table`, whose `table()` returns the same
/// declaration `cargo schema` reads from the source.
///
/// Container keys: `table = "name"`, `renamed_from = "old"`, `index(a, b, name = "..",
/// where = "..")`, `unique(a, b, name = "..")`, `primary_key(a, b)`, `check(name = "..",
/// expr = "..")`. Field keys: `primary_key`, `auto_increment`, `unique`, `index`,
/// `column = ".."`, `renamed_from = ".."`, `sql_type = ".."`, `default = <literal>`,
/// `default_sql = ".."`, `references = "table.column"`, `on_delete`/`on_update = "cascade" |
/// "restrict" | "set null" | "set default" | "no action"`, `skip`.
///
/// Each field's type is read by name (`i64`, `String`, `uuid::Uuid`, `Option<T>`, ...) and the
/// build fails where the real type is not the one its name suggests (a type alias, a type of
/// the same name), so a wrong reading never becomes a wrong migration.
#[proc_macro_derive(Table, attributes(schema))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    table::derive(&input).into()
}

/// Declares an SQL enum type from a fieldless enum: implements `schema_runtime::Enum`.
///
/// Container key: `name = "sql_type_name"` (default: the enum name in snake_case). Variant
/// key: `rename = "value"` (default: the variant name in snake_case).
#[proc_macro_derive(Enum, attributes(schema))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    enum_::derive(&input).into()
}

/// Embeds a migrations folder as a `schema_runtime::Migrator`:
/// `embed_migrations!()` reads `migrations` beside the package's Cargo.toml,
/// `embed_migrations!("db/migrations")` another folder relative to it.
///
/// Every `NNNN_<slug>.up.sql` / `.down.sql` pair is embedded with its checksum (SHA-256 of the
/// text with CRLF turned into LF and a leading BOM removed), computed at compile time. A
/// malformed file name, a missing down file, two migrations with one number or an unknown
/// `-- schema:` directive is a compile error naming the file.
///
/// Changing or removing a migration file rebuilds the package by itself. Adding one needs the
/// package's build script to declare the folder, because stable Rust cannot let a macro track
/// a directory (`proc_macro::tracked::path` is unstable):
///
/// ```text
/// // build.rs
/// fn main() {
///     println!("cargo::rerun-if-changed=migrations");
/// }
/// ```
///
/// Without a build script the macro emits a warning saying so.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
