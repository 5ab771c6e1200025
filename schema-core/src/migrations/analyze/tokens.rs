//! The tokens of one statement (the splitter has already cut the file): words, quoted names,
//! string literals, numbers and punctuation, each with its place in the text, so an
//! expression can be taken out as the text it was written in.

use crate::Dialect;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A bare word: a keyword or an unquoted name.
    Word,
    /// A quoted name (`"x"`, `` `x` ``, `[x]`), unquoted.
    Quoted,
    /// A string literal, its value.
    Str,
    Number,
    /// Any other character (`(`, `)`, `,`, `.`, `=`, ...); `::` is one.
    Punct,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Kind,
    /// The name, literal value or punctuation; for a word, as written.
    pub text: String,
    /// Byte range in the statement.
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// A word equal to `keyword`, in any case.
    pub fn is(&self, keyword: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }

    /// A name: a quoted one as it is, a bare word folded the way the dialect folds it
    /// (PostgreSQL lower-cases; MySQL and SQLite compare names of columns without case, and
    /// keep them).
    pub fn name(&self, dialect: Dialect) -> Option<String> {
        match self.kind {
            Kind::Quoted => Some(self.text.clone()),
            Kind::Word if dialect == Dialect::Postgres => Some(self.text.to_ascii_lowercase()),
            Kind::Word => Some(self.text.clone()),
            _ => None,
        }
    }
}

/// The tokens of `sql`, comments left out; `None` when a quote or comment is not closed.
pub(super) fn tokenize(sql: &str, dialect: Dialect) -> Option<Vec<Token>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let token = |kind, text: String, end| Token {
            kind,
            text,
            start,
            end,
        };
        match b {
            _ if b.is_ascii_whitespace() => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'#' if dialect == Dialect::Mysql => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = i + 2 + sql[i + 2..].find("*/")? + 2;
            }
            b'\'' => {
                let backslash = dialect == Dialect::Mysql
                    || (i > 0
                        && matches!(bytes[i - 1], b'e' | b'E')
                        && dialect == Dialect::Postgres);
                let (value, end) = quoted(sql, i, b'\'', backslash)?;
                out.push(token(Kind::Str, value, end));
                i = end;
            }
            b'"' => {
                let (value, end) = quoted(sql, i, b'"', dialect == Dialect::Mysql)?;
                let kind = if dialect == Dialect::Mysql {
                    Kind::Str
                } else {
                    Kind::Quoted
                };
                out.push(token(kind, value, end));
                i = end;
            }
            b'`' if dialect != Dialect::Postgres => {
                let (value, end) = quoted(sql, i, b'`', false)?;
                out.push(token(Kind::Quoted, value, end));
                i = end;
            }
            b'[' if dialect == Dialect::Sqlite => {
                let end = i + sql[i..].find(']')? + 1;
                out.push(token(Kind::Quoted, sql[i + 1..end - 1].to_string(), end));
                i = end;
            }
            b'$' if dialect == Dialect::Postgres => {
                // $tag$ ... $tag$ (a function body): one string.
                let tag_end = sql[i + 1..].find('$').map(|n| i + 1 + n)?;
                let tag = &sql[i..=tag_end];
                let body = tag_end + 1;
                let close = body + sql[body..].find(tag)?;
                out.push(token(
                    Kind::Str,
                    sql[body..close].to_string(),
                    close + tag.len(),
                ));
                i = close + tag.len();
            }
            _ if b.is_ascii_digit() => {
                let mut end = i;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'.')
                {
                    end += 1;
                }
                out.push(token(Kind::Number, sql[i..end].to_string(), end));
                i = end;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                let mut end = i;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric()
                        || bytes[end] == b'_'
                        || bytes[end] == b'$'
                        || bytes[end] >= 0x80)
                {
                    end += 1;
                }
                out.push(token(Kind::Word, sql[i..end].to_string(), end));
                i = end;
            }
            b':' if bytes.get(i + 1) == Some(&b':') => {
                out.push(token(Kind::Punct, "::".into(), i + 2));
                i += 2;
            }
            _ => {
                let len = sql[i..].chars().next().map_or(1, char::len_utf8);
                out.push(token(Kind::Punct, sql[i..i + len].to_string(), i + len));
                i += len;
            }
        }
    }
    Some(out)
}

/// The value of the quoted text starting at `start`, and where it ends.
fn quoted(sql: &str, start: usize, quote: u8, backslash: bool) -> Option<(String, usize)> {
    let bytes = sql.as_bytes();
    let mut value = Vec::new();
    let mut i = start + 1;
    loop {
        let b = *bytes.get(i)?;
        if backslash && b == b'\\' {
            value.push(*bytes.get(i + 1)?);
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                value.push(quote);
                i += 2;
            } else {
                return Some((String::from_utf8_lossy(&value).into_owned(), i + 1));
            }
        } else {
            value.push(b);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_literals_and_comments() {
        let tokens = tokenize(
            "ALTER TABLE \"Us\"\"ers\" -- c\n DROP /* x */ COLUMN bio, 'it''s'::text",
            Dialect::Postgres,
        )
        .unwrap();
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["ALTER", "TABLE", "Us\"ers", "DROP", "COLUMN", "bio", ",", "it's", "::", "text"]
        );
        assert_eq!(tokens[2].kind, Kind::Quoted);
        assert_eq!(tokens[7].kind, Kind::Str);
        let mysql = tokenize("MODIFY `c` ENUM('a\\'b') # note", Dialect::Mysql).unwrap();
        assert_eq!(mysql[1].kind, Kind::Quoted);
        assert_eq!(mysql[4].text, "a'b");
        assert!(tokenize("SELECT 'open", Dialect::Sqlite).is_none());
    }
}
