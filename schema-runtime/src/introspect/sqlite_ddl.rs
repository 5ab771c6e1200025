//! What SQLite's pragmas do not tell: constraint names, check expressions and `AUTOINCREMENT`,
//! read from the `CREATE TABLE` text SQLite keeps in `sqlite_schema`, and the `WHERE` of a
//! `CREATE INDEX`.

/// A `CREATE TABLE` statement's columns and constraints, as written.
#[derive(Debug, Default, PartialEq)]
pub struct TableDdl {
    pub columns: Vec<ColumnDdl>,
    /// Table-level constraints, in order.
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, PartialEq)]
pub struct ColumnDdl {
    pub name: String,
    pub autoincrement: bool,
    /// Column-level constraints, in order (their column lists name this column).
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, PartialEq)]
pub struct Constraint {
    pub name: Option<String>,
    pub kind: ConstraintKind,
}

#[derive(Debug, PartialEq)]
pub enum ConstraintKind {
    PrimaryKey(Vec<String>),
    Unique(Vec<String>),
    /// The expression between the parentheses, as written.
    Check(String),
    ForeignKey {
        columns: Vec<String>,
        ref_table: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A bare word, lower-cased.
    Word(String),
    /// A quoted identifier or string, unquoted.
    Name(String),
    Open,
    Close,
    Comma,
    Other,
}

/// A token and where it starts and ends in the text.
type Spanned = (Tok, usize, usize);

fn tokenize(sql: &str) -> Vec<Spanned> {
    let bytes = sql.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'`' | b'\'' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                let mut s = Vec::new();
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == close {
                        if close != b']' && bytes.get(i + 1) == Some(&close) {
                            s.push(close);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    s.push(bytes[i]);
                    i += 1;
                }
                i += 1;
                Tok::Name(String::from_utf8_lossy(&s).into_owned())
            }
            b'(' => {
                i += 1;
                Tok::Open
            }
            b')' => {
                i += 1;
                Tok::Close
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                Tok::Word(sql[start..i].to_ascii_lowercase())
            }
            _ => {
                i += 1;
                Tok::Other
            }
        };
        toks.push((tok, start, i.min(sql.len())));
    }
    toks
}

fn is_word(tok: Option<&Spanned>, word: &str) -> bool {
    matches!(tok, Some((Tok::Word(w), _, _)) if w == word)
}

fn name_of(tok: Option<&Spanned>) -> Option<String> {
    match tok {
        Some((Tok::Word(w), _, _)) => Some(w.clone()),
        Some((Tok::Name(n), _, _)) => Some(n.clone()),
        _ => None,
    }
}

/// Index of the token that closes the parenthesis opened at `open`.
fn matching_close(toks: &[Spanned], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, (tok, _, _)) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `toks` at commas outside parentheses.
fn split_top_level(toks: &[Spanned]) -> Vec<&[Spanned]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, (tok, _, _)) in toks.iter().enumerate() {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Comma if depth == 0 => {
                parts.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[start..]);
    parts
}

/// Parses `CREATE TABLE name (...)`; `None` when the text is not one (`CREATE TABLE ... AS
/// SELECT`, a virtual table).
pub fn parse_create_table(sql: &str) -> Option<TableDdl> {
    let toks = tokenize(sql);
    let open = toks.iter().position(|(t, _, _)| *t == Tok::Open)?;
    let close = matching_close(&toks, open)?;
    let mut ddl = TableDdl::default();
    for item in split_top_level(&toks[open + 1..close]) {
        if item.is_empty() {
            continue;
        }
        let starts_constraint = matches!(&item[0].0, Tok::Word(w)
            if matches!(w.as_str(), "constraint" | "primary" | "unique" | "check" | "foreign"));
        if starts_constraint {
            ddl.constraints.extend(constraints(sql, item, None));
        } else {
            let name = name_of(item.first())?;
            let autoincrement = item.iter().any(|t| is_word(Some(t), "autoincrement"));
            let constraints = constraints(sql, &item[1..], Some(&name));
            ddl.columns.push(ColumnDdl {
                name,
                autoincrement,
                constraints,
            });
        }
    }
    Some(ddl)
}

/// The constraints in `toks` (a column definition after its name, or one table constraint).
fn constraints(sql: &str, toks: &[Spanned], column: Option<&str>) -> Vec<Constraint> {
    let mut out = Vec::new();
    let mut pending_name = None;
    let mut i = 0;
    let own_column = || column.map(|c| vec![c.to_string()]).unwrap_or_default();
    while i < toks.len() {
        let word = match &toks[i].0 {
            Tok::Word(w) => w.as_str(),
            Tok::Open => {
                i = matching_close(toks, i).map_or(toks.len(), |c| c + 1);
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        match word {
            "constraint" => {
                pending_name = name_of(toks.get(i + 1));
                i += 2;
            }
            "primary" | "unique" => {
                let is_pk = word == "primary";
                i += if is_pk { 2 } else { 1 };
                let (columns, next) = column_list(toks, i).unwrap_or((own_column(), i));
                i = next;
                let kind = if is_pk {
                    ConstraintKind::PrimaryKey(columns)
                } else {
                    ConstraintKind::Unique(columns)
                };
                out.push(Constraint {
                    name: pending_name.take(),
                    kind,
                });
            }
            "check" => {
                let open = i + 1;
                let Some(close) = toks
                    .get(open)
                    .filter(|t| t.0 == Tok::Open)
                    .and_then(|_| matching_close(toks, open))
                else {
                    i += 1;
                    continue;
                };
                let expr = sql[toks[open].2..toks[close].1].trim().to_string();
                out.push(Constraint {
                    name: pending_name.take(),
                    kind: ConstraintKind::Check(expr),
                });
                i = close + 1;
            }
            "foreign" | "references" => {
                let (columns, next) = if word == "foreign" {
                    column_list(toks, i + 2).unwrap_or((Vec::new(), i + 2))
                } else {
                    (own_column(), i)
                };
                i = next;
                if is_word(toks.get(i), "references") {
                    i += 1;
                }
                let ref_table = name_of(toks.get(i)).unwrap_or_default();
                out.push(Constraint {
                    name: pending_name.take(),
                    kind: ConstraintKind::ForeignKey { columns, ref_table },
                });
                i += 1;
            }
            "not" | "null" | "default" | "collate" | "generated" | "as" => {
                // A name given to one of these constraints names nothing the model keeps.
                pending_name = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// `(a, b DESC, "c")` at `open`: the names and the index after `)`.
fn column_list(toks: &[Spanned], open: usize) -> Option<(Vec<String>, usize)> {
    if toks.get(open)?.0 != Tok::Open {
        return None;
    }
    let close = matching_close(toks, open)?;
    let names = split_top_level(&toks[open + 1..close])
        .into_iter()
        .filter_map(|part| name_of(part.first()))
        .collect();
    Some((names, close + 1))
}

/// The predicate of `CREATE INDEX ... WHERE <predicate>`, as written.
pub fn index_predicate(sql: &str) -> Option<String> {
    let toks = tokenize(sql);
    let mut depth = 0usize;
    for (tok, _, end) in &toks {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Word(w) if w == "where" && depth == 0 => {
                return Some(sql[*end..].trim().to_string())
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_table_constraints() {
        let sql = r#"CREATE TABLE "users" (
            "id" integer NOT NULL CONSTRAINT "users_pkey" PRIMARY KEY AUTOINCREMENT,
            "email" text NOT NULL,
            "role" text NOT NULL DEFAULT 'member' CHECK ("role" IN ('admin', 'member')),
            "org_id" bigint REFERENCES "orgs" ("id") ON DELETE CASCADE,
            CONSTRAINT "users_email_key" UNIQUE ("email"),
            CONSTRAINT "users_age_ok" CHECK (length(email) > (0)),
            CONSTRAINT "users_org_fk" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id")
        )"#;
        let ddl = parse_create_table(sql).unwrap();
        assert_eq!(ddl.columns.len(), 4);
        assert!(ddl.columns[0].autoincrement);
        assert!(!ddl.columns[1].autoincrement);
        assert_eq!(
            ddl.columns[0].constraints,
            vec![Constraint {
                name: Some("users_pkey".into()),
                kind: ConstraintKind::PrimaryKey(vec!["id".into()])
            }]
        );
        assert_eq!(
            ddl.columns[2].constraints,
            vec![Constraint {
                name: None,
                kind: ConstraintKind::Check("\"role\" IN ('admin', 'member')".into())
            }]
        );
        assert_eq!(
            ddl.columns[3].constraints,
            vec![Constraint {
                name: None,
                kind: ConstraintKind::ForeignKey {
                    columns: vec!["org_id".into()],
                    ref_table: "orgs".into()
                }
            }]
        );
        assert_eq!(
            ddl.constraints,
            vec![
                Constraint {
                    name: Some("users_email_key".into()),
                    kind: ConstraintKind::Unique(vec!["email".into()])
                },
                Constraint {
                    name: Some("users_age_ok".into()),
                    kind: ConstraintKind::Check("length(email) > (0)".into())
                },
                Constraint {
                    name: Some("users_org_fk".into()),
                    kind: ConstraintKind::ForeignKey {
                        columns: vec!["org_id".into()],
                        ref_table: "orgs".into()
                    }
                },
            ]
        );
    }

    #[test]
    fn composite_primary_key_and_odd_names() {
        let sql =
            "CREATE TABLE [select] (`a,b` int, \"c\"\"d\" int, PRIMARY KEY (`a,b`, \"c\"\"d\"))";
        let ddl = parse_create_table(sql).unwrap();
        assert_eq!(ddl.columns[0].name, "a,b");
        assert_eq!(ddl.columns[1].name, "c\"d");
        assert_eq!(
            ddl.constraints,
            vec![Constraint {
                name: None,
                kind: ConstraintKind::PrimaryKey(vec!["a,b".into(), "c\"d".into()])
            }]
        );
    }

    #[test]
    fn index_predicates() {
        assert_eq!(
            index_predicate("CREATE INDEX \"i\" ON \"t\" (\"a\") WHERE deleted_at IS NULL")
                .as_deref(),
            Some("deleted_at IS NULL")
        );
        assert_eq!(index_predicate("CREATE INDEX i ON t (a)"), None);
    }
}
