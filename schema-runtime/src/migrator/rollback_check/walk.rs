//! Following the down files' operations in order over a model of the tables they touch, and
//! counting on the live database what each one meets.
//!
//! Every table the rollback touches is a *relation*: a `SELECT` over the live database that
//! gives its rows as they would be at that point (columns renamed, dropped, added by the
//! earlier operations; a rebuilt table's rows are its copy's `SELECT` over the table it was
//! copied from). A check is a count over that relation, so it sees the data the statement
//! will see without running anything.

use super::probe::Probe;
use super::{AcceptDataLoss, CheckKind, DataCheck, RollbackRefusal};
use crate::migrator::session::{Conn, Session};
use crate::migrator::MigrateError;
use schema_core::migrations::analyze::{analyze, ColumnDef, Operation};
use schema_core::migrations::{Migration, Script};
use schema_core::Dialect;
use std::borrow::Cow;
use std::collections::HashMap;

/// Refuses the rollback of `scripts` (the down scripts in the order they will run) when a
/// finding stands in the way, before anything runs.
pub(crate) async fn refuse_data_loss(
    session: &mut Session,
    scripts: &[(&Migration, Cow<'_, Script>)],
) -> Result<(), MigrateError> {
    let accept = session.options.accept_data_loss.clone();
    let dialect = session.dialect;
    let checks = check_rollback(session.connection(), dialect, scripts, &accept).await?;
    if checks.iter().any(DataCheck::refuses) {
        return Err(MigrateError::RollbackRefused(Box::new(RollbackRefusal {
            checks,
        })));
    }
    Ok(())
}

/// Every finding of the down scripts (in the order they will run), acknowledged or not.
pub(crate) async fn check_rollback(
    conn: &mut Conn,
    dialect: Dialect,
    scripts: &[(&Migration, Cow<'_, Script>)],
    accept: &AcceptDataLoss,
) -> Result<Vec<DataCheck>, MigrateError> {
    let mut walk = Walk {
        probe: Probe { conn, dialect },
        tables: HashMap::new(),
        enums: HashMap::new(),
        pending_checks: HashMap::new(),
        found: Vec::new(),
        accept,
        place: Place::default(),
    };
    for (migration, script) in scripts {
        for statement in analyze(&script.sql, dialect) {
            walk.place = Place {
                version: migration.version,
                file: script.file.to_string(),
                line: statement.line,
            };
            for op in statement.operations {
                walk.operation(op)
                    .await
                    .map_err(|e| MigrateError::database("checking the rollback's data", e))?;
            }
        }
    }
    Ok(walk.found)
}

#[derive(Clone, Debug, Default)]
struct Place {
    version: i64,
    file: String,
    line: usize,
}

#[derive(Clone, Debug)]
struct Col {
    name: String,
    /// SQL over the relation's `from`.
    expr: String,
    /// Holds the users' data (a column this rollback added holds only its default).
    data: bool,
}

#[derive(Clone, Debug)]
struct Relation {
    /// A quoted live table, or `(SELECT ...) AS s`.
    from: String,
    cols: Vec<Col>,
    /// The row key, SQL over `from`.
    key: Option<String>,
    /// The expressions of a copy that took this relation's rows elsewhere.
    copied_by: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
enum Table {
    Rows(Relation),
    /// Created by this rollback and not filled: no rows.
    Fresh {
        columns: Vec<ColumnDef>,
        checks: Vec<String>,
        uniques: Vec<Vec<String>>,
    },
    /// Not in the database (dropped, or never there): the statement will say.
    Absent,
}

struct Walk<'c, 'a> {
    probe: Probe<'c>,
    /// By the name the table has at this point of the rollback.
    tables: HashMap<String, Table>,
    /// Enum types created by this rollback (PostgreSQL), by name.
    enums: HashMap<String, Vec<String>>,
    /// `NOT VALID` checks waiting for their `VALIDATE CONSTRAINT`: name -> (table, expr).
    pending_checks: HashMap<String, (String, String)>,
    found: Vec<DataCheck>,
    accept: &'a AcceptDataLoss,
    place: Place,
}

fn key_of(name: &str, dialect: Dialect) -> String {
    // PostgreSQL names arrive folded; MySQL and SQLite compare them without case.
    match dialect {
        Dialect::Postgres => name.to_string(),
        _ => name.to_ascii_lowercase(),
    }
}

impl Relation {
    /// The rows as a derived table `v` with the current column names and `"__key"`.
    fn view(&self, probe: &Probe<'_>) -> String {
        let mut items: Vec<String> = self
            .cols
            .iter()
            .map(|c| format!("{} AS {}", c.expr, probe.quote(&c.name)))
            .collect();
        items.push(format!(
            "{} AS {}",
            self.key.as_deref().unwrap_or("NULL"),
            probe.quote("__key")
        ));
        format!("(SELECT {} FROM {}) AS v", items.join(", "), self.from)
    }

    fn col(&self, name: &str, dialect: Dialect) -> Option<&Col> {
        let wanted = key_of(name, dialect);
        self.cols
            .iter()
            .find(|c| key_of(&c.name, dialect) == wanted)
    }
}

impl Walk<'_, '_> {
    fn dialect(&self) -> Dialect {
        self.probe.dialect
    }

    /// The table `name` as it is at this point (read from the catalog the first time).
    async fn table(&mut self, name: &str) -> Result<&mut Table, sqlx::Error> {
        let key = key_of(name, self.dialect());
        if !self.tables.contains_key(&key) {
            let columns = self.probe.columns(name).await?;
            let table = if columns.is_empty() {
                Table::Absent
            } else {
                let key_expr = self.probe.row_key(name).await?;
                Table::Rows(Relation {
                    from: self.probe.quote(name),
                    cols: columns
                        .into_iter()
                        .map(|c| Col {
                            expr: self.probe.quote(&c),
                            name: c,
                            data: true,
                        })
                        .collect(),
                    key: key_expr,
                    copied_by: None,
                })
            };
            self.tables.insert(key.clone(), table);
        }
        Ok(self.tables.get_mut(&key).expect("just inserted"))
    }

    fn set(&mut self, name: &str, table: Table) {
        self.tables.insert(key_of(name, self.dialect()), table);
    }

    /// The rows of `relation` for which `condition` holds: a finding when there are any.
    async fn count(
        &mut self,
        relation: &Relation,
        condition: &str,
        kind: CheckKind,
        what: String,
        rows_are: &str,
        accept: Option<String>,
    ) -> Result<(), sqlx::Error> {
        let from_where = format!("FROM {} WHERE {condition}", relation.view(&self.probe));
        let key = self.probe.quote("__key");
        let key = relation.key.as_ref().map(|_| key.as_str());
        // A check the database cannot run (an expression of the file that does not read
        // here) is left to the statement itself.
        let Ok((rows, sample_keys)) = self.probe.count(&from_where, key).await else {
            return Ok(());
        };
        if rows > 0 {
            self.found(kind, what, rows_are, rows, sample_keys, accept);
        }
        Ok(())
    }

    fn found(
        &mut self,
        kind: CheckKind,
        what: String,
        rows_are: &str,
        rows: i64,
        sample_keys: Vec<String>,
        accept: Option<String>,
    ) {
        let accepted = match (&kind, &accept) {
            (CheckKind::DataLoss, Some(key)) => self.accept.accepts(key),
            _ => false,
        };
        self.found.push(DataCheck {
            version: self.place.version,
            file: self.place.file.clone(),
            line: self.place.line,
            kind,
            what,
            rows_are: rows_are.to_string(),
            rows,
            sample_keys,
            accept,
            accepted,
        });
    }

    async fn rows_of(&mut self, table: &str) -> Result<Option<Relation>, sqlx::Error> {
        Ok(match self.table(table).await? {
            Table::Rows(relation) => Some(relation.clone()),
            _ => None,
        })
    }

    async fn operation(&mut self, op: Operation) -> Result<(), sqlx::Error> {
        let dialect = self.dialect();
        match op {
            Operation::DropTable { table } => {
                if let Some(relation) = self.rows_of(&table).await? {
                    self.drop_table(&table, &relation).await?;
                }
                self.set(&table, Table::Absent);
            }
            Operation::DropColumn { table, column } => {
                if let Some(mut relation) = self.rows_of(&table).await? {
                    if let Some(col) = relation.col(&column, dialect).filter(|c| c.data) {
                        let condition = format!("{} IS NOT NULL", self.probe.quote(&col.name));
                        let what = format!("drops column {table}.{column}");
                        let accept = format!("drop column {table}.{column}");
                        self.count(
                            &relation,
                            &condition,
                            CheckKind::DataLoss,
                            what,
                            "rows hold a value there",
                            Some(accept),
                        )
                        .await?;
                    }
                    let wanted = key_of(&column, dialect);
                    relation.cols.retain(|c| key_of(&c.name, dialect) != wanted);
                    self.set(&table, Table::Rows(relation));
                }
            }
            Operation::RenameTable { from, to } => {
                let table = self.table(&from).await?.clone();
                self.set(&from, Table::Absent);
                self.set(&to, table);
            }
            Operation::RenameColumn { table, from, to } => {
                if let Some(mut relation) = self.rows_of(&table).await? {
                    let wanted = key_of(&from, dialect);
                    for col in relation
                        .cols
                        .iter_mut()
                        .filter(|c| key_of(&c.name, dialect) == wanted)
                    {
                        col.name = to.clone();
                    }
                    self.set(&table, Table::Rows(relation));
                }
            }
            Operation::AddColumn { table, column } => match self.table(&table).await? {
                Table::Rows(relation) => relation.cols.push(Col {
                    name: column.name,
                    expr: "NULL".to_string(),
                    data: false,
                }),
                Table::Fresh { columns, .. } => columns.push(column),
                Table::Absent => {}
            },
            Operation::SetType {
                table, column, ty, ..
            } => {
                if let Some(relation) = self.rows_of(&table).await? {
                    if let Some(col) = relation.col(&column, dialect).filter(|c| c.data) {
                        let name = self.probe.quote(&col.name);
                        if let Some((condition, rows_are)) = self.fits(&name, &ty) {
                            let what = format!("changes {table}.{column} to {ty}");
                            self.count(
                                &relation,
                                &condition,
                                CheckKind::WontFit,
                                what,
                                &rows_are,
                                None,
                            )
                            .await?;
                        }
                    }
                }
            }
            Operation::SetNotNull { table, column } => {
                if let Some(relation) = self.rows_of(&table).await? {
                    if let Some(col) = relation.col(&column, dialect).filter(|c| c.data) {
                        let condition = format!("{} IS NULL", self.probe.quote(&col.name));
                        let what = format!("makes {table}.{column} NOT NULL");
                        self.count(
                            &relation,
                            &condition,
                            CheckKind::WontFit,
                            what,
                            "rows hold NULL there",
                            None,
                        )
                        .await?;
                    }
                }
            }
            Operation::AddCheck {
                table,
                name,
                expr,
                validated,
            } => {
                if !validated {
                    if let Some(name) = name {
                        self.pending_checks
                            .insert(key_of(&name, dialect), (table, expr));
                    }
                } else {
                    self.check(&table, &expr, name.as_deref()).await?;
                }
            }
            Operation::ValidateConstraint { table, name } => {
                if let Some((_, expr)) = self.pending_checks.remove(&key_of(&name, dialect)) {
                    self.check(&table, &expr, Some(&name)).await?;
                }
            }
            Operation::AddUnique { table, columns } => {
                if let Some(relation) = self.rows_of(&table).await? {
                    self.unique(&table, &relation, &columns).await?;
                }
            }
            Operation::CreateTable {
                table,
                columns,
                checks,
                uniques,
            } => {
                self.set(
                    &table,
                    Table::Fresh {
                        columns,
                        checks,
                        uniques,
                    },
                );
            }
            Operation::CopyRows {
                into,
                columns,
                from,
                exprs,
                ..
            } => {
                self.copy(&into, &columns, &from, &exprs).await?;
            }
            Operation::CreateEnum { name, values } => {
                self.enums.insert(name, values);
            }
            Operation::RenameType { from, .. } => {
                self.enums.remove(&from);
            }
            Operation::Other => {}
        }
        Ok(())
    }

    /// A dropped table: its rows are lost, unless a copy took them elsewhere first; then
    /// what is lost are the columns the copy did not read.
    async fn drop_table(&mut self, table: &str, relation: &Relation) -> Result<(), sqlx::Error> {
        match &relation.copied_by {
            None => {
                let what = format!("drops table {table}");
                let accept = format!("drop table {table}");
                self.count(
                    relation,
                    "1 = 1",
                    CheckKind::DataLoss,
                    what,
                    "rows are in it",
                    Some(accept),
                )
                .await
            }
            Some(exprs) => {
                let left_out: Vec<Col> = relation
                    .cols
                    .iter()
                    .filter(|c| c.data && !exprs.iter().any(|e| mentions(e, &c.name)))
                    .cloned()
                    .collect();
                for col in left_out {
                    let condition = format!("{} IS NOT NULL", self.probe.quote(&col.name));
                    let what = format!("rebuilds {table} without column {}", col.name);
                    let accept = format!("drop column {table}.{}", col.name);
                    self.count(
                        relation,
                        &condition,
                        CheckKind::DataLoss,
                        what,
                        "rows hold a value there",
                        Some(accept),
                    )
                    .await?;
                }
                Ok(())
            }
        }
    }

    async fn check(
        &mut self,
        table: &str,
        expr: &str,
        name: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let Some(relation) = self.rows_of(table).await? else {
            return Ok(());
        };
        // Columns this rollback added hold defaults nobody knows here.
        if relation
            .cols
            .iter()
            .any(|c| !c.data && mentions(expr, &c.name))
        {
            return Ok(());
        }
        let what = match name {
            Some(name) => format!("adds check {name} ({expr}) on {table}"),
            None => format!("adds check ({expr}) on {table}"),
        };
        let condition = format!("NOT ({expr})");
        self.count(
            &relation,
            &condition,
            CheckKind::WontFit,
            what,
            "rows violate it",
            None,
        )
        .await
    }

    async fn unique(
        &mut self,
        table: &str,
        relation: &Relation,
        columns: &[String],
    ) -> Result<(), sqlx::Error> {
        let dialect = self.dialect();
        let mut quoted = Vec::new();
        for column in columns {
            match relation.col(column, dialect) {
                Some(col) if col.data => quoted.push(self.probe.quote(&col.name)),
                _ => return Ok(()),
            }
        }
        let list = quoted.join(", ");
        let not_null: Vec<String> = quoted.iter().map(|q| format!("{q} IS NOT NULL")).collect();
        let value = self.probe.joined(&quoted);
        let groups = format!(
            "(SELECT {value} AS {key} FROM {view} WHERE {} GROUP BY {list} HAVING count(*) > 1) AS d",
            not_null.join(" AND "),
            key = self.probe.quote("__key"),
            view = relation.view(&self.probe),
        );
        let key = self.probe.quote("__key");
        let Ok((rows, samples)) = self
            .probe
            .count(&format!("FROM {groups} WHERE 1 = 1"), Some(&key))
            .await
        else {
            return Ok(());
        };
        if rows > 0 {
            let what = format!(
                "adds a unique constraint on {table} ({})",
                columns.join(", ")
            );
            self.found(
                CheckKind::WontFit,
                what,
                "values are held by more than one row",
                rows,
                samples,
                None,
            );
        }
        Ok(())
    }

    /// `INSERT INTO into (columns) SELECT exprs FROM from`: `into` (made by this rollback)
    /// gets `from`'s rows, and its declared constraints are checked on them.
    async fn copy(
        &mut self,
        into: &str,
        columns: &[String],
        from: &str,
        exprs: &[String],
    ) -> Result<(), sqlx::Error> {
        let Some(mut source) = self.rows_of(from).await? else {
            return Ok(());
        };
        let Some(Table::Fresh {
            columns: declared,
            checks,
            uniques,
        }) = self.tables.get(&key_of(into, self.dialect())).cloned()
        else {
            return Ok(());
        };
        let dialect = self.dialect();
        let mut cols: Vec<Col> = columns
            .iter()
            .zip(exprs)
            .map(|(name, expr)| Col {
                name: name.clone(),
                expr: expr.clone(),
                data: true,
            })
            .collect();
        for def in &declared {
            if !columns
                .iter()
                .any(|c| key_of(c, dialect) == key_of(&def.name, dialect))
            {
                cols.push(Col {
                    name: def.name.clone(),
                    expr: "NULL".to_string(),
                    data: false,
                });
            }
        }
        let filled = Relation {
            from: format!(
                "{} AS s",
                source.view(&self.probe).trim_end_matches(" AS v")
            ),
            cols,
            key: source.key.as_ref().map(|_| self.probe.quote("__key")),
            copied_by: None,
        };
        source.copied_by = Some(exprs.to_vec());
        self.set(from, Table::Rows(source));
        for def in &declared {
            let Some(col) = filled.col(&def.name, dialect).filter(|c| c.data) else {
                continue;
            };
            let name = self.probe.quote(&col.name);
            if def.not_null {
                let what = format!("copies {from} into {into}, whose {} is NOT NULL", def.name);
                self.count(
                    &filled,
                    &format!("{name} IS NULL"),
                    CheckKind::WontFit,
                    what,
                    "rows hold NULL there",
                    None,
                )
                .await?;
            }
            if let Some((condition, rows_are)) = self.fits(&name, &def.ty) {
                let what = format!(
                    "copies {from} into {into}, whose {} is {}",
                    def.name, def.ty
                );
                self.count(
                    &filled,
                    &condition,
                    CheckKind::WontFit,
                    what,
                    &rows_are,
                    None,
                )
                .await?;
            }
        }
        self.set(into, Table::Rows(filled.clone()));
        let column_checks = declared.iter().flat_map(|d| d.checks.iter().cloned());
        for expr in column_checks.chain(checks).collect::<Vec<_>>() {
            self.check(into, &expr, None).await?;
        }
        for unique in uniques {
            self.unique(into, &filled, &unique).await?;
        }
        Ok(())
    }

    /// The condition of the values of `column` (quoted) that the type `ty` cannot hold, and
    /// what those rows are, for the narrowings that fail or truncate: integers, lengths,
    /// decimals, enums. `None` for any other type.
    fn fits(&self, column: &str, ty: &str) -> Option<(String, String)> {
        let dialect = self.dialect();
        let lowered = ty.trim().to_ascii_lowercase();
        let bare = lowered.trim_matches('"').trim_matches('`');
        let values = if dialect == Dialect::Mysql && lowered.starts_with("enum") {
            Some(enum_values(ty))
        } else {
            let name = if ty.trim().starts_with('"') {
                ty.trim().trim_matches('"').replace("\"\"", "\"")
            } else {
                bare.to_string()
            };
            self.enums.get(&name).cloned()
        };
        if let Some(values) = values {
            let list: Vec<String> = values.iter().map(|v| self.probe.literal(v)).collect();
            let condition = format!(
                "{} NOT IN ({})",
                self.probe.as_text(column),
                list.join(", ")
            );
            return Some((
                condition,
                format!(
                    "rows hold a value the type lacks (it has {})",
                    values.join(", ")
                ),
            ));
        }
        if dialect == Dialect::Sqlite {
            // SQLite stores any value in any column (tables without STRICT).
            return None;
        }
        let unsigned = bare.contains("unsigned");
        let base = bare.split(['(', ' ']).next().unwrap_or("");
        let range: Option<(i128, i128)> = match (base, unsigned) {
            ("tinyint", false) => Some((-128, 127)),
            ("tinyint", true) => Some((0, 255)),
            ("smallint" | "int2", false) => Some((-32_768, 32_767)),
            ("smallint", true) => Some((0, 65_535)),
            ("mediumint", false) => Some((-8_388_608, 8_388_607)),
            ("mediumint", true) => Some((0, 16_777_215)),
            ("int" | "integer" | "int4", false) => Some((-2_147_483_648, 2_147_483_647)),
            ("int" | "integer", true) => Some((0, 4_294_967_295)),
            ("bigint", true) => Some((0, i128::from(u64::MAX))),
            _ => None,
        };
        if let Some((lo, hi)) = range {
            return Some((
                format!("({column} < {lo} OR {column} > {hi})"),
                format!("rows hold a value outside {lo}..{hi}"),
            ));
        }
        let args: Vec<u32> = bare
            .split_once('(')
            .map(|(_, rest)| {
                rest.trim_end_matches(|c: char| c != ')')
                    .trim_end_matches(')')
                    .split(',')
                    .filter_map(|a| a.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let text_type = [
            "varchar",
            "character varying",
            "char",
            "character",
            "nvarchar",
            "nchar",
            "varbinary",
            "binary",
        ]
        .iter()
        .any(|t| bare.starts_with(&format!("{t}(")) || bare.starts_with(&format!("{t} (")));
        if text_type {
            if let [n] = args.as_slice() {
                return Some((
                    format!("{} > {n}", self.probe.length(column)),
                    format!("rows hold a value longer than {n}"),
                ));
            }
        }
        if matches!(base, "numeric" | "decimal") {
            if let [p, s] | [p, s, ..] = args.as_slice() {
                let digits = p.saturating_sub(*s);
                return Some((
                    format!("abs({column}) >= 1e{digits}"),
                    format!("rows hold a value with more than {digits} digits before the point"),
                ));
            }
        }
        None
    }
}

/// Whether the SQL text `expr` names the column `name` (quoted or bare, any case).
fn mentions(expr: &str, name: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(found) = lower[from..].find(&name) {
        let start = from + found;
        let end = start + name.len();
        let before = lower[..start].chars().next_back();
        let after = lower[end..].chars().next();
        if !before.is_some_and(word) && !after.is_some_and(word) {
            return true;
        }
        from = end;
    }
    false
}

/// The values of `ENUM('a','b')`.
fn enum_values(ty: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut chars = ty.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.extend(chars.next()),
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                other => value.push(other),
            }
        }
        values.push(value);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_in_expressions() {
        assert!(mentions("coalesce(\"age\", 0)", "age"));
        assert!(mentions("CASE `Status` WHEN 'a' THEN 'b' END", "status"));
        assert!(!mentions("\"page\" + 1", "age"));
        assert!(!mentions("age_years", "age"));
    }

    #[test]
    fn mysql_enum_values() {
        assert_eq!(
            enum_values("ENUM('open','it''s','a\\'b')"),
            ["open", "it's", "a'b"]
        );
    }
}
