//! The command line, as clap types. Cargo runs `cargo-schema schema <args>` for
//! `cargo schema <args>`, so the top level is `cargo` with one subcommand, `schema`.

use crate::commands;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo_styles())]
pub enum Cargo {
    /// Generate, verify and apply database migrations from Rust structs.
    #[command(version)]
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 success or nothing to do, 1 refused / problems found / pending, 2 error."
)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub packages: PackageArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diff the structs against the snapshot and write the next migration.
    Generate(commands::generate::Args),
    /// CI check: structs, snapshot and migration files agree; optionally replay on a scratch database.
    Verify(commands::verify::Args),
    /// Create an empty hand-written migration (data migrations), kept in the sequence.
    New(commands::new::Args),
    /// Apply pending migrations to the database.
    Migrate(commands::migrate::Args),
    /// Apply down migrations.
    Rollback(commands::rollback::Args),
    /// Show applied, pending, changed-after-apply and missing migrations.
    Status(commands::status::Args),
    /// Draw the schema as a diagram (Mermaid, DOT, SVG or HTML), from the snapshot or a live database.
    Erd(commands::erd::Args),
}

/// Which package(s) and target(s) to act on, the way cargo selects packages.
#[derive(Debug, Args)]
#[command(next_help_heading = "Package selection")]
pub struct PackageArgs {
    /// Package to act on (repeatable; default: the package in the current directory, or every
    /// workspace member with `[package.metadata.schema]`).
    #[arg(short = 'p', long = "package", value_name = "SPEC", global = true)]
    pub package: Vec<String>,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Act only on the target of this dialect (packages with several `[[package.metadata.schema.target]]`).
    #[arg(long, value_name = "DIALECT", global = true)]
    pub dialect: Option<String>,
}

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

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL (postgres://..., sqlite:..., mysql://...).
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
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

/// Cargo's help colours, so `cargo schema --help` looks like the rest of cargo.
fn clap_cargo_styles() -> clap::builder::Styles {
    use anstyle::{AnsiColor, Effects};
    clap::builder::Styles::styled()
        .header(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .usage(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .literal(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .placeholder(AnsiColor::Cyan.on_default())
        .error(AnsiColor::Red.on_default().effects(Effects::BOLD))
        .valid(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .invalid(AnsiColor::Yellow.on_default().effects(Effects::BOLD))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cargo::command().debug_assert();
    }

    #[test]
    fn runs_as_a_cargo_subcommand() {
        let Cargo::Schema(args) =
            Cargo::try_parse_from(["cargo-schema", "schema", "generate", "-p", "blog"])
                .expect("parses");
        assert_eq!(args.packages.package, ["blog"]);
        assert!(matches!(args.command, Command::Generate(_)));
    }
}
