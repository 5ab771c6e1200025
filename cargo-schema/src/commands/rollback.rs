//! `cargo schema rollback`: applies down migrations through the runtime's `Migrator`.

use crate::cli::{DatabaseArgs, PackageArgs};
use crate::database::{self, classify, report_failure, Failure};
use crate::error::CliError;
use crate::exit_code;
use crate::output::plan::print_plan;
use crate::output::Output;
use schema_runtime::migrator::{AcceptDataLoss, RollbackTarget};
use schema_runtime::MigrateError;
use serde_json::json;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 rolled back or nothing to do, 1 refused before anything was undone (a down file would delete data that was not acknowledged, or the old schema cannot hold the data there; with --dry-run too), a down migration failed (the database is left at the last good version) or the history disagrees with the files, 2 error.\n\
                  Before any statement runs, the down files are read and what they would delete or cannot put back is counted on the database: a dropped table or column that holds data is refused until acknowledged with --accept \"<change>\" (the words the refusal prints, as `generate` uses them) or --allow-destructive; values a narrowed type does not fit, an enum value the old type lacks, NULLs before NOT NULL and rows a re-added check refuses always refuse it (change those rows first)."
)]
#[group(id = "how_far", required = true, multiple = false, args = ["to", "steps"])]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Undo every applied migration above this version (0: all of them).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Undo this many of the most recently applied migrations.
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// Print what would run (down files, their comments and statements, and what the data
    /// checks found) without touching the database's schema.
    #[arg(long)]
    pub dry_run: bool,
    /// Acknowledge one data loss, in the words the refusal prints
    /// (`--accept "drop column users.bio"`); repeatable.
    #[arg(long, value_name = "CHANGE")]
    pub accept: Vec<String>,
    /// Acknowledge every data loss (rows the old schema cannot hold still refuse the rollback).
    #[arg(long)]
    pub allow_destructive: bool,
}

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> Result<i32, CliError> {
    let target = match (args.to, args.steps) {
        (Some(version), _) => RollbackTarget::To(version),
        (None, Some(steps)) => RollbackTarget::Steps(steps),
        (None, None) => {
            return Err(CliError::new("say how far to roll back")
                .hint("use `--to VERSION` (0: everything) or `--steps N`"))
        }
    };
    let session = database::open(args.database.database_url.as_deref(), packages)?;
    let accept = AcceptDataLoss {
        all: args.allow_destructive,
        keys: args.accept.clone(),
    };
    let options = session.migrator.options().clone().accept_data_loss(accept);
    let migrator = &session.migrator.with_options(options);
    if args.dry_run {
        let plan = database::with_pool(&session, |pool| async move {
            migrator
                .plan_rollback(&pool, target)
                .await
                .map_err(classify)
        });
        return match plan {
            Ok(plan) => {
                print_plan(out, &plan);
                if plan.refused() {
                    out.diag(
                        "error: the rollback would be refused (nothing would be undone): acknowledge the data loss or change the rows named above",
                    );
                    return Ok(exit_code::PROBLEMS);
                }
                Ok(exit_code::OK)
            }
            Err(failure) => report_failure(failure, "rollback", out),
        };
    }
    let report = database::with_pool(&session, |pool| async move {
        let result = match target {
            RollbackTarget::Steps(steps) => migrator.rollback_steps(&pool, steps).await,
            RollbackTarget::To(version) => migrator.rollback_to(&pool, version).await,
        };
        result.map_err(classify)
    });
    let report = match report {
        Ok(report) => report,
        Err(Failure::Failed(MigrateError::RollbackRefused(refusal))) => {
            out.diag(format!("error: {refusal}"));
            out.json(&json!({
                "status": "refused",
                "error": refusal.to_string(),
                "checks": refusal.checks,
            }));
            return Ok(exit_code::PROBLEMS);
        }
        Err(failure) => return report_failure(failure, "rollback", out),
    };
    if report.migrations.is_empty() {
        out.status("Fresh", "nothing to roll back");
    }
    for undone in &report.migrations {
        out.status(
            "Reverted",
            format!("{} ({} ms)", undone.file, undone.execution_ms),
        );
        out.line(format!("{:04}_{}", undone.version, undone.name));
    }
    out.json(&json!({"status": "ok", "report": report}));
    Ok(exit_code::OK)
}
