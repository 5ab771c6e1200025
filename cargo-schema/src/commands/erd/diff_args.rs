//! `--erd-diff` for `generate` and `verify`: the diagram of what a migration changes
//! (added green, dropped red, changed amber, untouched neighbours faded).

use super::history;
use crate::cli::erd::{DiagramFormat, DiffArgs};
use crate::error::CliError;
use crate::output::{display_path, Output};
use crate::project::package::SchemaTarget;
use crate::project::snapshot_file::{self, write_atomically, Loaded};
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use schema_erd::{Format, Graph};
use std::path::{Path, PathBuf};

/// One target's diagram of a change.
pub struct Diagram {
    pub package: String,
    pub dialect: Dialect,
    pub title: String,
    pub graph: Graph,
}

impl Diagram {
    /// What the changes from `before` to `after` (renames from `hints`) do.
    pub fn of_change(
        package: &str,
        dialect: Dialect,
        what: &str,
        before: &Schema,
        after: &Schema,
        hints: &RenameHints,
    ) -> Diagram {
        let changes = schema_core::diff::diff(before, after, hints);
        Diagram {
            package: package.to_string(),
            dialect,
            title: format!("{package} ({dialect}): {what}"),
            graph: schema_erd::changes(before, after, &changes),
        }
    }

    /// What the last migration of `target` did: the snapshot before it (from git history)
    /// against the current one. `None` (with a note) when there is nothing to compare.
    pub fn of_last_migration(
        package: &str,
        target: &SchemaTarget,
        hints: &RenameHints,
        out: &mut Output,
    ) -> Result<Option<Diagram>, CliError> {
        let which = format!("{package} ({})", target.dialect);
        let snapshot = match snapshot_file::load_raw(target)? {
            Loaded::Ok(snapshot) => snapshot,
            Loaded::Conflict(_) => {
                out.note(format!(
                    "{which}: no diagram while the snapshot has merge conflicts"
                ));
                return Ok(None);
            }
        };
        let Some(before) = history::schema_before_last(target, &snapshot)? else {
            out.note(format!("{which}: no migration yet, no diagram to draw"));
            return Ok(None);
        };
        let last = snapshot.last().map(|m| m.id()).unwrap_or_default();
        Ok(Some(Diagram::of_change(
            package,
            target.dialect,
            &last,
            &before,
            &snapshot.schema,
            hints,
        )))
    }
}

impl DiffArgs {
    /// Checked before anything is written: JSON output keeps stdout for its document.
    pub fn check(&self, json: bool) -> Result<(), CliError> {
        if self.wanted() && json && self.erd_out.is_none() {
            return Err(CliError::new(
                "--erd-diff with --format json needs --erd-out FILE: stdout holds the JSON document",
            )
            .hint("add `--erd-out change.svg` (or .mmd, .html, .dot)"));
        }
        Ok(())
    }

    fn format(&self) -> Format {
        match self.erd_diff.flatten() {
            Some(DiagramFormat::Mermaid) => Format::Mermaid,
            Some(DiagramFormat::Svg) => Format::Svg,
            Some(DiagramFormat::Html) => Format::Html,
            Some(DiagramFormat::Dot) => Format::Dot,
            None => self
                .erd_out
                .as_deref()
                .and_then(Format::from_path)
                .unwrap_or(Format::Mermaid),
        }
    }

    /// Draws the diagrams: to --erd-out, else to stdout after the command's own results.
    pub fn emit(&self, diagrams: Vec<Diagram>, out: &mut Output) -> Result<(), CliError> {
        if !self.wanted() {
            return Ok(());
        }
        let format = self.format();
        let (drawn, empty): (Vec<Diagram>, Vec<Diagram>) =
            diagrams.into_iter().partition(|d| !d.graph.is_empty());
        for d in &empty {
            out.note(format!("{}: no schema changes to draw", d.title));
        }
        let several = drawn.len() > 1;
        for d in &drawn {
            let text = schema_erd::render(&d.graph, format, &d.title)
                .map_err(|e| CliError::new(format!("{}: {e}", d.title)))?;
            match &self.erd_out {
                Some(path) => {
                    let path = if several {
                        per_target(path, &d.package, d.dialect)
                    } else {
                        path.clone()
                    };
                    write_atomically(&path, &text)?;
                    out.status(
                        "Drew",
                        format!(
                            "{} as {} in {}",
                            d.title,
                            format.as_str(),
                            display_path(&path)
                        ),
                    );
                }
                None => {
                    if several {
                        match format {
                            Format::Mermaid => out.line(format!("%% {}", d.title)),
                            Format::Dot => out.line(format!("// {}", d.title)),
                            Format::Svg | Format::Html => {}
                        }
                    }
                    out.line(text.trim_end());
                }
            }
        }
        if several && self.erd_out.is_none() && matches!(format, Format::Svg | Format::Html) {
            out.warn("several diagrams went to stdout one after another: `--erd-out FILE` writes one file each");
        }
        Ok(())
    }
}

/// `change.svg` -> `change.blog.postgres.svg`.
fn per_target(path: &Path, package: &str, dialect: Dialect) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.{package}.{dialect}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{package}.{dialect}"),
    };
    path.with_file_name(name)
}
