//! What a command prints and how: [`Output`] (results to stdout, diagnostics to stderr,
//! colour, secrets kept out), source positions ([`diagnostic`]), dry-run plans ([`plan`]).

pub mod diagnostic;
pub mod path;
pub mod plan;
pub mod writer;

pub use path::display_path;
pub use writer::{Output, BOLD};
