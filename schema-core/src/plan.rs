//! Typed changes -> ordered steps with their risk. (Being built: see docs/architecture.md.)
