//! The `#[schema(...)]` grammar over syn trees. (Being built: see docs/architecture.md.)
