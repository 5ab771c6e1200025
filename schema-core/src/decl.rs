//! What `#[schema(...)]` declares: the dialect-neutral description of tables and enums.
//!
//! The derive (at run time, through `Table::describe()`) and the CLI (by reading source with
//! the grammar) produce exactly these values; `resolve` turns them into a dialect's
//! [`crate::model::Schema`]. Column lists hold SQL column names (the grammar maps field names).

use serde::{Deserialize, Serialize};

/// A `#[derive(Enum)]` enum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumDecl {
    /// The Rust identifier of the enum (`Role`).
    pub rust_name: String,
    /// The SQL type name (`user_role`).
    pub name: String,
    /// SQL values, in declaration order.
    pub values: Vec<String>,
    /// Values renamed in place: `(new value, old value)`, from a variant's
    /// `#[schema(renamed_from = "old")]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_values: Vec<(String, String)>,
}

/// A `#[derive(Table)]` struct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDecl {
    /// The Rust identifier of the struct (`User`).
    pub rust_name: String,
    /// The SQL table name.
    pub name: String,
    pub renamed_from: Option<String>,
    /// Columns in field order (skipped fields are absent).
    pub columns: Vec<ColumnDecl>,
    /// Container-level `primary_key(a, b)`; field-level `primary_key` is on the column.
    pub primary_key: Option<Vec<String>>,
    pub uniques: Vec<UniqueDecl>,
    pub indexes: Vec<IndexDecl>,
    pub checks: Vec<CheckDecl>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDecl {
    /// The Rust field name without `r#` (`type` for `r#type`).
    pub field: String,
    /// The SQL column name.
    pub name: String,
    pub renamed_from: Option<String>,
    pub ty: TypeDecl,
    /// `Option<T>`.
    pub nullable: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub unique: bool,
    pub index: bool,
    pub default: Option<DefaultDecl>,
    pub references: Option<ReferenceDecl>,
}

/// The logical type of a column, read from the Rust type (or `sql_type`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeDecl {
    Bool,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    Bytes,
    Uuid,
    Date,
    Time,
    /// Naive date and time (`chrono::NaiveDateTime`, `time::PrimitiveDateTime`).
    DateTime,
    /// Date and time with time zone (`chrono::DateTime<Utc>`, `time::OffsetDateTime`).
    DateTimeTz,
    Decimal,
    Json,
    /// `Vec<T>` with `T` not `u8`.
    Array(Box<TypeDecl>),
    /// A `#[derive(Enum)]` type, by its SQL type name.
    Enum(String),
    /// `sql_type = "..."`: passed through (normalized by the resolver).
    Sql(String),
}

/// `default = <literal>` or `default_sql = "<expr>"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultDecl {
    Int(i64),
    /// The float literal as written (keeps `1.50` exact).
    Float(String),
    Bool(bool),
    Str(String),
    Sql(String),
}

impl Eq for DefaultDecl {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceDecl {
    pub table: String,
    pub column: String,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDecl {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// `where = "<sql predicate>"`: a partial index.
    pub predicate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueDecl {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDecl {
    pub name: String,
    pub expr: String,
}

pub use crate::model::FkAction;

/// Everything read from one package: its tables and enums.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declarations {
    pub enums: Vec<EnumDecl>,
    pub tables: Vec<TableDecl>,
}
