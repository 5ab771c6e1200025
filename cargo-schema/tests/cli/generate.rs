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

/// The keys every target object has, whatever the outcome.
const TARGET_KEYS: [&str; 7] = [
    "package",
    "dialect",
    "written",
    "changes",
    "rollback",
    "accepted_edits",
    "needs_accept",
];

#[track_caller]
fn assert_target_shape(value: &serde_json::Value, outcome: &str) {
    let targets = value["targets"].as_array().expect("targets");
    assert!(!targets.is_empty(), "{outcome}: {value}");
    for target in targets {
        for key in TARGET_KEYS {
            assert!(
                target.get(key).is_some(),
                "{outcome}: no `{key}` in {target}"
            );
        }
    }
}

/// `multi_target` with a `views` integer column generated, then widened to bigint: on
/// PostgreSQL the change and its rollback need the same acknowledgement; SQLite needs none.
fn views_widened() -> Fixture {
    let fixture = Fixture::new("multi_target");
    fixture.edit(
        "src/lib.rs",
        "pub body: String,",
        "pub body: String,\n    pub views: i32,",
    );
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/lib.rs", "pub views: i32,", "pub views: i64,");
    fixture
}

#[test]
fn every_target_object_has_the_same_shape_in_every_outcome() {
    let fixture = views_widened();
    // Refused (PostgreSQL) next to a target that could be written (SQLite): both listed.
    let refused = fixture.run(&["generate", "--format", "json"]);
    refused.assert_code(1);
    let value = refused.json();
    assert_eq!(value["status"], "refused");
    assert_target_shape(&value, "refused");
    let targets = value["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2, "{value}");
    assert_eq!(targets[0]["dialect"], "sqlite");
    assert_eq!(targets[0]["needs_accept"], serde_json::json!([]));
    assert_eq!(targets[0]["written"], false);
    assert_eq!(targets[1]["dialect"], "postgres");
    assert_eq!(targets[1]["package"], "multi_target");
    // One key for the change and its rollback step: once.
    assert_eq!(
        targets[1]["needs_accept"],
        serde_json::json!(["alter column notes.views"])
    );
    assert_eq!(
        targets[1]["rollback"][0]["accept"],
        "alter column notes.views"
    );
    assert_eq!(
        refused
            .stderr
            .matches("to go ahead: --accept \"alter column notes.views\"")
            .count(),
        1,
        "{refused}"
    );
    refused.assert_stderr(
        "run `cargo schema generate --format json --accept \"alter column notes.views\"`",
    );

    let dry = fixture.run(&["generate", "--dry-run", "--format", "json"]);
    dry.assert_code(0);
    let value = dry.json();
    assert_eq!(value["status"], "dry_run");
    assert_target_shape(&value, "dry run");
    assert_eq!(
        value["targets"][1]["needs_accept"],
        serde_json::json!(["alter column notes.views"])
    );
    assert!(value["targets"][1]["down_sql"]
        .as_str()
        .is_some_and(|s| s.contains("-- schema:accept alter column notes.views\n")));

    let written = fixture.run(&[
        "generate",
        "--format",
        "json",
        "--accept",
        "alter column notes.views",
    ]);
    written.assert_code(0);
    let value = written.json();
    assert_eq!(value["status"], "written");
    assert_target_shape(&value, "written");
    assert_eq!(value["targets"][1]["package"], "multi_target");
    assert_eq!(value["targets"][1]["written"], true);

    let fresh = fixture.run(&["generate", "--format", "json"]);
    fresh.assert_code(0);
    let value = fresh.json();
    assert_eq!(value["status"], "no_changes");
    assert_target_shape(&value, "fresh");
    assert_eq!(value["targets"][0]["rollback"], serde_json::json!([]));
}

/// `basic` with its first migration, then `posts.title` removed from the struct.
fn title_dropped() -> Fixture {
    let fixture = Fixture::new("basic");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit(
        "src/models/content/posts.rs",
        "    pub title: String,\n",
        "",
    );
    fixture
}

/// The command the refusal's help line suggests.
fn suggested(run: &crate::support::Run) -> String {
    let start = run
        .stderr
        .find("run `cargo schema generate")
        .unwrap_or_else(|| panic!("no suggestion\n{run}"))
        + "run `".len();
    let end = start + run.stderr[start..].find('`').expect("closing backtick");
    run.stderr[start..end].to_string()
}

#[test]
fn the_suggested_command_keeps_the_users_own_flags_and_works_pasted() {
    let fixture = title_dropped();
    let run = fixture.run(&[
        "generate",
        "-p",
        "basic",
        "--manifest-path",
        "Cargo.toml",
        "--dialect",
        "sqlite",
        "--name",
        "drop title now",
        "--format",
        "json",
    ]);
    run.assert_code(1);
    assert_eq!(
        suggested(&run),
        "cargo schema generate -p basic --manifest-path Cargo.toml --dialect sqlite --name \"drop title now\" --format json --accept \"drop column posts.title\"",
        "{run}"
    );
    // Pasted into a shell, it writes what the user meant.
    let command = suggested(&run).replacen(
        "cargo schema",
        &format!("'{}' schema", env!("CARGO_BIN_EXE_cargo-schema")),
        1,
    );
    let output = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(fixture.path("."))
        .env_remove("DATABASE_URL")
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["status"], "written");
    assert_eq!(value["targets"][0]["migration"], "0002_drop_title_now");
}

#[test]
fn the_suggestion_keeps_the_acknowledgements_already_given() {
    let fixture = Fixture::new("enum_rename");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/lib.rs", "    Closed,\n", "    Closed,\n    Pending,\n");
    let run = fixture.run(&["generate", "--accept", "alter enum status"]);
    run.assert_code(1);
    assert_eq!(
        suggested(&run),
        "cargo schema generate --accept \"alter enum status\" --accept \"add check constraint ticket_status_check on ticket\""
    );
}

#[test]
fn removed_enum_values_get_the_variant_rename_hint() {
    let fixture = Fixture::new("enum_rename");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/lib.rs", "    Closed,\n", "");
    // PostgreSQL `alter enum`, SQLite `add check constraint`.
    let run = fixture.run(&["generate"]);
    run.assert_code(1)
        .assert_stderr("removes enum values closed")
        .assert_stderr("to rename an enum value instead of removing it, add `#[schema(renamed_from = \"old\")]` to the renamed enum variant");
    assert!(!run.stderr.contains("instead of dropping"), "{run}");
    for dialect in ["postgres", "sqlite"] {
        fixture
            .run(&["generate", "--dialect", dialect])
            .assert_code(1)
            .assert_stderr("to the renamed enum variant");
    }

    // MySQL: the enum is the column's type, `alter column`.
    let fixture = Fixture::new("basic");
    fixture.edit("Cargo.toml", "dialect = \"sqlite\"", "dialect = \"mysql\"");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/models/users.rs", "    Member,\n", "");
    let run = fixture.run(&["generate"]);
    run.assert_code(1)
        .assert_stderr("alter column users.role")
        .assert_stderr("to the renamed enum variant");
    assert!(!run.stderr.contains("instead of dropping"), "{run}");

    // A dropped column: the field/struct wording.
    let run = title_dropped().run(&["generate"]);
    run.assert_code(1)
        .assert_stderr("to rename instead of dropping, add `#[schema(renamed_from = \"old\")]` to the renamed struct or field");
    assert!(!run.stderr.contains("enum variant"), "{run}");
}

/// `enum_rename` with its first migrations, then a `Pending` variant added: only the down
/// files (which take the value back out) need an acknowledgement.
fn value_added() -> Fixture {
    let fixture = Fixture::new("enum_rename");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/lib.rs", "    Closed,\n", "    Closed,\n    Pending,\n");
    fixture
}

const SQLITE_KEY: &str = "add check constraint ticket_status_check on ticket";

#[test]
fn dry_run_previews_a_migration_that_needs_acknowledgements() {
    let fixture = value_added();
    let before = fixture.tree();
    let run = fixture.run(&["generate", "--dry-run"]);
    run.assert_code(0)
        .assert_stdout("rollback: ")
        .assert_stdout("-- would write migrations/postgres/0002_")
        .assert_stdout("-- schema:accept alter enum status\n-- ^ dry run: not acknowledged yet; writing needs --accept \"alter enum status\"\n")
        .assert_stdout(&format!("-- schema:accept {SQLITE_KEY}\n-- ^ dry run: not acknowledged yet"))
        .assert_stderr("dry run, nothing written")
        .assert_stderr(&format!(
            "writing this migration needs 2 acknowledgement(s): `cargo schema generate --accept \"alter enum status\" --accept \"{SQLITE_KEY}\"`"
        ));
    assert!(!run.stderr.contains("refused"), "{run}");
    assert_eq!(fixture.tree(), before, "a dry run writes nothing");
    // The up files need nothing: no mark there.
    let up = run
        .stdout
        .split("-- would write ")
        .find(|part| part.starts_with("migrations/postgres/0002_") && part.contains(".up.sql"))
        .expect("the postgres up file");
    assert!(!up.contains("schema:accept"), "{up}");

    let json = fixture.run(&["generate", "--dry-run", "--format", "json"]);
    json.assert_code(0);
    let value = json.json();
    assert_eq!(value["status"], "dry_run");
    assert_eq!(
        value["targets"][0]["needs_accept"],
        serde_json::json!(["alter enum status"])
    );
    assert_eq!(
        value["targets"][1]["needs_accept"],
        serde_json::json!([SQLITE_KEY])
    );
    assert!(value["targets"][0]["down_sql"].as_str().is_some_and(|s| s
        .contains("-- schema:accept alter enum status\n")
        && !s.contains("dry run")));

    // Acknowledged: no marks, no note.
    let run = fixture.run(&[
        "generate",
        "--dry-run",
        "--accept",
        "alter enum status",
        "--accept",
        SQLITE_KEY,
    ]);
    run.assert_code(0);
    assert!(!run.stdout.contains("not acknowledged"), "{run}");
    assert!(!run.stderr.contains("needs"), "{run}");
    assert_eq!(fixture.tree(), before);
}

#[test]
fn allow_destructive_acknowledges_a_down_file_that_alone_needs_it() {
    let fixture = value_added();
    let run = fixture.run(&["generate", "--allow-destructive", "--format", "json"]);
    run.assert_code(0);
    let value = run.json();
    assert_eq!(value["status"], "written");
    for (i, (folder, key)) in [
        ("migrations/postgres", "alter enum status"),
        ("migrations/sqlite", SQLITE_KEY),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(value["targets"][i]["needs_accept"], serde_json::json!([]));
        let up_name = fixture
            .files_in(folder)
            .into_iter()
            .find(|n| n.starts_with("0002_") && n.ends_with(".up.sql"))
            .expect("0002 up file");
        let up = fixture.read(&format!("{folder}/{up_name}"));
        let down = fixture.read(&format!("{folder}/{}", up_name.replace(".up.", ".down.")));
        assert!(!up.contains("schema:accept"), "{folder}: {up}");
        let accept = format!("-- schema:accept {key}");
        assert_eq!(
            down.lines().filter(|l| *l == accept).count(),
            1,
            "{folder}: {down}"
        );
    }
    fixture.run(&["verify"]).assert_code(0);
}
