//! The canonical text of a SQL expression (a check, a partial-index predicate, a default), so an
//! expression as declared and the same expression as a database prints it back compare equal.
//!
//! Databases do not echo expressions as written: PostgreSQL parenthesizes every operator
//! (`CHECK ((age >= 0))`), casts literals (`'member'::user_role`, `'-1'::integer`) and turns
//! `x IN ('a', 'b')` into `x = ANY (ARRAY['a'::text, 'b'::text])`; MySQL quotes identifiers with
//! backticks. [`canonical_expr`] parses the expression and prints it one way: minimal
//! parentheses, casts of literals dropped, `= ANY (ARRAY[...])` as `IN (...)`, keywords upper
//! case, functions and unquoted identifiers lower case, identifiers quoted only when they must
//! be. Text it cannot parse is returned with whitespace collapsed.

use crate::dialect::Dialect;

/// The canonical form of `sql` (see the module documentation).
pub fn canonical_expr(sql: &str, dialect: Dialect) -> String {
    match parse(sql) {
        Some(expr) => print(&function_aliases(simplify(expr), dialect), dialect),
        None => collapse_whitespace(sql),
    }
}

/// `sql` with the column `from` renamed to `to`, in canonical form: what PostgreSQL and SQLite
/// do to checks and index predicates on `ALTER TABLE .. RENAME COLUMN`. Text that does not
/// parse is returned unchanged.
pub fn rename_column(sql: &str, from: &str, to: &str, dialect: Dialect) -> String {
    rename_columns(sql, |c| (c == from).then(|| to.to_string()), dialect)
}

/// `sql` with every unqualified column `c` for which `new_name(c)` is `Some` renamed at once
/// (so swapping two names works), in canonical form. Text that does not parse is returned
/// unchanged.
pub fn rename_columns(
    sql: &str,
    new_name: impl Fn(&str) -> Option<String>,
    dialect: Dialect,
) -> String {
    match parse(sql) {
        Some(expr) => print(&rename_idents(simplify(expr), &new_name), dialect),
        None => sql.to_string(),
    }
}

fn rename_idents(e: Expr, new_name: &dyn Fn(&str) -> Option<String>) -> Expr {
    match e {
        Expr::Ident(parts) if parts.len() == 1 => match new_name(&parts[0]) {
            Some(renamed) => Expr::Ident(vec![renamed]),
            None => Expr::Ident(parts),
        },
        other => map_children(other, &|child| rename_idents(child, new_name)),
    }
}

/// `e` with `f` applied to each of its direct sub-expressions.
fn map_children(e: Expr, f: &dyn Fn(Expr) -> Expr) -> Expr {
    use Expr::*;
    let b = |e: Box<Expr>| Box::new(f(*e));
    let all = |items: Vec<Expr>| items.into_iter().map(f).collect();
    match e {
        Func(name, args) => Func(name, all(args)),
        Array(items) => Array(all(items)),
        Cast(inner, ty) => Cast(b(inner), ty),
        Unary(op, inner) => Unary(op, b(inner)),
        Binary(op, l, r) => Binary(op, b(l), b(r)),
        Logic(op, items) => Logic(op, all(items)),
        IsNull(inner, neg) => IsNull(b(inner), neg),
        In(l, items, neg) => In(b(l), all(items), neg),
        AnyArray(l, op, array) => AnyArray(b(l), op, b(array)),
        Between(x, lo, hi, neg) => Between(b(x), b(lo), b(hi), neg),
        Like(l, op, r, neg) => Like(b(l), op, b(r), neg),
        leaf => leaf,
    }
}

/// MariaDB stores `length(x)` (bytes there) as `octet_length(x)`: fold it back.
fn function_aliases(e: Expr, dialect: Dialect) -> Expr {
    if dialect != Dialect::Mysql {
        return e;
    }
    rename_functions(e, &|name| (name == "octet_length").then_some("length"))
}

fn rename_functions(e: Expr, alias: &dyn Fn(&str) -> Option<&'static str>) -> Expr {
    match map_children(e, &|child| rename_functions(child, alias)) {
        Expr::Func(name, args) => Expr::Func(alias(&name).map_or(name, str::to_string), args),
        other => other,
    }
}

fn collapse_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
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

fn tokenize(sql: &str) -> Option<Vec<Tok>> {
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
fn read_quoted(chars: &[char], start: usize, q: char) -> Option<(String, usize)> {
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

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Num(String),
    Str(String),
    Keyword(String),
    Ident(Vec<String>),
    Func(String, Vec<Expr>),
    Star,
    Array(Vec<Expr>),
    Cast(Box<Expr>, String),
    Unary(&'static str, Box<Expr>),
    Binary(String, Box<Expr>, Box<Expr>),
    /// `AND`/`OR` with all their operands (flattened).
    Logic(&'static str, Vec<Expr>),
    IsNull(Box<Expr>, bool),
    In(Box<Expr>, Vec<Expr>, bool),
    AnyArray(Box<Expr>, String, Box<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>, bool),
    Like(Box<Expr>, String, Box<Expr>, bool),
}

const KEYWORD_VALUES: &[&str] = &["null", "true", "false"];

/// Niladic time functions, written without parentheses.
const TIME_KEYWORDS: &[&str] = &[
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
];

/// Words that cannot be printed as unquoted identifiers.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "between",
    "case",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "default",
    "desc",
    "distinct",
    "else",
    "end",
    "false",
    "for",
    "foreign",
    "from",
    "group",
    "in",
    "index",
    "is",
    "key",
    "like",
    "limit",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "primary",
    "references",
    "select",
    "table",
    "then",
    "to",
    "true",
    "type",
    "union",
    "unique",
    "user",
    "using",
    "when",
    "where",
    "with",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "ilike",
    "glob",
];

fn parse(sql: &str) -> Option<Expr> {
    let toks = tokenize(sql)?;
    let mut p = Parser { toks, pos: 0 };
    let e = p.expr(0)?;
    (p.pos == p.toks.len()).then_some(e)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

// Binding powers, low to high.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const CONCAT: u8 = 5;
const ADD: u8 = 6;
const MUL: u8 = 7;
const UNARY: u8 = 8;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self, offset: usize) -> Option<String> {
        match self.toks.get(self.pos + offset) {
            Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.peek_word(0).as_deref() == Some(word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self, min: u8) -> Option<Expr> {
        let mut lhs = self.prefix()?;
        loop {
            let word = self.peek_word(0);
            let (power, op): (u8, String) = match (self.peek(), word.as_deref()) {
                (_, Some("or")) => (OR, "OR".into()),
                (_, Some("and")) => (AND, "AND".into()),
                (_, Some("is" | "in" | "between" | "like" | "ilike" | "glob" | "not")) => {
                    (CMP, word.clone()?)
                }
                (Some(Tok::Op(o)), _) => match o.as_str() {
                    "=" | "==" | "<>" | "!=" | "<" | ">" | "<=" | ">=" => (CMP, o.clone()),
                    "||" => (CONCAT, o.clone()),
                    "+" | "-" => (ADD, o.clone()),
                    _ => (MUL, o.clone()),
                },
                _ => return Some(lhs),
            };
            if power <= min {
                return Some(lhs);
            }
            self.pos += 1;
            lhs = match op.as_str() {
                "OR" | "AND" => {
                    let rhs = self.expr(power)?;
                    let name = if op == "OR" { "OR" } else { "AND" };
                    let mut items = match lhs {
                        Expr::Logic(n, items) if n == name => items,
                        other => vec![other],
                    };
                    items.push(rhs);
                    Expr::Logic(name, items)
                }
                "is" => {
                    let negated = self.eat_word("not");
                    if !self.eat_word("null") {
                        return None;
                    }
                    Expr::IsNull(Box::new(lhs), negated)
                }
                "not" => {
                    let next = self.peek_word(0)?;
                    self.pos += 1;
                    self.postfix_comparison(lhs, &next, true)?
                }
                "in" | "between" | "like" | "ilike" | "glob" => {
                    self.postfix_comparison(lhs, &op, false)?
                }
                _ => {
                    if power == CMP
                        && (self.peek_word(0).as_deref() == Some("any")
                            || self.peek_word(0).as_deref() == Some("all"))
                    {
                        let quantifier = self.peek_word(0)?;
                        self.pos += 1;
                        if !self.eat(&Tok::LParen) {
                            return None;
                        }
                        let array = self.expr(0)?;
                        if !self.eat(&Tok::RParen) {
                            return None;
                        }
                        Expr::AnyArray(
                            Box::new(lhs),
                            format!("{op} {}", quantifier.to_uppercase()),
                            Box::new(array),
                        )
                    } else {
                        let rhs = self.expr(power)?;
                        let op = if op == "!=" {
                            "<>".to_string()
                        } else if op == "==" {
                            "=".into()
                        } else {
                            op
                        };
                        Expr::Binary(op, Box::new(lhs), Box::new(rhs))
                    }
                }
            };
        }
    }

    fn postfix_comparison(&mut self, lhs: Expr, op: &str, negated: bool) -> Option<Expr> {
        match op {
            "in" => {
                if !self.eat(&Tok::LParen) {
                    return None;
                }
                let items = self.list(Tok::RParen)?;
                Some(Expr::In(Box::new(lhs), items, negated))
            }
            "between" => {
                let low = self.expr(CMP)?;
                if !self.eat_word("and") {
                    return None;
                }
                let high = self.expr(CMP)?;
                Some(Expr::Between(
                    Box::new(lhs),
                    Box::new(low),
                    Box::new(high),
                    negated,
                ))
            }
            "like" | "ilike" | "glob" => {
                let rhs = self.expr(CMP)?;
                Some(Expr::Like(
                    Box::new(lhs),
                    op.to_uppercase(),
                    Box::new(rhs),
                    negated,
                ))
            }
            _ => None,
        }
    }

    /// Comma-separated expressions up to `close` (consumed).
    fn list(&mut self, close: Tok) -> Option<Vec<Expr>> {
        let mut items = Vec::new();
        if self.eat(&close) {
            return Some(items);
        }
        loop {
            items.push(self.expr(0)?);
            if self.eat(&close) {
                return Some(items);
            }
            if !self.eat(&Tok::Comma) {
                return None;
            }
        }
    }

    fn prefix(&mut self) -> Option<Expr> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        let base = match tok {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Op(o) if o == "-" || o == "+" => {
                let inner = self.expr(UNARY)?;
                match (o.as_str(), inner) {
                    ("-", Expr::Num(n)) => Expr::Num(format!("-{n}")),
                    ("+", inner) => inner,
                    (_, inner) => Expr::Unary("-", Box::new(inner)),
                }
            }
            Tok::Op(o) if o == "*" => Expr::Star,
            Tok::LParen => {
                let inner = self.expr(0)?;
                if !self.eat(&Tok::RParen) {
                    return None;
                }
                inner
            }
            Tok::Quoted(name) => self.qualified(name)?,
            Tok::Word(w) => {
                let lower = w.to_ascii_lowercase();
                if lower == "not" {
                    Expr::Unary("NOT", Box::new(self.expr(NOT)?))
                } else if lower == "array" && self.eat(&Tok::LBracket) {
                    Expr::Array(self.list(Tok::RBracket)?)
                } else if self.peek() == Some(&Tok::LParen) {
                    self.pos += 1;
                    self.eat_word("distinct");
                    Expr::Func(lower, self.list(Tok::RParen)?)
                } else if KEYWORD_VALUES.contains(&lower.as_str())
                    || TIME_KEYWORDS.contains(&lower.as_str())
                {
                    Expr::Keyword(lower)
                } else if matches!(lower.as_str(), "case" | "select" | "exists" | "collate") {
                    return None;
                } else {
                    self.qualified(lower)?
                }
            }
            _ => return None,
        };
        self.casts(base)
    }

    fn qualified(&mut self, first: String) -> Option<Expr> {
        let mut parts = vec![first];
        while self.eat(&Tok::Dot) {
            match self.peek()?.clone() {
                Tok::Word(w) => parts.push(w.to_ascii_lowercase()),
                Tok::Quoted(q) => parts.push(q),
                _ => return None,
            }
            self.pos += 1;
        }
        Some(Expr::Ident(parts))
    }

    fn casts(&mut self, mut e: Expr) -> Option<Expr> {
        while self.eat(&Tok::Cast) {
            let mut ty = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                ty.push(w.to_ascii_lowercase());
                self.pos += 1;
            }
            if ty.is_empty() {
                if let Some(Tok::Quoted(q)) = self.peek() {
                    ty.push(format!("\"{q}\""));
                    self.pos += 1;
                } else {
                    return None;
                }
            }
            let mut ty = ty.join(" ");
            if self.eat(&Tok::LParen) {
                let mut args = Vec::new();
                while let Some(Tok::Num(n)) = self.peek() {
                    args.push(n.clone());
                    self.pos += 1;
                    self.eat(&Tok::Comma);
                }
                if !self.eat(&Tok::RParen) {
                    return None;
                }
                ty = format!("{ty}({})", args.join(","));
            }
            while self.eat(&Tok::LBracket) {
                if !self.eat(&Tok::RBracket) {
                    return None;
                }
                ty.push_str("[]");
            }
            e = Expr::Cast(Box::new(e), ty);
        }
        Some(e)
    }
}

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Keyword(_) => true,
        Expr::Array(items) => items.iter().all(is_literal),
        _ => false,
    }
}

fn is_text_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "text" | "varchar" | "character varying" | "char" | "character" | "bpchar" | "text[]"
    ) || ty.ends_with("varying[]")
}

fn is_numeric_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty);
    matches!(
        base,
        "integer"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "smallint"
            | "bigint"
            | "numeric"
            | "decimal"
            | "real"
            | "double precision"
            | "float4"
            | "float8"
    )
}

/// Drops what a database adds: casts of literals (and the text casts PostgreSQL puts on
/// columns compared with text), and rewrites `x = ANY (ARRAY[...])` as `x IN (...)`.
fn simplify(e: Expr) -> Expr {
    use Expr::*;
    let b = |e: Box<Expr>| Box::new(simplify(*e));
    match e {
        Cast(inner, ty) => {
            let inner = simplify(*inner);
            match inner {
                Str(s) if is_numeric_type(&ty) && s.trim().parse::<f64>().is_ok() => {
                    Num(s.trim().to_string())
                }
                lit if is_literal(&lit) => lit,
                Ident(parts) if is_text_type(&ty) => Ident(parts),
                other => Cast(Box::new(other), ty),
            }
        }
        Num(n) => Num(canonical_number(&n)),
        // MariaDB prints `CURRENT_TIMESTAMP` as `current_timestamp()`.
        Func(name, args) if args.is_empty() && TIME_KEYWORDS.contains(&name.as_str()) => {
            Keyword(name)
        }
        Func(name, args) => Func(name, args.into_iter().map(simplify).collect()),
        Array(items) => Array(items.into_iter().map(simplify).collect()),
        Unary(op, inner) => Unary(op, b(inner)),
        Binary(op, l, r) => Binary(op, b(l), b(r)),
        Logic(op, items) => {
            let mut flat = Vec::new();
            for item in items.into_iter().map(simplify) {
                match item {
                    Logic(inner, sub) if inner == op => flat.extend(sub),
                    other => flat.push(other),
                }
            }
            Logic(op, flat)
        }
        IsNull(inner, neg) => IsNull(b(inner), neg),
        In(l, items, neg) => In(b(l), items.into_iter().map(simplify).collect(), neg),
        AnyArray(l, op, array) => match (op.as_str(), simplify(*array)) {
            ("= ANY", Array(items)) => In(b(l), items, false),
            ("<> ALL", Array(items)) => In(b(l), items, true),
            (_, array) => AnyArray(b(l), op, Box::new(array)),
        },
        // PostgreSQL stores `x BETWEEN a AND b` as `x >= a AND x <= b`.
        Between(x, lo, hi, neg) => {
            let (x, lo, hi) = (simplify(*x), simplify(*lo), simplify(*hi));
            let (low_op, high_op, join) = if neg {
                ("<", ">", "OR")
            } else {
                (">=", "<=", "AND")
            };
            Logic(
                join,
                vec![
                    Binary(low_op.into(), Box::new(x.clone()), Box::new(lo)),
                    Binary(high_op.into(), Box::new(x), Box::new(hi)),
                ],
            )
        }
        Like(l, op, r, neg) => Like(b(l), op, b(r), neg),
        other => other,
    }
}

/// `1.50` -> `1.5`, `2.0` -> `2`: PostgreSQL prints a float default without the zeros written.
fn canonical_number(n: &str) -> String {
    if n.contains('.') && !n.contains(['e', 'E']) {
        let trimmed = n.trim_end_matches('0').trim_end_matches('.');
        if trimmed.is_empty() || trimmed == "-" {
            return "0".into();
        }
        return trimmed.to_string();
    }
    n.to_string()
}

fn power_of(e: &Expr) -> u8 {
    match e {
        Expr::Logic("OR", _) => OR,
        Expr::Logic(_, _) => AND,
        Expr::Unary("NOT", _) => NOT,
        Expr::IsNull(..)
        | Expr::In(..)
        | Expr::AnyArray(..)
        | Expr::Between(..)
        | Expr::Like(..) => CMP,
        Expr::Binary(op, _, _) => match op.as_str() {
            "||" => CONCAT,
            "+" | "-" => ADD,
            "*" | "/" | "%" => MUL,
            _ => CMP,
        },
        Expr::Unary(..) => UNARY,
        _ => u8::MAX,
    }
}

fn print(e: &Expr, dialect: Dialect) -> String {
    let mut out = String::new();
    write(e, dialect, &mut out);
    out
}

/// Writes `e` as an operand that binds at least as tightly as `min` (`strict`: more tightly).
fn operand(e: &Expr, min: u8, strict: bool, dialect: Dialect, out: &mut String) {
    let p = power_of(e);
    if p < min || (strict && p == min) {
        out.push('(');
        write(e, dialect, out);
        out.push(')');
    } else {
        write(e, dialect, out);
    }
}

fn write(e: &Expr, dialect: Dialect, out: &mut String) {
    use Expr::*;
    match e {
        Num(n) => out.push_str(n),
        Str(s) => out.push_str(&crate::types::quote_literal(s)),
        Keyword(k) if k == "true" || k == "false" => out.push_str(k),
        Keyword(k) => out.push_str(&k.to_uppercase()),
        Ident(parts) => {
            let printed: Vec<String> = parts
                .iter()
                .map(|p| quote_ident_if_needed(p, dialect))
                .collect();
            out.push_str(&printed.join("."));
        }
        Star => out.push('*'),
        Func(name, args) => {
            out.push_str(name);
            out.push('(');
            comma_list(args, dialect, out);
            out.push(')');
        }
        Array(items) => {
            out.push_str("ARRAY[");
            comma_list(items, dialect, out);
            out.push(']');
        }
        Cast(inner, ty) => {
            operand(inner, u8::MAX, false, dialect, out);
            out.push_str("::");
            out.push_str(ty);
        }
        Unary(op, inner) => {
            let p = power_of(e);
            out.push_str(op);
            if *op == "NOT" {
                out.push(' ');
            }
            operand(inner, p, false, dialect, out);
        }
        Binary(op, l, r) => {
            let p = power_of(e);
            operand(l, p, p == CMP, dialect, out);
            out.push(' ');
            out.push_str(op);
            out.push(' ');
            operand(r, p, true, dialect, out);
        }
        Logic(op, items) => {
            let p = power_of(e);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push_str(op);
                    out.push(' ');
                }
                operand(item, p, true, dialect, out);
            }
        }
        IsNull(inner, neg) => {
            operand(inner, CMP, true, dialect, out);
            out.push_str(if *neg { " IS NOT NULL" } else { " IS NULL" });
        }
        In(l, items, neg) => {
            operand(l, CMP, true, dialect, out);
            out.push_str(if *neg { " NOT IN (" } else { " IN (" });
            comma_list(items, dialect, out);
            out.push(')');
        }
        AnyArray(l, op, array) => {
            operand(l, CMP, true, dialect, out);
            out.push(' ');
            out.push_str(op);
            out.push_str(" (");
            write(array, dialect, out);
            out.push(')');
        }
        Between(x, lo, hi, neg) => {
            operand(x, CMP, true, dialect, out);
            out.push_str(if *neg { " NOT BETWEEN " } else { " BETWEEN " });
            operand(lo, CMP, true, dialect, out);
            out.push_str(" AND ");
            operand(hi, CMP, true, dialect, out);
        }
        Like(l, op, r, neg) => {
            operand(l, CMP, true, dialect, out);
            out.push(' ');
            if *neg {
                out.push_str("NOT ");
            }
            out.push_str(op);
            out.push(' ');
            operand(r, CMP, true, dialect, out);
        }
    }
}

fn comma_list(items: &[Expr], dialect: Dialect, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(item, dialect, out);
    }
}

/// An identifier as SQL text: bare when it is a plain lower-case word, quoted otherwise
/// (double quotes; backticks on MySQL).
pub fn quote_ident_if_needed(name: &str, dialect: Dialect) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name);
    if plain {
        return name.to_string();
    }
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn pg(s: &str) -> String {
        canonical_expr(s, Postgres)
    }

    #[test]
    fn postgres_parentheses_and_casts_are_dropped() {
        assert_eq!(pg("((age >= 0))"), "age >= 0");
        assert_eq!(pg("age>=0"), "age >= 0");
        assert_eq!(pg("((a > 0) AND (b > 0))"), "a > 0 AND b > 0");
        assert_eq!(pg("(a > 0 or b > 0) and c"), "(a > 0 OR b > 0) AND c");
        assert_eq!(pg("'member'::user_role"), "'member'");
        assert_eq!(pg("'x'::text"), "'x'");
        assert_eq!(pg("'-1'::integer"), "-1");
        assert_eq!(pg("'5'::text"), "'5'");
        assert_eq!(pg("'{}'::integer[]"), "'{}'");
        assert_eq!(
            pg("'2020-01-01 00:00:00'::timestamp without time zone"),
            "'2020-01-01 00:00:00'"
        );
        assert_eq!(pg("now()"), "now()");
        assert_eq!(pg("NOW( )"), "now()");
        assert_eq!(pg("current_timestamp"), "CURRENT_TIMESTAMP");
        assert_eq!(pg("current_timestamp()"), "CURRENT_TIMESTAMP");
        assert_eq!(pg("1.50"), "1.5");
        assert_eq!(pg("TRUE"), "true");
    }

    #[test]
    fn postgres_any_array_is_in() {
        let want = "role IN ('a', 'b')";
        assert_eq!(pg("(role = ANY (ARRAY['a'::text, 'b'::text]))"), want);
        assert_eq!(pg("((role)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"), want);
        assert_eq!(pg("role in ('a','b')"), want);
        assert_eq!(pg("\"role\" IN ('a', 'b')"), want);
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(pg("\"order\" > 0"), "\"order\" > 0");
        assert_eq!(pg("\"Mixed\" > 0"), "\"Mixed\" > 0");
        assert_eq!(canonical_expr("`order` > 0", Mysql), "`order` > 0");
        assert_eq!(
            canonical_expr("octet_length(`a`) > 0", Mysql),
            "length(a) > 0"
        );
        assert_eq!(canonical_expr("\"price\" > 0", Sqlite), "price > 0");
        assert_eq!(pg("[price] > 0"), "price > 0");
    }

    #[test]
    fn precedence_is_kept() {
        assert_eq!(pg("(a + b) * c"), "(a + b) * c");
        assert_eq!(pg("a + (b * c)"), "a + b * c");
        assert_eq!(pg("a - (b - c)"), "a - (b - c)");
        assert_eq!(pg("NOT (a AND b)"), "NOT (a AND b)");
        assert_eq!(pg("(deleted_at IS NULL)"), "deleted_at IS NULL");
        assert_eq!(pg("x between 1 and 5"), "x >= 1 AND x <= 5");
        assert_eq!(pg("x not between 1 and 5"), "x < 1 OR x > 5");
        assert_eq!(pg("length(name) > 0"), "length(name) > 0");
        assert_eq!(pg("(length(name) > 0)"), "length(name) > 0");
        assert_eq!(pg("name like 'a%'"), "name LIKE 'a%'");
        assert_eq!(pg("a <> b"), pg("a != b"));
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        for s in [
            "((a > 0) AND (b > 0))",
            "(role = ANY (ARRAY['a'::text]))",
            "'-1'::integer",
            "x::date > '2020-01-01'::date",
        ] {
            let once = pg(s);
            assert_eq!(pg(&once), once, "{s}");
        }
    }

    #[test]
    fn renames_columns_inside_expressions() {
        assert_eq!(
            rename_column("a >= 0 AND b < a", "a", "c", Postgres),
            "c >= 0 AND b < c"
        );
        assert_eq!(
            rename_column("a IN ('x', 'y')", "a", "order", Postgres),
            "\"order\" IN ('x', 'y')"
        );
        assert_eq!(
            rename_column("length(a) > 0", "a", "b", Sqlite),
            "length(b) > 0"
        );
        assert_eq!(rename_column("t.a > 0", "a", "b", Sqlite), "t.a > 0");
        assert_eq!(rename_column("a() > 0", "a", "b", Sqlite), "a() > 0");
        let swap = |c: &str| match c {
            "a" => Some("b".to_string()),
            "b" => Some("a".to_string()),
            _ => None,
        };
        assert_eq!(rename_columns("a < b", swap, Postgres), "b < a");
    }

    #[test]
    fn unparsable_text_is_whitespace_collapsed() {
        assert_eq!(pg("CASE  WHEN a THEN 1 END"), "CASE WHEN a THEN 1 END");
    }
}
