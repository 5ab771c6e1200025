//! `cargo schema rollback` (waiting for the runtime's Migrator API).

use crate::cli::PackageArgs;
use crate::error::CliError;
use crate::output::Output;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn exec(_args: &Args, _packages: &PackageArgs, _out: &mut Output) -> Result<i32, CliError> {
    Err(CliError::new("not integrated yet"))
}
