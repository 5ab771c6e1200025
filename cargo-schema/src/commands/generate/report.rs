//! How `generate` shows its changes: the compact table (change | risk | why | what it did),
//! the same fields in JSON, and the `-- schema:accept` lines written into a migration for the
//! acknowledged changes.

use crate::output::{Output, BOLD};
use schema_core::generate::{ChangeReport, Generated};
use schema_core::migrations::ACCEPT;
use serde_json::{json, Value};

/// The changes (or rollback steps) `generate` refuses unless acknowledged, that `accepted`
/// does not acknowledge.
pub fn unacknowledged<'a>(
    changes: impl IntoIterator<Item = &'a ChangeReport>,
    accepted: &[String],
    allow_all: bool,
) -> Vec<&'a ChangeReport> {
    changes
        .into_iter()
        .filter(|c| {
            c.risk
                .accept
                .as_ref()
                .is_some_and(|key| !allow_all && !accepted.contains(key))
        })
        .collect()
}

/// `sql` with one `-- schema:accept <key>` line per change needing it, after the `-- schema:`
/// directives (which must stay first) so the reviewer sees them at the top of the file.
pub fn with_accept_lines(sql: &str, changes: &[ChangeReport]) -> String {
    let mut keys: Vec<&str> = changes
        .iter()
        .filter_map(|c| c.risk.accept.as_deref())
        .collect();
    keys.dedup();
    if keys.is_empty() {
        return sql.to_string();
    }
    let lines: String = keys.iter().map(|k| format!("{ACCEPT}{k}\n")).collect();
    let split = sql
        .lines()
        .take_while(|l| l.starts_with("-- schema:"))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(sql.len());
    format!("{}{}{}", &sql[..split], lines, &sql[split..])
}

/// The change table on stdout: one line per change (what, risk, why, what the migration does
/// about it), then the down file's steps that need an acknowledgement of their own, marked
/// `rollback:`. `which` names the package and target: `blog (sqlite)`.
pub fn print_changes(out: &mut Output, which: &str, generated: &Generated) {
    let changes = &generated.changes;
    let rows = || changes.iter().chain(&generated.rollback);
    let width = |f: fn(&ChangeReport) -> usize, title: &str| {
        rows().map(f).max().unwrap_or(0).max(title.len())
    };
    let w_change = width(|c| c.summary.len() + ROLLBACK.len(), "CHANGE");
    let w_risk = width(|c| c.risk.level.as_str().len(), "RISK");
    out.line(format!(
        "{BOLD}{which}: {} change(s){BOLD:#}",
        changes.len()
    ));
    out.line(format!(
        "  {:<w_change$}  {:<w_risk$}  WHY -> WHAT IT DID",
        "CHANGE", "RISK"
    ));
    for change in changes {
        out.line(format!(
            "  {:<w_change$}  {:<w_risk$}  {} -> {}",
            change.summary,
            change.risk.level.as_str(),
            change.risk.reason,
            did(change)
        ));
    }
    for step in &generated.rollback {
        out.line(format!(
            "  {:<w_change$}  {:<w_risk$}  {} -> {}",
            format!("{ROLLBACK}{}", step.summary),
            step.risk.level.as_str(),
            step.risk.reason,
            did(step)
        ));
    }
}

/// Before a down-file step in the change table.
const ROLLBACK: &str = "rollback: ";

/// What the migration does about the change: its action, and the acknowledgement it needs.
fn did(change: &ChangeReport) -> String {
    match &change.risk.accept {
        Some(key) => format!("{} (needs `--accept \"{key}\"`)", change.action),
        None => change.action.clone(),
    }
}

pub fn changes_json(changes: &[ChangeReport]) -> Vec<Value> {
    changes
        .iter()
        .map(|c| {
            json!({
                "change": c.summary,
                "risk": c.risk.level,
                "why": c.risk.reason,
                "reason": c.risk.reason,
                "hazards": c.risk.hazards,
                "lock": c.risk.lock,
                "safe_alternative": c.risk.safe_alternative,
                "accept": c.risk.accept,
                "did": c.action,
                "action": c.action,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::plan::{Risk, RiskLevel};

    fn report(accept: Option<&str>) -> ChangeReport {
        // Risk has no public constructor: take the verdict of a classified change.
        let change = schema_core::diff::Change::DropTable(schema_core::model::Table {
            name: "a".into(),
            columns: vec![],
            primary_key: None,
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        });
        let mut risk: Risk = schema_core::plan::classify(
            &change,
            &schema_core::plan::RiskContext::new(
                schema_core::Dialect::Postgres,
                Default::default(),
            ),
        );
        risk.accept = accept.map(str::to_string);
        assert_eq!(risk.level, RiskLevel::Destructive);
        ChangeReport {
            summary: "drop table a".into(),
            risk,
            action: "DROP TABLE".into(),
        }
    }

    #[test]
    fn accept_lines_follow_the_directives() {
        let sql = "-- schema:no-transaction\nDROP TABLE a;\n";
        let text = with_accept_lines(sql, &[report(Some("drop table a"))]);
        assert_eq!(
            text,
            "-- schema:no-transaction\n-- schema:accept drop table a\nDROP TABLE a;\n"
        );
        assert_eq!(with_accept_lines(sql, &[report(None)]), sql);
    }

    #[test]
    fn only_unacknowledged_changes_are_left() {
        let changes = [report(Some("drop table a")), report(None)];
        assert_eq!(unacknowledged(&changes, &[], false).len(), 1);
        assert!(unacknowledged(&changes, &["drop table a".into()], false).is_empty());
        assert!(unacknowledged(&changes, &[], true).is_empty());
    }
}
