//! A snapshot with git conflict markers: which migrations each side of the merge added on top
//! of their common parent, and how to keep one side and regenerate the other on top.

use crate::commands::verify::chain::regenerate_on_top;
use crate::commands::verify::problem::Problem;
use crate::output::display_path;
use schema_core::snapshot::{split_conflict, ChainEntry, Snapshot};
use std::path::Path;

pub fn explain(text: &str, snapshot_path: &Path, dir: &Path) -> Problem {
    let file = display_path(snapshot_path);
    let sides = split_conflict(text)
        .map(|(ours, theirs)| (Snapshot::parse(&ours), Snapshot::parse(&theirs)));
    let Some((Ok(ours), Ok(theirs))) = sides else {
        return Problem::new(
            "branch_conflict",
            format!("{file} has merge-conflict markers: two branches each changed the schema"),
            regenerate_on_top(dir),
        );
    };
    let common = ours
        .migrations
        .iter()
        .zip(&theirs.migrations)
        .take_while(|(a, b)| a == b)
        .count();
    let parent = ours.migrations[..common]
        .last()
        .map(ChainEntry::id)
        .unwrap_or_else(|| "the empty schema".to_string());
    let added = |s: &Snapshot| -> Vec<String> {
        s.migrations[common..].iter().map(ChainEntry::id).collect()
    };
    let (ours_added, theirs_added) = (added(&ours), added(&theirs));
    let listed = |ids: &[String]| {
        if ids.is_empty() {
            "no migration".to_string()
        } else {
            ids.join(", ")
        }
    };
    let message = format!(
        "{file} has merge-conflict markers: two branches each added migrations on top of {parent}: {} on one side (ours) and {} on the other (theirs)",
        listed(&ours_added),
        listed(&theirs_added)
    );
    let ours_files: Vec<String> = ours_added
        .iter()
        .flat_map(|id| ["up", "down"].map(|d| display_path(&dir.join(format!("{id}.{d}.sql")))))
        .collect();
    let fix = format!(
        "keep the side that is already shared (theirs when merging; the sides swap during a rebase): `git checkout --theirs -- {file}`, delete {}, then run `cargo schema generate` to write this branch's change again on top",
        if ours_files.is_empty() {
            "nothing".to_string()
        } else {
            ours_files.join(" and ")
        }
    );
    Problem::new("branch_conflict", message, fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::snapshot::MigrationKind;
    use schema_core::Dialect;

    fn entry(version: i64, name: &str, parent: Option<&str>) -> ChainEntry {
        ChainEntry {
            version,
            name: name.into(),
            parent: parent.map(str::to_string),
            kind: MigrationKind::HandWritten,
            up_sha256: None,
            down_sha256: None,
        }
    }

    /// The conflicted text git writes: shared lines, then both versions of the rest.
    fn conflicted(ours: &str, theirs: &str) -> String {
        let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let same = o.iter().zip(&t).take_while(|(a, b)| a == b).count();
        let mut text = String::new();
        let mut push = |lines: &[&str]| {
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
        };
        push(&o[..same]);
        push(&["<<<<<<< HEAD"]);
        push(&o[same..]);
        push(&["======="]);
        push(&t[same..]);
        push(&[">>>>>>> tags"]);
        text
    }

    #[test]
    fn names_both_sides_the_parent_and_the_files_to_regenerate() {
        let mut base = Snapshot::empty(Dialect::Sqlite);
        base.migrations.push(entry(1, "init", None));
        let mut ours = base.clone();
        ours.migrations.push(entry(2, "posts", Some("0001_init")));
        let mut theirs = base;
        theirs.migrations.push(entry(2, "tags", Some("0001_init")));
        let text = conflicted(&ours.to_text(), &theirs.to_text());
        let problem = explain(&text, Path::new("m/schema.snapshot.json"), Path::new("m"));
        assert!(
            problem
                .message
                .contains("on top of 0001_init: 0002_posts on one side (ours) and 0002_tags"),
            "{}",
            problem.message
        );
        assert!(
            problem.fix.contains(
                "`git checkout --theirs -- m/schema.snapshot.json`, delete m/0002_posts.up.sql and m/0002_posts.down.sql, then run `cargo schema generate`"
            ),
            "{}",
            problem.fix
        );
    }

    #[test]
    fn unreadable_sides_still_get_a_fix() {
        let problem = explain(
            "<<<<<<< HEAD\n{\n=======\n}\n>>>>>>> x\n",
            Path::new("m/schema.snapshot.json"),
            Path::new("m"),
        );
        assert!(problem.message.contains("merge-conflict markers"));
        assert!(problem.fix.contains("cargo schema generate"));
    }
}
