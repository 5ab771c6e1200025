//! `cargo schema verify`: its flags.

use super::database::DatabaseArgs;
use super::erd::DiffArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 clean, 1 problems found (each with the command that fixes it), 2 error.\n\
                  --erd-diff draws what the last migration of each target changes: the snapshot as committed before that migration (read from git history) against the current one.\n\
                  SQLite targets are replayed in memory; PostgreSQL and MySQL targets are replayed on a scratch database created on the --database-url server and dropped afterwards (also when the replay fails or is stopped by Ctrl-C or SIGTERM; one left behind by a verify killed outright is dropped by a later verify once it is 6 hours old by the server's clock, no verify holds its lock and nobody is connected to it; a running verify holds the lock of its scratch database and a session on it until it drops it)."
)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Skip replaying the migrations on a scratch database.
    #[arg(long)]
    pub no_replay: bool,
    #[command(flatten)]
    pub erd: DiffArgs,
}
