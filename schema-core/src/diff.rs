//! Schema x Schema -> typed changes. (Being built: see docs/architecture.md.)
