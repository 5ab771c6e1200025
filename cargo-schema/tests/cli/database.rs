//! `migrate`, `rollback` and `status` on a real database, through the runtime's Migrator.

use crate::support::{Fixture, Run};

/// A generated fixture and the SQLite URL of a database file inside it.
fn generated_with_database() -> (Fixture, String) {
    let fixture = Fixture::new("basic");
    fixture.run(&["generate", "--name", "init"]).assert_code(0);
    fixture.run(&["new", "seed"]).assert_code(0);
    fixture.write(
        "migrations/0002_seed.up.sql",
        "INSERT INTO users (email, role) VALUES ('ada@example.com', 'admin');\n",
    );
    fixture.write(
        "migrations/0002_seed.down.sql",
        "DELETE FROM users WHERE email = 'ada@example.com';\n",
    );
    let url = format!("sqlite:{}", fixture.path("app.db").display());
    (fixture, url)
}

fn with_url(fixture: &Fixture, url: &str, args: &[&str]) -> Run {
    fixture.run_in(".", args, &[("DATABASE_URL", url)])
}

#[test]
fn migrate_status_and_rollback_round_trip() {
    let (fixture, url) = generated_with_database();
    with_url(&fixture, &url, &["status"])
        .assert_code(1)
        .assert_stdout("0001_init")
        .assert_stdout("pending")
        .assert_stderr("2 pending; run `cargo schema migrate`");

    let dry = with_url(&fixture, &url, &["migrate", "--dry-run"]);
    dry.assert_code(0)
        .assert_stdout("-- would apply 0001_init.up.sql (in a transaction)")
        .assert_stdout("CREATE TABLE \"users\"")
        .assert_stderr("dry run, the database was not changed");
    with_url(&fixture, &url, &["status"]).assert_code(1);

    with_url(&fixture, &url, &["migrate", "--to", "1"])
        .assert_code(0)
        .assert_stdout("0001_init")
        .assert_stderr("Applied 0001_init.up.sql");
    with_url(&fixture, &url, &["status"])
        .assert_code(1)
        .assert_stderr("version 0001, 1 pending");
    with_url(&fixture, &url, &["migrate"])
        .assert_code(0)
        .assert_stdout("0002_seed");
    let status = with_url(&fixture, &url, &["status", "--format", "json"]);
    status.assert_code(0);
    let value = status.json();
    assert_eq!(value["status"], "up_to_date");
    assert_eq!(value["report"]["current_version"], 2);
    with_url(&fixture, &url, &["migrate"])
        .assert_code(0)
        .assert_stderr("nothing to apply");

    with_url(&fixture, &url, &["rollback", "--steps", "1", "--dry-run"])
        .assert_code(0)
        .assert_stdout("-- would revert 0002_seed.down.sql");
    with_url(&fixture, &url, &["rollback", "--steps", "1"])
        .assert_code(0)
        .assert_stderr("Reverted 0002_seed.down.sql");
    with_url(&fixture, &url, &["rollback", "--to", "0"])
        .assert_code(0)
        .assert_stdout("0001_init");
    with_url(&fixture, &url, &["status"])
        .assert_code(1)
        .assert_stderr("no migration applied");
}

#[test]
fn failed_migration_exits_1_at_the_last_good_version() {
    let (fixture, url) = generated_with_database();
    fixture.write(
        "migrations/0002_seed.up.sql",
        "INSERT INTO no_such_table VALUES (1);\n",
    );
    let run = with_url(&fixture, &url, &["migrate"]);
    run.assert_code(1)
        .assert_stderr("error: migrate failed")
        .assert_stderr("0002_seed.up.sql");
    with_url(&fixture, &url, &["status"])
        .assert_code(1)
        .assert_stderr("version 0001, 1 pending");
}

#[test]
fn file_changed_after_apply_is_reported_by_status_and_refused_by_migrate() {
    let (fixture, url) = generated_with_database();
    with_url(&fixture, &url, &["migrate"]).assert_code(0);
    fixture.write("migrations/0002_seed.up.sql", "SELECT 'changed';\n");
    with_url(&fixture, &url, &["status"])
        .assert_code(1)
        .assert_stdout("changed")
        .assert_stderr("problem: migration 2");
    with_url(&fixture, &url, &["migrate"])
        .assert_code(1)
        .assert_stderr("refusing to migrate");
}

#[test]
fn database_url_problems_are_errors() {
    let (fixture, _) = generated_with_database();
    fixture
        .run(&["migrate"])
        .assert_code(2)
        .assert_stderr("no database URL")
        .assert_stderr("DATABASE_URL");
    fixture
        .run(&["status", "--database-url", "oracle://x"])
        .assert_code(2)
        .assert_stderr("is not a database URL");
    fixture
        .run(&[
            "status",
            "--database-url",
            "postgres://postgres@127.0.0.1:5432/test",
        ])
        .assert_code(2)
        .assert_stderr("no selected package has a postgres target");
    fixture
        .run(&["rollback"])
        .assert_code(2)
        .assert_stderr("--to");
}

#[test]
fn the_url_picks_the_target_of_its_dialect() {
    let fixture = Fixture::new("multi_target");
    fixture.run(&["generate"]).assert_code(0);
    let url = format!("sqlite:{}", fixture.path("notes.db").display());
    with_url(&fixture, &url, &["migrate"])
        .assert_code(0)
        .assert_stderr("Applied 0001_");
    with_url(&fixture, &url, &["status"]).assert_code(0);
}

#[test]
fn postgres_migrate_and_rollback() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = Fixture::new("multi_target");
    fixture.run(&["generate"]).assert_code(0);
    with_url(&fixture, &db.url, &["migrate"]).assert_code(0);
    with_url(&fixture, &db.url, &["status"]).assert_code(0);
    with_url(&fixture, &db.url, &["rollback", "--to", "0"]).assert_code(0);
    with_url(&fixture, &db.url, &["status"]).assert_code(1);
}

/// The CLI speaks TLS (default feature `tls`): `sslmode=require` migrates over an encrypted
/// connection, and `verify-full` checks the server's certificate (Debian's self-signed
/// snakeoil certificate is refused) instead of failing for want of TLS support.
#[test]
fn postgres_over_tls() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let ssl: String = runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("connect");
        sqlx::query_scalar("SHOW ssl")
            .fetch_one(&mut conn)
            .await
            .expect("SHOW ssl")
    });
    if ssl != "on" {
        eprintln!("\n*** SKIPPED postgres_over_tls: the PostgreSQL server has ssl = off ***\n");
        return;
    }
    let join = if db.url.contains('?') { '&' } else { '?' };
    let fixture = Fixture::new("multi_target");
    fixture.run(&["generate"]).assert_code(0);
    let require = format!("{}{join}sslmode=require", db.url);
    with_url(&fixture, &require, &["migrate"]).assert_code(0);
    with_url(&fixture, &require, &["status"]).assert_code(0);
    let verify_full = format!("{}{join}sslmode=verify-full", db.url);
    let run = with_url(&fixture, &verify_full, &["status"]);
    run.assert_code(2);
    assert!(
        !run.stderr.to_lowercase().contains("without tls support"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains("certificate"),
        "{}",
        run.stderr
    );
}

#[test]
fn mysql_migrate_and_rollback() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::mysql()) else {
        return;
    };
    let fixture = Fixture::new("basic");
    fixture.edit("Cargo.toml", "dialect = \"sqlite\"", "dialect = \"mysql\"");
    fixture.run(&["generate"]).assert_code(0);
    with_url(&fixture, &db.url, &["migrate"]).assert_code(0);
    with_url(&fixture, &db.url, &["status"]).assert_code(0);
    with_url(&fixture, &db.url, &["rollback", "--steps", "1"]).assert_code(0);
    with_url(&fixture, &db.url, &["status"])
        .assert_code(1)
        .assert_stdout("pending");
    // verify replays up/down/up on a scratch database on the same server, then drops it.
    let run = with_url(&fixture, &db.url, &["verify"]);
    run.assert_code(0)
        .assert_stderr("Replaying basic (mysql) on a scratch database");
    let leftovers: i64 = runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::MySqlConnection::connect(&db.url)
            .await
            .expect("connect");
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE ?",
        )
        .bind(format!("cargo\\_schema\\_verify\\_{}\\_%", run.pid))
        .fetch_one(&mut conn)
        .await
        .expect("query")
    });
    assert_eq!(leftovers, 0, "the scratch database is dropped");
}
