//! `cargo schema generate`: diff the structs against the snapshot and write the next
//! migration (up and down files) and the updated snapshot. Destructive changes are refused
//! unless acknowledged with `--allow-destructive`, and the acknowledgement is written into the
//! migration as a comment.

use crate::accept_edits;
use crate::change_report::{changes_json, destructive, print_changes, with_acknowledgement};
use crate::cli::PackageArgs;
use crate::error::CliError;
use crate::exit_code;
use crate::migration_dir::{self, file_names, slug_from_name};
use crate::output::{display_path, Output};
use crate::package::{self, SchemaTarget};
use crate::snapshot_file::{self, write_atomically};
use crate::structs;
use schema_core::generate::{ChangeReport, Generated};
use schema_core::migrations::Checksum;
use schema_core::snapshot::{ChainEntry, MigrationKind, Snapshot};
use serde_json::{json, Value};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 written or nothing to do, 1 refused (unacknowledged destructive change), 2 error."
)]
pub struct Args {
    /// Name of the migration (default: derived from the changes).
    #[arg(long, value_name = "SLUG")]
    pub name: Option<String>,
    /// Acknowledge destructive changes (dropped tables, columns, values); recorded in the migration.
    #[arg(long)]
    pub allow_destructive: bool,
    /// Record generated migrations that were edited on purpose, so `verify` accepts them
    /// (its replay still checks that they build the snapshot).
    #[arg(long)]
    pub accept_edits: bool,
    /// Print the migration that would be written (changes, up and down SQL); write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What generating one target came to, before anything is written.
struct Outcome {
    package: String,
    target: SchemaTarget,
    snapshot: Snapshot,
    code: schema_core::model::Schema,
    generated: Option<Generated>,
    /// Migrations whose edited checksums `--accept-edits` recorded in `snapshot`.
    accepted: Vec<String>,
}

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> Result<i32, CliError> {
    let name = args.name.as_deref().map(slug_from_name).transpose()?;
    let selected = package::select(packages)?;
    // Everything is computed before anything is written: one bad target writes nothing.
    let mut outcomes = Vec::new();
    for package in &selected {
        let structs = structs::read(package)?;
        for target in &package.targets {
            let (code, hints) = structs.resolve(target.dialect)?;
            let mut snapshot = snapshot_file::load(target)?;
            let folder = migration_dir::scan(&target.migrations)?;
            migration_dir::ensure_recorded(&folder, &snapshot, &target.migrations)?;
            let accepted = if args.accept_edits {
                accept_edits::accept(&mut snapshot, &folder)
            } else {
                Vec::new()
            };
            let generated = if schema_core::compare::equivalent(&snapshot.schema, &code) {
                None
            } else {
                let generated = schema_core::generate::generate(&snapshot.schema, &code, &hints)
                    .map_err(|e| {
                        CliError::new(format!(
                            "cannot generate the {} migration: {e}",
                            target.dialect
                        ))
                    })?;
                Some(generated).filter(|g| !g.changes.is_empty())
            };
            outcomes.push(Outcome {
                package: package.name.clone(),
                target: target.clone(),
                snapshot,
                code,
                generated,
                accepted,
            });
        }
    }

    let refused: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !args.allow_destructive && o.generated.as_ref().is_some_and(|g| g.destructive))
        .collect();
    if !refused.is_empty() {
        return Ok(refuse(&refused, out));
    }

    let mut results = Vec::new();
    for outcome in outcomes {
        results.push(write(outcome, name.as_deref(), args, out)?);
    }
    out.json(&json!({"status": status_word(&results, args.dry_run), "targets": results}));
    Ok(exit_code::OK)
}

fn status_word(results: &[Value], dry_run: bool) -> &'static str {
    if dry_run {
        "dry_run"
    } else if results.iter().any(|r| r["written"].as_bool() == Some(true)) {
        "written"
    } else {
        "no_changes"
    }
}

fn refuse(refused: &[&Outcome], out: &mut Output) -> i32 {
    let mut targets = Vec::new();
    for outcome in refused {
        let Some(generated) = &outcome.generated else {
            continue;
        };
        let which = format!("{} ({})", outcome.package, outcome.target.dialect);
        print_changes(out, &which, &generated.changes);
        let destructive: Vec<&ChangeReport> = destructive(&generated.changes);
        out.diag(format!(
            "error: refused: {} destructive change(s) for {}; nothing written",
            destructive.len(),
            outcome.target.dialect
        ));
        for change in &destructive {
            out.diag(format!("  - {}: {}", change.summary, change.risk.reason));
        }
        targets.push(json!({
            "dialect": outcome.target.dialect.as_str(),
            "changes": changes_json(&generated.changes),
        }));
    }
    out.diag(
        "  help: if losing this data is intended, run again with `cargo schema generate --allow-destructive` (the acknowledgement is recorded in the migration); to rename instead, add `#[schema(renamed_from = \"old\")]`",
    );
    out.json(&json!({"status": "refused", "targets": targets}));
    exit_code::PROBLEMS
}

fn write(
    outcome: Outcome,
    name: Option<&str>,
    args: &Args,
    out: &mut Output,
) -> Result<Value, CliError> {
    let Outcome {
        package,
        target,
        mut snapshot,
        code,
        generated,
        accepted,
    } = outcome;
    let dialect = target.dialect;
    // Which package and target a line is about: `blog (sqlite)`.
    let which = format!("{package} ({dialect})");
    let Some(generated) = generated else {
        let mut written = false;
        if !accepted.is_empty() && !args.dry_run {
            let path = snapshot_file::save(&target, &snapshot)?;
            out.line(display_path(&path));
            written = true;
        }
        for id in &accepted {
            out.status("Accepted", format!("{which}: the edited {id}"));
        }
        if accepted.is_empty() {
            out.status(
                "Fresh",
                format!("{which}: the structs match the snapshot, no changes, nothing written"),
            );
        }
        return Ok(json!({
            "package": package,
            "dialect": dialect.as_str(),
            "written": written,
            "accepted_edits": accepted,
            "changes": [],
        }));
    };
    let slug = match name {
        Some(name) => name.to_string(),
        None => slug_from_name(&generated.slug).unwrap_or_else(|_| "migration".to_string()),
    };
    let version = snapshot.next_version();
    let (up_name, down_name) = file_names(version, &slug);
    let mut up_sql = generated.up_sql.clone();
    if args.allow_destructive && generated.destructive {
        up_sql = with_acknowledgement(&up_sql, &destructive(&generated.changes));
    }
    let up = target.migrations.join(&up_name);
    let down = target.migrations.join(&down_name);
    if args.dry_run {
        print_changes(out, &which, &generated.changes);
        for (path, sql) in [(&up, &up_sql), (&down, &generated.down_sql)] {
            out.line(format!("-- would write {}", display_path(path)));
            out.line(sql.trim_end());
        }
        out.diag("note: dry run, nothing written");
        return Ok(json!({
            "package": package,
            "dialect": dialect.as_str(),
            "written": false,
            "migration": format!("{version:04}_{slug}"),
            "up_sql": up_sql,
            "down_sql": generated.down_sql,
            "changes": changes_json(&generated.changes),
        }));
    }
    write_atomically(&up, &up_sql)?;
    write_atomically(&down, &generated.down_sql)?;
    let entry = ChainEntry {
        version,
        name: slug,
        parent: snapshot.last().map(ChainEntry::id),
        kind: MigrationKind::Generated,
        up_sha256: Some(Checksum::of(&up_sql).to_hex()),
        down_sha256: Some(Checksum::of(&generated.down_sql).to_hex()),
    };
    let id = entry.id();
    snapshot.migrations.push(entry);
    snapshot.schema = code;
    let snapshot_path = snapshot_file::save(&target, &snapshot)?;

    print_changes(out, &which, &generated.changes);
    for accepted in &accepted {
        out.status("Accepted", format!("{which}: the edited {accepted}"));
    }
    out.status("Generated", format!("{which}: {id}"));
    for path in [&up, &down, &snapshot_path] {
        out.line(display_path(path));
    }
    Ok(json!({
        "dialect": target.dialect.as_str(),
        "written": true,
        "migration": id,
        "accepted_edits": accepted,
        "up": up,
        "down": down,
        "snapshot": snapshot_path,
        "changes": changes_json(&generated.changes),
    }))
}
