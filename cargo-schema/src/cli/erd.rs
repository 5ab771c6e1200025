//! `cargo schema erd`: its flags, and `--erd-diff` of `generate` and `verify`.

use super::database::DatabaseArgs;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 drawn, 2 error.\n\
    --format: mermaid (the default: text that code hosts render in README files and pull requests), dot (Graphviz), svg (laid out here: no Graphviz, no browser), html (one file, the SVG with pan, zoom, find and click-a-table-to-see-its-relations, loading nothing from the network), json (the diagram's model). With --out and no --format, the file's extension picks the format (.mmd .md .dot .gv .svg .html .json).\n\
    Relations use crow's feet: || exactly one, o| at most one (a nullable key on the parent side, a unique key on the child side), o< many; a join table (two foreign keys that make its primary key) says which tables it joins many-to-many. A column type ending in ? is nullable.")]
pub struct Args {
    /// Write the diagram to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only these tables (comma-separated), and the relations between them.
    #[arg(
        long,
        value_name = "TABLE,...",
        value_delimiter = ',',
        conflicts_with = "around"
    )]
    pub tables: Vec<String>,
    /// A table and the tables around it, --depth relations away in either direction.
    #[arg(long, value_name = "TABLE")]
    pub around: Option<String>,
    /// How many relations away from --around to go [default: 1].
    #[arg(long, value_name = "N", requires = "around")]
    pub depth: Option<usize>,
    /// Draw the committed snapshot even when DATABASE_URL is set.
    #[arg(long)]
    pub snapshot: bool,
    /// Draw this live database (introspected) instead of the snapshot.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagramFormat {
    Mermaid,
    Svg,
    Html,
    Dot,
}

#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "Diagram of the change")]
pub struct DiffArgs {
    /// Also draw what the migration changes: added green, dropped red, changed amber,
    /// untouched neighbours faded. FORMAT: mermaid (default, or the --erd-out file's
    /// extension), svg, html or dot.
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub erd_diff: Option<Option<DiagramFormat>>,
    /// Write the --erd-diff diagram to FILE instead of stdout (with several targets, one
    /// file each: FILE.<package>.<dialect>.<extension>).
    #[arg(long, value_name = "FILE")]
    pub erd_out: Option<PathBuf>,
}

impl DiffArgs {
    /// Whether a diagram of the change was asked for.
    pub fn wanted(&self) -> bool {
        self.erd_diff.is_some() || self.erd_out.is_some()
    }
}
