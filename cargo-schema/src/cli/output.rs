//! Where and how results are written: `--format` and `--color`, taken by every command.

use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format of the results on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,
    /// Coloring of the output.
    #[arg(
        long,
        value_enum,
        env = "CARGO_TERM_COLOR",
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        hide_env_values = true,
        global = true
    )]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// `erd` only: Mermaid text.
    Mermaid,
    /// `erd` only: Graphviz DOT text.
    Dot,
    /// `erd` only: SVG.
    Svg,
    /// `erd` only: one self-contained HTML page.
    Html,
}

impl Format {
    /// A diagram format (only `erd` draws diagrams).
    pub fn is_diagram(self) -> bool {
        !matches!(self, Format::Human | Format::Json)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
