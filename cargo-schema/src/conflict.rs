//! A snapshot with git conflict markers: which migrations each side of the merge added on top
//! of their common parent, and how to regenerate on top.

use crate::chain_check::regenerate_on_top;
use crate::output::display_path;
use crate::problem::Problem;
use schema_core::snapshot::{split_conflict, ChainEntry, Snapshot};
use std::path::Path;

pub fn explain(text: &str, snapshot_path: &Path, dir: &Path) -> Problem {
    let file = display_path(snapshot_path);
    let sides = split_conflict(text)
        .map(|(ours, theirs)| (Snapshot::parse(&ours), Snapshot::parse(&theirs)));
    let message = match sides {
        Some((Ok(ours), Ok(theirs))) => {
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
            let ids = |s: &Snapshot| -> String {
                let ids: Vec<String> = s.migrations[common..].iter().map(ChainEntry::id).collect();
                if ids.is_empty() {
                    "no migration".to_string()
                } else {
                    ids.join(", ")
                }
            };
            format!(
                "{file} has merge-conflict markers: two branches each added migrations on top of {parent}: {} on one side (ours) and {} on the other (theirs)",
                ids(&ours),
                ids(&theirs)
            )
        }
        _ => format!("{file} has merge-conflict markers: two branches each changed the schema"),
    };
    Problem::new("branch_conflict", message, regenerate_on_top(dir))
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

    #[test]
    fn names_both_sides_and_the_parent() {
        let mut base = Snapshot::empty(Dialect::Sqlite);
        base.migrations.push(entry(1, "init", None));
        let mut ours = base.clone();
        ours.migrations.push(entry(2, "posts", Some("0001_init")));
        let mut theirs = base;
        theirs.migrations.push(entry(2, "tags", Some("0001_init")));
        let (ours, theirs) = (ours.to_text(), theirs.to_text());
        // Build the conflicted text the way git does: shared lines, then both versions.
        let mut text = String::new();
        let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let same = o.iter().zip(&t).take_while(|(a, b)| a == b).count();
        for line in &o[..same] {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("<<<<<<< HEAD\n");
        for line in &o[same..] {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("=======\n");
        for line in &t[same..] {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(">>>>>>> tags\n");
        let problem = explain(&text, Path::new("m/schema.snapshot.json"), Path::new("m"));
        assert!(
            problem
                .message
                .contains("on top of 0001_init: 0002_posts on one side (ours) and 0002_tags"),
            "{}",
            problem.message
        );
        assert!(problem.fix.contains("cargo schema generate"));
    }
}
