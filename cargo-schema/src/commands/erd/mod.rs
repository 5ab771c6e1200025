//! `cargo schema erd`: the schema as a diagram, from the committed snapshot or from a live
//! database (introspected). The drawing is `schema_erd`'s; this is the command-line glue,
//! with `--erd-diff` for `generate` and `verify` ([`DiffArgs`]).

mod diff_args;
mod history;
mod source;

pub use diff_args::Diagram;

use crate::cli::erd::Args;
use crate::cli::{Format, PackageArgs};
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::{display_path, Output};
use crate::project::snapshot_file::write_atomically;
use schema_erd::{Graph, Selection};
use serde_json::json;
use std::path::Path;

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    let selection = selection(args)?;
    let format = diagram_format(out.format, args.out.as_deref());
    let url = args
        .database
        .database_url
        .as_deref()
        .filter(|u| !u.trim().is_empty() && !args.snapshot);
    let drawn = match url {
        Some(url) => source::database(url, out)?,
        None => source::snapshot(packages)?,
    };
    let graph = Graph::from_schema(&drawn.schema)
        .select(&selection)
        .map_err(|e| diagram_error(e, &drawn.title))?;
    if graph.is_empty() {
        out.warn(format!("{}: no tables to draw", drawn.title));
    }
    let summary = format!(
        "{} tables, {} relations, {} enums",
        graph.tables.len(),
        graph.relations.len(),
        graph.enums.len()
    );
    let text = match format {
        Some(format) => schema_erd::render(&graph, format, &drawn.title)
            .map_err(|e| diagram_error(e, &drawn.title))?,
        None => {
            let value = json!({"status": "drawn", "source": drawn.title, "diagram": graph});
            if args.out.is_none() {
                out.json(&value);
                return Ok(Outcome::Success);
            }
            serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
        }
    };
    let format_name = format.map_or("json", schema_erd::Format::as_str);
    match &args.out {
        Some(path) => {
            write_atomically(path, &text)?;
            out.status(
                "Drew",
                format!("{} as {format_name} ({summary})", drawn.title),
            );
            out.line(display_path(path));
            out.json(&json!({
                "status": "written",
                "source": drawn.title,
                "format": format_name,
                "path": path,
                "tables": graph.tables.len(),
                "relations": graph.relations.len(),
                "enums": graph.enums.len(),
            }));
        }
        None => out.line(text.trim_end()),
    }
    Ok(Outcome::Success)
}

fn selection(args: &Args) -> Result<Selection, CliError> {
    if let Some(table) = &args.around {
        return Ok(Selection::Around {
            table: table.trim().to_string(),
            depth: args.depth.unwrap_or(1),
        });
    }
    if args.tables.is_empty() {
        return Ok(Selection::All);
    }
    let names: Vec<String> = args
        .tables
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if names.is_empty() {
        return Err(CliError::new("--tables names no table")
            .hint("list table names separated by commas: `--tables users,posts`"));
    }
    Ok(Selection::Tables(names))
}

/// The diagram format (`None`: the JSON model): `--format` when it names one, else the
/// `--out` file's extension, else Mermaid.
fn diagram_format(format: Format, out: Option<&Path>) -> Option<schema_erd::Format> {
    match format {
        Format::Mermaid => Some(schema_erd::Format::Mermaid),
        Format::Dot => Some(schema_erd::Format::Dot),
        Format::Svg => Some(schema_erd::Format::Svg),
        Format::Html => Some(schema_erd::Format::Html),
        Format::Json => None,
        Format::Human => {
            let json_file = out
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if json_file {
                return None;
            }
            Some(
                out.and_then(schema_erd::Format::from_path)
                    .unwrap_or(schema_erd::Format::Mermaid),
            )
        }
    }
}

fn diagram_error(error: schema_erd::Error, title: &str) -> CliError {
    match &error {
        schema_erd::Error::UnknownTable { .. } => CliError::new(format!("{title}: {error}"))
            .hint("`cargo schema erd` without --tables or --around lists every table"),
        schema_erd::Error::Layout(_) => CliError::new(format!("{title}: {error}"))
            .hint("this is a bug in cargo-schema: `--format dot` or `--format mermaid` still draw the diagram"),
    }
}
