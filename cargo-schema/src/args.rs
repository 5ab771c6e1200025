//! The raw argument list before clap sees it: accepting `cargo-schema <command>` as well as
//! cargo's `cargo-schema schema <command>`, and the colour choice that clap's own help and
//! usage errors should follow (they are printed before the parsed `--color` exists).

use crate::cli::ColorChoice;
use std::ffi::OsString;

/// `cargo schema x` runs `cargo-schema schema x`; a direct `cargo-schema x` gets the `schema`
/// inserted so both spellings work.
pub fn normalize(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a != "schema") {
        args.insert(1, OsString::from("schema"));
    }
    args
}

/// `--color WHEN` / `--color=WHEN` from the arguments, else `CARGO_TERM_COLOR`; `NO_COLOR`
/// applies to `auto` only (an explicit `always` wins, as in cargo).
pub fn early_color(args: &[OsString], cargo_term_color: Option<&str>) -> ColorChoice {
    let mut value: Option<String> = None;
    let mut iter = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if let Some(v) = arg.strip_prefix("--color=") {
            value = Some(v.to_string());
        } else if arg == "--color" {
            value = iter.next().map(|v| v.to_string());
        }
    }
    match value.as_deref().or(cargo_term_color) {
        Some("always") => ColorChoice::Always,
        Some("never") => ColorChoice::Never,
        _ => ColorChoice::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn inserts_the_subcommand_name_when_run_directly() {
        assert_eq!(
            normalize(os(&["cargo-schema", "verify"])),
            os(&["cargo-schema", "schema", "verify"])
        );
        assert_eq!(
            normalize(os(&["cargo-schema", "schema", "verify"])),
            os(&["cargo-schema", "schema", "verify"])
        );
        assert_eq!(normalize(os(&["cargo-schema"])), os(&["cargo-schema"]));
    }

    #[test]
    fn color_flag_beats_the_environment() {
        assert_eq!(
            early_color(&os(&["x", "--color", "never"]), Some("always")),
            ColorChoice::Never
        );
        assert_eq!(
            early_color(&os(&["x", "--color=always"]), None),
            ColorChoice::Always
        );
        assert_eq!(early_color(&os(&["x"]), Some("never")), ColorChoice::Never);
        assert_eq!(
            early_color(&os(&["x", "--", "--color", "always"]), None),
            ColorChoice::Auto
        );
    }
}
