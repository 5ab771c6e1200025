//! The evolution corpus: one function per scenario, grouped by what changes. Each returns a
//! [`Scenario`]: source declarations, target declarations, seed rows, and the rows expected
//! after up when they differ from the seed. `tests/tests/corpus.rs` runs every one on
//! PostgreSQL and SQLite.

pub mod columns;
pub mod constraints;
pub mod enums;
pub mod shapes;
pub mod tables;

pub use schema_core::decl::FkAction;
pub use schema_core::decl::TypeDecl::{self, *};
pub use schema_tests::build::{col, decls, enum_type, table, Tbl};
pub use schema_tests::scenario::{rows, Scenario};

/// `users (id bigint pk auto, email text unique)`: the table most scenarios start from.
pub fn users() -> Tbl {
    table("users")
        .col(col("id", I64).pk().auto())
        .col(col("email", String))
}

/// Two users, for scenarios that change `users()`.
pub fn users_seed() -> schema_tests::scenario::Rows {
    rows(
        "users",
        &["id", "email"],
        &[&["1", "'a@x'"], &["2", "'b@x'"]],
    )
}

/// A declared enum column type.
pub fn enum_col(name: &str) -> TypeDecl {
    TypeDecl::Enum(name.to_string())
}
