//! A SQL expression as a tree: precedence climbing over the tokens.

use super::lex::{tokenize, Tok};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Expr {
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

pub(super) const KEYWORD_VALUES: &[&str] = &["null", "true", "false"];

/// Niladic time functions, written without parentheses.
pub(super) const TIME_KEYWORDS: &[&str] = &[
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
];

pub(super) fn parse(sql: &str) -> Option<Expr> {
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
pub(super) const OR: u8 = 1;
pub(super) const AND: u8 = 2;
pub(super) const NOT: u8 = 3;
pub(super) const CMP: u8 = 4;
pub(super) const CONCAT: u8 = 5;
pub(super) const ADD: u8 = 6;
pub(super) const MUL: u8 = 7;
pub(super) const UNARY: u8 = 8;

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
