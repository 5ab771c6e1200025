//! The diagram's model: the schema's tables, enums and foreign keys as boxes and edges, with
//! the cardinality of each relation. Built from the one schema model; every renderer
//! (Mermaid, DOT, SVG, HTML) draws this and nothing else.

use crate::enum_domain;
use schema_core::model::{FkAction, ForeignKey, Schema, Table};
use schema_core::Dialect;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub dialect: Dialect,
    /// Sorted by name.
    pub tables: Vec<TableBox>,
    /// Sorted by name.
    pub enums: Vec<EnumBox>,
    /// One per foreign key, sorted by table, then key name.
    pub relations: Vec<Relation>,
    /// Columns whose values come from an enum.
    pub enum_uses: Vec<EnumUse>,
}

/// How a diff diagram draws an item: what the migration does to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    #[default]
    Plain,
    Added,
    Dropped,
    Changed,
    /// Untouched, drawn for context next to something that changed.
    Faded,
}

impl Mark {
    pub fn is_plain(&self) -> bool {
        *self == Mark::Plain
    }

    /// The word a text renderer writes (`None` for plain and faded items).
    pub fn word(self) -> Option<&'static str> {
        match self {
            Mark::Added => Some("added"),
            Mark::Dropped => Some("dropped"),
            Mark::Changed => Some("changed"),
            Mark::Plain | Mark::Faded => None,
        }
    }

    /// Something the migration does (as opposed to plain or faded context).
    pub fn is_change(self) -> bool {
        self.word().is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableBox {
    pub name: String,
    pub columns: Vec<ColumnRow>,
    /// A join table: its two foreign keys make a many-to-many relation between these tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joins: Option<(String, String)>,
    /// Key, index and check changes of a diff, one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
    /// In a diff: the name the table had before the migration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnRow {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub nullable: bool,
    pub primary_key: bool,
    pub foreign_key: bool,
    /// A unique constraint (or unique index) on this column alone.
    pub unique: bool,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
    /// In a diff: what the column was (`type was text`, `renamed from name`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub was: Vec<String>,
}

impl ColumnRow {
    /// `PK`, `FK`, `UK`, in that order.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if self.primary_key {
            keys.push("PK");
        }
        if self.foreign_key {
            keys.push("FK");
        }
        if self.unique {
            keys.push("UK");
        }
        keys
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// `index`, `unique`, `primary_key`, `check`, `foreign_key`.
    pub kind: String,
    pub name: String,
    /// The columns, or the check's expression; `renamed from x` for a rename.
    pub detail: String,
    pub mark: Mark,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnumBox {
    /// The type's name (PostgreSQL), or `table.column` for values listed by one column
    /// (a MySQL `enum(...)` type, a SQLite `CHECK (col IN (...))`).
    pub name: String,
    /// The one column that lists the values, when the dialect has no named enum type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<(String, String)>,
    pub values: Vec<EnumValue>,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnumValue {
    pub value: String,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cardinality {
    /// Many rows of the referencing table per row of the referenced one.
    OneToMany,
    /// The referencing columns are unique (or the primary key): at most one row per parent.
    OneToOne,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// The foreign key's name.
    pub name: String,
    /// The referencing (child) table and its columns.
    pub table: String,
    pub columns: Vec<String>,
    /// The referenced (parent) table and its columns.
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub cardinality: Cardinality,
    /// A referencing column may be NULL: a row may have no parent.
    pub optional: bool,
    /// Every referencing column is part of the referencing table's primary key.
    pub identifying: bool,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnumUse {
    pub table: String,
    pub column: String,
    #[serde(rename = "enum")]
    pub enum_name: String,
    /// The column is nullable.
    pub optional: bool,
    #[serde(skip_serializing_if = "Mark::is_plain")]
    pub mark: Mark,
}

impl Graph {
    /// Every table, enum and foreign key of `schema`.
    pub fn from_schema(schema: &Schema) -> Graph {
        let mut graph = Graph {
            dialect: schema.dialect,
            tables: Vec::with_capacity(schema.tables.len()),
            enums: Vec::new(),
            relations: Vec::new(),
            enum_uses: Vec::new(),
        };
        for e in schema.enums.values() {
            graph.enums.push(EnumBox {
                name: e.name.clone(),
                column: None,
                values: e.values.iter().map(|v| EnumValue::plain(v)).collect(),
                mark: Mark::Plain,
            });
        }
        for table in schema.tables.values() {
            graph.tables.push(table_box(table));
            for fk in &table.foreign_keys {
                graph.relations.push(relation(table, fk));
            }
            for column in &table.columns {
                let native = schema.enums.get(enum_domain::element_type(&column.ty));
                if let Some(e) = native {
                    graph.enum_uses.push(EnumUse {
                        table: table.name.clone(),
                        column: column.name.clone(),
                        enum_name: e.name.clone(),
                        optional: column.nullable,
                        mark: Mark::Plain,
                    });
                }
            }
            for (column, values) in enum_domain::listed_values(table) {
                let name = format!("{}.{}", table.name, column);
                graph.enum_uses.push(EnumUse {
                    table: table.name.clone(),
                    column: column.clone(),
                    enum_name: name.clone(),
                    optional: table.column(&column).is_some_and(|c| c.nullable),
                    mark: Mark::Plain,
                });
                graph.enums.push(EnumBox {
                    name,
                    column: Some((table.name.clone(), column)),
                    values: values.iter().map(|v| EnumValue::plain(v)).collect(),
                    mark: Mark::Plain,
                });
            }
        }
        graph.sort();
        graph
    }

    pub fn sort(&mut self) {
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.relations
            .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
        self.enum_uses
            .sort_by(|a, b| (&a.table, &a.column).cmp(&(&b.table, &b.column)));
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.enums.is_empty()
    }

    pub fn table(&self, name: &str) -> Option<&TableBox> {
        self.tables
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.tables[i])
    }

    pub fn enum_box(&self, name: &str) -> Option<&EnumBox> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The many-to-many relations: (join table, one side, the other side).
    pub fn many_to_many(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.tables.iter().filter_map(|t| {
            t.joins
                .as_ref()
                .map(|(a, b)| (t.name.as_str(), a.as_str(), b.as_str()))
        })
    }
}

impl EnumValue {
    fn plain(value: &str) -> EnumValue {
        EnumValue {
            value: value.to_string(),
            mark: Mark::Plain,
            was: None,
        }
    }
}

fn table_box(table: &Table) -> TableBox {
    let primary: BTreeSet<&str> = table
        .primary_key
        .iter()
        .flat_map(|pk| pk.columns.iter().map(String::as_str))
        .collect();
    let referencing: BTreeSet<&str> = table
        .foreign_keys
        .iter()
        .flat_map(|fk| fk.columns.iter().map(String::as_str))
        .collect();
    let unique_sets = unique_column_sets(table);
    let columns = table
        .columns
        .iter()
        .map(|c| ColumnRow {
            name: c.name.clone(),
            ty: c.ty.clone(),
            nullable: c.nullable,
            primary_key: primary.contains(c.name.as_str()),
            foreign_key: referencing.contains(c.name.as_str()),
            unique: unique_sets
                .iter()
                .skip(usize::from(table.primary_key.is_some()))
                .any(|set| set.len() == 1 && set.contains(c.name.as_str())),
            mark: Mark::Plain,
            was: Vec::new(),
        })
        .collect();
    TableBox {
        name: table.name.clone(),
        columns,
        joins: join_of(table, &unique_sets),
        notes: Vec::new(),
        mark: Mark::Plain,
        renamed_from: None,
    }
}

/// The column sets that identify at most one row: the primary key (first, when there is
/// one), unique constraints and unique indexes without a predicate.
fn unique_column_sets(table: &Table) -> Vec<BTreeSet<&str>> {
    fn set(columns: &[String]) -> BTreeSet<&str> {
        columns.iter().map(String::as_str).collect()
    }
    let mut sets: Vec<BTreeSet<&str>> = Vec::new();
    if let Some(pk) = &table.primary_key {
        sets.push(set(&pk.columns));
    }
    for unique in &table.uniques {
        sets.push(set(&unique.columns));
    }
    for index in &table.indexes {
        if index.unique && index.predicate.is_none() {
            sets.push(set(&index.columns));
        }
    }
    sets
}

/// A join table: exactly two foreign keys on distinct columns, and the primary key (or a
/// unique constraint) is exactly their columns together, so each pair appears once.
fn join_of(table: &Table, unique_sets: &[BTreeSet<&str>]) -> Option<(String, String)> {
    let [a, b] = table.foreign_keys.as_slice() else {
        return None;
    };
    let a_columns: BTreeSet<&str> = a.columns.iter().map(String::as_str).collect();
    let b_columns: BTreeSet<&str> = b.columns.iter().map(String::as_str).collect();
    if !a_columns.is_disjoint(&b_columns) {
        return None;
    }
    let both: BTreeSet<&str> = a_columns.union(&b_columns).copied().collect();
    unique_sets
        .contains(&both)
        .then(|| (a.ref_table.clone(), b.ref_table.clone()))
}

fn relation(table: &Table, fk: &ForeignKey) -> Relation {
    let columns: BTreeSet<&str> = fk.columns.iter().map(String::as_str).collect();
    let one_to_one = unique_column_sets(table).contains(&columns);
    let primary: BTreeSet<&str> = table
        .primary_key
        .iter()
        .flat_map(|pk| pk.columns.iter().map(String::as_str))
        .collect();
    Relation {
        name: fk.name.clone(),
        table: table.name.clone(),
        columns: fk.columns.clone(),
        ref_table: fk.ref_table.clone(),
        ref_columns: fk.ref_columns.clone(),
        cardinality: if one_to_one {
            Cardinality::OneToOne
        } else {
            Cardinality::OneToMany
        },
        optional: fk
            .columns
            .iter()
            .any(|c| table.column(c).is_some_and(|c| c.nullable)),
        identifying: columns.is_subset(&primary),
        on_delete: fk.on_delete,
        on_update: fk.on_update,
        mark: Mark::Plain,
    }
}
