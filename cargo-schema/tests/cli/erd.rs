//! `erd`: the schema as a diagram from the snapshot or a live database, and `--erd-diff` on
//! `generate` and `verify`.

use crate::support::{Fixture, Run};

fn generated(case: &str) -> Fixture {
    let fixture = Fixture::new(case);
    fixture.run(&["generate"]).assert_code(0);
    fixture
}

/// The diagram without its title comment (the one line that names the source).
fn body(run: &Run) -> String {
    run.stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with("%%"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn draws_the_snapshot_as_mermaid() {
    let fixture = generated("basic");
    let run = fixture.run(&["erd"]);
    run.assert_code(0)
        .assert_stdout("erDiagram\n")
        .assert_stdout("%% basic (sqlite) at 0001_")
        .assert_stdout("    users {\n")
        .assert_stdout("        integer id PK\n")
        .assert_stdout("        text email UK\n")
        .assert_stdout("        bigint author_id FK\n")
        .assert_stdout("    users ||..o{ posts : \"author_id\"\n")
        // SQLite keeps the enum's values in a check: drawn as a box of its own.
        .assert_stdout("    \"users.role\" {\n        enum admin\n        enum member\n    }");
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn before_the_first_generate_it_says_what_to_do() {
    let fixture = Fixture::new("basic");
    fixture
        .run(&["erd"])
        .assert_code(2)
        .assert_stderr("has no snapshot yet")
        .assert_stderr("run `cargo schema generate` first");
}

#[test]
fn the_format_follows_the_flag_or_the_file() {
    let fixture = generated("basic");
    fixture
        .run(&["erd", "--out", "docs/schema.svg"])
        .assert_code(0)
        .assert_stdout("docs/schema.svg")
        .assert_stderr("as svg (2 tables, 1 relations, 1 enums)");
    let svg = fixture.read("docs/schema.svg");
    assert!(
        svg.contains("<svg")
            && svg.contains("id=\"table:users\"")
            && svg.contains("id=\"fk:posts:posts_author_id_fkey\""),
        "{svg}"
    );

    fixture.run(&["erd", "-o", "erd.html"]).assert_code(0);
    let html = fixture.read("erd.html");
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("window.erd")
    );

    fixture
        .run(&["erd", "--format", "dot"])
        .assert_code(0)
        .assert_stdout("digraph erd {");
    fixture
        .run(&["erd", "--format", "svg"])
        .assert_code(0)
        .assert_stdout("<svg");
    fixture.run(&["erd", "--out", "erd.gv"]).assert_code(0);
    assert!(fixture.read("erd.gv").starts_with("digraph erd {"));
    fixture.run(&["erd", "--out", "erd.txt"]).assert_code(0);
    assert!(fixture.read("erd.txt").starts_with("erDiagram"));
    // An explicit format wins over the extension.
    fixture
        .run(&["erd", "--format", "mermaid", "--out", "x.svg"])
        .assert_code(0);
    assert!(fixture.read("x.svg").starts_with("erDiagram"));

    let json = fixture.run(&["erd", "--format", "json"]);
    json.assert_code(0);
    let value = json.json();
    assert_eq!(value["status"], "drawn");
    let tables: Vec<&str> = value["diagram"]["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(tables, ["posts", "users"]);
    assert_eq!(
        value["diagram"]["relations"][0]["cardinality"],
        "one_to_many"
    );
    fixture.run(&["erd", "--out", "model.json"]).assert_code(0);
    let model: serde_json::Value = serde_json::from_str(&fixture.read("model.json")).expect("json");
    assert_eq!(model["diagram"]["relations"][0]["ref_table"], "users");
}

#[test]
fn tables_and_around_draw_part_of_the_schema() {
    let fixture = generated("basic");
    let posts = fixture.run(&["erd", "--tables", "posts"]);
    posts.assert_code(0).assert_stdout("    posts {");
    assert!(
        !posts.stdout.contains("users {") && !posts.stdout.contains("||"),
        "{posts}"
    );
    fixture
        .run(&["erd", "--around", "posts", "--depth", "1"])
        .assert_code(0)
        .assert_stdout("    users {")
        .assert_stdout("users ||..o{ posts");
    let alone = fixture.run(&["erd", "--around", "posts", "--depth", "0"]);
    assert!(!alone.stdout.contains("users {"), "{alone}");
    fixture
        .run(&["erd", "--tables", "users,post"])
        .assert_code(2)
        .assert_stderr("no table `post` in the schema (did you mean `posts`?)");
    fixture
        .run(&["erd", "--around", "nope"])
        .assert_code(2)
        .assert_stderr("no table `nope`");
    fixture
        .run(&["erd", "--depth", "2"])
        .assert_code(2)
        .assert_stderr("--around");
    fixture
        .run(&["erd", "--tables", "users", "--around", "posts"])
        .assert_code(2)
        .assert_stderr("cannot be used with");
}

#[test]
fn diagram_formats_are_for_erd_only() {
    let fixture = Fixture::new("basic");
    let before = fixture.tree();
    fixture
        .run(&["generate", "--format", "svg"])
        .assert_code(2)
        .assert_stderr("`--format svg` is a diagram format, which only `cargo schema erd` draws");
    assert_eq!(fixture.tree(), before, "nothing written");
}

#[test]
fn several_targets_need_a_dialect() {
    let fixture = generated("multi_target");
    fixture
        .run(&["erd"])
        .assert_code(2)
        .assert_stderr("several schemas to draw: multi_target (sqlite), multi_target (postgres)")
        .assert_stderr("--dialect sqlite");
    fixture
        .run(&["erd", "--dialect", "postgres"])
        .assert_code(0)
        .assert_stdout("    notes {");
}

fn add_bio(fixture: &Fixture) {
    fixture.edit(
        "src/models/users.rs",
        "pub role: Role,",
        "pub role: Role,\n    pub bio: Option<String>,",
    );
}

#[test]
fn generate_draws_what_the_migration_changes() {
    let fixture = generated("basic");
    add_bio(&fixture);
    let run = fixture.run(&["generate", "--dry-run", "--erd-diff"]);
    run.assert_code(0)
        .assert_stdout("erDiagram")
        .assert_stdout("%% basic (sqlite): the migration generate writes")
        .assert_stdout("        text bio \"nullable; added\"")
        .assert_stdout("class users changed")
        // posts is untouched: drawn faded, for context.
        .assert_stdout("class posts,\"users.role\" faded");
    fixture
        .run(&["generate", "--erd-out", "change.svg"])
        .assert_code(0)
        .assert_stderr("Drew basic (sqlite): the migration generate writes as svg in change.svg");
    let svg = fixture.read("change.svg");
    assert!(
        svg.contains("class=\"node table changed\"") && svg.contains("+ bio"),
        "{svg}"
    );
    // Nothing left to generate: nothing to draw.
    fixture
        .run(&["generate", "--erd-diff"])
        .assert_code(0)
        .assert_stderr("no schema changes to draw");
}

#[test]
fn a_refused_migration_is_drawn_too() {
    let fixture = generated("basic");
    fixture.edit(
        "src/models/content/posts.rs",
        "    pub title: String,\n",
        "",
    );
    let run = fixture.run(&["generate", "--erd-diff", "mermaid"]);
    run.assert_code(1)
        .assert_stderr("refused")
        .assert_stdout("        text title \"dropped\"");
}

#[test]
fn json_output_needs_a_file_for_the_diagram() {
    let fixture = generated("basic");
    add_bio(&fixture);
    let before = fixture.tree();
    fixture
        .run(&["generate", "--format", "json", "--erd-diff"])
        .assert_code(2)
        .assert_stderr("needs --erd-out FILE");
    assert_eq!(fixture.tree(), before, "nothing written");
    let run = fixture.run(&["generate", "--format", "json", "--erd-out", "c.mmd"]);
    run.assert_code(0);
    assert_eq!(run.json()["status"], "written");
    assert!(fixture.read("c.mmd").contains("\"nullable; added\""));
}

#[test]
fn verify_draws_the_last_migration_from_git_history() {
    let fixture = Fixture::new("basic");
    let git = |args: &[&str]| {
        let out = fixture.git(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    fixture.run(&["generate"]).assert_code(0);
    // The first migration: everything is new.
    fixture
        .run(&["verify", "--erd-diff"])
        .assert_code(0)
        .assert_stdout("class posts,users,\"users.role\" added");
    git(&["add", "-A"]);
    git(&["commit", "-qm", "first"]);
    add_bio(&fixture);
    fixture.run(&["generate", "--name", "bio"]).assert_code(0);
    let run = fixture.run(&["verify", "--erd-diff"]);
    run.assert_code(0)
        .assert_stdout("%% basic (sqlite): 0002_bio")
        .assert_stdout("        text bio \"nullable; added\"")
        .assert_stdout("class users changed");
    git(&["add", "-A"]);
    git(&["commit", "-qm", "bio"]);
    fixture
        .run(&["verify", "--erd-out", "last.html"])
        .assert_code(0)
        .assert_stderr("as html in last.html");
    assert!(fixture
        .read("last.html")
        .contains("class=\"node table changed\""));
}

#[test]
fn verify_erd_diff_without_history_says_so() {
    let fixture = generated("basic");
    add_bio(&fixture);
    fixture.run(&["generate"]).assert_code(0);
    fixture
        .run(&["verify", "--erd-diff"])
        .assert_code(2)
        .assert_stderr("git history");
}

fn with_url(fixture: &Fixture, url: &str, args: &[&str]) -> Run {
    fixture.run_in(".", args, &[("DATABASE_URL", url)])
}

/// A live database drawn through introspection is the snapshot's diagram.
fn live_matches_snapshot(fixture: &Fixture, url: &str) {
    with_url(fixture, url, &["migrate"]).assert_code(0);
    let live = with_url(fixture, url, &["erd"]);
    live.assert_code(0).assert_stderr("Reading the schema of");
    let snapshot = with_url(fixture, url, &["erd", "--snapshot"]);
    snapshot.assert_code(0);
    assert_eq!(
        body(&live),
        body(&snapshot),
        "live:\n{live}\nsnapshot:\n{snapshot}"
    );
    assert!(
        !live.stdout.contains("_schema_"),
        "the history table is not drawn\n{live}"
    );
}

#[test]
fn draws_a_live_sqlite_database() {
    let fixture = generated("basic");
    let url = format!("sqlite:{}", fixture.path("app.db").display());
    live_matches_snapshot(&fixture, &url);
    fixture
        .run(&["erd", "--database-url", &url, "--tables", "users"])
        .assert_code(0)
        .assert_stdout("    users {");
    fixture
        .run(&["erd", "--database-url", "oracle://x"])
        .assert_code(2)
        .assert_stderr("is not a database URL");
}

#[test]
fn draws_a_live_postgres_database() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = Fixture::new("basic");
    fixture.edit(
        "Cargo.toml",
        "dialect = \"sqlite\"",
        "dialect = \"postgres\"",
    );
    fixture.run(&["generate"]).assert_code(0);
    live_matches_snapshot(&fixture, &db.url);
    // A native enum type: its own box.
    with_url(&fixture, &db.url, &["erd"])
        .assert_stdout("    role {\n        enum admin\n        enum member\n    }")
        .assert_stdout("role ||..o{ users : \"role\"");
}

#[test]
fn draws_a_live_mysql_database() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::mysql()) else {
        return;
    };
    let fixture = Fixture::new("basic");
    fixture.edit("Cargo.toml", "dialect = \"sqlite\"", "dialect = \"mysql\"");
    fixture.run(&["generate"]).assert_code(0);
    live_matches_snapshot(&fixture, &db.url);
    with_url(&fixture, &db.url, &["erd"]).assert_stdout("    \"users.role\" {");
}
