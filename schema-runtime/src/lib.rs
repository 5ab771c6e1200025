//! cargo-schema's runtime: derive your tables, embed your migrations, apply them.

pub use describe::{Enum, Table};
pub use schema_core::decl;
pub use schema_core::model;
pub use schema_core::Dialect;
pub use schema_macros::{Enum, Table};

mod describe;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// Reading a live database back into the schema model.
#[cfg(feature = "_db")]
pub mod introspect;

/// Applying migrations: `Migrator`, `embed_migrations!`, status and plans.
pub mod migrator;
#[cfg(feature = "_db")]
pub use migrator::DatabasePool;
pub use migrator::{MigrateError, Migrator, MigratorOptions};
/// The migration-file resolver (names, checksums, directives, statements).
pub use schema_core::migrations;
pub use schema_macros::embed_migrations;
