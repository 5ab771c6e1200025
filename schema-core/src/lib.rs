//! The shared core of cargo-schema.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! grammar (syn -> decl) -> resolve (decl -> model::Schema) -> diff (Schema x Schema -> Change)
//!   -> plan (Change -> Step, with risk) -> render (Step -> SQL per dialect) -> migration files
//! migration files -> migrations (the one resolver: names, checksums, directives, statements)
//! ```

pub mod decl;
pub mod dialect;
pub mod model;
pub mod naming;
pub mod resolve;
pub mod sql_expr;
pub mod types;

pub mod compare;
pub mod diff;
pub mod plan;
pub mod render;

pub mod generate;

pub mod migrations;
pub mod snapshot;

#[cfg(feature = "grammar")]
pub mod grammar;

pub use dialect::Dialect;
