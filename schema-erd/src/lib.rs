//! Diagrams of the one schema model: the schema (or what a migration changes in it) as
//! Mermaid, Graphviz DOT, SVG laid out in-process, or one self-contained HTML page.
//!
//! ```text
//! model::Schema --graph--> Graph --select / diff--> Graph --mermaid | dot | svg | html--> text
//! ```
//!
//! Kept out of `schema-core` so the layout engine is built only by the CLI.

mod diff;
mod dot;
mod enum_domain;
mod error;
mod graph;
mod html;
mod ids;
mod mermaid;
mod select;
mod svg;

pub use diff::changes;
pub use error::Error;
pub use graph::{
    Cardinality, ColumnRow, EnumBox, EnumUse, EnumValue, Graph, Mark, Note, Relation, TableBox,
};
pub use select::Selection;

use std::path::Path;

/// The diagram formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Mermaid `erDiagram` text (README files, pull requests).
    Mermaid,
    /// Graphviz DOT text.
    Dot,
    /// SVG, laid out in-process.
    Svg,
    /// One HTML file: the SVG inline, pan and zoom, click a table to see its relations.
    Html,
}

impl Format {
    /// The format a file name asks for: `.mmd`/`.mermaid`/`.md`, `.dot`/`.gv`, `.svg`,
    /// `.html`/`.htm`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "mmd" | "mermaid" | "md" => Some(Format::Mermaid),
            "dot" | "gv" => Some(Format::Dot),
            "svg" => Some(Format::Svg),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Mermaid => "mermaid",
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Html => "html",
        }
    }
}

/// `graph` drawn in `format`; `title` names it (the HTML page's title, a comment elsewhere).
pub fn render(graph: &Graph, format: Format, title: &str) -> Result<String, Error> {
    match format {
        Format::Mermaid => Ok(mermaid::render(graph, title)),
        Format::Dot => Ok(dot::render(graph, title)),
        Format::Svg => svg::render(graph, title),
        Format::Html => html::render(graph, title),
    }
}

/// The SVG element ids the SVG and HTML outputs give each box and edge (for scripts and tests).
pub mod element_id {
    pub use crate::ids::{enum_box, enum_use, relation, table};
}
