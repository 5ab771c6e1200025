//! What is on disk in a migrations folder, read leniently: `verify` reports duplicates, half
//! pairs and bad names as problems instead of stopping at the first.

use crate::error::CliError;
use crate::output::display_path;
use schema_core::migrations::{parse_file_name, ScriptKind};
use schema_core::snapshot::FILE_NAME;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `NNNN_<slug>` found on disk, with whichever halves exist.
#[derive(Clone, Debug, Default)]
pub struct OnDisk {
    pub version: i64,
    pub slug: String,
    pub up: Option<FileText>,
    pub down: Option<FileText>,
}

impl OnDisk {
    pub fn id(&self) -> String {
        format!("{:04}_{}", self.version, self.slug)
    }
}

#[derive(Clone, Debug)]
pub struct FileText {
    pub path: PathBuf,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Folder {
    /// Sorted by version, then slug.
    pub migrations: Vec<OnDisk>,
    /// `.sql` files whose name is not a migration name, with the reason.
    pub bad_names: Vec<(PathBuf, String)>,
}

impl Folder {
    pub fn max_version(&self) -> i64 {
        self.migrations.iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub fn find(&self, version: i64, slug: &str) -> Option<&OnDisk> {
        self.migrations
            .iter()
            .find(|m| m.version == version && m.slug == slug)
    }
}

/// Reads the folder; a folder that does not exist yet is empty.
pub fn scan(dir: &Path) -> Result<Folder, CliError> {
    let mut folder = Folder::default();
    if !dir.exists() {
        return Ok(folder);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| read_error(dir, e))?;
    let mut found: BTreeMap<(i64, String), OnDisk> = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".sql") || !path.is_file() || name == FILE_NAME {
            continue;
        }
        let parsed = match parse_file_name(name) {
            Ok(parsed) => parsed,
            Err(e) => {
                folder.bad_names.push((path.clone(), e.to_string()));
                continue;
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
        let slot = found
            .entry((parsed.version, parsed.slug.clone()))
            .or_insert_with(|| OnDisk {
                version: parsed.version,
                slug: parsed.slug.clone(),
                ..OnDisk::default()
            });
        let file = Some(FileText { path, text });
        match parsed.kind {
            ScriptKind::Up => slot.up = file,
            ScriptKind::Down => slot.down = file,
        }
    }
    folder.migrations = found.into_values().collect();
    folder.bad_names.sort();
    Ok(folder)
}

fn read_error(path: &Path, e: std::io::Error) -> CliError {
    CliError::new(format!("cannot read {}: {e}", display_path(path)))
        .hint("check that the migrations folder exists and is readable")
}

/// Refuses to add a migration while the folder holds migrations the snapshot does not record
/// (another branch's, or hand-made): the new one would take a number already in use.
pub fn ensure_recorded(
    folder: &Folder,
    snapshot: &schema_core::snapshot::Snapshot,
    dir: &Path,
) -> Result<(), CliError> {
    let unrecorded: Vec<String> = folder
        .migrations
        .iter()
        .filter(|m| {
            !snapshot
                .migrations
                .iter()
                .any(|c| c.version == m.version && c.name == m.slug)
        })
        .map(OnDisk::id)
        .collect();
    if unrecorded.is_empty() {
        return Ok(());
    }
    Err(CliError::new(format!(
        "{} holds migrations the snapshot does not record: {}; nothing written",
        display_path(dir),
        unrecorded.join(", ")
    ))
    .hint(
        "run `cargo schema verify` to see why (usually a merge of two branches) and how to fix it",
    ))
}

/// The two file names of a migration.
pub fn file_names(version: i64, slug: &str) -> (String, String) {
    let stem = format!("{version:04}_{slug}");
    (
        format!("{stem}{}", ScriptKind::Up.suffix()),
        format!("{stem}{}", ScriptKind::Down.suffix()),
    )
}

/// A slug from `--name` or `new NAME`: lowercase, words joined with `_`.
pub fn slug_from_name(name: &str) -> Result<String, CliError> {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            slug.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() {
            if !slug.ends_with('_') {
                slug.push('_');
            }
        } else {
            return Err(CliError::new(format!(
                "`{name}` cannot be a migration name: `{c}` is not allowed"
            ))
            .hint("use ASCII letters, digits, `_` and `-`, for example `backfill_user_roles`"));
        }
    }
    let slug = slug.trim_matches('_').to_string();
    if slug.is_empty() {
        return Err(CliError::new("the migration name is empty")
            .hint("give a name such as `backfill_user_roles`"));
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(
            slug_from_name("Backfill user Roles").unwrap(),
            "backfill_user_roles"
        );
        assert_eq!(slug_from_name("add-tags").unwrap(), "add-tags");
        assert!(slug_from_name("drop;table").is_err());
        assert!(slug_from_name("  ").is_err());
    }

    #[test]
    fn scan_pairs_halves_and_reports_bad_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join("0001_init.up.sql"), "create table a (x int);").unwrap();
        std::fs::write(root.join("0001_init.down.sql"), "drop table a;").unwrap();
        std::fs::write(root.join("0002_half.up.sql"), "").unwrap();
        std::fs::write(root.join("notes.sql"), "").unwrap();
        std::fs::write(root.join(FILE_NAME), "{}").unwrap();
        let folder = scan(root).expect("scans");
        assert_eq!(folder.migrations.len(), 2);
        assert!(folder.migrations[0].down.is_some());
        assert!(folder.migrations[1].down.is_none());
        assert_eq!(folder.bad_names.len(), 1);
        assert_eq!(folder.max_version(), 2);
        assert_eq!(file_names(3, "x").0, "0003_x.up.sql");
    }
}
