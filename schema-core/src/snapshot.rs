//! The committed snapshot file. (Being built: see docs/architecture.md.)
