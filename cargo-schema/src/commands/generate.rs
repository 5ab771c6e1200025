//! `cargo schema generate`: diff the structs against the snapshot and write the next
//! migration (up and down files) and the updated snapshot. Changes that need an
//! acknowledgement (destructive ones, and PostgreSQL type changes that rewrite the table) are
//! refused unless acknowledged one by one with `--accept "<change>"` (or all at once with
//! `--allow-destructive`), and so are the down file's steps that need one of their own (the
//! rollback of a widened type or of an added enum value rewrites the table); each
//! acknowledgement is written into the file whose step needs it as a `-- schema:accept
//! <change>` line, which `verify` checks.

use crate::accept_edits;
use crate::change_report::{changes_json, print_changes, unacknowledged, with_accept_lines};
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
    after_help = "Exit status: 0 written or nothing to do, 1 refused (a change that needs `--accept`), 2 error."
)]
pub struct Args {
    /// Name of the migration (default: derived from the changes).
    #[arg(long, value_name = "SLUG")]
    pub name: Option<String>,
    /// Acknowledge one change that needs it, in the words the refusal prints
    /// (`--accept "drop column users.legacy"`); repeatable; recorded in the migration as a
    /// `-- schema:accept` line.
    #[arg(long, value_name = "CHANGE")]
    pub accept: Vec<String>,
    /// Acknowledge every change that needs it (each recorded in the migration).
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
                let generated = schema_core::generate::generate_for(
                    &snapshot.schema,
                    &code,
                    &hints,
                    target.safety,
                )
                .map_err(|e| {
                    CliError::new(format!(
                        "cannot generate the {} migration: {e}",
                        target.dialect
                    ))
                })?;
                Some(generated).filter(|g| !g.changes.is_empty())
            };
            // A PostgreSQL `lock_timeout` too short for a blocking autovacuum to be cancelled.
            let which = format!("{} ({})", package.name, target.dialect);
            let note = crate::safety_settings::low_lock_timeout_note(
                &which,
                target.dialect,
                &target.safety,
            );
            if let Some(note) = note.filter(|_| generated.is_some()) {
                out.note(note);
            }
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

    check_accepted_keys(&args.accept, &outcomes)?;
    let refused: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| {
            o.generated.as_ref().is_some_and(|g| {
                !unacknowledged(g.needing_accept(), &args.accept, args.allow_destructive).is_empty()
            })
        })
        .collect();
    if !refused.is_empty() {
        return Ok(refuse(&refused, args, out));
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

/// An `--accept` that matches no change is a typo: say which words would match.
fn check_accepted_keys(accepted: &[String], outcomes: &[Outcome]) -> Result<(), CliError> {
    let keys: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| o.generated.as_ref())
        .flat_map(|g| g.needing_accept())
        .filter_map(|c| c.risk.accept.as_deref())
        .collect();
    for a in accepted {
        if !keys.contains(&a.as_str()) {
            let hint = if keys.is_empty() {
                "no change of this migration needs an acknowledgement: drop `--accept`".to_string()
            } else {
                format!(
                    "the changes that need one: {}",
                    keys.iter()
                        .map(|k| format!("`--accept \"{k}\"`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(CliError::new(format!("`--accept \"{a}\"` matches no change")).hint(hint));
        }
    }
    Ok(())
}

fn refuse(refused: &[&Outcome], args: &Args, out: &mut Output) -> i32 {
    let mut targets = Vec::new();
    let mut flags: Vec<String> = Vec::new();
    let mut drops = false;
    for outcome in refused {
        let Some(generated) = &outcome.generated else {
            continue;
        };
        let which = format!("{} ({})", outcome.package, outcome.target.dialect);
        print_changes(out, &which, generated);
        let waiting = unacknowledged(
            generated.needing_accept(),
            &args.accept,
            args.allow_destructive,
        );
        let in_down = |c: &ChangeReport| generated.rollback.iter().any(|r| std::ptr::eq(r, c));
        let down_steps = waiting.iter().filter(|c| in_down(c)).count();
        let what = match (waiting.len() - down_steps, down_steps) {
            (n, 0) => format!("{n} change(s)"),
            (0, d) => format!("{d} step(s) of the down migration"),
            (n, d) => format!("{n} change(s) and {d} step(s) of the down migration"),
        };
        out.diag(format!(
            "error: refused: {what} for {} need an acknowledgement (destructive, or rewriting a table); nothing written",
            outcome.target.dialect
        ));
        for change in &waiting {
            if change.summary.starts_with("drop table ")
                || change.summary.starts_with("drop column ")
            {
                drops = true;
            }
            let rollback = if in_down(change) {
                "in the down migration: "
            } else {
                ""
            };
            out.diag(format!(
                "  - {rollback}{} ({}): {}",
                change.summary,
                change.risk.level.as_str(),
                change.risk.reason
            ));
            if let Some(alt) = &change.risk.safe_alternative {
                out.diag(format!("    safer: {alt}"));
            }
            if let Some(key) = &change.risk.accept {
                let flag = format!("--accept \"{key}\"");
                out.diag(format!("    to go ahead: {flag}"));
                if !flags.contains(&flag) {
                    flags.push(flag);
                }
            }
        }
        targets.push(json!({
            "dialect": outcome.target.dialect.as_str(),
            "changes": changes_json(&generated.changes),
            "rollback": changes_json(&generated.rollback),
            "needs_accept": waiting.iter().filter_map(|c| c.risk.accept.clone()).collect::<Vec<_>>(),
        }));
    }
    let rename = if drops {
        "; to rename instead of dropping, add `#[schema(renamed_from = \"old\")]`"
    } else {
        ""
    };
    out.diag(format!(
        "  help: if this is intended, run `cargo schema generate {}` (each acknowledgement is written into the migration as `-- schema:accept <change>` for review){rename}",
        flags.join(" ")
    ));
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
    let up_sql = with_accept_lines(&generated.up_sql, &generated.changes);
    let down_sql = with_accept_lines(&generated.down_sql, &generated.rollback);
    let up = target.migrations.join(&up_name);
    let down = target.migrations.join(&down_name);
    if args.dry_run {
        print_changes(out, &which, &generated);
        for (path, sql) in [(&up, &up_sql), (&down, &down_sql)] {
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
            "down_sql": down_sql,
            "changes": changes_json(&generated.changes),
            "rollback": changes_json(&generated.rollback),
        }));
    }
    write_atomically(&up, &up_sql)?;
    write_atomically(&down, &down_sql)?;
    let entry = ChainEntry {
        version,
        name: slug,
        parent: snapshot.last().map(ChainEntry::id),
        kind: MigrationKind::Generated,
        up_sha256: Some(Checksum::of(&up_sql).to_hex()),
        down_sha256: Some(Checksum::of(&down_sql).to_hex()),
    };
    let id = entry.id();
    snapshot.migrations.push(entry);
    snapshot.schema = code;
    let snapshot_path = snapshot_file::save(&target, &snapshot)?;

    print_changes(out, &which, &generated);
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
        "rollback": changes_json(&generated.rollback),
    }))
}
