//! `generate --accept-edits`: record the current checksums of generated migrations that were
//! edited on purpose, so `verify` stops reporting them. The replay in `verify` still checks
//! that the edited migrations build exactly the snapshot.

use crate::project::migrations::Folder;
use schema_core::migrations::Checksum;
use schema_core::snapshot::{MigrationKind, Snapshot};

/// Updates the chain's checksums from the files on disk; returns the ids whose record changed.
pub fn accept(snapshot: &mut Snapshot, folder: &Folder) -> Vec<String> {
    let mut accepted = Vec::new();
    for entry in &mut snapshot.migrations {
        if entry.kind != MigrationKind::Generated {
            continue;
        }
        let Some(on_disk) = folder.find(entry.version, &entry.name) else {
            continue;
        };
        let mut changed = false;
        for (file, recorded) in [
            (&on_disk.up, &mut entry.up_sha256),
            (&on_disk.down, &mut entry.down_sha256),
        ] {
            let Some(file) = file else { continue };
            let actual = Checksum::of(&file.text).to_hex();
            if recorded.as_deref() != Some(actual.as_str()) {
                *recorded = Some(actual);
                changed = true;
            }
        }
        if changed {
            accepted.push(entry.id());
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::migrations::{FileText, OnDisk};
    use schema_core::snapshot::ChainEntry;
    use schema_core::Dialect;
    use std::path::PathBuf;

    #[test]
    fn records_edited_generated_files_only() {
        let entry = |name: &str, kind| ChainEntry {
            version: if name == "a" { 1 } else { 2 },
            name: name.into(),
            parent: None,
            kind,
            up_sha256: (kind == MigrationKind::Generated).then(|| Checksum::of("old").to_hex()),
            down_sha256: (kind == MigrationKind::Generated).then(|| Checksum::of("down").to_hex()),
        };
        let mut snapshot = Snapshot::empty(Dialect::Sqlite);
        snapshot.migrations = vec![
            entry("a", MigrationKind::Generated),
            entry("b", MigrationKind::HandWritten),
        ];
        let file = |text: &str| {
            Some(FileText {
                path: PathBuf::from("x.sql"),
                text: text.into(),
            })
        };
        let folder = Folder {
            migrations: vec![
                OnDisk {
                    version: 1,
                    slug: "a".into(),
                    up: file("new"),
                    down: file("down"),
                },
                OnDisk {
                    version: 2,
                    slug: "b".into(),
                    up: file("anything"),
                    down: file("anything"),
                },
            ],
            bad_names: vec![],
        };
        assert_eq!(accept(&mut snapshot, &folder), ["0001_a"]);
        assert_eq!(
            snapshot.migrations[0].up_sha256,
            Some(Checksum::of("new").to_hex())
        );
        assert_eq!(snapshot.migrations[1].up_sha256, None);
        assert_eq!(accept(&mut snapshot, &folder), Vec::<String>::new());
    }
}
