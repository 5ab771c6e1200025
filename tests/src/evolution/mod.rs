//! Random schemas and random edits for the evolution property test.
//!
//! A [`Model`] is a small schema plus what the test knows about the rows in it (how many,
//! whether a column's values are distinct, whether it holds NULLs), so every edit it makes is
//! one a real migration can carry out on those rows: a column becomes NOT NULL only when it
//! holds no NULL, unique only when its values are distinct, and so on. Edits are driven by
//! plain numbers ([`Edit`]) that proptest generates and shrinks; an edit that does not apply
//! to the current model does nothing.

mod decls;
mod edits;

use schema_core::decl::{DefaultDecl, FkAction, TypeDecl};

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
    /// Edits stay within what MySQL can hold: no partial indexes (the edit toggling one does
    /// nothing), no `set default` foreign key action (InnoDB does not carry it out), no check
    /// on a column whose foreign key sets it to NULL.
    pub mysql: bool,
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
}
