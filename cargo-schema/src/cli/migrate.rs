//! `cargo schema migrate`: its flags.

use super::database::DatabaseArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 applied or up to date, 1 a migration failed (the database is left at the last good version) or the history disagrees with the files, 2 error."
)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Apply pending migrations up to and including this version.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
    /// Print what would run (files and statements) without touching the database's schema.
    #[arg(long)]
    pub dry_run: bool,
}
