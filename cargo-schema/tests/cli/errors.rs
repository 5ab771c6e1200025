//! Bad input: each a clear error saying what to do (exit 2), and nothing written.

use crate::support::{Fixture, Run};

/// Runs `args` and asserts exit 2 and an unchanged fixture.
#[track_caller]
fn refuses(fixture: &Fixture, args: &[&str]) -> Run {
    let before = fixture.tree();
    let run = fixture.run(args);
    run.assert_code(2);
    assert_eq!(fixture.tree(), before, "the command wrote files\n{run}");
    assert!(run.stdout.is_empty(), "errors go to stderr\n{run}");
    run
}

#[test]
fn package_without_metadata() {
    let fixture = Fixture::new("no_metadata");
    for command in ["generate", "verify"] {
        refuses(&fixture, &[command])
            .assert_stderr("package `no_metadata` has no `[package.metadata.schema]`")
            .assert_stderr("dialect = \"postgres\"");
    }
}

#[test]
fn workspace_member_without_metadata() {
    let fixture = Fixture::new("workspace");
    refuses(&fixture, &["generate", "-p", "plain"])
        .assert_stderr("package `plain` has no `[package.metadata.schema]`");
    refuses(&fixture, &["generate", "-p", "nope"])
        .assert_stderr("package `nope` is not a member of this workspace")
        .assert_stderr("members: app, plain, shop");
}

#[test]
fn unknown_dialect() {
    let fixture = Fixture::new("unknown_dialect");
    refuses(&fixture, &["generate"])
        .assert_stderr("unknown dialect `oracle`: use one of `postgres`, `sqlite`, `mysql`")
        .assert_stderr("Cargo.toml");
    let fixture = Fixture::new("basic");
    refuses(&fixture, &["generate", "--dialect", "oracle"])
        .assert_stderr("unknown dialect `oracle`");
    refuses(&fixture, &["generate", "--dialect", "postgres"])
        .assert_stderr("package `basic` has no `postgres` target");
}

#[test]
fn unparsable_rust_file_points_at_the_position() {
    let fixture = Fixture::new("unparsable");
    refuses(&fixture, &["generate"])
        .assert_stderr("src/models.rs:6:16: cannot parse this Rust file")
        .assert_stderr("1 problem in its sources; nothing written");
}

#[test]
fn missing_module_file_points_at_the_mod_item() {
    let fixture = Fixture::new("basic");
    fixture.edit(
        "src/lib.rs",
        "pub mod models;",
        "pub mod models;\nmod gone;",
    );
    refuses(&fixture, &["generate"])
        .assert_stderr("src/lib.rs:3:5: file not found for module `gone`");
}

#[test]
fn two_structs_for_one_table() {
    let fixture = Fixture::new("duplicate_table");
    let run = refuses(&fixture, &["generate"]);
    run.assert_stderr("table `users` is declared twice");
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("declared twice"))
        .expect("the diagnostic line");
    assert!(
        line.starts_with("src/people.rs:") || line.starts_with("src/accounts.rs:"),
        "file:line:col first: {line}"
    );
}

#[test]
fn references_to_missing_tables_and_columns() {
    let fixture = Fixture::new("bad_reference");
    refuses(&fixture, &["generate"])
        .assert_stderr("src/lib.rs:9:9: `references = \"orgs.id\"` names table `orgs`, which no `#[derive(Table)]` struct declares")
        .assert_stderr(
            "src/lib.rs:11:9: `references = \"users.uuid\"`: table `users` has no column `uuid`",
        )
        .assert_stderr("package `bad_reference` for postgres: 2 problems");
}

#[test]
fn corrupted_snapshot() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "migrations/schema.snapshot.json",
        "{\n  \"format_version\": 1,\n  \"dialect\": \n",
    );
    for command in ["generate", "verify"] {
        refuses(&fixture, &[command])
            .assert_stderr("migrations/schema.snapshot.json:4:")
            .assert_stderr("the snapshot is corrupted")
            .assert_stderr("git checkout -- migrations/schema.snapshot.json");
    }
    refuses(&fixture, &["new", "fix"]).assert_stderr("the snapshot is corrupted");
}

#[test]
fn newer_snapshot_format() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "migrations/schema.snapshot.json",
        "{\"format_version\": 99, \"dialect\": \"sqlite\", \"future\": true}\n",
    );
    refuses(&fixture, &["generate"])
        .assert_stderr("format version 99")
        .assert_stderr("upgrade cargo-schema");
}

#[test]
fn snapshot_of_another_dialect() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "migrations/schema.snapshot.json",
        "{\"format_version\": 1, \"dialect\": \"postgres\"}\n",
    );
    refuses(&fixture, &["new", "x"])
        .assert_stderr("was written for postgres, but this target's dialect is sqlite");
}

#[test]
fn bad_migration_name() {
    let fixture = Fixture::new("basic");
    refuses(&fixture, &["new", "drop;table"]).assert_stderr("`;` is not allowed");
    refuses(&fixture, &["generate", "--name", "a/b"]).assert_stderr("`/` is not allowed");
}

#[test]
fn manifest_path_that_does_not_exist() {
    let fixture = Fixture::new("basic");
    refuses(
        &fixture,
        &["generate", "--manifest-path", "nowhere/Cargo.toml"],
    )
    .assert_stderr("cannot read the cargo workspace at nowhere/Cargo.toml")
    .assert_stderr("--manifest-path");
}

#[test]
fn errors_in_json_mode_are_json_on_stdout() {
    let fixture = Fixture::new("unknown_dialect");
    let run = fixture.run(&["generate", "--format", "json"]);
    run.assert_code(2);
    let value = run.json();
    assert_eq!(value["status"], "error");
    assert!(
        value["error"]
            .as_str()
            .unwrap_or_default()
            .contains("oracle"),
        "{run}"
    );
}

#[test]
fn attribute_mistakes_get_the_derives_words_at_the_key() {
    let fixture = Fixture::new("basic");
    fixture.edit(
        "src/models/users.rs",
        "#[schema(unique)]",
        "#[schema(uniqe)]",
    );
    fixture.edit(
        "src/models/content/posts.rs",
        "on_delete = \"cascade\"",
        "on_delete = \"explode\"",
    );
    refuses(&fixture, &["generate"])
        .assert_stderr(
            "src/models/users.rs:14:14: unknown key `uniqe` on a field: did you mean `unique`?",
        )
        .assert_stderr("src/models/content/posts.rs:")
        .assert_stderr("explode")
        .assert_stderr("2 problems");
}
