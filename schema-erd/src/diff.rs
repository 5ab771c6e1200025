//! The diagram of what a migration changes: the schema after it, with what the changes add
//! marked added, what they drop put back and marked dropped, what they alter marked changed,
//! and only the untouched tables next to those (faded) around them.
//!
//! The marks come from the same typed changes `generate` writes the migration from, so a
//! rename is drawn as a rename exactly when the migration renames.

use crate::graph::{EnumBox, EnumUse, EnumValue, Graph, Mark, Note, Relation, TableBox};
use schema_core::diff::{Change, ConstraintKind};
use schema_core::model::{Column, Schema};
use std::collections::{BTreeMap, BTreeSet};

/// `after` drawn with `changes` (from `before` to `after`) marked, focused on what they touch;
/// empty when there are no changes.
pub fn changes(before: &Schema, after: &Schema, changes: &[Change]) -> Graph {
    let old = Graph::from_schema(before);
    let mut graph = Graph::from_schema(after);
    let renames = Renames::of(changes);
    for change in changes {
        apply(&mut graph, &old, &renames, change);
    }
    reconcile_enums(&mut graph, &old, &renames);
    graph.sort();
    focus(graph)
}

/// Old names of renamed tables and columns, by their new names.
#[derive(Default)]
struct Renames {
    tables: BTreeMap<String, String>,
    columns: BTreeMap<(String, String), String>,
}

impl Renames {
    fn of(changes: &[Change]) -> Renames {
        let mut renames = Renames::default();
        for change in changes {
            match change {
                Change::RenameTable { from, to } => {
                    renames.tables.insert(to.clone(), from.clone());
                }
                Change::RenameColumn { table, from, to } => {
                    renames
                        .columns
                        .insert((table.clone(), to.clone()), from.clone());
                }
                _ => {}
            }
        }
        renames
    }

    fn table<'a>(&'a self, name: &'a str) -> &'a str {
        self.tables.get(name).map_or(name, String::as_str)
    }

    fn column<'a>(&'a self, table: &str, name: &'a str) -> &'a str {
        self.columns
            .get(&(table.to_string(), name.to_string()))
            .map_or(name, String::as_str)
    }
}

fn apply(graph: &mut Graph, old: &Graph, renames: &Renames, change: &Change) {
    match change {
        Change::CreateEnum(e) => {
            if let Some(b) = enum_mut(graph, &e.name) {
                b.mark = Mark::Added;
            }
        }
        Change::DropEnum(e) => {
            let mut dropped = old.enum_box(&e.name).cloned().unwrap_or_else(|| EnumBox {
                name: e.name.clone(),
                column: None,
                values: e
                    .values
                    .iter()
                    .map(|v| EnumValue {
                        value: v.clone(),
                        mark: Mark::Plain,
                        was: None,
                    })
                    .collect(),
                mark: Mark::Plain,
            });
            dropped.mark = Mark::Dropped;
            graph.enums.push(dropped);
        }
        Change::AlterEnum {
            from,
            to,
            renamed_values,
        } => {
            let Some(b) = enum_mut(graph, &to.name) else {
                return;
            };
            b.mark = Mark::Changed;
            mark_values(b, &from.values, renamed_values);
        }
        Change::CreateTable(t) => {
            if let Some(table) = table_mut(graph, &t.name) {
                table.mark = Mark::Added;
            }
            for r in graph.relations.iter_mut().filter(|r| r.table == t.name) {
                r.mark = Mark::Added;
            }
            for u in graph.enum_uses.iter_mut().filter(|u| u.table == t.name) {
                u.mark = Mark::Added;
            }
            for b in graph.enums.iter_mut().filter(|b| owned_by(b, &t.name)) {
                b.mark = Mark::Added;
            }
        }
        Change::DropTable(t) => {
            let Some(mut table) = old.table(&t.name).cloned() else {
                return;
            };
            table.mark = Mark::Dropped;
            graph.tables.push(table);
            for r in old.relations.iter().filter(|r| r.table == t.name) {
                push_dropped_relation(graph, r.clone());
            }
            for u in old.enum_uses.iter().filter(|u| u.table == t.name) {
                let mut u = u.clone();
                u.mark = Mark::Dropped;
                graph.enum_uses.push(u);
            }
            for b in old.enums.iter().filter(|b| owned_by(b, &t.name)) {
                let mut b = b.clone();
                b.mark = Mark::Dropped;
                graph.enums.push(b);
            }
        }
        Change::RenameTable { from, to } => {
            if let Some(table) = table_mut(graph, to) {
                table.renamed_from = Some(from.clone());
                touch(table);
            }
        }
        Change::AddColumn { table, column } => {
            with_row(graph, table, &column.name, |row| row.mark = Mark::Added);
        }
        Change::DropColumn { table, column } => {
            let old_row = old
                .table(renames.table(table))
                .and_then(|t| t.columns.iter().find(|c| c.name == column.name))
                .cloned();
            if let Some(t) = table_mut(graph, table) {
                let mut row = old_row.unwrap_or_else(|| row_of(column));
                row.mark = Mark::Dropped;
                t.columns.push(row);
                touch(t);
            }
        }
        Change::RenameColumn { table, from, to } => {
            with_row(graph, table, to, |row| {
                row.mark = Mark::Changed;
                row.was.push(format!("renamed from {from}"));
            });
        }
        Change::AlterColumn { table, from, to } => {
            with_row(graph, table, &to.name, |row| {
                row.mark = Mark::Changed;
                row.was.extend(column_was(from, to));
            });
        }
        Change::AddPrimaryKey { table, primary_key } => note(
            graph,
            table,
            "primary_key",
            &primary_key.name,
            primary_key.columns.join(", "),
            Mark::Added,
        ),
        Change::DropPrimaryKey { table, primary_key } => note(
            graph,
            table,
            "primary_key",
            &primary_key.name,
            primary_key.columns.join(", "),
            Mark::Dropped,
        ),
        Change::AddUnique { table, unique } => note(
            graph,
            table,
            "unique",
            &unique.name,
            unique.columns.join(", "),
            Mark::Added,
        ),
        Change::DropUnique { table, unique } => note(
            graph,
            table,
            "unique",
            &unique.name,
            unique.columns.join(", "),
            Mark::Dropped,
        ),
        Change::AddIndex { table, index } => note(
            graph,
            table,
            "index",
            &index.name,
            index.columns.join(", "),
            Mark::Added,
        ),
        Change::DropIndex { table, index } => note(
            graph,
            table,
            "index",
            &index.name,
            index.columns.join(", "),
            Mark::Dropped,
        ),
        Change::AddCheck { table, check } => note(
            graph,
            table,
            "check",
            &check.name,
            check.expr.clone(),
            Mark::Added,
        ),
        Change::DropCheck { table, check } => note(
            graph,
            table,
            "check",
            &check.name,
            check.expr.clone(),
            Mark::Dropped,
        ),
        Change::AddForeignKey { table, foreign_key } => {
            for r in graph
                .relations
                .iter_mut()
                .filter(|r| &r.table == table && r.name == foreign_key.name)
            {
                r.mark = Mark::Added;
            }
            if let Some(t) = table_mut(graph, table) {
                touch(t);
            }
        }
        Change::DropForeignKey { table, foreign_key } => {
            let found = old
                .relations
                .iter()
                .find(|r| r.table == renames.table(table) && r.name == foreign_key.name);
            if let Some(r) = found {
                let mut r = r.clone();
                r.table = table.clone();
                push_dropped_relation(graph, r);
            }
            if let Some(t) = table_mut(graph, table) {
                touch(t);
            }
        }
        Change::RenameConstraint {
            table,
            kind,
            from,
            to,
        } => note(
            graph,
            table,
            kind_word(*kind),
            to,
            format!("renamed from {from}"),
            Mark::Changed,
        ),
        Change::RenameValues {
            table,
            column,
            renamed,
        } => {
            let pairs: Vec<String> = renamed.iter().map(|(a, b)| format!("{a} -> {b}")).collect();
            with_row(graph, table, column, |row| {
                row.mark = Mark::Changed;
                row.was
                    .push(format!("values renamed: {}", pairs.join(", ")));
            });
        }
    }
}

fn kind_word(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::PrimaryKey => "primary_key",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Index => "index",
        ConstraintKind::ForeignKey => "foreign_key",
        ConstraintKind::Check => "check",
    }
}

/// What an altered column was: its type, nullability, default, identity.
fn column_was(from: &Column, to: &Column) -> Vec<String> {
    let mut was = Vec::new();
    if from.ty != to.ty {
        was.push(format!("was {}", from.ty));
    }
    if from.nullable != to.nullable {
        was.push(
            if from.nullable {
                "was nullable"
            } else {
                "was NOT NULL"
            }
            .to_string(),
        );
    }
    if from.default != to.default {
        was.push(match &from.default {
            Some(d) => format!("default was {d}"),
            None => "had no default".to_string(),
        });
    }
    if from.auto_increment != to.auto_increment {
        was.push(
            if from.auto_increment {
                "was auto-increment"
            } else {
                "was not auto-increment"
            }
            .to_string(),
        );
    }
    was
}

/// A dropped column's row when the old diagram does not have it.
fn row_of(column: &Column) -> crate::graph::ColumnRow {
    crate::graph::ColumnRow {
        name: column.name.clone(),
        ty: column.ty.clone(),
        nullable: column.nullable,
        primary_key: false,
        foreign_key: false,
        unique: false,
        mark: Mark::Plain,
        was: Vec::new(),
    }
}

fn push_dropped_relation(graph: &mut Graph, mut relation: Relation) {
    let exists = graph
        .relations
        .iter()
        .any(|r| r.table == relation.table && r.name == relation.name);
    if !exists {
        relation.mark = Mark::Dropped;
        graph.relations.push(relation);
    }
}

/// Marks the values of an enum that changed from `old` (renames as `(old, new)` pairs) and
/// puts the removed ones back, marked dropped.
fn mark_values(b: &mut EnumBox, old: &[String], renamed: &[(String, String)]) {
    for value in &mut b.values {
        if let Some((was, _)) = renamed.iter().find(|(_, new)| *new == value.value) {
            value.mark = Mark::Changed;
            value.was = Some(was.clone());
        } else if !old.contains(&value.value) {
            value.mark = Mark::Added;
        }
    }
    let kept: BTreeSet<String> = b.values.iter().map(|v| v.value.clone()).collect();
    for value in old {
        let renamed_away = renamed.iter().any(|(was, _)| was == value);
        if !kept.contains(value) && !renamed_away {
            b.values.push(EnumValue {
                value: value.clone(),
                mark: Mark::Dropped,
                was: None,
            });
        }
    }
}

/// Enums that belong to one column (MySQL `enum(...)`, SQLite's check) and the columns that
/// use an enum, in each table that changed: compared with the old diagram, since their changes
/// come as column type or check changes.
fn reconcile_enums(graph: &mut Graph, old: &Graph, renames: &Renames) {
    let changed: Vec<String> = graph
        .tables
        .iter()
        .filter(|t| t.mark == Mark::Changed)
        .map(|t| t.name.clone())
        .collect();
    for table in &changed {
        let old_table = renames.table(table);
        let old_column = |column: &str| renames.column(table, column).to_string();
        // Uses: new ones added, vanished ones put back as dropped.
        let old_uses: Vec<&EnumUse> = old
            .enum_uses
            .iter()
            .filter(|u| u.table == old_table)
            .collect();
        for used in graph.enum_uses.iter_mut().filter(|u| &u.table == table) {
            let before = old_column(&used.column);
            let same = |u: &&EnumUse| u.column == before && same_enum(u, used, old_table, table);
            if !old_uses.iter().any(same) {
                used.mark = Mark::Added;
            }
        }
        for was in &old_uses {
            let now = graph.enum_uses.iter().any(|u| {
                &u.table == table
                    && old_column(&u.column) == was.column
                    && same_enum(was, u, old_table, table)
            });
            if !now {
                let mut dropped = (*was).clone();
                dropped.table = table.clone();
                dropped.mark = Mark::Dropped;
                if old
                    .enum_box(&was.enum_name)
                    .is_some_and(|b| b.column.is_some())
                {
                    dropped.enum_name = format!("{table}.{}", was.column);
                }
                graph.enum_uses.push(dropped);
            }
        }
        // Boxes of one column's values.
        let old_boxes: Vec<&EnumBox> = old
            .enums
            .iter()
            .filter(|b| b.column.as_ref().is_some_and(|(t, _)| t == old_table))
            .collect();
        for b in graph
            .enums
            .iter_mut()
            .filter(|b| b.column.as_ref().is_some_and(|(t, _)| t == table))
        {
            let column = b
                .column
                .as_ref()
                .map(|(_, c)| old_column(c))
                .unwrap_or_default();
            let before = old_boxes
                .iter()
                .find(|o| o.column.as_ref().is_some_and(|(_, c)| *c == column));
            match before {
                None => b.mark = Mark::Added,
                Some(o) => {
                    let old_values: Vec<String> =
                        o.values.iter().map(|v| v.value.clone()).collect();
                    let new_values: Vec<&String> = b.values.iter().map(|v| &v.value).collect();
                    if old_values.iter().collect::<Vec<_>>() != new_values {
                        b.mark = Mark::Changed;
                        mark_values(b, &old_values, &[]);
                    }
                }
            }
        }
        for o in old_boxes {
            let column = o
                .column
                .as_ref()
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            let still = graph.enums.iter().any(|b| {
                b.column
                    .as_ref()
                    .is_some_and(|(t, c)| t == table && old_column(c) == column)
            });
            if !still {
                let mut dropped = o.clone();
                dropped.name = format!("{table}.{column}");
                dropped.column = Some((table.clone(), column));
                dropped.mark = Mark::Dropped;
                graph.enums.push(dropped);
            }
        }
    }
}

/// The same enum before and after: the same named type, or the box of the same column.
fn same_enum(old: &EnumUse, new: &EnumUse, old_table: &str, table: &str) -> bool {
    old.enum_name == new.enum_name
        || (old.enum_name.starts_with(&format!("{old_table}."))
            && new.enum_name.starts_with(&format!("{table}.")))
}

/// What changed and what touches it: the changed tables and enums, and the untouched tables
/// and enums next to them (faded).
fn focus(mut graph: Graph) -> Graph {
    let touched: BTreeSet<String> = graph
        .tables
        .iter()
        .filter(|t| !t.mark.is_plain())
        .map(|t| t.name.clone())
        .collect();
    let touched_enums: BTreeSet<String> = graph
        .enums
        .iter()
        .filter(|e| !e.mark.is_plain())
        .map(|e| e.name.clone())
        .collect();
    let mut keep = touched.clone();
    for r in &graph.relations {
        if touched.contains(&r.table) || touched.contains(&r.ref_table) || r.mark.is_change() {
            keep.insert(r.table.clone());
            keep.insert(r.ref_table.clone());
        }
    }
    let mut keep_enums = touched_enums.clone();
    for u in &graph.enum_uses {
        if touched_enums.contains(&u.enum_name) || u.mark.is_change() {
            keep.insert(u.table.clone());
        }
        if touched.contains(&u.table) {
            keep_enums.insert(u.enum_name.clone());
        }
    }
    graph.tables.retain(|t| keep.contains(&t.name));
    graph.enums.retain(|e| keep_enums.contains(&e.name));
    for t in &mut graph.tables {
        if !touched.contains(&t.name) {
            t.mark = Mark::Faded;
        }
    }
    for e in &mut graph.enums {
        if !touched_enums.contains(&e.name) {
            e.mark = Mark::Faded;
        }
    }
    graph
        .relations
        .retain(|r| keep.contains(&r.table) && keep.contains(&r.ref_table));
    for r in &mut graph.relations {
        if r.mark.is_plain() && !(touched.contains(&r.table) && touched.contains(&r.ref_table)) {
            r.mark = Mark::Faded;
        }
    }
    graph
        .enum_uses
        .retain(|u| keep.contains(&u.table) && keep_enums.contains(&u.enum_name));
    for u in &mut graph.enum_uses {
        if u.mark.is_plain()
            && !(touched.contains(&u.table) && touched_enums.contains(&u.enum_name))
        {
            u.mark = Mark::Faded;
        }
    }
    graph
}

/// An enum box of one of `table`'s columns.
fn owned_by(b: &EnumBox, table: &str) -> bool {
    b.column.as_ref().is_some_and(|(t, _)| t == table)
}

fn table_mut<'a>(graph: &'a mut Graph, name: &str) -> Option<&'a mut TableBox> {
    graph.tables.iter_mut().find(|t| t.name == name)
}

fn enum_mut<'a>(graph: &'a mut Graph, name: &str) -> Option<&'a mut EnumBox> {
    graph.enums.iter_mut().find(|e| e.name == name)
}

/// A table something happened to is changed, unless it is new or dropped altogether.
fn touch(table: &mut TableBox) {
    if table.mark.is_plain() {
        table.mark = Mark::Changed;
    }
}

fn with_row(
    graph: &mut Graph,
    table: &str,
    column: &str,
    edit: impl FnOnce(&mut crate::graph::ColumnRow),
) {
    if let Some(t) = table_mut(graph, table) {
        if let Some(row) = t.columns.iter_mut().find(|c| c.name == column) {
            edit(row);
        }
        touch(t);
    }
}

fn note(graph: &mut Graph, table: &str, kind: &str, name: &str, detail: String, mark: Mark) {
    if let Some(t) = table_mut(graph, table) {
        // A new or dropped table says everything it holds is new or dropped.
        if matches!(t.mark, Mark::Added | Mark::Dropped) {
            return;
        }
        t.notes.push(Note {
            kind: kind.to_string(),
            name: name.to_string(),
            detail,
            mark,
        });
        touch(t);
    }
}
