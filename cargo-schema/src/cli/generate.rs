//! `cargo schema generate`: its flags.

use super::erd::DiffArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 written or nothing to do, 1 refused (a change that needs `--accept`), 2 error.\n\
                  --erd-diff draws the migration this run writes (or, refused or --dry-run, would write): the structs against the snapshot."
)]
pub struct Args {
    /// Name of the migration (default: derived from the changes).
    #[arg(long, value_name = "SLUG")]
    pub name: Option<String>,
    /// Acknowledge one change that needs it, in the words the refusal prints
    /// (`--accept "drop column users.legacy"`); repeatable; recorded in the migration as a
    /// `-- schema:accept` line.
    #[arg(long, value_name = "CHANGE")]
    pub accept: Vec<String>,
    /// Acknowledge every change that needs it (each recorded in the migration).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Record generated migrations that were edited on purpose, so `verify` accepts them
    /// (its replay still checks that they build the snapshot).
    #[arg(long)]
    pub accept_edits: bool,
    /// Print the migration that would be written (changes, up and down SQL); write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub erd: DiffArgs,
}
