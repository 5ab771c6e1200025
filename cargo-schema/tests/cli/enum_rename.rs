//! An enum value renamed with a variant's `#[schema(renamed_from = "old")]`: PostgreSQL renames
//! the value in the type, SQLite's rebuild maps the stored values; rows keep their value both
//! ways, nothing needs an acknowledgement, and verify is clean.

use crate::support::Fixture;
use std::process::Command;

fn up_file(fixture: &Fixture, folder: &str) -> String {
    let name = fixture
        .files_in(folder)
        .into_iter()
        .find(|n| n.starts_with("0002_") && n.ends_with(".up.sql"))
        .unwrap_or_else(|| panic!("no 0002 up file in {folder}"));
    fixture.read(&format!("{folder}/{name}"))
}

fn sqlite3(db: &str, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .args([db, sql])
        .output()
        .expect("the sqlite3 command-line shell (Debian package sqlite3) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_renamed_variant_renames_the_value_and_keeps_the_rows() {
    let fixture = Fixture::new("enum_rename");
    fixture.run(&["generate"]).assert_code(0);
    fixture.edit(
        "src/lib.rs",
        "    Closed,\n",
        "    #[schema(renamed_from = \"closed\")]\n    Resolved,\n",
    );
    fixture
        .run(&["generate"])
        .assert_code(0)
        .assert_stdout("rename value closed to resolved")
        .assert_stdout("rename values of ticket.status: closed -> resolved");
    let pg = up_file(&fixture, "migrations/postgres");
    assert!(
        pg.contains(r#"ALTER TYPE "status" RENAME VALUE 'closed' TO 'resolved';"#),
        "{pg}"
    );
    let lite = up_file(&fixture, "migrations/sqlite");
    assert!(!lite.contains("schema:accept"), "{lite}");
    assert!(lite.contains("WHEN 'closed' THEN 'resolved'"), "{lite}");
    fixture.run(&["verify"]).assert_code(0);

    let db = fixture.path("app.db").display().to_string();
    let url = format!("sqlite://{db}?mode=rwc");
    fixture
        .run(&["migrate", "--database-url", &url, "--to", "1"])
        .assert_code(0);
    sqlite3(&db, "INSERT INTO ticket VALUES (1, 'open'), (2, 'closed')");
    fixture
        .run(&["migrate", "--database-url", &url])
        .assert_code(0);
    assert_eq!(
        sqlite3(&db, "SELECT id, status FROM ticket ORDER BY id"),
        "1|open\n2|resolved\n"
    );
    fixture
        .run(&["rollback", "--steps", "1", "--database-url", &url])
        .assert_code(0);
    assert_eq!(
        sqlite3(&db, "SELECT id, status FROM ticket ORDER BY id"),
        "1|open\n2|closed\n"
    );
}
