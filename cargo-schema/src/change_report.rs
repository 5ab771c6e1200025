//! How `generate` shows its changes: the change table, the JSON list, and the acknowledgement
//! comment written into a migration with acknowledged destructive changes.

use crate::output::{Output, BOLD};
use schema_core::generate::ChangeReport;
use schema_core::plan::RiskLevel;
use serde_json::{json, Value};

pub fn destructive(changes: &[ChangeReport]) -> Vec<&ChangeReport> {
    changes
        .iter()
        .filter(|c| c.risk.level == RiskLevel::Destructive)
        .collect()
}

/// The acknowledgement comment goes after the `-- schema:` directives, which must stay first.
pub fn with_acknowledgement(sql: &str, acknowledged: &[&ChangeReport]) -> String {
    let mut comment = String::from(
        "-- Destructive changes acknowledged with `cargo schema generate --allow-destructive`:\n",
    );
    for change in acknowledged {
        comment.push_str(&format!(
            "--   {}: {}\n",
            change.summary, change.risk.reason
        ));
    }
    let split = sql
        .lines()
        .take_while(|l| l.starts_with("-- schema:"))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(sql.len());
    format!("{}{}{}", &sql[..split], comment, &sql[split..])
}

/// The change table on stdout: one line per change (what, risk, what the migration does).
/// `which` names the package and target: `blog (sqlite)`.
pub fn print_changes(out: &mut Output, which: &str, changes: &[ChangeReport]) {
    let width = changes
        .iter()
        .map(|c| c.summary.len())
        .max()
        .unwrap_or(0)
        .max("CHANGE".len());
    out.line(format!(
        "{BOLD}{which}: {} change(s){BOLD:#}",
        changes.len()
    ));
    out.line(format!("  {:<width$}  {:<11}  ACTION", "CHANGE", "RISK"));
    for change in changes {
        out.line(format!(
            "  {:<width$}  {:<11}  {}",
            change.summary,
            change.risk.level.as_str(),
            change.action
        ));
    }
}

pub fn changes_json(changes: &[ChangeReport]) -> Vec<Value> {
    changes
        .iter()
        .map(|c| {
            json!({
                "change": c.summary,
                "risk": c.risk.level,
                "reason": c.risk.reason,
                "action": c.action,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgement_follows_the_directives() {
        let sql = "-- schema:no-transaction\nDROP TABLE a;\n";
        let report = ChangeReport {
            summary: "drop table a".into(),
            risk: schema_core::plan::Risk {
                level: RiskLevel::Destructive,
                reason: "deletes its rows".into(),
            },
            action: "DROP TABLE".into(),
        };
        let text = with_acknowledgement(sql, &[&report]);
        assert!(text.starts_with("-- schema:no-transaction\n-- Destructive changes acknowledged"));
        assert!(text.ends_with("--   drop table a: deletes its rows\nDROP TABLE a;\n"));
    }
}
