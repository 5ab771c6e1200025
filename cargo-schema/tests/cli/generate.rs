//! `generate`: writes the next numbered migration and the snapshot, or says there is nothing
//! to do; refuses unacknowledged destructive changes.

use crate::support::Fixture;
use schema_core::snapshot::{MigrationKind, Snapshot};

fn snapshot(fixture: &Fixture, folder: &str) -> Snapshot {
    Snapshot::parse(&fixture.read(&format!("{folder}/schema.snapshot.json")))
        .expect("a valid snapshot")
}

/// The one `0001_*.up.sql` file name in the folder.
pub fn first_up(fixture: &Fixture, folder: &str) -> String {
    let names = fixture.files_in(folder);
    names
        .into_iter()
        .find(|n| n.starts_with("0001_") && n.ends_with(".up.sql"))
        .expect("a 0001 up file")
}

#[test]
fn writes_the_first_migration_and_then_has_nothing_to_do() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["generate"]);
    run.assert_code(0)
        .assert_stderr("Generated basic (sqlite): 0001_");
    let names = fixture.files_in("migrations");
    assert_eq!(names.len(), 3, "{names:?}\n{run}");
    for name in &names {
        run.assert_stdout(&format!("migrations/{name}"));
    }
    // The change table: one line per change, with its risk.
    run.assert_stdout("users")
        .assert_stdout("posts")
        .assert_stdout("safe");
    let snapshot = snapshot(&fixture, "migrations");
    assert_eq!(snapshot.migrations.len(), 1);
    assert_eq!(snapshot.migrations[0].kind, MigrationKind::Generated);
    assert_eq!(snapshot.migrations[0].parent, None);
    assert!(snapshot.schema.tables.contains_key("posts"));
    assert!(
        !snapshot.schema.tables.contains_key("scratch"),
        "#[cfg(test)] modules are skipped"
    );
    let up = fixture.read(&format!("migrations/{}", first_up(&fixture, "migrations")));
    assert!(up.to_lowercase().contains("create table"), "{up}");

    let before = fixture.tree();
    let again = fixture.run(&["generate"]);
    again
        .assert_code(0)
        .assert_stderr("no changes, nothing written");
    assert_eq!(
        fixture.tree(),
        before,
        "nothing is written when nothing changed"
    );
}

#[test]
fn name_flag_sets_the_slug_and_the_next_number_follows() {
    let fixture = Fixture::new("basic");
    fixture
        .run(&["generate", "--name", "Initial Schema"])
        .assert_code(0);
    assert!(fixture
        .path("migrations/0001_initial_schema.up.sql")
        .is_file());
    fixture.edit(
        "src/models/users.rs",
        "pub role: Role,",
        "pub role: Role,\n    pub nickname: Option<String>,",
    );
    fixture
        .run(&["generate"])
        .assert_code(0)
        .assert_stderr("Generated basic (sqlite): 0002_");
    let snapshot = snapshot(&fixture, "migrations");
    assert_eq!(
        snapshot.migrations[1].parent.as_deref(),
        Some("0001_initial_schema")
    );
    let column = fixture
        .read("migrations/schema.snapshot.json")
        .lines()
        .filter(|l| l.contains("\"nickname\""))
        .count();
    assert_eq!(column, 1, "a new column is one line of the snapshot");
}

#[test]
fn destructive_changes_are_refused_until_acknowledged() {
    let fixture = Fixture::new("basic");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit(
        "src/models/content/posts.rs",
        "    pub title: String,\n",
        "",
    );
    let before = fixture.tree();
    let run = fixture.run(&["generate"]);
    run.assert_code(1)
        .assert_stderr("refused")
        .assert_stderr("destructive")
        .assert_stderr("--accept \"drop column posts.title\"");
    assert_eq!(
        fixture.tree(),
        before,
        "a refused generate writes nothing\n{run}"
    );

    let run = fixture.run(&["generate", "--allow-destructive"]);
    run.assert_code(0);
    let up_name = fixture
        .files_in("migrations")
        .into_iter()
        .find(|n| n.starts_with("0002_") && n.ends_with(".up.sql"))
        .expect("0002 up file");
    let up = fixture.read(&format!("migrations/{up_name}"));
    assert!(
        up.contains("-- schema:accept drop column posts.title\n"),
        "{up}"
    );
}

#[test]
fn every_target_gets_its_own_migrations() {
    let fixture = Fixture::new("multi_target");
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    assert_eq!(fixture.files_in("migrations/sqlite"), Vec::<String>::new());
    assert_eq!(fixture.files_in("migrations/postgres").len(), 3);
    fixture
        .run(&["generate"])
        .assert_code(0)
        .assert_stderr("Generated multi_target (sqlite): 0001_");
    assert_eq!(fixture.files_in("migrations/sqlite").len(), 3);
    let sqlite = snapshot(&fixture, "migrations/sqlite");
    let postgres = snapshot(&fixture, "migrations/postgres");
    assert_eq!(sqlite.schema.dialect, schema_core::Dialect::Sqlite);
    assert_eq!(
        postgres.migrations.len(),
        1,
        "the postgres target had nothing new"
    );
}

#[test]
fn virtual_workspace_acts_on_members_with_metadata() {
    let fixture = Fixture::new("workspace");
    // From a member's folder (or below it), only that member, as cargo does.
    fixture.run_in("app/src", &["generate"], &[]).assert_code(0);
    assert_eq!(fixture.files_in("app/migrations").len(), 3);
    assert_eq!(fixture.files_in("shop/migrations"), Vec::<String>::new());
    // At the virtual root, every member with `[package.metadata.schema]`.
    let run = fixture.run(&["generate"]);
    run.assert_code(0).assert_stderr("no changes");
    assert_eq!(fixture.files_in("shop/migrations").len(), 3, "{run}");
    assert!(fixture.files_in("plain").iter().all(|n| n != "migrations"));
    // --dialect narrows the members to those with that target.
    fixture.edit(
        "shop/src/lib.rs",
        "pub total_cents: i64,",
        "pub total_cents: i64,\n    pub note: Option<String>,",
    );
    fixture.edit(
        "app/src/lib.rs",
        "pub name: String,",
        "pub name: String,\n    pub note: Option<String>,",
    );
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    assert_eq!(fixture.files_in("shop/migrations").len(), 5);
    assert_eq!(fixture.files_in("app/migrations").len(), 3);
}

#[test]
fn manifest_path_selects_the_package() {
    let fixture = Fixture::new("workspace");
    fixture
        .run_in(
            "plain",
            &["generate", "--manifest-path", "../shop/Cargo.toml"],
            &[],
        )
        .assert_code(0);
    assert_eq!(fixture.files_in("shop/migrations").len(), 3);
    assert_eq!(fixture.files_in("app/migrations"), Vec::<String>::new());
    fixture.run(&["generate", "-p", "app"]).assert_code(0);
    assert_eq!(fixture.files_in("app/migrations").len(), 3);
}

#[test]
fn json_output_describes_what_was_written() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["generate", "--format", "json"]);
    run.assert_code(0);
    let value = run.json();
    assert_eq!(value["status"], "written");
    let target = &value["targets"][0];
    assert_eq!(target["dialect"], "sqlite");
    assert!(
        target["migration"]
            .as_str()
            .is_some_and(|m| m.starts_with("0001_")),
        "{run}"
    );
    assert!(
        target["changes"].as_array().is_some_and(|c| !c.is_empty()),
        "{run}"
    );
    let run = fixture.run(&["generate", "--format", "json"]);
    assert_eq!(run.json()["status"], "no_changes");
}

#[test]
fn dry_run_prints_the_migration_and_writes_nothing() {
    let fixture = Fixture::new("basic");
    let before = fixture.tree();
    let run = fixture.run(&["generate", "--dry-run"]);
    run.assert_code(0)
        .assert_stdout("-- would write migrations/0001_")
        .assert_stdout("CREATE TABLE")
        .assert_stderr("dry run, nothing written");
    assert_eq!(fixture.tree(), before, "{run}");
    let json = fixture.run(&["generate", "--dry-run", "--format", "json"]);
    let value = json.json();
    assert_eq!(value["status"], "dry_run");
    assert!(value["targets"][0]["up_sql"]
        .as_str()
        .is_some_and(|s| s.contains("CREATE TABLE")));
    assert_eq!(fixture.tree(), before);
}
