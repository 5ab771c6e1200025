//! A problem at a place in a source file, printed as `file:line:col: message`.

use super::path::display_path;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    /// From a proc-macro2 span (`span-locations` gives 1-based lines, 0-based columns).
    pub fn at_span(file: PathBuf, span: proc_macro2::Span, message: impl Into<String>) -> Self {
        let start = span.start();
        Diagnostic {
            file,
            line: start.line.max(1),
            column: start.column + 1,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            display_path(&self.file),
            self.line,
            self.column,
            self.message
        )
    }
}
