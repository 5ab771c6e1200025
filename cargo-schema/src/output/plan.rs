//! Printing a dry-run plan: every file that would run and its statements.

use super::writer::Output;
use schema_runtime::migrator::{Direction, Plan};
use serde_json::json;

pub fn print_plan(out: &mut Output, plan: &Plan) {
    let verb = match plan.direction {
        Direction::Up => "apply",
        Direction::Down => "revert",
    };
    if plan.migrations.is_empty() {
        out.status("Fresh", format!("nothing to {verb}"));
    }
    for migration in &plan.migrations {
        let mode = if migration.transactional {
            "in a transaction"
        } else {
            "without a transaction"
        };
        out.line(format!("-- would {verb} {} ({mode})", migration.file));
        for (index, statement) in migration.statements.iter().enumerate() {
            // The file's own notes on the statement (risk, data loss), as it has them.
            match migration.comments.get(index) {
                Some(comments) if !comments.is_empty() => out.line(comments),
                _ => {}
            }
            out.line(format!("{};", statement.trim_end().trim_end_matches(';')));
        }
    }
    // What the rollback's data checks found on the database.
    for check in &plan.checks {
        if check.refuses() {
            out.diag(format!("error: would be refused: {check}"));
        } else {
            out.note(format!("acknowledged: {check}"));
        }
    }
    out.diag("note: dry run, the database was not changed");
    out.json(&json!({"status": "dry_run", "plan": plan}));
}
