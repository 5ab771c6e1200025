//! The error every command can end with (exit status 2): what went wrong and what to do.

use crate::output::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub message: String,
    /// What to do about it, one suggestion per entry.
    pub hints: Vec<String>,
    /// Source positions, printed before the message as `file:line:col: message`.
    pub diagnostics: Vec<Diagnostic>,
    /// Something else that went wrong on the way out, printed after the hints as `note: ...`
    /// (the scratch database that could not be dropped after an interrupted replay).
    pub notes: Vec<String>,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hints: Vec::new(),
            diagnostics: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_diagnostics(mut self, diagnostics: Vec<Diagnostic>) -> Self {
        self.diagnostics = diagnostics;
        self
    }
}
