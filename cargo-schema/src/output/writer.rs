//! [`Output`], the one writer of what a command prints: results to stdout (human or JSON),
//! progress and diagnostics to stderr, coloured as `--color`, `CARGO_TERM_COLOR` and
//! `NO_COLOR` say. Everything written passes through the [`Secrets`] of the database URLs the
//! command was given, so no message, of ours or quoted from a driver, prints a password.

use crate::cli::{ColorChoice, Format, OutputArgs};
use crate::database::url::Secrets;
use crate::error::CliError;
use anstream::AutoStream;
use anstyle::{AnsiColor, Effects, Style};
use std::io::Write;

pub struct Output {
    pub format: Format,
    stdout: AutoStream<std::io::Stdout>,
    stderr: AutoStream<std::io::Stderr>,
    secrets: Secrets,
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
            secrets: Secrets::new(),
        }
    }

    /// Keeps every piece of `url` (its password as written and as decoded, the whole URL when
    /// it cannot be parsed) out of everything written from now on.
    pub fn hide_secrets_of(&mut self, url: &str) {
        self.secrets.add(url);
    }

    fn clean(&self, text: &str) -> String {
        self.secrets.redact(text)
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// A cargo-style progress line on stderr: `   Generated 0002_add_posts`.
    pub fn status(&mut self, verb: &str, message: impl AsRef<str>) {
        let message = self.clean(message.as_ref());
        let _ = writeln!(self.stderr, "{VERB}{verb:>12}{VERB:#} {message}");
    }

    pub fn warn(&mut self, message: impl AsRef<str>) {
        let message = self.clean(message.as_ref());
        let _ = writeln!(self.stderr, "{WARNING}warning{WARNING:#}: {message}");
    }

    pub fn note(&mut self, message: impl AsRef<str>) {
        let message = self.clean(message.as_ref());
        let _ = writeln!(self.stderr, "{NOTE}note{NOTE:#}: {message}");
    }

    /// A plain line on stderr (diagnostics, explanations).
    pub fn diag(&mut self, line: impl AsRef<str>) {
        let line = self.clean(line.as_ref());
        let _ = writeln!(self.stderr, "{line}");
    }

    /// A result line on stdout (human format only; JSON goes through [`Output::json`]).
    pub fn line(&mut self, line: impl AsRef<str>) {
        if !self.is_json() {
            let line = self.clean(line.as_ref());
            let _ = writeln!(self.stdout, "{line}");
        }
    }

    /// The machine-readable result on stdout, one JSON document per command.
    pub fn json(&mut self, value: &serde_json::Value) {
        if self.is_json() {
            let mut value = value.clone();
            self.clean_value(&mut value);
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            let _ = writeln!(self.stdout, "{text}");
        }
    }

    /// Every string of `value` (keys too) through [`Output::clean`], before it is encoded.
    fn clean_value(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(text) => *text = self.clean(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.clean_value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.clean_value(&mut item);
                    map.insert(self.clean(&key), item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Prints an error to stderr (and, in JSON mode, as `{"error": ...}` on stdout).
    pub fn error(&mut self, error: &CliError) {
        for diagnostic in &error.diagnostics {
            let diagnostic = self.clean(&diagnostic.to_string());
            let _ = writeln!(self.stderr, "{diagnostic}");
        }
        let message = self.clean(&error.message);
        let _ = writeln!(self.stderr, "{ERROR}error{ERROR:#}: {message}");
        for hint in &error.hints {
            let hint = self.clean(hint);
            let _ = writeln!(self.stderr, "  {NOTE}help{NOTE:#}: {hint}");
        }
        for note in &error.notes {
            let note = self.clean(note);
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
