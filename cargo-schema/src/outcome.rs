//! How a command ended, and the process exit status that says so: the one place exit
//! statuses are decided (they are part of the command-line contract).
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success: written, nothing to do, clean, up to date |
//! | 1 | the command ran and found something to act on: `generate` refused a change, `verify` found problems, `status` has pending or changed migrations, `migrate`/`rollback` failed part way or were refused |
//! | 2 | the command could not run: bad input, bad configuration, an unreachable database ([`CliError`]) |

use crate::error::CliError;
use crate::output::Output;

/// Success: written, nothing to do, clean, up to date.
pub const OK: i32 = 0;
/// The command ran and found something to act on.
pub const PROBLEMS: i32 = 1;
/// The command could not run.
pub const ERROR: i32 = 2;

/// How a command that ran to its end came out. A command that could not run ends with a
/// [`CliError`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit status 0.
    Success,
    /// Exit status 1, with the line that ends the command's stderr (`error: <summary>`), if
    /// it has one; what was found is printed by the command as it goes.
    Problems(Option<String>),
}

impl Outcome {
    /// Problems, ending with `error: <summary>`.
    pub fn problems(summary: impl Into<String>) -> Outcome {
        Outcome::Problems(Some(summary.into()))
    }

    pub fn exit_status(&self) -> i32 {
        match self {
            Outcome::Success => OK,
            Outcome::Problems(_) => PROBLEMS,
        }
    }
}

/// What every command returns.
pub type CommandResult = Result<Outcome, CliError>;

/// Prints how the command ended (its summary line, or the error with its hints) and gives
/// the exit status.
pub fn finish(result: CommandResult, out: &mut Output) -> i32 {
    match result {
        Ok(outcome) => {
            if let Outcome::Problems(Some(summary)) = &outcome {
                out.diag(format!("error: {summary}"));
            }
            outcome.exit_status()
        }
        Err(error) => {
            out.error(&error);
            ERROR
        }
    }
}
