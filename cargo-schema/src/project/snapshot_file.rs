//! Loading and saving a target's snapshot file, with errors that say what to do.

use crate::error::CliError;
use crate::output::display_path;
use crate::project::package::SchemaTarget;
use schema_core::snapshot::{Snapshot, SnapshotError, FILE_NAME};
use std::path::{Path, PathBuf};

pub fn path(target: &SchemaTarget) -> PathBuf {
    target.migrations.join(FILE_NAME)
}

/// The raw outcome of reading the snapshot, for `verify`, which treats merge conflicts as a
/// problem to explain rather than an error.
pub enum Loaded {
    Ok(Snapshot),
    /// The file holds git conflict markers; the text is kept for analysis.
    Conflict(String),
}

/// Reads the snapshot; no file yet means an empty schema with no migrations.
pub fn load(target: &SchemaTarget) -> Result<Snapshot, CliError> {
    match load_raw(target)? {
        Loaded::Ok(snapshot) => Ok(snapshot),
        Loaded::Conflict(_) => {
            let file = display_path(&path(target));
            Err(CliError::new(format!(
                "{file} has unresolved merge-conflict markers: two branches each changed the schema"
            ))
            .hint("run `cargo schema verify` to see which migrations conflict and how to regenerate on top"))
        }
    }
}

pub fn load_raw(target: &SchemaTarget) -> Result<Loaded, CliError> {
    let file = path(target);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded::Ok(Snapshot::empty(target.dialect)))
        }
        Err(e) => {
            return Err(CliError::new(format!(
                "cannot read {}: {e}",
                display_path(&file)
            )))
        }
    };
    let snapshot = match Snapshot::parse(&text) {
        Ok(snapshot) => snapshot,
        Err(SnapshotError::MergeConflict { .. }) => return Ok(Loaded::Conflict(text)),
        Err(e) => return Err(snapshot_error(&file, &e)),
    };
    if snapshot.schema.dialect != target.dialect {
        return Err(CliError::new(format!(
            "{} was written for {}, but this target's dialect is {}",
            display_path(&file),
            snapshot.schema.dialect,
            target.dialect
        ))
        .hint("each dialect needs its own migrations folder: set `migrations` per `[[package.metadata.schema.target]]`"));
    }
    Ok(Loaded::Ok(snapshot))
}

pub fn snapshot_error(file: &Path, error: &SnapshotError) -> CliError {
    let name = display_path(file);
    match error {
        SnapshotError::Corrupt { line, column, .. } => {
            CliError::new(format!("{name}:{line}:{column}: {error}")).hint(format!(
                "restore it from version control (`git checkout -- {name}`); the snapshot is written by `cargo schema generate` and is not meant to be edited"
            ))
        }
        SnapshotError::NewerFormat { .. } => CliError::new(format!("{name}: {error}"))
            .hint("install the cargo-schema version your team uses: `cargo install cargo-schema`"),
        SnapshotError::MergeConflict { line } => CliError::new(format!("{name}:{line}: {error}"))
            .hint("run `cargo schema verify` to see which migrations conflict"),
    }
}

/// Writes the snapshot through a temporary file, so a crash never leaves half a snapshot.
pub fn save(target: &SchemaTarget, snapshot: &Snapshot) -> Result<PathBuf, CliError> {
    let file = path(target);
    write_atomically(&file, &snapshot.to_text())?;
    Ok(file)
}

pub fn write_atomically(file: &Path, text: &str) -> Result<(), CliError> {
    let error =
        |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", display_path(file)));
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(error)?;
    }
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(error)?;
    std::fs::rename(&tmp, file).map_err(error)
}
