//! SVG: the DOT text laid out and drawn in-process by Graphviz's `dot` engine (ported to Rust),
//! so no Graphviz install and no browser is needed.

use crate::dot;
use crate::error::Error;
use crate::graph::Graph;
use graphviz_pure::DiagnosticLevel;

pub fn render(graph: &Graph, title: &str) -> Result<String, Error> {
    let text = dot::render(graph, title);
    let rendered =
        graphviz_pure::render_dot(&text, "dot", "svg").map_err(|e| Error::Layout(e.to_string()))?;
    // An error in a label leaves its box empty: never hand out such a drawing.
    let errors: Vec<String> = rendered
        .diagnostics()
        .iter()
        .filter(|d| d.level() == DiagnosticLevel::Error)
        .map(|d| d.message().trim().to_string())
        .collect();
    if !errors.is_empty() {
        return Err(Error::Layout(errors.join(" ")));
    }
    Ok(rendered.into_output())
}

/// The `<svg>` element alone, without the XML declaration, doctype and comments before it
/// (for inlining into HTML).
pub fn element(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |start| &svg[start..])
}
