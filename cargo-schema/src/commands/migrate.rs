//! `cargo schema migrate`: applies pending migrations through the runtime's `Migrator` (the
//! same runner, lock and history table the application uses).

use crate::cli::migrate::Args;
use crate::cli::PackageArgs;
use crate::database::{self, classify, report_failure};
use crate::outcome::{CommandResult, Outcome};
use crate::output::plan::print_plan;
use crate::output::Output;
use serde_json::json;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    let session = database::open(args.database.database_url.as_deref(), packages)?;
    let migrator = &session.migrator;
    if args.dry_run {
        let plan = database::with_pool(&session, |pool| async move {
            migrator.plan_run(&pool, args.to).await.map_err(classify)
        });
        return match plan {
            Ok(plan) => {
                print_plan(out, &plan);
                Ok(Outcome::Success)
            }
            Err(failure) => report_failure(failure, "migrate", out),
        };
    }
    let report = database::with_pool(&session, |pool| async move {
        let result = match args.to {
            Some(version) => migrator.run_to(&pool, version).await,
            None => migrator.run(&pool).await,
        };
        result.map_err(classify)
    });
    let report = match report {
        Ok(report) => report,
        Err(failure) => return report_failure(failure, "migrate", out),
    };
    if report.migrations.is_empty() {
        out.status("Fresh", "the database is up to date: nothing to apply");
    }
    for applied in &report.migrations {
        out.status(
            "Applied",
            format!("{} ({} ms)", applied.file, applied.execution_ms),
        );
        out.line(format!("{:04}_{}", applied.version, applied.name));
    }
    out.json(&json!({"status": "ok", "report": report}));
    Ok(Outcome::Success)
}
