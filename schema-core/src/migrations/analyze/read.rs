//! Reading one statement's tokens into operations. `None` (or an empty list) when the
//! statement is not one of the known shapes.

use super::tokens::{tokenize, Kind, Token};
use super::{ColumnDef, Operation};
use crate::Dialect;

pub(super) fn statement(sql: &str, dialect: Dialect) -> Option<Vec<Operation>> {
    let tokens = tokenize(sql, dialect)?;
    let mut c = Cursor {
        sql,
        tokens: &tokens,
        at: 0,
        dialect,
    };
    if c.eat("CREATE") {
        return c.create();
    }
    if c.eat("DROP") {
        return c.drop();
    }
    if c.eat("ALTER") {
        if c.eat("TABLE") {
            return c.alter_table();
        }
        if c.eat("TYPE") {
            let from = c.name()?;
            c.expect("RENAME")?;
            c.expect("TO")?;
            let to = c.name()?;
            return Some(vec![Operation::RenameType { from, to }]);
        }
        return None;
    }
    if c.eat("RENAME") && c.eat("TABLE") {
        // MySQL: RENAME TABLE a TO b, c TO d
        let mut out = Vec::new();
        loop {
            let from = c.name()?;
            c.expect("TO")?;
            let to = c.name()?;
            out.push(Operation::RenameTable { from, to });
            if !c.eat_punct(",") {
                return Some(out);
            }
        }
    }
    if c.eat("INSERT") {
        return c.insert();
    }
    None
}

struct Cursor<'t> {
    sql: &'t str,
    tokens: &'t [Token],
    at: usize,
    dialect: Dialect,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn peek_is(&self, keyword: &str) -> bool {
        self.peek().is_some_and(|t| t.is(keyword))
    }

    fn peek_at_is(&self, offset: usize, keyword: &str) -> bool {
        self.tokens
            .get(self.at + offset)
            .is_some_and(|t| t.is(keyword))
    }

    fn eat(&mut self, keyword: &str) -> bool {
        let found = self.peek_is(keyword);
        if found {
            self.at += 1;
        }
        found
    }

    fn eat_all(&mut self, keywords: &[&str]) -> bool {
        let all = keywords
            .iter()
            .enumerate()
            .all(|(i, k)| self.peek_at_is(i, k));
        if all {
            self.at += keywords.len();
        }
        all
    }

    fn expect(&mut self, keyword: &str) -> Option<()> {
        self.eat(keyword).then_some(())
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.is_punct(p));
        if found {
            self.at += 1;
        }
        found
    }

    fn done(&self) -> bool {
        self.at >= self.tokens.len()
    }

    /// A possibly qualified name (`schema.table`): its last part.
    fn name(&mut self) -> Option<String> {
        let mut name = self.peek()?.name(self.dialect)?;
        self.at += 1;
        while self.eat_punct(".") {
            name = self.peek()?.name(self.dialect)?;
            self.at += 1;
        }
        Some(name)
    }

    fn skip_if_exists(&mut self) {
        self.eat_all(&["IF", "EXISTS"]);
    }

    /// Skips to the token after the `)` matching the `(` just passed; returns the text
    /// between them.
    fn inside_parens(&mut self) -> Option<String> {
        let open = self.tokens.get(self.at.checked_sub(1)?)?;
        let mut depth = 1;
        while let Some(t) = self.peek() {
            self.at += 1;
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                depth -= 1;
                if depth == 0 {
                    return Some(self.sql[open.end..t.start].trim().to_string());
                }
            }
        }
        None
    }

    /// The text from the current token up to (not including) the first top-level token for
    /// which `stop` holds, or the end; the cursor is left on that token.
    fn text_until(&mut self, stop: impl Fn(&Token) -> bool) -> String {
        let start = self.peek().map(|t| t.start);
        let mut end = start.unwrap_or(0);
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            if depth == 0 && stop(t) {
                break;
            }
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            end = t.end;
            self.at += 1;
        }
        match start {
            Some(start) => self.sql[start..end].trim().to_string(),
            None => String::new(),
        }
    }

    /// `(a, b, c)` of plain names; `None` when an entry is an expression.
    fn name_list(&mut self) -> Option<Vec<String>> {
        if !self.eat_punct("(") {
            return None;
        }
        let mut names = Vec::new();
        loop {
            names.push(self.name()?);
            // `col ASC`, `col(10)` (MySQL prefix) and `col COLLATE x` still name the column.
            while let Some(t) = self.peek() {
                if t.is_punct(",") || t.is_punct(")") {
                    break;
                }
                if t.is_punct("(") {
                    self.at += 1;
                    let inside = self.inside_parens()?;
                    // MySQL's prefix length (`b(10)`); anything else is an expression.
                    if !inside.bytes().all(|b| b.is_ascii_digit()) || inside.is_empty() {
                        return None;
                    }
                } else if t.kind == Kind::Word {
                    self.at += 1;
                } else {
                    return None;
                }
            }
            if self.eat_punct(")") {
                return Some(names);
            }
            if !self.eat_punct(",") {
                return None;
            }
        }
    }

    fn create(&mut self) -> Option<Vec<Operation>> {
        let unique = self.eat("UNIQUE");
        if self.eat("INDEX") {
            if !unique {
                return None;
            }
            self.eat("CONCURRENTLY");
            self.eat_all(&["IF", "NOT", "EXISTS"]);
            if !self.peek_is("ON") {
                self.name()?;
            }
            self.expect("ON")?;
            self.eat("ONLY");
            let table = self.name()?;
            if self.eat("USING") {
                self.at += 1;
            }
            let columns = self.name_list()?;
            // A partial unique index (`WHERE`) constrains only some rows: not judged.
            if self.peek_is("WHERE") {
                return None;
            }
            return Some(vec![Operation::AddUnique { table, columns }]);
        }
        if unique {
            return None;
        }
        if self.eat("TYPE") {
            let name = self.name()?;
            self.expect("AS")?;
            self.expect("ENUM")?;
            if !self.eat_punct("(") {
                return None;
            }
            let mut values = Vec::new();
            while let Some(t) = self.peek() {
                self.at += 1;
                match t.kind {
                    Kind::Str => values.push(t.text.clone()),
                    Kind::Punct if t.text == "," => {}
                    Kind::Punct if t.text == ")" => {
                        return Some(vec![Operation::CreateEnum { name, values }])
                    }
                    _ => return None,
                }
            }
            return None;
        }
        for temp in ["TEMP", "TEMPORARY", "UNLOGGED"] {
            self.eat(temp);
        }
        self.expect("TABLE")?;
        self.eat_all(&["IF", "NOT", "EXISTS"]);
        let table = self.name()?;
        if !self.eat_punct("(") {
            return None;
        }
        let mut columns = Vec::new();
        let mut checks = Vec::new();
        let mut uniques = Vec::new();
        loop {
            if self.eat("CONSTRAINT") {
                self.name()?;
            }
            if self.eat("CHECK") {
                self.eat_punct("(").then_some(())?;
                checks.push(self.inside_parens()?);
            } else if self.eat("UNIQUE") || self.eat_all(&["PRIMARY", "KEY"]) {
                self.eat("KEY");
                self.eat("INDEX");
                if !self.peek().is_some_and(|t| t.is_punct("(")) {
                    self.name()?;
                }
                uniques.push(self.name_list()?);
                self.text_until(|t| t.is_punct(","));
            } else if self.peek_is("FOREIGN")
                || self.peek_is("KEY")
                || self.peek_is("INDEX")
                || self.peek_is("EXCLUDE")
            {
                self.text_until(|t| t.is_punct(","));
            } else {
                let column = self.column_def()?;
                if column.unique {
                    uniques.push(vec![column.name.clone()]);
                }
                columns.push(column);
            }
            if self.eat_punct(")") {
                break;
            }
            if !self.eat_punct(",") {
                return None;
            }
        }
        Some(vec![Operation::CreateTable {
            table,
            columns,
            checks,
            uniques,
        }])
    }

    /// `name type [options]` up to the next top-level `,` or `)`.
    fn column_def(&mut self) -> Option<ColumnDef> {
        let name = self.name()?;
        let ty = self.text_until(|t| {
            t.is_punct(",") || (t.kind == Kind::Word && COLUMN_OPTION_WORDS.iter().any(|w| t.is(w)))
        });
        let mut column = ColumnDef {
            name,
            ty,
            not_null: false,
            checks: Vec::new(),
            unique: false,
        };
        while let Some(t) = self.peek() {
            if t.is_punct(",") || t.is_punct(")") {
                break;
            }
            self.at += 1;
            if t.is("NOT") && self.eat("NULL") {
                column.not_null = true;
            } else if t.is("PRIMARY") && self.eat("KEY") {
                column.not_null = true;
                column.unique = true;
            } else if t.is("UNIQUE") {
                column.unique = true;
            } else if t.is("CHECK") && self.eat_punct("(") {
                column.checks.push(self.inside_parens()?);
            } else if t.is_punct("(") {
                self.inside_parens()?;
            }
        }
        Some(column)
    }

    fn drop(&mut self) -> Option<Vec<Operation>> {
        if !self.eat("TABLE") {
            return None;
        }
        self.skip_if_exists();
        let mut out = Vec::new();
        loop {
            out.push(Operation::DropTable {
                table: self.name()?,
            });
            if !self.eat_punct(",") {
                return Some(out);
            }
        }
    }

    fn alter_table(&mut self) -> Option<Vec<Operation>> {
        self.skip_if_exists();
        self.eat("ONLY");
        let table = self.name()?;
        let mut out = Vec::new();
        loop {
            out.extend(self.alter_action(&table)?);
            // The rest of this action (`CASCADE`, `FIRST`, `AFTER c`, ...).
            self.text_until(|t| t.is_punct(","));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.done().then_some(out)
    }

    fn alter_action(&mut self, table: &str) -> Option<Vec<Operation>> {
        let one = |op| Some(vec![op]);
        let table = table.to_string();
        if self.eat("RENAME") {
            if self.eat("TO") || self.eat("AS") {
                let to = self.name()?;
                return one(Operation::RenameTable { from: table, to });
            }
            let column = self.eat("COLUMN");
            let from = self.name()?;
            if !self.eat("TO") {
                // MySQL's `RENAME new_name`.
                return (!column).then(|| {
                    vec![Operation::RenameTable {
                        from: table,
                        to: from,
                    }]
                });
            }
            let to = self.name()?;
            return one(Operation::RenameColumn { table, from, to });
        }
        if self.eat("ADD") {
            let name = if self.eat("CONSTRAINT") {
                Some(self.name()?)
            } else {
                None
            };
            if self.eat("CHECK") {
                self.eat_punct("(").then_some(())?;
                let expr = self.inside_parens()?;
                let validated = !self.eat_all(&["NOT", "VALID"]);
                return one(Operation::AddCheck {
                    table,
                    name,
                    expr,
                    validated,
                });
            }
            if self.eat("UNIQUE") || self.eat_all(&["PRIMARY", "KEY"]) {
                self.eat("KEY");
                self.eat("INDEX");
                if !self.peek().is_some_and(|t| t.is_punct("(")) {
                    self.name()?;
                }
                let columns = self.name_list()?;
                return one(Operation::AddUnique { table, columns });
            }
            if name.is_some()
                || [
                    "FOREIGN",
                    "INDEX",
                    "KEY",
                    "CONSTRAINT",
                    "EXCLUDE",
                    "FULLTEXT",
                    "SPATIAL",
                ]
                .iter()
                .any(|w| self.peek_is(w))
            {
                return one(Operation::Other);
            }
            self.eat("COLUMN");
            self.eat_all(&["IF", "NOT", "EXISTS"]);
            let column = self.column_def()?;
            return one(Operation::AddColumn { table, column });
        }
        if self.eat("DROP") {
            if [
                "CONSTRAINT",
                "INDEX",
                "KEY",
                "PRIMARY",
                "FOREIGN",
                "CHECK",
                "DEFAULT",
            ]
            .iter()
            .any(|w| self.peek_is(w))
            {
                return one(Operation::Other);
            }
            self.eat("COLUMN");
            self.skip_if_exists();
            let column = self.name()?;
            return one(Operation::DropColumn { table, column });
        }
        if self.eat("VALIDATE") {
            self.expect("CONSTRAINT")?;
            let name = self.name()?;
            return one(Operation::ValidateConstraint { table, name });
        }
        if self.eat("MODIFY") {
            self.eat("COLUMN");
            let column = self.column_def()?;
            return Some(mysql_redefined(table, None, column));
        }
        if self.eat("CHANGE") {
            self.eat("COLUMN");
            let from = self.name()?;
            let column = self.column_def()?;
            return Some(mysql_redefined(table, Some(from), column));
        }
        if self.eat("ALTER") {
            self.eat("COLUMN");
            let column = self.name()?;
            if self.eat_all(&["SET", "NOT", "NULL"]) {
                return one(Operation::SetNotNull { table, column });
            }
            if self.eat_all(&["SET", "DATA", "TYPE"]) || self.eat("TYPE") {
                let ty = self.text_until(|t| t.is_punct(",") || t.is("USING") || t.is("COLLATE"));
                if self.eat("COLLATE") {
                    self.name()?;
                }
                let using = if self.eat("USING") {
                    Some(self.text_until(|t| t.is_punct(",")))
                } else {
                    None
                };
                return one(Operation::SetType {
                    table,
                    column,
                    ty,
                    using,
                });
            }
            return one(Operation::Other);
        }
        one(Operation::Other)
    }

    fn insert(&mut self) -> Option<Vec<Operation>> {
        self.expect("INTO")?;
        let into = self.name()?;
        let columns = self.name_list()?;
        self.expect("SELECT")?;
        let mut exprs = Vec::new();
        loop {
            let expr = self.text_until(|t| t.is_punct(",") || t.is("FROM"));
            if expr.is_empty() {
                return None;
            }
            exprs.push(expr);
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect("FROM")?;
        let from = self.name()?;
        let filtered = !self.done();
        (exprs.len() == columns.len()).then(|| {
            vec![Operation::CopyRows {
                into,
                columns,
                from,
                exprs,
                filtered,
            }]
        })
    }
}

/// Words that end a column's type in a column definition.
const COLUMN_OPTION_WORDS: &[&str] = &[
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "UNIQUE",
    "CHECK",
    "REFERENCES",
    "CONSTRAINT",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "COLLATE",
    "COMMENT",
    "GENERATED",
    "AS",
    "FIRST",
    "AFTER",
    "ON",
    "INVISIBLE",
    "VISIBLE",
    "CHARACTER",
    "CHARSET",
];

/// A MySQL `MODIFY`/`CHANGE`: the column restated (renamed first, for `CHANGE old new`), its
/// type, its `NOT NULL`, its checks.
fn mysql_redefined(
    table: String,
    renamed_from: Option<String>,
    column: ColumnDef,
) -> Vec<Operation> {
    let mut ops = Vec::new();
    if let Some(from) = renamed_from.filter(|f| *f != column.name) {
        ops.push(Operation::RenameColumn {
            table: table.clone(),
            from,
            to: column.name.clone(),
        });
    }
    ops.push(Operation::SetType {
        table: table.clone(),
        column: column.name.clone(),
        ty: column.ty.clone(),
        using: None,
    });
    if column.not_null {
        ops.push(Operation::SetNotNull {
            table: table.clone(),
            column: column.name.clone(),
        });
    }
    for expr in column.checks {
        ops.push(Operation::AddCheck {
            table: table.clone(),
            name: None,
            expr,
            validated: true,
        });
    }
    ops
}
