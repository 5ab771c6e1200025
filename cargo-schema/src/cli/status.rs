//! `cargo schema status`: its flags.

use super::database::DatabaseArgs;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 up to date, 1 pending, changed, unfinished or missing migrations, 2 error."
)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
}
