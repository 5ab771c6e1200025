//! cargo-schema's runtime: derive your tables, embed your migrations, apply them.

pub use schema_core::decl;
pub use schema_core::model;
pub use schema_core::Dialect;
pub use schema_macros::{Enum, Table};

/// Reading a live database back into the schema model.
#[cfg(feature = "_db")]
pub mod introspect;
