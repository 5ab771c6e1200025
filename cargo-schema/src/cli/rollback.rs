//! `cargo schema rollback`: its flags.

use super::database::DatabaseArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 rolled back or nothing to do, 1 refused before anything was undone (a down file would delete data that was not acknowledged, or the old schema cannot hold the data there; with --dry-run too), a down migration failed (the database is left at the last good version) or the history disagrees with the files, 2 error.\n\
                  Before any statement runs, the down files are read and what they would delete or cannot put back is counted on the database: a dropped table or column that holds data is refused until acknowledged with --accept \"<change>\" (the words the refusal prints, as `generate` uses them) or --allow-destructive; values a narrowed type does not fit, an enum value the old type lacks, NULLs before NOT NULL and rows a re-added check refuses always refuse it (change those rows first)."
)]
#[group(id = "how_far", required = true, multiple = false, args = ["to", "steps"])]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Undo every applied migration above this version (0: all of them).
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Undo this many of the most recently applied migrations.
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// Print what would run (down files, their comments and statements, and what the data
    /// checks found) without touching the database's schema.
    #[arg(long)]
    pub dry_run: bool,
    /// Acknowledge one data loss, in the words the refusal prints
    /// (`--accept "drop column users.bio"`); repeatable.
    #[arg(long, value_name = "CHANGE")]
    pub accept: Vec<String>,
    /// Acknowledge every data loss (rows the old schema cannot hold still refuse the rollback).
    #[arg(long)]
    pub allow_destructive: bool,
}
