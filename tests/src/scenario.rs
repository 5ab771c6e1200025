//! An evolution scenario (source declarations -> target declarations, with rows seeded before
//! the change) and the check every scenario must pass on every dialect it runs on:
//!
//! 1. the source, created from nothing, introspects equal to the resolved source (columns in
//!    declared order; after that, in any order: see [`Order`]);
//! 2. the seed rows go in;
//! 3. up: introspected == resolved target, and (unless the change is destructive) the expected
//!    rows read back;
//! 4. down: introspected == resolved source (after a destructive up, on emptied tables: its
//!    down restores the schema, not the data);
//! 5. up again: introspected == resolved target.

use crate::live::LiveDb;
use anyhow::{bail, Context};
use schema_core::decl::Declarations;
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;

/// Rows of one table: SQL literals to insert, or the values expected back.
#[derive(Clone, Debug)]
pub struct Rows {
    pub table: String,
    pub columns: Vec<String>,
    /// SQL literals (`1`, `'a'`, `NULL`).
    pub rows: Vec<Vec<String>>,
}

/// `rows("users", &["id", "email"], &[&["1", "'a@x'"], &["2", "'b@x'"]])`
pub fn rows(table: &str, columns: &[&str], values: &[&[&str]]) -> Rows {
    Rows {
        table: table.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: values
            .iter()
            .map(|r| r.iter().map(|v| v.to_string()).collect())
            .collect(),
    }
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub source: Declarations,
    pub target: Declarations,
    /// Inserted into the source schema before the change, in order.
    pub seed: Vec<Rows>,
    /// Read back after up; `None`: the seed itself, unless the change is destructive.
    pub expect: Option<Vec<Rows>>,
    /// The dialects the scenario runs on.
    pub dialects: Vec<Dialect>,
    /// Dialects taken out with [`Scenario::not_on`], each with the reason in words; the corpus
    /// test prints them on every run.
    pub excluded: Vec<(Dialect, &'static str)>,
    /// Enum value renames `(enum, new value) -> old value`, which no attribute declares yet;
    /// added to the rename hints resolve gives for the target.
    pub enum_value_renames: Vec<((String, String), String)>,
}

impl Scenario {
    pub fn new(name: &'static str, source: Declarations, target: Declarations) -> Scenario {
        Scenario {
            name,
            source,
            target,
            seed: Vec::new(),
            expect: None,
            dialects: vec![Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql],
            excluded: Vec::new(),
            enum_value_renames: Vec::new(),
        }
    }

    /// Marks value `new` of enum `enum_name` as the renamed `old` value.
    pub fn enum_value_renamed(mut self, enum_name: &str, old: &str, new: &str) -> Self {
        self.enum_value_renames
            .push(((enum_name.to_string(), new.to_string()), old.to_string()));
        self
    }

    pub fn seed(mut self, rows: Rows) -> Self {
        self.seed.push(rows);
        self
    }

    /// Rows expected after up (replaces the default, which is the seed).
    pub fn expect(mut self, rows: Rows) -> Self {
        self.expect.get_or_insert_with(Vec::new).push(rows);
        self
    }

    /// Runs on `dialect` alone: the scenario is about that dialect (the others have their own
    /// scenario for the same change).
    pub fn only(mut self, dialect: Dialect) -> Self {
        self.dialects = vec![dialect];
        self
    }

    /// Does not run on `dialect`, which truly cannot do the change; `reason` says why in words
    /// and is printed whenever the scenario runs, so nothing is skipped silently.
    pub fn not_on(mut self, dialect: Dialect, reason: &'static str) -> Self {
        assert!(
            !reason.trim().is_empty(),
            "{}: an exclusion needs a reason",
            self.name
        );
        self.dialects.retain(|&d| d != dialect);
        self.excluded.push((dialect, reason));
        self
    }
}

/// Resolves `decls` for `dialect`, with every resolve error in the message.
pub fn resolve(decls: &Declarations, dialect: Dialect) -> anyhow::Result<(Schema, RenameHints)> {
    schema_core::resolve::resolve(decls, dialect).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        anyhow::anyhow!("resolve failed on {dialect}:\n{}", lines.join("\n"))
    })
}

/// The up and down SQL from `from` to `to`, and whether the up destroys data.
pub fn generate(
    from: &Schema,
    to: &Schema,
    hints: &RenameHints,
) -> anyhow::Result<(String, String, bool)> {
    let generated = schema_core::generate::generate(from, to, hints)
        .map_err(|e| anyhow::anyhow!("generate failed: {e}"))?;
    Ok((generated.up_sql, generated.down_sql, generated.destructive))
}

/// Runs `scenario` on `db` (which must be empty), returning the first failed check.
pub async fn run(scenario: &Scenario, db: &LiveDb) -> anyhow::Result<()> {
    let dialect = db.dialect();
    let (source, _) = resolve(&scenario.source, dialect).context("source")?;
    let (target, mut hints) = resolve(&scenario.target, dialect).context("target")?;
    hints
        .enum_values
        .extend(scenario.enum_value_renames.iter().cloned());

    let (create, _, _) = generate(&Schema::empty(dialect), &source, &RenameHints::default())?;
    db.apply(&create)
        .await
        .with_context(|| format!("creating the source schema:\n{create}"))?;
    expect_schema(db, &source, Order::Declared, "after creating the source").await?;

    for seed in &scenario.seed {
        db.execute(&insert_sql(seed, dialect))
            .await
            .with_context(|| format!("seeding `{}`", seed.table))?;
    }

    let (up, down, destructive) = generate(&source, &target, &hints)?;
    db.apply(&up)
        .await
        .with_context(|| format!("up failed:\n{up}"))?;
    expect_schema(db, &target, Order::Any, &format!("after up:\n{up}")).await?;
    let expected_rows = match &scenario.expect {
        Some(rows) => rows.clone(),
        None if destructive => Vec::new(),
        None => scenario.seed.clone(),
    };
    for rows in &expected_rows {
        expect_rows(db, rows)
            .await
            .with_context(|| format!("after up:\n{up}"))?;
    }

    if destructive {
        // The down of a destructive up restores the schema, not the data: a dropped NOT NULL
        // column without a default cannot come back while the table holds rows.
        db.delete_all_rows()
            .await
            .context("emptying the tables before down")?;
    }
    db.apply(&down)
        .await
        .with_context(|| format!("down failed:\n{down}"))?;
    expect_schema(db, &source, Order::Any, &format!("after down:\n{down}")).await?;
    db.apply(&up)
        .await
        .with_context(|| format!("up after down failed:\n{up}"))?;
    expect_schema(
        db,
        &target,
        Order::Any,
        &format!("after up, down, up:\n{up}"),
    )
    .await?;
    Ok(())
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `INSERT INTO "t" ("a", "b") VALUES (1, 'x'), (2, 'y');`
pub fn insert_sql(rows: &Rows, _dialect: Dialect) -> String {
    let columns: Vec<String> = rows.columns.iter().map(|c| quote(c)).collect();
    let values: Vec<String> = rows
        .rows
        .iter()
        .map(|r| format!("({})", r.join(", ")))
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES {};",
        quote(&rows.table),
        columns.join(", "),
        values.join(", ")
    )
}

/// The text a SQL literal reads back as: `'it''s'` -> `it's`, `NULL` -> `None`, `1` -> `1`.
fn literal_text(literal: &str) -> Option<String> {
    let l = literal.trim();
    if l.eq_ignore_ascii_case("null") {
        return None;
    }
    match l.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(inner) => Some(inner.replace("''", "'")),
        None => Some(l.to_string()),
    }
}

async fn expect_rows(db: &LiveDb, rows: &Rows) -> anyhow::Result<()> {
    let select: Vec<String> = rows
        .columns
        .iter()
        .map(|c| format!("CAST({} AS TEXT)", quote(c)))
        .collect();
    let query = format!(
        "SELECT {} FROM {} ORDER BY {}",
        select.join(", "),
        quote(&rows.table),
        (1..=rows.columns.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let got = db.text_rows(&query).await.with_context(|| query.clone())?;
    let mut want: Vec<Vec<Option<String>>> = rows
        .rows
        .iter()
        .map(|r| r.iter().map(|v| literal_text(v)).collect())
        .collect();
    want.sort();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    if got_sorted != want {
        bail!(
            "rows of `{}` not preserved:\n  want {want:?}\n  got  {got_sorted:?}",
            rows.table
        );
    }
    Ok(())
}

/// How strictly [`expect_schema`] compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Columns in declared order: a table created from nothing.
    Declared,
    /// Columns in any order: `ADD COLUMN` appends, so a column added in the middle of a struct,
    /// or one a down migration re-adds, ends up last (PostgreSQL cannot reorder columns).
    Any,
}

/// Fails unless `db` introspects equal to `want`; `when` says at which step. With
/// [`Order::Any`] this is the product's own comparison (`schema_core::compare`), the one
/// `verify` uses.
pub async fn expect_schema(
    db: &LiveDb,
    want: &Schema,
    order: Order,
    when: &str,
) -> anyhow::Result<()> {
    let got = db
        .introspect()
        .await
        .with_context(|| format!("introspection failed {when}"))?;
    let differences = match order {
        Order::Declared if &got != want => {
            vec!["(column order counts for tables created from nothing)".to_string()]
        }
        Order::Declared => Vec::new(),
        Order::Any => schema_core::compare::differences(want, &got),
    };
    if !differences.is_empty() {
        bail!(
            "introspected schema differs from the resolved one {when}\n{}\n{}",
            differences.join("\n"),
            describe_difference(want, &got)
        );
    }
    Ok(())
}

/// The tables and enums that differ, `want` against `got`.
pub fn describe_difference(want: &Schema, got: &Schema) -> String {
    let mut out = String::new();
    differing(&mut out, "table", &want.tables, &got.tables);
    differing(&mut out, "enum", &want.enums, &got.enums);
    out
}

fn differing<T: PartialEq + std::fmt::Debug>(
    out: &mut String,
    what: &str,
    want: &std::collections::BTreeMap<String, T>,
    got: &std::collections::BTreeMap<String, T>,
) {
    let names: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
    for name in names {
        let (w, g) = (want.get(name), got.get(name));
        if w != g {
            out.push_str(&format!("{what} `{name}`:\n  want {w:?}\n  got  {g:?}\n"));
        }
    }
}
