//! cargo schema: the command-line front end of cargo-schema.
//!
//! `main` calls [`main_impl`], which parses the command line, runs one command from
//! [`commands`] and turns its outcome into an exit status (see [`outcome`]). Semver covers the
//! binary's behaviour, not this library's API.

pub mod args;
pub mod cli;
pub mod commands;
pub mod database;
pub mod error;
pub mod outcome;
pub mod output;
pub mod project;

use clap::{CommandFactory, FromArgMatches};

/// Runs `cargo schema` with the process's arguments; returns the exit status.
pub fn main_impl() -> i32 {
    let raw = args::normalize(std::env::args_os().collect());
    let term_color = std::env::var("CARGO_TERM_COLOR").ok();
    let color = match args::early_color(&raw, term_color.as_deref()) {
        cli::ColorChoice::Auto => clap::ColorChoice::Auto,
        cli::ColorChoice::Always => clap::ColorChoice::Always,
        cli::ColorChoice::Never => clap::ColorChoice::Never,
    };
    let parsed = cli::Cargo::command()
        .color(color)
        .try_get_matches_from(raw)
        .and_then(|matches| cli::Cargo::from_arg_matches(&matches));
    let cli::Cargo::Schema(args) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                outcome::ERROR
            } else {
                outcome::OK
            };
        }
    };
    let mut out = output::Output::new(&args.output);
    for url in commands::database_urls(&args) {
        out.hide_secrets_of(&url);
    }
    let code = outcome::finish(commands::run(&args, &mut out), &mut out);
    out.flush();
    code
}
