//! Issue 6 on the command line: changes that need an acknowledgement are refused with the
//! exact `--accept` to pass, the acknowledgement is recorded in the migration, `verify`
//! reports a migration that lost it, and PostgreSQL targets get the safe forms and the
//! `postgres_version` of their metadata.

use crate::support::Fixture;
use serde_json::Value;

fn up_file(fixture: &Fixture, folder: &str, number: &str) -> String {
    let name = fixture
        .files_in(folder)
        .into_iter()
        .find(|n| n.starts_with(number) && n.ends_with(".up.sql"))
        .unwrap_or_else(|| panic!("no {number} up file in {folder}"));
    format!("{folder}/{name}")
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

#[test]
fn refusal_names_the_exact_accept_and_the_accept_is_recorded() {
    let fixture = title_dropped();
    let before = fixture.tree();
    let run = fixture.run(&["generate"]);
    run.assert_code(1)
        .assert_stdout("drop column posts.title")
        .assert_stdout("WHY -> WHAT IT DID")
        .assert_stderr("to go ahead: --accept \"drop column posts.title\"")
        .assert_stderr("safer: stop reading and writing the column")
        .assert_stderr("refused: 1 change(s) for sqlite")
        .assert_stderr("to rename instead of dropping");
    assert_eq!(fixture.tree(), before, "a refused generate writes nothing");
    let json = fixture.run(&["generate", "--format", "json"]);
    json.assert_code(1);
    let value = json.json();
    assert_eq!(value["status"], "refused");
    assert_eq!(
        value["targets"][0]["needs_accept"][0],
        "drop column posts.title"
    );
    assert_eq!(value["targets"][0]["changes"][0]["risk"], "destructive");
    assert!(value["targets"][0]["changes"][0]["why"]
        .as_str()
        .is_some_and(|w| w.contains("data loss")));

    fixture
        .run(&["generate", "--accept", "drop column posts.title"])
        .assert_code(0);
    let up = fixture.read(&up_file(&fixture, "migrations", "0002_"));
    assert!(
        up.starts_with("-- schema:foreign-keys=off\n-- schema:accept drop column posts.title\n")
            || up.starts_with("-- schema:accept drop column posts.title\n"),
        "{up}"
    );
    assert!(
        up.contains("--   requires: -- schema:accept drop column posts.title\n"),
        "{up}"
    );
    fixture.run(&["verify"]).assert_code(0);
}

#[test]
fn an_accept_that_matches_no_change_is_an_error_listing_the_right_words() {
    let fixture = title_dropped();
    fixture
        .run(&["generate", "--accept", "drop column posts.titel"])
        .assert_code(2)
        .assert_stderr("`--accept \"drop column posts.titel\"` matches no change")
        .assert_stderr("--accept \"drop column posts.title\"");
}

#[test]
fn allow_destructive_still_acknowledges_everything_and_records_each() {
    let fixture = title_dropped();
    fixture
        .run(&["generate", "--allow-destructive"])
        .assert_code(0);
    let up = fixture.read(&up_file(&fixture, "migrations", "0002_"));
    assert!(
        up.contains("-- schema:accept drop column posts.title\n"),
        "{up}"
    );
}

#[test]
fn verify_reports_a_destructive_migration_without_its_accept_line() {
    let fixture = title_dropped();
    fixture
        .run(&["generate", "--accept", "drop column posts.title"])
        .assert_code(0);
    let path = up_file(&fixture, "migrations", "0002_");
    let text = fixture.read(&path);
    fixture.write(
        &path,
        &text.replacen("-- schema:accept drop column posts.title\n", "", 1),
    );
    // Recording the edit keeps the chain clean: only the missing acknowledgement is left.
    fixture.run(&["generate", "--accept-edits"]).assert_code(0);
    let run = fixture.run(&["verify"]);
    run.assert_code(1)
        .assert_stdout("problem[missing_accept]")
        .assert_stdout("has no `-- schema:accept drop column posts.title` line")
        .assert_stdout("fix: if the change is intended, add the line `-- schema:accept drop column posts.title -- <why>`");
    fixture.write(&path, &text);
    fixture.run(&["generate", "--accept-edits"]).assert_code(0);
    fixture.run(&["verify"]).assert_code(0);
}

/// `multi_target` with its first PostgreSQL migration, then `body` indexed.
fn indexed_body(extra_metadata: &str) -> Fixture {
    let fixture = Fixture::new("multi_target");
    if !extra_metadata.is_empty() {
        fixture.edit(
            "Cargo.toml",
            "dialect = \"postgres\"\n",
            &format!("dialect = \"postgres\"\n{extra_metadata}\n"),
        );
    }
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    pub body: String,",
        "    #[schema(index)]\n    pub body: String,",
    );
    fixture
}

#[test]
fn postgres_index_on_an_existing_table_is_built_concurrently_outside_a_transaction() {
    let fixture = indexed_body("");
    let run = fixture.run(&["generate", "--dialect", "postgres"]);
    run.assert_code(0)
        .assert_stdout("needs care")
        .assert_stdout("CREATE INDEX CONCURRENTLY, outside a transaction");
    let up = fixture.read(&up_file(&fixture, "migrations/postgres", "0002_"));
    assert!(up.starts_with("-- schema:no-transaction\n"), "{up}");
    assert!(up.contains("SET lock_timeout = '1500ms';\n"), "{up}");
    assert!(
        up.contains("SET lock_timeout = '60s';\nCREATE INDEX CONCURRENTLY \"notes_body_idx\" ON \"notes\" (\"body\");\nSET lock_timeout = '1500ms';\n"),
        "{up}"
    );
    let down =
        fixture.read(&up_file(&fixture, "migrations/postgres", "0002_").replace(".up.", ".down."));
    assert!(
        down.contains("DROP INDEX CONCURRENTLY \"notes_body_idx\";"),
        "{down}"
    );
}

#[test]
fn json_carries_why_hazards_lock_alternative_and_what_it_did() {
    let fixture = indexed_body("");
    let run = fixture.run(&[
        "generate",
        "--dialect",
        "postgres",
        "--dry-run",
        "--format",
        "json",
    ]);
    run.assert_code(0);
    let value = run.json();
    let change = &value["targets"][0]["changes"][0];
    assert_eq!(
        change["change"], "add index notes_body_idx on notes (body)",
        "{run}"
    );
    assert_eq!(change["risk"], "needs_care");
    assert_eq!(change["hazards"][0], "lock");
    assert_eq!(change["lock"], "SHARE");
    assert_eq!(
        change["did"],
        "CREATE INDEX CONCURRENTLY, outside a transaction"
    );
    assert!(change["why"]
        .as_str()
        .is_some_and(|w| w.contains("blocks writes")));
    assert!(change["safe_alternative"]
        .as_str()
        .is_some_and(|a| a.contains("INVALID index")));
    assert!(change["accept"].is_null());
}

#[test]
fn lock_timeouts_come_from_the_metadata() {
    let fixture = indexed_body("lock_timeout = \"750ms\"\nconcurrent_lock_timeout = \"5min\"");
    // Set in the target's table, under a second: the autovacuum note too.
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0)
        .assert_stderr("note: multi_target (postgres): `lock_timeout = \"750ms\"` is not above");
    let up = fixture.read(&up_file(&fixture, "migrations/postgres", "0002_"));
    assert!(up.contains("SET lock_timeout = '750ms';\n"), "{up}");
    assert!(up.contains("SET lock_timeout = '300s';\n"), "{up}");
    let first = fixture.read(&up_file(&fixture, "migrations/postgres", "0001_"));
    assert!(
        first.contains("SET LOCAL lock_timeout = '750ms';\n"),
        "{first}"
    );
}

const AUTOVACUUM_NOTE: &str = "is not above PostgreSQL's `deadlock_timeout`";

/// `multi_target` (SQLite and PostgreSQL targets) with a package-level `lock_timeout`.
fn package_lock_timeout(value: &str) -> Fixture {
    let fixture = Fixture::new("multi_target");
    fixture.edit(
        "Cargo.toml",
        "[[package.metadata.schema.target]]\ndialect = \"sqlite\"",
        &format!(
            "[package.metadata.schema]\nlock_timeout = \"{value}\"\n\n[[package.metadata.schema.target]]\ndialect = \"sqlite\""
        ),
    );
    fixture
}

#[test]
fn a_lock_timeout_of_one_second_or_less_gets_a_note_about_autovacuum_on_postgres() {
    let fixture = package_lock_timeout("1s");
    let run = fixture.run(&["generate"]);
    run.assert_code(0)
        .assert_stderr("note: multi_target (postgres): `lock_timeout = \"1s\"` is not above PostgreSQL's `deadlock_timeout` (1 s by default)")
        .assert_stderr("autovacuum worker")
        .assert_stderr("the default is \"1500ms\"");
    assert_eq!(run.stderr.matches(AUTOVACUUM_NOTE).count(), 1, "{run}");
    assert!(!run.stderr.contains("(sqlite): `lock_timeout"), "{run}");
    let first = fixture.read(&up_file(&fixture, "migrations/postgres", "0001_"));
    assert!(
        first.contains("SET LOCAL lock_timeout = '1s';\n"),
        "{first}"
    );
    // Nothing to generate: no note.
    let again = fixture.run(&["generate"]);
    again.assert_code(0);
    assert!(!again.stderr.contains(AUTOVACUUM_NOTE), "{again}");

    // Above the deadlock timeout, and the default: no note.
    for fixture in [package_lock_timeout("1001ms"), Fixture::new("multi_target")] {
        let run = fixture.run(&["generate"]);
        run.assert_code(0);
        assert!(!run.stderr.contains(AUTOVACUUM_NOTE), "{run}");
    }
}

#[test]
fn postgres_version_from_the_metadata_changes_the_verdict() {
    let fixture = Fixture::new("multi_target");
    fixture.edit(
        "Cargo.toml",
        "dialect = \"postgres\"\n",
        "dialect = \"postgres\"\npostgres_version = 11\n",
    );
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    pub body: String,",
        "    pub body: String,\n    pub draft: Option<String>,",
    );
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    pub draft: Option<String>,",
        "    pub draft: String,",
    );
    let run = fixture.run(&["generate", "--dialect", "postgres", "--dry-run"]);
    run.assert_code(0)
        .assert_stdout("PostgreSQL 11 has no scan-free path")
        .assert_stdout("ALTER COLUMN \"draft\" SET NOT NULL;");
    assert!(!run.stdout.contains("NOT VALID"), "{run}");
}

/// `verify --database-url` replays the safe forms (a no-transaction file with CONCURRENTLY,
/// NOT VALID + VALIDATE and a CHECK-proven SET NOT NULL) up, down and up on a real PostgreSQL.
#[test]
fn verify_replays_the_safe_forms_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = indexed_body("");
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    pub body: String,",
        "    pub body: String,\n    pub title: Option<String>,",
    );
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    pub title: Option<String>,",
        "    pub title: String,",
    );
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    let up = fixture.read(&up_file(&fixture, "migrations/postgres", "0004_"));
    assert!(up.contains("NOT VALID"), "{up}");
    let run = fixture.run(&["verify", "--dialect", "postgres", "--database-url", &db.url]);
    run.assert_code(0)
        .assert_stderr("Replaying multi_target (postgres) on a scratch database")
        .assert_stderr("Verified multi_target (postgres): clean");
}

const SQLITE_KEY: &str = "add check constraint ticket_status_check on ticket";

/// `enum_rename` (PostgreSQL and SQLite targets) with its first migrations, then a `Pending`
/// variant added to `Status`.
fn value_added() -> Fixture {
    let fixture = Fixture::new("enum_rename");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit("src/lib.rs", "    Closed,\n", "    Closed,\n    Pending,\n");
    fixture
}

#[test]
fn the_rollback_of_an_added_enum_value_needs_its_own_acknowledgement() {
    let fixture = value_added();
    let before = fixture.tree();
    let run = fixture.run(&["generate"]);
    run.assert_code(1)
        .assert_stdout("rollback: ")
        .assert_stderr("in the down migration: ")
        .assert_stderr("to go ahead: --accept \"alter enum status\"")
        // SQLite's enum is a check on the column: its rollback rebuilds the table.
        .assert_stderr(SQLITE_KEY)
        .assert_stderr("refused: 1 step(s) of the down migration for postgres");
    assert!(!run.stderr.contains("to rename instead"), "{}", run.stderr);
    assert_eq!(fixture.tree(), before, "a refused generate writes nothing");
    let json = fixture.run(&["generate", "--format", "json"]);
    json.assert_code(1);
    let value = json.json();
    assert_eq!(value["targets"][0]["needs_accept"][0], "alter enum status");
    assert_eq!(value["targets"][0]["changes"][0]["accept"], Value::Null);
    assert_eq!(value["targets"][0]["rollback"][0]["risk"], "destructive");

    fixture
        .run(&["generate", "--accept", "alter enum status"])
        .assert_code(1)
        .assert_stderr(SQLITE_KEY);
    fixture
        .run(&[
            "generate",
            "--accept",
            "alter enum status",
            "--accept",
            SQLITE_KEY,
        ])
        .assert_code(0);
    for (folder, key) in [
        ("migrations/postgres", "alter enum status"),
        ("migrations/sqlite", SQLITE_KEY),
    ] {
        let up_path = up_file(&fixture, folder, "0002_");
        let up = fixture.read(&up_path);
        let down_path = up_path.replace(".up.", ".down.");
        let down = fixture.read(&down_path);
        assert!(!up.contains("schema:accept"), "{folder}: {up}");
        assert!(
            down.contains(&format!("-- schema:accept {key}\n"))
                && down.contains(&format!("--   requires: -- schema:accept {key}\n")),
            "{folder}: {down}"
        );
    }
    fixture.run(&["verify"]).assert_code(0);

    // The down file losing its acknowledgement is a verify problem like an up file's.
    let down_path = up_file(&fixture, "migrations/postgres", "0002_").replace(".up.", ".down.");
    let down = fixture.read(&down_path);
    fixture.write(
        &down_path,
        &down.replacen("-- schema:accept alter enum status\n", "", 1),
    );
    fixture.run(&["generate", "--accept-edits"]).assert_code(0);
    fixture
        .run(&["verify"])
        .assert_code(1)
        .assert_stdout("problem[missing_accept]")
        .assert_stdout(".down.sql makes the change `alter enum status`");
}
