//! What can go wrong drawing a diagram.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no table `{name}` in the schema{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownTable {
        name: String,
        suggestion: Option<String>,
    },
    /// The layout engine refused the graph (a defect: the DOT text is ours).
    #[error("laying out the diagram failed: {0}")]
    Layout(String),
}
