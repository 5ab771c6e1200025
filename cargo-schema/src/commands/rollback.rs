//! `cargo schema rollback`: applies down migrations through the runtime's `Migrator`.

use crate::cli::{DatabaseArgs, PackageArgs};
use crate::database::{self, classify, report_failure};
use crate::error::CliError;
use crate::exit_code;
use crate::output::Output;
use crate::plan_output::print_plan;
use schema_runtime::migrator::RollbackTarget;
use serde_json::json;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 rolled back or nothing to do, 1 a down migration failed (the database is left at the last good version) or the history disagrees with the files, 2 error."
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
    /// Print what would run (down files and statements) without touching the database's schema.
    #[arg(long)]
    pub dry_run: bool,
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
    let migrator = &session.migrator;
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
