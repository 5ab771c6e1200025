//! `-- schema:` directives: SQL comments at the top of a migration file that change how the
//! runner executes it (see docs/architecture.md), and `-- schema:accept <change>` lines, which
//! record for review that a destructive change was acknowledged (the runner ignores them;
//! `cargo schema verify` checks them).

use std::fmt;

/// One directive a file may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `-- schema:no-transaction`: run each statement on its own, outside a transaction.
    NoTransaction,
    /// `-- schema:foreign-keys=off`: SQLite table rebuild; foreign keys are switched off around
    /// the migration's transaction and checked before it commits.
    ForeignKeysOff,
}

impl Directive {
    pub fn text(self) -> &'static str {
        match self {
            Directive::NoTransaction => "-- schema:no-transaction",
            Directive::ForeignKeysOff => "-- schema:foreign-keys=off",
        }
    }
}

/// The directives of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    pub no_transaction: bool,
    pub foreign_keys_off: bool,
}

/// A `-- schema:` comment the runner does not understand, or one placed after a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveError {
    Unknown { line: usize, text: String },
    AfterStatement { line: usize, text: String },
}

impl fmt::Display for DirectiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectiveError::Unknown { line, text } => write!(
                f,
                "line {line}: unknown directive `{text}`; the known ones are `{}`, `{}` and `{}<change>`",
                Directive::NoTransaction.text(),
                Directive::ForeignKeysOff.text(),
                ACCEPT
            ),
            DirectiveError::AfterStatement { line, text } => write!(
                f,
                "line {line}: directive `{text}` comes after the first statement; move it to the top of the file"
            ),
        }
    }
}

impl std::error::Error for DirectiveError {}

const PREFIX: &str = "schema:";
/// `-- schema:accept <change> [-- <reason>]`.
pub const ACCEPT: &str = "-- schema:accept ";

/// The changes acknowledged by `-- schema:accept` lines in the header of `sql` (the key
/// without the optional `-- <reason>`).
pub fn accepted(sql: &str) -> Vec<String> {
    sql.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with("--"))
        .filter_map(|l| l.strip_prefix(ACCEPT))
        .map(|rest| rest.split(" -- ").next().unwrap_or(rest).trim().to_string())
        .collect()
}

impl Directives {
    /// Reads the directives: `-- schema:...` line comments before the first statement.
    pub fn parse(sql: &str) -> Result<Directives, DirectiveError> {
        let mut directives = Directives::default();
        let mut in_header = true;
        for (index, raw_line) in sql.lines().enumerate() {
            let line = raw_line.trim();
            let Some(comment) = line.strip_prefix("--") else {
                if !line.is_empty() {
                    in_header = false;
                }
                continue;
            };
            let Some(word) = comment.trim().strip_prefix(PREFIX) else {
                continue;
            };
            let text = line.to_string();
            let line = index + 1;
            if !in_header {
                return Err(DirectiveError::AfterStatement { line, text });
            }
            match word.trim() {
                "no-transaction" => directives.no_transaction = true,
                "foreign-keys=off" => directives.foreign_keys_off = true,
                w if w.starts_with("accept ") => {}
                _ => return Err(DirectiveError::Unknown { line, text }),
            }
        }
        Ok(directives)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_before_the_first_statement() {
        let sql = "-- a comment\n-- schema:no-transaction\n\n--schema:foreign-keys=off\nCREATE INDEX CONCURRENTLY i ON t (a);\n";
        assert_eq!(
            Directives::parse(sql).unwrap(),
            Directives {
                no_transaction: true,
                foreign_keys_off: true
            }
        );
        assert_eq!(
            Directives::parse("SELECT 1;").unwrap(),
            Directives::default()
        );
    }

    #[test]
    fn rejects_unknown_and_misplaced_directives() {
        let unknown = Directives::parse("-- schema:no-transactions\nSELECT 1;").unwrap_err();
        assert!(matches!(unknown, DirectiveError::Unknown { line: 1, .. }));
        assert!(unknown.to_string().contains("schema:no-transaction`"));
        let late = Directives::parse("SELECT 1;\n-- schema:no-transaction\n").unwrap_err();
        assert!(matches!(
            late,
            DirectiveError::AfterStatement { line: 2, .. }
        ));
    }

    #[test]
    fn accept_lines_are_read_and_do_not_change_how_the_file_runs() {
        let sql = "-- schema:no-transaction\n-- schema:accept drop column users.legacy -- moved to audit\n-- schema:accept drop table old\nDROP TABLE old;\n-- schema:accept not a header line\n";
        assert_eq!(
            accepted(sql),
            ["drop column users.legacy", "drop table old"]
        );
        let parsed = Directives::parse("-- schema:accept drop table old\nDROP TABLE old;\n");
        assert_eq!(parsed, Ok(Directives::default()));
    }

    #[test]
    fn ordinary_comments_mentioning_schema_are_not_directives() {
        let sql = "-- this schema: is fine\nSELECT 1; -- schema:whatever in a trailing comment\n";
        assert_eq!(Directives::parse(sql).unwrap(), Directives::default());
    }
}
