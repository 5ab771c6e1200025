//! `cargo schema new NAME`: an empty hand-written migration (data migrations), numbered in
//! sequence and recorded in the snapshot chain as hand-written, so `verify` neither expects it
//! to match generated text nor reports it as missing from the structs.

use crate::cli::new::Args;
use crate::cli::PackageArgs;
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::{display_path, Output};
use crate::project::migrations::{self, file_names, slug_from_name};
use crate::project::package::{self, SchemaTarget};
use crate::project::snapshot_file::{self, write_atomically};
use schema_core::snapshot::{ChainEntry, MigrationKind};
use serde_json::json;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    let slug = slug_from_name(&args.name)?;
    let selected = package::select(packages)?;
    // Check every target before writing anything, so an error leaves no half-done work.
    let mut plans = Vec::new();
    for package in &selected {
        for target in &package.targets {
            plans.push(plan(target, &slug)?);
        }
    }
    let mut written = Vec::new();
    for (target, mut snapshot, entry) in plans {
        let (up_name, down_name) = file_names(entry.version, &entry.name);
        let up = target.migrations.join(&up_name);
        let down = target.migrations.join(&down_name);
        write_atomically(&up, &header(&entry.id(), "up", "apply"))?;
        write_atomically(&down, &header(&entry.id(), "down", "undo"))?;
        snapshot.migrations.push(entry);
        let snapshot_path = snapshot_file::save(&target, &snapshot)?;
        out.status(
            "Created",
            format!("hand-written migration {}", display_path(&up)),
        );
        for path in [&up, &down, &snapshot_path] {
            out.line(display_path(path));
        }
        written.push(json!({
            "dialect": target.dialect.as_str(),
            "up": up,
            "down": down,
            "snapshot": snapshot_path,
        }));
    }
    out.json(&json!({"status": "written", "migrations": written}));
    Ok(Outcome::Success)
}

fn plan(
    target: &SchemaTarget,
    slug: &str,
) -> Result<(SchemaTarget, schema_core::snapshot::Snapshot, ChainEntry), CliError> {
    let snapshot = snapshot_file::load(target)?;
    let folder = migrations::scan(&target.migrations)?;
    migrations::ensure_recorded(&folder, &snapshot, &target.migrations)?;
    let entry = ChainEntry {
        version: snapshot.next_version(),
        name: slug.to_string(),
        parent: snapshot.last().map(ChainEntry::id),
        kind: MigrationKind::HandWritten,
        up_sha256: None,
        down_sha256: None,
    };
    Ok((target.clone(), snapshot, entry))
}

fn header(id: &str, direction: &str, verb: &str) -> String {
    format!(
        "-- {id} ({direction}): hand-written migration, created by `cargo schema new`.\n\
         -- Write the SQL that should {verb} it below. Keep schema changes in the structs\n\
         -- (`cargo schema generate`); use this file for data changes.\n"
    )
}
