//! Splits a migration file into statements.
//!
//! The runner executes statement by statement: that lets it name the statement that failed and
//! run `-- schema:no-transaction` files one statement at a time (PostgreSQL runs a
//! multi-statement simple query in an implicit transaction, which `CREATE INDEX CONCURRENTLY`
//! refuses). The splitter knows enough SQL lexing for migration files: quoted strings and
//! identifiers, `E'...'` and MySQL backslash escapes, `--`, `#` (MySQL) and nested `/* */`
//! comments, PostgreSQL dollar quoting, and `BEGIN ... END` / `CASE ... END` bodies of
//! triggers and routines. It does not understand the `mysql` client's `DELIMITER` command.

use crate::Dialect;

/// One statement of a file: its text (without the trailing `;` or leading comments) and the
/// 1-based line on which it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement<'a> {
    pub sql: &'a str,
    pub line: usize,
}

/// The statements of `sql` in order; empty statements (only comments or whitespace) are skipped.
pub fn split_statements(sql: &str, dialect: Dialect) -> Vec<Statement<'_>> {
    Splitter::new(sql, dialect).run()
}

struct Splitter<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    dialect: Dialect,
    pos: usize,
    /// Start of the current statement's first token, if it has one yet.
    start: Option<usize>,
    words_in_statement: usize,
    /// Open `BEGIN`/`CASE` blocks in the current statement.
    depth: usize,
    out: Vec<Statement<'a>>,
}

impl<'a> Splitter<'a> {
    fn new(sql: &'a str, dialect: Dialect) -> Self {
        Splitter {
            sql,
            bytes: sql.as_bytes(),
            dialect,
            pos: 0,
            start: None,
            words_in_statement: 0,
            depth: 0,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Statement<'a>> {
        while self.pos < self.bytes.len() {
            let byte = self.bytes[self.pos];
            match byte {
                b'-' if self.peek(1) == Some(b'-') => self.skip_line_comment(),
                b'#' if self.dialect == Dialect::Mysql => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment(),
                b';' if self.depth == 0 => {
                    self.finish(self.pos);
                    self.pos += 1;
                }
                b'\'' => {
                    self.mark_content();
                    let backslash = self.dialect == Dialect::Mysql || self.is_escape_string();
                    self.skip_quoted(b'\'', backslash);
                }
                b'"' => {
                    self.mark_content();
                    self.skip_quoted(b'"', self.dialect == Dialect::Mysql);
                }
                b'`' if self.dialect == Dialect::Mysql => {
                    self.mark_content();
                    self.skip_quoted(b'`', false);
                }
                b'[' if self.dialect == Dialect::Sqlite => {
                    self.mark_content();
                    self.skip_until(b"]");
                }
                b'$' if self.dialect == Dialect::Postgres && !self.follows_word_char() => {
                    self.mark_content();
                    self.skip_dollar_quoted();
                }
                _ if is_word_start(byte) => {
                    self.mark_content();
                    self.word();
                }
                _ if byte.is_ascii_whitespace() => self.pos += 1,
                _ => {
                    self.mark_content();
                    self.pos += 1;
                }
            }
        }
        self.finish(self.bytes.len());
        self.out
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn mark_content(&mut self) {
        if self.start.is_none() {
            self.start = Some(self.pos);
        }
    }

    fn finish(&mut self, end: usize) {
        if let Some(start) = self.start.take() {
            let text = self.sql[start..end].trim_end();
            let line = 1 + self.bytes[..start].iter().filter(|&&b| b == b'\n').count();
            self.out.push(Statement { sql: text, line });
        }
        self.words_in_statement = 0;
        self.depth = 0;
    }

    fn skip_line_comment(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    /// PostgreSQL nests block comments; MySQL and SQLite end at the first `*/`.
    fn skip_block_comment(&mut self) {
        let nests = self.dialect == Dialect::Postgres;
        let mut level = 0usize;
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos] == b'/' && self.peek(1) == Some(b'*') {
                if level == 0 || nests {
                    level += 1;
                }
                self.pos += 2;
            } else if self.bytes[self.pos] == b'*' && self.peek(1) == Some(b'/') {
                level -= 1;
                self.pos += 2;
                if level == 0 {
                    return;
                }
            } else {
                self.pos += 1;
            }
        }
    }

    /// Skips a quoted string or identifier; a doubled quote is an escaped quote.
    fn skip_quoted(&mut self, quote: u8, backslash_escapes: bool) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            let byte = self.bytes[self.pos];
            if backslash_escapes && byte == b'\\' {
                self.pos += 2;
            } else if byte == quote {
                if self.peek(1) == Some(quote) {
                    self.pos += 2;
                } else {
                    self.pos += 1;
                    return;
                }
            } else {
                self.pos += 1;
            }
        }
    }

    fn skip_until(&mut self, end: &[u8]) {
        self.pos += 1;
        match find(&self.bytes[self.pos..], end) {
            Some(offset) => self.pos += offset + end.len(),
            None => self.pos = self.bytes.len(),
        }
    }

    /// `$$...$$` or `$tag$...$tag$`; a `$` that does not open such a quote (`$1`) is content.
    fn skip_dollar_quoted(&mut self) {
        let tag_start = self.pos + 1;
        let mut tag_end = tag_start;
        while tag_end < self.bytes.len() && is_word_byte(self.bytes[tag_end]) {
            tag_end += 1;
        }
        let valid_tag = tag_end == tag_start || !self.bytes[tag_start].is_ascii_digit();
        if tag_end >= self.bytes.len() || self.bytes[tag_end] != b'$' || !valid_tag {
            self.pos += 1;
            return;
        }
        let delimiter = &self.bytes[self.pos..=tag_end];
        self.pos = tag_end + 1;
        match find(&self.bytes[self.pos..], delimiter) {
            Some(offset) => self.pos += offset + delimiter.len(),
            None => self.pos = self.bytes.len(),
        }
    }

    /// `E'...'` on PostgreSQL takes backslash escapes.
    fn is_escape_string(&self) -> bool {
        self.dialect == Dialect::Postgres
            && self.pos >= 1
            && matches!(self.bytes[self.pos - 1], b'e' | b'E')
            && (self.pos < 2 || !is_word_byte(self.bytes[self.pos - 2]))
    }

    fn follows_word_char(&self) -> bool {
        self.pos > 0 && is_word_byte(self.bytes[self.pos - 1])
    }

    fn read_word_at(&self, at: usize) -> (usize, usize) {
        let mut end = at;
        while end < self.bytes.len() && is_word_byte(self.bytes[end]) {
            end += 1;
        }
        (at, end)
    }

    /// The span of the word after `at`, skipping whitespace, if a word comes next.
    fn next_word_after(&self, at: usize) -> Option<(usize, usize)> {
        let mut pos = at;
        while pos < self.bytes.len() && self.bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        (pos < self.bytes.len() && is_word_start(self.bytes[pos])).then(|| self.read_word_at(pos))
    }

    /// Tracks `BEGIN`/`CASE` ... `END` blocks, inside which `;` does not end the statement.
    /// A `BEGIN` or `END` that starts a statement is a transaction command, not a block.
    fn word(&mut self) {
        let (start, end) = self.read_word_at(self.pos);
        let word = &self.sql[start..end];
        let first = self.words_in_statement == 0;
        self.words_in_statement += 1;
        self.pos = end;
        if first {
            return;
        }
        if word.eq_ignore_ascii_case("BEGIN") || word.eq_ignore_ascii_case("CASE") {
            self.depth += 1;
        } else if word.eq_ignore_ascii_case("END") {
            let next = self.next_word_after(end);
            let next_is = |keywords: &[&str]| {
                next.is_some_and(|(s, e)| {
                    keywords
                        .iter()
                        .any(|k| self.sql[s..e].eq_ignore_ascii_case(k))
                })
            };
            if next_is(&["CASE"]) {
                // `END CASE` closes the CASE counted when it opened; skip that second `CASE` so
                // it does not count as a new block.
                if let Some((_, case_end)) = next {
                    self.pos = case_end;
                }
                self.depth = self.depth.saturating_sub(1);
            } else if !next_is(&["IF", "LOOP", "WHILE", "REPEAT", "FOR"]) {
                // `END IF` and friends close blocks whose openers are not counted.
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }
}

fn is_word_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str, dialect: Dialect) -> Vec<&str> {
        split_statements(sql, dialect)
            .into_iter()
            .map(|s| s.sql)
            .collect()
    }

    #[test]
    fn splits_on_semicolons_and_reports_lines() {
        let sql = "-- schema:no-transaction\nCREATE TABLE a (id int);\n\nCREATE TABLE b (id int)";
        let statements = split_statements(sql, Dialect::Postgres);
        assert_eq!(
            statements,
            vec![
                Statement {
                    sql: "CREATE TABLE a (id int)",
                    line: 2
                },
                Statement {
                    sql: "CREATE TABLE b (id int)",
                    line: 4
                },
            ]
        );
    }

    #[test]
    fn semicolons_in_strings_identifiers_and_comments_do_not_split() {
        let sql = "INSERT INTO t VALUES ('a;b', 'it''s;');\n\
                   -- comment; here\n\
                   /* block; /* nested; */ still; */ SELECT \"we;ird\" FROM t;";
        assert_eq!(
            texts(sql, Dialect::Postgres),
            vec![
                "INSERT INTO t VALUES ('a;b', 'it''s;')",
                "SELECT \"we;ird\" FROM t"
            ]
        );
    }

    #[test]
    fn dollar_quoted_bodies_stay_whole() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.a := 1; RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT $1;";
        let statements = texts(sql, Dialect::Postgres);
        assert_eq!(statements.len(), 3, "{statements:#?}");
        assert!(statements[0].ends_with("LANGUAGE plpgsql"));
        assert_eq!(statements[1], "DO $$ BEGIN PERFORM 1; END $$");
        assert_eq!(statements[2], "SELECT $1");
    }

    #[test]
    fn escape_strings_take_backslashes_on_postgres_only_with_e_prefix() {
        assert_eq!(
            texts(
                r"SELECT E'a\';b'; SELECT 'c:\'; SELECT 2;",
                Dialect::Postgres
            ),
            vec![r"SELECT E'a\';b'", r"SELECT 'c:\'", "SELECT 2"]
        );
        assert_eq!(
            texts(r"SELECT 'a\';b'; SELECT `x;y` # c;", Dialect::Mysql),
            vec![r"SELECT 'a\';b'", "SELECT `x;y` # c;"]
        );
    }

    #[test]
    fn trigger_bodies_with_case_stay_whole() {
        let sql = "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  UPDATE t SET a = CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  DELETE FROM u;\nEND;\nCREATE TABLE x (id integer);";
        let statements = texts(sql, Dialect::Sqlite);
        assert_eq!(statements.len(), 2, "{statements:#?}");
        assert!(statements[0].ends_with("END"));
    }

    #[test]
    fn mysql_routine_bodies_with_end_if_stay_whole() {
        let sql = "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; SELECT 3; END; SELECT 4;";
        let statements = texts(sql, Dialect::Mysql);
        assert_eq!(statements.len(), 2, "{statements:#?}");
        assert_eq!(statements[1], "SELECT 4");
    }

    #[test]
    fn transaction_commands_are_ordinary_statements() {
        assert_eq!(
            texts("BEGIN; SELECT 1; END;", Dialect::Postgres),
            vec!["BEGIN", "SELECT 1", "END"]
        );
    }

    #[test]
    fn comment_only_files_have_no_statements() {
        assert!(texts("-- nothing\n/* here */\n;;\n", Dialect::Sqlite).is_empty());
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        /// Statement pieces that hide a `;` (or a block keyword) from a naive splitter.
        fn piece() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![
                "SELECT 1",
                "SELECT 'a;b'",
                "SELECT 'it''s; fine'",
                "SELECT \"odd;name\" FROM t",
                "SELECT $$ x; y $$",
                "SELECT $tag$ ; $$ ; $tag$",
                "SELECT 1 /* ; */ + 2",
                "SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
            ])
        }

        proptest! {
            #[test]
            fn joined_statements_split_back_into_the_same_statements(
                pieces in prop::collection::vec(piece(), 1..8),
                separators in prop::collection::vec(prop::sample::select(vec![";\n", " ; ", ";\n-- note; here\n", ";\n\n/* gap; */\n"]), 8),
            ) {
                let mut sql = String::new();
                for (piece, separator) in pieces.iter().zip(&separators) {
                    sql.push_str(piece);
                    sql.push_str(separator);
                }
                let split: Vec<&str> = split_statements(&sql, Dialect::Postgres).into_iter().map(|s| s.sql).collect();
                prop_assert_eq!(split, pieces);
            }
        }
    }
}
