//! Declarations -> one dialect's [`crate::model::Schema`] (plus rename hints).
//! (Being built: see docs/architecture.md.)
