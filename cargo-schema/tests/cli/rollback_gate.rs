//! `cargo schema rollback` on generated migrations with real rows, on SQLite, PostgreSQL and
//! MariaDB: a down file that would delete data is refused (exit 1, nothing undone) with the
//! row count, sample keys and the `--accept` words; `--dry-run` shows the file's data-loss
//! comments and the would-be refusal; `--accept "<change>"` / `--allow-destructive` let it
//! run; rows the old schema cannot hold (an enum value added since) refuse it whatever is
//! acknowledged.

use crate::support::{Fixture, Run};
use schema_tests::testdb::{self, TestDb};

/// The basic fixture generated for `dialect` (`init`), then `users.bio` added (`add_bio`).
fn fixture(dialect: &str) -> Fixture {
    let fixture = Fixture::new("basic");
    fixture.edit(
        "Cargo.toml",
        "dialect = \"sqlite\"",
        &format!("dialect = \"{dialect}\""),
    );
    fixture.run(&["generate", "--name", "init"]).assert_code(0);
    fixture.edit(
        "src/models/users.rs",
        "    pub role: Role,\n",
        "    pub role: Role,\n    pub bio: Option<String>,\n",
    );
    fixture
        .run(&["generate", "--name", "add_bio"])
        .assert_code(0);
    fixture
}

struct Database {
    url: String,
    _db: Option<TestDb>,
}

fn database(dialect: &str, fixture: &Fixture) -> Option<Database> {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    Some(match dialect {
        "postgres" => {
            let db = runtime.block_on(testdb::postgres())?;
            Database {
                url: db.url.clone(),
                _db: Some(db),
            }
        }
        "mysql" => {
            let db = runtime.block_on(testdb::mysql())?;
            Database {
                url: db.url.clone(),
                _db: Some(db),
            }
        }
        _ => Database {
            url: format!("sqlite:{}", fixture.path("app.db").display()),
            _db: None,
        },
    })
}

fn execute(url: &str, sql: &str) {
    use sqlx::Connection;
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    runtime
        .block_on(async {
            if url.starts_with("postgres") {
                let mut c = sqlx::PgConnection::connect(url).await?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(drop)
            } else if url.starts_with("mysql") {
                let mut c = sqlx::MySqlConnection::connect(url).await?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(drop)
            } else {
                let mut c = sqlx::SqliteConnection::connect(url).await?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(drop)
            }
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

fn run(fixture: &Fixture, url: &str, args: &[&str]) -> Run {
    fixture.run_in(".", args, &[("DATABASE_URL", url)])
}

fn status(fixture: &Fixture, url: &str) -> serde_json::Value {
    run(fixture, url, &["status", "--format", "json"]).json()["report"]["current_version"].clone()
}

fn data_loss_is_refused_until_acknowledged(dialect: &str) {
    let fixture = fixture(dialect);
    let Some(db) = database(dialect, &fixture) else {
        return;
    };
    let url = db.url.as_str();
    run(&fixture, url, &["migrate"]).assert_code(0);
    execute(
        url,
        "INSERT INTO users (id, email, role, bio) VALUES (1, 'a@x', 'admin', 'likes tea'), (2, 'b@x', 'member', NULL), (3, 'c@x', 'member', 'hi')",
    );

    // Refused, with the count, the keys and the words that acknowledge it; nothing undone.
    let refused = run(&fixture, url, &["rollback", "--steps", "1"]);
    refused
        .assert_code(1)
        .assert_stderr("nothing was undone")
        .assert_stderr("drops column users.bio: 2 rows hold a value there (1; 3)")
        .assert_stderr("--accept \"drop column users.bio\"");
    assert_eq!(status(&fixture, url), 2, "{refused}");
    let json = run(
        &fixture,
        url,
        &["rollback", "--steps", "1", "--format", "json"],
    );
    json.assert_code(1);
    let value = json.json();
    assert_eq!(value["status"], "refused", "{json}");
    assert_eq!(value["checks"][0]["rows"], 2, "{json}");
    assert_eq!(
        value["checks"][0]["accept"], "drop column users.bio",
        "{json}"
    );
    assert_eq!(
        value["checks"][0]["sample_keys"],
        serde_json::json!(["1", "3"])
    );

    // The dry run shows the file's data-loss comments and the refusal it would meet.
    let dry = run(&fixture, url, &["rollback", "--steps", "1", "--dry-run"]);
    dry.assert_code(1)
        .assert_stdout("-- drop column users.bio (destructive)")
        .assert_stdout("--   data loss: the values of users.bio are deleted")
        .assert_stderr("would be refused")
        .assert_stderr("drops column users.bio: 2 rows hold a value there");
    let dry_json = run(
        &fixture,
        url,
        &["rollback", "--steps", "1", "--dry-run", "--format", "json"],
    );
    assert_eq!(
        dry_json.json()["plan"]["checks"][0]["rows"],
        2,
        "{dry_json}"
    );
    assert_eq!(status(&fixture, url), 2);

    // Everything: the users table's rows too.
    run(&fixture, url, &["rollback", "--to", "0"])
        .assert_code(1)
        .assert_stderr("drops column users.bio: 2 rows")
        .assert_stderr("drops table users: 3 rows are in it (1; 2; 3)")
        .assert_stderr("--accept \"drop table users\"");
    assert_eq!(status(&fixture, url), 2);

    // Acknowledged: it runs.
    run(
        &fixture,
        url,
        &[
            "rollback",
            "--steps",
            "1",
            "--accept",
            "drop column users.bio",
        ],
    )
    .assert_code(0)
    .assert_stderr("Reverted");
    assert_eq!(status(&fixture, url), 1);
    run(&fixture, url, &["rollback", "--to", "0"])
        .assert_code(1)
        .assert_stderr("drops table users");
    run(
        &fixture,
        url,
        &["rollback", "--to", "0", "--allow-destructive"],
    )
    .assert_code(0);
    assert_eq!(status(&fixture, url), serde_json::Value::Null);
}

#[test]
fn sqlite_data_loss_is_refused_until_acknowledged() {
    data_loss_is_refused_until_acknowledged("sqlite");
}

#[test]
fn postgres_data_loss_is_refused_until_acknowledged() {
    data_loss_is_refused_until_acknowledged("postgres");
}

#[test]
fn mysql_data_loss_is_refused_until_acknowledged() {
    data_loss_is_refused_until_acknowledged("mysql");
}

/// A generated enum-value rollback (PostgreSQL type recreation, MySQL `MODIFY ... ENUM`,
/// SQLite rebuild with its `CHECK (... IN ...)`) after a row took the new value.
fn an_enum_value_added_since_is_refused(dialect: &str) {
    let fixture = fixture(dialect);
    let Some(db) = database(dialect, &fixture) else {
        return;
    };
    let url = db.url.as_str();
    fixture.edit(
        "src/models/users.rs",
        "    Member,\n",
        "    Member,\n    Guest,\n",
    );
    let generated = fixture.run(&["generate", "--name", "guests", "--allow-destructive"]);
    generated.assert_code(0);
    run(&fixture, url, &["migrate"]).assert_code(0);
    execute(
        url,
        "INSERT INTO users (id, email, role) VALUES (1, 'a@x', 'admin'), (4, 'g@x', 'guest'), (5, 'h@x', 'guest')",
    );
    let lacks = if dialect == "sqlite" {
        "2 rows violate it"
    } else {
        "2 rows hold a value the type lacks"
    };
    for extra in [&[][..], &["--allow-destructive"]] {
        let mut args = vec!["rollback", "--steps", "1"];
        args.extend(extra);
        let refused = run(&fixture, url, &args);
        refused
            .assert_code(1)
            .assert_stderr(lacks)
            .assert_stderr("(4; 5)")
            .assert_stderr("the old schema cannot hold them");
        assert_eq!(status(&fixture, url), 3, "{refused}");
    }
    execute(url, "UPDATE users SET role = 'member' WHERE role = 'guest'");
    run(&fixture, url, &["rollback", "--steps", "1"]).assert_code(0);
}

#[test]
fn sqlite_an_enum_value_added_since_is_refused() {
    an_enum_value_added_since_is_refused("sqlite");
}

#[test]
fn postgres_an_enum_value_added_since_is_refused() {
    an_enum_value_added_since_is_refused("postgres");
}

#[test]
fn mysql_an_enum_value_added_since_is_refused() {
    an_enum_value_added_since_is_refused("mysql");
}
