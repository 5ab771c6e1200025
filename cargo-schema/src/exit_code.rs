//! The process exit statuses, part of the command-line contract.

/// Success: written, nothing to do, clean, up to date.
pub const OK: i32 = 0;
/// The command ran and found something to act on: `generate` refused a change, `verify` found
/// problems, `status` has pending or changed migrations, `migrate`/`rollback` failed part way.
pub const PROBLEMS: i32 = 1;
/// The command could not run: bad input, bad configuration, an unreachable database.
pub const ERROR: i32 = 2;
