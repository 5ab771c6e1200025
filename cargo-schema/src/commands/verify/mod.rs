//! `cargo schema verify`: the CI check. Structs match the snapshot, the migration files match
//! the snapshot chain (not edited, none missing, duplicated or out of sequence, no two branches
//! on one parent), and the migrations replayed on a scratch database build exactly the
//! snapshot, go back to empty, and build it again.

pub mod accepts;
pub mod chain;
pub mod conflict;
pub mod problem;
pub mod replay;
pub mod scratch;

use crate::cli::verify::Args;
use crate::cli::PackageArgs;
use crate::commands::erd::Diagram;
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::Output;
use crate::project::migrations;
use crate::project::package::{self, SchemaPackage, SchemaTarget};
use crate::project::snapshot_file::{self, Loaded};
use crate::project::structs::{self, PackageStructs};
use problem::Problem;
use replay::{ReplayPlan, Replayer};
use schema_core::snapshot::Snapshot;
use serde_json::json;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    args.erd.check(out.is_json())?;
    let selected = package::select(packages)?;
    let mut diagrams = Vec::new();
    let mut reports = Vec::new();
    let mut total = 0;
    let mut replayer = Replayer::new();
    for package in &selected {
        let structs = structs::read(package)?;
        for target in &package.targets {
            let plan = if args.no_replay {
                ReplayPlan::Skip("--no-replay".to_string())
            } else {
                replay::plan(
                    target,
                    args.database.database_url.as_deref(),
                    packages.dialect.is_some(),
                )?
            };
            let (problems, notes) =
                check_target(package, &structs, target, &plan, &mut replayer, out)?;
            if args.erd.wanted() {
                let (_, hints) = structs.resolve(target.dialect)?;
                diagrams.extend(Diagram::of_last_migration(
                    &package.name,
                    target,
                    &hints,
                    out,
                )?);
            }
            total += problems.len();
            print_problems(out, package, target, &problems);
            for note in &notes {
                out.note(note);
            }
            reports.push(json!({
                "package": package.name,
                "dialect": target.dialect.as_str(),
                "migrations": target.migrations,
                "replayed": matches!(plan, ReplayPlan::Run(_)),
                "problems": problems,
                "notes": notes,
            }));
            // Ctrl-C or SIGTERM outside a replay (once a replay watches them, they no longer
            // end the process): stop here, with what was found so far printed.
            if let Some(signal) = replayer.stop_requested() {
                return Err(CliError::new(format!(
                    "{signal}: verify stopped after {} ({})",
                    package.name, target.dialect
                )));
            }
        }
    }
    let status = if total == 0 { "clean" } else { "problems" };
    out.json(&json!({"status": status, "targets": reports}));
    args.erd.emit(diagrams, out)?;
    if total == 0 {
        Ok(Outcome::Success)
    } else {
        Ok(Outcome::problems(format!(
            "verify found {total} problem{}",
            if total == 1 { "" } else { "s" }
        )))
    }
}

fn check_target(
    package: &SchemaPackage,
    structs: &PackageStructs,
    target: &SchemaTarget,
    plan: &ReplayPlan,
    replayer: &mut Replayer,
    out: &mut Output,
) -> Result<(Vec<Problem>, Vec<String>), CliError> {
    let snapshot = match snapshot_file::load_raw(target)? {
        Loaded::Ok(snapshot) => snapshot,
        Loaded::Conflict(text) => {
            let path = snapshot_file::path(target);
            let problem = conflict::explain(&text, &path, &target.migrations);
            return Ok((vec![problem], Vec::new()));
        }
    };
    let folder = migrations::scan(&target.migrations)?;
    let mut problems = chain::check(&snapshot, &folder, &target.migrations);
    if problems.is_empty() {
        problems.extend(runtime_rules(target));
    }
    problems.extend(accepts::check(&snapshot, &folder));
    problems.extend(ungenerated(package, structs, target, &snapshot)?);
    // Said after the problems: a scratch database that could not be dropped.
    let mut after = Vec::new();
    match plan {
        ReplayPlan::Skip(why) => {
            out.note(format!(
                "{} ({}): replay on a scratch database skipped: {why}",
                package.name, target.dialect
            ));
        }
        ReplayPlan::Run(_) if !problems.is_empty() => out.note(format!(
            "{} ({}): replay skipped until the problems above are fixed",
            package.name, target.dialect
        )),
        ReplayPlan::Run(how) => {
            out.status(
                "Replaying",
                format!(
                    "{} ({}) on {}",
                    package.name,
                    target.dialect,
                    how.describe()
                ),
            );
            let replayed = replayer.run(how, target, &snapshot);
            for note in &replayed.notes {
                out.note(note);
            }
            problems.extend(replayed.result?);
            after.extend(replayed.drop_failure);
        }
    }
    Ok((problems, after))
}

/// The folder read with the rules `embed_migrations!` and `migrate` apply (directives, names,
/// pairs), so a file they would reject fails CI rather than the build or the deploy.
fn runtime_rules(target: &SchemaTarget) -> Vec<Problem> {
    if !target.migrations.exists() {
        return Vec::new();
    }
    match schema_core::migrations::read_dir(&target.migrations) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| {
                Problem::new(
                    "invalid_migration",
                    e.to_string(),
                    "fix the file as described; `embed_migrations!` and `cargo schema migrate` read the folder with these rules",
                )
            })
            .collect(),
    }
}

/// The structs against the snapshot: changes nobody generated yet.
fn ungenerated(
    package: &SchemaPackage,
    structs: &PackageStructs,
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Option<Problem>, CliError> {
    let (code, hints) = structs.resolve(target.dialect)?;
    let differences = schema_core::compare::differences(&snapshot.schema, &code);
    if differences.is_empty() {
        return Ok(None);
    }
    // The changes as `generate` would write them; the literal differences if it sees none.
    let changes: Vec<String> =
        match schema_core::generate::generate_for(&snapshot.schema, &code, &hints, target.safety) {
            Ok(generated) if !generated.changes.is_empty() => generated
                .changes
                .iter()
                .map(|c| c.summary.clone())
                .collect(),
            _ => differences,
        };
    let listed = format!(": {}", changes.join("; "));
    Ok(Some(Problem::new(
        "ungenerated_changes",
        format!(
            "the structs of `{}` differ from the {} snapshot{listed}",
            package.name, target.dialect
        ),
        format!(
            "run `cargo schema generate -p {}` and commit the new migration",
            package.name
        ),
    )))
}

fn print_problems(
    out: &mut Output,
    package: &SchemaPackage,
    target: &SchemaTarget,
    problems: &[Problem],
) {
    if problems.is_empty() {
        out.status(
            "Verified",
            format!("{} ({}): clean", package.name, target.dialect),
        );
        return;
    }
    for problem in problems {
        out.line(format!("problem[{}]: {}", problem.kind, problem.message));
        out.line(format!("  fix: {}", problem.fix));
    }
}
