//! One module per command, each with its `Args` and `exec`.

pub mod erd;
pub mod generate;
pub mod migrate;
pub mod new;
pub mod rollback;
pub mod status;
pub mod verify;

use crate::cli::{Command, SchemaArgs};
use crate::error::CliError;
use crate::outcome::CommandResult;
use crate::output::Output;
use clap::ValueEnum;

/// Runs the chosen command.
pub fn run(args: &SchemaArgs, out: &mut Output) -> CommandResult {
    let format = args.output.format;
    if format.is_diagram() && !matches!(args.command, Command::Erd(_)) {
        return Err(CliError::new(format!(
            "`--format {}` is a diagram format, which only `cargo schema erd` draws",
            format.to_possible_value().map_or_else(String::new, |v| v.get_name().to_string())
        ))
        .hint("use `--format human` or `--format json` here; `--erd-diff` draws what `generate` and `verify` see"));
    }
    match &args.command {
        Command::Generate(a) => generate::exec(a, &args.packages, out),
        Command::Verify(a) => verify::exec(a, &args.packages, out),
        Command::New(a) => new::exec(a, &args.packages, out),
        Command::Migrate(a) => migrate::exec(a, &args.packages, out),
        Command::Rollback(a) => rollback::exec(a, &args.packages, out),
        Command::Status(a) => status::exec(a, &args.packages, out),
        Command::Erd(a) => erd::exec(a, &args.packages, out),
    }
}

/// The database URLs this run was given (`--database-url`, `DATABASE_URL`): what the output
/// keeps out of everything it prints.
pub fn database_urls(args: &SchemaArgs) -> Vec<String> {
    let given = match &args.command {
        Command::Verify(a) => a.database.database_url.as_deref(),
        Command::Migrate(a) => a.database.database_url.as_deref(),
        Command::Rollback(a) => a.database.database_url.as_deref(),
        Command::Status(a) => a.database.database_url.as_deref(),
        Command::Erd(a) => a.database.database_url.as_deref(),
        Command::Generate(_) | Command::New(_) => None,
    };
    let from_env = std::env::var("DATABASE_URL").ok();
    given
        .map(str::to_string)
        .into_iter()
        .chain(from_env)
        .collect()
}
