//! The typed changes between two schemas. Each change carries the old and the new object, so
//! its exact inverse is computable ([`Change::inverse`]) and the down migration is the reverse
//! plan, never text surgery.

use crate::model::{Check, Column, Enum, ForeignKey, Index, PrimaryKey, Table, Unique};

/// Which kind of named constraint or index a [`Change::RenameConstraint`] renames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Index,
    ForeignKey,
    Check,
}

impl ConstraintKind {
    pub fn describe(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::Index => "index",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check constraint",
        }
    }
}

/// One typed change. Table names follow one rule that the plan relies on: changes that remove
/// something (`Drop*`) name the table as it was before any rename; everything else names the
/// table (and column) as it is after the renames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A native enum type (PostgreSQL).
    CreateEnum(Enum),
    DropEnum(Enum),
    /// Values added, removed, reordered or renamed. `renamed_values` holds `(old, new)` pairs
    /// from rename hints; every other difference is an addition or a removal.
    AlterEnum {
        from: Enum,
        to: Enum,
        renamed_values: Vec<(String, String)>,
    },
    /// The table with everything it holds (keys, indexes, foreign keys, checks).
    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// Same column name; type, nullability, default or auto-increment differ.
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    AddPrimaryKey {
        table: String,
        primary_key: PrimaryKey,
    },
    DropPrimaryKey {
        table: String,
        primary_key: PrimaryKey,
    },
    AddUnique {
        table: String,
        unique: Unique,
    },
    DropUnique {
        table: String,
        unique: Unique,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    /// Values renamed in place in a column that holds an enum without a native type (SQLite's
    /// `text` + check), from enum value rename hints: `(old, new)` pairs. PostgreSQL renames
    /// the value in the type instead ([`Change::AlterEnum`]).
    RenameValues {
        table: String,
        column: String,
        renamed: Vec<(String, String)>,
    },
    /// Only the name differs (for example after a table or column rename, PostgreSQL keeps
    /// `users_pkey` while the new default name is `accounts_pkey`).
    RenameConstraint {
        table: String,
        kind: ConstraintKind,
        from: String,
        to: String,
    },
}

impl Change {
    /// The change that undoes this one exactly (the schema, not necessarily the data).
    pub fn inverse(&self) -> Change {
        use Change::*;
        match self.clone() {
            CreateEnum(e) => DropEnum(e),
            DropEnum(e) => CreateEnum(e),
            AlterEnum {
                from,
                to,
                renamed_values,
            } => AlterEnum {
                from: to,
                to: from,
                renamed_values: renamed_values.into_iter().map(|(a, b)| (b, a)).collect(),
            },
            CreateTable(t) => DropTable(t),
            DropTable(t) => CreateTable(t),
            RenameTable { from, to } => RenameTable { from: to, to: from },
            AddColumn { table, column } => DropColumn { table, column },
            DropColumn { table, column } => AddColumn { table, column },
            RenameColumn { table, from, to } => RenameColumn {
                table,
                from: to,
                to: from,
            },
            AlterColumn { table, from, to } => AlterColumn {
                table,
                from: to,
                to: from,
            },
            AddPrimaryKey { table, primary_key } => DropPrimaryKey { table, primary_key },
            DropPrimaryKey { table, primary_key } => AddPrimaryKey { table, primary_key },
            AddUnique { table, unique } => DropUnique { table, unique },
            DropUnique { table, unique } => AddUnique { table, unique },
            AddIndex { table, index } => DropIndex { table, index },
            DropIndex { table, index } => AddIndex { table, index },
            AddForeignKey { table, foreign_key } => DropForeignKey { table, foreign_key },
            DropForeignKey { table, foreign_key } => AddForeignKey { table, foreign_key },
            AddCheck { table, check } => DropCheck { table, check },
            DropCheck { table, check } => AddCheck { table, check },
            RenameConstraint {
                table,
                kind,
                from,
                to,
            } => RenameConstraint {
                table,
                kind,
                from: to,
                to: from,
            },
            RenameValues {
                table,
                column,
                renamed,
            } => RenameValues {
                table,
                column,
                renamed: renamed.into_iter().map(|(a, b)| (b, a)).collect(),
            },
        }
    }

    /// The table this change touches (`None` for enum changes). For a rename, the new name.
    pub fn table(&self) -> Option<&str> {
        use Change::*;
        match self {
            CreateEnum(_) | DropEnum(_) | AlterEnum { .. } => None,
            CreateTable(t) | DropTable(t) => Some(&t.name),
            RenameTable { to, .. } => Some(to),
            AddColumn { table, .. }
            | DropColumn { table, .. }
            | RenameColumn { table, .. }
            | AlterColumn { table, .. }
            | AddPrimaryKey { table, .. }
            | DropPrimaryKey { table, .. }
            | AddUnique { table, .. }
            | DropUnique { table, .. }
            | AddIndex { table, .. }
            | DropIndex { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. }
            | RenameConstraint { table, .. }
            | RenameValues { table, .. } => Some(table),
        }
    }

    /// The words that acknowledge this change (`generate --accept "<key>"`, and the
    /// `-- schema:accept <key>` line in the migration): the change without its details.
    pub fn accept_key(&self) -> String {
        use Change::*;
        match self {
            AddColumn { table, column } | DropColumn { table, column } => {
                let verb = if matches!(self, AddColumn { .. }) {
                    "add"
                } else {
                    "drop"
                };
                format!("{verb} column {table}.{}", column.name)
            }
            AlterColumn { table, to, .. } => format!("alter column {table}.{}", to.name),
            AlterEnum { to, .. } => format!("alter enum {}", to.name),
            AddUnique { table, unique } => format!("add unique {table}.{}", unique.name),
            AddIndex { table, index } => format!("add unique {table}.{}", index.name),
            other => other.summary(),
        }
    }

    /// One line for people: what this change does.
    pub fn summary(&self) -> String {
        use Change::*;
        match self {
            CreateEnum(e) => format!("create enum {} ({})", e.name, e.values.join(", ")),
            DropEnum(e) => format!("drop enum {}", e.name),
            AlterEnum {
                from,
                to,
                renamed_values,
            } => enum_summary(from, to, renamed_values),
            CreateTable(t) => format!("create table {}", t.name),
            DropTable(t) => format!("drop table {}", t.name),
            RenameTable { from, to } => format!("rename table {from} to {to}"),
            AddColumn { table, column } => {
                format!(
                    "add column {table}.{} {}",
                    column.name,
                    column_shape(column)
                )
            }
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            RenameColumn { table, from, to } => {
                format!("rename column {table}.{from} to {to}")
            }
            AlterColumn { table, from, to } => {
                format!(
                    "alter column {table}.{}: {}",
                    to.name,
                    column_delta(from, to)
                )
            }
            AddPrimaryKey { table, primary_key } => format!(
                "add primary key {} on {table} ({})",
                primary_key.name,
                primary_key.columns.join(", ")
            ),
            DropPrimaryKey { table, primary_key } => {
                format!("drop primary key {} on {table}", primary_key.name)
            }
            AddUnique { table, unique } => format!(
                "add unique constraint {} on {table} ({})",
                unique.name,
                unique.columns.join(", ")
            ),
            DropUnique { table, unique } => {
                format!("drop unique constraint {} on {table}", unique.name)
            }
            AddIndex { table, index } => format!(
                "add {}index {} on {table} ({})",
                if index.unique { "unique " } else { "" },
                index.name,
                index.columns.join(", ")
            ),
            DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            AddForeignKey { table, foreign_key } => format!(
                "add foreign key {} on {table} ({}) -> {} ({})",
                foreign_key.name,
                foreign_key.columns.join(", "),
                foreign_key.ref_table,
                foreign_key.ref_columns.join(", ")
            ),
            DropForeignKey { table, foreign_key } => {
                format!("drop foreign key {} on {table}", foreign_key.name)
            }
            AddCheck { table, check } => {
                format!("add check constraint {} on {table}", check.name)
            }
            DropCheck { table, check } => {
                format!("drop check constraint {} on {table}", check.name)
            }
            RenameConstraint {
                table,
                kind,
                from,
                to,
            } => format!("rename {} {from} to {to} on {table}", kind.describe()),
            RenameValues {
                table,
                column,
                renamed,
            } => {
                let pairs: Vec<String> =
                    renamed.iter().map(|(o, n)| format!("{o} -> {n}")).collect();
                format!("rename values of {table}.{column}: {}", pairs.join(", "))
            }
        }
    }
}

fn column_shape(c: &Column) -> String {
    let mut s = c.ty.clone();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.auto_increment {
        s.push_str(" auto-increment");
    }
    s
}

/// What differs between two versions of a column, in words.
pub fn column_delta(from: &Column, to: &Column) -> String {
    let mut parts = Vec::new();
    if from.ty != to.ty {
        parts.push(format!("type {} -> {}", from.ty, to.ty));
    }
    if from.nullable != to.nullable {
        parts.push(
            if to.nullable {
                "drop NOT NULL"
            } else {
                "set NOT NULL"
            }
            .to_string(),
        );
    }
    if from.default != to.default {
        parts.push(match (&from.default, &to.default) {
            (None, Some(d)) => format!("set default {d}"),
            (Some(_), None) => "drop default".to_string(),
            (Some(a), Some(b)) => format!("default {a} -> {b}"),
            (None, None) => String::new(),
        });
    }
    if from.auto_increment != to.auto_increment {
        parts.push(
            if to.auto_increment {
                "add auto-increment"
            } else {
                "drop auto-increment"
            }
            .to_string(),
        );
    }
    parts.join(", ")
}

fn enum_summary(from: &Enum, to: &Enum, renamed: &[(String, String)]) -> String {
    let mut parts = Vec::new();
    let renamed_old: Vec<&str> = renamed.iter().map(|(o, _)| o.as_str()).collect();
    let renamed_new: Vec<&str> = renamed.iter().map(|(_, n)| n.as_str()).collect();
    let added: Vec<&str> = to
        .values
        .iter()
        .filter(|v| !from.values.contains(v) && !renamed_new.contains(&v.as_str()))
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = from
        .values
        .iter()
        .filter(|v| !to.values.contains(v) && !renamed_old.contains(&v.as_str()))
        .map(String::as_str)
        .collect();
    if !added.is_empty() {
        parts.push(format!("add values {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("remove values {}", removed.join(", ")));
    }
    for (o, n) in renamed {
        parts.push(format!("rename value {o} to {n}"));
    }
    if parts.is_empty() {
        parts.push("reorder values".to_string());
    }
    format!("alter enum {}: {}", to.name, parts.join(", "))
}

/// The values an enum change removes (not counting renamed ones).
pub fn removed_enum_values(from: &Enum, to: &Enum, renamed: &[(String, String)]) -> Vec<String> {
    from.values
        .iter()
        .filter(|v| !to.values.contains(v) && !renamed.iter().any(|(o, _)| o == *v))
        .cloned()
        .collect()
}
