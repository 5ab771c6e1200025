//! `cargo schema rollback`: applies down migrations through the runtime's `Migrator`.

use crate::cli::rollback::Args;
use crate::cli::PackageArgs;
use crate::database::{self, classify, report_failure, Failure};
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::plan::print_plan;
use crate::output::Output;
use schema_runtime::migrator::{AcceptDataLoss, RollbackTarget};
use schema_runtime::MigrateError;
use serde_json::json;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
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
                    return Ok(Outcome::problems(
                        "the rollback would be refused (nothing would be undone): acknowledge the data loss or change the rows named above",
                    ));
                }
                Ok(Outcome::Success)
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
            out.json(&json!({
                "status": "refused",
                "error": refusal.to_string(),
                "checks": refusal.checks,
            }));
            return Ok(Outcome::problems(refusal.to_string()));
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
    Ok(Outcome::Success)
}
