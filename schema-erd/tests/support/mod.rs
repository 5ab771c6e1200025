//! Shared by the tests: schemas written as snapshot JSON, the example app's schema, a
//! synthetic schema of any size.

#![allow(dead_code)]

pub mod browser;
pub mod synthetic;

use schema_core::model::Schema;
use schema_core::snapshot::Snapshot;
use std::path::PathBuf;

/// A schema from the `tables` (and `enums`) objects of a snapshot file.
pub fn schema(dialect: &str, enums: &str, tables: &str) -> Schema {
    let text = format!(
        r#"{{"format_version": 1, "dialect": "{dialect}", "enums": {{{enums}}}, "tables": {{{tables}}}}}"#
    );
    Snapshot::parse(&text)
        .unwrap_or_else(|e| panic!("test schema: {e}\n{text}"))
        .schema
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The example app's committed snapshot (`examples/blog`), in `dialect`.
pub fn blog(dialect: &str) -> Schema {
    let path = workspace().join(format!(
        "examples/blog/migrations/{dialect}/schema.snapshot.json"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Snapshot::parse(&text)
        .expect("the blog snapshot parses")
        .schema
}
