//! Property test: a random schema with seeded rows, then a random sequence of edits, each
//! generated, applied and checked on a real database (introspected == resolved, row counts
//! kept); then every down in reverse order, each checked against the schema before its up.
//!
//! 200 cases per run on SQLite (in memory) and on PostgreSQL, 100 on MySQL/MariaDB (one
//! database, wiped between cases). `EVOLUTION_CASES` overrides the count; a failure prints the
//! shrunk edit list.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use schema_tests::evolution::{Edit, Model, EDIT_KINDS};
use schema_tests::live::LiveDb;
use schema_tests::scenario::{expect_schema, generate, resolve, Order};

const DEFAULT_CASES: u32 = 200;
/// MariaDB's DDL is slower (each statement commits and most copy the table): fewer cases by
/// default, about 20 s.
const DEFAULT_CASES_MYSQL: u32 = 100;

fn cases(default: u32) -> u32 {
    std::env::var("EVOLUTION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

type Case = (u8, Vec<u16>, Vec<Edit>);

fn case_strategy() -> impl Strategy<Value = Case> {
    let edit = (0..EDIT_KINDS, any::<u16>(), any::<u16>(), any::<u16>())
        .prop_map(|(kind, a, b, c)| Edit { kind, a, b, c });
    (any::<u8>(), vec(any::<u16>(), 12), vec(edit, 1..7))
}

async fn row_count(db: &LiveDb, table: &str) -> anyhow::Result<String> {
    let query = format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM \"{}\"",
        table.replace('"', "\"\"")
    );
    let rows = db.text_rows(&query).await?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .cloned()
        .flatten()
        .unwrap_or_default())
}

async fn check_rows(db: &LiveDb, model: &Model, when: &str) -> anyhow::Result<()> {
    for t in &model.tables {
        let got = row_count(db, &t.name).await?;
        if got != t.rows.to_string() {
            anyhow::bail!("table `{}` has {got} rows {when}, want {}", t.name, t.rows);
        }
    }
    Ok(())
}

async fn check_case(db: &LiveDb, case: &Case) -> anyhow::Result<()> {
    let (tables, shape, edits) = case;
    db.reset().await?;
    let dialect = db.dialect();
    let mut model = Model::initial(*tables, shape);
    model.mysql = dialect == Dialect::Mysql;
    let (mut current, _) = resolve(&model.decls(), dialect)?;
    let (create, _, _) = generate(&Schema::empty(dialect), &current, &RenameHints::default())?;
    db.apply(&create)
        .await
        .map_err(|e| anyhow::anyhow!("creating the initial schema: {e:#}\n{create}"))?;
    expect_schema(
        db,
        &current,
        Order::Declared,
        "after creating the initial schema",
    )
    .await?;
    for insert in model.seed_sql() {
        db.execute(&insert)
            .await
            .map_err(|e| anyhow::anyhow!("seeding: {e:#}\n{insert}"))?;
    }

    let mut history = Vec::new();
    for edit in edits {
        let Some(what) = model.apply(*edit) else {
            continue;
        };
        let (next, hints) = resolve(&model.decls(), dialect)?;
        let (up, down, destructive) = generate(&current, &next, &hints)?;
        let when = format!("after up of `{what}`:\n{up}");
        db.apply(&up)
            .await
            .map_err(|e| anyhow::anyhow!("up of `{what}` failed: {e:#}\n{up}"))?;
        expect_schema(db, &next, Order::Any, &when).await?;
        check_rows(db, &model, &when).await?;
        history.push((current, down, destructive, what));
        current = next;
        model.settle();
    }
    for (previous, down, destructive, what) in history.into_iter().rev() {
        if destructive {
            // A destructive up's down restores the schema, not the rows.
            db.delete_all_rows().await?;
        }
        db.apply(&down)
            .await
            .map_err(|e| anyhow::anyhow!("down of `{what}` failed: {e:#}\n{down}"))?;
        expect_schema(
            db,
            &previous,
            Order::Any,
            &format!("after down of `{what}`:\n{down}"),
        )
        .await?;
    }
    Ok(())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn run_cases(runtime: &tokio::runtime::Runtime, db: &LiveDb) {
    let default = match db.dialect() {
        Dialect::Mysql => DEFAULT_CASES_MYSQL,
        _ => DEFAULT_CASES,
    };
    let mut runner = TestRunner::new(Config {
        cases: cases(default),
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&case_strategy(), |case| {
        runtime
            .block_on(check_case(db, &case))
            .map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn random_evolutions_on_sqlite() {
    let runtime = runtime();
    let db = runtime.block_on(LiveDb::sqlite());
    run_cases(&runtime, &db);
}

#[test]
fn random_evolutions_on_postgres() {
    let runtime = runtime();
    let Some(db) = runtime.block_on(LiveDb::postgres()) else {
        return;
    };
    run_cases(&runtime, &db);
}

/// MySQL/MariaDB: the model leaves out what MySQL cannot hold (partial indexes, `set default`).
#[test]
fn random_evolutions_on_mysql() {
    let runtime = runtime();
    let Some(db) = runtime.block_on(LiveDb::mysql()) else {
        return;
    };
    run_cases(&runtime, &db);
}

/// Guards the generator: every edit kind applies to some model, so none is silently dead.
#[test]
fn every_edit_kind_can_apply() {
    for kind in 0..EDIT_KINDS {
        let applied = (0..64u16).any(|n| {
            let mut model = Model::initial(2, &[0, n, n / 2, 3, n, 5, n / 3, 1, 2, n]);
            // Changing a foreign key needs one first; removing an enum value needs a spare one.
            let prerequisite = if kind == 14 { 13 } else { 12 };
            model.apply(Edit {
                kind: prerequisite,
                a: 0,
                b: 0,
                c: 0,
            });
            model.settle();
            model
                .apply(Edit {
                    kind,
                    a: n,
                    b: n,
                    c: n / 4,
                })
                .is_some()
        });
        assert!(applied, "edit kind {kind} never applies");
    }
}
