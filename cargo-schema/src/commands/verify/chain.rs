//! The snapshot chain against the migration files: edited after generation, missing,
//! unrecorded, duplicated or out of sequence, and two branches on the same parent.

use crate::commands::verify::problem::Problem;
use crate::output::display_path;
use crate::project::migrations::{FileText, Folder, OnDisk};
use schema_core::migrations::Checksum;
use schema_core::snapshot::{ChainEntry, MigrationKind, Snapshot};
use std::collections::BTreeMap;
use std::path::Path;

/// How to untangle migrations that two branches both added: keep the main line's folder and
/// regenerate this branch's changes on top of it.
pub fn regenerate_on_top(dir: &Path) -> String {
    format!(
        "restore the migrations folder as it is on your main branch (`git checkout <main-branch> -- {}`), then run `cargo schema generate` to write this branch's changes as the next migration on top",
        display_path(dir)
    )
}

/// The files of a migration found on disk, as the user would type them.
fn files_of(migration: &OnDisk) -> Vec<String> {
    [&migration.up, &migration.down]
        .into_iter()
        .flatten()
        .map(|f| display_path(&f.path))
        .collect()
}

pub fn check(snapshot: &Snapshot, folder: &Folder, dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_chain(snapshot, dir, &mut problems);
    for entry in &snapshot.migrations {
        check_recorded(
            entry,
            folder.find(entry.version, &entry.name),
            dir,
            &mut problems,
        );
    }
    check_unrecorded(snapshot, folder, dir, &mut problems);
    for (path, reason) in &folder.bad_names {
        problems.push(Problem::new(
            "bad_file_name",
            format!("{}: {reason}", display_path(path)),
            "rename the file to `NNNN_<slug>.up.sql` / `.down.sql`, or move it out of the migrations folder",
        ));
    }
    problems
}

/// Each entry must sit on the one before it; two entries on one parent are two branches.
fn check_chain(snapshot: &Snapshot, dir: &Path, problems: &mut Vec<Problem>) {
    let mut by_parent: BTreeMap<Option<String>, Vec<&ChainEntry>> = BTreeMap::new();
    for entry in &snapshot.migrations {
        by_parent
            .entry(entry.parent.clone())
            .or_default()
            .push(entry);
    }
    for (parent, children) in &by_parent {
        if children.len() > 1 {
            let ids: Vec<String> = children.iter().map(|c| c.id()).collect();
            problems.push(Problem::new(
                "branch_conflict",
                format!(
                    "{} were each written on top of {}: two branches each added a migration at the same place in the sequence",
                    ids.join(" and "),
                    parent.as_deref().unwrap_or("the empty schema")
                ),
                regenerate_on_top(dir),
            ));
        }
    }
    let mut previous: Option<&ChainEntry> = None;
    for entry in &snapshot.migrations {
        let expected_parent = previous.map(ChainEntry::id);
        let shared_parent = by_parent.get(&entry.parent).is_some_and(|c| c.len() > 1);
        let expected_version = previous.map_or(1, |p| p.version + 1);
        if !shared_parent && (entry.parent != expected_parent || entry.version != expected_version)
        {
            problems.push(Problem::new(
                "out_of_sequence",
                format!(
                    "{} is out of sequence: it was written on top of {} with number {:04}, but the sequence expects number {:04} on top of {}",
                    entry.id(),
                    entry.parent.as_deref().unwrap_or("the empty schema"),
                    entry.version,
                    expected_version,
                    expected_parent.as_deref().unwrap_or("the empty schema"),
                ),
                regenerate_on_top(dir),
            ));
        }
        previous = Some(entry);
    }
}

fn check_recorded(
    entry: &ChainEntry,
    on_disk: Option<&OnDisk>,
    dir: &Path,
    problems: &mut Vec<Problem>,
) {
    let id = entry.id();
    let halves = [
        ("up", on_disk.and_then(|d| d.up.as_ref()), &entry.up_sha256),
        (
            "down",
            on_disk.and_then(|d| d.down.as_ref()),
            &entry.down_sha256,
        ),
    ];
    for (direction, file, recorded) in halves {
        let Some(file) = file else {
            let path = dir.join(format!("{id}.{direction}.sql"));
            problems.push(Problem::new(
                "missing_file",
                format!("{} is missing: the snapshot records migration {id}", display_path(&path)),
                format!(
                    "restore it from version control (`git checkout -- {}`); to undo a migration, generate a new one instead of deleting it",
                    display_path(&path)
                ),
            ));
            continue;
        };
        if entry.kind == MigrationKind::Generated {
            check_checksum(file, recorded.as_deref(), problems);
        }
    }
}

fn check_checksum(file: &FileText, recorded: Option<&str>, problems: &mut Vec<Problem>) {
    let actual = Checksum::of(&file.text).to_hex();
    if recorded == Some(actual.as_str()) {
        return;
    }
    let name = display_path(&file.path);
    problems.push(Problem::new(
        "edited_migration",
        format!("{name} was changed after it was generated (its checksum differs from the snapshot's)"),
        format!(
            "restore the generated text (`git checkout -- {name}`) and put schema changes in the structs (`cargo schema generate`) or data changes in `cargo schema new <name>`; if the edit is intended, record it with `cargo schema generate --accept-edits`"
        ),
    ));
}

fn check_unrecorded(snapshot: &Snapshot, folder: &Folder, dir: &Path, problems: &mut Vec<Problem>) {
    let recorded = |m: &OnDisk| {
        snapshot
            .migrations
            .iter()
            .any(|c| c.version == m.version && c.name == m.slug)
    };
    for migration in folder.migrations.iter().filter(|m| !recorded(m)) {
        let same_number: Vec<String> = snapshot
            .migrations
            .iter()
            .filter(|c| c.version == migration.version)
            .map(ChainEntry::id)
            .chain(
                folder
                    .migrations
                    .iter()
                    .filter(|o| {
                        o.version == migration.version && o.slug != migration.slug && !recorded(o)
                    })
                    .map(OnDisk::id),
            )
            .collect();
        if !same_number.is_empty() {
            problems.push(Problem::new(
                "duplicate_number",
                format!(
                    "{} and {} share number {:04}: two branches each added a migration at the same place in the sequence ({} is not recorded in the snapshot)",
                    migration.id(),
                    same_number.join(", "),
                    migration.version,
                    migration.id()
                ),
                format!(
                    "the snapshot kept the other side: delete {} and run `cargo schema generate`, which writes that change again as the next migration on top",
                    files_of(migration).join(" and ")
                ),
            ));
        } else {
            problems.push(Problem::new(
                "unrecorded_migration",
                format!(
                    "{} is not recorded in the snapshot (written by hand, or its snapshot change was lost in a merge)",
                    migration.id()
                ),
                format!(
                    "if you wrote it by hand, delete its files and recreate it with `cargo schema new {}`; if it came from another branch, {}",
                    migration.slug,
                    regenerate_on_top(dir)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::migrations::FileText;
    use schema_core::Dialect;
    use std::path::PathBuf;

    fn entry(version: i64, name: &str, parent: Option<&str>, up: &str, down: &str) -> ChainEntry {
        ChainEntry {
            version,
            name: name.into(),
            parent: parent.map(str::to_string),
            kind: MigrationKind::Generated,
            up_sha256: Some(Checksum::of(up).to_hex()),
            down_sha256: Some(Checksum::of(down).to_hex()),
        }
    }

    fn on_disk(version: i64, slug: &str, up: &str, down: &str) -> OnDisk {
        let file = |d: &str, text: &str| FileText {
            path: PathBuf::from(format!("m/{version:04}_{slug}.{d}.sql")),
            text: text.into(),
        };
        OnDisk {
            version,
            slug: slug.into(),
            up: Some(file("up", up)),
            down: Some(file("down", down)),
        }
    }

    fn kinds(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(|p| p.kind).collect()
    }

    fn clean() -> (Snapshot, Folder) {
        let mut snapshot = Snapshot::empty(Dialect::Sqlite);
        snapshot.migrations = vec![
            entry(1, "init", None, "u1", "d1"),
            entry(2, "posts", Some("0001_init"), "u2", "d2"),
        ];
        let folder = Folder {
            migrations: vec![
                on_disk(1, "init", "u1", "d1"),
                on_disk(2, "posts", "u2", "d2"),
            ],
            bad_names: vec![],
        };
        (snapshot, folder)
    }

    #[test]
    fn a_matching_folder_has_no_problems() {
        let (snapshot, folder) = clean();
        assert_eq!(check(&snapshot, &folder, Path::new("m")), []);
    }

    #[test]
    fn finds_edits_missing_files_and_unrecorded_migrations() {
        let (snapshot, mut folder) = clean();
        folder.migrations[0]
            .up
            .as_mut()
            .unwrap()
            .text
            .push_str("-- edited");
        folder.migrations[1].down = None;
        folder.migrations.push(on_disk(3, "extra", "", ""));
        let problems = check(&snapshot, &folder, Path::new("m"));
        assert_eq!(
            kinds(&problems),
            ["edited_migration", "missing_file", "unrecorded_migration"]
        );
        assert!(
            problems[1].message.contains("0002_posts.down.sql"),
            "{}",
            problems[1].message
        );
    }

    #[test]
    fn hand_written_migrations_may_be_edited() {
        let (mut snapshot, mut folder) = clean();
        snapshot.migrations[1].kind = MigrationKind::HandWritten;
        snapshot.migrations[1].up_sha256 = None;
        folder.migrations[1].up.as_mut().unwrap().text = "update t set x = 1;".into();
        assert_eq!(check(&snapshot, &folder, Path::new("m")), []);
    }

    #[test]
    fn two_branches_on_one_parent() {
        let (mut snapshot, mut folder) = clean();
        // The snapshot kept one side; the other branch's files are still on disk.
        folder.migrations.push(on_disk(2, "tags", "u", "d"));
        let problems = check(&snapshot, &folder, Path::new("m"));
        assert_eq!(kinds(&problems), ["duplicate_number"]);
        assert!(
            problems[0].message.contains("0002_tags and 0002_posts"),
            "{}",
            problems[0].message
        );
        assert!(
            problems[0]
                .fix
                .starts_with("the snapshot kept the other side: delete m/0002_tags.up.sql and m/0002_tags.down.sql"),
            "{}",
            problems[0].fix
        );
        // The snapshot kept both lines.
        snapshot
            .migrations
            .push(entry(2, "tags", Some("0001_init"), "u", "d"));
        let problems = check(&snapshot, &folder, Path::new("m"));
        assert_eq!(kinds(&problems), ["branch_conflict"]);
    }

    #[test]
    fn renumbered_migration_is_out_of_sequence() {
        let (mut snapshot, mut folder) = clean();
        snapshot
            .migrations
            .push(entry(4, "late", Some("0002_posts"), "u", "d"));
        folder.migrations.push(on_disk(4, "late", "u", "d"));
        let problems = check(&snapshot, &folder, Path::new("m"));
        assert_eq!(kinds(&problems), ["out_of_sequence"]);
        assert!(
            problems[0].message.contains("expects number 0003"),
            "{}",
            problems[0].message
        );
    }
}
