//! A problem `verify` (or `status`) found: what is wrong and the command that fixes it.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A stable identifier for scripts: `ungenerated_changes`, `edited_migration`, ...
    pub kind: &'static str,
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(kind: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            kind,
            message: message.into(),
            fix: fix.into(),
        }
    }
}
