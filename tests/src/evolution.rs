//! Random schemas and random edits for the evolution property test.
//!
//! A [`Model`] is a small schema plus what the test knows about the rows in it (how many,
//! whether a column's values are distinct, whether it holds NULLs), so every edit it makes is
//! one a real migration can carry out on those rows: a column becomes NOT NULL only when it
//! holds no NULL, unique only when its values are distinct, and so on. Edits are driven by
//! plain numbers ([`Edit`]) that proptest generates and shrinks; an edit that does not apply
//! to the current model does nothing.

use crate::build::{col, enum_type, table, Col, Tbl};
use schema_core::decl::{Declarations, DefaultDecl, FkAction, TypeDecl};

const TABLE_NAMES: &[&str] = &[
    "users", "order", "group", "posts", "select", "items", "tags",
];
const COLUMN_NAMES: &[&str] = &[
    "a",
    "b",
    "user",
    "from",
    "score",
    "title",
    "value",
    "note",
    "a_rather_long_column_name_that_pushes_derived_names_past_it",
];
const ENUM_NAME: &str = "mood";
/// Rows seeded into every table of the initial schema.
pub const SEED_ROWS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    I32,
    I64,
    Text,
    Varchar,
    Bool,
    F64,
    Enum,
}

impl Ty {
    fn decl(self) -> TypeDecl {
        match self {
            Ty::I32 => TypeDecl::I32,
            Ty::I64 => TypeDecl::I64,
            Ty::Text => TypeDecl::String,
            Ty::Varchar => TypeDecl::Sql("varchar(50)".into()),
            Ty::Bool => TypeDecl::Bool,
            Ty::F64 => TypeDecl::F64,
            Ty::Enum => TypeDecl::Enum(ENUM_NAME.into()),
        }
    }

    fn is_int(self) -> bool {
        matches!(self, Ty::I32 | Ty::I64)
    }
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub ty: Ty,
    pub nullable: bool,
    pub default: Option<DefaultDecl>,
    pub unique: bool,
    pub index: bool,
    /// `references = "<table>.id"` with this `on_delete`.
    pub fk: Option<(String, FkAction)>,
    pub renamed_from: Option<String>,
    /// The rows hold pairwise distinct, non-NULL values in this column.
    pub distinct: bool,
    /// Some row holds NULL in this column.
    pub has_nulls: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub renamed_from: Option<String>,
    pub auto_id: bool,
    pub columns: Vec<Column>,
    /// `(name, column)`: a check `"column" >= 0`.
    pub checks: Vec<(String, String)>,
    /// Table-level `unique(a, b)` (`true`) and `index(a, b)` (`false`).
    pub composites: Vec<(bool, Vec<String>)>,
    /// `(name, column)`: a partial index `WHERE "column" IS NOT NULL`.
    pub partial_indexes: Vec<(String, String)>,
    pub rows: usize,
}

impl Table {
    /// Drops every check and index that uses `column` (the database does the same when the
    /// column goes).
    fn forget_column(&mut self, column: &str) {
        self.checks.retain(|(_, c)| c != column);
        self.composites
            .retain(|(_, cols)| !cols.iter().any(|c| c == column));
        self.partial_indexes.retain(|(_, c)| c != column);
    }

    fn rename_in_constraints(&mut self, old: &str, new: &str) {
        let rename = |c: &mut String| {
            if c == old {
                *c = new.to_string();
            }
        };
        self.checks.iter_mut().for_each(|(_, c)| rename(c));
        self.composites
            .iter_mut()
            .for_each(|(_, cols)| cols.iter_mut().for_each(rename));
        self.partial_indexes.iter_mut().for_each(|(_, c)| rename(c));
    }
}

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub tables: Vec<Table>,
    /// Values of the enum `mood`, when it exists.
    pub enum_values: Option<Vec<String>>,
    /// The enum value the seeded rows hold (never removed).
    pub seeded_enum_value: Option<String>,
    /// Counter for fresh names.
    pub next: u32,
}

/// One edit, as numbers: `kind` picks the edit, `a`/`b`/`c` pick its targets and variants.
#[derive(Clone, Copy, Debug)]
pub struct Edit {
    pub kind: u8,
    pub a: u16,
    pub b: u16,
    pub c: u16,
}

pub const EDIT_KINDS: u8 = 18;

fn pick<T>(items: &[T], n: u16) -> Option<&T> {
    (!items.is_empty()).then(|| &items[n as usize % items.len()])
}

fn literal_default(ty: Ty, n: u16, enum_values: Option<&Vec<String>>) -> DefaultDecl {
    match ty {
        Ty::I32 | Ty::I64 => DefaultDecl::Int([0, 7, 42][n as usize % 3]),
        Ty::Text | Ty::Varchar => DefaultDecl::Str(["x", "it's", ""][n as usize % 3].into()),
        Ty::Bool => DefaultDecl::Bool(n.is_multiple_of(2)),
        Ty::F64 => DefaultDecl::Float(["2.5", "0", "1.25"][n as usize % 3].into()),
        Ty::Enum => DefaultDecl::Str(
            enum_values
                .and_then(|v| pick(v, n).cloned())
                .unwrap_or_else(|| "calm".into()),
        ),
    }
}

/// The SQL literal a seeded row holds in a column of `ty` (row numbers from 1).
fn seed_value(ty: Ty, row: usize, enum_values: Option<&Vec<String>>) -> String {
    match ty {
        Ty::I32 | Ty::I64 => row.to_string(),
        Ty::Text | Ty::Varchar => format!("'s{row}'"),
        Ty::Bool => row.is_multiple_of(2).to_string(),
        Ty::F64 => format!("{row}.5"),
        Ty::Enum => format!(
            "'{}'",
            enum_values
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_default()
        ),
    }
}

impl Model {
    /// The initial schema from numbers: `tables` (1..=3 used), `shape` varies columns.
    pub fn initial(tables: u8, shape: &[u16]) -> Model {
        let mut m = Model::default();
        let s = |i: usize| shape.get(i % shape.len().max(1)).copied().unwrap_or(0);
        if s(0).is_multiple_of(2) {
            m.enum_values = Some(vec!["calm".into(), "angry".into(), "sad".into()]);
            m.seeded_enum_value = Some("calm".into());
        }
        for t in 0..(tables % 3 + 1) as usize {
            let name = TABLE_NAMES[(s(t + 1) as usize + t) % TABLE_NAMES.len()].to_string();
            if m.table(&name).is_some() {
                continue;
            }
            let mut table = Table {
                name,
                renamed_from: None,
                auto_id: s(t + 2).is_multiple_of(2),
                columns: Vec::new(),
                checks: Vec::new(),
                composites: Vec::new(),
                partial_indexes: Vec::new(),
                rows: SEED_ROWS,
            };
            for c in 0..(s(t + 3) % 3 + 1) as usize {
                let name = COLUMN_NAMES[(s(t + c + 4) as usize + c) % COLUMN_NAMES.len()];
                if table.columns.iter().any(|x| x.name == name) {
                    continue;
                }
                let mut ty = [
                    Ty::I32,
                    Ty::I64,
                    Ty::Text,
                    Ty::Bool,
                    Ty::F64,
                    Ty::Enum,
                    Ty::Varchar,
                ][s(t + c + 5) as usize % 7];
                if ty == Ty::Enum && m.enum_values.is_none() {
                    ty = Ty::Text;
                }
                let v = s(t + c + 6);
                table.columns.push(Column {
                    name: name.into(),
                    ty,
                    nullable: v.is_multiple_of(3),
                    default: (v % 4 == 1).then(|| literal_default(ty, v, m.enum_values.as_ref())),
                    unique: v % 5 == 2 && matches!(ty, Ty::I32 | Ty::I64 | Ty::Text),
                    index: v % 7 == 3,
                    fk: None,
                    renamed_from: None,
                    distinct: !matches!(ty, Ty::Bool | Ty::Enum),
                    has_nulls: false,
                });
            }
            m.tables.push(table);
        }
        m
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    fn fresh_table_name(&mut self) -> String {
        let free = TABLE_NAMES.iter().find(|n| self.table(n).is_none());
        match free {
            Some(n) => n.to_string(),
            None => {
                self.next += 1;
                format!("t{}", self.next)
            }
        }
    }

    fn fresh_column_name(&mut self, table: usize, hint: u16) -> String {
        let taken =
            |m: &Model, n: &str| m.tables[table].columns.iter().any(|c| c.name == n) || n == "id";
        let start = hint as usize % COLUMN_NAMES.len();
        for i in 0..COLUMN_NAMES.len() {
            let n = COLUMN_NAMES[(start + i) % COLUMN_NAMES.len()];
            if !taken(self, n) {
                return n.to_string();
            }
        }
        self.next += 1;
        format!("c{}", self.next)
    }

    /// Clears the rename markers of the previous step.
    pub fn settle(&mut self) {
        for t in &mut self.tables {
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
            }
        }
    }

    /// Applies `edit`; returns a description of what changed, or `None` when it did not apply.
    pub fn apply(&mut self, edit: Edit) -> Option<String> {
        let Edit { kind, a, b, c } = edit;
        let ti = (!self.tables.is_empty()).then(|| a as usize % self.tables.len());
        match kind % EDIT_KINDS {
            0 => self.add_table(b),
            1 => self.drop_table(ti?),
            2 => self.rename_table(ti?),
            3 => self.add_column(ti?, b, c),
            4 => self.drop_column(ti?, b),
            5 => self.rename_column(ti?, b, c),
            6 => self.change_type(ti?, b),
            7 => self.toggle_nullable(ti?, b),
            8 => self.change_default(ti?, b, c),
            9 => self.toggle_unique(ti?, b),
            10 => self.toggle_index(ti?, b),
            11 => self.toggle_check(ti?, b),
            12 => self.add_enum_value(b),
            13 => self.add_foreign_key(ti?, b, c),
            14 => self.change_fk_action(ti?, b, c),
            15 => self.toggle_composite(ti?, b, c),
            16 => self.toggle_partial_index(ti?, b),
            _ => self.remove_enum_value(b),
        }
    }

    fn add_table(&mut self, b: u16) -> Option<String> {
        let name = self.fresh_table_name();
        let mut t = Table {
            name: name.clone(),
            renamed_from: None,
            auto_id: b.is_multiple_of(2),
            columns: Vec::new(),
            checks: Vec::new(),
            composites: Vec::new(),
            partial_indexes: Vec::new(),
            rows: 0,
        };
        t.columns.push(Column {
            name: COLUMN_NAMES[b as usize % COLUMN_NAMES.len()].into(),
            ty: Ty::Text,
            nullable: b.is_multiple_of(3),
            default: None,
            unique: false,
            index: false,
            fk: None,
            renamed_from: None,
            distinct: true,
            has_nulls: false,
        });
        self.tables.push(t);
        Some(format!("add table {name}"))
    }

    fn drop_table(&mut self, ti: usize) -> Option<String> {
        let name = self.tables.remove(ti).name;
        for t in &mut self.tables {
            t.columns
                .retain(|c| c.fk.as_ref().is_none_or(|(r, _)| *r != name));
            let gone: Vec<String> = t
                .checks
                .iter()
                .map(|(_, c)| c)
                .chain(t.composites.iter().flat_map(|(_, cols)| cols))
                .chain(t.partial_indexes.iter().map(|(_, c)| c))
                .filter(|c| !t.columns.iter().any(|col| col.name == **c))
                .cloned()
                .collect();
            for c in gone {
                t.forget_column(&c);
            }
        }
        Some(format!("drop table {name}"))
    }

    fn rename_table(&mut self, ti: usize) -> Option<String> {
        if self.tables[ti].renamed_from.is_some() {
            return None;
        }
        let new = self.fresh_table_name();
        let old = std::mem::replace(&mut self.tables[ti].name, new.clone());
        self.tables[ti].renamed_from = Some(old.clone());
        for t in &mut self.tables {
            for c in &mut t.columns {
                if let Some((r, _)) = c.fk.as_mut().filter(|(r, _)| *r == old) {
                    *r = new.clone();
                }
            }
        }
        Some(format!("rename table {old} to {new}"))
    }

    fn add_column(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let name = self.fresh_column_name(ti, b);
        let mut ty = [
            Ty::I32,
            Ty::I64,
            Ty::Text,
            Ty::Bool,
            Ty::F64,
            Ty::Enum,
            Ty::Varchar,
        ][c as usize % 7];
        if ty == Ty::Enum && self.enum_values.is_none() {
            ty = Ty::I32;
        }
        let rows = self.tables[ti].rows;
        let nullable = b.is_multiple_of(2);
        let default = (!nullable || c.is_multiple_of(3))
            .then(|| literal_default(ty, c / 7, self.enum_values.as_ref()));
        let has_nulls = rows > 0 && default.is_none();
        self.tables[ti].columns.push(Column {
            name: name.clone(),
            ty,
            nullable,
            default,
            unique: false,
            index: c.is_multiple_of(5),
            fk: None,
            renamed_from: None,
            distinct: rows <= 1,
            has_nulls,
        });
        Some(format!("add column {}.{name} {ty:?}", self.tables[ti].name))
    }

    fn drop_column(&mut self, ti: usize, b: u16) -> Option<String> {
        let t = &mut self.tables[ti];
        if t.columns.len() <= 1 {
            return None;
        }
        let ci = b as usize % t.columns.len();
        if t.columns[ci].renamed_from.is_some() {
            return None;
        }
        let name = t.columns.remove(ci).name;
        t.forget_column(&name);
        Some(format!("drop column {}.{name}", t.name))
    }

    fn rename_column(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        if self.tables[ti].columns.is_empty() {
            return None;
        }
        let ci = b as usize % self.tables[ti].columns.len();
        if self.tables[ti].columns[ci].renamed_from.is_some() {
            return None;
        }
        let new = self.fresh_column_name(ti, c);
        let t = &mut self.tables[ti];
        let old = std::mem::replace(&mut t.columns[ci].name, new.clone());
        t.columns[ci].renamed_from = Some(old.clone());
        t.rename_in_constraints(&old, &new);
        Some(format!("rename column {}.{old} to {new}", t.name))
    }

    fn column_mut(&mut self, ti: usize, b: u16) -> Option<&mut Column> {
        let t = &mut self.tables[ti];
        let n = t.columns.len();
        (n > 0).then(|| &mut t.columns[b as usize % n])
    }

    fn change_type(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() {
            return None;
        }
        col.ty = match col.ty {
            Ty::I32 => Ty::I64,
            Ty::I64 => Ty::I32,
            Ty::Text => Ty::Varchar,
            Ty::Varchar => Ty::Text,
            _ => return None,
        };
        Some(format!("change type of {} to {:?}", col.name, col.ty))
    }

    fn toggle_nullable(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() || (col.nullable && col.has_nulls) {
            return None;
        }
        col.nullable = !col.nullable;
        Some(format!("{} nullable = {}", col.name, col.nullable))
    }

    fn change_default(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let enum_values = self.enum_values.clone();
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() {
            return None;
        }
        col.default = match (&col.default, c % 3) {
            (Some(_), 0) => None,
            _ => Some(literal_default(col.ty, c / 3, enum_values.as_ref())),
        };
        Some(format!("default of {} = {:?}", col.name, col.default))
    }

    fn toggle_unique(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if (!col.unique && !col.distinct) || matches!(col.ty, Ty::Bool | Ty::Enum | Ty::F64) {
            return None;
        }
        col.unique = !col.unique;
        Some(format!("{} unique = {}", col.name, col.unique))
    }

    fn toggle_index(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        col.index = !col.index;
        Some(format!("{} index = {}", col.name, col.index))
    }

    fn toggle_check(&mut self, ti: usize, b: u16) -> Option<String> {
        let table_name = self.tables[ti].name.clone();
        let col = self.column_mut(ti, b)?;
        if !col.ty.is_int() {
            return None;
        }
        let col_name = col.name.clone();
        self.next += 1;
        let fresh = format!("{table_name}_chk{}", self.next);
        let t = &mut self.tables[ti];
        if let Some(i) = t.checks.iter().position(|(_, c)| *c == col_name) {
            t.checks.remove(i);
            return Some(format!("drop check on {col_name}"));
        }
        t.checks.push((fresh, col_name.clone()));
        Some(format!("add check {col_name} >= 0"))
    }

    fn add_enum_value(&mut self, b: u16) -> Option<String> {
        let values = self.enum_values.as_mut()?;
        self.next += 1;
        let value = format!("v{}", self.next);
        let at = b as usize % (values.len() + 1);
        values.insert(at, value.clone());
        Some(format!("add enum value {value} at {at}"))
    }

    fn add_foreign_key(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let target = self.tables[b as usize % self.tables.len()].name.clone();
        let name = self.fresh_column_name(ti, c);
        let rows = self.tables[ti].rows;
        self.tables[ti].columns.push(Column {
            name: name.clone(),
            ty: Ty::I64,
            nullable: true,
            default: None,
            unique: false,
            index: c.is_multiple_of(2),
            fk: Some((target.clone(), FkAction::ALL[c as usize % 5])),
            renamed_from: None,
            distinct: rows <= 1,
            has_nulls: rows > 0,
        });
        Some(format!(
            "add {}.{name} references {target}",
            self.tables[ti].name
        ))
    }

    fn change_fk_action(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let col = self.tables[ti]
            .columns
            .iter_mut()
            .filter(|c| c.fk.is_some())
            .nth(b as usize % 4)?;
        let (_, action) = col.fk.as_mut()?;
        *action = FkAction::ALL[c as usize % 5];
        Some(format!("on delete of {} = {action:?}", col.name))
    }

    /// Adds or drops a two-column unique constraint (when the rows allow it) or index.
    fn toggle_composite(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let t = &mut self.tables[ti];
        if let Some(i) = (!t.composites.is_empty() && c.is_multiple_of(2))
            .then(|| b as usize % t.composites.len())
        {
            let (unique, cols) = t.composites.remove(i);
            return Some(format!("drop composite (unique {unique}) on {cols:?}"));
        }
        let n = t.columns.len();
        if n < 2 {
            return None;
        }
        let first = &t.columns[b as usize % n];
        let second = &t.columns[(b as usize + 1 + c as usize % (n - 1)) % n];
        let cols = vec![first.name.clone(), second.name.clone()];
        let unique = c % 3 == 1 && (first.distinct || second.distinct);
        if t.composites
            .iter()
            .any(|(u, existing)| *u == unique && *existing == cols)
        {
            return None;
        }
        t.composites.push((unique, cols.clone()));
        Some(format!("add composite (unique {unique}) on {cols:?}"))
    }

    fn toggle_partial_index(&mut self, ti: usize, b: u16) -> Option<String> {
        self.next += 1;
        let fresh = format!("partial{}", self.next);
        let t = &mut self.tables[ti];
        let n = t.columns.len();
        let column = t.columns.get(b as usize % n.max(1))?.name.clone();
        if let Some(i) = t.partial_indexes.iter().position(|(_, c)| *c == column) {
            t.partial_indexes.remove(i);
            return Some(format!("drop partial index on {column}"));
        }
        t.partial_indexes.push((fresh, column.clone()));
        Some(format!("add partial index on {column}"))
    }

    /// Removes an enum value no row and no default holds.
    fn remove_enum_value(&mut self, b: u16) -> Option<String> {
        let in_use: Vec<String> = self
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.ty == Ty::Enum)
            .filter_map(|c| match &c.default {
                Some(DefaultDecl::Str(v)) => Some(v.clone()),
                _ => None,
            })
            .chain(self.seeded_enum_value.clone())
            .collect();
        let values = self.enum_values.as_mut()?;
        let removable: Vec<usize> = (0..values.len())
            .filter(|&i| !in_use.contains(&values[i]))
            .collect();
        let &i = pick(&removable, b)?;
        if values.len() <= 1 {
            return None;
        }
        let value = values.remove(i);
        Some(format!("remove enum value {value}"))
    }

    /// The model as declarations (with this step's `renamed_from` markers).
    pub fn decls(&self) -> Declarations {
        let enums = self
            .enum_values
            .as_ref()
            .map(|v| {
                let values: Vec<&str> = v.iter().map(String::as_str).collect();
                vec![enum_type(ENUM_NAME, &values)]
            })
            .unwrap_or_default();
        let tables = self.tables.iter().map(|t| table_decl(t).0).collect();
        Declarations { enums, tables }
    }

    /// `INSERT` statements for the seeded rows of every table that has them.
    pub fn seed_sql(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in self.tables.iter().filter(|t| t.rows > 0) {
            let mut cols = vec!["\"id\"".to_string()];
            cols.extend(t.columns.iter().map(|c| quote(&c.name)));
            let rows: Vec<String> = (1..=t.rows)
                .map(|r| {
                    let mut vals = vec![r.to_string()];
                    vals.extend(
                        t.columns
                            .iter()
                            .map(|c| seed_value(c.ty, r, self.enum_values.as_ref())),
                    );
                    format!("({})", vals.join(", "))
                })
                .collect();
            out.push(format!(
                "INSERT INTO {} ({}) VALUES {};",
                quote(&t.name),
                cols.join(", "),
                rows.join(", ")
            ));
        }
        out
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn table_decl(t: &Table) -> Tbl {
    let mut id = col("id", TypeDecl::I64).pk();
    if t.auto_id {
        id = id.auto();
    }
    let mut decl = table(&t.name).col(id);
    if let Some(old) = &t.renamed_from {
        decl = decl.renamed_from(old);
    }
    for c in &t.columns {
        decl = decl.col(column_decl(c));
    }
    for (name, column) in &t.checks {
        decl = decl.check(name, &format!("{} >= 0", quote(column)));
    }
    for (unique, cols) in &t.composites {
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        decl = if *unique {
            decl.unique(&cols)
        } else {
            decl.index(&cols)
        };
    }
    for (name, column) in &t.partial_indexes {
        decl = decl.index_named_where(name, &[column], &format!("{} IS NOT NULL", quote(column)));
    }
    decl
}

fn column_decl(c: &Column) -> Col {
    let mut d = col(&c.name, c.ty.decl());
    if c.nullable {
        d = d.null();
    }
    if let Some(def) = &c.default {
        d = d.default(def.clone());
    }
    if c.unique {
        d = d.unique();
    }
    if c.index {
        d = d.index();
    }
    if let Some((target, action)) = &c.fk {
        d = d.references(target, "id").on_delete(*action);
    }
    if let Some(old) = &c.renamed_from {
        d = d.renamed_from(old);
    }
    d
}
