//! The committed snapshot file: the schema the migrations build, and the chain of migrations
//! that built it.
//!
//! The file is JSON laid out for review: one line per column, constraint, enum and migration,
//! everything sorted, so a one-column change is a one-line diff and two branches that each add
//! a migration conflict on exactly the lines that matter. [`Snapshot::to_text`] writes that
//! layout; [`Snapshot::parse`] reads any valid JSON of the same shape.

use crate::dialect::Dialect;
use crate::model::{Check, Column, Enum, ForeignKey, Index, PrimaryKey, Schema, Table, Unique};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The snapshot format this version writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The snapshot's file name, inside the migrations folder.
pub const FILE_NAME: &str = "schema.snapshot.json";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub schema: Schema,
    /// Every migration in sequence order.
    pub migrations: Vec<ChainEntry>,
}

/// One migration as it was recorded when it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainEntry {
    pub version: i64,
    /// The slug: `add_posts` for `0002_add_posts.up.sql`.
    pub name: String,
    /// The [`ChainEntry::id`] of the migration this one was written on top of (`None`: the first).
    pub parent: Option<String>,
    pub kind: MigrationKind,
    /// SHA-256 of the up file as generated (`None` for hand-written migrations, which are meant
    /// to be edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down_sha256: Option<String>,
}

impl ChainEntry {
    /// `0002_add_posts`: the file stem shared by the up and down files.
    pub fn id(&self) -> String {
        format!("{:04}_{}", self.version, self.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationKind {
    /// Written by `cargo schema generate` from the structs.
    Generated,
    /// Created empty by `cargo schema new`, written by hand.
    HandWritten,
}

impl Snapshot {
    pub fn empty(dialect: Dialect) -> Self {
        Snapshot {
            schema: Schema::empty(dialect),
            migrations: Vec::new(),
        }
    }

    pub fn last(&self) -> Option<&ChainEntry> {
        self.migrations.last()
    }

    /// The version the next migration gets.
    pub fn next_version(&self) -> i64 {
        self.migrations.iter().map(|m| m.version).max().unwrap_or(0) + 1
    }

    /// Reads a snapshot, refusing formats newer than [`FORMAT_VERSION`].
    pub fn parse(text: &str) -> Result<Snapshot, SnapshotError> {
        if let Some(line) = conflict_marker_line(text) {
            return Err(SnapshotError::MergeConflict { line });
        }
        // One pass for a well-formed file. It reads as the snapshot's shape only if it is
        // valid JSON with exactly one `format_version`, so this is what the checks below would
        // conclude; they run (and find the error to report) only when it does not read.
        if let Ok(file) = serde_json::from_str::<SnapshotFile>(text) {
            if u64::from(file.format_version) > u64::from(FORMAT_VERSION) {
                return Err(SnapshotError::NewerFormat {
                    found: u64::from(file.format_version),
                });
            }
            return file.into_snapshot();
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SnapshotError::Corrupt {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        let version = value.get("format_version").and_then(|v| v.as_u64());
        match version {
            None => {
                return Err(SnapshotError::Corrupt {
                    line: 1,
                    column: 1,
                    message: "missing or invalid `format_version`".into(),
                })
            }
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(SnapshotError::NewerFormat { found: v })
            }
            Some(_) => {}
        }
        let file: SnapshotFile =
            serde_json::from_str(text).map_err(|e| SnapshotError::Corrupt {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        file.into_snapshot()
    }

    /// The review-friendly text: sorted, one line per column, constraint, enum and migration.
    pub fn to_text(&self) -> String {
        // Written into one buffer (serde_json writes each item in place): the snapshot of a
        // large schema is tens of thousands of lines.
        let mut out: Vec<u8> = Vec::with_capacity(256 + 1200 * self.schema.tables.len());
        out.extend_from_slice(b"{\n");
        out.extend_from_slice(format!("  \"format_version\": {FORMAT_VERSION},\n").as_bytes());
        out.extend_from_slice(b"  \"dialect\": ");
        json(&mut out, &self.schema.dialect);
        out.extend_from_slice(b",\n  \"migrations\": [");
        push_lines(&mut out, &self.migrations, "    ", json);
        out.extend_from_slice(b"],\n  \"enums\": {");
        let enums: Vec<&Enum> = self.schema.enums.values().collect();
        push_lines(&mut out, &enums, "    ", |out, e| {
            json(out, &e.name);
            out.extend_from_slice(b": ");
            json(out, &e.values);
        });
        out.extend_from_slice(b"},\n  \"tables\": {");
        let tables: Vec<&Table> = self.schema.tables.values().collect();
        push_lines(&mut out, &tables, "    ", |out, t| table_text(out, t));
        out.extend_from_slice(b"}\n}\n");
        // Only JSON text and ASCII punctuation were written.
        String::from_utf8(out).unwrap_or_default()
    }
}

fn table_text(out: &mut Vec<u8>, table: &Table) {
    json(out, &table.name);
    out.extend_from_slice(b": {\n");
    section(out, "columns", &table.columns);
    if let Some(pk) = &table.primary_key {
        out.extend_from_slice(b",\n      \"primary_key\": ");
        json(out, pk);
    }
    if !table.uniques.is_empty() {
        out.extend_from_slice(b",\n");
        section(out, "uniques", &table.uniques);
    }
    if !table.indexes.is_empty() {
        out.extend_from_slice(b",\n");
        section(out, "indexes", &table.indexes);
    }
    if !table.foreign_keys.is_empty() {
        out.extend_from_slice(b",\n");
        section(out, "foreign_keys", &table.foreign_keys);
    }
    if !table.checks.is_empty() {
        out.extend_from_slice(b",\n");
        section(out, "checks", &table.checks);
    }
    out.extend_from_slice(b"\n    }");
}

fn section<T: Serialize>(out: &mut Vec<u8>, key: &str, items: &[T]) {
    out.extend_from_slice(b"      \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": [");
    push_lines(out, items, "        ", json);
    out.push(b']');
}

/// Writes `items` one per line between an already written opener and a closer the caller adds.
fn push_lines<T>(
    out: &mut Vec<u8>,
    items: &[T],
    indent: &str,
    mut write: impl FnMut(&mut Vec<u8>, &T),
) {
    if items.is_empty() {
        return;
    }
    out.push(b'\n');
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(indent.as_bytes());
        write(out, item);
        if i + 1 < items.len() {
            out.push(b',');
        }
        out.push(b'\n');
    }
    out.extend_from_slice(&indent.as_bytes()[..indent.len() - 2]);
}

fn json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Serializing plain data structs into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// The first line (1-based) that starts with a git conflict marker.
fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("<<<<<<< ") || l == "<<<<<<<" || l.starts_with(">>>>>>> "))
        .map(|i| i + 1)
}

/// The two sides of a file with git conflict markers (`ours`, `theirs`), if it has any.
pub fn split_conflict(text: &str) -> Option<(String, String)> {
    conflict_marker_line(text)?;
    enum Side {
        Both,
        Ours,
        Base,
        Theirs,
    }
    let mut side = Side::Both;
    let (mut ours, mut theirs) = (String::new(), String::new());
    for line in text.lines() {
        if line.starts_with("<<<<<<<") {
            side = Side::Ours;
            continue;
        }
        if line.starts_with("|||||||") {
            side = Side::Base;
            continue;
        }
        if line.starts_with("=======") && !matches!(side, Side::Both) {
            side = Side::Theirs;
            continue;
        }
        if line.starts_with(">>>>>>>") {
            side = Side::Both;
            continue;
        }
        match side {
            Side::Both => {
                ours.push_str(line);
                ours.push('\n');
                theirs.push_str(line);
                theirs.push('\n');
            }
            Side::Ours => {
                ours.push_str(line);
                ours.push('\n');
            }
            Side::Base => {}
            Side::Theirs => {
                theirs.push_str(line);
                theirs.push('\n');
            }
        }
    }
    Some((ours, theirs))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not valid JSON, or not the snapshot's shape.
    Corrupt {
        line: usize,
        column: usize,
        message: String,
    },
    /// Written by a newer cargo-schema.
    NewerFormat { found: u64 },
    /// Contains unresolved git conflict markers.
    MergeConflict { line: usize },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Corrupt { message, .. } => write!(f, "the snapshot is corrupted: {message}"),
            SnapshotError::NewerFormat { found } => write!(
                f,
                "the snapshot has format version {found}, but this cargo-schema reads up to version {FORMAT_VERSION}: upgrade cargo-schema"
            ),
            SnapshotError::MergeConflict { line } => {
                write!(f, "the snapshot has unresolved merge-conflict markers (line {line})")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// The serde shape of the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotFile {
    format_version: u32,
    dialect: Dialect,
    #[serde(default)]
    migrations: Vec<ChainEntry>,
    #[serde(default)]
    enums: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    tables: BTreeMap<String, TableBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableBody {
    columns: Vec<Column>,
    #[serde(default)]
    primary_key: Option<PrimaryKey>,
    #[serde(default)]
    uniques: Vec<Unique>,
    #[serde(default)]
    indexes: Vec<Index>,
    #[serde(default)]
    foreign_keys: Vec<ForeignKey>,
    #[serde(default)]
    checks: Vec<Check>,
}

impl SnapshotFile {
    fn into_snapshot(self) -> Result<Snapshot, SnapshotError> {
        let mut schema = Schema::empty(self.dialect);
        for (name, values) in self.enums {
            schema.enums.insert(name.clone(), Enum { name, values });
        }
        for (name, body) in self.tables {
            let table = Table {
                name: name.clone(),
                columns: body.columns,
                primary_key: body.primary_key,
                uniques: body.uniques,
                indexes: body.indexes,
                foreign_keys: body.foreign_keys,
                checks: body.checks,
            };
            schema.tables.insert(name, table);
        }
        Ok(Snapshot {
            schema,
            migrations: self.migrations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        let mut schema = Schema::empty(Dialect::Postgres);
        schema.enums.insert(
            "user_role".into(),
            Enum {
                name: "user_role".into(),
                values: vec!["admin".into(), "member".into()],
            },
        );
        schema.tables.insert(
            "users".into(),
            Table {
                name: "users".into(),
                columns: vec![
                    Column {
                        name: "id".into(),
                        ty: "bigint".into(),
                        nullable: false,
                        default: None,
                        auto_increment: true,
                    },
                    Column {
                        name: "role".into(),
                        ty: "user_role".into(),
                        nullable: false,
                        default: Some("'member'".into()),
                        auto_increment: false,
                    },
                ],
                primary_key: Some(PrimaryKey {
                    name: "users_pkey".into(),
                    columns: vec!["id".into()],
                }),
                uniques: vec![],
                indexes: vec![Index {
                    name: "users_role_idx".into(),
                    columns: vec!["role".into()],
                    unique: false,
                    predicate: None,
                }],
                foreign_keys: vec![],
                checks: vec![],
            },
        );
        Snapshot {
            schema,
            migrations: vec![ChainEntry {
                version: 1,
                name: "create_users".into(),
                parent: None,
                kind: MigrationKind::Generated,
                up_sha256: Some("aa".into()),
                down_sha256: Some("bb".into()),
            }],
        }
    }

    /// The layout as first written (a `String` per item, `format!` and `join`), kept to check
    /// that the buffered writer gives the same bytes.
    fn reference_text(snapshot: &Snapshot) -> String {
        fn json<T: Serialize + ?Sized>(value: &T) -> String {
            serde_json::to_string(value).unwrap()
        }
        fn push_lines(out: &mut String, items: &[String], indent: &str) {
            if items.is_empty() {
                return;
            }
            out.push('\n');
            for (i, item) in items.iter().enumerate() {
                out.push_str(indent);
                out.push_str(item);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&indent[..indent.len() - 2]);
        }
        fn section<T: Serialize>(key: &str, items: &[T]) -> String {
            let mut out = format!("      \"{key}\": [");
            let lines: Vec<String> = items.iter().map(json).collect();
            push_lines(&mut out, &lines, "        ");
            out.push(']');
            out
        }
        fn table_text(table: &Table) -> String {
            let mut body = format!("{}: {{\n", json(&table.name));
            let mut sections = vec![section("columns", &table.columns)];
            if let Some(pk) = &table.primary_key {
                sections.push(format!("      \"primary_key\": {}", json(pk)));
            }
            if !table.uniques.is_empty() {
                sections.push(section("uniques", &table.uniques));
            }
            if !table.indexes.is_empty() {
                sections.push(section("indexes", &table.indexes));
            }
            if !table.foreign_keys.is_empty() {
                sections.push(section("foreign_keys", &table.foreign_keys));
            }
            if !table.checks.is_empty() {
                sections.push(section("checks", &table.checks));
            }
            body.push_str(&sections.join(",\n"));
            body.push_str("\n    }");
            body
        }
        let mut out = String::from("{\n");
        out.push_str(&format!("  \"format_version\": {FORMAT_VERSION},\n"));
        out.push_str(&format!(
            "  \"dialect\": {},\n",
            json(&snapshot.schema.dialect)
        ));
        out.push_str("  \"migrations\": [");
        let entries: Vec<String> = snapshot.migrations.iter().map(json).collect();
        push_lines(&mut out, &entries, "    ");
        out.push_str("],\n  \"enums\": {");
        let enums: Vec<String> = snapshot
            .schema
            .enums
            .values()
            .map(|e| format!("{}: {}", json(&e.name), json(&e.values)))
            .collect();
        push_lines(&mut out, &enums, "    ");
        out.push_str("},\n  \"tables\": {");
        let tables: Vec<String> = snapshot.schema.tables.values().map(table_text).collect();
        push_lines(&mut out, &tables, "    ");
        out.push_str("}\n}\n");
        out
    }

    #[test]
    fn text_layout_is_unchanged() {
        let mut snapshot = sample();
        snapshot.migrations.push(ChainEntry {
            version: 2,
            name: "add \"quoted\" things".into(),
            parent: Some(snapshot.migrations[0].id()),
            kind: MigrationKind::HandWritten,
            up_sha256: None,
            down_sha256: None,
        });
        let mut posts = snapshot.schema.tables["users"].clone();
        posts.name = "posts".into();
        posts.primary_key = None;
        posts.indexes.clear();
        posts.uniques = vec![Unique {
            name: "posts_role_key".into(),
            columns: vec!["role".into(), "id".into()],
        }];
        posts.foreign_keys = vec![ForeignKey {
            name: "posts_id_fkey".into(),
            columns: vec!["id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
        }];
        posts.checks = vec![Check {
            name: "posts_ck".into(),
            expr: "id > 0 AND role <> 'x\\y'".into(),
        }];
        snapshot.schema.tables.insert("posts".into(), posts);
        snapshot.schema.enums.insert(
            "\u{e9}tat".into(),
            Enum {
                name: "\u{e9}tat".into(),
                values: vec![],
            },
        );
        for s in [&snapshot, &sample(), &Snapshot::empty(Dialect::Postgres)] {
            assert_eq!(s.to_text(), reference_text(s));
        }
    }

    #[test]
    fn round_trips_through_text() {
        let snapshot = sample();
        let text = snapshot.to_text();
        assert_eq!(Snapshot::parse(&text), Ok(snapshot));
    }

    #[test]
    fn empty_snapshot_round_trips() {
        let snapshot = Snapshot::empty(Dialect::Sqlite);
        assert_eq!(Snapshot::parse(&snapshot.to_text()), Ok(snapshot));
    }

    #[test]
    fn one_column_is_one_line() {
        let text = sample().to_text();
        let line = text
            .lines()
            .find(|l| l.contains("\"name\":\"role\""))
            .expect("the role column has its own line");
        assert!(line.contains("\"type\":\"user_role\""), "{line}");
        assert!(!line.contains("\"id\""), "{line}");
    }

    #[test]
    fn refuses_a_newer_format() {
        let text = sample()
            .to_text()
            .replace("\"format_version\": 1", "\"format_version\": 7");
        assert_eq!(
            Snapshot::parse(&text),
            Err(SnapshotError::NewerFormat { found: 7 })
        );
        let message = SnapshotError::NewerFormat { found: 7 }.to_string();
        assert!(message.contains("upgrade cargo-schema"), "{message}");
    }

    #[test]
    fn reports_corruption_with_a_position() {
        let mut text = sample().to_text();
        text.truncate(text.len() / 2);
        match Snapshot::parse(&text) {
            Err(SnapshotError::Corrupt { line, .. }) => assert!(line > 1),
            other => panic!("expected a corrupt snapshot, got {other:?}"),
        }
    }

    #[test]
    fn rejects_unknown_keys() {
        let text = sample().to_text().replace("\"dialect\"", "\"dialekt\"");
        assert!(matches!(
            Snapshot::parse(&text),
            Err(SnapshotError::Corrupt { .. })
        ));
    }

    #[test]
    fn splits_conflict_sides() {
        let text = "a\n<<<<<<< HEAD\nours\n||||||| base\nold\n=======\ntheirs\n>>>>>>> branch\nz\n";
        assert!(matches!(
            Snapshot::parse(text),
            Err(SnapshotError::MergeConflict { line: 2 })
        ));
        let (ours, theirs) = split_conflict(text).expect("has markers");
        assert_eq!(ours, "a\nours\nz\n");
        assert_eq!(theirs, "a\ntheirs\nz\n");
    }

    #[test]
    fn next_version_follows_the_chain() {
        assert_eq!(sample().next_version(), 2);
        assert_eq!(Snapshot::empty(Dialect::Mysql).next_version(), 1);
        assert_eq!(sample().migrations[0].id(), "0001_create_users");
    }
}
