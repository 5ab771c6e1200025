//! Steps -> SQL, one renderer per dialect. (Being built: see docs/architecture.md.)
