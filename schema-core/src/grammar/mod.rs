//! The `#[schema(...)]` grammar over syn trees: one parser and one set of checks for both the
//! derive (`schema-macros`) and the CLI (`cargo-schema`), so a mistake gets the same words from
//! both. Nothing here compiles or runs user code.
//!
//! # API
//!
//! CLI side, per package:
//!
//! ```text
//! for each source file:  let file: syn::File = syn::parse_file(&text)?;
//!                        let read: FileRead = grammar::read_file(&file);
//! then once:             let linked: Linked<K> = grammar::link(vec![(key, read), ...]);
//!                        linked.declarations: decl::Declarations   (enums, then tables, in read order)
//!                        linked.errors: Vec<(K, syn::Error)>       (K = your file key)
//! ```
//!
//! - [`read_file`] finds items deriving `Table`/`Enum` (any path ending in those names) at the
//!   top of a file and in inline `mod { ... }` blocks (not under `#[cfg(test)]`); walking the
//!   module tree across files is the caller's job. A bad item's errors land in
//!   [`FileRead::errors`] and the item is left out; the other items still come back.
//!   `#[cfg_attr(.., derive(Table))]` and `#[cfg_attr(.., schema(..))]` are reported as
//!   errors: a cfg cannot be evaluated from source, and skipping them would lose a table.
//! - [`link`] resolves field types the grammar could not map by name (`role: Role`) to the
//!   package's `#[derive(Enum)]` enums, and reports names declared twice. Between the two
//!   steps an unresolved type is held as `TypeDecl::Enum(<Rust name>)` with
//!   [`ReadColumn::read`]`.unresolved` set; only [`link`]'s output is final.
//! - Errors are `syn::Error`s with the narrowest span (the key, the literal, the field type).
//!   With proc-macro2's `span-locations` feature, `error.span().start()` gives line and column;
//!   iterate `error.into_iter()` for the individual messages of a combined error.
//!
//! Derive side: [`table`] and [`enum_`] read one `syn::DeriveInput` and return every mistake of
//! the item at once. [`ReadTable::columns`] tells the derive what to prove about each field's
//! real type (see `types::kind`).

mod attr;
mod check;
mod ctxt;
mod enum_;
mod file;
mod link;
mod suggest;
pub mod symbol;
mod table;
#[cfg(test)]
mod tests;
mod ty;

pub use ctxt::combine;
pub use enum_::{enum_, ReadEnum};
pub use file::{read_file, FileRead};
pub use link::{default_not_a_value_message, link, link_plain, Linked, PlainRead, PlainTable};
pub use table::{table, ReadColumn, ReadTable};
pub use ty::{cannot_map_message, read_type, shown, ReadType, Unresolved};
