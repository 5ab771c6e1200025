//! End-to-end tests of `cargo schema`: the real binary on fixture workspaces
//! (`tests/fixtures/<case>/`) copied to a temporary folder. One test binary, many cases.

mod support;

mod database;
mod enum_rename;
mod erd;
mod errors;
mod generate;
mod help;
mod new;
mod output;
mod rollback_gate;
mod safety;
mod secrets;
mod verify;
