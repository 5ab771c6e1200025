//! Tokens of a SQL expression.

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Quoted(String),
    Str(String),
    Num(String),
    Op(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Cast,
}

pub(super) fn tokenize(sql: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let (s, next) = read_quoted(&chars, i, '\'')?;
            toks.push(Tok::Str(s));
            i = next;
        } else if c == '"' || c == '`' {
            let (s, next) = read_quoted(&chars, i, c)?;
            toks.push(Tok::Quoted(s));
            i = next;
        } else if c == '['
            && chars.get(i + 1) != Some(&']')
            && !matches!(toks.last(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("array"))
        {
            // SQLite's `[name]` identifier quoting.
            let end = chars[i + 1..].iter().position(|&ch| ch == ']')? + i + 1;
            toks.push(Tok::Quoted(chars[i + 1..end].iter().collect()));
            i = end + 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                i += 1;
                if i < chars.len() && (chars[i] == '+' || chars[i] == '-') {
                    i += 1;
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            toks.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            toks.push(Tok::Word(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let tok = match two.as_str() {
                "::" => Some(Tok::Cast),
                "<>" | "!=" | "<=" | ">=" | "||" | "==" => Some(Tok::Op(two.clone())),
                _ => None,
            };
            if let Some(tok) = tok {
                toks.push(tok);
                i += 2;
                continue;
            }
            toks.push(match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                ',' => Tok::Comma,
                '.' => Tok::Dot,
                '=' | '<' | '>' | '+' | '-' | '*' | '/' | '%' => Tok::Op(c.to_string()),
                _ => return None,
            });
            i += 1;
        }
    }
    Some(toks)
}

/// Reads a `q`-quoted token starting at `start` (doubled quotes escape); returns its content and
/// the index after the closing quote.
pub(super) fn read_quoted(chars: &[char], start: usize, q: char) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        let c = *chars.get(i)?;
        if c == q {
            if chars.get(i + 1) == Some(&q) {
                s.push(q);
                i += 2;
                continue;
            }
            return Some((s, i + 1));
        }
        s.push(c);
        i += 1;
    }
}
