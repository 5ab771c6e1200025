//! `new NAME`: an empty hand-written migration, numbered in sequence and recorded as
//! hand-written.

use crate::support::Fixture;
use schema_core::snapshot::{MigrationKind, Snapshot};

#[test]
fn creates_a_numbered_pair_recorded_as_hand_written() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["new", "Backfill roles"]);
    run.assert_code(0)
        .assert_stdout("migrations/0001_backfill_roles.up.sql")
        .assert_stdout("migrations/0001_backfill_roles.down.sql")
        .assert_stdout("migrations/schema.snapshot.json");
    let up = fixture.read("migrations/0001_backfill_roles.up.sql");
    assert!(
        up.starts_with("-- 0001_backfill_roles (up): hand-written migration"),
        "{up}"
    );
    let snapshot =
        Snapshot::parse(&fixture.read("migrations/schema.snapshot.json")).expect("valid");
    assert_eq!(snapshot.migrations.len(), 1);
    assert_eq!(snapshot.migrations[0].kind, MigrationKind::HandWritten);
    assert!(
        snapshot.schema.is_empty(),
        "new does not change the recorded schema"
    );

    fixture.run(&["new", "second"]).assert_code(0);
    let snapshot =
        Snapshot::parse(&fixture.read("migrations/schema.snapshot.json")).expect("valid");
    assert_eq!(snapshot.migrations[1].id(), "0002_second");
    assert_eq!(
        snapshot.migrations[1].parent.as_deref(),
        Some("0001_backfill_roles")
    );
}

#[test]
fn refuses_while_unrecorded_migrations_exist() {
    let fixture = Fixture::new("basic");
    fixture.write("migrations/0001_stray.up.sql", "select 1;");
    fixture.write("migrations/0001_stray.down.sql", "select 1;");
    let before = fixture.tree();
    fixture
        .run(&["new", "x"])
        .assert_code(2)
        .assert_stderr("holds migrations the snapshot does not record: 0001_stray")
        .assert_stderr("cargo schema verify");
    assert_eq!(fixture.tree(), before);
}

#[test]
fn json_lists_the_files() {
    let fixture = Fixture::new("multi_target");
    let run = fixture.run(&["new", "seed", "--format", "json"]);
    run.assert_code(0);
    let value = run.json();
    assert_eq!(value["status"], "written");
    assert_eq!(
        value["migrations"].as_array().map(Vec::len),
        Some(2),
        "{run}"
    );
    assert!(fixture
        .path("migrations/postgres/0001_seed.up.sql")
        .is_file());
    assert!(fixture
        .path("migrations/sqlite/0001_seed.down.sql")
        .is_file());
}
