//! `verify`: every generated migration file (up or down) with a step needing an
//! acknowledgement (destructive, or a PostgreSQL table rewrite) carries the
//! `-- schema:accept <change>` line for it. The changes are re-derived from the generated text itself: the renderer writes
//! `--   requires: -- schema:accept <change>` under each such step, and the text is protected by
//! the checksum the snapshot chain records, so neither line can silently go away.

use crate::commands::verify::problem::Problem;
use crate::output::display_path;
use crate::project::migrations::Folder;
use schema_core::migrations::accepted;
use schema_core::render::REQUIRES_ACCEPT;
use schema_core::snapshot::{MigrationKind, Snapshot};

/// The acknowledgements the steps of `sql` require that it does not carry.
fn unacknowledged(sql: &str) -> Vec<String> {
    let present = accepted(sql);
    required(sql)
        .into_iter()
        .filter(|k| !present.contains(k))
        .collect()
}

/// The acknowledgements the steps of `sql` require.
pub fn required(sql: &str) -> Vec<String> {
    let mut keys: Vec<String> = sql
        .lines()
        .filter_map(|l| l.strip_prefix(REQUIRES_ACCEPT))
        .map(|k| k.trim().to_string())
        .collect();
    keys.dedup();
    keys
}

pub fn check(snapshot: &Snapshot, folder: &Folder) -> Vec<Problem> {
    let mut problems = Vec::new();
    for entry in snapshot
        .migrations
        .iter()
        .filter(|e| e.kind == MigrationKind::Generated)
    {
        let Some(migration) = folder.find(entry.version, &entry.name) else {
            continue;
        };
        for (file, key) in migration
            .up
            .iter()
            .chain(&migration.down)
            .flat_map(|f| unacknowledged(&f.text).into_iter().map(move |k| (f, k)))
        {
            let file = display_path(&file.path);
            problems.push(Problem::new(
                "missing_accept",
                format!("{file} makes the change `{key}`, which needs an acknowledgement, but has no `-- schema:accept {key}` line"),
                format!(
                    "if the change is intended, add the line `-- schema:accept {key} -- <why>` at the top of {file} (after any `-- schema:` directive lines) and record the edit with `cargo schema generate --accept-edits`; otherwise restore the previous structs and generate again"
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_required_acknowledgements_of_a_file() {
        let sql = "-- schema:accept drop table a\n\n-- drop table a (destructive)\n--   data loss\n--   requires: -- schema:accept drop table a\nDROP TABLE a;\n";
        assert_eq!(required(sql), ["drop table a"]);
        assert_eq!(accepted(sql), ["drop table a"]);
        assert!(required("CREATE TABLE a (id integer);\n").is_empty());
    }
}
