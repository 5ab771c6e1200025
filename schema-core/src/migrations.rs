//! The one migration-file resolver, shared by `embed_migrations!`, the runtime and the CLI.
//! (Being built: see docs/architecture.md.)
