//! The snapshot as it was before the last migration, read from git history: what
//! `verify --erd-diff` compares the current snapshot with.

use crate::error::CliError;
use crate::output::display_path;
use crate::project::package::SchemaTarget;
use schema_core::model::Schema;
use schema_core::snapshot::{Snapshot, FILE_NAME};
use std::process::Command;

/// The schema before the last migration of `snapshot`: empty before the first one, else the
/// newest committed version of the snapshot file whose chain ends at the last migration's
/// parent. `None` when there is no migration at all.
pub fn schema_before_last(
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Option<Schema>, CliError> {
    let Some((last, earlier)) = snapshot.migrations.split_last() else {
        return Ok(None);
    };
    if earlier.is_empty() {
        return Ok(Some(Schema::empty(snapshot.schema.dialect)));
    }
    let wanted: Vec<String> = earlier.iter().map(|m| m.id()).collect();
    let folder = display_path(&target.migrations);
    let commits = git(target, &["log", "--format=%H", "--", FILE_NAME])?;
    for commit in commits.lines().filter(|l| !l.is_empty()) {
        let text = git(target, &["show", &format!("{commit}:./{FILE_NAME}")])?;
        let Ok(old) = Snapshot::parse(&text) else {
            continue;
        };
        let chain: Vec<String> = old.migrations.iter().map(|m| m.id()).collect();
        if chain == wanted {
            return Ok(Some(old.schema));
        }
        // Older commits hold shorter chains: the one wanted is not there.
        if chain.len() < wanted.len() {
            break;
        }
    }
    Err(CliError::new(format!(
        "no commit of {folder}/{FILE_NAME} holds the snapshot before {}",
        last.id()
    ))
    .hint("`verify --erd-diff` reads the snapshot before the last migration from git history: run it in a clone with that history (`git fetch --unshallow` in a shallow one)"))
}

/// Runs git in the migrations folder; its stdout.
fn git(target: &SchemaTarget, args: &[&str]) -> Result<String, CliError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(&target.migrations)
        .output()
        .map_err(|e| {
            CliError::new(format!("cannot run git: {e}"))
                .hint("`verify --erd-diff` reads the snapshot's history with git: install git")
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(CliError::new(format!(
            "git {} failed in {}: {}",
            args.first().copied().unwrap_or_default(),
            display_path(&target.migrations),
            stderr.trim()
        ))
        .hint("`verify --erd-diff` reads the snapshot before the last migration from git history: run it inside the git checkout"));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
