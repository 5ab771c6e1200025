//! Where text goes: results to stdout (human or JSON), progress and diagnostics to stderr,
//! coloured as `--color`, `CARGO_TERM_COLOR` and `NO_COLOR` say.

use crate::cli::{ColorChoice, Format, OutputArgs};
use crate::error::CliError;
use anstream::AutoStream;
use anstyle::{AnsiColor, Effects, Style};
use std::io::Write;
use std::path::Path;

pub struct Output {
    pub format: Format,
    stdout: AutoStream<std::io::Stdout>,
    stderr: AutoStream<std::io::Stderr>,
}

const VERB: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
const WARNING: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
const NOTE: Style = AnsiColor::Cyan.on_default().effects(Effects::BOLD);
pub const BOLD: Style = Style::new().effects(Effects::BOLD);

impl Output {
    pub fn new(args: &OutputArgs) -> Self {
        // `auto` lets anstream decide: a terminal, and neither NO_COLOR nor TERM=dumb.
        let choice = match args.color {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        Output {
            format: args.format,
            stdout: AutoStream::new(std::io::stdout(), choice),
            stderr: AutoStream::new(std::io::stderr(), choice),
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// A cargo-style progress line on stderr: `   Generated 0002_add_posts`.
    pub fn status(&mut self, verb: &str, message: impl AsRef<str>) {
        let _ = writeln!(self.stderr, "{VERB}{verb:>12}{VERB:#} {}", message.as_ref());
    }

    pub fn warn(&mut self, message: impl AsRef<str>) {
        let _ = writeln!(
            self.stderr,
            "{WARNING}warning{WARNING:#}: {}",
            message.as_ref()
        );
    }

    pub fn note(&mut self, message: impl AsRef<str>) {
        let _ = writeln!(self.stderr, "{NOTE}note{NOTE:#}: {}", message.as_ref());
    }

    /// A plain line on stderr (diagnostics, explanations).
    pub fn diag(&mut self, line: impl AsRef<str>) {
        let _ = writeln!(self.stderr, "{}", line.as_ref());
    }

    /// A result line on stdout (human format only; JSON goes through [`Output::json`]).
    pub fn line(&mut self, line: impl AsRef<str>) {
        if !self.is_json() {
            let _ = writeln!(self.stdout, "{}", line.as_ref());
        }
    }

    /// The machine-readable result on stdout, one JSON document per command.
    pub fn json(&mut self, value: &serde_json::Value) {
        if self.is_json() {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            let _ = writeln!(self.stdout, "{text}");
        }
    }

    /// Prints an error to stderr (and, in JSON mode, as `{"error": ...}` on stdout).
    pub fn error(&mut self, error: &CliError) {
        for diagnostic in &error.diagnostics {
            let _ = writeln!(self.stderr, "{diagnostic}");
        }
        let _ = writeln!(self.stderr, "{ERROR}error{ERROR:#}: {}", error.message);
        for hint in &error.hints {
            let _ = writeln!(self.stderr, "  {NOTE}help{NOTE:#}: {hint}");
        }
        for note in &error.notes {
            let _ = writeln!(self.stderr, "{NOTE}note{NOTE:#}: {note}");
        }
        if self.is_json() {
            let value = serde_json::json!({
                "status": "error",
                "error": error.message,
                "hints": error.hints,
                "diagnostics": error.diagnostics,
                "notes": error.notes,
            });
            self.json(&value);
        }
    }

    pub fn flush(&mut self) {
        let _ = self.stdout.flush();
        let _ = self.stderr.flush();
    }
}

/// A path as the user would type it: relative to the current directory when below it.
pub fn display_path(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(relative) = path.strip_prefix(&cwd) {
            if !relative.as_os_str().is_empty() {
                return relative.display().to_string();
            }
        }
    }
    path.display().to_string()
}
