//! `cargo schema status`: applied, pending, changed-after-apply, unfinished and missing
//! migrations of one database, read through the runtime's `Migrator` (reads only).

use crate::cli::status::Args;
use crate::cli::PackageArgs;
use crate::database::{self, classify, report_failure};
use crate::outcome::{CommandResult, Outcome};
use crate::output::Output;
use schema_runtime::migrator::{MigrationState, StatusReport};
use serde_json::json;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    let session = database::open(args.database.database_url.as_deref(), packages)?;
    let migrator = &session.migrator;
    let report = database::with_pool(&session, |pool| async move {
        migrator.status(&pool).await.map_err(classify)
    });
    let report = match report {
        Ok(report) => report,
        Err(failure) => return report_failure(failure, "status", out),
    };
    print_report(out, &report);
    let up_to_date = report.is_up_to_date();
    out.json(&json!({
        "status": if up_to_date { "up_to_date" } else { "attention" },
        "report": report,
    }));
    Ok(if up_to_date {
        Outcome::Success
    } else {
        Outcome::Problems(None)
    })
}

fn state_word(state: MigrationState) -> &'static str {
    match state {
        MigrationState::Applied => "applied",
        MigrationState::Pending => "pending",
        MigrationState::Changed => "changed",
        MigrationState::Incomplete => "incomplete",
        MigrationState::Missing => "missing",
    }
}

fn print_report(out: &mut Output, report: &StatusReport) {
    for migration in &report.migrations {
        let when = migration.applied_at.as_deref().unwrap_or("");
        out.line(format!(
            "{:04}_{:<40} {:<10} {when}",
            migration.version,
            migration.name,
            state_word(migration.state)
        ));
    }
    for problem in &report.problems {
        out.diag(format!("problem: {problem}"));
    }
    let current = match report.current_version {
        Some(version) => format!("version {version:04}"),
        None => "no migration applied".to_string(),
    };
    let pending = report.with_state(MigrationState::Pending).count();
    if report.is_up_to_date() {
        out.status("Current", format!("{current}, up to date"));
    } else {
        out.status(
            "Current",
            format!("{current}, {pending} pending; run `cargo schema migrate`"),
        );
    }
}
