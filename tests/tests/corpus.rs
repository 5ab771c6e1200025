//! The evolution corpus on real databases: every scenario of `tests/corpus/` on PostgreSQL,
//! SQLite and MySQL/MariaDB; up -> introspected == target and seed rows kept; down ->
//! introspected == source. A dialect a scenario leaves out (`Scenario::not_on`) is printed
//! with its reason on every run.

#[path = "../corpus/mod.rs"]
mod corpus;

use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use schema_tests::live::LiveDb;
use schema_tests::scenario::{expect_schema, generate, resolve, run, Order, Scenario};

async fn check(scenario: Scenario) {
    announce_exclusions(&scenario);
    let mut failures = Vec::new();
    for &dialect in &scenario.dialects {
        let Some(db) = LiveDb::open(dialect).await else {
            continue;
        };
        if let Err(e) = run(&scenario, &db).await {
            failures.push(format!("--- on {dialect}: {e:#}"));
        }
    }
    assert!(
        failures.is_empty(),
        "scenario `{}` failed:\n{}",
        scenario.name,
        failures.join("\n\n")
    );
}

/// Prints the dialects `scenario` leaves out and why, past the test harness' output capture
/// (straight to the process' stderr), so an exclusion shows on every run.
fn announce_exclusions(scenario: &Scenario) {
    use std::io::Write;
    for (dialect, reason) in &scenario.excluded {
        let _ = writeln!(
            std::io::stderr(),
            "EXCLUDED on {dialect}: scenario `{}`: {reason}",
            scenario.name
        );
    }
}

macro_rules! corpus {
    ($($group:ident :: $name:ident $(#[$attr:meta])?),* $(,)?) => {
        $(
            #[tokio::test]
            $(#[$attr])?
            async fn $name() {
                check(corpus::$group::$name()).await;
            }
        )*

        const SCENARIOS: &[&str] = &[$(stringify!($name)),*];

        fn all_scenarios() -> Vec<Scenario> {
            vec![$(corpus::$group::$name()),*]
        }
    };
}

corpus::for_each_scenario!(corpus);

#[test]
fn corpus_has_at_least_forty_scenarios() {
    assert!(SCENARIOS.len() >= 40, "only {} scenarios", SCENARIOS.len());
}

/// The round trips create each source schema from nothing and reach each target by migrating;
/// here every target (and the source of a scenario that does not run on MySQL) is created from
/// nothing on MySQL too, and must introspect equal to what resolve made of it, columns in
/// declared order.
#[tokio::test]
async fn every_corpus_schema_creates_on_mysql() {
    let Some(db) = LiveDb::mysql().await else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for scenario in all_scenarios() {
        let round_trip = scenario.dialects.contains(&Dialect::Mysql);
        let sides = [("source", &scenario.source), ("target", &scenario.target)];
        for (side, decls) in sides
            .into_iter()
            .filter(|(side, _)| !round_trip || *side == "target")
        {
            // Declarations MySQL cannot hold (partial indexes) are refused by resolve.
            let Ok((schema, _)) = resolve(decls, Dialect::Mysql) else {
                continue;
            };
            let outcome = async {
                db.reset().await?;
                let (create, _, _) = generate(
                    &Schema::empty(Dialect::Mysql),
                    &schema,
                    &RenameHints::default(),
                )?;
                db.apply(&create).await?;
                expect_schema(&db, &schema, Order::Declared, &format!("after:\n{create}")).await
            }
            .await;
            match outcome {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("--- {} ({side}): {e:#}", scenario.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        checked >= SCENARIOS.len(),
        "only {checked} corpus schemas could be created on MySQL"
    );
}
