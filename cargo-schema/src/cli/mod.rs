//! The command line, as clap types. Cargo runs `cargo-schema schema <args>` for
//! `cargo schema <args>`, so the top level is `cargo` with one subcommand, `schema`. Each
//! command's own flags are in the file of its name; this folder imports nothing from
//! `commands`.

pub mod database;
pub mod erd;
pub mod generate;
pub mod migrate;
pub mod new;
pub mod output;
pub mod package;
pub mod rollback;
pub mod status;
pub mod verify;

pub use database::DatabaseArgs;
pub use output::{ColorChoice, Format, OutputArgs};
pub use package::PackageArgs;

use clap::{Args, Parser, Subcommand};

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
    Generate(generate::Args),
    /// CI check: structs, snapshot and migration files agree; optionally replay on a scratch database.
    Verify(verify::Args),
    /// Create an empty hand-written migration (data migrations), kept in the sequence.
    New(new::Args),
    /// Apply pending migrations to the database.
    Migrate(migrate::Args),
    /// Apply down migrations.
    Rollback(rollback::Args),
    /// Show applied, pending, changed-after-apply and missing migrations.
    Status(status::Args),
    /// Draw the schema as a diagram (Mermaid, DOT, SVG or HTML), from the snapshot or a live database.
    Erd(erd::Args),
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
