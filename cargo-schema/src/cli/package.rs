//! Which package(s) and target(s) a command acts on: the flags every command takes.

use clap::Args;
use std::path::PathBuf;

/// Which package(s) and target(s) to act on, the way cargo selects packages.
#[derive(Debug, Args)]
#[command(next_help_heading = "Package selection")]
pub struct PackageArgs {
    /// Package to act on (repeatable; default: the package in the current directory, or every
    /// workspace member with `[package.metadata.schema]`).
    #[arg(short = 'p', long = "package", value_name = "SPEC", global = true)]
    pub package: Vec<String>,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Act only on the target of this dialect (packages with several `[[package.metadata.schema.target]]`).
    #[arg(long, value_name = "DIALECT", global = true)]
    pub dialect: Option<String>,
}
