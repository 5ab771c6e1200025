//! squawk (PyPI `squawk-cli`), a PostgreSQL migration linter nobody here wrote, run over
//! migration files: finding the binary, calling it the way our runner applies each file, and
//! reading its findings.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The PostgreSQL version the files are linted for (squawk's rules are version aware: a
/// non-volatile default on `ADD COLUMN` is fine from 11 on, a validated CHECK makes
/// `SET NOT NULL` scan-free from 12 on).
pub const PG_VERSION: &str = "15";

/// One finding: `file` is the path given to squawk, `line` 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub rule: String,
    pub message: String,
}

/// The squawk binary: `$SQUAWK`, else `squawk` on `PATH`, else `bench/.work/venv/bin/squawk`
/// (where `python3 -m venv bench/.work/venv && bench/.work/venv/bin/pip install squawk-cli`
/// puts it). `None` when none of them runs.
pub fn binary() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = match std::env::var_os("SQUAWK") {
        // An explicit choice is the only one tried: a wrong $SQUAWK must not fall back silently.
        Some(path) => vec![PathBuf::from(path)],
        // PATH, then where `.ci/run` and `bench/setup.sh` install it.
        None => vec![
            PathBuf::from("squawk"),
            root.join("target/ci-venv/bin/squawk"),
            root.join("bench/.work/venv/bin/squawk"),
        ],
    };
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// `squawk --version`, e.g. `squawk 2.70.0`.
pub fn version(squawk: &Path) -> anyhow::Result<String> {
    let out = Command::new(squawk).arg("--version").output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Lints `files` (all of one transaction mode) with every rule squawk enables by default.
/// `in_transaction`: the runner wraps each file in a transaction (`--assume-in-transaction`);
/// false for files with `-- schema:no-transaction`, whose statements run one by one.
pub fn lint(
    squawk: &Path,
    files: &[PathBuf],
    in_transaction: bool,
) -> anyhow::Result<Vec<Finding>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut command = Command::new(squawk);
    command.args(["--pg-version", PG_VERSION, "--reporter", "gcc"]);
    if in_transaction {
        command.arg("--assume-in-transaction");
    }
    command.args(files);
    // squawk looks for a .squawk.toml from its working directory up: start where none is.
    if let Some(dir) = files[0].parent() {
        command.current_dir(dir);
    }
    let out = command.output().context("running squawk")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // 0: no finding, 1: findings; anything else is squawk failing (a parse error, say).
    if !matches!(out.status.code(), Some(0 | 1)) {
        bail!(
            "squawk failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let findings: Vec<Finding> = stdout.lines().filter_map(parse_gcc_line).collect();
    if out.status.code() == Some(1) && findings.is_empty() {
        bail!("squawk exited 1 but reported nothing readable:\n{stdout}");
    }
    Ok(findings)
}

/// `path:line:column: warning: rule-name message` (line and column 0-based).
fn parse_gcc_line(line: &str) -> Option<Finding> {
    let mut parts = line.splitn(4, ':');
    let (file, row, _column, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let row: usize = row.parse().ok()?;
    let (_level, rest) = rest.trim_start().split_once(": ")?;
    let (rule, message) = rest.split_once(' ').unwrap_or((rest, ""));
    Some(Finding {
        file: PathBuf::from(file),
        line: row + 1,
        rule: rule.to_string(),
        message: message.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_gcc_line() {
        let f = parse_gcc_line(
            "/tmp/x/a.up.sql:3:14: warning: adding-required-field Adding a new column that is `NOT NULL`.",
        )
        .unwrap();
        assert_eq!(f.file, PathBuf::from("/tmp/x/a.up.sql"));
        assert_eq!(f.line, 4);
        assert_eq!(f.rule, "adding-required-field");
        assert_eq!(f.message, "Adding a new column that is `NOT NULL`.");
        assert_eq!(parse_gcc_line("Found 7 issues in 1 file"), None);
    }
}
